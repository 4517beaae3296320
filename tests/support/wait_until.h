// Bounded polling for tests: the one way a test waits for something another
// thread (or process) makes true, so that every wait in the suite ends.
#pragma once

#include <chrono>
#include <thread>

namespace orderd::testing {

// How long a test waits, unless it says otherwise, for something that
// normally takes milliseconds: long enough for a sanitizer build on a
// loaded machine, short enough that a broken test still ends.
inline constexpr std::chrono::milliseconds kDefaultWaitTimeout = std::chrono::seconds(20);
inline constexpr std::chrono::milliseconds kDefaultPollInterval{1};

// Evaluates `condition` (a callable returning bool) until it returns true
// or `timeout` has passed since the call, sleeping `poll_interval` between
// evaluations (a zero interval only yields, for short waits that must react
// at once). Returns true if the condition held: the condition is always
// evaluated at least once, and once more after the deadline, so a condition
// that came true while the waiting thread was descheduled still counts.
// The result says whether the wait succeeded: check it, typically as
// ASSERT_TRUE(wait_until(...)).
template <typename Condition>
[[nodiscard]] bool wait_until(Condition&& condition,
                              std::chrono::milliseconds timeout = kDefaultWaitTimeout,
                              std::chrono::milliseconds poll_interval = kDefaultPollInterval) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return static_cast<bool>(condition());
    if (poll_interval > std::chrono::milliseconds::zero()) {
      std::this_thread::sleep_for(poll_interval);
    } else {
      std::this_thread::yield();
    }
  }
  return true;
}

}  // namespace orderd::testing
