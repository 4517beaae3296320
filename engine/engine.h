// The order engine: accepts orders, reserves their stock, and drives them
// through the lifecycle on a pool of worker threads.
//
//   submit() ── validate ── reserve stock ── store ── queue ──> workers
//                                      │             Pending → Processing
//                                      │   (simulated delay: timer heap)
//                                      │            → Completed / Rejected
//                                      └─ or held by the Producer until
//                                         finish_accepted() moves them on
//                                         on the accepting thread
//
//   update_status() ── under the order's lock ──> Shipped → Delivered → Returned,
//                                                 or Cancelled before Shipped
//
// Thread safety: every public method may be called from any thread, except
// start()/stop(), which the owner calls once each. The engine knows nothing
// of HTTP or files.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/mutex.h"
#include "base/thread_annotations.h"
#include "engine/catalog.h"
#include "engine/customer_store.h"
#include "engine/event_sink.h"
#include "engine/idempotency_store.h"
#include "engine/latency_histogram.h"
#include "engine/order.h"
#include "engine/order_store.h"
#include "engine/processing_delay.h"
#include "engine/restore_result.h"
#include "engine/striped_counter.h"
#include "engine/token_revocations.h"

namespace orderd {

struct EngineConfig {
  unsigned workers = 0;                // 0: one per four hardware threads, at least one
  std::size_t capacity = 1'000'000;    // most orders Pending or Processing at once
  ProcessingDelay processing_delay{};  // simulated time in Processing
  // Simulated time in Pending before a worker takes the order (a timer, not
  // a blocked thread), so a simulation shows the Pending stage too.
  ProcessingDelay pending_delay{};
  std::size_t max_products = 1 << 16;  // catalog capacity
  std::size_t max_items_per_order = 1000;
  std::size_t max_client_id_length = 128;
  Cents max_order_total = 0;  // > 0: priced orders above it are Rejected
  std::size_t order_shards = 256;
  // Idempotency keys (idempotency_store.h): how long a stored reply is
  // replayed, and how many keys are held at most.
  std::chrono::microseconds idempotency_ttl = std::chrono::hours(24);
  std::size_t idempotency_max_keys = 1'000'000;
  // Revoked tokens (token_revocations.h): how many ids are held at most.
  std::size_t max_revoked_tokens = 1'000'000;
};

// Per product and order, after merging repeated ids.
inline constexpr std::uint32_t kMaxQuantityPerItem = 1'000'000;
inline constexpr Cents kMaxClientTotal = Cents{1} << 50;

struct ItemRequest {
  ProductId product_id = 0;
  std::uint32_t quantity = 1;
  // The unit price the client expects (a checkout's displayed price), or
  // -1. A different catalog price refuses the order (kPriceMismatch).
  Cents expected_price = -1;
};

struct OrderRequest {
  // Empty: the engine assigns "order_<seq>" (SubmitResult::client_id).
  std::string_view client_id;
  UserId user_id = 0;                  // the customer; 0 for none
  std::span<const ItemRequest> items;  // repeated product ids add up
  Cents client_total = 0;
  // A managed order's details, copied. Managed orders are priced when they
  // are accepted (the price the customer saw), plain ones when processed.
  const OrderDetails* details = nullptr;
};

// Names an order by its client id or, when that is empty, its sequence
// number (the integer order id of the seed APIs).
struct OrderKey {
  OrderKey(std::string_view id) : client_id(id) {}    // NOLINT: implicit on purpose
  OrderKey(const std::string& id) : client_id(id) {}  // NOLINT
  OrderKey(const char* id) : client_id(id) {}         // NOLINT
  static OrderKey by_seq(OrderSeq seq) {
    OrderKey k{std::string_view{}};
    k.seq = seq;
    return k;
  }
  std::string_view client_id;
  OrderSeq seq = 0;
};

// One item whose expected price is not the catalog's.
struct PriceIssue {
  ProductId product_id = 0;
  Cents expected = 0;
  Cents catalog = 0;
};

enum class SubmitError {
  kNone,
  kInvalid,        // the request itself is malformed
  kDuplicate,      // the client id is taken
  kStock,          // unknown product or not enough stock; see stock_issues
  kAtCapacity,     // too many orders in flight; retry later
  kPriceMismatch,  // an expected unit price is not the catalog's; see price_issues
  kStopped,        // the engine is not running
  // Writes are refused (Engine::refuse_writes: durable storage failed).
  kUnavailable,
};

struct SubmitResult {
  SubmitError error = SubmitError::kNone;
  std::string message;  // why, when error != kNone
  std::vector<StockIssue> stock_issues;
  std::vector<PriceIssue> price_issues;
  OrderSeq seq = 0;
  std::string client_id;  // set only when the engine assigned it
  Micros created_at = 0;
  // The event sink's position of the acceptance record (0 without a sink):
  // acknowledge the order only once the sink reports this position durable.
  DurableToken durable_token = 0;

  bool ok() const { return error == SubmitError::kNone; }
};

enum class StatusUpdateError {
  kNone,
  kUnchanged,  // the order already has the requested status: nothing changed
  kNotFound,
  kIllegalTransition,  // not a client move from the current status; see allowed
  kUnavailable,        // writes are refused (Engine::refuse_writes)
  kVersionMismatch,    // the order's version is not the expected one; see version
  kNotEditable,        // (update_details) the change is not allowed in this status
};

// A client's status move.
struct StatusChange {
  OrderStatus to = OrderStatus::kCancelled;
  std::string_view note;               // why; kept in the order's history (and as its reason
                                       // for Cancelled and Returned)
  std::uint32_t expected_version = 0;  // > 0: refuse unless the order has it
  // Set: refuse (kIllegalTransition) unless the order is in this status,
  // e.g. a deletion that is allowed only while Pending.
  std::optional<OrderStatus> only_from;
  // Set: receives the order as this change left it (taken under its lock,
  // so no later change shows), when a change was made.
  OrderSnapshot* after = nullptr;
};

struct StatusUpdateResult {
  StatusUpdateError error = StatusUpdateError::kNone;
  // The order's status afterwards: the new one, or the unchanged current one.
  OrderStatus status = OrderStatus::kPending;
  // With kIllegalTransition: the statuses a client may move the order to now.
  std::vector<OrderStatus> allowed;
  // The order's version afterwards (or now, when nothing changed).
  std::uint32_t version = 0;
  // The status change record's position (0 without a sink or a change).
  DurableToken durable_token = 0;

  bool ok() const { return error == StatusUpdateError::kNone; }
};

enum class CancelError { kNone, kNotFound, kIllegalTransition, kUnavailable };

struct CancelResult {
  CancelError error = CancelError::kNone;
  OrderStatus status = OrderStatus::kPending;  // the order's status afterwards
  DurableToken durable_token = 0;              // the cancellation record's position
};

// A recorded status change, as recovery replays it.
struct OrderTransition {
  std::string_view client_id;
  OrderStatus to = OrderStatus::kProcessing;
  Micros at = 0;            // when the order reached `to`
  std::string_view reason;  // Rejected, Cancelled and Returned; a client move's note
  // A client made the move (update_status): it is logged in the order's
  // notes. When a client confirms a Pending order, its move into Processing
  // is recorded by_client = false and the one into Completed by_client = true.
  bool by_client = false;
  // With by_client: the client's note when it is not `reason` (a
  // confirmation that the order limit rejects keeps the engine's reason and
  // the client's note); unset, `reason` is the note.
  std::optional<std::string_view> note;
  bool priced = false;  // set when the prices below were fixed (Completed, Rejected)
  Cents catalog_subtotal = 0;
  Cents discount = 0;
  std::span<const Cents> unit_prices;  // one per item, in the order's item order
};

struct EngineCounters {
  std::int64_t accepted = 0;
  // Orders that ever reached Completed, including those that moved on since
  // (by_status has where they are now).
  std::int64_t completed = 0;
  std::int64_t rejected = 0;
  std::int64_t cancelled = 0;
  // Submissions refused before an order existed, by reason.
  std::int64_t refused_invalid = 0;
  std::int64_t refused_duplicate = 0;
  std::int64_t refused_stock = 0;
  std::int64_t refused_capacity = 0;
  std::array<std::int64_t, kOrderStatusCount> by_status{};
  std::int64_t in_flight = 0;
  std::int64_t queued = 0;  // accepted but not yet taken by a worker (approximate)
  // Sums over Completed orders, for averages.
  Micros processing_micros_sum = 0;     // processing started → completed
  Micros from_creation_micros_sum = 0;  // created → completed

  std::int64_t count(OrderStatus s) const { return by_status[status_index(s)]; }
};

// How long orders spend in each stage, for latency dashboards. Only
// transitions the workers make in this process are recorded, never state
// replayed by restore_*; an order recovered while Pending or Processing is
// recorded when a worker moves it on, its time spanning the restart.
struct EngineHistograms {
  LatencySnapshot pending;     // created → processing started
  LatencySnapshot processing;  // processing started → Completed (Completed orders only)
  LatencySnapshot completion;  // created → Completed
};

class Engine {
 public:
  explicit Engine(EngineConfig config = {});
  ~Engine();  // stops the workers if still running
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void start();
  // Stops the workers; orders still Pending or Processing stay so in memory.
  void stop();
  bool running() const { return running_.load(std::memory_order_acquire); }

  const EngineConfig& config() const { return config_; }
  Catalog& catalog() { return catalog_; }
  const Catalog& catalog() const { return catalog_; }
  // Replies stored under idempotency keys, reported to the event sink like
  // every other change.
  IdempotencyStore& idempotency() { return idempotency_; }
  const IdempotencyStore& idempotency() const { return idempotency_; }

  // Who moves a submitted order on from Pending. Handing each order to a
  // worker costs a wake-up (a futex call and a context switch on both
  // sides) that costs more than the move itself when there is no simulated
  // delay; a thread that accepts orders one request at a time can instead
  // finish them itself once its answer is built (docs/performance.md,
  // "Finishing on the accepting thread").
  enum class Handoff {
    kWorkers,          // queued for the workers at once
    kAcceptingThread,  // held until finish_accepted(), or 256 are held
  };

  // A submitting thread that keeps one Producer gets the queue's fastest
  // path. A Producer must not outlive its engine nor be shared by threads;
  // its destructor finishes the orders it holds.
  class Producer {
   public:
    ~Producer();
    Producer(Producer&&) noexcept;
    Producer& operator=(Producer&&) noexcept;

   private:
    friend class Engine;
    struct Token;
    explicit Producer(std::unique_ptr<Token> token);
    std::unique_ptr<Token> token_;
  };
  Producer make_producer(Handoff handoff = Handoff::kWorkers);

  // Moves the orders `producer` holds (Handoff::kAcceptingThread) on as a
  // worker would, on the calling thread: Processing, then Completed or
  // Rejected. While workers are paused or stopping, or with a simulated
  // delay, queues them for the workers instead. Cheap when none are held.
  void finish_accepted(Producer& producer);

  // Accepts the order (Pending, stock reserved) or refuses it, leaving
  // nothing behind. Never blocks on a full engine: kAtCapacity instead.
  SubmitResult submit(const OrderRequest& request, Producer* producer = nullptr);

  std::optional<OrderSnapshot> get(OrderKey key) const;
  // By order number (order_number.h): the order whose number it is.
  std::optional<OrderSnapshot> find_by_number(std::string_view number) const;

  // Moves the order to `to` if that is a client move from its current status
  // (order_status.h: Shipped, Delivered, Returned, Cancelled), stamping the
  // status's timestamp and applying its stock effect, all under the order's
  // lock, so a worker's move of the same order happens wholly before or
  // after it. `reason` is kept for Cancelled and Returned (empty: a default).
  // Moving to the status the order already has is kUnchanged and records
  // nothing; any other refused move changes nothing either.
  //
  // A client may also confirm an order: move it to Completed while Pending
  // or Processing. It is then processed at once (priced, its stock consumed,
  // or Rejected over the order limit), passing through Processing if Pending.
  StatusUpdateResult update_status(OrderKey key, const StatusChange& change);
  StatusUpdateResult update_status(OrderKey key, OrderStatus to, std::string_view reason) {
    return update_status(key, StatusChange{to, reason, 0, std::nullopt});
  }

  // update_status(key, Cancelled, reason): cancels a Pending or
  // Processing order (releasing its stock) or a Completed one (giving its
  // units back). Cancelling a Cancelled order is kIllegalTransition.
  CancelResult cancel(OrderKey key, std::string_view reason);

  // Replaces a managed order's details (a plain order becomes managed),
  // logging `note`. Tax and shipping are fixed at acceptance and the shipping
  // address once the order has shipped: changing them is kNotEditable.
  // Nothing changed is kUnchanged and records nothing.
  // `after`, if set, receives the order as the update left it (as
  // StatusChange::after).
  StatusUpdateResult update_details(OrderKey key, const OrderDetails& details,
                                    std::string_view note, std::uint32_t expected_version = 0,
                                    OrderSnapshot* after = nullptr);

  // Adds an order with a past: `order`'s status, timestamps, items and
  // details as given (its seq and client id are assigned, as for an empty
  // client id; its prices are the catalog's now), with the stock effect of
  // the path it took, reported to the sink like an acceptance. For demo data
  // and imports, before or after start(); the timestamps must follow the
  // lifecycle (each state reached after the one before). kInvalid for a
  // malformed order, kStock if the catalog cannot cover it.
  SubmitResult import_order(const OrderSnapshot& order);

  CustomerStore& customers() { return customers_; }
  const CustomerStore& customers() const { return customers_; }
  // Registers a customer (CustomerStore::add); kUnavailable-like refusal
  // when writes are refused is reported as an empty optional.
  std::optional<AddCustomerResult> register_customer(CustomerInfo customer);

  // Revoked tokens, for reading (revoked(), epoch()); changed only through
  // revoke_token(), so that a refusal of writes holds for them too.
  const TokenRevocations& revocations() const { return revocations_; }
  // Revokes the token with id `jti` until `expires_at` (wall clock µs),
  // judged at the wall clock now: TokenRevocations::revoke, or kUnavailable
  // while writes are refused. Answer only once durable_token is durable.
  RevokeResult revoke_token(std::string_view jti, Micros expires_at);

  EngineCounters counters() const;
  // Lock-free. Each snapshot's count is the sum of its buckets; while workers
  // run, the three histograms and counters() are read at slightly different
  // moments and may differ by the orders that moved in between.
  EngineHistograms histograms() const;

  // Visits every order; fn returns false to stop. See OrderStore::for_each.
  void for_each_order(const std::function<bool(const Order&)>& fn) const;
  // Visits the orders with sequence numbers in [first, last], ascending,
  // through the lock-free sequence index (no shard lock is held, so callers
  // may visit disjoint ranges from several threads); fn returns false to stop.
  void for_each_order_in(OrderSeq first, OrderSeq last,
                         const std::function<bool(const Order&)>& fn) const;
  // One above the highest sequence number assigned so far.
  OrderSeq next_seq() const { return next_seq_.load(std::memory_order_acquire); }

  // Workers finish the batch in hand and then wait, and accepting threads
  // queue what they hold instead of finishing it; returns once all wait, and
  // no order moves on from then until resume_workers(). For tests and
  // maintenance; submit keeps accepting up to capacity.
  void pause_workers() EXCLUDES(pause_mutex_);
  void resume_workers() EXCLUDES(pause_mutex_);

  // --- Durability hooks -----------------------------------------------------

  // Reports every later state change to `sink` (see event_sink.h); nullptr
  // detaches. Call while no other thread uses the engine (before start(), or
  // after stop() with requests drained); `sink` must outlive its use.
  void set_event_sink(EventSink* sink);

  // From now on submit(), update_status(), cancel() and revoke_token() fail
  // with kUnavailable and `reason` as the message, while reads keep working.
  // Sticky. Thread-safe; the durability layer calls it once it can no longer
  // persist changes.
  void refuse_writes(std::string reason) EXCLUDES(refusal_mutex_);
  bool refusing_writes() const { return refusing_writes_.load(std::memory_order_acquire); }
  std::string write_refusal_reason() const EXCLUDES(refusal_mutex_);

  // --- Recovery: call only before start(); these bypass the event sink. -----
  // Reads (get, counters) may run meanwhile and see the state grow.

  // Inserts a product with every stock field as given. kAlreadyApplied if
  // the id exists; kInvalid if out of range or the catalog is full.
  RestoreResult restore_product(const ProductInfo& product);
  // See Catalog::restore_restock.
  RestoreResult restore_restock(ProductId id, std::int64_t quantity, std::int64_t restocked_total);
  // Inserts an order in its recorded state with its original timestamps and
  // prices, applies the stock effect of the path it took (held while Pending
  // or Processing; consumed once Completed, Shipped or Delivered; consumed
  // and given back once Returned, or Cancelled after Completed) and counts
  // it. kAlreadyApplied if the client id exists. Pending and Processing orders are queued, so
  // start() resumes them: a Pending order is processed as usual; a Processing one completes after a
  // fresh processing delay and keeps its original start time.
  RestoreResult restore_order(OrderSnapshot order);
  // Applies a recorded status change with its stock effect. kAlreadyApplied
  // if the order already went through it (same timestamp); kInconsistent if
  // the lifecycle does not allow it from the order's status.
  RestoreResult restore_transition(const OrderTransition& transition);
  // Replays update_details; kAlreadyApplied if the order's notes already
  // hold an update at `at`.
  RestoreResult restore_update(std::string_view client_id, const OrderDetails& details,
                               std::string_view note, Micros at);
  // See CustomerStore::restore.
  RestoreResult restore_customer(const CustomerInfo& customer) {
    return customers_.restore(customer);
  }
  // See TokenRevocations::restore.
  RestoreResult restore_revocation(std::string_view jti, Micros expires_at) {
    return revocations_.restore(jti, expires_at);
  }

  // A 64-bit digest of the state a restart must preserve: every order (all
  // fields), every product's stock accounting, every customer, the counters
  // derived from them (not refusals, which are not persisted) and the token
  // revocations live at `now` (wall clock; 0: the clock now), the expired
  // ones being of no use after a restart. Independent of shard layout
  // and iteration order. Meaningful while the state is quiet (workers paused
  // or stopped); takes each order's lock in turn.
  std::uint64_t state_digest(Micros now = 0) const;

 private:
  struct Queue;
  struct Worker;
  enum Counter : std::size_t;

  void run_worker(unsigned index);
  // Takes a place among the orders in flight; false at capacity, after
  // finishing the orders `producer` holds and trying again.
  bool admit_in_flight(Producer* producer);
  // Both report to the sink.
  bool begin_processing_locked(Order& order, Micros now) REQUIRES(order.lock);
  void finish_processing_locked(Order& order) REQUIRES(order.lock);
  // Finishes a just-started order now, or after its processing delay.
  void schedule_finish(Worker& w, Order& order, Micros steady_now) REQUIRES(order.lock);
  void record_completion_latency(const Order& order, Micros now) REQUIRES(order.lock);
  // Applies the stock effect of the move from the order's status to `to`.
  void settle_stock_locked(const Order& order, OrderStatus to) REQUIRES(order.lock);
  // Sets the status after its stock and timestamp were settled and counts
  // the move.
  void record_move(OrderStatus from, OrderStatus to, Order& order, Micros now) REQUIRES(order.lock);
  SubmitResult refuse(SubmitError error, std::string message);
  // Tells the sink, if any, that `order` left `from`.
  DurableToken report_status_change(const Order& order, OrderStatus from) REQUIRES(order.lock);

  EngineConfig config_;
  Order* find(OrderKey key) const;
  // Moves a Processing order on to Completed (or Rejected over the limit),
  // pricing a plain order first. `note`: a client's confirmation.
  DurableToken complete_locked(Order& order, Micros now, const std::string_view* note)
      REQUIRES(order.lock);
  // Appends to the order's notes, stamped with the version it now has.
  void log_note(Order& order, OrderChange change, std::string_view note, Micros at)
      REQUIRES(order.lock);
  // Logs the client's move and tells the sink.
  DurableToken report_client_move(Order& order, OrderStatus from, std::string_view note, Micros at)
      REQUIRES(order.lock);

  Catalog catalog_;
  OrderStore orders_;
  CustomerStore customers_;
  IdempotencyStore idempotency_;
  TokenRevocations revocations_;
  std::unique_ptr<Queue> queue_;
  std::atomic<std::uint64_t> next_seq_{1};
  alignas(64) std::atomic<std::int64_t> in_flight_{0};
  StripedCounters<24> counters_;
  LatencyHistogram pending_latency_;
  LatencyHistogram processing_latency_;
  LatencyHistogram completion_latency_;

  std::atomic<EventSink*> sink_{nullptr};
  std::atomic<bool> refusing_writes_{false};
  mutable Mutex refusal_mutex_;
  std::string refusal_reason_ GUARDED_BY(refusal_mutex_);

  std::atomic<bool> running_{false};
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> workers_;

  Mutex pause_mutex_;
  CondVar pause_cv_;  // with pause_mutex_: a worker parked, or paused_ or stopping_ changed
  std::atomic<bool> paused_{false};
  unsigned parked_workers_ GUARDED_BY(pause_mutex_) = 0;
  // Threads inside finish_accepted() that may move orders on themselves:
  // pause_workers() waits for none to be left, so that once it returns no
  // order moves until resume_workers().
  alignas(64) std::atomic<int> finishing_callers_{0};
};

std::string_view submit_error_name(SubmitError e);

}  // namespace orderd
