#include "net/json_tree.h"

#include <rapidjson/error/en.h>

#include <cstdio>
#include <string>

namespace orderd::net {

bool parse_body_tree(RequestContext& ctx, const HttpRequest& request, JsonTree& tree) {
  // Iterative: deep nesting stays off the call stack. With an explicit
  // length, a NUL inside the body is a syntax error, not an early end.
  constexpr unsigned kFlags =
      rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
  tree.Parse<kFlags>(request.body.data(), request.body.size());
  if (tree.HasParseError()) {
    if (tree.GetParseError() == rapidjson::kParseErrorDocumentEmpty) {
      ctx.error(400, "the request body must be a JSON object");
      return false;
    }
    char where[48];
    std::snprintf(where, sizeof where, " at byte %zu", tree.GetErrorOffset());
    ctx.message.assign("malformed JSON: ");
    ctx.message.append(rapidjson::GetParseError_En(tree.GetParseError()));
    ctx.message.append(where);
    ctx.error(400, ctx.message);
    return false;
  }
  if (!tree.IsObject()) {
    ctx.error(400, "the request body must be a JSON object");
    return false;
  }
  return true;
}

const JsonValue* tree_member(const JsonValue& object, std::string_view key) {
  auto it = object.FindMember(
      rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size())));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

IntegerError tree_uint(const JsonValue& value, std::uint64_t min, std::uint64_t max,
                       std::uint64_t& out) {
  if (!value.IsNumber()) return IntegerError::kNotInteger;
  if (value.IsUint64()) {
    const std::uint64_t v = value.GetUint64();
    if (v > max) return IntegerError::kTooLarge;
    if (v < min) return IntegerError::kNegative;
    out = v;
    return IntegerError::kNone;
  }
  if (value.IsInt64()) return IntegerError::kNegative;  // a negative integer
  // A double: a fraction or exponent, or an integer beyond 64 bits.
  const double d = value.GetDouble();
  if (d < 0) return IntegerError::kNegative;
  if (d >= 18446744073709551616.0) return IntegerError::kTooLarge;
  return IntegerError::kNotInteger;
}

std::string_view tree_kind_phrase(const JsonValue& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      return json_kind_phrase(JsonKind::kNull);
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return json_kind_phrase(JsonKind::kTrue);
    case rapidjson::kObjectType:
      return json_kind_phrase(JsonKind::kObject);
    case rapidjson::kArrayType:
      return json_kind_phrase(JsonKind::kArray);
    case rapidjson::kStringType:
      return json_kind_phrase(JsonKind::kString);
    case rapidjson::kNumberType:
      return json_kind_phrase(JsonKind::kNumber);
  }
  return "a value";
}

}  // namespace orderd::net
