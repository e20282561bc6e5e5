{
  "targets": [
    {
      "target_name": "tclshim_native",
      "sources": [
        "native/addon.cc",
        "native/errors.cc",
        "native/fd.cc",
        "native/net.cc",
        "native/poll.cc",
        "native/signals.cc",
        "native/process.cc",
        "native/fork.cc",
        "native/fdpass.cc",
        "native/sockserver.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-lpthread"],
      "ldflags": ["-Wl,-z,now"]
    }
  ]
}
