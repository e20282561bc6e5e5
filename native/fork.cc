// fork() for a Node process. A plain fork gives a child that crashes or deadlocks;
// the measures below (see the product brief, "Node and fork: measured facts") are:
//  1. madvise(MADV_DOFORK) every mapping: V8 marks its heap MADV_DONTFORK;
//  2. park every platform worker thread on our own condvar across the fork, so no
//     glibc condvar the child will use is copied with waiters that do not exist;
//  3. uv_loop_fork() in the child before anything touches libuv.
// node_version.h redefines NAPI_VERSION unconditionally; keep the build's value.
#pragma push_macro("NAPI_VERSION")
#undef NAPI_VERSION
#include <node.h>
#undef NAPI_VERSION
#pragma pop_macro("NAPI_VERSION")
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>
#include <v8-platform.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common.h"

namespace tclshim {

static double NowUs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// Parking a worker costs a task post, a wake-up and a reply: ~100 us on a two-core machine, as
// much as a sixth of a fork. A program that forks in a loop would pay it every round, so parked
// workers stay parked for kHoldUs after each fork and the next fork finds them ready. The hold
// ends by itself (a worker leaves once its time is up), and at once when the process is about to
// wait in poll or leave (ReleaseForkHold), so an idle or exiting process never
// keeps V8's background work waiting. While held, V8 runs that work on the main thread, which
// joins every job it starts.
static constexpr double kHoldUs = 20000;

static pthread_mutex_t gParkMu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gParkCv = PTHREAD_COND_INITIALIZER;
// Bumped on every release: a parking task that starts late (after its fork finished
// or timed out) sees a stale generation and returns at once instead of blocking.
static uint64_t gParkGen = 0;
static int gParked = 0;
// Until when (NowUs) parked workers stay; extended by every fork. Guarded by gParkMu.
static double gHoldUntilUs = 0;
// Whether a worker is parked or asked to park: lets poll skip the mutex in the common case.
static std::atomic<bool> gMaybeHeld{false};

static void ToRealtimeDeadline(double fromNowUs, timespec* deadline) {
  clock_gettime(CLOCK_REALTIME, deadline);
  long long ns = static_cast<long long>(fromNowUs * 1000.0);
  deadline->tv_sec += static_cast<time_t>(ns / 1000000000LL);
  deadline->tv_nsec += static_cast<long>(ns % 1000000000LL);
  if (deadline->tv_nsec >= 1000000000L) {
    deadline->tv_sec++;
    deadline->tv_nsec -= 1000000000L;
  }
}

class ParkTask final : public v8::Task {
 public:
  explicit ParkTask(uint64_t gen) : gen_(gen) {}
  void Run() override {
    pthread_mutex_lock(&gParkMu);
    if (gen_ == gParkGen) {
      gParked++;
      pthread_cond_broadcast(&gParkCv);
      while (gen_ == gParkGen) {
        double left = gHoldUntilUs - NowUs();
        if (left <= 0) {
          // The hold ran out: leave on our own (a fork holds gParkMu, so never during one).
          if (--gParked == 0) gMaybeHeld.store(false, std::memory_order_relaxed);
          break;
        }
        timespec deadline;
        ToRealtimeDeadline(left, &deadline);
        pthread_cond_timedwait(&gParkCv, &gParkMu, &deadline);
      }
    }
    pthread_mutex_unlock(&gParkMu);
  }

 private:
  uint64_t gen_;
};

// Caller holds gParkMu.
static void ReleaseWorkersLocked() {
  gParkGen++;
  gParked = 0;
  gMaybeHeld.store(false, std::memory_order_relaxed);
  pthread_cond_broadcast(&gParkCv);
}

void ReleaseForkHold() {
  if (!gMaybeHeld.load(std::memory_order_relaxed)) return;
  pthread_mutex_lock(&gParkMu);
  ReleaseWorkersLocked();
  pthread_mutex_unlock(&gParkMu);
}

// Returns with gParkMu held and every worker parked (`*held`: by an earlier fork, still), or
// false (mutex released, workers let go) when they did not all park within the bound: the
// caller must then not fork.
static bool ParkWorkersLocked(v8::Platform* platform, int workers, int timeout_ms, bool* held) {
  pthread_mutex_lock(&gParkMu);
  // Workers parked by an earlier fork must not leave while this one waits for the rest.
  gHoldUntilUs = NowUs() + kHoldUs + timeout_ms * 1000.0;
  *held = workers > 0 && gParked >= workers;
  if (gParked >= workers) return true;
  uint64_t gen = gParkGen;
  gMaybeHeld.store(true, std::memory_order_relaxed);
  for (int i = gParked; i < workers; i++) platform->CallOnWorkerThread(std::make_unique<ParkTask>(gen));
  timespec deadline;
  ToRealtimeDeadline(timeout_ms * 1000.0, &deadline);
  while (gParked < workers) {
    if (pthread_cond_timedwait(&gParkCv, &gParkMu, &deadline) == ETIMEDOUT && gParked < workers) {
      ReleaseWorkersLocked();
      pthread_mutex_unlock(&gParkMu);
      return false;
    }
  }
  return true;
}

static char* gMapsBuf = nullptr;
static size_t gMapsCap = 0;

// Parses the rest of a /proc/self/maps line after its address range ("perms offset dev inode
// name"): returns the inode (-1 when malformed) and sets `*name` to the name, which may be empty.
static long MapsInodeAndName(const char* p, const char** name) {
  for (int field = 0; field < 3; field++) {
    while (*p == ' ') p++;
    while (*p != ' ' && *p != '\n' && *p != '\0') p++;
  }
  char* end;
  long inode = strtol(p, &end, 10);
  const char* q = end;
  while (*q == ' ') q++;
  *name = q;
  return end == p ? -1 : inode;
}

// Reads /proc/self/maps into gMapsBuf (NUL-terminated); false when it cannot.
static bool ReadMaps() {
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  size_t len = 0;
  for (;;) {
    if (gMapsCap - len < 4096) {
      size_t ncap = gMapsCap == 0 ? 65536 : gMapsCap * 2;
      char* nb = static_cast<char*>(realloc(gMapsBuf, ncap));
      if (nb == nullptr) break;
      gMapsBuf = nb;
      gMapsCap = ncap;
    }
    ssize_t n = read(fd, gMapsBuf + len, gMapsCap - len - 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += static_cast<size_t>(n);
  }
  close(fd);
  if (gMapsBuf == nullptr) return false;
  gMapsBuf[len] = '\0';
  return true;
}

// Calls `visit(start, stop, inode, name)` for each line of gMapsBuf.
template <typename Visit>
static void ForEachMapping(Visit visit) {
  char* p = gMapsBuf;
  while (p != nullptr && *p != '\0') {
    char* end;
    unsigned long start = strtoul(p, &end, 16);
    char* nl = strchr(end, '\n');
    if (*end == '-') {
      unsigned long stop = strtoul(end + 1, &end, 16);
      const char* name;
      long inode = MapsInodeAndName(end, &name);
      if (stop > start) visit(start, stop, inode, name);
    }
    p = nl == nullptr ? nullptr : nl + 1;
  }
}

// Best effort by design: special mappings ([vsyscall], VM_IO) refuse with EINVAL and a
// mapping may vanish between reading the list and the call (ENOMEM). Only anonymous
// mappings (inode 0) are touched: V8 marks its own anonymous heap pages MADV_DONTFORK and
// nothing in the process maps a file that way, so the file mappings (about half of them)
// would only cost a system call each.
static void DoForkEachMapping() {
  ForEachMapping([](unsigned long start, unsigned long stop, long inode, const char*) {
    if (inode == 0) madvise(reinterpret_cast<void*>(start), stop - start, MADV_DOFORK);
  });
}

// The faster way, after the first fork: madvise applies to every mapping inside its range
// and only reports the unmapped holes (ENOMEM) at the end, so a few calls spanning the whole
// address space do what one call per mapping does, without reading /proc/self/maps. The
// spans leave out the kernel's special mappings ([vvar], [vdso], ...), which refuse it.
struct Span {
  uintptr_t start;
  uintptr_t end;
};
static std::vector<Span> gSpans;
static bool gSpansUnusable = false;

static void ComputeSpans() {
  gSpans.clear();
  uintptr_t from = 0;
  uintptr_t top = 0;
  ForEachMapping([&](unsigned long start, unsigned long stop, long, const char* name) {
    // [vsyscall] lies above the user address space and is not a mapping of the process.
    if (start >= (1UL << 63)) return;
    bool special = name[0] == '[' && strncmp(name, "[heap]", 6) != 0 &&
                   strncmp(name, "[stack", 6) != 0 && strncmp(name, "[anon", 5) != 0;
    if (special) {
      if (start > from) gSpans.push_back({from, start});
      from = stop;
    }
    if (stop > top) top = stop;
  });
  if (top > from) gSpans.push_back({from, top});
}

// Returns false when the spans are not known yet or a call failed for another reason than a
// hole (a special mapping without a bracketed name): the caller then goes mapping by mapping.
static bool DoForkSpans() {
  if (gSpans.empty() || gSpansUnusable) return false;
  for (const Span& s : gSpans) {
    if (madvise(reinterpret_cast<void*>(s.start), s.end - s.start, MADV_DOFORK) != 0 &&
        errno != ENOMEM) {
      gSpansUnusable = true;
      return false;
    }
  }
  return true;
}

static void DoForkAllMappings() {
  if (DoForkSpans()) return;
  if (!ReadMaps()) return;
  DoForkEachMapping();
  if (!gSpansUnusable) ComputeSpans();
}

// fork(2) copies, and the child's exit tears down, every page table entry of the process, so
// both grow with the resident heap. V8's young generation starts at 1 MB but grows to 8 MB while
// a program loads, and nothing shrinks it again in a process that stays busy. Before a fork, a
// memory-pressure GC gives it back: ~10 ms paid once by a prefork server, for forks that each
// copy ~4 MB less. It runs again only when the young generation has grown back, and at most
// once a second, so a program that keeps allocating long-lived data between forks pays it
// rarely. (LowMemoryNotification would shrink a little more, but its back-to-back GCs age every
// function's bytecode until V8 flushes it, and each child would then compile again.)
static constexpr size_t kNewSpaceShrinkAbove = 2u << 20;
static constexpr double kShrinkIntervalUs = 1e6;
static double gLastShrinkUs = -kShrinkIntervalUs;

static size_t NewSpaceSize(v8::Isolate* isolate) {
  v8::HeapSpaceStatistics s;
  for (size_t i = 0, n = isolate->NumberOfHeapSpaces(); i < n; i++) {
    if (isolate->GetHeapSpaceStatistics(&s, i) && strcmp(s.space_name(), "new_space") == 0) {
      return s.space_size();
    }
  }
  return 0;
}

static void ShrinkHeapBeforeFork(v8::Isolate* isolate) {
  if (NowUs() - gLastShrinkUs < kShrinkIntervalUs) return;
  if (NewSpaceSize(isolate) <= kNewSpaceShrinkAbove) return;
  isolate->MemoryPressureNotification(v8::MemoryPressureLevel::kCritical);
  gLastShrinkUs = NowUs();
}

// Parent-side timings of the last fork, in microseconds: total, parking the workers,
// the madvise pass, and the fork(2) call itself; then 1 when the workers were still parked
// from an earlier fork, else 0.
static constexpr uint32_t kForkTimings = 5;
static double gLastForkUs[kForkTimings] = {};

// fork() -> 0 in the child, the child's pid in the parent.
static Napi::Value Fork(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double t0 = NowUs();
  // Only the process's initial thread (tid == pid) may fork: the child keeps just the
  // calling thread, and everything here assumes it is the one that runs the loop.
  if (static_cast<pid_t>(syscall(SYS_gettid)) != getpid()) {
    ThrowErrno(env, ENOTSUP, "fork");
    return env.Undefined();
  }
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  node::Environment* nenv =
      isolate != nullptr ? node::GetCurrentEnvironment(isolate->GetCurrentContext()) : nullptr;
  node::MultiIsolatePlatform* platform =
      nenv != nullptr ? node::GetMultiIsolatePlatform(nenv) : nullptr;
  if (platform == nullptr) {
    ThrowErrno(env, ENOTSUP, "fork");
    return env.Undefined();
  }
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
    ThrowErrno(env, ENOTSUP, "fork");
    return env.Undefined();
  }
  ShrinkHeapBeforeFork(isolate);
  // Node's count includes its delayed-task scheduler thread, which never runs tasks.
  int workers = platform->NumberOfWorkerThreads() - 1;
  if (workers < 0) workers = 0;
  bool held;
  if (!ParkWorkersLocked(platform, workers, 1000, &held)) {
    Napi::Error e = MakeErrnoError(env, ETIMEDOUT, "fork");
    e.Value().Set("message", Napi::String::New(
                                 env, "fork: platform worker threads did not park within 1 s"));
    e.ThrowAsJavaScriptException();
    return env.Undefined();
  }
  double t1 = NowUs();
  DoForkAllMappings();
  double t2 = NowUs();
  SockServerBeforeFork();
  pid_t pid = fork();
  double t3 = NowUs();
  if (pid == 0) {
    // The parked workers and every other thread are gone; their locks are ours now.
    pthread_mutex_init(&gParkMu, nullptr);
    pthread_cond_init(&gParkCv, nullptr);
    gParkGen++;
    gParked = 0;
    gMaybeHeld.store(false, std::memory_order_relaxed);
    SockServerAfterForkChild();
    SignalsAfterForkChild();
    int rc = uv_loop_fork(loop);
    if (rc != 0) {
      static const char msg[] = "tclshim: uv_loop_fork failed in forked child\n";
      ssize_t w = write(2, msg, sizeof(msg) - 1);
      (void)w;
      _exit(70);
    }
    return Napi::Number::New(env, 0);
  }
  int err = errno;
  SockServerAfterForkParent();
  gHoldUntilUs = NowUs() + kHoldUs;
  pthread_mutex_unlock(&gParkMu);
  gLastForkUs[0] = NowUs() - t0;
  gLastForkUs[1] = t1 - t0;
  gLastForkUs[2] = t2 - t1;
  gLastForkUs[3] = t3 - t2;
  gLastForkUs[4] = held ? 1 : 0;
  if (pid < 0) {
    ThrowErrno(env, err, "fork");
    return env.Undefined();
  }
  return Napi::Number::New(env, pid);
}

// lastForkMicros() -> parent-side microseconds of the last fork() call;
// lastForkMicros(true) -> [total, park, madvise, fork(2), workers were still parked (1/0)].
static Napi::Value LastForkMicros(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() > 0 && info[0].ToBoolean().Value()) {
    Napi::Array a = Napi::Array::New(env, kForkTimings);
    for (uint32_t i = 0; i < kForkTimings; i++) a.Set(i, Napi::Number::New(env, gLastForkUs[i]));
    return a;
  }
  return Napi::Number::New(env, gLastForkUs[0]);
}

void RegisterFork(Napi::Env env, Napi::Object exports) {
  exports.Set("fork", Napi::Function::New(env, Fork, "fork"));
  exports.Set("releaseForkHold", Napi::Function::New(
                                      env,
                                      [](const Napi::CallbackInfo& info) -> Napi::Value {
                                        ReleaseForkHold();
                                        return info.Env().Undefined();
                                      },
                                      "releaseForkHold"));
  exports.Set("lastForkMicros", Napi::Function::New(env, LastForkMicros, "lastForkMicros"));
}

}  // namespace tclshim
