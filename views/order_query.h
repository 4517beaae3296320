// Listings of orders: which orders match a filter, in which order, and a
// page of them with the exact number that matched. Answered from the
// columns (order_columns.h), never from the orders themselves.
//
// Order: by the sort key, then by seq, both in the same direction. A page
// starts `offset` rows after the start, or after a position (`after`, what
// the previous page returned as `next`), which costs the same at any depth.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "engine/order_status.h"
#include "engine/types.h"
#include "views/sort_key.h"

namespace orderd::views {

class OrderColumns;
class CustomerTally;

using StatusSet = std::bitset<kOrderStatusCount>;

struct OrderFilter {
  StatusSet statuses = StatusSet().set();  // all
  std::optional<UserId> customer;
  Micros created_from = std::numeric_limits<Micros>::min();  // inclusive
  Micros created_to = std::numeric_limits<Micros>::max();    // inclusive
  Cents min_amount = std::numeric_limits<Cents>::min();
  Cents max_amount = std::numeric_limits<Cents>::max();

  bool has_amount_range() const {
    return min_amount != std::numeric_limits<Cents>::min() ||
           max_amount != std::numeric_limits<Cents>::max();
  }
};

// Where a page ended: the last row's sort key and seq.
struct PagePosition {
  std::int64_t key = 0;
  OrderSeq seq = 0;
  friend bool operator==(const PagePosition&, const PagePosition&) = default;
};

struct ListingRequest {
  OrderFilter filter;
  SortKey sort = SortKey::kCreatedAt;
  bool descending = true;
  std::size_t offset = 0;  // rows skipped (after `after`, if given)
  std::size_t limit = 50;
  std::optional<PagePosition> after;
};

inline constexpr std::size_t kMaxListingOffset = 100'000;  // deeper: use positions

struct ListingPage {
  std::vector<OrderSeq> seqs;
  std::uint64_t total = 0;           // orders matching the filter, on every page alike
  std::optional<PagePosition> next;  // set when rows follow this page
};

// The listing over every order (or the filter's customer's).
ListingPage run_listing(const OrderColumns& columns, const CustomerTally& customers,
                        const ListingRequest& request);

// For exports, a batch at a time in acceptance order: appends to `out` the
// seqs above `after` whose rows match `filter` (its customer ignored), at
// most `max` of them, reading at most `max_rows` rows. Returns the last seq
// read (the next batch's `after`), or 0 once every row was read.
OrderSeq next_matching(const OrderColumns& columns, const OrderFilter& filter, OrderSeq after,
                       std::size_t max, std::size_t max_rows, std::vector<OrderSeq>& out);

// Whether the stored row of `seq` matches `filter` (its customer ignored).
bool row_matches(const OrderColumns& columns, OrderSeq seq, const OrderFilter& filter);

}  // namespace orderd::views
