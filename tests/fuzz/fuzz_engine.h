// The small engine the persistence fuzz targets restore into: cheap to
// build for every input, stopped, empty.
#pragma once

#include <memory>

#include "engine/engine.h"

namespace orderd::fuzz {

// The wall clock the targets judge expiry at, fixed so runs repeat.
inline constexpr Micros kFuzzClock = 1'800'000'000'000'000;

inline std::unique_ptr<Engine> make_fuzz_engine() {
  EngineConfig config;
  config.workers = 1;
  config.capacity = 1 << 12;
  config.order_shards = 4;
  config.max_products = 1 << 10;
  config.idempotency_max_keys = 1 << 10;
  config.max_revoked_tokens = 1 << 10;
  return std::make_unique<Engine>(config);
}

}  // namespace orderd::fuzz
