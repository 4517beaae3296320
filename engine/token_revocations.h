// Revoked tokens: the ids of access tokens that must be refused before they
// expire (a sign-out, a stolen token), each with the instant its token
// expires anyway. The engine knows nothing of the tokens themselves: an id
// is an opaque string (a JWT's "jti"), an expiry a wall clock instant.
//
//   revoke(id, expires_at, now)
//        ├── kRevoked         new: held, reported to the sink, epoch() + 1
//        ├── kExtended        held already, now until a later instant: reported
//        ├── kAlreadyRevoked  held already until then or later: nothing recorded
//        ├── kAlreadyExpired  expires_at < now: refused by its expiry anyway
//        ├── kInvalid         not a token id (valid_token_id), or expires_at <= 0
//        └── kFull            max_entries live ids are held: nothing recorded
//
// Callers that check every request keep answers: "id X was not revoked at
// epoch E" stays true while epoch() reads E, because a new revocation bumps
// the epoch only once revoked() sees the id. epoch() is one atomic load.
//
// An id is worth holding only until its token expires. Expired ids are
// pruned lazily: each revoke() removes a few from its shard, a revoke() that
// finds the set full prunes every shard before it answers kFull, and
// prune() removes them on demand. revoked() may answer true for an expired
// id not yet pruned; its token is refused for its expiry anyway.
//
// The number of ids held is bounded (max_entries): a full set refuses a new
// revocation rather than forget a live one, since forgetting one would let
// its token in again.
//
// Thread safety: every method may be called from any thread at once. Ids are
// spread over independently locked shards: revoked() takes one shard's lock
// shared; revoke() takes it exclusively and reports to the sink under it, so
// the records of one id arrive in the order they were applied (a full set's
// revoke() visits the other shards in turn, never holding two locks).
// Memory, measured: about 145 bytes per id of up to 15 bytes, 200 bytes per
// 36-byte id (a UUID's text), so 200 MB for 1,000,000 such ids.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "engine/event_sink.h"
#include "engine/restore_result.h"
#include "engine/types.h"

namespace orderd {

// Longest token id held: callers refuse longer ones, and a record of an id
// may spend a single byte on its length.
inline constexpr std::size_t kMaxTokenIdBytes = 128;

// 1 to kMaxTokenIdBytes bytes, each printable ASCII (' ' to '~'): what a
// token id may be, here and in the journal.
bool valid_token_id(std::string_view id);

struct TokenRevocationsConfig {
  std::size_t max_entries = 1'000'000;  // ids held, expired ones not yet pruned included
  std::size_t shards = 16;              // rounded up to a power of two
};

enum class RevokeOutcome : std::uint8_t {
  kRevoked,
  kExtended,
  kAlreadyRevoked,
  kAlreadyExpired,
  kInvalid,
  kFull,
  kUnavailable,  // only Engine::revoke_token: writes are refused
};

struct RevokeResult {
  RevokeOutcome outcome = RevokeOutcome::kRevoked;
  // The position of the record that revoked the id until its current
  // expiry: this call's (kRevoked, kExtended) or an earlier one's
  // (kAlreadyRevoked, which must not be answered before it is durable
  // either); 0 without a sink, for a restored id, or when nothing applies.
  DurableToken durable_token = 0;

  bool newly_revoked() const { return outcome == RevokeOutcome::kRevoked; }
  // The token is refused from now on (once durable_token is durable).
  bool ok() const {
    return outcome == RevokeOutcome::kRevoked || outcome == RevokeOutcome::kExtended ||
           outcome == RevokeOutcome::kAlreadyRevoked || outcome == RevokeOutcome::kAlreadyExpired;
  }
};

// A held revocation as for_each() shows it; the id is valid during the call.
struct RevokedToken {
  std::string_view id;
  Micros expires_at = 0;  // wall clock
};

class TokenRevocations {
 public:
  explicit TokenRevocations(TokenRevocationsConfig config = {});
  ~TokenRevocations();
  TokenRevocations(const TokenRevocations&) = delete;
  TokenRevocations& operator=(const TokenRevocations&) = delete;

  const TokenRevocationsConfig& config() const { return config_; }

  // Reports every revocation revoke() makes to `sink` (nullptr: none);
  // restore() bypasses it. Same rules as Engine::set_event_sink, which calls
  // this.
  void set_event_sink(EventSink* sink) { sink_.store(sink, std::memory_order_release); }

  // Whether `id` is held. One shared shard lock and a hash lookup; no
  // allocation.
  bool revoked(std::string_view id) const;

  // Bumped by every id newly held (revoke's kRevoked, restore of a new id),
  // after revoked() can see it. One atomic load.
  std::uint64_t epoch() const { return epoch_.load(std::memory_order_acquire); }

  // Revokes `id` until `expires_at`, judged at wall clock time `now` (see
  // the diagram above). Allocates for a new id.
  RevokeResult revoke(std::string_view id, Micros expires_at, Micros now);

  // Recovery: holds `id` until `expires_at`, or later if it is held until
  // later already, bypassing the sink and the bound (a revocation already
  // promised is kept even if max_entries shrank). kAlreadyApplied if held
  // until then or later; kInvalid as for revoke(). Expiry is not judged:
  // the caller leaves out what has expired. Thread-safe, but meant for
  // before requests arrive.
  RestoreResult restore(std::string_view id, Micros expires_at);

  // Calls fn for every id whose token has not expired at `now` (expires_at
  // >= now), one shard at a time under its shared lock; fn returns false to
  // stop. Revocations of the shard being visited wait, so keep fn short.
  void for_each(Micros now, const std::function<bool(const RevokedToken&)>& fn) const;

  // Removes every id whose token expired before `now`; returns how many.
  // revoke() does this by itself; for maintenance and tests.
  std::size_t prune(Micros now);

  // Ids held, expired ones not yet pruned included.
  std::size_t size() const { return size_.load(std::memory_order_acquire); }

 private:
  struct Shard;

  Shard& shard_for(std::string_view id) const;
  // revoke() within one shard; false, with nothing changed, if a new id
  // finds the set full.
  bool revoke_in(Shard& shard, std::string_view id, Micros expires_at, Micros now,
                 RevokeResult& result);
  // Counts one more id unless max_entries are held.
  bool try_reserve();

  TokenRevocationsConfig config_;
  std::size_t shard_mask_;
  std::unique_ptr<Shard[]> shards_;
  std::atomic<std::size_t> size_{0};
  std::atomic<std::uint64_t> epoch_{0};
  std::atomic<EventSink*> sink_{nullptr};
};

std::string_view revoke_outcome_name(RevokeOutcome outcome);

}  // namespace orderd
