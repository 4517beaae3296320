#include "logging/log.h"

#include <gtest/gtest.h>

namespace orderd::logging {
namespace {

TEST(LogTest, LogfmtQuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(
      format_fields(Format::kLogfmt, "listening", {{"address", "127.0.0.1:5000"}, {"threads", 2}}),
      "msg=listening address=127.0.0.1:5000 threads=2");
  EXPECT_EQ(format_fields(Format::kLogfmt, "bad input", {{"why", "a \"b\"=c"}, {"empty", ""}}),
            "msg=\"bad input\" why=\"a \\\"b\\\"=c\" empty=\"\"");
}

TEST(LogTest, JsonQuotesStringsAndLeavesNumbersBare) {
  EXPECT_EQ(
      format_fields(Format::kJson, "started", {{"port", 5000}, {"ready", true}, {"dir", "./data"}}),
      "\"msg\":\"started\",\"port\":5000,\"ready\":true,\"dir\":\"./data\"}");
  EXPECT_EQ(format_fields(Format::kJson, "x", {{"v", "line\nbreak\x01"}}),
            "\"msg\":\"x\",\"v\":\"line\\nbreak\\u0001\"}");
}

TEST(LogTest, LevelsFilter) {
  configure(Level::kWarn, Format::kLogfmt);
  EXPECT_FALSE(enabled(Level::kInfo));
  EXPECT_TRUE(enabled(Level::kWarn));
  EXPECT_TRUE(enabled(Level::kError));
  configure(Level::kOff, Format::kLogfmt);
  EXPECT_FALSE(enabled(Level::kError));
  configure(Level::kInfo, Format::kLogfmt);
  EXPECT_TRUE(enabled(Level::kInfo));
  EXPECT_FALSE(enabled(Level::kDebug));
  info("log test line", {{"visible", true}});  // reaches stderr without crashing
}

TEST(LogTest, ParsesNames) {
  EXPECT_EQ(parse_level("debug"), Level::kDebug);
  EXPECT_EQ(parse_level("warning"), Level::kWarn);
  EXPECT_EQ(parse_level("loud"), std::nullopt);
  EXPECT_EQ(parse_format("json"), Format::kJson);
  EXPECT_EQ(parse_format("xml"), std::nullopt);
}

}  // namespace
}  // namespace orderd::logging
