#include "auth/token_issuer.h"

#include <jwt.h>
#include <sodium.h>

#include <cstdlib>
#include <memory>

#include "auth/token_verifier.h"

namespace orderd::auth {
namespace {

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};

// 128 random bits in hex: unguessable and unique enough to revoke by.
std::string random_token_id() {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  char hex[2 * sizeof bytes + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return std::string(hex);
}

}  // namespace

std::optional<IssuedToken> issue_token(const std::string& secret, const TokenRequest& request,
                                       std::string* error) {
  if (secret.size() < kMinSecretBytes) {
    *error = "the JWT secret must be at least 32 bytes";
    return std::nullopt;
  }
  if (request.subject.empty() || request.subject.size() > 128) {
    *error = "the subject must be 1-128 bytes";
    return std::nullopt;
  }
  if (request.ttl.count() <= 0) {
    *error = "the lifetime must be positive";
    return std::nullopt;
  }
  if (sodium_init() < 0) {
    *error = "libsodium failed to initialize";
    return std::nullopt;
  }
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw std::bad_alloc();
  std::unique_ptr<jwt_t, JwtFree> jwt(raw);
  IssuedToken issued;
  issued.token_id = random_token_id();
  const long now_s = static_cast<long>(request.now / 1'000'000);
  const long exp_s = now_s + static_cast<long>(request.ttl.count());
  issued.expires_at = static_cast<Micros>(exp_s) * 1'000'000;
  const std::string role(role_name(request.role));
  bool ok = jwt_add_grant(jwt.get(), "sub", request.subject.c_str()) == 0 &&
            jwt_add_grant(jwt.get(), "role", role.c_str()) == 0 &&
            jwt_add_grant(jwt.get(), "jti", issued.token_id.c_str()) == 0 &&
            jwt_add_grant_int(jwt.get(), "iat", now_s) == 0 &&
            jwt_add_grant_int(jwt.get(), "nbf", now_s) == 0 &&
            jwt_add_grant_int(jwt.get(), "exp", exp_s) == 0;
  if (ok && !request.issuer.empty())
    ok = jwt_add_grant(jwt.get(), "iss", request.issuer.c_str()) == 0;
  if (ok && !request.audience.empty()) {
    ok = jwt_add_grant(jwt.get(), "aud", request.audience.c_str()) == 0;
  }
  ok = ok &&
       jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret.data()),
                   static_cast<int>(secret.size())) == 0;
  char* encoded = ok ? jwt_encode_str(jwt.get()) : nullptr;
  if (encoded == nullptr) {
    *error = "the token could not be signed";
    return std::nullopt;
  }
  issued.token = encoded;
  std::free(encoded);
  return issued;
}

}  // namespace orderd::auth
