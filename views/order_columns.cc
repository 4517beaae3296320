#include "views/order_columns.h"

#include <algorithm>

namespace orderd::views {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

}  // namespace

void KeyBounds::widen(std::int64_t v) {
  std::int64_t cur = lo.load(kRelaxed);
  while (v < cur && !lo.compare_exchange_weak(cur, v, kRelaxed)) {
  }
  cur = hi.load(kRelaxed);
  while (v > cur && !hi.compare_exchange_weak(cur, v, kRelaxed)) {
  }
}

std::int64_t OrderChunk::key(std::size_t r, SortKey k) const {
  switch (k) {
    case SortKey::kCreatedAt:
      return created_at[r].load(kRelaxed);
    case SortKey::kTotalAmount:
      return amount[r].load(kRelaxed);
    case SortKey::kStatus:
      return status[r].load(kRelaxed);
    case SortKey::kUpdatedAt:
      return updated_at[r].load(kRelaxed);
    case SortKey::kUnits:
      return units[r].load(kRelaxed);
    case SortKey::kDeliveredAt:
      return delivered_at[r].load(kRelaxed);
  }
  return 0;
}

OrderChunk::OrderChunk() {
  for (auto& s : status) s.store(kNoRow, kRelaxed);
  for (auto& c : currency) c.store(0, kRelaxed);
  for (auto& c : city) c.store(0, kRelaxed);
  for (auto& u : units) u.store(0, kRelaxed);
  for (auto* column : {&amount, &created_at, &updated_at, &delivered_at}) {
    for (auto& v : *column) v.store(0, kRelaxed);
  }
}

OrderColumns::OrderColumns() : chunks_(new std::atomic<OrderChunk*>[kMaxChunks]) {
  for (std::size_t i = 0; i < kMaxChunks; ++i) chunks_[i].store(nullptr, kRelaxed);
}

OrderColumns::~OrderColumns() {
  for (std::size_t i = 0; i < kMaxChunks; ++i) delete chunks_[i].load(kRelaxed);
}

RowFacts OrderColumns::load(OrderSeq seq) const {
  RowFacts f;
  if (seq == 0 || (seq - 1) / kChunkRows >= kMaxChunks) return f;
  const OrderChunk* c = chunk((seq - 1) / kChunkRows);
  if (c == nullptr) return f;
  const std::size_t r = (seq - 1) % kChunkRows;
  f.status = c->status[r].load(kRelaxed);
  f.currency = c->currency[r].load(kRelaxed);
  f.city = c->city[r].load(kRelaxed);
  f.units = c->units[r].load(kRelaxed);
  f.amount = c->amount[r].load(kRelaxed);
  f.created_at = c->created_at[r].load(kRelaxed);
  f.updated_at = c->updated_at[r].load(kRelaxed);
  f.delivered_at = c->delivered_at[r].load(kRelaxed);
  return f;
}

OrderChunk* OrderColumns::chunk_for(std::size_t index) {
  OrderChunk* c = chunks_[index].load(std::memory_order_acquire);
  if (c != nullptr) return c;
  auto fresh = std::make_unique<OrderChunk>();
  if (chunks_[index].compare_exchange_strong(c, fresh.get(), std::memory_order_acq_rel)) {
    c = fresh.release();
  }
  std::size_t used = chunks_used_.load(kRelaxed);
  while (used < index + 1 &&
         !chunks_used_.compare_exchange_weak(used, index + 1, std::memory_order_release)) {
  }
  return c;
}

bool OrderColumns::store(OrderSeq seq, const RowFacts& before, const RowFacts& after) {
  if (seq == 0 || (seq - 1) / kChunkRows >= kMaxChunks) return false;
  OrderChunk* c = chunk_for((seq - 1) / kChunkRows);
  const std::size_t r = (seq - 1) % kChunkRows;
  // Bounds first: a reader that sees the new value sees bounds covering it.
  auto widen = [&](SortKey k, std::int64_t was, std::int64_t now) {
    if (!before.present() || was != now) c->bounds[key_index(k)].widen(now);
  };
  widen(SortKey::kCreatedAt, before.created_at, after.created_at);
  widen(SortKey::kTotalAmount, before.amount, after.amount);
  widen(SortKey::kStatus, before.status, after.status);
  widen(SortKey::kUpdatedAt, before.updated_at, after.updated_at);
  widen(SortKey::kUnits, before.units, after.units);
  widen(SortKey::kDeliveredAt, before.delivered_at, after.delivered_at);
  if (before.present() && before.amount != after.amount) {
    c->amount_changes.fetch_add(1, std::memory_order_release);
  }
  if (before.status != after.status) {
    if (before.present()) c->status_rows[before.status].fetch_sub(1, kRelaxed);
    c->status_rows[after.status].fetch_add(1, kRelaxed);
  }
  if (before.currency != after.currency) c->currency[r].store(after.currency, kRelaxed);
  if (before.city != after.city) c->city[r].store(after.city, kRelaxed);
  if (before.units != after.units) c->units[r].store(after.units, kRelaxed);
  if (before.amount != after.amount) c->amount[r].store(after.amount, kRelaxed);
  if (before.created_at != after.created_at) c->created_at[r].store(after.created_at, kRelaxed);
  if (before.updated_at != after.updated_at) c->updated_at[r].store(after.updated_at, kRelaxed);
  if (before.delivered_at != after.delivered_at) {
    c->delivered_at[r].store(after.delivered_at, kRelaxed);
  }
  // The status last: a reader that sees the row present sees its other fields.
  if (before.status != after.status) c->status[r].store(after.status, std::memory_order_release);
  if (!before.present()) c->rows.fetch_add(1, std::memory_order_release);
  return true;
}

std::shared_ptr<const AmountIndex> OrderColumns::amount_index(std::size_t c) const {
  const OrderChunk* chunk = this->chunk(c);
  if (chunk == nullptr || !chunk->full()) return nullptr;
  MutexLock lock(index_mutex_);
  if (amount_indexes_.size() <= c) amount_indexes_.resize(c + 1);
  std::shared_ptr<const AmountIndex>& slot = amount_indexes_[c];
  const std::uint64_t changes = chunk->amount_changes.load(std::memory_order_acquire);
  if (slot && slot->built_at == changes) return slot;
  auto index = std::make_shared<AmountIndex>();
  index->built_at = changes;
  std::vector<std::pair<Cents, std::uint16_t>> sorted(kChunkRows);
  for (std::size_t r = 0; r < kChunkRows; ++r) {
    sorted[r] = {chunk->amount[r].load(kRelaxed), static_cast<std::uint16_t>(r)};
  }
  std::sort(sorted.begin(), sorted.end());
  index->rows.resize(kChunkRows);
  for (std::size_t r = 0; r < kChunkRows; ++r) index->rows[r] = sorted[r].second;
  slot = std::move(index);
  return slot;
}

}  // namespace orderd::views
