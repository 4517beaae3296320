#include "loadgen/rate_schedule.h"

#include <cmath>
#include <stdexcept>

namespace orderd::loadgen {

RateSchedule::RateSchedule(double rate, std::uint32_t connection_index,
                           std::uint32_t connection_count, Clock::time_point start)
    : rate_(rate), stride_(connection_count), start_(start), next_index_(connection_index) {
  if (!(rate > 0) || !std::isfinite(rate)) {
    throw std::invalid_argument("RateSchedule: rate must be positive");
  }
  if (connection_count == 0 || connection_index >= connection_count) {
    throw std::invalid_argument("RateSchedule: connection index out of range");
  }
}

Clock::time_point RateSchedule::next() {
  const Clock::time_point due = due_time(next_index_);
  next_index_ += stride_;
  return due;
}

Clock::time_point RateSchedule::due_time(std::uint64_t run_index) const {
  // long double keeps nanosecond precision for any index a run can reach.
  const long double offset_ns = static_cast<long double>(run_index) * 1e9L / rate_;
  return start_ + std::chrono::duration_cast<Clock::duration>(
                      std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(offset_ns))));
}

std::uint64_t RateSchedule::due_within(double rate, Clock::duration elapsed) {
  if (!(rate > 0) || elapsed <= Clock::duration::zero()) return 0;
  const long double seconds = std::chrono::duration<long double>(elapsed).count();
  // Request i is due at i / rate, so those with i / rate < elapsed count.
  return static_cast<std::uint64_t>(std::ceil(seconds * rate - 1e-9L));
}

}  // namespace orderd::loadgen
