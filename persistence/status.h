// The result of an operation on the data path: OK, or what went wrong and
// where. Costs a byte and an empty string on success; no exceptions.
//
// [[nodiscard]]: ignoring a Status is a compile-time warning, because an
// unchecked write or sync error is how acknowledged data gets lost.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace orderd::persistence {

class [[nodiscard]] Status {
 public:
  enum class Code : std::uint8_t {
    kOk,
    kNotFound,
    kCorruption,  // the bytes on disk are not what was written
    kIoError,     // the operating system refused (see error_number())
    kInvalidArgument,
    kClosed,  // used after close, or after an earlier I/O error made it stop
  };

  Status() = default;  // OK
  static Status not_found(std::string message) { return {Code::kNotFound, std::move(message)}; }
  static Status corruption(std::string message) { return {Code::kCorruption, std::move(message)}; }
  static Status invalid_argument(std::string message) {
    return {Code::kInvalidArgument, std::move(message)};
  }
  static Status closed(std::string message) { return {Code::kClosed, std::move(message)}; }
  // `error_number` is an errno value; its text is appended to the message.
  static Status io_error(std::string message, int error_number);

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  bool is_not_found() const { return code_ == Code::kNotFound; }
  bool is_corruption() const { return code_ == Code::kCorruption; }
  bool is_io_error() const { return code_ == Code::kIoError; }
  // The errno of an I/O error (ENOSPC, EIO, ...), 0 otherwise.
  int error_number() const { return error_number_; }
  const std::string& message() const { return message_; }
  // "IO error: write journal-...log: No space left on device"
  std::string to_string() const;

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  Code code_ = Code::kOk;
  int error_number_ = 0;
  std::string message_;
};

}  // namespace orderd::persistence
