#include "net/json_output.h"

#include "net/fixed_point.h"
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

void write_money(JsonWriter& w, Cents amount) {
  char text[kMaxScaledDecimalChars];
  w.RawValue(text, format_scaled_decimal(amount, 2, text), rapidjson::kNumberType);
}

void write_seconds(JsonWriter& w, Micros duration) {
  char text[kMaxScaledDecimalChars];
  w.RawValue(text, format_scaled_decimal(duration, 6, text), rapidjson::kNumberType);
}

void write_timestamp_or_null(JsonWriter& w, Micros at) {
  if (at == 0) {
    w.Null();
    return;
  }
  char text[kIso8601Chars];
  w.String(text, static_cast<rapidjson::SizeType>(format_iso8601(at, text)));
}

}  // namespace orderd::net
