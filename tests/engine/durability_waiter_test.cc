// wait_until_durable: the blocking form of DurabilityWaiter::on_durable,
// whichever thread the completion runs on.
#include "engine/durability_waiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

#include "tests/engine/engine_test_util.h"

namespace orderd {
namespace {

using namespace std::chrono_literals;

// Completes at once with `immediate_error` when set; otherwise keeps the
// completion for the test to run, from whatever thread it likes.
class ManualWaiter final : public DurabilityWaiter {
 public:
  void on_durable(DurableToken token, Completion done) override {
    if (immediate_error) {
      done(*immediate_error);
      return;
    }
    std::lock_guard guard(mutex_);
    token_ = token;
    pending_ = std::move(done);
  }
  DurableToken last_token() const override { return 0; }
  std::string sticky_error() const override { return {}; }

  bool has_pending() const {
    std::lock_guard guard(mutex_);
    return pending_ != nullptr;
  }
  DurableToken pending_token() const {
    std::lock_guard guard(mutex_);
    return token_;
  }
  void complete(std::string_view error) {
    Completion done;
    {
      std::lock_guard guard(mutex_);
      done = std::move(pending_);
      pending_ = nullptr;
    }
    done(error);
  }

  std::optional<std::string> immediate_error;

 private:
  mutable std::mutex mutex_;
  DurableToken token_ = 0;
  Completion pending_;
};

TEST(DurabilityWaiterTest, ReturnsAtOnceWhenTheChangeIsAlreadyDurable) {
  ManualWaiter waiter;
  waiter.immediate_error = "";
  EXPECT_EQ(wait_until_durable(waiter, 7), "");
}

TEST(DurabilityWaiterTest, ReturnsTheErrorThatPreventsDurability) {
  ManualWaiter waiter;
  waiter.immediate_error = "IO error: sync journal: Input/output error";
  EXPECT_EQ(wait_until_durable(waiter, 7), "IO error: sync journal: Input/output error");
}

TEST(DurabilityWaiterTest, BlocksUntilTheCompletionRunsOnAnotherThread) {
  ManualWaiter waiter;
  std::atomic<bool> returned{false};
  std::string result = "unset";
  std::thread blocked([&] {
    result = wait_until_durable(waiter, 42);
    returned.store(true);
  });
  ASSERT_TRUE(testing::wait_until([&] { return waiter.has_pending(); }, 10s));
  EXPECT_EQ(waiter.pending_token(), 42u);
  // However long the completion takes, the wait does not end before it.
  std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(returned.load());
  std::thread journal([&] { waiter.complete("the journal is closed"); });
  journal.join();
  blocked.join();
  EXPECT_TRUE(returned.load());
  EXPECT_EQ(result, "the journal is closed");
}

}  // namespace
}  // namespace orderd
