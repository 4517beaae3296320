// What recording a request's metrics costs: the pieces that run on the hot
// path per HTTP request (one HttpMetrics::record and two clock reads) and
// per order (three engine stage histograms), each timed alone. Multiplied
// out and set against orderd's CPU time per request, they give the
// recording overhead of the create benchmark (docs/performance.md).
#include <benchmark/benchmark.h>

#include <chrono>

#include "engine/latency_histogram.h"
#include "net/http_metrics.h"

namespace {

using namespace orderd;

void BM_HttpMetricsRecord(benchmark::State& state) {
  static net::HttpMetrics metrics;  // large: shared by the benchmark's threads
  Micros duration = 0;
  for (auto _ : state) {
    metrics.record(net::Route::kCreateOrder, 201, duration);
    duration = (duration + 37) & 4095;
  }
}
BENCHMARK(BM_HttpMetricsRecord)->Threads(1)->Threads(2)->UseRealTime();

void BM_LatencyHistogramRecord(benchmark::State& state) {
  static LatencyHistogram histogram;
  Micros value = 0;
  for (auto _ : state) {
    histogram.record(value);
    value = (value + 37) & 4095;
  }
}
BENCHMARK(BM_LatencyHistogramRecord)->Threads(1)->Threads(2)->UseRealTime();

void BM_SteadyClockNow(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(std::chrono::steady_clock::now());
}
BENCHMARK(BM_SteadyClockNow);

}  // namespace

BENCHMARK_MAIN();
