// Operator endpoints: POST /admin/snapshot writes a snapshot of the whole
// state now (the background schedule keeps running).
#pragma once

#include "net/api.h"
#include "net/request_context.h"

namespace orderd::net {

// Runs on a blocking thread: a snapshot of millions of orders takes seconds.
HandleOutcome take_snapshot(RequestContext& ctx, const HttpRequest& request);

}  // namespace orderd::net
