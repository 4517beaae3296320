#include "app/options.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdlib>

#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

extern char** environ;

namespace orderd::app {
namespace {

using namespace std::chrono_literals;

struct Parsed {
  std::optional<int> exit_code;
  Options options;
  std::string out;
  std::string err;
};

Parsed parse(const std::vector<std::string>& args) {
  std::vector<const char*> argv{"orderd"};
  for (const auto& arg : args) argv.push_back(arg.c_str());
  Parsed parsed;
  std::ostringstream out, err;
  parsed.exit_code =
      parse_options(static_cast<int>(argv.size()), argv.data(), parsed.options, out, err);
  parsed.out = out.str();
  parsed.err = err.str();
  return parsed;
}

// One flag, with two values that both differ from its default.
struct Flag {
  std::string name;
  std::string variable;
  std::string value;
  std::string other;
  std::function<bool(const Options&)> took_value;  // whether `value` was applied
  bool is_switch = false;               // given without a value; the values are for the environment
  std::vector<std::string> needs = {};  // arguments it is valid only with
};

const std::string kSecretA(32, 'a');
const std::string kSecretB(32, 'b');
// Two P-256 public keys (public keys, made for this test).
const std::string kPublicKeyA =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYsaA6XCek6OVngYIjI4LC7kaUG+U\n"
    "IH0XsodL8Ph9tE3ddACbIKsAuq+jAb3TCEu3vTe98EVsvyd1l+51P9j56w==\n"
    "-----END PUBLIC KEY-----";
const std::string kPublicKeyB =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8jo20BNJG6XxYu8M63kS+aB7Gpzo\n"
    "1rmZU7C7ZzCBoniGPu+Gclfwpf43b1p10FfUL67K+/V4FMVxFLYO91OqDA==\n"
    "-----END PUBLIC KEY-----";

// A file holding `text`, made once per test process.
std::string file_holding(const std::string& name, const std::string& text) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("orderd-options-test-" + std::to_string(::getpid()) + "-" + name))
                               .string();
  std::ofstream(path) << text << "\n";
  return path;
}

const std::vector<Flag>& every_flag() {
  static const std::string secret_file_a = file_holding("secret-a", kSecretA);
  static const std::string secret_file_b = file_holding("secret-b", kSecretB);
  static const std::string key_file_a = file_holding("key-a", kPublicKeyA);
  static const std::string key_file_b = file_holding("key-b", kPublicKeyB);
  static const std::vector<Flag> flags = {
      {"--port", "ORDERD_PORT", "6001", "6002", [](auto& o) { return o.server.port == 6001; }},
      {"--bind", "ORDERD_BIND", "127.0.0.2", "::1",
       [](auto& o) { return o.server.bind_address == "127.0.0.2"; }},
      {"--threads", "ORDERD_THREADS", "3", "4", [](auto& o) { return o.server.io_threads == 3; }},
      {"--blocking-threads", "ORDERD_BLOCKING_THREADS", "5", "6",
       [](auto& o) { return o.server.blocking_threads == 5; }},
      {"--max-body-bytes", "ORDERD_MAX_BODY_BYTES", "2048", "4096",
       [](auto& o) { return o.server.max_body_bytes == 2048; }},
      {"--max-header-bytes", "ORDERD_MAX_HEADER_BYTES", "1024", "2048",
       [](auto& o) { return o.server.max_header_bytes == 1024; }},
      {"--max-connections", "ORDERD_MAX_CONNECTIONS", "7", "8",
       [](auto& o) { return o.server.max_connections == 7; }},
      {"--read-timeout", "ORDERD_READ_TIMEOUT", "1.5s", "2s",
       [](auto& o) { return o.server.read_timeout == 1500ms; }},
      {"--idle-timeout", "ORDERD_IDLE_TIMEOUT", "2m", "3m",
       [](auto& o) { return o.server.idle_timeout == 2min; }},
      {"--shutdown-timeout", "ORDERD_SHUTDOWN_TIMEOUT", "250ms", "500ms",
       [](auto& o) { return o.shutdown_timeout == 250ms; }},
      {"--workers", "ORDERD_WORKERS", "3", "4", [](auto& o) { return o.engine.workers == 3; }},
      {"--capacity", "ORDERD_CAPACITY", "42", "43",
       [](auto& o) { return o.engine.capacity == 42; }},
      {"--processing-time", "ORDERD_PROCESSING_TIME", "3s-7s", "1s",
       [](auto& o) {
         return o.engine.processing_delay.min == 3'000'000 &&
                o.engine.processing_delay.max == 7'000'000;
       }},
      {"--pending-time", "ORDERD_PENDING_TIME", "2s", "1s",
       [](auto& o) {
         return o.engine.pending_delay.min == 2'000'000 && o.engine.pending_delay.max == 2'000'000;
       }},
      {"--max-order-total", "ORDERD_MAX_ORDER_TOTAL", "1000.00", "5",
       [](auto& o) { return o.engine.max_order_total == 100'000; }},
      {"--idempotency-ttl", "ORDERD_IDEMPOTENCY_TTL", "90m", "1h",
       [](auto& o) { return o.engine.idempotency_ttl == 90min; }},
      {"--idempotency-max-keys", "ORDERD_IDEMPOTENCY_MAX_KEYS", "500", "600",
       [](auto& o) { return o.engine.idempotency_max_keys == 500; }},
      {"--data-dir", "ORDERD_DATA_DIR", "/srv/orderd", "/var/orderd",
       [](auto& o) { return o.data_dir == "/srv/orderd"; }},
      {"--populate-max", "ORDERD_POPULATE_MAX", "10", "20",
       [](auto& o) { return o.api.populate_max_entries == 10; }},
      {"--fsync", "ORDERD_FSYNC", "interval:20", "never",
       [](auto& o) { return o.durability.fsync == persistence::FsyncPolicy::every(20ms); }},
      {"--snapshot-interval", "ORDERD_SNAPSHOT_INTERVAL", "1h", "0",
       [](auto& o) { return o.durability.snapshot_interval == 1h; }},
      {"--snapshot-journal-mib", "ORDERD_SNAPSHOT_JOURNAL_MIB", "3", "4",
       [](auto& o) { return o.durability.snapshot_journal_bytes == 3u << 20; }},
      {"--snapshot-mib-per-second", "ORDERD_SNAPSHOT_MIB_PER_SECOND", "0", "5",
       [](auto& o) { return o.durability.snapshot_max_bytes_per_second == 0; }},
      {"--snapshot-on-exit", "ORDERD_SNAPSHOT_ON_EXIT", "true", "false",
       [](auto& o) { return o.durability.snapshot_on_close; }, true},
      {"--journal-batch-mib", "ORDERD_JOURNAL_BATCH_MIB", "2", "3",
       [](auto& o) { return o.durability.max_batch_bytes == 2u << 20; }},
      {"--journal-queue-mib", "ORDERD_JOURNAL_QUEUE_MIB", "16", "32",
       [](auto& o) { return o.durability.max_queued_bytes == 16u << 20; }},
      {"--journal-wait", "ORDERD_JOURNAL_WAIT", "250ms", "0",
       [](auto& o) { return o.api.journal_wait == std::chrono::milliseconds(250); }},
      {"--demo-shop", "ORDERD_DEMO_SHOP", "true", "false", [](auto& o) { return o.demo_shop; },
       true},
      {"--demo-shop-orders", "ORDERD_DEMO_SHOP_ORDERS", "5000", "6000",
       [](auto& o) { return o.demo_shop_options.orders == 5000; }},
      {"--demo-shop-customers", "ORDERD_DEMO_SHOP_CUSTOMERS", "300", "400",
       [](auto& o) { return o.demo_shop_options.customers == 300; }},
      {"--truncate-at-corruption", "ORDERD_TRUNCATE_AT_CORRUPTION", "true", "false",
       [](auto& o) { return o.durability.truncate_at_corruption; }, true},
      {"--log-level", "ORDERD_LOG_LEVEL", "debug", "error",
       [](auto& o) { return o.log_level == logging::Level::kDebug; }},
      {"--log-format", "ORDERD_LOG_FORMAT", "json", "logfmt",
       [](auto& o) { return o.log_format == logging::Format::kJson; }},
      {"--access-log", "ORDERD_ACCESS_LOG", "true", "false",
       [](auto& o) { return o.server.access_log; }, true},
      {"--allow-unauthenticated", "ORDERD_ALLOW_UNAUTHENTICATED", "true", "false",
       [](auto& o) { return o.allow_unauthenticated; }, true},
      {"--cors-origins", "ORDERD_CORS_ORIGINS", "https://a.example,https://b.example", "*",
       [](auto& o) {
         return o.api.cors_origins ==
                std::vector<std::string>{"https://a.example", "https://b.example"};
       }},
      {"--rate-limit", "ORDERD_RATE_LIMIT", "20", "30",
       [](auto& o) { return o.api.rate_limit.per_second == 20; }},
      {"--rate-burst", "ORDERD_RATE_BURST", "50", "60",
       [](auto& o) { return o.api.rate_limit.burst == 50; }},
      {"--rate-limit-loopback", "ORDERD_RATE_LIMIT_LOOPBACK", "true", "false",
       [](auto& o) { return o.api.rate_limit.on_loopback; }, true},
      {"--rate-limit-clients", "ORDERD_RATE_LIMIT_CLIENTS", "5000", "6000",
       [](auto& o) { return o.api.rate_limit.max_clients == 5000; }},
      {"--max-products", "ORDERD_MAX_PRODUCTS", "100", "200",
       [](auto& o) { return o.engine.max_products == 100; }},
      {"--demo-products", "ORDERD_DEMO_PRODUCTS", "0", "5",
       [](auto& o) { return o.demo_catalog.products == 0; }},
      {"--demo-stock", "ORDERD_DEMO_STOCK", "7", "8",
       [](auto& o) { return o.demo_catalog.stock == 7; }},
      {"--auth",
       "ORDERD_AUTH",
       "jwt",
       "off",
       [](auto& o) { return o.auth.jwt; },
       false,
       {"--jwt-secret", kSecretA}},
      {"--jwt-secret", "ORDERD_JWT_SECRET", kSecretA, kSecretB,
       [](auto& o) { return o.auth.jwt_config.secret == kSecretA; }},
      {"--jwt-secret-file", "ORDERD_JWT_SECRET_FILE", secret_file_a, secret_file_b,
       [](auto& o) { return o.auth.jwt_config.secret == kSecretA; }},
      {"--jwt-public-key-file", "ORDERD_JWT_PUBLIC_KEY_FILE", key_file_a, key_file_b,
       [](auto& o) { return o.auth.jwt_config.public_key_pem == kPublicKeyA; }},
      {"--jwt-issuer", "ORDERD_JWT_ISSUER", "https://id.example", "https://other.example",
       [](auto& o) { return o.auth.jwt_config.issuer == "https://id.example"; }},
      {"--jwt-audience", "ORDERD_JWT_AUDIENCE", "orderd", "shop",
       [](auto& o) { return o.auth.jwt_config.audience == "orderd"; }},
      {"--jwt-leeway", "ORDERD_JWT_LEEWAY", "30s", "2m",
       [](auto& o) { return o.auth.jwt_config.leeway == 30s; }},
      {"--token-ttl", "ORDERD_TOKEN_TTL", "15m", "2h",
       [](auto& o) { return o.auth.settings.login_ttl == 15min; }},
      {"--metrics-open", "ORDERD_METRICS_OPEN", "true", "false",
       [](auto& o) { return o.auth.settings.metrics_open; }, true},
      {"--tls-cert",
       "ORDERD_TLS_CERT",
       "/etc/orderd/cert.pem",
       "/tmp/cert.pem",
       [](auto& o) { return o.server.tls_cert_file == "/etc/orderd/cert.pem"; },
       false,
       {"--tls-key", "/k.pem"}},
      {"--tls-key",
       "ORDERD_TLS_KEY",
       "/etc/orderd/key.pem",
       "/tmp/key.pem",
       [](auto& o) { return o.server.tls_key_file == "/etc/orderd/key.pem"; },
       false,
       {"--tls-cert", "/c.pem"}},
  };
  return flags;
}

std::vector<std::string> args_giving(const Flag& flag, const std::string& value) {
  if (flag.is_switch) return {flag.name};
  return {flag.name, value};
}

// The flag with `value`, and what it needs.
std::vector<std::string> args_alone(const Flag& flag, const std::string& value) {
  std::vector<std::string> args = args_giving(flag, value);
  args.insert(args.end(), flag.needs.begin(), flag.needs.end());
  return args;
}

// Each test starts with no ORDERD_* variable set, whatever the caller's
// environment holds, and leaves the environment as it found it.
class OptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (char** entry = environ; *entry != nullptr; ++entry) {
      const std::string text = *entry;
      const auto equals = text.find('=');
      if (text.starts_with("ORDERD_") && equals != std::string::npos) {
        saved_.emplace_back(text.substr(0, equals), text.substr(equals + 1));
      }
    }
    for (const auto& [name, value] : saved_) unsetenv(name.c_str());
  }

  void TearDown() override {
    for (const Flag& flag : every_flag()) unsetenv(flag.variable.c_str());
    for (const auto& [name, value] : saved_) setenv(name.c_str(), value.c_str(), 1);
  }

 private:
  std::vector<std::pair<std::string, std::string>> saved_;
};

TEST_F(OptionsTest, NoFlagsGiveTheDocumentedDefaults) {
  const Parsed p = parse({});
  ASSERT_FALSE(p.exit_code) << p.err;
  const Options& o = p.options;
  EXPECT_EQ(o.server.port, 5000);
  EXPECT_EQ(o.server.bind_address, "127.0.0.1");
  EXPECT_EQ(o.server.io_threads, 0u);
  EXPECT_EQ(o.server.blocking_threads, 2u);
  EXPECT_EQ(o.server.max_body_bytes, 1u << 20);
  EXPECT_EQ(o.server.max_header_bytes, 8u << 10);
  EXPECT_EQ(o.server.max_connections, 10'000u);
  EXPECT_EQ(o.server.read_timeout, 10s);
  EXPECT_EQ(o.server.idle_timeout, 30s);
  EXPECT_EQ(o.shutdown_timeout, 10s);
  EXPECT_FALSE(o.server.access_log);
  EXPECT_EQ(o.server.tls_cert_file, "");  // plain HTTP
  EXPECT_EQ(o.server.tls_key_file, "");
  EXPECT_EQ(o.engine.workers, 0u);
  EXPECT_EQ(o.engine.capacity, 1'000'000u);
  EXPECT_TRUE(o.engine.processing_delay.none());
  EXPECT_EQ(o.engine.max_order_total, 0);
  EXPECT_EQ(o.engine.idempotency_ttl, 24h);
  EXPECT_EQ(o.engine.idempotency_max_keys, 1'000'000u);
  EXPECT_EQ(o.data_dir, "./data");
  EXPECT_EQ(o.api.populate_max_entries, 1'000'000u);
  EXPECT_EQ(o.durability.fsync, persistence::FsyncPolicy::always());
  EXPECT_EQ(o.durability.snapshot_interval, 10min);
  EXPECT_EQ(o.durability.snapshot_journal_bytes, 256u << 20);
  EXPECT_EQ(o.durability.snapshot_max_bytes_per_second, 16u << 20);
  EXPECT_FALSE(o.durability.snapshot_on_close);
  EXPECT_FALSE(o.durability.truncate_at_corruption);
  EXPECT_EQ(o.log_level, logging::Level::kInfo);
  EXPECT_EQ(o.log_format, logging::Format::kLogfmt);
  EXPECT_EQ(o.engine.max_products, 65'536u);
  EXPECT_EQ(o.demo_catalog.products, 1000u);
  EXPECT_EQ(o.demo_catalog.stock, 1'000'000'000);
}

TEST_F(OptionsTest, EveryFlagIsRead) {
  for (const Flag& flag : every_flag()) {
    const Parsed p = parse(args_alone(flag, flag.value));
    ASSERT_FALSE(p.exit_code) << flag.name << ": " << p.err;
    EXPECT_TRUE(flag.took_value(p.options)) << flag.name;
    EXPECT_FALSE(flag.took_value(parse({}).options)) << flag.name << " defaults to its value";
  }
}

TEST_F(OptionsTest, AllFlagsAtOnceAreRead) {
  std::vector<std::string> args;
  for (const Flag& flag : every_flag()) {
    for (auto& arg : args_giving(flag, flag.value)) args.push_back(arg);
  }
  const Parsed p = parse(args);
  ASSERT_FALSE(p.exit_code) << p.err;
  for (const Flag& flag : every_flag()) EXPECT_TRUE(flag.took_value(p.options)) << flag.name;
}

TEST_F(OptionsTest, EveryFlagFallsBackToItsEnvironmentVariable) {
  for (const Flag& flag : every_flag()) {
    setenv(flag.variable.c_str(), flag.value.c_str(), 1);
    const Parsed p = parse(flag.needs);
    unsetenv(flag.variable.c_str());
    ASSERT_FALSE(p.exit_code) << flag.variable << ": " << p.err;
    EXPECT_TRUE(flag.took_value(p.options)) << flag.variable;
  }
}

TEST_F(OptionsTest, AFlagBeatsItsEnvironmentVariable) {
  for (const Flag& flag : every_flag()) {
    setenv(flag.variable.c_str(), flag.other.c_str(), 1);
    const Parsed from_environment = parse(flag.needs);
    const Parsed from_both = parse(args_alone(flag, flag.value));
    unsetenv(flag.variable.c_str());
    ASSERT_FALSE(from_environment.exit_code) << flag.variable << ": " << from_environment.err;
    ASSERT_FALSE(from_both.exit_code) << flag.name << ": " << from_both.err;
    EXPECT_FALSE(flag.took_value(from_environment.options)) << flag.variable;
    EXPECT_TRUE(flag.took_value(from_both.options)) << flag.name;
  }
}

TEST_F(OptionsTest, HelpListsEveryFlagWithItsVariableAndExitsZero) {
  const Parsed p = parse({"--help"});
  EXPECT_EQ(p.exit_code, 0);
  EXPECT_EQ(p.err, "");
  std::set<std::string> listed;
  const std::regex flag_pattern("--[a-z][a-z-]+");
  for (auto it = std::sregex_iterator(p.out.begin(), p.out.end(), flag_pattern);
       it != std::sregex_iterator(); ++it) {
    listed.insert(it->str());
  }
  listed.erase("--help");
  listed.erase("--version");
  std::set<std::string> tested;
  for (const Flag& flag : every_flag()) {
    tested.insert(flag.name);
    EXPECT_NE(p.out.find("Env:" + flag.variable), std::string::npos) << flag.variable;
  }
  EXPECT_EQ(listed, tested) << "every flag in --help has a case in every_flag()";
  EXPECT_NE(p.out.find("Durations are 0 or a number with a unit"), std::string::npos);
}

TEST_F(OptionsTest, VersionPrintsTheVersionAndExitsZero) {
  const Parsed p = parse({"--version"});
  EXPECT_EQ(p.exit_code, 0);
  EXPECT_EQ(p.err, "");
  EXPECT_TRUE(std::regex_match(p.out, std::regex("orderd [0-9]+\\.[0-9]+\\.[0-9]+\n"))) << p.out;
}

// Each flag's refused values; every one exits non-zero with a message that
// names the flag.
const std::vector<std::pair<std::string, std::vector<std::string>>>& invalid_values() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> values = {
      {"--port", {"70000", "-1", "x"}},
      {"--threads", {"x", "-2"}},
      {"--blocking-threads", {"0", "65"}},
      {"--max-body-bytes", {"0", "1073741825"}},
      {"--max-header-bytes", {"255", "1048577"}},
      {"--max-connections", {"0", "16777217"}},
      {"--read-timeout", {"0", "1500us", "25h", "soon", "5", "-1s"}},
      {"--idle-timeout", {"0", "10 s"}},
      {"--journal-batch-mib", {"0", "1025"}},
      {"--journal-queue-mib", {"0", "x"}},
      {"--journal-wait", {"61s", "1500us", "-1s"}},
      {"--shutdown-timeout", {"0", "1e3ms"}},
      {"--workers", {"x"}},
      {"--capacity", {"0", "4294967297"}},
      {"--processing-time", {"soon", "7s-3s", "25h", "5", "3s-"}},
      {"--pending-time", {"soon", "7s-3s", "25h", "5", "3s-"}},
      {"--max-order-total",
       {"-1", "ten", "1,000.00", "1000.00 EUR", "0x10", "0.001", "11258999068426.25", "1e400"}},
      {"--idempotency-ttl", {"0", "999ms", "721h", "1d", "24"}},
      {"--idempotency-max-keys", {"0", "100000001", "x"}},
      {"--populate-max", {"0", "100000001"}},
      {"--fsync", {"sometimes", "interval:0", "interval:2m", "interval:1500us", "ALWAYS"}},
      {"--snapshot-interval", {"5", "1500us", "x", "-1m"}},
      {"--snapshot-journal-mib", {"1048577", "x"}},
      {"--snapshot-mib-per-second", {"1048577", "-1"}},
      {"--log-level", {"loud", "INFO"}},
      {"--log-format", {"xml"}},
      {"--max-products", {"0", "16777217"}},
      {"--demo-products", {"16777217", "-1"}},
      {"--demo-stock", {"-1", "281474976710657"}},
  };
  return values;
}

TEST_F(OptionsTest, EveryInvalidValueExitsNonZeroNamingTheFlag) {
  for (const auto& [flag, values] : invalid_values()) {
    for (const std::string& value : values) {
      const Parsed p = parse({flag, value});
      ASSERT_TRUE(p.exit_code) << flag << " " << value;
      EXPECT_NE(*p.exit_code, 0) << flag << " " << value;
      EXPECT_NE(p.err.find(flag), std::string::npos) << flag << " " << value << ": " << p.err;
    }
  }
}

TEST_F(OptionsTest, AnInvalidEnvironmentValueIsRefusedLikeAFlag) {
  for (const auto& [variable, value, flag] :
       {std::tuple{"ORDERD_PORT", "x", "--port"},
        std::tuple{"ORDERD_READ_TIMEOUT", "soon", "--read-timeout"},
        std::tuple{"ORDERD_FSYNC", "sometimes", "--fsync"},
        std::tuple{"ORDERD_DEMO_STOCK", "-1", "--demo-stock"}}) {
    setenv(variable, value, 1);
    const Parsed p = parse({});
    unsetenv(variable);
    ASSERT_TRUE(p.exit_code) << variable;
    EXPECT_NE(*p.exit_code, 0) << variable;
    EXPECT_NE(p.err.find(flag), std::string::npos) << variable << ": " << p.err;
  }
}

TEST_F(OptionsTest, DurationErrorsSayWhatWasExpected) {
  EXPECT_NE(parse({"--read-timeout", "0"}).err.find("from 1ms to 24h"), std::string::npos);
  EXPECT_NE(parse({"--read-timeout", "1500us"}).err.find("multiple of 1ms"), std::string::npos);
  EXPECT_NE(parse({"--snapshot-interval", "5"}).err.find("unit"), std::string::npos);
  EXPECT_NE(parse({"--processing-time", "soon"}).err.find("3s-7s"), std::string::npos);
}

TEST_F(OptionsTest, TheMaxOrderTotalIsExactMoneyAndZeroMeansNoLimit) {
  auto limit = [](const std::string& text) {
    const Parsed p = parse({"--max-order-total", text});
    EXPECT_FALSE(p.exit_code) << text << ": " << p.err;
    return p.options.engine.max_order_total;
  };
  EXPECT_EQ(limit("1000.00"), 100'000);
  EXPECT_EQ(limit("59.99"), 5'999);  // no binary floating point: not 5998
  EXPECT_EQ(limit("0.29"), 29);
  EXPECT_EQ(limit("1000"), 100'000);
  EXPECT_EQ(limit("1e3"), 100'000);
  EXPECT_EQ(limit("0.015"), 2);  // rounded to the cent as prices are, halves up
  EXPECT_EQ(limit("11258999068426.24"), kMaxClientTotal);
  EXPECT_EQ(limit("0"), 0);
  EXPECT_EQ(limit("0.00"), 0);
  const std::string error = parse({"--max-order-total", "ten"}).err;
  EXPECT_NE(error.find("such as 1000.00"), std::string::npos) << error;
  EXPECT_NE(error.find("'ten'"), std::string::npos) << error;
}

TEST_F(OptionsTest, ListeningBeyondLoopbackWithoutAuthenticationIsRefusedUnlessAllowed) {
  for (std::string address : {"0.0.0.0", "::", "192.168.1.10", "example.com"}) {
    const Parsed refused = parse({"--bind", address});
    EXPECT_EQ(refused.exit_code, std::optional<int>(2)) << address;
    EXPECT_NE(refused.err.find("refusing to listen on " + address), std::string::npos)
        << refused.err;
    EXPECT_NE(refused.err.find("--allow-unauthenticated"), std::string::npos) << refused.err;
    const Parsed allowed = parse({"--bind", address, "--allow-unauthenticated"});
    EXPECT_FALSE(allowed.exit_code) << address << ": " << allowed.err;
  }
  for (std::string address : {"127.0.0.1", "127.1.2.3", "::1", "localhost"}) {
    EXPECT_FALSE(parse({"--bind", address}).exit_code) << address;
  }
}

TEST_F(OptionsTest, TheTlsCertificateAndKeyComeTogetherOrNotAtAll) {
  for (const auto& [flag, missing] :
       {std::pair{"--tls-cert", "--tls-key"}, std::pair{"--tls-key", "--tls-cert"}}) {
    const Parsed p = parse({flag, "/etc/orderd/file.pem"});
    EXPECT_EQ(p.exit_code, std::optional<int>(2)) << flag;
    EXPECT_NE(p.err.find(std::string(flag) + " was given without " + missing), std::string::npos)
        << p.err;
    EXPECT_NE(p.err.find("or neither"), std::string::npos) << p.err;
  }
  setenv("ORDERD_TLS_CERT", "/etc/orderd/cert.pem", 1);
  const Parsed from_environment = parse({});
  EXPECT_EQ(from_environment.exit_code, std::optional<int>(2));
  EXPECT_NE(from_environment.err.find("--tls-cert was given without --tls-key"), std::string::npos)
      << from_environment.err;
  // One from the environment, one as a flag: both given.
  const Parsed mixed = parse({"--tls-key", "/etc/orderd/key.pem"});
  EXPECT_FALSE(mixed.exit_code) << mixed.err;
  EXPECT_EQ(mixed.options.server.tls_cert_file, "/etc/orderd/cert.pem");
  EXPECT_EQ(mixed.options.server.tls_key_file, "/etc/orderd/key.pem");
  unsetenv("ORDERD_TLS_CERT");
}

TEST_F(OptionsTest, TheTlsFilesAreReadWhenTheServerStartsNotWhenFlagsAreParsed) {
  // A path that does not exist parses: the server names it when it starts.
  const Parsed p = parse({"--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/k"});
  EXPECT_FALSE(p.exit_code) << p.err;
  EXPECT_EQ(p.options.server.tls_cert_file, "/nonexistent/cert.pem");
}

TEST_F(OptionsTest, AuthJwtNeedsAUsableKeyAndSaysHowToGetOne) {
  Parsed p = parse({"--auth", "jwt"});
  EXPECT_EQ(p.exit_code, std::optional<int>(2));
  EXPECT_NE(p.err.find("--jwt-secret-file"), std::string::npos) << p.err;
  p = parse({"--auth", "jwt", "--jwt-secret", "too-short"});
  EXPECT_EQ(p.exit_code, std::optional<int>(2));
  EXPECT_NE(p.err.find("32 bytes"), std::string::npos) << p.err;
  p = parse({"--auth", "jwt", "--jwt-public-key-file", "/no/such/key.pem"});
  EXPECT_EQ(p.exit_code, std::optional<int>(2));
  EXPECT_NE(p.err.find("cannot read /no/such/key.pem"), std::string::npos) << p.err;
  p = parse({"--auth", "magic"});
  EXPECT_NE(p.exit_code, std::nullopt);
  EXPECT_FALSE(parse({"--auth", "jwt", "--jwt-secret", kSecretA}).exit_code);
}

TEST_F(OptionsTest, WithAuthenticationOrderdMayListenBeyondLoopback) {
  const Parsed p = parse({"--bind", "0.0.0.0", "--auth", "jwt", "--jwt-secret", kSecretA});
  EXPECT_FALSE(p.exit_code) << p.err;
  EXPECT_EQ(exposure_refusal(p.options), "");
}

TEST_F(OptionsTest, AKeyFileLosesItsTrailingNewlineOnly) {
  std::string text, error;
  ASSERT_TRUE(read_key_file(file_holding("nl", " padded secret \r"), text, error)) << error;
  EXPECT_EQ(text, " padded secret ");
  EXPECT_FALSE(read_key_file(file_holding("empty", ""), text, error));
  EXPECT_NE(error.find("is empty"), std::string::npos);
}

TEST_F(OptionsTest, UnknownFlagsAndMissingValuesAreRefused) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--no-such-flag"}, {"--port"}, {"extra"}, {"--port", "1", "--port", "2"}}) {
    const Parsed p = parse(args);
    ASSERT_TRUE(p.exit_code) << args.front();
    EXPECT_NE(*p.exit_code, 0) << args.front();
    EXPECT_FALSE(p.err.empty()) << args.front();
  }
}

}  // namespace
}  // namespace orderd::app
