// Pages of order ids by status, for GET /orders/metrics?getOrderIds=true.
//
// With millions of orders a full listing would be unbounded, so each status
// lists at most `limit` orders, those with the smallest acceptance sequence
// numbers above a cursor; the last one's seq is the cursor for the next page.
// Sequence numbers grow with acceptance, so new orders land on later pages.
//
// One pass over every order (O(orders x log limit) time, O(limit) memory per
// status): run it off the I/O threads. Thread-safe.
#pragma once

#include <array>
#include <bitset>
#include <cstddef>
#include <vector>

#include "engine/engine.h"

namespace orderd::views {

struct OrderIdPage {
  std::vector<const Order*> orders;  // ascending seq; valid for the engine's lifetime
  bool more = false;                 // orders beyond this page matched too
};

using StatusSet = std::bitset<kOrderStatusCount>;

// For each status in `statuses`: its orders with seq > `after`, ascending,
// at most `limit` of them. Statuses not asked for get empty pages.
std::array<OrderIdPage, kOrderStatusCount> list_order_ids(const Engine& engine, StatusSet statuses,
                                                          OrderSeq after, std::size_t limit);

}  // namespace orderd::views
