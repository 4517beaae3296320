#include "net/order_routes.h"

#include "demo/populate.h"
#include "engine/order_status.h"
#include "net/router.h"
#include "net/status_answers.h"
#include "net/submit_answers.h"
#include "views/order_listing.h"

namespace orderd::net {
namespace {

// Ids that GET /orders/{id} could never reach: the paths of other routes.
bool is_reserved_order_id(std::string_view id) { return id == "metrics" || id == "populate"; }

constexpr std::size_t kMaxBatchIdBytes = 64;

// Reads item_ids into ctx.items (one unit per entry; repeats add up).
bool read_item_ids(RequestContext& ctx) {
  const JsonMember* m = ctx.json.find("item_ids");
  if (m == nullptr) {
    ctx.field_error("item_ids", "is required");
    return false;
  }
  if (m->value.kind != JsonKind::kArray) {
    ctx.field_error("item_ids", "must be an array of product ids");
    return false;
  }
  if (m->elements.empty()) {
    ctx.field_error("item_ids", "must not be empty");
    return false;
  }
  const std::size_t max_items = ctx.engine.config().max_items_per_order;
  if (m->elements.size() > max_items) {
    ctx.message.assign("item_ids must have at most ");
    append_uint(ctx.message, max_items);
    ctx.message.append(" entries");
    ctx.error(400, ctx.message);
    return false;
  }
  ctx.items.clear();
  for (std::size_t i = 0; i < m->elements.size(); ++i) {
    const JsonScalar& e = m->elements[i];
    std::uint64_t id = 0;
    IntegerError err = IntegerError::kNotInteger;
    if (e.kind == JsonKind::kNumber) err = parse_json_uint(e.text, kMaxJsonInteger, &id);
    if (err == IntegerError::kNone && id == 0) err = IntegerError::kNegative;
    if (err != IntegerError::kNone) {
      ctx.text.assign("item_ids[");
      append_uint(ctx.text, i);
      ctx.text.push_back(']');
      ctx.integer_error(ctx.text, err, 1, kMaxJsonInteger);
      return false;
    }
    ctx.items.push_back({id, 1});
  }
  return true;
}

void write_status_key(JsonWriter& w, OrderStatus s) {
  std::string_view name = status_name(s);
  char lower[32];
  std::size_t n = std::min(name.size(), sizeof lower);
  for (std::size_t i = 0; i < n; ++i) {
    char c = name[i];
    lower[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
  }
  write_key(w, {lower, n});
}

Micros average(Micros sum, std::int64_t count) { return count > 0 ? sum / count : 0; }

}  // namespace

void create_order(RequestContext& ctx, HttpRequest& request) {
  if (!ctx.parse_body(request)) return;
  std::uint64_t user_id = 0;
  std::string_view order_id;
  Cents total = 0;
  if (!ctx.required_uint("user_id", 0, kMaxJsonInteger, user_id)) return;
  if (!ctx.acts_for(user_id, "user_id")) return;
  if (!ctx.required_string("order_id", ctx.engine.config().max_client_id_length, order_id)) return;
  if (is_reserved_order_id(order_id)) {
    ctx.message.assign("order_id '");
    ctx.message.append(order_id);
    ctx.message.append("' is reserved");
    ctx.error(400, ctx.message);
    return;
  }
  if (!read_item_ids(ctx)) return;
  if (!ctx.required_money("total_amount", kMaxClientTotal, total)) return;

  OrderRequest order;
  order.client_id = order_id;
  order.user_id = user_id;
  order.items = ctx.items;
  order.client_total = total;
  SubmitResult r = ctx.engine.submit(order, &ctx.producer);
  switch (r.error) {
    case SubmitError::kNone: {
      ctx.response->durable_token = r.durable_token;
      JsonWriter& w = ctx.begin(201);
      w.StartObject();
      write_field(w, "message", "Order created");
      write_field(w, "order_id", order_id);
      w.EndObject();
      ctx.end();
      return;
    }
    case SubmitError::kStock:
      answer_stock_issues(ctx, 409, r.message, r.stock_issues);
      return;
    default:  // plain orders name no prices: a kPriceMismatch is a 400 too
      answer_refused_submit(ctx, r);
      return;
  }
}

void get_order(RequestContext& ctx, std::string_view raw_id) {
  if (!percent_decode(raw_id, ctx.text)) {
    ctx.error(400, "order_id in the path has a malformed %-escape");
    return;
  }
  std::optional<OrderSnapshot> found = ctx.engine.get(ctx.text);
  // Another customer's order is not there for a customer (ids do not leak).
  if (found && !ctx.may_see(found->user_id)) found.reset();
  if (!found) {
    ctx.error(404, "Order not found");
    return;
  }
  const OrderSnapshot& o = *found;
  const Micros created = o.timestamp(OrderTimestamp::kCreated);
  const Micros started = o.timestamp(OrderTimestamp::kProcessingStarted);
  const Micros completed = o.timestamp(OrderTimestamp::kCompleted);

  // The seed's view lists one id per unit, ascending: "101,101,103".
  ctx.message.clear();
  for (const OrderItem& item : o.items) {
    for (std::uint32_t q = 0; q < item.quantity; ++q) {
      if (!ctx.message.empty()) ctx.message.push_back(',');
      append_uint(ctx.message, item.product_id);
    }
  }

  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_field(w, "order_id", o.client_id);
  write_field(w, "user_id", o.user_id);
  write_field(w, "item_ids", ctx.message);
  write_money_field(w, "total_amount", o.client_total);
  write_field(w, "status", status_name(o.status));
  write_timestamp_or_null_field(w, "created_at", created);
  write_timestamp_or_null_field(w, "processing_started_at", started);
  write_timestamp_or_null_field(w, "completed_at", completed);
  write_seconds_or_null_field(w, "pending_duration", created, started);
  write_seconds_or_null_field(w, "processing_duration", started, completed);
  write_seconds_or_null_field(w, "total_duration", created, completed);
  write_key(w, "catalog_total");
  const bool priced = completed != 0 || o.timestamp(OrderTimestamp::kRejected) != 0;
  if (priced) {
    write_money(w, o.catalog_total());
  } else {
    w.Null();
  }
  if (Micros at = o.timestamp(OrderTimestamp::kRejected); at != 0) {
    write_timestamp_or_null_field(w, "rejected_at", at);
  }
  // The later stages appear once reached, so an order that never gets there
  // answers exactly as before.
  constexpr std::pair<OrderTimestamp, std::string_view> kLaterStages[] = {
      {OrderTimestamp::kShipped, "shipped_at"},
      {OrderTimestamp::kDelivered, "delivered_at"},
      {OrderTimestamp::kReturned, "returned_at"},
      {OrderTimestamp::kCancelled, "cancelled_at"},
  };
  for (auto [stage, name] : kLaterStages) {
    if (Micros at = o.timestamp(stage); at != 0) write_timestamp_or_null_field(w, name, at);
  }
  if (!o.reason.empty()) write_field(w, "reason", o.reason);
  w.EndObject();
  ctx.end();
  // The seed's body stays as it is; its version travels in the ETag only.
  set_version_etag(ctx, o.version());
}

HandleOutcome order_metrics(RequestContext& ctx, const HttpRequest& request,
                            std::string_view query) {
  const ApiLimits& limits = ctx.api.limits();
  bool with_ids = false;
  if (query_param(query, "getOrderIds", ctx.text)) {
    if (ctx.text == "true" || ctx.text == "1") {
      with_ids = true;
    } else if (ctx.text != "false" && ctx.text != "0") {
      ctx.error(400, "getOrderIds must be true or false");
      return HandleOutcome::kDone;
    }
  }
  views::StatusSet statuses;
  statuses.set();
  if (query_param(query, "status", ctx.text)) {
    auto s = parse_status(ctx.text);
    if (!s) {
      ctx.error(400,
                "status must be one of Pending, Processing, Completed, Shipped, Delivered, "
                "Returned, Rejected, Cancelled");
      return HandleOutcome::kDone;
    }
    statuses.reset();
    statuses.set(status_index(*s));
  }
  std::uint64_t after = 0;
  if (query_param(query, "after", ctx.text) &&
      parse_json_uint(ctx.text, UINT64_MAX, &after) != IntegerError::kNone) {
    ctx.error(400, "after must be a non-negative integer (a next_after value)");
    return HandleOutcome::kDone;
  }
  std::uint64_t limit = limits.metrics_default_ids;
  if (query_param(query, "limit", ctx.text) &&
      (parse_json_uint(ctx.text, limits.metrics_max_ids, &limit) != IntegerError::kNone ||
       limit == 0)) {
    ctx.message.assign("limit must be an integer from 1 to ");
    append_uint(ctx.message, limits.metrics_max_ids);
    ctx.error(400, ctx.message);
    return HandleOutcome::kDone;
  }
  if (with_ids && !request.may_block) return HandleOutcome::kNeedsBlockingThread;

  std::array<views::OrderIdPage, kOrderStatusCount> pages;
  if (with_ids) pages = views::list_order_ids(ctx.engine, statuses, after, limit);
  const EngineCounters c = ctx.engine.counters();

  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_field(w, "total_orders", c.accepted);
  write_seconds_field(w, "average_processing_time", average(c.processing_micros_sum, c.completed));
  write_seconds_field(w, "average_processing_time_from_creation",
                      average(c.from_creation_micros_sum, c.completed));
  write_field(w, "in_flight", c.in_flight);
  for (std::size_t s = 0; s < kOrderStatusCount; ++s) {
    const auto status = static_cast<OrderStatus>(s);
    write_status_key(w, status);
    w.StartObject();
    write_field(w, "count", c.count(status));
    if (with_ids && statuses[s]) {
      write_key(w, "order_ids");
      w.StartArray();
      for (const Order* o : pages[s].orders) write_string(w, o->client_id);
      w.EndArray();
      if (pages[s].more) write_field(w, "next_after", pages[s].orders.back()->seq);
    }
    w.EndObject();
  }
  w.EndObject();
  ctx.end();
  return HandleOutcome::kDone;
}

HandleOutcome populate(RequestContext& ctx, HttpRequest& request) {
  if (!request.may_block) return HandleOutcome::kNeedsBlockingThread;
  if (!ctx.parse_body(request)) return HandleOutcome::kDone;
  const ApiLimits& limits = ctx.api.limits();
  std::uint64_t total = 0;
  if (!ctx.required_uint("total_entries", 1, limits.populate_max_entries, total)) {
    return HandleOutcome::kDone;
  }
  std::string_view given_batch_id;
  if (!ctx.optional_string("batch_id", kMaxBatchIdBytes, given_batch_id)) {
    return HandleOutcome::kDone;
  }
  for (char c : given_batch_id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) {
      ctx.error(400, "batch_id may contain only letters, digits, '-', '_' and '.'");
      return HandleOutcome::kDone;
    }
  }
  const std::string batch_id =
      given_batch_id.empty() ? demo::random_batch_id() : std::string(given_batch_id);

  demo::PopulateRequest job;
  job.total_entries = total;
  job.batch_id = batch_id;
  job.max_errors = limits.populate_max_errors;
  job.seed = std::hash<std::string>{}(batch_id) ^ static_cast<std::uint64_t>(wall_clock_micros());
  demo::PopulateResult result =
      demo::populate_orders(ctx.engine, &ctx.producer, job, ctx.api.abort_flag());
  if (result.catalog_empty) {
    ctx.error(409, "the catalog has no product in stock to populate orders with");
    return HandleOutcome::kDone;
  }
  // One wait for the whole batch: the orders were journaled in order, so
  // the last token covers them all.
  if (std::string why = ctx.api.wait_durable(ctx.api.last_durable_token()); !why.empty()) {
    ctx.message.assign("orders were created but could not be made durable: ");
    ctx.message.append(why);
    ctx.error(503, ctx.message);
    return HandleOutcome::kDone;
  }

  JsonWriter& w = ctx.begin(201);
  w.StartObject();
  write_field(w, "batch_id", batch_id);
  write_field(w, "total_entries", total);
  write_field(w, "success_count", result.success_count);
  write_field(w, "failure_count", result.failure_count);
  write_key(w, "errors");
  w.StartArray();
  for (const auto& e : result.errors) write_string(w, e);
  w.EndArray();
  w.EndObject();
  ctx.end();
  return HandleOutcome::kDone;
}

}  // namespace orderd::net
