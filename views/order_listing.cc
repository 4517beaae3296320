#include "views/order_listing.h"

#include <algorithm>

namespace orderd::views {

std::array<OrderIdPage, kOrderStatusCount> list_order_ids(const Engine& engine, StatusSet statuses,
                                                          OrderSeq after, std::size_t limit) {
  std::array<OrderIdPage, kOrderStatusCount> pages;
  if (limit == 0 || statuses.none()) return pages;
  // Per status, a max-heap on seq holding the `limit` smallest seen so far.
  auto larger_seq_first = [](const Order* a, const Order* b) { return a->seq < b->seq; };
  for (std::size_t s = 0; s < kOrderStatusCount; ++s) {
    if (statuses[s]) pages[s].orders.reserve(std::min<std::size_t>(limit, 1 << 16));
  }
  engine.for_each_order([&](const Order& order) {
    if (order.seq <= after) return true;
    const auto s = status_index(order.status.load(std::memory_order_relaxed));
    if (!statuses[s]) return true;
    auto& heap = pages[s].orders;
    if (heap.size() < limit) {
      heap.push_back(&order);
      std::push_heap(heap.begin(), heap.end(), larger_seq_first);
    } else {
      pages[s].more = true;
      if (order.seq < heap.front()->seq) {
        std::pop_heap(heap.begin(), heap.end(), larger_seq_first);
        heap.back() = &order;
        std::push_heap(heap.begin(), heap.end(), larger_seq_first);
      }
    }
    return true;
  });
  for (auto& page : pages) std::sort_heap(page.orders.begin(), page.orders.end(), larger_seq_first);
  return pages;
}

}  // namespace orderd::views
