// A one-byte test-and-test-and-set lock for critical sections of a few
// dozen instructions (one product's stock, one order's fields). Never hold
// it across I/O or allocation-heavy work. An annotated capability (see
// base/thread_annotations.h): hold it with MutexLock from base/mutex.h.
#pragma once

#include <atomic>
#include <thread>

#include "base/thread_annotations.h"

namespace orderd {

class CAPABILITY("spin lock") SpinLock {
 public:
  void lock() noexcept ACQUIRE() {
    for (int spins = 0;; ++spins) {
      if (!locked_.exchange(true, std::memory_order_acquire)) return;
      while (locked_.load(std::memory_order_relaxed)) {
        if (++spins > 64) std::this_thread::yield();
      }
    }
  }
  bool try_lock() noexcept TRY_ACQUIRE(true) {
    return !locked_.load(std::memory_order_relaxed) &&
           !locked_.exchange(true, std::memory_order_acquire);
  }
  void unlock() noexcept RELEASE() { locked_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> locked_{false};
};

}  // namespace orderd
