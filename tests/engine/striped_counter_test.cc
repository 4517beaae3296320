#include "engine/striped_counter.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace orderd {
namespace {

TEST(StripedCountersTest, SumsAcrossThreads) {
  StripedCounters<3> counters;
  constexpr int kThreads = 8, kAdds = 10'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kAdds; ++i) {
        counters.add(0, 1);
        counters.add(2, -2);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(counters.read(0), kThreads * kAdds);
  EXPECT_EQ(counters.read(1), 0);
  EXPECT_EQ(counters.read(2), -2 * kThreads * kAdds);
  auto all = counters.read_all();
  EXPECT_EQ(all[0], kThreads * kAdds);
  EXPECT_EQ(all[2], -2 * kThreads * kAdds);
}

TEST(StripedCountersTest, ThreadKeepsItsStripe) {
  EXPECT_EQ(this_thread_stripe(), this_thread_stripe());
  EXPECT_LT(this_thread_stripe(), kCounterStripes);
}

}  // namespace
}  // namespace orderd
