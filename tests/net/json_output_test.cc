#include "net/json_output.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

namespace orderd::net {
namespace {

class JsonOutputTest : public ::testing::Test {
 protected:
  std::string text() const { return {buffer.GetString(), buffer.GetSize()}; }
  JsonBuffer buffer;
  JsonWriter writer{buffer};
};

// A quote, a backslash, a newline and another control character.
constexpr std::string_view kAwkwardMessage = "disk \"/data\" said C:\\ no\n\x01 end";

TEST_F(JsonOutputTest, ErrorObjectsEscapeTheMessage) {
  write_error_object(writer, kAwkwardMessage);
  EXPECT_EQ(text(), R"({"error":"disk \"/data\" said C:\\ no\n\u0001 end"})");
}

TEST_F(JsonOutputTest, ErrorBodiesAreValidJsonThatCarryTheMessageIntact) {
  const std::string body = error_body(kAwkwardMessage);
  rapidjson::Document parsed;
  parsed.Parse(body.data(), body.size());
  ASSERT_FALSE(parsed.HasParseError()) << body;
  ASSERT_TRUE(parsed.IsObject());
  ASSERT_TRUE(parsed.HasMember("error"));
  const rapidjson::Value& error = parsed["error"];
  EXPECT_EQ(std::string_view(error.GetString(), error.GetStringLength()), kAwkwardMessage);
  EXPECT_EQ(error_body("plain"), R"({"error":"plain"})");
}

TEST_F(JsonOutputTest, WritesMoneyAsNumbers) {
  writer.StartArray();
  write_money(writer, 5999);
  write_money(writer, 6000);
  write_money(writer, 1);
  writer.EndArray();
  EXPECT_EQ(text(), "[59.99,60.0,0.01]");
}

TEST_F(JsonOutputTest, WritesDurationsInSeconds) {
  writer.StartArray();
  write_seconds(writer, 2'747'467);
  write_seconds(writer, 0);
  writer.EndArray();
  EXPECT_EQ(text(), "[2.747467,0.0]");
}

TEST_F(JsonOutputTest, WritesTimestampsOrNullWhenNotReached) {
  writer.StartArray();
  write_timestamp_or_null(writer, 1740150024758685);
  write_timestamp_or_null(writer, 0);
  writer.EndArray();
  EXPECT_EQ(text(), R"(["2025-02-21T15:00:24.758685Z",null])");
}

TEST_F(JsonOutputTest, WritesStageDurationsOrNullUntilTheStageEnds) {
  writer.StartArray();
  write_seconds_or_null(writer, 1'000'000, 3'747'467);
  write_seconds_or_null(writer, 1'000'000, 1'000'000);
  write_seconds_or_null(writer, 1'000'000, 0);
  write_seconds_or_null(writer, 0, 0);
  writer.EndArray();
  EXPECT_EQ(text(), "[2.747467,0.0,null,null]");
}

TEST_F(JsonOutputTest, WritesFieldsAsKeyThenValue) {
  writer.StartObject();
  write_money_field(writer, "price", 5999);
  write_seconds_field(writer, "took", 2'747'467);
  write_timestamp_or_null_field(writer, "at", 1740150024758685);
  write_timestamp_or_null_field(writer, "done_at", 0);
  write_seconds_or_null_field(writer, "pending", 1'000'000, 1'250'000);
  write_seconds_or_null_field(writer, "processing", 1'250'000, 0);
  writer.EndObject();
  EXPECT_EQ(text(), R"({"price":59.99,"took":2.747467,"at":"2025-02-21T15:00:24.758685Z",)"
                    R"("done_at":null,"pending":0.25,"processing":null})");
}

TEST_F(JsonOutputTest, EscapesKeysAndStrings) {
  writer.StartObject();
  write_key(writer, "a\"b");
  write_string(writer, std::string_view("x\ny\0z", 5));
  writer.EndObject();
  EXPECT_EQ(text(), R"({"a\"b":"x\ny\u0000z"})");
}

TEST_F(JsonOutputTest, WritesRatiosRoundedHalfAwayFromZero) {
  writer.StartArray();
  write_ratio(writer, 42, 15);           // 2.8
  write_ratio(writer, 12 * 100, 15);     // 80%
  write_ratio(writer, 1, 3);             // 0.333...
  write_ratio(writer, 2, 3);             // 0.666...
  write_ratio(writer, 1, 8, 2);          // 0.125: the half goes up
  write_ratio(writer, -1, 8, 2);         // and away from zero below it
  write_ratio(writer, 5, 0);             // nothing to divide by
  write_ratio(writer, INT64_MAX, 1, 6);  // scaled beyond 64 bits: clamped, not wrapped
  writer.EndArray();
  EXPECT_EQ(text(), "[2.8,80.0,0.33,0.67,0.13,-0.13,0.0,9223372036854.775807]");
}

TEST_F(JsonOutputTest, WritesEmptyTextAsNull) {
  writer.StartObject();
  write_text_or_null_field(writer, "city", "");
  write_text_or_null_field(writer, "email", "a@b.c");
  writer.EndObject();
  EXPECT_EQ(text(), R"({"city":null,"email":"a@b.c"})");
}

TEST_F(JsonOutputTest, WriterIsReusableAfterReset) {
  writer.StartObject();
  writer.EndObject();
  buffer.Clear();
  writer.Reset(buffer);
  writer.StartArray();
  write_money(writer, 250);
  writer.EndArray();
  EXPECT_EQ(text(), "[2.5]");
}

}  // namespace
}  // namespace orderd::net
