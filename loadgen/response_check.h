// Decides whether a response is the one orderd gives for a successful request
// of its kind: the expected status code, and a body that is valid JSON whose
// top-level object carries the field that kind of answer always has.
//   create, seed  201  "order_id"
//   status        200  "status"
//   populate      201  "success_count"
//
// Not thread-safe: one per connection. After the first few responses,
// checking allocates nothing (the parser's scratch space is reused).
#pragma once

#include <memory>
#include <string_view>

#include "loadgen/workload.h"

namespace orderd::loadgen {

enum class ResponseVerdict { kOk, kUnexpectedStatus, kBadBody };

unsigned expected_status(RequestKind kind);

class ResponseChecker {
 public:
  ResponseChecker();
  ~ResponseChecker();
  ResponseChecker(ResponseChecker&&) noexcept;
  ResponseChecker& operator=(ResponseChecker&&) noexcept;

  ResponseVerdict check(RequestKind kind, unsigned status, std::string_view body);

 private:
  struct Parser;
  std::unique_ptr<Parser> parser_;
};

}  // namespace orderd::loadgen
