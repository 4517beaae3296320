#include "logging/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>

namespace orderd::logging {
namespace {

std::atomic<Level> g_level{Level::kInfo};
std::atomic<Format> g_format{Format::kLogfmt};

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarn:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
    case Level::kOff:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

// spdlog writes the timestamp (UTC, microseconds) and the level; the
// message body comes preformatted from format_fields().
void apply_pattern(spdlog::logger& logger, Format format) {
  if (format == Format::kJson) {
    logger.set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v})",
                       spdlog::pattern_time_type::utc);
  } else {
    logger.set_pattern("ts=%Y-%m-%dT%H:%M:%S.%fZ level=%l %v", spdlog::pattern_time_type::utc);
  }
}

spdlog::logger& logger() {
  static std::shared_ptr<spdlog::logger> instance = [] {
    auto l = std::make_shared<spdlog::logger>("orderd",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
    apply_pattern(*l, Format::kLogfmt);
    l->set_level(spdlog::level::debug);  // filtering happens in enabled()
    l->flush_on(spdlog::level::debug);
    return l;
  }();
  return *instance;
}

bool needs_quotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (c == ' ' || c == '=' || c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      return true;
    }
  }
  return false;
}

// Quoted and escaped the same way for logfmt and JSON.
void append_quoted(std::string& out, std::string_view v) {
  out += '"';
  for (char c : v) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char* hex = "0123456789abcdef";
          out += "\\u00";
          out += hex[(c >> 4) & 0xF];
          out += hex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace

void configure(Level level, Format format) {
  g_level.store(level);
  g_format.store(format);
  apply_pattern(logger(), format);
}

bool enabled(Level level) {
  return level != Level::kOff && level >= g_level.load(std::memory_order_relaxed);
}

std::string format_fields(Format format, std::string_view message,
                          std::initializer_list<Field> fields) {
  std::string out;
  if (format == Format::kJson) {
    out += "\"msg\":";
    append_quoted(out, message);
    for (const auto& f : fields) {
      out += ',';
      append_quoted(out, f.key);
      out += ':';
      if (f.bare) {
        out += f.value;
      } else {
        append_quoted(out, f.value);
      }
    }
    out += '}';
    return out;
  }
  out += "msg=";
  if (needs_quotes(message)) {
    append_quoted(out, message);
  } else {
    out += message;
  }
  for (const auto& f : fields) {
    out += ' ';
    out += f.key;
    out += '=';
    if (needs_quotes(f.value)) {
      append_quoted(out, f.value);
    } else {
      out += f.value;
    }
  }
  return out;
}

void write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  if (!enabled(level)) return;
  std::string body = format_fields(g_format.load(std::memory_order_relaxed), message, fields);
  logger().log(to_spdlog(level), "{}", body);
}

std::optional<Level> parse_level(std::string_view name) {
  if (name == "debug") return Level::kDebug;
  if (name == "info") return Level::kInfo;
  if (name == "warn" || name == "warning") return Level::kWarn;
  if (name == "error") return Level::kError;
  if (name == "off") return Level::kOff;
  return std::nullopt;
}

std::optional<Format> parse_format(std::string_view name) {
  if (name == "logfmt") return Format::kLogfmt;
  if (name == "json") return Format::kJson;
  return std::nullopt;
}

}  // namespace orderd::logging
