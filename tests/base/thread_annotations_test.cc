#include "base/thread_annotations.h"

#include <gtest/gtest.h>

#include <mutex>

namespace orderd {
namespace {

#define EXPANSION_OF(...) STRINGIFIED(__VA_ARGS__)
#define STRINGIFIED(...) #__VA_ARGS__

TEST(ThreadAnnotationsTest, ClangAttributesOrNothing) {
#if defined(__clang__)
  EXPECT_STREQ(EXPANSION_OF(GUARDED_BY(mu)), "__attribute__((guarded_by(mu)))");
  EXPECT_STREQ(EXPANSION_OF(REQUIRES(a, b)), "__attribute__((requires_capability(a, b)))");
  EXPECT_STREQ(EXPANSION_OF(ACQUIRED_BEFORE(a, b)), "__attribute__((acquired_before(a, b)))");
  EXPECT_STREQ(EXPANSION_OF(NO_THREAD_SAFETY_ANALYSIS),
               "__attribute__((no_thread_safety_analysis))");
#else
  EXPECT_STREQ(EXPANSION_OF(GUARDED_BY(mu)), "");
  EXPECT_STREQ(EXPANSION_OF(REQUIRES(a, b)), "");
  EXPECT_STREQ(EXPANSION_OF(ACQUIRED_BEFORE(a, b)), "");
  EXPECT_STREQ(EXPANSION_OF(NO_THREAD_SAFETY_ANALYSIS), "");
#endif
}

// Every macro in use, on a lock of its own: this compiles cleanly under
// -Wthread-safety (the clang check in ./dev test builds it) and on GCC.
class CAPABILITY("mutex") Lock {
 public:
  void lock() ACQUIRE() { mutex_.lock(); }
  bool try_lock() TRY_ACQUIRE(true) { return mutex_.try_lock(); }
  void unlock() RELEASE() { mutex_.unlock(); }
  void lock_shared() ACQUIRE_SHARED() { mutex_.lock(); }
  bool try_lock_shared() TRY_ACQUIRE_SHARED(true) { return mutex_.try_lock(); }
  void unlock_shared() RELEASE_SHARED() { mutex_.unlock(); }
  // Nothing to check at run time here; a real lock would verify it.
  void assert_held() ASSERT_CAPABILITY(this) {}
  void assert_read_held() ASSERT_SHARED_CAPABILITY(this) {}

 private:
  std::mutex mutex_;
};

class SCOPED_CAPABILITY Hold {
 public:
  explicit Hold(Lock& lock) ACQUIRE(lock) : lock_(lock) { lock_.lock(); }
  ~Hold() RELEASE() { lock_.unlock(); }

 private:
  Lock& lock_;
};

class Account {
 public:
  void deposit(int amount) EXCLUDES(mutex_) {
    Hold hold(mutex_);
    add_locked(amount);
  }
  bool try_deposit(int amount) EXCLUDES(mutex_) {
    if (!mutex_.try_lock()) return false;
    add_locked(amount);
    mutex_.unlock();
    return true;
  }
  int balance() EXCLUDES(mutex_) {
    mutex_.lock_shared();
    int b = balance_locked();
    mutex_.unlock_shared();
    return b;
  }
  int balance_shared_try() EXCLUDES(mutex_) {
    if (!mutex_.try_lock_shared()) return -1;
    int b = balance_locked();
    mutex_.unlock_shared();
    return b;
  }
  // Moves the audit count under both locks, in their declared order.
  void audit() EXCLUDES(mutex_, audit_mutex_) {
    Hold hold(mutex_);
    Hold audit_hold(audit_mutex_);
    ++*audits_;
  }
  int audits() EXCLUDES(audit_mutex_) {
    Hold hold(audit_mutex_);
    return *audits_;
  }
  Lock& mutex() RETURN_CAPABILITY(mutex_) { return mutex_; }
  void add_with_lock_held(int amount) {
    mutex().assert_held();
    add_locked(amount);
  }
  int read_with_lock_held() {
    mutex().assert_read_held();
    return balance_locked();
  }
  // Reads without the lock, as a single-threaded caller may: the analysis
  // is switched off for it.
  int unchecked_balance() NO_THREAD_SAFETY_ANALYSIS { return balance_; }

 private:
  void add_locked(int amount) REQUIRES(mutex_) { balance_ += amount; }
  int balance_locked() REQUIRES_SHARED(mutex_) { return balance_; }

  Lock mutex_ ACQUIRED_BEFORE(audit_mutex_);
  Lock audit_mutex_ ACQUIRED_AFTER(mutex_);
  int balance_ GUARDED_BY(mutex_) = 0;
  int audit_count_ = 0;
  int* audits_ PT_GUARDED_BY(audit_mutex_) = &audit_count_;
};

TEST(ThreadAnnotationsTest, AnnotatedCodeRunsAsWritten) {
  Account account;
  account.deposit(5);
  EXPECT_TRUE(account.try_deposit(7));
  EXPECT_EQ(account.balance(), 12);
  EXPECT_EQ(account.balance_shared_try(), 12);
  account.audit();
  account.audit();
  EXPECT_EQ(account.audits(), 2);
  {
    Hold hold(account.mutex());
    account.add_with_lock_held(1);
    EXPECT_EQ(account.read_with_lock_held(), 13);
  }
  EXPECT_EQ(account.unchecked_balance(), 13);
}

}  // namespace
}  // namespace orderd
