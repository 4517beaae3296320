#include "loadgen/result_json.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <chrono>
#include <cmath>
#include <string_view>

#include "base/json_writer.h"

namespace orderd::loadgen {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

// Three decimals are plenty for rates and seconds, and keep the file readable.
double rounded(double value, double scale = 1000) { return std::round(value * scale) / scale; }

double seconds(std::chrono::nanoseconds d) {
  return rounded(std::chrono::duration<double>(d).count());
}

double microseconds(std::uint64_t nanoseconds) {
  return rounded(static_cast<double>(nanoseconds) / 1000.0, 10);
}

void write_latency(Writer& w, std::string_view name, const Histogram& h) {
  write_key(w, name);
  w.StartObject();
  write_key(w, "count");
  w.Uint64(h.count());
  write_key(w, "min");
  w.Double(microseconds(h.min()));
  write_key(w, "mean");
  w.Double(rounded(h.mean() / 1000.0, 10));
  constexpr std::pair<const char*, double> kPercentiles[] = {
      {"p50", 50}, {"p90", 90}, {"p99", 99}, {"p99.9", 99.9}, {"p99.99", 99.99}};
  for (const auto& [label, percentile] : kPercentiles) {
    write_key(w, label);
    w.Double(microseconds(h.percentile(percentile)));
  }
  write_key(w, "max");
  w.Double(microseconds(h.max()));
  w.EndObject();
}

void write_config(Writer& w, const RunOptions& o) {
  write_key(w, "config");
  w.StartObject();
  write_key(w, "url");
  write_string(w, o.url.text());
  write_key(w, "workload");
  write_string(w, workload_name(o.workload));
  if (o.workload == Workload::kMixed) {
    write_key(w, "mix_create_percent");
    w.Uint(o.create_percent);
  }
  write_key(w, "mode");
  write_string(w, o.open_loop() ? "open" : "closed");
  write_key(w, "rate");
  o.open_loop() ? w.Double(o.rate) : w.Null();
  write_key(w, "connections");
  w.Uint(o.connections);
  write_key(w, "threads");
  w.Uint(o.threads);
  write_key(w, "duration_s");
  o.requests ? w.Null() : w.Double(seconds(o.duration));
  write_key(w, "requests");
  o.requests ? w.Uint64(*o.requests) : w.Null();
  write_key(w, "warmup_s");
  w.Double(seconds(o.warmup));
  write_key(w, "timeout_s");
  w.Double(seconds(o.timeout));
  write_key(w, "users");
  w.Uint64(o.users);
  write_key(w, "products");
  w.Uint64(o.products);
  write_key(w, "items_per_order");
  w.Uint(o.items_per_order);
  write_key(w, "zipf");
  w.Double(o.zipf);
  if (needs_seeded_orders(o.workload)) {
    write_key(w, "seed_orders");
    w.Uint64(o.seed_orders);
  }
  if (o.workload == Workload::kPopulate) {
    write_key(w, "populate_entries");
    w.Uint64(o.populate_entries);
  }
  write_key(w, "random_seed");
  o.random_seed ? w.Uint64(*o.random_seed) : w.Null();
  w.EndObject();
}

}  // namespace

std::string result_to_json(const RunResult& r) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  const RequestStats& s = r.stats;
  w.StartObject();
  write_key(w, "tool");
  write_string(w, "orderload");
  write_key(w, "run_id");
  write_string(w, r.options.run_id);
  write_config(w, r.options);
  write_key(w, "interrupted");
  w.Bool(r.interrupted);
  write_key(w, "duration_s");
  w.Double(rounded(r.measured_seconds));
  write_key(w, "offered_rate");
  r.options.open_loop() ? w.Double(r.options.rate) : w.Null();
  write_key(w, "achieved_rate");
  w.Double(rounded(r.achieved_rate(), 10));
  write_key(w, "ok_rate");
  w.Double(rounded(r.ok_rate(), 10));

  write_key(w, "requests");
  w.StartObject();
  write_key(w, "offered");
  w.Uint64(r.offered_requests);
  write_key(w, "sent");
  w.Uint64(s.sent);
  write_key(w, "unsent");
  w.Uint64(r.unsent());
  write_key(w, "responses");
  w.Uint64(s.responses);
  write_key(w, "ok");
  w.Uint64(s.ok);
  write_key(w, "failed");
  w.Uint64(s.failed_requests());
  write_key(w, "seeded_orders");
  w.Uint64(r.seeded_orders);
  w.EndObject();

  write_key(w, "status_codes");
  w.StartObject();
  for (unsigned code = 0; code < s.status_counts.size(); ++code) {
    if (s.status_counts[code] == 0) continue;
    const std::string name = code == 0 ? "other" : std::to_string(code);
    write_key(w, name);
    w.Uint64(s.status_counts[code]);
  }
  w.EndObject();

  write_key(w, "errors");
  w.StartObject();
  for (std::size_t i = 0; i < kErrorKindCount; ++i) {
    write_key(w, error_kind_name(static_cast<ErrorKind>(i)));
    w.Uint64(s.errors[i]);
  }
  write_key(w, "total");
  w.Uint64(s.total_errors());
  w.EndObject();
  write_key(w, "reconnects");
  w.Uint64(s.reconnects);

  write_latency(w, "latency_us", s.corrected);
  write_latency(w, "latency_uncorrected_us", s.uncorrected);

  write_key(w, "cpu");
  w.StartObject();
  write_key(w, "user_s");
  w.Double(rounded(r.cpu.user_seconds));
  write_key(w, "system_s");
  w.Double(rounded(r.cpu.system_seconds));
  write_key(w, "cores_used");
  w.Double(r.measured_seconds > 0 ? rounded(r.cpu.total_seconds() / r.measured_seconds) : 0.0);
  w.EndObject();

  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace orderd::loadgen
