// SCM_RIGHTS framing shared by the JS bindings and the socketserver accept thread.
#ifndef TCLSHIM_NATIVE_FDPASS_H
#define TCLSHIM_NATIVE_FDPASS_H

#include <cstddef>

namespace tclshim {

// Longest message text; on the wire it is followed by one NUL.
constexpr size_t kFdMessageMax = 256;

// sendmsg of `text` plus NUL, with `fd` as one SCM_RIGHTS descriptor (fd < 0: none).
// Returns sendmsg's result (errno set on -1). `flags` are passed through; MSG_NOSIGNAL
// is always added. EINTR is retried. Safe to call from any thread.
long SendFdMessage(int sock, int fd, const char* text, size_t len, int flags);

}  // namespace tclshim

#endif
