#include "persistence/fsync_policy.h"

#include <gtest/gtest.h>

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

TEST(FsyncPolicyTest, RefusesAnythingElseWithAReason) {
  for (const char* bad : {"", "sometimes", "interval:", "interval:0", "interval:-5",
                          "interval:10ms", "interval:999999", "ALWAYS"}) {
    std::string error;
    EXPECT_FALSE(FsyncPolicy::parse(bad, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(FsyncPolicyTest, PrintsWhatItParses) {
  for (const char* text : {"always", "never", "interval:100"}) {
    EXPECT_EQ(FsyncPolicy::parse(text, nullptr)->to_string(), text);
  }
}

}  // namespace
}  // namespace orderd::persistence
