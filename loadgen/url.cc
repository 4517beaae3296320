#include "loadgen/url.h"

#include <algorithm>
#include <charconv>

namespace orderd::loadgen {
namespace {

std::optional<ServerUrl> fail(std::string* error, std::string_view reason) {
  if (error != nullptr) *error = reason;
  return std::nullopt;
}

bool valid_port(std::string_view port) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return ec == std::errc() && end == port.data() + port.size() && value >= 1 && value <= 65535;
}

}  // namespace

std::string ServerUrl::host_header() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + port;
}

std::optional<ServerUrl> parse_server_url(std::string_view text, std::string* error) {
  constexpr std::string_view kScheme = "http://";
  if (text.starts_with("https://")) return fail(error, "https is not supported; use http://");
  if (!text.starts_with(kScheme)) return fail(error, "the URL must start with http://");
  text.remove_prefix(kScheme.size());

  const std::size_t path_start = std::min(text.find('/'), text.size());
  std::string_view authority = text.substr(0, path_start);
  std::string_view path = text.substr(path_start);
  if (authority.find('@') != std::string_view::npos)
    return fail(error, "user info is not supported");
  if (path.find_first_of("?#") != std::string_view::npos) {
    return fail(error, "queries and fragments are not supported");
  }

  ServerUrl url;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return fail(error, "unclosed '[' in the host");
    url.host = authority.substr(1, close - 1);
    authority.remove_prefix(close + 1);
    if (!authority.empty() && !authority.starts_with(':')) return fail(error, "junk after ']'");
  } else {
    const std::size_t colon = authority.find(':');
    url.host = authority.substr(0, colon);
    authority.remove_prefix(colon == std::string_view::npos ? authority.size() : colon);
  }
  if (url.host.empty()) return fail(error, "the URL has no host");
  if (authority.starts_with(':')) {
    authority.remove_prefix(1);
    if (!valid_port(authority)) return fail(error, "the port must be a number from 1 to 65535");
    url.port = authority;
  }
  while (path.ends_with('/')) path.remove_suffix(1);
  url.path_prefix = path;
  return url;
}

}  // namespace orderd::loadgen
