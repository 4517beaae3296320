#include "loadgen/run_options.h"

#include <gtest/gtest.h>

#include <set>

namespace orderd::loadgen {
namespace {

using namespace std::chrono_literals;

TEST(RunOptionsTest, DefaultsAreValid) { EXPECT_EQ(validate(RunOptions{}), ""); }

TEST(RunOptionsTest, EachBadValueIsNamed) {
  auto problem = [](auto change) {
    RunOptions options;
    change(options);
    return validate(options);
  };
  EXPECT_NE(problem([](RunOptions& o) { o.connections = 0; }).find("--connections"),
            std::string::npos);
  EXPECT_NE(problem([](RunOptions& o) { o.threads = 0; }).find("--threads"), std::string::npos);
  EXPECT_NE(problem([](RunOptions& o) { o.requests = 0; }).find("--requests"), std::string::npos);
  EXPECT_NE(problem([](RunOptions& o) { o.duration = 0s; }).find("--duration"), std::string::npos);
  EXPECT_NE(problem([](RunOptions& o) { o.rate = -1; }).find("--rate"), std::string::npos);
  EXPECT_NE(problem([](RunOptions& o) { o.timeout = 0s; }).find("--timeout"), std::string::npos);
  EXPECT_NE(problem([](RunOptions& o) { o.products = 0; }).find("--products"), std::string::npos);
  EXPECT_NE(problem([](RunOptions& o) { o.zipf = -1; }).find("--zipf"), std::string::npos);
  EXPECT_NE(problem([](RunOptions& o) { o.run_id = "Bad-Id"; }).find("--run-id"),
            std::string::npos);
  EXPECT_NE(problem([](RunOptions& o) {
              o.workload = Workload::kStatus;
              o.seed_orders = 0;
            }).find("--seed-orders"),
            std::string::npos);
}

TEST(RunOptionsTest, DurationsTakeUnits) {
  EXPECT_EQ(parse_run_duration("10s"), 10s);
  EXPECT_EQ(parse_run_duration("10"), 10s);
  EXPECT_EQ(parse_run_duration("250ms"), 250ms);
  EXPECT_EQ(parse_run_duration("1.5s"), 1500ms);
  EXPECT_EQ(parse_run_duration("2m"), 120s);
  EXPECT_EQ(parse_run_duration("500us"), 500us);
  EXPECT_EQ(parse_run_duration("0"), 0s);
  EXPECT_FALSE(parse_run_duration(""));
  EXPECT_FALSE(parse_run_duration("s"));
  EXPECT_FALSE(parse_run_duration("-1s"));
  EXPECT_FALSE(parse_run_duration("10 s"));
  EXPECT_FALSE(parse_run_duration("10x"));
  EXPECT_FALSE(parse_run_duration("1e30s"));
}

TEST(RunOptionsTest, DurationsShareTheGrammarOfEveryFlag) {
  EXPECT_EQ(parse_run_duration("2h"), 2h);
  EXPECT_EQ(parse_run_duration("0.5"), 500ms);
  EXPECT_FALSE(parse_run_duration("0.5us"));
  std::string error;
  EXPECT_FALSE(parse_run_duration("10x", &error));
  EXPECT_NE(error.find("'10x'"), std::string::npos) << error;
  EXPECT_NE(error.find("250ms"), std::string::npos) << error;
}

TEST(RunOptionsTest, RunIdsAreShortAndDistinct) {
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    const std::string id = make_run_id();
    EXPECT_EQ(id.size(), 8u);
    RunOptions options;
    options.run_id = id;
    EXPECT_EQ(validate(options), "");
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 100u);
}

}  // namespace
}  // namespace orderd::loadgen
