#include "net/json_input.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>

namespace orderd::net {
namespace {

class JsonInputTest : public ::testing::Test {
 protected:
  bool parse(std::string json) {
    text = std::move(json);
    return reader.parse(std::span<char>(text.data(), text.size()));
  }
  std::string text;
  JsonObjectReader reader;
};

TEST_F(JsonInputTest, ReadsTheSeedOrder) {
  ASSERT_TRUE(parse(R"({
    "user_id": 1,
    "order_id": "ORD003",
    "item_ids": [101, 102, 103],
    "total_amount": 59.99
  })"))
      << reader.error();
  ASSERT_EQ(reader.members().size(), 4u);
  const JsonMember* user = reader.find("user_id");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->value.kind, JsonKind::kNumber);
  EXPECT_EQ(user->value.text, "1");
  EXPECT_EQ(reader.find("order_id")->value.text, "ORD003");
  EXPECT_EQ(reader.find("order_id")->value.kind, JsonKind::kString);
  const JsonMember* items = reader.find("item_ids");
  ASSERT_EQ(items->value.kind, JsonKind::kArray);
  ASSERT_EQ(items->elements.size(), 3u);
  EXPECT_EQ(items->elements[2].text, "103");
  EXPECT_EQ(reader.find("total_amount")->value.text, "59.99");
  EXPECT_EQ(reader.find("missing"), nullptr);
}

TEST_F(JsonInputTest, KeepsNumbersAsTheirExactText) {
  ASSERT_TRUE(parse(R"({"a": 0.1000, "b": -5e-3, "c": 18446744073709551616})"));
  EXPECT_EQ(reader.find("a")->value.text, "0.1000");
  EXPECT_EQ(reader.find("b")->value.text, "-5e-3");
  EXPECT_EQ(reader.find("c")->value.text, "18446744073709551616");
}

TEST_F(JsonInputTest, UnescapesStringsInPlace) {
  ASSERT_TRUE(parse(R"({"k\u00e9y": "a\"b\\c\u0041\n"})"));
  ASSERT_EQ(reader.members().size(), 1u);
  EXPECT_EQ(reader.members()[0].key, "k\xC3\xA9y");
  EXPECT_EQ(reader.members()[0].value.text, "a\"b\\cA\n");
}

TEST_F(JsonInputTest, RecordsNestedValuesByKindOnly) {
  ASSERT_TRUE(
      parse(R"({"o": {"x": [1, {"y": 2}]}, "a": [1, [2, 3], {"z": 4}, null, true], "n": 5})"));
  EXPECT_EQ(reader.find("o")->value.kind, JsonKind::kObject);
  const JsonMember* a = reader.find("a");
  ASSERT_EQ(a->elements.size(), 5u);
  EXPECT_EQ(a->elements[0].kind, JsonKind::kNumber);
  EXPECT_EQ(a->elements[1].kind, JsonKind::kArray);
  EXPECT_EQ(a->elements[2].kind, JsonKind::kObject);
  EXPECT_EQ(a->elements[3].kind, JsonKind::kNull);
  EXPECT_EQ(a->elements[4].kind, JsonKind::kTrue);
  EXPECT_EQ(reader.find("n")->value.text, "5");
}

TEST_F(JsonInputTest, EmptyArraysAndObjectsAreFine) {
  ASSERT_TRUE(parse(R"({"a": [], "b": [7]})"));
  EXPECT_TRUE(reader.find("a")->elements.empty());
  ASSERT_EQ(reader.find("b")->elements.size(), 1u);
  EXPECT_EQ(reader.find("b")->elements[0].text, "7");
  ASSERT_TRUE(parse("{}"));
  EXPECT_TRUE(reader.members().empty());
}

TEST_F(JsonInputTest, RefusesANonObjectRoot) {
  for (const char* body : {"[1]", "1", "\"x\"", "null", "", "   "}) {
    EXPECT_FALSE(parse(body)) << body;
    EXPECT_EQ(reader.error(), "the request body must be a JSON object") << body;
  }
}

TEST_F(JsonInputTest, RefusesMalformedJsonWithItsPosition) {
  EXPECT_FALSE(parse(R"({"a": 1,})"));
  EXPECT_NE(reader.error().find("malformed JSON"), std::string::npos) << reader.error();
  EXPECT_NE(reader.error().find("at byte"), std::string::npos) << reader.error();
  for (const char* body : {"{", "{\"a\" 1}", "{\"a\": 01}", "{\"a\": NaN}", "{\"a\": 1} x",
                           "{'a': 1}", "{\"a\": 1e999}", "{\"a\": tru}"}) {
    EXPECT_FALSE(parse(body)) << body;
  }
}

TEST_F(JsonInputTest, RefusesInvalidUtf8) { EXPECT_FALSE(parse("{\"a\": \"\xFF\xFE\"}")); }

TEST_F(JsonInputTest, RefusesABodyEndingInsideAUtf8SequenceWithoutReadingPastIt) {
  // Each would have the encoding check read up to three bytes past the '\0'.
  for (const char* body :
       {"{\"a\": \"\xF0", "{\"a\": \"\xF0x", "{\"a\": \"\xE2\x82", "{\"a\": \"\xC3"}) {
    // Exactly the body and its '\0', so that ASan sees any byte past them.
    const std::size_t n = std::strlen(body);
    std::unique_ptr<char[]> exact(new char[n + 1]);
    std::memcpy(exact.get(), body, n + 1);
    EXPECT_FALSE(reader.parse(std::span<char>(exact.get(), n))) << body;
    EXPECT_EQ(reader.error(), "malformed JSON: invalid UTF-8 at the end of the body");
  }
  EXPECT_TRUE(parse("{\"a\": \"\xE2\x82\xAC\"}")) << "a whole sequence near the end is fine";
}

TEST_F(JsonInputTest, RefusesAnEmbeddedNul) {
  std::string body = "{\"a\": 1}";
  body.push_back('\0');
  body += "{\"b\": 2}";
  EXPECT_FALSE(parse(body));
}

TEST_F(JsonInputTest, RefusesDuplicateKeys) {
  EXPECT_FALSE(parse(R"({"a": 1, "a": 2})"));
  EXPECT_EQ(reader.error(), "duplicate field in the request body");
}

TEST_F(JsonInputTest, RefusesTooManyMembers) {
  std::string body = "{";
  for (std::size_t i = 0; i <= JsonObjectReader::kMaxMembers; ++i) {
    body += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  }
  body += "}";
  EXPECT_FALSE(parse(body));
}

TEST_F(JsonInputTest, SurvivesDeepNestingWithoutRecursion) {
  std::string body = "{\"a\":" + std::string(200'000, '[') + std::string(200'000, ']') + "}";
  ASSERT_TRUE(parse(body)) << reader.error();
  EXPECT_EQ(reader.find("a")->value.kind, JsonKind::kArray);
}

TEST_F(JsonInputTest, ReusesTheReaderAcrossParses) {
  ASSERT_TRUE(parse(R"({"a": [1, 2]})"));
  ASSERT_TRUE(parse(R"({"b": [3], "c": [4, 5, 6]})"));
  EXPECT_EQ(reader.find("a"), nullptr);
  EXPECT_EQ(reader.find("b")->elements.size(), 1u);
  ASSERT_EQ(reader.find("c")->elements.size(), 3u);
  EXPECT_EQ(reader.find("c")->elements[0].text, "4");
}

TEST(ParseJsonUintTest, AcceptsOnlyPlainIntegersInRange) {
  std::uint64_t v = 0;
  EXPECT_EQ(parse_json_uint("42", 100, &v), IntegerError::kNone);
  EXPECT_EQ(v, 42u);
  EXPECT_EQ(parse_json_uint("-0", 100, &v), IntegerError::kNone);
  EXPECT_EQ(v, 0u);
  EXPECT_EQ(parse_json_uint("101", 100, &v), IntegerError::kTooLarge);
  EXPECT_EQ(parse_json_uint("18446744073709551616", UINT64_MAX, &v), IntegerError::kTooLarge);
  EXPECT_EQ(parse_json_uint("-1", 100, &v), IntegerError::kNegative);
  EXPECT_EQ(parse_json_uint("1.0", 100, &v), IntegerError::kNotInteger);
  EXPECT_EQ(parse_json_uint("1e2", 100, &v), IntegerError::kNotInteger);
  EXPECT_EQ(parse_json_uint("", 100, &v), IntegerError::kNotInteger);
  EXPECT_EQ(parse_json_uint("12a", 100, &v), IntegerError::kNotInteger);
  EXPECT_EQ(parse_json_uint("-", 100, &v), IntegerError::kNotInteger);
}

}  // namespace
}  // namespace orderd::net
