// The simulated processing time of an order: none, fixed, or uniform in a range.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/types.h"

namespace orderd {

struct ProcessingDelay {
  Micros min = 0;
  Micros max = 0;  // == min for a fixed delay

  bool none() const { return max == 0; }

  // Draws a delay in [min, max], uniformly; `state` is the caller's random
  // state (any seed; the same seed draws the same delays), so concurrent
  // callers never share one generator.
  Micros sample(std::uint64_t& state) const;

  // Parses "0", a duration in base/duration.h's grammar ("250ms", "1.5s",
  // "800us"), or a uniform range of two such as "3s-7s"; each end at most
  // 24h. On failure returns nullopt and fills `error`.
  static std::optional<ProcessingDelay> parse(std::string_view text, std::string* error);

  std::string to_string() const;
};

}  // namespace orderd
