#include "net/customer_routes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/net/api_test_util.h"

namespace orderd::net {
namespace {

using testing::ApiFixture;
using testing::Reply;

class CustomerRoutesTest : public ApiFixture {
 protected:
  Reply register_one(const std::string& body) { return post("/register_customer", body); }
};

TEST_F(CustomerRoutesTest, RegisterAnswers201WithTheSeedFields) {
  auto r = register_one(
      R"({"name": "Customer Name", "email": "email@example.com", "phone_number": "1234567890"})");
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.str("message"), "Customer registered");
  EXPECT_EQ(r.str("name"), "Customer Name");
  EXPECT_EQ(r.str("email"), "email@example.com");
  EXPECT_EQ(r.str("phone_number"), "1234567890");
  const auto id = r.json["customer_id"].GetUint64();
  auto stored = engine->customers().get(id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->email, "email@example.com");
  EXPECT_EQ(stored->phone, "1234567890");
  EXPECT_GT(stored->member_since, 0);
  EXPECT_FALSE(stored->implicit);
}

TEST_F(CustomerRoutesTest, RegisterWithoutPhoneAnswersNullPhone) {
  auto r = register_one(R"({"name": "A", "email": "a@example.com"})");
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_TRUE(r.json["phone_number"].IsNull());
}

TEST_F(CustomerRoutesTest, TakenEmailIs409WhateverItsCase) {
  ASSERT_EQ(register_one(R"({"name": "A", "email": "same@example.com"})").status, 201u);
  auto r = register_one(R"({"name": "B", "email": "SAME@Example.com"})");
  EXPECT_EQ(r.status, 409u) << r.body;
  EXPECT_EQ(r.error(), "email is already registered");
  EXPECT_EQ(engine->customers().size(), 1u);
}

struct BadCustomer {
  const char* body;
  const char* error;
};

TEST_F(CustomerRoutesTest, InvalidRegistrationsAre400NamingTheField) {
  const std::string long_name(201, 'n');
  const std::string long_email = std::string(250, 'e') + "@x.io";
  const std::string long_phone(33, '1');
  const BadCustomer cases[] = {
      {R"({"email": "a@example.com"})", "name is required"},
      {R"({"name": "A"})", "email is required"},
      {R"({"name": 7, "email": "a@example.com"})", "name must be a string"},
      {R"({"name": "A", "email": "example.com"})",
       "email must be an address like name@example.com"},
      {R"({"name": "A", "email": "a@"})", "email must be an address like name@example.com"},
      {R"({"name": "A", "email": "@example.com"})",
       "email must be an address like name@example.com"},
      {R"({"name": "A", "email": "a@example.com", "phone_number": "12ab"})",
       "phone_number may contain only digits, '+', '-' and spaces"},
      {R"({"name": "A", "email": "a@example.com", "phone_number": 123})",
       "phone_number must be a string"},
  };
  for (const auto& c : cases) {
    auto r = register_one(c.body);
    EXPECT_EQ(r.status, 400u) << c.body;
    EXPECT_EQ(r.error(), c.error) << c.body;
  }
  auto r = register_one(R"({"name": ")" + long_name + R"(", "email": "a@example.com"})");
  EXPECT_EQ(r.error(), "name must be at most 200 bytes long");
  r = register_one(R"({"name": "A", "email": ")" + long_email + R"("})");
  EXPECT_EQ(r.error(), "email must be at most 254 bytes long");
  r = register_one(R"({"name": "A", "email": "a@example.com", "phone_number": ")" + long_phone +
                   R"("})");
  EXPECT_EQ(r.error(), "phone_number must be at most 32 bytes long");
  EXPECT_EQ(engine->customers().size(), 0u);
}

TEST_F(CustomerRoutesTest, CreateAnswersTheCustomerDocument) {
  auto r = post("/api/v1/customers",
                R"({"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com",
                    "city": "London", "external_ref": "cust_123", "phone_number": "+44 1"})");
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.str("name"), "Ada Lovelace");
  EXPECT_EQ(r.str("first_name"), "Ada");
  EXPECT_EQ(r.str("last_name"), "Lovelace");
  EXPECT_EQ(r.str("city"), "London");
  EXPECT_EQ(r.str("phone"), "+44 1");
  EXPECT_EQ(r.str("external_ref"), "cust_123");
  EXPECT_EQ(r.str("member_since").size(), 27u);
  EXPECT_FALSE(r.json["implicit"].GetBool());
  const auto id = r.json["id"].GetUint64();

  auto by_id = get("/api/v1/customers/" + std::to_string(id));
  ASSERT_EQ(by_id.status, 200u);
  EXPECT_EQ(by_id.body, r.body);
  auto by_ref = get("/api/v1/customers/cust_123");
  ASSERT_EQ(by_ref.status, 200u);
  EXPECT_EQ(by_ref.body, r.body);
}

TEST_F(CustomerRoutesTest, TakenReferenceIs409) {
  ASSERT_EQ(post("/api/v1/customers",
                 R"({"name": "A", "email": "a@example.com", "external_ref": "cust_1"})")
                .status,
            201u);
  auto r = post("/api/v1/customers",
                R"({"name": "B", "email": "b@example.com", "external_ref": "cust_1"})");
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(r.error(), "external_ref is already taken");
  r = post("/api/v1/customers",
           R"({"name": "B", "email": "b@example.com", "external_ref": "a b"})");
  EXPECT_EQ(r.status, 400u);
}

TEST_F(CustomerRoutesTest, UnknownCustomerIs404) {
  EXPECT_EQ(get("/api/v1/customers/99").status, 404u);
  EXPECT_EQ(get("/api/v1/customers/cust_nope").error(), "Customer not found");
  EXPECT_EQ(get("/api/v1/customers/%zz").status, 400u);
}

TEST_F(CustomerRoutesTest, ListPagesByIdWithNextAfter) {
  for (int i = 0; i < 5; ++i) {
    const std::string body =
        R"({"name": "C", "email": "c)" + std::to_string(i) + R"(@example.com"})";
    ASSERT_EQ(register_one(body).status, 201u);
  }
  auto r = get("/api/v1/customers?limit=2");
  ASSERT_EQ(r.status, 200u) << r.body;
  ASSERT_EQ(r.json["customers"].Size(), 2u);
  EXPECT_EQ(r.json["customers"][0]["id"].GetUint64(), 1u);
  EXPECT_EQ(r.json["next_after"].GetUint64(), 2u);
  r = get("/api/v1/customers?after=4&limit=2");
  ASSERT_EQ(r.json["customers"].Size(), 1u);
  EXPECT_EQ(r.json["customers"][0]["id"].GetUint64(), 5u);
  EXPECT_TRUE(r.json["next_after"].IsNull());
  r = get("/api/v1/customers");
  EXPECT_EQ(r.json["customers"].Size(), 5u);
  EXPECT_EQ(get("/api/v1/customers?limit=0").status, 400u);
  EXPECT_EQ(get("/api/v1/customers?limit=1001").status, 400u);
  EXPECT_EQ(get("/api/v1/customers?after=x").status, 400u);
}

// The engine keeps a registered customer's password hash (made by the auth
// layer); no response may carry it, nor say that there is one.
TEST_F(CustomerRoutesTest, NoResponseShowsACustomersPasswordHash) {
  const std::string hash = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$qLml5cbNqNz3eP4YbSUsLQ";
  CustomerInfo c;
  c.external_ref = "cust_ada";
  c.name = "Ada Lovelace";
  c.email = "ada@example.com";
  c.city = "London";
  c.member_since = wall_clock_micros();
  c.password_hash = hash;
  auto added = engine->register_customer(c);
  ASSERT_TRUE(added && added->ok());
  const std::string id = std::to_string(added->id);
  ASSERT_EQ(create("ada-1", "[1, 2]", "39.99", id).status, 201u);
  ASSERT_TRUE(
      testing::wait_until([&] { return order_has_status("ada-1", OrderStatus::kCompleted); }));
  const auto managed = post("/api/v1/orders",
                            R"({"customer_id": "cust_ada", "customer_email": "ada@example.com",
                  "items": [{"product_id": 3, "quantity": 1}],
                  "billing_address": {"street": "1 Main St", "city": "London",
                                      "postal_code": "N1", "country": "GB"},
                  "payment_info": {"method": "credit_card", "last_four_digits": "1234"}})");
  ASSERT_EQ(managed.status, 201u) << managed.body;
  const std::string managed_id = managed.str("id");

  const std::vector<std::string> targets = {
      "/api/v1/customers/" + id,
      "/api/v1/customers/cust_ada",
      "/api/v1/customers",
      "/api/customers/" + id + "/orders",
      "/api/customers/" + id + "/order-history",
      "/order_history/" + id,
      "/api/v1/orders/customers/" + id + "/orders",
      "/api/v1/orders/my-orders?customer_id=" + id,
      "/api/v1/orders/" + managed_id,
      "/api/v1/orders",
      "/api/v1/orders/export",
      "/api/v1/orders/export?format=csv",
      "/api/v1/analytics/customers/" + id,
      "/api/v1/analytics/customers/top",
  };
  for (const std::string& target : targets) {
    const Reply r = get(target);
    EXPECT_EQ(r.status, 200u) << target << ": " << r.body;
    // Each shows some of the customer: the check looks where the hash would be.
    const bool shows_customer = r.body.find("ada@example.com") != std::string::npos ||
                                r.body.find("Ada Lovelace") != std::string::npos ||
                                r.body.find("cust_ada") != std::string::npos;
    EXPECT_TRUE(shows_customer) << target << ": " << r.body;
    for (const char* secret : {"argon2", "c2FsdHNhbHQ", "password"}) {
      EXPECT_EQ(r.body.find(secret), std::string::npos) << target << " shows " << secret;
    }
  }
  // And registering over HTTP answers none of it either.
  const auto registered = post("/api/v1/customers", R"({"name": "B", "email": "b@example.com"})");
  ASSERT_EQ(registered.status, 201u);
  EXPECT_EQ(registered.body.find("password"), std::string::npos) << registered.body;
}

TEST_F(CustomerRoutesTest, WrongMethodIs405) {
  auto r = call(HttpMethod::kGet, "/register_customer");
  EXPECT_EQ(r.status, 405u);
  EXPECT_EQ(r.allow, "POST");
  EXPECT_EQ(call(HttpMethod::kDelete, "/api/v1/customers").allow, "GET, HEAD, POST");
}

}  // namespace
}  // namespace orderd::net
