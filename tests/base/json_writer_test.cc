#include "base/json_writer.h"

#include <gtest/gtest.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

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

}  // namespace
}  // namespace orderd
