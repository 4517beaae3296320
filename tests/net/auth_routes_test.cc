#include "net/auth_routes.h"

#include <gtest/gtest.h>

#include "tests/net/auth_test_util.h"

namespace orderd::net {
namespace {

using testing::AuthFixture;
using testing::Reply;

class AuthRoutes : public AuthFixture {
 protected:
  Reply log_in(const std::string& body) {
    as("");
    return post("/api/v1/auth/token", body);
  }
};

TEST_F(AuthRoutes, ACustomerLogsInWithEmailAndPasswordAndGetsAWorkingToken) {
  const Reply r = log_in(R"({"email": "alice@example.com", "password": "alice-password-1"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(r.needs_blocking);  // the hash check runs off the I/O thread
  EXPECT_EQ(r.str("token_type"), "bearer");
  EXPECT_EQ(r.json["expires_in"].GetUint64(), 3600u);
  EXPECT_EQ(r.json["customer_id"].GetUint64(), 1u);
  as(r.str("access_token"));
  const Reply me = get("/api/v1/auth/me");
  ASSERT_EQ(me.status, 200u);
  EXPECT_EQ(me.str("role"), "customer");
  EXPECT_EQ(me.json["customer_id"].GetUint64(), 1u);
  EXPECT_EQ(get("/api/v1/orders/3").status, 200u);
  EXPECT_EQ(get("/api/v1/orders/4").status, 404u);
}

TEST_F(AuthRoutes, ALoginAcceptsUsernameOrCustomerIdToo) {
  EXPECT_EQ(log_in(R"({"username": "alice@example.com", "password": "alice-password-1"})").status,
            200u);
  EXPECT_EQ(log_in(R"({"customer_id": 1, "password": "alice-password-1"})").status, 200u);
}

TEST_F(AuthRoutes, AWrongPasswordAnUnknownEmailAndNoPasswordAllGetTheSame401) {
  const Reply wrong = log_in(R"({"email": "alice@example.com", "password": "wrong-password"})");
  const Reply unknown = log_in(R"({"email": "nobody@example.com", "password": "whatever-1"})");
  const Reply none = log_in(R"({"email": "bob@example.com", "password": "whatever-1"})");
  for (const Reply* r : {&wrong, &unknown, &none}) {
    EXPECT_EQ(r->status, 401u);
    EXPECT_EQ(r->error(), "the email or password is wrong");
    EXPECT_FALSE(r->www_authenticate.empty());
  }
}

TEST_F(AuthRoutes, AMalformedLoginIs400) {
  EXPECT_EQ(log_in(R"({"email": "alice@example.com"})").status, 400u);
  EXPECT_EQ(log_in(R"({"password": "alice-password-1"})").status, 400u);
  EXPECT_EQ(log_in(R"({"email": "alice@example.com", "password": 5})").status, 400u);
  EXPECT_EQ(log_in("not json").status, 400u);
}

TEST_F(AuthRoutes, RegisteringWithAPasswordLetsTheCustomerLogIn) {
  const Reply made = post("/api/v1/customers",
                          R"({"name": "Carol", "email": "carol@example.com",
                              "password": "carol-secret-1"})");
  ASSERT_EQ(made.status, 201u) << made.body;
  EXPECT_TRUE(made.needs_blocking);
  EXPECT_EQ(made.body.find("carol-secret-1"), std::string::npos);
  EXPECT_EQ(made.body.find("argon2"), std::string::npos);
  const std::uint64_t id = made.json["id"].GetUint64();
  EXPECT_TRUE(engine->customers().get(id)->password_hash.starts_with("$argon2id$"));
  const Reply r = log_in(R"({"email": "carol@example.com", "password": "carol-secret-1"})");
  ASSERT_EQ(r.status, 200u);
  as(r.str("access_token"));
  EXPECT_EQ(get("/api/v1/customers/" + std::to_string(id)).status, 200u);
  // Seed 002's registration takes one too.
  EXPECT_EQ(post("/register_customer",
                 R"({"name": "Dan", "email": "dan@example.com", "password": "dan-secret-1"})")
                .status,
            201u);
  EXPECT_EQ(log_in(R"({"email": "dan@example.com", "password": "dan-secret-1"})").status, 200u);
}

TEST_F(AuthRoutes, AShortOrNonStringPasswordIsRefused) {
  Reply r =
      post("/api/v1/customers", R"({"name": "E", "email": "e@example.com", "password": "short"})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.error(), "password must be at least 8 bytes");
  r = post("/api/v1/customers", R"({"name": "E", "email": "e@example.com", "password": 12345678})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_FALSE(engine->customers().find_by_email("e@example.com"));
}

TEST_F(AuthRoutes, LoggingOutRevokesTheTokenAtOnce) {
  const std::string token = customer_a();
  as(token);
  ASSERT_EQ(get("/api/v1/auth/me").status, 200u);
  const Reply out = post("/api/v1/auth/logout", "");
  ASSERT_EQ(out.status, 200u) << out.body;
  EXPECT_EQ(out.str("revoked"), "jti-a");
  const Reply after = get("/api/v1/auth/me");
  EXPECT_EQ(after.status, 401u);
  EXPECT_EQ(after.error(), "the token has been revoked");
  EXPECT_NE(after.www_authenticate.find("invalid_token"), std::string::npos);
  // Other tokens are untouched.
  as(customer_b());
  EXPECT_EQ(get("/api/v1/auth/me").status, 200u);
}

TEST_F(AuthRoutes, ATokenWithoutAnIdCannotBeRevokedAndSaysSo) {
  as(token("1", "customer"));
  const Reply r = post("/api/v1/auth/logout", "");
  EXPECT_EQ(r.status, 400u);
  EXPECT_NE(r.error().find("jti"), std::string::npos);
}

TEST_F(AuthRoutes, AnAdminRevokesAnyTokenById) {
  as(admin());
  const Reply r = post("/api/v1/auth/revoke", R"({"jti": "jti-b"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(engine->revocations().revoked("jti-b"));
  as(customer_b());
  EXPECT_EQ(get("/api/v1/orders/4").status, 401u);
  as(admin());
  EXPECT_EQ(post("/api/v1/auth/revoke", R"({"jti": ""})").status, 400u);
  EXPECT_EQ(post("/api/v1/auth/revoke", R"({"jti": "x", "expires_at": "soon"})").status, 400u);
}

TEST_F(AuthRoutes, ALoginIsNotFoundWithAuthenticationOff) {
  start({});
  const Reply r = post("/api/v1/auth/token", R"({"email": "a@example.com", "password": "x"})");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(get("/api/v1/auth/me").str("authentication"), "off");
}

TEST_F(AuthRoutes, TheMetricsPageOpensForScrapersWhenConfigured) {
  as("");
  EXPECT_EQ(get("/metrics").status, 401u);
  AuthSettings settings;
  settings.metrics_open = true;
  start_authenticated(settings);
  as("");
  EXPECT_EQ(get("/metrics").status, 200u);
}

TEST_F(AuthRoutes, RepeatedRequestsWithOneTokenAreLimitedPerSubject) {
  ApiLimits limits;
  limits.rate_limit.per_second = 0.001;
  limits.rate_limit.burst = 10;     // the fixture's admin sends 4
  start_authenticated({}, limits);  // loopback addresses are not limited by address
  as(customer_a());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(get("/api/v1/auth/me").status, 200u) << i;
  const Reply r = get("/api/v1/auth/me");
  EXPECT_EQ(r.status, 429u);
  EXPECT_NE(r.error().find("token subject"), std::string::npos);
  as(customer_b());  // another subject has its own bucket
  EXPECT_EQ(get("/api/v1/auth/me").status, 200u);
}

}  // namespace
}  // namespace orderd::net
