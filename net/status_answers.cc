#include "net/status_answers.h"

#include <charconv>

namespace orderd::net {
namespace {

constexpr std::string_view kLowercaseNames[kOrderStatusCount] = {
    "pending",   "processing", "completed", "rejected",
    "cancelled", "shipped",    "delivered", "returned"};

void write_allowed(JsonWriter& w, const std::vector<OrderStatus>& allowed,
                   StatusSpelling spelling) {
  write_key(w, "allowed");
  w.StartArray();
  for (OrderStatus s : allowed) write_status(w, s, spelling);
  w.EndArray();
}

}  // namespace

std::string_view spelled_status(OrderStatus s, StatusSpelling spelling) {
  switch (spelling) {
    case StatusSpelling::kCapitalized:
      return status_name(s);
    case StatusSpelling::kConfirmed:
      if (s == OrderStatus::kCompleted) return "confirmed";
      [[fallthrough]];
    case StatusSpelling::kLowercase:
      break;
  }
  return kLowercaseNames[status_index(s)];
}

void write_status(JsonWriter& w, OrderStatus s, StatusSpelling spelling) {
  write_string(w, spelled_status(s, spelling));
}

std::optional<OrderStatus> read_status(RequestContext& ctx, std::string_view key) {
  std::string_view text;
  if (!ctx.required_string(key, 32, text)) return std::nullopt;
  if (auto s = parse_status(text)) return s;
  ctx.message.assign(key);
  ctx.message.append(
      " must be one of Pending, Processing, Completed (or confirmed), Shipped, Delivered, "
      "Returned, Cancelled (or canceled), Rejected; got '");
  ctx.message.append(text);
  ctx.message.push_back('\'');
  ctx.error(400, ctx.message);
  return std::nullopt;
}

std::string refused_change_message(std::string_view id, OrderStatus to, const StatusUpdateResult& r,
                                   StatusSpelling spelling) {
  std::string m = "Order ";
  m.append(id);
  switch (r.error) {
    case StatusUpdateError::kNotFound:
      m.append(" not found");
      break;
    case StatusUpdateError::kIllegalTransition:
      m.append(" cannot move from ");
      m.append(spelled_status(r.status, spelling));
      m.append(" to ");
      m.append(spelled_status(to, spelling));
      m.append(" (allowed: ");
      if (r.allowed.empty()) m.append("none");
      for (std::size_t i = 0; i < r.allowed.size(); ++i) {
        if (i > 0) m.append(", ");
        m.append(spelled_status(r.allowed[i], spelling));
      }
      m.push_back(')');
      break;
    case StatusUpdateError::kVersionMismatch:
      m.append(" is at version ");
      m.append(std::to_string(r.version));
      m.append(", not the one If-Match names");
      break;
    case StatusUpdateError::kNotEditable:
      m.append(
          ": tax, shipping and currency are fixed when the order is placed, and the "
          "shipping address once it has shipped");
      break;
    case StatusUpdateError::kUnavailable:
      m.append(" cannot change now: writes are refused");
      break;
    case StatusUpdateError::kNone:
    case StatusUpdateError::kUnchanged:
      m.append(" unchanged");
      break;
  }
  return m;
}

void answer_refused_change(RequestContext& ctx, std::string_view id, const StatusUpdateResult& r,
                           StatusSpelling spelling) {
  switch (r.error) {
    case StatusUpdateError::kNotFound:
      ctx.error(404, "Order not found");
      return;
    case StatusUpdateError::kUnavailable:
      ctx.refuse_writes();
      return;
    case StatusUpdateError::kNotEditable:
    case StatusUpdateError::kNone:
    case StatusUpdateError::kUnchanged:
      ctx.error(409, refused_change_message(id, r.status, r, spelling));
      return;
    case StatusUpdateError::kVersionMismatch:
    case StatusUpdateError::kIllegalTransition:
      break;
  }
  const bool version = r.error == StatusUpdateError::kVersionMismatch;
  JsonWriter& w = ctx.begin(version ? 412 : 409);
  w.StartObject();
  write_key(w, "error");
  write_string(w, version ? "the order changed: its version is not the one If-Match names"
                          : "illegal status transition");
  write_key(w, "status");
  write_status(w, r.status, spelling);
  if (version) {
    write_field(w, "version", std::uint64_t{r.version});
  } else {
    write_allowed(w, r.allowed, spelling);
  }
  w.EndObject();
  ctx.end();
  // The current version's tag: what a retry names in its If-Match.
  if (version) set_version_etag(ctx, r.version);
}

std::string version_etag(std::uint32_t version) {
  std::string tag = "\"";
  tag.append(std::to_string(version));
  tag.push_back('"');
  return tag;
}

std::optional<std::uint32_t> if_match_version(std::string_view h) {
  while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
  while (!h.empty() && h.back() == ' ') h.remove_suffix(1);
  if (h.empty() || h == "*") return 0;
  // If-Match compares strongly (RFC 9110, 13.1.1): a weak tag never matches.
  if (h.starts_with("W/")) return std::nullopt;
  if (h.size() >= 2 && h.front() == '"' && h.back() == '"') h = h.substr(1, h.size() - 2);
  std::uint32_t v = 0;
  auto [end, ec] = std::from_chars(h.data(), h.data() + h.size(), v);
  if (ec != std::errc{} || end != h.data() + h.size() || v == 0) return std::nullopt;
  return v;
}

void set_version_etag(RequestContext& ctx, std::uint32_t version) {
  ctx.etag.assign(1, '"');
  append_uint(ctx.etag, version);
  ctx.etag.push_back('"');
  ctx.response->etag = ctx.etag;
}

std::optional<std::uint32_t> expected_version(RequestContext& ctx, const HttpRequest& request,
                                              OrderKey key, std::string_view id,
                                              StatusSpelling spelling) {
  if (std::optional<std::uint32_t> v = if_match_version(request.if_match)) return v;
  std::optional<OrderSnapshot> o = ctx.engine.get(key);
  if (!o) {
    ctx.error(404, "Order not found");
    return std::nullopt;
  }
  StatusUpdateResult r;
  r.error = StatusUpdateError::kVersionMismatch;
  r.status = o->status;
  r.version = o->version();
  answer_refused_change(ctx, id, r, spelling);
  return std::nullopt;
}

void answer_status_moved(RequestContext& ctx, std::string_view message, std::uint64_t order_id,
                         const StatusUpdateResult& r, StatusSpelling spelling) {
  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_field(w, "message", message);
  write_field(w, "order_id", order_id);
  write_key(w, "status");
  write_status(w, r.status, spelling);
  write_field(w, "version", std::uint64_t{r.version});
  if (r.error == StatusUpdateError::kUnchanged) write_field(w, "changed", false);
  w.EndObject();
  ctx.end();
  set_version_etag(ctx, r.version);
}

}  // namespace orderd::net
