#include "loadgen/cpu_times.h"

#include <gtest/gtest.h>

#include <chrono>

namespace orderd::loadgen {
namespace {

TEST(CpuTimesTest, BusyWorkShowsUpAsCpuTime) {
  // Spin until 20 ms of CPU time have been counted; on a busy machine that
  // takes longer than 20 ms, so the bound is on the wall clock only.
  const CpuTimes before = process_cpu_times();
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  volatile std::uint64_t sink = 0;
  CpuTimes spent;
  while (spent.total_seconds() < 0.02 && std::chrono::steady_clock::now() < give_up) {
    for (int i = 0; i < 100'000; ++i) sink = sink + 1;
    spent = process_cpu_times() - before;
  }
  EXPECT_GE(spent.total_seconds(), 0.02);
  EXPECT_GE(spent.user_seconds, 0.0);
  EXPECT_GE(spent.system_seconds, 0.0);
  EXPECT_DOUBLE_EQ(spent.total_seconds(), spent.user_seconds + spent.system_seconds);
}

}  // namespace
}  // namespace orderd::loadgen
