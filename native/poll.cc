// poll(2) for the Tcl event loop. `poll` takes three caller-owned Int32Arrays (fds, events,
// revents) on every call. The notifier instead binds one array of (fd, events, revents) triples
// once, with `pollBind`, and then waits with `pollWait(n, timeout)`: resolving a typed array
// through N-API costs more than the rest of a wait outside the kernel, and the notifier waits
// at least once per connection.
#include <poll.h>

#include <cerrno>
#include <vector>

#include "common.h"

namespace tclshim {

// poll(2) over n entries whose fd, events and revents lie `stride` elements apart in caller
// memory (three arrays, or one array of triples). Returns false after throwing; *ready is 0 on
// timeout and on EINTR, so that a signal simply wakes the loop, which then checks the
// pending-signal view. Every revents of the n entries is written (0 unless ready).
static bool PollEntries(Napi::Env env, const int32_t* fds, const int32_t* events, int32_t* revents,
                        size_t stride, int32_t n, int32_t timeout, int* ready) {
  thread_local std::vector<pollfd> scratch;
  if (scratch.size() < static_cast<size_t>(n)) scratch.resize(static_cast<size_t>(n) * 2);
  pollfd* p = scratch.data();
  for (int32_t i = 0; i < n; i++) {
    p[i].fd = fds[i * stride];
    p[i].events = static_cast<short>(events[i * stride]);
    p[i].revents = 0;
  }
  // About to wait: V8's background work may run meanwhile.
  if (timeout != 0) ReleaseForkHold();
  int r = poll(p, static_cast<nfds_t>(n), timeout < 0 ? -1 : timeout);
  if (r < 0) {
    if (errno != EINTR) {
      ThrowErrno(env, errno, "poll");
      return false;
    }
    r = 0;
  }
  for (int32_t i = 0; i < n; i++) revents[i * stride] = r > 0 ? p[i].revents : 0;
  *ready = r;
  return true;
}

// Returns the number of ready descriptors (see PollEntries).
static Napi::Value Poll(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
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
  int r;
  if (!PollEntries(env, fds, events, revents, 1, n, timeout, &r)) return env.Undefined();
  return Napi::Number::New(env, r);
}

// The array bound by pollBind, per addon instance (each worker thread has its own).
struct PollBinding {
  napi_ref ref = nullptr;  // keeps the array, and so its backing store, alive
  int32_t unbound[3] = {};  // what `set` points at before the first pollBind (no entries)
  int32_t* set = unbound;
  size_t entries = 0;
};

static PollBinding* BindingOf(Napi::Env env) {
  PollBinding* b = env.GetInstanceData<PollBinding>();
  if (b == nullptr) {
    b = new PollBinding();
    env.SetInstanceData(b);
  }
  return b;
}

// pollBind(set: Int32Array): the array pollWait works on, three elements per descriptor. The
// backing store of a typed array never moves once N-API has seen its data pointer.
static Napi::Value PollBind(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t* set;
  size_t len;
  if (!ArgInt32Array(info, 0, "set", &set, &len)) return env.Undefined();
  PollBinding* b = BindingOf(env);
  napi_ref ref;
  if (napi_create_reference(env, info[0], 1, &ref) != napi_ok) {
    ThrowType(env, "set cannot be referenced");
    return env.Undefined();
  }
  if (b->ref != nullptr) napi_delete_reference(env, b->ref);
  b->ref = ref;
  b->set = set;
  b->entries = len / 3;
  return env.Undefined();
}

// pollWait(n, timeoutMs): poll(2) over the first n triples of the bound array, each
// (fd, events, revents); returns what poll returns, with `poll`'s EINTR rule.
static Napi::Value PollWait(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int32_t n, timeout;
  if (!ArgInt(info, 0, "n", &n) || !ArgInt(info, 1, "timeoutMs", &timeout)) return env.Undefined();
  PollBinding* b = BindingOf(env);
  if (n < 0 || static_cast<size_t>(n) > b->entries) {
    ThrowRange(env, "n exceeds the entries of the bound set");
    return env.Undefined();
  }
  int r;
  if (!PollEntries(env, b->set, b->set + 1, b->set + 2, 3, n, timeout, &r)) return env.Undefined();
  return Napi::Number::New(env, r);
}

void RegisterPoll(Napi::Env env, Napi::Object exports) {
  exports.Set("poll", Napi::Function::New(env, Poll, "poll"));
  exports.Set("pollBind", Napi::Function::New(env, PollBind, "pollBind"));
  exports.Set("pollWait", Napi::Function::New(env, PollWait, "pollWait"));
  SetConstant(env, exports, "POLLIN", POLLIN);
  SetConstant(env, exports, "POLLOUT", POLLOUT);
  SetConstant(env, exports, "POLLERR", POLLERR);
  SetConstant(env, exports, "POLLHUP", POLLHUP);
  SetConstant(env, exports, "POLLNVAL", POLLNVAL);
  SetConstant(env, exports, "POLLPRI", POLLPRI);
  SetConstant(env, exports, "POLLRDHUP", POLLRDHUP);
}

}  // namespace tclshim
