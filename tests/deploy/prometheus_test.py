#!/usr/bin/env python3
"""orderd's GET /metrics checked by the real Prometheus tools.

promtool lints the exposition. A real Prometheus server scrapes a live orderd
every second, with deploy/prometheus/alerts.yml loaded, while the test
creates orders; then, through Prometheus's query API, the test checks that
the quantiles the dashboard draws are numbers, that the counters agree with
what was sent, that every alert rule evaluates without firing and that every
query of deploy/grafana/orderd-dashboard.json runs and finds series. The
shipped Prometheus config is checked with promtool, and every metric family
orderd exposes must be described in docs/monitoring.md.

    prometheus_test.py --orderd path/to/orderd

Exits with 77 (ctest's SKIP_RETURN_CODE) when promtool or prometheus is not
on PATH. Everything listens on 127.0.0.1 only, lives in temporary
directories, and both servers are always killed; the whole run is bounded
by --time-limit seconds.
"""
import argparse
import ctypes
import http.client
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from orderd_process import LISTENING, read_first_line  # noqa: E402

SKIP = 77
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROMETHEUS_CONFIG = os.path.join(ROOT, "deploy", "prometheus", "prometheus.yml")
ALERT_RULES = os.path.join(ROOT, "deploy", "prometheus", "alerts.yml")
DASHBOARD = os.path.join(ROOT, "deploy", "grafana", "orderd-dashboard.json")
MONITORING_DOC = os.path.join(ROOT, "docs", "monitoring.md")

METRIC_NAME = re.compile(r"\b(?:orderd|process)_[a-zA-Z0-9_:]*")

ORDERS = 300        # distinct orders created, each answered 201
FIRST_WAVE = 50     # of which created before the second scrape
DUPLICATES = 5      # creates that repeat an id already taken, each answered 409
WAIT_S = 20         # longest wait for one condition, so one failure leaves time for the rest
SCRAPE_INTERVAL_S = 1

ORDERD = PROMETHEUS = PROMTOOL = None
DEADLINE = None


def remaining():
    return max(0.0, DEADLINE - time.monotonic())


def die_with_parent():
    # When ctest's timeout kills this script, its class cleanups never run;
    # the servers must not outlive it (PR_SET_PDEATHSIG = 1).
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL, 0, 0, 0)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port, path, timeout=10):
    """(status, headers dict, body text). http.client, so no proxy is ever used."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read().decode(errors="replace")
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
    finally:
        conn.close()


def stop(proc, grace=10):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


LOGS = {}


def keep_logs(work_dir):
    for name in ("orderd.stderr", "prometheus.log"):
        LOGS[name] = tail(os.path.join(work_dir, name))


def tail(path, chars=4000):
    try:
        with open(path, errors="replace") as f:
            return f.read()[-chars:]
    except OSError:
        return ""


class Orderd:
    def __init__(self, work_dir):
        self.data_dir = os.path.join(work_dir, "orderd-data")
        self.stderr_path = os.path.join(work_dir, "orderd.stderr")
        # A short simulated processing time gives the stage histograms
        # something other than zeros to measure.
        args = [ORDERD, "--port", "0", "--data-dir", self.data_dir, "--threads", "2",
                "--workers", "2", "--processing-time", "1ms-3ms"]
        with open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err,
                                         preexec_fn=die_with_parent)
        line = read_first_line(self.proc, min(30, remaining()))
        match = LISTENING.match(line)
        if not match:
            stop(self.proc)
            raise AssertionError(f"orderd printed {line!r}; stderr: {tail(self.stderr_path)}")
        self.port = int(match.group(2))


    def metrics(self):
        status, headers, body = http_get(self.port, "/metrics")
        if status != 200:
            raise AssertionError(f"GET /metrics answered {status}: {body[:500]}")
        return headers.get("content-type", ""), body

    def create_orders(self, order_ids):
        """POSTs one order per id on one keep-alive connection, then looks
        up an unknown order. Returns the status codes of the creates."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        codes = []
        try:
            for i, order_id in enumerate(order_ids):
                body = json.dumps({"user_id": 1 + i % 7, "order_id": order_id,
                                   "item_ids": [1 + i % 50, 51 + i % 50],
                                   "total_amount": 10.5})
                conn.request("POST", "/orders", body, {"Content-Type": "application/json"})
                resp = conn.getresponse()
                resp.read()
                codes.append(resp.status)
            conn.request("GET", "/orders/UNKNOWN")
            conn.getresponse().read()
        finally:
            conn.close()
        return codes

    def close(self):
        self.proc.kill()
        self.proc.wait(timeout=30)
        self.proc.stdout.close()


class Prometheus:
    def __init__(self, work_dir, orderd_port):
        self.config_path = os.path.join(work_dir, "prometheus.yml")
        with open(self.config_path, "w") as f:
            f.write(scrape_config(orderd_port))
        self.log_path = os.path.join(work_dir, "prometheus.log")
        # The port is free when picked but may be taken before Prometheus
        # binds it: try again with another.
        for _ in range(3):
            self.port = free_port()
            with open(self.log_path, "wb") as log:
                self.proc = subprocess.Popen(
                    [PROMETHEUS, f"--config.file={self.config_path}",
                     f"--storage.tsdb.path={os.path.join(work_dir, 'tsdb')}",
                     f"--web.listen-address=127.0.0.1:{self.port}"],
                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    preexec_fn=die_with_parent)
            if self._wait_ready():
                return
            stop(self.proc)
            if "address already in use" not in tail(self.log_path):
                break
        raise AssertionError(f"prometheus did not become ready; log:\n{tail(self.log_path)}")

    def _wait_ready(self):
        deadline = time.monotonic() + min(30, remaining())
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if http_get(self.port, "/-/ready", timeout=2)[0] == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.1)
        return False

    def api(self, path, **params):
        url = f"/api/v1/{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        status, _, body = http_get(self.port, url)
        reply = json.loads(body)
        if reply.get("status") != "success":
            raise AssertionError(f"{url} answered {status}: {reply.get('error')}")
        return reply["data"]

    def query(self, expr):
        """An instant query: [(labels, float value)]."""
        data = self.api("query", query=expr)
        if data["resultType"] == "scalar":
            return [({}, float(data["result"][1]))]
        return [(r["metric"], float(r["value"][1])) for r in data["result"]]

    def close(self):
        stop(self.proc)


def scrape_config(orderd_port):
    # The rules path is written as a JSON string, which YAML reads as the
    # same string whatever characters the checkout path holds.
    return f"""global:
  scrape_interval: {SCRAPE_INTERVAL_S}s
  scrape_timeout: {SCRAPE_INTERVAL_S}s
  evaluation_interval: {SCRAPE_INTERVAL_S}s
rule_files:
  - {json.dumps(ALERT_RULES)}
scrape_configs:
  - job_name: orderd
    metrics_path: /metrics
    static_configs:
      - targets: ["127.0.0.1:{orderd_port}"]
"""


def families(exposition):
    """{name: type} from the # TYPE lines."""
    out = {}
    for line in exposition.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(None, 3)
            out[name] = kind.strip()
    return out


def family_of(name, known):
    """The family a sample name in a query belongs to (histograms add suffixes)."""
    if name in known:
        return name
    for suffix in ("_bucket", "_sum", "_count"):
        if name.endswith(suffix) and known.get(name[: -len(suffix)]) == "histogram":
            return name[: -len(suffix)]
    return None


def dashboard_queries():
    with open(DASHBOARD) as f:
        dashboard = json.load(f)
    queries = []

    def walk(panels):
        for panel in panels:
            for target in panel.get("targets", []):
                queries.append((panel["title"], target["expr"]))
            walk(panel.get("panels", []))

    walk(dashboard["panels"])
    for annotation in dashboard.get("annotations", {}).get("list", []):
        if "expr" in annotation:
            queries.append((f"annotation {annotation['name']}", annotation["expr"]))
    return queries


def as_prometheus_sees_it(expr):
    """Replaces the dashboard's Grafana variables with what they expand to."""
    expr = re.sub(r"\$\{?(job|instance)\}?", ".*", expr)
    expr = re.sub(r"\$\{?__rate_interval\}?", "1m", expr)
    if "$" in expr:
        raise AssertionError(f"unexpanded variable in {expr!r}")
    return expr


def promtool(*args, stdin=None):
    done = subprocess.run([PROMTOOL, *args], input=stdin, capture_output=True, text=True,
                          timeout=max(1, min(30, remaining())))
    return done.returncode, (done.stdout + done.stderr).strip()


class PrometheusTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        work_dir = tempfile.mkdtemp(prefix="orderd-prometheus-test-")
        cls.addClassCleanup(shutil.rmtree, work_dir, ignore_errors=True)
        # Cleanups run last-in first-out: the logs are read after both
        # servers stopped and before the directory goes.
        cls.addClassCleanup(keep_logs, work_dir)
        cls.orderd = Orderd(work_dir)
        cls.addClassCleanup(cls.orderd.close)
        _, cls.fresh_exposition = cls.orderd.metrics()
        cls.prometheus = Prometheus(work_dir, cls.orderd.port)
        cls.addClassCleanup(cls.prometheus.close)
        # rate() counts only what a series gained between two scrapes, and
        # orderd exports a route's series from its first request on. So
        # orders come in two waves with a scrape between them, as under
        # steady traffic: the second wave is the increase the quantiles see.
        cls.wait_for_value('sum(up{job="orderd"})', lambda v: v == 1, "first scrape")
        ids = [f"PROM-{i}" for i in range(ORDERS)]
        codes = cls.orderd.create_orders(ids[:FIRST_WAVE])
        cls.wait_for_value('sum(orderd_orders_accepted_total{job="orderd"})',
                           lambda v: v >= FIRST_WAVE, "first wave scraped")
        codes += cls.orderd.create_orders(ids[FIRST_WAVE:] + ids[:DUPLICATES])
        cls.created, cls.duplicates = codes.count(201), codes.count(409)
        cls.content_type, cls.exposition = cls.orderd.metrics()
        cls.families = families(cls.exposition)

    @classmethod
    def wait_for_value(cls, expr, accept, what):
        """Polls an instant query until its single value is accepted; returns it."""
        last = None
        deadline = time.monotonic() + min(WAIT_S, remaining())
        while True:
            result = cls.prometheus.query(expr)
            if len(result) == 1:
                last = result[0][1]
                if accept(last):
                    return last
            if time.monotonic() >= deadline:
                raise AssertionError(f"{what}: {expr} gave {result!r} for {WAIT_S} s or until "
                                     f"the time limit; "
                                     f"last value {last}")
            time.sleep(0.25)

    def test_fresh_exposition_passes_promtool(self):
        code, complaints = promtool("check", "metrics", stdin=self.fresh_exposition)
        self.assertEqual((code, complaints), (0, ""), self.fresh_exposition[:2000])

    def test_exposition_under_load_passes_promtool(self):
        code, complaints = promtool("check", "metrics", stdin=self.exposition)
        self.assertEqual((code, complaints), (0, ""), self.exposition[:2000])

    def test_content_type_is_text_format_0_0_4(self):
        self.assertRegex(self.content_type, r"^text/plain; ?version=0\.0\.4")

    def test_process_start_time_is_the_same_in_every_scrape(self):
        # Restarts are found with changes(process_start_time_seconds[...])
        # (alerts.yml, the dashboard's annotations): any jitter between
        # scrapes reads as a restart.
        values = set()
        for _ in range(200):
            _, body = self.orderd.metrics()
            values |= set(re.findall(r"^process_start_time_seconds (\S+)$", body, re.M))
        self.assertEqual(len(values), 1, f"process_start_time_seconds took the values {values}")

    def test_prometheus_scrapes_orderd(self):
        self.wait_for_value(f'count_over_time(up{{job="orderd"}}[5m])', lambda v: v >= 3,
                            "at least 3 scrapes")
        self.assertEqual(self.prometheus.query('up{job="orderd"}')[0][1], 1)

    def test_accepted_counter_equals_created_orders(self):
        self.assertEqual(self.created, ORDERS)
        self.wait_for_value('sum(orderd_orders_accepted_total{job="orderd"})',
                            lambda v: v == self.created, "accepted orders")

    def test_duplicates_are_counted_as_rejected(self):
        self.assertEqual(self.duplicates, DUPLICATES)
        self.wait_for_value(
            'sum(orderd_orders_rejected_total{job="orderd", reason="duplicate"})',
            lambda v: v == self.duplicates, "duplicate rejections")

    def test_http_p99_is_a_number(self):
        self.wait_for_value(
            "histogram_quantile(0.99, sum(rate(orderd_http_request_duration_seconds_bucket[1m]))"
            " by (le))", math.isfinite, "HTTP p99")

    def test_create_route_p99_is_a_number(self):
        self.wait_for_value(
            "histogram_quantile(0.99, sum(rate(orderd_http_request_duration_seconds_bucket"
            '{route="POST /orders"}[1m])) by (le))', math.isfinite, "POST /orders p99")

    def test_order_stage_p99s_are_numbers(self):
        for stage in ("pending", "processing", "completion"):
            with self.subTest(stage=stage):
                self.wait_for_value(
                    f"histogram_quantile(0.99, sum(rate(orderd_order_{stage}_seconds_bucket[1m]))"
                    " by (le))", math.isfinite, f"{stage} p99")

    def test_alert_rules_evaluate_and_none_fires(self):
        deadline = time.monotonic() + min(WAIT_S, remaining())
        while True:
            rules = [r for g in self.prometheus.api("rules")["groups"] for r in g["rules"]]
            if rules and all(r["health"] != "unknown" for r in rules):
                break
            self.assertLess(time.monotonic(), deadline, "alert rules were never evaluated")
            time.sleep(0.25)
        for rule in rules:
            with self.subTest(alert=rule["name"]):
                self.assertEqual(rule["health"], "ok", rule.get("lastError"))
                self.assertNotEqual(rule["state"], "firing")

    def test_dashboard_queries_run_and_find_series(self):
        # Empty is what a misspelt label value gives, and it fails silently
        # in Grafana; only the restart annotation is empty in a healthy run.
        for title, expr in dashboard_queries():
            with self.subTest(panel=title, expr=expr):
                expr = as_prometheus_sees_it(expr)
                deadline = time.monotonic() + min(WAIT_S, remaining())
                while not self.prometheus.query(expr) and not title.startswith("annotation"):
                    self.assertLess(time.monotonic(), deadline, "no series")
                    time.sleep(0.25)

    def test_dashboard_and_alerts_use_only_exposed_metrics(self):
        with open(ALERT_RULES) as f:
            texts = [("alerts.yml", f.read())]
        texts += [(title, expr) for title, expr in dashboard_queries()]
        for where, text in texts:
            for name in METRIC_NAME.findall(text):
                with self.subTest(where=where, metric=name):
                    self.assertIsNotNone(family_of(name, self.families),
                                         f"{name} is not in GET /metrics")

    def test_every_family_is_documented(self):
        with open(MONITORING_DOC) as f:
            documented = set(re.findall(r"`((?:orderd|process)_[a-zA-Z0-9_:]*)", f.read()))
        self.assertTrue(self.families, "GET /metrics lists no families")
        self.assertEqual(sorted(set(self.families) - documented), [],
                         "families missing from docs/monitoring.md")

    def test_shipped_config_is_valid(self):
        code, output = promtool("check", "config", PROMETHEUS_CONFIG)
        self.assertEqual(code, 0, output)


def main():
    global ORDERD, PROMETHEUS, PROMTOOL, DEADLINE
    parser = argparse.ArgumentParser()
    parser.add_argument("--orderd", required=True)
    parser.add_argument("--time-limit", type=float, default=60)
    args = parser.parse_args()
    ORDERD = os.path.abspath(args.orderd)
    PROMETHEUS, PROMTOOL = shutil.which("prometheus"), shutil.which("promtool")
    if not PROMETHEUS or not PROMTOOL:
        print("SKIP: prometheus and promtool must be on PATH "
              "(Debian package prometheus; ./dev deps installs it)")
        sys.exit(SKIP)
    DEADLINE = time.monotonic() + args.time_limit
    suite = unittest.TestLoader().loadTestsFromTestCase(PrometheusTest)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    if not result.wasSuccessful():
        for name, text in LOGS.items():
            print(f"--- end of {name} ---\n{text}", file=sys.stderr)
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
