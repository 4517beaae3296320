// Lock mistakes the clang check must catch. Not built into any binary:
// ./dev test compiles it with clang's -verify, which fails unless exactly
// the warnings marked below are reported, so the check cannot go quiet
// unnoticed (say, should the annotations expand to nothing).
#include "base/mutex.h"

namespace orderd {

class Mistakes {
 public:
  void write_unlocked() {
    // expected-warning@+1 {{writing variable 'count_' requires holding mutex 'mutex_' exclusively}}
    ++count_;
  }
  int read_unlocked() {
    // expected-warning@+1 {{reading variable 'count_' requires holding mutex 'mutex_'}}
    return count_;
  }
  void call_unlocked() {
    // expected-warning@+1 {{calling function 'add_locked' requires holding mutex 'mutex_'}}
    add_locked();
  }
  void use_after_unlock() {
    MutexLock lock(mutex_);
    lock.unlock();
    // expected-warning@+1 {{writing variable 'count_' requires holding mutex 'mutex_'}}
    ++count_;
  }
  void lock_twice() {
    MutexLock lock(mutex_);  // expected-note {{mutex acquired here}}
    // expected-warning@+1 {{acquiring mutex 'mutex_' that is already held}}
    mutex_.lock();
  }
  void wait_unlocked() {
    // expected-warning@+1 {{calling function 'wait' requires holding mutex 'mutex_'}}
    changed_.wait(mutex_);
  }
  void write_while_reading() {
    ReaderMutexLock lock(table_mutex_);
    // expected-warning@+1 {{writing variable 'rows_' requires holding shared mutex}}
    ++rows_;
  }
  void wrong_order() {
    MutexLock later(late_mutex_);
    // expected-warning@+1 {{mutex 'mutex_' must be acquired before 'late_mutex_'}}
    MutexLock first(mutex_);
  }

 private:
  void add_locked() REQUIRES(mutex_) { ++count_; }

  Mutex mutex_;
  Mutex late_mutex_ ACQUIRED_AFTER(mutex_);
  CondVar changed_;
  int count_ GUARDED_BY(mutex_) = 0;
  SharedMutex table_mutex_;
  int rows_ GUARDED_BY(table_mutex_) = 0;
};

void leave_locked(Mutex& mutex) {
  mutex.lock();  // expected-note {{mutex acquired here}}
}  // expected-warning {{mutex 'mutex' is still held at the end of function}}

}  // namespace orderd
