#include "auth/token_issuer.h"

#include <gtest/gtest.h>

#include "auth/token_verifier.h"

namespace orderd::auth {
namespace {

const std::string kSecret(32, 'k');
constexpr Micros kNow = Micros{1'800'000'000} * 1'000'000;

TokenRequest req(Role role, std::string subject, std::chrono::seconds ttl = std::chrono::hours(1),
                 std::string issuer = "", std::string audience = "") {
  TokenRequest r;
  r.role = role;
  r.subject = std::move(subject);
  r.ttl = ttl;
  r.now = kNow;
  r.issuer = std::move(issuer);
  r.audience = std::move(audience);
  return r;
}

JwtConfig cfg(std::string secret, std::string issuer = "", std::string audience = "") {
  JwtConfig c;
  c.secret = std::move(secret);
  c.issuer = std::move(issuer);
  c.audience = std::move(audience);
  return c;
}

TEST(TokenIssuer, IssuesATokenTheVerifierAccepts) {
  std::string error;
  const auto issued = issue_token(kSecret, req(Role::kAdmin, "ops"), &error);
  ASSERT_TRUE(issued) << error;
  EXPECT_EQ(issued->expires_at, kNow + Micros{3600} * 1'000'000);
  EXPECT_EQ(issued->token_id.size(), 32u);
  const auto verifier = TokenVerifier::create(cfg(kSecret), &error);
  const VerifyResult r = verifier->verify(issued->token, kNow);
  ASSERT_EQ(r.error, TokenError::kNone);
  EXPECT_TRUE(r.principal.is_admin());
  EXPECT_EQ(r.principal.subject, "ops");
  EXPECT_EQ(r.principal.token_id, issued->token_id);
  EXPECT_EQ(verifier->verify(issued->token, kNow + Micros{3661} * 1'000'000).error,
            TokenError::kExpired);
}

TEST(TokenIssuer, GivesEveryTokenItsOwnId) {
  std::string error;
  const TokenRequest request = req(Role::kCustomer, "9");
  EXPECT_NE(issue_token(kSecret, request, &error)->token_id,
            issue_token(kSecret, request, &error)->token_id);
}

TEST(TokenIssuer, SetsIssuerAndAudienceWhenAsked) {
  std::string error;
  const auto issued = issue_token(
      kSecret, req(Role::kCustomer, "9", std::chrono::hours(1), "orderd", "shop"), &error);
  const auto verifier = TokenVerifier::create(cfg(kSecret, "orderd", "shop"), &error);
  EXPECT_EQ(verifier->verify(issued->token, kNow).error, TokenError::kNone);
}

TEST(TokenIssuer, RefusesAShortSecretAnEmptySubjectAndANonPositiveLifetime) {
  std::string error;
  EXPECT_FALSE(issue_token("short", req(Role::kCustomer, "1"), &error));
  EXPECT_FALSE(issue_token(kSecret, req(Role::kCustomer, ""), &error));
  EXPECT_FALSE(issue_token(kSecret, req(Role::kCustomer, "1", std::chrono::seconds(0)), &error));
  EXPECT_NE(error.find("lifetime"), std::string::npos);
}

}  // namespace
}  // namespace orderd::auth
