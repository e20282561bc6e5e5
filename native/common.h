// Shared helpers for every area of the addon: argument checking and errno errors.
// Everything here is synchronous and runs on the JS thread unless stated otherwise.
#ifndef TCLSHIM_NATIVE_COMMON_H
#define TCLSHIM_NATIVE_COMMON_H

#include <napi.h>

#include <cstdint>
#include <string>

namespace tclshim {

// Throws a JS Error carrying errno/code/syscall (the contract every caller relies on).
void ThrowErrno(Napi::Env env, int err, const char* syscall);
// Same, with an extra `path` property (spawn/exec/open name the file that failed).
void ThrowErrnoPath(Napi::Env env, int err, const char* syscall, const std::string& path);
void ThrowType(Napi::Env env, const char* message);
void ThrowRange(Napi::Env env, const char* message);
Napi::Error MakeErrnoError(Napi::Env env, int err, const char* syscall);
const char* ErrnoName(int err);

// Argument readers: on a wrong type they throw a TypeError and return false, so a
// binding can `if (!ArgInt(...)) return env.Undefined();` without C++ exceptions.
bool ArgInt(const Napi::CallbackInfo& info, size_t i, const char* what, int32_t* out);
bool ArgDouble(const Napi::CallbackInfo& info, size_t i, const char* what, double* out);
bool ArgString(const Napi::CallbackInfo& info, size_t i, const char* what, std::string* out);
bool ArgBool(const Napi::CallbackInfo& info, size_t i, const char* what, bool* out);
// Optional boolean: missing/undefined gives `dflt`.
bool ArgOptBool(const Napi::CallbackInfo& info, size_t i, const char* what, bool dflt, bool* out);
// A Buffer/Uint8Array argument with an (off, len) window checked against its size.
bool ArgBufferWindow(const Napi::CallbackInfo& info, size_t i, uint8_t** data, size_t off_index,
                     size_t* out_len);
// An Int32Array argument: its elements and their count.
bool ArgInt32Array(const Napi::CallbackInfo& info, size_t i, const char* what, int32_t** data,
                   size_t* length);
// Rejects strings with embedded NULs where C needs a C string (paths, argv).
bool ArgCString(const Napi::CallbackInfo& info, size_t i, const char* what, std::string* out);

void SetConstant(Napi::Env env, Napi::Object exports, const char* name, int32_t value);

// Area registration, called from addon.cc.
void RegisterErrors(Napi::Env env, Napi::Object exports);
void RegisterFd(Napi::Env env, Napi::Object exports);
void RegisterNet(Napi::Env env, Napi::Object exports);
void RegisterPoll(Napi::Env env, Napi::Object exports);
void RegisterSignals(Napi::Env env, Napi::Object exports);
void RegisterProcess(Napi::Env env, Napi::Object exports);
void RegisterFork(Napi::Env env, Napi::Object exports);
void RegisterFdPass(Napi::Env env, Napi::Object exports);
void RegisterSockServer(Napi::Env env, Napi::Object exports);

// Cross-area hooks used by fork.cc and process.cc.
int SignalPipeReadFd();
void SignalsAfterForkChild();
void SockServerBeforeFork();
void SockServerAfterForkParent();
void SockServerAfterForkChild();
// Lets go of platform workers a recent fork left parked (fork.cc); called before blocking.
void ReleaseForkHold();

}  // namespace tclshim

#endif
