#include "net/json_output.h"

#include "net/fixed_point.h"
#include "net/time_format.h"

namespace orderd::net {

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
