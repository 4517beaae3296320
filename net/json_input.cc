#include "net/json_input.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <charconv>
#include <cstdio>

namespace orderd::net {

std::string_view json_kind_phrase(JsonKind kind) {
  switch (kind) {
    case JsonKind::kNull:
      return "null";
    case JsonKind::kFalse:
    case JsonKind::kTrue:
      return "a boolean";
    case JsonKind::kNumber:
      return "a number";
    case JsonKind::kString:
      return "a string";
    case JsonKind::kArray:
      return "an array";
    case JsonKind::kObject:
      return "an object";
  }
  return "a value";
}

struct JsonObjectReader::ReaderHolder {
  rapidjson::Reader reader;
};

// SAX events to members. Depth 1 is inside the root object, depth 2 inside a
// member's array; anything deeper is skipped and only its kind recorded.
struct JsonObjectReader::Handler
    : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, JsonObjectReader::Handler> {
  JsonObjectReader& self;
  int depth = 0;
  int skip_depth = 0;  // > 0 while inside a skipped container
  std::string_view pending_key;
  const char* failure = nullptr;

  explicit Handler(JsonObjectReader& r) : self(r) {}

  bool fail(const char* why) {
    failure = why;
    return false;
  }

  bool value(JsonKind kind, std::string_view text) {
    if (skip_depth > 0) return true;
    if (depth == 0) return fail("the request body must be a JSON object");
    if (depth == 2) {
      self.elements_.push_back({kind, text});
      return true;
    }
    return add_member({kind, text});
  }

  bool add_member(JsonScalar value) {
    if (self.members_.size() == kMaxMembers) return fail("too many fields in the request body");
    for (const auto& m : self.members_) {
      if (m.key == pending_key) return fail("duplicate field in the request body");
    }
    self.members_.push_back({pending_key, value, {}});
    self.element_begin_.push_back(self.elements_.size());
    return true;
  }

  bool start_container(JsonKind kind) {
    if (skip_depth > 0) {
      ++skip_depth;
      return true;
    }
    if (depth == 0) {
      if (kind != JsonKind::kObject) return fail("the request body must be a JSON object");
      depth = 1;
      return true;
    }
    if (depth == 1) {
      if (!add_member({kind, {}})) return false;
      if (kind == JsonKind::kArray) {
        depth = 2;
      } else {
        skip_depth = 1;
      }
      return true;
    }
    self.elements_.push_back({kind, {}});
    skip_depth = 1;
    return true;
  }

  bool end_container() {
    if (skip_depth > 0) {
      --skip_depth;
      return true;
    }
    --depth;
    return true;
  }

  bool Null() { return value(JsonKind::kNull, {}); }
  bool Bool(bool b) { return value(b ? JsonKind::kTrue : JsonKind::kFalse, {}); }
  bool RawNumber(const char* str, rapidjson::SizeType len, bool) {
    return value(JsonKind::kNumber, {str, len});
  }
  bool String(const char* str, rapidjson::SizeType len, bool) {
    return value(JsonKind::kString, {str, len});
  }
  bool Key(const char* str, rapidjson::SizeType len, bool) {
    if (skip_depth == 0) pending_key = {str, len};
    return true;
  }
  bool StartObject() { return start_container(JsonKind::kObject); }
  bool EndObject(rapidjson::SizeType) { return end_container(); }
  bool StartArray() { return start_container(JsonKind::kArray); }
  bool EndArray(rapidjson::SizeType) { return end_container(); }
};

JsonObjectReader::JsonObjectReader() : reader_(std::make_unique<ReaderHolder>()) {
  members_.reserve(kMaxMembers);
}

JsonObjectReader::~JsonObjectReader() = default;

namespace {

// Whether a UTF-8 sequence starts in the last three bytes and runs past the
// end. RapidJSON's encoding check takes a lead byte's continuation bytes
// without looking, past the '\0' that ends the text and so out of its
// buffer; such text is refused before it gets there (found by fuzzing).
bool ends_inside_a_sequence(std::span<const char> text) {
  const std::size_t n = text.size();
  for (std::size_t k = n < 3 ? 0 : n - 3; k < n; ++k) {
    const auto b = static_cast<unsigned char>(text[k]);
    const std::size_t length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    if (k + length > n) return true;
  }
  return false;
}

}  // namespace

bool JsonObjectReader::parse(std::span<char> text) {
  members_.clear();
  elements_.clear();
  element_begin_.clear();
  error_.clear();
  if (ends_inside_a_sequence(text)) {
    error_ = "malformed JSON: invalid UTF-8 at the end of the body";
    return false;
  }
  // Iterative parsing keeps deeply nested input off the call stack; numbers
  // as strings keep their exact text; in situ keeps strings in the body.
  constexpr unsigned kFlags = rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag |
                              rapidjson::kParseNumbersAsStringsFlag |
                              rapidjson::kParseValidateEncodingFlag;
  Handler handler(*this);
  rapidjson::InsituStringStream stream(text.data());
  rapidjson::ParseResult result = reader_->reader.Parse<kFlags>(stream, handler);
  if (handler.failure != nullptr) {
    error_ = handler.failure;
    return false;
  }
  if (result.IsError()) {
    if (result.Code() == rapidjson::kParseErrorDocumentEmpty) {
      error_ = "the request body must be a JSON object";
      return false;
    }
    char where[48];
    std::snprintf(where, sizeof where, " at byte %zu", result.Offset());
    error_ = "malformed JSON: ";
    error_ += rapidjson::GetParseError_En(result.Code());
    error_ += where;
    return false;
  }
  // A '\0' inside the body ends RapidJSON's input early; what it did not
  // read must not be silently ignored.
  if (stream.Tell() < text.size()) {
    error_ = "malformed JSON: unexpected NUL byte";
    return false;
  }
  // elements_ is complete now, so the spans can point into it.
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (members_[i].value.kind != JsonKind::kArray) continue;
    const std::size_t begin = element_begin_[i];
    const std::size_t end = i + 1 < members_.size() ? element_begin_[i + 1] : elements_.size();
    members_[i].elements = std::span<const JsonScalar>(elements_.data() + begin, end - begin);
  }
  return true;
}

const JsonMember* JsonObjectReader::find(std::string_view key) const {
  for (const auto& m : members_) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

IntegerError parse_json_uint(std::string_view text, std::uint64_t max, std::uint64_t* out) {
  if (text.find_first_of(".eE") != std::string_view::npos) return IntegerError::kNotInteger;
  bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  std::uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range)
    return negative ? IntegerError::kNegative : IntegerError::kTooLarge;
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
    return IntegerError::kNotInteger;
  }
  if (negative && value != 0) return IntegerError::kNegative;
  if (value > max) return IntegerError::kTooLarge;
  *out = value;
  return IntegerError::kNone;
}

}  // namespace orderd::net
