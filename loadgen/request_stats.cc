#include "loadgen/request_stats.h"

namespace orderd::loadgen {

std::string_view error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kConnect:
      return "connect";
    case ErrorKind::kClosed:
      return "closed";
    case ErrorKind::kIo:
      return "io";
    case ErrorKind::kTimeout:
      return "timeout";
    case ErrorKind::kUnexpectedStatus:
      return "unexpected_status";
    case ErrorKind::kBadBody:
      return "bad_body";
  }
  return "?";
}

void RequestStats::record_response(unsigned status, bool passed, std::uint64_t corrected_ns,
                                   std::uint64_t uncorrected_ns) {
  ++responses;
  ++status_counts[status <= kMaxStatus ? status : 0];
  if (passed) ++ok;
  corrected.record(corrected_ns);
  uncorrected.record(uncorrected_ns);
}

std::uint64_t RequestStats::total_errors() const {
  std::uint64_t total = 0;
  for (auto n : errors) total += n;
  return total;
}

std::uint64_t RequestStats::failed_requests() const {
  return error_count(ErrorKind::kClosed) + error_count(ErrorKind::kIo) +
         error_count(ErrorKind::kTimeout);
}

void RequestStats::merge(const RequestStats& other) {
  corrected.merge(other.corrected);
  uncorrected.merge(other.uncorrected);
  sent += other.sent;
  responses += other.responses;
  ok += other.ok;
  for (std::size_t i = 0; i < status_counts.size(); ++i) status_counts[i] += other.status_counts[i];
  for (std::size_t i = 0; i < errors.size(); ++i) errors[i] += other.errors[i];
  reconnects += other.reconnects;
}

void RequestStats::reset() {
  corrected.reset();
  uncorrected.reset();
  sent = responses = ok = reconnects = 0;
  status_counts.fill(0);
  errors.fill(0);
}

}  // namespace orderd::loadgen
