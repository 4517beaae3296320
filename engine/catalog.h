// The product catalog and its stock: a fixed-capacity, insert-only hash table
// whose lookups take no lock, and one small lock per product for its stock.
//
// Stock accounting, per product, always holds (each field changes only under
// the product's lock):
//   initial + restocked + returned == available + held + consumed
// where `held` is reserved by live (Pending/Processing) orders, `consumed`
// counts every unit an order ever completed with, and `returned` the consumed
// units given back to available by a return or by cancelling a Completed
// order (see order_status.h). `consumed` and `returned` only grow.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/mutex.h"
#include "base/thread_annotations.h"
#include "engine/order.h"
#include "engine/restore_result.h"
#include "engine/spin_lock.h"
#include "engine/types.h"

namespace orderd {

class EventSink;

struct ProductInfo {
  ProductId id = 0;
  std::string name;
  Cents price = 0;
  std::int64_t available = 0;
  std::int64_t initial = 0;
  std::int64_t restocked = 0;
  std::int64_t held = 0;
  std::int64_t consumed = 0;
  std::int64_t returned = 0;
  std::string sku;  // a string id such as "prod_456", unique; may be empty
};

// One product whose stock could not cover an order.
struct StockIssue {
  ProductId product_id = 0;
  std::int64_t requested = 0;
  std::int64_t available = 0;
  bool unknown_product = false;
};

enum class AddProductResult { kAdded, kAlreadyExists, kSkuTaken, kCatalogFull, kInvalid };
enum class RestockResult { kRestocked, kUnknownProduct, kInvalid };

class Catalog {
 public:
  // Stock and price limits that keep every sum far from overflow.
  static constexpr std::int64_t kMaxStock = std::int64_t{1} << 48;
  static constexpr Cents kMaxPrice = Cents{1} << 40;

  // `capacity` is the most products the catalog will ever hold.
  explicit Catalog(std::size_t capacity = 1 << 16);
  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  std::size_t capacity() const { return max_products_; }
  std::size_t size() const { return count_.load(std::memory_order_acquire); }

  AddProductResult add(ProductId id, std::string name, Cents price, std::int64_t stock,
                       std::string sku = {});
  RestockResult restock(ProductId id, std::int64_t quantity);
  std::optional<ProductInfo> get(ProductId id) const;
  bool contains(ProductId id) const { return find(id) != nullptr; }
  // The product with this SKU. Takes the insert lock: for managed orders and
  // lookups, not the plain order hot path, which names products by id.
  std::optional<ProductId> find_sku(std::string_view sku) const EXCLUDES(insert_mutex_);

  // Products with id > `after`, ascending, at most `limit`.
  std::vector<ProductInfo> list(ProductId after, std::size_t limit) const;
  std::size_t out_of_stock_count() const;

  // All or nothing: reserves every item (product ids strictly ascending)
  // or none. On failure appends one StockIssue per short product to `issues`.
  // Allocates nothing on success.
  bool reserve(std::span<const OrderItem> items, std::vector<StockIssue>* issues);

  // Returns a live order's held stock to `available` (cancel / reject).
  void release(std::span<const OrderItem> items);
  // Moves a completing order's held stock to `consumed`.
  void consume(std::span<const OrderItem> items);
  // Puts a completed order's consumed units back into `available`, adding
  // them to `returned` (a return, or cancelling a Completed order).
  void give_back(std::span<const OrderItem> items);
  // The product's current price; nullopt if it does not exist.
  std::optional<Cents> price_of(ProductId id) const;
  // Fills each item's unit_price with the current catalog price.
  void fill_prices(std::span<OrderItem> items) const;

  // Reports every later add and restock to `sink` (nullptr: to nobody). Set
  // it while no other thread changes the catalog; `sink` must outlive its use.
  void set_event_sink(EventSink* sink) { sink_.store(sink, std::memory_order_release); }

  // --- Recovery only: these bypass the event sink and the stock checks. ---

  // Inserts a product with every stock field exactly as given.
  AddProductResult restore(const ProductInfo& product);
  // Replays a restock that left the product's restocked total at
  // `restocked_total`; kAlreadyApplied if the total is already there.
  RestoreResult restore_restock(ProductId id, std::int64_t quantity, std::int64_t restocked_total);
  // Moves the items' quantities from available to held without checking
  // availability: a recovered order's reservation. Products must exist.
  void take(std::span<const OrderItem> items);

 private:
  struct Product {
    // A new product, before any other thread can see it: constructors need
    // no lock.
    explicit Product(ProductInfo info);

    const ProductId id;
    const std::string name;
    const std::string sku;
    std::atomic<Cents> price{0};
    mutable SpinLock lock;  // taken after insert_mutex_, if both are
    std::int64_t available GUARDED_BY(lock) = 0;
    std::int64_t initial GUARDED_BY(lock) = 0;
    std::int64_t restocked GUARDED_BY(lock) = 0;
    std::int64_t held GUARDED_BY(lock) = 0;
    std::int64_t consumed GUARDED_BY(lock) = 0;
    std::int64_t returned GUARDED_BY(lock) = 0;
  };

  Product* find(ProductId id) const;
  ProductInfo info_of(const Product& p) const EXCLUDES(p.lock);
  // Publishes a new product; capacity checked.
  void publish_locked(std::unique_ptr<Product> product) REQUIRES(insert_mutex_);

  std::size_t max_products_;
  std::size_t mask_;  // table size - 1; the table is at least twice `capacity`
  std::unique_ptr<std::atomic<Product*>[]> table_;
  std::atomic<std::size_t> count_{0};
  std::atomic<EventSink*> sink_{nullptr};

  mutable Mutex insert_mutex_;  // serializes inserts; lookups never take it
  std::map<ProductId, Product*> by_id_ GUARDED_BY(insert_mutex_);  // ordered index for paging
  std::unordered_map<std::string, ProductId> by_sku_ GUARDED_BY(insert_mutex_);
  std::vector<std::unique_ptr<Product>> owned_ GUARDED_BY(insert_mutex_);
};

}  // namespace orderd
