#include "persistence/record_codec.h"

#include "persistence/coding.h"

namespace orderd::persistence {
namespace {

// Flags byte of an order.
constexpr std::uint8_t kPriced = 0x01;      // unit prices, subtotal and discount follow
constexpr std::uint8_t kHasDetails = 0x02;  // version 3: a managed order's details follow
constexpr std::uint8_t kHasNotes = 0x04;    // version 3: the order's client notes follow
constexpr std::uint8_t kOrderFlags = kPriced | kHasDetails | kHasNotes;

// Flags byte of a status change (kPriced as above).
constexpr std::uint8_t kByClient = 0x02;      // version 3: a client's move, logged as a note
constexpr std::uint8_t kSeparateNote = 0x04;  // version 3: the note is not the reason; it follows
constexpr std::uint8_t kStatusChangeFlags = kPriced | kByClient | kSeparateNote;

// The smallest encodings, to refuse counts the payload cannot hold before
// allocating for them.
constexpr std::size_t kMinItemBytes = 12;  // u64 product id, u32 quantity
constexpr std::size_t kMinNoteBytes = 18;  // i64 at, u32 version, u8 change, u8 status, u32 size

// Instants (microseconds since the epoch) from 1970 to the year 10000: far
// enough from the int64 range that the engine's differences and sums of
// them never overflow, whatever a damaged but checksum-valid record holds.
constexpr std::int64_t kMaxInstant = 253'402'300'800'000'000;

bool get_instant(Decoder& in, std::int64_t* at) {
  return in.get_i64(at) && *at >= 0 && *at <= kMaxInstant;
}

// Units restocked over a product's life, at most: far beyond any real
// catalog (2^14 times the most a product holds at once), far enough below
// the int64 range that adding stock fields never overflows.
constexpr std::int64_t kMaxRestockedTotal = Catalog::kMaxStock << 14;

OrderStatus status_of(const Order& order) { return order.status.load(std::memory_order_relaxed); }
OrderStatus status_of(const OrderSnapshot& order) { return order.status; }

// The order flags for what a managed order or one with client notes adds to
// the record; a plain order costs one pointer test.
std::uint8_t extras_flags(const std::optional<OrderDetails>& details,
                          const std::vector<OrderNote>& notes) {
  return (details ? kHasDetails : 0) | (notes.empty() ? 0 : kHasNotes);
}
std::uint8_t extras_flags(const Order& order) REQUIRES(order.lock) {
  if (!order.extras) return 0;
  return extras_flags(order.extras->details, order.extras->notes);
}
std::uint8_t extras_flags(const OrderSnapshot& order) {
  return extras_flags(order.details, order.notes);
}

// The helpers below serve Order and OrderSnapshot alike, so they cannot name
// an Order's lock; the entry points taking an Order require it instead.
std::string_view reason_of(const Order& order) REQUIRES(order.lock) { return order.reason(); }
std::string_view reason_of(const OrderSnapshot& order) { return order.reason; }

template <typename OrderLike>
bool is_priced(const OrderLike& order) NO_THREAD_SAFETY_ANALYSIS {
  if (order.catalog_subtotal != 0 || order.discount != 0) return true;
  for (const auto& item : order.items) {
    if (item.unit_price != 0) return true;
  }
  return false;
}

// A string field decoded into storage of its own.
bool get_owned(Decoder& in, std::string* s) {
  std::string_view view;
  if (!in.get_string(&view)) return false;
  s->assign(view);
  return true;
}

// Layout: string line1, line2, city, state, postal code, country
void put_address(std::string* out, const Address& a) {
  for (const std::string* field :
       {&a.line1, &a.line2, &a.city, &a.state, &a.postal_code, &a.country}) {
    put_string(out, *field);
  }
}

bool get_address(Decoder& in, Address* a) {
  for (std::string* field :
       {&a->line1, &a->line2, &a->city, &a->state, &a->postal_code, &a->country}) {
    if (!get_owned(in, field)) return false;
  }
  return true;
}

// Layout: string customer email, string currency, i64 tax, i64 shipping,
//   address shipping, address billing, string payment method,
//   string payment status, string card's last four, string metadata
void put_details(std::string* out, const OrderDetails& d) {
  put_string(out, d.customer_email);
  put_string(out, d.currency);
  put_i64(out, d.tax);
  put_i64(out, d.shipping);
  put_address(out, d.shipping_address);
  put_address(out, d.billing_address);
  put_string(out, d.payment.method);
  put_string(out, d.payment.status);
  put_string(out, d.payment.last_four);
  put_string(out, d.metadata);
}

bool get_details(Decoder& in, OrderDetails* d) {
  if (!get_owned(in, &d->customer_email) || !get_owned(in, &d->currency) || !in.get_i64(&d->tax) ||
      !in.get_i64(&d->shipping) || !get_address(in, &d->shipping_address) ||
      !get_address(in, &d->billing_address) || !get_owned(in, &d->payment.method) ||
      !get_owned(in, &d->payment.status) || !get_owned(in, &d->payment.last_four) ||
      !get_owned(in, &d->metadata)) {
    return false;
  }
  // The engine accepts no negative amounts.
  return d->tax >= 0 && d->shipping >= 0;
}

bool decode_status(std::uint8_t raw, OrderStatus* status) {
  if (raw >= kOrderStatusCount) return false;
  *status = static_cast<OrderStatus>(raw);
  return true;
}

// Layout: u32 count (at least 1), per note: i64 at, u32 version,
//   u8 change (0 status, 1 updated), u8 status after it, string note
void put_notes(std::string* out, const std::vector<OrderNote>& notes) {
  put_u32(out, static_cast<std::uint32_t>(notes.size()));
  for (const OrderNote& n : notes) {
    put_i64(out, n.at);
    put_u32(out, n.version);
    put_u8(out, static_cast<std::uint8_t>(n.change));
    put_u8(out, static_cast<std::uint8_t>(n.status));
    put_string(out, n.note);
  }
}

bool get_notes(Decoder& in, std::vector<OrderNote>* notes) {
  std::uint32_t count = 0;
  if (!in.get_u32(&count) || count == 0 || count > in.remaining() / kMinNoteBytes) return false;
  notes->resize(count);
  for (OrderNote& n : *notes) {
    std::uint8_t change = 0, status = 0;
    if (!get_instant(in, &n.at) || !in.get_u32(&n.version) || !in.get_u8(&change) ||
        !in.get_u8(&status) || !get_owned(in, &n.note)) {
      return false;
    }
    if (change > static_cast<std::uint8_t>(OrderChange::kUpdated)) return false;
    n.change = static_cast<OrderChange>(change);
    if (!decode_status(status, &n.status)) return false;
  }
  return true;
}

// Out of line: the plain orders of the create path do not carry its code.
[[gnu::noinline]] void put_extras(const std::optional<OrderDetails>& details,
                                  const std::vector<OrderNote>& notes, std::string* out) {
  if (details) put_details(out, *details);
  if (!notes.empty()) put_notes(out, notes);
}
void put_extras(const Order& order, std::string* out) REQUIRES(order.lock) {
  put_extras(order.extras->details, order.extras->notes, out);
}
void put_extras(const OrderSnapshot& order, std::string* out) {
  put_extras(order.details, order.notes, out);
}

// Layout:
//   u64 seq, string client_id, u64 user_id, i64 client_total, u8 status,
//   u8 timestamp mask (bit i: at[i] follows), i64 per set bit,
//   u8 flags, u32 item count, per item u64 product id, u32 quantity
//   [, i64 unit price if priced], [i64 subtotal, i64 discount if priced],
//   string reason, [details if kHasDetails], [notes if kHasNotes]
// A plain order without notes sets neither new flag, so its record is
// byte for byte what version 2 wrote, at the same cost.
template <typename OrderLike>
void encode_order_fields(const OrderLike& order, std::string* out) NO_THREAD_SAFETY_ANALYSIS {
  put_u64(out, order.seq);
  put_string(out, order.client_id);
  put_u64(out, order.user_id);
  put_i64(out, order.client_total);
  put_u8(out, static_cast<std::uint8_t>(status_of(order)));
  std::uint8_t mask = 0;
  for (std::size_t i = 0; i < kOrderTimestampCount; ++i) {
    if (order.at[i] != 0) mask |= static_cast<std::uint8_t>(1u << i);
  }
  put_u8(out, mask);
  for (std::size_t i = 0; i < kOrderTimestampCount; ++i) {
    if (order.at[i] != 0) put_i64(out, order.at[i]);
  }
  const bool priced = is_priced(order);
  const std::uint8_t extras = extras_flags(order);
  put_u8(out, static_cast<std::uint8_t>((priced ? kPriced : 0) | extras));
  put_u32(out, static_cast<std::uint32_t>(order.items.size()));
  for (const auto& item : order.items) {
    put_u64(out, item.product_id);
    put_u32(out, item.quantity);
    if (priced) put_i64(out, item.unit_price);
  }
  if (priced) {
    put_i64(out, order.catalog_subtotal);
    put_i64(out, order.discount);
  }
  put_string(out, reason_of(order));
  if (extras != 0) put_extras(order, out);
}

// The timestamps set are stored as a one-byte mask.
static_assert(kOrderTimestampCount <= 8);

// Whether a status change into `to` records the order's reason.
bool records_reason(OrderStatus to) {
  return to == OrderStatus::kRejected || to == OrderStatus::kCancelled ||
         to == OrderStatus::kReturned;
}

// The note of a client's move or update: the last one the engine logged.
std::string_view last_note(const Order& order) REQUIRES(order.lock) {
  if (!order.extras || order.extras->notes.empty()) return {};
  return order.extras->notes.back().note;
}

// A client's move into `to`: its note becomes the reason string where the
// move records no reason, or follows it where it differs from the reason.
// Returns the flags to add. Out of line: the workers' moves, two for every
// order, do not carry its code.
[[gnu::noinline]] std::uint8_t client_note(const Order& order, OrderStatus to,
                                           std::string_view* reason, std::string_view* note)
    REQUIRES(order.lock) {
  *note = last_note(order);
  if (!records_reason(to)) *reason = *note;
  return *note == *reason ? kByClient : kByClient | kSeparateNote;
}

}  // namespace

void encode_order(const Order& order, std::string* out) { encode_order_fields(order, out); }

void encode_order(const OrderSnapshot& order, std::string* out) { encode_order_fields(order, out); }

bool decode_order(std::string_view payload, OrderSnapshot* order) {
  Decoder in(payload);
  std::string_view client_id;
  std::uint8_t status = 0, mask = 0, flags = 0;
  std::uint32_t item_count = 0;
  if (!in.get_u64(&order->seq) || !in.get_string(&client_id) || !in.get_u64(&order->user_id) ||
      !in.get_i64(&order->client_total) || !in.get_u8(&status) || !in.get_u8(&mask)) {
    return false;
  }
  if (!decode_status(status, &order->status) || (mask >> kOrderTimestampCount) != 0) return false;
  order->client_id.assign(client_id);
  for (std::size_t i = 0; i < kOrderTimestampCount; ++i) {
    order->at[i] = 0;
    if ((mask & (1u << i)) && !get_instant(in, &order->at[i])) return false;
  }
  if (!in.get_u8(&flags) || (flags & ~kOrderFlags) != 0 || !in.get_u32(&item_count)) {
    return false;
  }
  const bool priced = flags & kPriced;
  if (item_count > in.remaining() / kMinItemBytes) return false;
  order->items.resize(item_count);
  for (auto& item : order->items) {
    item.unit_price = 0;
    if (!in.get_u64(&item.product_id) || !in.get_u32(&item.quantity)) return false;
    if (priced && !in.get_i64(&item.unit_price)) return false;
  }
  order->catalog_subtotal = 0;
  order->discount = 0;
  if (priced && (!in.get_i64(&order->catalog_subtotal) || !in.get_i64(&order->discount))) {
    return false;
  }
  std::string_view reason;
  if (!in.get_string(&reason)) return false;
  order->reason.assign(reason);
  order->details.reset();
  if ((flags & kHasDetails) && !get_details(in, &order->details.emplace())) return false;
  order->notes.clear();
  if ((flags & kHasNotes) && !get_notes(in, &order->notes)) return false;
  return in.done();
}

// Layout:
//   string client_id, u8 new status, i64 at, u8 flags,
//   [u32 count, i64 unit price per item, i64 subtotal, i64 discount if priced],
//   string reason, [string note if kSeparateNote]
// The reason is the order's for Rejected, Cancelled and Returned; for any
// other client move it is the move's note; else empty. A client's note that
// is not the reason string (a confirmation that the order limit rejects)
// follows it.
void encode_status_change(const Order& order, bool by_client, std::string* out) {
  const OrderStatus to = status_of(order);
  const bool priced =
      (to == OrderStatus::kCompleted || to == OrderStatus::kRejected) && is_priced(order);
  std::uint8_t flags = priced ? kPriced : 0;
  std::string_view reason = records_reason(to) ? order.reason() : "";
  std::string_view note;
  if (by_client) flags |= client_note(order, to, &reason, &note);
  put_string(out, order.client_id);
  put_u8(out, static_cast<std::uint8_t>(to));
  put_i64(out, order.at[timestamp_index(reached_at(to))]);
  put_u8(out, flags);
  if (priced) {
    put_u32(out, static_cast<std::uint32_t>(order.items.size()));
    for (const auto& item : order.items) put_i64(out, item.unit_price);
    put_i64(out, order.catalog_subtotal);
    put_i64(out, order.discount);
  }
  put_string(out, reason);
  if (flags & kSeparateNote) put_string(out, note);
}

bool decode_status_change(std::string_view payload, OrderTransition* t,
                          std::vector<Cents>* unit_prices) {
  Decoder in(payload);
  std::uint8_t to = 0, flags = 0;
  if (!in.get_string(&t->client_id) || !in.get_u8(&to) || !get_instant(in, &t->at) ||
      !in.get_u8(&flags)) {
    return false;
  }
  if (!decode_status(to, &t->to) || t->to == OrderStatus::kPending) return false;
  if ((flags & ~kStatusChangeFlags) != 0) return false;
  if ((flags & kSeparateNote) && !(flags & kByClient)) return false;
  t->priced = flags & kPriced;
  t->by_client = flags & kByClient;
  unit_prices->clear();
  t->catalog_subtotal = 0;
  t->discount = 0;
  if (t->priced) {
    std::uint32_t count = 0;
    if (!in.get_u32(&count) || count > in.remaining() / 8) return false;
    unit_prices->resize(count);
    for (auto& price : *unit_prices) {
      if (!in.get_i64(&price)) return false;
    }
    if (!in.get_i64(&t->catalog_subtotal) || !in.get_i64(&t->discount)) return false;
  }
  t->unit_prices = *unit_prices;
  if (!in.get_string(&t->reason)) return false;
  t->note.reset();
  if (flags & kSeparateNote) {
    std::string_view note;
    if (!in.get_string(&note)) return false;
    t->note = note;
  }
  return in.done();
}

// Layout: string client_id, i64 at, string note, details
void encode_order_update(const Order& order, std::string* out) {
  const bool logged = order.extras && !order.extras->notes.empty();
  put_string(out, order.client_id);
  put_i64(out, logged ? order.extras->notes.back().at : 0);
  put_string(out, last_note(order));
  put_details(out, order.has_details() ? *order.extras->details : OrderDetails{});
}

bool decode_order_update(std::string_view payload, OrderUpdateRecord* u) {
  Decoder in(payload);
  if (!in.get_string(&u->client_id) || !get_instant(in, &u->at) || !in.get_string(&u->note) ||
      !get_details(in, &u->details)) {
    return false;
  }
  return in.done() && !u->client_id.empty() && u->at != 0;
}

// Layout: u64 id, string external reference, string name, string first name,
//   string last name, string email, string phone, string city, i64 member since
//   [, string password hash (version 4, only when the customer has one)]
// A customer without a password is encoded byte for byte as in version 3.
void encode_customer(const CustomerInfo& c, std::string* out) {
  put_u64(out, c.id);
  for (const std::string* field :
       {&c.external_ref, &c.name, &c.first_name, &c.last_name, &c.email, &c.phone, &c.city}) {
    put_string(out, *field);
  }
  put_i64(out, c.member_since);
  if (!c.password_hash.empty()) put_string(out, c.password_hash);
}

bool decode_customer(std::string_view payload, CustomerInfo* c) {
  Decoder in(payload);
  if (!in.get_u64(&c->id)) return false;
  for (std::string* field : {&c->external_ref, &c->name, &c->first_name, &c->last_name, &c->email,
                             &c->phone, &c->city}) {
    if (!get_owned(in, field)) return false;
  }
  if (!get_instant(in, &c->member_since)) return false;
  c->implicit = false;
  c->password_hash.clear();
  // Present only when not empty, so an empty one is not a valid encoding.
  if (in.remaining() > 0 && (!get_owned(in, &c->password_hash) || c->password_hash.empty())) {
    return false;
  }
  return in.done() && c->id != 0;
}

// Layout: u64 id, string name, i64 price, i64 initial, i64 restocked
//   [, string sku (version 3, only when the product has one)]
void encode_product(const ProductInfo& p, std::string* out) {
  put_u64(out, p.id);
  put_string(out, p.name);
  put_i64(out, p.price);
  put_i64(out, p.initial);
  put_i64(out, p.restocked);
  if (!p.sku.empty()) put_string(out, p.sku);
}

bool decode_product(std::string_view payload, ProductInfo* p) {
  Decoder in(payload);
  std::string_view name;
  if (!in.get_u64(&p->id) || !in.get_string(&name) || !in.get_i64(&p->price) ||
      !in.get_i64(&p->initial) || !in.get_i64(&p->restocked)) {
    return false;
  }
  // Within the catalog's limits, so that no sum of stock fields overflows
  // (a damaged record whose checksums still match must not get that far).
  if (p->price < 0 || p->price > Catalog::kMaxPrice || p->initial < 0 ||
      p->initial > Catalog::kMaxStock || p->restocked < 0 || p->restocked > kMaxRestockedTotal) {
    return false;
  }
  p->name.assign(name);
  p->sku.clear();
  // Present only when not empty, so an empty one is not a valid encoding.
  if (in.remaining() > 0 && (!get_owned(in, &p->sku) || p->sku.empty())) return false;
  // Only initial and restocked stock are stored; until orders are restored
  // all of it is available.
  p->available = p->initial + p->restocked;
  p->held = 0;
  p->consumed = 0;
  p->returned = 0;
  return in.done();
}

// Layout: u64 product id, i64 quantity, i64 restocked total
void encode_restock(const RestockRecord& r, std::string* out) {
  put_u64(out, r.product_id);
  put_i64(out, r.quantity);
  put_i64(out, r.restocked_total);
}

bool decode_restock(std::string_view payload, RestockRecord* r) {
  Decoder in(payload);
  if (!in.get_u64(&r->product_id) || !in.get_i64(&r->quantity) ||
      !in.get_i64(&r->restocked_total)) {
    return false;
  }
  return in.done() && r->quantity > 0 && r->quantity <= Catalog::kMaxStock &&
         r->restocked_total >= r->quantity && r->restocked_total <= kMaxRestockedTotal;
}

// Layout: u8 key size (1-255), key bytes, u64 fingerprint, u16 status,
//   string etag, string body, i64 created at
// The key's size takes one byte: keys are at most kMaxIdempotencyKeyBytes.
static_assert(kMaxIdempotencyKeyBytes <= 255);
void encode_idempotency_reply(const IdempotencyRecord& r, std::string* out) {
  put_u8(out, static_cast<std::uint8_t>(r.key.size()));
  out->append(r.key.data(), r.key.size());
  put_u64(out, r.fingerprint);
  put_u16(out, static_cast<std::uint16_t>(r.status));
  put_string(out, r.etag);
  put_string(out, r.body);
  put_i64(out, r.created_at);
}

bool decode_idempotency_reply(std::string_view payload, IdempotencyRecord* r) {
  Decoder in(payload);
  std::uint8_t key_size = 0;
  std::uint16_t status = 0;
  if (!in.get_u8(&key_size) || key_size == 0 || key_size > in.remaining()) return false;
  r->key = payload.substr(1, key_size);
  Decoder rest(payload.substr(1 + key_size));
  if (!rest.get_u64(&r->fingerprint) || !rest.get_u16(&status) || !rest.get_string(&r->etag) ||
      !rest.get_string(&r->body) || !rest.get_i64(&r->created_at)) {
    return false;
  }
  r->status = status;
  // What IdempotencyStore::restore accepts.
  return rest.done() && status >= 100 && status <= 599;
}

// Layout: u8 id size (1-128), id bytes, i64 expires at
// The id's size takes one byte: ids are at most kMaxTokenIdBytes.
static_assert(kMaxTokenIdBytes <= 255);
void encode_revocation(const RevokedToken& r, std::string* out) {
  put_u8(out, static_cast<std::uint8_t>(r.id.size()));
  out->append(r.id.data(), r.id.size());
  put_i64(out, r.expires_at);
}

bool decode_revocation(std::string_view payload, RevokedToken* r) {
  Decoder in(payload);
  std::uint8_t id_size = 0;
  if (!in.get_u8(&id_size) || id_size > in.remaining()) return false;
  r->id = payload.substr(1, id_size);
  Decoder rest(payload.substr(1 + id_size));
  if (!rest.get_i64(&r->expires_at)) return false;
  return rest.done() && valid_token_id(r->id) && r->expires_at > 0;
}

// Layout: u64 replay from, i64 started at
void encode_snapshot_begin(const SnapshotBeginRecord& b, std::string* out) {
  put_u64(out, b.replay_from_seq);
  put_i64(out, b.started_at);
}

bool decode_snapshot_begin(std::string_view payload, SnapshotBeginRecord* b) {
  Decoder in(payload);
  if (!in.get_u64(&b->replay_from_seq) || !in.get_i64(&b->started_at)) return false;
  return in.done();
}

// Layout: u64 orders, u64 products, u64 captured through
//   [, u64 customers (version 3; a version 2 snapshot holds none)
//   [, u64 revocations (version 4; a version 3 snapshot holds none)]]
void encode_snapshot_end(const SnapshotEndRecord& e, std::string* out) {
  put_u64(out, e.orders);
  put_u64(out, e.products);
  put_u64(out, e.captured_through_seq);
  put_u64(out, e.customers);
  put_u64(out, e.revocations);
}

bool decode_snapshot_end(std::string_view payload, SnapshotEndRecord* e) {
  Decoder in(payload);
  if (!in.get_u64(&e->orders) || !in.get_u64(&e->products) ||
      !in.get_u64(&e->captured_through_seq)) {
    return false;
  }
  e->customers = 0;
  e->revocations = 0;
  if (in.remaining() > 0 && !in.get_u64(&e->customers)) return false;
  if (in.remaining() > 0 && !in.get_u64(&e->revocations)) return false;
  return in.done();
}

}  // namespace orderd::persistence
