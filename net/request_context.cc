#include "net/request_context.h"

#include <charconv>

#include "base/decimal.h"

namespace orderd::net {

RequestContext::RequestContext(Api& a)
    : api(a),
      engine(a.engine()),
      producer(a.engine().make_producer(Engine::Handoff::kAcceptingThread)),
      writer(body) {
  items.reserve(engine.config().max_items_per_order);
}

JsonWriter& RequestContext::begin(unsigned status) {
  response->status = status;
  body.Clear();
  writer.Reset(body);
  return writer;
}

void RequestContext::end() { response->body = {body.GetString(), body.GetSize()}; }

void RequestContext::error(unsigned status, std::string_view why) {
  write_error_object(begin(status), why);
  end();
}

void RequestContext::field_error(std::string_view field, std::string_view problem) {
  message.assign(field);
  message.push_back(' ');
  message.append(problem);
  error(400, message);
}

bool RequestContext::acts_for(CustomerId customer, std::string_view field) {
  if (may_see(customer)) return true;
  message.assign(field);
  message.append(" must be your own: a customer orders only for themselves");
  error(403, message);
  return false;
}

void RequestContext::refuse_writes() {
  message.assign("writes are refused: ");
  message.append(engine.write_refusal_reason());
  error(503, message);
}

void RequestContext::forbid(std::string_view action) {
  message.assign(action);
  message.append(" needs the admin role");
  error(403, message);
}

bool RequestContext::parse_body(HttpRequest& request) {
  if (json.parse(request.body)) return true;
  error(400, json.error());
  return false;
}

namespace {

bool has_control_character(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return true;
  }
  return false;
}

}  // namespace

void append_uint(std::string& out, std::uint64_t value) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, end);
}

void RequestContext::integer_error(std::string_view field, IntegerError e, std::uint64_t min,
                                   std::uint64_t max) {
  message.assign(field);
  switch (e) {
    case IntegerError::kNone:
    case IntegerError::kNotInteger:
      message.append(min > 0 ? " must be a positive integer" : " must be an integer");
      break;
    case IntegerError::kNegative:
      message.append(min > 0 ? " must be a positive integer" : " must not be negative");
      break;
    case IntegerError::kTooLarge:
      message.append(" must be at most ");
      append_uint(message, max);
      break;
  }
  error(400, message);
}

bool RequestContext::required_uint(std::string_view key, std::uint64_t min, std::uint64_t max,
                                   std::uint64_t& out) {
  const JsonMember* m = json.find(key);
  if (m == nullptr) {
    field_error(key, "is required");
    return false;
  }
  IntegerError e = IntegerError::kNotInteger;
  if (m->value.kind == JsonKind::kNumber) e = parse_json_uint(m->value.text, max, &out);
  if (e == IntegerError::kNone && out < min) e = IntegerError::kNegative;
  if (e != IntegerError::kNone) {
    integer_error(key, e, min, max);
    return false;
  }
  return true;
}

bool RequestContext::optional_string(std::string_view key, std::size_t max_bytes,
                                     std::string_view& out) {
  const JsonMember* m = json.find(key);
  if (m == nullptr) return true;
  if (m->value.kind != JsonKind::kString) {
    field_error(key, "must be a string");
    return false;
  }
  if (m->value.text.empty()) {
    field_error(key, "must not be empty");
    return false;
  }
  if (m->value.text.size() > max_bytes) {
    message.assign(key);
    message.append(" must be at most ");
    append_uint(message, max_bytes);
    message.append(" bytes long");
    error(400, message);
    return false;
  }
  if (has_control_character(m->value.text)) {
    field_error(key, "must not contain control characters");
    return false;
  }
  out = m->value.text;
  return true;
}

bool RequestContext::required_string(std::string_view key, std::size_t max_bytes,
                                     std::string_view& out) {
  if (json.find(key) == nullptr) {
    field_error(key, "is required");
    return false;
  }
  return optional_string(key, max_bytes, out);
}

bool RequestContext::required_money(std::string_view key, Cents max, Cents& out) {
  const JsonMember* m = json.find(key);
  if (m == nullptr) {
    field_error(key, "is required");
    return false;
  }
  if (m->value.kind != JsonKind::kNumber) {
    field_error(key, "must be a number");
    return false;
  }
  ScaledDecimal d = parse_scaled_decimal(m->value.text, 2, max);
  switch (d.error) {
    case DecimalError::kNone:
      out = d.value;
      return true;
    case DecimalError::kNegative:
      field_error(key, "must not be negative");
      return false;
    case DecimalError::kTooLarge:
      message.assign(key);
      message.append(" must be at most ");
      char text[kMaxScaledDecimalChars];
      message.append(text, format_scaled_decimal(max, 2, text));
      error(400, message);
      return false;
    case DecimalError::kSyntax:
      break;
  }
  field_error(key, "must be a number");
  return false;
}

}  // namespace orderd::net
