#include "net/request_context.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/net/api_test_util.h"

namespace orderd::net {
namespace {

class RequestContextTest : public testing::ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    ctx = std::make_unique<RequestContext>(*api);
    ctx->response = &response;
  }
  bool parse(std::string json) {
    text = std::move(json);
    HttpRequest request;
    request.body = std::span<char>(text.data(), text.size());
    return ctx->parse_body(request);
  }
  std::string body() const { return std::string(response.body); }

  std::unique_ptr<RequestContext> ctx;
  HttpResponse response;
  std::string text;
};

TEST_F(RequestContextTest, ErrorWritesTheErrorShape) {
  ctx->error(409, "taken \"x\"");
  EXPECT_EQ(response.status, 409u);
  EXPECT_EQ(body(), R"({"error":"taken \"x\""})");
}

TEST_F(RequestContextTest, BeginAndEndFrameAResponseBody) {
  JsonWriter& w = ctx->begin(201);
  w.StartObject();
  w.EndObject();
  ctx->end();
  EXPECT_EQ(response.status, 201u);
  EXPECT_EQ(body(), "{}");
  ctx->error(400, "second");
  EXPECT_EQ(body(), R"({"error":"second"})");
}

TEST_F(RequestContextTest, ParseBodyAnswers400OnMalformedJson) {
  EXPECT_FALSE(parse("{"));
  EXPECT_EQ(response.status, 400u);
  EXPECT_NE(body().find("malformed JSON"), std::string::npos);
}

TEST_F(RequestContextTest, RequiredUintChecksKindAndRange) {
  ASSERT_TRUE(parse(R"({"n": 5, "s": "5", "f": 5.0, "neg": -1, "zero": 0})"));
  std::uint64_t v = 0;
  EXPECT_TRUE(ctx->required_uint("n", 0, 10, v));
  EXPECT_EQ(v, 5u);
  EXPECT_FALSE(ctx->required_uint("n", 0, 4, v));
  EXPECT_EQ(body(), R"({"error":"n must be at most 4"})");
  EXPECT_FALSE(ctx->required_uint("s", 0, 10, v));
  EXPECT_EQ(body(), R"({"error":"s must be an integer"})");
  EXPECT_FALSE(ctx->required_uint("f", 0, 10, v));
  EXPECT_FALSE(ctx->required_uint("neg", 0, 10, v));
  EXPECT_EQ(body(), R"({"error":"neg must not be negative"})");
  EXPECT_FALSE(ctx->required_uint("zero", 1, 10, v));
  EXPECT_EQ(body(), R"({"error":"zero must be a positive integer"})");
  EXPECT_FALSE(ctx->required_uint("missing", 0, 10, v));
  EXPECT_EQ(body(), R"({"error":"missing is required"})");
}

TEST_F(RequestContextTest, StringReadersCheckLengthAndControlCharacters) {
  ASSERT_TRUE(parse(R"({"ok": "abc", "empty": "", "long": "abcdef", "ctl": "a\tb", "num": 1})"));
  std::string_view s;
  EXPECT_TRUE(ctx->required_string("ok", 5, s));
  EXPECT_EQ(s, "abc");
  EXPECT_FALSE(ctx->required_string("empty", 5, s));
  EXPECT_FALSE(ctx->required_string("long", 5, s));
  EXPECT_EQ(body(), R"({"error":"long must be at most 5 bytes long"})");
  EXPECT_FALSE(ctx->required_string("ctl", 5, s));
  EXPECT_FALSE(ctx->required_string("num", 5, s));
  s = "unchanged";
  EXPECT_TRUE(ctx->optional_string("absent", 5, s));
  EXPECT_EQ(s, "unchanged");
  EXPECT_FALSE(ctx->required_string("absent", 5, s));
}

TEST_F(RequestContextTest, RequiredMoneyConvertsToCents) {
  ASSERT_TRUE(parse(R"({"a": 59.99, "b": -1, "c": 100.01, "d": "1"})"));
  Cents c = 0;
  EXPECT_TRUE(ctx->required_money("a", 100'00, c));
  EXPECT_EQ(c, 5999);
  EXPECT_FALSE(ctx->required_money("b", 100'00, c));
  EXPECT_EQ(body(), R"({"error":"b must not be negative"})");
  EXPECT_FALSE(ctx->required_money("c", 100'00, c));
  EXPECT_EQ(body(), R"({"error":"c must be at most 100.0"})");
  EXPECT_FALSE(ctx->required_money("d", 100'00, c));
  EXPECT_EQ(body(), R"({"error":"d must be a number"})");
}

TEST(AppendUintTest, AppendsDecimalDigits) {
  std::string out = "n=";
  append_uint(out, 0);
  out.push_back(',');
  append_uint(out, 18446744073709551615u);
  EXPECT_EQ(out, "n=0,18446744073709551615");
}

}  // namespace
}  // namespace orderd::net
