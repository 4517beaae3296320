#include "engine/catalog.h"

#include <bit>

#include "engine/event_sink.h"

namespace orderd {
namespace {

std::size_t hash_product(ProductId id) {
  // Fibonacci hashing spreads dense ids (1, 2, 3 ...) over the table.
  return static_cast<std::size_t>(id * 0x9E3779B97F4A7C15ULL);
}

}  // namespace

Catalog::Catalog(std::size_t capacity)
    : max_products_(capacity),
      mask_(std::bit_ceil(capacity * 2 + 1) - 1),
      table_(new std::atomic<Product*>[mask_ + 1]) {
  for (std::size_t i = 0; i <= mask_; ++i) table_[i].store(nullptr, std::memory_order_relaxed);
}

Catalog::~Catalog() = default;

Catalog::Product::Product(ProductInfo info)
    : id(info.id),
      name(std::move(info.name)),
      sku(std::move(info.sku)),
      price(info.price),
      available(info.available),
      initial(info.initial),
      restocked(info.restocked),
      held(info.held),
      consumed(info.consumed),
      returned(info.returned) {}

Catalog::Product* Catalog::find(ProductId id) const {
  for (std::size_t i = hash_product(id) & mask_;; i = (i + 1) & mask_) {
    Product* p = table_[i].load(std::memory_order_acquire);
    if (p == nullptr) return nullptr;
    if (p->id == id) return p;
  }
}

AddProductResult Catalog::add(ProductId id, std::string name, Cents price, std::int64_t stock,
                              std::string sku) {
  if (price < 0 || price > kMaxPrice || stock < 0 || stock > kMaxStock) {
    return AddProductResult::kInvalid;
  }
  MutexLock guard(insert_mutex_);
  if (find(id) != nullptr) return AddProductResult::kAlreadyExists;
  if (!sku.empty() && by_sku_.contains(sku)) return AddProductResult::kSkuTaken;
  if (owned_.size() >= max_products_) return AddProductResult::kCatalogFull;
  ProductInfo info;
  info.id = id;
  info.name = std::move(name);
  info.sku = std::move(sku);
  info.price = price;
  info.available = stock;
  info.initial = stock;
  auto product = std::make_unique<Product>(std::move(info));
  // Reported before the product is visible, so that its record precedes the
  // record of any order that reserves it.
  if (EventSink* sink = sink_.load(std::memory_order_acquire)) {
    sink->product_added(info_of(*product));
  }
  publish_locked(std::move(product));
  return AddProductResult::kAdded;
}

AddProductResult Catalog::restore(const ProductInfo& info) {
  if (info.price < 0 || info.price > kMaxPrice) return AddProductResult::kInvalid;
  MutexLock guard(insert_mutex_);
  if (find(info.id) != nullptr) return AddProductResult::kAlreadyExists;
  if (!info.sku.empty() && by_sku_.contains(info.sku)) return AddProductResult::kSkuTaken;
  if (owned_.size() >= max_products_) return AddProductResult::kCatalogFull;
  publish_locked(std::make_unique<Product>(info));
  return AddProductResult::kAdded;
}

void Catalog::publish_locked(std::unique_ptr<Product> product) {
  Product* raw = product.get();
  owned_.push_back(std::move(product));
  by_id_.emplace(raw->id, raw);
  if (!raw->sku.empty()) by_sku_.emplace(raw->sku, raw->id);
  std::size_t i = hash_product(raw->id) & mask_;
  while (table_[i].load(std::memory_order_relaxed) != nullptr) i = (i + 1) & mask_;
  table_[i].store(raw, std::memory_order_release);
  count_.fetch_add(1, std::memory_order_release);
}

RestockResult Catalog::restock(ProductId id, std::int64_t quantity) {
  if (quantity <= 0 || quantity > kMaxStock) return RestockResult::kInvalid;
  Product* p = find(id);
  if (p == nullptr) return RestockResult::kUnknownProduct;
  MutexLock guard(p->lock);
  if (p->available + quantity > kMaxStock) return RestockResult::kInvalid;
  p->available += quantity;
  p->restocked += quantity;
  if (EventSink* sink = sink_.load(std::memory_order_acquire)) {
    sink->product_restocked(id, quantity, p->restocked);
  }
  return RestockResult::kRestocked;
}

RestoreResult Catalog::restore_restock(ProductId id, std::int64_t quantity,
                                       std::int64_t restocked_total) {
  if (quantity <= 0) return RestoreResult::kInvalid;
  Product* p = find(id);
  if (p == nullptr) return RestoreResult::kUnknownProduct;
  MutexLock guard(p->lock);
  if (p->restocked >= restocked_total) return RestoreResult::kAlreadyApplied;
  if (p->restocked + quantity != restocked_total) return RestoreResult::kInconsistent;
  p->available += quantity;
  p->restocked += quantity;
  return RestoreResult::kApplied;
}

void Catalog::take(std::span<const OrderItem> items) {
  for (const auto& item : items) {
    Product* p = find(item.product_id);
    MutexLock guard(p->lock);
    p->available -= item.quantity;
    p->held += item.quantity;
  }
}

std::optional<ProductId> Catalog::find_sku(std::string_view sku) const {
  MutexLock guard(insert_mutex_);
  auto it = by_sku_.find(std::string(sku));
  if (it == by_sku_.end()) return std::nullopt;
  return it->second;
}

ProductInfo Catalog::info_of(const Product& p) const {
  ProductInfo info;
  info.id = p.id;
  info.name = p.name;
  info.sku = p.sku;
  info.price = p.price.load(std::memory_order_relaxed);
  MutexLock guard(p.lock);
  info.available = p.available;
  info.initial = p.initial;
  info.restocked = p.restocked;
  info.held = p.held;
  info.consumed = p.consumed;
  info.returned = p.returned;
  return info;
}

std::optional<ProductInfo> Catalog::get(ProductId id) const {
  const Product* p = find(id);
  if (p == nullptr) return std::nullopt;
  return info_of(*p);
}

std::vector<ProductInfo> Catalog::list(ProductId after, std::size_t limit) const {
  std::vector<ProductInfo> out;
  MutexLock guard(insert_mutex_);
  for (auto it = by_id_.upper_bound(after); it != by_id_.end() && out.size() < limit; ++it) {
    out.push_back(info_of(*it->second));
  }
  return out;
}

std::size_t Catalog::out_of_stock_count() const {
  std::size_t n = 0;
  MutexLock guard(insert_mutex_);
  for (const auto& p : owned_) {
    MutexLock product_guard(p->lock);
    if (p->available == 0) ++n;
  }
  return n;
}

// The analysis cannot follow a variable number of locks held at once.
bool Catalog::reserve(std::span<const OrderItem> items,
                      std::vector<StockIssue>* issues) NO_THREAD_SAFETY_ANALYSIS {
  // Locks are taken in ascending product id order (the items' order), so two
  // orders never wait on each other in a cycle.
  constexpr std::size_t kStackItems = 32;
  Product* stack_products[kStackItems];
  std::vector<Product*> heap_products;
  Product** products = stack_products;
  if (items.size() > kStackItems) {
    heap_products.resize(items.size());
    products = heap_products.data();
  }

  bool all_known = true;
  for (std::size_t i = 0; i < items.size(); ++i) {
    products[i] = find(items[i].product_id);
    if (products[i] == nullptr) {
      all_known = false;
      if (issues) {
        issues->push_back({items[i].product_id, items[i].quantity, 0, /*unknown_product=*/true});
      }
    }
  }
  if (!all_known) return false;

  for (std::size_t i = 0; i < items.size(); ++i) products[i]->lock.lock();
  bool enough = true;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (products[i]->available < static_cast<std::int64_t>(items[i].quantity)) {
      enough = false;
      if (issues) {
        issues->push_back({items[i].product_id, items[i].quantity, products[i]->available, false});
      }
    }
  }
  if (enough) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      products[i]->available -= items[i].quantity;
      products[i]->held += items[i].quantity;
    }
  }
  for (std::size_t i = items.size(); i-- > 0;) products[i]->lock.unlock();
  return enough;
}

void Catalog::release(std::span<const OrderItem> items) {
  for (const auto& item : items) {
    Product* p = find(item.product_id);
    MutexLock guard(p->lock);
    p->held -= item.quantity;
    p->available += item.quantity;
  }
}

void Catalog::consume(std::span<const OrderItem> items) {
  for (const auto& item : items) {
    Product* p = find(item.product_id);
    MutexLock guard(p->lock);
    p->held -= item.quantity;
    p->consumed += item.quantity;
  }
}

void Catalog::give_back(std::span<const OrderItem> items) {
  for (const auto& item : items) {
    Product* p = find(item.product_id);
    MutexLock guard(p->lock);
    p->available += item.quantity;
    p->returned += item.quantity;
  }
}

std::optional<Cents> Catalog::price_of(ProductId id) const {
  const Product* p = find(id);
  if (p == nullptr) return std::nullopt;
  return p->price.load(std::memory_order_relaxed);
}

void Catalog::fill_prices(std::span<OrderItem> items) const {
  for (auto& item : items) {
    const Product* p = find(item.product_id);
    item.unit_price = p->price.load(std::memory_order_relaxed);
  }
}

}  // namespace orderd
