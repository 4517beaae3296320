#include "net/metrics_page.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "engine/latency_histogram.h"
#include "metrics/process_stats.h"
#include "metrics/prometheus_writer.h"
#include "persistence/durability.h"
#include "persistence/log2_histogram.h"

namespace orderd::net {
namespace {

using metrics::Labels;
using metrics::MetricType;
using metrics::PrometheusWriter;
using persistence::Log2HistogramData;

// Prometheus wants base units: every duration on the page is in seconds.
constexpr double kMicrosPerSecond = 1e6;

double micros_to_seconds(double micros) { return micros / kMicrosPerSecond; }

std::int64_t as_int(std::uint64_t v) { return static_cast<std::int64_t>(v); }

std::int64_t as_int(bool v) { return v ? 1 : 0; }

constexpr std::array<double, kLatencyBucketBounds.size()> latency_bounds_in_seconds() {
  std::array<double, kLatencyBucketBounds.size()> out{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<double>(kLatencyBucketBounds[i]) / kMicrosPerSecond;
  }
  return out;
}
constexpr auto kLatencyBoundsSeconds = latency_bounds_in_seconds();

void latency_histogram(PrometheusWriter& w, std::string_view name, Labels labels,
                       const LatencySnapshot& s) {
  w.histogram(name, labels, kLatencyBoundsSeconds, s.counts,
              micros_to_seconds(static_cast<double>(s.sum)));
}

// A window of a log2 histogram's buckets as Prometheus buckets. Log2 bucket
// k holds [2^(k-1), 2^k), so the log2 buckets up to k are exactly the values
// below 2^k: each `le` the caller derives from 2^k is exact, not rounded.
// Buckets below kFirst fold into the first Prometheus bucket, those above
// kLast into +Inf.
template <std::size_t kFirst, std::size_t kLast>
struct Log2Window {
  static_assert(kFirst < kLast && kLast < persistence::kLog2Buckets);
  static constexpr std::size_t kBounds = kLast - kFirst + 1;

  // The finite bounds: limit(2^k) for k in [kFirst, kLast].
  template <typename Limit>
  static constexpr std::array<double, kBounds> bounds(Limit limit) {
    std::array<double, kBounds> out{};
    for (std::size_t i = 0; i < kBounds; ++i) {
      out[i] = limit(static_cast<double>(Log2HistogramData::bucket_limit(kFirst + i)));
    }
    return out;
  }

  // Non-cumulative counts, one per bound plus the overflow.
  static std::array<std::uint64_t, kBounds + 1> counts(const Log2HistogramData& d) {
    std::array<std::uint64_t, kBounds + 1> out{};
    for (std::size_t k = 0; k < persistence::kLog2Buckets; ++k) {
      std::size_t slot = k <= kFirst ? 0 : k > kLast ? kBounds : k - kFirst;
      out[slot] += d.buckets[k];
    }
    return out;
  }
};

// fsync times are whole microseconds, truncated: a recorded value below 2^k
// means a real duration below 2^k µs. 2^3 µs .. 2^24 µs (8 µs .. ~16.8 s).
using FsyncWindow = Log2Window<3, 24>;
constexpr auto kFsyncBoundsSeconds =
    FsyncWindow::bounds([](double micros) { return micros / kMicrosPerSecond; });

// Record counts are integers, so "below 2^k" is "at most 2^k - 1": le is
// 1, 3, 7, ... 2^20 - 1. (Powers of two as le would claim the batches of
// exactly 2^k records, which the log2 buckets cannot tell apart.)
using BatchWindow = Log2Window<1, 20>;
constexpr auto kBatchBounds = BatchWindow::bounds([](double limit) { return limit - 1; });

// A family with one unlabelled sample: a plain counter or gauge.
template <typename Value>
void single_sample(PrometheusWriter& w, std::string_view name, std::string_view help,
                   MetricType type, Value value) {
  w.family(name, help, type);
  w.sample(name, {}, value);
}

// A family with one unlabelled histogram (arguments as PrometheusWriter::histogram).
void single_histogram(PrometheusWriter& w, std::string_view name, std::string_view help,
                      std::span<const double> upper_bounds, std::span<const std::uint64_t> counts,
                      double sum) {
  w.family(name, help, MetricType::kHistogram);
  w.histogram(name, {}, upper_bounds, counts, sum);
}

// The same for a latency histogram, in seconds.
void single_histogram(PrometheusWriter& w, std::string_view name, std::string_view help,
                      const LatencySnapshot& s) {
  w.family(name, help, MetricType::kHistogram);
  latency_histogram(w, name, {}, s);
}

std::string status_code_label(std::size_t slot) {
  return slot == kOtherStatus ? "other" : std::to_string(kCountedStatuses[slot]);
}

void write_order_counters(PrometheusWriter& w, const EngineCounters& c) {
  single_sample(w, "orderd_orders_accepted_total",
                "Orders accepted (stock reserved, status Pending), including orders recovered at "
                "startup.",
                MetricType::kCounter, c.accepted);

  w.family("orderd_orders_rejected_total",
           "Order submissions refused before acceptance, by reason: stock (unknown product or "
           "not enough stock), invalid (malformed request), duplicate (order_id taken), capacity "
           "(too many orders in flight). Orders rejected after acceptance are counted in "
           "orderd_orders_rejected_in_processing_total.",
           MetricType::kCounter);
  constexpr std::string_view kReject = "orderd_orders_rejected_total";
  w.sample(kReject, {{"reason", "stock"}}, c.refused_stock);
  w.sample(kReject, {{"reason", "invalid"}}, c.refused_invalid);
  w.sample(kReject, {{"reason", "duplicate"}}, c.refused_duplicate);
  w.sample(kReject, {{"reason", "capacity"}}, c.refused_capacity);

  single_sample(w, "orderd_orders_rejected_in_processing_total",
                "Accepted orders that processing then rejected (e.g. total above the per-order "
                "limit), their stock released.",
                MetricType::kCounter, c.rejected);

  single_sample(w, "orderd_orders_completed_total", "Orders that reached Completed.",
                MetricType::kCounter, c.completed);

  single_sample(w, "orderd_orders_cancelled_total",
                "Orders cancelled before they shipped (Pending, Processing or Completed).",
                MetricType::kCounter, c.cancelled);
}

void write_order_gauges(PrometheusWriter& w, const Engine& engine, const EngineCounters& c) {
  w.family("orderd_orders", "Orders currently in each status.", MetricType::kGauge);
  for (std::size_t s = 0; s < kOrderStatusCount; ++s) {
    w.sample("orderd_orders", {{"status", status_name(static_cast<OrderStatus>(s))}},
             c.by_status[s]);
  }
  single_sample(w, "orderd_orders_in_flight",
                "Orders Pending or Processing, which count against the engine's capacity.",
                MetricType::kGauge, c.in_flight);

  single_sample(w, "orderd_queue_depth", "Accepted orders not yet taken by a worker (approximate).",
                MetricType::kGauge, c.queued);

  single_sample(w, "orderd_products", "Products in the catalog.", MetricType::kGauge,
                static_cast<std::int64_t>(engine.catalog().size()));

  single_sample(w, "orderd_products_out_of_stock",
                "Products in the catalog with no stock available.", MetricType::kGauge,
                static_cast<std::int64_t>(engine.catalog().out_of_stock_count()));
}

void write_order_latency(PrometheusWriter& w, const EngineHistograms& h) {
  single_histogram(w, "orderd_order_pending_seconds",
                   "Time orders spent Pending, from acceptance until a worker started processing "
                   "them, in seconds.",
                   h.pending);
  single_histogram(w, "orderd_order_processing_seconds",
                   "Time completed orders spent Processing, in seconds.", h.processing);
  single_histogram(w, "orderd_order_completion_seconds",
                   "Time from an order's acceptance to Completed, in seconds.", h.completion);
}

void write_http(PrometheusWriter& w, const HttpMetricsSnapshot& http) {
  constexpr std::string_view kRequests = "orderd_http_requests_total";
  w.family(kRequests, "HTTP responses sent, by route (method and path template) and status code.",
           MetricType::kCounter);
  for (std::size_t r = 0; r < kRouteCount; ++r) {
    const std::string_view route = route_label(static_cast<Route>(r));
    for (std::size_t slot = 0; slot < kStatusSlots; ++slot) {
      const std::uint64_t n = http.requests[r][slot];
      if (n == 0) continue;  // routes x codes is mostly empty
      w.sample(kRequests, {{"route", route}, {"code", status_code_label(slot)}}, as_int(n));
    }
  }

  constexpr std::string_view kDuration = "orderd_http_request_duration_seconds";
  w.family(kDuration, "Time the server took to answer a request, in seconds, by route.",
           MetricType::kHistogram);
  // Every route from the first scrape on, zeros included: rate() needs a
  // series to exist before its first increase, or that increase is lost.
  for (std::size_t r = 0; r < kRouteCount; ++r) {
    latency_histogram(w, kDuration, {{"route", route_label(static_cast<Route>(r))}},
                      http.durations[r]);
  }

  single_sample(w, "orderd_http_connections", "Open HTTP connections.", MetricType::kGauge,
                http.connections);
  single_sample(w, "orderd_http_connections_accepted_total", "HTTP connections accepted.",
                MetricType::kCounter, as_int(http.connections_accepted));
  single_sample(w, "orderd_http_connections_refused_total",
                "HTTP connections closed at once because the connection limit was reached.",
                MetricType::kCounter, as_int(http.connections_refused));
  single_sample(w, "orderd_http_tls_handshake_failures_total",
                "TLS handshakes that failed or did not finish within the read timeout (plain HTTP "
                "sent to the HTTPS port, an old protocol version, a client that said nothing).",
                MetricType::kCounter, as_int(http.tls_handshake_failures));
}

// The newest snapshot this process wrote; all zero until it writes one.
void write_last_snapshot(PrometheusWriter& w, const persistence::SnapshotInfo& last) {
  single_sample(w, "orderd_snapshot_last_orders",
                "Orders in the newest snapshot this process wrote.", MetricType::kGauge,
                as_int(last.orders));
  single_sample(w, "orderd_snapshot_last_bytes", "Size of the newest snapshot this process wrote.",
                MetricType::kGauge, as_int(last.bytes));
  single_sample(w, "orderd_snapshot_last_duration_seconds",
                "Time the newest snapshot took, from capture to synced file.", MetricType::kGauge,
                micros_to_seconds(static_cast<double>(last.total_micros)));
  single_sample(w, "orderd_snapshot_last_replay_from_sequence",
                "Journal sequence number a restart from the newest snapshot replays from.",
                MetricType::kGauge, as_int(last.replay_from_seq));
}

void write_journal(PrometheusWriter& w, const persistence::Durability& durability) {
  const persistence::DurabilityStats stats = durability.stats();
  const persistence::JournalStats& j = stats.journal;

  single_sample(w, "orderd_journal_records_total", "Records written to the journal.",
                MetricType::kCounter, as_int(j.records));
  single_sample(w, "orderd_journal_bytes_total",
                "Bytes written to journal segment files, record headers included.",
                MetricType::kCounter, as_int(j.bytes));
  single_sample(w, "orderd_journal_fsyncs_total",
                "Data syncs (fdatasync) of journal segment files.", MetricType::kCounter,
                as_int(j.fsyncs));

  single_sample(w, "orderd_journal_writes_total",
                "Writes to journal segment files, one per group commit.", MetricType::kCounter,
                as_int(j.batches));
  single_sample(w, "orderd_journal_segments_created_total",
                "Journal segment files this process created.", MetricType::kCounter,
                as_int(j.segments));
  single_sample(w, "orderd_journal_segments_deleted_total",
                "Journal segment files removed because a snapshot covers them.",
                MetricType::kCounter, as_int(stats.segments_deleted));
  single_sample(w, "orderd_journal_queued_bytes",
                "Bytes of records appended but not yet handed to the file.", MetricType::kGauge,
                as_int(j.queued_bytes));
  single_sample(w, "orderd_journal_queued_bytes_limit",
                "Past this many queued bytes the disk has fallen behind: writes wait, then are "
                "refused with 503 (--journal-queue-mib).",
                MetricType::kGauge, as_int(durability.options().max_queued_bytes));
  single_sample(w, "orderd_journal_writers_waiting",
                "Writes waiting for room in the journal now (the disk has fallen behind).",
                MetricType::kGauge, as_int(j.room_waiters));
  single_sample(w, "orderd_journal_writes_refused_total",
                "Writes refused with 503 because the journal had no room for them in time.",
                MetricType::kCounter, as_int(j.writes_refused));
  w.family("orderd_journal_sequence",
           "The journal's positions: the last sequence number appended, written (committed) "
           "and synced to disk.",
           MetricType::kGauge);
  w.sample("orderd_journal_sequence", {{"position", "appended"}}, as_int(j.last_seq));
  w.sample("orderd_journal_sequence", {{"position", "committed"}}, as_int(j.committed_seq));
  w.sample("orderd_journal_sequence", {{"position", "synced"}}, as_int(j.synced_seq));

  single_histogram(w, "orderd_journal_fsync_duration_seconds",
                   "Time each data sync of a journal segment file took, in seconds.",
                   kFsyncBoundsSeconds, FsyncWindow::counts(j.fsync_micros),
                   micros_to_seconds(static_cast<double>(j.fsync_micros.sum)));
  single_histogram(w, "orderd_journal_group_commit_records",
                   "Journal records written together in one group commit (one write per batch).",
                   kBatchBounds, BatchWindow::counts(j.records_per_batch),
                   static_cast<double>(j.records_per_batch.sum));

  single_sample(w, "orderd_snapshots_written_total", "Snapshots written by this process.",
                MetricType::kCounter, as_int(stats.snapshots_written));
  single_sample(w, "orderd_snapshot_failures_total", "Snapshots this process failed to write.",
                MetricType::kCounter, as_int(stats.snapshot_failures));

  single_sample(w, "orderd_snapshots_deleted_total",
                "Snapshot files removed because a newer snapshot replaced them.",
                MetricType::kCounter, as_int(stats.snapshots_deleted));
  write_last_snapshot(w, stats.last_snapshot);

  single_sample(w, "orderd_journal_healthy",
                "1 while the journal can write; 0 after an I/O error stopped writes (restart to "
                "recover).",
                MetricType::kGauge, as_int(durability.health().ok()));
}

void write_server(PrometheusWriter& w, const Api& api) {
  w.family("orderd_build_info", "Always 1; the version label names the running build.",
           MetricType::kGauge);
  w.sample("orderd_build_info", {{"version", api.info().version}}, std::int64_t{1});
  single_sample(w, "orderd_ready",
                "1 when the server is ready for traffic (as GET /health/ready reports), else 0.",
                MetricType::kGauge, as_int(api.ready()));
}

// The names and units every Prometheus client library uses, so standard
// process dashboards work unchanged. A figure the system did not give is
// left out rather than reported as 0.
void write_process(PrometheusWriter& w) {
  const metrics::ProcessStats p = metrics::read_process_stats();
  single_sample(w, "process_cpu_seconds_total", "User and system CPU time spent, in seconds.",
                MetricType::kCounter, p.cpu_seconds);
  if (p.resident_bytes > 0) {
    single_sample(w, "process_resident_memory_bytes", "Resident memory size, in bytes.",
                  MetricType::kGauge, p.resident_bytes);
  }
  if (p.virtual_bytes > 0) {
    single_sample(w, "process_virtual_memory_bytes", "Virtual memory size, in bytes.",
                  MetricType::kGauge, p.virtual_bytes);
  }
  if (p.open_fds > 0) {
    single_sample(w, "process_open_fds", "Open file descriptors.", MetricType::kGauge, p.open_fds);
  }
  if (p.max_fds > 0) {
    single_sample(w, "process_max_fds", "Maximum number of open file descriptors (soft limit).",
                  MetricType::kGauge, p.max_fds);
  }
  if (p.start_time_seconds > 0) {
    single_sample(w, "process_start_time_seconds",
                  "Start time of the process since the Unix epoch, in seconds.", MetricType::kGauge,
                  p.start_time_seconds);
  }
}

}  // namespace

void write_metrics_page(const Api& api, std::string& out) {
  out.clear();
  PrometheusWriter w(out);
  const Engine& engine = api.engine();
  const EngineCounters counters = engine.counters();
  write_order_counters(w, counters);
  write_order_gauges(w, engine, counters);
  write_order_latency(w, engine.histograms());
  write_http(w, api.http_metrics().snapshot());
  if (const persistence::Durability* durability = api.storage()) write_journal(w, *durability);
  write_server(w, api);
  write_process(w);
}

}  // namespace orderd::net
