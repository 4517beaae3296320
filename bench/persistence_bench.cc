// Durability benchmarks: the journal's group commit under each fsync
// policy, snapshots, and recovery speed. Files go to a fresh directory under
// the system's temporary directory (set TMPDIR to measure another disk),
// removed afterwards.
//
// Scenarios (each runs once per repetition, timed by hand):
//   BM_GroupCommit/policy/clients      each client appends an order's
//       acceptance record and waits until it is durable, again and again,
//       as a create request does before its 201
//   BM_AppendThroughput/policy/threads threads append without waiting; the
//       time includes committing the last record
//   BM_ReplayJournal                   recovery from the journal alone
//   BM_SnapshotMillionOrders           writing a snapshot of 1,000,000 orders
//   BM_RecoverMillionOrders            snapshot of 1,000,000 orders plus the
//       journal written after it, back into a fresh engine
//   BM_CreateLatencyDuringSnapshot/snapshot   create latency (submit + wait
//       durable, fsync always) with 1,000,000 orders in memory, without (0)
//       and with (1) snapshots being written back to back
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "persistence/durability.h"
#include "persistence/journal_writer.h"
#include "persistence/record_codec.h"
#include "persistence/recovery.h"
#include "views/order_views.h"

namespace orderd::persistence {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A directory of its own under the temporary directory, removed on exit.
class BenchDir {
 public:
  BenchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "orderd-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~BenchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }
  std::string sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Percentiles of a sample, exact.
struct Percentiles {
  double p50 = 0, p99 = 0, p999 = 0, max = 0, mean = 0;
};

Percentiles percentiles(std::vector<double> v) {
  Percentiles p;
  if (v.empty()) return p;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * v.size()))];
  };
  p.p50 = at(0.50);
  p.p99 = at(0.99);
  p.p999 = at(0.999);
  p.max = v.back();
  double sum = 0;
  for (double x : v) sum += x;
  p.mean = sum / static_cast<double>(v.size());
  return p;
}

// The real file system, timing every data sync.
class TimingFileSystem final : public FileSystem {
 public:
  std::vector<double> sync_micros() {
    std::lock_guard guard(mutex_);
    return sync_micros_;
  }

  Status create_file(const std::string& path, std::unique_ptr<WritableFile>* file) override {
    std::unique_ptr<WritableFile> base;
    if (Status s = posix_file_system().create_file(path, &base); !s.ok()) return s;
    *file = std::make_unique<File>(*this, std::move(base));
    return Status();
  }
  Status open_file(const std::string& path, std::unique_ptr<ReadableFile>* file) override {
    return posix_file_system().open_file(path, file);
  }
  Status file_size(const std::string& path, std::uint64_t* size) override {
    return posix_file_system().file_size(path, size);
  }
  Status list_dir(const std::string& dir, std::vector<std::string>* names) override {
    return posix_file_system().list_dir(dir, names);
  }
  Status create_dir(const std::string& dir) override { return posix_file_system().create_dir(dir); }
  Status sync_dir(const std::string& dir) override { return posix_file_system().sync_dir(dir); }
  Status rename_file(const std::string& from, const std::string& to) override {
    return posix_file_system().rename_file(from, to);
  }
  Status remove_file(const std::string& path) override {
    return posix_file_system().remove_file(path);
  }
  Status truncate_file(const std::string& path, std::uint64_t size) override {
    return posix_file_system().truncate_file(path, size);
  }
  Status lock_directory(const std::string& dir, std::unique_ptr<DirectoryLock>* lock) override {
    return posix_file_system().lock_directory(dir, lock);
  }

 private:
  class File final : public WritableFile {
   public:
    File(TimingFileSystem& fs, std::unique_ptr<WritableFile> base)
        : fs_(fs), base_(std::move(base)) {}
    Status append(std::string_view data) override { return base_->append(data); }
    Status sync() override {
      auto start = Clock::now();
      Status s = base_->sync();
      double micros = seconds_since(start) * 1e6;
      std::lock_guard guard(fs_.mutex_);
      fs_.sync_micros_.push_back(micros);
      return s;
    }
    Status start_writeback() override { return base_->start_writeback(); }
    Status close() override { return base_->close(); }

   private:
    TimingFileSystem& fs_;
    std::unique_ptr<WritableFile> base_;
  };

  std::mutex mutex_;
  std::vector<double> sync_micros_;
};

FsyncPolicy policy_of(std::int64_t arg) {
  switch (arg) {
    case 0:
      return FsyncPolicy::always();
    case 1:
      return FsyncPolicy::every(std::chrono::milliseconds(10));
    default:
      return FsyncPolicy::never();
  }
}

// The payload of a typical acceptance record: two items, a short id.
std::string typical_order_payload() {
  OrderSnapshot o;
  o.seq = 123456;
  o.client_id = "order-00123456";
  o.user_id = 4242;
  o.items = {{101, 1, 0}, {205, 3, 0}};
  o.client_total = 12999;
  o.at[0] = wall_clock_micros();
  std::string payload;
  encode_order(o, &payload);
  return payload;
}

void report_journal(benchmark::State& state, JournalWriter& journal, TimingFileSystem& fs,
                    double seconds, std::uint64_t records) {
  JournalStats stats = journal.stats();
  Percentiles sync = percentiles(fs.sync_micros());
  state.SetIterationTime(seconds);
  state.counters["records_per_s"] = static_cast<double>(records) / seconds;
  state.counters["records_per_fsync"] = stats.records_per_fsync();
  state.counters["fsyncs_per_s"] = static_cast<double>(stats.fsyncs) / seconds;
  state.counters["fsync_us_p50"] = sync.p50;
  state.counters["fsync_us_p99"] = sync.p99;
  state.counters["fsync_us_mean"] = sync.mean;
  state.counters["MB_per_s"] = static_cast<double>(stats.bytes) / seconds / 1e6;
}

// --- group commit ---------------------------------------------------------------

void BM_GroupCommit(benchmark::State& state) {
  const FsyncPolicy policy = policy_of(state.range(0));
  const int clients = static_cast<int>(state.range(1));
  const auto duration = std::chrono::milliseconds(1500);
  const std::string payload = typical_order_payload();
  for (auto _ : state) {
    BenchDir dir;
    TimingFileSystem fs;
    std::unique_ptr<JournalWriter> journal;
    JournalWriterOptions options;
    options.fsync = policy;
    if (!JournalWriter::open(fs, dir.path(), 1, options, &journal).ok()) std::abort();
    std::atomic<bool> stop{false};
    std::vector<std::vector<double>> ack_micros(clients);
    std::vector<std::thread> threads;
    auto start = Clock::now();
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&, c] {
        while (!stop.load(std::memory_order_relaxed)) {
          auto t0 = Clock::now();
          std::uint64_t seq = journal->append(format::RecordType::kOrderAccepted, payload);
          if (!journal->wait_committed(seq).ok()) std::abort();
          ack_micros[c].push_back(seconds_since(t0) * 1e6);
        }
      });
    }
    std::this_thread::sleep_for(duration);
    stop.store(true);
    for (auto& t : threads) t.join();
    const double seconds = seconds_since(start);
    std::vector<double> all;
    for (auto& v : ack_micros) all.insert(all.end(), v.begin(), v.end());
    report_journal(state, *journal, fs, seconds, all.size());
    Percentiles ack = percentiles(all);
    state.counters["ack_us_p50"] = ack.p50;
    state.counters["ack_us_p99"] = ack.p99;
    (void)journal->close();
  }
}
BENCHMARK(BM_GroupCommit)
    ->ArgNames({"policy", "clients"})
    ->ArgsProduct({{0, 1, 2}, {1, 16, 64}})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

void BM_AppendThroughput(benchmark::State& state) {
  const FsyncPolicy policy = policy_of(state.range(0));
  const int threads_count = static_cast<int>(state.range(1));
  constexpr int kRecordsPerThread = 400'000;
  const std::string payload = typical_order_payload();
  for (auto _ : state) {
    BenchDir dir;
    TimingFileSystem fs;
    std::unique_ptr<JournalWriter> journal;
    JournalWriterOptions options;
    options.fsync = policy;
    if (!JournalWriter::open(fs, dir.path(), 1, options, &journal).ok()) std::abort();
    std::vector<std::thread> threads;
    auto start = Clock::now();
    for (int t = 0; t < threads_count; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < kRecordsPerThread; ++i) {
          journal->append(format::RecordType::kOrderAccepted, payload);
        }
      });
    }
    for (auto& t : threads) t.join();
    if (!journal->wait_committed(journal->next_seq() - 1).ok()) std::abort();
    const double seconds = seconds_since(start);
    report_journal(state, *journal, fs, seconds,
                   static_cast<std::uint64_t>(threads_count) * kRecordsPerThread);
    (void)journal->close();
  }
}
BENCHMARK(BM_AppendThroughput)
    ->ArgNames({"policy", "threads"})
    ->ArgsProduct({{0, 1, 2}, {1, 4}})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

// --- a million orders ----------------------------------------------------------------

constexpr int kMillion = 1'000'000;
constexpr ProductId kProducts = 1000;

EngineConfig big_engine_config() {
  EngineConfig c;
  c.workers = 2;
  c.capacity = std::size_t{2} * kMillion;
  return c;
}

// Submits `count` orders named prefix0... from two threads and waits until
// every one is completed.
void populate(Engine& engine, const std::string& prefix, int count) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      auto producer = engine.make_producer();
      std::uint64_t rng = 0x1234567ULL + static_cast<std::uint64_t>(t);
      for (int i = t; i < count; i += 2) {
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        ItemRequest items[2] = {
            {1 + (rng >> 20) % kProducts, 1 + static_cast<std::uint32_t>(rng >> 60)},
            {1 + (rng >> 40) % kProducts, 1}};
        std::string id = prefix + std::to_string(i);
        while (
            !engine.submit({id, static_cast<UserId>(i % 5000), {items, 2}, 5000}, &producer).ok()) {
          std::this_thread::yield();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  while (engine.counters().in_flight != 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void add_catalog(Engine& engine) {
  for (ProductId id = 1; id <= kProducts; ++id) {
    engine.catalog().add(id, "product " + std::to_string(id), 100 + static_cast<Cents>(id),
                         std::int64_t{1} << 40);
  }
}

DurabilityOptions quiet_options(FsyncPolicy policy) {
  DurabilityOptions o;
  o.fsync = policy;
  o.snapshot_max_bytes_per_second = 0;
  o.snapshot_interval = std::chrono::milliseconds(0);
  o.snapshot_journal_bytes = 0;
  o.segment_bytes = 256ull << 20;
  o.reporter = [](Severity, const std::string&) {};
  return o;
}

// Data directories built once per process: a journal of a million orders
// (journal_only), and a snapshot of a million orders plus the journal of
// 100,000 more written after it (with_snapshot).
struct MillionOrders {
  BenchDir dir;
  std::string journal_only = dir.sub("journal-only");
  std::string with_snapshot = dir.sub("with-snapshot");
  std::uint64_t journal_records = 0;
  std::uint64_t live_digest = 0;
  SnapshotInfo snapshot;

  MillionOrders() {
    {
      Engine engine(big_engine_config());
      std::unique_ptr<Durability> d;
      if (!Durability::open(journal_only, quiet_options(FsyncPolicy::never()), engine, &d).ok()) {
        std::abort();
      }
      add_catalog(engine);
      engine.start();
      populate(engine, "m", kMillion);
      engine.stop();
      journal_records = d->stats().journal.records;
      (void)d->close();
    }
    Engine engine(big_engine_config());
    std::unique_ptr<Durability> d;
    if (!Durability::open(with_snapshot, quiet_options(FsyncPolicy::never()), engine, &d).ok()) {
      std::abort();
    }
    add_catalog(engine);
    engine.start();
    populate(engine, "m", kMillion);
    if (!d->snapshot_now(&snapshot).ok()) std::abort();
    populate(engine, "n", kMillion / 10);
    engine.stop();
    live_digest = engine.state_digest();
    (void)d->close();
  }
};

MillionOrders& million_orders() {
  static MillionOrders data;
  return data;
}

// Recovers `dir` into `engine` and returns the seconds it took; a failed
// recovery aborts the benchmark, whose figures would be meaningless.
double timed_recover(const std::string& dir, Engine& engine, RecoveryResult* result) {
  auto start = Clock::now();
  if (!recover(posix_file_system(), dir, {}, engine, result).ok()) std::abort();
  return seconds_since(start);
}

void BM_ReplayJournal(benchmark::State& state) {
  MillionOrders& data = million_orders();
  for (auto _ : state) {
    Engine engine(big_engine_config());
    RecoveryResult result;
    const double seconds = timed_recover(data.journal_only, engine, &result);
    state.SetIterationTime(seconds);
    const double records =
        static_cast<double>(result.records_replayed + result.records_already_applied);
    state.counters["records"] = records;
    state.counters["records_per_s"] = records / seconds;
    state.counters["orders"] = static_cast<double>(engine.counters().accepted);
  }
}
BENCHMARK(BM_ReplayJournal)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

// What orderd's start-up does: the replay, then the read models rebuilt
// from the recovered orders (views/order_views.h), timed together.
void BM_ReplayJournalAndRebuildReadModels(benchmark::State& state) {
  MillionOrders& data = million_orders();
  for (auto _ : state) {
    Engine engine(big_engine_config());
    views::OrderViews views;
    RecoveryResult result;
    const auto start = Clock::now();
    if (!recover(posix_file_system(), data.journal_only, {}, engine, &result).ok()) std::abort();
    const double replay_seconds = seconds_since(start);
    views.rebuild_from(engine);
    const double seconds = seconds_since(start);
    state.SetIterationTime(seconds);
    const double records =
        static_cast<double>(result.records_replayed + result.records_already_applied);
    state.counters["records_per_s"] = records / seconds;
    state.counters["replay_s"] = replay_seconds;
    state.counters["rebuild_s"] = seconds - replay_seconds;
    if (views.orders() != engine.counters().accepted) std::abort();
  }
}
BENCHMARK(BM_ReplayJournalAndRebuildReadModels)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

void BM_RecoverMillionOrders(benchmark::State& state) {
  MillionOrders& data = million_orders();
  for (auto _ : state) {
    Engine engine(big_engine_config());
    RecoveryResult result;
    const double seconds = timed_recover(data.with_snapshot, engine, &result);
    state.SetIterationTime(seconds);
    if (engine.state_digest() != data.live_digest) std::abort();  // outside the timing
    state.counters["orders"] = static_cast<double>(engine.counters().accepted);
    state.counters["snapshot_orders"] = static_cast<double>(result.snapshot_orders);
    state.counters["snapshot_s"] = static_cast<double>(result.snapshot_micros) / 1e6;
    state.counters["replayed_records"] = static_cast<double>(result.records_replayed);
    state.counters["replay_s"] = static_cast<double>(result.replay_micros) / 1e6;
  }
}
BENCHMARK(BM_RecoverMillionOrders)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_SnapshotMillionOrders(benchmark::State& state) {
  MillionOrders& data = million_orders();
  for (auto _ : state) {
    BenchDir scratch;
    std::filesystem::copy(data.with_snapshot, scratch.sub("data"));
    std::filesystem::remove(scratch.sub("data") + "/LOCK");
    Engine engine(big_engine_config());
    std::unique_ptr<Durability> d;
    if (!Durability::open(scratch.sub("data"), quiet_options(FsyncPolicy::always()), engine, &d)
             .ok()) {
      std::abort();
    }
    SnapshotInfo info;
    auto start = Clock::now();
    if (!d->snapshot_now(&info).ok()) std::abort();
    const double seconds = seconds_since(start);
    state.SetIterationTime(seconds);
    state.counters["orders"] = static_cast<double>(info.orders);
    state.counters["MB"] = static_cast<double>(info.bytes) / 1e6;
    state.counters["capture_s"] = static_cast<double>(info.capture_micros) / 1e6;
    (void)d->close();
  }
}
BENCHMARK(BM_SnapshotMillionOrders)->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_CreateLatencyDuringSnapshot(benchmark::State& state) {
  // 0: no snapshots; otherwise the snapshot write cap in MiB/s (1024: none).
  const bool snapshots = state.range(0) != 0;
  const std::uint64_t cap = state.range(0) >= 1024 ? 0 : std::uint64_t(state.range(0)) << 20;
  constexpr int kClients = 16;
  const auto duration = std::chrono::seconds(3);
  for (auto _ : state) {
    BenchDir dir;
    Engine engine(big_engine_config());
    std::unique_ptr<Durability> d;
    DurabilityOptions options = quiet_options(FsyncPolicy::always());
    options.snapshot_max_bytes_per_second = cap;
    if (!Durability::open(dir.sub("data"), options, engine, &d).ok()) std::abort();
    add_catalog(engine);
    engine.start();
    populate(engine, "m", kMillion);
    if (!d->wait_durable(d->last_token()).ok()) std::abort();

    const JournalStats journal_before = d->stats().journal;
    const Log2HistogramData fsync_before = journal_before.fsync_micros;
    const std::uint64_t records_before = journal_before.records;
    const std::uint64_t fsyncs_before = journal_before.fsyncs;
    std::atomic<bool> stop{false};
    std::atomic<int> snapshots_taken{0};
    // Back to back on the durability's own background thread, as the
    // periodic and admin-requested snapshots run.
    std::thread snapshotter([&] {
      while (snapshots && !stop.load()) {
        std::promise<Status> done;
        d->request_snapshot([&](const Status& s, const SnapshotInfo&) { done.set_value(s); });
        if (done.get_future().get().ok()) snapshots_taken.fetch_add(1);
      }
    });
    std::vector<std::vector<double>> latencies(kClients);
    std::vector<std::thread> clients;
    auto start = Clock::now();
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] {
        auto producer = engine.make_producer();
        ItemRequest items[1] = {{1 + static_cast<ProductId>(c), 1}};
        for (int i = 0; !stop.load(std::memory_order_relaxed); ++i) {
          std::string id = "c" + std::to_string(c) + "-" + std::to_string(i);
          auto t0 = Clock::now();
          auto r = engine.submit({id, 1, {items, 1}, 100}, &producer);
          if (!r.ok() || !d->wait_durable(r.durable_token).ok()) std::abort();
          latencies[c].push_back(seconds_since(t0) * 1e6);
        }
      });
    }
    std::this_thread::sleep_for(duration);
    stop.store(true);
    for (auto& t : clients) t.join();
    snapshotter.join();
    const double seconds = seconds_since(start);
    std::vector<double> all;
    for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
    Percentiles p = percentiles(all);
    state.SetIterationTime(seconds);
    state.counters["creates_per_s"] = static_cast<double>(all.size()) / seconds;
    state.counters["create_us_p50"] = p.p50;
    state.counters["create_us_p99"] = p.p99;
    state.counters["create_us_p999"] = p.p999;
    state.counters["snapshots"] = snapshots_taken.load();
    JournalStats journal = d->stats().journal;
    state.counters["fsync_us_mean"] =
        static_cast<double>(journal.fsync_micros.sum - fsync_before.sum) /
        static_cast<double>(
            std::max<std::uint64_t>(1, journal.fsync_micros.count - fsync_before.count));
    Log2HistogramData fsync_during = journal.fsync_micros;
    for (std::size_t i = 0; i < kLog2Buckets; ++i)
      fsync_during.buckets[i] -= fsync_before.buckets[i];
    fsync_during.count -= fsync_before.count;
    state.counters["fsync_us_p99_bound"] =
        static_cast<double>(fsync_during.quantile_upper_bound(0.99));
    state.counters["records_per_fsync"] =
        static_cast<double>(journal.records - records_before) /
        static_cast<double>(std::max<std::uint64_t>(1, journal.fsyncs - fsyncs_before));
    engine.stop();
    (void)d->close();
  }
}
BENCHMARK(BM_CreateLatencyDuringSnapshot)
    ->ArgNames({"snapshot_MiBps"})
    ->Arg(0)
    ->Arg(32)
    ->Arg(1024)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace orderd::persistence

BENCHMARK_MAIN();
