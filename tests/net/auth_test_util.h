// An ApiFixture whose requests are authenticated (--auth jwt): customers A
// and B, each with orders, and tokens of every kind to send.
#pragma once

#include <memory>
#include <string>

#include "auth/authenticator.h"
#include "auth/password_hash.h"
#include "engine/order_number.h"
#include "tests/net/api_test_util.h"
#include "tests/support/token_forge.h"

namespace orderd::net::testing {

inline const std::string kTestSecret = "0123456789abcdef0123456789abcdef";
inline constexpr const char* kPasswordA = "alice-password-1";

class AuthFixture : public ApiFixture {
 protected:
  void SetUp() override { start_authenticated(); }
  void TearDown() override {
    if (engine) engine->resume_workers();
  }

  void start_authenticated(AuthSettings settings = {}, ApiLimits limits = {}) {
    EngineConfig config;
    start(config, limits);
    engine->pause_workers();  // orders stay Pending: every change stays possible
    auth::JwtConfig jwt;
    jwt.secret = kTestSecret;
    std::string error;
    authenticator = std::make_unique<auth::Authenticator>(auth::TokenVerifier::create(jwt, &error),
                                                          engine->revocations());
    api->attach_auth(authenticator.get(), settings);
    handler = std::make_unique<ApiHandler>(*api);
    add_customers_and_orders();
  }

  // Customer 1 (A, "cust_a", with a password) and 2 (B, "cust_b"), each with
  // a seed-004 order ("a-1", "b-1": seqs 1, 2) and a managed one (seqs 3, 4).
  void add_customers_and_orders() {
    CustomerInfo a;
    a.name = "Alice";
    a.email = "alice@example.com";
    a.external_ref = "cust_a";
    static const std::string hash_a = auth::hash_password(kPasswordA);  // hashing is slow
    a.password_hash = hash_a;
    CustomerInfo b;
    b.name = "Bob";
    b.email = "bob@example.com";
    b.external_ref = "cust_b";
    ASSERT_EQ(engine->register_customer(a)->id, 1u);
    ASSERT_EQ(engine->register_customer(b)->id, 2u);
    as(admin());
    ASSERT_EQ(create("a-1", "[1]", "10", "1").status, 201u);
    ASSERT_EQ(create("b-1", "[1]", "10", "2").status, 201u);
    const Reply managed = post("/api/v1/orders", managed_order_body(1));
    ASSERT_EQ(managed.status, 201u) << managed.body;
    ASSERT_EQ(post("/api/v1/orders", managed_order_body(2)).status, 201u);
    const auto managed_a = engine->get(OrderKey::by_seq(3));
    number_a = format_order_number(managed_a->seq, managed_a->timestamp(OrderTimestamp::kCreated));
    authorization.clear();
  }

  static std::string managed_order_body(CustomerId customer) {
    return R"({"customer_id": )" + std::to_string(customer) + R"(, "customer_email": "c)" +
           std::to_string(customer) +
           R"(@example.com", "items": [{"product_id": 2, "quantity": 1, "unit_price": 2.99}],
              "billing_address": {"street": "1 Main St", "city": "Seattle", "state": "WA",
                                   "postal_code": "98101", "country": "US"},
              "payment_info": {"method": "credit_card", "last_four_digits": "1234"}})";
  }

  static long now_seconds() { return static_cast<long>(wall_clock_micros() / 1'000'000); }

  static std::string token(std::string_view sub, std::string_view role, long ttl = 600,
                           std::string_view jti = "") {
    std::string extra = "\"iat\":" + std::to_string(now_seconds());
    if (!jti.empty()) extra += ",\"jti\":\"" + std::string(jti) + "\"";
    return orderd::testing::signed_token(
        JWT_ALG_HS256, kTestSecret, orderd::testing::claims(sub, role, now_seconds() + ttl, extra));
  }
  static std::string customer_a() { return token("1", "customer", 600, "jti-a"); }
  static std::string customer_b() { return token("2", "customer", 600, "jti-b"); }
  static std::string admin() { return token("ops", "admin", 600, "jti-admin"); }
  static std::string bad_signature() {
    return orderd::testing::signed_token(
        JWT_ALG_HS256, std::string(32, 'x'),
        orderd::testing::claims("ops", "admin", now_seconds() + 600));
  }
  static std::string expired() { return token("ops", "admin", -3600); }
  static std::string alg_none() {
    return orderd::testing::unsigned_token(
        R"({"alg":"none","typ":"JWT"})",
        orderd::testing::claims("ops", "admin", now_seconds() + 600));
  }

  // Sends `token` with the requests that follow ("" sends none).
  void as(const std::string& token) { authorization = token.empty() ? "" : "Bearer " + token; }

  std::unique_ptr<auth::Authenticator> authenticator;
  std::string number_a;  // customer A's managed order's number
};

}  // namespace orderd::net::testing
