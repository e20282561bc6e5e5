// Process control for TclX and exec: ids, waitpid, exec, sleep, and posix_spawn with
// explicit stdio and inherited descriptors.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <string>
#include <vector>

#include "common.h"

extern char** environ;

namespace tclshim {

static Napi::Value GetPid(const Napi::CallbackInfo& info) {
  // glibc no longer caches getpid; unlike process.pid this is right after fork.
  return Napi::Number::New(info.Env(), getpid());
}

static Napi::Value GetPpid(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), getppid());
}

static Napi::Value GetPgrp(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), getpgrp());
}

static Napi::Value SetPgid(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t pid, pgid;
  if (!ArgInt(info, 0, "pid", &pid) || !ArgInt(info, 1, "pgid", &pgid)) return env.Undefined();
  if (setpgid(pid, pgid) < 0) ThrowErrno(env, errno, "setpgid");
  return env.Undefined();
}

static Napi::Value Exit(const Napi::CallbackInfo& info) {
  int32_t code;
  if (!ArgInt(info, 0, "code", &code)) return info.Env().Undefined();
  _exit(code & 0xff);
}

// waitpid(pid, flags) -> null when WNOHANG found nothing, else [pid, kind, value].
// EINTR is thrown, not retried: TclX's `wait` reports an interrupted wait as an error
// so a trapped signal gets to run.
static Napi::Value WaitPid(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t pid, flags;
  if (!ArgInt(info, 0, "pid", &pid) || !ArgInt(info, 1, "flags", &flags)) return env.Undefined();
  if ((flags & ~(WNOHANG | WUNTRACED)) != 0) {
    ThrowRange(env, "flags may only combine WNOHANG and WUNTRACED");
    return env.Undefined();
  }
  int status = 0;
  pid_t r = waitpid(pid, &status, flags);
  if (r < 0) {
    ThrowErrno(env, errno, "waitpid");
    return env.Undefined();
  }
  if (r == 0) return env.Null();
  Napi::Array a = Napi::Array::New(env, 3);
  a.Set(0u, Napi::Number::New(env, r));
  if (WIFEXITED(status)) {
    a.Set(1u, Napi::String::New(env, "EXIT"));
    a.Set(2u, Napi::Number::New(env, WEXITSTATUS(status)));
  } else if (WIFSIGNALED(status)) {
    a.Set(1u, Napi::String::New(env, "SIG"));
    a.Set(2u, Napi::Number::New(env, WTERMSIG(status)));
  } else {
    a.Set(1u, Napi::String::New(env, "STOP"));
    a.Set(2u, Napi::Number::New(env, WSTOPSIG(status)));
  }
  return a;
}

static bool ArgStringArray(const Napi::CallbackInfo& info, size_t i, const char* what,
                           std::vector<std::string>* out) {
  Napi::Env env = info.Env();
  if (!info[i].IsArray()) {
    std::string msg(what);
    msg += " must be an array of strings";
    ThrowType(env, msg.c_str());
    return false;
  }
  Napi::Array arr = info[i].As<Napi::Array>();
  uint32_t n = arr.Length();
  out->reserve(n);
  for (uint32_t k = 0; k < n; k++) {
    Napi::Value v = arr.Get(k);
    if (!v.IsString()) {
      std::string msg(what);
      msg += " must be an array of strings";
      ThrowType(env, msg.c_str());
      return false;
    }
    out->push_back(v.As<Napi::String>().Utf8Value());
    if (out->back().find('\0') != std::string::npos) {
      ThrowType(env, "arguments must not contain NUL characters");
      return false;
    }
  }
  return true;
}

static std::vector<char*> Argv(std::vector<std::string>& args) {
  std::vector<char*> v;
  v.reserve(args.size() + 1);
  for (auto& s : args) v.push_back(&s[0]);
  v.push_back(nullptr);
  return v;
}

// execv(path, argv0, args): execvp semantics (PATH search when path has no slash).
static Napi::Value Execv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path, argv0;
  std::vector<std::string> args;
  if (!ArgCString(info, 0, "path", &path) || !ArgCString(info, 1, "argv0", &argv0)) {
    return env.Undefined();
  }
  std::vector<std::string> rest;
  if (!ArgStringArray(info, 2, "args", &rest)) return env.Undefined();
  args.push_back(argv0);
  for (auto& s : rest) args.push_back(std::move(s));
  std::vector<char*> argv = Argv(args);
  // Node marks 0/1/2 close-on-exec; the new program must get them, as under tclsh.
  int saved[3];
  for (int i = 0; i < 3; i++) {
    saved[i] = fcntl(i, F_GETFD);
    if (saved[i] >= 0 && (saved[i] & FD_CLOEXEC)) fcntl(i, F_SETFD, saved[i] & ~FD_CLOEXEC);
  }
  execvp(path.c_str(), argv.data());
  int err = errno;
  for (int i = 0; i < 3; i++) {
    if (saved[i] >= 0) fcntl(i, F_SETFD, saved[i]);
  }
  ThrowErrnoPath(env, err, "execvp", path);
  return env.Undefined();
}

static double NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// sleepMs(ms) -> milliseconds left (0 when the whole sleep happened). Waiting on the
// signal self-pipe rather than in nanosleep closes the classic race where a trapped
// signal arrives just before the sleep starts; EINTR also ends the sleep early.
static Napi::Value SleepMs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double ms;
  if (!ArgDouble(info, 0, "ms", &ms)) return env.Undefined();
  if (!(ms > 0)) return Napi::Number::New(env, 0);
  ReleaseForkHold();
  double deadline = NowMs() + ms;
  int fd = SignalPipeReadFd();
  for (;;) {
    double left = deadline - NowMs();
    if (left <= 0) return Napi::Number::New(env, 0);
    timespec ts;
    ts.tv_sec = static_cast<time_t>(left / 1e3);
    ts.tv_nsec = static_cast<long>(std::fmod(left, 1e3) * 1e6);
    int r;
    if (fd >= 0) {
      pollfd p{fd, POLLIN, 0};
      r = ppoll(&p, 1, &ts, nullptr);
      if (r > 0) return Napi::Number::New(env, std::max(0.0, deadline - NowMs()));
    } else {
      r = nanosleep(&ts, nullptr);
    }
    if (r < 0) {
      if (errno == EINTR) return Napi::Number::New(env, std::max(0.0, deadline - NowMs()));
      ThrowErrno(env, errno, fd >= 0 ? "ppoll" : "nanosleep");
      return env.Undefined();
    }
  }
}

// Owns a temporary duplicate made so that dup2 onto 0/1/2 cannot clobber a source.
struct TempFds {
  std::vector<int> fds;
  ~TempFds() {
    for (int fd : fds) close(fd);
  }
};

// spawn(argv, stdin, stdout, stderr, inheritFds, cwd?) -> pid
static Napi::Value Spawn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<std::string> args;
  int32_t stdio[3];
  if (!ArgStringArray(info, 0, "argv", &args) || !ArgInt(info, 1, "stdin", &stdio[0]) ||
      !ArgInt(info, 2, "stdout", &stdio[1]) || !ArgInt(info, 3, "stderr", &stdio[2])) {
    return env.Undefined();
  }
  if (args.empty()) {
    ThrowType(env, "argv must not be empty");
    return env.Undefined();
  }
  std::vector<int32_t> inherit;
  if (!info[4].IsArray()) {
    ThrowType(env, "inheritFds must be an array of fds");
    return env.Undefined();
  }
  Napi::Array ia = info[4].As<Napi::Array>();
  for (uint32_t k = 0; k < ia.Length(); k++) {
    Napi::Value v = ia.Get(k);
    if (!v.IsNumber()) {
      ThrowType(env, "inheritFds must be an array of fds");
      return env.Undefined();
    }
    inherit.push_back(v.As<Napi::Number>().Int32Value());
  }
  std::string cwd;
  bool have_cwd = info.Length() > 5 && !info[5].IsUndefined();
  if (have_cwd && !ArgCString(info, 5, "cwd", &cwd)) return env.Undefined();

  TempFds temps;
  int src[3];
  for (int i = 0; i < 3; i++) {
    src[i] = stdio[i];
    if (src[i] >= 0 && src[i] < 3 && src[i] != i) {
      int t = fcntl(src[i], F_DUPFD_CLOEXEC, 3);
      if (t < 0) {
        ThrowErrno(env, errno, "dup");
        return env.Undefined();
      }
      temps.fds.push_back(t);
      src[i] = t;
    }
  }

  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&attr);
  int rc = 0;
  // dup2(fd, fd) in a file action clears FD_CLOEXEC in the child only (glibc >= 2.29).
  // Node marks its own 0/1/2 close-on-exec, so "inherit" needs that too.
  for (int i = 0; i < 3 && rc == 0; i++) {
    if (src[i] >= 0) {
      rc = posix_spawn_file_actions_adddup2(&fa, src[i], i);
    } else if (fcntl(i, F_GETFD) >= 0) {
      rc = posix_spawn_file_actions_adddup2(&fa, i, i);
    }
  }
  for (int32_t fd : inherit) {
    if (rc != 0) break;
    if (fd > 2) rc = posix_spawn_file_actions_adddup2(&fa, fd, fd);
  }
  if (rc == 0 && have_cwd) rc = posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
  // Like Tcl's exec, the child starts with default dispositions (Node and Tcl both
  // ignore SIGPIPE; a pipeline stage must die of it). The mask is inherited.
  sigset_t defaults;
  sigfillset(&defaults);
  sigdelset(&defaults, SIGKILL);
  sigdelset(&defaults, SIGSTOP);
  if (rc == 0) rc = posix_spawnattr_setsigdefault(&attr, &defaults);
  if (rc == 0) rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  if (rc == 0) {
    std::vector<char*> argv = Argv(args);
    rc = posix_spawnp(&pid, args[0].c_str(), &fa, &attr, argv.data(), environ);
  }
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    ThrowErrnoPath(env, rc, "posix_spawnp", args[0]);
    return env.Undefined();
  }
  return Napi::Number::New(env, pid);
}

void RegisterProcess(Napi::Env env, Napi::Object exports) {
  exports.Set("getpid", Napi::Function::New(env, GetPid, "getpid"));
  exports.Set("getppid", Napi::Function::New(env, GetPpid, "getppid"));
  exports.Set("getpgrp", Napi::Function::New(env, GetPgrp, "getpgrp"));
  exports.Set("setpgid", Napi::Function::New(env, SetPgid, "setpgid"));
  exports.Set("_exit", Napi::Function::New(env, Exit, "_exit"));
  exports.Set("waitpid", Napi::Function::New(env, WaitPid, "waitpid"));
  exports.Set("execv", Napi::Function::New(env, Execv, "execv"));
  exports.Set("sleepMs", Napi::Function::New(env, SleepMs, "sleepMs"));
  exports.Set("spawn", Napi::Function::New(env, Spawn, "spawn"));
  SetConstant(env, exports, "WNOHANG", WNOHANG);
  SetConstant(env, exports, "WUNTRACED", WUNTRACED);
}

}  // namespace tclshim
