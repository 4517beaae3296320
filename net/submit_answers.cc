#include "net/submit_answers.h"

namespace orderd::net {

void answer_stock_issues(RequestContext& ctx, unsigned status, std::string_view message,
                         std::span<const StockIssue> issues) {
  JsonWriter& w = ctx.begin(status);
  w.StartObject();
  write_field(w, "error", message);
  write_key(w, "stock_issues");
  w.StartArray();
  for (const StockIssue& issue : issues) {
    w.StartObject();
    write_field(w, "product_id", issue.product_id);
    write_field(w, "requested", issue.requested);
    write_field(w, "available", issue.available);
    if (issue.unknown_product) write_field(w, "unknown_product", true);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  ctx.end();
}

void answer_refused_submit(RequestContext& ctx, const SubmitResult& r) {
  switch (r.error) {
    case SubmitError::kDuplicate:
      ctx.error(409, r.message);
      return;
    case SubmitError::kAtCapacity:
      ctx.error(503, r.message);
      ctx.response->retry_after_seconds = 1;
      return;
    case SubmitError::kStopped:
    case SubmitError::kUnavailable:
      ctx.error(503, r.message);
      return;
    case SubmitError::kNone:
    case SubmitError::kInvalid:
    case SubmitError::kStock:
    case SubmitError::kPriceMismatch:
      break;
  }
  ctx.error(400, r.message);
}

}  // namespace orderd::net
