#include "auth/token_verifier.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <vector>

#include "tests/support/token_forge.h"

namespace orderd::auth {
namespace {

using orderd::testing::claims;
using orderd::testing::signed_token;
using orderd::testing::unsigned_token;

const std::string kSecret(40, 's');
constexpr long kNow = 1'800'000'000;  // seconds
constexpr Micros kNowMicros = Micros{kNow} * 1'000'000;

JwtConfig cfg(std::string secret, std::string public_key_pem = "", std::string issuer = "",
              std::string audience = "") {
  JwtConfig c;
  c.secret = std::move(secret);
  c.public_key_pem = std::move(public_key_pem);
  c.issuer = std::move(issuer);
  c.audience = std::move(audience);
  return c;
}

std::unique_ptr<TokenVerifier> verifier_with(JwtConfig config) {
  std::string error;
  auto v = TokenVerifier::create(std::move(config), &error);
  EXPECT_NE(v, nullptr) << error;
  return v;
}

std::unique_ptr<TokenVerifier> hs256() { return verifier_with(cfg(kSecret)); }

TEST(TokenVerifier, AcceptsAnHs256TokenAndReadsItsClaims) {
  const auto token =
      signed_token(JWT_ALG_HS256, kSecret, claims("42", "customer", kNow + 60, "\"jti\":\"abc\""));
  const VerifyResult r = hs256()->verify(token, kNowMicros);
  ASSERT_EQ(r.error, TokenError::kNone);
  EXPECT_EQ(r.principal.role, Role::kCustomer);
  EXPECT_EQ(r.principal.subject, "42");
  EXPECT_EQ(r.principal.customer_id, 42u);
  EXPECT_EQ(r.principal.token_id, "abc");
  EXPECT_EQ(r.principal.expires_at, (kNow + 60) * Micros{1'000'000});
}

TEST(TokenVerifier, AcceptsAnAdminByName) {
  const auto token = signed_token(JWT_ALG_HS256, kSecret, claims("ops-alice", "admin", kNow + 60));
  const VerifyResult r = hs256()->verify(token, kNowMicros);
  ASSERT_EQ(r.error, TokenError::kNone);
  EXPECT_TRUE(r.principal.is_admin());
  EXPECT_EQ(r.principal.customer_id, 0u);
}

TEST(TokenVerifier, RefusesAlgNoneEvenWithValidClaims) {
  for (const char* header :
       {R"({"alg":"none","typ":"JWT"})", R"({"alg":"None"})", R"({"alg":"NONE"})"}) {
    const auto token = unsigned_token(header, claims("1", "admin", kNow + 60));
    EXPECT_EQ(hs256()->verify(token, kNowMicros).error, TokenError::kAlgorithmRefused) << header;
  }
}

TEST(TokenVerifier, RefusesAnHs256TokenWhoseSecretIsThePublicKey) {
  const auto rsa = orderd::testing::generate_key_pair("RSA");
  const auto forged = signed_token(JWT_ALG_HS256, rsa.public_pem, claims("1", "admin", kNow + 60));
  EXPECT_EQ(verifier_with(cfg("", rsa.public_pem))->verify(forged, kNowMicros).error,
            TokenError::kAlgorithmRefused);
  EXPECT_EQ(verifier_with(cfg(kSecret, rsa.public_pem))->verify(forged, kNowMicros).error,
            TokenError::kBadSignature);
}

TEST(TokenVerifier, AcceptsRs256AndEs256FromTheConfiguredPublicKey) {
  for (const auto& [type, alg] :
       {std::pair{"RSA", JWT_ALG_RS256}, std::pair{"EC", JWT_ALG_ES256}}) {
    const auto pair = orderd::testing::generate_key_pair(type);
    const auto v = verifier_with(cfg("", pair.public_pem));
    const auto token = signed_token(alg, pair.private_pem, claims("7", "customer", kNow + 60));
    EXPECT_EQ(v->verify(token, kNowMicros).error, TokenError::kNone) << type;
    // Another key of the same type is another issuer.
    const auto other = orderd::testing::generate_key_pair(type);
    const auto foreign = signed_token(alg, other.private_pem, claims("7", "customer", kNow + 60));
    EXPECT_EQ(v->verify(foreign, kNowMicros).error, TokenError::kBadSignature) << type;
    // An HS256 token is refused when no secret is configured.
    const auto hs = signed_token(JWT_ALG_HS256, kSecret, claims("7", "customer", kNow + 60));
    EXPECT_EQ(v->verify(hs, kNowMicros).error, TokenError::kAlgorithmRefused) << type;
  }
}

TEST(TokenVerifier, RefusesATokenSignedWithAnotherSecret) {
  const auto token =
      signed_token(JWT_ALG_HS256, std::string(40, 'x'), claims("1", "admin", kNow + 60));
  EXPECT_EQ(hs256()->verify(token, kNowMicros).error, TokenError::kBadSignature);
}

TEST(TokenVerifier, RefusesATamperedPayload) {
  const auto token = signed_token(JWT_ALG_HS256, kSecret, claims("1", "customer", kNow + 60));
  const std::size_t dot1 = token.find('.'), dot2 = token.rfind('.');
  const std::string tampered = token.substr(0, dot1 + 1) +
                               orderd::testing::base64url(claims("1", "admin", kNow + 60)) +
                               token.substr(dot2);
  EXPECT_EQ(hs256()->verify(tampered, kNowMicros).error, TokenError::kBadSignature);
}

TEST(TokenVerifier, CallsAWellSignedTokenWithInvalidUtf8MalformedNotBadlySigned) {
  // Signed here, by hand: libjwt would refuse to sign such claims.
  const std::string signed_part =
      orderd::testing::base64url(R"({"alg":"HS256","typ":"JWT"})") + "." +
      orderd::testing::base64url("{\"sub\":\"1\",\"role\":\"customer\",\"x\":\"\x81\",\"exp\":" +
                                 std::to_string(kNow + 60) + "}");
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
       reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), mac,
       &length);
  const std::string token =
      signed_part + "." +
      orderd::testing::base64url(std::string(reinterpret_cast<const char*>(mac), length));
  EXPECT_EQ(hs256()->verify(token, kNowMicros).error, TokenError::kMalformed);
}

TEST(TokenVerifier, RefusesDatesWhoseMicrosecondsWouldNotFit) {
  // 9.9e12 s is 9.9e18 us, past the int64 range (found by the jwt fuzz target).
  for (const char* exp : {"9899999999959.99", "1e13", "1e300"}) {
    const std::string body = std::string(R"({"sub":"1","role":"customer","exp":)") + exp + "}";
    const auto token = signed_token(JWT_ALG_HS256, kSecret, body);
    EXPECT_EQ(hs256()->verify(token, kNowMicros).error, TokenError::kBadClaims) << exp;
  }
  const auto far = signed_token(JWT_ALG_HS256, kSecret, claims("1", "customer", 999'999'999'999));
  EXPECT_EQ(hs256()->verify(far, kNowMicros).error, TokenError::kNone);
}

TEST(TokenVerifier, ChecksExpiryWithTheLeeway) {
  const auto v = hs256();  // 60 s of leeway
  const auto token = signed_token(JWT_ALG_HS256, kSecret, claims("1", "admin", kNow));
  EXPECT_EQ(v->verify(token, kNowMicros + 59'000'000).error, TokenError::kNone);
  EXPECT_EQ(v->verify(token, kNowMicros + 61'000'000).error, TokenError::kExpired);
}

TEST(TokenVerifier, RefusesTokensNotYetValidOrIssuedInTheFuture) {
  const auto v = hs256();
  for (const std::string& extra :
       {"\"nbf\":" + std::to_string(kNow + 120), "\"iat\":" + std::to_string(kNow + 120)}) {
    const auto token =
        signed_token(JWT_ALG_HS256, kSecret, claims("1", "admin", kNow + 600, extra));
    EXPECT_EQ(v->verify(token, kNowMicros).error, TokenError::kNotYetValid) << extra;
    EXPECT_EQ(v->verify(token, kNowMicros + 61'000'000).error, TokenError::kNone) << extra;
  }
}

TEST(TokenVerifier, RequiresSubjectRoleAndExpiry) {
  const auto v = hs256();
  const std::string exp = std::to_string(kNow + 60);
  for (const std::string& body : std::vector<std::string>{
           "{\"role\":\"admin\",\"exp\":" + exp + "}", "{\"sub\":\"1\",\"exp\":" + exp + "}",
           std::string("{\"sub\":\"1\",\"role\":\"admin\"}"),
           "{\"sub\":\"1\",\"role\":\"root\",\"exp\":" + exp + "}",
           "{\"sub\":1,\"role\":\"admin\",\"exp\":" + exp + "}",
           "{\"sub\":\"1\",\"role\":\"admin\",\"exp\":\"soon\"}",
           "{\"sub\":\"1\",\"role\":\"admin\",\"exp\":" + exp + ",\"jti\":5}"}) {
    const auto token = signed_token(JWT_ALG_HS256, kSecret, body);
    EXPECT_EQ(v->verify(token, kNowMicros).error, TokenError::kBadClaims) << body;
  }
}

TEST(TokenVerifier, ACustomerSubjectMustBeACustomerId) {
  const auto v = hs256();
  for (const char* sub : {"alice", "0", "042", "-3", "12345678901234567"}) {
    const auto token = signed_token(JWT_ALG_HS256, kSecret, claims(sub, "customer", kNow + 60));
    EXPECT_EQ(v->verify(token, kNowMicros).error, TokenError::kBadClaims) << sub;
  }
}

TEST(TokenVerifier, ChecksIssuerAndAudienceWhenConfigured) {
  const auto v = verifier_with(cfg(kSecret, "", "https://id.example", "orderd"));
  auto with = [](std::string extra) {
    return signed_token(JWT_ALG_HS256, kSecret, claims("1", "admin", kNow + 60, extra));
  };
  EXPECT_EQ(v->verify(with(R"("iss":"https://id.example","aud":"orderd")"), kNowMicros).error,
            TokenError::kNone);
  EXPECT_EQ(v->verify(with(R"("iss":"https://id.example","aud":["x","orderd"])"), kNowMicros).error,
            TokenError::kNone);
  EXPECT_EQ(v->verify(with(R"("iss":"https://evil.example","aud":"orderd")"), kNowMicros).error,
            TokenError::kBadClaims);
  EXPECT_EQ(v->verify(with(R"("iss":"https://id.example","aud":"other")"), kNowMicros).error,
            TokenError::kBadClaims);
  EXPECT_EQ(v->verify(with(R"("aud":"orderd")"), kNowMicros).error, TokenError::kBadClaims);
}

TEST(TokenVerifier, CallsGarbageMalformed) {
  const auto v = hs256();
  for (const std::string& token : std::vector<std::string>{
           std::string(""), std::string("abc"), std::string("a.b"), std::string("a.b.c.d"),
           std::string("!!!.???.###"), orderd::testing::base64url("not json") + ".e30.",
           std::string(kMaxTokenBytes + 1, 'a')}) {
    EXPECT_EQ(v->verify(token, kNowMicros).error, TokenError::kMalformed) << token;
  }
}

TEST(TokenVerifier, RefusesUnusableConfigurations) {
  std::string error;
  EXPECT_EQ(TokenVerifier::create(cfg(""), &error), nullptr);
  EXPECT_NE(error.find("secret"), std::string::npos);
  EXPECT_EQ(TokenVerifier::create(cfg("short"), &error), nullptr);
  EXPECT_NE(error.find("32 bytes"), std::string::npos);
  EXPECT_EQ(TokenVerifier::create(cfg("", "not a key"), &error), nullptr);
  EXPECT_NE(error.find("PEM"), std::string::npos);
  const auto p384 = [] {
    EVP_PKEY* pkey = EVP_EC_gen("P-384");
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, pkey);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    EVP_PKEY_free(pkey);
    return pem;
  }();
  EXPECT_EQ(TokenVerifier::create(cfg("", p384), &error), nullptr);
  EXPECT_NE(error.find("P-256"), std::string::npos);
}

TEST(TokenVerifier, NamesEveryErrorForClients) {
  for (auto e : {TokenError::kMalformed, TokenError::kAlgorithmRefused, TokenError::kBadSignature,
                 TokenError::kExpired, TokenError::kNotYetValid, TokenError::kBadClaims,
                 TokenError::kRevoked}) {
    EXPECT_FALSE(token_error_message(e).empty());
  }
}

}  // namespace
}  // namespace orderd::auth
