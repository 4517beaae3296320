#include "demo/populate.h"

#include <charconv>
#include <chrono>

#include "base/random.h"

namespace orderd::demo {
namespace {

constexpr std::uint64_t kMaxUserId = 10'000;
constexpr std::uint32_t kMaxItemsPerOrder = 5;

struct Product {
  ProductId id;
  Cents price;
};

}  // namespace

PopulateResult populate_orders(Engine& engine, Engine::Producer* producer,
                               const PopulateRequest& request, const std::atomic<bool>* stop) {
  PopulateResult result;
  std::vector<Product> products;
  for (const auto& p : engine.catalog().list(0, engine.catalog().capacity())) {
    if (p.available > 0) products.push_back({p.id, p.price});
  }
  if (products.empty()) {
    result.catalog_empty = true;
    return result;
  }

  Random random(request.seed);
  std::string order_id(request.batch_id);
  order_id.push_back('-');
  const std::size_t prefix = order_id.size();
  ItemRequest items[kMaxItemsPerOrder];

  for (std::size_t n = 1; n <= request.total_entries; ++n) {
    order_id.resize(prefix);
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    order_id.append(digits, end);

    if (stop != nullptr && stop->load(std::memory_order_relaxed)) {
      result.failure_count += request.total_entries - n + 1;
      if (result.errors.size() < request.max_errors) {
        result.errors.push_back(order_id + ": server is shutting down");
      }
      break;
    }

    const auto item_count = static_cast<std::uint32_t>(1 + random.below(kMaxItemsPerOrder));
    Cents total = 0;
    for (std::uint32_t i = 0; i < item_count; ++i) {
      const Product& p = products[random.below(products.size())];
      items[i] = {p.id, 1};
      total += p.price;
    }
    OrderRequest order;
    order.client_id = order_id;
    order.user_id = 1 + random.below(kMaxUserId);
    order.items = std::span<const ItemRequest>(items, item_count);
    order.client_total = total;

    SubmitResult r = engine.submit(order, producer);
    if (r.ok()) {
      ++result.success_count;
    } else {
      ++result.failure_count;
      if (result.errors.size() < request.max_errors) {
        result.errors.push_back(order_id + ": " + r.message);
      }
    }
  }
  return result;
}

std::string random_batch_id() {
  static std::atomic<std::uint64_t> counter{0};
  std::uint64_t state =
      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
      (counter.fetch_add(1, std::memory_order_relaxed) << 48);
  const std::uint64_t bits = Random::splitmix64(state);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(8, '0');
  for (int i = 0; i < 8; ++i) id[static_cast<std::size_t>(i)] = kHex[(bits >> (4 * i)) & 0xF];
  return id;
}

}  // namespace orderd::demo
