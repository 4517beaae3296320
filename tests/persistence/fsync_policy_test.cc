#include "persistence/fsync_policy.h"

#include <gtest/gtest.h>

#include <utility>

namespace orderd::persistence {
namespace {

TEST(FsyncPolicyTest, ParsesTheThreePolicies) {
  std::string error;
  EXPECT_EQ(FsyncPolicy::parse("always", &error), FsyncPolicy::always());
  EXPECT_EQ(FsyncPolicy::parse("never", &error), FsyncPolicy::never());
  auto interval = FsyncPolicy::parse("interval:25", &error);
  ASSERT_TRUE(interval);
  EXPECT_EQ(interval->mode, FsyncPolicy::Mode::kInterval);
  EXPECT_EQ(interval->interval, std::chrono::milliseconds(25));
  EXPECT_TRUE(FsyncPolicy::always().acknowledges_after_sync());
  EXPECT_FALSE(interval->acknowledges_after_sync());
}

TEST(FsyncPolicyTest, IntervalsTakeADurationAndABareNumberIsMilliseconds) {
  using namespace std::chrono_literals;
  for (auto [text, interval] : {std::pair{"interval:20", 20ms},
                                {"interval:20ms", 20ms},
                                {"interval:1.5s", 1500ms},
                                {"interval:1", 1ms},
                                {"interval:60000", 60000ms},
                                {"interval:1m", 60000ms}}) {
    EXPECT_EQ(FsyncPolicy::parse(text, nullptr), FsyncPolicy::every(interval)) << text;
  }
}

TEST(FsyncPolicyTest, RefusesAnythingElseWithAReason) {
  for (const char* bad :
       {"", "sometimes", "interval:", "interval:0", "interval:-5", "interval:10x",
        "interval:999999", "interval:61s", "interval:1500us", "interval:0.5", "ALWAYS"}) {
    std::string error;
    EXPECT_FALSE(FsyncPolicy::parse(bad, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(FsyncPolicyTest, ReasonsNameTheLimits) {
  std::string error;
  EXPECT_FALSE(FsyncPolicy::parse("interval:2m", &error));
  EXPECT_NE(error.find("from 1ms to 1m"), std::string::npos) << error;
  EXPECT_FALSE(FsyncPolicy::parse("interval:1500us", &error));
  EXPECT_NE(error.find("multiple of 1ms"), std::string::npos) << error;
}

TEST(FsyncPolicyTest, PrintsWhatItParses) {
  for (const char* text : {"always", "never", "interval:100"}) {
    EXPECT_EQ(FsyncPolicy::parse(text, nullptr)->to_string(), text);
  }
}

}  // namespace
}  // namespace orderd::persistence
