#include "loadgen/cpu_times.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>

#include "tests/support/wait_until.h"

namespace orderd::loadgen {
namespace {

TEST(CpuTimesTest, BusyWorkShowsUpAsCpuTime) {
  // Spin until 20 ms of CPU time have been counted; on a busy machine that
  // takes longer than 20 ms, so the bound is on the wall clock only.
  const CpuTimes before = process_cpu_times();
  volatile std::uint64_t sink = 0;
  CpuTimes spent;
  EXPECT_TRUE(orderd::testing::wait_until(
      [&] {
        for (int i = 0; i < 100'000; ++i) sink = sink + 1;
        spent = process_cpu_times() - before;
        return spent.total_seconds() >= 0.02;
      },
      std::chrono::seconds(20), std::chrono::milliseconds::zero()))
      << "CPU time counted: " << spent.total_seconds() << " s";
  // Nothing is asserted about the split: the kernel apportions the time
  // between user and system by sampling, and a short spin may all land on
  // either side.
}

TEST(CpuTimesTest, DifferenceSubtractsEachField) {
  const CpuTimes a{1.5, 0.25};
  const CpuTimes b{0.5, 0.125};
  const CpuTimes d = a - b;
  EXPECT_DOUBLE_EQ(d.user_seconds, 1.0);
  EXPECT_DOUBLE_EQ(d.system_seconds, 0.125);
  EXPECT_DOUBLE_EQ(d.total_seconds(), 1.125);
}

}  // namespace
}  // namespace orderd::loadgen
