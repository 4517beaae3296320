#include "net/json_tree.h"

#include <gtest/gtest.h>

#include <string>

namespace orderd::net {
namespace {

std::string round_trip(const JsonTree& tree) {
  JsonBuffer buffer;
  JsonWriter writer(buffer);
  write_json_tree(writer, tree);
  return {buffer.GetString(), buffer.GetSize()};
}

TEST(JsonTreeTest, KeepsNestingAndNumbersAsTheirText) {
  JsonTree t;
  std::string error;
  ASSERT_TRUE(parse_json_tree(R"({"a": {"b": [1, 29.99, "x", null, true]}, "c": 1e2})", t, error))
      << error;
  ASSERT_EQ(t.kind, JsonKind::kObject);
  const JsonTree* b = t.find("a")->find("b");
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->elements.size(), 5u);
  EXPECT_EQ(b->elements[1].kind, JsonKind::kNumber);
  EXPECT_EQ(b->elements[1].text, "29.99");
  EXPECT_EQ(b->elements[2].kind, JsonKind::kString);
  EXPECT_EQ(t.find("c")->text, "1e2");
  EXPECT_EQ(t.find("missing"), nullptr);
  EXPECT_EQ(round_trip(t), R"({"a":{"b":[1,29.99,"x",null,true]},"c":1e2})");
}

TEST(JsonTreeTest, WritesStringsEscaped) {
  JsonTree t;
  std::string error;
  ASSERT_TRUE(parse_json_tree(R"({"q": "a\"b\\c\u0001"})", t, error));
  EXPECT_EQ(t.find("q")->text, std::string("a\"b\\c\x01"));
  EXPECT_EQ(round_trip(t), R"({"q":"a\"b\\c\u0001"})");
}

TEST(JsonTreeTest, RefusesMalformedDuplicateAndTooDeepBodies) {
  JsonTree t;
  std::string error;
  EXPECT_FALSE(parse_json_tree(R"({"a": 1,)", t, error));
  EXPECT_NE(error.find("malformed JSON"), std::string::npos) << error;
  EXPECT_FALSE(parse_json_tree(R"({"a": 1, "a": 2})", t, error));
  EXPECT_EQ(error, "duplicate key 'a' in the request body");
  EXPECT_FALSE(parse_json_tree(R"({"a": 1} {"b": 2})", t, error));
  EXPECT_FALSE(parse_json_tree("\"\xff\"", t, error));
  std::string deep(17, '[');
  deep += std::string(17, ']');
  EXPECT_FALSE(parse_json_tree(deep, t, error));
  EXPECT_EQ(error, "the request body nests deeper than 16 levels");
  std::string ok(16, '[');
  ok += std::string(16, ']');
  EXPECT_TRUE(parse_json_tree(ok, t, error)) << error;
  EXPECT_FALSE(parse_json_tree("", t, error));
}

TEST(JsonTreeTest, BoundsTheMembersOfAnObject) {
  std::string body = "{";
  for (std::size_t i = 0; i <= kJsonTreeMaxMembers; ++i) {
    if (i > 0) body += ",";
    body += "\"k" + std::to_string(i) + "\":" + std::to_string(i);
  }
  body += "}";
  JsonTree t;
  std::string error;
  EXPECT_FALSE(parse_json_tree(body, t, error));
  EXPECT_EQ(error, "an object in the request body has more than 256 members");
}

}  // namespace
}  // namespace orderd::net
