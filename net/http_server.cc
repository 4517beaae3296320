#include "net/http_server.h"

#include <boost/asio/ip/address.hpp>

#include <future>
#include <stdexcept>
#include <system_error>

#include "net/http_connection.h"
#include "net/json_output.h"
#include "net/tls_context.h"

namespace orderd::net {

using boost::beast::error_code;

struct HttpServer::Impl {
  Impl(Api& api, const ServerOptions& options) : state(api, options) {}

  void accept_next();
  void refuse(tcp::socket& socket);
  bool wait_for_connections_to_close(std::chrono::milliseconds patience);
  template <typename Fn>
  void on_every_connection(Fn fn);

  ServerState state;
  std::unique_ptr<TlsContext> tls;  // before the threads: their connections use it
  std::vector<std::unique_ptr<IoThread>> threads;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::unique_ptr<BlockingPool> blocking;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> accept_retry;
  std::size_t next_thread = 0;
  std::uint16_t port = 0;
  std::string url;
  bool started = false;
  bool stopped = false;
};

void HttpServer::Impl::accept_next() {
  IoThread& target = *threads[next_thread];
  next_thread = (next_thread + 1) % threads.size();
  acceptor->async_accept(target.context, [this, &target](error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
    if (ec) {
      // Out of file descriptors or similar: pause instead of spinning.
      accept_retry->expires_after(std::chrono::milliseconds(50));
      accept_retry->async_wait([this](error_code wait_ec) {
        if (!wait_ec && acceptor->is_open()) accept_next();
      });
      return;
    }
    if (!state.api.http_metrics().admit_connection(state.options.max_connections)) {
      refuse(socket);
    } else {
      // The new connection lives on its own thread from here on.
      asio::post(target.context, [&target, socket = std::move(socket)]() mutable {
        serve_connection(std::move(socket), target);
      });
    }
    accept_next();
  });
}

void HttpServer::Impl::refuse(tcp::socket& socket) {
  error_code ignored;
  if (tls) {
    // A TLS client cannot read a plain answer, and a handshake here would
    // make the listener wait on the client: closed without a word.
    socket.close(ignored);
    return;
  }
  HttpResponse response;
  response.status = 503;
  const std::string body = error_body("too many open connections");
  response.body = body;
  response.retry_after_seconds = 1;
  std::string bytes;
  append_response(bytes, response, {.keep_alive = false}, current_http_date());
  // Best effort and never blocking: the listener must not wait on a client.
  socket.non_blocking(true, ignored);
  socket.write_some(asio::buffer(bytes), ignored);
  socket.shutdown(tcp::socket::shutdown_send, ignored);
  socket.close(ignored);
}

template <typename Fn>
void HttpServer::Impl::on_every_connection(Fn fn) {
  for (auto& t : threads) {
    asio::post(t->context, [thread = t.get(), fn] {
      // fn may close a connection, but the last reference to it is held by
      // a pending handler, so the list stays intact while it is walked.
      for (Connection* c = thread->connections; c != nullptr;) {
        Connection* next = c->next();
        fn(*c);
        c = next;
      }
    });
  }
}

bool HttpServer::Impl::wait_for_connections_to_close(std::chrono::milliseconds patience) {
  const auto deadline = Clock::now() + patience;
  while (state.api.http_metrics().open_connections() > 0) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

HttpServer::HttpServer(Api& api, const ServerOptions& options)
    : impl_(std::make_unique<Impl>(api, options)) {}

HttpServer::~HttpServer() { stop(std::chrono::milliseconds(0)); }

void HttpServer::start() {
  Impl& s = *impl_;
  if (s.started) return;
  const ServerOptions& options = s.state.options;
  unsigned io_threads = options.io_threads;
  if (io_threads == 0) io_threads = std::max(1u, std::thread::hardware_concurrency());

  error_code ec;
  const auto address = asio::ip::make_address(options.bind_address, ec);
  if (ec) throw std::invalid_argument("invalid bind address '" + options.bind_address + "'");
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    throw std::invalid_argument("TLS needs both a certificate file and a key file");
  }
  // Read before anything starts, so that bad files stop start() cleanly.
  if (!options.tls_cert_file.empty()) {
    s.tls = std::make_unique<TlsContext>(options.tls_cert_file, options.tls_key_file);
    s.state.tls = s.tls.get();
  }

  for (unsigned i = 0; i < io_threads; ++i) {
    s.threads.push_back(std::make_unique<IoThread>(s.state));
    s.work.emplace_back(s.threads.back()->context.get_executor());
  }
  s.blocking = std::make_unique<BlockingPool>(s.state.api, options.blocking_threads);
  s.state.blocking = s.blocking.get();

  const tcp::endpoint endpoint(address, options.port);
  tcp::acceptor& acceptor = s.acceptor.emplace(s.threads[0]->context);
  s.accept_retry.emplace(s.threads[0]->context);
  auto check = [&](const char* what) {
    if (ec) {
      throw std::system_error(
          ec, std::string(what) + " " + options.bind_address + ":" + std::to_string(options.port));
    }
  };
  acceptor.open(endpoint.protocol(), ec);
  check("cannot open a socket for");
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  check("cannot set SO_REUSEADDR on");
  acceptor.bind(endpoint, ec);
  check("cannot bind");
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  check("cannot listen on");
  s.port = acceptor.local_endpoint().port();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  s.url = (s.tls ? "https://" : "http://") + host + ":" + std::to_string(s.port);

  s.accept_next();
  for (auto& t : s.threads) {
    t->thread = std::thread([thread = t.get()] { thread->context.run(); });
  }
  s.started = true;
  s.state.api.set_ready(true);
}

void HttpServer::stop(std::chrono::milliseconds drain_timeout) {
  Impl& s = *impl_;
  if (!s.started || s.stopped) return;
  s.stopped = true;
  s.state.api.set_ready(false);
  s.state.draining.store(true, std::memory_order_release);

  // Stop accepting first, on the acceptor's own thread, and wait for it so
  // no connection arrives after the drain below.
  std::promise<void> acceptor_closed;
  asio::post(s.threads[0]->context, [&s, &acceptor_closed] {
    error_code ignored;
    s.acceptor->close(ignored);
    s.accept_retry->cancel();
    acceptor_closed.set_value();
  });
  acceptor_closed.get_future().wait();

  s.on_every_connection([](Connection& c) { c.drain(); });
  if (!s.wait_for_connections_to_close(drain_timeout)) {
    s.state.api.abort_long_operations();
    s.on_every_connection([](Connection& c) { c.close(); });
  }
  // Blocking work ends quickly once aborted; its results still reach their
  // (possibly closed) connections on the I/O threads, which keep running.
  s.blocking->join();
  s.wait_for_connections_to_close(std::chrono::seconds(5));

  s.work.clear();
  for (auto& t : s.threads) t->context.stop();
  for (auto& t : s.threads) {
    if (t->thread.joinable()) t->thread.join();
  }
}

std::uint16_t HttpServer::port() const { return impl_->port; }

std::string HttpServer::url() const { return impl_->url; }

std::size_t HttpServer::connection_count() const {
  return static_cast<std::size_t>(impl_->state.api.http_metrics().open_connections());
}

}  // namespace orderd::net
