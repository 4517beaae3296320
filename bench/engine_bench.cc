// Engine micro and end-to-end benchmarks (no HTTP, no disk).
#include <benchmark/benchmark.h>
#include <concurrentqueue/concurrentqueue.h>

#include <string>
#include <vector>

#include "engine/engine.h"
#include "views/order_views.h"

namespace orderd {
namespace {

// --- queue ------------------------------------------------------------------

void BM_QueueEnqueueDequeueSingleWithTokens(benchmark::State& state) {
  moodycamel::ConcurrentQueue<void*> q(1024);
  moodycamel::ProducerToken ptok(q);
  moodycamel::ConsumerToken ctok(q);
  void* item = &q;
  for (auto _ : state) {
    q.enqueue(ptok, item);
    void* out = nullptr;
    q.try_dequeue(ctok, out);
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_QueueEnqueueDequeueSingleWithTokens);

void BM_QueueEnqueueDequeueBulkWithTokens(benchmark::State& state) {
  constexpr std::size_t kBatch = 256;
  moodycamel::ConcurrentQueue<void*> q(4 * kBatch);
  moodycamel::ProducerToken ptok(q);
  moodycamel::ConsumerToken ctok(q);
  std::vector<void*> in(kBatch, &q), out(kBatch);
  for (auto _ : state) {
    q.enqueue_bulk(ptok, in.data(), kBatch);
    std::size_t n = q.try_dequeue_bulk(ctok, out.data(), kBatch);
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_QueueEnqueueDequeueBulkWithTokens);

// --- stock reservation -------------------------------------------------------

constexpr ProductId kProducts = 1000;
constexpr std::int64_t kPlentifulStock = std::int64_t{1} << 46;

// Each thread reserves its own products: no two threads touch one lock.
void BM_StockReserveUncontended(benchmark::State& state) {
  static Catalog* catalog = nullptr;
  if (state.thread_index() == 0) {
    catalog = new Catalog(2 * kProducts);
    for (ProductId id = 1; id <= kProducts; ++id) catalog->add(id, "p", 100, kPlentifulStock);
  }
  ProductId base = 1 + static_cast<ProductId>(state.thread_index()) * 100;
  OrderItem item{base, 1, 0};
  std::span<const OrderItem> items(&item, 1);
  std::uint64_t i = 0;
  for (auto _ : state) {
    item.product_id = base + (i++ & 63);
    benchmark::DoNotOptimize(catalog->reserve(items, nullptr));
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    delete catalog;
    catalog = nullptr;
  }
}
BENCHMARK(BM_StockReserveUncontended)->Threads(1)->Threads(2)->UseRealTime();

// Every thread reserves the same product.
void BM_StockReserveOneHotProduct(benchmark::State& state) {
  static Catalog* catalog = nullptr;
  if (state.thread_index() == 0) {
    catalog = new Catalog(16);
    catalog->add(1, "hot", 100, kPlentifulStock);
  }
  OrderItem item{1, 1, 0};
  std::span<const OrderItem> items(&item, 1);
  for (auto _ : state) benchmark::DoNotOptimize(catalog->reserve(items, nullptr));
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    delete catalog;
    catalog = nullptr;
  }
}
BENCHMARK(BM_StockReserveOneHotProduct)->Threads(1)->Threads(2)->UseRealTime();

// --- end to end: submit → Completed -----------------------------------------

// Submits state.range(1) orders of 3 items from the benchmark thread and
// waits until all are Completed; range(0) is the worker count. With
// range(2) = 1 the read models are fed every change (as orderd does),
// each order of its own customer (their worst case: a new customer per
// order).
void BM_EngineSubmitToCompleted(benchmark::State& state) {
  const unsigned workers = static_cast<unsigned>(state.range(0));
  const int orders = static_cast<int>(state.range(1));
  const bool with_views = state.range(2) != 0;
  std::vector<std::string> ids(orders);
  for (int i = 0; i < orders; ++i) ids[i] = "order-" + std::to_string(i);
  std::int64_t total = 0;
  for (auto _ : state) {
    state.PauseTiming();
    EngineConfig config;
    config.workers = workers;
    config.capacity = static_cast<std::size_t>(orders);
    auto views = std::make_unique<views::OrderViews>();
    auto engine = std::make_unique<Engine>(config);
    for (ProductId id = 1; id <= kProducts; ++id) {
      engine->catalog().add(id, "p", 100, kPlentifulStock);
    }
    if (with_views) engine->set_event_sink(views.get());
    engine->start();
    auto producer = engine->make_producer();
    state.ResumeTiming();

    for (int i = 0; i < orders; ++i) {
      ProductId p = 1 + static_cast<ProductId>(i) % (kProducts - 2);
      ItemRequest items[3] = {{p, 1}, {p + 1, 2}, {p + 2, 1}};
      auto r = engine->submit({ids[i], static_cast<UserId>(i), items, 1000}, &producer);
      if (!r.ok()) state.SkipWithError(r.message.c_str());
    }
    while (engine->counters().completed < orders) std::this_thread::yield();

    state.PauseTiming();
    total += orders;
    engine.reset();
    views.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(total);
  state.counters["orders_per_s"] =
      benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EngineSubmitToCompleted)
    ->ArgNames({"workers", "orders", "views"})
    ->Args({1, 1'000'000, 0})
    ->Args({1, 1'000'000, 1})
    ->Args({2, 1'000'000, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

}  // namespace
}  // namespace orderd

BENCHMARK_MAIN();
