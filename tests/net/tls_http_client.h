// RawHttpClient over TLS (OpenSSL, blocking): the same exact control of the
// bytes, encrypted. It trusts one certificate, the server's own
// (test_certificate.h), and checks nothing else, the host name included.
#pragma once

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <string>

#include "tests/net/raw_http_client.h"

namespace orderd::net::testing {

class TlsHttpClient : public RawHttpClient {
 public:
  // Connects and completes the handshake (see handshake_done()). A
  // `max_version` (TLS1_1_VERSION...) limits what the client offers.
  TlsHttpClient(std::uint16_t port, const std::string& trusted_cert_file, int max_version = 0,
                std::chrono::milliseconds timeout = std::chrono::seconds(10))
      : RawHttpClient(port, timeout) {
    if (!connected()) return;
    // SSL_write writes with write(2), not send(2) with MSG_NOSIGNAL: a server
    // that reset the connection must fail the write, not kill the test.
    std::signal(SIGPIPE, SIG_IGN);
    // SSL_read and SSL_write block; bound them as the plain client's polls are.
    timeval limit{};
    limit.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    limit.tv_usec = static_cast<suseconds_t>(timeout.count() % 1000 * 1000);
    ::setsockopt(fd(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(fd(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    context_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(context_, trusted_cert_file.c_str(), nullptr);
    SSL_CTX_set_verify(context_, SSL_VERIFY_PEER, nullptr);
    if (max_version != 0) {
      SSL_CTX_set_min_proto_version(context_, max_version);
      SSL_CTX_set_max_proto_version(context_, max_version);
      // OpenSSL 3 offers TLS 1.1 and older only at security level 0.
      if (max_version < TLS1_2_VERSION) SSL_CTX_set_cipher_list(context_, "DEFAULT:@SECLEVEL=0");
    }
    ssl_ = SSL_new(context_);
    SSL_set_fd(ssl_, fd());
    ERR_clear_error();
    handshake_done_ = SSL_connect(ssl_) == 1;
    if (!handshake_done_) handshake_error_ = ERR_peek_last_error();
  }
  ~TlsHttpClient() override {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (context_ != nullptr) SSL_CTX_free(context_);
  }

  bool handshake_done() const { return handshake_done_; }
  // The OpenSSL error that ended a failed handshake (ERR_GET_REASON it).
  unsigned long handshake_error() const { return handshake_error_; }
  std::string protocol() const { return SSL_get_version(ssl_); }
  std::string cipher() const { return SSL_get_cipher_name(ssl_); }
  // The server ended TLS with close_notify (seen once reads returned 0).
  bool received_close_notify() const {
    return (SSL_get_shutdown(ssl_) & SSL_RECEIVED_SHUTDOWN) != 0;
  }

 protected:
  ssize_t send_some(const char* data, std::size_t size) override {
    if (!handshake_done_) return -1;
    const int n = SSL_write(ssl_, data, static_cast<int>(size));
    return n > 0 ? n : -1;
  }
  ssize_t receive_some(char* data, std::size_t size) override {
    if (!handshake_done_) return -1;
    const int n = SSL_read(ssl_, data, static_cast<int>(size));
    if (n > 0) return n;
    ERR_clear_error();
    return 0;  // close_notify, a close without it, or a reset: the end either way
  }
  bool has_pending() const override { return ssl_ != nullptr && SSL_pending(ssl_) > 0; }

 private:
  SSL_CTX* context_ = nullptr;
  SSL* ssl_ = nullptr;
  bool handshake_done_ = false;
  unsigned long handshake_error_ = 0;
};

}  // namespace orderd::net::testing
