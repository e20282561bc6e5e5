// poll(2) for the Tcl event loop. The caller owns three Int32Arrays (fds, events,
// revents) that it reuses across iterations; we keep one pollfd scratch array.
#include <poll.h>

#include <cerrno>
#include <vector>

#include "common.h"

namespace tclshim {

// Returns the number of ready descriptors; 0 on timeout and on EINTR, so that a
// signal simply wakes the loop, which then checks the pending-signal view.
static Napi::Value Poll(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  thread_local std::vector<pollfd> scratch;
  int32_t *fds, *events, *revents;
  size_t lf, le, lr;
  int32_t n, timeout;
  if (!ArgInt32Array(info, 0, "fds", &fds, &lf) || !ArgInt32Array(info, 1, "events", &events, &le) ||
      !ArgInt32Array(info, 2, "revents", &revents, &lr) || !ArgInt(info, 3, "n", &n) ||
      !ArgInt(info, 4, "timeoutMs", &timeout)) {
    return env.Undefined();
  }
  if (n < 0 || static_cast<size_t>(n) > lf || static_cast<size_t>(n) > le ||
      static_cast<size_t>(n) > lr) {
    ThrowRange(env, "n exceeds the length of fds/events/revents");
    return env.Undefined();
  }
  if (scratch.size() < static_cast<size_t>(n)) scratch.resize(static_cast<size_t>(n) * 2);
  pollfd* p = scratch.data();
  for (int32_t i = 0; i < n; i++) {
    p[i].fd = fds[i];
    p[i].events = static_cast<short>(events[i]);
    p[i].revents = 0;
  }
  // About to wait: V8's background work may run meanwhile.
  if (timeout != 0) ReleaseForkHold();
  int r = poll(p, static_cast<nfds_t>(n), timeout < 0 ? -1 : timeout);
  if (r < 0) {
    if (errno == EINTR) {
      for (int32_t i = 0; i < n; i++) revents[i] = 0;
      return Napi::Number::New(env, 0);
    }
    ThrowErrno(env, errno, "poll");
    return env.Undefined();
  }
  for (int32_t i = 0; i < n; i++) revents[i] = p[i].revents;
  return Napi::Number::New(env, r);
}

void RegisterPoll(Napi::Env env, Napi::Object exports) {
  exports.Set("poll", Napi::Function::New(env, Poll, "poll"));
  SetConstant(env, exports, "POLLIN", POLLIN);
  SetConstant(env, exports, "POLLOUT", POLLOUT);
  SetConstant(env, exports, "POLLERR", POLLERR);
  SetConstant(env, exports, "POLLHUP", POLLHUP);
  SetConstant(env, exports, "POLLNVAL", POLLNVAL);
  SetConstant(env, exports, "POLLPRI", POLLPRI);
  SetConstant(env, exports, "POLLRDHUP", POLLRDHUP);
}

}  // namespace tclshim
