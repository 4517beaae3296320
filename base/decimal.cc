#include "base/decimal.h"

#include <limits>

namespace orderd {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

ScaledDecimal parse_scaled_decimal(std::string_view text, int scale, std::int64_t max) {
  // JSON grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  std::size_t i = 0;
  const std::size_t n = text.size();
  bool negative = false;
  if (i < n && text[i] == '-') {
    negative = true;
    ++i;
  }
  const std::size_t int_begin = i;
  while (i < n && is_digit(text[i])) ++i;
  const std::size_t int_end = i;
  if (int_end == int_begin) return {DecimalError::kSyntax};
  if (text[int_begin] == '0' && int_end - int_begin > 1) return {DecimalError::kSyntax};
  std::size_t frac_begin = i;
  std::size_t frac_end = i;
  if (i < n && text[i] == '.') {
    frac_begin = ++i;
    while (i < n && is_digit(text[i])) ++i;
    frac_end = i;
    if (frac_end == frac_begin) return {DecimalError::kSyntax};
  }
  // Exponents beyond this only ever mean "zero" or "too large" for a value
  // that fits in 63 bits, so saturating keeps the arithmetic small.
  constexpr long kExponentCap = 100'000;
  long exponent = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) exponent_negative = text[i++] == '-';
    if (i == n || !is_digit(text[i])) return {DecimalError::kSyntax};
    while (i < n && is_digit(text[i])) {
      if (exponent < kExponentCap) exponent = exponent * 10 + (text[i] - '0');
      ++i;
    }
    if (exponent_negative) exponent = -exponent;
  }
  if (i != n) return {DecimalError::kSyntax};

  // The digits, integer part then fraction, read as one digit string; the
  // scaled value's decimal point sits after `point` of them.
  auto digit_at = [&](long k) -> int {
    const long int_digits = static_cast<long>(int_end - int_begin);
    if (k < int_digits) return text[int_begin + static_cast<std::size_t>(k)] - '0';
    const std::size_t f = frac_begin + static_cast<std::size_t>(k - int_digits);
    return f < frac_end ? text[f] - '0' : 0;
  };
  const long digit_count = static_cast<long>((int_end - int_begin) + (frac_end - frac_begin));
  const long point = static_cast<long>(int_end - int_begin) + exponent + scale;

  bool nonzero = false;
  for (long k = 0; k < digit_count && !nonzero; ++k) nonzero = digit_at(k) != 0;
  if (!nonzero) return {DecimalError::kNone, 0};
  if (negative) return {DecimalError::kNegative};

  std::int64_t value = 0;
  for (long k = 0; k < point; ++k) {
    const int d = k < digit_count ? digit_at(k) : 0;
    if (value > (max - d) / 10) return {DecimalError::kTooLarge};
    value = value * 10 + d;
  }
  if (point >= 0 && point < digit_count && digit_at(point) >= 5) {
    if (value == max) return {DecimalError::kTooLarge};
    ++value;
  }
  return {DecimalError::kNone, value};
}

std::size_t format_scaled_decimal(std::int64_t value, int scale, char* out) {
  char digits[24];
  std::size_t count = 0;
  // Work on the magnitude as unsigned so INT64_MIN has one.
  std::uint64_t magnitude =
      value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  do {
    digits[count++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  while (count < static_cast<std::size_t>(scale) + 1) digits[count++] = '0';

  std::size_t len = 0;
  if (value < 0) out[len++] = '-';
  for (std::size_t k = count; k-- > static_cast<std::size_t>(scale);) out[len++] = digits[k];
  out[len++] = '.';
  // Fraction digits are digits[scale-1] .. digits[0]; drop trailing zeros
  // but keep one so the value still reads as a decimal.
  std::size_t last = 0;
  while (last + 1 < static_cast<std::size_t>(scale) && digits[last] == '0') ++last;
  if (scale == 0) {
    out[len++] = '0';
  } else {
    for (std::size_t k = static_cast<std::size_t>(scale); k-- > last;) out[len++] = digits[k];
  }
  return len;
}

}  // namespace orderd
