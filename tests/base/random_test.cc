#include "base/random.h"

#include <gtest/gtest.h>

#include <array>

namespace orderd {
namespace {

TEST(RandomTest, SameSeedSameSequence) {
  Random a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a();
    EXPECT_EQ(x, b());
    differs |= x != c();
  }
  EXPECT_TRUE(differs);
}

TEST(RandomTest, DoublesAreInTheUnitIntervalWithMeanOneHalf) {
  Random random(7);
  double sum = 0;
  constexpr int kDraws = 100'000;
  for (int i = 0; i < kDraws; ++i) {
    const double u = random.next_double();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / kDraws, 0.5, 0.01);
}

TEST(RandomTest, BelowStaysInRangeAndCoversIt) {
  Random random(9);
  std::array<int, 10> seen{};
  for (int i = 0; i < 10'000; ++i) {
    const auto v = random.below(10);
    ASSERT_LT(v, 10u);
    ++seen[v];
  }
  for (int count : seen) EXPECT_NEAR(count, 1'000, 150);
  EXPECT_EQ(random.below(1), 0u);
}

}  // namespace
}  // namespace orderd
