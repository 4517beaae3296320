// The gate every request passes before its route runs: who is asking (a
// bearer token, verified by the Api's Authenticator) and whether they may
// call the route (route_access.h). Without an authenticator it lets all in.
#pragma once

#include "net/http_message.h"
#include "net/request_context.h"
#include "net/route.h"

namespace orderd::net {

// The challenge of every 401 (RFC 6750), before any error attributes.
inline constexpr std::string_view kBearerChallenge = "Bearer realm=\"orderd\"";

// Sets ctx.principal and ctx.sees_all (and ctx.caller) for the request.
// Returns false after answering 401 (no token, or a bad one: with a
// WWW-Authenticate challenge) or 403 (a customer on an admin route).
bool admit_caller(RequestContext& ctx, const HttpRequest& request, Route route);

}  // namespace orderd::net
