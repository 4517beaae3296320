// Reads a request body that must be one JSON object, in place and without a
// DOM: the members' keys, strings and numbers stay views into the body.
//
// Only the shapes the API accepts are kept in detail: members whose value is
// a scalar or an array of scalars. A nested object, or an array inside an
// array, is recorded by kind only (its content skipped), so handlers can
// refuse it with a clear message.
//
// Numbers are kept as their exact text, so money converts to cents without
// binary floating point (see base/decimal.h).
//
// A JsonObjectReader is not thread-safe; keep one per thread and reuse it.
// Its buffers grow to the largest body seen and are then reused, so steady
// state parsing does not allocate.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace orderd::net {

enum class JsonKind : std::uint8_t { kNull, kFalse, kTrue, kNumber, kString, kArray, kObject };

// "a number", "a string", ... for messages.
std::string_view json_kind_phrase(JsonKind kind);

struct JsonScalar {
  JsonKind kind = JsonKind::kNull;
  std::string_view text;  // a number's exact JSON text, or a string's unescaped content
};

struct JsonMember {
  std::string_view key;
  JsonScalar value;                      // kind kArray for arrays
  std::span<const JsonScalar> elements;  // an array's elements
};

class JsonObjectReader {
 public:
  static constexpr std::size_t kMaxMembers = 64;

  JsonObjectReader();
  ~JsonObjectReader();
  JsonObjectReader(const JsonObjectReader&) = delete;
  JsonObjectReader& operator=(const JsonObjectReader&) = delete;

  // Parses `text`, which must be followed by a '\0' (text.data()[text.size()]
  // == 0) and is modified in place. The views handed out point into `text`
  // and stay valid until the next parse or until `text` changes.
  // Returns false and sets error() on malformed JSON, a root that is not an
  // object, invalid UTF-8, a duplicate key or more than kMaxMembers members.
  bool parse(std::span<char> text);

  const std::string& error() const { return error_; }
  std::span<const JsonMember> members() const { return members_; }
  const JsonMember* find(std::string_view key) const;

 private:
  struct Handler;
  std::vector<JsonMember> members_;
  std::vector<JsonScalar> elements_;
  std::vector<std::size_t> element_begin_;  // per member, an index into elements_
  std::string error_;
  struct ReaderHolder;
  std::unique_ptr<ReaderHolder> reader_;  // keeps the RapidJSON reader's stack across parses
};

// Reads a JSON number's text as an integer in [0, max]. Fractions and
// exponents are refused ("1.0", "1e2"), as is a leading '-' other than "-0".
enum class IntegerError { kNone, kNotInteger, kNegative, kTooLarge };
IntegerError parse_json_uint(std::string_view number_text, std::uint64_t max, std::uint64_t* out);

}  // namespace orderd::net
