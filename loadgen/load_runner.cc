#include "loadgen/load_runner.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "base/mutex.h"
#include "base/thread_annotations.h"
#include "loadgen/connection.h"
#include "loadgen/zipf_sampler.h"

namespace orderd::loadgen {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kReportInterval = std::chrono::seconds(1);
// How quickly a stop request or the end of the last thread is noticed.
constexpr auto kPollInterval = std::chrono::milliseconds(100);

struct PhaseSpec {
  std::optional<RequestKind> fixed_kind;
  double rate = 0;
  std::uint32_t connections = 1;
  std::uint32_t threads = 1;
  Clock::duration warmup{};
  std::optional<Clock::duration> duration;
  std::optional<std::uint64_t> request_limit;
  std::uint64_t seed_salt = 0;
  bool report = false;  // call the observer's on_phase / on_interval
};

struct PhaseOutcome {
  RequestStats stats;
  double measured_seconds = 0;
  std::uint64_t offered = 0;
  CpuTimes cpu;
  bool interrupted = false;
};

struct ThreadSlot {
  asio::io_context io{1};  // one thread runs it, so Asio may skip its locking
  Recorder recorder;
  std::vector<std::unique_ptr<Connection>> connections;
  std::thread thread;
};

// Everything a phase's threads and the reporting thread share.
struct PhaseSync {
  Mutex mutex;
  CondVar changed;                             // with mutex
  std::uint32_t opened GUARDED_BY(mutex) = 0;  // connections whose first connect has completed
  std::string open_error GUARDED_BY(mutex);
  std::uint32_t threads_done GUARDED_BY(mutex) = 0;
  std::string thread_error GUARDED_BY(mutex);
};

class PhaseRunner {
 public:
  PhaseRunner(const RunOptions& options, const PhaseSpec& spec,
              const tcp::resolver::results_type& endpoints, const RequestShape& shape,
              const ZipfSampler& products, std::uint64_t base_seed, const std::atomic<bool>* stop,
              const RunObserver& observer)
      : options_(options), spec_(spec), stop_(stop), observer_(observer) {
    control_.fixed_kind = spec.fixed_kind;
    control_.mix = RequestMix(options.workload, options.create_percent);
    control_.rate = spec.rate;
    control_.connection_count = spec.connections;
    control_.request_limit = spec.request_limit;
    control_.timeout = std::chrono::duration_cast<Clock::duration>(options.timeout);
    control_.endpoints = endpoints;
    slots_.reserve(spec.threads);
    for (std::uint32_t t = 0; t < spec.threads; ++t)
      slots_.push_back(std::make_unique<ThreadSlot>());
    std::uint64_t seed_state = base_seed ^ spec.seed_salt;
    for (std::uint32_t i = 0; i < spec.connections; ++i) {
      ThreadSlot& slot = *slots_[i % spec.threads];
      slot.connections.push_back(std::make_unique<Connection>(
          slot.io, control_, slot.recorder, RequestBuilder(options.url, shape, products, i),
          Random::splitmix64(seed_state), i));
    }
  }

  ~PhaseRunner() {
    // Only reached early by an exception: make sure no thread outlives its slot.
    for (auto& slot : slots_) {
      slot->io.stop();
      if (slot->thread.joinable()) slot->thread.join();
    }
  }

  PhaseOutcome run();

 private:
  struct Supervision {
    bool measuring = false;  // the warm-up had ended
    CpuTimes cpu_at_measure_start;
    std::optional<Clock::time_point> stopped_at;  // when a stop was requested
  };

  // Reports each second and passes on a stop request until every thread is done.
  Supervision supervise() EXCLUDES(sync_.mutex);
  Clock::time_point measured_end(Clock::time_point last_event,
                                 std::optional<Clock::time_point> stopped_at,
                                 Clock::time_point finished_at, const RequestStats& stats) const;
  std::uint64_t offered_requests(std::optional<Clock::time_point> stopped_at) const;
  void start_threads();
  // Returns the first connection's error; empty if all connected.
  std::string open_connections() EXCLUDES(sync_.mutex);
  void begin_connections();
  void interrupt_connections();
  void report_interval(Clock::time_point now);
  void announce(std::string_view phase) const {
    if (spec_.report && observer_.on_phase) observer_.on_phase(phase);
  }
  bool stop_requested() const { return stop_ != nullptr && stop_->load(); }

  const RunOptions& options_;
  const PhaseSpec& spec_;
  const std::atomic<bool>* stop_;
  const RunObserver& observer_;
  PhaseControl control_;
  std::vector<std::unique_ptr<ThreadSlot>> slots_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
  PhaseSync sync_;
  Clock::time_point last_report_;
  RequestStats scratch_;
};

void PhaseRunner::start_threads() {
  for (auto& slot : slots_) {
    guards_.push_back(asio::make_work_guard(slot->io));
    slot->thread = std::thread([this, &slot = *slot] {
      std::string error;
      try {
        slot.io.run();
      } catch (const std::exception& e) {
        error = e.what();
      }
      MutexLock lock(sync_.mutex);
      ++sync_.threads_done;
      if (!error.empty() && sync_.thread_error.empty()) sync_.thread_error = error;
      sync_.changed.notify_all();
    });
  }
}

std::string PhaseRunner::open_connections() {
  for (auto& slot : slots_) {
    asio::post(slot->io, [this, &slot = *slot] {
      for (auto& connection : slot.connections) {
        connection->open([this](const std::string& error) {
          MutexLock lock(sync_.mutex);
          ++sync_.opened;
          if (!error.empty() && sync_.open_error.empty()) sync_.open_error = error;
          sync_.changed.notify_all();
        });
      }
    });
  }
  MutexLock lock(sync_.mutex);
  while (sync_.opened != spec_.connections) sync_.changed.wait(sync_.mutex);
  return sync_.open_error;
}

void PhaseRunner::begin_connections() {
  // The plan is written before the posts, which order it before any use.
  control_.start = Clock::now();
  control_.measure_start = control_.start + spec_.warmup;
  if (spec_.duration) control_.deadline = control_.measure_start + *spec_.duration;
  for (auto& slot : slots_) {
    asio::post(slot->io, [&slot = *slot] {
      for (auto& connection : slot.connections) connection->begin(nullptr);
    });
  }
  // Each thread's run() now returns once its connections have all finished.
  guards_.clear();
}

void PhaseRunner::interrupt_connections() {
  control_.stopping.store(true);
  for (auto& slot : slots_) {
    asio::post(slot->io, [&slot = *slot] {
      for (auto& connection : slot.connections) connection->interrupt_wait();
    });
  }
}

void PhaseRunner::report_interval(Clock::time_point now) {
  IntervalSample sample;
  for (auto& slot : slots_) {
    slot->recorder.take_interval(scratch_);
    sample.stats.merge(scratch_);
  }
  sample.elapsed_seconds = std::chrono::duration<double>(now - control_.measure_start).count();
  sample.interval_seconds = std::chrono::duration<double>(now - last_report_).count();
  last_report_ = now;
  if (observer_.on_interval) observer_.on_interval(sample);
}

PhaseOutcome PhaseRunner::run() {
  announce("connecting");
  start_threads();
  if (const std::string error = open_connections(); !error.empty()) {
    guards_.clear();
    throw RunFailed("cannot connect to " + options_.url.text() + ": " + error);
  }
  begin_connections();
  announce(spec_.warmup > Clock::duration::zero() ? "warm-up" : "measuring");
  const Supervision supervision = supervise();
  for (auto& slot : slots_) slot->thread.join();
  std::string thread_error;
  {
    MutexLock lock(sync_.mutex);
    thread_error = sync_.thread_error;
  }
  if (!thread_error.empty()) throw RunFailed("load thread failed: " + thread_error);

  PhaseOutcome outcome;
  const Clock::time_point finished_at = Clock::now();
  if (supervision.measuring) {
    outcome.cpu = process_cpu_times() - supervision.cpu_at_measure_start;
    if (spec_.report) report_interval(finished_at);
  }
  Clock::time_point last_event{};
  for (auto& slot : slots_) {
    outcome.stats.merge(slot->recorder.total());
    last_event = std::max(last_event, slot->recorder.last_event());
  }
  outcome.interrupted = supervision.stopped_at.has_value();
  const Clock::time_point end =
      measured_end(last_event, supervision.stopped_at, finished_at, outcome.stats);
  outcome.measured_seconds =
      std::max(0.0, std::chrono::duration<double>(end - control_.measure_start).count());
  outcome.offered = spec_.rate > 0 ? offered_requests(supervision.stopped_at) : outcome.stats.sent;
  return outcome;
}

PhaseRunner::Supervision PhaseRunner::supervise() {
  Supervision supervision;
  bool draining = false;
  last_report_ = control_.measure_start;
  Clock::time_point next_report = control_.measure_start + kReportInterval;
  MutexLock lock(sync_.mutex);
  while (sync_.threads_done < slots_.size()) {
    const Clock::time_point now = Clock::now();
    if (!supervision.measuring && now >= control_.measure_start) {
      supervision.measuring = true;
      supervision.cpu_at_measure_start = process_cpu_times();
      if (spec_.warmup > Clock::duration::zero()) announce("measuring");
    }
    if (!draining && control_.deadline && now >= *control_.deadline) {
      draining = true;
      announce("draining");
    }
    // Once the deadline has passed, the final report covers the drain.
    if (spec_.report && supervision.measuring && !draining && now >= next_report) {
      lock.unlock();
      report_interval(now);
      lock.lock();
      next_report = std::max(next_report + kReportInterval, now + kReportInterval / 2);
    }
    if (!supervision.stopped_at && stop_requested()) {
      supervision.stopped_at = now;
      interrupt_connections();
    }
    Clock::time_point wake = std::min(next_report, now + kPollInterval);
    if (!supervision.measuring) wake = std::min(wake, control_.measure_start);
    (void)sync_.changed.wait_until(sync_.mutex, wake);
  }
  return supervision;
}

// The measured window ends with the last answer, but a time-bound run lasts
// at least its duration (or until it was stopped) even if answers stopped
// coming.
Clock::time_point PhaseRunner::measured_end(Clock::time_point last_event,
                                            std::optional<Clock::time_point> stopped_at,
                                            Clock::time_point finished_at,
                                            const RequestStats& stats) const {
  Clock::time_point end = last_event;
  if (control_.deadline) {
    end =
        std::max(end, stopped_at ? std::min(*control_.deadline, *stopped_at) : *control_.deadline);
  }
  if (stats.responses == 0 && stats.total_errors() == 0) {
    end = std::max(end, stopped_at.value_or(finished_at));
  }
  return end;
}

// Open loop: the requests due in the measured window, which ends at the
// deadline, after the request limit, or when the run was stopped.
std::uint64_t PhaseRunner::offered_requests(std::optional<Clock::time_point> stopped_at) const {
  if (spec_.request_limit) {
    if (!stopped_at) return *spec_.request_limit;
    return std::min(*spec_.request_limit,
                    RateSchedule::due_within(spec_.rate, *stopped_at - control_.measure_start));
  }
  Clock::time_point due_end = *control_.deadline;
  if (stopped_at) due_end = std::min(due_end, *stopped_at);
  const std::uint64_t before =
      RateSchedule::due_within(spec_.rate, control_.measure_start - control_.start);
  const std::uint64_t through = RateSchedule::due_within(spec_.rate, due_end - control_.start);
  return through > before ? through - before : 0;
}

std::uint64_t fresh_seed() {
  std::random_device device;
  return (std::uint64_t{device()} << 32) ^ device() ^
         static_cast<std::uint64_t>(Clock::now().time_since_epoch().count());
}

std::string describe_failures(const RequestStats& stats) {
  std::string text;
  for (unsigned code = 0; code < stats.status_counts.size(); ++code) {
    if (stats.status_counts[code] == 0) continue;
    text += " " + std::to_string(code) + ": " + std::to_string(stats.status_counts[code]) + ";";
  }
  for (std::size_t i = 0; i < kErrorKindCount; ++i) {
    if (stats.errors[i] == 0) continue;
    text += " " + std::string(error_kind_name(static_cast<ErrorKind>(i))) +
            " errors: " + std::to_string(stats.errors[i]) + ";";
  }
  if (!text.empty()) text.pop_back();
  return text;
}

}  // namespace

RunResult run_load(RunOptions options, const std::atomic<bool>* stop, const RunObserver& observer) {
  if (const std::string problem = validate(options); !problem.empty()) throw RunFailed(problem);
  if (options.run_id.empty()) options.run_id = make_run_id();
  options.threads = std::min(options.threads, options.connections);
  const std::uint64_t base_seed = options.random_seed.value_or(fresh_seed());

  asio::io_context resolver_io;
  tcp::resolver resolver(resolver_io);
  boost::system::error_code resolve_error;
  const auto endpoints = resolver.resolve(options.url.host, options.url.port, resolve_error);
  if (resolve_error) {
    throw RunFailed("cannot resolve " + options.url.host + ": " + resolve_error.message());
  }

  const ZipfSampler products(options.products, options.zipf);
  RequestShape shape;
  shape.run_id = options.run_id;
  shape.users = options.users;
  shape.items_per_order = options.items_per_order;
  shape.seeded_orders = needs_seeded_orders(options.workload) ? options.seed_orders : 0;
  shape.populate_entries = options.populate_entries;
  shape.authorization = options.authorization;

  RunResult result;
  result.options = options;
  if (shape.seeded_orders > 0) {
    if (observer.on_phase) observer.on_phase("seeding");
    PhaseSpec seeding;
    seeding.fixed_kind = RequestKind::kSeed;
    seeding.connections = static_cast<std::uint32_t>(
        std::min<std::uint64_t>(options.connections, shape.seeded_orders));
    seeding.threads = std::min(options.threads, seeding.connections);
    seeding.request_limit = shape.seeded_orders;
    seeding.seed_salt = 0x5eed;
    const PhaseOutcome seeded =
        PhaseRunner(options, seeding, endpoints, shape, products, base_seed, stop, {}).run();
    if (seeded.interrupted) throw RunFailed("interrupted while seeding orders");
    if (seeded.stats.ok != shape.seeded_orders) {
      throw RunFailed("seeding failed: " + std::to_string(seeded.stats.ok) + " of " +
                      std::to_string(shape.seeded_orders) + " orders created (" +
                      describe_failures(seeded.stats) + ")");
    }
    result.seeded_orders = shape.seeded_orders;
  }

  PhaseSpec main;
  main.rate = options.rate;
  main.connections = options.connections;
  main.threads = options.threads;
  main.warmup = std::chrono::duration_cast<Clock::duration>(options.warmup);
  if (options.requests) {
    main.request_limit = options.requests;
  } else {
    main.duration = std::chrono::duration_cast<Clock::duration>(options.duration);
  }
  main.report = true;
  PhaseOutcome outcome =
      PhaseRunner(options, main, endpoints, shape, products, base_seed, stop, observer).run();
  result.measured_seconds = outcome.measured_seconds;
  result.offered_requests = outcome.offered;
  result.stats = std::move(outcome.stats);
  result.cpu = outcome.cpu;
  result.interrupted = outcome.interrupted;
  return result;
}

}  // namespace orderd::loadgen
