#include "net/order_document.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "engine/order_number.h"

namespace orderd::net {
namespace {

class OrderDocumentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(catalog.add(456, "Premium Widget", 2999, 10, "prod_456"), AddProductResult::kAdded);
    ASSERT_EQ(catalog.add(3, "Plain Gadget", 500, 10), AddProductResult::kAdded);
  }

  rapidjson::Document write(const OrderSnapshot& o, const CustomerInfo* c,
                            StatusSpelling spelling = StatusSpelling::kLowercase) {
    JsonBuffer buffer;
    JsonWriter w(buffer);
    write_order_document(w, o, c, catalog, spelling);
    text.assign(buffer.GetString(), buffer.GetSize());
    rapidjson::Document d;
    d.Parse(text.c_str());
    EXPECT_FALSE(d.HasParseError()) << text;
    return d;
  }

  static OrderSnapshot managed() {
    OrderSnapshot o;
    o.seq = 7;
    o.client_id = "order_7";
    o.user_id = 12;
    o.items = {{3, 1, 500}, {456, 2, 2999}};
    o.catalog_subtotal = 6498;
    o.discount = 0;
    o.at[timestamp_index(OrderTimestamp::kCreated)] = 1'768'989'600'000'000;  // 2026-01-21
    OrderDetails d;
    d.customer_email = "john.doe@example.com";
    d.tax = 599;
    d.shipping = 999;
    d.billing_address = {"123 Main St", "", "Seattle", "WA", "98101", "US"};
    d.shipping_address = {"1 Dock Rd", "Unit 2", "Tacoma", "WA", "98402", "US"};
    d.payment = {"credit_card", "pending", "1234"};
    d.metadata = R"({"gift":true})";
    o.details = d;
    return o;
  }

  Catalog catalog{64};
  std::string text;
};

TEST_F(OrderDocumentTest, ManagedOrderCarriesBothSeedsFields) {
  CustomerInfo c;
  c.id = 12;
  c.external_ref = "cust_123";
  const OrderSnapshot o = managed();
  auto d = write(o, &c);
  EXPECT_STREQ(d["id"].GetString(), "order_7");
  EXPECT_EQ(d["order_id"].GetUint64(), 7u);
  EXPECT_EQ(d["order_number"].GetString(),
            format_order_number(7, o.timestamp(OrderTimestamp::kCreated)));
  EXPECT_STREQ(d["customer_id"].GetString(), "cust_123");
  EXPECT_EQ(d["user_id"].GetUint64(), 12u);
  EXPECT_STREQ(d["customer_email"].GetString(), "john.doe@example.com");
  EXPECT_STREQ(d["status"].GetString(), "pending");
  ASSERT_EQ(d["items"].Size(), 2u);
  EXPECT_EQ(d["items"][0]["product_id"].GetUint64(), 3u);
  EXPECT_STREQ(d["items"][1]["product_id"].GetString(), "prod_456");
  EXPECT_STREQ(d["items"][1]["product_name"].GetString(), "Premium Widget");
  EXPECT_NE(text.find(R"("quantity":2,"unit_price":29.99,"total_price":59.98,"subtotal":59.98)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"("subtotal":64.98,"discount_amount":0.0,"tax_amount":5.99,)"
                      R"("shipping_amount":9.99,"total_amount":80.96,"currency":"USD")"),
            std::string::npos)
      << text;
  EXPECT_STREQ(d["shipping_address"]["line1"].GetString(), "1 Dock Rd");
  EXPECT_STREQ(d["shipping_address_line2"].GetString(), "Unit 2");
  EXPECT_STREQ(d["shipping_city"].GetString(), "Tacoma");
  EXPECT_STREQ(d["billing_address"]["street"].GetString(), "123 Main St");
  EXPECT_FALSE(d["billing_address"].HasMember("line2"));
  EXPECT_STREQ(d["payment_info"]["last_four_digits"].GetString(), "1234");
  EXPECT_TRUE(d["metadata"]["gift"].GetBool());
  EXPECT_EQ(d["version"].GetUint(), 1u);
  EXPECT_STREQ(d["created_at"].GetString(), "2026-01-21T10:00:00.000000Z");
  EXPECT_STREQ(d["order_date"].GetString(), d["created_at"].GetString());
  EXPECT_TRUE(d["updated_at"].IsNull());
  EXPECT_FALSE(d.HasMember("shipped_at"));
  EXPECT_FALSE(d.HasMember("reason"));
}

TEST_F(OrderDocumentTest, CustomerIdIsTheIntegerWithoutAReference) {
  OrderSnapshot o = managed();
  EXPECT_EQ(write(o, nullptr)["customer_id"].GetUint64(), 12u);
  CustomerInfo c;
  c.id = 12;
  EXPECT_EQ(write(o, &c)["customer_id"].GetUint64(), 12u);
}

TEST_F(OrderDocumentTest, ReachedStatesAndReasonAppear) {
  OrderSnapshot o = managed();
  o.status = OrderStatus::kCancelled;
  o.at[timestamp_index(OrderTimestamp::kProcessingStarted)] = 1'768'989'601'000'000;
  o.at[timestamp_index(OrderTimestamp::kCompleted)] = 1'768'989'602'000'000;
  o.at[timestamp_index(OrderTimestamp::kCancelled)] = 1'768'989'603'000'000;
  o.reason = "changed my mind";
  auto d = write(o, nullptr);
  EXPECT_STREQ(d["status"].GetString(), "cancelled");
  EXPECT_STREQ(d["completed_at"].GetString(), "2026-01-21T10:00:02.000000Z");
  EXPECT_STREQ(d["cancelled_at"].GetString(), "2026-01-21T10:00:03.000000Z");
  EXPECT_STREQ(d["updated_at"].GetString(), "2026-01-21T10:00:03.000000Z");
  EXPECT_STREQ(d["reason"].GetString(), "changed my mind");
  EXPECT_FALSE(d.HasMember("shipped_at"));
}

TEST_F(OrderDocumentTest, Seed001SpellsCompletedAsConfirmed) {
  OrderSnapshot o = managed();
  o.status = OrderStatus::kCompleted;
  EXPECT_STREQ(write(o, nullptr, StatusSpelling::kConfirmed)["status"].GetString(), "confirmed");
  EXPECT_STREQ(write(o, nullptr)["status"].GetString(), "completed");
}

TEST_F(OrderDocumentTest, PlainOrderShowsTheClientTotalAndNullsForWhatItLacks) {
  OrderSnapshot o;
  o.seq = 2;
  o.client_id = "ORD003";
  o.user_id = 1;
  o.items = {{3, 2, 0}};
  o.client_total = 5999;
  o.at[timestamp_index(OrderTimestamp::kCreated)] = 1'768'989'600'000'000;
  auto d = write(o, nullptr);
  EXPECT_NE(text.find(R"("total_amount":59.99)"), std::string::npos) << text;
  EXPECT_TRUE(d["subtotal"].IsNull());
  EXPECT_TRUE(d["items"][0]["unit_price"].IsNull());
  EXPECT_TRUE(d["customer_email"].IsNull());
  EXPECT_TRUE(d["shipping_address"].IsNull());
  EXPECT_TRUE(d["shipping_city"].IsNull());
  EXPECT_TRUE(d["billing_address"].IsNull());
  EXPECT_TRUE(d["payment_info"].IsNull());
  EXPECT_TRUE(d["metadata"].IsNull());
  EXPECT_STREQ(d["currency"].GetString(), "USD");
  EXPECT_STREQ(d["items"][0]["product_name"].GetString(), "Plain Gadget");
}

TEST_F(OrderDocumentTest, ProductRefIsTheSkuWhenThereIsOne) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartArray();
  write_product_ref(w, catalog, 456);
  write_product_ref(w, catalog, 3);
  write_product_ref(w, catalog, 999);
  w.EndArray();
  EXPECT_STREQ(buffer.GetString(), R"(["prod_456",3,999])");
}

}  // namespace
}  // namespace orderd::net
