#include "persistence/recovery.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "persistence/data_files.h"
#include "persistence/journal_format.h"
#include "persistence/record_codec.h"
#include "persistence/record_reader.h"
#include "persistence/snapshot.h"

namespace orderd::persistence {
namespace {

using Clock = std::chrono::steady_clock;
using format::RecordType;

std::int64_t micros_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
}

std::string at(const std::string& file, std::uint64_t offset) {
  return file + " offset " + std::to_string(offset);
}

class Recovery {
 public:
  Recovery(FileSystem& fs, const std::string& dir, const RecoveryOptions& options, Engine& engine,
           RecoveryResult* result)
      : fs_(fs), dir_(dir), options_(options), engine_(engine), result_(*result) {}

  Status run() {
    const auto start = Clock::now();
    now_ = options_.now != 0 ? options_.now : wall_clock_micros();
    DataDirectoryListing listing;
    if (Status s = list_data_files(fs_, dir_, &listing); !s.ok()) return s;
    remove_unfinished_snapshots(listing);
    const auto snapshot_start = Clock::now();
    if (Status s = load_newest_snapshot(listing); !s.ok()) return s;
    result_.snapshot_micros = micros_since(snapshot_start);
    const auto replay_start = Clock::now();
    if (Status s = replay(listing); !s.ok()) return s;
    result_.replay_micros = micros_since(replay_start);
    result_.next_seq = std::max(result_.last_seq + 1, result_.replay_from_seq);
    if (result_.replay_from_seq > result_.last_seq + 1) {
      report(Severity::kWarning, "the journal ends at record " + std::to_string(result_.last_seq) +
                                     ", before the snapshot's position " +
                                     std::to_string(result_.replay_from_seq) +
                                     "; continuing from the snapshot");
    }
    result_.resumed_orders = static_cast<std::uint64_t>(engine_.counters().in_flight);
    result_.total_micros = micros_since(start);
    return Status();
  }

 private:
  void report(Severity severity, const std::string& message) {
    if (options_.reporter) options_.reporter(severity, message);
  }

  std::string path(const std::string& name) const { return join_path(dir_, name); }

  void remove_unfinished_snapshots(const DataDirectoryListing& listing) {
    for (const auto& temp : listing.temporaries) {
      Status s = fs_.remove_file(path(temp.name));
      report(s.ok() ? Severity::kInfo : Severity::kWarning,
             s.ok() ? "removed unfinished snapshot " + temp.name
                    : "cannot remove unfinished snapshot: " + s.to_string());
    }
  }

  Status load_newest_snapshot(const DataDirectoryListing& listing) {
    for (auto it = listing.snapshots.rbegin(); it != listing.snapshots.rend(); ++it) {
      SnapshotSummary summary;
      std::unique_ptr<ReadableFile> file;
      Status s = fs_.open_file(path(it->name), &file);
      if (s.ok()) s = verify_snapshot(*file, &summary);
      if (s.ok() && summary.replay_from_seq != it->seq) {
        s = Status::corruption("its header names position " +
                               std::to_string(summary.replay_from_seq));
      }
      if (!s.ok()) {
        ++result_.snapshots_skipped;
        report(Severity::kWarning, "snapshot " + it->name + " is unusable (" + s.to_string() +
                                       "); falling back to the one before it");
        continue;
      }
      SnapshotLoadResult loaded;
      if (Status load = load_snapshot(*file, engine_, now_, &loaded); !load.ok()) {
        // Verified yet not loadable: the engine is half-filled, so no
        // fallback is possible. Only a bug or a failing disk gets here.
        if (load.is_io_error()) return load;
        return Status::corruption(it->name + ": " + load.message());
      }
      result_.snapshot_file = it->name;
      result_.snapshot_orders = summary.orders;
      result_.snapshot_products = summary.products;
      result_.snapshot_customers = summary.customers;
      result_.idempotency_restored = loaded.idempotency_restored;
      result_.idempotency_expired = loaded.idempotency_expired;
      result_.revocations_restored = loaded.revocations_restored;
      result_.revocations_expired = loaded.revocations_expired;
      result_.replay_from_seq = summary.replay_from_seq;
      report(Severity::kInfo, "loaded snapshot " + it->name + " (" +
                                  std::to_string(summary.orders) + " orders, " +
                                  std::to_string(summary.products) + " products, " +
                                  std::to_string(summary.customers) + " customers)");
      return Status();
    }
    if (!listing.snapshots.empty()) {
      report(Severity::kWarning, "no usable snapshot; replaying the whole journal");
    }
    result_.replay_from_seq = 1;
    return Status();
  }

  Status replay(const DataDirectoryListing& listing) {
    const auto& journals = listing.journals;
    // Start at the last segment that begins at or before the replay position;
    // earlier ones hold only records the snapshot covers.
    std::size_t first = 0;
    for (std::size_t i = 0; i < journals.size(); ++i) {
      if (journals[i].seq <= result_.replay_from_seq) first = i;
    }
    for (std::size_t i = first; i < journals.size(); ++i) {
      const bool newest = i + 1 == journals.size();
      bool stop = false;
      if (Status s = replay_segment(journals[i], newest, &stop); !s.ok()) return s;
      ++result_.segments_read;
      if (stop) {
        set_aside(journals, i + 1);
        break;
      }
    }
    return Status();
  }

  // Replays one segment. Sets `stop` when the log was cut inside it.
  Status replay_segment(const DataFile& segment, bool newest, bool* stop) {
    const std::string file_path = path(segment.name);
    std::unique_ptr<ReadableFile> file;
    if (Status s = fs_.open_file(file_path, &file); !s.ok()) return s;
    RecordReader reader(*file);
    const std::uint64_t size = file->size();
    format::FileHeader header;
    if (auto e = reader.read_header(&header); e != format::FileHeaderError::kNone) {
      if (!reader.status().ok()) return reader.status();
      if (e == format::FileHeaderError::kNewerVersion) {
        return Status::invalid_argument(segment.name + " was written by a newer orderd");
      }
      std::uint64_t found = 0;
      const bool removable = newest && !reader.find_intact_record(0, &found);
      if (!reader.status().ok()) return reader.status();
      if (removable) {
        // Created but never written past its header: a crash during rotation.
        report(Severity::kWarning, "removing journal segment " + segment.name +
                                       " with a torn header and no records (" +
                                       std::string(format::file_header_error_name(e)) + ")");
        return fs_.remove_file(file_path);
      }
      return damaged(segment, 0, format::file_header_error_name(e), size, stop);
    }
    if (header.kind != format::FileKind::kJournal || header.first_seq != segment.seq) {
      return damaged(segment, 0, "header does not match the file name", size, stop);
    }
    Record record;
    bool first_record = true;
    while (true) {
      RecordReader::Outcome outcome = reader.next(&record);
      if (outcome == RecordReader::Outcome::kEnd) return Status();
      if (outcome == RecordReader::Outcome::kError) return reader.status();
      if (outcome == RecordReader::Outcome::kDamaged) {
        const RecordDamage& damage = reader.damage();
        if (damage.is_tail && newest) return cut_torn_tail(segment, damage, size, stop);
        std::string reason = damage.reason;
        if (damage.is_tail) {
          reason += " at the end of a segment that is not the newest";
        } else {
          reason +=
              "; an intact record follows at offset " + std::to_string(damage.next_intact_offset);
        }
        return damaged(segment, damage.offset, reason, size, stop);
      }
      if (first_record && record.seq != header.first_seq) {
        return Status::corruption(at(segment.name, record.offset) +
                                  ": first record does not match the file header");
      }
      first_record = false;
      if (Status s = check_sequence(segment, record); !s.ok()) return s;
      if (Status s = apply(segment, record); !s.ok()) return s;
    }
  }

  Status check_sequence(const DataFile& segment, const Record& record) {
    const std::uint64_t expected = result_.last_seq + 1;
    if (result_.last_seq == 0) {
      // The first record read must not start after the replay position.
      if (record.seq > result_.replay_from_seq) {
        return Status::corruption(at(segment.name, record.offset) + ": journal records " +
                                  std::to_string(result_.replay_from_seq) + " to " +
                                  std::to_string(record.seq - 1) + " are missing");
      }
    } else if (record.seq != expected) {
      return Status::corruption(at(segment.name, record.offset) + ": expected record " +
                                std::to_string(expected) + ", found " + std::to_string(record.seq) +
                                (record.seq > expected ? " (records are missing)" : ""));
    }
    result_.last_seq = record.seq;
    return Status();
  }

  Status apply(const DataFile& segment, const Record& record) {
    if (record.seq < result_.replay_from_seq) return Status();  // in the snapshot
    RestoreResult r = RestoreResult::kInvalid;
    bool decoded = false;
    switch (static_cast<RecordType>(record.type)) {
      case RecordType::kOrderAccepted:
        // An accepted order has no notes yet: the records after it rebuild them.
        decoded = decode_order(record.payload, &order_) && order_.notes.empty();
        if (decoded) r = engine_.restore_order(std::move(order_));
        break;
      case RecordType::kOrderStatusChanged:
        decoded = decode_status_change(record.payload, &transition_, &unit_prices_);
        if (decoded) r = engine_.restore_transition(transition_);
        break;
      case RecordType::kOrderUpdated:
        decoded = decode_order_update(record.payload, &update_);
        if (decoded) {
          r = engine_.restore_update(update_.client_id, update_.details, update_.note, update_.at);
        }
        break;
      case RecordType::kCustomerAdded:
        decoded = decode_customer(record.payload, &customer_);
        if (decoded) r = engine_.restore_customer(customer_);
        break;
      case RecordType::kProductAdded:
        decoded = decode_product(record.payload, &product_);
        if (decoded) r = engine_.restore_product(product_);
        break;
      case RecordType::kProductRestocked:
        decoded = decode_restock(record.payload, &restock_);
        if (decoded) {
          r = engine_.restore_restock(restock_.product_id, restock_.quantity,
                                      restock_.restocked_total);
        }
        break;
      case RecordType::kIdempotencyReply:
        decoded = decode_idempotency_reply(record.payload, &reply_);
        if (decoded && is_expired(engine_.idempotency(), reply_, now_)) {
          // Never replayable again: not worth the memory.
          ++result_.idempotency_expired;
          return Status();
        }
        if (decoded) {
          r = engine_.idempotency().restore(reply_.key, reply_.fingerprint, reply_.status,
                                            reply_.body, reply_.etag, reply_.created_at);
          if (r == RestoreResult::kApplied) ++result_.idempotency_restored;
        }
        break;
      case RecordType::kTokenRevoked:
        decoded = decode_revocation(record.payload, &revocation_);
        if (decoded && revocation_.expires_at < now_) {
          // Its token is refused by its expiry: not worth the memory.
          ++result_.revocations_expired;
          return Status();
        }
        if (decoded) {
          r = engine_.restore_revocation(revocation_.id, revocation_.expires_at);
          if (r == RestoreResult::kApplied) ++result_.revocations_restored;
        }
        break;
      default:
        if (record.type & format::kSkippableTypeBit) {
          ++result_.records_skipped;
          return Status();
        }
        return Status::corruption(at(segment.name, record.offset) + ": record type " +
                                  std::to_string(record.type) + " (" +
                                  std::string(format::record_type_name(record.type)) +
                                  ") cannot be in a journal or needs a newer orderd");
    }
    if (!decoded) {
      return Status::corruption(at(segment.name, record.offset) + ": malformed " +
                                std::string(format::record_type_name(record.type)) + " record " +
                                std::to_string(record.seq));
    }
    if (r == RestoreResult::kApplied) {
      ++result_.records_replayed;
    } else if (r == RestoreResult::kAlreadyApplied) {
      ++result_.records_already_applied;
    } else {
      return Status::corruption(at(segment.name, record.offset) + ": " +
                                std::string(format::record_type_name(record.type)) + " record " +
                                std::to_string(record.seq) + " cannot be replayed (" +
                                std::string(restore_result_name(r)) + ")");
    }
    return Status();
  }

  Status cut_torn_tail(const DataFile& segment, const RecordDamage& damage, std::uint64_t size,
                       bool* stop) {
    if (Status s = fs_.truncate_file(path(segment.name), damage.offset); !s.ok()) return s;
    note_cut(segment, damage.offset, size);
    report(Severity::kWarning, "journal " + segment.name + ": cut a torn tail of " +
                                   std::to_string(size - damage.offset) + " bytes at offset " +
                                   std::to_string(damage.offset) + " (" + damage.reason +
                                   "); the last intact record is " +
                                   std::to_string(result_.last_seq));
    *stop = true;
    return Status();
  }

  // Damage that is not a torn tail: corruption, unless told to cut there.
  Status damaged(const DataFile& segment, std::uint64_t offset, std::string_view reason,
                 std::uint64_t size, bool* stop) {
    std::string where = at(segment.name, offset);
    if (!options_.truncate_at_corruption) {
      return Status::corruption(where + ": " + std::string(reason) +
                                " (start with the option to truncate at corruption to cut the "
                                "journal here and keep the rest aside)");
    }
    // Keep the cut bytes aside before cutting them off.
    const std::string file_path = path(segment.name);
    std::unique_ptr<ReadableFile> damaged_file;
    if (Status s = fs_.open_file(file_path, &damaged_file); !s.ok()) return s;
    std::string aside = file_path + ".discarded-at-" + std::to_string(offset);
    std::unique_ptr<WritableFile> file;
    Status s = fs_.create_file(aside, &file);
    if (s.ok()) s = copy_tail(*damaged_file, offset, *file);
    if (s.ok()) s = file->sync();
    if (s.ok()) s = file->close();
    damaged_file.reset();
    if (s.ok()) {
      // A file cut inside its header would read as damaged again: remove it.
      s = offset < format::kFileHeaderSize ? fs_.remove_file(file_path)
                                           : fs_.truncate_file(file_path, offset);
    }
    if (s.ok()) s = fs_.sync_dir(dir_);
    if (!s.ok()) return s;
    note_cut(segment, offset, size);
    report(Severity::kError, "journal corruption at " + where + ": " + std::string(reason) +
                                 "; cut " + std::to_string(size - offset) +
                                 " bytes there as asked, kept in " + aside);
    *stop = true;
    return Status();
  }

  void note_cut(const DataFile& segment, std::uint64_t offset, std::uint64_t size) {
    result_.truncated_file = segment.name;
    result_.truncated_offset = offset;
    result_.truncated_bytes = size - offset;
  }

  // Segments after a cut cannot be replayed (their records would leave a
  // gap): renamed to *.discarded so nothing is lost for good.
  void set_aside(const std::vector<DataFile>& journals, std::size_t from) {
    for (std::size_t i = from; i < journals.size(); ++i) {
      std::string from_path = path(journals[i].name);
      Status s = fs_.rename_file(from_path, from_path + ".discarded");
      report(s.ok() ? Severity::kError : Severity::kWarning,
             s.ok() ? "set aside journal segment " + journals[i].name + " after the cut"
                    : "cannot set aside " + journals[i].name + ": " + s.to_string());
    }
    if (from < journals.size()) (void)fs_.sync_dir(dir_);
  }

  FileSystem& fs_;
  const std::string& dir_;
  const RecoveryOptions& options_;
  Engine& engine_;
  RecoveryResult& result_;
  // Reused per record so replay allocates only what the engine keeps.
  OrderSnapshot order_;
  OrderTransition transition_;
  std::vector<Cents> unit_prices_;
  OrderUpdateRecord update_;
  CustomerInfo customer_;
  ProductInfo product_;
  RestockRecord restock_;
  IdempotencyRecord reply_;
  RevokedToken revocation_;
  Micros now_ = 0;
};

}  // namespace

Status recover(FileSystem& fs, const std::string& dir, const RecoveryOptions& options,
               Engine& engine, RecoveryResult* result) {
  *result = {};
  return Recovery(fs, dir, options, engine, result).run();
}

}  // namespace orderd::persistence
