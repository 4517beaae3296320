// Fuzz target: bytes off the wire. As a connection does, parses as many
// pipelined requests as the input holds (Beast's parser with orderd's
// limits, fed in uneven pieces as reads split them) and answers each
// through the API (api_harness.h holds the properties every answer keeps).
// A request the parser refuses must map to a 4xx or 505 with a message.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "net/request_parser.h"
#include "tests/fuzz/api_harness.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using orderd::net::RequestLimits;
using orderd::net::RequestParser;
using orderd::net::RequestText;

// Small enough that the fuzzer reaches both limits.
constexpr RequestLimits kLimits{2048, 4096};
// Requests answered per input at most: one input's cost stays bounded.
constexpr int kMaxRequests = 16;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte chooses how the wire splits the rest into reads.
  const std::size_t step = 1 + data[0] % 64;
  std::string_view wire(reinterpret_cast<const char*>(data) + 1, size - 1);
  RequestText text;
  for (int requests = 0; requests < kMaxRequests && !wire.empty(); ++requests) {
    std::optional<RequestParser> parser;
    parser.emplace(text, kLimits);
    boost::beast::error_code error;
    std::size_t available = 0;  // bytes of `wire` read so far
    std::size_t used = 0;       // bytes the parser consumed
    const auto read_more = [&] {
      if (available == wire.size()) return false;
      available = std::min(wire.size(), available + step);
      return true;
    };
    while (!parser->is_done()) {
      if (used == available && !read_more()) break;
      error = {};
      const std::size_t consumed =
          parser->put(boost::asio::buffer(wire.data() + used, available - used), error);
      used += consumed;
      if (error == boost::beast::http::error::need_more || (!error && consumed == 0)) {
        if (!read_more()) break;
        continue;
      }
      if (error) break;
    }
    if (!parser->is_done()) {
      if (error && error != boost::beast::http::error::need_more) {
        const orderd::net::ParseRejection rejection = orderd::net::parse_rejection(error, kLimits);
        FUZZ_CHECK((rejection.status >= 400 && rejection.status < 500) || rejection.status == 505,
                   "parse error %s answered %u", error.message().c_str(), rejection.status);
        FUZZ_CHECK(!rejection.message.empty(), "parse error %s without a message",
                   error.message().c_str());
      }
      return 0;  // refused, or cut short: the connection would wait or close
    }
    FUZZ_CHECK(used <= wire.size(), "consumed %zu of %zu bytes", used, wire.size());
    orderd::net::HttpRequest request = parser->request();
    request.client_address = "127.0.0.1";
    orderd::fuzz::ApiHarness::shared().answer(request);
    wire.remove_prefix(used);
  }
  return 0;
}
