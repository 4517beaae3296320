#include "net/catalog_routes.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/net/api_test_util.h"

namespace orderd::net {
namespace {

using CatalogRoutesTest = testing::ApiFixture;

TEST_F(CatalogRoutesTest, CreateThenGetAProduct) {
  auto r = post("/api/v1/products",
                R"({"id": 500, "name": "Premium Widget", "price": 19.99, "stock": 7})");
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.body, R"({"id":500,"name":"Premium Widget","price":19.99,"available":7,"held":0,)"
                    R"("consumed":0,"initial":7,"restocked":0,"returned":0})");
  r = get("/api/v1/products/500");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.str("name"), "Premium Widget");
}

TEST_F(CatalogRoutesTest, DuplicateProductIs409) {
  auto r = post("/api/v1/products", R"({"id": 1, "name": "again", "price": 1, "stock": 1})");
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(r.error(), "product 1 already exists");
}

TEST_F(CatalogRoutesTest, FullCatalogIs409) {
  EngineConfig config;
  config.max_products = 20;
  start(config);
  auto r = post("/api/v1/products", R"({"id": 21, "name": "x", "price": 1, "stock": 1})");
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(r.error(), "the catalog is full (20 products)");
}

TEST_F(CatalogRoutesTest, InvalidProductsAre400) {
  for (const char* body : {
           R"({"name": "x", "price": 1, "stock": 1})",
           R"({"id": 0, "name": "x", "price": 1, "stock": 1})",
           R"({"id": 1.5, "name": "x", "price": 1, "stock": 1})",
           R"({"id": 30, "price": 1, "stock": 1})",
           R"({"id": 30, "name": "", "price": 1, "stock": 1})",
           R"({"id": 30, "name": "x", "stock": 1})",
           R"({"id": 30, "name": "x", "price": -1, "stock": 1})",
           R"({"id": 30, "name": "x", "price": 1e13, "stock": 1})",
           R"({"id": 30, "name": "x", "price": 1})",
           R"({"id": 30, "name": "x", "price": 1, "stock": -1})",
           R"({"id": 30, "name": "x", "price": 1, "stock": 281474976710657})",
       }) {
    auto r = post("/api/v1/products", body);
    EXPECT_EQ(r.status, 400u) << body << " -> " << r.body;
  }
  EXPECT_FALSE(engine->catalog().contains(30));
}

TEST_F(CatalogRoutesTest, ListPagesInIdOrder) {
  auto r = get("/api/v1/products?limit=8");
  ASSERT_EQ(r.status, 200u) << r.body;
  ASSERT_EQ(r.json["products"].Size(), 8u);
  EXPECT_EQ(r.json["products"][0]["id"].GetInt(), 1);
  EXPECT_EQ(r.json["next_after"].GetInt(), 8);
  r = get("/api/v1/products?limit=8&after=16");
  ASSERT_EQ(r.json["products"].Size(), 4u);
  EXPECT_EQ(r.json["products"][0]["id"].GetInt(), 17);
  EXPECT_TRUE(r.json["next_after"].IsNull());
  r = get("/api/v1/products");
  EXPECT_EQ(r.json["products"].Size(), 20u);
  EXPECT_TRUE(r.json["next_after"].IsNull());
}

TEST_F(CatalogRoutesTest, ListRefusesBadPaging) {
  EXPECT_EQ(get("/api/v1/products?limit=0").status, 400u);
  EXPECT_EQ(get("/api/v1/products?limit=1001").status, 400u);
  EXPECT_EQ(get("/api/v1/products?after=x").status, 400u);
}

TEST_F(CatalogRoutesTest, GetUnknownIs404AndNonIdIs400) {
  EXPECT_EQ(get("/api/v1/products/999").status, 404u);
  EXPECT_EQ(get("/api/v1/products/999").error(), "Product not found");
  EXPECT_EQ(get("/api/v1/products/abc").status, 400u);
  EXPECT_EQ(get("/api/v1/products/0").status, 400u);
  EXPECT_EQ(get("/api/v1/products/-1").status, 400u);
}

TEST_F(CatalogRoutesTest, RestockAddsToAvailable) {
  auto r = post("/api/v1/products/3/restock", R"({"quantity": 5})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json["available"].GetInt(), 1005);
  EXPECT_EQ(r.json["restocked"].GetInt(), 5);
}

TEST_F(CatalogRoutesTest, RestockErrors) {
  EXPECT_EQ(post("/api/v1/products/999/restock", R"({"quantity": 5})").status, 404u);
  EXPECT_EQ(post("/api/v1/products/3/restock", R"({"quantity": 0})").status, 400u);
  EXPECT_EQ(post("/api/v1/products/3/restock", R"({"quantity": "5"})").status, 400u);
  EXPECT_EQ(post("/api/v1/products/3/restock", R"({})").status, 400u);
  EXPECT_EQ(post("/api/v1/products/x/restock", R"({"quantity": 5})").status, 400u);
  auto r = post("/api/v1/products/3/restock", R"({"quantity": 281474976710656})");
  EXPECT_EQ(r.status, 409u) << r.body;
}

TEST_F(CatalogRoutesTest, OrdersReserveCatalogStock) {
  ASSERT_EQ(create("O1", "[4, 4]").status, 201u);
  ASSERT_TRUE(testing::wait_until([&] { return order_has_status("O1", OrderStatus::kCompleted); }));
  auto r = get("/api/v1/products/4");
  EXPECT_EQ(r.json["available"].GetInt(), 998);
  EXPECT_EQ(r.json["consumed"].GetInt(), 2);
}

}  // namespace
}  // namespace orderd::net
