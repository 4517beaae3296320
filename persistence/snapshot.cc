#include "persistence/snapshot.h"

#include <chrono>
#include <thread>
#include <vector>

#include "base/mutex.h"
#include "persistence/data_files.h"
#include "persistence/record_codec.h"
#include "persistence/record_reader.h"

namespace orderd::persistence {
namespace {

using Clock = std::chrono::steady_clock;
using format::RecordType;

constexpr std::size_t kFlushBytes = 64 << 10;
constexpr std::size_t kWritebackBytes = 1 << 20;

std::int64_t micros_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
}

// Appends framed records to a buffer and writes it out in large pieces.
class SnapshotFileWriter {
 public:
  SnapshotFileWriter(WritableFile& file, std::uint64_t max_bytes_per_second)
      : file_(file), max_bytes_per_second_(max_bytes_per_second), start_(Clock::now()) {
    buffer_.reserve(2 * kFlushBytes);
  }

  Status add(RecordType type, std::string_view payload) {
    format::append_record(&buffer_, type, ++seq_, payload);
    return buffer_.size() >= kFlushBytes ? flush() : Status();
  }
  void add_raw(std::string_view bytes) { buffer_.append(bytes); }
  Status flush() {
    Status s = file_.append(buffer_);
    bytes_ += buffer_.size();
    unwritten_ += buffer_.size();
    buffer_.clear();
    // Written back in slices as it goes: a cache flush for the journal's
    // fdatasync waits for whatever dirty data is in flight, so one large
    // write-back at the end would stall acknowledgements for its whole
    // duration. Not a sync per slice: on ext4 each would force a file
    // system commit that the journal's own syncs then queue behind.
    if (s.ok() && unwritten_ >= kWritebackBytes) {
      s = file_.start_writeback();
      unwritten_ = 0;
    }
    if (max_bytes_per_second_ > 0) {
      // Sleep until the average rate since the start is back under the cap.
      auto due = start_ + std::chrono::microseconds(bytes_ * 1'000'000 / max_bytes_per_second_);
      std::this_thread::sleep_until(due);
    }
    return s;
  }
  std::uint64_t bytes() const { return bytes_; }

 private:
  WritableFile& file_;
  const std::uint64_t max_bytes_per_second_;
  const Clock::time_point start_;
  std::string buffer_;
  std::uint64_t seq_ = 0;
  std::uint64_t bytes_ = 0;
  std::uint64_t unwritten_ = 0;
};

Status write_snapshot_file(WritableFile& file, const Engine& engine, JournalWriter& journal,
                           std::uint64_t replay_from, const SnapshotWriteOptions& options,
                           SnapshotInfo* info) {
  SnapshotFileWriter out(file, options.max_bytes_per_second);
  char header[format::kFileHeaderSize];
  format::encode_file_header({format::FileKind::kSnapshot, format::kFormatVersion, replay_from},
                             header);
  out.add_raw({header, sizeof header});
  std::string payload;
  encode_snapshot_begin({replay_from, wall_clock_micros()}, &payload);
  if (Status s = out.add(RecordType::kSnapshotBegin, payload); !s.ok()) return s;

  const auto capture_start = Clock::now();
  // Pointers first, each shard's lock held only for the copying of pointers;
  // orders are never removed, so the pointers stay valid.
  std::vector<const Order*> orders;
  orders.reserve(static_cast<std::size_t>(engine.counters().accepted) + 1024);
  engine.for_each_order([&](const Order& order) {
    orders.push_back(&order);
    return true;
  });
  for (const Order* order : orders) {
    payload.clear();
    {
      MutexLock guard(order->lock);
      encode_order(*order, &payload);
    }
    if (Status s = out.add(RecordType::kSnapshotOrder, payload); !s.ok()) return s;
  }
  // After the orders: every product an order names is in the file.
  const Catalog& catalog = engine.catalog();
  std::vector<ProductInfo> products = catalog.list(0, catalog.capacity());
  for (const auto& product : products) {
    payload.clear();
    encode_product(product, &payload);
    if (Status s = out.add(RecordType::kSnapshotProduct, payload); !s.ok()) return s;
  }
  // Registered customers after the orders too, for the same reason; implicit
  // ones are recreated by restoring the orders that name them.
  std::uint64_t customers = 0;
  Status added;
  engine.customers().for_each([&](const CustomerInfo& customer) {
    if (customer.implicit) return true;
    payload.clear();
    encode_customer(customer, &payload);
    ++customers;
    added = out.add(RecordType::kSnapshotCustomer, payload);
    return added.ok();
  });
  if (!added.ok()) return added;
  // Idempotency replies next. Encoded into memory under each shard's lock
  // and written after, so that no request waits on the file (or on the
  // rate cap); the copy costs about the size of the replies themselves.
  const IdempotencyStore& store = engine.idempotency();
  const Micros captured_at = wall_clock_micros();
  std::string replies;
  std::vector<std::size_t> reply_ends;
  store.for_each([&](const IdempotencyRecord& reply) {
    if (is_expired(store, reply, captured_at)) return true;
    encode_idempotency_reply(reply, &replies);
    reply_ends.push_back(replies.size());
    return true;
  });
  for (std::size_t i = 0, begin = 0; i < reply_ends.size(); begin = reply_ends[i++]) {
    std::string_view reply(replies.data() + begin, reply_ends[i] - begin);
    if (Status s = out.add(RecordType::kSnapshotIdempotencyReply, reply); !s.ok()) return s;
  }
  // Revoked tokens the same way, those expired at capture left out: their
  // tokens are refused by their expiry, so they are of no use after a restart.
  std::string revocations;
  std::vector<std::size_t> revocation_ends;
  engine.revocations().for_each(captured_at, [&](const RevokedToken& revocation) {
    encode_revocation(revocation, &revocations);
    revocation_ends.push_back(revocations.size());
    return true;
  });
  for (std::size_t i = 0, begin = 0; i < revocation_ends.size(); begin = revocation_ends[i++]) {
    std::string_view revocation(revocations.data() + begin, revocation_ends[i] - begin);
    if (Status s = out.add(RecordType::kSnapshotTokenRevocation, revocation); !s.ok()) return s;
  }
  // Every change the capture could have seen has a sequence number below this.
  const std::uint64_t captured_through = journal.next_seq() - 1;
  info->capture_micros = micros_since(capture_start);

  // The snapshot must never hold a change the journal could still lose.
  if (Status s = journal.sync_through(captured_through); !s.ok()) return s;

  payload.clear();
  encode_snapshot_end(
      {orders.size(), products.size(), captured_through, customers, revocation_ends.size()},
      &payload);
  if (Status s = out.add(RecordType::kSnapshotEnd, payload); !s.ok()) return s;
  if (Status s = out.flush(); !s.ok()) return s;
  if (Status s = file.sync(); !s.ok()) return s;
  info->orders = orders.size();
  info->products = products.size();
  info->customers = customers;
  info->idempotency_replies = reply_ends.size();
  info->revocations = revocation_ends.size();
  info->captured_through_seq = captured_through;
  info->bytes = out.bytes();
  return file.close();
}

Status corruption_at(std::uint64_t offset, std::string_view what) {
  return Status::corruption("snapshot offset " + std::to_string(offset) + ": " + std::string(what));
}

// Decodes one product, customer or order record of a snapshot and restores it.
Status restore_record(Engine& engine, RecordType type, const Record& record, RestoreResult* r) {
  switch (type) {
    case RecordType::kSnapshotProduct: {
      ProductInfo product;
      if (!decode_product(record.payload, &product)) {
        return corruption_at(record.offset, "malformed product");
      }
      *r = engine.restore_product(product);
      return Status();
    }
    case RecordType::kSnapshotCustomer: {
      CustomerInfo customer;
      if (!decode_customer(record.payload, &customer)) {
        return corruption_at(record.offset, "malformed customer");
      }
      *r = engine.restore_customer(customer);
      return Status();
    }
    case RecordType::kSnapshotOrder: {
      OrderSnapshot order;
      if (!decode_order(record.payload, &order)) {
        return corruption_at(record.offset, "malformed order");
      }
      *r = engine.restore_order(std::move(order));
      return Status();
    }
    default:
      *r = RestoreResult::kInvalid;  // not a record load_snapshot restores
      return Status();
  }
}

// Restores one idempotency reply of a snapshot unless it expired by `now`.
// A snapshot holds each key once, so anything but kApplied is damage.
Status restore_reply(Engine& engine, const Record& record, Micros now, SnapshotLoadResult* result) {
  IdempotencyRecord reply;
  if (!decode_idempotency_reply(record.payload, &reply)) {
    return corruption_at(record.offset, "malformed idempotency reply");
  }
  IdempotencyStore& store = engine.idempotency();
  if (is_expired(store, reply, now)) {
    ++result->idempotency_expired;
    return Status();
  }
  RestoreResult r = store.restore(reply.key, reply.fingerprint, reply.status, reply.body,
                                  reply.etag, reply.created_at);
  if (r != RestoreResult::kApplied) {
    return corruption_at(
        record.offset, "cannot restore idempotency reply: " + std::string(restore_result_name(r)));
  }
  ++result->idempotency_restored;
  return Status();
}

// Restores one revoked token of a snapshot unless its token expired before
// `now`. A snapshot holds each id once, so anything but kApplied is damage.
Status restore_revocation(Engine& engine, const Record& record, Micros now,
                          SnapshotLoadResult* result) {
  RevokedToken revocation;
  if (!decode_revocation(record.payload, &revocation)) {
    return corruption_at(record.offset, "malformed token revocation");
  }
  if (revocation.expires_at < now) {
    ++result->revocations_expired;
    return Status();
  }
  RestoreResult r = engine.restore_revocation(revocation.id, revocation.expires_at);
  if (r != RestoreResult::kApplied) {
    return corruption_at(record.offset,
                         "cannot restore token revocation: " + std::string(restore_result_name(r)));
  }
  ++result->revocations_restored;
  return Status();
}

}  // namespace

Status write_snapshot(FileSystem& fs, const std::string& dir, const Engine& engine,
                      JournalWriter& journal, SnapshotInfo* info,
                      const SnapshotWriteOptions& options) {
  const auto start = Clock::now();
  *info = {};
  // Every record numbered below this is already reflected in the state read next.
  const std::uint64_t replay_from = journal.next_seq();
  info->replay_from_seq = replay_from;
  info->file = snapshot_file_name(replay_from);
  const std::string temp_path = join_path(dir, snapshot_temp_file_name(replay_from));
  const std::string final_path = join_path(dir, info->file);

  std::unique_ptr<WritableFile> file;
  Status s = fs.create_file(temp_path, &file);
  if (s.ok()) s = write_snapshot_file(*file, engine, journal, replay_from, options, info);
  if (s.ok()) s = fs.rename_file(temp_path, final_path);
  if (s.ok()) s = fs.sync_dir(dir);
  if (!s.ok()) {
    file.reset();
    (void)fs.remove_file(temp_path);  // best effort; recovery removes leftovers too
    return s;
  }
  info->total_micros = micros_since(start);
  return Status();
}

Status verify_snapshot(std::string_view contents, SnapshotSummary* summary) {
  StringFile file(contents);
  return verify_snapshot(file, summary);
}

Status verify_snapshot(ReadableFile& file, SnapshotSummary* summary) {
  RecordReader reader(file);
  format::FileHeader header;
  if (auto e = reader.read_header(&header); e != format::FileHeaderError::kNone) {
    if (!reader.status().ok()) return reader.status();
    return corruption_at(0, format::file_header_error_name(e));
  }
  if (header.kind != format::FileKind::kSnapshot) return corruption_at(0, "not a snapshot file");
  *summary = {};
  summary->replay_from_seq = header.first_seq;
  Record record;
  OrderSnapshot order;  // reused: decoding checks every order without allocating each
  ProductInfo product;
  CustomerInfo customer;
  IdempotencyRecord reply;
  RevokedToken revocation;
  std::uint64_t expected_seq = 1;
  bool begun = false, ended = false;
  while (true) {
    RecordReader::Outcome outcome = reader.next(&record);
    if (outcome == RecordReader::Outcome::kEnd) break;
    if (outcome == RecordReader::Outcome::kError) return reader.status();
    if (outcome == RecordReader::Outcome::kDamaged) {
      return corruption_at(reader.damage().offset, reader.damage().reason);
    }
    if (record.seq != expected_seq++) return corruption_at(record.offset, "record out of sequence");
    if (ended) return corruption_at(record.offset, "record after the end record");
    const auto type = static_cast<RecordType>(record.type);
    if (!begun && type != RecordType::kSnapshotBegin) {
      return corruption_at(record.offset, "snapshot does not start with its begin record");
    }
    switch (type) {
      case RecordType::kSnapshotBegin: {
        SnapshotBeginRecord begin;
        if (begun || !decode_snapshot_begin(record.payload, &begin) ||
            begin.replay_from_seq != header.first_seq) {
          return corruption_at(record.offset, "bad begin record");
        }
        begun = true;
        break;
      }
      case RecordType::kSnapshotOrder: {
        if (!decode_order(record.payload, &order)) {
          return corruption_at(record.offset, "malformed order");
        }
        ++summary->orders;
        break;
      }
      case RecordType::kSnapshotProduct: {
        if (!decode_product(record.payload, &product)) {
          return corruption_at(record.offset, "malformed product");
        }
        ++summary->products;
        break;
      }
      case RecordType::kSnapshotCustomer: {
        if (!decode_customer(record.payload, &customer)) {
          return corruption_at(record.offset, "malformed customer");
        }
        ++summary->customers;
        break;
      }
      case RecordType::kSnapshotIdempotencyReply: {
        if (!decode_idempotency_reply(record.payload, &reply)) {
          return corruption_at(record.offset, "malformed idempotency reply");
        }
        ++summary->idempotency_replies;
        break;
      }
      case RecordType::kSnapshotTokenRevocation: {
        if (!decode_revocation(record.payload, &revocation)) {
          return corruption_at(record.offset, "malformed token revocation");
        }
        ++summary->revocations;
        break;
      }
      case RecordType::kSnapshotEnd: {
        SnapshotEndRecord end;
        if (!decode_snapshot_end(record.payload, &end) || end.orders != summary->orders ||
            end.products != summary->products || end.customers != summary->customers ||
            end.revocations != summary->revocations) {
          return corruption_at(record.offset, "end record does not match the contents");
        }
        summary->captured_through_seq = end.captured_through_seq;
        ended = true;
        break;
      }
      default:
        if (!(record.type & format::kSkippableTypeBit)) {
          return corruption_at(record.offset, "unknown record type " + std::to_string(record.type));
        }
        break;
    }
  }
  if (!ended) return corruption_at(reader.offset(), "snapshot has no end record");
  return Status();
}

bool is_expired(const IdempotencyStore& store, const IdempotencyRecord& reply, Micros now) {
  return now - reply.created_at >= store.config().ttl.count();
}

Status load_snapshot(std::string_view contents, Engine& engine) {
  return load_snapshot(contents, engine, wall_clock_micros());
}

Status load_snapshot(std::string_view contents, Engine& engine, Micros now,
                     SnapshotLoadResult* result) {
  StringFile file(contents);
  return load_snapshot(file, engine, now, result);
}

Status load_snapshot(ReadableFile& file, Engine& engine, Micros now, SnapshotLoadResult* result) {
  SnapshotLoadResult ignored;
  if (result == nullptr) result = &ignored;
  *result = {};
  RecordReader reader(file);
  format::FileHeader header;
  if (reader.read_header(&header) != format::FileHeaderError::kNone) {
    if (!reader.status().ok()) return reader.status();
    return corruption_at(0, "bad header");
  }
  // Passes over the verified file: products, then customers, then the
  // orders that reserve the products' stock and name the customers, then
  // the idempotency replies and the revoked tokens, which depend on nothing.
  for (RecordType wanted :
       {RecordType::kSnapshotProduct, RecordType::kSnapshotCustomer, RecordType::kSnapshotOrder,
        RecordType::kSnapshotIdempotencyReply, RecordType::kSnapshotTokenRevocation}) {
    reader.rewind();
    Record record;
    RecordReader::Outcome outcome;
    while ((outcome = reader.next(&record)) == RecordReader::Outcome::kRecord) {
      if (static_cast<RecordType>(record.type) != wanted) continue;
      if (wanted == RecordType::kSnapshotIdempotencyReply) {
        if (Status s = restore_reply(engine, record, now, result); !s.ok()) return s;
        continue;
      }
      if (wanted == RecordType::kSnapshotTokenRevocation) {
        if (Status s = restore_revocation(engine, record, now, result); !s.ok()) return s;
        continue;
      }
      RestoreResult r = RestoreResult::kInvalid;
      if (Status s = restore_record(engine, wanted, record, &r); !s.ok()) return s;
      if (r != RestoreResult::kApplied) {
        return corruption_at(record.offset,
                             "cannot restore: " + std::string(restore_result_name(r)));
      }
    }
    if (outcome == RecordReader::Outcome::kError) return reader.status();
  }
  return Status();
}

}  // namespace orderd::persistence
