#include "loadgen/request_builder.h"

#include <charconv>

#include "base/decimal.h"

namespace orderd::loadgen {
namespace {

void append_number(std::string& out, std::uint64_t value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, result.ptr);
}

// An amount such as 59.99 from a count of cents, as the API writes it.
void append_cents(std::string& out, std::int64_t cents) {
  char text[kMaxScaledDecimalChars];
  out.append(text, format_scaled_decimal(cents, 2, text));
}

}  // namespace

RequestBuilder::RequestBuilder(const ServerUrl& url, const RequestShape& shape,
                               const ZipfSampler& products, std::uint32_t stream_id)
    : shape_(shape), products_(products) {
  create_id_prefix_ = shape.run_id + "-" + std::to_string(stream_id) + "-";
  seed_id_prefix_ = shape.run_id + "-s";
  std::string host = "Host: " + url.host_header() + "\r\n";
  if (!shape.authorization.empty()) host += "Authorization: " + shape.authorization + "\r\n";
  create_head_ = "POST " + url.path_prefix + "/orders/ HTTP/1.1\r\n" + host +
                 "Content-Type: application/json\r\nContent-Length: ";
  status_head_ = "GET " + url.path_prefix + "/orders/";
  status_tail_ = " HTTP/1.1\r\n" + host + "\r\n";
  const std::string populate_body =
      "{\"total_entries\":" + std::to_string(shape.populate_entries) + "}";
  populate_request_ =
      "POST " + url.path_prefix + "/orders/populate HTTP/1.1\r\n" + host +
      "Content-Type: application/json\r\nContent-Length: " + std::to_string(populate_body.size()) +
      "\r\n\r\n" + populate_body;
  // Big enough for typical orders, so the first requests do not grow them.
  body_.reserve(256 + 8 * static_cast<std::size_t>(shape.items_per_order));
}

void RequestBuilder::build(RequestKind kind, std::uint64_t ticket, Random& random,
                           std::string& out) {
  switch (kind) {
    case RequestKind::kCreate:
      return create(random, out);
    case RequestKind::kSeed:
      return seed(ticket, random, out);
    case RequestKind::kStatus:
      return status(random, out);
    case RequestKind::kPopulate:
      return populate(out);
  }
}

void RequestBuilder::create(Random& random, std::string& out) {
  append_create(create_id_prefix_, created_++, random, out);
}

void RequestBuilder::seed(std::uint64_t seed_index, Random& random, std::string& out) {
  append_create(seed_id_prefix_, seed_index, random, out);
}

void RequestBuilder::append_create(std::string_view id_prefix, std::uint64_t id_number,
                                   Random& random, std::string& out) {
  body_.clear();
  body_ += "{\"user_id\":";
  append_number(body_, 1 + random.below(shape_.users));
  body_ += ",\"order_id\":\"";
  body_ += id_prefix;
  append_number(body_, id_number);
  body_ += "\",\"item_ids\":[";
  for (std::uint32_t i = 0; i < shape_.items_per_order; ++i) {
    if (i > 0) body_.push_back(',');
    append_number(body_, products_.sample(random));
  }
  body_ += "],\"total_amount\":";
  append_cents(body_, 100 + random.below(99'900));
  body_.push_back('}');

  out.clear();
  out += create_head_;
  append_number(out, body_.size());
  out += "\r\n\r\n";
  out += body_;
}

void RequestBuilder::status(Random& random, std::string& out) {
  out.clear();
  out += status_head_;
  out += seed_id_prefix_;
  append_number(out, shape_.seeded_orders == 0 ? 0 : random.below(shape_.seeded_orders));
  out += status_tail_;
}

void RequestBuilder::populate(std::string& out) const { out.assign(populate_request_); }

std::string RequestBuilder::seed_order_id(std::string_view run_id, std::uint64_t seed_index) {
  std::string id(run_id);
  id += "-s";
  append_number(id, seed_index);
  return id;
}

}  // namespace orderd::loadgen
