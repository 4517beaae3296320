#include "net/http_connection.h"

#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <ctime>

#include "logging/log.h"
#include "net/json_output.h"
#include "net/time_format.h"
#include "net/tls_context.h"

namespace orderd::net {

namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using boost::beast::error_code;
// TLS over the TCP socket: Beast's stream, which writes a buffer sequence
// as one TLS record where Asio's would make one per buffer.
using TlsStream = boost::beast::ssl_stream<tcp::socket>;

namespace {

// Bytes asked of the socket per read; the flat buffer grows to hold a
// request split over several reads, bounded by the parser's limits.
constexpr std::size_t kReadChunk = 16 << 10;
// Past this many bytes of unsent responses the connection stops parsing
// pipelined requests until they are written: backpressure on fast senders.
constexpr std::size_t kPendingHighWater = 256 << 10;
// After a final response, how long unread request bytes are drained so the
// client sees the response rather than a reset.
constexpr auto kLingerTimeout = std::chrono::seconds(2);

// A fixed error response built without the API layer (parse failures).
void append_error(std::string& out, unsigned status, std::string_view message, bool tls) {
  const std::string body = error_body(message);
  HttpResponse response;
  response.status = status;
  response.body = body;
  ResponseFraming framing;
  framing.keep_alive = false;
  framing.strict_transport_security = tls;
  append_response(out, response, framing, current_http_date());
}

}  // namespace

std::string_view current_http_date() {
  struct Cache {
    std::time_t second = -1;
    char text[kHttpDateChars];
  };
  thread_local Cache cache;
  const std::time_t now = std::time(nullptr);
  if (now != cache.second) {
    format_http_date(now, cache.text);
    cache.second = now;
  }
  return {cache.text, kHttpDateChars};
}

// ---- BlockingPool ---------------------------------------------------------

thread_local ApiHandler* BlockingPool::current_handler_ = nullptr;

BlockingPool::BlockingPool(Api& api, unsigned threads) : work_(context_.get_executor()) {
  for (unsigned i = 0; i < std::max(1u, threads); ++i) {
    threads_.emplace_back([this, &api] {
      ApiHandler handler(api);
      current_handler_ = &handler;
      context_.run();
      current_handler_ = nullptr;
    });
  }
}

BlockingPool::~BlockingPool() { join(); }

void BlockingPool::join() {
  work_.reset();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

// ---- HttpConnection -------------------------------------------------------

Connection::Connection(IoThread& thread) : thread_(thread) {
  next_ = thread_.connections;
  if (next_ != nullptr) next_->prev_ = this;
  thread_.connections = this;
}

Connection::~Connection() {
  if (prev_ != nullptr) prev_->next_ = next_;
  if (next_ != nullptr) next_->prev_ = prev_;
  if (thread_.connections == this) thread_.connections = next_;
  thread_.state.api.http_metrics().connection_closed();
}

template <typename Stream>
HttpConnection<Stream>::HttpConnection(Stream transport, IoThread& thread)
    : Connection(thread), transport_(std::move(transport)), timer_(thread.context) {}

template <typename Stream>
tcp::socket& HttpConnection<Stream>::tcp_socket() {
  if constexpr (kTls) {
    return transport_.next_layer();
  } else {
    return transport_;
  }
}

template <typename Stream>
void HttpConnection<Stream>::write_without_waiting(std::string_view bytes) {
  // Over TLS this encrypts one record while a read waits on the socket,
  // which is safe because a write never needs input once the handshake is
  // done (renegotiation is off); the caller closes right after.
  error_code ignored;
  tcp_socket().non_blocking(true, ignored);
  transport_.write_some(asio::buffer(bytes), ignored);
}

template <typename Stream>
void HttpConnection<Stream>::start() {
  error_code ignored;
  tcp_socket().set_option(tcp::no_delay(true), ignored);
  error_code no_peer;
  const tcp::endpoint peer = tcp_socket().remote_endpoint(no_peer);
  if (!no_peer) {
    client_address_ = peer.address().to_string();
    client_loopback_ = peer.address().is_loopback();
  }
  // The first request counts as under way from the start: a client that
  // connects and sends nothing is held to the request deadline, not the
  // (longer) idle timeout, and shutdown waits for its request. Over TLS the
  // handshake is part of that first request's time.
  begin_request();
  if constexpr (kTls) {
    start_handshake();
  } else {
    advance();
  }
}

template <typename Stream>
void HttpConnection<Stream>::start_handshake() {
  if constexpr (kTls) {
    phase_ = Phase::kHandshaking;
    socket_op_ = SocketOp::kRead;  // it waits on the client, so the deadline applies
    set_deadline(request_deadline_, true);
    transport_.async_handshake(
        ssl::stream_base::server,
        [self = this->shared_from_this()](error_code ec) { self->on_handshake(ec); });
  }
}

template <typename Stream>
void HttpConnection<Stream>::on_handshake(error_code ec) {
  socket_op_ = SocketOp::kNone;
  if (phase_ == Phase::kClosed) return;
  if (ec) {
    // Plain HTTP sent to the TLS port, a protocol version or cipher refused,
    // a client that gave up: nothing can be answered, not even an error.
    handshake_failed(ec.message());
    close();
    return;
  }
  phase_ = Phase::kReading;
  advance();
}

template <typename Stream>
void HttpConnection<Stream>::handshake_failed(std::string_view why) {
  thread_.state.api.http_metrics().tls_handshake_failed();
  if (logging::enabled(logging::Level::kDebug)) {
    logging::debug("TLS handshake failed", {{"client", client_address_}, {"error", why}});
  }
}

template <typename Stream>
void HttpConnection<Stream>::drain() {
  if (phase_ == Phase::kReading && socket_op_ == SocketOp::kRead && idle()) close();
  // Otherwise advance() closes once the request in progress is answered.
}

template <typename Stream>
void HttpConnection<Stream>::close() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  error_code ignored;
  tcp_socket().shutdown(tcp::socket::shutdown_both, ignored);
  tcp_socket().close(ignored);
  timer_.cancel();
}

template <typename Stream>
ResponseFraming HttpConnection<Stream>::framing() const {
  ResponseFraming f;
  f.keep_alive = keep_alive_;
  f.http10 = version_ == 10;
  f.head = method_ == HttpMethod::kHead;
  f.strict_transport_security = kTls;
  return f;
}

template <typename Stream>
void HttpConnection<Stream>::advance() {
  if (phase_ == Phase::kClosed) return;
  if (phase_ == Phase::kReading) process_input();
  if (phase_ == Phase::kStreaming && socket_op_ == SocketOp::kNone && pending_.empty()) {
    produce_stream_piece();
    if (phase_ == Phase::kClosed) return;
  }
  if (socket_op_ == SocketOp::kNone && !pending_.empty()) start_write();
  if (socket_op_ != SocketOp::kNone) return;  // its completion advances again
  switch (phase_) {
    case Phase::kReading:
      if (thread_.state.draining.load(std::memory_order_acquire) && idle()) {
        close();
      } else {
        start_read();
      }
      return;
    case Phase::kLastResponse:
      start_linger();
      return;
    // on_handshake() advances once the handshake is done; finish_blocking()
    // or finish_durable() advances a request answered elsewhere; a
    // lingering read goes on by itself; closed is the end.
    case Phase::kHandshaking:
    case Phase::kBlocking:
    case Phase::kAwaitingDurability:
    case Phase::kStreaming:
    case Phase::kLingering:
    case Phase::kClosed:
      return;
  }
}

template <typename Stream>
void HttpConnection<Stream>::process_input() {
  while (phase_ == Phase::kReading && pending_.size() < kPendingHighWater && input_.size() > 0) {
    if (!parser_) begin_request();
    error_code ec;
    const std::size_t used = parser_->put(input_.data(), ec);
    input_.consume(used);
    if (ec && ec != http::error::need_more) {
      reject_malformed(ec);
      return;
    }
    if (parser_->is_done()) {
      dispatch_request();
      continue;
    }
    // Incomplete: a client waiting on "Expect: 100-continue" gets its go-ahead.
    if (parser_->awaits_continue()) {
      pending_.append("HTTP/1.1 100 Continue\r\n\r\n");
      parser_->continue_sent();
    }
    if (used == 0 || ec == http::error::need_more) return;
  }
}

template <typename Stream>
void HttpConnection<Stream>::begin_request() {
  const ServerOptions& options = thread_.state.options;
  parser_.emplace(request_, RequestLimits{options.max_header_bytes, options.max_body_bytes});
  request_deadline_ = Clock::now() + thread_.state.options.read_timeout;
}

template <typename Stream>
void HttpConnection<Stream>::dispatch_request() {
  request_started_ = Clock::now();
  method_ = parser_->method();
  version_ = parser_->version();
  keep_alive_ = parser_->keep_alive() && !thread_.state.draining.load(std::memory_order_acquire);
  HttpRequest request = parser_->request();
  request.received_at = request_started_;
  request.client_address = client_address_;
  request.client_loopback = client_loopback_;
  if (thread_.handler.handle(request, thread_.response) == HandleOutcome::kNeedsBlockingThread) {
    run_blocking(request);
    return;
  }
  finish_request(thread_.response);
}

template <typename Stream>
bool HttpConnection<Stream>::must_hold(const HttpResponse& response) const {
  return response.durable_token != 0 && thread_.state.api.durability_waiter() != nullptr;
}

template <typename Stream>
void HttpConnection<Stream>::finish_request(const HttpResponse& response) {
  if (must_hold(response)) {
    hold_until_durable(response);
    return;
  }
  queue_response(response);
  after_response();
}

template <typename Stream>
void HttpConnection<Stream>::queue_response(const HttpResponse& response) {
  // An HTTP/1.0 client learns where a streamed body ends by the close.
  if (response.stream && version_ == 10) keep_alive_ = false;
  append_response(pending_, response, framing(), current_http_date());
  account(response.route, response.status, true);
  if (response.stream && method_ != HttpMethod::kHead) begin_stream(response.stream);
}

template <typename Stream>
void HttpConnection<Stream>::begin_stream(std::shared_ptr<BodyStream> stream) {
  stream_ = std::move(stream);
  stream_framing_ = framing();
}

template <typename Stream>
void HttpConnection<Stream>::produce_stream_piece() {
  std::string piece;
  bool more = true;
  // A producer may return an empty piece with more to come; asking again
  // keeps a write in flight, so the connection is never left waiting on
  // nothing.
  while (more && piece.empty()) {
    try {
      more = stream_->next(piece);
    } catch (const std::exception&) {
      // Out of memory mid-body: the client sees a truncated chunked body.
      close();
      return;
    }
  }
  append_stream_piece(pending_, piece, !more, stream_framing_);
  if (!more) {
    stream_.reset();
    after_response();
  }
}

template <typename Stream>
void HttpConnection<Stream>::account(Route route, unsigned status, bool timed) {
  Micros elapsed = 0;
  if (timed) {
    elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - request_started_)
                  .count();
  }
  thread_.state.api.http_metrics().record(route, status, elapsed);
  if (thread_.state.options.access_log) {
    logging::info("request", {{"method", http_method_name(method_)},
                              {"target", route == Route::kMalformed ? "" : request_.target},
                              {"route", route_label(route)},
                              {"status", status},
                              {"us", elapsed}});
  }
}

template <typename Stream>
void HttpConnection<Stream>::after_response() {
  if (stream_) {
    phase_ = Phase::kStreaming;  // produce_stream_piece() comes back here at the end
    return;
  }
  parser_.reset();
  if (keep_alive_) {
    phase_ = Phase::kReading;
    return;
  }
  phase_ = Phase::kLastResponse;
  input_.clear();
}

template <typename Stream>
void HttpConnection<Stream>::hold_until_durable(const HttpResponse& response) {
  keep_held(response);
  await_durable();
}

template <typename Stream>
void HttpConnection<Stream>::keep_held(const HttpResponse& response) {
  // The response's body and entity tag live in the thread's handler, which
  // the next request on this thread reuses: keep a copy (a few dozen bytes).
  held_ = response;
  held_body_.assign(response.body);
  held_.body = held_body_;
  held_etag_.assign(response.etag);
  held_.etag = held_etag_;
}

template <typename Stream>
void HttpConnection<Stream>::await_durable() {
  phase_ = Phase::kAwaitingDurability;
  thread_.state.api.durability_waiter()->on_durable(
      held_.durable_token, [self = this->shared_from_this()](std::string_view error) mutable {
        // Maybe on the journal's writer thread: hand over to the connection's own.
        HttpConnection* raw = self.get();
        asio::post(
            raw->transport_.get_executor(),
            [self = std::move(self), error = std::string(error)] { self->finish_durable(error); });
      });
}

template <typename Stream>
void HttpConnection<Stream>::finish_durable(const std::string& error) {
  if (phase_ == Phase::kClosed) return;
  // Shutdown may have begun meanwhile; then this is the last response.
  if (thread_.state.draining.load(std::memory_order_acquire)) keep_alive_ = false;
  if (error.empty()) {
    queue_response(held_);
  } else {
    // Never acknowledge what is not on disk. The change stays in memory
    // until restart, but the journal refuses everything from here on.
    const std::string body = error_body("the change could not be made durable: " + error);
    HttpResponse failure;
    failure.status = 503;
    failure.body = body;
    failure.route = held_.route;
    queue_response(failure);
  }
  after_response();
  advance();
}

template <typename Stream>
void HttpConnection<Stream>::run_blocking(HttpRequest request) {
  phase_ = Phase::kBlocking;
  request.may_block = true;
  // request_ stays untouched in kBlocking, so the views in `request` remain
  // valid on the blocking thread.
  thread_.state.blocking->post(
      [self = this->shared_from_this(), request](ApiHandler& handler) mutable {
        HttpResponse response;
        handler.handle(request, response);
        HttpConnection* raw = self.get();
        if (self->must_hold(response)) {
          // A change (a write that waited for room, say): held as on an I/O
          // thread, never sent before it is durable.
          self->keep_held(response);
          asio::post(raw->transport_.get_executor(), [self = std::move(self)] {
            if (self->phase_ != Phase::kClosed) self->await_durable();
          });
          return;
        }
        // Shutdown may have begun meanwhile; then this is the last response.
        if (self->thread_.state.draining.load(std::memory_order_acquire)) self->keep_alive_ = false;
        self->deferred_.clear();
        if (response.stream && self->version_ == 10) self->keep_alive_ = false;
        append_response(self->deferred_, response, self->framing(), current_http_date());
        self->deferred_route_ = response.route;
        self->deferred_status_ = response.status;
        self->deferred_stream_ = self->method_ != HttpMethod::kHead ? response.stream : nullptr;
        asio::post(raw->transport_.get_executor(),
                   [self = std::move(self)] { self->finish_blocking(); });
      });
}

template <typename Stream>
void HttpConnection<Stream>::finish_blocking() {
  if (phase_ == Phase::kClosed) return;
  pending_.append(deferred_);
  account(deferred_route_, deferred_status_, true);
  if (deferred_stream_) begin_stream(std::move(deferred_stream_));
  after_response();
  advance();
}

template <typename Stream>
void HttpConnection<Stream>::reject_malformed(error_code ec) {
  keep_alive_ = false;
  const ServerOptions& options = thread_.state.options;
  const ParseRejection rejection =
      parse_rejection(ec, RequestLimits{options.max_header_bytes, options.max_body_bytes});
  append_error(pending_, rejection.status, rejection.message, kTls);
  account(Route::kMalformed, rejection.status, false);
  after_response();
}

template <typename Stream>
void HttpConnection<Stream>::start_read() {
  socket_op_ = SocketOp::kRead;
  const ServerOptions& options = thread_.state.options;
  if (idle()) {
    set_deadline(Clock::now() + options.idle_timeout, true);
  } else {
    // A request is under way (or the first one is awaited): hold it to its
    // deadline precisely, which is what stops a slowloris.
    set_deadline(request_deadline_, true);
  }
  transport_.async_read_some(
      input_.prepare(kReadChunk),
      [self = this->shared_from_this()](error_code ec, std::size_t n) { self->on_read(ec, n); });
}

template <typename Stream>
void HttpConnection<Stream>::on_read(error_code ec, std::size_t bytes) {
  socket_op_ = SocketOp::kNone;
  if (phase_ == Phase::kClosed) return;
  if (ec) {
    // end_of_stream or a reset: nothing to answer, whatever was buffered.
    close();
    return;
  }
  input_.commit(bytes);
  advance();
}

template <typename Stream>
void HttpConnection<Stream>::start_write() {
  writing_.swap(pending_);
  pending_.clear();
  socket_op_ = SocketOp::kWrite;
  set_deadline(Clock::now() + thread_.state.options.read_timeout, false);
  asio::async_write(
      transport_, asio::buffer(writing_),
      [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_write(ec); });
}

template <typename Stream>
void HttpConnection<Stream>::on_write(error_code ec) {
  socket_op_ = SocketOp::kNone;
  if (phase_ == Phase::kClosed) return;
  if (ec) {
    close();
    return;
  }
  writing_.clear();
  advance();
}

template <typename Stream>
void HttpConnection<Stream>::start_linger() {
  // Half-close and read what the client still sends, so that the response
  // is not lost to a reset caused by unread data at close.
  phase_ = Phase::kLingering;
  set_deadline(
      Clock::now() + std::min<Clock::duration>(kLingerTimeout, thread_.state.options.read_timeout),
      true);
  if constexpr (kTls) {
    // TLS's half-close is close_notify, which also tells the client that
    // nothing was cut off (a body ended by closing needs it). The shutdown
    // sends it, then waits for the client's.
    socket_op_ = SocketOp::kRead;
    transport_.async_shutdown(
        [self = this->shared_from_this()](error_code ec) { self->on_tls_shutdown(ec); });
  } else {
    half_close_and_discard();
  }
}

template <typename Stream>
void HttpConnection<Stream>::on_tls_shutdown(error_code ec) {
  socket_op_ = SocketOp::kNone;
  if (phase_ == Phase::kClosed) return;
  if (!ec) {
    close();  // the client's close_notify: it has read everything
    return;
  }
  // Anything else (OpenSSL refuses data that follows a close_notify, such
  // as requests pipelined behind the last one) ends TLS: the linger goes on
  // over TCP, discarding the bytes undecrypted.
  half_close_and_discard();
}

template <typename Stream>
void HttpConnection<Stream>::half_close_and_discard() {
  error_code ignored;
  tcp_socket().shutdown(tcp::socket::shutdown_send, ignored);
  discard_input();
}

template <typename Stream>
void HttpConnection<Stream>::discard_input() {
  input_.clear();
  socket_op_ = SocketOp::kRead;
  // From the TCP socket even under TLS: what follows close_notify is
  // discarded undecrypted.
  tcp_socket().async_read_some(
      input_.prepare(kReadChunk),
      [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_linger_read(ec); });
}

template <typename Stream>
void HttpConnection<Stream>::on_linger_read(error_code ec) {
  socket_op_ = SocketOp::kNone;
  if (phase_ == Phase::kClosed) return;
  if (ec) {
    close();
    return;
  }
  discard_input();
}

template <typename Stream>
void HttpConnection<Stream>::set_deadline(Clock::time_point deadline, bool precise) {
  deadline_ = deadline;
  // Re-arming costs a timer operation. Reads re-arm only when their deadline
  // is earlier than the armed one, which under steady keep-alive traffic is
  // rare (each idle deadline lies beyond the previous one). Write deadlines
  // are lazy: checked when the armed timer fires, so a client that stops
  // reading is cut off up to one idle timeout late, with no per-response cost.
  if (!timer_armed_ || (precise && deadline < timer_expiry_)) arm_timer(deadline);
}

template <typename Stream>
void HttpConnection<Stream>::arm_timer(Clock::time_point at) {
  timer_armed_ = true;
  timer_expiry_ = at;
  const std::uint64_t generation = ++timer_generation_;
  timer_.expires_at(at);
  timer_.async_wait([self = this->shared_from_this(), generation](error_code ec) {
    self->on_timer(generation, ec);
  });
}

template <typename Stream>
void HttpConnection<Stream>::on_timer(std::uint64_t generation, error_code) {
  if (generation != timer_generation_ || phase_ == Phase::kClosed) return;
  timer_armed_ = false;
  // Deadlines apply only while the connection waits on the client.
  if (socket_op_ == SocketOp::kNone) return;
  if (Clock::now() < deadline_) {
    arm_timer(deadline_);
    return;
  }
  if (phase_ == Phase::kHandshaking) handshake_failed("not completed within the read timeout");
  if (phase_ == Phase::kReading && socket_op_ == SocketOp::kRead && request_under_way()) {
    // Cut off mid-request: say why, without waiting on a client that may
    // not read (a non-blocking best effort).
    std::string response;
    append_error(response, 408, "request not received in time", kTls);
    account(Route::kMalformed, 408, false);
    write_without_waiting(response);
  }
  close();
}

template class HttpConnection<tcp::socket>;
template class HttpConnection<TlsStream>;

void serve_connection(tcp::socket socket, IoThread& thread) {
  if (thread.state.tls != nullptr) {
    TlsStream stream(std::move(socket), thread.state.tls->native());
    std::make_shared<HttpConnection<TlsStream>>(std::move(stream), thread)->start();
  } else {
    std::make_shared<HttpConnection<tcp::socket>>(std::move(socket), thread)->start();
  }
}

}  // namespace orderd::net
