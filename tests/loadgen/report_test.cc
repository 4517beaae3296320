#include "loadgen/report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace orderd::loadgen {
namespace {

TEST(ReportTest, LatenciesReadInTheirNaturalUnit) {
  EXPECT_EQ(format_latency(850), "0.85us");
  EXPECT_EQ(format_latency(850'000), "850us");
  EXPECT_EQ(format_latency(1'240'000), "1.24ms");
  EXPECT_EQ(format_latency(12'400'000), "12.4ms");
  EXPECT_EQ(format_latency(2'310'000'000), "2.31s");
}

RunResult sample_result() {
  RunResult r;
  r.options.run_id = "abc";
  r.options.rate = 1000;
  r.measured_seconds = 2;
  r.offered_requests = 2000;
  r.stats.sent = 1900;
  for (int i = 0; i < 1899; ++i) r.stats.record_response(201, true, 3'000'000, 1'000'000);
  r.stats.record_response(503, false, 3'000'000, 1'000'000);
  r.stats.record_error(ErrorKind::kUnexpectedStatus);
  return r;
}

TEST(ReportTest, SummaryShowsOfferedAchievedStatusErrorsAndBothLatencies) {
  std::ostringstream out;
  print_summary(out, sample_result());
  const std::string text = out.str();
  for (const char* expected :
       {"open loop at 1000 req/s", "offered    1000.0 req/s", "achieved   950.0", "201: 1899",
        "503: 1", "unexpected_status: 1", "corrected", "uncorrected", "p99.99", "3.00ms", "1.00ms",
        "100 due requests", "orderload CPU"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
}

TEST(ReportTest, CsvRowsMatchTheHeader) {
  IntervalSample sample;
  sample.elapsed_seconds = 3;
  sample.interval_seconds = 0.5;
  sample.stats.record_response(201, true, 2'000'000, 1'000'000);
  sample.stats.record_error(ErrorKind::kIo);
  const std::string header = csv_header();
  const std::string row = csv_row(sample);
  EXPECT_EQ(std::count(header.begin(), header.end(), ','), std::count(row.begin(), row.end(), ','));
  EXPECT_TRUE(row.starts_with("3.000,0.500,1,1,1,2.0,")) << row;
  EXPECT_TRUE(row.ends_with("\n"));
}

TEST(ReportTest, ProgressLineFitsOnOneLine) {
  RequestStats total;
  IntervalSample last;
  last.interval_seconds = 1;
  for (int i = 0; i < 500; ++i) last.stats.record_response(201, true, 400'000, 300'000);
  total.merge(last.stats);
  const std::string line = progress_line({4, 10, 0, &total, &last});
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_NE(line.find("4s/10s"), std::string::npos) << line;
  EXPECT_NE(line.find("500 req/s"), std::string::npos) << line;
  EXPECT_LT(line.size(), 100u);
  const std::string by_count = progress_line({4, 0, 2000, &total, &last});
  EXPECT_NE(by_count.find("500/2000"), std::string::npos) << by_count;
}

}  // namespace
}  // namespace orderd::loadgen
