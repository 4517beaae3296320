// Writing API JSON with RapidJSON's Writer: money, durations and timestamps
// in the formats the API documents (keys, strings and plain values:
// base/json_writer.h).
//
// Writers and buffers are the caller's (one per thread, reused); these
// helpers only format into them and allocate nothing themselves, except
// error_body(), which returns a string.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

#include "base/json_writer.h"
#include "engine/types.h"

namespace orderd::net {

using JsonBuffer = rapidjson::StringBuffer;
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// {"error": message}, the body of every error response; the message is
// escaped as JSON requires (quotes, backslashes, control characters).
void write_error_object(JsonWriter& w, std::string_view message);

// The same as a new string, for error responses built outside a request
// handler (the connection's parse failures, timeouts and durability
// failures). Allocates the string.
std::string error_body(std::string_view message);

// Cents as a JSON number with two decimals at most: 5999 -> 59.99, 6000 -> 60.0.
void write_money(JsonWriter& w, Cents amount);

// A duration in microseconds as seconds: 2747467 -> 2.747467.
void write_seconds(JsonWriter& w, Micros duration);

// An instant as ISO 8601 UTC with microseconds, or null when 0 (not reached).
void write_timestamp_or_null(JsonWriter& w, Micros at);

// The time from `from` to `to` in seconds, or null while `to` is 0 (not
// reached yet): the duration of a stage that may not have ended.
void write_seconds_or_null(JsonWriter& w, Micros from, Micros to);

// numerator / denominator rounded to `decimals` (0..6) fraction digits,
// halves away from zero, as an exact JSON number (2.8, 80.0): averages and
// rates in analytics answers. 0.0 when the denominator is 0 (nothing to
// average), so an empty set reads as zero rather than failing.
void write_ratio(JsonWriter& w, std::int64_t numerator, std::int64_t denominator, int decimals = 2);

// Each of the above as an object member: X_field(w, key, ...) writes the
// key, then X(w, ...).
void write_money_field(JsonWriter& w, std::string_view key, Cents amount);
void write_seconds_field(JsonWriter& w, std::string_view key, Micros duration);
void write_timestamp_or_null_field(JsonWriter& w, std::string_view key, Micros at);
void write_seconds_or_null_field(JsonWriter& w, std::string_view key, Micros from, Micros to);
void write_ratio_field(JsonWriter& w, std::string_view key, std::int64_t numerator,
                       std::int64_t denominator, int decimals = 2);

// part / whole in percent, two decimals (1 of 3 is 33.33); 0.0 when whole is 0.
void write_percent_field(JsonWriter& w, std::string_view key, std::int64_t part,
                         std::int64_t whole);

// A text member, null when the text is empty (a field never given).
void write_text_or_null_field(JsonWriter& w, std::string_view key, std::string_view text);

}  // namespace orderd::net
