// Connection behaviour (net/http_connection.h) over real loopback sockets:
// keep-alive, pipelining, limits, timeouts. That header is internal to net/
// and carries Asio, so these tests drive it through HttpServer instead of
// including it.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>

#include "net/body_stream.h"

#include "tests/net/server_test_util.h"
#include "tests/net/tls_server_fixture.h"

namespace orderd::net {
namespace {

using namespace std::chrono_literals;
using testing::get_request;
using testing::order_json;
using testing::post_request;

using HttpConnectionTest = testing::ServerFixture;

TEST_F(HttpConnectionTest, KeepAliveServesManyRequestsOnOneConnection) {
  start();
  auto c = connect();
  for (int i = 0; i < 50; ++i) {
    auto r = c->request(post_request("/orders/", order_json("K" + std::to_string(i))));
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->status, 201u) << r->body;
    EXPECT_EQ(r->header("connection"), "");
  }
  auto r = c->request(get_request("/health"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(server->connection_count(), 1u);
}

TEST_F(HttpConnectionTest, ResponsesCarryStandardHeaders) {
  start();
  auto r = connect()->request(get_request("/health"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("content-type"), "application/json");
  EXPECT_EQ(r->header("server"), "orderd");
  EXPECT_TRUE(r->header("date").ends_with(" GMT")) << r->header("date");
  EXPECT_EQ(r->header("content-length"), std::to_string(r->body.size()));
}

TEST_F(HttpConnectionTest, IdempotencyKeyAndIfMatchReachTheApi) {
  start();
  auto c = connect();
  const std::string body = order_json("IK-1");
  // Header names are case-insensitive and values are trimmed; If-Match is
  // part of what makes a retry the same request, and repeats form one list.
  std::string batch =
      post_request("/orders/", body, "Idempotency-Key:   k1  \r\nIf-Match: \"a\"\r\n") +
      post_request("/orders/", body, "idempotency-key: k1\r\nIf-Match: \"a\"\r\n") +
      post_request("/orders/", body, "Idempotency-Key: k1\r\n") +
      post_request("/orders/", order_json("IK-2"),
                   "Idempotency-Key: k2\r\nIf-Match: \"a\"\r\nIf-Match: \"b\"\r\n") +
      post_request("/orders/", order_json("IK-2"),
                   "Idempotency-Key: k2\r\nIf-Match: \"a\", \"b\"\r\n") +
      // Nothing carries over to the next request on the connection.
      post_request("/orders/", body);
  ASSERT_TRUE(c->send(batch));
  struct Expected {
    unsigned status;
    const char* replayed;
  };
  const Expected expected[] = {{201, ""}, {201, "true"}, {422, ""},
                               {201, ""}, {201, "true"}, {409, ""}};
  for (const Expected& e : expected) {
    auto r = c->read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, e.status) << r->body;
    EXPECT_EQ(r->header("idempotent-replayed"), e.replayed) << r->body;
  }
}

TEST_F(HttpConnectionTest, EmptyOrOverlongIdempotencyKeysAre400) {
  start();
  auto c = connect();
  for (const std::string& key : {std::string(), std::string(256, 'k')}) {
    auto r = c->request(
        post_request("/orders/", order_json("IK-3"), "Idempotency-Key: " + key + "\r\n"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400u);
    EXPECT_EQ(r->body, R"({"error":"Idempotency-Key must be 1-255 printable characters"})");
  }
  auto r =
      c->request(get_request("/orders/IK-3", "Idempotency-Key: " + std::string(256, 'k') + "\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404u);
}

TEST_F(HttpConnectionTest, PipelinedRequestsAreAnsweredInOrder) {
  start();
  auto c = connect();
  // A blocking-thread request in the middle must not overtake or be overtaken.
  std::string batch = post_request("/orders/", order_json("P1")) +
                      get_request("/orders/metrics?getOrderIds=true") + get_request("/orders/P1") +
                      get_request("/nowhere") + post_request("/orders/", order_json("P1"));
  ASSERT_TRUE(c->send(batch));
  unsigned expected[] = {201, 200, 200, 404, 409};
  for (unsigned status : expected) {
    auto r = c->read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, status) << r->body;
  }
}

TEST_F(HttpConnectionTest, ManyPipelinedRequestsInOneWrite) {
  start();
  auto c = connect();
  std::string batch;
  constexpr int kCount = 2000;
  for (int i = 0; i < kCount; ++i)
    batch += post_request("/orders", order_json("Q" + std::to_string(i)));
  std::thread sender([&] { c->send(batch); });
  int created = 0;
  for (int i = 0; i < kCount; ++i) {
    auto r = c->read_response();
    ASSERT_TRUE(r) << i;
    created += r->status == 201u;
  }
  sender.join();
  EXPECT_EQ(created, kCount);
  EXPECT_EQ(engine->counters().accepted, kCount);
}

TEST_F(HttpConnectionTest, RequestSplitAcrossWritesIsReassembled) {
  start();
  auto c = connect();
  std::string request = post_request("/orders/", order_json("S1"));
  for (char ch : request) {
    ASSERT_TRUE(c->send(std::string_view(&ch, 1)));
  }
  auto r = c->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201u) << r->body;
}

TEST_F(HttpConnectionTest, ConnectionCloseIsHonoured) {
  start();
  auto c = connect();
  auto r = c->request(get_request("/health", "Connection: close\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c->closed_by_peer(5s));
}

TEST_F(HttpConnectionTest, Http10ClosesUnlessAskedToKeepAlive) {
  start();
  auto c = connect();
  auto r = c->request("GET /health HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_TRUE(c->closed_by_peer(5s));

  c = connect();
  r = c->request("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("connection"), "keep-alive");
  r = c->request("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
}

TEST_F(HttpConnectionTest, HeadSendsHeadersOnly) {
  start();
  auto c = connect();
  auto r = c->request("HEAD /health HTTP/1.1\r\nHost: t\r\n\r\n", /*head=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->header("content-length"), "15");
  EXPECT_TRUE(r->body.empty());
  r = c->request(get_request("/health"));  // nothing stray was left on the wire
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, R"({"status":"ok"})");
}

TEST_F(HttpConnectionTest, ChunkedBodiesAreAccepted) {
  start();
  auto c = connect();
  std::string body = order_json("CH1");
  std::string request =
      "POST /orders/ HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + [&] {
        char size[16];
        std::snprintf(size, sizeof size, "%zx", body.size() - 10);
        return std::string(size) + "\r\n" + body.substr(0, body.size() - 10) + "\r\na\r\n" +
               body.substr(body.size() - 10) + "\r\n0\r\n\r\n";
      }();
  auto r = c->request(request);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201u) << r->body;
}

TEST_F(HttpConnectionTest, ExpectContinueGetsAGoAhead) {
  start();
  auto c = connect();
  std::string body = order_json("X1");
  ASSERT_TRUE(
      c->send("POST /orders/ HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
              "Content-Length: " +
              std::to_string(body.size()) + "\r\n\r\n"));
  auto interim = c->read_response();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100u);
  ASSERT_TRUE(c->send(body));
  auto r = c->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201u);
}

TEST_F(HttpConnectionTest, OversizedBodyIs413AndCloses) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  start(options);
  auto c = connect();
  std::string body(2000, ' ');
  auto r = c->request(post_request("/orders/", body));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413u);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_NE(r->body.find("1024"), std::string::npos);
  EXPECT_TRUE(c->closed_by_peer(5s));
}

TEST_F(HttpConnectionTest, OversizedChunkedBodyIs413) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  start(options);
  auto c = connect();
  std::string chunk(800, 'x');
  auto r = c->request(
      "POST /orders/ HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "320\r\n" +
      chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413u);
}

TEST_F(HttpConnectionTest, BodyAtTheLimitIsAccepted) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  start(options);
  std::string body = order_json("L1");
  body.append(1024 - body.size(), ' ');
  auto r = connect()->request(post_request("/orders/", body));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201u) << r->body;
}

TEST_F(HttpConnectionTest, OversizedHeadersAre431) {
  ServerOptions options;
  options.max_header_bytes = 1024;
  start(options);
  auto c = connect();
  auto r = c->request(get_request("/health", "X-Filler: " + std::string(2000, 'a') + "\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431u);
  EXPECT_TRUE(c->closed_by_peer(5s));
}

TEST_F(HttpConnectionTest, MalformedRequestIs400AndCloses) {
  start();
  for (const char* bad :
       {"GARBAGE\r\n\r\n", "GET /health HTTP/1.1\r\nBad Header\r\n\r\n",
        "POST /orders/ HTTP/1.1\r\nContent-Length: x\r\n\r\n",
        "GET /health HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"}) {
    auto c = connect();
    auto r = c->request(bad);
    ASSERT_TRUE(r) << bad;
    EXPECT_EQ(r->status, 400u) << bad;
    EXPECT_TRUE(c->closed_by_peer(5s)) << bad;
  }
}

TEST_F(HttpConnectionTest, UnsupportedHttpVersionIs505) {
  start();
  auto r = connect()->request("GET /health HTTP/2.0\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 505u);
}

// Timing tests below bound only what holds however late a descheduled
// thread runs: a deadline is never met early, and is met long before a
// generous bound (many times the timeout) that a broken one would overrun.

TEST_F(HttpConnectionTest, SlowClientIsCutOffWith408) {
  ServerOptions options;
  options.read_timeout = 300ms;
  start(options);
  auto c = connect();
  // A slowloris: one header byte now and then, never finishing. Were each
  // byte to extend the deadline, it would never be cut off.
  std::string partial = "GET /health HTTP/1.1\r\nX-Slow: ";
  ASSERT_TRUE(c->send(partial));
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  bool closed = false;
  while (!closed && std::chrono::steady_clock::now() < give_up) {
    c->send("a");
    closed = c->closed_by_peer(100ms);
  }
  EXPECT_TRUE(closed);
  auto r = c->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408u);
}

TEST_F(HttpConnectionTest, SilentClientIsDisconnected) {
  ServerOptions options;
  options.read_timeout = 300ms;
  start(options);
  auto c = connect();
  EXPECT_TRUE(c->closed_by_peer(10s));
  EXPECT_TRUE(testing::wait_until([&] { return server->connection_count() == 0; }, 10s));
}

TEST_F(HttpConnectionTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = 300ms;
  start(options);
  auto c = connect();
  // Taken before the request: the idle wait starts after its response is
  // written, so no delay on either side can make it look shorter.
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(c->request(get_request("/health")));
  EXPECT_TRUE(c->closed_by_peer(10s));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, options.idle_timeout);
}

TEST_F(HttpConnectionTest, ActiveConnectionOutlivesTheIdleTimeout) {
  // Requests 50 ms apart for more than two idle timeouts, so the idle timer
  // fires (and must re-arm) at least twice while the connection is in use.
  // Only a client stalled for most of a second between two requests could
  // see it closed for idleness.
  ServerOptions options;
  options.idle_timeout = 1s;
  start(options);
  auto c = connect();
  const auto start_time = std::chrono::steady_clock::now();
  auto last = start_time;
  for (int i = 0; std::chrono::steady_clock::now() - start_time < 2 * options.idle_timeout + 200ms;
       ++i) {
    auto r = c->request(get_request("/health"));
    const auto now = std::chrono::steady_clock::now();
    ASSERT_TRUE(r) << "request " << i << ", "
                   << std::chrono::duration_cast<std::chrono::milliseconds>(now - last).count()
                   << " ms after the previous answer";
    last = now;
    std::this_thread::sleep_for(50ms);
  }
}

TEST_F(HttpConnectionTest, ClientDisconnectMidRequestIsHarmless) {
  start();
  {
    auto c = connect();
    c->send("POST /orders/ HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"user_");
  }
  EXPECT_TRUE(testing::wait_until([&] { return server->connection_count() == 0; }, 10s));
  auto r = connect()->request(get_request("/health"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
}

TEST_F(HttpConnectionTest, GarbageOnTheWireNeverTakesTheServerDown) {
  ServerOptions options;
  options.read_timeout = 200ms;
  start(options);
  std::uint64_t state = 0x2545F4914F6CDD1DULL;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  const std::string valid = post_request("/orders/", order_json("G"));
  for (int i = 0; i < 200; ++i) {
    std::string bytes = valid;
    for (int e = 0; e < 3; ++e) bytes[next() % bytes.size()] = static_cast<char>(next() % 256);
    auto c = connect();
    c->send(bytes);
    c->closed_by_peer(10ms);  // whatever the answer, if any
  }
  auto r = connect()->request(get_request("/health"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
}

// --- Streamed bodies (body_stream.h), through the order export ----------------------

// Orders enough for an export of many pieces.
void create_orders(testing::RawHttpClient& c, int count) {
  std::string batch;
  for (int i = 0; i < count; ++i)
    batch += post_request("/orders", order_json("S" + std::to_string(i)));
  ASSERT_TRUE(c.send(batch));
  for (int i = 0; i < count; ++i) ASSERT_TRUE(c.read_response());
}

TEST_F(HttpConnectionTest, AStreamedBodyArrivesChunkedAndTheConnectionGoesOn) {
  start();
  auto c = connect();
  create_orders(*c, 1500);  // about 0.5 MB of JSON lines: several pieces
  // A request pipelined behind the stream is answered after it.
  ASSERT_TRUE(c->send(get_request("/api/v1/orders/export") + get_request("/health")));
  auto r = c->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->header("transfer-encoding"), "chunked");
  EXPECT_EQ(r->header("content-length"), "");
  EXPECT_EQ(r->header("content-type"), "application/x-ndjson");
  EXPECT_GT(r->body.size(), 2 * kStreamPieceBytes);
  EXPECT_EQ(std::count(r->body.begin(), r->body.end(), '\n'), 1500);
  auto health = c->read_response();
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200u);
}

TEST_F(HttpConnectionTest, AStreamedBodyToAnHttp10ClientEndsWithTheConnection) {
  start();
  auto c = connect();
  create_orders(*c, 300);
  ASSERT_TRUE(c->send("GET /api/v1/orders/export?format=csv HTTP/1.0\r\n\r\n"));
  auto r = c->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("transfer-encoding"), "");
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_EQ(std::count(r->body.begin(), r->body.end(), '\n'), 301);  // the header row too
}

TEST_F(HttpConnectionTest, AHeadOfAStreamedBodyHasHeadersOnly) {
  start();
  auto c = connect();
  create_orders(*c, 10);
  ASSERT_TRUE(
      c->send("HEAD /api/v1/orders/export HTTP/1.1\r\nHost: t\r\n\r\n" + get_request("/health")));
  auto head = c->read_response(true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200u);
  EXPECT_EQ(head->header("transfer-encoding"), "chunked");
  auto health = c->read_response();
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200u);
}

TEST_F(HttpConnectionTest, AClientThatReadsAStreamLateStillGetsAllOfIt) {
  start();
  auto c = connect();
  create_orders(*c, 3000);
  ASSERT_TRUE(c->send(get_request("/api/v1/orders/export")));
  // Nothing is read for a while; the server neither finishes nor fails.
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(server->connection_count(), 1u);
  auto r = c->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(std::count(r->body.begin(), r->body.end(), '\n'), 3000);
}

// --- Over TLS (the same connection, on beast::ssl_stream) ---------------------------

using TlsConnectionTest = testing::TlsServerFixture;
constexpr std::string_view kHsts = "max-age=31536000";

TEST_F(TlsConnectionTest, KeepAliveAndPipeliningWorkAndEveryResponseCarriesHsts) {
  start_tls();
  auto c = connect_tls();
  EXPECT_TRUE(c->protocol() == "TLSv1.3" || c->protocol() == "TLSv1.2") << c->protocol();
  for (int i = 0; i < 20; ++i) {
    auto r = c->request(post_request("/orders/", order_json("TK" + std::to_string(i))));
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->status, 201u) << r->body;
    EXPECT_EQ(r->header("strict-transport-security"), kHsts);
  }
  ASSERT_TRUE(c->send(get_request("/orders/TK0") + get_request("/nope") + get_request("/health")));
  for (unsigned status : {200u, 404u, 200u}) {
    auto r = c->read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, status);
    EXPECT_EQ(r->header("strict-transport-security"), kHsts);
  }
  EXPECT_EQ(server->connection_count(), 1u);
  EXPECT_EQ(handshake_failures(), 0u);
}

TEST_F(TlsConnectionTest, PlainHttpNeverCarriesHsts) {
  start();
  auto r = connect()->request(get_request("/health"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("strict-transport-security"), "");
}

TEST_F(TlsConnectionTest, AStreamedBodyArrivesChunkedAndTheConnectionGoesOn) {
  start_tls();
  auto c = connect_tls();
  create_orders(*c, 1500);
  ASSERT_TRUE(c->send(get_request("/api/v1/orders/export") + get_request("/health")));
  auto r = c->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->header("transfer-encoding"), "chunked");
  EXPECT_EQ(r->header("strict-transport-security"), kHsts);
  EXPECT_GT(r->body.size(), 2 * kStreamPieceBytes);
  EXPECT_EQ(std::count(r->body.begin(), r->body.end(), '\n'), 1500);
  auto health = c->read_response();
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200u);
}

TEST_F(TlsConnectionTest, ABodyEndedByTheConnectionEndsWithCloseNotify) {
  start_tls();
  auto c = connect_tls();
  create_orders(*c, 300);
  ASSERT_TRUE(c->send("GET /api/v1/orders/export?format=csv HTTP/1.0\r\n\r\n"));
  auto r = c->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_EQ(std::count(r->body.begin(), r->body.end(), '\n'), 301);
  // Read to the end: TLS's own end, so the client knows nothing was cut off.
  EXPECT_TRUE(c->received_close_notify());
}

TEST_F(TlsConnectionTest, RequestsPipelinedBehindTheLastResponseAreDiscarded) {
  start_tls();
  auto c = connect_tls();
  std::string batch = get_request("/health", "Connection: close\r\n");
  for (int i = 0; i < 3000; ++i) batch += get_request("/health");
  ASSERT_TRUE(c->send(batch));
  auto r = c->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->header("connection"), "close");
  // Once the server has sent close_notify, OpenSSL refuses what follows;
  // the connection still lingers, reading, rather than resetting.
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(c->send(get_request("/health")));
  EXPECT_TRUE(c->closed_by_peer(10s));
  EXPECT_FALSE(c->read_response()) << "nothing answered after the last response";
}

TEST_F(TlsConnectionTest, ASlowClientIsCutOffWith408) {
  ServerOptions options;
  options.read_timeout = 300ms;
  start_tls(options);
  auto c = connect_tls();
  ASSERT_TRUE(c->send("GET /health HTTP/1.1\r\nHost: t\r\n"));
  auto r = c->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408u);
  EXPECT_EQ(r->header("strict-transport-security"), kHsts);
  EXPECT_TRUE(c->closed_by_peer(10s));
}

TEST_F(TlsConnectionTest, AClientThatSaysNothingIsClosedAtTheReadTimeout) {
  ServerOptions options;
  options.read_timeout = 300ms;
  start_tls(options);
  const auto t0 = std::chrono::steady_clock::now();
  testing::RawHttpClient silent(server->port());
  ASSERT_TRUE(silent.connected());
  EXPECT_TRUE(silent.closed_by_peer(10s));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 250ms);
  EXPECT_TRUE(testing::wait_until([&] { return handshake_failures() == 1; }, 10s));
  // The handshake is part of the first request's time, not a restart of it.
  auto c = connect_tls();
  EXPECT_TRUE(c->closed_by_peer(10s));
}

TEST_F(TlsConnectionTest, PlainHttpOnTheTlsPortIsClosedUnansweredAndCounted) {
  start_tls();
  testing::RawHttpClient plain(server->port());
  ASSERT_TRUE(plain.send(get_request("/health")));
  EXPECT_TRUE(plain.closed_by_peer(10s));
  EXPECT_FALSE(plain.read_response());
  EXPECT_TRUE(testing::wait_until([&] { return handshake_failures() == 1; }, 10s));
  auto r = connect_tls()->request(get_request("/health"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
}

TEST_F(TlsConnectionTest, Tls11IsRefused) {
  start_tls();
  testing::TlsHttpClient old(server->port(), cert_file(), TLS1_1_VERSION);
  EXPECT_FALSE(old.handshake_done());
  const int reason = ERR_GET_REASON(old.handshake_error());
  if (reason == SSL_R_NO_PROTOCOLS_AVAILABLE || reason == SSL_R_NO_CIPHERS_AVAILABLE) {
    GTEST_SKIP() << "this OpenSSL cannot offer TLS 1.1";
  }
  EXPECT_EQ(reason, SSL_R_TLSV1_ALERT_PROTOCOL_VERSION)
      << ERR_reason_error_string(old.handshake_error());
  EXPECT_TRUE(testing::wait_until([&] { return handshake_failures() == 1; }, 10s));
}

TEST_F(TlsConnectionTest, Tls12IsAcceptedWithAForwardSecretAeadCipher) {
  start_tls();
  testing::TlsHttpClient c(server->port(), cert_file(), TLS1_2_VERSION);
  ASSERT_TRUE(c.handshake_done());
  EXPECT_EQ(c.protocol(), "TLSv1.2");
  EXPECT_EQ(c.cipher(), "ECDHE-ECDSA-AES256-GCM-SHA384");  // the test key is P-256
  auto r = c.request(get_request("/health"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200u);
}

}  // namespace
}  // namespace orderd::net
