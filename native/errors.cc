// errno -> JS Error conversion and argument checking shared by every area.
#include <cerrno>
#include <cmath>
#include <cstring>

#include "common.h"

namespace tclshim {

const char* ErrnoName(int err) {
  const char* name = strerrorname_np(err);
  return name != nullptr ? name : "EUNKNOWN";
}

Napi::Error MakeErrnoError(Napi::Env env, int err, const char* syscall) {
  std::string msg(syscall);
  msg += ": ";
  msg += strerror(err);
  Napi::Error e = Napi::Error::New(env, msg);
  Napi::Object o = e.Value();
  o.Set("errno", Napi::Number::New(env, err));
  o.Set("code", Napi::String::New(env, ErrnoName(err)));
  o.Set("syscall", Napi::String::New(env, syscall));
  return e;
}

void ThrowErrno(Napi::Env env, int err, const char* syscall) {
  MakeErrnoError(env, err, syscall).ThrowAsJavaScriptException();
}

void ThrowErrnoPath(Napi::Env env, int err, const char* syscall, const std::string& path) {
  Napi::Error e = MakeErrnoError(env, err, syscall);
  e.Value().Set("path", Napi::String::New(env, path));
  e.ThrowAsJavaScriptException();
}

void ThrowType(Napi::Env env, const char* message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
}

void ThrowRange(Napi::Env env, const char* message) {
  Napi::RangeError::New(env, message).ThrowAsJavaScriptException();
}

static void ThrowArg(Napi::Env env, const char* what, const char* expected) {
  std::string msg(what);
  msg += " must be ";
  msg += expected;
  ThrowType(env, msg.c_str());
}

bool ArgInt(const Napi::CallbackInfo& info, size_t i, const char* what, int32_t* out) {
  // napi_get_value_int32 silently truncates doubles; fds and counts must be exact.
  double d;
  if (napi_get_value_double(info.Env(), info[i], &d) != napi_ok || !std::isfinite(d) ||
      d != std::trunc(d) || d < -2147483648.0 || d > 2147483647.0) {
    ThrowArg(info.Env(), what, "a 32-bit integer");
    return false;
  }
  *out = static_cast<int32_t>(d);
  return true;
}

bool ArgDouble(const Napi::CallbackInfo& info, size_t i, const char* what, double* out) {
  if (napi_get_value_double(info.Env(), info[i], out) != napi_ok || std::isnan(*out)) {
    ThrowArg(info.Env(), what, "a number");
    return false;
  }
  return true;
}

bool ArgString(const Napi::CallbackInfo& info, size_t i, const char* what, std::string* out) {
  if (!info[i].IsString()) {
    ThrowArg(info.Env(), what, "a string");
    return false;
  }
  *out = info[i].As<Napi::String>().Utf8Value();
  return true;
}

bool ArgCString(const Napi::CallbackInfo& info, size_t i, const char* what, std::string* out) {
  if (!ArgString(info, i, what, out)) return false;
  if (out->find('\0') != std::string::npos) {
    ThrowArg(info.Env(), what, "a string without NUL characters");
    return false;
  }
  return true;
}

bool ArgBool(const Napi::CallbackInfo& info, size_t i, const char* what, bool* out) {
  if (!info[i].IsBoolean()) {
    ThrowArg(info.Env(), what, "a boolean");
    return false;
  }
  *out = info[i].As<Napi::Boolean>().Value();
  return true;
}

bool ArgOptBool(const Napi::CallbackInfo& info, size_t i, const char* what, bool dflt, bool* out) {
  if (info.Length() <= i || info[i].IsUndefined()) {
    *out = dflt;
    return true;
  }
  return ArgBool(info, i, what, out);
}

bool ArgBufferWindow(const Napi::CallbackInfo& info, size_t i, uint8_t** data, size_t off_index,
                     size_t* out_len) {
  Napi::Env env = info.Env();
  void* base = nullptr;
  size_t length = 0;
  napi_typedarray_type type;
  // napi_get_typedarray_info fails on anything but a typed array: no separate check needed, and
  // the outputs not asked for are not computed (this is on every read and write).
  if (napi_get_typedarray_info(env, info[i], &type, &length, &base, nullptr, nullptr) != napi_ok ||
      type != napi_uint8_array) {
    ThrowType(env, "buffer must be a Buffer or Uint8Array");
    return false;
  }
  int32_t off, len;
  if (!ArgInt(info, off_index, "offset", &off) || !ArgInt(info, off_index + 1, "length", &len)) {
    return false;
  }
  if (off < 0 || len < 0 || static_cast<size_t>(off) + static_cast<size_t>(len) > length) {
    ThrowRange(env, "offset/length outside the buffer");
    return false;
  }
  *data = static_cast<uint8_t*>(base) + off;
  *out_len = static_cast<size_t>(len);
  return true;
}

void SetConstant(Napi::Env env, Napi::Object exports, const char* name, int32_t value) {
  exports.Set(name, Napi::Number::New(env, value));
}

static Napi::Value ErrnoNameJs(const Napi::CallbackInfo& info) {
  int32_t err;
  if (!ArgInt(info, 0, "errno", &err)) return info.Env().Undefined();
  const char* name = strerrorname_np(err);
  if (name == nullptr) return info.Env().Undefined();
  return Napi::String::New(info.Env(), name);
}

static Napi::Value StrerrorJs(const Napi::CallbackInfo& info) {
  int32_t err;
  if (!ArgInt(info, 0, "errno", &err)) return info.Env().Undefined();
  return Napi::String::New(info.Env(), strerror(err));
}

void RegisterErrors(Napi::Env env, Napi::Object exports) {
  exports.Set("errnoName", Napi::Function::New(env, ErrnoNameJs, "errnoName"));
  exports.Set("strerror", Napi::Function::New(env, StrerrorJs, "strerror"));
}

bool ArgInt32Array(const Napi::CallbackInfo& info, size_t i, const char* what, int32_t** data,
                   size_t* length) {
  napi_typedarray_type type;
  void* base;
  if (napi_get_typedarray_info(info.Env(), info[i], &type, length, &base, nullptr, nullptr) !=
          napi_ok ||
      type != napi_int32_array) {
    std::string msg(what);
    msg += " must be an Int32Array";
    ThrowType(info.Env(), msg.c_str());
    return false;
  }
  *data = static_cast<int32_t*>(base);
  return true;
}

}  // namespace tclshim
