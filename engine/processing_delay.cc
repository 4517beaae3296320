#include "engine/processing_delay.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace orderd {
namespace {

// Microseconds up to one day; anything longer is surely a typo.
constexpr Micros kMaxDelay = 86'400'000'000;

std::optional<Micros> parse_duration(std::string_view text) {
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || !std::isfinite(value) || value < 0) return std::nullopt;
  std::string_view unit(ptr, static_cast<std::size_t>(end - ptr));
  double scale;
  if (unit == "us") {
    scale = 1;
  } else if (unit == "ms") {
    scale = 1e3;
  } else if (unit == "s") {
    scale = 1e6;
  } else if (unit.empty() && value == 0) {
    scale = 0;
  } else {
    return std::nullopt;
  }
  double micros = value * scale;
  if (micros > static_cast<double>(kMaxDelay)) return std::nullopt;
  return static_cast<Micros>(std::llround(micros));
}

std::string format_duration(Micros us) {
  char buf[32];
  if (us % 1'000'000 == 0) {
    std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(us / 1'000'000));
  } else if (us % 1000 == 0) {
    std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(us / 1000));
  } else {
    std::snprintf(buf, sizeof buf, "%lldus", static_cast<long long>(us));
  }
  return buf;
}

}  // namespace

Micros ProcessingDelay::sample(std::uint64_t& state) const {
  if (max <= min) return min;
  // xorshift64*: cheap, good enough to spread simulated delays.
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  std::uint64_t r = state * 0x2545F4914F6CDD1DULL;
  return min + static_cast<Micros>(r % static_cast<std::uint64_t>(max - min + 1));
}

std::optional<ProcessingDelay> ProcessingDelay::parse(std::string_view text, std::string* error) {
  auto fail = [&] {
    if (error) {
      *error = "invalid processing time '" + std::string(text) +
               "': expected 0, a duration such as 250ms, 2s or 800us, or a range such as 3s-7s";
    }
    return std::nullopt;
  };
  auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    auto d = parse_duration(text);
    if (!d) return fail();
    return ProcessingDelay{*d, *d};
  }
  auto lo = parse_duration(text.substr(0, dash));
  auto hi = parse_duration(text.substr(dash + 1));
  if (!lo || !hi || *lo > *hi) return fail();
  return ProcessingDelay{*lo, *hi};
}

std::string ProcessingDelay::to_string() const {
  if (none()) return "0";
  if (min == max) return format_duration(min);
  return format_duration(min) + "-" + format_duration(max);
}

}  // namespace orderd
