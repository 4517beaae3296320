#include "views/order_query.h"

#include <algorithm>

#include "views/customer_tally.h"
#include "views/order_columns.h"

namespace orderd::views {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

// "a comes before b" in the listing's order.
struct ListingOrder {
  bool descending;
  bool operator()(const PagePosition& a, const PagePosition& b) const {
    if (a.key != b.key) return descending ? a.key > b.key : a.key < b.key;
    return descending ? a.seq > b.seq : a.seq < b.seq;
  }
};

std::int64_t key_of(const OrderChunk& c, std::size_t r, SortKey key, std::uint8_t status) {
  switch (key) {
    case SortKey::kCreatedAt:
      return c.created_at[r].load(kRelaxed);
    case SortKey::kTotalAmount:
      return c.amount[r].load(kRelaxed);
    case SortKey::kStatus:
      return status;
    case SortKey::kUpdatedAt:
      return c.updated_at[r].load(kRelaxed);
    case SortKey::kUnits:
      return c.units[r].load(kRelaxed);
    case SortKey::kDeliveredAt:
      return c.delivered_at[r].load(kRelaxed);
  }
  return 0;
}

// Keeps the first `keep` rows offered, in listing order: a heap whose top is
// the last of them.
class Collector {
 public:
  Collector(ListingOrder order, std::size_t keep) : order_(order), keep_(keep) {
    heap_.reserve(std::min<std::size_t>(keep, 4096));
  }
  void offer(const PagePosition& p) {
    if (heap_.size() < keep_) {
      heap_.push_back(p);
      std::push_heap(heap_.begin(), heap_.end(), order_);
    } else if (order_(p, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), order_);
      heap_.back() = p;
      std::push_heap(heap_.begin(), heap_.end(), order_);
    }
  }
  bool full() const { return heap_.size() >= keep_; }
  const PagePosition& last() const { return heap_.front(); }
  std::vector<PagePosition> sorted() && {
    std::sort_heap(heap_.begin(), heap_.end(), order_);
    return std::move(heap_);
  }

 private:
  ListingOrder order_;
  std::size_t keep_;
  std::vector<PagePosition> heap_;
};

class Scan {
 public:
  Scan(const ListingRequest& request)
      : request_(request),
        order_{request.descending},
        collector_(order_, request.offset + request.limit + 1) {}

  // Tests row `r` of chunk `c` (seq `seq`): counts it and offers it.
  void row(const OrderChunk& c, std::size_t r, OrderSeq seq) {
    const OrderFilter& f = request_.filter;
    const std::uint8_t status = c.status[r].load(std::memory_order_acquire);
    if (status == kNoRow || !f.statuses[status]) return;
    const Micros created = c.created_at[r].load(kRelaxed);
    if (created < f.created_from || created > f.created_to) return;
    if (f.has_amount_range()) {
      const Cents amount = c.amount[r].load(kRelaxed);
      if (amount < f.min_amount || amount > f.max_amount) return;
    }
    ++total_;
    offer({key_of(c, r, request_.sort, status), seq});
  }

  void offer(const PagePosition& p) {
    if (request_.after && !order_(*request_.after, p)) return;
    collector_.offer(p);
  }

  // Whether any row of `c` in [first_seq, last_seq] with creation instants
  // in the chunk's range could still enter the page (created_at sorts only).
  bool may_contribute(const OrderChunk& c, OrderSeq first_seq, OrderSeq last_seq) const {
    if (request_.sort != SortKey::kCreatedAt) return true;
    const Micros lo = c.min_created.load(kRelaxed), hi = c.max_created.load(kRelaxed);
    const PagePosition best =
        request_.descending ? PagePosition{hi, last_seq} : PagePosition{lo, first_seq};
    const PagePosition worst =
        request_.descending ? PagePosition{lo, first_seq} : PagePosition{hi, last_seq};
    if (request_.after && !order_(*request_.after, worst)) return false;
    return !collector_.full() || order_(best, collector_.last());
  }

  void add_to_total(std::uint64_t n) { total_ += n; }

  ListingPage finish() && {
    ListingPage page;
    page.total = total_;
    std::vector<PagePosition> rows = std::move(collector_).sorted();
    const std::size_t start = std::min(request_.offset, rows.size());
    const std::size_t end = std::min(start + request_.limit, rows.size());
    page.seqs.reserve(end - start);
    for (std::size_t i = start; i < end; ++i) page.seqs.push_back(rows[i].seq);
    if (rows.size() > end && end > start) page.next = rows[end - 1];
    return page;
  }

 private:
  const ListingRequest& request_;
  ListingOrder order_;
  Collector collector_;
  std::uint64_t total_ = 0;
};

void scan_customer(const OrderColumns& columns, const CustomerTally& customers, Scan& scan,
                   UserId customer) {
  for (const OrderSeq seq : customers.orders_of(customer)) {
    const OrderChunk* c = columns.chunk((seq - 1) / kChunkRows);
    if (c != nullptr) scan.row(*c, (seq - 1) % kChunkRows, seq);
  }
}

void scan_all(const OrderColumns& columns, const ListingRequest& request, Scan& scan) {
  const OrderFilter& f = request.filter;
  struct Visit {
    std::size_t index;
    Micros best;  // the chunk's first creation instant in listing order
  };
  std::vector<Visit> visits;
  const std::size_t count = columns.chunk_count();
  visits.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const OrderChunk* c = columns.chunk(i);
    if (c == nullptr || c->rows.load(kRelaxed) == 0) continue;
    const Micros lo = c->min_created.load(kRelaxed), hi = c->max_created.load(kRelaxed);
    if (hi < f.created_from || lo > f.created_to) continue;
    visits.push_back({i, request.descending ? hi : lo});
  }
  // For created_at, the chunks most likely to fill the page first, so the
  // rest can be counted from their summaries.
  if (request.sort == SortKey::kCreatedAt) {
    std::sort(visits.begin(), visits.end(), [&](const Visit& a, const Visit& b) {
      if (a.best != b.best) return request.descending ? a.best > b.best : a.best < b.best;
      return request.descending ? a.index > b.index : a.index < b.index;
    });
  } else if (request.descending) {
    std::reverse(visits.begin(), visits.end());
  }
  for (const Visit& v : visits) {
    const OrderChunk& c = *columns.chunk(v.index);
    const OrderSeq first = OrderColumns::seq_at(v.index, 0);
    const OrderSeq last = OrderColumns::seq_at(v.index, kChunkRows - 1);
    const bool inside = c.min_created.load(kRelaxed) >= f.created_from &&
                        c.max_created.load(kRelaxed) <= f.created_to;
    if (inside && !f.has_amount_range() && !scan.may_contribute(c, first, last)) {
      std::uint64_t n = 0;
      for (std::size_t s = 0; s < kOrderStatusCount; ++s) {
        if (f.statuses[s]) n += static_cast<std::uint64_t>(c.status_rows[s].load(kRelaxed));
      }
      scan.add_to_total(n);
      continue;
    }
    for (std::size_t r = 0; r < kChunkRows; ++r) scan.row(c, r, first + r);
  }
}

}  // namespace

ListingPage run_listing(const OrderColumns& columns, const CustomerTally& customers,
                        const ListingRequest& request) {
  Scan scan(request);
  if (request.filter.customer) {
    scan_customer(columns, customers, scan, *request.filter.customer);
  } else {
    scan_all(columns, request, scan);
  }
  return std::move(scan).finish();
}

}  // namespace orderd::views
