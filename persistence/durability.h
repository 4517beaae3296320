// Durability for one engine and one data directory: the facade the server
// uses. It recovers the directory into the engine, attaches the journal as
// the engine's event sink, takes snapshots in the background, and answers
// "is this change on disk yet?".
//
// Life cycle (the server's side):
//
//   Engine engine(config);                       // stopped and empty
//   std::unique_ptr<Durability> durability;
//   Status s = Durability::open(dir, options, engine, &durability);
//   if (!s.ok()) exit(1);                        // e.g. corruption: file and offset in s
//   if (engine.catalog().size() == 0) seed...    // journaled like any change
//   engine.start();                              // resumes recovered orders
//   ... serve: after submit() succeeds, answer 201 from
//       durability->on_durable(result.durable_token, ...)
//   ... shutdown: stop taking requests, engine.stop(), durability->close()
//
// After a journal I/O error the engine refuses writes (SubmitError::
// kUnavailable), health() returns the error, and every waiter hears it;
// reads keep working. Restart to recover.
//
// Thread safety: every method may be called from any thread, except that
// close() and the destructor must not race with the engine's use of the
// sink (stop the engine first).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/mutex.h"
#include "base/thread_annotations.h"
#include "engine/durability_waiter.h"
#include "engine/engine.h"
#include "engine/event_tee.h"
#include "persistence/file_system.h"
#include "persistence/fsync_policy.h"
#include "persistence/journal_sink.h"
#include "persistence/journal_writer.h"
#include "persistence/recovery.h"
#include "persistence/reporter.h"
#include "persistence/snapshot.h"
#include "persistence/status.h"

namespace orderd::persistence {

struct DurabilityOptions {
  FsyncPolicy fsync = FsyncPolicy::always();
  std::uint64_t segment_bytes = 64ull << 20;
  // Group commit caps (JournalWriterOptions): the bytes of one write, and
  // the bytes waiting to be written past which has_room() turns false.
  std::uint64_t max_batch_bytes = 8ull << 20;
  std::uint64_t max_queued_bytes = 64ull << 20;
  // A background snapshot is taken when either is reached (and something
  // changed); 0 disables that trigger.
  std::chrono::milliseconds snapshot_interval = std::chrono::minutes(10);
  std::uint64_t snapshot_journal_bytes = 256ull << 20;  // journal bytes since the last one
  bool snapshot_on_close = false;  // a final snapshot makes the next start faster
  // See SnapshotWriteOptions: 0 writes snapshots as fast as the disk takes them.
  std::uint64_t snapshot_max_bytes_per_second = 16ull << 20;
  // Recovery: cut the journal at damage before its tail instead of refusing
  // to start (see recovery.h).
  bool truncate_at_corruption = false;
  FileSystem* file_system = nullptr;  // nullptr: the real one (posix_file_system())
  Reporter reporter;                  // empty: stderr_reporter()
  // Another consumer of the engine's changes (the read models): each event
  // goes to the journal first, then to it. Must outlive the Durability.
  EventSink* downstream = nullptr;
};

struct DurabilityStats {
  JournalStats journal;
  std::uint64_t snapshots_written = 0;
  std::uint64_t snapshot_failures = 0;
  SnapshotInfo last_snapshot;  // the newest written by this process
  std::uint64_t segments_deleted = 0;
  std::uint64_t snapshots_deleted = 0;
};

class Durability : public DurabilityWaiter {
 public:
  using Completion = std::function<void(const Status&)>;
  using SnapshotCompletion = std::function<void(const Status&, const SnapshotInfo&)>;

  // Creates `dir` if missing (one level), locks it against a second
  // process, recovers it into `engine` (stopped and empty), opens the
  // journal and attaches it as the engine's event sink. On failure the
  // engine must be discarded; the status names what is wrong (for
  // corruption: the file and offset).
  static Status open(std::string dir, DurabilityOptions options, Engine& engine,
                     std::unique_ptr<Durability>* durability);

  ~Durability();  // close(), ignoring its result
  Durability(const Durability&) = delete;
  Durability& operator=(const Durability&) = delete;

  const RecoveryResult& recovery() const { return recovery_; }
  const DurabilityOptions& options() const { return options_; }
  const std::string& directory() const { return dir_; }

  // --- Acknowledgement --------------------------------------------------------

  // Calls `done` once the change with `token` (SubmitResult::durable_token,
  // CancelResult::durable_token, last_token()) is durable as the fsync policy
  // defines it, or with the error that means it never will be. Runs `done`
  // at once on this thread if that is known, else on the journal's writer
  // thread: keep it short and non-blocking (post to the connection's
  // executor). Token 0 (no record) completes at once.
  void on_durable(DurableToken token, Completion done);
  // The same for clients that know only the engine: the error as text.
  void on_durable(DurableToken token, DurabilityWaiter::Completion done) override;
  // Blocks until the change with `token` is durable or never will be.
  Status wait_durable(DurableToken token);
  // A token that covers every change made so far: for changes whose calls
  // return no token (Catalog::add, Catalog::restock), wait for this after
  // the call returns.
  DurableToken last_token() const override;
  // Every change up to here is durable.
  DurableToken durable_token() const;
  // Whether the journal holds fewer than max_queued_bytes not yet written
  // (JournalWriter::has_room), and waiting for that.
  bool has_room() const override;
  bool wait_for_room(std::chrono::steady_clock::time_point deadline) override;

  // --- Snapshots ----------------------------------------------------------------

  // Writes a snapshot now on this thread and removes what it makes
  // obsolete; blocks for its whole duration (seconds for millions of
  // orders). Snapshots never overlap: a second caller waits.
  Status snapshot_now(SnapshotInfo* info = nullptr);
  // Asks the background thread for a snapshot and returns at once; `done`
  // (optional) runs on that thread when it is written or failed.
  void request_snapshot(SnapshotCompletion done = {});

  // --- State ----------------------------------------------------------------------

  // OK, or the sticky journal error that stopped writes.
  Status health() const;
  // health() as text: empty while healthy.
  std::string sticky_error() const override;
  DurabilityStats stats() const;

  // Stops the snapshot thread, detaches from the engine (which must be
  // stopped, with no request in flight), optionally writes a final snapshot,
  // then commits and syncs the journal and closes it. Idempotent.
  Status close();

 private:
  Durability(std::string dir, DurabilityOptions options, Engine& engine, FileSystem& fs);
  Status start();
  void run_snapshots();
  bool snapshot_due(std::chrono::steady_clock::time_point now) const REQUIRES(mutex_);
  Status take_snapshot(SnapshotInfo* info) EXCLUDES(snapshot_mutex_, mutex_);
  void remove_obsolete_files();
  void report(Severity severity, const std::string& message) const;

  const std::string dir_;
  const DurabilityOptions options_;
  Engine& engine_;
  FileSystem& fs_;
  std::unique_ptr<DirectoryLock> lock_;
  RecoveryResult recovery_;
  std::unique_ptr<JournalWriter> journal_;
  std::unique_ptr<JournalSink> sink_;
  std::unique_ptr<EventTee> tee_;  // the journal, then options_.downstream

  // Lock order: close_mutex_, snapshot_mutex_, then stats_mutex_ or mutex_
  // (never both).
  Mutex snapshot_mutex_ ACQUIRED_AFTER(close_mutex_);  // one snapshot at a time
  mutable Mutex stats_mutex_ ACQUIRED_AFTER(snapshot_mutex_);
  std::uint64_t snapshots_written_ GUARDED_BY(stats_mutex_) = 0;
  std::uint64_t snapshot_failures_ GUARDED_BY(stats_mutex_) = 0;
  std::uint64_t segments_deleted_ GUARDED_BY(stats_mutex_) = 0;
  std::uint64_t snapshots_deleted_ GUARDED_BY(stats_mutex_) = 0;
  SnapshotInfo last_snapshot_ GUARDED_BY(stats_mutex_);

  // The background snapshot thread.
  mutable Mutex mutex_ ACQUIRED_AFTER(snapshot_mutex_);
  CondVar wake_;  // with mutex_
  std::vector<SnapshotCompletion> requests_ GUARDED_BY(mutex_);
  std::chrono::steady_clock::time_point last_snapshot_time_ GUARDED_BY(mutex_);
  std::uint64_t journal_bytes_at_last_snapshot_ GUARDED_BY(mutex_) = 0;
  std::uint64_t seq_at_last_snapshot_ GUARDED_BY(mutex_) = 0;
  bool stopping_ GUARDED_BY(mutex_) = false;
  std::thread thread_;

  Mutex close_mutex_;
  bool closed_ GUARDED_BY(close_mutex_) = false;
};

}  // namespace orderd::persistence
