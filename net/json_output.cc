#include "net/json_output.h"

#include "net/time_format.h"

namespace orderd::net {

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

}  // namespace orderd::net
