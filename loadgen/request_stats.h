// What one thread (or a whole run) observed: latencies, status codes, errors.
//
// Latency is recorded twice per response, in nanoseconds:
//   corrected    from the request's intended send time (open loop: its due
//                time in the rate schedule; closed loop: the actual send)
//   uncorrected  from the moment the request was actually sent
// Only responses are timed; a request that failed without one counts as an
// error of its kind instead.
//
// Not thread-safe: each thread keeps its own and the owner merges them.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "loadgen/histogram.h"

namespace orderd::loadgen {

enum class ErrorKind : std::uint8_t {
  kConnect,           // could not (re)connect; no request was sent
  kClosed,            // the server closed the connection before answering
  kIo,                // any other send or receive failure, including bad HTTP
  kTimeout,           // no complete response within the request timeout
  kUnexpectedStatus,  // an answer, but not the status a success has
  kBadBody,           // the right status, but the body is not the expected JSON
};
inline constexpr std::size_t kErrorKindCount = 6;
std::string_view error_kind_name(ErrorKind kind);

struct RequestStats {
  static constexpr unsigned kMaxStatus = 599;

  Histogram corrected;
  Histogram uncorrected;
  std::uint64_t sent = 0;       // requests written (or being written) to a socket
  std::uint64_t responses = 0;  // complete responses received, any status
  std::uint64_t ok = 0;         // responses that passed the check
  std::array<std::uint64_t, kMaxStatus + 1> status_counts{};  // by status code; 0: out of range
  std::array<std::uint64_t, kErrorKindCount> errors{};
  std::uint64_t reconnects = 0;  // connections re-opened during the run, for any reason

  void record_response(unsigned status, bool passed, std::uint64_t corrected_ns,
                       std::uint64_t uncorrected_ns);
  void record_error(ErrorKind kind) { ++errors[static_cast<std::size_t>(kind)]; }
  std::uint64_t error_count(ErrorKind kind) const { return errors[static_cast<std::size_t>(kind)]; }
  std::uint64_t total_errors() const;
  // Requests that got no response: closed, io and timeout errors.
  std::uint64_t failed_requests() const;

  void merge(const RequestStats& other);
  void reset();
};

}  // namespace orderd::loadgen
