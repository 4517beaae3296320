#include "net/json_tree.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace orderd::net {
namespace {

IntegerError read(const char* json, std::uint64_t& out, std::uint64_t min = 1,
                  std::uint64_t max = 100) {
  JsonTree tree;
  tree.Parse(json);
  EXPECT_FALSE(tree.HasParseError()) << json;
  return tree_uint(tree[0], min, max, out);
}

TEST(JsonTreeTest, ReadsIntegersWithTheErrorKindsOfParseJsonUint) {
  std::uint64_t v = 0;
  EXPECT_EQ(read("[7]", v), IntegerError::kNone);
  EXPECT_EQ(v, 7u);
  EXPECT_EQ(read("[0]", v), IntegerError::kNegative);  // below min
  EXPECT_EQ(read("[-3]", v), IntegerError::kNegative);
  EXPECT_EQ(read("[-1.5]", v), IntegerError::kNegative);
  EXPECT_EQ(read("[101]", v), IntegerError::kTooLarge);
  EXPECT_EQ(read("[1e30]", v), IntegerError::kTooLarge);
  EXPECT_EQ(read("[1.5]", v), IntegerError::kNotInteger);
  EXPECT_EQ(read("[\"7\"]", v), IntegerError::kNotInteger);
  EXPECT_EQ(read("[null]", v), IntegerError::kNotInteger);
}

TEST(JsonTreeTest, FindsMembersByKey) {
  JsonTree tree;
  tree.Parse(R"({"a": 1, "b": {"c": true}})");
  ASSERT_NE(tree_member(tree, "b"), nullptr);
  EXPECT_TRUE(tree_member(*tree_member(tree, "b"), "c")->IsTrue());
  EXPECT_EQ(tree_member(tree, "z"), nullptr);
  EXPECT_EQ(tree_kind_phrase(*tree_member(tree, "b")), "an object");
}

}  // namespace
}  // namespace orderd::net
