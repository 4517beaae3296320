// GET /metrics: everything the server measures, in the Prometheus text
// exposition format 0.0.4 (metrics/prometheus_writer.h). Counters, gauges
// and histograms are read from the same sources as /orders/metrics (the
// engine's counters), so the two views never disagree.
#pragma once

#include <string>

#include "net/api.h"

namespace orderd::net {

// Replaces `out` with the exposition. Thread-safe; reads only.
void write_metrics_page(const Api& api, std::string& out);

}  // namespace orderd::net
