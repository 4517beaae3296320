// Bounded polling for tests: every wait in tests/net ends.
#pragma once

#include <chrono>
#include <thread>

namespace orderd::net::testing {

// Waits until pred() holds or `timeout` passes; returns pred().
template <typename Pred>
bool wait_for(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return pred();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace orderd::net::testing
