// The server address orderload targets, parsed from "http://host[:port][/prefix]".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace orderd::loadgen {

struct ServerUrl {
  std::string host;         // name or address; IPv6 without brackets
  std::string port = "80";  // kept as text for the resolver
  std::string path_prefix;  // "" or "/api" (no trailing slash): prepended to /orders/...
  // "host:port" (brackets around IPv6), for the Host header.
  std::string host_header() const;
  // "http://host:port/prefix"
  std::string text() const { return "http://" + host_header() + path_prefix; }
};

// nullopt and a reason in `error` if the text is not a plain http URL
// (https, user info, queries and fragments are refused).
std::optional<ServerUrl> parse_server_url(std::string_view text, std::string* error = nullptr);

}  // namespace orderd::loadgen
