#include "net/request_tree.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "net/request_context.h"
#include "tests/net/api_test_util.h"

namespace orderd::net {
namespace {

using testing::ApiFixture;

class RequestTreeTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    ctx = std::make_unique<RequestContext>(*api);
    ctx->response = &response;
  }

  // parse_body_tree over `body`; on failure, the 400's error in `error`.
  bool parse(std::string body, JsonTree& tree) {
    buffer = std::move(body);
    HttpRequest request;
    request.body = std::span<char>(buffer.data(), buffer.size());
    response = HttpResponse{};
    const bool ok = parse_body_tree(*ctx, request, tree);
    error.clear();
    if (!ok) {
      EXPECT_EQ(response.status, 400u);
      rapidjson::Document d;
      const std::string text(response.body);
      d.Parse(text.c_str());
      EXPECT_TRUE(d.IsObject() && d.HasMember("error")) << text;
      if (d.IsObject() && d.HasMember("error")) error = d["error"].GetString();
    }
    return ok;
  }

  HttpResponse response;
  std::unique_ptr<RequestContext> ctx;
  std::string buffer;
  std::string error;
};

TEST_F(RequestTreeTest, AnObjectParsesAndAnswersNothing) {
  JsonTree tree;
  ASSERT_TRUE(parse(R"({"a": {"b": [1, 2]}, "c": "x"})", tree));
  EXPECT_EQ(tree.kind, JsonKind::kObject);
  EXPECT_EQ(response.body, "");
  ASSERT_NE(tree_member(tree, "a"), nullptr);
  EXPECT_EQ(tree_member(*tree_member(tree, "a"), "b")->elements.size(), 2u);
}

TEST_F(RequestTreeTest, AnEmptyBodyIs400AskingForAnObject) {
  JsonTree tree;
  EXPECT_FALSE(parse("", tree));
  EXPECT_EQ(error, "the request body must be a JSON object");
}

TEST_F(RequestTreeTest, ARootOtherThanAnObjectIs400) {
  JsonTree tree;
  for (const char* body : {"[1, 2]", "3", R"("text")", "null", "true"}) {
    EXPECT_FALSE(parse(body, tree)) << body;
    EXPECT_EQ(error, "the request body must be a JSON object") << body;
  }
}

TEST_F(RequestTreeTest, MalformedJsonIs400WithTheParsersMessage) {
  JsonTree tree;
  EXPECT_FALSE(parse(R"({"a": 1,)", tree));
  EXPECT_NE(error.find("malformed JSON"), std::string::npos) << error;
  EXPECT_FALSE(parse(R"({"a": 1, "a": 2})", tree));
  EXPECT_EQ(error, "duplicate key 'a' in the request body");
  EXPECT_FALSE(parse(std::string(20, '[') + std::string(20, ']'), tree));
  EXPECT_EQ(error, "the request body nests deeper than 16 levels");
  EXPECT_FALSE(parse("{\"a\": \"\xff\"}", tree));
  EXPECT_FALSE(error.empty());
}

TEST_F(RequestTreeTest, TreeMemberFindsOnlyAnObjectsMembers) {
  JsonTree tree;
  ASSERT_TRUE(parse(R"({"list": [{"k": 1}], "n": 5, "s": "k"})", tree));
  EXPECT_NE(tree_member(tree, "n"), nullptr);
  EXPECT_EQ(tree_member(tree, "missing"), nullptr);
  EXPECT_EQ(tree_member(tree, "N"), nullptr);  // keys are case-sensitive
  // Arrays, numbers and strings have no members.
  EXPECT_EQ(tree_member(*tree_member(tree, "list"), "k"), nullptr);
  EXPECT_EQ(tree_member(*tree_member(tree, "n"), "k"), nullptr);
  EXPECT_EQ(tree_member(*tree_member(tree, "s"), "k"), nullptr);
  EXPECT_NE(tree_member(tree_member(tree, "list")->elements[0], "k"), nullptr);
}

TEST_F(RequestTreeTest, TreeUintReadsIntegersInRange) {
  JsonTree tree;
  ASSERT_TRUE(parse(R"({"one": 1, "zero": 0, "big": 9007199254740991, "neg": -1,
                        "frac": 1.5, "exp": 1e3, "text": "7", "null": null})",
                    tree));
  std::uint64_t out = 0;
  EXPECT_EQ(tree_uint(*tree_member(tree, "one"), 1, 10, out), IntegerError::kNone);
  EXPECT_EQ(out, 1u);
  EXPECT_EQ(tree_uint(*tree_member(tree, "big"), 1, kMaxJsonInteger, out), IntegerError::kNone);
  EXPECT_EQ(out, kMaxJsonInteger);
  // Below `min` is kNegative, as RequestContext::integer_error words it.
  EXPECT_EQ(tree_uint(*tree_member(tree, "zero"), 1, 10, out), IntegerError::kNegative);
  EXPECT_EQ(tree_uint(*tree_member(tree, "zero"), 0, 10, out), IntegerError::kNone);
  EXPECT_EQ(tree_uint(*tree_member(tree, "neg"), 0, 10, out), IntegerError::kNegative);
  EXPECT_EQ(tree_uint(*tree_member(tree, "one"), 2, 10, out), IntegerError::kNegative);
  EXPECT_EQ(tree_uint(*tree_member(tree, "big"), 1, 10, out), IntegerError::kTooLarge);
  for (const char* key : {"frac", "exp", "text", "null"}) {
    EXPECT_EQ(tree_uint(*tree_member(tree, key), 0, 10, out), IntegerError::kNotInteger) << key;
  }
}

TEST_F(RequestTreeTest, KindPhrasesNameTheKind) {
  JsonTree tree;
  ASSERT_TRUE(parse(R"({"n": 1, "s": "x", "o": {}, "a": []})", tree));
  EXPECT_EQ(tree_kind_phrase(*tree_member(tree, "n")), json_kind_phrase(JsonKind::kNumber));
  EXPECT_EQ(tree_kind_phrase(*tree_member(tree, "s")), json_kind_phrase(JsonKind::kString));
  EXPECT_EQ(tree_kind_phrase(*tree_member(tree, "o")), json_kind_phrase(JsonKind::kObject));
  EXPECT_EQ(tree_kind_phrase(*tree_member(tree, "a")), json_kind_phrase(JsonKind::kArray));
  EXPECT_NE(tree_kind_phrase(*tree_member(tree, "n")), tree_kind_phrase(*tree_member(tree, "s")));
}

}  // namespace
}  // namespace orderd::net
