// The catalog a fresh server starts with, so that orders such as the seed
// documentation's (item_ids 101, 102, 103) work without any set-up.
//
// Products 1..count, named "Demo product <id>", priced <id % 100>.99 dollars
// (101 -> 1.99), with `stock` units each; product 456 is the "Premium
// Widget" at 29.99, SKU "prod_456", that seed 003's examples order. The
// others have no SKU, so orders name them (and answers show them) by id. The default stock (one
// billion per product) outlasts populate runs of millions of orders.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/catalog.h"

namespace orderd::demo {

struct DemoCatalogOptions {
  std::size_t products = 1000;
  std::int64_t stock = 1'000'000'000;
};

Cents demo_price(ProductId id);
// "prod_456" for the Premium Widget, empty for the others.
std::string demo_sku(ProductId id);

// Adds the products that are not there yet; returns how many were added.
// Stops early if the catalog fills up.
std::size_t add_demo_catalog(Catalog& catalog, const DemoCatalogOptions& options);

}  // namespace orderd::demo
