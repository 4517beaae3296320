#include "base/duration.h"

#include <array>
#include <cstdint>
#include <utility>

namespace orderd {
namespace {

using std::chrono::microseconds;

// Wide enough for any digit string the parser keeps (18 digits) times any
// unit, so that the arithmetic is exact and cannot overflow.
using Wide = __int128;

constexpr std::array<std::pair<std::string_view, std::int64_t>, 6> kUnits{{
    {"us", 1},
    {"ms", 1'000},
    {"s", 1'000'000},
    {"m", 60'000'000},
    {"min", 60'000'000},
    {"h", 3'600'000'000},
}};

// Digits kept of a number's integer part or fraction; more can only mean a
// value beyond kLongestDuration or finer than a microsecond.
constexpr std::size_t kMaxDigits = 18;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

struct Number {
  std::string_view integer;   // may be empty when the fraction is not
  std::string_view fraction;  // without trailing zeros
  std::string_view unit;      // whatever follows the number
};

std::optional<Number> split_number(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_digit(text[i])) ++i;
  Number number;
  number.integer = text.substr(0, i);
  if (i < text.size() && text[i] == '.') {
    const std::size_t begin = ++i;
    while (i < text.size() && is_digit(text[i])) ++i;
    number.fraction = text.substr(begin, i - begin);
  }
  if (number.integer.empty() && number.fraction.empty()) return std::nullopt;
  while (!number.fraction.empty() && number.fraction.back() == '0')
    number.fraction.remove_suffix(1);
  while (number.integer.size() > 1 && number.integer.front() == '0')
    number.integer.remove_prefix(1);
  number.unit = text.substr(i);
  return number;
}

Wide digits_value(std::string_view digits) {
  Wide value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

bool is_zero(const Number& number) {
  return number.fraction.empty() && number.integer.find_first_not_of('0') == std::string_view::npos;
}

// Microseconds in one of the number's unit; nullopt for an unknown unit,
// or a missing one that the caller does not supply.
std::optional<std::int64_t> unit_of(const Number& number, const DurationLimits& limits) {
  if (number.unit.empty()) {
    if (is_zero(number)) return 1;  // zero needs no unit
    if (limits.bare_number_unit.count() > 0) return limits.bare_number_unit.count();
    return std::nullopt;
  }
  for (const auto& [name, micros] : kUnits) {
    if (number.unit == name) return micros;
  }
  return std::nullopt;
}

std::string syntax_error(std::string_view text) {
  return "expected a duration such as 250ms, 1.5s or 10m (units us, ms, s, m, h), got " +
         quoted(text);
}

std::string range_text(const DurationLimits& limits) {
  if (limits.min.count() == 0) return "a duration of at most " + format_duration(limits.max);
  if (limits.max == kLongestDuration) {
    return "a duration of at least " + format_duration(limits.min);
  }
  return "a duration from " + format_duration(limits.min) + " to " + format_duration(limits.max);
}

std::optional<microseconds> fail(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return std::nullopt;
}

// The number times its unit, or nullopt for a fraction finer than 1us;
// saturated above kLongestDuration, which the caller refuses.
std::optional<Wide> micros_of(const Number& number, std::int64_t unit) {
  if (number.integer.size() > kMaxDigits) return Wide{kLongestDuration.count()} + 1;
  if (number.fraction.size() > kMaxDigits) return std::nullopt;
  Wide fraction_scale = 1;
  for (std::size_t i = 0; i < number.fraction.size(); ++i) fraction_scale *= 10;
  const Wide fraction_micros = digits_value(number.fraction) * unit;
  if (fraction_micros % fraction_scale != 0) return std::nullopt;
  return digits_value(number.integer) * unit + fraction_micros / fraction_scale;
}

}  // namespace

std::optional<microseconds> parse_duration(std::string_view text, std::string* error,
                                           const DurationLimits& limits) {
  const auto number = split_number(text);
  if (!number) return fail(error, syntax_error(text));
  const auto unit = unit_of(*number, limits);
  if (!unit) {
    if (!number->unit.empty()) return fail(error, syntax_error(text));
    return fail(error, "expected a unit after the number (us, ms, s, m, h), got " + quoted(text));
  }
  const auto micros = micros_of(*number, *unit);
  if (micros && (*micros < limits.min.count() || *micros > limits.max.count())) {
    return fail(error, "expected " + range_text(limits) + ", got " + quoted(text));
  }
  if (!micros || *micros % limits.step.count() != 0) {
    return fail(error,
                "expected a multiple of " + format_duration(limits.step) + ", got " + quoted(text));
  }
  return microseconds(static_cast<std::int64_t>(*micros));
}

std::string format_duration(microseconds duration) {
  const std::int64_t micros = duration.count();
  if (micros == 0) return "0";
  if (micros < 0) return "-" + format_duration(-duration);
  for (auto unit = kUnits.rbegin(); unit != kUnits.rend(); ++unit) {
    if (unit->first == "min") continue;  // "m" is the usual spelling
    if (micros % unit->second == 0) {
      return std::to_string(micros / unit->second) + std::string(unit->first);
    }
  }
  return std::to_string(micros) + "us";
}

}  // namespace orderd
