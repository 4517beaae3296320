#include "net/catalog_routes.h"

#include <optional>
#include <string>

#include "engine/catalog.h"
#include "net/router.h"

namespace orderd::net {
namespace {

constexpr std::size_t kMaxProductNameBytes = 200;
constexpr std::size_t kMaxSkuBytes = 64;

void write_product(JsonWriter& w, const ProductInfo& p) {
  w.StartObject();
  write_field(w, "id", p.id);
  write_field(w, "name", p.name);
  if (!p.sku.empty()) write_field(w, "sku", p.sku);
  write_money_field(w, "price", p.price);
  write_field(w, "available", p.available);
  write_field(w, "held", p.held);
  write_field(w, "consumed", p.consumed);
  write_field(w, "initial", p.initial);
  write_field(w, "restocked", p.restocked);
  write_field(w, "returned", p.returned);
  w.EndObject();
}

// The {id} path segment as a product id; answers 400 if it is not one.
bool path_product_id(RequestContext& ctx, std::string_view raw_id, ProductId& id) {
  std::uint64_t value = 0;
  if (!percent_decode(raw_id, ctx.text) ||
      parse_json_uint(ctx.text, kMaxJsonInteger, &value) != IntegerError::kNone || value == 0) {
    ctx.error(400, "the product id in the path must be a positive integer");
    return false;
  }
  id = value;
  return true;
}

void product_not_found(RequestContext& ctx) { ctx.error(404, "Product not found"); }

// Answers with the product as the catalog has it now, or 404 if it has no
// such product. Returns whether the product was found.
bool product_response(RequestContext& ctx, unsigned status, ProductId id) {
  std::optional<ProductInfo> p = ctx.engine.catalog().get(id);
  if (!p) {
    product_not_found(ctx);
    return false;
  }
  write_product(ctx.begin(status), *p);
  ctx.end();
  return true;
}

// Catalog changes are journaled like orders: once the journal has failed
// they are refused rather than made in memory only.
bool refuse_if_read_only(RequestContext& ctx) {
  if (!ctx.engine.refusing_writes()) return false;
  ctx.error(503, ctx.engine.write_refusal_reason());
  return true;
}

// The response reports a change: send it once the change is durable.
void answer_change(RequestContext& ctx, unsigned status, ProductId id) {
  if (product_response(ctx, status, id)) {
    ctx.response->durable_token = ctx.api.last_durable_token();
  }
}

}  // namespace

void create_product(RequestContext& ctx, HttpRequest& request) {
  if (!ctx.parse_body(request)) return;
  std::uint64_t id = 0;
  std::string_view name;
  Cents price = 0;
  std::uint64_t stock = 0;
  if (!ctx.required_uint("id", 1, kMaxJsonInteger, id)) return;
  if (!ctx.required_string("name", kMaxProductNameBytes, name)) return;
  if (!ctx.required_money("price", Catalog::kMaxPrice, price)) return;
  if (!ctx.required_uint("stock", 0, Catalog::kMaxStock, stock)) return;
  std::string_view sku;
  if (!ctx.optional_string("sku", kMaxSkuBytes, sku)) return;
  if (refuse_if_read_only(ctx)) return;

  Catalog& catalog = ctx.engine.catalog();
  switch (catalog.add(id, std::string(name), price, static_cast<std::int64_t>(stock),
                      std::string(sku))) {
    case AddProductResult::kAdded:
      break;
    case AddProductResult::kSkuTaken:
      ctx.message.assign("a product with sku '");
      ctx.message.append(sku);
      ctx.message.append("' already exists");
      ctx.error(409, ctx.message);
      return;
    case AddProductResult::kAlreadyExists:
      ctx.message.assign("product ");
      append_uint(ctx.message, id);
      ctx.message.append(" already exists");
      ctx.error(409, ctx.message);
      return;
    case AddProductResult::kCatalogFull:
      ctx.message.assign("the catalog is full (");
      append_uint(ctx.message, catalog.capacity());
      ctx.message.append(" products)");
      ctx.error(409, ctx.message);
      return;
    case AddProductResult::kInvalid:
      ctx.error(400, "price or stock out of range");
      return;
  }
  answer_change(ctx, 201, id);
}

void list_products(RequestContext& ctx, std::string_view query) {
  const ApiLimits& limits = ctx.api.limits();
  std::uint64_t after = 0;
  if (query_param(query, "after", ctx.text) &&
      parse_json_uint(ctx.text, UINT64_MAX, &after) != IntegerError::kNone) {
    ctx.error(400, "after must be a non-negative integer (a product id)");
    return;
  }
  std::uint64_t limit = limits.products_default_page;
  if (query_param(query, "limit", ctx.text) &&
      (parse_json_uint(ctx.text, limits.products_max_page, &limit) != IntegerError::kNone ||
       limit == 0)) {
    ctx.message.assign("limit must be an integer from 1 to ");
    append_uint(ctx.message, limits.products_max_page);
    ctx.error(400, ctx.message);
    return;
  }
  // One extra tells whether another page follows.
  std::vector<ProductInfo> page = ctx.engine.catalog().list(after, limit + 1);
  const bool more = page.size() > limit;
  if (more) page.pop_back();

  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_key(w, "products");
  w.StartArray();
  for (const auto& p : page) write_product(w, p);
  w.EndArray();
  write_field(w, "next_after", more ? std::optional(page.back().id) : std::nullopt);
  w.EndObject();
  ctx.end();
}

void get_product(RequestContext& ctx, std::string_view raw_id) {
  ProductId id = 0;
  if (!path_product_id(ctx, raw_id, id)) return;
  product_response(ctx, 200, id);
}

void restock_product(RequestContext& ctx, HttpRequest& request, std::string_view raw_id) {
  ProductId id = 0;
  if (!path_product_id(ctx, raw_id, id)) return;
  if (!ctx.parse_body(request)) return;
  std::uint64_t quantity = 0;
  if (!ctx.required_uint("quantity", 1, Catalog::kMaxStock, quantity)) return;
  if (refuse_if_read_only(ctx)) return;
  Catalog& catalog = ctx.engine.catalog();
  switch (catalog.restock(id, static_cast<std::int64_t>(quantity))) {
    case RestockResult::kRestocked:
      break;
    case RestockResult::kUnknownProduct:
      product_not_found(ctx);
      return;
    case RestockResult::kInvalid:
      ctx.message.assign("restocking would take the product above the maximum stock of ");
      append_uint(ctx.message, Catalog::kMaxStock);
      ctx.error(409, ctx.message);
      return;
  }
  answer_change(ctx, 200, id);
}

}  // namespace orderd::net
