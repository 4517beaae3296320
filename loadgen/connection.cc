#include "loadgen/connection.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include <utility>

namespace orderd::loadgen {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// Past this, a response body is an error: orderd's answers are small.
constexpr std::uint64_t kBodyLimit = 8 << 20;
// Between failed reconnects, so a dead server is not hammered.
constexpr auto kReconnectBackoff = std::chrono::milliseconds(100);

ErrorKind classify(const beast::error_code& ec) {
  if (ec == beast::error::timeout) return ErrorKind::kTimeout;
  if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
      ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::error::broken_pipe) {
    return ErrorKind::kClosed;
  }
  return ErrorKind::kIo;
}

}  // namespace

// Keeps the status code and the body and ignores the headers, so reading a
// response allocates nothing once the body string has grown to fit.
class Connection::ResponseParser : public http::basic_parser<false> {
 public:
  explicit ResponseParser(std::string& body) : body_(body) {
    body_.clear();
    body_limit(kBodyLimit);
  }
  unsigned status() const { return status_; }

 private:
  void on_request_impl(http::verb, beast::string_view, beast::string_view, int,
                       beast::error_code& ec) override {
    ec = http::error::bad_version;  // a response parser never sees a request line
  }
  void on_response_impl(int code, beast::string_view, int, beast::error_code&) override {
    status_ = static_cast<unsigned>(code);
  }
  void on_field_impl(http::field, beast::string_view, beast::string_view,
                     beast::error_code&) override {}
  void on_header_impl(beast::error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length,
                         beast::error_code&) override {
    if (length) body_.reserve(static_cast<std::size_t>(*length));
  }
  std::size_t on_body_impl(beast::string_view data, beast::error_code&) override {
    body_.append(data.data(), data.size());
    return data.size();
  }
  void on_chunk_header_impl(std::uint64_t, beast::string_view, beast::error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, beast::string_view data,
                                 beast::error_code&) override {
    body_.append(data.data(), data.size());
    return data.size();
  }
  void on_finish_impl(beast::error_code&) override {}

  std::string& body_;
  unsigned status_ = 0;
};

Connection::Connection(asio::io_context& io, PhaseControl& phase, Recorder& recorder,
                       RequestBuilder builder, std::uint64_t random_seed, std::uint32_t index)
    : phase_(phase),
      recorder_(recorder),
      builder_(std::move(builder)),
      random_(random_seed),
      index_(index),
      socket_(io),
      timer_(io),
      watchdog_(io),
      parser_(std::make_unique<std::optional<ResponseParser>>()) {
  request_.reserve(512);
  body_.reserve(1024);
}

Connection::~Connection() = default;

void Connection::open(OpenHandler done) {
  // Before begin() there is no watchdog (it would keep the io_context busy
  // between phases), so the first connect has its own timer.
  start_operation();
  timer_.expires_after(phase_.timeout);
  timer_.async_wait([this](beast::error_code ec) {
    if (ec || !operation_pending_) return;
    timed_out_ = true;
    socket_.close(ec);
  });
  asio::async_connect(socket_, phase_.endpoints,
                      [this, done = std::move(done)](beast::error_code ec, const tcp::endpoint&) {
                        end_operation();
                        timer_.cancel();
                        if (timed_out_) ec = beast::error::timeout;
                        timed_out_ = false;
                        if (!ec) socket_.set_option(tcp::no_delay(true), ec);
                        done(ec ? ec.message() : "");
                      });
}

void Connection::begin(std::function<void()> finished) {
  finished_ = std::move(finished);
  if (phase_.rate > 0) {
    schedule_.emplace(phase_.rate, index_, phase_.connection_count, phase_.start);
  }
  arm_watchdog(Clock::now() + phase_.timeout);
  next_request();
}

void Connection::start_operation() {
  operation_pending_ = true;
  operation_started_ = Clock::now();
}

void Connection::arm_watchdog(Clock::time_point at) {
  watchdog_.expires_at(at);
  watchdog_.async_wait([this](beast::error_code ec) {
    if (ec || done_) return;
    const Clock::time_point now = Clock::now();
    if (operation_pending_ && !timed_out_ && now - operation_started_ >= phase_.timeout) {
      timed_out_ = true;  // the operation fails with operation_aborted; fail() reads this
      socket_.close(ec);
    }
    const bool watching = operation_pending_ && !timed_out_;
    arm_watchdog(watching ? operation_started_ + phase_.timeout : now + phase_.timeout);
  });
}

void Connection::interrupt_wait() { timer_.cancel(); }

bool Connection::past_deadline(Clock::time_point now) const {
  return phase_.deadline && now >= *phase_.deadline;
}

void Connection::next_request() {
  if (phase_.stopping.load(std::memory_order_relaxed)) return finish();
  const Clock::time_point now = Clock::now();
  // Requests due before the deadline are still sent after it when the
  // connection is behind, so their latency is measured too; but for no
  // longer than one timeout, which bounds the run. The rest count as unsent.
  if (phase_.deadline && now >= *phase_.deadline + phase_.timeout) return finish();
  const Clock::time_point intended = schedule_ ? schedule_->next() : std::max(now, phase_.start);
  if (past_deadline(intended)) return finish();
  counted_ = intended >= phase_.measure_start;
  ticket_ = 0;
  if (counted_ && phase_.request_limit) {
    ticket_ = phase_.next_ticket.fetch_add(1, std::memory_order_relaxed);
    if (ticket_ >= *phase_.request_limit) return finish();
  }
  intended_ = intended;
  if (intended <= now) return send();
  timer_.expires_at(intended);
  timer_.async_wait([this](beast::error_code ec) {
    if (ec || phase_.stopping.load(std::memory_order_relaxed)) return finish();
    send();
  });
}

void Connection::send() {
  kind_ = phase_.fixed_kind ? *phase_.fixed_kind : phase_.mix.next(random_);
  builder_.build(kind_, ticket_, random_, request_);
  start_operation();  // one deadline covers the write and the whole response
  sent_at_ = operation_started_;
  if (!schedule_) intended_ = sent_at_;  // closed loop: the two latencies are one
  if (counted_) recorder_.record_sent();
  asio::async_write(socket_, asio::buffer(request_),
                    [this](beast::error_code ec, std::size_t) { on_written(ec); });
}

void Connection::on_written(beast::error_code ec) {
  if (ec) return fail(ec);
  parser_->emplace(body_);
  http::async_read(socket_, read_buffer_, **parser_,
                   [this](beast::error_code read_ec, std::size_t) { on_read(read_ec); });
}

void Connection::on_read(beast::error_code ec) {
  if (ec) return fail(ec);
  end_operation();
  const Clock::time_point now = Clock::now();
  const ResponseParser& parser = **parser_;
  const unsigned status = parser.status();
  const ResponseVerdict verdict = checker_.check(kind_, status, body_);
  if (counted_) recorder_.record_response(status, verdict, now - intended_, now - sent_at_, now);
  // The watchdog may have closed the socket just as the answer came in.
  const bool socket_closed = std::exchange(timed_out_, false);
  if (socket_closed || !parser.keep_alive()) return reconnect();
  next_request();
}

void Connection::fail(beast::error_code ec) {
  end_operation();
  if (timed_out_) ec = beast::error::timeout;
  timed_out_ = false;
  if (counted_) recorder_.record_error(classify(ec), Clock::now());
  reconnect();
}

void Connection::reconnect() {
  beast::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  read_buffer_.clear();
  connect_again();
}

void Connection::connect_again() {
  const Clock::time_point now = Clock::now();
  if (phase_.stopping.load(std::memory_order_relaxed) || past_deadline(now)) return finish();
  if (failing_since_ && now - *failing_since_ >= phase_.timeout) return finish();  // server gone
  start_operation();
  asio::async_connect(socket_, phase_.endpoints,
                      [this](beast::error_code ec, const tcp::endpoint&) { on_reconnected(ec); });
}

void Connection::on_reconnected(beast::error_code ec) {
  end_operation();
  if (timed_out_) ec = beast::error::timeout;
  timed_out_ = false;
  const Clock::time_point now = Clock::now();
  const bool measuring = now >= phase_.measure_start;
  if (!ec) {
    socket_.set_option(tcp::no_delay(true), ec);
    failing_since_.reset();
    if (measuring) recorder_.record_reconnect();
    return next_request();
  }
  if (measuring) recorder_.record_error(ErrorKind::kConnect, now);
  if (!failing_since_) failing_since_ = now;
  timer_.expires_after(kReconnectBackoff);
  timer_.async_wait([this](beast::error_code wait_ec) {
    if (wait_ec) return finish();
    connect_again();
  });
}

void Connection::finish() {
  if (done_) return;
  done_ = true;
  watchdog_.cancel();
  beast::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  if (finished_) finished_();
}

}  // namespace orderd::loadgen
