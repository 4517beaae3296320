// The product catalog endpoints under /api/v1/products. Called by
// ApiHandler (api.h) on the calling thread; all are quick (a page is at most
// ApiLimits::products_max_page products).
#pragma once

#include <string_view>

#include "net/request_context.h"

namespace orderd::net {

// POST /api/v1/products {"id", "name", "price", "stock"}: 201, 400, 409.
void create_product(RequestContext& ctx, HttpRequest& request);

// GET /api/v1/products[?after=<id>&limit=<n>]: 200 with one page.
void list_products(RequestContext& ctx, std::string_view query);

// GET /api/v1/products/{id}: 200, 400 (not an id), 404.
void get_product(RequestContext& ctx, std::string_view raw_id);

// POST /api/v1/products/{id}/restock {"quantity": n}: 200, 400, 404, 409.
void restock_product(RequestContext& ctx, HttpRequest& request, std::string_view raw_id);

}  // namespace orderd::net
