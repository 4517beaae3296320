// Orders by client order id, split over independently locked shards so that
// lookups and inserts on different shards never touch the same lock.
//
// Thread safety: every method may be called from any thread. Orders are never
// removed, so an Order* handed out stays valid for the store's lifetime.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "engine/order.h"

namespace orderd {

class OrderStore {
 public:
  explicit OrderStore(std::size_t shard_count = 256);
  ~OrderStore();
  OrderStore(const OrderStore&) = delete;
  OrderStore& operator=(const OrderStore&) = delete;

  // Takes ownership and returns the stored order; if an order with the same
  // client id exists, returns nullptr and `order` is destroyed.
  Order* insert(std::unique_ptr<Order> order);

  Order* find(std::string_view client_id) const;

  std::size_t size() const;

  // Calls fn(const Order&) for every order, one shard at a time under that
  // shard's read lock; fn returns false to stop. Inserts into the shard being
  // visited wait, so keep fn short.
  void for_each(const std::function<bool(const Order&)>& fn) const;

 private:
  struct Shard;
  static std::uint64_t hash_id(std::string_view client_id);
  Shard& shard_for(std::uint64_t hash) const;

  std::size_t mask_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace orderd
