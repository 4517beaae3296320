#include "net/json_output.h"

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

}  // namespace orderd::net
