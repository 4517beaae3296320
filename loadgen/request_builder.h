// Writes the raw HTTP/1.1 bytes of orderd requests (seed document 004's API):
//   create    POST {prefix}/orders/          {"user_id","order_id","item_ids","total_amount"}
//   status    GET  {prefix}/orders/{order_id}
//   populate  POST {prefix}/orders/populate  {"total_entries": N}
//
// Order ids are "<run_id>-<stream>-<n>" for creates and "<run_id>-s<k>" for
// the orders seeded before a status run, so no two requests of a run, nor of
// two runs with different run ids, name the same order.
//
// Each build writes into a caller-owned string, replacing its contents and
// reusing its capacity: once it has grown to fit, building allocates nothing.
// A builder is not thread-safe: one per connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/random.h"
#include "loadgen/url.h"
#include "loadgen/workload.h"
#include "loadgen/zipf_sampler.h"

namespace orderd::loadgen {

struct RequestShape {
  std::string run_id;                 // [0-9a-z]+, unique per run
  std::uint64_t users = 1000;         // user ids 1..users, uniform
  std::uint32_t items_per_order = 3;  // products drawn from the sampler, may repeat
  std::uint64_t seeded_orders = 0;    // status reads pick among seeds 0..seeded_orders-1
  std::uint64_t populate_entries = 100;
  std::string authorization;  // an Authorization header's value ("Bearer <token>"); empty: none
};

class RequestBuilder {
 public:
  // `products` must outlive the builder. `stream_id` tells apart the
  // builders of one run (the connection index).
  RequestBuilder(const ServerUrl& url, const RequestShape& shape, const ZipfSampler& products,
                 std::uint32_t stream_id);

  // `ticket` is the request's number within its phase; a kSeed request
  // creates seed order number `ticket`. Other kinds ignore it.
  void build(RequestKind kind, std::uint64_t ticket, Random& random, std::string& out);

  void create(Random& random, std::string& out);
  void seed(std::uint64_t seed_index, Random& random, std::string& out);
  void status(Random& random, std::string& out);
  void populate(std::string& out) const;

  static std::string seed_order_id(std::string_view run_id, std::uint64_t seed_index);

 private:
  void append_create(std::string_view id_prefix, std::uint64_t id_number, Random& random,
                     std::string& out);

  RequestShape shape_;
  const ZipfSampler& products_;
  std::string create_id_prefix_;  // "<run>-<stream>-"
  std::string seed_id_prefix_;    // "<run>-s"
  std::string create_head_;       // request line and headers up to the Content-Length value
  std::string status_head_;       // "GET <prefix>/orders/"
  std::string status_tail_;       // " HTTP/1.1" and headers
  std::string populate_request_;  // always the same bytes
  std::string body_;              // scratch, reused
  std::uint64_t created_ = 0;
};

}  // namespace orderd::loadgen
