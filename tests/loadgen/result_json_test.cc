#include "loadgen/result_json.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace orderd::loadgen {
namespace {

RunResult sample_result(bool open_loop) {
  RunResult r;
  r.options.run_id = "abc123";
  r.options.rate = open_loop ? 1000 : 0;
  r.options.workload = Workload::kMixed;
  r.options.create_percent = 80;
  r.measured_seconds = 2;
  r.offered_requests = open_loop ? 2000 : 1990;
  r.seeded_orders = 100;
  r.stats.sent = 1990;
  for (int i = 0; i < 1985; ++i) r.stats.record_response(201, true, 1'000'000, 500'000);
  r.stats.record_response(409, false, 2'000'000, 2'000'000);
  r.stats.record_error(ErrorKind::kUnexpectedStatus);
  for (int i = 0; i < 4; ++i) r.stats.record_error(ErrorKind::kTimeout);
  r.cpu = {0.5, 0.25};
  return r;
}

rapidjson::Document parse(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  EXPECT_FALSE(doc.HasParseError()) << json;
  return doc;
}

TEST(ResultJsonTest, PercentilesAreNamedPlainlyInMicroseconds) {
  const auto doc = parse(result_to_json(sample_result(true)));
  for (const char* name : {"latency_us", "latency_uncorrected_us"}) {
    ASSERT_TRUE(doc.HasMember(name)) << name;
    for (const char* key :
         {"count", "min", "mean", "p50", "p90", "p99", "p99.9", "p99.99", "max"}) {
      EXPECT_TRUE(doc[name].HasMember(key)) << name << "." << key;
    }
  }
  EXPECT_NEAR(doc["latency_us"]["p50"].GetDouble(), 1000.0, 1000.0 * 0.01);
  EXPECT_NEAR(doc["latency_uncorrected_us"]["p50"].GetDouble(), 500.0, 500.0 * 0.01);
  EXPECT_DOUBLE_EQ(doc["latency_us"]["max"].GetDouble(), 2000.0);
  EXPECT_EQ(doc["latency_us"]["count"].GetUint64(), 1986u);
}

TEST(ResultJsonTest, CountsAreConsistent) {
  const auto doc = parse(result_to_json(sample_result(true)));
  const auto& requests = doc["requests"];
  EXPECT_EQ(requests["offered"].GetUint64(), 2000u);
  EXPECT_EQ(requests["sent"].GetUint64(), 1990u);
  EXPECT_EQ(requests["unsent"].GetUint64(), 10u);
  EXPECT_EQ(requests["responses"].GetUint64(), 1986u);
  EXPECT_EQ(requests["ok"].GetUint64(), 1985u);
  EXPECT_EQ(requests["failed"].GetUint64(), 4u);
  EXPECT_EQ(requests["sent"].GetUint64(),
            requests["responses"].GetUint64() + requests["failed"].GetUint64());
  EXPECT_EQ(doc["status_codes"]["201"].GetUint64(), 1985u);
  EXPECT_EQ(doc["status_codes"]["409"].GetUint64(), 1u);
  EXPECT_EQ(doc["errors"]["timeout"].GetUint64(), 4u);
  EXPECT_EQ(doc["errors"]["unexpected_status"].GetUint64(), 1u);
  EXPECT_EQ(doc["errors"]["total"].GetUint64(), 5u);
  EXPECT_DOUBLE_EQ(doc["achieved_rate"].GetDouble(), 993.0);
  EXPECT_DOUBLE_EQ(doc["offered_rate"].GetDouble(), 1000.0);
}

TEST(ResultJsonTest, ConfigAndCpuAreIncluded) {
  const auto doc = parse(result_to_json(sample_result(true)));
  EXPECT_STREQ(doc["tool"].GetString(), "orderload");
  EXPECT_STREQ(doc["run_id"].GetString(), "abc123");
  EXPECT_STREQ(doc["config"]["mode"].GetString(), "open");
  EXPECT_STREQ(doc["config"]["workload"].GetString(), "mixed");
  EXPECT_EQ(doc["config"]["mix_create_percent"].GetUint(), 80u);
  EXPECT_EQ(doc["config"]["seed_orders"].GetUint64(), 10'000u);
  EXPECT_DOUBLE_EQ(doc["cpu"]["user_s"].GetDouble(), 0.5);
  EXPECT_DOUBLE_EQ(doc["cpu"]["system_s"].GetDouble(), 0.25);
  EXPECT_DOUBLE_EQ(doc["cpu"]["cores_used"].GetDouble(), 0.375);
}

TEST(ResultJsonTest, ClosedLoopHasNoOfferedRate) {
  const auto doc = parse(result_to_json(sample_result(false)));
  EXPECT_STREQ(doc["config"]["mode"].GetString(), "closed");
  EXPECT_TRUE(doc["offered_rate"].IsNull());
  EXPECT_TRUE(doc["config"]["rate"].IsNull());
}

}  // namespace
}  // namespace orderd::loadgen
