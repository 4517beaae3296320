// A request body as a small tree, for the routes whose bodies nest objects
// (managed orders: addresses, payment, items as objects, free metadata).
// JsonObjectReader (json_input.h) stays the fast path for flat bodies.
//
// Numbers keep their exact JSON text, so money converts to cents without
// binary floating point (base/decimal.h), and an object can be written back
// as it came (write_json_tree), for metadata kept as text.
//
// Allocates per node; meant for bodies bounded by the server's body limit.
// Parsing is iterative (no recursion on the body's nesting) and stops at
// `max_depth`. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/json_input.h"
#include "net/json_output.h"

namespace orderd::net {

struct JsonTreeMember;

struct JsonTree {
  JsonKind kind = JsonKind::kNull;
  std::string text;                     // a number's JSON text, a string's content
  std::vector<JsonTreeMember> members;  // an object's, in body order
  std::vector<JsonTree> elements;       // an array's

  // The member `key` of an object, or nullptr (also when not an object).
  const JsonTree* find(std::string_view key) const;
};

// A vector of pairs would need JsonTree complete where it is still being
// defined; a struct declared ahead does not.
struct JsonTreeMember {
  std::string key;
  JsonTree value;
};

inline constexpr std::size_t kJsonTreeMaxDepth = 16;
inline constexpr std::size_t kJsonTreeMaxMembers = 256;  // per object

// Parses `text` (one JSON value; the root may be of any kind) into `out`.
// Returns false and fills `error` on malformed JSON, invalid UTF-8, nesting
// deeper than `max_depth`, a duplicate key or an object with more than
// kJsonTreeMaxMembers members.
bool parse_json_tree(std::string_view text, JsonTree& out, std::string& error,
                     std::size_t max_depth = kJsonTreeMaxDepth);

// Writes `tree` back as JSON: numbers as their original text, strings
// escaped, members in their order.
void write_json_tree(JsonWriter& w, const JsonTree& tree);

}  // namespace orderd::net
