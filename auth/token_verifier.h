// Verifies JSON Web Tokens (RFC 7519) signed with HS256 by a shared secret,
// or with RS256 or ES256 by an identity provider whose public key is
// configured. Signatures are checked by libjwt (OpenSSL); this file decides
// which algorithm a token may use and what its claims must say.
//
// The algorithm a token may use follows from the keys, never from the
// token: HS256 only with the secret, RS256 or ES256 only with a public key
// of that type. So "alg": "none" is refused, and so is the classic switch of
// signing HS256 with the public key as the HMAC secret.
//
// Claims: "sub" (the subject: a customer id in decimal for customers, a
// name for admins) and "role" ("customer" or "admin") are required, and so
// is "exp"; "nbf" and "iat", when present, are checked too. Time claims
// allow `leeway` of clock skew. "jti", when present, is the id by which the
// token can be revoked (checked by the Authenticator, not here).
//
// Thread-safe: verify() is const and keeps no state between calls.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "auth/principal.h"
#include "engine/types.h"

namespace orderd::auth {

struct JwtConfig {
  std::string secret;          // HS256 key, at least 32 bytes; empty: no HS256
  std::string public_key_pem;  // an RSA (RS256) or P-256 EC (ES256) public key; empty: none
  std::string issuer;          // non-empty: "iss" must equal it
  std::string audience;        // non-empty: "aud" must be or contain it
  std::chrono::seconds leeway{60};
};

inline constexpr std::size_t kMinSecretBytes = 32;
// Longer "Authorization" values are refused unread.
inline constexpr std::size_t kMaxTokenBytes = 8192;

enum class TokenError : std::uint8_t {
  kNone,
  kMalformed,         // not three base64url parts, or not JSON
  kAlgorithmRefused,  // "none", or an algorithm no configured key signs with
  kBadSignature,
  kExpired,
  kNotYetValid,  // "nbf" or "iat" in the future
  kBadClaims,    // "sub", "role" or "exp" missing or malformed; wrong "iss" or "aud"
  kRevoked,      // (Authenticator) its "jti" was revoked
};

// What a client is told: short, and the same for every token failing the
// same way.
std::string_view token_error_message(TokenError error);

struct VerifyResult {
  TokenError error = TokenError::kNone;
  Principal principal;  // filled when error == kNone
};

class TokenVerifier {
 public:
  struct PublicKey;  // the parsed public key and the algorithm it signs with

  // Null, with `error` saying why, when the configuration is unusable: no
  // key at all, a short secret, or a public key that is not PEM, not RSA
  // and not P-256.
  static std::unique_ptr<TokenVerifier> create(JwtConfig config, std::string* error);
  ~TokenVerifier();

  VerifyResult verify(std::string_view token, Micros now) const;

  const JwtConfig& config() const { return config_; }
  bool has_secret() const { return !config_.secret.empty(); }

 private:
  TokenVerifier(JwtConfig config, std::unique_ptr<PublicKey> key);

  JwtConfig config_;
  std::unique_ptr<PublicKey> public_key_;
};

}  // namespace orderd::auth
