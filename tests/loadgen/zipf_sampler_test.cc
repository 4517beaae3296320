#include "loadgen/zipf_sampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace orderd::loadgen {
namespace {

// Draws many samples and compares every value's frequency with its exact
// probability: a chi-square statistic and a per-value bound.
void expect_matches_distribution(std::uint64_t n, double exponent) {
  const ZipfSampler sampler(n, exponent);
  Random random(1234);
  constexpr int kDraws = 200'000;
  std::vector<int> counts(n + 1, 0);
  for (int i = 0; i < kDraws; ++i) {
    const std::uint64_t k = sampler.sample(random);
    ASSERT_GE(k, 1u);
    ASSERT_LE(k, n);
    ++counts[k];
  }
  double chi_square = 0;
  for (std::uint64_t k = 1; k <= n; ++k) {
    const double expected = sampler.probability(k) * kDraws;
    chi_square += (counts[k] - expected) * (counts[k] - expected) / expected;
    // Five standard deviations of a binomial count, plus a little slack.
    EXPECT_NEAR(counts[k], expected, 5 * std::sqrt(expected) + 2) << "k=" << k;
  }
  // n - 1 degrees of freedom; mean n - 1, sd sqrt(2(n - 1)). Six sd is never
  // reached by chance with this fixed seed, and catches any real bias.
  const double dof = static_cast<double>(n - 1);
  EXPECT_LT(chi_square, dof + 6 * std::sqrt(2 * dof)) << "n=" << n << " s=" << exponent;
}

TEST(ZipfSamplerTest, ExponentOneMatchesZipfsLaw) { expect_matches_distribution(100, 1.0); }
TEST(ZipfSamplerTest, MildSkewMatches) { expect_matches_distribution(100, 0.5); }
TEST(ZipfSamplerTest, StrongSkewMatches) { expect_matches_distribution(50, 1.5); }
TEST(ZipfSamplerTest, ZeroExponentIsUniform) { expect_matches_distribution(20, 0.0); }

TEST(ZipfSamplerTest, HotProductsGetTheirShareOfALargeCatalog) {
  // orderd's demo catalog: 1000 products. With s = 1.1, product 1 alone gets
  // about 1/H(1000, 1.1) of all picks.
  const ZipfSampler sampler(1000, 1.1);
  Random random(5);
  int first = 0, top_ten = 0;
  constexpr int kDraws = 100'000;
  for (int i = 0; i < kDraws; ++i) {
    const auto k = sampler.sample(random);
    first += k == 1;
    top_ten += k <= 10;
  }
  double top_ten_probability = 0;
  for (std::uint64_t k = 1; k <= 10; ++k) top_ten_probability += sampler.probability(k);
  EXPECT_NEAR(first / double(kDraws), sampler.probability(1), 0.01);
  EXPECT_NEAR(top_ten / double(kDraws), top_ten_probability, 0.01);
  EXPECT_GT(sampler.probability(1), 0.15);
}

TEST(ZipfSamplerTest, OneElementAlwaysGivesOne) {
  const ZipfSampler sampler(1, 2.0);
  Random random(1);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(sampler.sample(random), 1u);
}

TEST(ZipfSamplerTest, HugeRangeNeedsNoTable) {
  const ZipfSampler sampler(std::uint64_t{1} << 40, 1.2);
  Random random(3);
  for (int i = 0; i < 1'000; ++i) {
    const auto k = sampler.sample(random);
    ASSERT_GE(k, 1u);
    ASSERT_LE(k, std::uint64_t{1} << 40);
  }
}

TEST(ZipfSamplerTest, RejectsBadParameters) {
  EXPECT_THROW(ZipfSampler(0, 1.0), std::invalid_argument);
  EXPECT_THROW(ZipfSampler(10, -0.5), std::invalid_argument);
  EXPECT_THROW(ZipfSampler(10, std::nan("")), std::invalid_argument);
}

}  // namespace
}  // namespace orderd::loadgen
