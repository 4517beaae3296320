#include "persistence/journal_writer.h"

#include <algorithm>
#include <cassert>

#include "persistence/coding.h"
#include "persistence/data_files.h"

namespace orderd::persistence {
namespace {

using Clock = std::chrono::steady_clock;

std::uint64_t micros_since(Clock::time_point start) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count());
}

}  // namespace

JournalWriter::JournalWriter(FileSystem& fs, std::string dir, std::uint64_t next_seq,
                             JournalWriterOptions options)
    : fs_(fs),
      dir_(std::move(dir)),
      options_(options),
      queue_first_seq_(next_seq),
      next_seq_(next_seq),
      written_seq_(next_seq - 1),
      committed_seq_(next_seq - 1),
      synced_seq_(next_seq - 1) {
  queue_.reserve(1 << 20);
}

Status JournalWriter::open(FileSystem& fs, std::string dir, std::uint64_t next_seq,
                           JournalWriterOptions options, std::unique_ptr<JournalWriter>* writer) {
  if (next_seq == 0) return Status::invalid_argument("journal sequence numbers start at 1");
  if (options.fsync.mode == FsyncPolicy::Mode::kInterval && options.fsync.interval.count() <= 0) {
    return Status::invalid_argument("fsync interval must be positive");
  }
  // Never empty a segment that holds records: recovery removes a segment
  // that held none before a writer reuses its name.
  std::uint64_t existing = 0;
  std::string path = join_path(dir, journal_file_name(next_seq));
  if (fs.file_size(path, &existing).ok() && existing > format::kFileHeaderSize) {
    return Status::invalid_argument(path + " already holds records");
  }
  std::unique_ptr<JournalWriter> w(new JournalWriter(fs, std::move(dir), next_seq, options));
  if (Status s = w->start_segment(next_seq); !s.ok()) return s;
  w->last_sync_ = Clock::now();
  w->thread_ = std::thread([raw = w.get()] { raw->run(); });
  *writer = std::move(w);
  return Status();
}

JournalWriter::~JournalWriter() { (void)close(); }

void JournalWriter::set_failure_handler(std::function<void(const Status&)> handler) {
  MutexLock guard(waiters_mutex_);
  failure_handler_ = std::move(handler);
}

Status JournalWriter::start_segment(std::uint64_t first_seq) {
  std::string path = join_path(dir_, journal_file_name(first_seq));
  std::unique_ptr<WritableFile> file;
  if (Status s = fs_.create_file(path, &file); !s.ok()) return s;
  char header[format::kFileHeaderSize];
  format::encode_file_header({format::FileKind::kJournal, format::kFormatVersion, first_seq},
                             header);
  if (Status s = file->append({header, sizeof header}); !s.ok()) return s;
  // The header and the directory entry are made durable before any record
  // goes in, so a synced record is never in a file that could vanish.
  if (Status s = file->sync(); !s.ok()) return s;
  if (Status s = fs_.sync_dir(dir_); !s.ok()) return s;
  segment_ = std::move(file);
  segment_size_ = sizeof header;
  bytes_written_.fetch_add(sizeof header, std::memory_order_relaxed);
  segments_.fetch_add(1, std::memory_order_relaxed);
  current_segment_seq_.store(first_seq, std::memory_order_release);
  return Status();
}

std::uint64_t JournalWriter::append(format::RecordType type, std::string_view payload) {
  assert(payload.size() <= format::kMaxPayloadSize);
  format::RecordHeader header;
  header.payload_crc = format::payload_checksum(payload);  // outside the lock
  header.length = static_cast<std::uint32_t>(payload.size());
  header.type = static_cast<std::uint8_t>(type);
  char framed[format::kRecordHeaderSize];
  bool wake = false;
  std::uint64_t seq;
  {
    MutexLock guard(mutex_);
    seq = next_seq_++;
    if (!accepting_) return seq;
    header.seq = seq;
    format::encode_record_header(header, framed);
    queue_.append(framed, sizeof framed);
    queue_.append(payload.data(), payload.size());
    ++queue_records_;
    if (writer_idle_) {
      writer_idle_ = false;
      wake = true;
    }
  }
  queued_bytes_.fetch_add(sizeof framed + payload.size(), std::memory_order_relaxed);
  if (wake) wake_writer_.notify_one();
  return seq;
}

std::uint64_t JournalWriter::next_seq() const {
  MutexLock guard(mutex_);
  return next_seq_;
}

bool JournalWriter::interval_sync_due(Clock::time_point now) const {
  return options_.fsync.mode == FsyncPolicy::Mode::kInterval &&
         now - last_sync_ >= options_.fsync.interval;
}

void JournalWriter::run() {
  std::string batch;
  batch.reserve(1 << 20);
  bool failed = false;
  MutexLock lock(mutex_);
  while (true) {
    // Wait for records, a sync request, an interval sync or close. After a
    // failure nothing is ever synced again, so only records or close count.
    while (true) {
      const bool unsynced = !failed && written_seq_ > synced_seq_.load(std::memory_order_relaxed);
      if (!queue_.empty() || closing_) break;
      if (unsynced && sync_wanted_through_ > synced_seq_.load(std::memory_order_relaxed)) break;
      if (unsynced && interval_sync_due(Clock::now())) break;
      writer_idle_ = true;
      if (unsynced && options_.fsync.mode == FsyncPolicy::Mode::kInterval) {
        (void)wake_writer_.wait_until(mutex_, last_sync_ + options_.fsync.interval);
      } else {
        wake_writer_.wait(mutex_);
      }
      writer_idle_ = false;
    }
    std::uint64_t first_seq = 0, records = 0;
    take_batch(batch, &first_seq, &records);
    const bool sync_requested = sync_wanted_through_ > synced_seq_.load(std::memory_order_relaxed);
    const bool closing = closing_;
    lock.unlock();

    Status s;
    if (!failed && records > 0) {
      s = write_batch(batch, first_seq);
      if (s.ok()) {
        written_seq_ = first_seq + records - 1;
        records_written_.fetch_add(records, std::memory_order_relaxed);
        records_per_batch_.record(records);
      }
    }
    queued_bytes_.fetch_sub(batch.size(), std::memory_order_relaxed);
    batch.clear();
    bool synced = false;
    if (s.ok() && !failed && written_seq_ > synced_seq_.load(std::memory_order_relaxed)) {
      const bool always = options_.fsync.mode == FsyncPolicy::Mode::kAlways;
      if (always || sync_requested || closing || interval_sync_due(Clock::now())) {
        s = sync_segment();
        synced = s.ok();
      }
    }
    if (!s.ok() && !failed) {
      failed = true;
      fail(s);
    } else if (!failed) {
      publish(written_seq_, synced);
    }

    lock.lock();
    if (closing_ && queue_.empty()) break;
  }
  lock.unlock();

  // close() may have arrived while the last batch was being written without
  // a sync: whatever the policy, nothing written is left unsynced.
  if (!failed && written_seq_ > synced_seq_.load(std::memory_order_relaxed)) {
    if (Status s = sync_segment(); s.ok()) {
      publish(written_seq_, true);
    } else {
      failed = true;
      fail(s);
    }
  }
  if (segment_ != nullptr) {
    Status s = segment_->close();
    if (!s.ok() && !failed) fail(s);
    segment_.reset();
  }
  // Whatever still waits was dropped after close() or an error: it never commits.
  std::vector<Waiter> dropped;
  Status reason;
  {
    MutexLock guard(waiters_mutex_);
    closed_ = true;
    reason = error_.ok() ? Status::closed("the journal is closed") : error_;
    dropped.swap(waiters_);
  }
  progress_.notify_all();
  for (auto& w : dropped) w.done(reason);
}

Status JournalWriter::write_batch(const std::string& batch, std::uint64_t first_seq) {
  if (segment_size_ >= options_.segment_bytes) {
    // The full segment is synced before the next one starts, whatever the
    // policy, so damage from a crash can only be in the newest segment.
    if (written_seq_ > synced_seq_.load(std::memory_order_relaxed)) {
      if (Status s = sync_segment(); !s.ok()) return s;
    }
    if (Status s = segment_->close(); !s.ok()) return s;
    segment_.reset();
    if (Status s = start_segment(first_seq); !s.ok()) return s;
  }
  if (Status s = segment_->append(batch); !s.ok()) return s;
  segment_size_ += batch.size();
  bytes_written_.fetch_add(batch.size(), std::memory_order_relaxed);
  batches_.fetch_add(1, std::memory_order_relaxed);
  return Status();
}

Status JournalWriter::sync_segment() {
  auto start = Clock::now();
  Status s = segment_->sync();
  fsync_micros_.record(micros_since(start));
  fsyncs_.fetch_add(1, std::memory_order_relaxed);
  if (s.ok()) {
    synced_seq_.store(written_seq_, std::memory_order_release);
    last_sync_ = Clock::now();
  }
  return s;
}

void JournalWriter::take_batch(std::string& batch, std::uint64_t* first_seq,
                               std::uint64_t* records) {
  *first_seq = queue_first_seq_;
  if (queue_.size() <= options_.max_batch_bytes) {
    batch.swap(queue_);
    *records = queue_records_;
    queue_first_seq_ = next_seq_;
    queue_records_ = 0;
    return;
  }
  // Whole records up to the cap, found by walking the headers (written by
  // append(), so their lengths are right). Only a queue past the cap, a
  // disk that fell behind, pays for the copy of the rest.
  std::size_t cut = 0;
  std::uint64_t taken = 0;
  while (cut < queue_.size()) {
    const std::size_t record = format::kRecordHeaderSize + decode_u32(queue_.data() + cut + 8);
    if (taken > 0 && cut + record > options_.max_batch_bytes) break;
    cut += record;
    ++taken;
  }
  batch.assign(queue_, 0, cut);
  queue_.erase(0, cut);
  *records = taken;
  queue_first_seq_ += taken;
  queue_records_ -= taken;
}

bool JournalWriter::wait_for_room(std::chrono::steady_clock::time_point deadline) {
  if (has_room()) return true;
  {
    MutexLock guard(waiters_mutex_);
    ++room_waiters_;
    while (!has_room() && error_.ok() && !closed_ && std::chrono::steady_clock::now() < deadline) {
      (void)progress_.wait_until(waiters_mutex_, deadline);
    }
    --room_waiters_;
  }
  if (has_room()) return true;
  writes_refused_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

void JournalWriter::publish(std::uint64_t written_through, bool synced) {
  if (synced) synced_seq_.store(written_through, std::memory_order_release);
  const std::uint64_t commit = options_.fsync.acknowledges_after_sync()
                                   ? synced_seq_.load(std::memory_order_relaxed)
                                   : written_through;
  std::vector<Waiter> ready;
  {
    MutexLock guard(waiters_mutex_);
    committed_seq_.store(commit, std::memory_order_release);
    while (!waiters_.empty() && waiters_.front().seq <= commit) {
      std::pop_heap(waiters_.begin(), waiters_.end(), std::greater<>());
      ready.push_back(std::move(waiters_.back()));
      waiters_.pop_back();
    }
  }
  progress_.notify_all();
  for (auto& w : ready) w.done(Status());
}

void JournalWriter::fail(const Status& error) {
  {
    MutexLock guard(mutex_);
    accepting_ = false;
    queued_bytes_.fetch_sub(queue_.size(), std::memory_order_relaxed);
    queue_.clear();
    queue_records_ = 0;
  }
  std::function<void(const Status&)> handler;
  {
    MutexLock guard(waiters_mutex_);
    handler = failure_handler_;
  }
  // The owner hears first, so that by the time any waiter learns of the
  // error, new writes are already being refused.
  if (handler) handler(error);
  std::vector<Waiter> failed;
  {
    MutexLock guard(waiters_mutex_);
    error_ = error;
    failed.swap(waiters_);
  }
  progress_.notify_all();
  for (auto& w : failed) w.done(error);
}

void JournalWriter::on_committed(std::uint64_t seq, Completion done) {
  Status result;
  {
    MutexLock guard(waiters_mutex_);
    if (seq <= committed_seq_.load(std::memory_order_relaxed)) {
      result = Status();
    } else if (!error_.ok()) {
      result = error_;
    } else if (closed_) {
      result = Status::closed("the journal is closed");
    } else {
      waiters_.push_back({seq, std::move(done)});
      std::push_heap(waiters_.begin(), waiters_.end(), std::greater<>());
      return;
    }
  }
  done(result);
}

Status JournalWriter::wait_committed(std::uint64_t seq) {
  if (seq <= committed_seq()) return Status();
  // A waiter of its own, woken only when its record is done: with many
  // threads waiting, a shared condition would wake them all every batch.
  struct Wait {
    Mutex mutex;
    CondVar done_cv;
    bool done GUARDED_BY(mutex) = false;
    Status status GUARDED_BY(mutex);
  } wait;
  on_committed(seq, [&wait](const Status& s) {
    MutexLock guard(wait.mutex);
    wait.status = s;
    wait.done = true;
    wait.done_cv.notify_one();
  });
  MutexLock lock(wait.mutex);
  while (!wait.done) wait.done_cv.wait(wait.mutex);
  return wait.status;
}

Status JournalWriter::sync_through(std::uint64_t seq) {
  bool wake = false;
  {
    MutexLock guard(mutex_);
    seq = std::min(seq, next_seq_ - 1);  // nothing later exists to wait for
    if (seq > sync_wanted_through_) sync_wanted_through_ = seq;
    if (writer_idle_) {
      writer_idle_ = false;
      wake = true;
    }
  }
  if (wake) wake_writer_.notify_one();
  MutexLock lock(waiters_mutex_);
  while (seq > synced_seq_.load(std::memory_order_acquire) && error_.ok() && !closed_) {
    progress_.wait(waiters_mutex_);
  }
  if (seq <= synced_seq_.load(std::memory_order_acquire)) return Status();
  return error_.ok() ? Status::closed("the journal is closed") : error_;
}

Status JournalWriter::error() const {
  MutexLock guard(waiters_mutex_);
  return error_;
}

JournalStats JournalWriter::stats() const {
  JournalStats s;
  s.records = records_written_.load(std::memory_order_relaxed);
  s.bytes = bytes_written_.load(std::memory_order_relaxed);
  s.batches = batches_.load(std::memory_order_relaxed);
  s.fsyncs = fsyncs_.load(std::memory_order_relaxed);
  s.segments = segments_.load(std::memory_order_relaxed);
  s.queued_bytes = queued_bytes_.load(std::memory_order_relaxed);
  s.writes_refused = writes_refused_.load(std::memory_order_relaxed);
  {
    MutexLock guard(waiters_mutex_);
    s.room_waiters = room_waiters_;
  }
  s.last_seq = next_seq() - 1;
  s.committed_seq = committed_seq();
  s.synced_seq = synced_seq();
  s.fsync_micros = fsync_micros_.read();
  s.records_per_batch = records_per_batch_.read();
  return s;
}

Status JournalWriter::close() {
  MutexLock guard(close_mutex_);
  bool wake = false;
  {
    MutexLock lock(mutex_);
    if (!closing_) {
      closing_ = true;
      accepting_ = false;  // what was appended before close() is still written
      wake = true;
      writer_idle_ = false;
    }
  }
  if (wake) wake_writer_.notify_one();
  if (thread_.joinable()) thread_.join();
  return error();
}

}  // namespace orderd::persistence
