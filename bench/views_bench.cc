// The read models at scale: N orders resident (default 10,000,000) over a
// year of creation dates, a tenth of them managed (addresses, two
// currencies), for 100,000 customers. Reports
//   - the read models' memory per order (heap growth of a rebuild) and the
//     rebuild rate (what recovery adds, in orders per second);
//   - p50/p99 of every analytics question, of listing pages of 50 with each
//     filter and sort, deep pages by cursor, and customer pages;
//   - the same listing answered by a brute-force walk over the orders, for
//     the ratio.
//
// Usage: views_bench [orders] [repetitions]   (defaults 10,000,000 and 200)
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "views/order_views.h"

namespace {

using namespace orderd;
using Clock = std::chrono::steady_clock;

constexpr Micros kDay = 86'400'000'000;
constexpr std::size_t kCustomers = 100'000;
constexpr ProductId kProducts = 1000;

// Small blocks in the arenas plus the large ones malloc maps directly (the
// read models' column chunks are such).
std::size_t heap_in_use() {
  const struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}

// The process's resident set, from /proc/self/status.
double rss_mib() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  double kib = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "VmRSS: %lf kB", &kib) == 1) break;
  }
  std::fclose(f);
  return kib / 1024;
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

OrderSnapshot random_order(std::mt19937_64& random, Micros created, Micros now) {
  OrderSnapshot o;
  o.user_id = 1 + random() % kCustomers;
  const std::size_t lines = 1 + random() % 3;
  for (std::size_t i = 0; i < lines; ++i) {
    const ProductId id = 1 + (random() % kProducts);
    if (std::none_of(o.items.begin(), o.items.end(),
                     [id](const OrderItem& it) { return it.product_id == id; })) {
      o.items.push_back({id, static_cast<std::uint32_t>(1 + random() % 3), 0});
    }
  }
  o.client_total = static_cast<Cents>(500 + random() % 20'000);
  using S = OrderStatus;
  // A path through the lifecycle, each stage some hours after the last.
  static constexpr S kEnds[] = {S::kCompleted, S::kShipped,   S::kDelivered, S::kDelivered,
                                S::kDelivered, S::kCancelled, S::kReturned,  S::kPending};
  const S end = kEnds[random() % 8];
  std::vector<S> path = {S::kPending};
  if (end != S::kPending) path.push_back(S::kProcessing);
  if (end != S::kPending && end != S::kCancelled) path.push_back(S::kCompleted);
  if (end == S::kShipped || end == S::kDelivered || end == S::kReturned)
    path.push_back(S::kShipped);
  if (end == S::kDelivered || end == S::kReturned) path.push_back(S::kDelivered);
  if (end == S::kReturned) path.push_back(S::kReturned);
  if (end == S::kCancelled) path.push_back(S::kCancelled);
  Micros at = created;
  for (S s : path) {
    if (at >= now) break;
    o.status = s;
    o.at[timestamp_index(reached_at(s))] = at;
    at += static_cast<Micros>(1 + random() % 48) * 3'600'000'000;
  }
  if (random() % 10 == 0) {
    static const char* kCities[] = {"New York", "Seattle", "Austin",   "Boston", "Denver",
                                    "Chicago",  "Miami",   "Portland", "Dallas", "Phoenix"};
    OrderDetails d;
    d.currency = random() % 10 == 0 ? "EUR" : "USD";
    d.tax = 100;
    d.shipping = 599;
    d.shipping_address.city = kCities[random() % 10];
    d.shipping_address.country = "US";
    o.details = std::move(d);
  }
  return o;
}

void load(Engine& engine, std::size_t orders) {
  for (ProductId id = 1; id <= kProducts; ++id) {
    engine.catalog().add(id, "product", 100 + id, std::int64_t{1} << 40);
  }
  std::mt19937_64 random(1);
  const Micros now = wall_clock_micros();
  const Micros year = 365 * kDay;
  const auto began = Clock::now();
  for (std::size_t n = 0; n < orders; ++n) {
    const Micros created =
        now - year + static_cast<Micros>(n) * (year / static_cast<Micros>(orders));
    const SubmitResult r = engine.import_order(random_order(random, created, now));
    if (!r.ok()) {
      std::fprintf(stderr, "import failed at %zu: %s\n", n, r.message.c_str());
      std::exit(1);
    }
  }
  std::printf("loaded %zu orders in %.1f s\n", orders, seconds_since(began));
}

struct Latency {
  double p50_ms, p99_ms;
};

Latency measure(int repetitions, const std::function<void()>& question) {
  std::vector<double> ms;
  ms.reserve(repetitions);
  for (int i = 0; i < repetitions; ++i) {
    const auto t = Clock::now();
    question();
    ms.push_back(seconds_since(t) * 1e3);
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]};
}

void report(const char* what, Latency l) {
  std::printf("%-58s p50 %8.3f ms   p99 %8.3f ms\n", what, l.p50_ms, l.p99_ms);
}

// A listing answered the naive way: every order visited under its lock.
std::size_t brute_force_page(const Engine& engine, const views::ListingRequest& r) {
  std::vector<std::pair<std::int64_t, OrderSeq>> hits;
  engine.for_each_order([&](const Order& order) {
    MutexLock lock(order.lock);
    const OrderStatus s = order.status.load(std::memory_order_relaxed);
    if (!r.filter.statuses[status_index(s)]) return true;
    const Micros created = order.at[timestamp_index(OrderTimestamp::kCreated)];
    if (created < r.filter.created_from || created > r.filter.created_to) return true;
    hits.emplace_back(created, order.seq);
    return true;
  });
  const std::size_t k = std::min(hits.size(), r.limit);
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(k), hits.end(),
                    std::greater<>());
  return hits.size();
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t orders = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
  const int reps = argc > 2 ? std::atoi(argv[2]) : 200;
  EngineConfig config;
  config.workers = 1;
  config.capacity = orders + 1;
  config.max_products = kProducts + 1;
  Engine engine(config);
  load(engine, orders);

  views::OrderViews views;
  const double rss_before = rss_mib();
  const std::size_t heap_before = heap_in_use();
  const auto rebuild_began = Clock::now();
  views.rebuild_from(engine);
  const double rebuild_s = seconds_since(rebuild_began);
  const double bytes =
      static_cast<double>(heap_in_use() - heap_before) / static_cast<double>(orders);
  const double rss_after = rss_mib();
  std::printf(
      "read models: %.1f bytes per order (heap); RSS %.0f MiB without, %.0f MiB with "
      "(%.1f bytes per order); rebuilt (with the amount indexes) in %.2f s (%.2f M orders/s)\n",
      bytes, rss_before, rss_after, (rss_after - rss_before) * 1048576.0 / orders, rebuild_s,
      static_cast<double>(orders) / rebuild_s / 1e6);

  const auto [first_day, last_day] = views.days_used();
  report("daily figures, last 30 days",
         measure(reps, [&] { (void)views.days(last_day - 29, last_day); }));
  report("daily figures, all days (a year)",
         measure(reps, [&] { (void)views.days(first_day, last_day); }));
  report("30 single days (the daily route)", measure(reps, [&] {
           for (std::uint32_t d = last_day - 29; d <= last_day; ++d) (void)views.day(d);
         }));
  report("top 10 customers by revenue", measure(reps, [&] {
           (void)views.top_customers(views::OrderViews::RankBy::kRevenue, 10);
         }));
  report("top 10 customers by orders",
         measure(reps, [&] { (void)views.top_customers(views::OrderViews::RankBy::kOrders, 10); }));
  report("cities", measure(reps, [&] { (void)views.cities(); }));
  report("delivery times", measure(reps, [&] { (void)views.delivery(); }));

  struct Case {
    const char* name;
    std::function<void(views::ListingRequest&)> shape;
  };
  const Micros week_end = last_day * kDay, week_start = week_end - 7 * kDay;
  const Case cases[] = {
      {"listing: newest 50", [](views::ListingRequest&) {}},
      {"listing: oldest 50", [](views::ListingRequest& r) { r.descending = false; }},
      {"listing: status=shipped",
       [](views::ListingRequest& r) {
         r.filter.statuses = views::StatusSet().set(status_index(OrderStatus::kShipped));
       }},
      {"listing: status=pending (rare)",
       [](views::ListingRequest& r) {
         r.filter.statuses = views::StatusSet().set(status_index(OrderStatus::kPending));
       }},
      {"listing: one week",
       [&](views::ListingRequest& r) {
         r.filter.created_from = week_start;
         r.filter.created_to = week_end;
       }},
      {"listing: min_amount=150", [](views::ListingRequest& r) { r.filter.min_amount = 15'000; }},
      {"listing: sort by total_amount",
       [](views::ListingRequest& r) { r.sort = views::SortKey::kTotalAmount; }},
      {"listing: sort by updated_at",
       [](views::ListingRequest& r) { r.sort = views::SortKey::kUpdatedAt; }},
      {"listing: sort by status, one week",
       [&](views::ListingRequest& r) {
         r.sort = views::SortKey::kStatus;
         r.filter.created_from = week_start;
         r.filter.created_to = week_end;
       }},
      {"listing: offset 10,000", [](views::ListingRequest& r) { r.offset = 10'000; }},
      {"customer page (about 100 orders)",
       [](views::ListingRequest& r) { r.filter.customer = 4242; }},
      {"customer page, sort by total_amount",
       [](views::ListingRequest& r) {
         r.filter.customer = 4242;
         r.sort = views::SortKey::kTotalAmount;
       }},
  };
  const int listing_reps = std::max(5, reps / 4);
  {
    // The first amount question after the rebuild (which built the
    // amount indexes): no slower than the others.
    views::ListingRequest r;
    r.filter.min_amount = 1;
    report("first amount question after the rebuild", measure(1, [&] { (void)views.list(r); }));
  }
  for (const Case& c : cases) {
    views::ListingRequest r;
    r.limit = 50;
    c.shape(r);
    report(c.name, measure(listing_reps, [&] { (void)views.list(r); }));
  }
  // Deep by cursor: 200 pages in, then the next page.
  views::ListingRequest deep;
  deep.limit = 50;
  for (int page = 0; page < 200; ++page) deep.after = views.list(deep).next;
  report("listing: page 201 by cursor", measure(listing_reps, [&] { (void)views.list(deep); }));

  views::ListingRequest shipped;
  shipped.limit = 50;
  shipped.filter.statuses = views::StatusSet().set(status_index(OrderStatus::kShipped));
  const Latency fast = measure(listing_reps, [&] { (void)views.list(shipped); });
  const Latency slow = measure(3, [&] { (void)brute_force_page(engine, shipped); });
  report("brute force: status=shipped, newest 50", slow);
  std::printf("ratio brute force / read models (p50, status=shipped): %.0f x\n",
              slow.p50_ms / fast.p50_ms);
  return 0;
}
