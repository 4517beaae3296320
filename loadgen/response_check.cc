#include "loadgen/response_check.h"

#include <rapidjson/error/error.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace orderd::loadgen {
namespace {

std::string_view required_field(RequestKind kind) {
  switch (kind) {
    case RequestKind::kCreate:
    case RequestKind::kSeed:
      return "order_id";
    case RequestKind::kStatus:
      return "status";
    case RequestKind::kPopulate:
      return "success_count";
  }
  return "";
}

// Validates the whole document while watching for one key of the top-level
// object; builds no DOM.
struct FieldFinder : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, FieldFinder> {
  std::string_view wanted;
  int depth = 0;
  bool top_is_object = false;
  bool found = false;

  bool StartObject() {
    if (depth == 0) top_is_object = true;
    ++depth;
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    --depth;
    return true;
  }
  bool StartArray() {
    ++depth;
    return true;
  }
  bool EndArray(rapidjson::SizeType) {
    --depth;
    return true;
  }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    if (depth == 1 && std::string_view(text, length) == wanted) found = true;
    return true;
  }
  bool Default() { return true; }
};

}  // namespace

struct ResponseChecker::Parser {
  rapidjson::Reader reader;
};

unsigned expected_status(RequestKind kind) { return kind == RequestKind::kStatus ? 200 : 201; }

ResponseChecker::ResponseChecker() : parser_(std::make_unique<Parser>()) {}
ResponseChecker::~ResponseChecker() = default;
ResponseChecker::ResponseChecker(ResponseChecker&&) noexcept = default;
ResponseChecker& ResponseChecker::operator=(ResponseChecker&&) noexcept = default;

ResponseVerdict ResponseChecker::check(RequestKind kind, unsigned status, std::string_view body) {
  if (status != expected_status(kind)) return ResponseVerdict::kUnexpectedStatus;
  FieldFinder finder;
  finder.wanted = required_field(kind);
  // MemoryStream reads as NUL past its end, which is how the parser stops
  // within the body; anything but whitespace after the document is an error.
  rapidjson::MemoryStream input(body.data(), body.size());
  const rapidjson::ParseResult result = parser_->reader.Parse(input, finder);
  if (result.IsError() || !finder.top_is_object || !finder.found) return ResponseVerdict::kBadBody;
  return ResponseVerdict::kOk;
}

}  // namespace orderd::loadgen
