// Annotated locks (see base/thread_annotations.h): std::mutex and
// std::shared_mutex underneath, with the same cost, but visible to clang's
// thread safety analysis, which libstdc++'s own types are not.
//
//   Mutex mutex_;
//   int count_ GUARDED_BY(mutex_) = 0;
//   CondVar changed_;
//
//   void add() { MutexLock lock(mutex_); ++count_; changed_.notify_all(); }
//   void wait_for_one() {
//     MutexLock lock(mutex_);
//     while (count_ == 0) changed_.wait(mutex_);
//   }
//
// CondVar has no predicate overloads on purpose: a predicate lambda is a
// function of its own to the analysis, which cannot know that it runs with
// the lock held. The explicit loop keeps every guarded read checked.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>

#include "base/thread_annotations.h"

namespace orderd {

class CondVar;

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() ACQUIRE() { mutex_.lock(); }
  bool try_lock() TRY_ACQUIRE(true) { return mutex_.try_lock(); }
  void unlock() RELEASE() { mutex_.unlock(); }

 private:
  friend class CondVar;
  std::mutex mutex_;
};

// A reader-writer lock: lock() for writers, lock_shared() for readers.
class CAPABILITY("shared mutex") SharedMutex {
 public:
  SharedMutex() = default;
  SharedMutex(const SharedMutex&) = delete;
  SharedMutex& operator=(const SharedMutex&) = delete;

  void lock() ACQUIRE() { mutex_.lock(); }
  bool try_lock() TRY_ACQUIRE(true) { return mutex_.try_lock(); }
  void unlock() RELEASE() { mutex_.unlock(); }

  void lock_shared() ACQUIRE_SHARED() { mutex_.lock_shared(); }
  bool try_lock_shared() TRY_ACQUIRE_SHARED(true) { return mutex_.try_lock_shared(); }
  void unlock_shared() RELEASE_SHARED() { mutex_.unlock_shared(); }

 private:
  std::shared_mutex mutex_;
};

// Holds any annotated lock (Mutex, SharedMutex for writing, SpinLock) from
// construction to destruction, like std::lock_guard. unlock() and lock()
// give it up and take it back in between, like std::unique_lock.
template <typename Lockable>
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Lockable& lockable) ACQUIRE(lockable) : lockable_(lockable) {
    lockable_.lock();
  }
  ~MutexLock() RELEASE() {
    if (locked_) lockable_.unlock();
  }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  void unlock() RELEASE() {
    lockable_.unlock();
    locked_ = false;
  }
  void lock() ACQUIRE() {
    lockable_.lock();
    locked_ = true;
  }

 private:
  Lockable& lockable_;
  bool locked_ = true;
};

// Holds a SharedMutex for reading (shared with other readers) for its lifetime.
class SCOPED_CAPABILITY ReaderMutexLock {
 public:
  explicit ReaderMutexLock(SharedMutex& mutex) ACQUIRE_SHARED(mutex) : mutex_(mutex) {
    mutex_.lock_shared();
  }
  ~ReaderMutexLock() RELEASE() { mutex_.unlock_shared(); }
  ReaderMutexLock(const ReaderMutexLock&) = delete;
  ReaderMutexLock& operator=(const ReaderMutexLock&) = delete;

 private:
  SharedMutex& mutex_;
};

// A condition variable for Mutex: std::condition_variable on the mutex
// inside. Each wait releases `mutex` while blocked and holds it again on
// return; wakeups may be spurious, so wait in a loop that checks the state.
class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  void wait(Mutex& mutex) REQUIRES(mutex) {
    Adopted held(mutex);
    cv_.wait(held.lock);
  }
  // std::cv_status::timeout once `deadline` has passed.
  template <typename Clock, typename Duration>
  std::cv_status wait_until(Mutex& mutex, const std::chrono::time_point<Clock, Duration>& deadline)
      REQUIRES(mutex) {
    Adopted held(mutex);
    return cv_.wait_until(held.lock, deadline);
  }
  template <typename Rep, typename Period>
  std::cv_status wait_for(Mutex& mutex, const std::chrono::duration<Rep, Period>& timeout)
      REQUIRES(mutex) {
    Adopted held(mutex);
    return cv_.wait_for(held.lock, timeout);
  }

  void notify_one() noexcept { cv_.notify_one(); }
  void notify_all() noexcept { cv_.notify_all(); }

 private:
  // Lends the caller's held std::mutex to the wait and hands it back still
  // held, however the wait returns.
  struct Adopted {
    explicit Adopted(Mutex& mutex) : lock(mutex.mutex_, std::adopt_lock) {}
    ~Adopted() { (void)lock.release(); }
    std::unique_lock<std::mutex> lock;
  };

  std::condition_variable cv_;
};

}  // namespace orderd
