// Idempotency keys: the first reply to a request made under a key is kept,
// and a retry under the same key gets that reply again instead of making the
// change twice. The store knows nothing of HTTP: a request is a 64-bit
// fingerprint (a hash its caller computes from whatever makes two requests
// "the same"), and a reply is a status code, a body and an entity tag, all
// kept as given.
//
//   begin(key) ── kStarted ──> caller runs the request ──> finish(key, reply)
//        │                                            └──> abandon(key)
//        ├── kReplay     the stored reply, for the same fingerprint
//        ├── kMismatch   the key was used for a different request
//        ├── kInProgress the same request is running under the key now
//        └── kFull       no room for another key; retry later
//
// A stored reply expires `ttl` after it was stored (wall clock, so that a
// stored created_at keeps its meaning across restarts); an expired one is
// treated as absent and its memory is reclaimed lazily: each begin() prunes a
// few of the oldest entries of its shard, and a begin() that finds the store
// full prunes some in every shard before it gives up. Entries in progress
// never expire: their request is still running, and its finish() or
// abandon() is what ends them.
//
// The number of keys is bounded (max_keys): a full store refuses new keys
// (kFull) rather than forget a stored reply early, since forgetting one
// would silently let a retry make its change a second time.
//
// Thread safety: every method may be called from any thread at once. Keys
// are split over independently locked shards; begin(), finish() and
// abandon() lock one shard (a full store's begin() visits the others in
// turn, never holding two locks). Memory: about 200 bytes per key plus the
// key, body and entity tag themselves (300 bytes for a 36-byte key and a
// 42-byte body, measured).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "engine/event_sink.h"
#include "engine/restore_result.h"
#include "engine/types.h"

namespace orderd {

// Longest key the store is meant for: callers refuse longer ones, and a
// record of a key may spend a single byte on its length.
inline constexpr std::size_t kMaxIdempotencyKeyBytes = 255;

struct IdempotencyConfig {
  std::chrono::microseconds ttl = std::chrono::hours(24);  // positive
  std::size_t max_keys = 1'000'000;                        // stored and in progress together
  std::size_t shards = 64;                                 // rounded up to a power of two
};

// A reply as the store keeps it: a status code, and body and entity tag
// text exactly as the caller gave them (the tag may be empty).
struct StoredReply {
  unsigned status = 0;
  std::string body;
  std::string etag;
};

enum class BeginOutcome : std::uint8_t {
  kStarted,     // the key is now in progress: run the request, then finish() or abandon()
  kReplay,      // a reply is stored for this key and fingerprint: answer it
  kMismatch,    // the key is taken by a request with another fingerprint
  kInProgress,  // a request with this key and fingerprint is running now
  kFull,        // max_keys keys are held and none has expired: nothing was stored
};

struct BeginResult {
  BeginOutcome outcome = BeginOutcome::kStarted;
  StoredReply reply;  // with kReplay: a copy of the stored reply
};

// A stored reply as for_each() shows it; the views are valid during the call.
struct IdempotencyRecord {
  std::string_view key;
  std::uint64_t fingerprint = 0;
  unsigned status = 0;
  std::string_view body;
  std::string_view etag;
  Micros created_at = 0;  // when the reply was stored (wall clock)
};

class IdempotencyStore {
 public:
  explicit IdempotencyStore(IdempotencyConfig config = {});
  ~IdempotencyStore();
  IdempotencyStore(const IdempotencyStore&) = delete;
  IdempotencyStore& operator=(const IdempotencyStore&) = delete;

  const IdempotencyConfig& config() const { return config_; }

  // Reports every reply finish() stores to `sink` (nullptr: none); restore()
  // bypasses it. Same rules as Engine::set_event_sink, which calls this.
  void set_event_sink(EventSink* sink) { sink_.store(sink, std::memory_order_release); }

  // Looks `key` up at wall clock time `now`. Absent or expired: the key is
  // taken for this request (kStarted), or kFull. The caller validates keys
  // (at most kMaxIdempotencyKeyBytes bytes). Allocates for a new key and for
  // the copy of a replayed reply.
  BeginResult begin(std::string_view key, std::uint64_t fingerprint, Micros now);

  // Stores the reply of the request begin() started under `key`, stamped
  // `now`, and reports it to the event sink; returns the sink's token (0
  // without a sink), which must be durable before the reply is sent. Does
  // nothing and returns 0 if the key is not in progress.
  DurableToken finish(std::string_view key, unsigned status, std::string_view body,
                      std::string_view etag, Micros now);

  // Forgets the request begin() started under `key` without storing a reply
  // (one that must not be replayed, such as a server error): the next
  // begin() with the key starts afresh. Does nothing unless it is in progress.
  void abandon(std::string_view key);

  // Recovery: puts back a reply as it was stored, bypassing the sink and the
  // key bound (a guarantee already given is kept even if max_keys shrank).
  // kAlreadyApplied if the key holds a reply stored at the same time or
  // later (a later one is the key reused after it expired); kInvalid for an
  // empty or too long key or a status outside 100-599. Thread-safe, but
  // meant for before requests arrive.
  RestoreResult restore(std::string_view key, std::uint64_t fingerprint, unsigned status,
                        std::string_view body, std::string_view etag, Micros created_at);

  // Calls fn for every stored reply (expired ones not yet pruned included;
  // compare created_at with the ttl to skip them), one shard at a time under
  // its lock; fn returns false to stop. Keys in progress are not visited.
  // Requests on the shard being visited wait, so keep fn short.
  void for_each(const std::function<bool(const IdempotencyRecord&)>& fn) const;

  // Removes expired replies, looking at no more than about `max_steps`
  // entries over all shards; returns how many it removed. begin() does this
  // by itself; for maintenance and tests.
  std::size_t prune(Micros now, std::size_t max_steps);

  // Keys held, stored and in progress.
  std::size_t size() const { return size_.load(std::memory_order_acquire); }

 private:
  struct Entry;
  struct Shard;

  Shard& shard_for(std::string_view key) const;
  // begin() within one shard; false, with nothing changed, if a new key
  // finds the store full.
  bool begin_in(Shard& shard, std::string_view key, std::uint64_t fingerprint, Micros now,
                BeginResult& result);
  // Counts one more key unless max_keys are held.
  bool try_reserve();

  IdempotencyConfig config_;
  std::size_t shard_mask_;
  std::unique_ptr<Shard[]> shards_;
  std::atomic<std::size_t> size_{0};
  std::atomic<std::size_t> prune_cursor_{0};
  std::atomic<EventSink*> sink_{nullptr};
};

std::string_view begin_outcome_name(BeginOutcome outcome);

}  // namespace orderd
