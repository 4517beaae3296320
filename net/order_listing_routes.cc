#include "net/order_listing_routes.h"

#include <cinttypes>
#include <cstdio>
#include <optional>

#include "net/json_output.h"
#include "net/order_document.h"
#include "net/order_export.h"
#include "net/read_model_params.h"
#include "views/order_views.h"

namespace orderd::net {
namespace {

constexpr StatusSpelling kSpelling = StatusSpelling::kLowercase;

struct SortName {
  std::string_view name;
  views::SortKey key;
};
constexpr SortName kSortNames[] = {
    {"created_at", views::SortKey::kCreatedAt},
    {"total_amount", views::SortKey::kTotalAmount},
    {"status", views::SortKey::kStatus},
    {"updated_at", views::SortKey::kUpdatedAt},
};

char sort_letter(views::SortKey key) { return static_cast<char>('a' + static_cast<int>(key)); }

// A cursor names the sort it belongs to and the position: "<sort><dir><key>.<seq>",
// key and seq in hexadecimal (the key as two's complement).
std::string encode_cursor(const views::ListingRequest& r, const views::PagePosition& p) {
  char text[64];
  std::snprintf(text, sizeof text, "%c%c%" PRIx64 ".%" PRIx64, sort_letter(r.sort),
                r.descending ? 'd' : 'a', static_cast<std::uint64_t>(p.key), p.seq);
  return text;
}

bool decode_cursor(std::string_view text, const views::ListingRequest& r,
                   views::PagePosition& out) {
  if (text.size() < 5 || text.size() > 40 || text[0] != sort_letter(r.sort) ||
      text[1] != (r.descending ? 'd' : 'a')) {
    return false;
  }
  const std::string rest(text.substr(2));
  std::uint64_t key = 0, seq = 0;
  int used = 0;
  if (std::sscanf(rest.c_str(), "%" SCNx64 ".%" SCNx64 "%n", &key, &seq, &used) != 2 ||
      static_cast<std::size_t>(used) != rest.size() || seq == 0) {
    return false;
  }
  out = {static_cast<std::int64_t>(key), seq};
  return true;
}

// user_id or customer_id: an integer id, or a customer's external reference.
// An unknown reference names no customer's orders: the listing is empty.
bool read_customer_filter(RequestContext& ctx, std::string_view query, views::OrderFilter& filter) {
  for (std::string_view name : {"user_id", "customer_id"}) {
    if (!query_param(query, name, ctx.text)) continue;
    if (ctx.text.empty()) {
      ctx.message.assign(name);
      ctx.message.append(" must not be empty");
      ctx.error(400, ctx.message);
      return false;
    }
    std::uint64_t id = 0;
    if (parse_json_uint(ctx.text, kMaxJsonInteger, &id) == IntegerError::kNone) {
      filter.customer = id;
    } else if (auto c = ctx.engine.customers().find_by_reference(ctx.text)) {
      filter.customer = c->id;
    } else {
      filter.customer = kNoCustomer;
    }
    return true;
  }
  return true;
}

// A customer lists only their own orders: naming another lists nothing,
// naming none lists theirs.
void narrow_to_caller(const RequestContext& ctx, views::OrderFilter& filter) {
  if (ctx.sees_all) return;
  const CustomerId own = ctx.own_customer();
  if (own == 0 || (filter.customer && *filter.customer != own)) {
    filter.customer = kNoCustomer;
  } else {
    filter.customer = own;
  }
}

bool read_filter(RequestContext& ctx, std::string_view query, views::OrderFilter& filter) {
  if (!query_statuses(ctx, query, "status", filter.statuses)) return false;
  if (!read_customer_filter(ctx, query, filter)) return false;
  narrow_to_caller(ctx, filter);
  std::optional<Micros> from, to;
  if (!query_instant(ctx, query, "start_date", false, from)) return false;
  if (!query_instant(ctx, query, "end_date", true, to)) return false;
  if (from) filter.created_from = *from;
  if (to) filter.created_to = *to;
  std::optional<Cents> min, max;
  if (!query_money(ctx, query, "min_amount", min)) return false;
  if (!query_money(ctx, query, "max_amount", max)) return false;
  if (min) filter.min_amount = *min;
  if (max) filter.max_amount = *max;
  return true;
}

bool read_sort(RequestContext& ctx, std::string_view query, views::ListingRequest& r) {
  if (query_param(query, "sort_by", ctx.text)) {
    bool known = false;
    for (const SortName& s : kSortNames) {
      if (ctx.text == s.name) {
        r.sort = s.key;
        known = true;
      }
    }
    if (!known) {
      ctx.error(400, "sort_by must be one of created_at, total_amount, status, updated_at");
      return false;
    }
  }
  return query_sort_order(ctx, query, "sort_order", r.descending);
}

struct Paging {
  bool by_page = true;  // page/page_size, else skip/limit
  std::uint64_t page = 1;
  std::uint64_t size = kDefaultListingPage;
  bool has_cursor = false;
};

bool has_param(RequestContext& ctx, std::string_view query, std::string_view name) {
  return query_param(query, name, ctx.text);
}

// page + page_size, or skip + limit, or cursor (+ page_size or limit).
bool read_paging(RequestContext& ctx, std::string_view query, views::ListingRequest& r,
                 Paging& paging) {
  const bool pages = has_param(ctx, query, "page") || has_param(ctx, query, "page_size");
  const bool skips = has_param(ctx, query, "skip") || has_param(ctx, query, "limit");
  if (pages && skips) {
    ctx.error(400, "page and page_size do not mix with skip and limit: use one pair");
    return false;
  }
  paging.by_page = !skips;
  std::uint64_t skip = 0;
  if (!query_uint(ctx, query, "page_size", 1, kMaxListingPage, paging.size) ||
      !query_uint(ctx, query, "limit", 1, kMaxListingPage, paging.size) ||
      !query_uint(ctx, query, "page", 1, UINT32_MAX, paging.page) ||
      !query_uint(ctx, query, "skip", 0, UINT64_MAX / 2, skip)) {
    return false;
  }
  if (paging.by_page) skip = (paging.page - 1) * paging.size;
  r.limit = paging.size;
  if (query_param(query, "cursor", ctx.text)) {
    if (has_param(ctx, query, "page") || has_param(ctx, query, "skip")) {
      ctx.error(400, "cursor does not mix with page or skip: it names the page itself");
      return false;
    }
    views::PagePosition p;
    if (!decode_cursor(ctx.text, r, p)) {
      ctx.error(400, "cursor is not one this listing gave with the same sort_by and sort_order");
      return false;
    }
    r.after = p;
    paging.has_cursor = true;
    return true;
  }
  if (skip > views::kMaxListingOffset) {
    ctx.message.assign("the page starts more than ");
    append_uint(ctx.message, views::kMaxListingOffset);
    ctx.message.append(" orders in: follow next_cursor to go deeper");
    ctx.error(400, ctx.message);
    return false;
  }
  r.offset = skip;
  return true;
}

void write_page(RequestContext& ctx, const views::ListingRequest& r, const Paging& paging,
                const views::ListingPage& page) {
  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_key(w, "orders");
  w.StartArray();
  for (const OrderSeq seq : page.seqs) {
    const std::optional<OrderSnapshot> o = ctx.engine.get(OrderKey::by_seq(seq));
    if (!o) continue;
    std::optional<CustomerInfo> customer;
    if (o->user_id != 0) customer = ctx.engine.customers().get(o->user_id);
    write_order_document(w, *o, customer ? &*customer : nullptr, ctx.engine.catalog(), kSpelling);
  }
  w.EndArray();
  write_field(w, "total", page.total);
  const std::uint64_t size = paging.size;
  write_field(w, "page",
              paging.has_cursor ? std::nullopt : std::optional<std::uint64_t>(r.offset / size + 1));
  write_field(w, "page_size", size);
  write_field(w, "pages", (page.total + size - 1) / size);
  write_field(w, "skip", paging.has_cursor ? std::nullopt : std::optional<std::uint64_t>(r.offset));
  write_field(w, "limit", size);
  write_field(w, "has_more", page.next.has_value());
  write_key(w, "next_cursor");
  if (page.next) {
    write_string(w, encode_cursor(r, *page.next));
  } else {
    w.Null();
  }
  w.EndObject();
  ctx.end();
}

// The listing with the filter the query names, plus `customer` if set.
void answer_listing(RequestContext& ctx, std::string_view query,
                    std::optional<CustomerId> customer) {
  const views::OrderViews* views = require_views(ctx);
  if (views == nullptr) return;
  views::ListingRequest r;
  Paging paging;
  if (!read_filter(ctx, query, r.filter) || !read_sort(ctx, query, r) ||
      !read_paging(ctx, query, r, paging)) {
    return;
  }
  if (customer) r.filter.customer = customer;
  write_page(ctx, r, paging, views->list(r));
}

}  // namespace

HandleOutcome list_managed_orders(RequestContext& ctx, const HttpRequest&,
                                  const RouteMatch& match) {
  answer_listing(ctx, match.query, std::nullopt);
  return HandleOutcome::kDone;
}

HandleOutcome customer_managed_orders(RequestContext& ctx, const HttpRequest&,
                                      const RouteMatch& match) {
  const std::optional<CustomerInfo> c = find_customer(ctx, match.id);
  if (c) answer_listing(ctx, match.query, c->id);
  return HandleOutcome::kDone;
}

HandleOutcome my_orders(RequestContext& ctx, const HttpRequest&, const RouteMatch& match) {
  std::string_view query = match.query;
  // A customer's token names them. An admin has no orders of their own,
  // and without authentication nobody is known: then "my" orders are those
  // of the customer the query names (user_id or customer_id), and naming
  // none lists no orders rather than everyone's.
  if (const CustomerId own = ctx.own_customer(); own != 0) {
    answer_listing(ctx, query, own);
    return HandleOutcome::kDone;
  }
  const bool named =
      query_param(query, "user_id", ctx.text) || query_param(query, "customer_id", ctx.text);
  answer_listing(ctx, query, named ? std::nullopt : std::optional<CustomerId>(kNoCustomer));
  return HandleOutcome::kDone;
}

HandleOutcome export_orders(RequestContext& ctx, const HttpRequest&, const RouteMatch& match) {
  const views::OrderViews* views = require_views(ctx);
  if (views == nullptr) return HandleOutcome::kDone;
  const std::string_view query = match.query;
  ExportFormat format = ExportFormat::kJsonLines;
  if (query_param(query, "format", ctx.text)) {
    if (ctx.text == "csv") {
      format = ExportFormat::kCsv;
    } else if (ctx.text != "jsonl") {
      ctx.error(400, "format must be jsonl or csv");
      return HandleOutcome::kDone;
    }
  }
  for (std::string_view name :
       {"sort_by", "sort_order", "page", "page_size", "skip", "limit", "cursor"}) {
    if (query_param(query, name, ctx.text)) {
      ctx.message.assign(name);
      ctx.message.append(" does not apply: an export is every matching order, oldest first");
      ctx.error(400, ctx.message);
      return HandleOutcome::kDone;
    }
  }
  views::OrderFilter filter;
  if (!read_filter(ctx, query, filter)) return HandleOutcome::kDone;
  ctx.response->status = 200;
  ctx.response->content_type =
      format == ExportFormat::kCsv ? kCsvContentType : kJsonLinesContentType;
  ctx.response->stream = make_order_export(ctx.engine, *views, filter, format);
  return HandleOutcome::kDone;
}

}  // namespace orderd::net
