// Draws integers 1..n with P(k) proportional to 1 / k^s (Zipf's law), so that
// a few low product ids are hot and the rest see little traffic. s = 0 is
// uniform; s around 1 is the classic web-cache skew; larger is hotter.
//
// Uses rejection-inversion (Hörmann and Derflinger, 1996): O(1) memory and
// expected time for any n, no table. sample() is const and may be called from
// many threads at once, each with its own Random.
#pragma once

#include <cstdint>

#include "base/random.h"

namespace orderd::loadgen {

class ZipfSampler {
 public:
  // n >= 1, exponent >= 0 and finite; throws std::invalid_argument otherwise.
  ZipfSampler(std::uint64_t n, double exponent);

  std::uint64_t sample(Random& random) const;

  std::uint64_t n() const { return n_; }
  double exponent() const { return exponent_; }

  // P(k) for 1 <= k <= n, computed directly (O(n)); for tests and reports.
  double probability(std::uint64_t k) const;

 private:
  double h(double x) const;
  double h_integral(double x) const;
  double h_integral_inverse(double x) const;

  std::uint64_t n_;
  double exponent_;
  double h_integral_x1_ = 0;
  double h_integral_n_ = 0;
  double squeeze_ = 0;
};

}  // namespace orderd::loadgen
