// A tiny HTTP/1.1 server on 127.0.0.1 (an ephemeral port) that answers like
// orderd does for each request kind, for orderload's tests. One thread; it
// can stall once, close connections, or misbehave on purpose.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace orderd::loadgen::testing {

struct StubBehaviour {
  // Before answering request number stall_at (1-based), the whole server
  // sleeps `stall` (like a GC pause or a slow fsync). 0: never.
  std::uint64_t stall_at = 0;
  std::chrono::milliseconds stall{0};
  // After this many answers on a connection, answer with "Connection: close"
  // and close it. 0: keep every connection open.
  unsigned close_after = 0;
  // Close the connection without answering request number hang_up_at. 0: never.
  std::uint64_t hang_up_at = 0;
  // Answer POST /orders/ with this status (and an error body) instead of 201.
  unsigned create_status = 201;
  // Answer everything with this status and a plain-text body. 0: off.
  unsigned forced_status = 0;
};

class StubServer {
 public:
  explicit StubServer(StubBehaviour behaviour = {});
  ~StubServer();  // stops the server and joins its thread
  StubServer(const StubServer&) = delete;
  StubServer& operator=(const StubServer&) = delete;

  unsigned short port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::uint64_t requests() const { return requests_.load(); }
  std::uint64_t creates() const { return creates_.load(); }
  std::uint64_t status_reads() const { return status_reads_.load(); }
  std::uint64_t populates() const { return populates_.load(); }
  std::uint64_t connections_accepted() const { return accepted_.load(); }
  // The order ids of all creates, and how many ids came twice.
  std::set<std::string> created_ids() const;
  std::uint64_t duplicate_ids() const;
  // Every status read named a created order.
  std::uint64_t reads_of_unknown_orders() const { return unknown_reads_.load(); }

 private:
  class Session;
  struct State;
  friend class Session;

  std::unique_ptr<State> state_;
  unsigned short port_ = 0;
  std::atomic<std::uint64_t> requests_{0};
  std::atomic<std::uint64_t> creates_{0};
  std::atomic<std::uint64_t> status_reads_{0};
  std::atomic<std::uint64_t> populates_{0};
  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> unknown_reads_{0};
  mutable std::mutex ids_mutex_;
  std::set<std::string> ids_;     // guarded by ids_mutex_
  std::uint64_t duplicates_ = 0;  // guarded by ids_mutex_
  std::thread thread_;
};

}  // namespace orderd::loadgen::testing
