// The HTTP/1.1 server: a listener and one event loop per I/O thread serving
// the API (api.h). Boost.Asio/Beast stay inside net/*.cc; this header is
// plain C++ so the app and tests compile fast.
//
//   accept (I/O thread 0) ──round robin──> connection on I/O thread k
//       [TLS handshake] → parse (Beast) → ApiHandler of thread k → response → write
//       long requests (populate, order id listings) → blocking thread → back
//
// Each connection lives on one I/O thread and is never touched by another,
// so connections need no locks; pipelined requests are answered in order.
//
// Thread safety: start() and stop() are called by the owner, once each, from
// one thread; the accessors may be called from any thread after start().
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "net/api.h"

namespace orderd::net {

struct ServerOptions {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 5000;  // 0: any free port, see port()
  unsigned io_threads = 0;    // 0: one per hardware thread
  unsigned blocking_threads = 2;
  std::size_t max_body_bytes = 1 << 20;    // larger bodies: 413
  std::size_t max_header_bytes = 8 << 10;  // larger request line + headers: 431
  std::size_t max_connections = 10'000;    // beyond: 503 and close
  // From a request's first byte to its last, for a new connection's first
  // request, and for each response write. A client that is slower (slowloris)
  // is cut off; one that stopped mid-request gets a 408 first.
  std::chrono::milliseconds read_timeout{10'000};
  // How long a keep-alive connection may wait for its next request.
  std::chrono::milliseconds idle_timeout{30'000};
  // One log line per request (method, target, status, duration): for
  // debugging, never on by default.
  bool access_log = false;
  // PEM files: the certificate (followed by its chain, if any) and its
  // private key. Both set: every connection is TLS 1.2 or 1.3
  // (tls_context.h), every response carries Strict-Transport-Security, and
  // the handshake counts toward the first request's read_timeout. Both
  // empty: plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
};

class HttpServer {
 public:
  // `api` must outlive the server.
  HttpServer(Api& api, const ServerOptions& options);
  ~HttpServer();  // stop() with no patience if still running
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the threads; on return connections are being
  // accepted and the Api is marked ready. Throws std::system_error if the
  // address cannot be bound, std::invalid_argument for a bad address or
  // only one of the TLS files, std::runtime_error (naming the file) for
  // TLS files that cannot be used; then nothing was started.
  void start();

  // Graceful shutdown: marks the Api not ready, stops accepting, closes idle
  // connections, lets requests in progress finish (their responses say
  // Connection: close), then joins the threads. Whatever is still open after
  // `drain_timeout` is closed and long operations are aborted. Idempotent.
  void stop(std::chrono::milliseconds drain_timeout);

  // The bound port (the chosen one when ServerOptions::port was 0).
  std::uint16_t port() const;
  // "http://127.0.0.1:5000", "http://[::1]:8080"; "https://..." over TLS.
  std::string url() const;
  // Connections currently open.
  std::size_t connection_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace orderd::net
