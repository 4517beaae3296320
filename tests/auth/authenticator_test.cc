#include "auth/authenticator.h"

#include <gtest/gtest.h>

#include "tests/support/token_forge.h"

namespace orderd::auth {
namespace {

using orderd::testing::claims;
using orderd::testing::signed_token;

const std::string kSecret(32, 'a');
constexpr long kNow = 1'800'000'000;
constexpr Micros kNowMicros = Micros{kNow} * 1'000'000;

class AuthenticatorTest : public ::testing::Test {
 protected:
  AuthenticatorTest() {
    JwtConfig config;
    config.secret = kSecret;
    std::string error;
    authenticator =
        std::make_unique<Authenticator>(TokenVerifier::create(config, &error), revocations);
  }
  AuthResult check(const std::string& header, Micros now = kNowMicros) {
    return authenticator->authenticate(header, now, cache);
  }

  TokenRevocations revocations;
  std::unique_ptr<Authenticator> authenticator;
  VerifiedTokenCache cache;
};

TEST_F(AuthenticatorTest, ReadsABearerHeaderInAnyCase) {
  EXPECT_EQ(bearer_token("Bearer abc"), "abc");
  EXPECT_EQ(bearer_token("bearer   abc"), "abc");
  EXPECT_EQ(bearer_token("BEARER abc"), "abc");
  EXPECT_EQ(bearer_token("Basic dXNlcjpwYXNz"), "");
  EXPECT_EQ(bearer_token("Bearer"), "");
  EXPECT_EQ(bearer_token(""), "");
}

TEST_F(AuthenticatorTest, AMissingOrForeignSchemeIsMissing) {
  EXPECT_TRUE(check("").missing);
  EXPECT_TRUE(check("Basic dXNlcjpwYXNz").missing);
  EXPECT_EQ(check("").principal, nullptr);
}

TEST_F(AuthenticatorTest, AcceptsAValidTokenAndServesItAgainFromTheCache) {
  const std::string token =
      signed_token(JWT_ALG_HS256, kSecret, claims("5", "customer", kNow + 60, R"("jti":"t1")"));
  const AuthResult first = check("Bearer " + token);
  ASSERT_NE(first.principal, nullptr);
  EXPECT_EQ(first.principal->customer_id, 5u);
  ASSERT_NE(cache.find(token, kNowMicros, 0), nullptr);
  const AuthResult again = check("Bearer " + token);
  EXPECT_EQ(again.principal, first.principal);  // the cached entry
}

TEST_F(AuthenticatorTest, ACachedTokenStillExpires) {
  const std::string token = signed_token(JWT_ALG_HS256, kSecret, claims("5", "customer", kNow));
  ASSERT_NE(check("Bearer " + token).principal, nullptr);
  const AuthResult late = check("Bearer " + token, kNowMicros + 61'000'000);
  EXPECT_EQ(late.principal, nullptr);
  EXPECT_EQ(late.error, TokenError::kExpired);
}

TEST_F(AuthenticatorTest, ARevokedTokenIsRefusedEvenOnceCached) {
  const std::string token =
      signed_token(JWT_ALG_HS256, kSecret, claims("5", "customer", kNow + 600, R"("jti":"t2")"));
  ASSERT_NE(check("Bearer " + token).principal, nullptr);
  ASSERT_TRUE(revocations.revoke("t2", (kNow + 600) * Micros{1'000'000}, kNowMicros).ok());
  EXPECT_EQ(check("Bearer " + token).error, TokenError::kRevoked);
  // And one never seen before.
  VerifiedTokenCache fresh;
  EXPECT_EQ(authenticator->authenticate("Bearer " + token, kNowMicros, fresh).error,
            TokenError::kRevoked);
}

TEST_F(AuthenticatorTest, ARevocationOfAnotherTokenKeepsThisOneValid) {
  const std::string token =
      signed_token(JWT_ALG_HS256, kSecret, claims("5", "customer", kNow + 600, R"("jti":"t3")"));
  ASSERT_NE(check("Bearer " + token).principal, nullptr);
  ASSERT_TRUE(revocations.revoke("other", (kNow + 600) * Micros{1'000'000}, kNowMicros).ok());
  EXPECT_NE(check("Bearer " + token).principal, nullptr);
}

TEST_F(AuthenticatorTest, ABadTokenIsNeverCached) {
  const std::string forged =
      signed_token(JWT_ALG_HS256, std::string(32, 'z'), claims("5", "admin", kNow + 60));
  EXPECT_EQ(check("Bearer " + forged).error, TokenError::kBadSignature);
  EXPECT_EQ(cache.find(forged, kNowMicros, 0), nullptr);
}

}  // namespace
}  // namespace orderd::auth
