// The read models' copy of every order's facts (order_facts.h), one row per
// acceptance sequence number, stored column by column in chunks of
// kChunkRows so a filter reads only the columns it tests. Each chunk also
// keeps its rows' creation range and counts per status, so a listing skips
// or counts whole chunks without reading their rows.
//
// 40 bytes per order. Rows are written by the thread that holds the
// order's lock (one writer per row at a time) and read by any thread
// without a lock: each field is read atomically, a row being changed may be
// seen half old, half new, and the next read sees it whole.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/mutex.h"
#include "engine/order_status.h"
#include "engine/types.h"
#include "views/order_facts.h"
#include "views/sort_key.h"

namespace orderd::views {

inline constexpr std::size_t kChunkRows = std::size_t{1} << 16;
inline constexpr std::size_t kMaxChunks = std::size_t{1} << 16;  // 2^32 orders
inline constexpr std::uint8_t kNoRow = 0xff;                     // status of an unused row

// A row as stored: the facts without those that never change or that live
// elsewhere (customer, city).
struct RowFacts {
  std::uint8_t status = kNoRow;
  std::uint8_t currency = 0;
  std::uint16_t city = 0;  // the shipping city's id in the city figures; 0: none
  std::uint32_t units = 0;
  Cents amount = 0;
  Micros created_at = 0;
  Micros updated_at = 0;
  Micros delivered_at = 0;

  bool present() const { return status != kNoRow; }
  OrderStatus order_status() const { return static_cast<OrderStatus>(status); }
  Cents revenue() const { return present() && counts_as_revenue(order_status()) ? amount : 0; }
};

// The range of one sort key over a chunk's rows: every value a row has
// held lies within it. Only ever widened, so it stays a valid bound while
// rows change (a row's key may have moved inside it since).
struct KeyBounds {
  std::atomic<std::int64_t> lo{INT64_MAX};
  std::atomic<std::int64_t> hi{INT64_MIN};
  void widen(std::int64_t v);
  bool empty() const {
    return lo.load(std::memory_order_relaxed) > hi.load(std::memory_order_relaxed);
  }
};

struct OrderChunk {
  std::array<std::atomic<std::uint8_t>, kChunkRows> status;
  std::array<std::atomic<std::uint8_t>, kChunkRows> currency;
  std::array<std::atomic<std::uint16_t>, kChunkRows> city;
  std::array<std::atomic<std::uint32_t>, kChunkRows> units;
  std::array<std::atomic<Cents>, kChunkRows> amount;
  std::array<std::atomic<Micros>, kChunkRows> created_at;
  std::array<std::atomic<Micros>, kChunkRows> updated_at;
  std::array<std::atomic<Micros>, kChunkRows> delivered_at;
  // Summary: each sort key's bounds, and rows per status.
  std::array<KeyBounds, kSortKeyCount> bounds;
  std::array<std::atomic<std::int64_t>, kOrderStatusCount> status_rows{};
  std::atomic<std::int64_t> rows{0};
  // Bumped whenever a row's amount changes (rare: amounts are fixed at
  // acceptance unless a plain order becomes a managed one).
  std::atomic<std::uint64_t> amount_changes{0};

  OrderChunk();
  std::int64_t key(std::size_t row, SortKey k) const;
  const KeyBounds& bound(SortKey k) const { return bounds[key_index(k)]; }
  bool full() const { return rows.load(std::memory_order_acquire) == kChunkRows; }
};

// A full chunk's rows ordered by (amount, row), for amount sorts and
// filters without reading every row. Built on first use; valid while the
// chunk's amount_changes stays at `built_at`.
struct AmountIndex {
  std::uint64_t built_at = 0;
  std::vector<std::uint16_t> rows;  // ascending (amount, row)
};

class OrderColumns {
 public:
  OrderColumns();
  ~OrderColumns();
  OrderColumns(const OrderColumns&) = delete;
  OrderColumns& operator=(const OrderColumns&) = delete;

  // The row of `seq` as stored (status kNoRow if none).
  RowFacts load(OrderSeq seq) const;
  // Stores the facts of `seq`, whose row held `before`; the caller holds
  // the order's lock. False (nothing stored) for a seq beyond the capacity.
  bool store(OrderSeq seq, const RowFacts& before, const RowFacts& after);

  // Chunks in use: chunk(i) for i < chunk_count() may be null (no order there).
  std::size_t chunk_count() const { return chunks_used_.load(std::memory_order_acquire); }
  const OrderChunk* chunk(std::size_t i) const {
    return chunks_[i].load(std::memory_order_acquire);
  }
  // The seq of row `r` of chunk `c`.
  static OrderSeq seq_at(std::size_t c, std::size_t r) { return c * kChunkRows + r + 1; }

  // The amount index of full chunk `c`, up to date, or null if the chunk is
  // not full. Builds it (64k rows sorted, 128 KiB) on first use and after
  // an amount changed.
  std::shared_ptr<const AmountIndex> amount_index(std::size_t c) const;

 private:
  OrderChunk* chunk_for(std::size_t index);
  std::unique_ptr<std::atomic<OrderChunk*>[]> chunks_;
  mutable Mutex index_mutex_;  // one index built at a time
  mutable std::vector<std::shared_ptr<const AmountIndex>> amount_indexes_ GUARDED_BY(index_mutex_);
  std::atomic<std::size_t> chunks_used_{0};
};

}  // namespace orderd::views
