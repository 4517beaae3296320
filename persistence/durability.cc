#include "persistence/durability.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include "persistence/data_files.h"

namespace orderd::persistence {
namespace {

using Clock = std::chrono::steady_clock;

// How often the snapshot thread checks the journal-size trigger.
constexpr auto kSnapshotPoll = std::chrono::milliseconds(100);

// Snapshots kept: the newest, and the one before it as the fallback should
// the newest become unreadable. The journal is kept from the older one on,
// so the fallback always has every record it needs.
constexpr std::size_t kSnapshotsKept = 2;

constexpr int kSnapshotNice = 10;

}  // namespace

Durability::Durability(std::string dir, DurabilityOptions options, Engine& engine, FileSystem& fs)
    : dir_(std::move(dir)), options_(std::move(options)), engine_(engine), fs_(fs) {}

Status Durability::open(std::string dir, DurabilityOptions options, Engine& engine,
                        std::unique_ptr<Durability>* durability) {
  if (engine.running() || engine.counters().accepted != 0 || engine.catalog().size() != 0) {
    return Status::invalid_argument("recovery needs a stopped, empty engine");
  }
  if (!options.reporter) options.reporter = stderr_reporter();
  FileSystem& fs = options.file_system != nullptr ? *options.file_system : posix_file_system();
  std::unique_ptr<Durability> d(new Durability(std::move(dir), std::move(options), engine, fs));
  if (Status s = d->start(); !s.ok()) return s;
  *durability = std::move(d);
  return Status();
}

Status Durability::start() {
  if (Status s = fs_.create_dir(dir_); !s.ok()) return s;
  if (Status s = fs_.lock_directory(dir_, &lock_); !s.ok()) return s;

  RecoveryOptions recovery_options;
  recovery_options.truncate_at_corruption = options_.truncate_at_corruption;
  recovery_options.reporter = options_.reporter;
  if (Status s = recover(fs_, dir_, recovery_options, engine_, &recovery_); !s.ok()) return s;
  report(Severity::kInfo,
         "recovered " + std::to_string(engine_.counters().accepted) + " orders and " +
             std::to_string(engine_.catalog().size()) + " products in " +
             std::to_string(recovery_.total_micros / 1000) + " ms (snapshot " +
             (recovery_.snapshot_file.empty() ? std::string("none") : recovery_.snapshot_file) +
             ", " + std::to_string(recovery_.records_replayed) + " journal records replayed, " +
             std::to_string(recovery_.resumed_orders) + " orders to resume, " +
             std::to_string(recovery_.idempotency_restored) + " idempotency keys restored, " +
             std::to_string(recovery_.idempotency_expired) + " expired ones left out)");

  JournalWriterOptions journal_options;
  journal_options.fsync = options_.fsync;
  journal_options.segment_bytes = options_.segment_bytes;
  journal_options.max_batch_bytes = options_.max_batch_bytes;
  journal_options.max_queued_bytes = options_.max_queued_bytes;
  if (Status s = JournalWriter::open(fs_, dir_, recovery_.next_seq, journal_options, &journal_);
      !s.ok()) {
    return s;
  }
  journal_->set_failure_handler([this](const Status& error) {
    // Never acknowledge what may not be on disk: stop taking writes.
    engine_.refuse_writes("the journal cannot persist changes: " + error.to_string());
    report(Severity::kError, "journal failed, refusing writes from now on: " + error.to_string());
  });
  sink_ = std::make_unique<JournalSink>(*journal_);
  if (options_.downstream != nullptr) {
    tee_ = std::make_unique<EventTee>(*sink_, *options_.downstream);
    engine_.set_event_sink(tee_.get());
  } else {
    engine_.set_event_sink(sink_.get());
  }

  {
    MutexLock lock(mutex_);
    last_snapshot_time_ = Clock::now();
    seq_at_last_snapshot_ = recovery_.next_seq;
  }
  thread_ = std::thread([this] { run_snapshots(); });
  return Status();
}

Durability::~Durability() { (void)close(); }

void Durability::report(Severity severity, const std::string& message) const {
  if (options_.reporter) options_.reporter(severity, message);
}

void Durability::on_durable(DurableToken token, Completion done) {
  journal_->on_committed(token, std::move(done));
}

void Durability::on_durable(DurableToken token, DurabilityWaiter::Completion done) {
  on_durable(token, [done = std::move(done)](const Status& status) {
    if (status.ok()) {
      done({});
    } else {
      done(status.to_string());
    }
  });
}

Status Durability::wait_durable(DurableToken token) { return journal_->wait_committed(token); }

DurableToken Durability::last_token() const { return journal_->next_seq() - 1; }

DurableToken Durability::durable_token() const { return journal_->committed_seq(); }

Status Durability::health() const { return journal_->error(); }

bool Durability::has_room() const { return journal_->has_room(); }

bool Durability::wait_for_room(std::chrono::steady_clock::time_point deadline) {
  return journal_->wait_for_room(deadline);
}

std::string Durability::sticky_error() const {
  const Status health = journal_->error();
  return health.ok() ? std::string() : health.to_string();
}

DurabilityStats Durability::stats() const {
  DurabilityStats s;
  s.journal = journal_->stats();
  MutexLock guard(stats_mutex_);
  s.snapshots_written = snapshots_written_;
  s.snapshot_failures = snapshot_failures_;
  s.last_snapshot = last_snapshot_;
  s.segments_deleted = segments_deleted_;
  s.snapshots_deleted = snapshots_deleted_;
  return s;
}

Status Durability::snapshot_now(SnapshotInfo* info) {
  SnapshotInfo local;
  return take_snapshot(info != nullptr ? info : &local);
}

void Durability::request_snapshot(SnapshotCompletion done) {
  {
    MutexLock guard(mutex_);
    if (stopping_) {
      if (done) done(Status::closed("durability is closed"), SnapshotInfo{});
      return;
    }
    requests_.push_back(done ? std::move(done) : [](const Status&, const SnapshotInfo&) {});
  }
  wake_.notify_one();
}

bool Durability::snapshot_due(Clock::time_point now) const {
  const std::uint64_t last_seq = journal_->next_seq() - 1;
  if (last_seq < seq_at_last_snapshot_) return false;  // nothing new since the last one
  if (options_.snapshot_interval.count() > 0 &&
      now - last_snapshot_time_ >= options_.snapshot_interval) {
    return true;
  }
  return options_.snapshot_journal_bytes > 0 &&
         journal_->bytes_written() - journal_bytes_at_last_snapshot_ >=
             options_.snapshot_journal_bytes;
}

void Durability::run_snapshots() {
  // Snapshots are background work: request threads, workers and the journal
  // writer come first. SCHED_IDLE makes the scheduler switch to any of them
  // the moment it wakes, where a mere nice value lets the snapshot finish its
  // time slice first (milliseconds added to a request's latency). Lowering
  // one's own priority needs no privilege; this thread's alone is changed.
  // The price: on a saturated CPU a snapshot waits for idle moments; the
  // journal keeps everything durable meanwhile.
  sched_param idle{};
  if (::pthread_setschedparam(::pthread_self(), SCHED_IDLE, &idle) != 0) {
    (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kSnapshotNice);
  }
  MutexLock lock(mutex_);
  while (!stopping_) {
    const auto poll_end = Clock::now() + kSnapshotPoll;
    while (!stopping_ && requests_.empty()) {
      if (wake_.wait_until(mutex_, poll_end) == std::cv_status::timeout) break;
    }
    if (stopping_) break;
    const auto now = Clock::now();
    if (requests_.empty() && !snapshot_due(now)) continue;
    std::vector<SnapshotCompletion> requests;
    requests.swap(requests_);
    // Whatever the outcome, wait a full period before the next periodic try.
    last_snapshot_time_ = now;
    journal_bytes_at_last_snapshot_ = journal_->bytes_written();
    seq_at_last_snapshot_ = journal_->next_seq();
    lock.unlock();
    SnapshotInfo info;
    Status s = take_snapshot(&info);
    for (auto& done : requests) done(s, info);
    lock.lock();
  }
  // Requests that arrived during shutdown are answered, not dropped.
  std::vector<SnapshotCompletion> requests;
  requests.swap(requests_);
  lock.unlock();
  for (auto& done : requests) done(Status::closed("durability is closed"), SnapshotInfo{});
}

Status Durability::take_snapshot(SnapshotInfo* info) {
  MutexLock guard(snapshot_mutex_);
  if (Status s = journal_->error(); !s.ok()) return s;
  SnapshotWriteOptions write_options;
  write_options.max_bytes_per_second = options_.snapshot_max_bytes_per_second;
  Status s = write_snapshot(fs_, dir_, engine_, *journal_, info, write_options);
  if (!s.ok()) {
    {
      MutexLock stats_guard(stats_mutex_);
      ++snapshot_failures_;
    }
    report(Severity::kWarning, "snapshot failed: " + s.to_string());
    return s;
  }
  {
    MutexLock stats_guard(stats_mutex_);
    ++snapshots_written_;
    last_snapshot_ = *info;
  }
  {
    // An on-demand snapshot also restarts the periodic triggers.
    MutexLock guard(mutex_);
    last_snapshot_time_ = Clock::now();
    journal_bytes_at_last_snapshot_ = journal_->bytes_written();
    seq_at_last_snapshot_ = info->replay_from_seq;
  }
  report(Severity::kInfo, "wrote snapshot " + info->file + " (" + std::to_string(info->orders) +
                              " orders, " + std::to_string(info->bytes) + " bytes, " +
                              std::to_string(info->total_micros / 1000) + " ms)");
  remove_obsolete_files();
  return Status();
}

void Durability::remove_obsolete_files() {
  DataDirectoryListing listing;
  if (Status s = list_data_files(fs_, dir_, &listing); !s.ok()) {
    report(Severity::kWarning, "cannot list " + dir_ + ": " + s.to_string());
    return;
  }
  const auto& snapshots = listing.snapshots;
  if (snapshots.size() < kSnapshotsKept) return;
  const std::size_t oldest_kept = snapshots.size() - kSnapshotsKept;
  bool removed = false;
  for (std::size_t i = 0; i < oldest_kept; ++i) {
    if (fs_.remove_file(join_path(dir_, snapshots[i].name)).ok()) {
      MutexLock stats_guard(stats_mutex_);
      ++snapshots_deleted_;
      removed = true;
    }
  }
  // A segment is obsolete when the next one starts at or before the oldest
  // kept snapshot's replay position: all its records are older still.
  const std::uint64_t replay_from = snapshots[oldest_kept].seq;
  const std::uint64_t current = journal_->current_segment_first_seq();
  const auto& journals = listing.journals;
  for (std::size_t i = 0; i + 1 < journals.size(); ++i) {
    if (journals[i + 1].seq > replay_from || journals[i].seq >= current) break;
    if (fs_.remove_file(join_path(dir_, journals[i].name)).ok()) {
      MutexLock stats_guard(stats_mutex_);
      ++segments_deleted_;
      removed = true;
    }
  }
  if (removed) (void)fs_.sync_dir(dir_);
}

Status Durability::close() {
  MutexLock guard(close_mutex_);
  if (closed_) return journal_ != nullptr ? journal_->error() : Status();
  closed_ = true;
  {
    MutexLock lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  if (journal_ == nullptr) return Status();  // open() failed before the journal
  Status result;
  if (options_.snapshot_on_close && journal_->error().ok()) {
    SnapshotInfo info;
    result = take_snapshot(&info);
  }
  engine_.set_event_sink(nullptr);
  Status s = journal_->close();
  return result.ok() ? s : result;
}

}  // namespace orderd::persistence
