#include "loadgen/zipf_sampler.h"

#include <cmath>
#include <stdexcept>

namespace orderd::loadgen {
namespace {

// log1p(x) / x and expm1(x) / x, with their Taylor series near 0 where the
// division would lose all precision (this is what makes exponent 1 work).
double log1p_over_x(double x) {
  if (std::abs(x) > 1e-8) return std::log1p(x) / x;
  return 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x));
}

double expm1_over_x(double x) {
  if (std::abs(x) > 1e-8) return std::expm1(x) / x;
  return 1 + x * 0.5 * (1 + x * (1.0 / 3) * (1 + 0.25 * x));
}

}  // namespace

ZipfSampler::ZipfSampler(std::uint64_t n, double exponent) : n_(n), exponent_(exponent) {
  if (n == 0) throw std::invalid_argument("Zipf: n must be at least 1");
  if (!(exponent >= 0) || !std::isfinite(exponent)) {
    throw std::invalid_argument("Zipf: exponent must be finite and >= 0");
  }
  h_integral_x1_ = h_integral(1.5) - 1.0;
  h_integral_n_ = h_integral(static_cast<double>(n) + 0.5);
  squeeze_ = 2.0 - h_integral_inverse(h_integral(2.5) - h(2));
}

// h(x) = x^-s is the density the sampler inverts; H is its antiderivative,
// written so that it is continuous in s through s = 1.
double ZipfSampler::h(double x) const { return std::exp(-exponent_ * std::log(x)); }

double ZipfSampler::h_integral(double x) const {
  const double log_x = std::log(x);
  return expm1_over_x((1.0 - exponent_) * log_x) * log_x;
}

double ZipfSampler::h_integral_inverse(double x) const {
  double t = x * (1.0 - exponent_);
  if (t < -1.0) t = -1.0;  // only reachable through rounding
  return std::exp(log1p_over_x(t) * x);
}

std::uint64_t ZipfSampler::sample(Random& random) const {
  if (n_ == 1) return 1;
  if (exponent_ == 0) return 1 + random.below(n_);
  for (;;) {
    // u is uniform in (H(1.5) - 1, H(n + 0.5)]; x = H^-1(u) covers [0.5, n + 0.5].
    const double u = h_integral_n_ + random.next_double() * (h_integral_x1_ - h_integral_n_);
    const double x = h_integral_inverse(u);
    double rounded = std::floor(x + 0.5);
    if (rounded < 1) rounded = 1;
    if (rounded > static_cast<double>(n_)) rounded = static_cast<double>(n_);
    // Accept at once inside the squeeze, else compare against the exact area.
    if (rounded - x <= squeeze_ || u >= h_integral(rounded + 0.5) - h(rounded)) {
      return static_cast<std::uint64_t>(rounded);
    }
  }
}

double ZipfSampler::probability(std::uint64_t k) const {
  if (k < 1 || k > n_) return 0;
  double normaliser = 0;
  for (std::uint64_t i = 1; i <= n_; ++i)
    normaliser += std::pow(static_cast<double>(i), -exponent_);
  return std::pow(static_cast<double>(k), -exponent_) / normaliser;
}

}  // namespace orderd::loadgen
