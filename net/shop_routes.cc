#include "net/shop_routes.h"

#include <algorithm>
#include <optional>
#include <string>

#include "engine/order_details.h"
#include "net/request_tree.h"
#include "net/status_answers.h"
#include "net/submit_answers.h"

namespace orderd::net {
namespace {

constexpr StatusSpelling kSpelling = StatusSpelling::kLowercase;

// "items[2].quantity" into ctx.text.
void item_field(RequestContext& ctx, std::size_t i, std::string_view field) {
  ctx.text.assign("items[");
  append_uint(ctx.text, i);
  ctx.text.append("].");
  ctx.text.append(field);
}

// Reads items into ctx.items; answers 400 naming the entry and returns
// false on the first bad one.
bool read_items(RequestContext& ctx, const JsonTree& tree) {
  const JsonTree* items = tree_member(tree, "items");
  if (items == nullptr) {
    ctx.field_error("items", "is required");
    return false;
  }
  if (items->kind != JsonKind::kArray) {
    ctx.field_error("items", "must be an array of {\"product_id\", \"quantity\"} objects");
    return false;
  }
  if (items->elements.empty()) {
    ctx.field_error("items", "must not be empty");
    return false;
  }
  const std::size_t max_items = ctx.engine.config().max_items_per_order;
  if (items->elements.size() > max_items) {
    ctx.message.assign("items must have at most ");
    append_uint(ctx.message, max_items);
    ctx.message.append(" entries");
    ctx.error(400, ctx.message);
    return false;
  }
  ctx.items.clear();
  for (std::size_t i = 0; i < items->elements.size(); ++i) {
    const JsonTree& item = items->elements[i];
    if (item.kind != JsonKind::kObject) {
      ctx.message.assign("items[");
      append_uint(ctx.message, i);
      ctx.message.append("] must be an object, not ");
      ctx.message.append(tree_kind_phrase(item));
      ctx.error(400, ctx.message);
      return false;
    }
    std::uint64_t values[2] = {0, 0};
    constexpr std::string_view kFields[2] = {"product_id", "quantity"};
    constexpr std::uint64_t kMax[2] = {kMaxJsonInteger, kMaxQuantityPerItem};
    for (int f = 0; f < 2; ++f) {
      const JsonTree* v = tree_member(item, kFields[f]);
      item_field(ctx, i, kFields[f]);
      if (v == nullptr) {
        ctx.field_error(ctx.text, "is required");
        return false;
      }
      if (IntegerError e = tree_uint(*v, 1, kMax[f], values[f]); e != IntegerError::kNone) {
        ctx.integer_error(ctx.text, e, 1, kMax[f]);
        return false;
      }
    }
    ctx.items.push_back({values[0], static_cast<std::uint32_t>(values[1])});
  }
  return true;
}

void answer_stock(RequestContext& ctx, const SubmitResult& r) {
  // A product the catalog does not have is "not found"; a short one is a
  // conflict with the stock there is.
  auto unknown = std::find_if(r.stock_issues.begin(), r.stock_issues.end(),
                              [](const StockIssue& s) { return s.unknown_product; });
  if (unknown == r.stock_issues.end()) {
    answer_stock_issues(ctx, 409, r.message, r.stock_issues);
    return;
  }
  std::string message = "Product ";
  append_uint(message, unknown->product_id);
  message.append(" not found");
  answer_stock_issues(ctx, 404, message, r.stock_issues);
}

void write_placed(RequestContext& ctx, const SubmitResult& r, CustomerId customer) {
  std::optional<OrderSnapshot> o = ctx.engine.get(OrderKey::by_seq(r.seq));
  JsonWriter& w = ctx.begin(201);
  w.StartObject();
  write_field(w, "message", "Order placed");
  write_field(w, "order_id", r.seq);
  write_field(w, "id", o ? std::string_view(o->client_id) : std::string_view(r.client_id));
  write_field(w, "customer_id", customer);
  write_key(w, "items");
  w.StartArray();
  if (o) {
    for (const OrderItem& item : o->items) {
      w.StartObject();
      write_field(w, "product_id", item.product_id);
      write_field(w, "quantity", item.quantity);
      write_money_field(w, "unit_price", item.unit_price);
      write_money_field(w, "line_total", item.unit_price * static_cast<Cents>(item.quantity));
      w.EndObject();
    }
  }
  w.EndArray();
  // Managed orders are priced at acceptance, so these are final.
  write_money_field(w, "subtotal", o ? o->catalog_subtotal : 0);
  write_money_field(w, "discount", o ? o->discount : 0);
  write_money_field(w, "total", o ? o->grand_total() : 0);
  // The order as accepted: Pending, version 1, even if a worker has moved
  // it on since (the status and version always describe the same state).
  write_key(w, "status");
  write_status(w, OrderStatus::kPending, kSpelling);
  constexpr std::uint32_t kAccepted = 1;
  write_field(w, "version", std::uint64_t{kAccepted});
  w.EndObject();
  ctx.end();
  set_version_etag(ctx, kAccepted);
}

}  // namespace

void place_order(RequestContext& ctx, HttpRequest& request) {
  JsonTree tree;
  if (!parse_body_tree(ctx, request, tree)) return;
  const JsonTree* customer_field = tree_member(tree, "customer_id");
  std::uint64_t customer_id = 0;
  if (customer_field == nullptr) {
    ctx.field_error("customer_id", "is required");
    return;
  }
  if (IntegerError e = tree_uint(*customer_field, 1, kMaxJsonInteger, customer_id);
      e != IntegerError::kNone) {
    ctx.integer_error("customer_id", e, 1, kMaxJsonInteger);
    return;
  }
  if (!ctx.acts_for(customer_id, "customer_id")) return;
  if (!read_items(ctx, tree)) return;
  std::optional<CustomerInfo> customer = ctx.engine.customers().get(customer_id);
  if (!customer) {
    ctx.error(404, "Customer not found");
    return;
  }

  OrderDetails details;
  details.customer_email = customer->email;
  OrderRequest order;  // no client id: the engine assigns "order_<seq>"
  order.user_id = customer_id;
  order.items = ctx.items;
  order.details = &details;
  SubmitResult r = ctx.engine.submit(order, &ctx.producer);
  switch (r.error) {
    case SubmitError::kNone:
      ctx.response->durable_token = r.durable_token;
      write_placed(ctx, r, customer_id);
      return;
    case SubmitError::kStock:
      answer_stock(ctx, r);
      return;
    case SubmitError::kDuplicate:  // cannot happen: the engine chose the id
      ctx.error(400, r.message);
      return;
    default:  // no expected prices are sent: kPriceMismatch cannot happen either
      answer_refused_submit(ctx, r);
      return;
  }
}

void patch_order_status(RequestContext& ctx, HttpRequest& request) {
  if (!ctx.parse_body(request)) return;
  std::uint64_t id = 0;
  if (!ctx.required_uint("order_id", 1, kMaxJsonInteger, id)) return;
  std::optional<OrderStatus> to = read_status(ctx, "status");
  if (!to) return;
  ctx.text.clear();
  append_uint(ctx.text, id);
  const std::optional<std::uint32_t> expected =
      expected_version(ctx, request, OrderKey::by_seq(id), ctx.text, kSpelling);
  if (!expected) return;
  StatusUpdateResult r =
      ctx.engine.update_status(OrderKey::by_seq(id), StatusChange{*to, {}, *expected, {}});
  if (!r.ok() && r.error != StatusUpdateError::kUnchanged) {
    answer_refused_change(ctx, ctx.text, r, kSpelling);
    return;
  }
  ctx.response->durable_token = r.durable_token;
  answer_status_moved(ctx, "Order status updated", id, r, kSpelling);
}

}  // namespace orderd::net
