#include "loadgen/report.h"

#include <cstdio>
#include <ostream>

namespace orderd::loadgen {
namespace {

std::string printf_string(const char* format, auto... args) {
  char text[256];
  std::snprintf(text, sizeof text, format, args...);
  return text;
}

std::string latency_row(const char* label, const Histogram& h) {
  return printf_string(
      "  %-12s %9s %9s %9s %9s %9s %9s\n", label, format_latency(h.percentile(50)).c_str(),
      format_latency(h.percentile(90)).c_str(), format_latency(h.percentile(99)).c_str(),
      format_latency(h.percentile(99.9)).c_str(), format_latency(h.percentile(99.99)).c_str(),
      format_latency(h.max()).c_str());
}

double microseconds(std::uint64_t nanoseconds) { return static_cast<double>(nanoseconds) / 1000.0; }

}  // namespace

std::string format_latency(std::uint64_t nanoseconds) {
  const double ns = static_cast<double>(nanoseconds);
  struct Unit {
    double scale;
    const char* name;
  };
  constexpr Unit kUnits[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "us"}};
  for (const Unit& unit : kUnits) {
    if (ns >= unit.scale) {
      const double value = ns / unit.scale;
      const int decimals = value >= 100 ? 0 : value >= 10 ? 1 : 2;
      return printf_string("%.*f%s", decimals, value, unit.name);
    }
  }
  return printf_string("%.2fus", ns / 1e3);
}

void print_summary(std::ostream& out, const RunResult& r) {
  const RunOptions& o = r.options;
  const RequestStats& s = r.stats;
  out << "orderload " << workload_name(o.workload);
  if (o.workload == Workload::kMixed)
    out << " " << o.create_percent << "/" << 100 - o.create_percent;
  out << " against " << o.url.text() << ", "
      << (o.open_loop() ? printf_string("open loop at %.0f req/s", o.rate) : "closed loop") << ", "
      << o.connections << (o.connections == 1 ? " connection" : " connections") << " on "
      << o.threads << (o.threads == 1 ? " thread" : " threads") << ", run " << o.run_id << "\n";
  if (r.interrupted) out << "  interrupted: the figures cover the part that ran\n";
  out << printf_string("  measured   %.2f s after %.2f s of warm-up", r.measured_seconds,
                       std::chrono::duration<double>(o.warmup).count());
  if (r.seeded_orders > 0) out << ", " << r.seeded_orders << " orders seeded";
  out << "\n";
  if (o.open_loop()) {
    out << printf_string("  offered    %.1f req/s (%llu requests due)\n", o.rate,
                         static_cast<unsigned long long>(r.offered_requests));
  }
  out << printf_string("  achieved   %.1f req/s (%llu responses), %.1f req/s ok\n",
                       r.achieved_rate(), static_cast<unsigned long long>(s.responses),
                       r.ok_rate());
  if (r.unsent() > 0) {
    out << printf_string(
        "  behind     %llu due requests were never sent: the offered rate was not kept up\n",
        static_cast<unsigned long long>(r.unsent()));
  }
  out << "  status    ";
  bool any_status = false;
  for (unsigned code = 0; code < s.status_counts.size(); ++code) {
    if (s.status_counts[code] == 0) continue;
    out << " " << (code == 0 ? std::string("other") : std::to_string(code)) << ": "
        << s.status_counts[code];
    any_status = true;
  }
  out << (any_status ? "\n" : " none\n");
  out << "  errors    ";
  if (s.total_errors() == 0) out << " none";
  for (std::size_t i = 0; i < kErrorKindCount; ++i) {
    if (s.errors[i] > 0)
      out << " " << error_kind_name(static_cast<ErrorKind>(i)) << ": " << s.errors[i];
  }
  out << "\n";
  if (s.reconnects > 0) out << "  reconnects " << s.reconnects << "\n";
  out << printf_string("  %-12s %9s %9s %9s %9s %9s %9s\n", "latency", "p50", "p90", "p99", "p99.9",
                       "p99.99", "max");
  out << latency_row(o.open_loop() ? "corrected" : "measured", s.corrected);
  if (o.open_loop()) out << latency_row("uncorrected", s.uncorrected);
  out << printf_string("  orderload CPU %.2f s user + %.2f s system = %.2f cores\n",
                       r.cpu.user_seconds, r.cpu.system_seconds,
                       r.measured_seconds > 0 ? r.cpu.total_seconds() / r.measured_seconds : 0.0);
}

std::string progress_line(const Progress& p) {
  std::string line;
  if (p.planned_seconds > 0) {
    line = printf_string("[%5.0fs/%.0fs]", p.elapsed_seconds, p.planned_seconds);
  } else {
    line = printf_string("[%llu/%llu]",
                         static_cast<unsigned long long>(p.total ? p.total->responses : 0),
                         static_cast<unsigned long long>(p.planned_requests));
  }
  if (p.last != nullptr && p.last->interval_seconds > 0) {
    const RequestStats& s = p.last->stats;
    line += printf_string(" %9.0f req/s  p50 %s  p99 %s  max %s",
                          static_cast<double>(s.responses) / p.last->interval_seconds,
                          format_latency(s.corrected.percentile(50)).c_str(),
                          format_latency(s.corrected.percentile(99)).c_str(),
                          format_latency(s.corrected.max()).c_str());
  }
  if (p.total != nullptr) {
    line +=
        printf_string("  errors %llu", static_cast<unsigned long long>(p.total->total_errors()));
  }
  return line;
}

std::string csv_header() {
  return "elapsed_s,interval_s,responses,ok,errors,rate,p50_us,p90_us,p99_us,p99.9_us,max_us,"
         "uncorrected_p99_us,uncorrected_max_us\n";
}

std::string csv_row(const IntervalSample& sample) {
  const RequestStats& s = sample.stats;
  const double rate =
      sample.interval_seconds > 0 ? static_cast<double>(s.responses) / sample.interval_seconds : 0;
  return printf_string(
      "%.3f,%.3f,%llu,%llu,%llu,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f\n", sample.elapsed_seconds,
      sample.interval_seconds, static_cast<unsigned long long>(s.responses),
      static_cast<unsigned long long>(s.ok), static_cast<unsigned long long>(s.total_errors()),
      rate, microseconds(s.corrected.percentile(50)), microseconds(s.corrected.percentile(90)),
      microseconds(s.corrected.percentile(99)), microseconds(s.corrected.percentile(99.9)),
      microseconds(s.corrected.max()), microseconds(s.uncorrected.percentile(99)),
      microseconds(s.uncorrected.max()));
}

}  // namespace orderd::loadgen
