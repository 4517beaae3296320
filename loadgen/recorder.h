// Collects one thread's observations twice: into a running total that only
// that thread touches until it has finished, and into a per-interval copy
// that a reporting thread takes (and resets) once a second.
//
// Thread safety: the record_* calls come from the owning thread only;
// take_interval() may be called from any thread at any time; total() and
// last_event() only after the owning thread has finished (joined).
#pragma once

#include "base/mutex.h"
#include "base/thread_annotations.h"
#include "loadgen/rate_schedule.h"
#include "loadgen/request_stats.h"
#include "loadgen/response_check.h"

namespace orderd::loadgen {

class Recorder {
 public:
  void record_sent();
  void record_response(unsigned status, ResponseVerdict verdict, Clock::duration corrected,
                       Clock::duration uncorrected, Clock::time_point now);
  void record_error(ErrorKind kind, Clock::time_point now);
  void record_reconnect();

  RequestStats take_interval() EXCLUDES(interval_mutex_);
  // Copies the interval into `out` and resets it; reuses `out`'s memory.
  void take_interval(RequestStats& out) EXCLUDES(interval_mutex_);

  const RequestStats& total() const { return total_; }
  // When the last counted response or error came; time_point{} if none did.
  Clock::time_point last_event() const { return last_event_; }

 private:
  template <class Update>
  void apply(const Update& update) EXCLUDES(interval_mutex_) {
    update(total_);
    MutexLock lock(interval_mutex_);
    update(interval_);
  }

  RequestStats total_;
  Clock::time_point last_event_{};
  Mutex interval_mutex_;
  RequestStats interval_ GUARDED_BY(interval_mutex_);
};

}  // namespace orderd::loadgen
