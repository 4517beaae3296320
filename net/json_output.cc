#include "net/json_output.h"

#include <algorithm>
#include <cstdint>

#include "net/time_format.h"

namespace orderd::net {

void write_error_object(JsonWriter& w, std::string_view message) {
  w.StartObject();
  write_key(w, "error");
  write_string(w, message);
  w.EndObject();
}

std::string error_body(std::string_view message) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  write_error_object(w, message);
  return {buffer.GetString(), buffer.GetSize()};
}

void write_money(JsonWriter& w, Cents amount) { write_scaled_decimal(w, amount, 2); }

void write_seconds(JsonWriter& w, Micros duration) { write_scaled_decimal(w, duration, 6); }

void write_timestamp_or_null(JsonWriter& w, Micros at) {
  if (at == 0) {
    w.Null();
    return;
  }
  char text[kIso8601Chars];
  w.String(text, static_cast<rapidjson::SizeType>(format_iso8601(at, text)));
}

void write_seconds_or_null(JsonWriter& w, Micros from, Micros to) {
  if (to == 0) {
    w.Null();
    return;
  }
  write_seconds(w, to - from);
}

void write_ratio(JsonWriter& w, std::int64_t numerator, std::int64_t denominator, int decimals) {
  if (denominator == 0) {
    write_scaled_decimal(w, 0, decimals);
    return;
  }
  // 128 bits: the numerator scaled by 10^6 may not fit in 64.
  __int128 scaled = numerator;
  for (int i = 0; i < decimals; ++i) scaled *= 10;
  __int128 quotient = scaled / denominator;
  const __int128 remainder = scaled % denominator;
  const __int128 abs_remainder = remainder < 0 ? -remainder : remainder;
  const __int128 abs_denominator = denominator < 0 ? -__int128{denominator} : denominator;
  if (2 * abs_remainder >= abs_denominator) quotient += (scaled < 0) != (denominator < 0) ? -1 : 1;
  const __int128 limit = INT64_MAX;
  quotient = std::clamp(quotient, -limit, limit);
  write_scaled_decimal(w, static_cast<std::int64_t>(quotient), decimals);
}

void write_money_field(JsonWriter& w, std::string_view key, Cents amount) {
  write_key(w, key);
  write_money(w, amount);
}

void write_seconds_field(JsonWriter& w, std::string_view key, Micros duration) {
  write_key(w, key);
  write_seconds(w, duration);
}

void write_timestamp_or_null_field(JsonWriter& w, std::string_view key, Micros at) {
  write_key(w, key);
  write_timestamp_or_null(w, at);
}

void write_seconds_or_null_field(JsonWriter& w, std::string_view key, Micros from, Micros to) {
  write_key(w, key);
  write_seconds_or_null(w, from, to);
}

void write_ratio_field(JsonWriter& w, std::string_view key, std::int64_t numerator,
                       std::int64_t denominator, int decimals) {
  write_key(w, key);
  write_ratio(w, numerator, denominator, decimals);
}

void write_percent_field(JsonWriter& w, std::string_view key, std::int64_t part,
                         std::int64_t whole) {
  write_ratio_field(w, key, part * 100, whole);
}

void write_text_or_null_field(JsonWriter& w, std::string_view key, std::string_view text) {
  write_key(w, key);
  if (text.empty()) {
    w.Null();
  } else {
    write_string(w, text);
  }
}

}  // namespace orderd::net
