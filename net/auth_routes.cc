#include "net/auth_routes.h"

#include "auth/authenticator.h"
#include "auth/password_hash.h"
#include "auth/token_issuer.h"
#include "net/auth_gate.h"

namespace orderd::net {
namespace {

constexpr std::size_t kMaxEmailBytes = 254;

// The customer a login names, or nullopt (after answering 400 for a
// malformed body; an unknown customer is not answered here).
bool read_login(RequestContext& ctx, std::optional<CustomerInfo>& customer,
                std::string_view& password) {
  const CustomerStore& customers = ctx.engine.customers();
  std::string_view email;
  if (ctx.json.find("customer_id") != nullptr) {
    std::uint64_t id = 0;
    if (!ctx.required_uint("customer_id", 1, kMaxJsonInteger, id)) return false;
    customer = customers.get(id);
  } else {
    const char* key = ctx.json.find("username") != nullptr ? "username" : "email";
    if (!ctx.required_string(key, kMaxEmailBytes, email)) return false;
    customer = customers.find_by_email(email);
  }
  const JsonMember* m = ctx.json.find("password");
  if (m == nullptr || m->value.kind != JsonKind::kString) {
    ctx.field_error("password", "is required and must be a string");
    return false;
  }
  password = m->value.text;
  return true;
}

void refuse_login(RequestContext& ctx) {
  ctx.error(401, "the email or password is wrong");
  ctx.challenge.assign(kBearerChallenge);
  ctx.response->www_authenticate = ctx.challenge;
}

// Revokes `jti` until `expires_at` and answers 200, or the refusal.
void answer_revocation(RequestContext& ctx, std::string_view jti, Micros expires_at) {
  const RevokeResult r = ctx.engine.revoke_token(jti, expires_at);
  switch (r.outcome) {
    case RevokeOutcome::kRevoked:
    case RevokeOutcome::kExtended:
    case RevokeOutcome::kAlreadyRevoked:
    case RevokeOutcome::kAlreadyExpired:
      break;
    case RevokeOutcome::kInvalid:
      ctx.error(400, "jti must be 1-128 printable characters");
      return;
    case RevokeOutcome::kFull:
      ctx.error(503, "too many revoked tokens are held, retry later");
      ctx.response->retry_after_seconds = 60;
      return;
    case RevokeOutcome::kUnavailable:
      ctx.refuse_writes();
      return;
  }
  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_field(w, "revoked", jti);
  write_timestamp_or_null_field(w, "expires_at", expires_at);
  w.EndObject();
  ctx.end();
  ctx.response->durable_token = std::max(ctx.response->durable_token, r.durable_token);
}

}  // namespace

HandleOutcome issue_login_token(RequestContext& ctx, HttpRequest& request) {
  const auth::Authenticator* authenticator = ctx.api.authenticator();
  if (authenticator == nullptr) {
    ctx.error(404, "authentication is off (--auth off): no token is needed");
    return HandleOutcome::kDone;
  }
  const auth::JwtConfig& jwt = authenticator->verifier().config();
  if (jwt.secret.empty()) {
    ctx.error(501, "this server verifies tokens of an identity provider and issues none");
    return HandleOutcome::kDone;
  }
  if (!request.may_block) return HandleOutcome::kNeedsBlockingThread;
  if (!ctx.parse_body(request)) return HandleOutcome::kDone;
  std::optional<CustomerInfo> customer;
  std::string_view password;
  if (!read_login(ctx, customer, password)) return HandleOutcome::kDone;
  if (!customer || customer->password_hash.empty()) {
    auth::burn_password_check(password);
    refuse_login(ctx);
    return HandleOutcome::kDone;
  }
  if (!auth::verify_password(customer->password_hash, password)) {
    refuse_login(ctx);
    return HandleOutcome::kDone;
  }
  auth::TokenRequest token_request;
  token_request.role = auth::Role::kCustomer;
  token_request.subject = std::to_string(customer->id);
  token_request.ttl = ctx.api.auth_settings().login_ttl;
  token_request.now = wall_clock_micros();
  token_request.issuer = jwt.issuer;
  token_request.audience = jwt.audience;
  std::string error;
  std::optional<auth::IssuedToken> issued = auth::issue_token(jwt.secret, token_request, &error);
  if (!issued) {
    ctx.error(500, error);
    return HandleOutcome::kDone;
  }
  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_field(w, "access_token", issued->token);
  write_field(w, "token_type", "bearer");
  write_field(w, "expires_in", static_cast<std::uint64_t>(token_request.ttl.count()));
  write_timestamp_or_null_field(w, "expires_at", issued->expires_at);
  write_field(w, "role", "customer");
  write_field(w, "customer_id", customer->id);
  w.EndObject();
  ctx.end();
  return HandleOutcome::kDone;
}

void log_out(RequestContext& ctx) {
  if (ctx.principal == nullptr) {  // --auth off: there is no token to end
    ctx.error(404, "authentication is off (--auth off): no token is needed");
    return;
  }
  if (ctx.principal->token_id.empty()) {
    ctx.error(400, "this token has no jti and cannot be revoked; it ends when it expires");
    return;
  }
  const std::string jti = ctx.principal->token_id;
  answer_revocation(ctx, jti, ctx.principal->expires_at);
}

void revoke_token(RequestContext& ctx, HttpRequest& request) {
  if (!ctx.parse_body(request)) return;
  std::string_view jti;
  if (!ctx.required_string("jti", 128, jti)) return;
  Micros expires_at =
      wall_clock_micros() +
      static_cast<Micros>(ctx.api.auth_settings().revocation_ttl.count()) * 1'000'000;
  if (ctx.json.find("expires_at") != nullptr) {
    std::uint64_t seconds = 0;
    if (!ctx.required_uint("expires_at", 1, 1'000'000'000'000, seconds)) return;
    expires_at = static_cast<Micros>(seconds) * 1'000'000;
  }
  const std::string id(jti);
  answer_revocation(ctx, id, expires_at);
}

void who_am_i(RequestContext& ctx) {
  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  if (ctx.principal == nullptr) {
    write_field(w, "authentication", "off");
  } else {
    const auth::Principal& p = *ctx.principal;
    write_field(w, "subject", p.subject);
    write_field(w, "role", auth::role_name(p.role));
    write_key(w, "customer_id");
    if (p.customer_id != 0) {
      w.Uint64(p.customer_id);
    } else {
      w.Null();
    }
    write_text_or_null_field(w, "token_id", p.token_id);
    write_timestamp_or_null_field(w, "expires_at", p.expires_at);
  }
  w.EndObject();
  ctx.end();
}

}  // namespace orderd::net
