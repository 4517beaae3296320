// The simulated processing time of an order: none, fixed, or uniform in a range.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/types.h"

namespace orderd {

struct ProcessingDelay {
  Micros min = 0;
  Micros max = 0;  // == min for a fixed delay

  bool none() const { return max == 0; }

  // Draws a delay in [min, max]; `state` is the caller's random state (any
  // non-zero seed), so concurrent callers never share one generator.
  Micros sample(std::uint64_t& state) const;

  // Parses "0", "250ms", "2s", "1.5s", "800us", "3s-7s" (a uniform range).
  // On failure returns nullopt and fills `error`.
  static std::optional<ProcessingDelay> parse(std::string_view text, std::string* error);

  std::string to_string() const;
};

}  // namespace orderd
