#include "loadgen/connection.h"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "tests/loadgen/stub_server.h"

namespace orderd::loadgen {
namespace {

using namespace std::chrono_literals;
using testing::StubBehaviour;
using testing::StubServer;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// Some connections of one closed-loop phase, driven by one io_context.
class Harness {
 public:
  Harness(unsigned short port, std::uint32_t connections, std::uint64_t requests,
          Clock::duration timeout = 5s)
      : url_{"127.0.0.1", std::to_string(port), ""} {
    std::signal(SIGPIPE, SIG_IGN);
    shape_.run_id = "t";
    control_.request_limit = requests;
    control_.connection_count = connections;
    control_.timeout = timeout;
    control_.endpoints = tcp::resolver(io_).resolve(url_.host, url_.port);
    for (std::uint32_t i = 0; i < connections; ++i) {
      connections_.push_back(std::make_unique<Connection>(
          io_, control_, recorder_, RequestBuilder(url_, shape_, products_, i), i + 1, i));
    }
  }

  // Opens every connection; returns the first error, or "".
  std::string open() {
    std::string first_error;
    for (auto& c : connections_) {
      c->open([&](const std::string& error) {
        if (first_error.empty()) first_error = error;
      });
    }
    io_.run();
    io_.restart();
    return first_error;
  }

  // Runs the phase to its end; returns how many connections reported finishing.
  int run() {
    control_.start = control_.measure_start = Clock::now();
    int finished = 0;
    for (auto& c : connections_) c->begin([&] { ++finished; });
    io_.run();
    return finished;
  }

  const RequestStats& stats() const { return recorder_.total(); }

 private:
  ServerUrl url_;
  RequestShape shape_;
  ZipfSampler products_{1000, 0};
  asio::io_context io_;
  PhaseControl control_;
  Recorder recorder_;
  std::vector<std::unique_ptr<Connection>> connections_;
};

void expect_every_request_accounted_for(const RequestStats& s) {
  EXPECT_EQ(s.sent, s.responses + s.failed_requests());
  EXPECT_EQ(s.responses, s.ok + s.error_count(ErrorKind::kUnexpectedStatus) +
                             s.error_count(ErrorKind::kBadBody));
}

TEST(ConnectionTest, KeepsOneConnectionAliveForManyRequests) {
  StubServer stub;
  Harness harness(stub.port(), 1, 50);
  ASSERT_EQ(harness.open(), "");
  EXPECT_EQ(harness.run(), 1);
  EXPECT_EQ(harness.stats().sent, 50u);
  EXPECT_EQ(harness.stats().ok, 50u);
  EXPECT_EQ(harness.stats().total_errors(), 0u);
  EXPECT_EQ(harness.stats().status_counts[201], 50u);
  EXPECT_EQ(stub.connections_accepted(), 1u);
  EXPECT_EQ(stub.creates(), 50u);
}

TEST(ConnectionTest, ReconnectsWithoutErrorWhenTheServerSaysClose) {
  StubServer stub({.close_after = 10});
  Harness harness(stub.port(), 1, 50);
  ASSERT_EQ(harness.open(), "");
  harness.run();
  EXPECT_EQ(harness.stats().ok, 50u);
  EXPECT_EQ(harness.stats().total_errors(), 0u);
  EXPECT_EQ(harness.stats().reconnects, 5u);  // one after every tenth answer
  expect_every_request_accounted_for(harness.stats());
}

TEST(ConnectionTest, HangUpWithoutAnswerIsAClosedError) {
  StubServer stub({.hang_up_at = 5});
  Harness harness(stub.port(), 1, 20);
  ASSERT_EQ(harness.open(), "");
  harness.run();
  EXPECT_EQ(harness.stats().sent, 20u);
  EXPECT_EQ(harness.stats().error_count(ErrorKind::kClosed), 1u);
  EXPECT_EQ(harness.stats().ok, 19u);
  EXPECT_EQ(harness.stats().reconnects, 1u);
  expect_every_request_accounted_for(harness.stats());
}

TEST(ConnectionTest, SlowAnswerIsATimeout) {
  StubServer stub({.stall_at = 3, .stall = 400ms});
  Harness harness(stub.port(), 1, 6, 100ms);
  ASSERT_EQ(harness.open(), "");
  harness.run();
  EXPECT_GE(harness.stats().error_count(ErrorKind::kTimeout), 1u);
  EXPECT_EQ(harness.stats().sent, 6u);
  expect_every_request_accounted_for(harness.stats());
}

TEST(ConnectionTest, WrongStatusIsCountedAndTheConnectionGoesOn) {
  StubServer stub({.forced_status = 500});
  Harness harness(stub.port(), 2, 30);
  ASSERT_EQ(harness.open(), "");
  harness.run();
  EXPECT_EQ(harness.stats().responses, 30u);
  EXPECT_EQ(harness.stats().ok, 0u);
  EXPECT_EQ(harness.stats().status_counts[500], 30u);
  EXPECT_EQ(harness.stats().error_count(ErrorKind::kUnexpectedStatus), 30u);
  EXPECT_EQ(stub.connections_accepted(), 2u);
}

TEST(ConnectionTest, NoServerMeansAnOpenError) {
  unsigned short port = 0;
  {
    asio::io_context io;
    tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = probe.local_endpoint().port();
  }  // closed again: nothing listens there now
  Harness harness(port, 1, 1);
  EXPECT_NE(harness.open(), "");
}

TEST(ConnectionTest, GivesUpWhenTheServerStaysGone) {
  auto stub = std::make_unique<StubServer>();
  Harness harness(stub->port(), 2, 1'000'000'000, 300ms);
  ASSERT_EQ(harness.open(), "");
  std::thread killer([&] {
    std::this_thread::sleep_for(100ms);
    stub.reset();
  });
  const auto started = Clock::now();
  EXPECT_EQ(harness.run(), 2);
  killer.join();
  EXPECT_LT(Clock::now() - started, 10s);
  EXPECT_GE(harness.stats().error_count(ErrorKind::kConnect), 2u);
  expect_every_request_accounted_for(harness.stats());
}

}  // namespace
}  // namespace orderd::loadgen
