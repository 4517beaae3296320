// Payloads of the journal's and snapshots' record types (see
// journal_format.h for the framing around them). Every payload is a fixed
// sequence of little-endian fields (coding.h); docs/journal-format.md lists
// them field by field.
//
// Encoders append to `out` (which may allocate as it grows). Decoders
// return false, without partial results worth using, on any malformed input:
// short, overlong, or a value out of its range.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/thread_annotations.h"
#include "engine/catalog.h"
#include "engine/customer_store.h"
#include "engine/engine.h"
#include "engine/idempotency_store.h"
#include "engine/order.h"
#include "engine/order_details.h"
#include "engine/token_revocations.h"

namespace orderd::persistence {

// Every decoder also reads the records of older format versions: each
// version only added flag bits, the fields behind them, record types and
// trailing fields (journal_format.h), so an older record decodes with none
// of the newer fields.

// --- kOrderAccepted and kSnapshotOrder: an order's whole state ------------

// With a managed order's details and the order's client notes when it has
// them (flag bits: a plain order's record is as small as in version 2). An
// accepted order has no notes yet; the journal rebuilds them by replaying the
// status changes and updates, so only snapshots carry them.
// The engine holds `order.lock` when it calls an EventSink.
void encode_order(const Order& order, std::string* out) REQUIRES(order.lock);
void encode_order(const OrderSnapshot& order, std::string* out);
bool decode_order(std::string_view payload, OrderSnapshot* order);

// --- kOrderStatusChanged ---------------------------------------------------

// The order's move into its current status, with that status's timestamp,
// the reason (Rejected, Cancelled, Returned) and the prices when they are
// set. Where the move came from is not stored: replay applies it to the
// order's replayed status, which gives the same stock effect (a Cancelled
// after Completed gives units back, one before releases them).
// `by_client`: a client made the move, and the order's last note
// (order.extras->notes.back()) is its log entry, recorded with it.
void encode_status_change(const Order& order, bool by_client, std::string* out)
    REQUIRES(order.lock);
// Fills `transition`, whose views point into `payload` and `unit_prices`
// (reused storage, so replay allocates nothing per record).
bool decode_status_change(std::string_view payload, OrderTransition* transition,
                          std::vector<Cents>* unit_prices);

// --- kOrderUpdated -----------------------------------------------------------

// A client replaced a managed order's details: the new details and the
// update's note with its instant (order.extras->notes.back()).
void encode_order_update(const Order& order, std::string* out) REQUIRES(order.lock);

struct OrderUpdateRecord {
  std::string_view client_id;  // points into the payload
  Micros at = 0;               // the update's instant: its note's
  std::string_view note;       // points into the payload
  OrderDetails details;        // reused: its strings keep their storage
};
bool decode_order_update(std::string_view payload, OrderUpdateRecord* update);

// --- kCustomerAdded and kSnapshotCustomer -------------------------------------

// A registered customer, every field; the password hash (version 4) only
// when there is one. Implicit customers are never recorded: replaying the
// orders that name them recreates them.
void encode_customer(const CustomerInfo& customer, std::string* out);
// Sets `implicit` to false.
bool decode_customer(std::string_view payload, CustomerInfo* customer);

// --- kProductAdded and kSnapshotProduct ------------------------------------

// Id, name, price, initial stock, restocked total and the SKU. The other
// stock fields (available, held, consumed, returned) follow from the orders
// and are not stored.
void encode_product(const ProductInfo& product, std::string* out);
bool decode_product(std::string_view payload, ProductInfo* product);

// --- kProductRestocked -------------------------------------------------------

struct RestockRecord {
  ProductId product_id = 0;
  std::int64_t quantity = 0;
  std::int64_t restocked_total = 0;  // the product's restocked total after this restock
};
void encode_restock(const RestockRecord& restock, std::string* out);
bool decode_restock(std::string_view payload, RestockRecord* restock);

// --- kIdempotencyReply and kSnapshotIdempotencyReply --------------------------

// A reply stored under an idempotency key: the key (1 to
// kMaxIdempotencyKeyBytes bytes, which the store's callers ensure), the
// request's fingerprint, the status (100-599), the entity tag and body as
// the front end sends them, and when it was stored (wall clock).
void encode_idempotency_reply(const IdempotencyRecord& reply, std::string* out);
// The views in `reply` point into `payload`.
bool decode_idempotency_reply(std::string_view payload, IdempotencyRecord* reply);

// --- kTokenRevoked and kSnapshotTokenRevocation -------------------------------

// A revoked token: its id (1 to kMaxTokenIdBytes printable ASCII bytes,
// valid_token_id, which the engine ensures) and the instant its token
// expires (wall clock).
void encode_revocation(const RevokedToken& revocation, std::string* out);
// The id in `revocation` points into `payload`. Refuses what
// TokenRevocations::restore would: an invalid id, an expiry of 0 or less.
bool decode_revocation(std::string_view payload, RevokedToken* revocation);

// --- kSnapshotBegin and kSnapshotEnd ------------------------------------------

struct SnapshotBeginRecord {
  std::uint64_t replay_from_seq = 0;  // every journal record before it is in the snapshot
  Micros started_at = 0;              // wall clock
};
void encode_snapshot_begin(const SnapshotBeginRecord& begin, std::string* out);
bool decode_snapshot_begin(std::string_view payload, SnapshotBeginRecord* begin);

struct SnapshotEndRecord {
  std::uint64_t orders = 0;
  std::uint64_t products = 0;
  // The journal position when capture ended: the snapshot may reflect
  // records up to here, and the journal was durable through it before the
  // snapshot was published.
  std::uint64_t captured_through_seq = 0;
  std::uint64_t customers = 0;  // registered ones (0 in a version 2 snapshot, which has none)
  // Revoked tokens live at capture (0 in a version 3 snapshot, which has none).
  std::uint64_t revocations = 0;
};
void encode_snapshot_end(const SnapshotEndRecord& end, std::string* out);
bool decode_snapshot_end(std::string_view payload, SnapshotEndRecord* end);

}  // namespace orderd::persistence
