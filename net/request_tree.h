// Request bodies read as a JsonTree (json_tree.h), for the routes whose
// bodies nest objects: the 400 answers and field readers they share.
#pragma once

#include <cstdint>
#include <string_view>

#include "net/json_tree.h"
#include "net/request_context.h"

namespace orderd::net {

// Parses the request body as one JSON object into `tree`; answers 400 and
// returns false otherwise.
bool parse_body_tree(RequestContext& ctx, const HttpRequest& request, JsonTree& tree);

// The member `key` of `object`, or nullptr (also when it is no object).
inline const JsonTree* tree_member(const JsonTree& object, std::string_view key) {
  return object.find(key);
}

// `value` as an integer in [min, max], as parse_json_uint reads its text:
// anything but a JSON integer is kNotInteger, below `min` kNegative (the
// errors RequestContext::integer_error words).
IntegerError tree_uint(const JsonTree& value, std::uint64_t min, std::uint64_t max,
                       std::uint64_t& out);

// "a number", "a string", ... for messages.
inline std::string_view tree_kind_phrase(const JsonTree& value) {
  return json_kind_phrase(value.kind);
}

}  // namespace orderd::net
