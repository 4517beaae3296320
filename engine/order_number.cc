#include "engine/order_number.h"

#include <chrono>
#include <cstdio>

namespace orderd {
namespace {

constexpr std::string_view kPrefix = "ORD-";
constexpr std::size_t kDateDigits = 8;
constexpr std::size_t kMinSeqDigits = 6;
constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

int base36_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string format_order_number(OrderSeq seq, Micros created_at) {
  using namespace std::chrono;
  const sys_days day = floor<days>(sys_time<microseconds>(microseconds(created_at)));
  const year_month_day ymd(day);
  char date[16];
  std::snprintf(date, sizeof date, "%04d%02u%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  char digits[16];
  std::size_t n = 0;
  do {
    digits[n++] = kDigits[seq % 36];
    seq /= 36;
  } while (seq != 0);
  while (n < kMinSeqDigits) digits[n++] = '0';
  std::string out(kPrefix);
  out.append(date, kDateDigits);
  out.push_back('-');
  while (n > 0) out.push_back(digits[--n]);
  return out;
}

std::optional<OrderSeq> order_number_seq(std::string_view number) {
  if (!number.starts_with(kPrefix)) return std::nullopt;
  number.remove_prefix(kPrefix.size());
  if (number.size() < kDateDigits + 1 + kMinSeqDigits || number[kDateDigits] != '-') {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < kDateDigits; ++i) {
    if (number[i] < '0' || number[i] > '9') return std::nullopt;
  }
  std::string_view digits = number.substr(kDateDigits + 1);
  if (digits.size() > 12) return std::nullopt;  // 36^12 > 2^62: no overflow below
  OrderSeq seq = 0;
  for (char c : digits) {
    const int v = base36_value(c);
    if (v < 0) return std::nullopt;
    seq = seq * 36 + static_cast<OrderSeq>(v);
  }
  return seq;
}

}  // namespace orderd
