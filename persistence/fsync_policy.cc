#include "persistence/fsync_policy.h"

#include <charconv>

namespace orderd::persistence {

std::optional<FsyncPolicy> FsyncPolicy::parse(std::string_view text, std::string* error) {
  if (text == "always") return always();
  if (text == "never") return never();
  constexpr std::string_view kInterval = "interval:";
  if (text.substr(0, kInterval.size()) == kInterval) {
    std::string_view number = text.substr(kInterval.size());
    long long ms = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), ms);
    if (ec == std::errc() && end == number.data() + number.size() && ms > 0 && ms <= 60'000) {
      return every(std::chrono::milliseconds(ms));
    }
    if (error) *error = "fsync interval must be a whole number of milliseconds from 1 to 60000";
    return std::nullopt;
  }
  if (error) *error = "fsync policy must be always, never or interval:<ms>";
  return std::nullopt;
}

std::string FsyncPolicy::to_string() const {
  switch (mode) {
    case Mode::kAlways:
      return "always";
    case Mode::kNever:
      return "never";
    case Mode::kInterval:
      return "interval:" + std::to_string(interval.count());
  }
  return "unknown";
}

}  // namespace orderd::persistence
