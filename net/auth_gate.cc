#include "net/auth_gate.h"

#include "auth/authenticator.h"
#include "net/route_access.h"

namespace orderd::net {
namespace {

// RFC 6750, 3: a missing token gets the bare challenge, a bad one says why.
void challenge(RequestContext& ctx, const auth::AuthResult& r) {
  ctx.challenge.assign(kBearerChallenge);
  if (r.missing) {
    ctx.error(401, "authentication required: send Authorization: Bearer <token>");
  } else {
    const std::string_view why = auth::token_error_message(r.error);
    ctx.challenge.append(", error=\"invalid_token\", error_description=\"");
    ctx.challenge.append(why);
    ctx.challenge.push_back('"');
    ctx.error(401, why);
  }
  ctx.response->www_authenticate = ctx.challenge;
}

Access effective_access(const Api& api, Route route) {
  const Access access = route_access(route);
  if (access != Access::kMetrics) return access;
  return api.auth_settings().metrics_open ? Access::kPublic : Access::kAdmin;
}

}  // namespace

bool admit_caller(RequestContext& ctx, const HttpRequest& request, Route route) {
  ctx.principal = nullptr;
  ctx.sees_all = true;
  ctx.caller.clear();
  const auth::Authenticator* authenticator = ctx.api.authenticator();
  if (authenticator == nullptr) return true;
  ctx.sees_all = false;
  const Access access = effective_access(ctx.api, route);
  if (access == Access::kPublic) return true;
  const auth::AuthResult r =
      authenticator->authenticate(request.authorization, wall_clock_micros(), ctx.tokens);
  if (r.principal == nullptr) {
    challenge(ctx, r);
    return false;
  }
  ctx.principal = r.principal;
  ctx.sees_all = r.principal->is_admin();
  ctx.caller.assign(auth::role_name(r.principal->role));
  ctx.caller.push_back(':');
  ctx.caller.append(r.principal->subject);
  if (access == Access::kAdmin && !r.principal->is_admin()) {
    ctx.message.assign(route_label(route));
    ctx.message.append(" needs the admin role");
    ctx.error(403, ctx.message);
    return false;
  }
  return true;
}

}  // namespace orderd::net
