// Raw file-descriptor I/O. read/write are the channel layer's hot path: they work on
// caller-supplied Buffers and report EAGAIN as -1 instead of throwing.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common.h"

namespace tclshim {

// Tcl's channel drivers retry read/write on EINTR, so a signal never surfaces as an
// I/O error; the trap runs once the call returns (the self-pipe stays readable).
static Napi::Value Read(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  uint8_t* data;
  size_t len;
  if (!ArgInt(info, 0, "fd", &fd) || !ArgBufferWindow(info, 1, &data, 2, &len)) {
    return env.Undefined();
  }
  ssize_t n;
  do {
    n = read(fd, data, len);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Napi::Number::New(env, -1);
    ThrowErrno(env, errno, "read");
    return env.Undefined();
  }
  return Napi::Number::New(env, static_cast<double>(n));
}

static Napi::Value Write(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  uint8_t* data;
  size_t len;
  if (!ArgInt(info, 0, "fd", &fd) || !ArgBufferWindow(info, 1, &data, 2, &len)) {
    return env.Undefined();
  }
  ssize_t n;
  do {
    n = write(fd, data, len);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Napi::Number::New(env, -1);
    ThrowErrno(env, errno, "write");
    return env.Undefined();
  }
  return Napi::Number::New(env, static_cast<double>(n));
}

static Napi::Value Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  if (!ArgInt(info, 0, "fd", &fd)) return env.Undefined();
  // On Linux the descriptor is released even when close reports EINTR; retrying
  // could close an unrelated fd another thread just opened.
  if (close(fd) < 0 && errno != EINTR) ThrowErrno(env, errno, "close");
  return env.Undefined();
}

static Napi::Value SetNonBlocking(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  bool on;
  if (!ArgInt(info, 0, "fd", &fd) || !ArgBool(info, 1, "on", &on)) return env.Undefined();
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0) {
    ThrowErrno(env, errno, "fcntl");
    return env.Undefined();
  }
  int nfl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
  if (nfl != fl && fcntl(fd, F_SETFL, nfl) < 0) ThrowErrno(env, errno, "fcntl");
  return env.Undefined();
}

static Napi::Value GetNonBlocking(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  if (!ArgInt(info, 0, "fd", &fd)) return env.Undefined();
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0) {
    ThrowErrno(env, errno, "fcntl");
    return env.Undefined();
  }
  return Napi::Boolean::New(env, (fl & O_NONBLOCK) != 0);
}

static Napi::Value SetCloexec(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  bool on;
  if (!ArgInt(info, 0, "fd", &fd) || !ArgBool(info, 1, "on", &on)) return env.Undefined();
  int fl = fcntl(fd, F_GETFD);
  if (fl < 0) {
    ThrowErrno(env, errno, "fcntl");
    return env.Undefined();
  }
  int nfl = on ? (fl | FD_CLOEXEC) : (fl & ~FD_CLOEXEC);
  if (nfl != fl && fcntl(fd, F_SETFD, nfl) < 0) ThrowErrno(env, errno, "fcntl");
  return env.Undefined();
}

static Napi::Value GetCloexec(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  if (!ArgInt(info, 0, "fd", &fd)) return env.Undefined();
  int fl = fcntl(fd, F_GETFD);
  if (fl < 0) {
    ThrowErrno(env, errno, "fcntl");
    return env.Undefined();
  }
  return Napi::Boolean::New(env, (fl & FD_CLOEXEC) != 0);
}

static Napi::Value Dup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  if (!ArgInt(info, 0, "fd", &fd)) return env.Undefined();
  int nfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (nfd < 0) {
    ThrowErrno(env, errno, "dup");
    return env.Undefined();
  }
  return Napi::Number::New(env, nfd);
}

// dup2(a, b, cloexec?): the standard streams default to inheritable because the
// usual reason to dup onto 0/1/2 is to hand them to an exec'd program.
static Napi::Value Dup2(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t a, b;
  bool cloexec;
  if (!ArgInt(info, 0, "fd", &a) || !ArgInt(info, 1, "newfd", &b)) return env.Undefined();
  if (!ArgOptBool(info, 2, "cloexec", b > 2, &cloexec)) return env.Undefined();
  if (a == b) {
    // dup3 rejects a == b; dup2 only checks that the fd is open.
    if (fcntl(a, F_GETFD) < 0) {
      ThrowErrno(env, errno, "dup2");
      return env.Undefined();
    }
    return Napi::Number::New(env, b);
  }
  int r;
  do {
    r = dup3(a, b, cloexec ? O_CLOEXEC : 0);
  } while (r < 0 && (errno == EINTR || errno == EBUSY));
  if (r < 0) {
    ThrowErrno(env, errno, "dup2");
    return env.Undefined();
  }
  return Napi::Number::New(env, r);
}

static Napi::Value Pipe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool nonblocking;
  if (!ArgOptBool(info, 0, "nonBlocking", false, &nonblocking)) return env.Undefined();
  int p[2];
  if (pipe2(p, O_CLOEXEC | (nonblocking ? O_NONBLOCK : 0)) < 0) {
    ThrowErrno(env, errno, "pipe");
    return env.Undefined();
  }
  Napi::Array a = Napi::Array::New(env, 2);
  a.Set(0u, Napi::Number::New(env, p[0]));
  a.Set(1u, Napi::Number::New(env, p[1]));
  return a;
}

static Napi::Value Isatty(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  if (!ArgInt(info, 0, "fd", &fd)) return env.Undefined();
  return Napi::Boolean::New(env, isatty(fd) == 1);
}

static Napi::Value FdType(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  if (!ArgInt(info, 0, "fd", &fd)) return env.Undefined();
  struct stat st;
  if (fstat(fd, &st) < 0) {
    ThrowErrno(env, errno, "fstat");
    return env.Undefined();
  }
  const char* t;
  switch (st.st_mode & S_IFMT) {
    case S_IFREG: t = "file"; break;
    case S_IFDIR: t = "dir"; break;
    case S_IFIFO: t = "fifo"; break;
    case S_IFSOCK: t = "socket"; break;
    case S_IFCHR: t = "char"; break;
    case S_IFBLK: t = "block"; break;
    default: t = "unknown"; break;
  }
  return Napi::String::New(env, t);
}

static Napi::Value OpenFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path;
  int32_t flags, mode;
  if (!ArgCString(info, 0, "path", &path) || !ArgInt(info, 1, "flags", &flags) ||
      !ArgInt(info, 2, "mode", &mode)) {
    return env.Undefined();
  }
  int fd;
  // Opening a FIFO blocks until the other side appears; a signal must not make
  // `open` fail where tclsh would simply keep waiting.
  do {
    fd = open(path.c_str(), flags | O_CLOEXEC, static_cast<mode_t>(mode));
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    ThrowErrnoPath(env, errno, "open", path);
    return env.Undefined();
  }
  return Napi::Number::New(env, fd);
}

static Napi::Value Lseek(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd, whence;
  double off;
  if (!ArgInt(info, 0, "fd", &fd) || !ArgDouble(info, 1, "offset", &off) ||
      !ArgInt(info, 2, "whence", &whence)) {
    return env.Undefined();
  }
  off_t r = lseek(fd, static_cast<off_t>(off), whence);
  if (r < 0) {
    ThrowErrno(env, errno, "lseek");
    return env.Undefined();
  }
  return Napi::Number::New(env, static_cast<double>(r));
}

static Napi::Value Ftruncate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t fd;
  double len;
  if (!ArgInt(info, 0, "fd", &fd) || !ArgDouble(info, 1, "length", &len)) return env.Undefined();
  int r;
  do {
    r = ftruncate(fd, static_cast<off_t>(len));
  } while (r < 0 && errno == EINTR);
  if (r < 0) ThrowErrno(env, errno, "ftruncate");
  return env.Undefined();
}

void RegisterFd(Napi::Env env, Napi::Object exports) {
  exports.Set("read", Napi::Function::New(env, Read, "read"));
  exports.Set("write", Napi::Function::New(env, Write, "write"));
  exports.Set("close", Napi::Function::New(env, Close, "close"));
  exports.Set("setNonBlocking", Napi::Function::New(env, SetNonBlocking, "setNonBlocking"));
  exports.Set("getNonBlocking", Napi::Function::New(env, GetNonBlocking, "getNonBlocking"));
  exports.Set("setCloexec", Napi::Function::New(env, SetCloexec, "setCloexec"));
  exports.Set("getCloexec", Napi::Function::New(env, GetCloexec, "getCloexec"));
  exports.Set("dup", Napi::Function::New(env, Dup, "dup"));
  exports.Set("dup2", Napi::Function::New(env, Dup2, "dup2"));
  exports.Set("pipe", Napi::Function::New(env, Pipe, "pipe"));
  exports.Set("isatty", Napi::Function::New(env, Isatty, "isatty"));
  exports.Set("fdType", Napi::Function::New(env, FdType, "fdType"));
  exports.Set("openFile", Napi::Function::New(env, OpenFile, "openFile"));
  exports.Set("lseek", Napi::Function::New(env, Lseek, "lseek"));
  exports.Set("ftruncate", Napi::Function::New(env, Ftruncate, "ftruncate"));

  SetConstant(env, exports, "O_RDONLY", O_RDONLY);
  SetConstant(env, exports, "O_WRONLY", O_WRONLY);
  SetConstant(env, exports, "O_RDWR", O_RDWR);
  SetConstant(env, exports, "O_CREAT", O_CREAT);
  SetConstant(env, exports, "O_EXCL", O_EXCL);
  SetConstant(env, exports, "O_TRUNC", O_TRUNC);
  SetConstant(env, exports, "O_APPEND", O_APPEND);
  SetConstant(env, exports, "O_NONBLOCK", O_NONBLOCK);
  SetConstant(env, exports, "O_NOCTTY", O_NOCTTY);
  SetConstant(env, exports, "O_SYNC", O_SYNC);
  SetConstant(env, exports, "O_DSYNC", O_DSYNC);
  SetConstant(env, exports, "O_CLOEXEC", O_CLOEXEC);
  SetConstant(env, exports, "O_DIRECTORY", O_DIRECTORY);
  SetConstant(env, exports, "O_NOFOLLOW", O_NOFOLLOW);
  SetConstant(env, exports, "SEEK_SET", SEEK_SET);
  SetConstant(env, exports, "SEEK_CUR", SEEK_CUR);
  SetConstant(env, exports, "SEEK_END", SEEK_END);
}

}  // namespace tclshim
