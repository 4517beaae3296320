#include "base/mutex.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

namespace orderd {
namespace {

using namespace std::chrono_literals;

// Whether another thread could take `mutex` right now. std::mutex may not be
// tried by the thread that holds it, so the attempt runs elsewhere.
template <typename Lockable>
bool free_for_another_thread(Lockable& mutex) {
  bool taken = false;
  std::thread([&] {
    if (mutex.try_lock()) {
      taken = true;
      mutex.unlock();
    }
  }).join();
  return taken;
}

bool readable_by_another_thread(SharedMutex& mutex) {
  bool taken = false;
  std::thread([&] {
    if (mutex.try_lock_shared()) {
      taken = true;
      mutex.unlock_shared();
    }
  }).join();
  return taken;
}

TEST(MutexTest, ExcludesConcurrentWriters) {
  struct {
    Mutex mutex;
    std::int64_t value GUARDED_BY(mutex) = 0;  // plain: a lost update shows
  } shared;
  constexpr int kThreads = 4, kIncrements = 50'000 / ORDERD_TEST_SCALE_DIVISOR;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        MutexLock lock(shared.mutex);
        ++shared.value;
      }
    });
  }
  for (auto& t : threads) t.join();
  MutexLock lock(shared.mutex);
  EXPECT_EQ(shared.value, kThreads * kIncrements);
}

TEST(MutexTest, TryLockFailsWhileHeldElsewhere) {
  Mutex mutex;
  {
    MutexLock lock(mutex);
    EXPECT_FALSE(free_for_another_thread(mutex));
  }
  EXPECT_TRUE(free_for_another_thread(mutex));
  const bool took = mutex.try_lock();
  if (took) mutex.unlock();
  EXPECT_TRUE(took);
}

TEST(MutexLockTest, UnlockAndLockAgainInsideTheScope) {
  Mutex mutex;
  {
    MutexLock lock(mutex);
    lock.unlock();
    EXPECT_TRUE(free_for_another_thread(mutex));
    lock.lock();
    EXPECT_FALSE(free_for_another_thread(mutex));
  }
  EXPECT_TRUE(free_for_another_thread(mutex));
}

TEST(MutexLockTest, ReleasedOnceWhenUnlockedBeforeTheEndOfScope) {
  Mutex mutex;
  {
    MutexLock lock(mutex);
    lock.unlock();
  }  // the destructor must not unlock a second time
  EXPECT_TRUE(free_for_another_thread(mutex));
}

// Any annotated lock with lock() and unlock() works with MutexLock.
class CAPABILITY("counting lock") CountingLock {
 public:
  void lock() ACQUIRE() { ++locks; }
  void unlock() RELEASE() { ++unlocks; }
  int locks = 0;
  int unlocks = 0;
};

TEST(MutexLockTest, HoldsAnyAnnotatedLockable) {
  CountingLock counting;
  {
    MutexLock lock(counting);
    EXPECT_EQ(counting.locks, 1);
    EXPECT_EQ(counting.unlocks, 0);
  }
  EXPECT_EQ(counting.locks, 1);
  EXPECT_EQ(counting.unlocks, 1);
}

TEST(SharedMutexTest, ReadersShareAndWritersExclude) {
  SharedMutex mutex;
  {
    ReaderMutexLock reader(mutex);
    EXPECT_TRUE(readable_by_another_thread(mutex));
    EXPECT_FALSE(free_for_another_thread(mutex));
  }
  {
    MutexLock writer(mutex);
    EXPECT_FALSE(readable_by_another_thread(mutex));
    EXPECT_FALSE(free_for_another_thread(mutex));
  }
  EXPECT_TRUE(readable_by_another_thread(mutex));
  EXPECT_TRUE(free_for_another_thread(mutex));
}

TEST(SharedMutexTest, ReadersSeeWhatWritersWrote) {
  struct {
    SharedMutex mutex;
    std::int64_t value GUARDED_BY(mutex) = 0;
  } shared;
  constexpr int kWrites = 20'000 / ORDERD_TEST_SCALE_DIVISOR;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < kWrites; ++i) {
      MutexLock lock(shared.mutex);
      ++shared.value;
    }
    done.store(true);
  });
  std::int64_t last = 0;
  while (!done.load()) {
    ReaderMutexLock lock(shared.mutex);
    EXPECT_GE(shared.value, last);  // never goes back
    last = shared.value;
  }
  writer.join();
  ReaderMutexLock lock(shared.mutex);
  EXPECT_EQ(shared.value, kWrites);
}

TEST(CondVarTest, WaitReturnsOnceNotifiedWithTheMutexHeld) {
  struct {
    Mutex mutex;
    CondVar changed;
    bool ready GUARDED_BY(mutex) = false;
  } shared;
  std::thread notifier([&] {
    std::this_thread::sleep_for(10ms);
    MutexLock lock(shared.mutex);
    shared.ready = true;
    shared.changed.notify_all();
  });
  {
    MutexLock lock(shared.mutex);
    while (!shared.ready) shared.changed.wait(shared.mutex);
    EXPECT_TRUE(shared.ready);
    EXPECT_FALSE(free_for_another_thread(shared.mutex));
  }
  notifier.join();
  EXPECT_TRUE(free_for_another_thread(shared.mutex));
}

TEST(CondVarTest, WaitForTimesOutAndHoldsTheMutexAgain) {
  Mutex mutex;
  CondVar never;
  MutexLock lock(mutex);
  const auto start = std::chrono::steady_clock::now();
  std::cv_status status = std::cv_status::no_timeout;
  // Spurious wakeups are allowed: wait until the timeout is reported.
  while (status != std::cv_status::timeout) status = never.wait_for(mutex, 20ms);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 20ms);
  EXPECT_FALSE(free_for_another_thread(mutex));
}

TEST(CondVarTest, WaitUntilAPastDeadlineTimesOutAtOnce) {
  Mutex mutex;
  CondVar never;
  MutexLock lock(mutex);
  EXPECT_EQ(never.wait_until(mutex, std::chrono::steady_clock::now() - 1s),
            std::cv_status::timeout);
  EXPECT_FALSE(free_for_another_thread(mutex));
}

TEST(CondVarTest, NotifyOneWakesAWaiterPerNotification) {
  struct {
    Mutex mutex;
    CondVar changed;
    int tickets GUARDED_BY(mutex) = 0;
    int served GUARDED_BY(mutex) = 0;
  } shared;
  constexpr int kWaiters = 4;
  std::vector<std::thread> waiters;
  for (int i = 0; i < kWaiters; ++i) {
    waiters.emplace_back([&] {
      MutexLock lock(shared.mutex);
      while (shared.tickets == 0) shared.changed.wait(shared.mutex);
      --shared.tickets;
      ++shared.served;
    });
  }
  for (int i = 0; i < kWaiters; ++i) {
    MutexLock lock(shared.mutex);
    ++shared.tickets;
    shared.changed.notify_one();
  }
  for (auto& t : waiters) t.join();
  MutexLock lock(shared.mutex);
  EXPECT_EQ(shared.served, kWaiters);
  EXPECT_EQ(shared.tickets, 0);
}

}  // namespace
}  // namespace orderd
