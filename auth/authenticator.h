// From an Authorization header to a Principal: "Bearer <token>", verified
// (TokenVerifier), not revoked (the engine's TokenRevocations), cached per
// thread (VerifiedTokenCache) so that a repeated token costs a hash and a
// compare.
//
// Thread-safe: share one Authenticator; give each thread its own cache.
#pragma once

#include <memory>
#include <string_view>

#include "auth/principal.h"
#include "auth/token_verifier.h"
#include "auth/verified_token_cache.h"
#include "engine/token_revocations.h"

namespace orderd::auth {

struct AuthResult {
  TokenError error = TokenError::kNone;
  bool missing = false;                  // no Authorization header, or not a Bearer one
  const Principal* principal = nullptr;  // valid until the cache's next insert
};

class Authenticator {
 public:
  Authenticator(std::unique_ptr<TokenVerifier> verifier, const TokenRevocations& revocations);

  AuthResult authenticate(std::string_view authorization, Micros now,
                          VerifiedTokenCache& cache) const;

  const TokenVerifier& verifier() const { return *verifier_; }

 private:
  std::unique_ptr<TokenVerifier> verifier_;
  const TokenRevocations& revocations_;
  Micros leeway_micros_;
};

// The token of a "Bearer <token>" header (scheme in any case), or empty.
std::string_view bearer_token(std::string_view authorization);

}  // namespace orderd::auth
