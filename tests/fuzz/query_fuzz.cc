// Fuzz target: targets and query strings. With the first byte even, the
// rest is a target for the pure functions: percent_decode() succeeds
// exactly when well_formed_escapes() says so, never grows the text, and
// decoding what was encoded gives back the bytes; query_param() and
// match_route() never read outside the target. With it odd, the rest is
// the query of a GET route that reads parameters (listings, export,
// histories, analytics), answered through the API (api_harness.h).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "net/http_message.h"
#include "net/router.h"
#include "tests/fuzz/api_harness.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using orderd::net::HttpMethod;

constexpr std::array kQueryRoutes = {
    "/api/v1/orders",
    "/api/v1/orders/export",
    "/api/v1/orders/customers/1/orders",
    "/api/customers/1/orders",
    "/api/customers/1/order-history",
    "/api/orders/analytics/summary",
    "/order_history/1",
    "/api/v1/analytics/daily",
    "/api/v1/analytics/orders/status",
    "/api/v1/analytics/customers/top",
    "/api/v1/analytics/customers/1",
    "/api/v1/analytics/summary",
    "/api/v1/analytics/revenue/trends",
    "/api/v1/analytics/quick/week",
    "/api/v1/products",
    "/api/v1/customers",
    "/orders/metrics",
};

std::string percent_encode_all(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : bytes) {
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

bool inside(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

void check_pure_functions(std::string_view text) {
  std::string decoded;
  const bool ok = orderd::net::percent_decode(text, decoded);
  FUZZ_CHECK(ok == orderd::net::well_formed_escapes(text), "decoding and checking disagree");
  if (ok) {
    FUZZ_CHECK(decoded.size() <= text.size(), "decoding grew %zu bytes to %zu", text.size(),
               decoded.size());
    std::string again;
    FUZZ_CHECK(orderd::net::percent_decode(percent_encode_all(decoded), again) && again == decoded,
               "decode(encode(x)) != x");
  }
  // The name before the first '=' is looked up in the rest.
  const std::size_t eq = text.find('=');
  std::string value;
  if (eq != std::string_view::npos && orderd::net::query_param(text, text.substr(0, eq), value)) {
    FUZZ_CHECK(value.size() <= text.size(), "a value longer than the query");
  }
  for (const HttpMethod method : {HttpMethod::kGet, HttpMethod::kPost, HttpMethod::kPut,
                                  HttpMethod::kDelete, HttpMethod::kPatch}) {
    const orderd::net::RouteMatch match = orderd::net::match_route(method, text);
    FUZZ_CHECK(inside(match.id, text), "the id is outside the target");
    FUZZ_CHECK(inside(match.query, text), "the query is outside the target");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    check_pure_functions(rest);
    return 0;
  }
  const std::string target =
      std::string(kQueryRoutes[(data[0] / 2) % kQueryRoutes.size()]) + "?" + std::string(rest);
  orderd::net::HttpRequest request;
  request.method = HttpMethod::kGet;
  request.target = target;
  request.client_address = "127.0.0.1";
  orderd::fuzz::ApiHarness::shared().answer(request);
  return 0;
}
