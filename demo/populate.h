// Synthetic load: creates many orders at once through Engine::submit, the
// same path as POST /orders, for POST /orders/populate.
//
// Each order gets the id "<batch_id>-<n>" (n from 1), a random user in
// 1..10000 and one to five random products of the catalog (repeats allowed),
// with total_amount equal to their catalog prices.
//
// Runs for seconds with a million orders: call it off the I/O threads.
// Thread-safe as long as each caller passes its own Producer.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"

namespace orderd::demo {

struct PopulateRequest {
  std::size_t total_entries = 0;
  std::string_view batch_id;     // non-empty
  std::size_t max_errors = 100;  // error strings kept; failures beyond are only counted
  std::uint64_t seed = 1;        // random choices; the same seed repeats them
};

struct PopulateResult {
  std::size_t success_count = 0;
  std::size_t failure_count = 0;
  std::vector<std::string> errors;  // "<order_id>: <reason>", at most max_errors
  bool catalog_empty = false;       // nothing was tried
};

// `stop`, if given, is checked between orders; once it is set the remaining
// orders are counted as failures ("server is shutting down").
PopulateResult populate_orders(Engine& engine, Engine::Producer* producer,
                               const PopulateRequest& request,
                               const std::atomic<bool>* stop = nullptr);

// Eight lowercase hex digits, different on every call ("f3402fae").
std::string random_batch_id();

}  // namespace orderd::demo
