// Writes the Prometheus text exposition format (version 0.0.4) into a
// caller-owned string, so a scrape builds its whole answer in one reused
// buffer.
//
// Usage: family() once per metric name, then its samples. Names must match
// [a-zA-Z_:][a-zA-Z0-9_:]* (the caller's constants); label values are
// escaped here. Not thread-safe: one writer per scrape.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace orderd::metrics {

using Label = std::pair<std::string_view, std::string_view>;
using Labels = std::initializer_list<Label>;

enum class MetricType { kCounter, kGauge, kHistogram };

// The content type scrapers expect for this format.
inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

class PrometheusWriter {
 public:
  explicit PrometheusWriter(std::string& out) : out_(out) {}

  void family(std::string_view name, std::string_view help, MetricType type);

  void sample(std::string_view name, Labels labels, std::int64_t value);
  void sample(std::string_view name, Labels labels, double value);

  // A histogram's _bucket, _sum and _count samples. `upper_bounds` are the
  // finite bucket bounds (ascending, in the metric's unit); `counts` holds one
  // count per finite bucket plus the overflow, non-cumulative.
  void histogram(std::string_view name, Labels labels, std::span<const double> upper_bounds,
                 std::span<const std::uint64_t> counts, double sum);

  static std::string escape_label_value(std::string_view value);

 private:
  void write_name_and_labels(std::string_view name, std::string_view suffix, Labels labels,
                             std::string_view le = {});
  std::string& out_;
};

// Formats a double the way Prometheus parses it: shortest round-trip form,
// "+Inf", "-Inf" or "NaN".
std::string format_metric_value(double value);

}  // namespace orderd::metrics
