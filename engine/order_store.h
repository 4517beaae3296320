// Orders by client order id, split over independently locked shards so that
// lookups and inserts on different shards never touch the same lock; and by
// sequence number, in a chunked array whose reads take no lock at all.
//
// Thread safety: every method may be called from any thread. Orders are never
// removed, so an Order* handed out stays valid for the store's lifetime.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "base/mutex.h"
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
  // The order with this sequence number, or nullptr. Sequence numbers are
  // dense from 1 (gaps only where an acceptance failed), so this is two loads.
  Order* find_seq(OrderSeq seq) const;

  std::size_t size() const;

  // Calls fn(const Order&) for every order, one shard at a time under that
  // shard's read lock; fn returns false to stop. Inserts into the shard being
  // visited wait, so keep fn short.
  void for_each(const std::function<bool(const Order&)>& fn) const;

 private:
  struct Shard;
  static std::uint64_t hash_id(std::string_view client_id);
  Shard& shard_for(std::uint64_t hash) const;

  // Seq index: chunk seq >> kChunkBits holds the orders of that range.
  static constexpr unsigned kChunkBits = 16;
  static constexpr std::size_t kChunkCount = std::size_t{1} << 16;  // seqs up to 2^32
  void index_seq(Order* order);

  std::size_t mask_;
  std::unique_ptr<Shard[]> shards_;
  std::unique_ptr<std::atomic<std::atomic<Order*>*>[]> chunks_;
  Mutex chunk_mutex_;  // serializes chunk allocation only
  // One past the highest chunk allocated: what the destructor frees, so an
  // engine with few orders is cheap to destroy (tests and fuzzers make
  // thousands).
  std::size_t chunks_end_ GUARDED_BY(chunk_mutex_) = 0;
};

}  // namespace orderd
