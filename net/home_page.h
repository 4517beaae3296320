// Seed 002's home page (GET /): plain HTML with forms for registering a
// customer, placing an order and updating an order's status, whose inline
// script sends JSON to the routes and shows their answers. No external
// assets: the page works offline and with a strict Content-Security-Policy
// proxy in front, as long as inline scripts are allowed.
#pragma once

#include <string_view>

#include "net/request_context.h"

namespace orderd::net {

inline constexpr std::string_view kHtmlContentType = "text/html; charset=utf-8";

// The page's HTML; a static string.
std::string_view home_page_html();

// GET /: 200 with home_page_html(). Allocates nothing.
void home_page(RequestContext& ctx);

}  // namespace orderd::net
