// Snapshots: the engine's whole state in one file, so that recovery replays
// only the journal written after it.
//
// A snapshot is fuzzy: it is captured while orders keep flowing, without
// stopping the engine. It first notes the journal position S (every record
// before S is reflected in the state it will read), then copies each order
// under that order's own lock, then each product, then each registered
// customer (implicit ones are recreated by the orders). The copy may also reflect
// some records from S on; recovery replays the journal from S, and every
// replayed change is idempotent (see Engine::restore_*), so a change seen
// twice is applied once. Products and customers are copied after the
// orders, so every product and registered customer an order names is in the
// file. Stock held and consumed is not
// copied: recovery derives it from the orders, which keeps it consistent
// whatever moment each object was copied at.
//
// Replies stored under idempotency keys are copied next, those not expired
// at capture only, so that journal segments before the snapshot can be
// deleted without losing a key. A reply stored from S on may be copied too;
// restoring it again from the journal is skipped like any change seen twice.
// Revoked tokens are copied last, the same way: those whose tokens have not
// expired at capture, each with its latest expiry.
//
// Publishing: the file is written as snapshot-<S>.snap.tmp, synced, then the
// journal is synced through the last record the capture could have seen
// (so a snapshot never holds a change the journal could lose), then the file
// is renamed into place and the directory synced. A crash at any point
// leaves either the previous snapshots only, or the new one complete.
//
// File layout (journal_format.h framing, FileKind::kSnapshot, first seq = S):
//   kSnapshotBegin, kSnapshotOrder * N, kSnapshotProduct * M,
//   kSnapshotCustomer * C (version 3), kSnapshotIdempotencyReply * K
//   (version 3, skippable; not counted in the end record, which older
//   version 3 readers check field by field), kSnapshotTokenRevocation * T
//   (version 4, counted), kSnapshotEnd
// with record sequence numbers 1, 2, 3 ... inside the file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/engine.h"
#include "persistence/file_system.h"
#include "persistence/journal_writer.h"
#include "persistence/status.h"

namespace orderd::persistence {

struct SnapshotInfo {
  std::string file;                        // name inside the data directory
  std::uint64_t replay_from_seq = 0;       // S: replay the journal from here
  std::uint64_t captured_through_seq = 0;  // the journal was synced through here
  std::uint64_t orders = 0;
  std::uint64_t products = 0;
  std::uint64_t customers = 0;            // registered ones
  std::uint64_t idempotency_replies = 0;  // not expired at capture
  std::uint64_t revocations = 0;          // tokens not expired at capture
  std::uint64_t bytes = 0;
  std::int64_t capture_micros = 0;  // copying the state (engine locks touched)
  std::int64_t total_micros = 0;    // including writing and syncing
};

struct SnapshotWriteOptions {
  // Caps the rate the file is written at (0: no cap). A disk cache flush
  // waits for everything written before it, so a snapshot written at full
  // speed makes every journal fdatasync meanwhile slower; a cap keeps the
  // latency of acknowledgements close to normal at the cost of a longer
  // snapshot.
  std::uint64_t max_bytes_per_second = 0;
};

// Writes and publishes a snapshot of `engine` into `dir`. Safe while the
// engine runs: it holds each shard lock only to collect order pointers and
// each order's lock only to encode that order. Blocks the calling thread
// for the whole write (seconds for millions of orders): call it from a
// thread of its own. On failure the temporary file is removed and earlier
// snapshots are untouched.
Status write_snapshot(FileSystem& fs, const std::string& dir, const Engine& engine,
                      JournalWriter& journal, SnapshotInfo* info,
                      const SnapshotWriteOptions& options = {});

// What verify_snapshot() found in a complete, intact snapshot file.
struct SnapshotSummary {
  std::uint64_t replay_from_seq = 0;
  std::uint64_t captured_through_seq = 0;
  std::uint64_t orders = 0;
  std::uint64_t products = 0;
  std::uint64_t customers = 0;
  std::uint64_t idempotency_replies = 0;
  std::uint64_t revocations = 0;
};

// Checks every record of the snapshot `file`, applying nothing, reading it
// in bounded blocks. Corruption names the offset of the first problem. The
// second form checks a file held whole in memory (`contents`).
Status verify_snapshot(ReadableFile& file, SnapshotSummary* summary);
Status verify_snapshot(std::string_view contents, SnapshotSummary* summary);

struct SnapshotLoadResult {
  std::uint64_t idempotency_restored = 0;
  std::uint64_t idempotency_expired = 0;  // left out: expired at `now`
  std::uint64_t revocations_restored = 0;
  std::uint64_t revocations_expired = 0;  // left out: their tokens expired before `now`
};

// Restores a verified snapshot into an empty, stopped engine: products
// first, then registered customers (before the orders, whose user ids would
// otherwise create them as implicit ones), then orders with their stock
// effect, then the idempotency replies not expired at `now` (wall clock;
// the engine's idempotency ttl decides), then the revoked tokens not
// expired at `now`. Reads `file` once per kind of record, in bounded
// blocks. The forms over `contents` read a file held whole in memory; the
// last judges expiry by the clock now.
Status load_snapshot(ReadableFile& file, Engine& engine, Micros now,
                     SnapshotLoadResult* result = nullptr);
Status load_snapshot(std::string_view contents, Engine& engine, Micros now,
                     SnapshotLoadResult* result = nullptr);
Status load_snapshot(std::string_view contents, Engine& engine);

// Whether `reply` is past the store's ttl at `now`, as the store itself
// would judge it.
bool is_expired(const IdempotencyStore& store, const IdempotencyRecord& reply, Micros now);

}  // namespace orderd::persistence
