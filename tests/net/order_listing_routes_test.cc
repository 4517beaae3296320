#include "net/order_listing_routes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "net/order_export.h"
#include "net/read_model_params.h"
#include "tests/net/api_test_util.h"

namespace orderd::net {
namespace {

using testing::ApiFixture;
using testing::Reply;

class OrderListingRoutesTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    // Orders stay Pending unless a test moves them.
    engine->pause_workers();
  }
  void TearDown() override { engine->resume_workers(); }

  // A plain order of `user` for `total`; returns its integer order id.
  std::uint64_t order(const std::string& id, int user, const std::string& total) {
    const Reply r = create(id, "[1]", total, std::to_string(user));
    EXPECT_EQ(r.status, 201u) << r.body;
    return engine->get(id)->seq;
  }

  // The order ids of a listing answer, in order.
  static std::vector<std::uint64_t> ids(const Reply& r) {
    std::vector<std::uint64_t> out;
    if (!r.json.IsObject() || !r.json["orders"].IsArray()) return out;
    for (const auto& o : r.json["orders"].GetArray()) out.push_back(o["order_id"].GetUint64());
    return out;
  }

  // Creates orders 1..n for users 1 and 2 alternately, totals 10, 20, ...
  std::vector<std::uint64_t> some_orders(int n) {
    std::vector<std::uint64_t> seqs;
    for (int i = 1; i <= n; ++i) {
      seqs.push_back(order("o" + std::to_string(i), 1 + (i % 2), std::to_string(10 * i)));
    }
    return seqs;
  }
};

TEST_F(OrderListingRoutesTest, ListsEveryOrderNewestFirstWithAnExactTotal) {
  const auto seqs = some_orders(5);
  const Reply r = get("/api/v1/orders/");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(ids(r), std::vector<std::uint64_t>(seqs.rbegin(), seqs.rend()));
  EXPECT_EQ(r.json["total"].GetUint64(), 5u);
  EXPECT_EQ(r.json["page"].GetUint64(), 1u);
  EXPECT_EQ(r.json["page_size"].GetUint64(), kDefaultListingPage);
  EXPECT_EQ(r.json["pages"].GetUint64(), 1u);
  EXPECT_FALSE(r.json["has_more"].GetBool());
  EXPECT_TRUE(r.json["next_cursor"].IsNull());
  EXPECT_EQ(std::string(r.json["orders"][0]["status"].GetString()), "pending");
  // Without the trailing slash too.
  EXPECT_EQ(ids(get("/api/v1/orders")), ids(r));
}

TEST_F(OrderListingRoutesTest, FiltersByStatusCustomerAndAmount) {
  const auto seqs = some_orders(6);  // user 2: o1 o3 o5 (10, 30, 50); user 1: o2 o4 o6
  ASSERT_EQ(engine->cancel(OrderKey::by_seq(seqs[2]), "test").error, CancelError::kNone);
  ASSERT_EQ(engine->cancel(OrderKey::by_seq(seqs[3]), "test").error, CancelError::kNone);

  Reply r = get("/api/v1/orders/?status=cancelled");
  EXPECT_EQ(ids(r), (std::vector<std::uint64_t>{seqs[3], seqs[2]}));
  EXPECT_EQ(r.json["total"].GetUint64(), 2u);
  r = get("/api/v1/orders/?status=pending,cancelled&user_id=2");
  EXPECT_EQ(ids(r), (std::vector<std::uint64_t>{seqs[4], seqs[2], seqs[0]}));
  r = get(
      "/api/v1/orders/?status=pending&status=cancelled&customer_id=1&min_amount=30&max_amount=60");
  EXPECT_EQ(ids(r), (std::vector<std::uint64_t>{seqs[5], seqs[3]}));
  r = get("/api/v1/orders/?min_amount=50.00");
  EXPECT_EQ(ids(r), (std::vector<std::uint64_t>{seqs[5], seqs[4]}));
  // Seed 001's admin example, verbatim.
  r = get("/api/v1/orders/?status=pending&user_id=123&min_amount=50.00");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.json["total"].GetUint64(), 0u);
  // An unknown external reference matches no order.
  r = get("/api/v1/orders/?customer_id=cust_nobody");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.json["total"].GetUint64(), 0u);
}

TEST_F(OrderListingRoutesTest, FiltersByCreationDate) {
  some_orders(3);
  const Micros now = engine->get("o1")->timestamp(OrderTimestamp::kCreated);
  char today[11];
  format_day(static_cast<std::uint32_t>(now / 86'400'000'000), today);
  EXPECT_EQ(get(std::string("/api/v1/orders/?start_date=") + today + "&end_date=" + today)
                .json["total"]
                .GetUint64(),
            3u);
  EXPECT_EQ(get("/api/v1/orders/?end_date=2001-01-01").json["total"].GetUint64(), 0u);
  EXPECT_EQ(get("/api/v1/orders/?start_date=2001-01-01T00:00:00Z").json["total"].GetUint64(), 3u);
}

TEST_F(OrderListingRoutesTest, SortsByAmountStatusAndUpdateInEitherDirection) {
  const auto seqs = some_orders(4);
  ASSERT_EQ(engine->cancel(OrderKey::by_seq(seqs[1]), "test").error, CancelError::kNone);
  EXPECT_EQ(ids(get("/api/v1/orders/?sort_by=total_amount&sort_order=asc")),
            (std::vector<std::uint64_t>{seqs[0], seqs[1], seqs[2], seqs[3]}));
  EXPECT_EQ(ids(get("/api/v1/orders/?sort_by=total_amount&sort_order=DESC")),
            (std::vector<std::uint64_t>{seqs[3], seqs[2], seqs[1], seqs[0]}));
  // Lifecycle order, ties by order id: Pending before Cancelled.
  EXPECT_EQ(ids(get("/api/v1/orders/?sort_by=status&sort_order=asc")),
            (std::vector<std::uint64_t>{seqs[0], seqs[2], seqs[3], seqs[1]}));
  // Only the cancelled one was changed since creation.
  EXPECT_EQ(ids(get("/api/v1/orders/?sort_by=updated_at")).front(), seqs[1]);
}

TEST_F(OrderListingRoutesTest, PagesBySkipAndLimitByPageAndByCursorAlike) {
  const auto seqs = some_orders(7);
  const std::vector<std::uint64_t> newest(seqs.rbegin(), seqs.rend());
  Reply r = get("/api/v1/orders/?skip=2&limit=3");
  EXPECT_EQ(ids(r), std::vector<std::uint64_t>(newest.begin() + 2, newest.begin() + 5));
  EXPECT_EQ(r.json["skip"].GetUint64(), 2u);
  EXPECT_EQ(r.json["limit"].GetUint64(), 3u);
  EXPECT_TRUE(r.json["has_more"].GetBool());
  r = get("/api/v1/orders/?page=3&page_size=3");
  EXPECT_EQ(ids(r), std::vector<std::uint64_t>{newest[6]});
  EXPECT_EQ(r.json["pages"].GetUint64(), 3u);
  EXPECT_FALSE(r.json["has_more"].GetBool());

  std::vector<std::uint64_t> walked;
  std::string target = "/api/v1/orders/?page_size=2";
  for (int pages = 0; pages < 10; ++pages) {
    r = get(target);
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json["total"].GetUint64(), 7u);
    for (auto id : ids(r)) walked.push_back(id);
    if (r.json["next_cursor"].IsNull()) break;
    target = std::string("/api/v1/orders/?page_size=2&cursor=") + r.json["next_cursor"].GetString();
  }
  EXPECT_EQ(walked, newest);
}

TEST_F(OrderListingRoutesTest, TheCursorIsStableWhileNewOrdersArrive) {
  some_orders(4);
  Reply first = get("/api/v1/orders/?page_size=2&sort_order=asc");
  ASSERT_TRUE(first.json["next_cursor"].IsString());
  const std::string cursor = first.json["next_cursor"].GetString();
  const std::uint64_t late = order("late", 1, "5");
  Reply second = get("/api/v1/orders/?page_size=2&sort_order=asc&cursor=" + cursor);
  EXPECT_EQ(ids(second),
            (std::vector<std::uint64_t>{engine->get("o3")->seq, engine->get("o4")->seq}));
  EXPECT_EQ(second.json["total"].GetUint64(), 5u);
  EXPECT_NE(ids(second).back(), late);
}

TEST_F(OrderListingRoutesTest, ACustomersOrdersByIdOrReference) {
  ASSERT_EQ(post("/api/v1/customers",
                 R"({"name": "Ann Lee", "email": "ann@example.com", "external_ref": "cust_ann"})")
                .status,
            201u);
  const CustomerId ann = engine->customers().find_by_reference("cust_ann")->id;
  const std::uint64_t mine = order("a1", static_cast<int>(ann), "12");
  order("other", 999, "13");
  for (std::string who : {std::string("cust_ann"), std::to_string(ann)}) {
    const Reply r = get("/api/v1/orders/customers/" + who + "/orders");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(ids(r), std::vector<std::uint64_t>{mine});
  }
  EXPECT_EQ(get("/api/v1/orders/customers/cust_nobody/orders").status, 404u);
  EXPECT_EQ(
      get("/api/v1/orders/customers/cust_ann/orders?status=shipped").json["total"].GetUint64(), 0u);
}

TEST_F(OrderListingRoutesTest, MyOrdersAreTheNamedCustomersAndNoneWithoutOne) {
  const auto seqs = some_orders(3);
  Reply r = get("/api/v1/orders/my-orders?skip=0&limit=10");  // seed 001, verbatim
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json["total"].GetUint64(), 0u);
  r = get("/api/v1/orders/my-orders?user_id=2&skip=0&limit=10");
  EXPECT_EQ(ids(r), (std::vector<std::uint64_t>{seqs[2], seqs[0]}));
}

TEST_F(OrderListingRoutesTest, BadParametersAre400NamingThem) {
  some_orders(3);
  const Reply page = get("/api/v1/orders/?page_size=1");
  const std::string cursor = page.json["next_cursor"].GetString();
  const std::pair<std::string, std::string> cases[] = {
      {"status=lost", "status"},
      {"sort_by=price", "sort_by"},
      {"sort_order=up", "sort_order"},
      {"page=0", "page"},
      {"page_size=1001", "page_size"},
      {"limit=0", "limit"},
      {"skip=-1", "skip"},
      {"skip=1&page=2", "page"},
      {"skip=100001", "next_cursor"},
      {"cursor=zz", "cursor"},
      {"cursor=" + cursor + "&sort_order=asc", "cursor"},
      {"cursor=" + cursor + "&page=2", "cursor"},
      {"start_date=2026-13-01", "start_date"},
      {"end_date=yesterday", "end_date"},
      {"min_amount=-1", "min_amount"},
      {"max_amount=ten", "max_amount"},
      {"user_id=", "user_id"},
      {"sort_by=%zz", "%-escape"},
  };
  for (const auto& [query, named] : cases) {
    const Reply r = get("/api/v1/orders/?" + query);
    EXPECT_EQ(r.status, 400u) << query;
    EXPECT_NE(r.error().find(named), std::string::npos) << query << ": " << r.error();
  }
}

TEST_F(OrderListingRoutesTest, WithoutReadModelsTheListingIs503) {
  api->attach_views(nullptr);
  EXPECT_EQ(get("/api/v1/orders/").status, 503u);
}

// --- Export -------------------------------------------------------------------------

std::vector<std::string> lines_of(const std::string& body) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = body.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(body.substr(start, end - start));
  }
  EXPECT_EQ(start, body.size()) << "the last line ends with a newline";
  return lines;
}

TEST_F(OrderListingRoutesTest, ExportStreamsEveryMatchingOrderOldestFirstAsJsonLines) {
  const auto seqs = some_orders(5);
  ASSERT_EQ(engine->cancel(OrderKey::by_seq(seqs[1]), "test").error, CancelError::kNone);
  Reply r = get("/api/v1/orders/export");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(r.streamed);
  EXPECT_EQ(r.content_type, "application/x-ndjson");
  const auto lines = lines_of(r.body);
  ASSERT_EQ(lines.size(), 5u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    rapidjson::Document d;
    d.Parse(lines[i].c_str());
    ASSERT_FALSE(d.HasParseError()) << lines[i];
    EXPECT_EQ(d["order_id"].GetUint64(), seqs[i]);
  }
  // The listing's filters apply.
  r = get("/api/v1/orders/export?status=cancelled");
  EXPECT_EQ(lines_of(r.body).size(), 1u);
  r = get("/api/v1/orders/export?user_id=2&min_amount=20");
  EXPECT_EQ(lines_of(r.body).size(), 2u);  // o3 (30) and o5 (50)
  r = get("/api/v1/orders/export?customer_id=cust_nobody");
  EXPECT_EQ(r.body, "");
}

TEST_F(OrderListingRoutesTest, ExportAsCsvHasAHeaderRowAndQuotesWhatNeedsIt) {
  order("plain", 1, "12.5");
  // Seed 001's create, shipping to a city whose name needs quoting.
  const Reply managed = post("/api/v1/orders/", R"({
    "shipping_address_line1": "1 Rue Ici", "shipping_city": "Paris, \"Rive\" Gauche",
    "shipping_state": "IDF", "shipping_postal_code": "75001", "shipping_country": "FR",
    "order_items": [{"product_id": 2, "quantity": 1}]})");
  ASSERT_EQ(managed.status, 201u) << managed.body;
  const Reply r = get("/api/v1/orders/export?format=csv");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.content_type, "text/csv; charset=utf-8");
  const auto lines = lines_of(r.body);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0] + "\n", std::string(kCsvHeader));
  EXPECT_TRUE(lines[1].starts_with("1,plain,ORD-")) << lines[1];
  EXPECT_NE(lines[1].find(",pending,USD,1,"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find(",12.5,"), std::string::npos) << lines[1];
  EXPECT_TRUE(lines[2].starts_with("2,order_2,ORD-")) << lines[2];
  EXPECT_TRUE(lines[2].ends_with(",\"Paris, \"\"Rive\"\" Gauche\"")) << lines[2];
}

TEST_F(OrderListingRoutesTest, ExportOfManyOrdersComesInPiecesOfBoundedSize) {
  for (int i = 0; i < 1200; ++i) {
    ASSERT_EQ(create("m" + std::to_string(i), "[" + std::to_string(1 + i % 20) + "]").status, 201u);
  }
  HttpRequest request;
  request.method = HttpMethod::kGet;
  request.target = "/api/v1/orders/export";
  HttpResponse response;
  ASSERT_EQ(handler->handle(request, response), HandleOutcome::kDone);
  ASSERT_TRUE(response.stream);
  std::size_t pieces = 0, lines = 0;
  std::string piece;
  for (bool more = true; more;) {
    piece.clear();
    more = response.stream->next(piece);
    EXPECT_LT(piece.size(), kStreamPieceBytes + 8 * 1024);
    lines += static_cast<std::size_t>(std::count(piece.begin(), piece.end(), '\n'));
    ++pieces;
  }
  EXPECT_EQ(lines, 1200u);
  EXPECT_GT(pieces, 2u);
}

TEST_F(OrderListingRoutesTest, ExportRefusesWhatDoesNotApplyToIt) {
  for (std::string query : {"format=xml", "sort_by=status", "page=2", "limit=5", "status=lost"}) {
    const Reply r = get("/api/v1/orders/export?" + query);
    EXPECT_EQ(r.status, 400u) << query;
    EXPECT_FALSE(r.streamed) << query;
  }
}

}  // namespace
}  // namespace orderd::net
