#include "net/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <system_error>
#include <thread>

#include "tests/net/server_test_util.h"
#include "tests/net/tls_server_fixture.h"

namespace orderd::net {
namespace {

using namespace std::chrono_literals;
using testing::get_request;
using testing::order_json;
using testing::post_request;
using testing::RawHttpClient;

#ifndef ORDERD_TEST_SCALE_DIVISOR
#define ORDERD_TEST_SCALE_DIVISOR 1
#endif

using HttpServerTest = testing::ServerFixture;

TEST_F(HttpServerTest, PortZeroPicksAFreePortAndReportsIt) {
  start();
  EXPECT_GT(server->port(), 0);
  EXPECT_EQ(server->url(), "http://127.0.0.1:" + std::to_string(server->port()));
  EXPECT_TRUE(api->ready());
  auto r = connect()->request(get_request("/health/ready"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
}

TEST_F(HttpServerTest, BindingATakenPortThrows) {
  start();
  ServerOptions options;
  options.port = server->port();
  HttpServer second(*api, options);
  EXPECT_THROW(second.start(), std::system_error);
}

TEST_F(HttpServerTest, BadBindAddressThrows) {
  start();
  ServerOptions options;
  options.bind_address = "not an address";
  HttpServer bad(*api, options);
  EXPECT_THROW(bad.start(), std::invalid_argument);
}

TEST_F(HttpServerTest, ConnectionsBeyondTheLimitGet503) {
  ServerOptions options;
  options.max_connections = 2;
  start(options);
  auto a = connect();
  auto b = connect();
  ASSERT_TRUE(a->request(get_request("/health")));
  ASSERT_TRUE(b->request(get_request("/health")));
  auto c = connect();
  auto r = c->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503u);
  EXPECT_EQ(r->header("retry-after"), "1");
  EXPECT_TRUE(c->closed_by_peer(5s));
  a.reset();
  ASSERT_TRUE(testing::wait_until([&] { return server->connection_count() == 1; }, 5s));
  auto d = connect();
  auto ok = d->request(get_request("/health"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200u);
}

TEST_F(HttpServerTest, ConcurrentCreatesOnManyConnectionsLandExactlyOnce) {
  start();
  const int kConnections = 40;
  const int kPerConnection = 500 / ORDERD_TEST_SCALE_DIVISOR + 5;
  std::atomic<int> created{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < kConnections; ++t) {
    clients.emplace_back([&, t] {
      RawHttpClient c(server->port());
      for (int i = 0; i < kPerConnection; ++i) {
        auto r = c.request(post_request(
            "/orders/", order_json("C" + std::to_string(t) + "-" + std::to_string(i))));
        if (r && r->status == 201u) created.fetch_add(1);
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(created.load(), kConnections * kPerConnection);
  EXPECT_EQ(engine->counters().accepted, kConnections * kPerConnection);
}

TEST_F(HttpServerTest, SimultaneousCreatesWithOneIdGetExactlyOne201) {
  start();
  const int kClients = 32;
  std::atomic<int> created{0}, conflicts{0};
  std::vector<std::unique_ptr<RawHttpClient>> conns;
  for (int i = 0; i < kClients; ++i) conns.push_back(connect());
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      auto r = conns[i]->request(post_request("/orders/", order_json("SAME")));
      if (r && r->status == 201u) created.fetch_add(1);
      if (r && r->status == 409u) conflicts.fetch_add(1);
    });
  }
  go.store(true);
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(conflicts.load(), kClients - 1);
}

TEST_F(HttpServerTest, StopClosesIdleConnectionsAndMarksNotReady) {
  start();
  auto idle = connect();
  ASSERT_TRUE(idle->request(get_request("/health")));
  // At once, not after the patience runs out: the bound leaves a busy
  // machine seconds of slack and still catches a stop that waits.
  const auto patience = 60s;
  auto t0 = std::chrono::steady_clock::now();
  server->stop(patience);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, patience / 4);
  EXPECT_TRUE(idle->closed_by_peer(10s));
  EXPECT_FALSE(api->ready());
  EXPECT_EQ(server->connection_count(), 0u);
  RawHttpClient late(server->port());
  EXPECT_TRUE(!late.connected() || late.closed_by_peer(10s));
}

TEST_F(HttpServerTest, StopLetsARequestInProgressFinish) {
  start();
  auto c = connect();
  // Populate runs on a blocking thread for a while; stop() must wait for it.
  ASSERT_TRUE(c->send(post_request(
      "/orders/populate",
      R"({"total_entries": )" + std::to_string(200'000 / ORDERD_TEST_SCALE_DIVISOR) + "}")));
  ASSERT_TRUE(testing::wait_until([&] { return engine->counters().accepted > 0; }, 10s));
  std::thread stopper([&] { server->stop(30s); });
  auto r = c->read_response();
  stopper.join();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201u);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c->closed_by_peer(10s));
}

TEST_F(HttpServerTest, StopGivesUpOnStuckClientsAfterTheTimeout) {
  // The client's own deadline lies far beyond the stop's patience, so only
  // giving up closes it within the bound, which leaves seconds of slack.
  ServerOptions options;
  options.read_timeout = 60s;
  start(options);
  auto c = connect();
  ASSERT_TRUE(c->send("POST /orders/ HTTP/1.1\r\nContent-Length: 100\r\n\r\n{"));
  ASSERT_TRUE(testing::wait_until([&] { return server->connection_count() == 1; }, 10s));
  auto t0 = std::chrono::steady_clock::now();
  server->stop(300ms);
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(elapsed, 300ms);
  EXPECT_LT(elapsed, options.read_timeout / 4);
  EXPECT_TRUE(c->closed_by_peer(10s));
}

TEST_F(HttpServerTest, ManyIoThreadsShareTheLoad) {
  ServerOptions options;
  options.io_threads = 4;
  start(options);
  std::vector<std::unique_ptr<RawHttpClient>> conns;
  for (int i = 0; i < 16; ++i) conns.push_back(connect());
  for (int round = 0; round < 3; ++round) {
    for (auto& c : conns) {
      auto r = c->request(get_request("/health"));
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 200u);
    }
  }
  EXPECT_EQ(server->connection_count(), 16u);
}

// --- HTTPS ----------------------------------------------------------------------

using HttpsServerTest = testing::TlsServerFixture;

TEST_F(HttpsServerTest, ServesHttpsAndSaysSoInItsUrl) {
  start_tls();
  EXPECT_EQ(server->url(), "https://127.0.0.1:" + std::to_string(server->port()));
  auto r = connect_tls()->request(get_request("/health/ready"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
}

TEST_F(HttpsServerTest, TlsFilesThatCannotBeUsedStopStartBeforeItListens) {
  start();  // for the Api; its own server is plain
  testing::write_self_signed(cert_file(), key_file());
  testing::write_self_signed(certs.file("other.pem"), certs.file("other.key"));
  auto refused = [&](const std::string& cert, const std::string& key) -> std::string {
    ServerOptions options;
    options.port = 0;
    options.tls_cert_file = cert;
    options.tls_key_file = key;
    HttpServer tls(*api, options);
    try {
      tls.start();
    } catch (const std::invalid_argument& e) {
      return std::string("invalid_argument: ") + e.what();
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(tls.port(), 0) << "nothing was bound";
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(refused(cert_file(), ""),
            "invalid_argument: TLS needs both a certificate file and a key file");
  EXPECT_EQ(refused("", key_file()),
            "invalid_argument: TLS needs both a certificate file and a key file");
  EXPECT_NE(refused(certs.file("missing.pem"), key_file()).find("No such file"), std::string::npos);
  EXPECT_NE(refused(cert_file(), certs.file("other.key")).find("is not the private key"),
            std::string::npos);
  EXPECT_EQ(refused(cert_file(), key_file()), "");
}

TEST_F(HttpsServerTest, StopClosesTlsConnectionsIdleOrStillShakingHands) {
  start_tls();
  auto idle = connect_tls();
  ASSERT_TRUE(idle->request(get_request("/health")));
  testing::RawHttpClient shaking(server->port());  // connected, no ClientHello
  ASSERT_TRUE(testing::wait_until([&] { return server->connection_count() == 2; }, 10s));
  const auto t0 = std::chrono::steady_clock::now();
  server->stop(300ms);
  // The idle one at once; the one in its handshake, like a plain client
  // that has not sent its first request, when the patience runs out.
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 15s);
  EXPECT_TRUE(idle->closed_by_peer(10s));
  EXPECT_TRUE(shaking.closed_by_peer(10s));
  EXPECT_EQ(server->connection_count(), 0u);
}

TEST_F(HttpsServerTest, BeyondTheLimitATlsClientIsClosedWithoutAPlainAnswer) {
  ServerOptions options;
  options.max_connections = 1;
  start_tls(options);
  auto a = connect_tls();
  ASSERT_TRUE(a->request(get_request("/health")));
  testing::RawHttpClient b(server->port());
  EXPECT_TRUE(b.closed_by_peer(10s));
  EXPECT_FALSE(b.read_response()) << "no plain 503 to a client that speaks TLS";
  EXPECT_EQ(api->http_metrics().snapshot().connections_refused, 1u);
}

}  // namespace
}  // namespace orderd::net
