#include "loadgen/result_json.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <chrono>
#include <cmath>
#include <optional>
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

// The rate an open loop offers; a closed loop offers none (null).
std::optional<double> offered_rate(const RunOptions& o) {
  return o.open_loop() ? std::optional(o.rate) : std::nullopt;
}

void write_latency(Writer& w, std::string_view name, const Histogram& h) {
  write_key(w, name);
  w.StartObject();
  write_field(w, "count", h.count());
  write_field(w, "min", microseconds(h.min()));
  write_field(w, "mean", rounded(h.mean() / 1000.0, 10));
  constexpr std::pair<const char*, double> kPercentiles[] = {
      {"p50", 50}, {"p90", 90}, {"p99", 99}, {"p99.9", 99.9}, {"p99.99", 99.99}};
  for (const auto& [label, percentile] : kPercentiles) {
    write_field(w, label, microseconds(h.percentile(percentile)));
  }
  write_field(w, "max", microseconds(h.max()));
  w.EndObject();
}

void write_config(Writer& w, const RunOptions& o) {
  write_key(w, "config");
  w.StartObject();
  write_field(w, "url", o.url.text());
  write_field(w, "workload", workload_name(o.workload));
  if (o.workload == Workload::kMixed) write_field(w, "mix_create_percent", o.create_percent);
  write_field(w, "mode", o.open_loop() ? "open" : "closed");
  write_field(w, "rate", offered_rate(o));
  write_field(w, "connections", o.connections);
  write_field(w, "threads", o.threads);
  // A run is bounded by its duration or by a number of requests, not both.
  write_field(w, "duration_s", o.requests ? std::nullopt : std::optional(seconds(o.duration)));
  write_field(w, "requests", o.requests);
  write_field(w, "warmup_s", seconds(o.warmup));
  write_field(w, "timeout_s", seconds(o.timeout));
  write_field(w, "users", o.users);
  write_field(w, "products", o.products);
  write_field(w, "items_per_order", o.items_per_order);
  write_field(w, "zipf", o.zipf);
  if (needs_seeded_orders(o.workload)) write_field(w, "seed_orders", o.seed_orders);
  if (o.workload == Workload::kPopulate) write_field(w, "populate_entries", o.populate_entries);
  write_field(w, "random_seed", o.random_seed);
  w.EndObject();
}

}  // namespace

std::string result_to_json(const RunResult& r) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  const RequestStats& s = r.stats;
  w.StartObject();
  write_field(w, "tool", "orderload");
  write_field(w, "run_id", r.options.run_id);
  write_config(w, r.options);
  write_field(w, "interrupted", r.interrupted);
  write_field(w, "duration_s", rounded(r.measured_seconds));
  write_field(w, "offered_rate", offered_rate(r.options));
  write_field(w, "achieved_rate", rounded(r.achieved_rate(), 10));
  write_field(w, "ok_rate", rounded(r.ok_rate(), 10));

  write_key(w, "requests");
  w.StartObject();
  write_field(w, "offered", r.offered_requests);
  write_field(w, "sent", s.sent);
  write_field(w, "unsent", r.unsent());
  write_field(w, "responses", s.responses);
  write_field(w, "ok", s.ok);
  write_field(w, "failed", s.failed_requests());
  write_field(w, "seeded_orders", r.seeded_orders);
  w.EndObject();

  write_key(w, "status_codes");
  w.StartObject();
  for (unsigned code = 0; code < s.status_counts.size(); ++code) {
    if (s.status_counts[code] == 0) continue;
    const std::string name = code == 0 ? "other" : std::to_string(code);
    write_field(w, name, s.status_counts[code]);
  }
  w.EndObject();

  write_key(w, "errors");
  w.StartObject();
  for (std::size_t i = 0; i < kErrorKindCount; ++i) {
    write_field(w, error_kind_name(static_cast<ErrorKind>(i)), s.errors[i]);
  }
  write_field(w, "total", s.total_errors());
  w.EndObject();
  write_field(w, "reconnects", s.reconnects);

  write_latency(w, "latency_us", s.corrected);
  write_latency(w, "latency_uncorrected_us", s.uncorrected);

  write_key(w, "cpu");
  w.StartObject();
  write_field(w, "user_s", rounded(r.cpu.user_seconds));
  write_field(w, "system_s", rounded(r.cpu.system_seconds));
  write_field(w, "cores_used",
              r.measured_seconds > 0 ? rounded(r.cpu.total_seconds() / r.measured_seconds) : 0.0);
  w.EndObject();

  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace orderd::loadgen
