// Passing descriptors over AF_UNIX sockets (SCM_RIGHTS), framed like socketservertcl:
// the data part is a short text (the peer "ip port") followed by a NUL.
#include "fdpass.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common.h"

namespace tclshim {

long SendFdMessage(int sock, int fd, const char* text, size_t len, int flags) {
  char data[kFdMessageMax + 1];
  memcpy(data, text, len);
  data[len] = '\0';
  iovec iov{data, len + 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (fd >= 0) {
    memset(control, 0, sizeof(control));
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    cmsghdr* h = CMSG_FIRSTHDR(&msg);
    h->cmsg_level = SOL_SOCKET;
    h->cmsg_type = SCM_RIGHTS;
    h->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(h), &fd, sizeof(int));
  }
  ssize_t r;
  do {
    r = sendmsg(sock, &msg, flags | MSG_NOSIGNAL);
  } while (r < 0 && errno == EINTR);
  return static_cast<long>(r);
}

// sendFd(sock, fd, message) -> true when sent, false on EAGAIN. fd -1 sends the text
// alone.
static Napi::Value SendFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t sock, fd;
  std::string text;
  if (!ArgInt(info, 0, "sock", &sock) || !ArgInt(info, 1, "fd", &fd) ||
      !ArgCString(info, 2, "message", &text)) {
    return env.Undefined();
  }
  if (text.size() > kFdMessageMax) {
    ThrowRange(env, "message longer than 256 bytes");
    return env.Undefined();
  }
  if (SendFdMessage(sock, fd, text.data(), text.size(), MSG_DONTWAIT) < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Napi::Boolean::New(env, false);
    ThrowErrno(env, errno, "sendmsg");
    return env.Undefined();
  }
  return Napi::Boolean::New(env, true);
}

// One nonblocking receive for recvFd and recvFdInto. Returns the message length, or -1 with
// errno set (EAGAIN when nothing is queued). *fd gets the descriptor that came with it: -1
// when none did, -2 when the peer has closed. Received fds are close-on-exec; with
// nonBlocking, O_NONBLOCK too (here rather than in a second call from JavaScript: a pre-fork
// worker does this for every connection it takes).
static ssize_t ReceiveFdMessage(int sock, bool nonblocking, char* data, size_t size, int* fd) {
  iovec iov{data, size};
  // Room for a few descriptors so that a sender passing more than one does not leak
  // them into us unseen; we keep the first and close the rest.
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * 8)];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  ssize_t n;
  do {
    n = recvmsg(sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return -1;
  *fd = -1;
  if (n == 0 && msg.msg_controllen == 0) *fd = -2;
  for (cmsghdr* h = CMSG_FIRSTHDR(&msg); h != nullptr; h = CMSG_NXTHDR(&msg, h)) {
    if (h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t k = 0; k < count; k++) {
      int got;
      memcpy(&got, CMSG_DATA(h) + k * sizeof(int), sizeof(int));
      if (*fd < 0) *fd = got;
      else close(got);
    }
  }
  if (nonblocking && *fd >= 0) {
    int fl = fcntl(*fd, F_GETFL);
    if (fl < 0 || (!(fl & O_NONBLOCK) && fcntl(*fd, F_SETFL, fl | O_NONBLOCK) < 0)) {
      int err = errno;
      close(*fd);
      errno = err;
      return -1;
    }
  }
  return static_cast<ssize_t>(strnlen(data, static_cast<size_t>(n)));
}

// The receive's result, or an exception (and false) for an error other than EAGAIN.
static bool ReceiveOrThrow(const Napi::CallbackInfo& info, char* data, int* fd, ssize_t* len) {
  int32_t sock;
  bool nonblocking;
  if (!ArgInt(info, 0, "sock", &sock) || !ArgOptBool(info, 1, "nonBlocking", false, &nonblocking)) {
    return false;
  }
  *len = ReceiveFdMessage(sock, nonblocking, data, kFdMessageMax + 1, fd);
  if (*len < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
    ThrowErrno(info.Env(), errno, *fd >= 0 ? "fcntl" : "recvmsg");
    return false;
  }
  return true;
}

// recvFd(sock, nonBlocking = false) -> null (EAGAIN) | [fd, message] ([-1, message] when
// no fd came with it; [-2, ""] when the peer has closed).
static Napi::Value RecvFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  char data[kFdMessageMax + 1];
  int fd = -1;
  ssize_t len;
  if (!ReceiveOrThrow(info, data, &fd, &len)) return env.Undefined();
  if (len < 0) return env.Null();
  Napi::Array a = Napi::Array::New(env, 2);
  a.Set(0u, Napi::Number::New(env, fd));
  a.Set(1u, Napi::String::New(env, data, static_cast<size_t>(len)));
  return a;
}

// recvFdInto(sock, nonBlocking, fdOut) -> null (EAGAIN) | message, with the fd (or -1, -2 as
// recvFd gives them) in fdOut[0]. A worker takes every connection this way: building recvFd's
// array costs more than the receive's other work outside the kernel.
static Napi::Value RecvFdInto(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t* out;
  size_t out_len;
  if (!ArgInt32Array(info, 2, "fdOut", &out, &out_len)) return env.Undefined();
  if (out_len < 1) {
    ThrowRange(env, "fdOut must have room for one fd");
    return env.Undefined();
  }
  char data[kFdMessageMax + 1];
  int fd = -1;
  ssize_t len;
  if (!ReceiveOrThrow(info, data, &fd, &len)) return env.Undefined();
  if (len < 0) return env.Null();
  out[0] = fd;
  return Napi::String::New(env, data, static_cast<size_t>(len));
}

void RegisterFdPass(Napi::Env env, Napi::Object exports) {
  exports.Set("sendFd", Napi::Function::New(env, SendFd, "sendFd"));
  exports.Set("recvFd", Napi::Function::New(env, RecvFd, "recvFd"));
  exports.Set("recvFdInto", Napi::Function::New(env, RecvFdInto, "recvFdInto"));
}

}  // namespace tclshim
