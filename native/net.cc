// Sockets: creation, numeric addressing, accept/connect with EAGAIN/EINPROGRESS as
// ordinary return values, socket options and blocking name resolution.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "common.h"

namespace tclshim {

static bool ArgFamily(const Napi::CallbackInfo& info, size_t i, int* domain) {
  Napi::Value v = info[i];
  if (v.IsNumber()) {
    int32_t f = v.As<Napi::Number>().Int32Value();
    if (f == 4) { *domain = AF_INET; return true; }
    if (f == 6) { *domain = AF_INET6; return true; }
  } else if (v.IsString() && v.As<Napi::String>().Utf8Value() == "unix") {
    *domain = AF_UNIX;
    return true;
  }
  ThrowType(info.Env(), "family must be 4, 6 or \"unix\"");
  return false;
}

static bool ArgSockType(const Napi::CallbackInfo& info, size_t i, int* type) {
  if (info[i].IsString()) {
    std::string t = info[i].As<Napi::String>().Utf8Value();
    if (t == "stream") { *type = SOCK_STREAM; return true; }
    if (t == "seqpacket") { *type = SOCK_SEQPACKET; return true; }
    if (t == "dgram") { *type = SOCK_DGRAM; return true; }
  }
  ThrowType(info.Env(), "type must be \"stream\", \"seqpacket\" or \"dgram\"");
  return false;
}

static Napi::Value Socket(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int domain, type;
  bool nonblocking;
  if (!ArgFamily(info, 0, &domain) || !ArgSockType(info, 1, &type) ||
      !ArgOptBool(info, 2, "nonBlocking", false, &nonblocking)) {
    return env.Undefined();
  }
  int fd = socket(domain, type | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
  if (fd < 0) {
    ThrowErrno(env, errno, "socket");
    return env.Undefined();
  }
  return Napi::Number::New(env, fd);
}

// Builds the address for `fd`'s own family, so callers never pass the family twice.
static bool MakeAddr(const Napi::CallbackInfo& info, int fd, const char* syscall,
                     sockaddr_storage* ss, socklen_t* len) {
  Napi::Env env = info.Env();
  std::string host;
  int32_t port = 0;
  if (!ArgCString(info, 1, "host", &host)) return false;
  int domain;
  socklen_t dl = sizeof(domain);
  if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &dl) < 0) {
    ThrowErrno(env, errno, syscall);
    return false;
  }
  if (domain != AF_UNIX) {
    if (!ArgInt(info, 2, "port", &port)) return false;
    if (port < 0 || port > 65535) {
      ThrowRange(env, "port must be in 0..65535");
      return false;
    }
  }
  memset(ss, 0, sizeof(*ss));
  if (domain == AF_INET) {
    auto* sin = reinterpret_cast<sockaddr_in*>(ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(static_cast<uint16_t>(port));
    if (host.empty()) {
      sin->sin_addr.s_addr = htonl(INADDR_ANY);
    } else if (inet_pton(AF_INET, host.c_str(), &sin->sin_addr) != 1) {
      ThrowErrnoPath(env, EINVAL, syscall, host);
      return false;
    }
    *len = sizeof(*sin);
    return true;
  }
  if (domain == AF_INET6) {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(static_cast<uint16_t>(port));
    *len = sizeof(*sin6);
    if (host.empty()) {
      sin6->sin6_addr = in6addr_any;
      return true;
    }
    if (inet_pton(AF_INET6, host.c_str(), &sin6->sin6_addr) == 1) return true;
    in_addr v4;
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
      // An IPv4 literal on an IPv6 socket means its v4-mapped form.
      sin6->sin6_addr.s6_addr[10] = 0xff;
      sin6->sin6_addr.s6_addr[11] = 0xff;
      memcpy(&sin6->sin6_addr.s6_addr[12], &v4, 4);
      return true;
    }
    // Scoped literals (fe80::1%eth0) need the resolver's numeric-only parsing.
    addrinfo hints{};
    hints.ai_family = AF_INET6;
    hints.ai_flags = AI_NUMERICHOST;
    addrinfo* res = nullptr;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &res) == 0 && res != nullptr) {
      uint16_t p = sin6->sin6_port;
      memcpy(sin6, res->ai_addr, sizeof(*sin6));
      sin6->sin6_port = p;
      freeaddrinfo(res);
      return true;
    }
    ThrowErrnoPath(env, EINVAL, syscall, host);
    return false;
  }
  if (domain == AF_UNIX) {
    auto* sun = reinterpret_cast<sockaddr_un*>(ss);
    sun->sun_family = AF_UNIX;
    if (host.size() >= sizeof(sun->sun_path)) {
      ThrowErrnoPath(env, ENAMETOOLONG, syscall, host);
      return false;
    }
    memcpy(sun->sun_path, host.data(), host.size());
    *len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + host.size() + 1);
    return true;
  }
  ThrowErrno(env, EAFNOSUPPORT, syscall);
  return false;
}

// [host, port, family] for any address the kernel hands back.
static Napi::Value AddrToJs(Napi::Env env, const sockaddr_storage* ss, socklen_t len) {
  char buf[INET6_ADDRSTRLEN + 1] = {0};
  Napi::Array a = Napi::Array::New(env, 3);
  if (ss->ss_family == AF_INET) {
    auto* sin = reinterpret_cast<const sockaddr_in*>(ss);
    inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf));
    a.Set(0u, Napi::String::New(env, buf));
    a.Set(1u, Napi::Number::New(env, ntohs(sin->sin_port)));
    a.Set(2u, Napi::Number::New(env, 4));
  } else if (ss->ss_family == AF_INET6) {
    auto* sin6 = reinterpret_cast<const sockaddr_in6*>(ss);
    inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof(buf));
    a.Set(0u, Napi::String::New(env, buf));
    a.Set(1u, Napi::Number::New(env, ntohs(sin6->sin6_port)));
    a.Set(2u, Napi::Number::New(env, 6));
  } else {
    std::string path;
    if (ss->ss_family == AF_UNIX && len > offsetof(sockaddr_un, sun_path)) {
      auto* sun = reinterpret_cast<const sockaddr_un*>(ss);
      size_t max = len - offsetof(sockaddr_un, sun_path);
      path.assign(sun->sun_path, strnlen(sun->sun_path, max));
    }
    a.Set(0u, Napi::String::New(env, path));
    a.Set(1u, Napi::Number::New(env, 0));
    a.Set(2u, Napi::String::New(env, "unix"));
  }
  return a;
}

static Napi::Value Bind(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  sockaddr_storage ss;
  socklen_t len;
  if (!ArgInt(info, 0, "fd", &fd) || !MakeAddr(info, fd, "bind", &ss, &len)) return env.Undefined();
  if (bind(fd, reinterpret_cast<sockaddr*>(&ss), len) < 0) ThrowErrno(env, errno, "bind");
  return env.Undefined();
}

static Napi::Value Listen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd, backlog;
  if (!ArgInt(info, 0, "fd", &fd) || !ArgInt(info, 1, "backlog", &backlog)) return env.Undefined();
  if (listen(fd, backlog) < 0) ThrowErrno(env, errno, "listen");
  return env.Undefined();
}

// null for "nothing to accept now": EAGAIN, and also ECONNABORTED (the peer gave up
// before we got to it), which Tcl's own accept path drops silently as well.
static Napi::Value Accept(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  if (!ArgInt(info, 0, "fd", &fd)) return env.Undefined();
  sockaddr_storage ss;
  socklen_t len;
  int nfd;
  do {
    len = sizeof(ss);
    nfd = accept4(fd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
  } while (nfd < 0 && errno == EINTR);
  if (nfd < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED) return env.Null();
    ThrowErrno(env, errno, "accept");
    return env.Undefined();
  }
  Napi::Array peer = AddrToJs(env, &ss, len).As<Napi::Array>();
  Napi::Array a = Napi::Array::New(env, 3);
  a.Set(0u, Napi::Number::New(env, nfd));
  a.Set(1u, peer.Get(0u));
  a.Set(2u, peer.Get(1u));
  return a;
}

// false = in progress (EINPROGRESS; also EINTR on a blocking socket, where the
// kernel carries on connecting and the caller must wait for writability).
static Napi::Value Connect(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  sockaddr_storage ss;
  socklen_t len;
  if (!ArgInt(info, 0, "fd", &fd) || !MakeAddr(info, fd, "connect", &ss, &len)) {
    return env.Undefined();
  }
  if (connect(fd, reinterpret_cast<sockaddr*>(&ss), len) == 0) return Napi::Boolean::New(env, true);
  if (errno == EINPROGRESS || errno == EINTR) return Napi::Boolean::New(env, false);
  ThrowErrno(env, errno, "connect");
  return env.Undefined();
}

static Napi::Value GetSocketError(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  if (!ArgInt(info, 0, "fd", &fd)) return env.Undefined();
  int err = 0;
  socklen_t l = sizeof(err);
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0) {
    ThrowErrno(env, errno, "getsockopt");
    return env.Undefined();
  }
  return Napi::Number::New(env, err);
}

static Napi::Value SockName(const Napi::CallbackInfo& info, bool peer) {
  Napi::Env env = info.Env();
  int32_t fd;
  if (!ArgInt(info, 0, "fd", &fd)) return env.Undefined();
  sockaddr_storage ss;
  memset(&ss, 0, sizeof(ss));
  socklen_t len = sizeof(ss);
  int r = peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len)
               : getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  if (r < 0) {
    ThrowErrno(env, errno, peer ? "getpeername" : "getsockname");
    return env.Undefined();
  }
  return AddrToJs(env, &ss, len);
}

static Napi::Value GetSockName(const Napi::CallbackInfo& info) { return SockName(info, false); }
static Napi::Value GetPeerName(const Napi::CallbackInfo& info) { return SockName(info, true); }

static bool ArgSockOpt(const Napi::CallbackInfo& info, size_t i, int* level, int* name) {
  std::string n;
  if (info[i].IsString()) {
    n = info[i].As<Napi::String>().Utf8Value();
    *level = SOL_SOCKET;
    if (n == "SO_REUSEADDR") { *name = SO_REUSEADDR; return true; }
    if (n == "SO_REUSEPORT") { *name = SO_REUSEPORT; return true; }
    if (n == "SO_KEEPALIVE") { *name = SO_KEEPALIVE; return true; }
    if (n == "SO_RCVBUF") { *name = SO_RCVBUF; return true; }
    if (n == "SO_SNDBUF") { *name = SO_SNDBUF; return true; }
    if (n == "TCP_NODELAY") { *level = IPPROTO_TCP; *name = TCP_NODELAY; return true; }
  }
  ThrowType(info.Env(),
            "option must be one of SO_REUSEADDR, SO_REUSEPORT, TCP_NODELAY, SO_KEEPALIVE, "
            "SO_RCVBUF, SO_SNDBUF");
  return false;
}

static Napi::Value SetSockOpt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd, value;
  int level, name;
  if (!ArgInt(info, 0, "fd", &fd) || !ArgSockOpt(info, 1, &level, &name)) return env.Undefined();
  if (info[2].IsBoolean()) {
    value = info[2].As<Napi::Boolean>().Value() ? 1 : 0;
  } else if (!ArgInt(info, 2, "value", &value)) {
    return env.Undefined();
  }
  if (setsockopt(fd, level, name, &value, sizeof(value)) < 0) ThrowErrno(env, errno, "setsockopt");
  return env.Undefined();
}

static Napi::Value GetSockOpt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  int level, name;
  if (!ArgInt(info, 0, "fd", &fd) || !ArgSockOpt(info, 1, &level, &name)) return env.Undefined();
  int value = 0;
  socklen_t l = sizeof(value);
  if (getsockopt(fd, level, name, &value, &l) < 0) {
    ThrowErrno(env, errno, "getsockopt");
    return env.Undefined();
  }
  return Napi::Number::New(env, value);
}

static const char* EaiName(int code) {
  switch (code) {
    case EAI_AGAIN: return "EAI_AGAIN";
    case EAI_BADFLAGS: return "EAI_BADFLAGS";
    case EAI_FAIL: return "EAI_FAIL";
    case EAI_FAMILY: return "EAI_FAMILY";
    case EAI_MEMORY: return "EAI_MEMORY";
    case EAI_NONAME: return "EAI_NONAME";
    case EAI_SERVICE: return "EAI_SERVICE";
    case EAI_SOCKTYPE: return "EAI_SOCKTYPE";
    case EAI_SYSTEM: return "EAI_SYSTEM";
    case EAI_OVERFLOW: return "EAI_OVERFLOW";
#ifdef EAI_NODATA
    case EAI_NODATA: return "EAI_NODATA";
#endif
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY: return "EAI_ADDRFAMILY";
#endif
    default: return "EAI_UNKNOWN";
  }
}

// Numeric addresses in resolver order, duplicates removed (one per address, not
// per socket type). Blocking, like Tcl's own resolution.
static Napi::Value GetAddrInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string host;
  int32_t fam = 0;
  if (!ArgCString(info, 0, "host", &host)) return env.Undefined();
  if (info.Length() > 1 && !info[1].IsUndefined() && !ArgInt(info, 1, "family", &fam)) {
    return env.Undefined();
  }
  addrinfo hints{};
  if (fam == 4) hints.ai_family = AF_INET;
  else if (fam == 6) hints.ai_family = AF_INET6;
  else if (fam == 0) hints.ai_family = AF_UNSPEC;
  else {
    ThrowType(env, "family must be 0, 4 or 6");
    return env.Undefined();
  }
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  int rc = getaddrinfo(host.c_str(), nullptr, &hints, &res);
  if (rc != 0) {
    int err = errno;
    std::string msg = rc == EAI_SYSTEM ? strerror(err) : gai_strerror(rc);
    Napi::Error e = Napi::Error::New(env, msg);
    Napi::Object o = e.Value();
    o.Set("errno", Napi::Number::New(env, rc == EAI_SYSTEM ? err : rc));
    o.Set("code", Napi::String::New(env, EaiName(rc)));
    o.Set("syscall", Napi::String::New(env, "getaddrinfo"));
    o.Set("hostname", Napi::String::New(env, host));
    e.ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::vector<std::string> out;
  char buf[INET6_ADDRSTRLEN + 1];
  for (addrinfo* p = res; p != nullptr; p = p->ai_next) {
    const void* a = nullptr;
    if (p->ai_family == AF_INET) a = &reinterpret_cast<sockaddr_in*>(p->ai_addr)->sin_addr;
    else if (p->ai_family == AF_INET6) a = &reinterpret_cast<sockaddr_in6*>(p->ai_addr)->sin6_addr;
    if (a == nullptr || inet_ntop(p->ai_family, a, buf, sizeof(buf)) == nullptr) continue;
    bool seen = false;
    for (const auto& s : out) seen = seen || s == buf;
    if (!seen) out.emplace_back(buf);
  }
  freeaddrinfo(res);
  Napi::Array arr = Napi::Array::New(env, out.size());
  for (size_t i = 0; i < out.size(); i++) arr.Set(static_cast<uint32_t>(i), out[i]);
  return arr;
}

static Napi::Value Shutdown(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  if (!ArgInt(info, 0, "fd", &fd)) return env.Undefined();
  int how = -1;
  if (info[1].IsString()) {
    std::string h = info[1].As<Napi::String>().Utf8Value();
    if (h == "read") how = SHUT_RD;
    else if (h == "write") how = SHUT_WR;
    else if (h == "both") how = SHUT_RDWR;
  }
  if (how < 0) {
    ThrowType(env, "how must be \"read\", \"write\" or \"both\"");
    return env.Undefined();
  }
  if (shutdown(fd, how) < 0) ThrowErrno(env, errno, "shutdown");
  return env.Undefined();
}

static Napi::Value SocketPair(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int type;
  bool nonblocking;
  if (!ArgSockType(info, 0, &type) || !ArgOptBool(info, 1, "nonBlocking", false, &nonblocking)) {
    return env.Undefined();
  }
  int sv[2];
  if (socketpair(AF_UNIX, type | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0, sv) < 0) {
    ThrowErrno(env, errno, "socketpair");
    return env.Undefined();
  }
  Napi::Array a = Napi::Array::New(env, 2);
  a.Set(0u, Napi::Number::New(env, sv[0]));
  a.Set(1u, Napi::Number::New(env, sv[1]));
  return a;
}

void RegisterNet(Napi::Env env, Napi::Object exports) {
  exports.Set("socket", Napi::Function::New(env, Socket, "socket"));
  exports.Set("bind", Napi::Function::New(env, Bind, "bind"));
  exports.Set("listen", Napi::Function::New(env, Listen, "listen"));
  exports.Set("accept", Napi::Function::New(env, Accept, "accept"));
  exports.Set("connect", Napi::Function::New(env, Connect, "connect"));
  exports.Set("getSocketError", Napi::Function::New(env, GetSocketError, "getSocketError"));
  exports.Set("getsockname", Napi::Function::New(env, GetSockName, "getsockname"));
  exports.Set("getpeername", Napi::Function::New(env, GetPeerName, "getpeername"));
  exports.Set("setsockopt", Napi::Function::New(env, SetSockOpt, "setsockopt"));
  exports.Set("getsockopt", Napi::Function::New(env, GetSockOpt, "getsockopt"));
  exports.Set("getaddrinfo", Napi::Function::New(env, GetAddrInfo, "getaddrinfo"));
  exports.Set("shutdown", Napi::Function::New(env, Shutdown, "shutdown"));
  exports.Set("socketpair", Napi::Function::New(env, SocketPair, "socketpair"));
  SetConstant(env, exports, "SOMAXCONN", SOMAXCONN);
}

}  // namespace tclshim
