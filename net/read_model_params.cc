#include "net/read_model_params.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>

#include "base/decimal.h"
#include "engine/order_status.h"
#include "net/json_input.h"
#include "net/router.h"
#include "net/time_format.h"
#include "views/day_tally.h"
#include "views/order_facts.h"

namespace orderd::net {
namespace {

bool parse_digits(std::string_view text, std::size_t pos, std::size_t n, unsigned& out) {
  if (pos + n > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + static_cast<unsigned>(text[i] - '0');
  }
  return true;
}

void parameter_error(RequestContext& ctx, std::string_view name, std::string_view problem) {
  ctx.message.assign(name);
  ctx.message.append(" ");
  ctx.message.append(problem);
  ctx.error(400, ctx.message);
}

}  // namespace

const views::OrderViews* require_views(RequestContext& ctx) {
  const views::OrderViews* v = ctx.api.views();
  if (v == nullptr) ctx.error(503, "the read models are not running");
  return v;
}

std::optional<CustomerInfo> find_customer(RequestContext& ctx, std::string_view raw_id) {
  if (!percent_decode(raw_id, ctx.text)) {
    ctx.error(400, "the customer id in the path has a malformed %-escape");
    return std::nullopt;
  }
  std::optional<CustomerInfo> c;
  std::uint64_t id = 0;
  if (parse_json_uint(ctx.text, kMaxJsonInteger, &id) == IntegerError::kNone) {
    c = ctx.engine.customers().get(id);
  } else {
    c = ctx.engine.customers().find_by_reference(ctx.text);
  }
  // Another customer is not there for a customer (ids do not leak).
  if (c && !ctx.may_see(c->id)) c.reset();
  if (!c) ctx.error(404, "Customer not found");
  return c;
}

bool query_uint(RequestContext& ctx, std::string_view query, std::string_view name,
                std::uint64_t min, std::uint64_t max, std::uint64_t& out) {
  if (!query_param(query, name, ctx.text)) return true;
  std::uint64_t value = 0;
  if (parse_json_uint(ctx.text, UINT64_MAX, &value) != IntegerError::kNone || value < min ||
      value > max) {
    ctx.message.assign(name);
    ctx.message.append(" must be an integer from ");
    append_uint(ctx.message, min);
    ctx.message.append(" to ");
    append_uint(ctx.message, max);
    ctx.error(400, ctx.message);
    return false;
  }
  out = value;
  return true;
}

bool query_sort_key(RequestContext& ctx, std::string_view query, std::string_view name,
                    std::span<const SortChoice> choices, views::SortKey& out) {
  if (!query_param(query, name, ctx.text)) return true;
  for (const SortChoice& choice : choices) {
    if (ctx.text == choice.name) {
      out = choice.key;
      return true;
    }
  }
  ctx.message.assign(name);
  ctx.message.append(" must be one of ");
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) ctx.message.append(", ");
    ctx.message.append(choices[i].name);
  }
  ctx.error(400, ctx.message);
  return false;
}

bool needs_blocking_thread(const HttpRequest& request, std::int64_t rows) {
  return rows > kInlineRows && !request.may_block;
}

bool parse_instant(std::string_view text, bool end_of_day, Micros& out) {
  CivilDate date;
  unsigned year = 0;
  if (!parse_digits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' || text[7] != '-' ||
      !parse_digits(text, 5, 2, date.month) || !parse_digits(text, 8, 2, date.day)) {
    return false;
  }
  date.year = static_cast<int>(year);
  if (!valid_civil_date(date)) return false;
  const Micros midnight = days_from_civil(date) * 86'400'000'000;
  if (text.size() == 10) {
    out = end_of_day ? midnight + 86'400'000'000 - 1 : midnight;
    return true;
  }
  unsigned hour = 0, minute = 0, second = 0;
  if ((text[10] != 'T' && text[10] != ' ') || !parse_digits(text, 11, 2, hour) ||
      text.size() < 19 || text[13] != ':' || !parse_digits(text, 14, 2, minute) ||
      text[16] != ':' || !parse_digits(text, 17, 2, second) || hour > 23 || minute > 59 ||
      second > 59) {
    return false;
  }
  Micros at = midnight + ((hour * 60 + minute) * 60 + second) * Micros{1'000'000};
  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    Micros fraction = 0;
    int digits = 0;
    for (++pos; pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])); ++pos) {
      if (digits < 6) fraction = fraction * 10 + (text[pos] - '0');
      ++digits;
    }
    if (digits == 0) return false;
    for (; digits < 6; ++digits) fraction *= 10;
    at += fraction;
  }
  if (pos == text.size()) {
    out = at;
    return true;
  }
  if (text[pos] == 'Z' && pos + 1 == text.size()) {
    out = at;
    return true;
  }
  unsigned oh = 0, om = 0;
  if ((text[pos] == '+' || text[pos] == '-') && text.size() == pos + 6 &&
      parse_digits(text, pos + 1, 2, oh) && text[pos + 3] == ':' &&
      parse_digits(text, pos + 4, 2, om) && oh < 24 && om < 60) {
    const Micros offset = (oh * 60 + om) * Micros{60'000'000};
    out = text[pos] == '+' ? at - offset : at + offset;
    return true;
  }
  return false;
}

bool query_instant(RequestContext& ctx, std::string_view query, std::string_view name,
                   bool end_of_day, std::optional<Micros>& out) {
  if (!query_param(query, name, ctx.text)) return true;
  Micros at = 0;
  if (!parse_instant(ctx.text, end_of_day, at)) {
    parameter_error(ctx, name,
                    "must be a date (2026-01-31) or an ISO 8601 instant (2026-01-31T10:00:00Z)");
    return false;
  }
  out = at;
  return true;
}

bool query_day(RequestContext& ctx, std::string_view query, std::string_view name,
               std::optional<std::uint32_t>& out) {
  if (!query_param(query, name, ctx.text)) return true;
  constexpr Micros kLastInstant = Micros{views::kDays} * views::kMicrosPerDay - 1;
  Micros at = 0;
  if (!parse_instant(ctx.text, false, at) || at < 0 || at > kLastInstant) {
    char last[11];
    format_day(views::kDays - 1, last);
    ctx.message.assign(name);
    ctx.message.append(" must be a date (2026-01-31) from 1970-01-01 to ");
    ctx.message.append(last);
    ctx.error(400, ctx.message);
    return false;
  }
  out = views::day_of(at);
  return true;
}

bool query_currency(RequestContext& ctx, std::string_view query, std::string_view name,
                    std::string& out) {
  if (!query_param(query, name, ctx.text)) return true;
  const std::string& code = ctx.text;
  if (code.size() != 3 ||
      !std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    parameter_error(ctx, name, "must be 3 uppercase letters (ISO 4217, e.g. USD)");
    return false;
  }
  out = code;
  return true;
}

bool query_money(RequestContext& ctx, std::string_view query, std::string_view name,
                 std::optional<Cents>& out) {
  if (!query_param(query, name, ctx.text)) return true;
  const ScaledDecimal d = parse_scaled_decimal(ctx.text, 2, INT64_MAX / 4);
  if (d.error != DecimalError::kNone) {
    parameter_error(ctx, name, "must be a non-negative amount such as 50 or 50.25");
    return false;
  }
  out = d.value;
  return true;
}

bool query_statuses(RequestContext& ctx, std::string_view query, std::string_view name,
                    views::StatusSet& out) {
  views::StatusSet found;
  bool any = false;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) != name) continue;
    any = true;
    const std::string_view raw =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (!percent_decode(raw, ctx.text)) {
      parameter_error(ctx, name, "has a malformed %-escape");
      return false;
    }
    std::string_view list = ctx.text;
    while (true) {
      const auto comma = list.find(',');
      const std::string_view one = list.substr(0, comma);
      const auto status = parse_status(one);
      if (!status) {
        ctx.message.assign(name);
        ctx.message.append(
            " must be one or more of pending, processing, completed (confirmed), "
            "rejected, cancelled, shipped, delivered, returned; got \"");
        ctx.message.append(one.substr(0, 64));
        ctx.message.append("\"");
        ctx.error(400, ctx.message);
        return false;
      }
      found.set(status_index(*status));
      if (comma == std::string_view::npos) break;
      list = list.substr(comma + 1);
    }
  }
  if (any) out = found;
  return true;
}

bool query_sort_order(RequestContext& ctx, std::string_view query, std::string_view name,
                      bool& descending) {
  if (!query_param(query, name, ctx.text)) return true;
  std::string lowered = ctx.text;
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lowered == "asc") {
    descending = false;
  } else if (lowered == "desc") {
    descending = true;
  } else {
    parameter_error(ctx, name, "must be asc or desc");
    return false;
  }
  return true;
}

void format_day(std::int64_t day, char* out) {
  const CivilDate d = civil_from_days(day);
  std::snprintf(out, 11, "%04d-%02u-%02u", d.year, d.month, d.day);
}

void format_month(std::uint32_t day, char* out) {
  const CivilDate d = civil_from_days(day);
  std::snprintf(out, 8, "%04d-%02u", d.year, d.month);
}

std::uint32_t month_start(std::uint32_t day) {
  CivilDate d = civil_from_days(day);
  d.day = 1;
  return static_cast<std::uint32_t>(days_from_civil(d));
}

}  // namespace orderd::net
