#include "loadgen/recorder.h"

#include <algorithm>

namespace orderd::loadgen {
namespace {

std::uint64_t nanoseconds(Clock::duration d) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  return ns > 0 ? static_cast<std::uint64_t>(ns) : 0;
}

}  // namespace

void Recorder::record_sent() {
  apply([](RequestStats& s) { ++s.sent; });
}

void Recorder::record_response(unsigned status, ResponseVerdict verdict, Clock::duration corrected,
                               Clock::duration uncorrected, Clock::time_point now) {
  const std::uint64_t corrected_ns = nanoseconds(corrected);
  const std::uint64_t uncorrected_ns = nanoseconds(uncorrected);
  apply([&](RequestStats& s) {
    s.record_response(status, verdict == ResponseVerdict::kOk, corrected_ns, uncorrected_ns);
    if (verdict == ResponseVerdict::kUnexpectedStatus) s.record_error(ErrorKind::kUnexpectedStatus);
    if (verdict == ResponseVerdict::kBadBody) s.record_error(ErrorKind::kBadBody);
  });
  last_event_ = std::max(last_event_, now);
}

void Recorder::record_error(ErrorKind kind, Clock::time_point now) {
  apply([kind](RequestStats& s) { s.record_error(kind); });
  last_event_ = std::max(last_event_, now);
}

void Recorder::record_reconnect() {
  apply([](RequestStats& s) { ++s.reconnects; });
}

RequestStats Recorder::take_interval() {
  RequestStats out;
  take_interval(out);
  return out;
}

void Recorder::take_interval(RequestStats& out) {
  out.reset();
  MutexLock lock(interval_mutex_);
  out.merge(interval_);
  interval_.reset();
}

}  // namespace orderd::loadgen
