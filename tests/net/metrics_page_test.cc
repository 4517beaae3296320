// GET /metrics: the page parses as the Prometheus text format, every family
// is described, histograms are well formed, values follow the engine and
// the HTTP layer, and promtool accepts the page as it is served.
#include "net/metrics_page.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "persistence/durability.h"
#include "tests/net/api_test_util.h"
#include "tests/persistence/fault_injection_file_system.h"
#include "tests/persistence/temp_dir.h"

namespace orderd::net {
namespace {

using testing::ApiFixture;

// --- A small parser for the text format, strict enough to catch mistakes ---

struct Sample {
  std::string name;  // with any _bucket/_sum/_count suffix
  std::map<std::string, std::string> labels;
  std::string value;

  double number() const { return std::stod(value); }
  // The labels without le, identifying one histogram series.
  std::string series() const {
    std::string out;
    for (const auto& [k, v] : labels) {
      if (k != "le") out += k + "=" + v + ",";
    }
    return out;
  }
};

struct Family {
  std::string help;
  std::string type;
  std::vector<Sample> samples;
};

// le is a number: "1e-04" and "0.0001" are the same bound.
bool same_label_value(const std::string& key, const std::string& a, const std::string& b) {
  return key == "le" ? std::stod(a) == std::stod(b) : a == b;
}

struct Page {
  std::map<std::string, Family> families;
  std::vector<std::string> order;  // family names as they appear
  std::vector<std::string> errors;

  const Family* find(const std::string& name) const {
    auto it = families.find(name);
    return it == families.end() ? nullptr : &it->second;
  }
  // The value of the sample `name` whose labels include `labels`; -1 if none.
  double value(const std::string& family, const std::string& name,
               const std::map<std::string, std::string>& labels = {}) const {
    const Family* f = find(family);
    if (f == nullptr) return -1;
    for (const Sample& s : f->samples) {
      if (s.name != name) continue;
      bool match = true;
      for (const auto& [k, v] : labels) {
        auto it = s.labels.find(k);
        match = match && it != s.labels.end() && same_label_value(k, it->second, v);
      }
      if (match) return s.number();
    }
    return -1;
  }
  double value(const std::string& name,
               const std::map<std::string, std::string>& labels = {}) const {
    return value(name, name, labels);
  }
};

bool parse_labels(std::string_view text, std::map<std::string, std::string>& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t eq = text.find('=', i);
    if (eq == std::string_view::npos || eq + 1 >= text.size() || text[eq + 1] != '"') return false;
    std::string key(text.substr(i, eq - i));
    std::string value;
    std::size_t j = eq + 2;
    for (; j < text.size() && text[j] != '"'; ++j) {
      if (text[j] == '\\' && j + 1 < text.size()) ++j;
      value += text[j];
    }
    if (j >= text.size()) return false;
    out[key] = value;
    i = j + 1;
    if (i < text.size() && text[i] == ',') ++i;
  }
  return true;
}

// The family a sample belongs to: its name, or for a histogram's series the
// name without the suffix.
std::string family_of(const std::string& sample, const Page& page) {
  if (page.families.count(sample)) return sample;
  for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
    if (sample.size() > suffix.size() && sample.ends_with(suffix)) {
      std::string base = sample.substr(0, sample.size() - suffix.size());
      auto it = page.families.find(base);
      if (it != page.families.end() && it->second.type == "histogram") return base;
    }
  }
  return {};
}

Page parse(const std::string& text) {
  Page page;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      std::string rest = line.substr(7);
      std::size_t space = rest.find(' ');
      std::string name = rest.substr(0, space);
      std::string what = space == std::string::npos ? "" : rest.substr(space + 1);
      if (!page.families.count(name)) page.order.push_back(name);
      Family& f = page.families[name];
      if (line[2] == 'H') {
        if (!f.help.empty() || !f.type.empty()) page.errors.push_back("HELP after TYPE: " + name);
        f.help = what;
      } else {
        f.type = what;
      }
      continue;
    }
    Sample s;
    std::size_t brace = line.find('{');
    std::size_t space = line.rfind(' ');
    if (space == std::string::npos) {
      page.errors.push_back("no value: " + line);
      continue;
    }
    if (brace != std::string::npos && brace < space) {
      std::size_t close = line.rfind('}');
      s.name = line.substr(0, brace);
      if (close == std::string::npos ||
          !parse_labels(std::string_view(line).substr(brace + 1, close - brace - 1), s.labels)) {
        page.errors.push_back("bad labels: " + line);
      }
    } else {
      s.name = line.substr(0, space);
    }
    s.value = line.substr(space + 1);
    std::string family = family_of(s.name, page);
    if (family.empty()) {
      page.errors.push_back("sample before its HELP and TYPE: " + line);
      continue;
    }
    page.families[family].samples.push_back(std::move(s));
  }
  return page;
}

std::string page_of(const Api& api) {
  std::string out = "left over from an earlier scrape\n";
  write_metrics_page(api, out);
  return out;
}

// Checks one histogram family: per series, buckets ascending by le with
// non-decreasing counts, ending at +Inf, which equals _count.
void expect_well_formed_histogram(const std::string& name, const Family& f) {
  std::map<std::string, std::vector<const Sample*>> buckets;
  std::map<std::string, double> counts;
  std::set<std::string> sums;
  for (const Sample& s : f.samples) {
    if (s.name == name + "_bucket") {
      buckets[s.series()].push_back(&s);
    } else if (s.name == name + "_count") {
      counts[s.series()] = s.number();
    } else if (s.name == name + "_sum") {
      sums.insert(s.series());
    } else {
      ADD_FAILURE() << name << ": unexpected sample " << s.name;
    }
  }
  EXPECT_EQ(buckets.size(), counts.size()) << name;
  EXPECT_EQ(buckets.size(), sums.size()) << name;
  for (const auto& [series, list] : buckets) {
    ASSERT_FALSE(list.empty());
    EXPECT_EQ(list.back()->labels.at("le"), "+Inf") << name << "{" << series << "}";
    double previous_le = -1;
    double previous_count = 0;
    for (const Sample* b : list) {
      ASSERT_TRUE(b->labels.count("le")) << name;
      double le = std::stod(b->labels.at("le"));
      EXPECT_GT(le, previous_le) << name << " le=" << b->labels.at("le");
      EXPECT_GE(b->number(), previous_count) << name << " le=" << b->labels.at("le");
      previous_le = le;
      previous_count = b->number();
    }
    EXPECT_EQ(list.back()->number(), counts[series]) << name << "{" << series << "}";
  }
}

void expect_well_formed(const Page& page) {
  EXPECT_TRUE(page.errors.empty()) << ::testing::PrintToString(page.errors);
  for (const auto& [name, f] : page.families) {
    EXPECT_FALSE(f.help.empty()) << name << " has no HELP";
    EXPECT_TRUE(f.type == "counter" || f.type == "gauge" || f.type == "histogram")
        << name << " has TYPE '" << f.type << "'";
    if (f.type == "counter") {
      EXPECT_TRUE(name.ends_with("_total")) << name;
    }
    if (f.type == "histogram") expect_well_formed_histogram(name, f);
  }
  std::set<std::string> distinct(page.order.begin(), page.order.end());
  EXPECT_EQ(distinct.size(), page.order.size()) << "a family is described twice";
}

// --- The page without durability -------------------------------------------

struct MetricsPageTest : ApiFixture {};

TEST_F(MetricsPageTest, ReplacesTheBufferWithAWellFormedPage) {
  std::string text = page_of(*api);
  EXPECT_EQ(text.find("left over"), std::string::npos);
  EXPECT_TRUE(text.ends_with("\n"));
  expect_well_formed(parse(text));
}

TEST_F(MetricsPageTest, DescribesEveryFamily) {
  Page page = parse(page_of(*api));
  const std::map<std::string, std::string> expected = {
      {"orderd_orders_accepted_total", "counter"},
      {"orderd_orders_rejected_total", "counter"},
      {"orderd_orders_rejected_in_processing_total", "counter"},
      {"orderd_orders_completed_total", "counter"},
      {"orderd_orders_cancelled_total", "counter"},
      {"orderd_orders", "gauge"},
      {"orderd_orders_in_flight", "gauge"},
      {"orderd_queue_depth", "gauge"},
      {"orderd_products", "gauge"},
      {"orderd_products_out_of_stock", "gauge"},
      {"orderd_order_pending_seconds", "histogram"},
      {"orderd_order_processing_seconds", "histogram"},
      {"orderd_order_completion_seconds", "histogram"},
      {"orderd_http_requests_total", "counter"},
      {"orderd_http_request_duration_seconds", "histogram"},
      {"orderd_http_connections", "gauge"},
      {"orderd_http_connections_accepted_total", "counter"},
      {"orderd_http_connections_refused_total", "counter"},
      {"orderd_http_tls_handshake_failures_total", "counter"},
      {"orderd_build_info", "gauge"},
      {"orderd_ready", "gauge"},
      {"process_cpu_seconds_total", "counter"},
      {"process_resident_memory_bytes", "gauge"},
      {"process_virtual_memory_bytes", "gauge"},
      {"process_open_fds", "gauge"},
      {"process_max_fds", "gauge"},
      {"process_start_time_seconds", "gauge"},
  };
  for (const auto& [name, type] : expected) {
    const Family* f = page.find(name);
    ASSERT_NE(f, nullptr) << name << " is missing";
    EXPECT_EQ(f->type, type) << name;
  }
  EXPECT_EQ(page.families.size(), expected.size()) << "without durability, no journal families";
}

TEST_F(MetricsPageTest, BeforeAnyRequestCountsAreEmptyAndDurationsZero) {
  Page page = parse(page_of(*api));
  ASSERT_NE(page.find("orderd_http_requests_total"), nullptr);
  EXPECT_TRUE(page.find("orderd_http_requests_total")->samples.empty());
  // Every route's histogram exists from the start, at zero, so that rate()
  // sees the first requests.
  const std::string duration = "orderd_http_request_duration_seconds";
  EXPECT_EQ(page.value(duration, duration + "_count", {{"route", "POST /orders"}}), 0);
  EXPECT_EQ(page.value(duration, duration + "_count", {{"route", "GET /orders/{order_id}"}}), 0);
}

TEST_F(MetricsPageTest, OrderCountersFollowTheEngine) {
  Page before = parse(page_of(*api));
  EXPECT_EQ(before.value("orderd_orders_accepted_total"), 0);
  EXPECT_EQ(before.value("orderd_products"), 20);

  for (int i = 0; i < 5; ++i) ASSERT_EQ(create("m" + std::to_string(i)).status, 201u);
  ASSERT_EQ(create("m0").status, 409u);            // duplicate
  ASSERT_EQ(create("bad", "[999]").status, 409u);  // unknown product: a stock refusal
  ASSERT_TRUE(testing::wait_until([&] { return engine->counters().completed == 5; }));

  Page after = parse(page_of(*api));
  expect_well_formed(after);
  EXPECT_EQ(after.value("orderd_orders_accepted_total"), 5);
  EXPECT_EQ(after.value("orderd_orders_completed_total"), 5);
  EXPECT_EQ(after.value("orderd_orders_rejected_total", {{"reason", "duplicate"}}), 1);
  EXPECT_EQ(after.value("orderd_orders_rejected_total", {{"reason", "stock"}}), 1);
  EXPECT_EQ(after.value("orderd_orders_rejected_total", {{"reason", "capacity"}}), 0);
  EXPECT_EQ(after.value("orderd_orders", {{"status", "Completed"}}), 5);
  EXPECT_EQ(after.value("orderd_orders", {{"status", "Pending"}}), 0);
  EXPECT_EQ(after.value("orderd_orders_in_flight"), 0);
  EXPECT_EQ(after.value("orderd_order_completion_seconds", "orderd_order_completion_seconds_count"),
            5);
  EXPECT_EQ(after.value("orderd_order_pending_seconds", "orderd_order_pending_seconds_bucket",
                        {{"le", "+Inf"}}),
            5);
}

TEST_F(MetricsPageTest, OrderRejectedInProcessingHasItsOwnFamily) {
  EngineConfig config;
  config.max_order_total = 1;  // every priced order is over the limit
  start(config);
  ASSERT_EQ(create("over").status, 201u);
  ASSERT_TRUE(testing::wait_until([&] { return engine->counters().rejected == 1; }));
  Page page = parse(page_of(*api));
  EXPECT_EQ(page.value("orderd_orders_rejected_in_processing_total"), 1);
  EXPECT_EQ(page.value("orderd_orders", {{"status", "Rejected"}}), 1);
  for (const Sample& s : page.find("orderd_orders_rejected_total")->samples) {
    EXPECT_EQ(s.number(), 0) << s.labels.at("reason");
  }
}

TEST_F(MetricsPageTest, EveryStatusOfTheLifecycleHasAGaugeSample) {
  ASSERT_EQ(create("s0").status, 201u);
  ASSERT_EQ(create("s1").status, 201u);
  ASSERT_TRUE(testing::wait_until([&] { return engine->counters().completed == 2; }));
  ASSERT_TRUE(engine->update_status("s0", OrderStatus::kShipped, "").ok());
  ASSERT_TRUE(engine->update_status("s1", OrderStatus::kCancelled, "").ok());
  Page page = parse(page_of(*api));
  EXPECT_EQ(page.find("orderd_orders")->samples.size(), kOrderStatusCount);
  EXPECT_EQ(page.value("orderd_orders", {{"status", "Shipped"}}), 1);
  EXPECT_EQ(page.value("orderd_orders", {{"status", "Cancelled"}}), 1);
  EXPECT_EQ(page.value("orderd_orders", {{"status", "Delivered"}}), 0);
  EXPECT_EQ(page.value("orderd_orders", {{"status", "Returned"}}), 0);
  EXPECT_EQ(page.value("orderd_orders", {{"status", "Completed"}}), 0);
  EXPECT_EQ(page.value("orderd_orders_completed_total"), 2);
}

TEST_F(MetricsPageTest, OutOfStockProductsAreCounted) {
  // Product 1 of the demo catalog has 1000 units; take them all.
  const std::vector<ItemRequest> everything = {{1, 1000}};
  ASSERT_TRUE(engine->submit({"all", 1, everything, 0}).ok());
  Page page = parse(page_of(*api));
  EXPECT_EQ(page.value("orderd_products_out_of_stock"),
            static_cast<double>(engine->catalog().out_of_stock_count()));
  EXPECT_GE(page.value("orderd_products_out_of_stock"), 1);
}

TEST_F(MetricsPageTest, HttpSeriesAreLabelledByRouteTemplateAndCode) {
  api->http_metrics().record(Route::kCreateOrder, 201, 150);
  api->http_metrics().record(Route::kCreateOrder, 201, 20'000);
  api->http_metrics().record(Route::kGetOrder, 404, 30);
  api->http_metrics().record(Route::kGetOrder, 299, 30);  // not a counted status
  ASSERT_TRUE(api->http_metrics().admit_connection(1));
  ASSERT_FALSE(api->http_metrics().admit_connection(1));  // refused: the limit is reached
  api->http_metrics().tls_handshake_failed();

  Page page = parse(page_of(*api));
  expect_well_formed(page);
  EXPECT_EQ(page.value("orderd_http_requests_total", {{"route", "POST /orders"}, {"code", "201"}}),
            2);
  EXPECT_EQ(page.value("orderd_http_requests_total",
                       {{"route", "GET /orders/{order_id}"}, {"code", "404"}}),
            1);
  EXPECT_EQ(page.value("orderd_http_requests_total",
                       {{"route", "GET /orders/{order_id}"}, {"code", "other"}}),
            1);
  EXPECT_EQ(page.find("orderd_http_requests_total")->samples.size(), 3u) << "only non-zero series";

  const std::string duration = "orderd_http_request_duration_seconds";
  EXPECT_EQ(page.value(duration, duration + "_count", {{"route", "POST /orders"}}), 2);
  EXPECT_DOUBLE_EQ(page.value(duration, duration + "_sum", {{"route", "POST /orders"}}), 0.02015);
  // 150 µs is above 100 µs and at most 250 µs; 20 ms is at most 25 ms.
  EXPECT_EQ(
      page.value(duration, duration + "_bucket", {{"route", "POST /orders"}, {"le", "0.0001"}}), 0);
  EXPECT_EQ(
      page.value(duration, duration + "_bucket", {{"route", "POST /orders"}, {"le", "0.00025"}}),
      1);
  EXPECT_EQ(
      page.value(duration, duration + "_bucket", {{"route", "POST /orders"}, {"le", "0.025"}}), 2);
  EXPECT_EQ(page.value(duration, duration + "_count", {{"route", "GET /health"}}), 0)
      << "routes without requests have an empty histogram";

  EXPECT_EQ(page.value("orderd_http_connections"), 1);
  EXPECT_EQ(page.value("orderd_http_connections_accepted_total"), 1);
  EXPECT_EQ(page.value("orderd_http_connections_refused_total"), 1);
  EXPECT_EQ(page.value("orderd_http_tls_handshake_failures_total"), 1);
}

// The le values of a histogram family's first series, as numbers.
std::vector<double> bucket_bounds(const Page& page, const std::string& name) {
  std::vector<double> out;
  for (const Sample& s : page.find(name)->samples) {
    if (s.name == name + "_bucket") out.push_back(std::stod(s.labels.at("le")));
    if (s.name == name + "_bucket" && s.labels.at("le") == "+Inf") break;
  }
  return out;
}

TEST_F(MetricsPageTest, LatencyBucketsAreTheEngineBoundsInSeconds) {
  std::vector<double> le = bucket_bounds(parse(page_of(*api)), "orderd_order_pending_seconds");
  ASSERT_EQ(le.size(), kLatencyBucketBounds.size() + 1);
  for (std::size_t i = 0; i < kLatencyBucketBounds.size(); ++i) {
    EXPECT_EQ(le[i], static_cast<double>(kLatencyBucketBounds[i]) / 1e6) << i;
  }
  EXPECT_EQ(le.back(), std::numeric_limits<double>::infinity());
}

TEST_F(MetricsPageTest, NoLabelCarriesAnOrderId) {
  const std::string marker = "zz-secret-order-id";
  ASSERT_EQ(create(marker + "-1").status, 201u);
  get("/orders/" + marker + "-1");
  api->http_metrics().record(Route::kGetOrder, 200, 10);
  std::string text = page_of(*api);
  EXPECT_EQ(text.find(marker), std::string::npos);
  for (const auto& [name, f] : parse(text).families) {
    for (const Sample& s : f.samples) {
      for (const auto& [key, value] : s.labels) {
        EXPECT_NE(key, "order_id") << name;
        EXPECT_EQ(value.find(marker), std::string::npos) << name << " " << key;
      }
    }
  }
}

TEST_F(MetricsPageTest, ServerFamiliesReportVersionAndReadiness) {
  Api versioned(*engine, ApiLimits{}, ServerInfo{"1.2.3-test", "", "", 0});
  Page page = parse(page_of(versioned));
  EXPECT_EQ(page.value("orderd_build_info", {{"version", "1.2.3-test"}}), 1);
  EXPECT_EQ(page.value("orderd_ready"), 0) << "nothing called set_ready";
  versioned.set_ready(true);
  EXPECT_EQ(parse(page_of(versioned)).value("orderd_ready"), 1);
  EXPECT_GT(page.value("process_start_time_seconds"), 1.5e9);
  EXPECT_GT(page.value("process_resident_memory_bytes"), 0);
}

// --- With durability: the journal families -----------------------------------

struct MetricsPageWithJournalTest : ::testing::Test {
  void SetUp() override {
    EngineConfig config;
    config.workers = 1;
    config.max_products = 64;
    engine = std::make_unique<Engine>(config);
    persistence::DurabilityOptions options;
    options.reporter = [](persistence::Severity, const std::string&) {};
    options.snapshot_interval = std::chrono::milliseconds(0);
    options.snapshot_journal_bytes = 0;
    options.file_system = &fs;
    persistence::Status s =
        persistence::Durability::open(dir.file("data"), options, *engine, &durability);
    ASSERT_TRUE(s.ok()) << s.to_string();
    demo::add_demo_catalog(engine->catalog(), {20, 1000});
    engine->start();
    api = std::make_unique<Api>(*engine);
    api->attach_durability(durability.get(), durability.get());
    api->set_ready(true);
  }
  // The engine stops before durability goes away, as the server does it.
  void TearDown() override {
    if (engine) engine->stop();
    durability.reset();
  }

  void submit_orders(int n) {
    std::vector<ItemRequest> items = {{1, 1}, {2, 1}};
    for (int i = 0; i < n; ++i) {
      SubmitResult r = engine->submit({"j" + std::to_string(i), 1, items, 0});
      ASSERT_TRUE(r.ok()) << r.message;
      ASSERT_TRUE(durability->wait_durable(r.durable_token).ok());
    }
    ASSERT_TRUE(testing::wait_until([&] { return engine->counters().completed == n; }));
    ASSERT_TRUE(durability->wait_durable(durability->last_token()).ok());
  }

  persistence::testing::TempDir dir;
  persistence::testing::FaultInjectionFileSystem fs;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<persistence::Durability> durability;
  std::unique_ptr<Api> api;
};

TEST_F(MetricsPageWithJournalTest, JournalFamiliesAppearAndMove) {
  submit_orders(10);
  ASSERT_TRUE(durability->snapshot_now().ok());
  Page page = parse(page_of(*api));
  expect_well_formed(page);
  for (const char* name : {"orderd_journal_records_total", "orderd_journal_bytes_total",
                           "orderd_journal_fsyncs_total", "orderd_snapshots_written_total",
                           "orderd_snapshot_failures_total", "orderd_journal_healthy"}) {
    ASSERT_NE(page.find(name), nullptr) << name;
  }
  EXPECT_GE(page.value("orderd_journal_records_total"), 30) << "accepted, started, completed";
  EXPECT_GT(page.value("orderd_journal_bytes_total"), 0);
  EXPECT_GE(page.value("orderd_journal_fsyncs_total"), 1);
  EXPECT_EQ(page.value("orderd_snapshots_written_total"), 1);
  EXPECT_EQ(page.value("orderd_snapshot_failures_total"), 0);
  EXPECT_EQ(page.value("orderd_journal_healthy"), 1);

  const std::string fsync = "orderd_journal_fsync_duration_seconds";
  ASSERT_EQ(page.find(fsync)->type, "histogram");
  EXPECT_GE(page.value(fsync, fsync + "_count"), 1);
  const std::string batch = "orderd_journal_group_commit_records";
  ASSERT_EQ(page.find(batch)->type, "histogram");
  // Every record is written in exactly one batch.
  EXPECT_EQ(page.value(batch, batch + "_sum"), page.value("orderd_journal_records_total"));
}

TEST_F(MetricsPageWithJournalTest, WritesSequencesAndTheLastSnapshotAreShown) {
  Page before = parse(page_of(*api));
  EXPECT_EQ(before.value("orderd_snapshot_last_orders"), 0) << "no snapshot yet";
  EXPECT_EQ(before.value("orderd_snapshot_last_bytes"), 0);
  submit_orders(10);
  ASSERT_TRUE(durability->snapshot_now().ok());
  Page page = parse(page_of(*api));
  expect_well_formed(page);
  const auto stats = durability->stats();
  EXPECT_GE(page.value("orderd_journal_writes_total"), 1);
  EXPECT_EQ(page.value("orderd_journal_writes_total"),
            page.value("orderd_journal_group_commit_records",
                       "orderd_journal_group_commit_records_count"))
      << "one group commit per write";
  EXPECT_GE(page.value("orderd_journal_segments_created_total"), 1);
  EXPECT_EQ(page.value("orderd_journal_queued_bytes"), 0) << "everything was made durable";
  const double appended = page.value("orderd_journal_sequence", {{"position", "appended"}});
  EXPECT_GE(appended, 30);
  EXPECT_EQ(page.value("orderd_journal_sequence", {{"position", "committed"}}), appended);
  EXPECT_EQ(page.value("orderd_journal_sequence", {{"position", "synced"}}), appended);
  EXPECT_EQ(page.value("orderd_snapshot_last_orders"), 10);
  EXPECT_EQ(page.value("orderd_snapshot_last_bytes"),
            static_cast<double>(stats.last_snapshot.bytes));
  EXPECT_GT(page.value("orderd_snapshot_last_bytes"), 0);
  EXPECT_GT(page.value("orderd_snapshot_last_duration_seconds"), 0);
  EXPECT_GE(page.value("orderd_snapshot_last_replay_from_sequence"), 1);
  EXPECT_NE(page.find("orderd_journal_segments_deleted_total"), nullptr);
  EXPECT_NE(page.find("orderd_snapshots_deleted_total"), nullptr);
}

TEST_F(MetricsPageWithJournalTest, Log2BucketsMapOntoExactBounds) {
  submit_orders(3);
  Page page = parse(page_of(*api));
  // fsync: 2^3 .. 2^24 µs, in seconds (8 µs .. about 16.8 s).
  std::vector<double> fsync = bucket_bounds(page, "orderd_journal_fsync_duration_seconds");
  ASSERT_EQ(fsync.size(), 23u);
  for (std::size_t i = 0; i + 1 < fsync.size(); ++i) {
    EXPECT_EQ(fsync[i], static_cast<double>(std::uint64_t{1} << (3 + i)) / 1e6) << i;
  }
  // Records per batch, integers: below 2^k is at most 2^k - 1, for k = 1 .. 20.
  std::vector<double> batch = bucket_bounds(page, "orderd_journal_group_commit_records");
  ASSERT_EQ(batch.size(), 21u);
  for (std::size_t i = 0; i + 1 < batch.size(); ++i) {
    EXPECT_EQ(batch[i], static_cast<double>((std::uint64_t{1} << (1 + i)) - 1)) << i;
  }

  // The cumulative counts are the log2 buckets summed, unchanged.
  const auto stats = durability->stats().journal;
  const std::string name = "orderd_journal_group_commit_records";
  double below_four =
      static_cast<double>(stats.records_per_batch.buckets[0] + stats.records_per_batch.buckets[1] +
                          stats.records_per_batch.buckets[2]);
  EXPECT_EQ(page.value(name, name + "_bucket", {{"le", "3"}}), below_four);
  EXPECT_EQ(page.value(name, name + "_count"), static_cast<double>(stats.records_per_batch.count));
}

TEST_F(MetricsPageWithJournalTest, JournalFailureShowsAsUnhealthy) {
  EXPECT_EQ(parse(page_of(*api)).value("orderd_journal_healthy"), 1);
  fs.set_sync_fault(EIO);
  const std::vector<ItemRequest> items = {{1, 1}};
  SubmitResult r = engine->submit({"lost", 1, items, 0});
  ASSERT_TRUE(r.ok()) << r.message;
  ASSERT_FALSE(durability->wait_durable(r.durable_token).ok());

  Page page = parse(page_of(*api));
  EXPECT_EQ(page.value("orderd_journal_healthy"), 0);
  EXPECT_EQ(page.value("orderd_ready"), 0) << "a journal that cannot write is not ready";
}

// --- promtool: the page as Prometheus itself lints it ------------------------

bool promtool_available() { return std::system("command -v promtool > /dev/null 2>&1") == 0; }

TEST_F(MetricsPageWithJournalTest, PromtoolAcceptsThePage) {
  if (!promtool_available()) {
    GTEST_SKIP() << "promtool is not on PATH (Debian package 'prometheus'); the page was not "
                    "linted";
  }
  submit_orders(5);
  api->http_metrics().record(Route::kCreateOrder, 201, 120);
  api->http_metrics().record(Route::kGetOrder, 404, 40);
  api->http_metrics().record(Route::kMalformed, 400, 0);
  api->http_metrics().record(Route::kCreateOrder, 299, 10);
  ASSERT_TRUE(api->http_metrics().admit_connection(1));

  const std::string page_file = dir.file("metrics.txt");
  const std::string report_file = dir.file("promtool.txt");
  {
    std::ofstream out(page_file, std::ios::binary);
    out << page_of(*api);
  }
  const std::string command =
      "promtool check metrics < '" + page_file + "' > '" + report_file + "' 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream report(report_file);
  std::string complaints((std::istreambuf_iterator<char>(report)), {});
  EXPECT_EQ(status, 0) << complaints;
  EXPECT_EQ(complaints, "");
}

}  // namespace
}  // namespace orderd::net
