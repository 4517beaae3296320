// The journal's writing side: many threads append records, one writer
// thread commits them in groups.
//
//   append() ──┐  (any thread: number the record, copy it into the queue
//   append() ──┼─> buffer under a short lock, return; never waits for I/O)
//   append() ──┘
//                     writer thread: swap the buffer out, one write() for
//                     the whole batch, one fdatasync (per the policy), then
//                     advance the committed position and call the waiters
//
// While the writer is busy with a write and a sync, the next batch fills, so
// the number of syncs adapts to the load: one per batch, not per record.
//
// Records get consecutive sequence numbers in the order append() is called,
// and reach the file in that order. Segment files rotate by size; a batch
// never straddles two files.
//
// An I/O error sticks (LevelDB's bg_error_): the failed batch and every
// later record are never committed, every waiter hears the error, and the
// failure handler runs once so the owner can stop taking writes. Nothing is
// retried: after a failed fsync the kernel may have dropped the dirty pages,
// so a retry that "succeeds" would acknowledge lost data.
//
// Thread safety: every method may be called from any thread. Lock order:
// close_mutex_, then mutex_, then waiters_mutex_. close() holds close_mutex_
// while it takes either of the others; mutex_ and waiters_mutex_ are never
// held together (should they ever be, mutex_ comes first). No completion
// or failure handler runs under any of them.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/mutex.h"
#include "base/thread_annotations.h"
#include "persistence/file_system.h"
#include "persistence/fsync_policy.h"
#include "persistence/journal_format.h"
#include "persistence/log2_histogram.h"
#include "persistence/status.h"

namespace orderd::persistence {

struct JournalWriterOptions {
  FsyncPolicy fsync = FsyncPolicy::always();
  // A new segment file starts once the current one reaches this size.
  std::uint64_t segment_bytes = 64ull << 20;
  // The most one group commit writes (whole records; a larger record goes
  // alone): what the writer holds beside the queue while a write or sync
  // is slow.
  std::uint64_t max_batch_bytes = 8ull << 20;
  // Past this many bytes appended and not yet written, has_room() is false:
  // the disk has fallen behind, and callers stop making changes (orderd
  // answers writes with 503) instead of letting the queue grow. Appends are
  // never refused here: a change already made is always journaled.
  std::uint64_t max_queued_bytes = 64ull << 20;
};

struct JournalStats {
  std::uint64_t records = 0;  // appended and written
  std::uint64_t bytes = 0;    // written to segment files, headers included
  std::uint64_t batches = 0;  // write() calls, one per group commit
  std::uint64_t fsyncs = 0;   // data syncs of segment files
  std::uint64_t segments = 0;
  std::uint64_t queued_bytes = 0;    // appended, not yet handed to the file
  std::uint64_t room_waiters = 0;    // callers in wait_for_room() now
  std::uint64_t writes_refused = 0;  // wait_for_room() calls that found no room
  std::uint64_t last_seq = 0;        // the last sequence number handed out
  std::uint64_t committed_seq = 0;
  std::uint64_t synced_seq = 0;
  Log2HistogramData fsync_micros;       // latency of each fdatasync
  Log2HistogramData records_per_batch;  // group commit sizes

  double records_per_fsync() const {
    return fsyncs == 0 ? 0.0 : static_cast<double>(records) / static_cast<double>(fsyncs);
  }
};

class JournalWriter {
 public:
  using Completion = std::function<void(const Status&)>;

  // Creates segment `journal_file_name(next_seq)` in `dir` (it must not
  // hold records yet), makes it and its directory entry durable, and starts
  // the writer thread. The first append gets `next_seq` (>= 1). `fs` must
  // outlive the writer.
  static Status open(FileSystem& fs, std::string dir, std::uint64_t next_seq,
                     JournalWriterOptions options, std::unique_ptr<JournalWriter>* writer);

  ~JournalWriter();  // close(), ignoring its result
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  // Runs once, on the writer thread, when the first I/O error sticks. Set it
  // before the first append.
  void set_failure_handler(std::function<void(const Status&)> handler) EXCLUDES(waiters_mutex_);

  // Numbers the record, frames it and queues it; returns its sequence
  // number. Never waits for I/O: the lock it takes is held for a copy of the
  // record. Allocates only when the queue buffer must grow. After an error
  // or close() the record is dropped and its number never commits.
  std::uint64_t append(format::RecordType type, std::string_view payload) EXCLUDES(mutex_);

  // The number the next append gets: every lower number is handed out.
  std::uint64_t next_seq() const EXCLUDES(mutex_);
  // Every record up to here is acknowledged as the policy defines it
  // (always: synced; interval and never: written to the OS).
  std::uint64_t committed_seq() const { return committed_seq_.load(std::memory_order_acquire); }
  // Every record up to here is synced to disk.
  std::uint64_t synced_seq() const { return synced_seq_.load(std::memory_order_acquire); }

  // Calls `done` once record `seq` is committed (OK) or never can be (the
  // sticky error, or closed). If that is known already, `done` runs now on
  // the calling thread; otherwise later on the writer thread, where it must
  // be short and must not block (hand the work to your own executor).
  void on_committed(std::uint64_t seq, Completion done) EXCLUDES(waiters_mutex_);
  // Blocks until record `seq` is committed or never can be.
  Status wait_committed(std::uint64_t seq);
  // Blocks until every record up to `seq` is synced, forcing a sync whatever
  // the policy (snapshots use it to never get ahead of the journal).
  Status sync_through(std::uint64_t seq) EXCLUDES(mutex_, waiters_mutex_);

  // Whether fewer than max_queued_bytes wait to be written. Lock-free.
  bool has_room() const {
    return queued_bytes_.load(std::memory_order_relaxed) < options_.max_queued_bytes;
  }
  // Blocks until has_room(), the sticky error, close() or `deadline`;
  // returns has_room(). A false return is counted in writes_refused.
  bool wait_for_room(std::chrono::steady_clock::time_point deadline) EXCLUDES(waiters_mutex_);

  // The sticky error; OK while healthy.
  Status error() const EXCLUDES(waiters_mutex_);
  JournalStats stats() const EXCLUDES(mutex_, waiters_mutex_);
  // First sequence number of the segment being written; segments that start
  // at or after it must not be deleted.
  std::uint64_t current_segment_first_seq() const {
    return current_segment_seq_.load(std::memory_order_acquire);
  }
  // Bytes written since open, for "snapshot every N journal bytes".
  std::uint64_t bytes_written() const { return bytes_written_.load(std::memory_order_relaxed); }

  // Commits and syncs everything appended so far, stops the writer thread
  // and closes the segment; later appends are dropped. Returns the sticky
  // error, if any. Idempotent.
  Status close() EXCLUDES(close_mutex_);

 private:
  struct Waiter {
    std::uint64_t seq;
    Completion done;
    bool operator>(const Waiter& other) const { return seq > other.seq; }
  };

  JournalWriter(FileSystem& fs, std::string dir, std::uint64_t next_seq,
                JournalWriterOptions options);
  Status start_segment(std::uint64_t first_seq);
  // Moves the queue's first records into `batch` (empty): all of them, or
  // the whole records that fit in max_batch_bytes, at least one.
  void take_batch(std::string& batch, std::uint64_t* first_seq, std::uint64_t* records)
      REQUIRES(mutex_);
  void run() EXCLUDES(mutex_, waiters_mutex_);
  Status write_batch(const std::string& batch, std::uint64_t first_seq);
  Status sync_segment();
  void publish(std::uint64_t written_through, bool synced) EXCLUDES(waiters_mutex_);
  void fail(const Status& error) EXCLUDES(mutex_, waiters_mutex_);
  bool interval_sync_due(std::chrono::steady_clock::time_point now) const;

  FileSystem& fs_;
  const std::string dir_;
  const JournalWriterOptions options_;

  // Appenders and the writer thread meet here.
  mutable Mutex mutex_ ACQUIRED_AFTER(close_mutex_);
  CondVar wake_writer_;                               // with mutex_
  std::string queue_ GUARDED_BY(mutex_);              // framed records waiting for the writer
  std::uint64_t queue_first_seq_ GUARDED_BY(mutex_);  // sequence number of its first record
  std::uint64_t queue_records_ GUARDED_BY(mutex_) = 0;
  std::uint64_t next_seq_ GUARDED_BY(mutex_);
  std::uint64_t sync_wanted_through_ GUARDED_BY(mutex_) = 0;  // sync_through() requests
  bool writer_idle_ GUARDED_BY(mutex_) = false;               // the writer waits for wake_writer_
  bool closing_ GUARDED_BY(mutex_) = false;
  bool accepting_ GUARDED_BY(mutex_) = true;  // false after an error or close

  // Waiters and the sticky error.
  mutable Mutex waiters_mutex_ ACQUIRED_AFTER(mutex_);
  CondVar progress_;  // with waiters_mutex_: after every batch and on failure
  std::vector<Waiter> waiters_ GUARDED_BY(waiters_mutex_);  // a min-heap on seq
  Status error_ GUARDED_BY(waiters_mutex_);
  bool closed_ GUARDED_BY(waiters_mutex_) = false;  // the writer thread has finished
  std::uint64_t room_waiters_ GUARDED_BY(waiters_mutex_) = 0;
  std::function<void(const Status&)> failure_handler_ GUARDED_BY(waiters_mutex_);

  // Writer thread only.
  std::unique_ptr<WritableFile> segment_;
  std::uint64_t segment_size_ = 0;
  std::uint64_t written_seq_ = 0;
  std::chrono::steady_clock::time_point last_sync_;

  std::atomic<std::uint64_t> committed_seq_;
  std::atomic<std::uint64_t> synced_seq_;
  std::atomic<std::uint64_t> current_segment_seq_{0};
  std::atomic<std::uint64_t> bytes_written_{0};
  std::atomic<std::uint64_t> records_written_{0};
  std::atomic<std::uint64_t> batches_{0};
  std::atomic<std::uint64_t> fsyncs_{0};
  std::atomic<std::uint64_t> segments_{0};
  std::atomic<std::uint64_t> queued_bytes_{0};
  std::atomic<std::uint64_t> writes_refused_{0};
  Log2Histogram fsync_micros_;
  Log2Histogram records_per_batch_;

  Mutex close_mutex_ ACQUIRED_BEFORE(mutex_);  // serializes close()
  std::thread thread_;
};

}  // namespace orderd::persistence
