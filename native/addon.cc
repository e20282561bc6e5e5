// Entry point of the native addon: each area registers its functions here.
#include <napi.h>

#include "common.h"

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  tclshim::RegisterErrors(env, exports);
  tclshim::RegisterFd(env, exports);
  tclshim::RegisterNet(env, exports);
  tclshim::RegisterPoll(env, exports);
  tclshim::RegisterSignals(env, exports);
  tclshim::RegisterProcess(env, exports);
  tclshim::RegisterFork(env, exports);
  tclshim::RegisterFdPass(env, exports);
  tclshim::RegisterSockServer(env, exports);
  return exports;
}

NODE_API_MODULE(tclshim_native, Init)
