// A response body produced piece by piece while it is sent, for answers
// too large to build in memory (exports, long histories). The connection
// asks for the next piece only once the previous one is written, so a slow
// client holds one piece, not the whole body; HTTP/1.1 clients get it with
// chunked transfer encoding, HTTP/1.0 clients as a body ended by closing.
//
// Pieces are produced on the connection's I/O thread: next() must return
// quickly (a few tens of kilobytes of work) and must not block.
#pragma once

#include <cstddef>
#include <string>

namespace orderd::net {

// What next() should stay near: larger pieces cost fewer writes, smaller
// ones less time on the I/O thread per call.
inline constexpr std::size_t kStreamPieceBytes = 64 * 1024;

class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // Appends the next piece of the body to `out` (which is empty); returns
  // false once the body is complete (the last piece may come with false).
  virtual bool next(std::string& out) = 0;
};

}  // namespace orderd::net
