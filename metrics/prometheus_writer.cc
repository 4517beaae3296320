#include "metrics/prometheus_writer.h"

#include <charconv>
#include <cmath>

namespace orderd::metrics {
namespace {

std::string_view type_name(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// HELP text escapes only backslash and newline.
void append_help(std::string& out, std::string_view help) {
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

}  // namespace

std::string format_metric_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Plain decimals across the usual range, as Prometheus's own clients
  // write bucket bounds (le="0.0001", not "1e-04"), so label matchers on
  // le written by hand agree; exponents only for very small or large values.
  char buf[400];
  const double magnitude = std::fabs(value);
  const auto format = value == 0 || (magnitude >= 1e-4 && magnitude < 1e21)
                          ? std::chars_format::fixed
                          : std::chars_format::scientific;
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, format);
  return std::string(buf, end);
}

std::string PrometheusWriter::escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void PrometheusWriter::family(std::string_view name, std::string_view help, MetricType type) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  append_help(out_, help);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type_name(type);
  out_ += '\n';
}

void PrometheusWriter::write_name_and_labels(std::string_view name, std::string_view suffix,
                                             Labels labels, std::string_view le) {
  out_ += name;
  out_ += suffix;
  if (labels.size() == 0 && le.empty()) return;
  out_ += '{';
  bool first = true;
  for (const auto& [key, value] : labels) {
    if (!first) out_ += ',';
    first = false;
    out_ += key;
    out_ += "=\"";
    out_ += escape_label_value(value);
    out_ += '"';
  }
  if (!le.empty()) {
    if (!first) out_ += ',';
    out_ += "le=\"";
    out_ += le;
    out_ += '"';
  }
  out_ += '}';
}

void PrometheusWriter::sample(std::string_view name, Labels labels, std::int64_t value) {
  write_name_and_labels(name, {}, labels);
  out_ += ' ';
  append_int(out_, value);
  out_ += '\n';
}

void PrometheusWriter::sample(std::string_view name, Labels labels, double value) {
  write_name_and_labels(name, {}, labels);
  out_ += ' ';
  out_ += format_metric_value(value);
  out_ += '\n';
}

void PrometheusWriter::histogram(std::string_view name, Labels labels,
                                 std::span<const double> upper_bounds,
                                 std::span<const std::uint64_t> counts, double sum) {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= upper_bounds.size(); ++i) {
    cumulative += i < counts.size() ? counts[i] : 0;
    std::string le = i < upper_bounds.size() ? format_metric_value(upper_bounds[i]) : "+Inf";
    write_name_and_labels(name, "_bucket", labels, le);
    out_ += ' ';
    append_int(out_, static_cast<std::int64_t>(cumulative));
    out_ += '\n';
  }
  write_name_and_labels(name, "_sum", labels);
  out_ += ' ';
  out_ += format_metric_value(sum);
  out_ += '\n';
  write_name_and_labels(name, "_count", labels);
  out_ += ' ';
  append_int(out_, static_cast<std::int64_t>(cumulative));
  out_ += '\n';
}

}  // namespace orderd::metrics
