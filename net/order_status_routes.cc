#include "net/order_status_routes.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "engine/order_status.h"
#include "net/request_tree.h"
#include "net/router.h"
#include "net/status_answers.h"

namespace orderd::net {
namespace {

constexpr StatusSpelling kSpelling = StatusSpelling::kCapitalized;

void write_updated(RequestContext& ctx, std::uint64_t id, const StatusUpdateResult& r) {
  ctx.message.assign("Order ");
  append_uint(ctx.message, id);
  ctx.message.append(" updated successfully");
  answer_status_moved(ctx, ctx.message, id, r, kSpelling);
}

// Reads orders[i] into `id` and `to`; on a malformed entry returns the
// error string instead.
std::optional<std::string> read_entry(const JsonTree& entry, std::size_t i, std::uint64_t& id,
                                      OrderStatus& to) {
  std::string where = "orders[" + std::to_string(i) + "]";
  if (entry.kind != JsonKind::kObject) return where + " must be an object";
  const JsonTree* order_id = tree_member(entry, "order_id");
  if (order_id == nullptr) return where + ".order_id is required";
  if (tree_uint(*order_id, 1, kMaxJsonInteger, id) != IntegerError::kNone) {
    return where + ".order_id must be a positive integer";
  }
  const JsonTree* status = tree_member(entry, "status");
  if (status == nullptr) return where + ".status is required";
  if (status->kind != JsonKind::kString) return where + ".status must be a string";
  const std::string_view text = status->text;
  std::optional<OrderStatus> parsed = parse_status(text);
  if (!parsed) {
    return where +
           ".status must be a status such as Shipped, Delivered, Returned or Cancelled; got '" +
           std::string(text.substr(0, 32)) + "'";
  }
  to = *parsed;
  return std::nullopt;
}

}  // namespace

void update_order(RequestContext& ctx, HttpRequest& request, std::string_view raw_id) {
  std::uint64_t id = 0;
  if (!percent_decode(raw_id, ctx.text) ||
      parse_json_uint(ctx.text, kMaxJsonInteger, &id) != IntegerError::kNone || id == 0) {
    ctx.error(400, "order_id in the path must be a positive integer");
    return;
  }
  if (!ctx.parse_body(request)) return;
  std::optional<OrderStatus> to = read_status(ctx, "status");
  if (!to) return;
  // num_of_item may only confirm the order's unit count: its units were
  // reserved (or consumed) when it was accepted, and changing them now would
  // need a new reservation that this route does not make.
  if (ctx.json.find("num_of_item") != nullptr) {
    std::uint64_t units = 0;
    if (!ctx.required_uint("num_of_item", 0, kMaxJsonInteger, units)) return;
    std::optional<OrderSnapshot> order = ctx.engine.get(OrderKey::by_seq(id));
    if (!order) {
      ctx.error(404, "Order not found");
      return;
    }
    if (units != order->unit_count()) {
      ctx.message.assign("num_of_item cannot change the order's units: order ");
      append_uint(ctx.message, id);
      ctx.message.append(" has ");
      append_uint(ctx.message, order->unit_count());
      ctx.message.append(", got ");
      append_uint(ctx.message, units);
      ctx.error(409, ctx.message);
      return;
    }
  }
  ctx.text.clear();
  append_uint(ctx.text, id);
  const std::optional<std::uint32_t> expected =
      expected_version(ctx, request, OrderKey::by_seq(id), ctx.text, kSpelling);
  if (!expected) return;
  StatusUpdateResult r =
      ctx.engine.update_status(OrderKey::by_seq(id), StatusChange{*to, {}, *expected, {}});
  if (r.ok() || r.error == StatusUpdateError::kUnchanged) {
    ctx.response->durable_token = r.durable_token;
    write_updated(ctx, id, r);
    return;
  }
  answer_refused_change(ctx, ctx.text, r, kSpelling);
}

void bulk_order_status(RequestContext& ctx, HttpRequest& request) {
  JsonTree tree;
  if (!parse_body_tree(ctx, request, tree)) return;
  const JsonTree* orders = tree_member(tree, "orders");
  if (orders == nullptr) {
    ctx.field_error("orders", "is required");
    return;
  }
  if (orders->kind != JsonKind::kArray) {
    ctx.field_error("orders", "must be an array of {\"order_id\", \"status\"} objects");
    return;
  }
  if (orders->elements.size() > kMaxBulkStatusEntries) {
    ctx.message.assign("orders must have at most ");
    append_uint(ctx.message, kMaxBulkStatusEntries);
    ctx.message.append(" entries");
    ctx.error(400, ctx.message);
    return;
  }

  std::vector<std::string> errors;
  std::size_t updated = 0;
  DurableToken token = 0;
  std::string id_text;
  for (std::size_t i = 0; i < orders->elements.size(); ++i) {
    std::uint64_t id = 0;
    OrderStatus to = OrderStatus::kPending;
    if (auto malformed = read_entry(orders->elements[i], i, id, to)) {
      errors.push_back(std::move(*malformed));
      continue;
    }
    StatusUpdateResult r =
        ctx.engine.update_status(OrderKey::by_seq(id), StatusChange{to, {}, 0, {}});
    token = std::max(token, r.durable_token);
    if (r.ok() || r.error == StatusUpdateError::kUnchanged) {
      ++updated;
      continue;
    }
    id_text.clear();
    append_uint(id_text, id);
    errors.push_back(refused_change_message(id_text, to, r, kSpelling));
  }
  // The answer reports every move made, so it waits until all are durable:
  // the largest token covers the others.
  ctx.response->durable_token = token;

  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_field(w, "message", "Bulk update completed");
  write_field(w, "updated_count", updated);
  write_field(w, "total_orders", static_cast<std::uint64_t>(orders->elements.size()));
  write_key(w, "errors");
  if (errors.empty()) {
    w.Null();
  } else {
    w.StartArray();
    for (const std::string& e : errors) write_string(w, e);
    w.EndArray();
  }
  w.EndObject();
  ctx.end();
}

}  // namespace orderd::net
