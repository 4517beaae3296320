#include "loadgen/recorder.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace orderd::loadgen {
namespace {

using namespace std::chrono_literals;

TEST(RecorderTest, VerdictsBecomeErrorsOfTheirKind) {
  Recorder recorder;
  const Clock::time_point now = Clock::now();
  recorder.record_sent();
  recorder.record_response(201, ResponseVerdict::kOk, 2ms, 1ms, now);
  recorder.record_response(500, ResponseVerdict::kUnexpectedStatus, 2ms, 1ms, now);
  recorder.record_response(201, ResponseVerdict::kBadBody, 2ms, 1ms, now + 1s);
  recorder.record_error(ErrorKind::kTimeout, now);
  const RequestStats& total = recorder.total();
  EXPECT_EQ(total.sent, 1u);
  EXPECT_EQ(total.responses, 3u);
  EXPECT_EQ(total.ok, 1u);
  EXPECT_EQ(total.error_count(ErrorKind::kUnexpectedStatus), 1u);
  EXPECT_EQ(total.error_count(ErrorKind::kBadBody), 1u);
  EXPECT_EQ(total.error_count(ErrorKind::kTimeout), 1u);
  EXPECT_EQ(total.corrected.max(), 2'000'000u);
  EXPECT_EQ(total.uncorrected.max(), 1'000'000u);
  EXPECT_EQ(recorder.last_event(), now + 1s);
}

TEST(RecorderTest, NegativeDurationsRecordAsZero) {
  Recorder recorder;
  recorder.record_response(200, ResponseVerdict::kOk, -5ms, 1ms, Clock::now());
  EXPECT_EQ(recorder.total().corrected.max(), 0u);
}

TEST(RecorderTest, IntervalsAddUpToTheTotalWhileTakenConcurrently) {
  // One thread records while another takes intervals, as in a run.
  Recorder recorder;
  constexpr int kResponses = 50'000 / ORDERD_TEST_SCALE_DIVISOR;
  std::atomic<bool> done{false};
  RequestStats taken;
  std::thread reporter([&] {
    RequestStats interval;
    while (!done.load()) {
      recorder.take_interval(interval);
      taken.merge(interval);
      std::this_thread::sleep_for(100us);
    }
  });
  for (int i = 0; i < kResponses; ++i) {
    recorder.record_sent();
    recorder.record_response(201, ResponseVerdict::kOk, 1ms, 1ms, Clock::now());
  }
  done.store(true);
  reporter.join();
  taken.merge(recorder.take_interval());
  EXPECT_EQ(taken.sent, static_cast<std::uint64_t>(kResponses));
  EXPECT_EQ(taken.responses, recorder.total().responses);
  EXPECT_EQ(taken.corrected.count(), recorder.total().corrected.count());
  EXPECT_EQ(recorder.take_interval().responses, 0u);
}

}  // namespace
}  // namespace orderd::loadgen
