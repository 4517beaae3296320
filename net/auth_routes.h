// Logging in, out and revoking tokens (auth/ does the cryptography):
//
//   POST /api/v1/auth/token   {"email" | "username" | "customer_id", "password"}
//        200 {"access_token", "token_type": "bearer", "expires_in", "expires_at",
//             "role", "customer_id"}; 401 for a wrong email or password (the
//        same answer for both, and as slow); 404 with --auth off; 501 when
//        the server only verifies tokens (no secret) and issues none.
//        Runs on a blocking thread (the password hash is slow by design).
//   POST /api/v1/auth/logout  revokes the caller's own token: 200 {"revoked"}.
//   POST /api/v1/auth/revoke  (admin) {"jti", "expires_at"?: seconds since
//        the epoch}: 200 {"revoked", "expires_at"}.
//   GET  /api/v1/auth/me      200 {"subject", "role", "customer_id", "token_id",
//        "expires_at"}.
//
// Revocations are changes like any other: journaled, answered once durable,
// kept until the token would have expired anyway.
#pragma once

#include "net/api.h"
#include "net/request_context.h"

namespace orderd::net {

HandleOutcome issue_login_token(RequestContext& ctx, HttpRequest& request);
void log_out(RequestContext& ctx);
void revoke_token(RequestContext& ctx, HttpRequest& request);
void who_am_i(RequestContext& ctx);

}  // namespace orderd::net
