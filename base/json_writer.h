// string_view conveniences for RapidJSON writers, shared by the API's
// responses (net/) and orderload's result files (loadgen/), so both spell
// keys, strings, plain values and exact decimals the same way. Work with any
// RapidJSON Writer or PrettyWriter; they allocate nothing themselves (the
// writer's buffer may grow).
#pragma once

#include <rapidjson/rapidjson.h>

#include <concepts>
#include <cstdint>
#include <optional>
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

namespace json_writer_detail {
template <typename T>
inline constexpr bool kIsOptional = false;
template <typename T>
inline constexpr bool kIsOptional<std::optional<T>> = true;
template <typename T>
inline constexpr bool kUnsupported = false;
}  // namespace json_writer_detail

// A plain C++ value as JSON: bool as true or false; signed and unsigned
// integers of any width as exact integers; floating point as the writer's
// Double writes it; whatever a std::string_view can view (literals,
// std::string) as an escaped string; a std::optional as its value, or null
// when empty. A char is refused rather than guessed at (number or string?).
template <typename Writer, typename T>
void write_value(Writer& w, const T& value) {
  if constexpr (std::same_as<T, bool>) {
    w.Bool(value);
  } else if constexpr (json_writer_detail::kIsOptional<T>) {
    if (value) {
      write_value(w, *value);
    } else {
      w.Null();
    }
  } else if constexpr (std::same_as<T, char>) {
    static_assert(json_writer_detail::kUnsupported<T>, "write a char as a string or a number");
  } else if constexpr (std::signed_integral<T>) {
    w.Int64(value);
  } else if constexpr (std::unsigned_integral<T>) {
    w.Uint64(value);
  } else if constexpr (std::floating_point<T>) {
    w.Double(value);
  } else if constexpr (std::convertible_to<const T&, std::string_view>) {
    write_string(w, value);
  } else {
    static_assert(json_writer_detail::kUnsupported<T>, "no JSON form for this type");
  }
}

// One member of an object: its key, then write_value(value).
// write_field(w, "id", 42) writes "id":42.
template <typename Writer, typename T>
void write_field(Writer& w, std::string_view key, const T& value) {
  write_key(w, key);
  write_value(w, value);
}

// value / 10^scale as an exact JSON number (see format_scaled_decimal):
// cents with scale 2, microseconds as seconds with scale 6.
template <typename Writer>
void write_scaled_decimal(Writer& w, std::int64_t value, int scale) {
  char text[kMaxScaledDecimalChars];
  w.RawValue(text, format_scaled_decimal(value, scale, text), rapidjson::kNumberType);
}

}  // namespace orderd
