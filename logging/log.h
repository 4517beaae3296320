// Structured logging: one line per event, logfmt or JSON, with a level.
//
//   logging::info("listening", {{"address", "127.0.0.1:5000"}, {"threads", 2}});
//   → ts=2026-11-22T10:00:00.123456Z level=info msg=listening address=127.0.0.1:5000 threads=2
//
// Thread-safe. Lines go to stderr. Building the fields costs a few small
// strings, so keep logging off per-request paths unless asked for (the
// access log is opt-in).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace orderd::logging {

enum class Level { kDebug, kInfo, kWarn, kError, kOff };
enum class Format { kLogfmt, kJson };

struct Field {
  Field(std::string_view k, std::string_view v) : key(k), value(v) {}
  Field(std::string_view k, const char* v) : key(k), value(v) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v ? "true" : "false"), bare(true) {}
  template <typename Number>
  requires std::is_arithmetic_v<Number> Field(std::string_view k, Number v)
      : key(k), value(std::to_string(v)), bare(true) {}

  std::string_view key;
  std::string value;
  bool bare = false;  // numbers and booleans: unquoted in JSON
};

// Sets the threshold and format; before the first call: info, logfmt.
void configure(Level level, Format format);
bool enabled(Level level);

void write(Level level, std::string_view message, std::initializer_list<Field> fields);

inline void debug(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::kDebug, m, f);
}
inline void info(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::kInfo, m, f);
}
inline void warn(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::kWarn, m, f);
}
inline void error(std::string_view m, std::initializer_list<Field> f = {}) {
  write(Level::kError, m, f);
}

// "debug", "info", "warn", "error", "off".
std::optional<Level> parse_level(std::string_view name);
std::optional<Format> parse_format(std::string_view name);

// The body of one line after the timestamp and level, exposed for tests.
std::string format_fields(Format format, std::string_view message,
                          std::initializer_list<Field> fields);

}  // namespace orderd::logging
