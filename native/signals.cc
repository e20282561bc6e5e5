// Signals as TclX sees them: a C handler counts each caught signal in a static array
// that JS reads through an Int32Array (no native call at safe points), and writes one
// byte to a self-pipe so a blocking poll in the event loop wakes up.
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <string>

#include "common.h"

namespace tclshim {

// [0] = something pending, [s] = count for signal s. Written from the handler with
// atomics; JS reads it through an external ArrayBuffer.
static int32_t gSigState[NSIG];
static int gPipe[2] = {-1, -1};
static volatile pid_t gMainTid = 0;
static bool gViewCreated = false;

// Repetitions reported per signal by one takeSignals(): a flood of queued real-time
// signals must not turn into an unbounded array.
static const int32_t kMaxRepeat = 64;

static pid_t CurrentTid() { return static_cast<pid_t>(syscall(SYS_gettid)); }

// Node's other threads (V8 workers, libuv pool, inspector) do not block signals, so a
// process-directed signal may land on any of them. The trap handler bounces it to the
// JS thread: then EINTR interrupts the JS thread's blocking calls as in tclsh, and a
// signal the JS thread has blocked stays pending there, so signalBlock behaves
// process-wide for trapped signals.
static void OnSignal(int sig) {
  int saved = errno;
  pid_t main_tid = gMainTid;
  if (main_tid != 0 && CurrentTid() != main_tid &&
      syscall(SYS_tgkill, getpid(), main_tid, sig) == 0) {
    errno = saved;
    return;
  }
  __atomic_add_fetch(&gSigState[sig], 1, __ATOMIC_SEQ_CST);
  __atomic_store_n(&gSigState[0], 1, __ATOMIC_SEQ_CST);
  if (gPipe[1] >= 0) {
    char b = static_cast<char>(sig);
    ssize_t r = write(gPipe[1], &b, 1);  // a full pipe already means "wake up"
    (void)r;
  }
  errno = saved;
}

int SignalPipeReadFd() { return gPipe[0]; }

static void DrainPipe() {
  char buf[256];
  while (read(gPipe[0], buf, sizeof(buf)) > 0) {
  }
}

// The child must not share the parent's self-pipe (either could eat the other's
// wake-ups), and JS already knows the fd numbers, so the fresh pipe takes them over.
void SignalsAfterForkChild() {
  gMainTid = CurrentTid();
  for (int i = 0; i < NSIG; i++) __atomic_store_n(&gSigState[i], 0, __ATOMIC_SEQ_CST);
  int p[2];
  if (gPipe[0] >= 0 && pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0) {
    dup3(p[0], gPipe[0], O_CLOEXEC);
    dup3(p[1], gPipe[1], O_CLOEXEC);
    close(p[0]);
    close(p[1]);
  }
}

static bool ArgSigno(const Napi::CallbackInfo& info, size_t i, int32_t* signo, bool allow_zero) {
  if (!ArgInt(info, i, "signal", signo)) return false;
  if (*signo < (allow_zero ? 0 : 1) || *signo >= NSIG) {
    ThrowRange(info.Env(), "signal number out of range");
    return false;
  }
  return true;
}

static const char* ActionName(const struct sigaction& sa) {
  if (sa.sa_flags & SA_SIGINFO) return "handler";
  if (sa.sa_handler == SIG_DFL) return "default";
  if (sa.sa_handler == SIG_IGN) return "ignore";
  if (sa.sa_handler == OnSignal) return "trap";
  return "handler";
}

// signalAction(signo, "default"|"ignore"|"trap", restart = false) -> previous action
static Napi::Value SignalAction(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t signo;
  std::string action;
  bool restart;
  if (!ArgSigno(info, 0, &signo, false) || !ArgString(info, 1, "action", &action) ||
      !ArgOptBool(info, 2, "restart", false, &restart)) {
    return env.Undefined();
  }
  struct sigaction sa {};
  if (action == "default") sa.sa_handler = SIG_DFL;
  else if (action == "ignore") sa.sa_handler = SIG_IGN;
  else if (action == "trap") sa.sa_handler = OnSignal;
  else {
    ThrowType(env, "action must be \"default\", \"ignore\" or \"trap\"");
    return env.Undefined();
  }
  sigfillset(&sa.sa_mask);
  sa.sa_flags = restart ? SA_RESTART : 0;
  struct sigaction old {};
  if (sigaction(signo, &sa, &old) < 0) {
    ThrowErrno(env, errno, "sigaction");
    return env.Undefined();
  }
  return Napi::String::New(env, ActionName(old));
}

// signalInfo(signo) -> [action, blockedInThisThread, restart]
static Napi::Value SignalInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t signo;
  if (!ArgSigno(info, 0, &signo, false)) return env.Undefined();
  struct sigaction old {};
  if (sigaction(signo, nullptr, &old) < 0) {
    ThrowErrno(env, errno, "sigaction");
    return env.Undefined();
  }
  sigset_t cur;
  pthread_sigmask(SIG_BLOCK, nullptr, &cur);
  Napi::Array a = Napi::Array::New(env, 3);
  a.Set(0u, Napi::String::New(env, ActionName(old)));
  a.Set(1u, Napi::Boolean::New(env, sigismember(&cur, signo) == 1));
  a.Set(2u, Napi::Boolean::New(env, (old.sa_flags & SA_RESTART) != 0));
  return a;
}

static Napi::Value SignalBlock(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray()) {
    ThrowType(env, "signals must be an array of signal numbers");
    return env.Undefined();
  }
  bool block;
  if (!ArgBool(info, 1, "block", &block)) return env.Undefined();
  Napi::Array arr = info[0].As<Napi::Array>();
  sigset_t set;
  sigemptyset(&set);
  for (uint32_t i = 0; i < arr.Length(); i++) {
    Napi::Value v = arr.Get(i);
    double d;
    if (napi_get_value_double(env, v, &d) != napi_ok || d != std::trunc(d) || d < 1 || d >= NSIG) {
      ThrowRange(env, "signal number out of range");
      return env.Undefined();
    }
    sigaddset(&set, static_cast<int>(d));
  }
  int r = pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, nullptr);
  if (r != 0) ThrowErrno(env, r, "sigprocmask");
  return env.Undefined();
}

static Napi::Value SignalPendingView(Napi::Env env) {
  Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(env, gSigState, sizeof(gSigState));
  return Napi::Int32Array::New(env, NSIG, ab, 0);
}

// Drain first, then clear the flag, then take counts: a signal racing with us either
// lands in this batch or leaves the flag set and a byte in the pipe for the next one.
static Napi::Value TakeSignals(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (gPipe[0] >= 0) DrainPipe();
  __atomic_store_n(&gSigState[0], 0, __ATOMIC_SEQ_CST);
  int32_t taken[NSIG];
  uint32_t total = 0;
  for (int s = 1; s < NSIG; s++) {
    int32_t n = __atomic_exchange_n(&gSigState[s], 0, __ATOMIC_SEQ_CST);
    taken[s] = n > kMaxRepeat ? kMaxRepeat : n;
    total += static_cast<uint32_t>(taken[s]);
  }
  Napi::Array out = Napi::Array::New(env, total);
  uint32_t k = 0;
  for (int s = 1; s < NSIG; s++) {
    for (int32_t j = 0; j < taken[s]; j++) out.Set(k++, Napi::Number::New(env, s));
  }
  return out;
}

static Napi::Value SignalPipeFdJs(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), gPipe[0]);
}

static void AddName(Napi::Env env, Napi::Object o, const char* name, int num) {
  o.Set(name, Napi::Number::New(env, num));
}

// Every Linux signal name without the SIG prefix: TclX's table (which includes the
// aliases CLD, IOT, POLL) plus STKFLT and the real-time range in `kill -l` form.
static Napi::Value SignalNames(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  static const struct {
    const char* name;
    int num;
  } table[] = {
      {"HUP", SIGHUP},     {"INT", SIGINT},       {"QUIT", SIGQUIT},     {"ILL", SIGILL},
      {"TRAP", SIGTRAP},   {"ABRT", SIGABRT},     {"IOT", SIGIOT},       {"BUS", SIGBUS},
      {"FPE", SIGFPE},     {"KILL", SIGKILL},     {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},
      {"USR2", SIGUSR2},   {"PIPE", SIGPIPE},     {"ALRM", SIGALRM},     {"TERM", SIGTERM},
      {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},   {"CLD", SIGCHLD},      {"CONT", SIGCONT},
      {"STOP", SIGSTOP},   {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN},     {"TTOU", SIGTTOU},
      {"URG", SIGURG},     {"XCPU", SIGXCPU},     {"XFSZ", SIGXFSZ},     {"VTALRM", SIGVTALRM},
      {"PROF", SIGPROF},   {"WINCH", SIGWINCH},   {"IO", SIGIO},         {"POLL", SIGPOLL},
      {"PWR", SIGPWR},     {"SYS", SIGSYS},
  };
  for (const auto& e : table) AddName(env, o, e.name, e.num);
  int lo = SIGRTMIN, hi = SIGRTMAX, half = (hi - lo) / 2;
  for (int s = lo; s <= hi; s++) {
    std::string n;
    if (s == lo) n = "RTMIN";
    else if (s == hi) n = "RTMAX";
    else if (s - lo <= half) n = "RTMIN+" + std::to_string(s - lo);
    else n = "RTMAX-" + std::to_string(hi - s);
    AddName(env, o, n.c_str(), s);
  }
  return o;
}

static Napi::Value Kill(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t pid, sig;
  if (!ArgInt(info, 0, "pid", &pid) || !ArgSigno(info, 1, &sig, true)) return env.Undefined();
  if (kill(pid, sig) < 0) ThrowErrno(env, errno, "kill");
  return env.Undefined();
}

static Napi::Value Killpg(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t pgrp, sig;
  if (!ArgInt(info, 0, "pgrp", &pgrp) || !ArgSigno(info, 1, &sig, true)) return env.Undefined();
  if (killpg(pgrp, sig) < 0) ThrowErrno(env, errno, "killpg");
  return env.Undefined();
}

static Napi::Value Raise(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t sig;
  if (!ArgSigno(info, 0, &sig, true)) return env.Undefined();
  int r = raise(sig);
  if (r != 0) ThrowErrno(env, errno, "raise");
  return env.Undefined();
}

// alarm(seconds) with sub-second precision; returns what was left of the previous one.
static Napi::Value Alarm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double secs;
  if (!ArgDouble(info, 0, "seconds", &secs)) return env.Undefined();
  if (secs < 0 || !std::isfinite(secs) || secs > 1e8) {
    ThrowRange(env, "seconds must be between 0 and 1e8");
    return env.Undefined();
  }
  itimerval nv{}, ov{};
  nv.it_value.tv_sec = static_cast<time_t>(secs);
  nv.it_value.tv_usec = static_cast<suseconds_t>(std::llround((secs - std::floor(secs)) * 1e6));
  if (nv.it_value.tv_usec >= 1000000) {
    nv.it_value.tv_sec += 1;
    nv.it_value.tv_usec -= 1000000;
  }
  if (setitimer(ITIMER_REAL, &nv, &ov) < 0) {
    ThrowErrno(env, errno, "setitimer");
    return env.Undefined();
  }
  return Napi::Number::New(env, static_cast<double>(ov.it_value.tv_sec) +
                                    static_cast<double>(ov.it_value.tv_usec) / 1e6);
}

void RegisterSignals(Napi::Env env, Napi::Object exports) {
  if (gPipe[0] < 0) {
    if (pipe2(gPipe, O_CLOEXEC | O_NONBLOCK) < 0) {
      gPipe[0] = gPipe[1] = -1;
      ThrowErrno(env, errno, "pipe");
      return;
    }
    gMainTid = CurrentTid();
    // Node catches SIGUSR1 to open the inspector on 127.0.0.1:9229; tclsh leaves it
    // at its default (terminate) until a script traps it, and so do we.
    struct sigaction sa {};
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, nullptr);
  }
  exports.Set("signalAction", Napi::Function::New(env, SignalAction, "signalAction"));
  exports.Set("signalInfo", Napi::Function::New(env, SignalInfo, "signalInfo"));
  exports.Set("signalBlock", Napi::Function::New(env, SignalBlock, "signalBlock"));
  exports.Set("takeSignals", Napi::Function::New(env, TakeSignals, "takeSignals"));
  exports.Set("signalPipeFd", Napi::Function::New(env, SignalPipeFdJs, "signalPipeFd"));
  exports.Set("signalNames", Napi::Function::New(env, SignalNames, "signalNames"));
  exports.Set("kill", Napi::Function::New(env, Kill, "kill"));
  exports.Set("killpg", Napi::Function::New(env, Killpg, "killpg"));
  exports.Set("raise", Napi::Function::New(env, Raise, "raise"));
  exports.Set("alarm", Napi::Function::New(env, Alarm, "alarm"));
  // V8 refuses a second ArrayBuffer over the same external memory, so only the first
  // environment (the main thread) gets the view.
  if (!gViewCreated) {
    gViewCreated = true;
    exports.Set("signalPendingView", SignalPendingView(env));
  }
  SetConstant(env, exports, "NSIG", NSIG);
}

}  // namespace tclshim
