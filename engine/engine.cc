#include "engine/engine.h"

#include <concurrentqueue/blockingconcurrentqueue.h>

#include <algorithm>
#include <queue>

#include "engine/pricing.h"

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

struct Engine::Producer::Token {
  explicit Token(Queue& q) : token(q.orders) {}
  moodycamel::ProducerToken token;
};

Engine::Producer::Producer(std::unique_ptr<Token> token) : token_(std::move(token)) {}
Engine::Producer::~Producer() = default;
Engine::Producer::Producer(Producer&&) noexcept = default;
Engine::Producer& Engine::Producer::operator=(Producer&&) noexcept = default;

namespace {

constexpr std::size_t kDequeueBatch = 256;
// Longest a worker sleeps before it re-checks stop/pause and its timers.
constexpr std::int64_t kIdleWaitMicros = 20'000;

// A Pending or Processing order waiting out its simulated processing time.
struct Timer {
  Micros due;  // steady clock
  Order* order;
  bool operator>(const Timer& other) const { return due > other.due; }
};

struct SubmitScratch {
  std::vector<OrderItem> items;
};

std::string_view validate(const OrderRequest& r, const EngineConfig& config) {
  if (r.client_id.empty()) return "order_id must not be empty";
  if (r.client_id.size() > config.max_client_id_length) return "order_id is too long";
  if (r.items.empty()) return "an order needs at least one item";
  if (r.items.size() > config.max_items_per_order) return "too many items in one order";
  if (r.client_total < 0) return "total_amount must not be negative";
  if (r.client_total > kMaxClientTotal) return "total_amount is too large";
  for (const auto& item : r.items) {
    if (item.quantity == 0) return "item quantities must be positive";
    if (item.quantity > kMaxQuantityPerItem) return "item quantity is too large";
  }
  return {};
}

// Merges repeated product ids and sorts by id, the order in which stock
// locks are taken. Returns false if a merged quantity is too large.
bool normalize_items(std::span<const ItemRequest> in, std::vector<OrderItem>& out) {
  out.clear();
  for (const auto& item : in) out.push_back({item.product_id, item.quantity, 0});
  std::sort(out.begin(), out.end(),
            [](const OrderItem& a, const OrderItem& b) { return a.product_id < b.product_id; });
  std::size_t w = 0;
  for (std::size_t r = 0; r < out.size(); ++r) {
    if (w > 0 && out[w - 1].product_id == out[r].product_id) {
      std::uint64_t q = std::uint64_t{out[w - 1].quantity} + out[r].quantity;
      if (q > kMaxQuantityPerItem) return false;
      out[w - 1].quantity = static_cast<std::uint32_t>(q);
    } else {
      out[w++] = out[r];
    }
  }
  out.resize(w);
  return true;
}

}  // namespace

struct Engine::Worker {
  moodycamel::ConsumerToken consumer;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers;
  std::uint64_t random_state;
  Worker(Queue& q, std::uint64_t seed) : consumer(q.orders), random_state(seed | 1) {}
};

Engine::Engine(EngineConfig config)
    : config_(config),
      catalog_(config.max_products),
      orders_(config.order_shards),
      queue_(std::make_unique<Queue>(std::min<std::size_t>(config.capacity, 1 << 20))) {
  if (config_.workers == 0) config_.workers = std::max(1u, std::thread::hardware_concurrency());
  if (config_.capacity == 0) config_.capacity = 1;
}

Engine::~Engine() {
  stop();
}

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
    std::lock_guard guard(pause_mutex_);
    stopping_.store(true);
  }
  pause_cv_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
}

Engine::Producer Engine::make_producer() {
  return Producer(std::make_unique<Producer::Token>(*queue_));
}

SubmitResult Engine::refuse(SubmitError error, std::string message) {
  Counter c = error == SubmitError::kInvalid     ? kRefusedInvalid
              : error == SubmitError::kDuplicate ? kRefusedDuplicate
              : error == SubmitError::kStock     ? kRefusedStock
                                                 : kRefusedCapacity;
  if (error != SubmitError::kStopped) counters_.add(c, 1);
  SubmitResult r;
  r.error = error;
  r.message = std::move(message);
  return r;
}

SubmitResult Engine::submit(const OrderRequest& request, Producer* producer) {
  if (!running()) return refuse(SubmitError::kStopped, "the engine is not running");
  if (auto problem = validate(request, config_); !problem.empty()) {
    return refuse(SubmitError::kInvalid, std::string(problem));
  }
  thread_local SubmitScratch scratch;
  if (!normalize_items(request.items, scratch.items)) {
    return refuse(SubmitError::kInvalid, "item quantity is too large");
  }
  // A retried order that was already accepted is told so, whatever else
  // would refuse it now; checked only on refusal paths to keep acceptance fast.
  auto duplicate = [&] {
    return refuse(SubmitError::kDuplicate, "an order with this order_id already exists");
  };
  if (in_flight_.fetch_add(1, std::memory_order_acq_rel) >=
      static_cast<std::int64_t>(config_.capacity)) {
    in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    if (orders_.find(request.client_id) != nullptr) return duplicate();
    return refuse(SubmitError::kAtCapacity, "too many orders in flight, retry later");
  }
  SubmitResult result;
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

  auto order = std::make_unique<Order>();
  order->seq = next_seq_.fetch_add(1, std::memory_order_relaxed);
  order->client_id.assign(request.client_id);
  order->user_id = request.user_id;
  order->client_total = request.client_total;
  order->items.assign(scratch.items.begin(), scratch.items.end());
  Micros now = wall_clock_micros();
  order->at[static_cast<std::size_t>(OrderTimestamp::kCreated)] = now;

  Order* stored = orders_.insert(std::move(order));
  if (stored == nullptr) {
    catalog_.release(scratch.items);
    in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    return duplicate();
  }
  counters_.add(kAccepted, 1);
  counters_.add(kStatusBase + status_index(OrderStatus::kPending), 1);
  result.seq = stored->seq;
  result.created_at = now;
  if (producer != nullptr) {
    queue_->orders.enqueue(producer->token_->token, stored);
  } else {
    queue_->orders.enqueue(stored);
  }
  return result;
}

std::optional<OrderSnapshot> Engine::get(std::string_view client_id) const {
  const Order* order = orders_.find(client_id);
  if (order == nullptr) return std::nullopt;
  return order->snapshot();
}

void Engine::leave_flight(OrderStatus from, OrderStatus to, Order& order, Micros now) {
  // Called with order.lock held, after the order's stock was settled.
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
  in_flight_.fetch_sub(1, std::memory_order_acq_rel);
}

CancelResult Engine::cancel(std::string_view client_id, std::string_view reason) {
  Order* order = orders_.find(client_id);
  if (order == nullptr) return {CancelError::kNotFound, OrderStatus::kPending};
  std::lock_guard guard(order->lock);
  OrderStatus from = order->status.load(std::memory_order_relaxed);
  if (!is_legal_transition(from, OrderStatus::kCancelled)) {
    return {CancelError::kIllegalTransition, from};
  }
  catalog_.release(order->items);
  Micros now = wall_clock_micros();
  order->at[static_cast<std::size_t>(OrderTimestamp::kCancelled)] = now;
  order->reason.assign(reason.empty() ? std::string_view("cancelled") : reason);
  leave_flight(from, OrderStatus::kCancelled, *order, now);
  return {CancelError::kNone, OrderStatus::kCancelled};
}

bool Engine::begin_processing_locked(Order& order, Micros now) {
  if (order.status.load(std::memory_order_relaxed) != OrderStatus::kPending) return false;
  order.at[static_cast<std::size_t>(OrderTimestamp::kProcessingStarted)] = now;
  order.status.store(OrderStatus::kProcessing, std::memory_order_release);
  counters_.add(kStatusBase + status_index(OrderStatus::kPending), -1);
  counters_.add(kStatusBase + status_index(OrderStatus::kProcessing), 1);
  return true;
}

void Engine::finish_processing_locked(Order& order) {
  if (order.status.load(std::memory_order_relaxed) != OrderStatus::kProcessing) return;
  catalog_.fill_prices(order.items);
  Price price = price_items(order.items);
  order.catalog_subtotal = price.subtotal;
  order.discount = price.discount;
  Micros now = wall_clock_micros();
  if (config_.max_order_total > 0 && price.total() > config_.max_order_total) {
    catalog_.release(order.items);
    order.at[static_cast<std::size_t>(OrderTimestamp::kRejected)] = now;
    order.reason = "order total exceeds the limit per order";
    leave_flight(OrderStatus::kProcessing, OrderStatus::kRejected, order, now);
    return;
  }
  catalog_.consume(order.items);
  order.at[static_cast<std::size_t>(OrderTimestamp::kCompleted)] = now;
  leave_flight(OrderStatus::kProcessing, OrderStatus::kCompleted, order, now);
}

void Engine::run_worker(unsigned index) {
  Worker w(*queue_, 0x9E3779B97F4A7C15ULL * (index + 1));
  Order* batch[kDequeueBatch];
  const ProcessingDelay delay = config_.processing_delay;
  while (true) {
    if (paused_.load(std::memory_order_acquire) || stopping_.load(std::memory_order_acquire)) {
      std::unique_lock lock(pause_mutex_);
      ++parked_workers_;
      pause_cv_.notify_all();
      pause_cv_.wait(lock, [&] { return !paused_.load() || stopping_.load(); });
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
    Micros due_base = delay.none() ? 0 : steady_clock_micros();
    for (std::size_t i = 0; i < n; ++i) {
      Order& order = *batch[i];
      std::lock_guard guard(order.lock);
      if (!begin_processing_locked(order, wall_clock_micros())) continue;  // cancelled meanwhile
      if (delay.none()) {
        finish_processing_locked(order);
      } else {
        w.timers.push({due_base + delay.sample(w.random_state), &order});
      }
    }
    if (!w.timers.empty()) {
      Micros now = steady_clock_micros();
      while (!w.timers.empty() && w.timers.top().due <= now) {
        Order& order = *w.timers.top().order;
        w.timers.pop();
        std::lock_guard guard(order.lock);
        finish_processing_locked(order);
      }
    }
  }
}

void Engine::pause_workers() {
  std::unique_lock lock(pause_mutex_);
  paused_.store(true, std::memory_order_release);
  pause_cv_.wait(lock, [&] { return parked_workers_ == workers_.size() || !running(); });
}

void Engine::resume_workers() {
  {
    std::lock_guard guard(pause_mutex_);
    paused_.store(false, std::memory_order_release);
  }
  pause_cv_.notify_all();
}

EngineCounters Engine::counters() const {
  static_assert(kStatusBase + kOrderStatusCount <= 16, "counters_ has 16 slots");
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

void Engine::for_each_order(const std::function<bool(const Order&)>& fn) const {
  orders_.for_each(fn);
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
    case SubmitError::kStopped:
      return "stopped";
  }
  return "unknown";
}

}  // namespace orderd
