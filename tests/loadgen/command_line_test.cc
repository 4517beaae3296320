#include "loadgen/command_line.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <sstream>
#include <vector>

namespace orderd::loadgen {
namespace {

using namespace std::chrono_literals;

struct Parsed {
  CommandLine command_line;
  std::string out;
  std::string err;
};

Parsed parse(std::initializer_list<const char*> args) {
  std::vector<const char*> argv{"orderload"};
  argv.insert(argv.end(), args);
  std::ostringstream out, err;
  CommandLine command_line =
      parse_command_line(static_cast<int>(argv.size()), argv.data(), out, err);
  return {std::move(command_line), out.str(), err.str()};
}

TEST(CommandLineTest, NoFlagsGiveTheDefaults) {
  const Parsed p = parse({});
  ASSERT_FALSE(p.command_line.exit_code);
  const RunOptions& o = p.command_line.options;
  EXPECT_EQ(o.url.text(), "http://127.0.0.1:5000");
  EXPECT_EQ(o.workload, Workload::kCreate);
  EXPECT_EQ(o.duration, 10s);
  EXPECT_FALSE(o.requests);
  EXPECT_FALSE(o.open_loop());
}

TEST(CommandLineTest, EveryFlagIsRead) {
  const Parsed p = parse({"--url",
                          "http://localhost:9000/x",
                          "--workload",
                          "mixed",
                          "--mix",
                          "70/30",
                          "-c",
                          "32",
                          "-t",
                          "4",
                          "--requests",
                          "5000",
                          "--rate",
                          "2500",
                          "--warmup",
                          "500ms",
                          "--timeout",
                          "3s",
                          "--users",
                          "10",
                          "--products",
                          "200",
                          "--items",
                          "5",
                          "--zipf",
                          "1.2",
                          "--seed-orders",
                          "77",
                          "--populate-entries",
                          "9",
                          "--random-seed",
                          "1",
                          "--run-id",
                          "abc",
                          "--json",
                          "r.json",
                          "--csv",
                          "r.csv",
                          "--no-progress"});
  ASSERT_FALSE(p.command_line.exit_code) << p.err;
  const RunOptions& o = p.command_line.options;
  EXPECT_EQ(o.url.port, "9000");
  EXPECT_EQ(o.url.path_prefix, "/x");
  EXPECT_EQ(o.workload, Workload::kMixed);
  EXPECT_EQ(o.create_percent, 70u);
  EXPECT_EQ(o.connections, 32u);
  EXPECT_EQ(o.threads, 4u);
  EXPECT_EQ(o.requests, 5000u);
  EXPECT_EQ(o.rate, 2500);
  EXPECT_EQ(o.warmup, 500ms);
  EXPECT_EQ(o.timeout, 3s);
  EXPECT_EQ(o.users, 10u);
  EXPECT_EQ(o.products, 200u);
  EXPECT_EQ(o.items_per_order, 5u);
  EXPECT_DOUBLE_EQ(o.zipf, 1.2);
  EXPECT_EQ(o.seed_orders, 77u);
  EXPECT_EQ(o.populate_entries, 9u);
  EXPECT_EQ(o.random_seed, 1u);
  EXPECT_EQ(o.run_id, "abc");
  EXPECT_EQ(o.json_path, "r.json");
  EXPECT_EQ(o.csv_path, "r.csv");
  EXPECT_FALSE(o.progress);
}

TEST(CommandLineTest, HelpDocumentsEveryFlagAndExitsZero) {
  const Parsed p = parse({"--help"});
  EXPECT_EQ(p.command_line.exit_code, 0);
  for (const char* flag : {"--url",         "--workload",
                           "--mix",         "--connections",
                           "--threads",     "--duration",
                           "--requests",    "--rate",
                           "--warmup",      "--timeout",
                           "--users",       "--products",
                           "--items",       "--zipf",
                           "--seed-orders", "--populate-entries",
                           "--random-seed", "--run-id",
                           "--json",        "--csv",
                           "--no-progress", "coordinated omission"}) {
    EXPECT_NE(p.out.find(flag), std::string::npos) << flag;
  }
}

TEST(CommandLineTest, BadFlagsAndValuesExitTwoWithAMessage) {
  const std::vector<std::vector<const char*>> bad = {
      {"--bogus"},
      {"--connections", "0"},
      {"--connections", "-4"},
      {"--threads", "many"},
      {"--duration", "10x"},
      {"--warmup", "-1s"},
      {"--timeout", "0.5us"},
      {"--duration", "5s", "--requests", "10"},
      {"--rate", "-5"},
      {"--workload", "delete"},
      {"--mix", "80/20"},  // not the mixed workload
      {"--workload", "mixed", "--mix", "80/10"},
      {"--url", "https://127.0.0.1"},
      {"--url", "127.0.0.1:80"},
      {"--zipf", "-1"},
      {"--run-id", "UPPER"},
      {"--requests", "0"},
  };
  for (const auto& args : bad) {
    std::vector<const char*> argv{"orderload"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::ostringstream out, err;
    const CommandLine c = parse_command_line(static_cast<int>(argv.size()), argv.data(), out, err);
    EXPECT_EQ(c.exit_code, kExitUsage) << args.front();
    EXPECT_NE(err.str().find("orderload: "), std::string::npos) << args.front();
    EXPECT_NE(err.str().find("--help"), std::string::npos) << args.front();
  }
}

TEST(CommandLineTest, DurationsTakeUnitsOrBareSeconds) {
  const Parsed p = parse({"--duration", "1.5m", "--warmup", "0", "--timeout", "2"});
  ASSERT_FALSE(p.command_line.exit_code) << p.err;
  EXPECT_EQ(p.command_line.options.duration, 90s);
  EXPECT_EQ(p.command_line.options.warmup, 0s);
  EXPECT_EQ(p.command_line.options.timeout, 2s);
}

TEST(CommandLineTest, ABadDurationIsExplained) {
  const Parsed p = parse({"--warmup", "5 s"});
  EXPECT_EQ(p.command_line.exit_code, kExitUsage);
  EXPECT_NE(p.err.find("--warmup"), std::string::npos) << p.err;
  EXPECT_NE(p.err.find("'5 s'"), std::string::npos) << p.err;
}

TEST(CommandLineTest, ThreadsAreCappedByConnections) {
  const Parsed p = parse({"-c", "2", "-t", "8"});
  ASSERT_FALSE(p.command_line.exit_code);
  EXPECT_EQ(p.command_line.options.threads, 2u);
}

TEST(CommandLineTest, ZeroRateMeansClosedLoop) {
  const Parsed p = parse({"--rate", "0"});
  ASSERT_FALSE(p.command_line.exit_code);
  EXPECT_FALSE(p.command_line.options.open_loop());
}

}  // namespace
}  // namespace orderd::loadgen
