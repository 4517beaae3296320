// Issues HS256 tokens with the server's secret: at login
// (POST /api/v1/auth/token) and for operators (`orderd token`). Each carries
// a random "jti" so that it can be revoked.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "auth/principal.h"
#include "engine/types.h"

namespace orderd::auth {

struct TokenRequest {
  Role role = Role::kCustomer;
  std::string subject;  // a customer id in decimal, or an admin's name
  std::chrono::seconds ttl{3600};
  Micros now = 0;        // wall clock; "iat" and "nbf"
  std::string issuer;    // non-empty: sets "iss"
  std::string audience;  // non-empty: sets "aud"
};

struct IssuedToken {
  std::string token;
  std::string token_id;  // its "jti"
  Micros expires_at = 0;
};

// Signs with `secret` (at least kMinSecretBytes); nullopt with `error` when
// the secret is too short, the subject empty or the ttl not positive.
std::optional<IssuedToken> issue_token(const std::string& secret, const TokenRequest& request,
                                       std::string* error);

}  // namespace orderd::auth
