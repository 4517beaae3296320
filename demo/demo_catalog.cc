#include "demo/demo_catalog.h"

#include <string>

namespace orderd::demo {

namespace {

// The product seed 003's examples order by SKU, at the price they expect.
constexpr ProductId kPremiumWidget = 456;

}  // namespace

Cents demo_price(ProductId id) {
  if (id == kPremiumWidget) return 2999;
  return static_cast<Cents>(id % 100) * 100 + 99;
}

std::string demo_sku(ProductId id) {
  return id == kPremiumWidget ? "prod_" + std::to_string(id) : std::string();
}

std::size_t add_demo_catalog(Catalog& catalog, const DemoCatalogOptions& options) {
  std::size_t added = 0;
  for (ProductId id = 1; id <= options.products; ++id) {
    std::string name =
        id == kPremiumWidget ? "Premium Widget" : "Demo product " + std::to_string(id);
    auto r = catalog.add(id, std::move(name), demo_price(id), options.stock, demo_sku(id));
    if (r == AddProductResult::kAdded) ++added;
    if (r == AddProductResult::kCatalogFull) break;
  }
  return added;
}

}  // namespace orderd::demo
