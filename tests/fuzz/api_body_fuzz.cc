// Fuzz target: each JSON body the API accepts. The first byte picks a
// route that takes a body (every seed's creates and updates, customers,
// products, restocks, populate, tokens); the rest is the body, sent as
// application/json. The properties are api_harness.h's: a refused body is
// a 4xx {"error": ...} that changed nothing.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "tests/fuzz/api_harness.h"

namespace {

using orderd::net::HttpMethod;

struct BodyRoute {
  HttpMethod method;
  const char* target;
};

// Orders 123 and 789 are the demo shop's (the seeds name them); 1 is a
// customer and a product.
constexpr std::array kRoutes = {
    BodyRoute{HttpMethod::kPost, "/orders/"},
    BodyRoute{HttpMethod::kPost, "/orders/populate"},
    BodyRoute{HttpMethod::kPut, "/api/orders/123"},
    BodyRoute{HttpMethod::kPut, "/api/orders/bulk/status"},
    BodyRoute{HttpMethod::kPost, "/register_customer"},
    BodyRoute{HttpMethod::kPost, "/place_order"},
    BodyRoute{HttpMethod::kPatch, "/update_order_status"},
    BodyRoute{HttpMethod::kPost, "/api/v1/orders/"},
    BodyRoute{HttpMethod::kPut, "/api/v1/orders/789"},
    BodyRoute{HttpMethod::kPut, "/api/v1/orders/789/status"},
    BodyRoute{HttpMethod::kPost, "/api/v1/orders/123/cancel"},
    BodyRoute{HttpMethod::kPost, "/api/v1/customers"},
    BodyRoute{HttpMethod::kPost, "/api/v1/products"},
    BodyRoute{HttpMethod::kPut, "/api/v1/products/1"},
    BodyRoute{HttpMethod::kPost, "/api/v1/products/1/restock"},
    BodyRoute{HttpMethod::kPost, "/api/v1/auth/token"},
    BodyRoute{HttpMethod::kPost, "/api/v1/auth/revoke"},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const BodyRoute& route = kRoutes[data[0] % kRoutes.size()];
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  orderd::net::HttpRequest request;
  request.method = route.method;
  request.target = route.target;
  request.content_type = orderd::net::kJsonContentType;
  request.body = std::span<char>(body.data(), body.size());
  request.client_address = "127.0.0.1";
  orderd::fuzz::ApiHarness::shared().answer(request);
  return 0;
}
