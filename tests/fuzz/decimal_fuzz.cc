// Fuzz target: exact decimal parsing (money, seconds). The first byte
// picks the scale (0..9) and the maximum; the rest is the text. Accepted
// text yields a value within [0, max] whose formatted form parses back to
// the same value, and text that is not a JSON number is refused as syntax.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

#include "base/decimal.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

// A JSON number, by RFC 8259's grammar, checked independently of the parser.
bool is_json_number(std::string_view s) {
  std::size_t i = 0;
  const auto digit = [&](std::size_t at) { return at < s.size() && s[at] >= '0' && s[at] <= '9'; };
  if (i < s.size() && s[i] == '-') ++i;
  if (!digit(i)) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == s.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int scale = data[0] % 10;
  const std::int64_t max =
      (data[0] & 0x80) ? std::numeric_limits<std::int64_t>::max() : std::int64_t{1} << 50;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const orderd::ScaledDecimal parsed = orderd::parse_scaled_decimal(text, scale, max);
  const bool number = is_json_number(text);
  FUZZ_CHECK(number || parsed.error == orderd::DecimalError::kSyntax,
             "accepted or misjudged a non-number: %.*s", static_cast<int>(text.size()),
             text.data());
  FUZZ_CHECK(!number || parsed.error != orderd::DecimalError::kSyntax,
             "refused a JSON number as syntax: %.*s", static_cast<int>(text.size()), text.data());
  if (parsed.error != orderd::DecimalError::kNone) return 0;
  FUZZ_CHECK(parsed.value >= 0 && parsed.value <= max, "value %lld out of [0, max]",
             static_cast<long long>(parsed.value));
  char formatted[orderd::kMaxScaledDecimalChars];
  const std::size_t length = orderd::format_scaled_decimal(parsed.value, scale, formatted);
  FUZZ_CHECK(length > 0 && length <= sizeof formatted, "formatted %zu chars", length);
  const orderd::ScaledDecimal again =
      orderd::parse_scaled_decimal(std::string_view(formatted, length), scale, max);
  FUZZ_CHECK(again.error == orderd::DecimalError::kNone && again.value == parsed.value,
             "%.*s -> %lld -> %.*s does not parse back", static_cast<int>(text.size()), text.data(),
             static_cast<long long>(parsed.value), static_cast<int>(length), formatted);
  return 0;
}
