// One HTTP/1.1 connection and the per-thread state it runs on. Internal to
// net/: only http_server.cc and http_connection.cc include this header,
// which is why it may carry Boost.Asio and Beast types.
//
// Threading: an HttpConnection and its IoThread are touched only by that
// thread, except that a request handed to the BlockingPool is read by a
// blocking thread while the connection waits for it (and does nothing else).
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "net/api.h"
#include "net/http_message.h"
#include "net/http_server.h"

namespace orderd::net {

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
};

class HttpConnection;

// One event loop thread and what its connections reuse.
struct IoThread {
  explicit IoThread(ServerState& s) : state(s), handler(s.api) {}
  ServerState& state;
  ApiHandler handler;
  HttpResponse response;
  HttpConnection* connections = nullptr;  // intrusive list of this thread's connections
  std::thread thread;
  // Declared last so it is destroyed first: handlers it still holds may own
  // connections, whose destructors use the members above.
  asio::io_context context{1};
};

// Request line, headers and body into reused strings, nothing else kept.
// A parser handles one message; the connection makes a new one per request.
class RequestParser : public boost::beast::http::basic_parser<true> {
 public:
  RequestParser(std::string& target, std::string& body, const ServerOptions& options);

  HttpMethod method() const { return method_; }
  int version() const { return version_; }
  bool expects_continue() const { return expects_continue_; }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;
  void on_request_impl(boost::beast::http::verb, string_view method, string_view target,
                       int version, error_code&) override;
  void on_response_impl(int, string_view, int, error_code&) override {}
  void on_field_impl(boost::beast::http::field name, string_view, string_view value,
                     error_code&) override;
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override;
  std::size_t on_body_impl(string_view data, error_code&) override;
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view data, error_code&) override;
  void on_finish_impl(error_code&) override {}

  std::string& target_;
  std::string& body_;
  HttpMethod method_ = HttpMethod::kOther;
  int version_ = 11;
  bool expects_continue_ = false;
};

class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  // The socket must belong to thread.context; call start() on that thread.
  HttpConnection(tcp::socket socket, IoThread& thread);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  void start();
  // Shutdown began: close now if idle, otherwise after the current response.
  void drain();
  // Closes at once; pending operations end with operation_aborted.
  void close();
  HttpConnection* next() const { return next_; }

 private:
  // Runs the state machine after any event: parses what is buffered, starts
  // a write if responses wait, otherwise reads (or closes).
  void advance();
  void process_input();
  void dispatch_request();
  void finish_request(const HttpResponse& response);
  // Queues a response for writing and counts it in the metrics.
  void queue_response(const HttpResponse& response);
  void after_response();
  // Counts a response in the metrics (and the access log, if on).
  void account(Route route, unsigned status, bool timed);
  void hold_until_durable(const HttpResponse& response);
  void finish_durable(const std::string& error);
  void run_blocking(HttpRequest request);
  void finish_blocking();
  void reject_malformed(boost::beast::error_code ec);
  void start_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void start_write();
  void on_write(boost::beast::error_code ec);
  void start_linger();
  void on_linger_read(boost::beast::error_code ec);
  void set_deadline(Clock::time_point deadline, bool precise);
  void arm_timer(Clock::time_point at);
  void on_timer(std::uint64_t generation, boost::beast::error_code ec);
  bool idle() const { return !parser_ && input_.size() == 0 && !awaiting_first_request_; }
  // A request is being answered elsewhere (a blocking thread, the journal):
  // nothing else is read or parsed until it returns, which keeps pipelined
  // responses in order.
  bool busy() const { return blocking_ || awaiting_durable_; }
  ResponseFraming framing() const;

  tcp::socket socket_;
  asio::steady_timer timer_;
  IoThread& thread_;
  HttpConnection* prev_ = nullptr;
  HttpConnection* next_ = nullptr;

  boost::beast::flat_buffer input_;
  std::optional<RequestParser> parser_;
  std::string target_;
  std::string body_;
  std::string pending_;   // responses waiting for the next write
  std::string writing_;   // responses handed to the current write
  std::string deferred_;  // the blocking thread's response
  Route deferred_route_ = Route::kNotFound;
  unsigned deferred_status_ = 0;
  HttpResponse held_;      // waiting for its change to be durable
  std::string held_body_;  // held_.body points here
  Clock::time_point request_started_;

  Clock::time_point request_deadline_;
  Clock::time_point deadline_;
  Clock::time_point timer_expiry_;
  std::uint64_t timer_generation_ = 0;
  bool timer_armed_ = false;

  HttpMethod method_ = HttpMethod::kGet;  // of the request being answered
  int version_ = 11;
  bool keep_alive_ = true;
  bool awaiting_first_request_ = true;
  bool sent_continue_ = false;
  bool reading_ = false;
  bool write_active_ = false;
  bool blocking_ = false;
  bool awaiting_durable_ = false;
  bool close_after_write_ = false;
  bool lingering_ = false;
  bool closed_ = false;
};

// The current time as an HTTP Date header value, cached per thread and second.
std::string_view current_http_date();

}  // namespace orderd::net
