#include "loadgen/load_runner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <thread>

#include "loadgen/rate_schedule.h"
#include "tests/loadgen/stub_server.h"

namespace orderd::loadgen {
namespace {

using namespace std::chrono_literals;
using testing::StubBehaviour;
using testing::StubServer;

// Sanitizer builds are several times slower and the machine is shared, so
// they pace at a quarter of the rate.
constexpr double kRate = ORDERD_TEST_SCALE_DIVISOR > 1 ? 500 : 2000;

RunOptions options_for(const StubServer& stub) {
  std::signal(SIGPIPE, SIG_IGN);
  RunOptions o;
  o.url = *parse_server_url(stub.url());
  o.connections = 4;
  o.threads = 2;
  o.duration = 2s;
  o.warmup = 0s;
  o.timeout = 5s;
  o.random_seed = 1;
  o.progress = false;
  return o;
}

void expect_every_request_accounted_for(const RequestStats& s) {
  EXPECT_EQ(s.sent, s.responses + s.failed_requests());
  EXPECT_EQ(s.responses, s.ok + s.error_count(ErrorKind::kUnexpectedStatus) +
                             s.error_count(ErrorKind::kBadBody));
  std::uint64_t by_status = 0;
  for (auto n : s.status_counts) by_status += n;
  EXPECT_EQ(by_status, s.responses);
}

TEST(LoadRunnerTest, OpenLoopAchievesTheRequestedRate) {
  StubServer stub;
  RunOptions options = options_for(stub);
  options.rate = kRate;
  options.connections = 16;  // enough in flight to ride out scheduling hiccups
  std::vector<IntervalSample> samples;
  RunObserver observer;
  observer.on_interval = [&](const IntervalSample& s) { samples.push_back(s); };
  const RunResult result = run_load(options, nullptr, observer);

  // The schedule's count is exact, and every due request is sent: a
  // connection that fell behind catches up for up to one timeout (5 s).
  const double due = kRate * 2;
  EXPECT_EQ(result.offered_requests, static_cast<std::uint64_t>(due));
  EXPECT_EQ(result.stats.sent, result.offered_requests);
  EXPECT_EQ(result.unsent(), 0u);
  EXPECT_EQ(result.stats.ok, result.stats.sent);
  EXPECT_EQ(result.stats.total_errors(), 0u);
  EXPECT_GE(result.measured_seconds, 2.0);
  expect_every_request_accounted_for(result.stats);

  // The achieved rate counts until the last answer, so it never exceeds the
  // requested one. A descheduled thread only stretches the tail, which may
  // grow to the run's own length before this fails; a run that lost answers
  // or kept going long after its duration falls below the band.
  EXPECT_LE(result.achieved_rate(), kRate);
  EXPECT_GE(result.achieved_rate(), kRate / 2);

  // The per-second samples cover the run and add up to its total.
  ASSERT_GE(samples.size(), 2u);
  std::uint64_t responses = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    responses += samples[i].stats.responses;
    if (i + 1 == samples.size()) break;  // the last one covers the drain
    // Open loop: no request is sent before it is due, so by each sample no
    // more were answered than were due (with half a second of slack for
    // collecting the sample after its time was taken), however the threads
    // were scheduled. A runner that sent as fast as it could would have
    // answered the whole run's requests by the first sample.
    const auto collected = std::chrono::duration<double>(samples[i].elapsed_seconds + 0.5);
    EXPECT_LE(responses, RateSchedule::due_within(
                             kRate, std::chrono::duration_cast<Clock::duration>(collected)))
        << "sample " << i << " at " << samples[i].elapsed_seconds << " s";
  }
  EXPECT_EQ(responses, result.stats.responses);
  // The last sample is taken once every connection has finished: soon after
  // the last answer, or a few milliseconds before the deadline when that
  // answer came earlier (a connection stops once its next request would be
  // due after the deadline).
  EXPECT_GT(samples.back().elapsed_seconds, result.measured_seconds - 0.1);
  EXPECT_LT(samples.back().elapsed_seconds, result.measured_seconds + 2.0);
}

TEST(LoadRunnerTest, ServerStallShowsInCorrectedLatencyOnly) {
  // The whole server sleeps 250 ms once, a quarter of the way in. Requests
  // due during the stall wait for it: from their due time that is up to
  // 250 ms (corrected), while each connection's only sent request waits
  // that long and those queued behind it are sent late and answered fast
  // (uncorrected). So p99 shows the stall only when corrected. A busy
  // machine only adds latency, so the stall's marks are lower bounds and
  // the comparison of the two is relative.
  const auto stall = 250ms;
  StubServer stub({.stall_at = static_cast<std::uint64_t>(kRate / 2), .stall = stall});
  RunOptions options = options_for(stub);
  options.rate = kRate;
  const RunResult result = run_load(options);

  const auto ms = [](std::uint64_t ns) { return static_cast<double>(ns) / 1e6; };
  const Histogram& corrected = result.stats.corrected;
  const Histogram& uncorrected = result.stats.uncorrected;
  EXPECT_EQ(result.stats.total_errors(), 0u);
  EXPECT_GE(ms(corrected.max()), 240);
  EXPECT_GE(ms(corrected.percentile(99)), 150);
  EXPECT_GE(ms(corrected.percentile(90)), 20);
  EXPECT_GE(ms(uncorrected.max()), 200);  // the stalled requests themselves
  // Only the few requests in flight during the stall (one per connection,
  // under 1%) waited from their actual send. Each request's corrected
  // latency is at least its uncorrected one, so noise from a busy machine
  // raises both; measured from the send for both, or from the due time for
  // both, the two p99s would be the same.
  EXPECT_GT(corrected.percentile(99), 2 * uncorrected.percentile(99))
      << "corrected p99 " << ms(corrected.percentile(99)) << " ms, uncorrected p99 "
      << ms(uncorrected.percentile(99)) << " ms";
  EXPECT_EQ(result.stats.sent, result.offered_requests);  // the schedule caught up
}

TEST(LoadRunnerTest, CatchingUpAfterTheDeadlineIsBoundedByTheTimeout) {
  // The server sleeps from 0.05 s to 1.55 s, past the deadline (1 s) plus
  // one timeout (300 ms), which is as long as the connection may go on
  // catching up; each request it sends meanwhile times out. Most of the
  // second's due requests are never sent.
  StubServer stub({.stall_at = 100, .stall = 1500ms});
  RunOptions options = options_for(stub);
  options.rate = 2000;
  options.connections = 1;
  options.threads = 1;
  options.duration = 1s;
  options.timeout = 300ms;
  const auto started = std::chrono::steady_clock::now();
  const RunResult result = run_load(options);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_EQ(result.offered_requests, 2000u);
  EXPECT_GT(result.unsent(), 1000u);
  EXPECT_EQ(result.stats.sent + result.unsent(), result.offered_requests);
  EXPECT_GE(result.stats.error_count(ErrorKind::kTimeout), 1u);
  expect_every_request_accounted_for(result.stats);
}

TEST(LoadRunnerTest, ClosedLoopCountsExactlyTheRequestedNumberAfterWarmUp) {
  StubServer stub;
  RunOptions options = options_for(stub);
  options.requests = 300;
  options.warmup = 200ms;
  const RunResult result = run_load(options);
  EXPECT_EQ(result.stats.sent, 300u);
  EXPECT_EQ(result.stats.ok, 300u);
  EXPECT_GT(stub.creates(), 300u);  // the warm-up's requests reached it too
  EXPECT_EQ(result.offered_requests, 300u);
  EXPECT_GT(result.measured_seconds, 0.0);
  // Closed loop: no schedule, so the two latencies are the same.
  EXPECT_EQ(result.stats.corrected.percentile(99), result.stats.uncorrected.percentile(99));
  expect_every_request_accounted_for(result.stats);
}

TEST(LoadRunnerTest, StatusWorkloadSeedsOrdersThenReadsOnlyThose) {
  StubServer stub;
  RunOptions options = options_for(stub);
  options.workload = Workload::kStatus;
  options.seed_orders = 200;
  options.requests = 500;
  const RunResult result = run_load(options);
  EXPECT_EQ(result.seeded_orders, 200u);
  EXPECT_EQ(stub.creates(), 200u);
  EXPECT_EQ(stub.status_reads(), 500u);
  EXPECT_EQ(stub.reads_of_unknown_orders(), 0u);
  EXPECT_EQ(result.stats.ok, 500u);
  EXPECT_EQ(result.stats.status_counts[200], 500u);
}

TEST(LoadRunnerTest, MixedWorkloadFollowsTheRatio) {
  StubServer stub;
  RunOptions options = options_for(stub);
  options.workload = Workload::kMixed;
  options.create_percent = 30;
  options.seed_orders = 50;
  options.requests = 1000;
  const RunResult result = run_load(options);
  EXPECT_EQ(result.stats.ok, 1000u);
  const auto creates = stub.creates() - 50;
  EXPECT_NEAR(static_cast<double>(creates), 300, 60);
  EXPECT_EQ(stub.status_reads() + creates, 1000u);
  EXPECT_EQ(stub.reads_of_unknown_orders(), 0u);
}

TEST(LoadRunnerTest, PopulateWorkloadPostsPopulate) {
  StubServer stub;
  RunOptions options = options_for(stub);
  options.workload = Workload::kPopulate;
  options.requests = 40;
  const RunResult result = run_load(options);
  EXPECT_EQ(stub.populates(), 40u);
  EXPECT_EQ(result.stats.ok, 40u);
}

TEST(LoadRunnerTest, RepeatedRunsNeverReuseAnOrderId) {
  StubServer stub;
  RunOptions options = options_for(stub);
  options.requests = 200;
  options.random_seed = 7;  // the same mix both times; the run id still differs
  const RunResult first = run_load(options);
  const RunResult second = run_load(options);
  EXPECT_NE(first.options.run_id, second.options.run_id);
  EXPECT_EQ(stub.duplicate_ids(), 0u);
  EXPECT_EQ(stub.created_ids().size(), 400u);
}

TEST(LoadRunnerTest, ErrorStatusesAreCountedNotFatal) {
  StubServer stub({.forced_status = 503});
  RunOptions options = options_for(stub);
  options.requests = 100;
  const RunResult result = run_load(options);
  EXPECT_EQ(result.stats.responses, 100u);
  EXPECT_EQ(result.stats.ok, 0u);
  EXPECT_EQ(result.stats.status_counts[503], 100u);
  EXPECT_EQ(result.stats.error_count(ErrorKind::kUnexpectedStatus), 100u);
}

TEST(LoadRunnerTest, UnreachableServerFailsTheRun) {
  auto stub = std::make_unique<StubServer>();
  RunOptions options = options_for(*stub);
  stub.reset();  // nothing listens on its port any more
  try {
    run_load(options);
    FAIL() << "expected RunFailed";
  } catch (const RunFailed& e) {
    EXPECT_NE(std::string(e.what()).find("cannot connect"), std::string::npos) << e.what();
  }
}

TEST(LoadRunnerTest, FailedSeedingFailsTheRun) {
  StubServer stub({.create_status = 409});
  RunOptions options = options_for(stub);
  options.workload = Workload::kStatus;
  options.seed_orders = 20;
  try {
    run_load(options);
    FAIL() << "expected RunFailed";
  } catch (const RunFailed& e) {
    EXPECT_NE(std::string(e.what()).find("seeding failed: 0 of 20"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("409: 20"), std::string::npos) << e.what();
  }
}

TEST(LoadRunnerTest, StopRequestEndsTheRunEarly) {
  StubServer stub;
  RunOptions options = options_for(stub);
  options.duration = 60s;
  options.rate = 200;
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(300ms);
    stop.store(true);
  });
  const auto started = std::chrono::steady_clock::now();
  const RunResult result = run_load(options, &stop);
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_TRUE(result.interrupted);
  EXPECT_GT(result.stats.ok, 0u);
  EXPECT_LT(result.measured_seconds, 5.0);
  EXPECT_LE(result.stats.sent, result.offered_requests + 4);
  expect_every_request_accounted_for(result.stats);
}

}  // namespace
}  // namespace orderd::loadgen
