#include "engine/idempotency_store.h"

#include <algorithm>
#include <bit>
#include <list>
#include <unordered_map>

#include "base/mutex.h"

namespace orderd {
namespace {

// Oldest entries a begin() looks at in its own shard: more than the one
// entry each begin() may add, so pruning outpaces growth under traffic.
constexpr std::size_t kPruneStepsPerBegin = 4;
// Entries a begin() that finds the store full looks at over all shards
// before it answers kFull.
constexpr std::size_t kPruneStepsWhenFull = 1024;

enum class State : std::uint8_t { kInProgress, kDone };

}  // namespace

struct IdempotencyStore::Entry {
  std::string key;
  std::uint64_t fingerprint = 0;
  State state = State::kInProgress;
  unsigned status = 0;
  std::string body;
  std::string etag;
  // In progress: when begin() took the key; done: when the reply was stored.
  Micros created_at = 0;

  bool expired(Micros now, Micros ttl) const {
    return state == State::kDone && now - created_at >= ttl;
  }
};

struct alignas(64) IdempotencyStore::Shard {
  using List = std::list<Entry>;

  mutable Mutex mutex;
  // Oldest first. Replies are appended when stored, so while the clock runs
  // forward they also expire front first, and pruning stops at the first
  // live one. Entries in progress never expire; pruning moves any it meets
  // to the back, and finish() moves its entry to the back too. A clock that
  // steps back only delays the pruning of what was stored meanwhile: begin()
  // checks every entry's own age anyway.
  List entries GUARDED_BY(mutex);
  // Views of Entry::key, which list nodes keep in place.
  std::unordered_map<std::string_view, List::iterator> index GUARDED_BY(mutex);

  List::iterator find(std::string_view key) REQUIRES(mutex) {
    auto it = index.find(key);
    return it == index.end() ? entries.end() : it->second;
  }

  void erase(List::iterator it) REQUIRES(mutex) {
    index.erase(std::string_view(it->key));
    entries.erase(it);
  }

  List::iterator append(std::string_view key) REQUIRES(mutex) {
    entries.emplace_back();
    auto it = std::prev(entries.end());
    it->key.assign(key);
    index.emplace(std::string_view(it->key), it);
    return it;
  }

  void move_to_back(List::iterator it) REQUIRES(mutex) {
    entries.splice(entries.end(), entries, it);
  }

  // Removes expired replies from the front, looking at up to `steps`
  // entries; returns how many it removed.
  std::size_t prune(Micros now, Micros ttl, std::size_t steps) REQUIRES(mutex) {
    std::size_t removed = 0;
    for (std::size_t i = 0; i < steps && !entries.empty(); ++i) {
      auto front = entries.begin();
      if (front->state == State::kInProgress) {
        if (std::next(front) == entries.end()) break;
        move_to_back(front);
        continue;
      }
      if (!front->expired(now, ttl)) break;
      erase(front);
      ++removed;
    }
    return removed;
  }
};

IdempotencyStore::IdempotencyStore(IdempotencyConfig config)
    : config_(config),
      shard_mask_(std::bit_ceil(std::max<std::size_t>(config.shards, 1)) - 1),
      shards_(new Shard[shard_mask_ + 1]) {
  config_.ttl = std::max(config_.ttl, std::chrono::microseconds(1));
  config_.max_keys = std::max<std::size_t>(config_.max_keys, 1);
  config_.shards = shard_mask_ + 1;
}

IdempotencyStore::~IdempotencyStore() = default;

IdempotencyStore::Shard& IdempotencyStore::shard_for(std::string_view key) const {
  // The shard index comes from the high bits, after a multiplicative step,
  // so that it does not follow the low bits the shard's own table buckets by.
  const std::uint64_t h = std::hash<std::string_view>{}(key);
  return shards_[((h * 0x9E3779B97F4A7C15ULL) >> 32) & shard_mask_];
}

bool IdempotencyStore::try_reserve() {
  // A compare-and-swap, not an add then undo: a transient overshoot would
  // make concurrent begin()s answer kFull while there was room.
  std::size_t held = size_.load(std::memory_order_relaxed);
  while (held < config_.max_keys) {
    if (size_.compare_exchange_weak(held, held + 1, std::memory_order_acq_rel)) return true;
  }
  return false;
}

BeginResult IdempotencyStore::begin(std::string_view key, std::uint64_t fingerprint, Micros now) {
  Shard& shard = shard_for(key);
  BeginResult result;
  if (begin_in(shard, key, fingerprint, now, result)) return result;
  // Full. Other shards may hold expired replies that no traffic pruned yet;
  // pruning them takes their locks, which is why begin_in() let go of this
  // shard's first. The key may have arrived meanwhile, hence the fresh look.
  if (prune(now, kPruneStepsWhenFull) > 0 && begin_in(shard, key, fingerprint, now, result)) {
    return result;
  }
  return {BeginOutcome::kFull, {}};
}

bool IdempotencyStore::begin_in(Shard& shard, std::string_view key, std::uint64_t fingerprint,
                                Micros now, BeginResult& result) {
  const Micros ttl = config_.ttl.count();
  MutexLock lock(shard.mutex);
  size_.fetch_sub(shard.prune(now, ttl, kPruneStepsPerBegin), std::memory_order_acq_rel);
  auto it = shard.find(key);
  if (it != shard.entries.end() && !it->expired(now, ttl)) {
    if (it->fingerprint != fingerprint) {
      result.outcome = BeginOutcome::kMismatch;
    } else if (it->state == State::kInProgress) {
      result.outcome = BeginOutcome::kInProgress;
    } else {
      result.outcome = BeginOutcome::kReplay;
      result.reply = {it->status, it->body, it->etag};
    }
    return true;
  }
  if (it == shard.entries.end()) {
    if (!try_reserve()) return false;
    it = shard.append(key);
  }
  // New, or expired and taken over as if new.
  it->fingerprint = fingerprint;
  it->state = State::kInProgress;
  it->status = 0;
  it->body.clear();
  it->etag.clear();
  it->created_at = now;
  shard.move_to_back(it);
  result.outcome = BeginOutcome::kStarted;
  return true;
}

DurableToken IdempotencyStore::finish(std::string_view key, unsigned status, std::string_view body,
                                      std::string_view etag, Micros now) {
  Shard& shard = shard_for(key);
  MutexLock lock(shard.mutex);
  auto it = shard.find(key);
  if (it == shard.entries.end() || it->state != State::kInProgress) return 0;
  it->state = State::kDone;
  it->status = status;
  it->body.assign(body);
  it->etag.assign(etag);
  it->created_at = now;
  shard.move_to_back(it);
  // Under the shard's lock: a replay of the key, which needs this lock, can
  // only follow the record, so a token covering everything then covers it.
  EventSink* sink = sink_.load(std::memory_order_acquire);
  if (sink == nullptr) return 0;
  return sink->idempotency_recorded(it->key, it->fingerprint, status, it->body, it->etag,
                                    it->created_at);
}

void IdempotencyStore::abandon(std::string_view key) {
  Shard& shard = shard_for(key);
  MutexLock lock(shard.mutex);
  auto it = shard.find(key);
  if (it == shard.entries.end() || it->state != State::kInProgress) return;
  shard.erase(it);
  size_.fetch_sub(1, std::memory_order_acq_rel);
}

RestoreResult IdempotencyStore::restore(std::string_view key, std::uint64_t fingerprint,
                                        unsigned status, std::string_view body,
                                        std::string_view etag, Micros created_at) {
  if (key.empty() || key.size() > kMaxIdempotencyKeyBytes || status < 100 || status > 599) {
    return RestoreResult::kInvalid;
  }
  Shard& shard = shard_for(key);
  MutexLock lock(shard.mutex);
  auto it = shard.find(key);
  if (it == shard.entries.end()) {
    it = shard.append(key);
    size_.fetch_add(1, std::memory_order_acq_rel);
  } else if (it->state == State::kDone && it->created_at >= created_at) {
    return RestoreResult::kAlreadyApplied;
  }
  it->fingerprint = fingerprint;
  it->state = State::kDone;
  it->status = status;
  it->body.assign(body);
  it->etag.assign(etag);
  it->created_at = created_at;
  shard.move_to_back(it);
  return RestoreResult::kApplied;
}

void IdempotencyStore::for_each(const std::function<bool(const IdempotencyRecord&)>& fn) const {
  for (std::size_t s = 0; s <= shard_mask_; ++s) {
    const Shard& shard = shards_[s];
    MutexLock lock(shard.mutex);
    for (const Entry& e : shard.entries) {
      if (e.state != State::kDone) continue;
      if (!fn({e.key, e.fingerprint, e.status, e.body, e.etag, e.created_at})) return;
    }
  }
}

std::size_t IdempotencyStore::prune(Micros now, std::size_t max_steps) {
  const Micros ttl = config_.ttl.count();
  std::size_t removed = 0;
  std::size_t steps = 0;
  // Round robin from where the last call stopped, so repeated calls with a
  // small budget still reach every shard.
  const std::size_t first = prune_cursor_.fetch_add(1, std::memory_order_relaxed);
  for (std::size_t i = 0; i <= shard_mask_ && steps < max_steps; ++i) {
    Shard& shard = shards_[(first + i) & shard_mask_];
    const std::size_t budget =
        std::max<std::size_t>((max_steps - steps) / (shard_mask_ + 1 - i), 1);
    MutexLock lock(shard.mutex);
    const std::size_t n = shard.prune(now, ttl, budget);
    size_.fetch_sub(n, std::memory_order_acq_rel);
    removed += n;
    steps += budget;
  }
  return removed;
}

std::string_view begin_outcome_name(BeginOutcome outcome) {
  switch (outcome) {
    case BeginOutcome::kStarted:
      return "started";
    case BeginOutcome::kReplay:
      return "replay";
    case BeginOutcome::kMismatch:
      return "mismatch";
    case BeginOutcome::kInProgress:
      return "in_progress";
    case BeginOutcome::kFull:
      return "full";
  }
  return "unknown";
}

}  // namespace orderd
