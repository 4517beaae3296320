#include "engine/processing_delay.h"

#include "base/duration.h"
#include "base/random.h"

namespace orderd {
namespace {

// Up to one day each end; anything longer is surely a typo.
constexpr DurationLimits kDelayLimits{.max = std::chrono::hours(24)};

std::optional<Micros> parse_end(std::string_view text, std::string* why) {
  auto parsed = parse_duration(text, why, kDelayLimits);
  if (!parsed) return std::nullopt;
  return parsed->count();
}

std::string format_end(Micros us) { return format_duration(std::chrono::microseconds(us)); }

}  // namespace

Micros ProcessingDelay::sample(std::uint64_t& state) const {
  if (max <= min) return min;
  const auto span = static_cast<std::uint64_t>(max - min) + 1;
  // Multiply-shift maps the 64 random bits onto the span without the
  // modulo's bias towards small values.
  const auto offset = (static_cast<unsigned __int128>(Random::splitmix64(state)) * span) >> 64;
  return min + static_cast<Micros>(offset);
}

std::optional<ProcessingDelay> ProcessingDelay::parse(std::string_view text, std::string* error) {
  std::string why;
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    const auto fixed = parse_end(text, &why);
    if (fixed) return ProcessingDelay{*fixed, *fixed};
    if (error) *error = why + " (or a range such as 3s-7s)";
    return std::nullopt;
  }
  const auto low = parse_end(text.substr(0, dash), &why);
  const auto high = low ? parse_end(text.substr(dash + 1), &why) : std::nullopt;
  if (high && *low > *high) why = "its start is above its end";
  if (high && *low <= *high) return ProcessingDelay{*low, *high};
  if (error) *error = "in the range '" + std::string(text) + "': " + why;
  return std::nullopt;
}

std::string ProcessingDelay::to_string() const {
  if (none()) return "0";
  if (min == max) return format_end(min);
  return format_end(min) + "-" + format_end(max);
}

}  // namespace orderd
