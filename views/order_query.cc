#include "views/order_query.h"

#include <algorithm>
#include <memory>

#include "views/customer_tally.h"
#include "views/order_columns.h"

namespace orderd::views {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

bool matches_filter(const OrderChunk& c, std::size_t r, std::uint8_t status, const OrderFilter& f) {
  if (status == kNoRow || !f.statuses[status]) return false;
  const Micros created = c.created_at[r].load(kRelaxed);
  if (created < f.created_from || created > f.created_to) return false;
  if (f.has_amount_range()) {
    const Cents amount = c.amount[r].load(kRelaxed);
    if (amount < f.min_amount || amount > f.max_amount) return false;
  }
  return true;
}

// "a comes before b" in the listing's order.
struct ListingOrder {
  bool descending;
  bool operator()(const PagePosition& a, const PagePosition& b) const {
    if (a.key != b.key) return descending ? a.key > b.key : a.key < b.key;
    return descending ? a.seq > b.seq : a.seq < b.seq;
  }
};

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
  // Whether `p` would be kept if offered now.
  bool would_keep(const PagePosition& p) const {
    return heap_.size() < keep_ || order_(p, heap_.front());
  }
  std::vector<PagePosition> sorted() && {
    std::sort_heap(heap_.begin(), heap_.end(), order_);
    return std::move(heap_);
  }

 private:
  ListingOrder order_;
  std::size_t keep_;
  std::vector<PagePosition> heap_;
};

// One listing's pass: counts every matching row, keeps the page's rows.
class Scan {
 public:
  explicit Scan(const ListingRequest& request)
      : request_(request),
        filter_(request.filter),
        order_{request.descending},
        collector_(order_, request.offset + request.limit + 1) {}

  // Whether row `r` (present, with `status`) passes the filter.
  bool matches(const OrderChunk& c, std::size_t r, std::uint8_t status) const {
    return matches_filter(c, r, status, filter_);
  }

  // Tests row `r` of chunk `c` (seq `seq`): counts it and offers it.
  void row(const OrderChunk& c, std::size_t r, OrderSeq seq) {
    const std::uint8_t status = c.status[r].load(std::memory_order_acquire);
    if (!matches(c, r, status)) return;
    ++total_;
    offer({c.key(r, request_.sort), seq});
  }

  // row() without the count: for chunks counted from their summary.
  void offer_if_matches(const OrderChunk& c, std::size_t r, OrderSeq seq) {
    const std::uint8_t status = c.status[r].load(std::memory_order_acquire);
    if (matches(c, r, status)) offer({c.key(r, request_.sort), seq});
  }

  void offer(const PagePosition& p) {
    if (request_.after && !order_(*request_.after, p)) return;
    collector_.offer(p);
  }

  // Whether any row of chunk `index` could still enter the page, judged by
  // the bounds of the sort key over its rows.
  bool may_contribute(const OrderChunk& c, std::size_t index) const {
    const KeyBounds& b = c.bound(request_.sort);
    const std::int64_t lo = b.lo.load(kRelaxed), hi = b.hi.load(kRelaxed);
    const OrderSeq first = OrderColumns::seq_at(index, 0);
    const OrderSeq last = OrderColumns::seq_at(index, kChunkRows - 1);
    const bool desc = request_.descending;
    const PagePosition best = desc ? PagePosition{hi, last} : PagePosition{lo, first};
    const PagePosition worst = desc ? PagePosition{lo, first} : PagePosition{hi, last};
    if (request_.after && !order_(*request_.after, worst)) return false;
    return collector_.would_keep(best);
  }

  // Whether a row with this key (and any seq) could still enter the page.
  bool key_may_contribute(std::int64_t key, std::size_t index) const {
    const OrderSeq best_seq = request_.descending ? OrderColumns::seq_at(index, kChunkRows - 1)
                                                  : OrderColumns::seq_at(index, 0);
    return collector_.would_keep({key, best_seq});
  }

  void add_to_total(std::uint64_t n) { total_ += n; }
  const ListingRequest& request() const { return request_; }

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
  const OrderFilter& filter_;
  ListingOrder order_;
  Collector collector_;
  std::uint64_t total_ = 0;
};

std::uint64_t rows_with_statuses(const OrderChunk& c, const StatusSet& statuses) {
  std::uint64_t n = 0;
  for (std::size_t s = 0; s < kOrderStatusCount; ++s) {
    if (statuses[s]) n += static_cast<std::uint64_t>(c.status_rows[s].load(kRelaxed));
  }
  return n;
}

// A full chunk through its amount index, for pages sorted by amount or
// filtered by it. `counted`: the chunk's matches are already in the total
// (from its summary), so the rows are only offered.
void scan_by_amount(const OrderChunk& c, std::size_t index, const AmountIndex& by_amount,
                    bool counted, Scan& scan) {
  const ListingRequest& r = scan.request();
  const OrderFilter& f = r.filter;
  auto amount_of = [&](std::uint16_t row) { return c.amount[row].load(kRelaxed); };
  const auto begin =
      std::lower_bound(by_amount.rows.begin(), by_amount.rows.end(), f.min_amount,
                       [&](std::uint16_t row, Cents v) { return amount_of(row) < v; });
  const auto end = std::upper_bound(begin, by_amount.rows.end(), f.max_amount,
                                    [&](Cents v, std::uint16_t row) { return v < amount_of(row); });
  const OrderSeq first = OrderColumns::seq_at(index, 0);
  auto matches = [&](std::uint16_t row) {
    return scan.matches(c, row, c.status[row].load(std::memory_order_acquire));
  };
  auto offer = [&](std::uint16_t row) { scan.offer({c.key(row, r.sort), first + row}); };
  const KeyBounds& created = c.bound(SortKey::kCreatedAt);
  const bool every_row_matches = f.statuses.all() && created.lo.load(kRelaxed) >= f.created_from &&
                                 created.hi.load(kRelaxed) <= f.created_to;
  if (!counted) {
    if (every_row_matches) {
      scan.add_to_total(static_cast<std::uint64_t>(end - begin));
    } else {
      for (auto it = begin; it != end; ++it) scan.add_to_total(matches(*it) ? 1 : 0);
    }
  }
  if (r.sort != SortKey::kTotalAmount) {
    // Counted by amount, offered in row order, and only if the chunk's
    // bounds on the sort key let any of its rows enter the page.
    if (!scan.may_contribute(c, index)) return;
    for (std::size_t row = 0; row < kChunkRows; ++row) scan.offer_if_matches(c, row, first + row);
    return;
  }
  // Sorted by amount: from the page's end of the range, until a row's
  // amount could no longer enter the page.
  auto visit = [&](std::uint16_t row) {
    if (!scan.key_may_contribute(amount_of(row), index)) return false;
    if (matches(row)) offer(row);
    return true;
  };
  if (r.descending) {
    for (auto it = end; it != begin;) {
      if (!visit(*--it)) return;
    }
  } else {
    for (auto it = begin; it != end; ++it) {
      if (!visit(*it)) return;
    }
  }
}

// One chunk of the whole-store scan, the cheapest way its filter allows.
void scan_chunk(const OrderColumns& columns, std::size_t index, Scan& scan) {
  const OrderChunk& c = *columns.chunk(index);
  const ListingRequest& r = scan.request();
  const OrderFilter& f = r.filter;
  const KeyBounds& created = c.bound(SortKey::kCreatedAt);
  const bool inside =
      created.lo.load(kRelaxed) >= f.created_from && created.hi.load(kRelaxed) <= f.created_to;
  const bool counted = inside && !f.has_amount_range();
  if (counted) {
    const std::uint64_t matching = rows_with_statuses(c, f.statuses);
    scan.add_to_total(matching);
    if (matching == 0 || !scan.may_contribute(c, index)) return;
  }
  if (f.has_amount_range() || r.sort == SortKey::kTotalAmount) {
    if (auto by_amount = columns.amount_index(index)) {
      scan_by_amount(c, index, *by_amount, counted, scan);
      return;
    }
  }
  const OrderSeq first = OrderColumns::seq_at(index, 0);
  for (std::size_t row = 0; row < kChunkRows; ++row) {
    if (counted) {
      scan.offer_if_matches(c, row, first + row);
    } else {
      scan.row(c, row, first + row);
    }
  }
}

void scan_customer(const OrderColumns& columns, const CustomerTally& customers, Scan& scan,
                   UserId customer) {
  for (const OrderSeq seq : customers.orders_of(customer)) {
    const OrderChunk* c = columns.chunk((seq - 1) / kChunkRows);
    if (c != nullptr) scan.row(*c, (seq - 1) % kChunkRows, seq);
  }
}

void scan_all(const OrderColumns& columns, Scan& scan) {
  const ListingRequest& r = scan.request();
  const OrderFilter& f = r.filter;
  struct Visit {
    std::size_t index;
    std::int64_t best;  // the chunk's first sort key in listing order
  };
  std::vector<Visit> visits;
  const std::size_t count = columns.chunk_count();
  visits.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const OrderChunk* c = columns.chunk(i);
    if (c == nullptr || c->rows.load(std::memory_order_acquire) == 0) continue;
    const KeyBounds& created = c->bound(SortKey::kCreatedAt);
    if (created.hi.load(kRelaxed) < f.created_from || created.lo.load(kRelaxed) > f.created_to) {
      continue;
    }
    const KeyBounds& b = c->bound(r.sort);
    visits.push_back({i, r.descending ? b.hi.load(kRelaxed) : b.lo.load(kRelaxed)});
  }
  // The chunks most likely to fill the page first, so that the rest can be
  // counted from their summaries or their indexes.
  std::sort(visits.begin(), visits.end(), [&](const Visit& a, const Visit& b) {
    if (a.best != b.best) return r.descending ? a.best > b.best : a.best < b.best;
    return r.descending ? a.index > b.index : a.index < b.index;
  });
  for (const Visit& v : visits) scan_chunk(columns, v.index, scan);
}

}  // namespace

ListingPage run_listing(const OrderColumns& columns, const CustomerTally& customers,
                        const ListingRequest& request) {
  Scan scan(request);
  if (request.filter.customer) {
    scan_customer(columns, customers, scan, *request.filter.customer);
  } else {
    scan_all(columns, scan);
  }
  return std::move(scan).finish();
}

OrderSeq next_matching(const OrderColumns& columns, const OrderFilter& filter, OrderSeq after,
                       std::size_t max, std::size_t max_rows, std::vector<OrderSeq>& out) {
  const OrderSeq end = static_cast<OrderSeq>(columns.chunk_count()) * kChunkRows;
  OrderSeq seq = after;
  std::size_t found = 0;
  while (seq < end && found < max && max_rows > 0) {
    ++seq;
    --max_rows;
    const std::size_t index = (seq - 1) / kChunkRows;
    const OrderChunk* c = columns.chunk(index);
    if (c == nullptr) {
      seq = static_cast<OrderSeq>(index + 1) * kChunkRows;  // the whole chunk is empty
      continue;
    }
    const std::size_t r = (seq - 1) % kChunkRows;
    if (matches_filter(*c, r, c->status[r].load(std::memory_order_acquire), filter)) {
      out.push_back(seq);
      ++found;
    }
  }
  return seq < end ? seq : 0;
}

bool row_matches(const OrderColumns& columns, OrderSeq seq, const OrderFilter& filter) {
  if (seq == 0) return false;
  const OrderChunk* c = columns.chunk((seq - 1) / kChunkRows);
  if (c == nullptr) return false;
  const std::size_t r = (seq - 1) % kChunkRows;
  return matches_filter(*c, r, c->status[r].load(std::memory_order_acquire), filter);
}

}  // namespace orderd::views
