// The socketserver accept thread: one detached pthread per served port accepts TCP
// connections and hands each fd, with "<ip> <port>", to whichever process reads the
// receiving end of a SOCK_SEQPACKET socketpair first (the prefork worker queue).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "common.h"
#include "fdpass.h"

namespace tclshim {

struct SsEntry {
  int port;           // as requested (0 = kernel's choice)
  int recv_fd;        // given to JS, nonblocking
  int send_fd;        // the thread's end, blocking
  in_addr bind_addr;
  // Written under gSsMu: the fork path reads them to close, in the child, the
  // descriptors that only the parent's thread has any business holding.
  int listen_fd;
  int inflight_fd;
  int bound_port;
  bool thread_running;
  bool ready;  // the thread has finished socket/bind/listen, successfully or not
};

static pthread_mutex_t gSsMu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gSsCv = PTHREAD_COND_INITIALIZER;
// Entries live for the life of the process: their thread never exits on success.
static std::vector<SsEntry*> gEntries;

// One write(2) per line so that lines from several threads/processes never interleave.
static void LogMsg(const char* text) {
  char stamp[32];
  time_t t = time(nullptr);
  tm tmv;
  strftime(stamp, sizeof(stamp), "%F %T", gmtime_r(&t, &tmv));
  char line[160];
  int n = snprintf(line, sizeof(line), "[%s] %s\n", stamp, text);
  if (n > 0) {
    ssize_t w = write(2, line, static_cast<size_t>(n) < sizeof(line) ? n : sizeof(line) - 1);
    (void)w;
  }
}

static void MarkReady(SsEntry* e, int listen_fd, bool running) {
  pthread_mutex_lock(&gSsMu);
  e->listen_fd = listen_fd;
  e->thread_running = running;
  e->ready = true;
  pthread_cond_broadcast(&gSsCv);
  pthread_mutex_unlock(&gSsMu);
}

// As socketservertcl does: a server that cannot listen takes its whole process down
// with SIGTERM (a script may trap it), after saying why on stderr.
static void* Fatal(SsEntry* e, int fd, const char* text) {
  LogMsg(text);
  if (fd >= 0) close(fd);
  kill(getpid(), SIGTERM);
  MarkReady(e, -1, false);
  return nullptr;
}

static void BackoffSleep(long* delay_us) {
  timespec ts{0, *delay_us * 1000};
  nanosleep(&ts, nullptr);
  *delay_us = *delay_us * 2 > 100000 ? 100000 : *delay_us * 2;
}

// Workers busy, connections waiting: let arrivals gather in the listen backlog for a moment
// and accept them in one burst, instead of waking this thread for each. The pause is sized
// from how many sent connections wait unread (SIOCOUTQ counts their memory; `unit` is one
// message's share) so that the queue should not run dry meanwhile, and the step per waiting
// connection shrinks when it did and grows while it did not. With fewer than two waiting,
// a worker may be idle: no pause then, and an arrival is accepted at once.
struct BurstPacer {
  int unit = 0;         // SIOCOUTQ bytes of one queued message, learnt from a send
  long step_us = 50;    // pause per waiting connection beyond the first

  int Waiting(int send_fd) const {
    int bytes = 0;
    if (unit == 0 || ioctl(send_fd, SIOCOUTQ, &bytes) < 0) return 0;
    return bytes / unit;
  }

  // SendFdMessage that learns `unit` from the queue's growth over the first send: a
  // worker's read in between only makes that zero or less, and the next send tries again.
  void Send(int send_fd, int fd, const char* text) {
    int before = 0, after = 0;
    bool learn = unit == 0 && ioctl(send_fd, SIOCOUTQ, &before) == 0;
    SendFdMessage(send_fd, fd, text, strlen(text), 0);
    if (learn && ioctl(send_fd, SIOCOUTQ, &after) == 0 && after > before) unit = after - before;
  }

  void PauseIfBusy(int send_fd) {
    int waiting = Waiting(send_fd);
    if (waiting < 2) return;
    long us = step_us * (waiting - 1);
    if (us > kMaxPauseUs) us = kMaxPauseUs;
    timespec ts{0, us * 1000};
    nanosleep(&ts, nullptr);  // a signal only makes the pause shorter
    int left = Waiting(send_fd);
    if (left == 0) {
      step_us = step_us * 3 / 4 > kMinStepUs ? step_us * 3 / 4 : kMinStepUs;
    } else if (left >= 2) {
      step_us = step_us + step_us / 8 < kMaxStepUs ? step_us + step_us / 8 : kMaxStepUs;
    }
  }

  static constexpr long kMaxPauseUs = 500;
  static constexpr long kMinStepUs = 5;
  static constexpr long kMaxStepUs = 200;
};

static void FormatPeer(const sockaddr_storage& ss, char* out, size_t size) {
  char ip[INET6_ADDRSTRLEN + 1] = "";
  int port = -1;
  if (ss.ss_family == AF_INET) {
    auto* sin = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof(ip));
    port = ntohs(sin->sin_port);
  } else if (ss.ss_family == AF_INET6) {
    auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &sin6->sin6_addr, ip, sizeof(ip));
    port = ntohs(sin6->sin6_port);
  } else {
    snprintf(ip, sizeof(ip), "\"Unknown AF\"");
  }
  snprintf(out, size, "%s %d", ip, port);
}

static void* AcceptThread(void* arg) {
  SsEntry* e = static_cast<SsEntry*>(arg);
  // Nonblocking listener: accept4 runs under gSsMu (so a fork sees a consistent
  // in-flight fd), and must never block while holding it.
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return Fatal(e, -1, "Could not create socket");
  int on = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0) LogMsg("SO_REUSEADDR failed");
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_addr = e->bind_addr;
  sin.sin_port = htons(static_cast<uint16_t>(e->port));
  if (bind(fd, reinterpret_cast<sockaddr*>(&sin), sizeof(sin)) < 0) {
    return Fatal(e, fd, "bind failed");
  }
  if (listen(fd, SOMAXCONN) < 0) return Fatal(e, fd, "listen failed");
  sockaddr_in bound{};
  socklen_t bl = sizeof(bound);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bl) == 0) {
    e->bound_port = ntohs(bound.sin_port);
  }
  MarkReady(e, fd, true);

  long delay_us = 1000;
  char text[kFdMessageMax];
  // Under load the backlog rarely runs dry: accept until it does, and only then wait in
  // poll (one poll per burst instead of one per connection), after a pause while the
  // workers have connections waiting (BurstPacer).
  bool drained = true;
  BurstPacer pacer;
  for (;;) {
    if (drained) {
      pacer.PauseIfBusy(e->send_fd);
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, -1) < 0) {
        if (errno != EINTR) BackoffSleep(&delay_us);
        continue;
      }
    }
    sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    pthread_mutex_lock(&gSsMu);
    // Nonblocking from the start: every receiver makes its connections nonblocking anyway
    // (O_NONBLOCK belongs to the open file, which the fd passing shares), so this saves each
    // worker an fcntl per connection.
    int c = accept4(fd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_CLOEXEC | SOCK_NONBLOCK);
    int err = errno;
    if (c >= 0) e->inflight_fd = c;
    pthread_mutex_unlock(&gSsMu);
    if (c < 0) {
      drained = true;
      // Out of descriptors or memory: the connection stays queued in the backlog;
      // back off instead of spinning on a listener that stays readable.
      if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
        BackoffSleep(&delay_us);
      } else if (err != EAGAIN && err != EWOULDBLOCK && err != EINTR && err != ECONNABORTED &&
                 err != EPROTO && err != EPERM) {
        BackoffSleep(&delay_us);
      }
      continue;
    }
    drained = false;
    delay_us = 1000;
    FormatPeer(ss, text, sizeof(text));
    // Blocking: with no worker reading, the thread waits here and the kernel's listen
    // backlog queues the next connections. A failure (all receivers gone) drops this
    // connection, as the original does.
    pacer.Send(e->send_fd, c, text);
    pthread_mutex_lock(&gSsMu);
    close(c);
    e->inflight_fd = -1;
    pthread_mutex_unlock(&gSsMu);
  }
  return nullptr;
}

void SockServerBeforeFork() { pthread_mutex_lock(&gSsMu); }

void SockServerAfterForkParent() { pthread_mutex_unlock(&gSsMu); }

// The child has no accept threads. It keeps the socketpair ends (workers receive on
// them) but closes the listener and any connection the parent's thread was holding,
// so that the port and those connections belong to the parent alone.
void SockServerAfterForkChild() {
  pthread_mutex_init(&gSsMu, nullptr);
  pthread_cond_init(&gSsCv, nullptr);
  for (SsEntry* e : gEntries) {
    if (e->inflight_fd >= 0) close(e->inflight_fd);
    if (e->listen_fd >= 0) close(e->listen_fd);
    e->inflight_fd = -1;
    e->listen_fd = -1;
    e->thread_running = false;
    e->ready = true;
  }
}

static Napi::Value PairToJs(Napi::Env env, const SsEntry* e) {
  Napi::Array a = Napi::Array::New(env, 2);
  a.Set(0u, Napi::Number::New(env, e->recv_fd));
  a.Set(1u, Napi::Number::New(env, e->send_fd));
  return a;
}

// ssServe(port, bindHost) -> [recvFd, sendFd]. Returns once the thread is listening
// (or has failed and raised SIGTERM), so a client may connect as soon as it returns.
// A port already served here gives back its existing pair, like the original.
static Napi::Value SsServe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t port;
  std::string host;
  if (!ArgInt(info, 0, "port", &port) || !ArgCString(info, 1, "bindHost", &host)) {
    return env.Undefined();
  }
  if (port < 0 || port > 65535) {
    ThrowRange(env, "port must be in 0..65535");
    return env.Undefined();
  }
  in_addr addr;
  addr.s_addr = htonl(INADDR_ANY);
  if (!host.empty() && inet_pton(AF_INET, host.c_str(), &addr) != 1) {
    ThrowErrnoPath(env, EINVAL, "bind", host);
    return env.Undefined();
  }
  pthread_mutex_lock(&gSsMu);
  for (SsEntry* e : gEntries) {
    if (e->port == port && port != 0) {
      Napi::Value r = PairToJs(env, e);
      pthread_mutex_unlock(&gSsMu);
      return r;
    }
  }
  pthread_mutex_unlock(&gSsMu);

  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
    ThrowErrno(env, errno, "socketpair");
    return env.Undefined();
  }
  int fl = fcntl(sv[1], F_GETFL);
  if (fl < 0 || fcntl(sv[1], F_SETFL, fl | O_NONBLOCK) < 0) {
    int err = errno;
    close(sv[0]);
    close(sv[1]);
    ThrowErrno(env, err, "fcntl");
    return env.Undefined();
  }
  SsEntry* e = new SsEntry{port, sv[1], sv[0], addr, -1, -1, 0, false, false};

  // The thread inherits a full signal mask from birth, so there is no instant in
  // which a signal meant for the JS thread could be delivered to it.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t tid;
  pthread_mutex_lock(&gSsMu);
  int rc = pthread_create(&tid, &attr, AcceptThread, e);
  pthread_attr_destroy(&attr);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (rc != 0) {
    pthread_mutex_unlock(&gSsMu);
    close(sv[0]);
    close(sv[1]);
    delete e;
    ThrowErrno(env, rc, "pthread_create");
    return env.Undefined();
  }
  gEntries.push_back(e);
  timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 5;
  while (!e->ready) {
    if (pthread_cond_timedwait(&gSsCv, &gSsMu, &deadline) == ETIMEDOUT) break;
  }
  Napi::Value r = PairToJs(env, e);
  pthread_mutex_unlock(&gSsMu);
  return r;
}

// ssList() -> [{port, boundPort, recvFd, sendFd, threadRunning}] for introspection.
static Napi::Value SsList(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  pthread_mutex_lock(&gSsMu);
  Napi::Array a = Napi::Array::New(env, gEntries.size());
  for (size_t i = 0; i < gEntries.size(); i++) {
    const SsEntry* e = gEntries[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("port", Napi::Number::New(env, e->port));
    o.Set("boundPort", Napi::Number::New(env, e->bound_port));
    o.Set("recvFd", Napi::Number::New(env, e->recv_fd));
    o.Set("sendFd", Napi::Number::New(env, e->send_fd));
    o.Set("threadRunning", Napi::Boolean::New(env, e->thread_running));
    a.Set(static_cast<uint32_t>(i), o);
  }
  pthread_mutex_unlock(&gSsMu);
  return a;
}

void RegisterSockServer(Napi::Env env, Napi::Object exports) {
  exports.Set("ssServe", Napi::Function::New(env, SsServe, "ssServe"));
  exports.Set("ssList", Napi::Function::New(env, SsList, "ssList"));
}

}  // namespace tclshim
