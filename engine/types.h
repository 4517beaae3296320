// Basic value types shared by every part of the engine.
#pragma once

#include <chrono>
#include <cstdint>

namespace orderd {

using ProductId = std::uint64_t;
using UserId = std::uint64_t;
using OrderSeq = std::uint64_t;  // compact internal id, assigned at acceptance

// Money is kept in exact integer minor units (cents); floating point never
// touches an amount inside the engine.
using Cents = std::int64_t;

// Wall-clock instants and durations in microseconds since the Unix epoch.
using Micros = std::int64_t;

inline Micros wall_clock_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline Micros steady_clock_micros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace orderd
