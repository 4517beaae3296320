#include "net/managed_order_routes.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "base/decimal.h"
#include "engine/order_history.h"
#include "engine/order_status.h"
#include "net/json_tree.h"
#include "net/order_document.h"
#include "net/request_tree.h"
#include "net/router.h"
#include "net/status_answers.h"
#include "net/submit_answers.h"

namespace orderd::net {
namespace {

constexpr std::size_t kMaxAddressFieldBytes = 200;
constexpr std::size_t kMaxEmailBytes = 254;
constexpr std::size_t kMaxCustomerRefBytes = 64;
constexpr std::size_t kMaxSkuBytes = 64;
constexpr std::size_t kMaxProductNameBytes = 200;
constexpr std::size_t kMaxPaymentFieldBytes = 32;
constexpr std::size_t kMaxReasonBytes = 500;
constexpr std::size_t kMaxMetadataBytes = 4096;

// The document's status spelling on these routes; seed 001's status route
// answers with its own (kConfirmed).
constexpr StatusSpelling kSpelling = StatusSpelling::kLowercase;

std::string join(std::string_view prefix, std::string_view key) {
  std::string path(prefix);
  if (!path.empty()) path.push_back('.');
  path.append(key);
  return path;
}

bool has_control_character(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// 12 to 19 digits, spaces and dashes aside: what a payment card number looks like.
bool looks_like_card_number(std::string_view s) {
  std::size_t digits = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != ' ' && c != '-') {
      return false;
    }
  }
  return digits >= 12 && digits <= 19;
}

// Reads request fields out of a JsonTree. Each reader returns true with the
// value (or with nothing, for an absent optional field), or answers 400
// naming the field by its path ("billing_address.city") and returns false.
class Fields {
 public:
  explicit Fields(RequestContext& ctx) : ctx_(ctx) {}

  void fail(std::string_view path, std::string_view problem) { ctx_.field_error(path, problem); }

  // Absent, null and (unless required) "" read as absent: `present` false.
  bool string(const JsonTree* v, std::string_view path, bool required, std::size_t max_bytes,
              std::string& out, bool* present = nullptr) {
    if (present != nullptr) *present = false;
    if (v == nullptr || v->kind == JsonKind::kNull ||
        (!required && v->kind == JsonKind::kString && v->text.empty())) {
      if (required) fail(path, "is required");
      return !required;
    }
    if (v->kind != JsonKind::kString) {
      fail(path, "must be a string");
      return false;
    }
    if (v->text.empty()) {
      fail(path, "must not be empty");
      return false;
    }
    if (v->text.size() > max_bytes) {
      ctx_.message.assign(path);
      ctx_.message.append(" must be at most ");
      append_uint(ctx_.message, max_bytes);
      ctx_.message.append(" bytes long");
      ctx_.error(400, ctx_.message);
      return false;
    }
    if (has_control_character(v->text)) {
      fail(path, "must not contain control characters");
      return false;
    }
    out = v->text;
    if (present != nullptr) *present = true;
    return true;
  }

  bool uint(const JsonTree* v, std::string_view path, std::uint64_t min, std::uint64_t max,
            std::uint64_t& out) {
    if (v == nullptr) {
      fail(path, "is required");
      return false;
    }
    IntegerError e = IntegerError::kNotInteger;
    if (v->kind == JsonKind::kNumber) e = parse_json_uint(v->text, max, &out);
    if (e == IntegerError::kNone && out < min) e = IntegerError::kNegative;
    if (e != IntegerError::kNone) {
      ctx_.integer_error(path, e, min, max);
      return false;
    }
    return true;
  }

  // An optional amount: absent or null leaves `out` as it is.
  bool money(const JsonTree* v, std::string_view path, Cents max, Cents& out) {
    if (v == nullptr || v->kind == JsonKind::kNull) return true;
    if (v->kind != JsonKind::kNumber) {
      fail(path, "must be a number");
      return false;
    }
    ScaledDecimal d = parse_scaled_decimal(v->text, 2, max);
    switch (d.error) {
      case DecimalError::kNone:
        out = d.value;
        return true;
      case DecimalError::kNegative:
        fail(path, "must not be negative");
        return false;
      case DecimalError::kTooLarge: {
        char text[kMaxScaledDecimalChars];
        ctx_.message.assign(path);
        ctx_.message.append(" must be at most ");
        ctx_.message.append(text, format_scaled_decimal(max, 2, text));
        ctx_.error(400, ctx_.message);
        return false;
      }
      case DecimalError::kSyntax:
        break;
    }
    fail(path, "must be a number");
    return false;
  }

  // A member that must be an object when given; absent or null is not given.
  static bool given(const JsonTree* v) { return v != nullptr && v->kind != JsonKind::kNull; }
  bool object(const JsonTree* v, std::string_view path) {
    if (!given(v)) {
      fail(path, "is required");
      return false;
    }
    if (v->kind != JsonKind::kObject) {
      fail(path, "must be an object");
      return false;
    }
    return true;
  }

  bool email(const JsonTree* v, std::string_view path, bool required, std::string& out) {
    bool present = false;
    if (!string(v, path, required, kMaxEmailBytes, out, &present)) return false;
    if (!present) return true;
    const auto at = out.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == out.size() ||
        out.find(' ') != std::string::npos) {
      fail(path, "must be an email address (text@domain)");
      return false;
    }
    return true;
  }

  // An address object merged onto `a`: fields given replace, others stay.
  // `complete`: the fields a new address needs must be there afterwards.
  // Line 1 is "street" (seed 003) or "line1".
  bool address(const JsonTree& v, std::string_view path, bool complete, Address& a) {
    struct Part {
      std::string_view key;
      std::string Address::*field;
      bool needed;
    };
    const Part parts[] = {
        {"street", &Address::line1, true},    {"line1", &Address::line1, true},
        {"line2", &Address::line2, false},    {"city", &Address::city, true},
        {"state", &Address::state, false},    {"postal_code", &Address::postal_code, true},
        {"country", &Address::country, true},
    };
    for (const Part& p : parts) {
      std::string value;
      bool present = false;
      if (!string(v.find(p.key), join(path, p.key), false, kMaxAddressFieldBytes, value,
                  &present)) {
        return false;
      }
      if (present) a.*p.field = std::move(value);
    }
    if (!complete) return true;
    if (a.line1.empty()) {
      fail(join(path, "street"), "is required");
      return false;
    }
    for (const Part& p : parts) {
      if (p.needed && (a.*p.field).empty()) {
        fail(join(path, p.key), "is required");
        return false;
      }
    }
    return true;
  }

  // payment_info merged onto `p`. Card numbers are refused without being
  // repeated in the answer: only their last four digits may be kept.
  bool payment(const JsonTree& v, std::string_view path, bool complete, PaymentInfo& p) {
    for (std::string_view key : {"card_number", "number"}) {
      if (v.find(key) != nullptr) {
        fail(join(path, key),
             "is refused: send only last_four_digits; card numbers are never stored");
        return false;
      }
    }
    bool present = false;
    std::string value;
    if (!string(v.find("method"), join(path, "method"), complete && p.method.empty(),
                kMaxPaymentFieldBytes, value, &present)) {
      return false;
    }
    if (present) p.method = std::move(value);
    if (!string(v.find("status"), join(path, "status"), false, kMaxPaymentFieldBytes, value,
                &present)) {
      return false;
    }
    if (present) p.status = std::move(value);
    const JsonTree* four = v.find("last_four_digits");
    if (four != nullptr && four->kind != JsonKind::kNull) {
      const std::string field = join(path, "last_four_digits");
      if (four->kind == JsonKind::kString && looks_like_card_number(four->text)) {
        fail(field, "must be the last 4 digits only, never a card number");
        return false;
      }
      if (four->kind != JsonKind::kString || four->text.size() != 4 || !all_digits(four->text)) {
        fail(field, "must be a string of exactly 4 digits");
        return false;
      }
      p.last_four = four->text;
    }
    if (p.status.empty()) p.status = "pending";
    return true;
  }

  // metadata: a JSON object kept as its text; null clears it.
  bool metadata(const JsonTree* v, std::string& out) {
    if (v == nullptr) return true;
    if (v->kind == JsonKind::kNull) {
      out.clear();
      return true;
    }
    if (v->kind != JsonKind::kObject) {
      fail("metadata", "must be an object");
      return false;
    }
    JsonBuffer buffer;
    JsonWriter writer(buffer);
    write_json_tree(writer, *v);
    if (buffer.GetSize() > kMaxMetadataBytes) {
      ctx_.message.assign("metadata must be at most ");
      append_uint(ctx_.message, kMaxMetadataBytes);
      ctx_.message.append(" bytes of JSON");
      ctx_.error(400, ctx_.message);
      return false;
    }
    out.assign(buffer.GetString(), buffer.GetSize());
    return true;
  }

 private:
  RequestContext& ctx_;
};

std::optional<CustomerInfo> customer_of(const Engine& engine, const OrderSnapshot& o) {
  if (o.user_id == 0) return std::nullopt;
  return engine.customers().get(o.user_id);
}

// Answers `status` with the order as it is now, its version as the ETag.
void answer_document(RequestContext& ctx, unsigned status, const OrderSnapshot& o,
                     const CustomerInfo* customer, StatusSpelling spelling = kSpelling) {
  write_order_document(ctx.begin(status), o, customer, ctx.engine.catalog(), spelling);
  ctx.end();
  set_version_etag(ctx, o.version());
}

void answer_document(RequestContext& ctx, unsigned status, const OrderSnapshot& o,
                     StatusSpelling spelling = kSpelling) {
  std::optional<CustomerInfo> customer = customer_of(ctx.engine, o);
  answer_document(ctx, status, o, customer ? &*customer : nullptr, spelling);
}

void order_not_found(RequestContext& ctx) { ctx.error(404, "Order not found"); }

// The order a path names: by client id, else (all digits) by sequence
// number. Answers 400 or 404 and returns nullopt when there is none.
std::optional<OrderSnapshot> find_order(RequestContext& ctx, std::string_view raw_id) {
  if (!percent_decode(raw_id, ctx.text)) {
    ctx.error(400, "the order id in the path has a malformed %-escape");
    return std::nullopt;
  }
  std::optional<OrderSnapshot> o = ctx.engine.get(ctx.text);
  std::uint64_t seq = 0;
  if (!o && all_digits(ctx.text) &&
      parse_json_uint(ctx.text, UINT64_MAX, &seq) == IntegerError::kNone && seq != 0) {
    o = ctx.engine.get(OrderKey::by_seq(seq));
  }
  // Another customer's order is not there for a customer (ids do not leak).
  if (o && !ctx.may_see(o->user_id)) o.reset();
  if (!o) order_not_found(ctx);
  return o;
}

// Re-reads the order after a change and answers with it.
// `after`: the order as this request's change left it (seq 0 when nothing
// changed: then as it is now). Never a later change by someone else.
void answer_changed(RequestContext& ctx, unsigned status, OrderSeq seq, DurableToken token,
                    StatusSpelling spelling = kSpelling, const OrderSnapshot* after = nullptr) {
  if (after != nullptr && after->seq != 0) {
    answer_document(ctx, status, *after, spelling);
    ctx.response->durable_token = token;
    return;
  }
  std::optional<OrderSnapshot> now = ctx.engine.get(OrderKey::by_seq(seq));
  if (!now) {  // orders are never removed
    order_not_found(ctx);
    return;
  }
  answer_document(ctx, status, *now, spelling);
  ctx.response->durable_token = token;
}

// --- Create ------------------------------------------------------------------

struct NewOrder {
  UserId user_id = 0;
  DurableToken customer_token = 0;  // a customer registered on the way
  OrderDetails details;
};

// customer_id (a reference string or an integer id) or user_id.
bool resolve_customer(RequestContext& ctx, Fields& fields, const JsonTree& body,
                      bool register_unknown, NewOrder& order) {
  const JsonTree* id = body.find("customer_id");
  const char* key = "customer_id";
  if (id == nullptr || id->kind == JsonKind::kNull) {
    id = body.find("user_id");
    key = "user_id";
  }
  if (id == nullptr || id->kind == JsonKind::kNull) {
    // A customer's token names who orders; otherwise the order has no customer.
    order.user_id = ctx.own_customer();
    return true;
  }
  if (!ctx.sees_all) register_unknown = false;  // only for oneself, who is known
  if (id->kind == JsonKind::kNumber) {
    std::uint64_t n = 0;
    if (!fields.uint(id, key, 0, kMaxJsonInteger, n)) return false;
    if (n != 0 && !ctx.engine.customers().get(n)) {
      ctx.message.assign("unknown customer ");
      append_uint(ctx.message, n);
      ctx.error(404, ctx.message);
      return false;
    }
    if (!ctx.acts_for(n, key)) return false;
    order.user_id = n;
    return true;
  }
  if (id->kind != JsonKind::kString) {
    fields.fail(key, "must be a string or an integer");
    return false;
  }
  std::string ref;
  if (!fields.string(id, key, true, kMaxCustomerRefBytes, ref)) return false;
  CustomerStore& customers = ctx.engine.customers();
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (auto known = customers.find_by_reference(ref)) {
      if (!ctx.acts_for(known->id, key)) return false;
      order.user_id = known->id;
      return true;
    }
    if (!register_unknown) break;
    CustomerInfo c;
    c.external_ref = ref;
    c.email = order.details.customer_email;
    c.member_since = wall_clock_micros();
    std::optional<AddCustomerResult> added = ctx.engine.register_customer(std::move(c));
    if (!added) {
      ctx.refuse_writes();
      return false;
    }
    switch (added->error) {
      case AddCustomerError::kNone:
        order.user_id = added->id;
        order.customer_token = added->durable_token;
        return true;
      case AddCustomerError::kEmailTaken:
        ctx.error(409, "customer_email belongs to another customer");
        return false;
      case AddCustomerError::kReferenceTaken:  // registered meanwhile: look again
      case AddCustomerError::kIdTaken:
        break;
    }
  }
  ctx.message.assign("unknown customer ");
  ctx.message.append(ref);
  ctx.error(404, ctx.message);
  return false;
}

void unknown_product(RequestContext& ctx, const JsonTree& named) {
  JsonWriter& w = ctx.begin(404);
  w.StartObject();
  ctx.message.assign("unknown product ");
  ctx.message.append(named.text);
  write_field(w, "error", ctx.message);
  write_key(w, "product_id");
  write_json_tree(w, named);
  w.EndObject();
  ctx.end();
}

// The item list (`key`: "order_items" or "items") into ctx.items.
bool read_items(RequestContext& ctx, Fields& fields, const JsonTree& list, std::string_view key,
                bool with_prices) {
  if (list.kind != JsonKind::kArray) {
    fields.fail(key, "must be an array of items");
    return false;
  }
  if (list.elements.empty()) {
    fields.fail(key, "must not be empty");
    return false;
  }
  const std::size_t max_items = ctx.engine.config().max_items_per_order;
  if (list.elements.size() > max_items) {
    ctx.message.assign(key);
    ctx.message.append(" must have at most ");
    append_uint(ctx.message, max_items);
    ctx.message.append(" entries");
    ctx.error(400, ctx.message);
    return false;
  }
  ctx.items.clear();
  const Catalog& catalog = ctx.engine.catalog();
  for (std::size_t i = 0; i < list.elements.size(); ++i) {
    const JsonTree& e = list.elements[i];
    std::string path(key);
    path.push_back('[');
    append_uint(path, i);
    path.push_back(']');
    if (!fields.object(&e, path)) return false;
    ItemRequest item;
    const JsonTree* product = e.find("product_id");
    const std::string product_path = join(path, "product_id");
    if (product != nullptr && product->kind == JsonKind::kString && with_prices) {
      std::string sku;
      if (!fields.string(product, product_path, true, kMaxSkuBytes, sku)) return false;
      std::optional<ProductId> id = catalog.find_sku(sku);
      if (!id) {
        unknown_product(ctx, *product);
        return false;
      }
      item.product_id = *id;
    } else {
      std::uint64_t id = 0;
      if (product != nullptr && product->kind != JsonKind::kNumber) {
        fields.fail(product_path, with_prices ? "must be a product SKU or a positive integer"
                                              : "must be a positive integer");
        return false;
      }
      if (!fields.uint(product, product_path, 1, kMaxJsonInteger, id)) return false;
      if (!catalog.contains(id)) {
        unknown_product(ctx, *product);
        return false;
      }
      item.product_id = id;
    }
    std::uint64_t quantity = 0;
    if (!fields.uint(e.find("quantity"), join(path, "quantity"), 1, kMaxQuantityPerItem,
                     quantity)) {
      return false;
    }
    item.quantity = static_cast<std::uint32_t>(quantity);
    if (with_prices) {
      std::string name;  // informative only: the catalog's name is the order's
      if (!fields.string(e.find("product_name"), join(path, "product_name"), false,
                         kMaxProductNameBytes, name)) {
        return false;
      }
      if (!fields.money(e.find("unit_price"), join(path, "unit_price"), Catalog::kMaxPrice,
                        item.expected_price)) {
        return false;
      }
    }
    ctx.items.push_back(item);
  }
  return true;
}

// Seed 001: flat shipping_* fields, all required but line 2.
bool read_seed001(RequestContext& ctx, Fields& fields, const JsonTree& body, NewOrder& order) {
  struct Flat {
    std::string_view key;
    std::string Address::*field;
    bool required;
  };
  const Flat flat[] = {
      {"shipping_address_line1", &Address::line1, true},
      {"shipping_address_line2", &Address::line2, false},
      {"shipping_city", &Address::city, true},
      {"shipping_state", &Address::state, true},
      {"shipping_postal_code", &Address::postal_code, true},
      {"shipping_country", &Address::country, true},
  };
  for (const Flat& f : flat) {
    if (!fields.string(body.find(f.key), f.key, f.required, kMaxAddressFieldBytes,
                       order.details.shipping_address.*f.field)) {
      return false;
    }
  }
  if (!read_items(ctx, fields, *body.find("order_items"), "order_items", false)) return false;
  return resolve_customer(ctx, fields, body, false, order);
}

// Seed 003: a customer, addresses, payment and amounts.
bool read_seed003(RequestContext& ctx, Fields& fields, const JsonTree& body, NewOrder& order) {
  OrderDetails& d = order.details;
  if (!fields.email(body.find("customer_email"), "customer_email", true, d.customer_email)) {
    return false;
  }
  if (body.find("customer_id") == nullptr) {
    fields.fail("customer_id", "is required");
    return false;
  }
  const JsonTree* billing = body.find("billing_address");
  if (!fields.object(billing, "billing_address") ||
      !fields.address(*billing, "billing_address", true, d.billing_address)) {
    return false;
  }
  if (const JsonTree* shipping = body.find("shipping_address");
      Fields::given(shipping) &&
      (!fields.object(shipping, "shipping_address") ||
       !fields.address(*shipping, "shipping_address", true, d.shipping_address))) {
    return false;
  }
  const JsonTree* payment = body.find("payment_info");
  if (!fields.object(payment, "payment_info") ||
      !fields.payment(*payment, "payment_info", true, d.payment)) {
    return false;
  }
  if (!fields.money(body.find("tax_amount"), "tax_amount", kMaxClientTotal, d.tax) ||
      !fields.money(body.find("shipping_amount"), "shipping_amount", kMaxClientTotal, d.shipping)) {
    return false;
  }
  bool present = false;
  std::string currency;
  if (!fields.string(body.find("currency"), "currency", false, 3, currency, &present)) return false;
  if (present) {
    if (currency.size() != 3 || !std::all_of(currency.begin(), currency.end(),
                                             [](char c) { return c >= 'A' && c <= 'Z'; })) {
      fields.fail("currency", "must be 3 uppercase letters (ISO 4217, e.g. USD)");
      return false;
    }
    d.currency = currency;
  }
  if (!fields.metadata(body.find("metadata"), d.metadata)) return false;
  if (!read_items(ctx, fields, *body.find("items"), "items", true)) return false;
  // Last: an unknown reference registers a customer, only for a valid order.
  return resolve_customer(ctx, fields, body, true, order);
}

// 409 in seed 001's shape, with the "error" every orderd error has.
void stock_conflict(RequestContext& ctx, const SubmitResult& r) {
  constexpr std::string_view kMessage = "Some products have insufficient stock";
  const Catalog& catalog = ctx.engine.catalog();
  JsonWriter& w = ctx.begin(409);
  w.StartObject();
  write_field(w, "error", kMessage);
  write_key(w, "detail");
  w.StartObject();
  write_field(w, "message", kMessage);
  write_key(w, "stock_issues");
  w.StartArray();
  for (const StockIssue& issue : r.stock_issues) {
    std::optional<ProductInfo> p = catalog.get(issue.product_id);
    w.StartObject();
    write_key(w, "product_id");
    write_product_ref(w, catalog, issue.product_id);
    write_field(w, "product_name", p ? std::string_view(p->name) : std::string_view());
    write_field(w, "requested", issue.requested);
    write_field(w, "available", issue.available);
    ctx.message.assign(issue.unknown_product ? "Unknown product" : "Insufficient stock");
    ctx.message.append(". Available: ");
    ctx.message.append(std::to_string(issue.available));
    ctx.message.append(", Requested: ");
    ctx.message.append(std::to_string(issue.requested));
    write_field(w, "error", ctx.message);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
  ctx.end();
}

void price_conflict(RequestContext& ctx, const SubmitResult& r) {
  JsonWriter& w = ctx.begin(409);
  w.StartObject();
  write_field(w, "error", r.message);
  write_key(w, "price_issues");
  w.StartArray();
  for (const PriceIssue& issue : r.price_issues) {
    w.StartObject();
    write_key(w, "product_id");
    write_product_ref(w, ctx.engine.catalog(), issue.product_id);
    write_money_field(w, "unit_price", issue.expected);
    write_money_field(w, "catalog_price", issue.catalog);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  ctx.end();
}

// --- Updates -----------------------------------------------------------------

constexpr std::string_view kUpdatable[] = {"status",       "billing_address", "shipping_address",
                                           "payment_info", "metadata",        "customer_email"};

// The version a change expects is named in one way only, If-Match; a body
// "version" would look like a check while none is made, so it is refused.
constexpr std::string_view kVersionInBody =
    "version is not read from the body: name the version expected in If-Match";

bool refuse_unknown_fields(RequestContext& ctx, const JsonTree& body) {
  for (const auto& [key, value] : body.members) {
    if (std::find(std::begin(kUpdatable), std::end(kUpdatable), key) != std::end(kUpdatable)) {
      continue;
    }
    if (key == "version") {
      ctx.error(400, kVersionInBody);
      return false;
    }
    ctx.message.assign(key);
    ctx.message.append(
        " cannot be changed (the fields that can: status, billing_address, shipping_address, "
        "payment_info, metadata, customer_email)");
    ctx.error(400, ctx.message);
    return false;
  }
  return true;
}

// The refusal update_status would give, decided on the snapshot, so that a
// PUT that would be refused changes nothing at all.
std::optional<StatusUpdateResult> precheck(const OrderSnapshot& o, std::optional<OrderStatus> to,
                                           std::uint32_t expected_version) {
  StatusUpdateResult r;
  r.status = o.status;
  r.version = o.version();
  if (expected_version != 0 && expected_version != r.version) {
    r.error = StatusUpdateError::kVersionMismatch;
    return r;
  }
  if (to && *to != o.status && !is_client_transition(o.status, *to)) {
    r.error = StatusUpdateError::kIllegalTransition;
    r.allowed = client_next_statuses(o.status);
    return r;
  }
  return std::nullopt;
}

bool refused(const StatusUpdateResult& r) {
  return r.error != StatusUpdateError::kNone && r.error != StatusUpdateError::kUnchanged;
}

}  // namespace

void create_managed_order(RequestContext& ctx, HttpRequest& request) {
  JsonTree body;
  if (!parse_body_tree(ctx, request, body)) return;
  Fields fields(ctx);
  const bool seed001 = body.find("order_items") != nullptr;
  const bool seed003 = body.find("items") != nullptr;
  if (seed001 == seed003) {
    ctx.error(400, seed001 ? "send order_items (seed 001) or items (seed 003), not both"
                           : "items is required (or order_items)");
    return;
  }
  if (body.find("card_number") != nullptr) {
    fields.fail("card_number",
                "is refused: send only payment_info.last_four_digits; card numbers are never "
                "stored");
    return;
  }
  NewOrder order;
  if (!(seed001 ? read_seed001(ctx, fields, body, order)
                : read_seed003(ctx, fields, body, order))) {
    return;
  }

  OrderRequest submit;
  submit.user_id = order.user_id;
  submit.items = ctx.items;
  submit.details = &order.details;
  SubmitResult r = ctx.engine.submit(submit, &ctx.producer);
  switch (r.error) {
    case SubmitError::kNone:
      answer_changed(ctx, 201, r.seq, std::max(r.durable_token, order.customer_token));
      return;
    case SubmitError::kStock:
      stock_conflict(ctx, r);
      return;
    case SubmitError::kPriceMismatch:
      price_conflict(ctx, r);
      return;
    default:
      answer_refused_submit(ctx, r);
      return;
  }
}

void get_managed_order(RequestContext& ctx, std::string_view raw_id, std::string_view query) {
  std::optional<OrderSnapshot> o = find_order(ctx, raw_id);
  if (!o) return;
  std::optional<CustomerInfo> customer = customer_of(ctx.engine, *o);
  if (query_param(query, "customer_id", ctx.text)) {
    // An order of another customer is not there for this one.
    std::uint64_t id = 0;
    const bool by_id =
        all_digits(ctx.text) && parse_json_uint(ctx.text, UINT64_MAX, &id) == IntegerError::kNone;
    const bool mine = by_id ? id == o->user_id : customer && customer->external_ref == ctx.text;
    if (!mine) {
      order_not_found(ctx);
      return;
    }
  }
  answer_document(ctx, 200, *o, customer ? &*customer : nullptr);
}

void update_managed_order(RequestContext& ctx, HttpRequest& request, std::string_view raw_id) {
  JsonTree body;
  if (!parse_body_tree(ctx, request, body)) return;
  Fields fields(ctx);
  if (!refuse_unknown_fields(ctx, body)) return;
  if (body.members.empty()) {
    ctx.error(400, "the body names nothing to change");
    return;
  }
  std::optional<OrderSnapshot> o = find_order(ctx, raw_id);
  if (!o) return;
  const std::string id = ctx.text;  // as the client named it
  const OrderKey key = OrderKey::by_seq(o->seq);
  const std::optional<std::uint32_t> expected = expected_version(ctx, request, key, id, kSpelling);
  if (!expected) return;

  std::optional<OrderStatus> to;
  if (const JsonTree* s = body.find("status"); s != nullptr) {
    if (!ctx.sees_all) {  // seed 001: only admins move orders
      ctx.forbid("changing an order's status");
      return;
    }
    std::string text;
    if (!fields.string(s, "status", true, 32, text)) return;
    to = parse_status(text);
    if (!to) {
      fields.fail("status",
                  "must be one of pending, processing, completed (or confirmed), shipped, "
                  "delivered, returned, cancelled, rejected");
      return;
    }
  }
  OrderDetails details = o->details.value_or(OrderDetails{});
  if (!fields.email(body.find("customer_email"), "customer_email", false, details.customer_email)) {
    return;
  }
  for (std::string_view key : {"billing_address", "shipping_address", "payment_info"}) {
    const JsonTree* v = body.find(key);
    if (v == nullptr) continue;
    if (v->kind == JsonKind::kNull) {
      fields.fail(key, "cannot be removed");
      return;
    }
    if (!fields.object(v, key)) return;
  }
  // Fields given replace the current ones; a new address must be complete.
  if (const JsonTree* a = body.find("billing_address");
      a != nullptr && !fields.address(*a, "billing_address", details.billing_address.empty(),
                                      details.billing_address)) {
    return;
  }
  if (const JsonTree* a = body.find("shipping_address");
      a != nullptr && !fields.address(*a, "shipping_address", details.shipping_address.empty(),
                                      details.shipping_address)) {
    return;
  }
  if (const JsonTree* p = body.find("payment_info");
      p != nullptr &&
      !fields.payment(*p, "payment_info", details.payment.empty(), details.payment)) {
    return;
  }
  if (!fields.metadata(body.find("metadata"), details.metadata)) return;

  if (auto refusal = precheck(*o, to, *expected)) {
    answer_refused_change(ctx, id, *refusal, kSpelling);
    return;
  }
  DurableToken token = 0;
  OrderSnapshot after;  // as the last step left the order
  // Each step expects the version the one before it left, so the whole PUT
  // applies to the version If-Match named or not at all.
  std::uint32_t next_expected = *expected;
  if (details != o->details.value_or(OrderDetails{})) {
    StatusUpdateResult r =
        ctx.engine.update_details(key, details, "updated by the client", *expected, &after);
    if (refused(r)) {
      answer_refused_change(ctx, id, r, kSpelling);
      return;
    }
    token = r.durable_token;
    if (*expected != 0) next_expected = r.version;
  }
  if (to) {
    StatusUpdateResult r =
        ctx.engine.update_status(key, StatusChange{*to, "", next_expected, std::nullopt, &after});
    if (refused(r)) {
      answer_refused_change(ctx, id, r, kSpelling);
      return;
    }
    token = std::max(token, r.durable_token);
  }
  answer_changed(ctx, 200, o->seq, token, kSpelling, &after);
}

void delete_managed_order(RequestContext& ctx, const HttpRequest& request,
                          std::string_view raw_id) {
  std::optional<OrderSnapshot> o = find_order(ctx, raw_id);
  if (!o) return;
  const std::string id = ctx.text;
  const OrderKey key = OrderKey::by_seq(o->seq);
  const std::optional<std::uint32_t> expected = expected_version(ctx, request, key, id, kSpelling);
  if (!expected) return;
  StatusUpdateResult r =
      ctx.engine.update_status(key, StatusChange{OrderStatus::kCancelled, "deleted by the client",
                                                 *expected, OrderStatus::kPending});
  if (r.error == StatusUpdateError::kIllegalTransition ||
      r.error == StatusUpdateError::kUnchanged) {
    JsonWriter& w = ctx.begin(409);
    w.StartObject();
    ctx.message.assign("Order ");
    ctx.message.append(id);
    ctx.message.append(" is ");
    ctx.message.append(spelled_status(r.status, kSpelling));
    ctx.message.append(": only pending orders can be deleted");
    write_field(w, "error", ctx.message);
    write_key(w, "status");
    write_status(w, r.status, kSpelling);
    w.EndObject();
    ctx.end();
    return;
  }
  if (refused(r)) {
    answer_refused_change(ctx, id, r, kSpelling);
    return;
  }
  ctx.response->durable_token = r.durable_token;
  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  ctx.message.assign("Order ");
  ctx.message.append(id);
  ctx.message.append(" deleted");
  write_field(w, "message", ctx.message);
  write_field(w, "id", o->client_id);
  write_field(w, "order_id", o->seq);
  write_key(w, "status");
  write_status(w, r.status, kSpelling);
  write_field(w, "version", std::uint64_t{r.version});
  w.EndObject();
  ctx.end();
  set_version_etag(ctx, r.version);
}

void cancel_managed_order(RequestContext& ctx, HttpRequest& request, std::string_view raw_id) {
  std::string reason = "cancelled by the client";
  if (!request.body.empty()) {
    JsonTree body;
    if (!parse_body_tree(ctx, request, body)) return;
    Fields fields(ctx);
    if (!fields.string(body.find("reason"), "reason", false, kMaxReasonBytes, reason)) return;
  }
  std::optional<OrderSnapshot> o = find_order(ctx, raw_id);
  if (!o) return;
  const std::string id = ctx.text;
  const OrderKey key = OrderKey::by_seq(o->seq);
  const std::optional<std::uint32_t> expected = expected_version(ctx, request, key, id, kSpelling);
  if (!expected) return;
  OrderSnapshot after;
  StatusUpdateResult r = ctx.engine.update_status(
      key, StatusChange{OrderStatus::kCancelled, reason, *expected, std::nullopt, &after});
  // Cancelling a cancelled order again answers as the first time did.
  if (refused(r)) {
    answer_refused_change(ctx, id, r, kSpelling);
    return;
  }
  answer_changed(ctx, 200, o->seq, r.durable_token, kSpelling, &after);
}

void set_managed_order_status(RequestContext& ctx, HttpRequest& request, std::string_view raw_id) {
  constexpr StatusSpelling kSeed001 = StatusSpelling::kConfirmed;
  if (!ctx.parse_body(request)) return;
  std::optional<OrderStatus> to = read_status(ctx, "status");
  if (!to) return;
  if (ctx.json.find("version") != nullptr) {
    ctx.error(400, kVersionInBody);
    return;
  }
  std::optional<OrderSnapshot> o = find_order(ctx, raw_id);
  if (!o) return;
  const std::string id = ctx.text;
  const OrderKey key = OrderKey::by_seq(o->seq);
  const std::optional<std::uint32_t> expected = expected_version(ctx, request, key, id, kSeed001);
  if (!expected) return;
  OrderSnapshot after;
  StatusUpdateResult r =
      ctx.engine.update_status(key, StatusChange{*to, "", *expected, std::nullopt, &after});
  if (refused(r)) {
    answer_refused_change(ctx, id, r, kSeed001);
    return;
  }
  answer_changed(ctx, 200, o->seq, r.durable_token, kSeed001, &after);
}

void get_order_by_number(RequestContext& ctx, std::string_view raw_number) {
  if (!percent_decode(raw_number, ctx.text)) {
    ctx.error(400, "the order number in the path has a malformed %-escape");
    return;
  }
  std::optional<OrderSnapshot> o = ctx.engine.find_by_number(ctx.text);
  if (o && !ctx.may_see(o->user_id)) o.reset();
  if (!o) {
    order_not_found(ctx);
    return;
  }
  answer_document(ctx, 200, *o);
}

void managed_order_events(RequestContext& ctx, std::string_view raw_id) {
  std::optional<OrderSnapshot> o = find_order(ctx, raw_id);
  if (!o) return;
  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_field(w, "id", o->client_id);
  write_field(w, "order_id", o->seq);
  write_key(w, "events");
  w.StartArray();
  for (const OrderEvent& e : order_history(*o)) {
    w.StartObject();
    write_field(w, "version", std::uint64_t{e.version});
    write_timestamp_or_null_field(w, "at", e.at);
    write_field(w, "type", order_event_kind_name(e.kind));
    if (e.kind == OrderEventKind::kStatusChanged) {
      write_key(w, "from");
      write_status(w, e.from, kSpelling);
    }
    write_key(w, "status");
    write_status(w, e.status, kSpelling);
    write_field(w, "by", e.by_client ? "client" : "engine");
    if (!e.note.empty()) write_field(w, "note", e.note);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  ctx.end();
}

void managed_order_statistics(RequestContext& ctx, std::string_view raw_id) {
  std::optional<OrderSnapshot> o = find_order(ctx, raw_id);
  if (!o) return;
  set_version_etag(ctx, o->version());
  auto at = [&](OrderTimestamp t) { return o->timestamp(t); };
  const std::uint64_t units = o->unit_count();
  const bool priced =
      o->details || at(OrderTimestamp::kCompleted) != 0 || at(OrderTimestamp::kRejected) != 0;
  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_field(w, "id", o->client_id);
  write_field(w, "order_id", o->seq);
  write_key(w, "status");
  write_status(w, o->status, kSpelling);
  write_field(w, "version", std::uint64_t{o->version()});
  write_field(w, "events", static_cast<std::uint64_t>(order_history(*o).size()));
  write_field(w, "line_items", static_cast<std::uint64_t>(o->items.size()));
  write_field(w, "total_quantity", units);
  // A plain order has no catalog prices until it is processed.
  auto money_or_null = [&](std::string_view key, bool known, Cents amount) {
    write_key(w, key);
    if (known) {
      write_money(w, amount);
    } else {
      w.Null();
    }
  };
  money_or_null("subtotal", priced, o->catalog_subtotal);
  money_or_null("discount_amount", priced, o->discount);
  money_or_null("total_amount", true, o->details ? o->grand_total() : o->client_total);
  money_or_null("average_unit_price", priced && units > 0,
                units > 0 ? o->catalog_subtotal / static_cast<Cents>(units) : 0);
  write_timestamp_or_null_field(w, "created_at", at(OrderTimestamp::kCreated));
  write_timestamp_or_null_field(w, "updated_at", o->updated_at());
  // Each stage from the instant it began to the one it ended, null while
  // it has not ended (or never began).
  write_key(w, "stage_seconds");
  w.StartObject();
  write_seconds_or_null_field(w, "pending", at(OrderTimestamp::kCreated),
                              at(OrderTimestamp::kProcessingStarted));
  write_seconds_or_null_field(w, "processing", at(OrderTimestamp::kProcessingStarted),
                              at(OrderTimestamp::kCompleted));
  write_seconds_or_null_field(w, "awaiting_shipment", at(OrderTimestamp::kCompleted),
                              at(OrderTimestamp::kShipped));
  write_seconds_or_null_field(w, "in_transit", at(OrderTimestamp::kShipped),
                              at(OrderTimestamp::kDelivered));
  write_seconds_or_null_field(w, "created_to_delivered", at(OrderTimestamp::kCreated),
                              at(OrderTimestamp::kDelivered));
  w.EndObject();
  w.EndObject();
  ctx.end();
}

HandleOutcome stock_check(RequestContext& ctx, const HttpRequest& request) {
  const Catalog& catalog = ctx.engine.catalog();
  if (catalog.size() > kStockCheckInlineProducts && !request.may_block) {
    return HandleOutcome::kNeedsBlockingThread;
  }
  std::vector<ProductInfo> low;
  std::size_t low_count = 0;
  std::size_t products = 0;
  constexpr std::size_t kPage = 1000;
  for (ProductId after = 0;;) {
    std::vector<ProductInfo> page = catalog.list(after, kPage);
    for (ProductInfo& p : page) {
      ++products;
      if (p.available > kLowStockThreshold) continue;
      ++low_count;
      if (low.size() < kMaxLowStockListed) low.push_back(std::move(p));
    }
    if (page.size() < kPage) break;
    after = page.back().id;
  }
  const std::size_t out = catalog.out_of_stock_count();
  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_field(w, "status", out > 0 ? "out_of_stock" : low_count > 0 ? "low_stock" : "ok");
  write_field(w, "products", products);
  write_field(w, "out_of_stock", out);
  write_field(w, "low_stock_threshold", kLowStockThreshold);
  write_field(w, "low_stock_count", low_count);
  write_key(w, "low_stock");
  w.StartArray();
  for (const ProductInfo& p : low) {
    w.StartObject();
    write_key(w, "product_id");
    if (p.sku.empty()) {
      w.Uint64(p.id);
    } else {
      write_string(w, p.sku);
    }
    write_field(w, "id", p.id);
    write_field(w, "name", p.name);
    write_field(w, "available", p.available);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  ctx.end();
  return HandleOutcome::kDone;
}

}  // namespace orderd::net
