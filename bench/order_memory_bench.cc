// Memory per resident order: the heap a million accepted orders hold, for a
// plain seed-004 order (three items) and for a managed seed-003 order (one
// item, billing and shipping addresses, payment, email). Measured as the
// growth of the allocator's bytes in use (mallinfo2), which counts what the
// orders and the store's indexes allocate, not pages the OS happens to map.
//
// Usage: order_memory_bench [orders]   (default 1,000,000)
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace {

using orderd::Engine;
using orderd::EngineConfig;
using orderd::ItemRequest;
using orderd::OrderDetails;

std::size_t heap_in_use() { return mallinfo2().uordblks; }

OrderDetails seed_003_details() {
  OrderDetails d;
  d.customer_email = "john.doe@example.com";
  d.tax = 599;
  d.shipping = 999;
  d.billing_address = {"123 Main St", "", "Seattle", "WA", "98101", "US"};
  d.shipping_address = d.billing_address;
  d.payment = {"credit_card", "pending", "1234"};
  return d;
}

double bytes_per_order(std::size_t orders, bool managed) {
  EngineConfig config;
  config.workers = 1;
  config.capacity = orders + 1;
  Engine engine(config);
  for (orderd::ProductId id = 1; id <= 3; ++id) {
    engine.catalog().add(id, "product", 100, std::int64_t{1} << 40);
  }
  engine.start();
  engine.pause_workers();  // the queue's memory is not the orders'
  const OrderDetails details = seed_003_details();
  std::vector<ItemRequest> plain = {{1, 1}, {2, 1}, {3, 1}};
  std::vector<ItemRequest> one = {{1, 2, 100}};
  std::string id;
  const std::size_t before = heap_in_use();
  for (std::size_t n = 0; n < orders; ++n) {
    id = "ORD" + std::to_string(n);  // seed 004's ids: a short client id
    orderd::OrderRequest r;
    r.client_id = managed ? std::string_view() : std::string_view(id);
    r.user_id = 1 + n % 10'000;
    r.items = managed ? one : plain;
    r.client_total = 5999;
    r.details = managed ? &details : nullptr;
    if (!engine.submit(r).ok()) {
      std::fprintf(stderr, "order %zu refused\n", n);
      std::exit(1);
    }
  }
  const std::size_t after = heap_in_use();
  engine.resume_workers();
  engine.stop();
  return static_cast<double>(after - before) / static_cast<double>(orders);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t orders = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  std::printf("orders resident: %zu\n", orders);
  std::printf("seed-004 order, 3 items:           %.1f bytes\n", bytes_per_order(orders, false));
  std::printf("seed-003 order, addresses, payment: %.1f bytes\n", bytes_per_order(orders, true));
  return 0;
}
