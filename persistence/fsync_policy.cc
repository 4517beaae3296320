#include "persistence/fsync_policy.h"

#include "base/duration.h"

namespace orderd::persistence {
namespace {

using namespace std::chrono_literals;

// A bare number is milliseconds: the policy was "interval:<ms>" before
// durations took units, and that spelling stays documented.
constexpr DurationLimits kIntervalLimits{
    .min = 1ms, .max = 60s, .step = 1ms, .bare_number_unit = 1ms};

}  // namespace

std::optional<FsyncPolicy> FsyncPolicy::parse(std::string_view text, std::string* error) {
  if (text == "always") return always();
  if (text == "never") return never();
  constexpr std::string_view kInterval = "interval:";
  if (text.starts_with(kInterval)) {
    std::string why;
    const auto interval = parse_duration(text.substr(kInterval.size()), &why, kIntervalLimits);
    if (interval) return every(std::chrono::duration_cast<std::chrono::milliseconds>(*interval));
    if (error)
      *error = "in '" + std::string(text) + "': " + why + " (a bare number is milliseconds)";
    return std::nullopt;
  }
  if (error) {
    *error =
        "fsync policy must be always, never or interval:<duration> such as interval:10ms, got '" +
        std::string(text) + "'";
  }
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
