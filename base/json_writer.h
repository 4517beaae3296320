// string_view conveniences for RapidJSON writers, shared by the API's
// responses (net/) and orderload's result files (loadgen/), so both spell
// keys, strings and exact decimals the same way. Work with any RapidJSON
// Writer or PrettyWriter; they allocate nothing themselves (the writer's
// buffer may grow).
#pragma once

#include <rapidjson/rapidjson.h>

#include <cstdint>
#include <string_view>

#include "base/decimal.h"

namespace orderd {

template <typename Writer>
void write_key(Writer& w, std::string_view key) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

// Escapes quotes, backslashes and control characters as JSON requires.
template <typename Writer>
void write_string(Writer& w, std::string_view value) {
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

// value / 10^scale as an exact JSON number (see format_scaled_decimal):
// cents with scale 2, microseconds as seconds with scale 6.
template <typename Writer>
void write_scaled_decimal(Writer& w, std::int64_t value, int scale) {
  char text[kMaxScaledDecimalChars];
  w.RawValue(text, format_scaled_decimal(value, scale, text), rapidjson::kNumberType);
}

}  // namespace orderd
