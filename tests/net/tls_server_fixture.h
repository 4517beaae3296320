// ServerFixture serving HTTPS, with a certificate made for each test.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/net/server_test_util.h"
#include "tests/net/test_certificate.h"
#include "tests/net/tls_http_client.h"
#include "tests/persistence/temp_dir.h"

namespace orderd::net::testing {

class TlsServerFixture : public ServerFixture {
 protected:
  void start_tls(ServerOptions options = {}) {
    write_self_signed(cert_file(), key_file());
    options.tls_cert_file = cert_file();
    options.tls_key_file = key_file();
    start(options);
  }

  // A client that has completed its handshake.
  std::unique_ptr<TlsHttpClient> connect_tls() {
    auto c = std::make_unique<TlsHttpClient>(server->port(), cert_file());
    EXPECT_TRUE(c->handshake_done());
    return c;
  }

  std::string cert_file() const { return certs.file("cert.pem"); }
  std::string key_file() const { return certs.file("key.pem"); }
  std::uint64_t handshake_failures() const {
    return api->http_metrics().snapshot().tls_handshake_failures;
  }

  persistence::testing::TempDir certs;
};

}  // namespace orderd::net::testing
