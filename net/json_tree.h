// Request bodies whose members hold objects (seed 002's "items", seed 000's
// bulk "orders"), which JsonObjectReader (json_input.h) records by kind only:
// these are parsed into a RapidJSON DOM instead.
//
// A parse allocates (the DOM), so only routes that need nesting use it,
// never the order hot path. Not thread-safe: a JsonTree belongs to one
// request.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string_view>

#include "net/json_input.h"
#include "net/request_context.h"

namespace orderd::net {

using JsonTree = rapidjson::Document;
using JsonValue = rapidjson::Value;

// Parses the request body as one JSON object into `tree`. On malformed
// JSON, invalid UTF-8 or a root that is not an object, answers 400 (the
// messages JsonObjectReader gives) and returns false.
bool parse_body_tree(RequestContext& ctx, const HttpRequest& request, JsonTree& tree);

// The member `key` of `object` (which must be an object), or nullptr.
const JsonValue* tree_member(const JsonValue& object, std::string_view key);

// `value` as an integer in [min, max]. Anything but a JSON integer (a
// fraction, an exponent, a string) is kNotInteger; below `min` is kNegative,
// as parse_json_uint and RequestContext::integer_error read it.
IntegerError tree_uint(const JsonValue& value, std::uint64_t min, std::uint64_t max,
                       std::uint64_t& out);

// "a number", "a string", ... for messages.
std::string_view tree_kind_phrase(const JsonValue& value);

}  // namespace orderd::net
