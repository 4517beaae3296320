// A demo shop on a fresh server: customers with names, emails and cities,
// and orders spread over the last twelve months in every status, written
// through the engine (registrations and imports, so they are journaled like
// any other change). The seeds' examples name some of it:
//   customer 1, customer 123 ("John Doe", external reference cust_123);
//   order 1 and order 123 Completed, order 124 Shipped, order 125 Completed
//   (to be cancelled), order 789 ("order_789") of customer 123.
// Every customer has the external reference "cust_<id>". Deterministic for
// a given seed and `now`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/engine.h"

namespace orderd::demo {

struct DemoShopOptions {
  std::size_t customers = 200;
  std::size_t orders = 2000;  // at least 789, for the orders the seeds name
  std::uint64_t seed = 1;
  Micros now = 0;  // 0: the wall clock
};

struct DemoShopResult {
  std::size_t customers = 0;
  std::size_t orders = 0;
  std::string error;  // why loading stopped early; empty on success
};

// Call on an engine with no customers and no orders (the catalog of
// demo_catalog.h in place): ids are assigned from 1.
DemoShopResult load_demo_shop(Engine& engine, const DemoShopOptions& options);

}  // namespace orderd::demo
