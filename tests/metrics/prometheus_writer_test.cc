#include "metrics/prometheus_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace orderd::metrics {
namespace {

TEST(PrometheusWriterTest, CounterFamilyWithLabels) {
  std::string out;
  PrometheusWriter w(out);
  w.family("orderd_orders_total", "Orders accepted.", MetricType::kCounter);
  w.sample("orderd_orders_total", {{"result", "accepted"}}, std::int64_t{42});
  w.sample("orderd_orders_total", {}, std::int64_t{7});
  EXPECT_EQ(out,
            "# HELP orderd_orders_total Orders accepted.\n"
            "# TYPE orderd_orders_total counter\n"
            "orderd_orders_total{result=\"accepted\"} 42\n"
            "orderd_orders_total 7\n");
}

TEST(PrometheusWriterTest, EscapesLabelValuesAndHelp) {
  std::string out;
  PrometheusWriter w(out);
  w.family("m", "a \\ b\nc", MetricType::kGauge);
  w.sample("m", {{"path", "a\"b\\c\nd"}}, 1.5);
  EXPECT_EQ(out,
            "# HELP m a \\\\ b\\nc\n"
            "# TYPE m gauge\n"
            "m{path=\"a\\\"b\\\\c\\nd\"} 1.5\n");
}

TEST(PrometheusWriterTest, HistogramBucketsAreCumulativeWithInf) {
  std::string out;
  PrometheusWriter w(out);
  std::vector<double> bounds = {0.001, 0.01};
  std::vector<std::uint64_t> counts = {2, 3, 1};
  w.histogram("lat_seconds", {{"route", "/orders"}}, bounds, counts, 0.5);
  EXPECT_EQ(out,
            "lat_seconds_bucket{route=\"/orders\",le=\"0.001\"} 2\n"
            "lat_seconds_bucket{route=\"/orders\",le=\"0.01\"} 5\n"
            "lat_seconds_bucket{route=\"/orders\",le=\"+Inf\"} 6\n"
            "lat_seconds_sum{route=\"/orders\"} 0.5\n"
            "lat_seconds_count{route=\"/orders\"} 6\n");
}

TEST(PrometheusWriterTest, HistogramWithoutLabels) {
  std::string out;
  PrometheusWriter w(out);
  std::vector<double> bounds = {1};
  std::vector<std::uint64_t> counts = {0, 0};
  w.histogram("h", {}, bounds, counts, 0);
  EXPECT_EQ(out, "h_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 0\nh_sum 0\nh_count 0\n");
}

TEST(PrometheusWriterTest, SpecialValues) {
  EXPECT_EQ(format_metric_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_metric_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_metric_value(std::nan("")), "NaN");
  EXPECT_EQ(format_metric_value(0.25), "0.25");
  EXPECT_EQ(format_metric_value(1e-05), "1e-05");
}

TEST(PrometheusWriterTest, BoundsAreWrittenAsPlainDecimals) {
  EXPECT_EQ(format_metric_value(0.0001), "0.0001");
  EXPECT_EQ(format_metric_value(0.0005), "0.0005");
  EXPECT_EQ(format_metric_value(2.5), "2.5");
  EXPECT_EQ(format_metric_value(1048575), "1048575");
  EXPECT_EQ(format_metric_value(0), "0");
  EXPECT_EQ(format_metric_value(-3.5), "-3.5");
  EXPECT_EQ(format_metric_value(1e21), "1e+21");
}

}  // namespace
}  // namespace orderd::metrics
