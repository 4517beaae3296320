// A brute-force model of what the read models answer, computed from the
// orders' snapshots with its own code (never the read models'), and
// helpers that compare listings against it.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "views/order_views.h"

namespace orderd::views::testing {

constexpr Micros kDay = 86'400'000'000;

struct ModelOrder {
  OrderSeq seq;
  UserId customer;
  OrderStatus status;
  std::string currency;
  std::int64_t units;
  Cents amount;
  Micros created, updated, delivered;
  std::string city;
};

inline bool is_revenue(OrderStatus s) {
  return s != OrderStatus::kCancelled && s != OrderStatus::kRejected && s != OrderStatus::kReturned;
}

inline std::vector<ModelOrder> model_of(const Engine& engine) {
  std::vector<ModelOrder> out;
  engine.for_each_order([&](const Order& order) {
    const OrderSnapshot o = order.snapshot();
    ModelOrder m;
    m.seq = o.seq;
    m.customer = o.user_id;
    m.status = o.status;
    m.currency = o.details ? o.details->currency : "USD";
    m.units = static_cast<std::int64_t>(o.unit_count());
    m.amount = o.details ? o.grand_total() : o.client_total;
    m.created = o.timestamp(OrderTimestamp::kCreated);
    m.updated = o.updated_at();
    m.delivered = o.timestamp(OrderTimestamp::kDelivered);
    m.city = o.details ? o.details->shipping_address.city : "";
    out.push_back(m);
    return true;
  });
  std::sort(out.begin(), out.end(),
            [](const ModelOrder& a, const ModelOrder& b) { return a.seq < b.seq; });
  return out;
}

inline std::int64_t sort_key(const ModelOrder& o, SortKey key) {
  switch (key) {
    case SortKey::kCreatedAt:
      return o.created;
    case SortKey::kTotalAmount:
      return o.amount;
    case SortKey::kStatus:
      return static_cast<std::int64_t>(o.status);
    case SortKey::kUpdatedAt:
      return o.updated;
    case SortKey::kUnits:
      return o.units;
    case SortKey::kDeliveredAt:
      return o.delivered;
  }
  return 0;
}

// Every order the request's filter takes, in the listing's order.
inline std::vector<OrderSeq> brute_listing(const std::vector<ModelOrder>& orders,
                                           const ListingRequest& r) {
  std::vector<const ModelOrder*> hits;
  for (const ModelOrder& o : orders) {
    const OrderFilter& f = r.filter;
    if (!f.statuses[static_cast<std::size_t>(o.status)]) continue;
    if (f.customer && o.customer != *f.customer) continue;
    if (o.created < f.created_from || o.created > f.created_to) continue;
    if (o.amount < f.min_amount || o.amount > f.max_amount) continue;
    hits.push_back(&o);
  }
  std::sort(hits.begin(), hits.end(), [&](const ModelOrder* a, const ModelOrder* b) {
    const auto ka = std::make_pair(sort_key(*a, r.sort), a->seq);
    const auto kb = std::make_pair(sort_key(*b, r.sort), b->seq);
    return r.descending ? ka > kb : ka < kb;
  });
  std::vector<OrderSeq> seqs;
  for (const ModelOrder* o : hits) seqs.push_back(o->seq);
  return seqs;
}

inline ListingRequest random_request(std::mt19937_64& random,
                                     const std::vector<ModelOrder>& orders) {
  ListingRequest r;
  auto coin = [&](int in) { return static_cast<int>(random() % in) == 0; };
  if (coin(2)) r.filter.statuses = StatusSet(random() % 255 + 1);
  if (coin(3) && !orders.empty()) r.filter.customer = orders[random() % orders.size()].customer;
  if (coin(3) && !orders.empty()) {
    const Micros a = orders[random() % orders.size()].created;
    const Micros b = orders[random() % orders.size()].created;
    r.filter.created_from = std::min(a, b);
    r.filter.created_to = std::max(a, b);
  }
  if (coin(4)) r.filter.min_amount = static_cast<Cents>(random() % 5000);
  if (coin(4)) r.filter.max_amount = static_cast<Cents>(random() % 20000);
  r.sort = static_cast<SortKey>(random() % 6);
  r.descending = coin(2);
  r.offset = coin(2) ? 0 : random() % 20;
  r.limit = 1 + random() % 15;
  return r;
}

// One page by offset, then every page by position: each equals the slice of
// the brute-force listing, with the same exact total.
inline void expect_listing_matches(const OrderViews& views, const std::vector<ModelOrder>& orders,
                                   ListingRequest r) {
  const std::vector<OrderSeq> want = brute_listing(orders, r);
  const ListingPage page = views.list(r);
  EXPECT_EQ(page.total, want.size());
  const std::size_t start = std::min(r.offset, want.size());
  const std::size_t end = std::min(start + r.limit, want.size());
  EXPECT_EQ(page.seqs, std::vector<OrderSeq>(want.begin() + start, want.begin() + end));
  EXPECT_EQ(page.next.has_value(), end < want.size() && end > start);

  // Up to 300 pages: the walk must be a prefix of the listing, and all of
  // it when the pages ran out first.
  r.offset = 0;
  r.after.reset();
  std::vector<OrderSeq> walked;
  bool ended = false;
  for (int pages = 0; pages < 300 && !ended; ++pages) {
    const ListingPage p = views.list(r);
    EXPECT_EQ(p.total, want.size());
    walked.insert(walked.end(), p.seqs.begin(), p.seqs.end());
    ended = !p.next;
    r.after = p.next;
  }
  ASSERT_LE(walked.size(), want.size());
  EXPECT_EQ(walked, std::vector<OrderSeq>(want.begin(), want.begin() + walked.size()));
  if (ended) {
    EXPECT_EQ(walked.size(), want.size());
  }
}

}  // namespace orderd::views::testing
