// Recovery: rebuilds the engine's state from a data directory.
//
//   1. Remove unfinished snapshots (*.snap.tmp) left by a crash.
//   2. Load the newest snapshot that verifies; if it does not, warn and try
//      the one before it; with none, start empty.
//   3. Replay the journal from the snapshot's replay-from position, record
//      by record, idempotently (a change the snapshot already holds is
//      skipped). Sequence numbers must run on without a gap.
//   4. Damage with no intact record after it in the newest segment is a
//      torn tail, the end of the log: the file is cut there and the cut is
//      reported. Any other damage is corruption: recovery fails with the
//      file and offset, unless `truncate_at_corruption` says to cut the log
//      there (what follows is kept aside in *.discarded files, not deleted).
//   5. Replies stored under idempotency keys are put back (from the
//      snapshot and the journal), except those already expired at `now`
//      by the engine's idempotency ttl: they could never be replayed.
//      Revoked tokens likewise, except those whose tokens expired before
//      `now`: they are refused by their expiry anyway.
//   6. Orders still Pending or Processing are queued by the engine's restore
//      and resume when it starts, each completing once, with its original
//      timestamps.
//
// Nothing is written to the journal here; the caller opens a JournalWriter
// at `next_seq` afterwards.
#pragma once

#include <cstdint>
#include <string>

#include "engine/engine.h"
#include "persistence/file_system.h"
#include "persistence/reporter.h"
#include "persistence/status.h"

namespace orderd::persistence {

struct RecoveryOptions {
  // Cut the journal at damage before its tail instead of refusing to start.
  bool truncate_at_corruption = false;
  Reporter reporter;  // may be empty
  // The wall clock instant the expiry of idempotency replies and revoked
  // tokens is judged at (0: the clock when recovery starts).
  Micros now = 0;
};

struct RecoveryResult {
  std::string snapshot_file;  // the snapshot loaded; empty if none
  std::uint64_t snapshot_orders = 0;
  std::uint64_t snapshot_products = 0;
  std::uint64_t snapshot_customers = 0;  // registered ones
  std::uint64_t snapshots_skipped = 0;   // newer snapshots that did not verify
  std::uint64_t replay_from_seq = 1;
  std::uint64_t records_replayed = 0;         // at or after replay_from, applied
  std::uint64_t records_already_applied = 0;  // at or after replay_from, already in the snapshot
  std::uint64_t records_skipped = 0;          // unknown types marked skippable
  std::uint64_t segments_read = 0;
  std::uint64_t last_seq = 0;        // the last intact journal record (0: none)
  std::uint64_t next_seq = 1;        // where the journal continues
  std::uint64_t resumed_orders = 0;  // Pending or Processing, queued to resume
  // Idempotency replies put back, from the snapshot and the journal (a
  // reply in both counts once), and replies left out as expired.
  std::uint64_t idempotency_restored = 0;
  std::uint64_t idempotency_expired = 0;
  // Revocation records applied, from the snapshot and the journal (one the
  // snapshot already holds is not counted again; an extension counts), and
  // those left out because their tokens had expired.
  std::uint64_t revocations_restored = 0;
  std::uint64_t revocations_expired = 0;
  // A cut torn tail or (with truncate_at_corruption) a cut at corruption.
  std::string truncated_file;
  std::uint64_t truncated_offset = 0;
  std::uint64_t truncated_bytes = 0;
  std::int64_t snapshot_micros = 0;  // reading, verifying and loading the snapshot
  std::int64_t replay_micros = 0;
  std::int64_t total_micros = 0;
};

// Recovers `dir` into `engine`, which must be stopped and empty. The data
// directory must exist. On failure the engine holds a partial state and
// must be discarded.
Status recover(FileSystem& fs, const std::string& dir, const RecoveryOptions& options,
               Engine& engine, RecoveryResult* result);

}  // namespace orderd::persistence
