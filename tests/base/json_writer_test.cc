#include "base/json_writer.h"

#include <gtest/gtest.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace orderd {
namespace {

template <typename Writer>
std::string object_with(std::string_view key, std::string_view value) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  write_key(w, key);
  write_string(w, value);
  w.EndObject();
  return buffer.GetString();
}

TEST(JsonWriterTest, KeysAndStringsAreWrittenAsGiven) {
  EXPECT_EQ(object_with<rapidjson::Writer<rapidjson::StringBuffer>>("id", "order-1"),
            R"({"id":"order-1"})");
}

TEST(JsonWriterTest, QuotesBackslashesAndControlCharactersAreEscaped) {
  const std::string value = std::string("a\"b\\c\n") + '\x01' + "d";
  EXPECT_EQ(object_with<rapidjson::Writer<rapidjson::StringBuffer>>("error", value),
            R"({"error":"a\"b\\c\n\u0001d"})");
}

TEST(JsonWriterTest, EmbeddedNulIsKeptNotTruncated) {
  const std::string value("a\0b", 3);
  EXPECT_EQ(object_with<rapidjson::Writer<rapidjson::StringBuffer>>("k", value),
            R"({"k":"a\u0000b"})");
}

TEST(JsonWriterTest, WorksWithThePrettyWriter) {
  EXPECT_EQ(object_with<rapidjson::PrettyWriter<rapidjson::StringBuffer>>("k", "v"),
            "{\n    \"k\": \"v\"\n}");
}

std::string decimal(std::int64_t value, int scale) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartArray();
  write_scaled_decimal(w, value, scale);
  w.EndArray();
  return buffer.GetString();
}

TEST(JsonWriterTest, ScaledDecimalsAreExactNumbers) {
  EXPECT_EQ(decimal(5999, 2), "[59.99]");
  EXPECT_EQ(decimal(6000, 2), "[60.0]");
  EXPECT_EQ(decimal(2747467, 6), "[2.747467]");
}

// The value as written inside an array, where it needs no key.
template <typename T>
std::string value_text(const T& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartArray();
  write_value(w, value);
  w.EndArray();
  return buffer.GetString();
}

TEST(JsonWriterTest, BoolsAreTrueOrFalse) {
  EXPECT_EQ(value_text(true), "[true]");
  EXPECT_EQ(value_text(false), "[false]");
}

TEST(JsonWriterTest, IntegersOfAnyWidthAreExact) {
  EXPECT_EQ(value_text(std::int8_t{-7}), "[-7]");
  EXPECT_EQ(value_text(-42), "[-42]");
  EXPECT_EQ(value_text(std::numeric_limits<std::int64_t>::min()), "[-9223372036854775808]");
  EXPECT_EQ(value_text(std::uint8_t{200}), "[200]");
  EXPECT_EQ(value_text(3u), "[3]");
  EXPECT_EQ(value_text(std::numeric_limits<std::uint64_t>::max()), "[18446744073709551615]");
}

TEST(JsonWriterTest, FloatingPointIsWrittenAsTheWriterDoes) {
  EXPECT_EQ(value_text(0.25), "[0.25]");
  EXPECT_EQ(value_text(2.0), "[2.0]");
  EXPECT_EQ(value_text(1.5f), "[1.5]");
}

TEST(JsonWriterTest, StringLikeValuesAreEscapedStrings) {
  EXPECT_EQ(value_text("open"), R"(["open"])");
  EXPECT_EQ(value_text(std::string("a\"b")), R"(["a\"b"])");
  EXPECT_EQ(value_text(std::string_view("x\ny")), R"(["x\ny"])");
}

TEST(JsonWriterTest, OptionalsAreTheirValueOrNull) {
  EXPECT_EQ(value_text(std::optional<std::uint64_t>(7)), "[7]");
  EXPECT_EQ(value_text(std::optional<std::uint64_t>()), "[null]");
  EXPECT_EQ(value_text(std::optional<double>(0.5)), "[0.5]");
  EXPECT_EQ(value_text(std::optional<std::string>("s")), R"(["s"])");
}

TEST(JsonWriterTest, FieldsAreKeyThenValue) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  write_field(w, "id", 42u);
  write_field(w, "delta", -1);
  write_field(w, "name", "x");
  write_field(w, "ok", true);
  write_field(w, "rate", 1.5);
  write_field(w, "next", std::optional<std::uint64_t>());
  w.EndObject();
  EXPECT_EQ(std::string(buffer.GetString()),
            R"({"id":42,"delta":-1,"name":"x","ok":true,"rate":1.5,"next":null})");
}

TEST(JsonWriterTest, FieldsWorkWithThePrettyWriter) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  write_field(w, "count", std::uint64_t{3});
  write_field(w, "tool", "orderload");
  w.EndObject();
  EXPECT_EQ(std::string(buffer.GetString()), "{\n  \"count\": 3,\n  \"tool\": \"orderload\"\n}");
}

}  // namespace
}  // namespace orderd
