#include "auth/authenticator.h"

#include <cctype>

namespace orderd::auth {

std::string_view bearer_token(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != kScheme[i]) return {};
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  return token;
}

Authenticator::Authenticator(std::unique_ptr<TokenVerifier> verifier,
                             const TokenRevocations& revocations)
    : verifier_(std::move(verifier)),
      revocations_(revocations),
      leeway_micros_(static_cast<Micros>(verifier_->config().leeway.count()) * 1'000'000) {}

AuthResult Authenticator::authenticate(std::string_view authorization, Micros now,
                                       VerifiedTokenCache& cache) const {
  AuthResult result;
  const std::string_view token = bearer_token(authorization);
  if (token.empty()) {
    result.missing = true;
    return result;
  }
  // Read before the lookup: a revocation racing this request is either
  // seen by revoked() or bumps the epoch past the one stored.
  const std::uint64_t epoch = revocations_.epoch();
  if (VerifiedTokenCache::Entry* hit = cache.find(token, now, leeway_micros_)) {
    if (hit->revocation_epoch != epoch) {
      if (!hit->principal.token_id.empty() && revocations_.revoked(hit->principal.token_id)) {
        result.error = TokenError::kRevoked;
        return result;
      }
      hit->revocation_epoch = epoch;
    }
    result.principal = &hit->principal;
    return result;
  }
  VerifyResult verified = verifier_->verify(token, now);
  if (verified.error != TokenError::kNone) {
    result.error = verified.error;
    return result;
  }
  if (!verified.principal.token_id.empty() && revocations_.revoked(verified.principal.token_id)) {
    result.error = TokenError::kRevoked;
    return result;
  }
  result.principal = &cache.insert(token, verified.principal, epoch).principal;
  return result;
}

}  // namespace orderd::auth
