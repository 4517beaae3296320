#include "net/customer_routes.h"

#include <optional>
#include <string>
#include <vector>

#include "auth/password_hash.h"
#include "engine/customer_store.h"
#include "net/read_model_params.h"
#include "net/router.h"

namespace orderd::net {
namespace {

constexpr std::size_t kMaxNameBytes = 200;
constexpr std::size_t kMaxEmailBytes = 254;
constexpr std::size_t kMaxPhoneBytes = 32;
constexpr std::size_t kMaxReferenceBytes = 64;

// Text on both sides of the last '@' and no spaces: enough to catch a
// field mix-up without pretending to validate deliverability.
bool plausible_email(std::string_view email) {
  const auto at = email.rfind('@');
  return at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
         email.find(' ') == std::string_view::npos;
}

bool plausible_phone(std::string_view phone) {
  for (char c : phone) {
    if (!((c >= '0' && c <= '9') || c == '+' || c == '-' || c == ' ')) return false;
  }
  return true;
}

bool plausible_reference(std::string_view ref) {
  for (char c : ref) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// "password", optional: kept only as its Argon2id hash (auth/password_hash.h),
// so that the customer can log in (POST /api/v1/auth/token).
bool read_password(RequestContext& ctx, CustomerInfo& c) {
  const JsonMember* m = ctx.json.find("password");
  if (m == nullptr || m->value.kind == JsonKind::kNull) return true;
  if (m->value.kind != JsonKind::kString) {
    ctx.field_error("password", "must be a string");
    return false;
  }
  const std::string_view password = m->value.text;
  if (std::string_view problem = auth::password_problem(password); !problem.empty()) {
    ctx.field_error("password", problem);
    return false;
  }
  c.password_hash = auth::hash_password(password);
  return true;
}

// Hashing a password takes tens of milliseconds by design: a body that
// sends one is handled on a blocking thread. (Spelled with an escape the
// key is still read, only on the I/O thread.)
bool sends_password(const HttpRequest& request) {
  return std::string_view(request.body.data(), request.body.size()).find("\"password\"") !=
         std::string_view::npos;
}

// Reads the registration fields into `c`; answers 400 and returns false on
// the first bad one.
bool read_customer(RequestContext& ctx, bool with_reference, CustomerInfo& c) {
  std::string_view name, email, phone, first, last, city, ref;
  if (!ctx.optional_string("first_name", kMaxNameBytes, first)) return false;
  if (!ctx.optional_string("last_name", kMaxNameBytes, last)) return false;
  if (first.empty() && last.empty()) {
    if (!ctx.required_string("name", kMaxNameBytes, name)) return false;
  } else if (!ctx.optional_string("name", kMaxNameBytes, name)) {
    return false;
  }
  if (!ctx.required_string("email", kMaxEmailBytes, email)) return false;
  if (!plausible_email(email)) {
    ctx.field_error("email", "must be an address like name@example.com");
    return false;
  }
  if (!ctx.optional_string("phone_number", kMaxPhoneBytes, phone)) return false;
  if (!plausible_phone(phone)) {
    ctx.field_error("phone_number", "may contain only digits, '+', '-' and spaces");
    return false;
  }
  if (!ctx.optional_string("city", kMaxNameBytes, city)) return false;
  if (with_reference) {
    if (!ctx.optional_string("external_ref", kMaxReferenceBytes, ref)) return false;
    if (!plausible_reference(ref)) {
      ctx.field_error("external_ref", "may contain only letters, digits, '_' and '-'");
      return false;
    }
  }
  c.name.assign(name);
  if (name.empty()) {
    c.name.assign(first);
    if (!first.empty() && !last.empty()) c.name.push_back(' ');
    c.name.append(last);
  }
  c.first_name.assign(first);
  c.last_name.assign(last);
  c.email.assign(email);
  c.phone.assign(phone);
  c.city.assign(city);
  c.external_ref.assign(ref);
  c.member_since = wall_clock_micros();
  return read_password(ctx, c);
}

// Registers `c`; on success sets its id and the response's durable token,
// otherwise answers 409 or 503 and returns false.
bool add_customer(RequestContext& ctx, CustomerInfo& c) {
  std::optional<AddCustomerResult> r = ctx.engine.register_customer(c);
  if (!r) {
    ctx.refuse_writes();
    return false;
  }
  switch (r->error) {
    case AddCustomerError::kNone:
      c.id = r->id;
      ctx.response->durable_token = r->durable_token;
      return true;
    case AddCustomerError::kEmailTaken:
      ctx.error(409, "email is already registered");
      return false;
    case AddCustomerError::kReferenceTaken:
      ctx.error(409, "external_ref is already taken");
      return false;
    case AddCustomerError::kIdTaken:
      ctx.error(409, "the customer id is taken");
      return false;
  }
  return false;
}

void write_customer(JsonWriter& w, const CustomerInfo& c) {
  w.StartObject();
  write_field(w, "id", c.id);
  write_text_or_null_field(w, "external_ref", c.external_ref);
  write_field(w, "name", c.name);
  write_text_or_null_field(w, "first_name", c.first_name);
  write_text_or_null_field(w, "last_name", c.last_name);
  write_text_or_null_field(w, "email", c.email);
  write_text_or_null_field(w, "phone", c.phone);
  write_text_or_null_field(w, "city", c.city);
  write_timestamp_or_null_field(w, "member_since", c.member_since);
  write_field(w, "implicit", c.implicit);
  w.EndObject();
}

}  // namespace

HandleOutcome register_customer(RequestContext& ctx, HttpRequest& request) {
  if (!request.may_block && sends_password(request)) return HandleOutcome::kNeedsBlockingThread;
  if (!ctx.parse_body(request)) return HandleOutcome::kDone;
  CustomerInfo c;
  if (!read_customer(ctx, false, c) || !add_customer(ctx, c)) return HandleOutcome::kDone;
  JsonWriter& w = ctx.begin(201);
  w.StartObject();
  write_field(w, "message", "Customer registered");
  write_field(w, "customer_id", c.id);
  write_field(w, "name", c.name);
  write_field(w, "email", c.email);
  write_text_or_null_field(w, "phone_number", c.phone);
  w.EndObject();
  ctx.end();
  return HandleOutcome::kDone;
}

HandleOutcome create_customer(RequestContext& ctx, HttpRequest& request) {
  if (!request.may_block && sends_password(request)) return HandleOutcome::kNeedsBlockingThread;
  if (!ctx.parse_body(request)) return HandleOutcome::kDone;
  CustomerInfo c;
  if (!read_customer(ctx, true, c) || !add_customer(ctx, c)) return HandleOutcome::kDone;
  write_customer(ctx.begin(201), c);
  ctx.end();
  return HandleOutcome::kDone;
}

void get_customer(RequestContext& ctx, std::string_view raw_id) {
  const std::optional<CustomerInfo> c = find_customer(ctx, raw_id);
  if (!c) return;
  write_customer(ctx.begin(200), *c);
  ctx.end();
}

void list_customers(RequestContext& ctx, std::string_view query) {
  std::uint64_t after = 0;
  if (query_param(query, "after", ctx.text) &&
      parse_json_uint(ctx.text, UINT64_MAX, &after) != IntegerError::kNone) {
    ctx.error(400, "after must be a non-negative integer (a customer id)");
    return;
  }
  std::uint64_t limit = kDefaultCustomerPage;
  if (query_param(query, "limit", ctx.text) &&
      (parse_json_uint(ctx.text, kMaxCustomerPage, &limit) != IntegerError::kNone || limit == 0)) {
    ctx.message.assign("limit must be an integer from 1 to ");
    append_uint(ctx.message, kMaxCustomerPage);
    ctx.error(400, ctx.message);
    return;
  }
  // One extra tells whether another page follows.
  std::vector<CustomerInfo> page = ctx.engine.customers().list(after, limit + 1);
  const bool more = page.size() > limit;
  if (more) page.pop_back();

  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_key(w, "customers");
  w.StartArray();
  for (const CustomerInfo& c : page) write_customer(w, c);
  w.EndArray();
  write_field(w, "next_after", more ? std::optional(page.back().id) : std::nullopt);
  w.EndObject();
  ctx.end();
}

}  // namespace orderd::net
