#include "demo/demo_catalog.h"

#include <string>

namespace orderd::demo {

Cents demo_price(ProductId id) { return static_cast<Cents>(id % 100) * 100 + 99; }

std::size_t add_demo_catalog(Catalog& catalog, const DemoCatalogOptions& options) {
  std::size_t added = 0;
  for (ProductId id = 1; id <= options.products; ++id) {
    auto r = catalog.add(id, "Demo product " + std::to_string(id), demo_price(id), options.stock);
    if (r == AddProductResult::kAdded) ++added;
    if (r == AddProductResult::kCatalogFull) break;
  }
  return added;
}

}  // namespace orderd::demo
