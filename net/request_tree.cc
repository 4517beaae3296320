#include "net/request_tree.h"

#include <string>

namespace orderd::net {

bool parse_body_tree(RequestContext& ctx, const HttpRequest& request, JsonTree& tree) {
  std::string error;
  if (!parse_json_tree({request.body.data(), request.body.size()}, tree, error)) {
    ctx.error(400, request.body.empty() ? "the request body must be a JSON object" : error);
    return false;
  }
  if (tree.kind != JsonKind::kObject) {
    ctx.error(400, "the request body must be a JSON object");
    return false;
  }
  return true;
}

IntegerError tree_uint(const JsonTree& value, std::uint64_t min, std::uint64_t max,
                       std::uint64_t& out) {
  if (value.kind != JsonKind::kNumber) return IntegerError::kNotInteger;
  IntegerError e = parse_json_uint(value.text, max, &out);
  if (e == IntegerError::kNone && out < min) e = IntegerError::kNegative;
  return e;
}

}  // namespace orderd::net
