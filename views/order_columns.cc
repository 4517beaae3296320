#include "views/order_columns.h"

namespace orderd::views {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

void lower_to(std::atomic<Micros>& v, Micros x) {
  Micros cur = v.load(kRelaxed);
  while (x < cur && !v.compare_exchange_weak(cur, x, kRelaxed)) {
  }
}
void raise_to(std::atomic<Micros>& v, Micros x) {
  Micros cur = v.load(kRelaxed);
  while (x > cur && !v.compare_exchange_weak(cur, x, kRelaxed)) {
  }
}

}  // namespace

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
  if (!before.present()) {
    c->rows.fetch_add(1, kRelaxed);
    lower_to(c->min_created, after.created_at);
    raise_to(c->max_created, after.created_at);
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
  return true;
}

}  // namespace orderd::views
