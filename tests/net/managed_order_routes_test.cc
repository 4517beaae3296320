#include "net/managed_order_routes.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/order_number.h"
#include "tests/net/api_test_util.h"

namespace orderd::net {
namespace {

using testing::ApiFixture;
using testing::Reply;
using testing::wait_until;

// Seed 003's create example, as its README sends it.
constexpr const char* kSeed003Create = R"({
  "customer_id": "cust_123",
  "customer_email": "john.doe@example.com",
  "items": [
    {
      "product_id": "prod_456",
      "product_name": "Premium Widget",
      "quantity": 2,
      "unit_price": 29.99
    }
  ],
  "billing_address": {
    "street": "123 Main St",
    "city": "Seattle",
    "state": "WA",
    "postal_code": "98101",
    "country": "US"
  },
  "payment_info": {
    "method": "credit_card",
    "last_four_digits": "1234"
  },
  "tax_amount": 5.99,
  "shipping_amount": 9.99
})";

// Seed 001's create example.
constexpr const char* kSeed001Create = R"({
  "shipping_address_line1": "123 Main St",
  "shipping_city": "New York",
  "shipping_state": "NY",
  "shipping_postal_code": "10001",
  "shipping_country": "USA",
  "order_items": [
    {"product_id": 1, "quantity": 2},
    {"product_id": 3, "quantity": 1}
  ]
})";

class ManagedOrderRoutesTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    add_widget();
    // Orders stay Pending unless a test lets the workers run.
    engine->pause_workers();
  }
  void TearDown() override { engine->resume_workers(); }

  void add_widget(std::int64_t stock = 100) {
    ASSERT_EQ(engine->catalog().add(456, "Premium Widget", 2999, stock, "prod_456"),
              AddProductResult::kAdded);
  }

  Reply put(std::string target, std::string body) {
    return call(HttpMethod::kPut, std::move(target), std::move(body));
  }
  Reply del(std::string target) { return call(HttpMethod::kDelete, std::move(target)); }
  Reply put_if(std::string target, std::string if_match, std::string body) {
    return call_if_match(HttpMethod::kPut, std::move(target), std::move(if_match), std::move(body));
  }
  std::uint32_t version_of(const std::string& id) { return engine->get(id)->version(); }

  // Creates seed 003's order and returns its client id.
  std::string create003() {
    auto r = post("/api/v1/orders/", kSeed003Create);
    EXPECT_EQ(r.status, 201u) << r.body;
    return r.str("id");
  }

  // Seed 003's body with one member replaced ("key": value) or, with an
  // empty value, removed.
  static std::string seed003_with(const std::string& key, const std::string& value) {
    rapidjson::Document d;
    d.Parse(kSeed003Create);
    d.RemoveMember(key.c_str());
    rapidjson::StringBuffer b;
    rapidjson::Writer<rapidjson::StringBuffer> w(b);
    d.Accept(w);
    std::string body(b.GetString(), b.GetSize());
    if (value.empty()) return body;
    body.pop_back();
    return body + ",\"" + key + "\":" + value + "}";
  }
};

TEST_F(ManagedOrderRoutesTest, Seed003CreateAnswers201WithTheDocument) {
  auto r = post("/api/v1/orders/", kSeed003Create);
  ASSERT_EQ(r.status, 201u) << r.body;
  const auto& j = r.json;
  EXPECT_EQ(r.route, Route::kCreateManagedOrder);
  EXPECT_EQ(r.str("customer_id"), "cust_123");
  EXPECT_EQ(r.str("customer_email"), "john.doe@example.com");
  EXPECT_EQ(r.str("status"), "pending");
  EXPECT_EQ(r.str("currency"), "USD");
  ASSERT_EQ(j["items"].Size(), 1u);
  EXPECT_STREQ(j["items"][0]["product_id"].GetString(), "prod_456");
  EXPECT_STREQ(j["items"][0]["product_name"].GetString(), "Premium Widget");
  EXPECT_NE(r.body.find(R"("subtotal":59.98,"discount_amount":0.0,"tax_amount":5.99,)"
                        R"("shipping_amount":9.99,"total_amount":75.96)"),
            std::string::npos)
      << r.body;
  EXPECT_STREQ(j["billing_address"]["city"].GetString(), "Seattle");
  EXPECT_STREQ(j["payment_info"]["status"].GetString(), "pending");
  EXPECT_EQ(j["version"].GetUint(), 1u);
  EXPECT_TRUE(j["updated_at"].IsNull());
  const std::string number = r.str("order_number");
  EXPECT_TRUE(number.starts_with("ORD-")) << number;

  // The customer was registered by its reference, with the email.
  auto customer = engine->customers().find_by_reference("cust_123");
  ASSERT_TRUE(customer.has_value());
  EXPECT_EQ(customer->email, "john.doe@example.com");
  EXPECT_EQ(j["user_id"].GetUint64(), customer->id);
  // A second order of the same customer finds it again.
  auto again = post("/api/v1/orders", kSeed003Create);
  ASSERT_EQ(again.status, 201u) << again.body;
  EXPECT_EQ(again.json["user_id"].GetUint64(), customer->id);
  EXPECT_NE(again.str("id"), r.str("id"));
}

TEST_F(ManagedOrderRoutesTest, Seed001CreatePricesFromTheCatalog) {
  auto r = post("/api/v1/orders/", kSeed001Create);
  ASSERT_EQ(r.status, 201u) << r.body;
  const auto& j = r.json;
  EXPECT_TRUE(j["order_id"].IsUint64());
  EXPECT_EQ(r.str("shipping_address_line1"), "123 Main St");
  EXPECT_EQ(r.str("shipping_city"), "New York");
  EXPECT_TRUE(j["shipping_address_line2"].IsNull());
  EXPECT_STREQ(j["shipping_address"]["country"].GetString(), "USA");
  EXPECT_EQ(j["user_id"].GetUint64(), 0u);
  // Demo prices: 1 -> 1.99, 3 -> 3.99.
  EXPECT_NE(r.body.find(R"("total_amount":7.97)"), std::string::npos) << r.body;
  EXPECT_EQ(j["items"][0]["product_id"].GetUint64(), 1u);
  EXPECT_EQ(j["items"][0]["quantity"].GetUint(), 2u);
  auto stored = engine->get(OrderKey::by_seq(j["order_id"].GetUint64()));
  ASSERT_TRUE(stored.has_value());
  ASSERT_TRUE(stored->details.has_value());
  EXPECT_EQ(stored->details->shipping_address.postal_code, "10001");
  EXPECT_EQ(engine->catalog().get(1)->held, 2);
}

TEST_F(ManagedOrderRoutesTest, Seed001NamesAKnownCustomerByUserId) {
  CustomerInfo c;
  c.email = "ann@example.com";
  c.member_since = 1;
  auto added = engine->register_customer(c);
  ASSERT_TRUE(added && added->ok());
  std::string body = kSeed001Create;
  body.insert(1, "\"user_id\": " + std::to_string(added->id) + ",");
  auto r = post("/api/v1/orders/", body);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.json["user_id"].GetUint64(), added->id);
  EXPECT_EQ(r.str("customer_email"), "ann@example.com");
  body = kSeed001Create;
  body.insert(1, "\"user_id\": 999,");
  r = post("/api/v1/orders/", body);
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.error(), "unknown customer 999");
}

TEST_F(ManagedOrderRoutesTest, OneBodyShapeOnly) {
  auto r = post("/api/v1/orders/", R"({"items": [], "order_items": []})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.error(), "send order_items (seed 001) or items (seed 003), not both");
  r = post("/api/v1/orders/", R"({"customer_id": "cust_1"})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.error(), "items is required (or order_items)");
}

struct Bad {
  std::string key;
  std::string value;  // empty: the key is removed
  std::string error;
};

TEST_F(ManagedOrderRoutesTest, InvalidSeed003CreatesAre400NamingTheField) {
  const std::string long_city(201, 'x');
  const Bad cases[] = {
      {"customer_email", "", "customer_email is required"},
      {"customer_email", "\"john.example.com\"",
       "customer_email must be an email address (text@domain)"},
      {"customer_email", "\"@example.com\"",
       "customer_email must be an email address (text@domain)"},
      {"customer_email", "\"john@\"", "customer_email must be an email address (text@domain)"},
      {"customer_email", "7", "customer_email must be a string"},
      {"customer_id", "", "customer_id is required"},
      {"customer_id", "true", "customer_id must be a string or an integer"},
      {"customer_id", "-1", "customer_id must not be negative"},
      {"items", "[]", "items must not be empty"},
      {"items", "{}", "items must be an array of items"},
      {"items", "[3]", "items[0] must be an object"},
      {"items", R"([{"quantity": 1}])", "items[0].product_id is required"},
      {"items", R"([{"product_id": true, "quantity": 1}])",
       "items[0].product_id must be a product SKU or a positive integer"},
      {"items", R"([{"product_id": "prod_456"}])", "items[0].quantity is required"},
      {"items", R"([{"product_id": "prod_456", "quantity": -2}])",
       "items[0].quantity must be a positive integer"},
      {"items", R"([{"product_id": "prod_456", "quantity": 0}])",
       "items[0].quantity must be a positive integer"},
      {"items", R"([{"product_id": "prod_456", "quantity": 1000001}])",
       "items[0].quantity must be at most 1000000"},
      {"items", R"([{"product_id": "prod_456", "quantity": "2"}])",
       "items[0].quantity must be a positive integer"},
      {"items", R"([{"product_id": "prod_456", "quantity": 1, "unit_price": -1}])",
       "items[0].unit_price must not be negative"},
      {"items", R"([{"product_id": "prod_456", "quantity": 1, "unit_price": "29.99"}])",
       "items[0].unit_price must be a number"},
      {"billing_address", "", "billing_address is required"},
      {"billing_address", "\"123 Main St\"", "billing_address must be an object"},
      {"billing_address", R"({"city": "Seattle", "postal_code": "1", "country": "US"})",
       "billing_address.street is required"},
      {"billing_address", R"({"street": "1 A St", "postal_code": "1", "country": "US"})",
       "billing_address.city is required"},
      {"billing_address",
       R"({"street": "1 A St", "city": ")" + long_city +
           R"(", "postal_code": "1", "country": "US"})",
       "billing_address.city must be at most 200 bytes long"},
      {"billing_address", R"({"street": 5, "city": "S", "postal_code": "1", "country": "US"})",
       "billing_address.street must be a string"},
      {"shipping_address", R"({"street": "1 A St"})", "shipping_address.city is required"},
      {"payment_info", "", "payment_info is required"},
      {"payment_info", R"({"last_four_digits": "1234"})", "payment_info.method is required"},
      {"payment_info", R"({"method": "credit_card", "last_four_digits": "123"})",
       "payment_info.last_four_digits must be a string of exactly 4 digits"},
      {"payment_info", R"({"method": "credit_card", "last_four_digits": 1234})",
       "payment_info.last_four_digits must be a string of exactly 4 digits"},
      {"payment_info", R"({"method": "credit_card", "last_four_digits": "4111111111111111"})",
       "payment_info.last_four_digits must be the last 4 digits only, never a card number"},
      {"payment_info", R"({"method": "credit_card", "card_number": "4111 1111 1111 1111"})",
       "payment_info.card_number is refused: send only last_four_digits; card numbers are never "
       "stored"},
      {"payment_info", R"({"method": "credit_card", "number": "4111111111111111"})",
       "payment_info.number is refused: send only last_four_digits; card numbers are never "
       "stored"},
      {"card_number", "\"4111111111111111\"",
       "card_number is refused: send only payment_info.last_four_digits; card numbers are never "
       "stored"},
      {"tax_amount", "-5.99", "tax_amount must not be negative"},
      {"tax_amount", "\"5.99\"", "tax_amount must be a number"},
      {"shipping_amount", "-0.01", "shipping_amount must not be negative"},
      {"currency", "\"usd\"", "currency must be 3 uppercase letters (ISO 4217, e.g. USD)"},
      {"currency", "\"DOLLARS\"", "currency must be at most 3 bytes long"},
      {"metadata", "[1]", "metadata must be an object"},
      {"metadata", "{\"k\": \"" + std::string(5000, 'x') + "\"}",
       "metadata must be at most 4096 bytes of JSON"},
  };
  for (const Bad& c : cases) {
    auto r = post("/api/v1/orders/", seed003_with(c.key, c.value));
    EXPECT_EQ(r.status, 400u) << c.key << " " << c.value << ": " << r.body;
    EXPECT_EQ(r.error(), c.error) << c.key << " " << c.value;
    // A refused card number is never repeated back.
    EXPECT_EQ(r.body.find("4111"), std::string::npos) << r.body;
  }
  EXPECT_EQ(post("/api/v1/orders/", "{\"items\": [").status, 400u);
  EXPECT_EQ(post("/api/v1/orders/", "[1]").error(), "the request body must be a JSON object");
  EXPECT_EQ(post("/api/v1/orders/", "").error(), "the request body must be a JSON object");
  EXPECT_EQ(engine->counters().accepted, 0);
  EXPECT_FALSE(engine->customers().find_by_reference("cust_123").has_value());
}

TEST_F(ManagedOrderRoutesTest, InvalidSeed001CreatesAre400NamingTheField) {
  const auto without = [](const std::string& key) {
    std::string body = kSeed001Create;
    const auto at = body.find("\"" + key + "\"");
    const auto end = body.find('\n', at);
    body.erase(at, end - at + 1);
    return body;
  };
  EXPECT_EQ(post("/api/v1/orders/", without("shipping_city")).error(), "shipping_city is required");
  EXPECT_EQ(post("/api/v1/orders/", without("shipping_address_line1")).error(),
            "shipping_address_line1 is required");
  auto r = post("/api/v1/orders/",
                R"({"shipping_address_line1": "1", "shipping_city": "c", "shipping_state": "s",
                    "shipping_postal_code": "p", "shipping_country": "x",
                    "order_items": [{"product_id": "prod_456", "quantity": 1}]})");
  EXPECT_EQ(r.error(), "order_items[0].product_id must be a positive integer");
  r = post("/api/v1/orders/",
           R"({"shipping_address_line1": "1", "shipping_city": "c", "shipping_state": "s",
               "shipping_postal_code": "p", "shipping_country": "x",
               "order_items": [{"product_id": 1, "quantity": 0}]})");
  EXPECT_EQ(r.error(), "order_items[0].quantity must be a positive integer");
  r = post("/api/v1/orders/",
           R"({"shipping_address_line1": "1", "shipping_city": "c", "shipping_state": "s",
               "shipping_postal_code": "p", "shipping_country": "x", "order_items": []})");
  EXPECT_EQ(r.error(), "order_items must not be empty");
  EXPECT_EQ(engine->counters().accepted, 0);
}

TEST_F(ManagedOrderRoutesTest, UnknownProductIs404NamingIt) {
  auto r = post("/api/v1/orders/",
                seed003_with("items", R"([{"product_id": "prod_x", "quantity": 1}])"));
  EXPECT_EQ(r.status, 404u) << r.body;
  EXPECT_EQ(r.error(), "unknown product prod_x");
  EXPECT_EQ(r.str("product_id"), "prod_x");
  r = post("/api/v1/orders/", seed003_with("items", R"([{"product_id": 999, "quantity": 1}])"));
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.error(), "unknown product 999");
  EXPECT_EQ(r.json["product_id"].GetInt(), 999);
}

TEST_F(ManagedOrderRoutesTest, UnknownIntegerCustomerIs404) {
  auto r = post("/api/v1/orders/", seed003_with("customer_id", "42"));
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.error(), "unknown customer 42");
}

TEST_F(ManagedOrderRoutesTest, EmailOfAnotherCustomerIs409) {
  CustomerInfo c;
  c.external_ref = "cust_other";
  c.email = "John.Doe@example.com";
  c.member_since = 1;
  ASSERT_TRUE(engine->register_customer(c)->ok());
  auto r = post("/api/v1/orders/", kSeed003Create);
  EXPECT_EQ(r.status, 409u) << r.body;
  EXPECT_EQ(r.error(), "customer_email belongs to another customer");
  EXPECT_EQ(engine->counters().accepted, 0);
}

TEST_F(ManagedOrderRoutesTest, PriceMismatchIs409WithPriceIssues) {
  auto r = post(
      "/api/v1/orders/",
      seed003_with("items", R"([{"product_id": "prod_456", "quantity": 2, "unit_price": 19.99}])"));
  ASSERT_EQ(r.status, 409u) << r.body;
  EXPECT_FALSE(r.error().empty());
  ASSERT_EQ(r.json["price_issues"].Size(), 1u);
  EXPECT_NE(r.body.find(R"({"product_id":"prod_456","unit_price":19.99,"catalog_price":29.99})"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(engine->catalog().get(456)->held, 0);
}

TEST_F(ManagedOrderRoutesTest, StockShortfallIs409InSeed001Shape) {
  auto r = post("/api/v1/orders/",
                seed003_with("items", R"([{"product_id": "prod_456", "quantity": 500}])"));
  ASSERT_EQ(r.status, 409u) << r.body;
  EXPECT_EQ(r.error(), "Some products have insufficient stock");
  const auto& detail = r.json["detail"];
  EXPECT_STREQ(detail["message"].GetString(), "Some products have insufficient stock");
  ASSERT_EQ(detail["stock_issues"].Size(), 1u);
  const auto& issue = detail["stock_issues"][0];
  EXPECT_STREQ(issue["product_id"].GetString(), "prod_456");
  EXPECT_STREQ(issue["product_name"].GetString(), "Premium Widget");
  EXPECT_EQ(issue["requested"].GetInt(), 500);
  EXPECT_EQ(issue["available"].GetInt(), 100);
  EXPECT_STREQ(issue["error"].GetString(), "Insufficient stock. Available: 100, Requested: 500");
}

TEST_F(ManagedOrderRoutesTest, MetadataAndCurrencyAreKept) {
  auto r = post("/api/v1/orders/", seed003_with("metadata", R"({"gift": true, "n": [1, 2.50]})"));
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_NE(r.body.find(R"("metadata":{"gift":true,"n":[1,2.50]})"), std::string::npos) << r.body;
  r = post("/api/v1/orders/", seed003_with("currency", "\"EUR\""));
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.str("currency"), "EUR");
}

TEST_F(ManagedOrderRoutesTest, GetByClientIdOrSequenceNumber) {
  const std::string id = create003();
  auto r = get("/api/v1/orders/" + id);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.route, Route::kGetManagedOrder);
  EXPECT_EQ(r.str("id"), id);
  const auto seq = r.json["order_id"].GetUint64();
  auto by_seq = get("/api/v1/orders/" + std::to_string(seq));
  ASSERT_EQ(by_seq.status, 200u);
  EXPECT_EQ(by_seq.str("id"), id);
  // A plain seed-004 order reads too, by its client id.
  engine->resume_workers();
  ASSERT_EQ(create("ORD003", "[1, 3]").status, 201u);
  auto plain = get("/api/v1/orders/ORD003");
  ASSERT_EQ(plain.status, 200u);
  EXPECT_NE(plain.body.find(R"("total_amount":59.99)"), std::string::npos) << plain.body;
  EXPECT_EQ(get("/api/v1/orders/nope").status, 404u);
  EXPECT_EQ(get("/api/v1/orders/99999").status, 404u);
  EXPECT_EQ(get("/api/v1/orders/%zz").status, 400u);
}

TEST_F(ManagedOrderRoutesTest, GetForAnotherCustomerIs404) {
  const std::string id = create003();
  EXPECT_EQ(get("/api/v1/orders/" + id + "?customer_id=cust_123").status, 200u);
  auto r = get("/api/v1/orders/" + id + "?customer_id=cust_999");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.body, R"({"error":"Order not found"})");
  const auto user = engine->customers().find_by_reference("cust_123")->id;
  EXPECT_EQ(get("/api/v1/orders/" + id + "?customer_id=" + std::to_string(user)).status, 200u);
  EXPECT_EQ(get("/api/v1/orders/" + id + "?customer_id=" + std::to_string(user + 1)).status, 404u);
}

TEST_F(ManagedOrderRoutesTest, GetByOrderNumber) {
  auto created = post("/api/v1/orders/", kSeed003Create);
  const std::string number = created.str("order_number");
  auto r = get("/api/v1/orders/number/" + number);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.route, Route::kGetOrderByNumber);
  EXPECT_EQ(r.str("id"), created.str("id"));
  EXPECT_EQ(get("/api/v1/orders/number/ORD-20000101-ZZZZZZ").status, 404u);
  EXPECT_EQ(get("/api/v1/orders/number/garbage").status, 404u);
}

TEST_F(ManagedOrderRoutesTest, PutUpdatesDetailsAndStatus) {
  const std::string id = create003();
  auto r = put("/api/v1/orders/" + id, R"({"payment_info": {"status": "paid"},
      "shipping_address": {"street": "9 Pier St", "city": "Tacoma", "state": "WA",
                           "postal_code": "98402", "country": "US"},
      "metadata": {"note": "leave at door"}, "customer_email": "j.doe@example.com"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.route, Route::kUpdateManagedOrder);
  EXPECT_STREQ(r.json["payment_info"]["status"].GetString(), "paid");
  EXPECT_STREQ(r.json["payment_info"]["method"].GetString(), "credit_card");
  EXPECT_STREQ(r.json["shipping_address"]["line1"].GetString(), "9 Pier St");
  EXPECT_STREQ(r.json["metadata"]["note"].GetString(), "leave at door");
  EXPECT_EQ(r.str("customer_email"), "j.doe@example.com");
  EXPECT_EQ(r.json["version"].GetUint(), 2u);
  EXPECT_FALSE(r.json["updated_at"].IsNull());
  // Billing merged field by field.
  r = put("/api/v1/orders/" + id, R"({"billing_address": {"city": "Bellevue"}})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_STREQ(r.json["billing_address"]["city"].GetString(), "Bellevue");
  EXPECT_STREQ(r.json["billing_address"]["street"].GetString(), "123 Main St");
  // Status through the lifecycle: confirm (Completed), then ship.
  r = put("/api/v1/orders/" + id, R"({"status": "confirmed"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.str("status"), "completed");
  r = put("/api/v1/orders/" + id,
          R"({"status": "shipped", "payment_info": {"status": "captured"}})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.str("status"), "shipped");
  EXPECT_STREQ(r.json["payment_info"]["status"].GetString(), "captured");
  EXPECT_FALSE(r.str("shipped_at").empty());
  // Nothing new: the same document, the same version.
  const auto version = r.json["version"].GetUint();
  r = put("/api/v1/orders/" + id, R"({"status": "shipped"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json["version"].GetUint(), version);
}

TEST_F(ManagedOrderRoutesTest, PutRefusals) {
  const std::string id = create003();
  auto r = put("/api/v1/orders/" + id, R"({"tax_amount": 1})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_TRUE(r.error().starts_with("tax_amount cannot be changed")) << r.error();
  EXPECT_EQ(put("/api/v1/orders/" + id, "{}").error(), "the body names nothing to change");
  EXPECT_EQ(put("/api/v1/orders/" + id, R"({"status": "lost"})").status, 400u);
  EXPECT_EQ(put("/api/v1/orders/" + id, R"({"customer_email": "nobody"})").error(),
            "customer_email must be an email address (text@domain)");
  EXPECT_EQ(put("/api/v1/orders/" + id, R"({"billing_address": null})").error(),
            "billing_address cannot be removed");
  EXPECT_EQ(put("/api/v1/orders/" + id, R"({"payment_info": {"card_number": "4111111111111111"}})")
                .error(),
            "payment_info.card_number is refused: send only last_four_digits; card numbers are "
            "never stored");
  EXPECT_EQ(put("/api/v1/orders/nope", R"({"status": "shipped"})").status, 404u);
  // Pending cannot ship: 409 with the allowed moves, and the details in the
  // same body are not applied either.
  r = put("/api/v1/orders/" + id, R"({"status": "shipped", "customer_email": "x@y.z"})");
  ASSERT_EQ(r.status, 409u) << r.body;
  EXPECT_EQ(r.str("status"), "pending");
  EXPECT_TRUE(r.json["allowed"].IsArray());
  EXPECT_EQ(engine->get(id)->details->customer_email, "john.doe@example.com");
  // The version expected is named by If-Match, never by the body.
  r = put("/api/v1/orders/" + id, R"({"customer_email": "x@y.z", "version": 1})");
  ASSERT_EQ(r.status, 400u) << r.body;
  EXPECT_EQ(r.error(), "version is not read from the body: name the version expected in If-Match");
  EXPECT_EQ(engine->get(id)->version(), 1u);
  // Once shipped, the shipping address is fixed.
  ASSERT_EQ(put("/api/v1/orders/" + id, R"({"status": "confirmed"})").status, 200u);
  ASSERT_EQ(put("/api/v1/orders/" + id, R"({"status": "shipped"})").status, 200u);
  r = put("/api/v1/orders/" + id, R"({"shipping_address": {"street": "1 New St", "city": "c",
                                        "postal_code": "p", "country": "US"}})");
  EXPECT_EQ(r.status, 409u) << r.body;
}

TEST_F(ManagedOrderRoutesTest, DeleteCancelsAPendingOrderWhichStaysReadable) {
  const std::string id = create003();
  const auto seq = engine->get(id)->seq;
  auto r = del("/api/v1/orders/" + id);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.route, Route::kDeleteManagedOrder);
  EXPECT_EQ(r.str("message"), "Order " + id + " deleted");
  EXPECT_EQ(r.json["order_id"].GetUint64(), seq);
  EXPECT_EQ(r.str("status"), "cancelled");
  EXPECT_EQ(engine->catalog().get(456)->held, 0);
  auto read = get("/api/v1/orders/" + id);
  ASSERT_EQ(read.status, 200u);
  EXPECT_EQ(read.str("status"), "cancelled");
  EXPECT_EQ(read.str("reason"), "deleted by the client");
  r = del("/api/v1/orders/" + id);
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(r.error(), "Order " + id + " is cancelled: only pending orders can be deleted");
  EXPECT_EQ(del("/api/v1/orders/nope").status, 404u);
}

TEST_F(ManagedOrderRoutesTest, DeleteOfAConfirmedOrderIs409NamingItsStatus) {
  const std::string id = create003();
  ASSERT_EQ(put("/api/v1/orders/" + id, R"({"status": "confirmed"})").status, 200u);
  auto r = del("/api/v1/orders/" + std::to_string(engine->get(id)->seq));
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(r.str("status"), "completed");
  EXPECT_EQ(engine->get(id)->status, OrderStatus::kCompleted);
}

TEST_F(ManagedOrderRoutesTest, CancelBeforeShippingWithAReason) {
  const std::string id = create003();
  auto r = post("/api/v1/orders/" + id + "/cancel", R"({"reason": "changed my mind"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.route, Route::kCancelManagedOrder);
  EXPECT_EQ(r.str("status"), "cancelled");
  EXPECT_EQ(r.str("reason"), "changed my mind");
  EXPECT_FALSE(r.str("cancelled_at").empty());
  // Again: the same answer, nothing new recorded.
  auto again = post("/api/v1/orders/" + id + "/cancel", "");
  EXPECT_EQ(again.status, 200u);
  EXPECT_EQ(again.json["version"].GetUint(), r.json["version"].GetUint());

  const std::string shipped = create003();
  ASSERT_EQ(put("/api/v1/orders/" + shipped, R"({"status": "confirmed"})").status, 200u);
  ASSERT_EQ(put("/api/v1/orders/" + shipped, R"({"status": "shipped"})").status, 200u);
  r = post("/api/v1/orders/" + shipped + "/cancel", "");
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(r.str("status"), "shipped");
  EXPECT_EQ(post("/api/v1/orders/" + id + "/cancel", R"({"reason": 5})").error(),
            "reason must be a string");
  EXPECT_EQ(post("/api/v1/orders/nope/cancel", "").status, 404u);
}

TEST_F(ManagedOrderRoutesTest, Seed001StatusRouteSpellsConfirmed) {
  auto created = post("/api/v1/orders/", kSeed001Create);
  const std::string seq = std::to_string(created.json["order_id"].GetUint64());
  auto r = put("/api/v1/orders/" + seq + "/status", R"({"status": "confirmed"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.route, Route::kSetManagedOrderStatus);
  EXPECT_EQ(r.str("status"), "confirmed");
  r = put("/api/v1/orders/" + seq + "/status", R"({"status": "shipped"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.str("status"), "shipped");
  r = put("/api/v1/orders/" + seq + "/status", R"({"status": "pending"})");
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(r.str("status"), "shipped");
  EXPECT_EQ(put("/api/v1/orders/" + seq + "/status", R"({"status": "lost"})").status, 400u);
  EXPECT_EQ(put("/api/v1/orders/" + seq + "/status", "{}").error(), "status is required");
  r = put("/api/v1/orders/" + seq + "/status", R"({"status": "delivered", "version": 1})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.error(), "version is not read from the body: name the version expected in If-Match");
  EXPECT_EQ(put("/api/v1/orders/nope/status", R"({"status": "shipped"})").status, 404u);
}

TEST_F(ManagedOrderRoutesTest, EventsListTheHistory) {
  const std::string id = create003();
  ASSERT_EQ(put("/api/v1/orders/" + id, R"({"payment_info": {"status": "paid"}})").status, 200u);
  ASSERT_EQ(post("/api/v1/orders/" + id + "/cancel", R"({"reason": "too slow"})").status, 200u);
  auto r = get("/api/v1/orders/" + id + "/events");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.route, Route::kManagedOrderEvents);
  EXPECT_EQ(r.str("id"), id);
  const auto& events = r.json["events"];
  ASSERT_EQ(events.Size(), 3u) << r.body;
  EXPECT_STREQ(events[0]["type"].GetString(), "created");
  EXPECT_EQ(events[0]["version"].GetUint(), 1u);
  EXPECT_STREQ(events[1]["type"].GetString(), "updated");
  EXPECT_STREQ(events[1]["note"].GetString(), "updated by the client");
  EXPECT_STREQ(events[2]["type"].GetString(), "status_changed");
  EXPECT_STREQ(events[2]["from"].GetString(), "pending");
  EXPECT_STREQ(events[2]["status"].GetString(), "cancelled");
  EXPECT_STREQ(events[2]["by"].GetString(), "client");
  EXPECT_STREQ(events[2]["note"].GetString(), "too slow");
  EXPECT_EQ(events[2]["version"].GetUint(), 3u);
  EXPECT_EQ(get("/api/v1/orders/nope/events").status, 404u);
}

TEST_F(ManagedOrderRoutesTest, WorkersMoveManagedOrdersOnLikeAnyOther) {
  const std::string id = create003();
  engine->resume_workers();
  ASSERT_TRUE(wait_until([&] { return order_has_status(id, OrderStatus::kCompleted); }));
  auto r = get("/api/v1/orders/" + id + "/events");
  const auto& events = r.json["events"];
  ASSERT_EQ(events.Size(), 3u) << r.body;
  EXPECT_STREQ(events[1]["status"].GetString(), "processing");
  EXPECT_STREQ(events[1]["by"].GetString(), "engine");
  engine->pause_workers();
}

// --- Versions, ETag and If-Match --------------------------------------------

TEST_F(ManagedOrderRoutesTest, EveryAnswerAboutOneOrderCarriesItsVersionAsETag) {
  auto created = post("/api/v1/orders/", kSeed003Create);
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(created.etag, R"("1")");
  EXPECT_EQ(created.json["version"].GetUint(), 1u);
  const std::string id = created.str("id");
  const std::string seq = std::to_string(engine->get(id)->seq);
  EXPECT_EQ(get("/api/v1/orders/" + id).etag, R"("1")");
  EXPECT_EQ(get("/api/v1/orders/" + seq).etag, R"("1")");
  EXPECT_EQ(get("/api/v1/orders/number/" + created.str("order_number")).etag, R"("1")");

  auto r = put("/api/v1/orders/" + id, R"({"metadata": {"gift": true}})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.etag, R"("2")");
  EXPECT_EQ(r.json["version"].GetUint(), 2u);
  r = put("/api/v1/orders/" + id + "/status", R"({"status": "confirmed"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  // Confirming a Pending order passes through Processing: two versions.
  EXPECT_EQ(r.etag, R"("4")");
  EXPECT_EQ(r.json["version"].GetUint(), 4u);
  r = post("/api/v1/orders/" + id + "/cancel", "");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.etag, R"("5")");
  EXPECT_EQ(r.json["version"].GetUint(), 5u);
  EXPECT_EQ(get("/api/v1/orders/" + id).etag, R"("5")");

  const std::string pending = create003();
  r = del("/api/v1/orders/" + pending);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.etag, R"("2")");
  EXPECT_EQ(r.json["version"].GetUint(), 2u);
  // Errors carry none (but 412, below).
  EXPECT_EQ(get("/api/v1/orders/nope").etag, "");
}

TEST_F(ManagedOrderRoutesTest, IfMatchOfTheCurrentVersionApplies) {
  const std::string id = create003();
  auto r = put_if("/api/v1/orders/" + id, R"("1")", R"({"customer_email": "x@y.z"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.etag, R"("2")");
  // A PUT that changes details and status expects the version once: the
  // status move expects the version the details update left.
  r = put_if("/api/v1/orders/" + id, r.etag,
             R"({"customer_email": "a@b.c", "status": "cancelled"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.str("status"), "cancelled");
  EXPECT_EQ(r.etag, R"("4")");
  EXPECT_EQ(r.str("customer_email"), "a@b.c");

  const std::string seq = std::to_string(engine->get(create003())->seq);
  r = put_if("/api/v1/orders/" + seq + "/status", R"("1")", R"({"status": "confirmed"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  r = call_if_match(HttpMethod::kPost, "/api/v1/orders/" + seq + "/cancel", r.etag);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.str("status"), "cancelled");

  const std::string deleted = create003();
  r = call_if_match(HttpMethod::kDelete, "/api/v1/orders/" + deleted, R"("1")");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.str("status"), "cancelled");
}

TEST_F(ManagedOrderRoutesTest, IfMatchOfAnotherVersionIs412AndChangesNothing) {
  const std::string id = create003();
  ASSERT_EQ(put("/api/v1/orders/" + id, R"({"metadata": {"a": 1}})").status, 200u);
  const auto before = engine->get(id);
  ASSERT_EQ(before->version(), 2u);
  struct Attempt {
    HttpMethod method;
    std::string target;
    std::string body;
  };
  const Attempt attempts[] = {
      {HttpMethod::kPut, "/api/v1/orders/" + id, R"({"customer_email": "x@y.z"})"},
      {HttpMethod::kPut, "/api/v1/orders/" + id, R"({"status": "cancelled"})"},
      {HttpMethod::kPut, "/api/v1/orders/" + id + "/status", R"({"status": "confirmed"})"},
      {HttpMethod::kPost, "/api/v1/orders/" + id + "/cancel", ""},
      {HttpMethod::kDelete, "/api/v1/orders/" + id, ""},
  };
  for (const Attempt& a : attempts) {
    for (const char* stale : {R"("1")", R"("3")", R"(W/"1")"}) {
      auto r = call_if_match(a.method, a.target, stale, a.body);
      ASSERT_EQ(r.status, 412u) << a.target << " " << stale << " " << r.body;
      EXPECT_EQ(r.json["version"].GetUint(), 2u);
      EXPECT_EQ(r.str("status"), "pending");
      EXPECT_EQ(r.etag, R"("2")");
      EXPECT_FALSE(r.error().empty());
    }
  }
  const auto after = engine->get(id);
  EXPECT_EQ(after->version(), 2u);
  EXPECT_EQ(after->status, OrderStatus::kPending);
  EXPECT_EQ(after->details->customer_email, before->details->customer_email);
}

TEST_F(ManagedOrderRoutesTest, StarAndAbsentIfMatchCheckNothing) {
  const std::string id = create003();
  auto r = put_if("/api/v1/orders/" + id, "*", R"({"customer_email": "x@y.z"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  r = put("/api/v1/orders/" + id, R"({"customer_email": "a@b.c"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  r = put_if("/api/v1/orders/" + id + "/status", " * ", R"({"status": "confirmed"})");
  ASSERT_EQ(r.status, 200u) << r.body;
  r = call_if_match(HttpMethod::kPost, "/api/v1/orders/" + id + "/cancel", "*");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(version_of(id), 6u);
  const std::string other = create003();
  EXPECT_EQ(call_if_match(HttpMethod::kDelete, "/api/v1/orders/" + other, "*").status, 200u);
}

TEST_F(ManagedOrderRoutesTest, IfMatchNamingNoVersionOfOursIs412) {
  const std::string id = create003();
  for (const char* garbage :
       {"abc", R"("abc")", R"("0")", R"("1", "2")", R"("-1")", R"(")", R"("99999999999")"}) {
    auto r = put_if("/api/v1/orders/" + id, garbage, R"({"customer_email": "x@y.z"})");
    ASSERT_EQ(r.status, 412u) << garbage << " " << r.body;
    EXPECT_EQ(r.json["version"].GetUint(), 1u);
    EXPECT_EQ(r.etag, R"("1")");
    EXPECT_EQ(
        put_if("/api/v1/orders/" + id + "/status", garbage, R"({"status": "confirmed"})").status,
        412u);
    EXPECT_EQ(call_if_match(HttpMethod::kPost, "/api/v1/orders/" + id + "/cancel", garbage).status,
              412u);
    EXPECT_EQ(call_if_match(HttpMethod::kDelete, "/api/v1/orders/" + id, garbage).status, 412u);
  }
  EXPECT_EQ(version_of(id), 1u);
  EXPECT_EQ(engine->get(id)->status, OrderStatus::kPending);
  // No such order is still 404, whatever the tag.
  EXPECT_EQ(put_if("/api/v1/orders/nope", "abc", R"({"customer_email": "x@y.z"})").status, 404u);
}

TEST_F(ManagedOrderRoutesTest, StockCheckReportsLowAndEmptyProducts) {
  auto r = get("/api/v1/orders/health/stock-check");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.route, Route::kStockCheck);
  EXPECT_EQ(r.str("status"), "ok");
  EXPECT_EQ(r.json["products"].GetInt(), 21);
  EXPECT_EQ(r.json["out_of_stock"].GetInt(), 0);
  EXPECT_EQ(r.json["low_stock"].Size(), 0u);
  ASSERT_EQ(engine->catalog().add(500, "Scarce", 100, 3, "scarce"), AddProductResult::kAdded);
  r = get("/api/v1/orders/health/stock-check");
  EXPECT_EQ(r.str("status"), "low_stock");
  ASSERT_EQ(r.json["low_stock"].Size(), 1u);
  EXPECT_STREQ(r.json["low_stock"][0]["product_id"].GetString(), "scarce");
  EXPECT_EQ(r.json["low_stock"][0]["available"].GetInt(), 3);
  ASSERT_EQ(engine->catalog().add(501, "Gone", 100, 0), AddProductResult::kAdded);
  r = get("/api/v1/orders/health/stock-check");
  EXPECT_EQ(r.str("status"), "out_of_stock");
  EXPECT_EQ(r.json["out_of_stock"].GetInt(), 1);
  EXPECT_EQ(r.json["low_stock_count"].GetInt(), 2);
}

TEST_F(ManagedOrderRoutesTest, StockCheckListsAtMost100) {
  EngineConfig config;
  config.max_products = 2048;
  start(config, {}, {.products = 1500, .stock = 1});
  auto r = call(HttpMethod::kGet, "/api/v1/orders/health/stock-check", "", false);
  EXPECT_TRUE(r.needs_blocking);
  r = get("/api/v1/orders/health/stock-check");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.json["products"].GetInt(), 1500);
  EXPECT_EQ(r.json["low_stock_count"].GetInt(), 1500);
  EXPECT_EQ(r.json["low_stock"].Size(), 100u);
  engine->pause_workers();  // TearDown resumes
}

TEST_F(ManagedOrderRoutesTest, PathsAndMethods) {
  const std::string id = create003();
  auto r = call(HttpMethod::kPatch, "/api/v1/orders/" + id);
  EXPECT_EQ(r.status, 405u);
  EXPECT_EQ(r.allow, "GET, HEAD, PUT, DELETE");
  r = call(HttpMethod::kPut, "/api/v1/orders/");
  EXPECT_EQ(r.status, 405u);
  EXPECT_EQ(r.allow, "GET, HEAD, POST");
  EXPECT_EQ(get("/api/v1/orders/" + id + "/cancel").allow, "POST");
  EXPECT_EQ(get("/api/v1/orders/" + id + "/status").allow, "PUT");
  EXPECT_EQ(post("/api/v1/orders/" + id + "/events", "").allow, "GET, HEAD");
  EXPECT_EQ(get("/api/v1/orders/" + id + "/nothing").status, 404u);
  EXPECT_EQ(get("/api/v1/orders/" + id + "/events/x").status, 404u);
  EXPECT_EQ(call(HttpMethod::kHead, "/api/v1/orders/" + id).status, 200u);
}

TEST_F(ManagedOrderRoutesTest, StatisticsGiveTheOrdersFiguresAndStageTimes) {
  const std::string id = create003();
  auto pending = get("/api/v1/orders/" + id + "/statistics");
  ASSERT_EQ(pending.status, 200u) << pending.body;
  EXPECT_EQ(pending.json["line_items"].GetUint(), 1u);
  EXPECT_EQ(pending.json["total_quantity"].GetUint(), 2u);
  EXPECT_DOUBLE_EQ(pending.json["subtotal"].GetDouble(), 59.98);
  EXPECT_DOUBLE_EQ(pending.json["total_amount"].GetDouble(), 75.96);
  EXPECT_DOUBLE_EQ(pending.json["average_unit_price"].GetDouble(), 29.99);
  EXPECT_TRUE(pending.json["stage_seconds"]["pending"].IsNull());  // not over yet
  EXPECT_EQ(pending.json["events"].GetUint(), 1u);
  EXPECT_EQ(pending.etag, "\"1\"");

  engine->resume_workers();
  ASSERT_TRUE(wait_until([&] { return engine->get(id)->status == OrderStatus::kCompleted; }));
  auto done = get("/api/v1/orders/" + id + "/statistics");
  EXPECT_STREQ(done.json["status"].GetString(), "completed");
  EXPECT_TRUE(done.json["stage_seconds"]["pending"].IsNumber());
  EXPECT_TRUE(done.json["stage_seconds"]["processing"].IsNumber());
  EXPECT_TRUE(done.json["stage_seconds"]["awaiting_shipment"].IsNull());
  EXPECT_EQ(done.json["events"].GetUint(), 3u);
  engine->pause_workers();

  EXPECT_EQ(get("/api/v1/orders/nope/statistics").status, 404u);
  EXPECT_EQ(post("/api/v1/orders/" + id + "/statistics", "{}").status, 405u);
}

}  // namespace
}  // namespace orderd::net
