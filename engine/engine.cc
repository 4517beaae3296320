#include "engine/engine.h"

#include <concurrentqueue/blockingconcurrentqueue.h>

#include <algorithm>
#include <queue>

#include "base/mutex.h"
#include "base/random.h"
#include "engine/order_number.h"
#include "engine/pricing.h"
#include "engine/state_digest.h"

namespace orderd {

enum Engine::Counter : std::size_t {
  kAccepted,
  kCompleted,
  kRejected,
  kCancelled,
  kRefusedInvalid,
  kRefusedDuplicate,
  kRefusedStock,
  kRefusedCapacity,
  kDequeued,
  kProcessingMicros,
  kFromCreationMicros,
  kStatusBase,  // kOrderStatusCount gauges follow
};

struct Engine::Queue {
  explicit Queue(std::size_t capacity) : orders(capacity) {}
  moodycamel::BlockingConcurrentQueue<Order*> orders;
};

namespace {

constexpr std::size_t kDequeueBatch = 256;
// Most orders a Producer holds before it finishes them (Handoff::kAcceptingThread).
constexpr std::size_t kMostHeld = kDequeueBatch;

}  // namespace

struct Engine::Producer::Token {
  Token(Engine& e, Handoff h) : engine(&e), handoff(h), token(e.queue_->orders) {
    if (handoff == Handoff::kAcceptingThread) held.reserve(kMostHeld);
  }
  Engine* engine;
  Handoff handoff;
  moodycamel::ProducerToken token;
  std::vector<Order*> held;  // accepted, Pending, not yet queued
};

Engine::Producer::Producer(std::unique_ptr<Token> token) : token_(std::move(token)) {}
Engine::Producer::~Producer() {
  if (token_ && !token_->held.empty()) token_->engine->finish_accepted(*this);
}
Engine::Producer::Producer(Producer&&) noexcept = default;
Engine::Producer& Engine::Producer::operator=(Producer&&) noexcept = default;

namespace {

// Longest a worker sleeps before it re-checks stop/pause and its timers.
constexpr std::int64_t kIdleWaitMicros = 20'000;

// An order waiting out its simulated time: Pending until it starts
// processing, or Processing until it finishes.
struct Timer {
  Micros due;  // steady clock
  Order* order;
  bool starts_processing;  // else it finishes
  bool operator>(const Timer& other) const { return due > other.due; }
};

struct SubmitScratch {
  std::vector<OrderItem> items;
  std::vector<Cents> expected_prices;  // per normalized item; -1: none given
  std::string client_id;
};

std::string_view validate(const OrderRequest& r, const EngineConfig& config) {
  if (r.client_id.size() > config.max_client_id_length) return "order_id is too long";
  if (r.items.empty()) return "an order needs at least one item";
  if (r.items.size() > config.max_items_per_order) return "too many items in one order";
  if (r.client_total < 0) return "total_amount must not be negative";
  if (r.client_total > kMaxClientTotal) return "total_amount is too large";
  for (const auto& item : r.items) {
    if (item.quantity == 0) return "item quantities must be positive";
    if (item.quantity > kMaxQuantityPerItem) return "item quantity is too large";
    if (item.expected_price > Catalog::kMaxPrice) return "unit_price is too large";
  }
  if (r.details != nullptr) {
    const OrderDetails& d = *r.details;
    if (d.tax < 0 || d.shipping < 0) return "tax and shipping amounts must not be negative";
    if (d.tax > kMaxClientTotal || d.shipping > kMaxClientTotal) return "amount is too large";
  }
  return {};
}

// A new order with everything it is accepted with. Not yet visible to any
// other thread, so its guarded fields need no lock.
std::unique_ptr<Order> make_order(OrderSeq seq, std::string_view client_id,
                                  const OrderRequest& request, std::span<const OrderItem> items,
                                  Micros now) NO_THREAD_SAFETY_ANALYSIS {
  auto order =
      std::make_unique<Order>(seq, client_id, request.user_id, request.client_total, items, now);
  if (request.details != nullptr) {
    order->extras = std::make_unique<OrderExtras>();
    order->extras->details = *request.details;
    Price price = price_items(order->items);
    order->catalog_subtotal = price.subtotal;
    order->discount = price.discount;
  }
  return order;
}

// Prices a managed order's items now and checks them against the prices
// the client expected. Unknown products are left for the stock check.
void price_at_acceptance(const Catalog& catalog, std::span<OrderItem> items,
                         std::span<const Cents> expected, std::vector<PriceIssue>& issues) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto product = catalog.price_of(items[i].product_id);
    if (!product) continue;
    items[i].unit_price = *product;
    if (expected[i] >= 0 && expected[i] != *product) {
      issues.push_back({items[i].product_id, expected[i], *product});
    }
  }
}

// Stores a new order; nullptr if its client id exists. With a sink, the
// order is locked before it becomes visible, so that a racing cancel cannot
// be reported before its acceptance, and its acceptance is reported before
// it is unlocked. If the insert fails the order is destroyed still locked,
// which a SpinLock allows. The analysis cannot follow this: the lock is taken
// through `order` and released through the pointer the store returns (the
// same order), or never.
Order* store_new_order(OrderStore& orders, std::unique_ptr<Order> order, EventSink* sink,
                       DurableToken* token) NO_THREAD_SAFETY_ANALYSIS {
  if (sink == nullptr) return orders.insert(std::move(order));
  order->lock.lock();
  Order* stored = orders.insert(std::move(order));
  if (stored != nullptr) {
    *token = sink->order_accepted(*stored);
    stored->lock.unlock();
  }
  return stored;
}

// Merges repeated product ids and sorts by id, the order in which stock
// locks are taken; collects the expected prices alongside when any is given
// (the unit_price field carries them while sorting).
std::string_view normalize_items(std::span<const ItemRequest> in, std::vector<OrderItem>& out,
                                 std::vector<Cents>& expected) {
  out.clear();
  expected.clear();
  bool any_expected = false;
  for (const auto& item : in) {
    out.push_back({item.product_id, item.quantity, item.expected_price});
    any_expected |= item.expected_price >= 0;
  }
  std::sort(out.begin(), out.end(),
            [](const OrderItem& a, const OrderItem& b) { return a.product_id < b.product_id; });
  std::size_t w = 0;
  for (std::size_t r = 0; r < out.size(); ++r) {
    if (w > 0 && out[w - 1].product_id == out[r].product_id) {
      std::uint64_t q = std::uint64_t{out[w - 1].quantity} + out[r].quantity;
      if (q > kMaxQuantityPerItem) return "item quantity is too large";
      if (out[w - 1].unit_price != out[r].unit_price) {
        return "a product listed twice must have the same unit_price";
      }
      out[w - 1].quantity = static_cast<std::uint32_t>(q);
    } else {
      out[w++] = out[r];
    }
  }
  out.resize(w);
  for (auto& item : out) {
    if (any_expected) expected.push_back(item.unit_price);
    item.unit_price = 0;
  }
  return {};
}

}  // namespace

struct Engine::Worker {
  moodycamel::ConsumerToken consumer;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers;
  std::uint64_t random_state;
  Worker(Queue& q, std::uint64_t seed) : consumer(q.orders), random_state(seed) {}
};

namespace {

// One worker per four hardware threads, at least one. A worker moves an
// order on in about a microsecond, while accepting it over HTTP costs tens,
// so one keeps up with several I/O threads; each more adds wake-ups and
// competes with the I/O threads for the CPUs (docs/performance.md,
// "Workers": on 2 CPUs, 1 worker creates 11-34% more than 2).
unsigned default_worker_count() { return std::max(1u, std::thread::hardware_concurrency() / 4); }

}  // namespace

Engine::Engine(EngineConfig config)
    : config_(config),
      catalog_(config.max_products),
      orders_(config.order_shards),
      idempotency_({.ttl = config.idempotency_ttl, .max_keys = config.idempotency_max_keys}),
      revocations_({.max_entries = config.max_revoked_tokens}),
      queue_(std::make_unique<Queue>(std::min<std::size_t>(config.capacity, 1 << 20))) {
  if (config_.workers == 0) config_.workers = default_worker_count();
  if (config_.capacity == 0) config_.capacity = 1;
}

Engine::~Engine() { stop(); }

void Engine::start() {
  if (running_.exchange(true)) return;
  stopping_.store(false);
  for (unsigned i = 0; i < config_.workers; ++i) {
    workers_.emplace_back([this, i] { run_worker(i); });
  }
}

void Engine::stop() {
  if (!running_.exchange(false)) return;
  {
    MutexLock guard(pause_mutex_);
    stopping_.store(true);
  }
  pause_cv_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

Engine::Producer Engine::make_producer(Handoff handoff) {
  return Producer(std::make_unique<Producer::Token>(*this, handoff));
}

void Engine::finish_accepted(Producer& producer) {
  std::vector<Order*>& held = producer.token_->held;
  if (held.empty()) return;
  // Announced before paused_ is read, both sequentially consistent, so that
  // pause_workers() either sees this caller or this caller sees the pause.
  finishing_callers_.fetch_add(1, std::memory_order_seq_cst);
  const bool finish_here = config_.processing_delay.none() && config_.pending_delay.none() &&
                           !paused_.load(std::memory_order_seq_cst) &&
                           !stopping_.load(std::memory_order_seq_cst);
  if (finish_here) {
    counters_.add(kDequeued, static_cast<std::int64_t>(held.size()));
    const Micros now = wall_clock_micros();
    for (Order* order : held) {
      MutexLock guard(order->lock);
      // Cancelled meanwhile, by another thread: nothing is left to do.
      if (begin_processing_locked(*order, now)) finish_processing_locked(*order);
    }
  } else {
    queue_->orders.enqueue_bulk(producer.token_->token, held.data(), held.size());
  }
  finishing_callers_.fetch_sub(1, std::memory_order_release);
  held.clear();
}

bool Engine::admit_in_flight(Producer* producer) {
  const auto capacity = static_cast<std::int64_t>(config_.capacity);
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (in_flight_.fetch_add(1, std::memory_order_acq_rel) < capacity) return true;
    in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    // The orders this thread holds count as in flight until finished.
    if (producer == nullptr || producer->token_->held.empty()) return false;
    finish_accepted(*producer);
  }
  return false;
}

SubmitResult Engine::refuse(SubmitError error, std::string message) {
  Counter c = error == SubmitError::kInvalid || error == SubmitError::kPriceMismatch
                  ? kRefusedInvalid
              : error == SubmitError::kDuplicate ? kRefusedDuplicate
              : error == SubmitError::kStock     ? kRefusedStock
                                                 : kRefusedCapacity;
  if (error != SubmitError::kStopped && error != SubmitError::kUnavailable) counters_.add(c, 1);
  SubmitResult r;
  r.error = error;
  r.message = std::move(message);
  return r;
}

SubmitResult Engine::submit(const OrderRequest& request, Producer* producer) {
  if (!running()) return refuse(SubmitError::kStopped, "the engine is not running");
  if (refusing_writes()) return refuse(SubmitError::kUnavailable, write_refusal_reason());
  if (auto problem = validate(request, config_); !problem.empty()) {
    return refuse(SubmitError::kInvalid, std::string(problem));
  }
  thread_local SubmitScratch scratch;
  if (auto problem = normalize_items(request.items, scratch.items, scratch.expected_prices);
      !problem.empty()) {
    return refuse(SubmitError::kInvalid, std::string(problem));
  }
  if (request.details == nullptr && !scratch.expected_prices.empty()) {
    return refuse(SubmitError::kInvalid, "only managed orders are checked against unit prices");
  }
  // A retried order that was already accepted is told so, whatever else
  // would refuse it now; checked only on refusal paths to keep acceptance fast.
  auto duplicate = [&] {
    return refuse(SubmitError::kDuplicate, "an order with this order_id already exists");
  };
  if (!admit_in_flight(producer)) {
    if (orders_.find(request.client_id) != nullptr) return duplicate();
    return refuse(SubmitError::kAtCapacity, "too many orders in flight, retry later");
  }
  SubmitResult result;
  if (request.details != nullptr) {
    scratch.expected_prices.resize(scratch.items.size(), -1);
    price_at_acceptance(catalog_, scratch.items, scratch.expected_prices, result.price_issues);
    if (!result.price_issues.empty()) {
      in_flight_.fetch_sub(1, std::memory_order_acq_rel);
      auto refused =
          refuse(SubmitError::kPriceMismatch, "unit_price differs from the catalog price");
      refused.price_issues = std::move(result.price_issues);
      return refused;
    }
  }
  if (!catalog_.reserve(scratch.items, &result.stock_issues)) {
    in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    if (orders_.find(request.client_id) != nullptr) return duplicate();
    bool unknown = std::any_of(result.stock_issues.begin(), result.stock_issues.end(),
                               [](const StockIssue& i) { return i.unknown_product; });
    auto refused = refuse(SubmitError::kStock, unknown ? "unknown product in order"
                                                       : "insufficient stock for some products");
    refused.stock_issues = std::move(result.stock_issues);
    return refused;
  }

  Micros now = wall_clock_micros();
  if (request.user_id != 0) customers_.ensure(request.user_id, now);
  Order* stored = nullptr;
  // An assigned id that a client already chose is skipped for the next one.
  for (int attempt = 0; stored == nullptr && attempt < 8; ++attempt) {
    const OrderSeq seq = next_seq_.fetch_add(1, std::memory_order_relaxed);
    std::string_view client_id = request.client_id;
    if (client_id.empty()) {
      scratch.client_id.assign("order_");
      scratch.client_id.append(std::to_string(seq));
      client_id = scratch.client_id;
    }
    stored = store_new_order(orders_, make_order(seq, client_id, request, scratch.items, now),
                             sink_.load(std::memory_order_acquire), &result.durable_token);
    if (!request.client_id.empty()) break;
  }
  if (stored == nullptr) {
    catalog_.release(scratch.items);
    in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    return duplicate();
  }
  if (request.client_id.empty()) result.client_id = stored->client_id;
  counters_.add(kAccepted, 1);
  counters_.add(kStatusBase + status_index(OrderStatus::kPending), 1);
  result.seq = stored->seq;
  result.created_at = now;
  if (producer != nullptr && producer->token_->handoff == Handoff::kAcceptingThread) {
    std::vector<Order*>& held = producer->token_->held;
    held.push_back(stored);
    if (held.size() >= kMostHeld) finish_accepted(*producer);
  } else if (producer != nullptr) {
    queue_->orders.enqueue(producer->token_->token, stored);
  } else {
    queue_->orders.enqueue(stored);
  }
  return result;
}

Order* Engine::find(OrderKey key) const {
  return key.client_id.empty() ? orders_.find_seq(key.seq) : orders_.find(key.client_id);
}

std::optional<OrderSnapshot> Engine::get(OrderKey key) const {
  const Order* order = find(key);
  if (order == nullptr) return std::nullopt;
  return order->snapshot();
}

std::optional<OrderSnapshot> Engine::find_by_number(std::string_view number) const {
  auto seq = order_number_seq(number);
  if (!seq) return std::nullopt;
  const Order* order = orders_.find_seq(*seq);
  if (order == nullptr) return std::nullopt;
  OrderSnapshot s = order->snapshot();
  std::string own = format_order_number(s.seq, s.timestamp(OrderTimestamp::kCreated));
  if (own.size() != number.size()) return std::nullopt;
  for (std::size_t i = 0; i < own.size(); ++i) {
    char c = number[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != own[i]) return std::nullopt;
  }
  return s;
}

void Engine::record_move(OrderStatus from, OrderStatus to, Order& order, Micros now) {
  order.status.store(to, std::memory_order_release);
  counters_.add(kStatusBase + status_index(from), -1);
  counters_.add(kStatusBase + status_index(to), 1);
  if (to == OrderStatus::kCompleted) {
    counters_.add(kCompleted, 1);
    counters_.add(kProcessingMicros,
                  now - order.at[static_cast<std::size_t>(OrderTimestamp::kProcessingStarted)]);
    counters_.add(kFromCreationMicros,
                  now - order.at[static_cast<std::size_t>(OrderTimestamp::kCreated)]);
  } else if (to == OrderStatus::kCancelled) {
    counters_.add(kCancelled, 1);
  } else if (to == OrderStatus::kRejected) {
    counters_.add(kRejected, 1);
  }
  if (is_in_flight(from) && !is_in_flight(to)) in_flight_.fetch_sub(1, std::memory_order_acq_rel);
}

void Engine::settle_stock_locked(const Order& order, OrderStatus to) {
  switch (stock_effect(order.status.load(std::memory_order_relaxed), to)) {
    case StockEffect::kConsume:
      catalog_.consume(order.items);
      break;
    case StockEffect::kRelease:
      catalog_.release(order.items);
      break;
    case StockEffect::kGiveBack:
      catalog_.give_back(order.items);
      break;
    case StockEffect::kNone:
      break;
  }
}

namespace {

// The statuses whose move records why; the others leave the order's reason
// as it is.
bool keeps_reason(OrderStatus s) {
  return s == OrderStatus::kCancelled || s == OrderStatus::kReturned || s == OrderStatus::kRejected;
}

std::string_view default_reason(OrderStatus s) {
  return s == OrderStatus::kReturned ? "returned" : "cancelled";
}

}  // namespace

void Engine::log_note(Order& order, OrderChange change, std::string_view note, Micros at) {
  auto& notes = order.extras_locked().notes;
  notes.push_back({at, 0, change, order.status.load(std::memory_order_relaxed), std::string(note)});
  // After the change and its note: the version it produced.
  notes.back().version = order.version_locked();
}

StatusUpdateResult Engine::update_status(OrderKey key, const StatusChange& change) {
  StatusUpdateResult result;
  if (refusing_writes()) {
    result.error = StatusUpdateError::kUnavailable;
    return result;
  }
  Order* order = find(key);
  if (order == nullptr) {
    result.error = StatusUpdateError::kNotFound;
    return result;
  }
  const OrderStatus to = change.to;
  MutexLock guard(order->lock);
  const OrderStatus from = order->status.load(std::memory_order_relaxed);
  result.status = from;
  result.version = order->version_locked();
  if (change.expected_version != 0 && change.expected_version != result.version) {
    result.error = StatusUpdateError::kVersionMismatch;
    return result;
  }
  if (change.only_from && from != *change.only_from) {
    result.error = StatusUpdateError::kIllegalTransition;
    result.allowed = client_next_statuses(from);
    return result;
  }
  if (from == to) {
    result.error = StatusUpdateError::kUnchanged;
    return result;
  }
  if (!is_client_transition(from, to)) {
    result.error = StatusUpdateError::kIllegalTransition;
    result.allowed = client_next_statuses(from);
    return result;
  }
  // Cancelled and Returned keep their note as the order's reason, so the
  // log and the reason always agree (and replay from either alone).
  const std::string_view note =
      keeps_reason(to) && change.note.empty() ? default_reason(to) : change.note;
  const Micros now = wall_clock_micros();
  if (to == OrderStatus::kCompleted) {
    if (from == OrderStatus::kPending) {
      order->at[timestamp_index(OrderTimestamp::kProcessingStarted)] = now;
      record_move(OrderStatus::kPending, OrderStatus::kProcessing, *order, now);
      report_status_change(*order, OrderStatus::kPending);
    }
    result.durable_token = complete_locked(*order, now, &note);
  } else {
    settle_stock_locked(*order, to);
    order->at[timestamp_index(reached_at(to))] = now;
    if (keeps_reason(to)) order->set_reason(note);
    record_move(from, to, *order, now);
    result.durable_token = report_client_move(*order, from, note, now);
  }
  result.status = order->status.load(std::memory_order_relaxed);
  result.version = order->version_locked();
  if (change.after != nullptr) *change.after = order->snapshot_locked();
  return result;
}

CancelResult Engine::cancel(OrderKey key, std::string_view reason) {
  StatusUpdateResult r = update_status(key, OrderStatus::kCancelled, reason);
  switch (r.error) {
    case StatusUpdateError::kNone:
      return {CancelError::kNone, r.status, r.durable_token};
    case StatusUpdateError::kNotFound:
      return {CancelError::kNotFound, OrderStatus::kPending};
    case StatusUpdateError::kUnavailable:
      return {CancelError::kUnavailable, OrderStatus::kPending};
    case StatusUpdateError::kUnchanged:  // a second cancel is refused, as it always was
    case StatusUpdateError::kIllegalTransition:
    case StatusUpdateError::kVersionMismatch:
    case StatusUpdateError::kNotEditable:
      break;
  }
  return {CancelError::kIllegalTransition, r.status};
}

StatusUpdateResult Engine::update_details(OrderKey key, const OrderDetails& details,
                                          std::string_view note, std::uint32_t expected_version,
                                          OrderSnapshot* after) {
  StatusUpdateResult result;
  if (refusing_writes()) {
    result.error = StatusUpdateError::kUnavailable;
    return result;
  }
  Order* order = find(key);
  if (order == nullptr) {
    result.error = StatusUpdateError::kNotFound;
    return result;
  }
  MutexLock guard(order->lock);
  const OrderStatus status = order->status.load(std::memory_order_relaxed);
  result.status = status;
  result.version = order->version_locked();
  if (expected_version != 0 && expected_version != result.version) {
    result.error = StatusUpdateError::kVersionMismatch;
    return result;
  }
  const OrderDetails current = order->has_details() ? *order->extras->details : OrderDetails{};
  if (details == current) {
    result.error = StatusUpdateError::kUnchanged;
    return result;
  }
  const bool shipped = order->at[timestamp_index(OrderTimestamp::kShipped)] != 0;
  if (details.tax != current.tax || details.shipping != current.shipping ||
      details.currency != current.currency ||
      (shipped && details.shipping_address != current.shipping_address)) {
    result.error = StatusUpdateError::kNotEditable;
    return result;
  }
  order->extras_locked().details = details;
  log_note(*order, OrderChange::kUpdated, note, wall_clock_micros());
  result.version = order->version_locked();
  if (EventSink* sink = sink_.load(std::memory_order_acquire)) {
    result.durable_token = sink->order_updated(*order);
  }
  if (after != nullptr) *after = order->snapshot_locked();
  return result;
}

namespace {

// The timestamps of the states on `status`'s path are set and increase
// along it; no other is set.
bool follows_the_lifecycle(const OrderSnapshot& o) {
  using S = OrderStatus;
  std::vector<S> path = {S::kPending};
  auto add = [&](std::initializer_list<S> more) { path.insert(path.end(), more); };
  switch (o.status) {
    case S::kPending:
      break;
    case S::kProcessing:
      add({S::kProcessing});
      break;
    case S::kCompleted:
    case S::kRejected:
      add({S::kProcessing, o.status});
      break;
    case S::kShipped:
      add({S::kProcessing, S::kCompleted, S::kShipped});
      break;
    case S::kDelivered:
      add({S::kProcessing, S::kCompleted, S::kShipped, S::kDelivered});
      break;
    case S::kReturned:
      add({S::kProcessing, S::kCompleted, S::kShipped, S::kDelivered, S::kReturned});
      break;
    case S::kCancelled: {
      // Cancelled after whatever it reached before.
      if (o.timestamp(OrderTimestamp::kProcessingStarted) != 0) add({S::kProcessing});
      if (o.timestamp(OrderTimestamp::kCompleted) != 0) add({S::kCompleted});
      add({S::kCancelled});
      break;
    }
  }
  std::size_t set = 0;
  for (Micros t : o.at) set += t != 0;
  if (set != path.size()) return false;
  Micros previous = 0;
  for (S s : path) {
    const Micros t = o.timestamp(reached_at(s));
    if (t <= 0 || t < previous) return false;
    previous = t;
  }
  return true;
}

}  // namespace

SubmitResult Engine::import_order(const OrderSnapshot& past) {
  if (refusing_writes()) return refuse(SubmitError::kUnavailable, write_refusal_reason());
  if (past.items.empty() || !follows_the_lifecycle(past)) {
    return refuse(SubmitError::kInvalid, "the order's timestamps do not follow the lifecycle");
  }
  std::vector<OrderItem> items;
  for (const OrderItem& item : past.items) {
    if (item.quantity == 0 || item.quantity > kMaxQuantityPerItem) {
      return refuse(SubmitError::kInvalid, "item quantities must be positive");
    }
    items.push_back({item.product_id, item.quantity, 0});
  }
  std::sort(items.begin(), items.end(),
            [](const OrderItem& a, const OrderItem& b) { return a.product_id < b.product_id; });
  for (std::size_t i = 1; i < items.size(); ++i) {
    if (items[i - 1].product_id == items[i].product_id) {
      return refuse(SubmitError::kInvalid, "a product is listed twice");
    }
  }
  const bool in_flight = is_in_flight(past.status);
  if (in_flight && in_flight_.fetch_add(1, std::memory_order_acq_rel) >=
                       static_cast<std::int64_t>(config_.capacity)) {
    in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    return refuse(SubmitError::kAtCapacity, "too many orders in flight, retry later");
  }
  SubmitResult result;
  if (!catalog_.reserve(items, &result.stock_issues)) {
    if (in_flight) in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    auto refused = refuse(SubmitError::kStock, "insufficient stock for the imported order");
    refused.stock_issues = std::move(result.stock_issues);
    return refused;
  }
  catalog_.fill_prices(items);
  OrderSnapshot s = past;
  s.items = items;
  const Price price = price_items(items);
  s.catalog_subtotal = price.subtotal;
  s.discount = price.discount;
  s.notes.clear();
  if (s.user_id != 0) customers_.ensure(s.user_id, s.timestamp(OrderTimestamp::kCreated));

  Order* stored = nullptr;
  EventSink* sink = sink_.load(std::memory_order_acquire);
  for (int attempt = 0; stored == nullptr && attempt < 8; ++attempt) {
    s.seq = next_seq_.fetch_add(1, std::memory_order_relaxed);
    s.client_id = "order_" + std::to_string(s.seq);
    stored = store_new_order(orders_, std::make_unique<Order>(s), sink, &result.durable_token);
  }
  if (stored == nullptr) {  // every assigned id was taken (clients chose them)
    catalog_.release(items);
    if (in_flight) in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    return refuse(SubmitError::kDuplicate, "no free order id");
  }
  // The stock effect of the path it took, from the reservation made above.
  const bool completed = s.timestamp(OrderTimestamp::kCompleted) != 0;
  const bool given_back =
      s.status == OrderStatus::kReturned || (s.status == OrderStatus::kCancelled && completed);
  if (completed) catalog_.consume(items);
  if (given_back) catalog_.give_back(items);
  if (!completed && !in_flight) catalog_.release(items);  // Rejected or Cancelled early
  counters_.add(kAccepted, 1);
  counters_.add(kStatusBase + status_index(s.status), 1);
  if (completed) {
    const Micros done = s.timestamp(OrderTimestamp::kCompleted);
    counters_.add(kCompleted, 1);
    counters_.add(kProcessingMicros, done - s.timestamp(OrderTimestamp::kProcessingStarted));
    counters_.add(kFromCreationMicros, done - s.timestamp(OrderTimestamp::kCreated));
  }
  if (s.status == OrderStatus::kRejected) counters_.add(kRejected, 1);
  if (s.status == OrderStatus::kCancelled) counters_.add(kCancelled, 1);
  result.seq = s.seq;
  result.client_id = s.client_id;
  result.created_at = s.timestamp(OrderTimestamp::kCreated);
  if (in_flight) {
    queue_->orders.enqueue(stored);
  } else {
    counters_.add(kDequeued, 1);  // never waits for a worker
  }
  return result;
}

std::optional<AddCustomerResult> Engine::register_customer(CustomerInfo customer) {
  if (refusing_writes()) return std::nullopt;
  return customers_.add(std::move(customer));
}

RevokeResult Engine::revoke_token(std::string_view jti, Micros expires_at) {
  if (refusing_writes()) return {RevokeOutcome::kUnavailable, 0};
  return revocations_.revoke(jti, expires_at, wall_clock_micros());
}

DurableToken Engine::report_status_change(const Order& order, OrderStatus from) {
  EventSink* sink = sink_.load(std::memory_order_acquire);
  return sink != nullptr ? sink->order_status_changed(order, from, false) : 0;
}

DurableToken Engine::report_client_move(Order& order, OrderStatus from, std::string_view note,
                                        Micros at) {
  log_note(order, OrderChange::kStatus, note, at);
  EventSink* sink = sink_.load(std::memory_order_acquire);
  return sink != nullptr ? sink->order_status_changed(order, from, true) : 0;
}

bool Engine::begin_processing_locked(Order& order, Micros now) {
  if (order.status.load(std::memory_order_relaxed) != OrderStatus::kPending) return false;
  order.at[static_cast<std::size_t>(OrderTimestamp::kProcessingStarted)] = now;
  // Only workers get here (recovery sets Processing in restore_transition),
  // so this is always a live transition.
  pending_latency_.record(now - order.at[static_cast<std::size_t>(OrderTimestamp::kCreated)]);
  order.status.store(OrderStatus::kProcessing, std::memory_order_release);
  counters_.add(kStatusBase + status_index(OrderStatus::kPending), -1);
  counters_.add(kStatusBase + status_index(OrderStatus::kProcessing), 1);
  report_status_change(order, OrderStatus::kPending);
  return true;
}

void Engine::finish_processing_locked(Order& order) {
  if (order.status.load(std::memory_order_relaxed) != OrderStatus::kProcessing) return;
  complete_locked(order, wall_clock_micros(), nullptr);
}

DurableToken Engine::complete_locked(Order& order, Micros now, const std::string_view* note) {
  // Managed orders keep the prices they were accepted at.
  if (!order.has_details()) {
    catalog_.fill_prices(order.items);
    Price price = price_items(order.items);
    order.catalog_subtotal = price.subtotal;
    order.discount = price.discount;
  }
  OrderStatus to = OrderStatus::kCompleted;
  if (config_.max_order_total > 0 &&
      order.catalog_subtotal - order.discount > config_.max_order_total) {
    to = OrderStatus::kRejected;
    catalog_.release(order.items);
    order.at[static_cast<std::size_t>(OrderTimestamp::kRejected)] = now;
    order.set_reason("order total exceeds the limit per order");
  } else {
    catalog_.consume(order.items);
    order.at[static_cast<std::size_t>(OrderTimestamp::kCompleted)] = now;
    record_completion_latency(order, now);
  }
  record_move(OrderStatus::kProcessing, to, order, now);
  if (note != nullptr) return report_client_move(order, OrderStatus::kProcessing, *note, now);
  return report_status_change(order, OrderStatus::kProcessing);
}

// Here rather than in record_move, which recovery also runs: replayed
// completions must not show up as live latency.
void Engine::record_completion_latency(const Order& order, Micros now) {
  processing_latency_.record(
      now - order.at[static_cast<std::size_t>(OrderTimestamp::kProcessingStarted)]);
  completion_latency_.record(now - order.at[static_cast<std::size_t>(OrderTimestamp::kCreated)]);
}

void Engine::run_worker(unsigned index) {
  // The delays are drawn by stepping a splitmix64 counter: seeds spread by
  // splitmix64 itself keep the workers' sequences far apart.
  std::uint64_t seed_source = index;
  Worker w(*queue_, Random::splitmix64(seed_source));
  Order* batch[kDequeueBatch];
  const ProcessingDelay pending = config_.pending_delay;
  const bool timed = !pending.none() || !config_.processing_delay.none();
  while (true) {
    if (paused_.load(std::memory_order_acquire) || stopping_.load(std::memory_order_acquire)) {
      MutexLock lock(pause_mutex_);
      ++parked_workers_;
      pause_cv_.notify_all();
      while (paused_.load() && !stopping_.load()) pause_cv_.wait(pause_mutex_);
      --parked_workers_;
      if (stopping_.load()) return;
    }
    std::int64_t wait = kIdleWaitMicros;
    if (!w.timers.empty()) {
      wait = std::clamp<std::int64_t>(w.timers.top().due - steady_clock_micros(), 0, wait);
    }
    std::size_t n =
        wait == 0 ? queue_->orders.try_dequeue_bulk(w.consumer, batch, kDequeueBatch)
                  : queue_->orders.wait_dequeue_bulk_timed(w.consumer, batch, kDequeueBatch, wait);
    if (n > 0) counters_.add(kDequeued, static_cast<std::int64_t>(n));
    // One reading of each clock per batch: the whole batch starts processing
    // at the instant its delays are measured from, so no order's recorded
    // time in Processing falls short of its delay, and starting an order
    // costs no clock read.
    const Micros batch_started = n > 0 ? wall_clock_micros() : 0;
    const Micros due_base = n > 0 && timed ? steady_clock_micros() : 0;
    for (std::size_t i = 0; i < n; ++i) {
      Order& order = *batch[i];
      MutexLock guard(order.lock);
      // A queued order is Pending, or Cancelled meanwhile, or Processing when
      // recovery resumed it (restore_order): then only its finish is left.
      OrderStatus status = order.status.load(std::memory_order_relaxed);
      if (status == OrderStatus::kPending && !pending.none()) {
        w.timers.push({due_base + pending.sample(w.random_state), &order, true});
        continue;
      }
      if (status != OrderStatus::kProcessing && !begin_processing_locked(order, batch_started)) {
        continue;
      }
      schedule_finish(w, order, due_base);
    }
    if (!w.timers.empty()) {
      Micros now = steady_clock_micros();
      while (!w.timers.empty() && w.timers.top().due <= now) {
        const Timer timer = w.timers.top();
        w.timers.pop();
        Order& order = *timer.order;
        MutexLock guard(order.lock);
        if (!timer.starts_processing) {
          finish_processing_locked(order);
        } else if (begin_processing_locked(order, wall_clock_micros())) {
          schedule_finish(w, order, now);
        }
      }
    }
  }
}

void Engine::schedule_finish(Worker& w, Order& order, Micros steady_now) {
  const ProcessingDelay delay = config_.processing_delay;
  if (delay.none()) {
    finish_processing_locked(order);
  } else {
    w.timers.push({steady_now + delay.sample(w.random_state), &order, false});
  }
}

void Engine::pause_workers() {
  MutexLock lock(pause_mutex_);
  paused_.store(true, std::memory_order_seq_cst);
  while (parked_workers_ != workers_.size() && running()) pause_cv_.wait(pause_mutex_);
  // A caller of finish_accepted() that read paused_ before it was set is
  // finishing a batch of at most kMostHeld orders: short, so wait it out.
  while (finishing_callers_.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();
}

void Engine::resume_workers() {
  {
    MutexLock guard(pause_mutex_);
    paused_.store(false, std::memory_order_release);
  }
  pause_cv_.notify_all();
}

EngineCounters Engine::counters() const {
  static_assert(kStatusBase + kOrderStatusCount <= 24, "counters_ has 24 slots");
  auto v = counters_.read_all();
  EngineCounters c;
  c.accepted = v[kAccepted];
  c.completed = v[kCompleted];
  c.rejected = v[kRejected];
  c.cancelled = v[kCancelled];
  c.refused_invalid = v[kRefusedInvalid];
  c.refused_duplicate = v[kRefusedDuplicate];
  c.refused_stock = v[kRefusedStock];
  c.refused_capacity = v[kRefusedCapacity];
  for (std::size_t s = 0; s < kOrderStatusCount; ++s) c.by_status[s] = v[kStatusBase + s];
  c.in_flight = in_flight_.load(std::memory_order_acquire);
  c.queued = std::max<std::int64_t>(0, v[kAccepted] - v[kDequeued]);
  c.processing_micros_sum = v[kProcessingMicros];
  c.from_creation_micros_sum = v[kFromCreationMicros];
  return c;
}

EngineHistograms Engine::histograms() const {
  return {pending_latency_.snapshot(), processing_latency_.snapshot(),
          completion_latency_.snapshot()};
}

void Engine::for_each_order(const std::function<bool(const Order&)>& fn) const {
  orders_.for_each(fn);
}

void Engine::for_each_order_in(OrderSeq first, OrderSeq last,
                               const std::function<bool(const Order&)>& fn) const {
  for (OrderSeq seq = std::max<OrderSeq>(first, 1); seq <= last; ++seq) {
    const Order* order = orders_.find_seq(seq);
    if (order != nullptr && !fn(*order)) return;
  }
}

std::string_view submit_error_name(SubmitError e) {
  switch (e) {
    case SubmitError::kNone:
      return "none";
    case SubmitError::kInvalid:
      return "invalid";
    case SubmitError::kDuplicate:
      return "duplicate";
    case SubmitError::kStock:
      return "stock";
    case SubmitError::kAtCapacity:
      return "capacity";
    case SubmitError::kPriceMismatch:
      return "price";
    case SubmitError::kStopped:
      return "stopped";
    case SubmitError::kUnavailable:
      return "unavailable";
  }
  return "unknown";
}

void Engine::set_event_sink(EventSink* sink) {
  sink_.store(sink, std::memory_order_release);
  catalog_.set_event_sink(sink);
  customers_.set_event_sink(sink);
  idempotency_.set_event_sink(sink);
  revocations_.set_event_sink(sink);
}

void Engine::refuse_writes(std::string reason) {
  {
    MutexLock guard(refusal_mutex_);
    if (refusing_writes_.load(std::memory_order_relaxed)) return;  // the first reason stays
    refusal_reason_ = std::move(reason);
  }
  refusing_writes_.store(true, std::memory_order_release);
}

std::string Engine::write_refusal_reason() const {
  MutexLock guard(refusal_mutex_);
  return refusal_reason_;
}

RestoreResult Engine::restore_product(const ProductInfo& product) {
  switch (catalog_.restore(product)) {
    case AddProductResult::kAdded:
      return RestoreResult::kApplied;
    case AddProductResult::kAlreadyExists:
      return RestoreResult::kAlreadyApplied;
    case AddProductResult::kSkuTaken:
      return RestoreResult::kInconsistent;
    case AddProductResult::kCatalogFull:
    case AddProductResult::kInvalid:
      break;
  }
  return RestoreResult::kInvalid;
}

RestoreResult Engine::restore_restock(ProductId id, std::int64_t quantity,
                                      std::int64_t restocked_total) {
  return catalog_.restore_restock(id, quantity, restocked_total);
}

namespace {

constexpr std::size_t reached_index(OrderStatus s) { return timestamp_index(reached_at(s)); }

}  // namespace

RestoreResult Engine::restore_order(OrderSnapshot s) {
  if (s.client_id.empty() || s.items.empty()) return RestoreResult::kInvalid;
  for (std::size_t i = 0; i < s.items.size(); ++i) {
    // Ascending ids are the stock lock order every later release relies on.
    if (i > 0 && s.items[i - 1].product_id >= s.items[i].product_id) return RestoreResult::kInvalid;
    if (!catalog_.contains(s.items[i].product_id)) return RestoreResult::kUnknownProduct;
  }
  const OrderSeq seq = s.seq;
  const OrderStatus status = s.status;
  const UserId user_id = s.user_id;
  const Micros created_at = s.timestamp(OrderTimestamp::kCreated);
  Order* stored = orders_.insert(std::make_unique<Order>(std::move(s)));
  if (stored == nullptr) return RestoreResult::kAlreadyApplied;
  if (user_id != 0) customers_.ensure(user_id, created_at);

  MutexLock guard(stored->lock);
  // The stock effect of the whole path the order took to its status.
  const bool reached_completed = stored->at[reached_index(OrderStatus::kCompleted)] != 0;
  if (is_in_flight(status) || reached_completed) catalog_.take(stored->items);
  if (reached_completed) catalog_.consume(stored->items);
  if (reached_completed &&
      (status == OrderStatus::kReturned || status == OrderStatus::kCancelled)) {
    catalog_.give_back(stored->items);
  }
  OrderSeq next = next_seq_.load(std::memory_order_relaxed);
  while (next <= seq && !next_seq_.compare_exchange_weak(next, seq + 1)) {
  }
  counters_.add(kAccepted, 1);
  counters_.add(kStatusBase + status_index(status), 1);
  if (is_in_flight(status)) {
    in_flight_.fetch_add(1, std::memory_order_acq_rel);
    queue_->orders.enqueue(stored);  // counted as dequeued when a worker takes it
    return RestoreResult::kApplied;
  }
  counters_.add(kDequeued, 1);  // never queued in this process: not waiting either
  if (reached_completed) {
    Micros done = stored->at[reached_index(OrderStatus::kCompleted)];
    counters_.add(kCompleted, 1);
    counters_.add(kProcessingMicros, done - stored->at[reached_index(OrderStatus::kProcessing)]);
    counters_.add(kFromCreationMicros, done - stored->at[reached_index(OrderStatus::kPending)]);
  }
  if (status == OrderStatus::kRejected) {
    counters_.add(kRejected, 1);
  } else if (status == OrderStatus::kCancelled) {
    counters_.add(kCancelled, 1);
  }
  return RestoreResult::kApplied;
}

RestoreResult Engine::restore_transition(const OrderTransition& t) {
  if (t.to == OrderStatus::kPending) return RestoreResult::kInvalid;
  Order* order = orders_.find(t.client_id);
  if (order == nullptr) return RestoreResult::kUnknownOrder;
  MutexLock guard(order->lock);
  // Each timestamp is set exactly once, when its state is reached: a set one
  // means this change was applied already (when it matches) or contradicts it.
  Micros& at = order->at[reached_index(t.to)];
  if (at != 0) return at == t.at ? RestoreResult::kAlreadyApplied : RestoreResult::kInconsistent;
  const OrderStatus from = order->status.load(std::memory_order_relaxed);
  if (!is_legal_transition(from, t.to)) return RestoreResult::kInconsistent;
  if (t.priced) {
    if (t.unit_prices.size() != order->items.size()) return RestoreResult::kInconsistent;
    for (std::size_t i = 0; i < order->items.size(); ++i) {
      order->items[i].unit_price = t.unit_prices[i];
    }
    order->catalog_subtotal = t.catalog_subtotal;
    order->discount = t.discount;
  }
  at = t.at;
  settle_stock_locked(*order, t.to);
  if (keeps_reason(t.to)) order->set_reason(t.reason);
  record_move(from, t.to, *order, t.at);
  if (t.by_client) log_note(*order, OrderChange::kStatus, t.note.value_or(t.reason), t.at);
  return RestoreResult::kApplied;
}

RestoreResult Engine::restore_update(std::string_view client_id, const OrderDetails& details,
                                     std::string_view note, Micros at) {
  Order* order = orders_.find(client_id);
  if (order == nullptr) return RestoreResult::kUnknownOrder;
  MutexLock guard(order->lock);
  if (order->extras) {
    for (const OrderNote& n : order->extras->notes) {
      if (n.change == OrderChange::kUpdated && n.at == at) return RestoreResult::kAlreadyApplied;
    }
  }
  order->extras_locked().details = details;
  log_note(*order, OrderChange::kUpdated, note, at);
  return RestoreResult::kApplied;
}

std::uint64_t Engine::state_digest(Micros now) const {
  std::uint64_t orders = 0;
  orders_.for_each([&](const Order& order) {
    orders += digest_of(order.snapshot());  // a sum: independent of visiting order
    return true;
  });
  std::uint64_t products = 0;
  for (const auto& p : catalog_.list(0, catalog_.capacity())) products += digest_of(p);
  std::uint64_t customers = 0;
  customers_.for_each([&](const CustomerInfo& c) {
    customers += digest_of(c);
    return true;
  });
  std::uint64_t revocations = 0;
  revocations_.for_each(now != 0 ? now : wall_clock_micros(), [&](const RevokedToken& t) {
    revocations += digest_of(t);
    return true;
  });
  EngineCounters c = counters();
  StateHasher h;
  h.add(orders);
  h.add(products);
  h.add(customers);
  h.add(revocations);
  for (std::int64_t v : {c.accepted, c.completed, c.rejected, c.cancelled, c.in_flight,
                         c.processing_micros_sum, c.from_creation_micros_sum}) {
    h.add(static_cast<std::uint64_t>(v));
  }
  for (std::int64_t v : c.by_status) h.add(static_cast<std::uint64_t>(v));
  return h.value();
}

}  // namespace orderd
