#include "persistence/status.h"

#include <cstring>

namespace orderd::persistence {

Status Status::io_error(std::string message, int error_number) {
  Status s(Code::kIoError, std::move(message));
  s.error_number_ = error_number;
  if (error_number != 0) {
    s.message_.append(": ");
    s.message_.append(std::strerror(error_number));
  }
  return s;
}

std::string Status::to_string() const {
  const char* prefix = "";
  switch (code_) {
    case Code::kOk:
      return "OK";
    case Code::kNotFound:
      prefix = "not found: ";
      break;
    case Code::kCorruption:
      prefix = "corruption: ";
      break;
    case Code::kIoError:
      prefix = "IO error: ";
      break;
    case Code::kInvalidArgument:
      prefix = "invalid argument: ";
      break;
    case Code::kClosed:
      prefix = "closed: ";
      break;
  }
  return prefix + message_;
}

}  // namespace orderd::persistence
