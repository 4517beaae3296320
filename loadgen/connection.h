// One keep-alive HTTP/1.1 connection of a load phase, driven by Asio on the
// thread that runs its io_context, with one request in flight at a time.
//
// Each request: wait for its intended send time (open loop: the rate
// schedule; closed loop: now) → build it → write → read the response →
// record the latency from the intended time (corrected) and from the actual
// send (uncorrected). A failed request is recorded by kind and the connection
// is re-opened; the schedule carries on, so time lost shows up as latency.
//
// Timeouts cost nothing per request: one watchdog timer per connection wakes
// at the deadline of the operation in flight when it was armed, and re-arms
// for the current one if that has changed, so it fires about once per
// timeout period rather than being set and cancelled for every request.
//
// Thread safety: a Connection and its PhaseControl's non-atomic fields are
// used only on the io_context's thread once the phase has begun; the runner
// writes the plan before posting begin(), which orders it before every use.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/random.h"
#include "loadgen/rate_schedule.h"
#include "loadgen/recorder.h"
#include "loadgen/request_builder.h"
#include "loadgen/response_check.h"
#include "loadgen/workload.h"

namespace orderd::loadgen {

// What all connections of one phase share.
struct PhaseControl {
  std::optional<RequestKind> fixed_kind;  // when set, every request is of this kind
  RequestMix mix{Workload::kCreate, 100};
  double rate = 0;  // > 0: open loop
  std::uint32_t connection_count = 1;
  Clock::time_point start;                     // the rate schedule's origin
  Clock::time_point measure_start;             // requests intended earlier are warm-up, not counted
  std::optional<Clock::time_point> deadline;   // no request intended at or after it is sent
  std::optional<std::uint64_t> request_limit;  // counted requests in all
  std::atomic<std::uint64_t> next_ticket{0};   // counted requests claimed so far
  std::atomic<bool> stopping{false};
  Clock::duration timeout = std::chrono::seconds(10);
  boost::asio::ip::tcp::resolver::results_type endpoints;
};

class Connection {
 public:
  using OpenHandler = std::function<void(const std::string& error)>;  // "" on success

  Connection(boost::asio::io_context& io, PhaseControl& phase, Recorder& recorder,
             RequestBuilder builder, std::uint64_t random_seed, std::uint32_t index);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connects; `done` runs on the io_context's thread.
  void open(OpenHandler done);
  // Starts sending; `finished` runs once, when this connection has stopped
  // for good (deadline, request limit, stop, or the server gone for longer
  // than the timeout) and has nothing left in flight.
  void begin(std::function<void()> finished);
  // Cuts short a wait for the next due time or a reconnect back-off, so a
  // stopping phase ends promptly. Call on the io_context's thread.
  void interrupt_wait();

 private:
  class ResponseParser;

  void next_request();
  void send();
  void on_written(boost::beast::error_code ec);
  void on_read(boost::beast::error_code ec);
  void fail(boost::beast::error_code ec);
  void reconnect();
  void connect_again();
  void on_reconnected(boost::beast::error_code ec);
  void finish();
  bool past_deadline(Clock::time_point now) const;
  void start_operation();
  void end_operation() { operation_pending_ = false; }
  void arm_watchdog(Clock::time_point at);

  PhaseControl& phase_;
  Recorder& recorder_;
  RequestBuilder builder_;
  Random random_;
  std::uint32_t index_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;     // due times and reconnect back-off
  boost::asio::steady_timer watchdog_;  // timeouts, see above
  boost::beast::flat_buffer read_buffer_;
  std::unique_ptr<std::optional<ResponseParser>> parser_;  // rebuilt in place per response
  std::optional<RateSchedule> schedule_;
  ResponseChecker checker_;
  std::string request_;  // reused for every request
  std::string body_;     // reused for every response body
  std::function<void()> finished_;
  bool done_ = false;

  // The request in flight.
  RequestKind kind_ = RequestKind::kCreate;
  std::uint64_t ticket_ = 0;
  bool counted_ = false;
  Clock::time_point intended_;
  Clock::time_point sent_at_;
  std::optional<Clock::time_point> failing_since_;  // first failed reconnect of a streak

  // The connect, or the write and read of a request, in flight.
  bool operation_pending_ = false;
  Clock::time_point operation_started_;
  bool timed_out_ = false;  // the watchdog closed the socket under it
};

}  // namespace orderd::loadgen
