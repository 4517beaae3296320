#include "engine/order_store.h"

#include <algorithm>
#include <bit>
#include <vector>

#include "base/mutex.h"

namespace orderd {

// Each shard is an open-addressing table of (hash, order) slots with linear
// probing: a lookup touches the slot array and, only on a hash match, the
// order itself, with no per-entry node allocation.
struct alignas(64) OrderStore::Shard {
  struct Slot {
    std::uint64_t hash = 0;
    Order* order = nullptr;  // owned; nullptr = empty
  };

  mutable SharedMutex mutex;
  std::vector<Slot> slots GUARDED_BY(mutex) = std::vector<Slot>(16);
  std::size_t count GUARDED_BY(mutex) = 0;

  ~Shard() {
    for (const Slot& s : slots) delete s.order;
  }

  // The slot holding `client_id`, or the empty slot where it would go.
  const Slot& probe(std::uint64_t hash, std::string_view client_id) const REQUIRES_SHARED(mutex) {
    std::size_t mask = slots.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& s = slots[i];
      if (s.order == nullptr || (s.hash == hash && s.order->client_id == client_id)) return s;
    }
  }
  // The same slot, to write to.
  Slot& probe(std::uint64_t hash, std::string_view client_id) REQUIRES(mutex) {
    return const_cast<Slot&>(static_cast<const Shard*>(this)->probe(hash, client_id));
  }

  void grow() REQUIRES(mutex) {
    std::vector<Slot> old(slots.size() * 2);
    old.swap(slots);
    std::size_t mask = slots.size() - 1;
    for (const Slot& s : old) {
      if (s.order == nullptr) continue;
      std::size_t i = s.hash & mask;
      while (slots[i].order != nullptr) i = (i + 1) & mask;
      slots[i] = s;
    }
  }
};

OrderStore::OrderStore(std::size_t shard_count)
    : mask_(std::bit_ceil(shard_count == 0 ? 1 : shard_count) - 1),
      shards_(new Shard[mask_ + 1]),
      // Value-initialized: every chunk pointer null, in one pass of zeroes.
      chunks_(new std::atomic<std::atomic<Order*>*>[kChunkCount]()) {}

OrderStore::~OrderStore() {
  MutexLock lock(chunk_mutex_);
  for (std::size_t i = 0; i < chunks_end_; ++i) delete[] chunks_[i].load(std::memory_order_relaxed);
}

void OrderStore::index_seq(Order* order) {
  const std::size_t chunk = order->seq >> kChunkBits;
  if (chunk >= kChunkCount) return;  // beyond 2^32 orders: found by client id only
  std::atomic<Order*>* slots = chunks_[chunk].load(std::memory_order_acquire);
  if (slots == nullptr) {
    MutexLock lock(chunk_mutex_);
    slots = chunks_[chunk].load(std::memory_order_acquire);
    if (slots == nullptr) {
      slots = new std::atomic<Order*>[std::size_t{1} << kChunkBits]();
      chunks_[chunk].store(slots, std::memory_order_release);
      chunks_end_ = std::max(chunks_end_, chunk + 1);
    }
  }
  slots[order->seq & ((std::size_t{1} << kChunkBits) - 1)].store(order, std::memory_order_release);
}

Order* OrderStore::find_seq(OrderSeq seq) const {
  const std::size_t chunk = seq >> kChunkBits;
  if (chunk >= kChunkCount) return nullptr;
  const std::atomic<Order*>* slots = chunks_[chunk].load(std::memory_order_acquire);
  if (slots == nullptr) return nullptr;
  return slots[seq & ((std::size_t{1} << kChunkBits) - 1)].load(std::memory_order_acquire);
}

std::uint64_t OrderStore::hash_id(std::string_view client_id) {
  // std::hash, then a finalizer so that the shard (high bits) and the slot
  // (low bits) come from independent parts of the hash.
  std::uint64_t h = std::hash<std::string_view>{}(client_id);
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  return h;
}

OrderStore::Shard& OrderStore::shard_for(std::uint64_t hash) const {
  return shards_[(hash >> 48) & mask_];
}

Order* OrderStore::insert(std::unique_ptr<Order> order) {
  std::uint64_t hash = hash_id(order->client_id);
  Shard& shard = shard_for(hash);
  MutexLock guard(shard.mutex);
  Shard::Slot* slot = &shard.probe(hash, order->client_id);
  if (slot->order != nullptr) return nullptr;
  if ((shard.count + 1) * 2 > shard.slots.size()) {  // keep the load under 1/2
    shard.grow();
    slot = &shard.probe(hash, order->client_id);
  }
  slot->hash = hash;
  slot->order = order.release();
  ++shard.count;
  index_seq(slot->order);
  return slot->order;
}

Order* OrderStore::find(std::string_view client_id) const {
  std::uint64_t hash = hash_id(client_id);
  const Shard& shard = shard_for(hash);
  ReaderMutexLock guard(shard.mutex);
  return shard.probe(hash, client_id).order;
}

std::size_t OrderStore::size() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i <= mask_; ++i) {
    const Shard& shard = shards_[i];
    ReaderMutexLock guard(shard.mutex);
    n += shard.count;
  }
  return n;
}

void OrderStore::for_each(const std::function<bool(const Order&)>& fn) const {
  for (std::size_t i = 0; i <= mask_; ++i) {
    const Shard& shard = shards_[i];
    ReaderMutexLock guard(shard.mutex);
    for (const auto& slot : shard.slots) {
      if (slot.order != nullptr && !fn(*slot.order)) return;
    }
  }
}

}  // namespace orderd
