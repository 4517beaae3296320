// The intended send times of an open-loop run at a constant aggregate rate.
//
// The run's requests are due at start + i / rate for i = 0, 1, 2, ...; the
// connection with index c of C takes every C-th of them (i = c, c + C, ...),
// so C connections together offer exactly `rate` and never bunch up. A
// connection sends each request at its due time, or at once if it is late
// because the previous response came back late; latency is then measured from
// the due time, which is what keeps a server stall from hiding (coordinated
// omission, as wrk2 corrects it).
//
// Times are computed from the index, never by adding periods, so no drift
// accumulates. Not thread-safe: one per connection.
#pragma once

#include <chrono>
#include <cstdint>

namespace orderd::loadgen {

using Clock = std::chrono::steady_clock;

class RateSchedule {
 public:
  // rate > 0 requests per second, connection_index < connection_count;
  // throws std::invalid_argument otherwise.
  RateSchedule(double rate, std::uint32_t connection_index, std::uint32_t connection_count,
               Clock::time_point start);

  // The due time of this connection's next request, without consuming it.
  Clock::time_point peek() const { return due_time(next_index_); }
  // The due time of this connection's next request, consuming it.
  Clock::time_point next();

  // Due time of request i of the whole run (any connection's).
  Clock::time_point due_time(std::uint64_t run_index) const;

  // Requests of the whole run due in [start, start + elapsed), i.e. the
  // offered count.
  static std::uint64_t due_within(double rate, Clock::duration elapsed);

 private:
  double rate_;
  std::uint32_t stride_;
  Clock::time_point start_;
  std::uint64_t next_index_;
};

}  // namespace orderd::loadgen
