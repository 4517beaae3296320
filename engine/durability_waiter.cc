#include "engine/durability_waiter.h"

#include <condition_variable>
#include <mutex>

namespace orderd {

std::string wait_until_durable(DurabilityWaiter& waiter, DurableToken token) {
  struct Wait {
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
    std::string error;
  } wait;
  waiter.on_durable(token, [&wait](std::string_view error) {
    // Notified under the lock: once this thread lets go of it, the waiting
    // one may return and `wait` is gone, so nothing here touches it after.
    std::lock_guard guard(wait.mutex);
    wait.error.assign(error);
    wait.done = true;
    wait.finished.notify_one();
  });
  std::unique_lock lock(wait.mutex);
  wait.finished.wait(lock, [&wait] { return wait.done; });
  return std::move(wait.error);
}

}  // namespace orderd
