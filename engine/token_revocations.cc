#include "engine/token_revocations.h"

#include <algorithm>
#include <bit>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "base/mutex.h"

namespace orderd {
namespace {

// Expired ids a revoke() removes from its own shard: more than the one id
// each revoke() may add, so pruning outpaces growth while tokens expire.
constexpr std::size_t kPruneStepsPerRevoke = 4;

// Lets the id index be searched by a string_view without building a string.
struct IdHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view id) const { return std::hash<std::string_view>{}(id); }
};

struct Entry {
  Micros expires_at = 0;
  DurableToken token = 0;  // the record that revoked the id until expires_at
};

}  // namespace

bool valid_token_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxTokenIdBytes) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return c >= ' ' && c <= '~'; });
}

struct alignas(64) TokenRevocations::Shard {
  using Index = std::unordered_map<std::string, Entry, IdHash, std::equal_to<>>;

  mutable SharedMutex mutex;
  Index by_id GUARDED_BY(mutex);
  // Every held id by expiry, soonest first, so pruning stops at the first
  // live one. The views point at by_id's keys, which its nodes keep in place.
  std::set<std::pair<Micros, std::string_view>> by_expiry GUARDED_BY(mutex);

  Index::iterator add(std::string_view id, Micros expires_at) REQUIRES(mutex) {
    auto it = by_id.emplace(std::string(id), Entry{expires_at, 0}).first;
    by_expiry.emplace(expires_at, it->first);
    return it;
  }

  // Moves a held id on to a later expiry.
  void extend(Index::iterator it, Micros expires_at) REQUIRES(mutex) {
    by_expiry.erase({it->second.expires_at, it->first});
    by_expiry.emplace(expires_at, it->first);
    it->second.expires_at = expires_at;
  }

  // Removes ids that expired before `now`, soonest first, looking at up to
  // `steps` of them; returns how many it removed.
  std::size_t prune(Micros now, std::size_t steps) REQUIRES(mutex) {
    std::size_t removed = 0;
    while (removed < steps && !by_expiry.empty() && by_expiry.begin()->first < now) {
      const std::string_view id = by_expiry.begin()->second;
      by_expiry.erase(by_expiry.begin());
      by_id.erase(by_id.find(id));  // the view stays valid until its node goes
      ++removed;
    }
    return removed;
  }
};

TokenRevocations::TokenRevocations(TokenRevocationsConfig config)
    : config_(config),
      shard_mask_(std::bit_ceil(std::max<std::size_t>(config.shards, 1)) - 1),
      shards_(new Shard[shard_mask_ + 1]) {
  config_.max_entries = std::max<std::size_t>(config_.max_entries, 1);
  config_.shards = shard_mask_ + 1;
}

TokenRevocations::~TokenRevocations() = default;

TokenRevocations::Shard& TokenRevocations::shard_for(std::string_view id) const {
  // The shard comes from the high bits, after a multiplicative step, so that
  // it does not follow the low bits the shard's own table buckets by.
  const std::uint64_t h = std::hash<std::string_view>{}(id);
  return shards_[((h * 0x9E3779B97F4A7C15ULL) >> 32) & shard_mask_];
}

bool TokenRevocations::try_reserve() {
  // A compare-and-swap, not an add then undo: a transient overshoot would
  // make concurrent revocations answer kFull while there was room.
  std::size_t held = size_.load(std::memory_order_relaxed);
  while (held < config_.max_entries) {
    if (size_.compare_exchange_weak(held, held + 1, std::memory_order_acq_rel)) return true;
  }
  return false;
}

bool TokenRevocations::revoked(std::string_view id) const {
  const Shard& shard = shard_for(id);
  ReaderMutexLock lock(shard.mutex);
  return shard.by_id.contains(id);
}

RevokeResult TokenRevocations::revoke(std::string_view id, Micros expires_at, Micros now) {
  if (!valid_token_id(id) || expires_at <= 0) return {RevokeOutcome::kInvalid, 0};
  if (expires_at < now) return {RevokeOutcome::kAlreadyExpired, 0};
  Shard& shard = shard_for(id);
  RevokeResult result;
  if (revoke_in(shard, id, expires_at, now, result)) return result;
  // Full. Other shards may hold expired ids that no revocation pruned yet;
  // pruning them takes their locks, which is why revoke_in() let go of this
  // shard's first. The id may have arrived meanwhile, hence the fresh look.
  if (prune(now) > 0 && revoke_in(shard, id, expires_at, now, result)) return result;
  return {RevokeOutcome::kFull, 0};
}

bool TokenRevocations::revoke_in(Shard& shard, std::string_view id, Micros expires_at, Micros now,
                                 RevokeResult& result) {
  MutexLock lock(shard.mutex);
  size_.fetch_sub(shard.prune(now, kPruneStepsPerRevoke), std::memory_order_acq_rel);
  EventSink* sink = sink_.load(std::memory_order_acquire);
  auto it = shard.by_id.find(id);
  if (it != shard.by_id.end()) {
    Entry& entry = it->second;
    if (expires_at <= entry.expires_at) {
      result = {RevokeOutcome::kAlreadyRevoked, entry.token};
      return true;
    }
    // A later expiry is a change a restart must keep: recorded like a new one.
    shard.extend(it, expires_at);
    entry.token = sink != nullptr ? sink->token_revoked(it->first, expires_at) : 0;
    result = {RevokeOutcome::kExtended, entry.token};
    return true;
  }
  if (!try_reserve()) return false;
  it = shard.add(id, expires_at);
  // Reported under the shard's lock, which revoked() needs too: nobody sees
  // the id before its record is in the stream, and a re-revocation, which
  // hands back this token, can only follow.
  const DurableToken token = sink != nullptr ? sink->token_revoked(it->first, expires_at) : 0;
  it->second.token = token;
  epoch_.fetch_add(1, std::memory_order_release);
  result = {RevokeOutcome::kRevoked, token};
  return true;
}

RestoreResult TokenRevocations::restore(std::string_view id, Micros expires_at) {
  if (!valid_token_id(id) || expires_at <= 0) return RestoreResult::kInvalid;
  Shard& shard = shard_for(id);
  MutexLock lock(shard.mutex);
  auto it = shard.by_id.find(id);
  if (it == shard.by_id.end()) {
    shard.add(id, expires_at);
    size_.fetch_add(1, std::memory_order_acq_rel);
    epoch_.fetch_add(1, std::memory_order_release);
    return RestoreResult::kApplied;
  }
  // The latest expiry wins, so records replayed in any order (a fuzzy
  // snapshot's copy, then the journal after it) end in the same state.
  if (expires_at <= it->second.expires_at) return RestoreResult::kAlreadyApplied;
  shard.extend(it, expires_at);
  it->second.token = 0;
  return RestoreResult::kApplied;
}

void TokenRevocations::for_each(Micros now,
                                const std::function<bool(const RevokedToken&)>& fn) const {
  for (std::size_t s = 0; s <= shard_mask_; ++s) {
    const Shard& shard = shards_[s];
    ReaderMutexLock lock(shard.mutex);
    for (const auto& [id, entry] : shard.by_id) {
      if (entry.expires_at < now) continue;
      if (!fn({id, entry.expires_at})) return;
    }
  }
}

std::size_t TokenRevocations::prune(Micros now) {
  std::size_t removed = 0;
  for (std::size_t s = 0; s <= shard_mask_; ++s) {
    Shard& shard = shards_[s];
    MutexLock lock(shard.mutex);
    const std::size_t n = shard.prune(now, SIZE_MAX);
    size_.fetch_sub(n, std::memory_order_acq_rel);
    removed += n;
  }
  return removed;
}

std::string_view revoke_outcome_name(RevokeOutcome outcome) {
  switch (outcome) {
    case RevokeOutcome::kRevoked:
      return "revoked";
    case RevokeOutcome::kExtended:
      return "extended";
    case RevokeOutcome::kAlreadyRevoked:
      return "already_revoked";
    case RevokeOutcome::kAlreadyExpired:
      return "already_expired";
    case RevokeOutcome::kInvalid:
      return "invalid";
    case RevokeOutcome::kFull:
      return "full";
    case RevokeOutcome::kUnavailable:
      return "unavailable";
  }
  return "unknown";
}

}  // namespace orderd
