// One HTTP/1.1 connection and the per-thread state it runs on. Internal to
// net/: only http_server.cc and http_connection.cc include this header,
// which is why it may carry Boost.Asio and Beast types (but not Asio's SSL:
// the TLS stream type is named in http_connection.cc alone).
//
// Threading: an HttpConnection and its IoThread are touched only by that
// thread, except that a request handed to the BlockingPool is read by a
// blocking thread while the connection waits for it in kBlocking (and parses
// nothing meanwhile), and that a durability completion may run on another
// thread, which posts it back.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

#include "net/api.h"
#include "net/http_message.h"
#include "net/http_server.h"
#include "net/request_parser.h"

namespace orderd::net {

class TlsContext;

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Threads that run requests which may take long (populate, order id
// listings), each with its own ApiHandler, so I/O threads never block.
class BlockingPool {
 public:
  BlockingPool(Api& api, unsigned threads);
  ~BlockingPool();  // joins
  // Runs task(ApiHandler&) on one of the pool's threads.
  template <typename Task>
  void post(Task task) {
    asio::post(context_, [task = std::move(task)]() mutable { task(*current_handler_); });
  }
  // Lets queued tasks finish, then joins the threads.
  void join();

 private:
  static thread_local ApiHandler* current_handler_;
  asio::io_context context_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

// What the listener, the I/O threads and the connections share.
struct ServerState {
  ServerState(Api& a, const ServerOptions& o) : api(a), options(o) {}
  Api& api;
  const ServerOptions options;
  std::atomic<bool> draining{false};
  BlockingPool* blocking = nullptr;
  TlsContext* tls = nullptr;  // set: every connection is TLS
};

class Connection;

// One event loop thread and what its connections reuse.
struct IoThread {
  explicit IoThread(ServerState& s) : state(s), handler(s.api) {}
  ServerState& state;
  ApiHandler handler;
  HttpResponse response;
  Connection* connections = nullptr;  // intrusive list of this thread's connections
  std::thread thread;
  // Declared last so it is destroyed first: handlers it still holds may own
  // connections, whose destructors use the members above.
  asio::io_context context{1};
};

// What the server sees of a connection, whatever its stream: its place in its
// thread's list, and the two calls of a shutdown (virtual, but made only
// then, never per request).
class Connection {
 public:
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Shutdown began: close now if idle, otherwise after the current response.
  virtual void drain() = 0;
  // Closes at once; pending operations end with operation_aborted.
  virtual void close() = 0;
  Connection* next() const { return next_; }

 protected:
  // Joins thread's list; on thread's own thread.
  explicit Connection(IoThread& thread);
  // Leaves the list, and counts the connection closed. Not virtual: a
  // connection is owned by shared_ptrs of its own class.
  ~Connection();

  IoThread& thread_;

 private:
  Connection* prev_ = nullptr;
  Connection* next_ = nullptr;
};

// Serves an accepted socket, over TLS when thread.state.tls is set; on the
// socket's thread (thread.context).
void serve_connection(tcp::socket socket, IoThread& thread);

// One connection's state is two things that change separately: the phase
// (what it does with requests) and the socket operation outstanding, because
// a write of earlier pipelined responses may be in flight while a later
// request is on a blocking thread or waits for durability.
//
// Phases:
//
//   start (over TLS: kHandshaking first)
//     |
//     v        needs a blocking thread
//   kReading ------------------------------> kBlocking -------------+
//     ^  | \      its response reports a change   |  and so does its |
//     |  |  '----------------------------> kAwaitingDurability -----+
//     |  |                                                          |
//     |  |                   answered, keep-alive                   |
//     +--|----------------------------------------------------------+
//        |                                                          |
//        | answered without keep-alive,      answered without       |
//        | or malformed                      keep-alive             |
//        v                                                          |
//   kLastResponse <-------------------------------------------------+
//   (a response with a streamed body passes through kStreaming first: its
//   pieces are produced one write at a time, then it ends as any other)
//        |
//        | written
//        v
//   kLingering -----------------------------> kClosed
//                client closes, linger timeout
//
//   close() ends any phase in kClosed: an I/O error, a deadline, or
//   shutdown while idle.
//
// A response leaves in one of three ways, each ending in after_response():
// inline (kReading), from a blocking thread (finish_blocking) or once its
// change is durable (finish_durable). Outside kReading nothing is parsed,
// which keeps pipelined responses in order; in kReading parsing pauses while
// more than kPendingHighWater bytes of responses wait (backpressure).
//
// Socket operations, at most one at a time:
//
//   kNone --start_read / start_linger--> kRead  --completion--> kNone
//         (and start_handshake, over TLS)
//   kNone --start_write----------------> kWrite --completion--> kNone
//
// Reads happen in kHandshaking, kReading (requests) and kLingering (discarding). Writes
// start whenever responses wait and nothing is outstanding, in any phase
// before kLingering. Read and write completions, finish_blocking() and
// finish_durable() call advance(), which picks the next step. Deadlines
// apply only while an operation is outstanding, that is while the
// connection waits on the client: the request deadline and the idle timeout
// on reads, a lazy deadline on writes, the linger timeout when lingering.
//
// Over TLS a connection begins in kHandshaking, held to the first request's
// deadline like a plain connection waiting for its first byte, then goes on
// to kReading; lingering sends TLS's close_notify first, and the TCP
// half-close only if the client does not answer with its own. Every
// response then carries Strict-Transport-Security.
//
// The class is a template on the stream, a tcp::socket or a TLS stream over
// one, so that the plain connection is what it would be without TLS: no
// indirection per read or write. Both are instantiated in
// http_connection.cc, where serve_connection() picks one.
template <typename Stream>
class HttpConnection final : public Connection,
                             public std::enable_shared_from_this<HttpConnection<Stream>> {
 public:
  // The transport must belong to thread.context; call start() on that thread.
  HttpConnection(Stream transport, IoThread& thread);
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  void start();
  void drain() override;
  void close() override;

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, tcp::socket>;

  enum class Phase : std::uint8_t {
    kHandshaking,         // TLS only: the handshake, before the first request
    kReading,             // reads requests and answers them inline
    kBlocking,            // one request runs on a blocking thread
    kAwaitingDurability,  // one response is held until its change is durable
    kStreaming,           // a streamed body is being sent, a piece per write
    kLastResponse,        // the final response is queued; nothing more is read
    kLingering,           // half-closed: unread input is discarded until the client closes
    kClosed,
  };
  enum class SocketOp : std::uint8_t { kNone, kRead, kWrite };

  // Picks the next step after any event: parses what is buffered (kReading),
  // starts a write if responses wait, otherwise reads, lingers or closes.
  void advance();
  void process_input();
  // A new parser, and the new request's deadline.
  void begin_request();
  void dispatch_request();
  void finish_request(const HttpResponse& response);
  // Queues a response for writing and counts it in the metrics.
  void queue_response(const HttpResponse& response);
  // A response is queued: back to kReading, or kLastResponse without keep-alive.
  void after_response();
  // Counts a response in the metrics (and the access log, if on).
  void account(Route route, unsigned status, bool timed);
  // Whether `response` reports a change that must be durable before it is sent.
  bool must_hold(const HttpResponse& response) const;
  void hold_until_durable(const HttpResponse& response);
  // hold_until_durable() in two steps, for a blocking thread's response:
  // the copy (on that thread) and the wait (on the connection's).
  void keep_held(const HttpResponse& response);
  void await_durable();
  void finish_durable(const std::string& error);
  void run_blocking(HttpRequest request);
  void finish_blocking();
  // The response just queued has a streamed body: send it before going on.
  void begin_stream(std::shared_ptr<BodyStream> stream);
  // Queues the stream's next piece (or its end, then after_response()).
  void produce_stream_piece();
  void reject_malformed(boost::beast::error_code ec);
  void start_handshake();
  void on_handshake(boost::beast::error_code ec);
  // Counted, and logged at debug level only: a port scanner or a plain HTTP
  // client is no news.
  void handshake_failed(std::string_view why);
  void start_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void start_write();
  void on_write(boost::beast::error_code ec);
  void start_linger();
  void on_tls_shutdown(boost::beast::error_code ec);
  void half_close_and_discard();
  void discard_input();
  void on_linger_read(boost::beast::error_code ec);
  // The TCP socket, the stream itself or the one under TLS.
  tcp::socket& tcp_socket();
  // Best effort and never blocking, for a last word before closing.
  void write_without_waiting(std::string_view bytes);
  void set_deadline(Clock::time_point deadline, bool precise);
  void arm_timer(Clock::time_point at);
  void on_timer(std::uint64_t generation, boost::beast::error_code ec);
  // Between requests: none begun (the first counts as begun from the start).
  bool idle() const { return !parser_ && input_.size() == 0; }
  // Some bytes of a request arrived, so a timeout cuts it off.
  bool request_under_way() const { return (parser_ && parser_->got_some()) || input_.size() > 0; }
  ResponseFraming framing() const;

  Stream transport_;  // the socket, or the TLS stream over it
  asio::steady_timer timer_;

  Phase phase_ = Phase::kReading;
  SocketOp socket_op_ = SocketOp::kNone;

  boost::beast::flat_buffer input_;
  std::optional<RequestParser> parser_;  // of the request being read or answered
  RequestText request_;
  std::string pending_;   // responses waiting for the next write
  std::string writing_;   // responses handed to the current write
  std::string deferred_;  // the blocking thread's response
  Route deferred_route_ = Route::kNotFound;
  unsigned deferred_status_ = 0;
  std::shared_ptr<BodyStream> deferred_stream_;  // the blocking thread's response's, if any
  std::shared_ptr<BodyStream> stream_;           // being sent (kStreaming)
  ResponseFraming stream_framing_;
  HttpResponse held_;      // waiting for its change to be durable
  std::string held_body_;  // held_.body points here
  std::string held_etag_;  // held_.etag points here
  Clock::time_point request_started_;
  std::string client_address_;  // the peer's, for rate limits
  bool client_loopback_ = false;

  Clock::time_point request_deadline_;
  Clock::time_point deadline_;
  Clock::time_point timer_expiry_;
  std::uint64_t timer_generation_ = 0;
  bool timer_armed_ = false;

  // Of the request being answered.
  HttpMethod method_ = HttpMethod::kGet;
  int version_ = 11;
  bool keep_alive_ = true;
};

// The current time as an HTTP Date header value, cached per thread and second.
std::string_view current_http_date();

}  // namespace orderd::net
