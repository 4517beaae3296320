#include "net/json_tree.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

namespace orderd::net {
namespace {

// Builds the tree on a stack of open containers. Returning false stops the
// parse; `problem` then says why (the reader's own error otherwise).
struct TreeBuilder : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TreeBuilder> {
  explicit TreeBuilder(JsonTree& root, std::size_t max_depth) : root(root), max_depth(max_depth) {}

  JsonTree* add() {
    if (stack.empty()) {
      if (have_root) return nullptr;
      have_root = true;
      return &root;
    }
    JsonTree* parent = stack.back();
    if (parent->kind == JsonKind::kArray) return &parent->elements.emplace_back();
    return &parent->members.back().value;
  }
  bool scalar(JsonKind kind, const char* s = nullptr, rapidjson::SizeType n = 0) {
    JsonTree* v = add();
    if (v == nullptr) return false;
    v->kind = kind;
    if (s != nullptr) v->text.assign(s, n);
    return true;
  }
  bool open(JsonKind kind) {
    if (stack.size() >= max_depth) {
      problem = "the request body nests deeper than " + std::to_string(max_depth) + " levels";
      return false;
    }
    JsonTree* v = add();
    if (v == nullptr) return false;
    v->kind = kind;
    stack.push_back(v);
    return true;
  }

  bool Null() { return scalar(JsonKind::kNull); }
  bool Bool(bool b) { return scalar(b ? JsonKind::kTrue : JsonKind::kFalse); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    return scalar(JsonKind::kNumber, s, n);
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    return scalar(JsonKind::kString, s, n);
  }
  bool StartObject() { return open(JsonKind::kObject); }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    JsonTree* object = stack.back();
    std::string_view key(s, n);
    if (object->members.size() >= kJsonTreeMaxMembers) {
      problem = "an object in the request body has more than " +
                std::to_string(kJsonTreeMaxMembers) + " members";
      return false;
    }
    for (const auto& m : object->members) {
      if (m.key == key) {
        problem = "duplicate key '" + std::string(key) + "' in the request body";
        return false;
      }
    }
    object->members.push_back({std::string(key), JsonTree{}});
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    stack.pop_back();
    return true;
  }
  bool StartArray() { return open(JsonKind::kArray); }
  bool EndArray(rapidjson::SizeType) {
    stack.pop_back();
    return true;
  }

  JsonTree& root;
  std::size_t max_depth;
  std::vector<JsonTree*> stack;
  bool have_root = false;
  std::string problem;
};

}  // namespace

const JsonTree* JsonTree::find(std::string_view key) const {
  if (kind != JsonKind::kObject) return nullptr;
  for (const auto& m : members) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

bool parse_json_tree(std::string_view text, JsonTree& out, std::string& error,
                     std::size_t max_depth) {
  out = JsonTree{};
  TreeBuilder builder(out, max_depth);
  rapidjson::MemoryStream stream(text.data(), text.size());
  rapidjson::Reader reader;
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag |
                              rapidjson::kParseNumbersAsStringsFlag |
                              rapidjson::kParseValidateEncodingFlag;
  rapidjson::ParseResult ok = reader.Parse<kFlags>(stream, builder);
  if (ok) return true;
  if (!builder.problem.empty()) {
    error = std::move(builder.problem);
  } else {
    error = "malformed JSON at offset " + std::to_string(ok.Offset()) + ": " +
            rapidjson::GetParseError_En(ok.Code());
  }
  out = JsonTree{};
  return false;
}

void write_json_tree(JsonWriter& w, const JsonTree& tree) {
  switch (tree.kind) {
    case JsonKind::kNull:
      w.Null();
      return;
    case JsonKind::kFalse:
      w.Bool(false);
      return;
    case JsonKind::kTrue:
      w.Bool(true);
      return;
    case JsonKind::kNumber:
      w.RawValue(tree.text.data(), tree.text.size(), rapidjson::kNumberType);
      return;
    case JsonKind::kString:
      write_string(w, tree.text);
      return;
    case JsonKind::kArray:
      w.StartArray();
      for (const JsonTree& e : tree.elements) write_json_tree(w, e);
      w.EndArray();
      return;
    case JsonKind::kObject:
      w.StartObject();
      for (const auto& [key, value] : tree.members) {
        write_key(w, key);
        write_json_tree(w, value);
      }
      w.EndObject();
      return;
  }
}

}  // namespace orderd::net
