#!/usr/bin/env python3
"""Crash loop: orderd killed with SIGKILL under load, restarted on the same
data directory, and checked after every restart.

Each cycle starts the real orderd on a free loopback port with one persistent
data directory, waits for GET /health/ready, lets --clients threads create
orders over keep-alive connections while one thread restocks and creates
products, one registers customers (POST /register_customer), places
managed orders for them (POST /place_order) and moves the Completed ones on
through PUT /api/orders/{seq} (Shipped, Delivered, Returned, Cancelled), a
third of its requests under an Idempotency-Key (and, in some cycles, one
asks for snapshots), and kills the process
with SIGKILL after a random delay. Some cycles also kill a start within 50 ms,
while recovered orders resume, or append a torn tail (zeros or random bytes)
to the newest journal segment; orders are also sent while recovery runs
(they must get 503 or be kept). The next start, once every resumed order has
finished, must hold:

- every order answered 201, with the user_id, item_ids and total_amount sent
  and the created_at seen before the crash; every product answered 201 with
  its name, price and stock; everything that existed at an earlier start;
- nothing refused (409 stock, 503, connection refused) and nothing never
  sent; no order id twice; metrics counts equal to the paged id listing,
  which keeps its oldest-first order across restarts;
- every registered customer answered 201, by id, with its email; every
  managed order answered 201; every move answered 200 (or a later one sent
  without an answer) with the timestamp seen after it; every request
  answered under an Idempotency-Key replayed with the same status and body
  and Idempotent-Replayed: true;
- every order past Pending and Processing (resumed orders finish), each once:
  for every product consumed equals the units of its orders that completed
  (Completed, and those moved on from it), held those
  of Pending and Processing ones (none), every field is >= 0 and
  initial + restocked + returned == available + held + consumed; restocked is at least
  the restocks answered 200 and at most all those sent;
- the catalog from the journal: later starts pass other --demo-products and
  --demo-stock values on purpose, which must not seed it again.

A request without an answer may or may not have taken effect; an order that
exists must still match what was sent. After the last cycle orderd starts
once more, is checked, stopped with SIGTERM (exit status 0, with a snapshot),
started again and must show exactly the same state.

    crash_loop_test.py --orderd build/release/app/orderd [--cycles 3] [--seed S]
                       [--clients 8] [--fsync always|interval:<ms>|never]
                       [--scale-divisor N] [--orderd-arg=--flag=value] [--keep-data]

CI runs the default 3 cycles; a full run uses --cycles 20 or more (one to two
seconds per cycle). Every random choice of the scenario (order contents and
ids, kill delays, processing times, snapshot modes) comes from --seed,
printed first and in every failure message; thread timing is not replayable,
the scenario is. Exit status 0 on success, 1 on a failure. Standard library
only.
"""
import argparse
import collections
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from orderd_process import LISTENING, read_first_line  # noqa: E402

STATUSES = ("Pending", "Processing", "Completed", "Rejected", "Cancelled", "Shipped", "Delivered",
            "Returned")
FINAL_STATUSES = ("Completed", "Rejected", "Cancelled", "Shipped", "Delivered", "Returned")
# Statuses of an order that reached Completed: its units stay consumed (a
# return or a cancellation after completing adds them to returned). The
# shop thread cancels only Completed orders, so every Cancelled one is here.
CONSUMED_STATUSES = ("Completed", "Cancelled", "Shipped", "Delivered", "Returned")
# The lifecycle moves the shop thread makes through PUT /api/orders/{seq},
# from Completed, and the timestamp each stamps.
MOVE_PATHS = (("Shipped",), ("Shipped", "Delivered"), ("Shipped", "Delivered", "Returned"),
              ("Cancelled",))
STAMPS = {"Shipped": "shipped_at", "Delivered": "delivered_at", "Returned": "returned_at",
          "Cancelled": "cancelled_at"}
MANAGED_ID = re.compile(r"^order_(\d+)$")  # what POST /place_order names its orders

DEMO_PRODUCTS = 50  # the catalog: products 1..50 ...
DEMO_STOCK = 200  # ... with 200 units each
HOT_PRODUCTS = 10  # most items come from products 1..10, so their stock runs out
START_TIMEOUT = 30  # seconds to the "listening" line
READY_TIMEOUT = 30  # seconds from "listening" to /health/ready 200
SETTLE_TIMEOUT = 60  # seconds for resumed orders to finish
STOP_TIMEOUT = 60  # seconds for a SIGTERM'd orderd to exit
REQUEST_TIMEOUT = 30  # seconds for one HTTP exchange
# A keep-alive connection idle this long is not reused: orderd closes those
# idle for --idle-timeout (30 s by default), and a request sent as it does
# would fail with no answer. A check that fetches every order on other
# connections keeps its own idle for longer than that.
REUSE_IDLE_SECONDS = 20
RECHECK_SAMPLE = 200  # orders checked at an earlier start, fetched again at each start


class Failure(Exception):
    """A broken promise of orderd (or of this test): ends the run with status 1."""


def check(condition, message):
    if not condition:
        raise Failure(message)


def sample_text(items, limit=10):
    items = sorted(items, key=str)
    text = ", ".join(repr(i) for i in items[:limit])
    return text + (f" ... ({len(items)} in all)" if len(items) > limit else "")


class Orderd:
    """One orderd process. kill() is SIGKILL; always called by the owner."""

    def __init__(self, binary, data_dir, flags, log_path):
        self.log_path = log_path
        with open(log_path, "ab") as log:
            log.write(f"=== orderd {' '.join(flags)}\n".encode())
            self.proc = subprocess.Popen([binary, "--port", "0", "--data-dir", data_dir, *flags],
                                         stdout=subprocess.PIPE, stderr=log,
                                         stdin=subprocess.DEVNULL)
        line = read_first_line(self.proc, START_TIMEOUT)
        match = LISTENING.match(line)
        if not match:
            self.kill()
            raise Failure(f"orderd did not start: first line {line!r} "
                          f"(exit status {self.proc.returncode})")
        self.host, self.port = match.group(1), int(match.group(2))
        check(self.host == "127.0.0.1", f"orderd listens on {self.host}, not loopback")


    def alive(self):
        return self.proc.poll() is None

    def check_alive(self, when):
        check(self.alive(), f"orderd exited by itself {when} (exit status {self.proc.returncode})")

    def wait_ready(self, probe=None):
        """Polls /health/ready until 200; returns the seconds it took. Calls
        probe(client) between polls: requests sent while recovery runs."""
        start = time.monotonic()
        client = Client(self.port)
        try:
            while True:
                if probe is not None:
                    probe(client)
                self.check_alive("before it was ready")
                try:
                    status, body = client.call("GET", "/health/ready")
                except (OSError, http.client.HTTPException) as e:
                    raise Failure(f"GET /health/ready failed: {e!r}")
                if status == 200:
                    check(isinstance(body, dict) and body.get("status") == "ready",
                          f"/health/ready 200 with body {body!r}")
                    return time.monotonic() - start
                check(status == 503, f"/health/ready answered {status} {body!r}")
                check(isinstance(body, dict) and body.get("status") == "not ready",
                      f"/health/ready 503 with body {body!r}, expected status 'not ready'")
                check(time.monotonic() - start < READY_TIMEOUT,
                      f"orderd not ready after {READY_TIMEOUT} s: {body!r}")
                time.sleep(0.005)
        finally:
            client.close()

    def kill(self):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.proc.stdout.close()

    def terminate(self):
        """SIGTERM; returns the exit status (None if it did not exit in time)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            return None


class Client:
    """One keep-alive HTTP connection to 127.0.0.1; reconnects after an error."""

    def __init__(self, port, timeout=REQUEST_TIMEOUT):
        self.port = port
        self.timeout = timeout
        self.conn = None
        self.last_used = 0.0

    def call(self, method, path, body=None, headers=None):
        """(status, parsed JSON or text). Raises OSError / HTTPException on a
        connection failure; ConnectionRefusedError means nothing was sent."""
        status, _, answer = self.call_with_headers(method, path, body, headers)
        return status, answer

    def call_with_headers(self, method, path, body=None, headers=None):
        """As call(), with the response headers (lower-case names) in the middle."""
        if self.conn is not None and time.monotonic() - self.last_used > REUSE_IDLE_SECONDS:
            self.close()
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        sent_headers = {"Content-Type": "application/json"} if body is not None else {}
        sent_headers.update(headers or {})
        try:
            self.conn.request(method, path, body=body, headers=sent_headers)
            resp = self.conn.getresponse()
            raw = resp.read()
            self.last_used = time.monotonic()
            if resp.will_close:
                self.close()
        except BaseException:
            self.close()
            raise
        got = {k.lower(): v for k, v in resp.getheaders()}
        try:
            return resp.status, got, json.loads(raw)
        except ValueError:
            return resp.status, got, raw.decode(errors="replace")

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def order_path(order_id):
    return "/orders/" + urllib.parse.quote(order_id, safe="")


def items_text(items):
    """The item_ids string GET /orders/{id} answers: one id per unit, ascending."""
    return ",".join(str(p) for p in sorted(items))


def parse_cents(value):
    check(isinstance(value, (int, float)) and not isinstance(value, bool),
          f"total_amount {value!r} is not a number")
    return round(value * 100)


class Model:
    """What the clients sent and were told, across all cycles."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent = {}  # order id -> (user_id, item_ids text, cents, cycle)
        self.acked = {}  # order id -> cycle: answered 201, must exist
        self.refused = {}  # order id -> why: answered 409 / 503 or never sent, must not exist
        self.unknown = set()  # no answer: may exist
        self.created_at = {}  # order id -> created_at seen (before a crash or at a start)
        self.settled = {}  # order id -> (status, finished_at) seen at a quiescent start
        # order id -> (processing_started_at, completed_at) a client saw during load
        self.client_progress = {}
        self.checked = set()  # order ids whose details were checked at a start
        self.restock_acked = collections.Counter()  # product -> units answered 200
        self.restock_sent = collections.Counter()  # product -> units sent (any outcome)
        self.products = {}  # product id -> (name, price, initial) first seen
        # Products created during load (ids above the demo catalog's).
        self.product_sent = {}  # product id -> (name, price cents, stock)
        self.product_acked = []  # answered 201: must exist; orders may use them
        self.product_refused = set()  # answered 503 or never sent: must not exist
        self.replays = 0  # orders a client saw Completed that completed again later
        self.restarted = 0  # orders a client saw Processing that started again later
        self.resumed = 0  # orders Pending or Processing at a start (resumed by recovery)
        self.codes = collections.Counter()  # per cycle: outcome -> count
        # POST /orders/populate: batch id -> [entries, success_count (None: no answer)]
        self.batches = {}
        self.populated = {}  # populated order id -> (user_id, item_ids, cents) first seen
        self.bulk_ids = []  # big products created for populate
        # The shop thread's: registered customers answered 201 (id -> email),
        # managed orders answered 201 (their ids are in sent and acked too),
        # and per managed order the lifecycle: the last move answered 200,
        # the move sent after it without an answer (None: none), and the
        # timestamp of each answered move as seen.
        self.customers = {}
        self.managed = {}  # order id -> seq
        self.move_acked = {}  # order id -> status
        self.move_unknown = {}  # order id -> status sent, no answer
        self.stamps = {}  # order id -> {timestamp field: value}
        # Requests answered under an Idempotency-Key: (key, method, path,
        # body, status, answer), replayed after every start.
        self.keyed = []

    def send(self, order_id, user_id, items, cents, cycle):
        with self.lock:
            check(order_id not in self.sent, f"test bug: order id {order_id!r} reused")
            self.sent[order_id] = (user_id, items_text(items), cents, cycle)

    def outcome(self, order_id, kind, why=None):
        with self.lock:
            self.codes[why or kind] += 1
            if kind == "acked":
                self.acked[order_id] = self.sent[order_id][3]
            elif kind == "refused":
                self.refused[order_id] = why
            else:
                self.unknown.add(order_id)


class CrashLoop:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)  # the scenario: flags, kill delays
        self.check_rng = random.Random(f"{args.seed}/check")  # which orders to fetch again
        self.model = Model()
        self.root = tempfile.mkdtemp(prefix="orderd-crash-loop-")
        self.data_dir = os.path.join(self.root, "data")
        self.log_path = os.path.join(self.root, "orderd.log")
        self.server = None
        self.fsync_supported = True
        self.snapshot_flags = True
        self.snapshot_mode = "none"
        self.admin_snapshot = True  # POST /admin/snapshot exists
        self.short_products = []  # products a 409 named, restocked first
        self.in_flight_at_start = 0
        self.listing_order = []  # Completed ids as the previous start listed them
        self.starts = 0
        self.recovery_503 = 0  # orders answered 503 before readiness
        self.next_bulk_id = 900_000  # big products for populate
        # Products created during load, numbered on from cycle to cycle: a
        # soak's cycle of minutes creates more than a thousand.
        self.next_product_id = 1000
        # Ranges the scenario draws from; a soak (bench/soak.py) widens them.
        self.snapshot_timer_ms = (100, 500)  # --snapshot-interval in timer mode
        self.snapshot_pause = (0.05, 0.3)  # seconds between POST /admin/snapshot
        self.stop_kind = "SIGKILL"  # how the last cycle's load ended

    # --- Starting and stopping ---------------------------------------------------

    def flags(self, first, snapshot_on_exit=False):
        lo = self.rng.randint(1, 50)
        hi = lo + self.rng.randint(5, 200)
        flags = ["--processing-time", f"{lo}ms-{hi}ms"]
        # Snapshots: none, on a short timer, or asked for during load (POST
        # /admin/snapshot), so that crashes hit them and recovery replays
        # the journal over fuzzy snapshots.
        self.snapshot_mode = self.rng.choice(("none", "timer", "admin"))
        if self.snapshot_mode == "timer" and self.snapshot_flags:
            flags += ["--snapshot-interval", f"{self.rng.randint(*self.snapshot_timer_ms)}ms"]
        if snapshot_on_exit and self.snapshot_flags:
            flags += ["--snapshot-on-exit"]
        if first:
            flags += ["--demo-products", str(DEMO_PRODUCTS), "--demo-stock", str(DEMO_STOCK)]
        else:
            # The catalog must come from the journal: a second seeding would
            # show up as other counts or initial stock.
            flags += ["--demo-products", str(DEMO_PRODUCTS + 7),
                      "--demo-stock", str(DEMO_STOCK * 3)]
        if self.fsync_supported:
            flags += ["--fsync", self.args.fsync]
        return flags + self.args.orderd_arg

    def start_without_waiting(self):
        self.server = Orderd(self.args.orderd, self.data_dir, self.flags(False), self.log_path)

    def start(self, first=False, snapshot_on_exit=False, probes=True):
        self.server = Orderd(self.args.orderd, self.data_dir,
                             self.flags(first, snapshot_on_exit), self.log_path)
        self.starts += 1
        if not probes:
            return self.server.wait_ready()
        rng = random.Random(f"{self.args.seed}/start{self.starts}")
        count = iter(range(1, 1_000_000))
        return self.server.wait_ready(lambda client: self.probe(client, rng, next(count)))

    def probe(self, client, rng, n):
        """An order sent before /health/ready said 200: 503 while recovering
        (and then it must not exist), else handled as any other."""
        order_id = f"s{self.starts}-probe-{n}"
        items = [rng.randint(HOT_PRODUCTS + 1, DEMO_PRODUCTS)]
        cents = rng.randint(0, 100_000)
        self.model.send(order_id, 7, items, cents, 0)
        body = (f'{{"user_id": 7, "order_id": "{order_id}", "item_ids": {json.dumps(items)}, '
                f'"total_amount": {cents // 100}.{cents % 100:02d}}}')
        try:
            status, answer = client.call("POST", "/orders", body)
        except (OSError, http.client.HTTPException):
            self.model.outcome(order_id, "unknown")
            return
        if status == 503:
            check(isinstance(answer, dict) and "error" in answer,
                  f"POST /orders while recovering answered 503 {answer!r}, expected an error")
            self.model.outcome(order_id, "refused", "503 recovering")
            self.recovery_503 += 1
        elif status == 201:
            self.model.outcome(order_id, "acked", "201")
        elif status == 409 and isinstance(answer, dict) and "stock_issues" in answer:
            self.model.outcome(order_id, "refused", "409 stock")
        else:
            raise Failure(f"POST /orders {order_id!r} at the start answered {status} {answer!r}")

    def tear_tail(self):
        """Appends what a write cut short leaves (zeros or random bytes) to
        the newest journal segment: recovery must cut it as a torn tail and
        lose nothing acknowledged."""
        segments = sorted(n for n in os.listdir(self.data_dir)
                          if n.startswith("journal-") and n.endswith(".log"))
        if not segments:
            return ""
        size = self.rng.randint(1, 300)
        zeros = self.rng.random() < 0.5
        junk = bytes(size) if zeros else self.rng.randbytes(size)
        with open(os.path.join(self.data_dir, segments[-1]), "ab") as f:
            f.write(junk)
        return f", then {size} {'zero' if zeros else 'random'} bytes appended to {segments[-1]}"

    def files(self):
        """What the data directory holds: 'N other, M snapshot files'."""
        try:
            names = os.listdir(self.data_dir)
        except OSError:
            return "no data directory"
        snaps = sum(1 for n in names if n.endswith(".snap"))
        return f"{len(names) - snaps} other, {snaps} snapshot files"

    def resumed_by_recovery(self):
        """Orders recovery said it resumed, summed over the log ('N orders to resume')."""
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode(errors="replace")
        except OSError:
            return None
        found = re.findall(r"(\d+) orders to resume", text)
        return sum(map(int, found)) if found else None

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    # --- Load and crash ------------------------------------------------------------

    def make_order(self, rng, cycle, client, n):
        order_id = f"c{cycle}-k{client}-{n}"
        shape = rng.random()
        if shape < 0.05:
            order_id += "/a b"  # percent-encoded in the GET path
        elif shape < 0.10:
            order_id += "-\u00fc\u2713"  # UTF-8 in the journal
        elif shape < 0.15:
            order_id += "-" + "x" * rng.randint(50, 100)  # long, up to 128 bytes
        items = []
        created = self.model.product_acked
        for _ in range(rng.randint(1, 5)):
            roll = rng.random()
            if roll < 0.1 and created:
                items.append(created[rng.randrange(len(created))])
            elif roll < 0.7:
                items.append(rng.randint(1, HOT_PRODUCTS))
            else:
                items.append(rng.randint(1, DEMO_PRODUCTS))
        user_id = rng.choice((rng.randint(0, 10_000), rng.randint(0, 2**53 - 1)))
        cents = rng.randint(0, 1_000_000)
        return order_id, user_id, items, cents

    def client_loop(self, port, cycle, k, stop, errors):
        rng = random.Random(f"{self.args.seed}/{cycle}/{k}")
        client = Client(port)
        model = self.model
        n = 0
        try:
            while not stop.is_set():
                n += 1
                order_id, user_id, items, cents = self.make_order(rng, cycle, k, n)
                model.send(order_id, user_id, items, cents, cycle)
                body = (f'{{"user_id": {user_id}, "order_id": {json.dumps(order_id)}, '
                        f'"item_ids": {json.dumps(items)}, '
                        f'"total_amount": {cents // 100}.{cents % 100:02d}}}')
                try:
                    status, answer = client.call("POST", "/orders", body)
                except ConnectionRefusedError:
                    model.outcome(order_id, "refused", "connection refused")
                    stop.wait(0.01)
                    continue
                except (OSError, http.client.HTTPException):
                    model.outcome(order_id, "unknown")
                    continue
                if status == 201:
                    check(isinstance(answer, dict) and answer.get("order_id") == order_id,
                          f"201 for {order_id!r} with body {answer!r}")
                    model.outcome(order_id, "acked", "201")
                    if rng.random() < 0.25:
                        self.observe(client, order_id)
                elif status == 409 and isinstance(answer, dict) and "stock_issues" in answer:
                    model.outcome(order_id, "refused", "409 stock")
                    for issue in answer["stock_issues"]:
                        self.short_products.append(issue["product_id"])
                elif status == 503:
                    model.outcome(order_id, "refused", "503")
                else:
                    raise Failure(f"POST /orders {order_id!r} answered {status} {answer!r}")
        except Failure as e:
            errors.append(e)
            stop.set()
        except Exception as e:  # a bug here must not pass as success
            errors.append(Failure(f"client {k} crashed: {e!r}"))
            stop.set()
        finally:
            client.close()

    def observe(self, client, order_id):
        """GET an acknowledged order during load; remembers its created_at."""
        try:
            status, body = client.call("GET", order_path(order_id))
        except (OSError, http.client.HTTPException):
            return
        check(status == 200, f"acknowledged order {order_id!r}: GET answered {status} {body!r} "
                             "while orderd runs")
        self.check_order_body(order_id, body)
        with self.model.lock:
            self.model.created_at[order_id] = body["created_at"]
            if body["status"] in ("Processing", "Completed"):
                self.model.client_progress[order_id] = (body["processing_started_at"],
                                                        body["completed_at"])

    def restock_loop(self, port, cycle, stop, errors):
        rng = random.Random(f"{self.args.seed}/{cycle}/restock")
        client = Client(port)
        model = self.model
        try:
            while not stop.wait(rng.uniform(0.005, 0.03)):
                if rng.random() < 0.1:
                    self.next_product_id += 1
                    self.create_product(client, rng, self.next_product_id)
                    continue
                # Mostly a product that ran short, so that orders keep
                # succeeding and failing for stock in every cycle.
                short = self.short_products
                if short and rng.random() < 0.8:
                    product = short[rng.randrange(len(short))]
                    del short[:]
                else:
                    product = rng.randint(1, DEMO_PRODUCTS)
                quantity = rng.randint(1, 300)
                with model.lock:
                    model.restock_sent[product] += quantity
                try:
                    status, answer = client.call(
                        "POST", f"/api/v1/products/{product}/restock",
                        json.dumps({"quantity": quantity}))
                except ConnectionRefusedError:
                    with model.lock:
                        model.restock_sent[product] -= quantity
                    continue
                except (OSError, http.client.HTTPException):
                    continue
                if status == 200:
                    with model.lock:
                        model.restock_acked[product] += quantity
                        model.codes["restock 200"] += 1
                elif status == 503:
                    with model.lock:
                        model.codes["restock 503"] += 1
                else:
                    raise Failure(f"restock of product {product} answered {status} {answer!r}")
        except Failure as e:
            errors.append(e)
            stop.set()
        except Exception as e:
            errors.append(Failure(f"restock thread crashed: {e!r}"))
            stop.set()
        finally:
            client.close()

    def create_product(self, client, rng, product_id, stock=None):
        """POST /api/v1/products during load: a product 201 must survive.
        Returns whether it was answered 201."""
        model = self.model
        cents = rng.randint(0, 100_000)
        stock = rng.randint(0, 300) if stock is None else stock
        sent = (f"Crash product {product_id} \u00e9", cents, stock)
        with model.lock:
            model.product_sent[product_id] = sent
        body = (f'{{"id": {product_id}, "name": {json.dumps(sent[0])}, '
                f'"price": {cents // 100}.{cents % 100:02d}, "stock": {sent[2]}}}')
        try:
            status, answer = client.call("POST", "/api/v1/products", body)
        except ConnectionRefusedError:
            with model.lock:
                model.product_refused.add(product_id)
            return False
        except (OSError, http.client.HTTPException):
            return False
        if status == 201:
            check(isinstance(answer, dict) and answer.get("id") == product_id,
                  f"POST /api/v1/products {product_id} answered 201 {answer!r}")
            with model.lock:
                model.product_acked.append(product_id)
                model.codes["product 201"] += 1
            return True
        elif status == 503:
            with model.lock:
                model.product_refused.add(product_id)
            return False
        else:
            raise Failure(f"POST /api/v1/products {product_id} answered {status} {answer!r}")

    def keyed_call(self, client, rng, method, path, body, cycle, n):
        """A request sent with an Idempotency-Key one time in three; an
        answered one is remembered, to be replayed after every start."""
        key = f"crash-{self.args.seed}-{cycle}-{n}" if rng.random() < 1 / 3 else None
        status, answer = client.call(method, path, body,
                                     {"Idempotency-Key": key} if key else None)
        if key is not None and status < 500:
            with self.model.lock:
                self.model.keyed.append((key, method, path, body, status, answer))
                self.model.codes["keyed"] += 1
        return status, answer

    def shop_loop(self, port, cycle, stop, errors):
        """Registers customers, places managed orders for them and, once
        Completed, moves them on through PUT /api/orders/{seq}: what
        acknowledged must survive, as must replies stored under keys."""
        rng = random.Random(f"{self.args.seed}/{cycle}/shop")
        client = Client(port)
        model = self.model
        n = 0
        waiting = []  # (order id, seq, path of moves) placed, not yet Completed
        try:
            while not stop.wait(rng.uniform(0.005, 0.02)):
                n += 1
                try:
                    if waiting and rng.random() < 0.6:
                        self.move_on(client, rng, waiting, cycle, n)
                    elif model.customers and rng.random() < 0.6:
                        self.place_order(client, rng, waiting, cycle, n)
                    else:
                        self.register_customer(client, rng, cycle, n)
                except (OSError, http.client.HTTPException):
                    waiting.clear()  # the process is going; what was sent is unknown
        except Failure as e:
            errors.append(e)
            stop.set()
        except Exception as e:
            errors.append(Failure(f"shop thread crashed: {e!r}"))
            stop.set()
        finally:
            client.close()

    def register_customer(self, client, rng, cycle, n):
        email = f"c{cycle}-s{n}-{self.args.seed}@Crash.Example"
        body = json.dumps({"name": f"Crash Customer {n}", "email": email,
                           "phone_number": "+1 555 0100"})
        status, answer = self.keyed_call(client, rng, "POST", "/register_customer", body, cycle,
                                         n)
        if status == 201:
            check(isinstance(answer, dict) and answer.get("email") == email and
                  isinstance(answer.get("customer_id"), int),
                  f"POST /register_customer answered 201 {answer!r}")
            with self.model.lock:
                self.model.customers[answer["customer_id"]] = email
                self.model.codes["customer 201"] += 1
        elif status != 503:
            raise Failure(f"POST /register_customer {email} answered {status} {answer!r}")

    def place_order(self, client, rng, waiting, cycle, n):
        model = self.model
        customer = rng.choice(sorted(model.customers))
        # Products outside the hot ones: they rarely run out.
        items = [{"product_id": rng.randint(HOT_PRODUCTS + 1, DEMO_PRODUCTS),
                  "quantity": rng.randint(1, 3)} for _ in range(rng.randint(1, 3))]
        body = json.dumps({"customer_id": customer, "items": items})
        status, answer = self.keyed_call(client, rng, "POST", "/place_order", body, cycle, n)
        if status == 201:
            check(isinstance(answer, dict) and isinstance(answer.get("order_id"), int) and
                  answer.get("id") == f"order_{answer['order_id']}",
                  f"POST /place_order answered 201 {answer!r}")
            order_id = answer["id"]
            units = [i["product_id"] for i in items for _ in range(i["quantity"])]
            with model.lock:
                check(order_id not in model.sent, f"POST /place_order named {order_id} twice")
                model.sent[order_id] = (customer, items_text(units), 0, cycle)
                model.acked[order_id] = cycle
                model.managed[order_id] = answer["order_id"]
                model.codes["managed 201"] += 1
            if rng.random() < 0.8:
                waiting.append((order_id, answer["order_id"], list(rng.choice(MOVE_PATHS))))
        elif status == 409 and isinstance(answer, dict) and "stock_issues" in answer:
            with model.lock:
                model.codes["managed 409 stock"] += 1
        elif status != 503:
            raise Failure(f"POST /place_order {body} answered {status} {answer!r}")

    def move_on(self, client, rng, waiting, cycle, n):
        """The next move of a waiting order, once it is Completed."""
        model = self.model
        order_id, seq, path = waiting[rng.randrange(len(waiting))]
        status, body = client.call("GET", order_path(order_id))
        check(status == 200, f"managed order {order_id}: GET answered {status} {body!r}")
        current = model.move_acked.get(order_id, "Completed")
        if body["status"] == "Rejected" or not path:
            waiting.remove((order_id, seq, path))
            return
        if body["status"] != current:
            check(body["status"] in ("Pending", "Processing") and current == "Completed",
                  f"managed order {order_id}: {body['status']}, last move answered {current}")
            return  # not processed yet
        to = path[0]
        with model.lock:
            model.move_unknown[order_id] = to
        answer_status, answer = self.keyed_call(client, rng, "PUT", f"/api/orders/{seq}",
                                                json.dumps({"status": to}), cycle, n)
        if answer_status == 200:
            check(isinstance(answer, dict) and answer.get("status") == to,
                  f"PUT /api/orders/{seq} {to} answered 200 {answer!r}")
            path.pop(0)
            with model.lock:
                model.move_acked[order_id] = to
                del model.move_unknown[order_id]
                model.codes["move 200"] += 1
            status, body = client.call("GET", order_path(order_id))
            check(status == 200 and body.get("status") == to and body.get(STAMPS[to]),
                  f"managed order {order_id} after {to} answered 200: {status} {body!r}")
            with model.lock:
                model.stamps.setdefault(order_id, {})[STAMPS[to]] = body[STAMPS[to]]
        elif answer_status == 503:
            with model.lock:
                del model.move_unknown[order_id]
        else:
            raise Failure(f"PUT /api/orders/{seq} {to} answered {answer_status} {answer!r}")

    def check_shop(self, client, listed):
        """Customers by id with their email; every managed order's answered
        move and its timestamps; every keyed request replayed as answered."""
        model = self.model
        for customer_id, email in sorted(model.customers.items()):
            code, body = client.call("GET", f"/api/v1/customers/{customer_id}")
            check(code == 200 and isinstance(body, dict) and body.get("email") == email and
                  body.get("implicit") is False,
                  f"registered customer {customer_id} ({email}): GET answered {code} {body!r}")
        for order_id in model.managed:
            acked = model.move_acked.get(order_id)
            status = listed.get(order_id)
            if acked is None:
                # No move answered: processed as any order, or moved by one
                # without an answer.
                check(status in ("Completed", "Rejected", model.move_unknown.get(order_id)),
                      f"managed order {order_id}: {status}, no move was answered")
                continue
            check(status in (acked, model.move_unknown.get(order_id)),
                  f"managed order {order_id}: {status}, the last move answered 200 was {acked}"
                  f" (one without an answer: {model.move_unknown.get(order_id)})")
        moved = sorted(model.stamps)
        for order_id, (code, body) in self.fetch_orders(self.server.port, moved):
            check(code == 200, f"managed order {order_id}: GET answered {code} {body!r}")
            for field, value in model.stamps[order_id].items():
                check(body.get(field) == value,
                      f"managed order {order_id}: {field} {body.get(field)!r}, was {value!r}")
        for key, method, path, body, status, answer in model.keyed:
            code, headers, again = client.call_with_headers(method, path, body,
                                                            {"Idempotency-Key": key})
            check((code, again) == (status, answer) and
                  headers.get("idempotent-replayed") == "true",
                  f"{method} {path} under Idempotency-Key {key} answered {status} {answer!r}; "
                  f"after the restart {code} {again!r} with Idempotent-Replayed "
                  f"{headers.get('idempotent-replayed')!r}")

    def populate_loop(self, port, cycle, stop, errors):
        """One POST /orders/populate batch: its 201 covers success_count orders."""
        rng = random.Random(f"{self.args.seed}/{cycle}/populate")
        client = Client(port, timeout=120)
        model = self.model
        try:
            # Products with stock enough for the batch (populate picks among
            # every product in stock when it starts).
            while len(model.bulk_ids) < 3 and not stop.is_set():
                self.next_bulk_id += 1
                if self.create_product(client, rng, self.next_bulk_id, 10**9):
                    model.bulk_ids.append(self.next_bulk_id)
            if stop.wait(rng.uniform(0, 0.2)):
                return
            batch = f"p{cycle}x{rng.randrange(10**6)}"
            entries = max(10, rng.randint(3000, 12000) // self.args.scale_divisor)
            with model.lock:
                model.batches[batch] = [entries, None]
            try:
                status, answer = client.call("POST", "/orders/populate", json.dumps(
                    {"total_entries": entries, "batch_id": batch}))
            except (OSError, http.client.HTTPException):
                return
            if status == 201:
                check(isinstance(answer, dict) and answer.get("total_entries") == entries and
                      answer["success_count"] + answer["failure_count"] == entries,
                      f"populate {batch} answered 201 {answer!r}")
                with model.lock:
                    model.batches[batch][1] = answer["success_count"]
                    model.codes["populated"] += answer["success_count"]
            elif status == 503:
                with model.lock:
                    model.batches[batch][1] = 0
            else:
                raise Failure(f"populate {batch} answered {status} {answer!r}")
        except Failure as e:
            errors.append(e)
            stop.set()
        except Exception as e:
            errors.append(Failure(f"populate thread crashed: {e!r}"))
            stop.set()
        finally:
            client.close()

    def snapshot_loop(self, port, cycle, stop, errors):
        rng = random.Random(f"{self.args.seed}/{cycle}/snapshot")
        client = Client(port, timeout=120)
        try:
            while not stop.wait(rng.uniform(*self.snapshot_pause)):
                try:
                    status, answer = client.call("POST", "/admin/snapshot", "")
                except (OSError, http.client.HTTPException):
                    continue
                if status == 404:
                    self.admin_snapshot = False
                    return
                check(status == 201, f"POST /admin/snapshot answered {status} {answer!r}")
                with self.model.lock:
                    self.model.codes["snapshot"] += 1
        except Failure as e:
            errors.append(e)
            stop.set()
        except Exception as e:
            errors.append(Failure(f"snapshot thread crashed: {e!r}"))
            stop.set()
        finally:
            client.close()

    def load_and_kill(self, cycle):
        """Runs the clients for a random time, then SIGKILLs orderd."""
        server = self.server
        stop = threading.Event()
        errors = []
        threads = [threading.Thread(target=self.client_loop, args=(server.port, cycle, k, stop,
                                                                  errors), daemon=True)
                   for k in range(self.args.clients)]
        threads.append(threading.Thread(target=self.restock_loop,
                                        args=(server.port, cycle, stop, errors), daemon=True))
        threads.append(threading.Thread(target=self.shop_loop,
                                        args=(server.port, cycle, stop, errors), daemon=True))
        if cycle == 1 or self.rng.random() < 0.25:
            threads.append(threading.Thread(target=self.populate_loop,
                                            args=(server.port, cycle, stop, errors), daemon=True))
        if self.snapshot_mode == "admin" and self.admin_snapshot:
            threads.append(threading.Thread(target=self.snapshot_loop,
                                            args=(server.port, cycle, stop, errors), daemon=True))
        self.short_products = []
        delay = self.load_seconds()
        self.model.codes.clear()
        for t in threads:
            t.start()
        stopped_early = self.while_loading(server, delay, stop)
        died = not server.alive()
        if not died:
            self.end_load(server, cycle)
        stop.set()
        for t in threads:
            t.join(timeout=REQUEST_TIMEOUT + 10)
        check(not any(t.is_alive() for t in threads), "a client thread did not stop")
        if errors:
            raise errors[0]
        check(not died, f"orderd exited by itself during load (exit status "
                        f"{server.proc.returncode})")
        check(not stopped_early, "load stopped early")
        return delay

    # What a cycle does; a soak (bench/soak.py) overrides them.
    def load_seconds(self):
        return self.rng.uniform(0.2, 1.5)

    def while_loading(self, server, seconds, stop):
        """Waits out the load; True if it stopped early."""
        return stop.wait(seconds)

    def end_load(self, server, cycle):
        self.stop_kind = "SIGKILL"
        server.kill()

    # --- Verification ------------------------------------------------------------------

    def check_order_body(self, order_id, body):
        check(isinstance(body, dict), f"order {order_id!r}: body {body!r}")
        sent = self.expected(order_id)
        if sent is None and self.populated_batch(order_id):
            # First sight of a populated order: plausible, then fixed.
            user_id, items, total = body.get("user_id"), body.get("item_ids"), \
                body.get("total_amount")
            check(isinstance(user_id, int) and 1 <= user_id <= 10_000,
                  f"populated order {order_id!r}: user_id {user_id!r}")
            check(isinstance(items, str) and 1 <= len(items.split(",")) <= 5,
                  f"populated order {order_id!r}: item_ids {items!r}")
            sent = (user_id, items, parse_cents(total), 0)
            self.model.populated[order_id] = sent
        if sent is None and MANAGED_ID.match(order_id):
            # A managed order placed without an answer: plausible, then fixed.
            user_id, items = body.get("user_id"), body.get("item_ids")
            check(user_id in self.model.customers or isinstance(user_id, int),
                  f"managed order {order_id!r}: user_id {user_id!r}")
            check(isinstance(items, str) and items, f"managed order {order_id!r}: item_ids "
                                                    f"{items!r}")
            sent = (user_id, items, parse_cents(body.get("total_amount")), 0)
            self.model.populated[order_id] = sent
        check(sent is not None, f"order {order_id!r} exists but was never sent")
        user_id, items, cents, _ = sent
        check(body.get("order_id") == order_id,
              f"order {order_id!r}: GET answered order_id {body.get('order_id')!r}")
        check(body.get("user_id") == user_id,
              f"order {order_id!r}: user_id {body.get('user_id')!r}, sent {user_id}")
        check(body.get("item_ids") == items,
              f"order {order_id!r}: item_ids {body.get('item_ids')!r}, sent {items!r}")
        check(parse_cents(body.get("total_amount")) == cents,
              f"order {order_id!r}: total_amount {body.get('total_amount')!r}, "
              f"sent {cents / 100:.2f}")
        check(body.get("status") in STATUSES, f"order {order_id!r}: status {body.get('status')!r}")
        created = body.get("created_at")
        check(isinstance(created, str), f"order {order_id!r}: created_at {created!r}")
        started = body.get("processing_started_at")
        completed = body.get("completed_at")
        # Fixed-width ISO 8601 UTC timestamps compare as strings.
        if started is not None:
            check(created <= started, f"order {order_id!r}: processing_started_at {started} "
                                      f"before created_at {created}")
        if completed is not None:
            check(started is not None and started <= completed,
                  f"order {order_id!r}: completed_at {completed}, processing_started_at "
                  f"{started}")
        if body["status"] in CONSUMED_STATUSES:
            check(completed is not None,
                  f"order {order_id!r}: {body['status']} without completed_at")
        stamp = STAMPS.get(body["status"])
        if stamp is not None:
            check(isinstance(body.get(stamp), str) and (completed is None or
                                                        completed <= body[stamp]),
                  f"order {order_id!r}: {body['status']} with {stamp} {body.get(stamp)!r}")

    def expected(self, order_id):
        """(user_id, item_ids, cents, cycle) sent, or first seen if populated."""
        return self.model.sent.get(order_id) or self.model.populated.get(order_id)

    def populated_batch(self, order_id):
        """The populate batch an order id belongs to, or None."""
        batch, _, n = order_id.rpartition("-")
        entry = self.model.batches.get(batch)
        if entry is None or not n.isdigit() or not 1 <= int(n) <= entry[0]:
            return None
        return batch

    def settle(self, client):
        """Waits until no order is Pending or Processing; returns the metrics."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        first = True
        while True:
            self.server.check_alive("while resumed orders finish")
            status, m = client.call("GET", "/orders/metrics")
            check(status == 200, f"GET /orders/metrics answered {status} {m!r}")
            busy = m["pending"]["count"] + m["processing"]["count"]
            if first:
                self.in_flight_at_start = busy
                self.model.resumed += busy
                first = False
            if busy == 0 and m.get("in_flight", 0) == 0:
                return m
            check(time.monotonic() < deadline,
                  f"{busy} orders still Pending or Processing {SETTLE_TIMEOUT} s after the start "
                  f"(in_flight {m.get('in_flight')}): resumed orders do not finish")
            time.sleep(0.05)

    def list_orders(self, client):
        """Every order id by status, paging with after / next_after."""
        listed = {}
        counts = {}
        for status in STATUSES:
            key = status.lower()
            after = None
            counts[status] = 0
            while True:
                path = f"/orders/metrics?getOrderIds=true&status={key}&limit=10000"
                if after is not None:
                    path += f"&after={after}"
                code, page = client.call("GET", path)
                check(code == 200, f"GET {path} answered {code} {page!r}")
                ids = page[key]["order_ids"]
                for order_id in ids:
                    check(order_id not in listed, f"order {order_id!r} listed twice "
                                                  f"({listed.get(order_id)} and {status})")
                    listed[order_id] = status
                counts[status] += len(ids)
                after = page[key].get("next_after")
                if after is None:
                    break
                check(ids, f"GET {path}: an empty page with next_after {after}")
        return listed, counts

    def fetch_orders(self, port, order_ids):
        """GET /orders/{id} for each id on a few keep-alive connections."""
        local = threading.local()

        def fetch(order_id):
            if not hasattr(local, "client"):
                local.client = Client(port)
                clients.append(local.client)
            return order_id, local.client.call("GET", order_path(order_id))

        clients = []
        try:
            with ThreadPoolExecutor(max_workers=8) as pool:
                return list(pool.map(fetch, order_ids))
        finally:
            for c in clients:
                c.close()

    def list_products(self, client):
        products = []
        after = 0
        while True:
            path = f"/api/v1/products?limit=1000&after={after}"
            code, page = client.call("GET", path)
            check(code == 200, f"GET {path} answered {code} {page!r}")
            products += page["products"]
            after = page.get("next_after")
            if after is None:
                return products

    def verify(self, label):
        """Checks everything the model promises; returns (listed, products)."""
        try:
            return self._verify()
        except Failure as e:
            raise Failure(f"{label}: {e}") from None
        except (OSError, http.client.HTTPException) as e:
            raise Failure(f"{label}: a request failed: {e!r}") from None

    def _verify(self):
        model = self.model
        client = Client(self.server.port)
        try:
            before = self.settle(client)
            listed, counts = self.list_orders(client)
            code, after = client.call("GET", "/orders/metrics")
            check(code == 200, f"GET /orders/metrics answered {code}")
            for status in STATUSES:
                key = status.lower()
                check(before[key]["count"] == after[key]["count"] == counts[status],
                      f"{status}: metrics count {before[key]['count']} then "
                      f"{after[key]['count']}, listing {counts[status]}")
            check(before["total_orders"] == after["total_orders"] == len(listed),
                  f"total_orders {before['total_orders']} then {after['total_orders']}, "
                  f"{len(listed)} distinct orders listed")

            ids = set(listed)
            missing = [i for i in model.acked if i not in ids]
            check(not missing, f"{len(missing)} acknowledged orders lost: "
                               + sample_text(f"{i} (cycle {model.acked[i]})" for i in missing))
            gone = [i for i in model.checked if i not in ids]
            check(not gone, f"{len(gone)} orders that existed at an earlier start are gone: "
                            + sample_text(gone))
            per_batch = collections.Counter()
            ghosts = []
            for i in ids:
                if i not in model.sent and not MANAGED_ID.match(i):
                    batch = self.populated_batch(i)
                    if batch is None:
                        ghosts.append(i)
                    else:
                        per_batch[batch] += 1
            check(not ghosts, f"orders that were never sent exist: {sample_text(ghosts)}")
            for batch, (entries, success) in model.batches.items():
                if success is not None:
                    check(per_batch[batch] == success,
                          f"populate {batch} answered success_count {success}, "
                          f"{per_batch[batch]} of its orders exist")
            refused = [i for i in ids if i in model.refused]
            check(not refused, "refused orders exist: "
                               + sample_text(f"{i} ({model.refused[i]})" for i in refused))
            # The listing is oldest first by acceptance; recovery keeps that order.
            # (Those still Completed: the shop thread moves some on.)
            completed = [i for i, s in listed.items() if s == "Completed"]
            before_ids = set(self.listing_order)
            kept = [i for i in completed if i in before_ids]
            earlier = [i for i in self.listing_order if listed.get(i) == "Completed"]
            if kept != earlier:
                moved = next(n for n, (a, b) in enumerate(zip(kept, earlier))
                             if a != b) if len(kept) == len(earlier) else None
                raise Failure("the Completed listing changed order across a restart"
                              + (f" at position {moved}: {kept[moved]!r} where "
                                 f"{earlier[moved]!r} was" if moved is not None else ""))
            self.listing_order = completed
            unsettled = [i for i, s in listed.items() if s not in FINAL_STATUSES]
            check(not unsettled, "orders still Pending or Processing: "
                                 + sample_text(f"{i} ({listed[i]})" for i in unsettled))

            # Details: every order not checked before, and a sample of the rest.
            fresh = [i for i in listed if i not in model.checked]
            old = sorted(i for i in listed if i in model.checked)
            recheck = self.check_rng.sample(old, min(RECHECK_SAMPLE, len(old)))
            for order_id, (code, body) in self.fetch_orders(self.server.port, fresh + recheck):
                check(code == 200, f"order {order_id!r} listed but GET answered {code} {body!r}")
                self.check_order_body(order_id, body)
                check(body["status"] == listed[order_id],
                      f"order {order_id!r}: GET says {body['status']}, listing "
                      f"{listed[order_id]}")
                seen = model.created_at.get(order_id)
                check(seen is None or seen == body["created_at"],
                      f"order {order_id!r}: created_at {body['created_at']}, was {seen}")
                finished = body.get("completed_at") or body.get("rejected_at")
                # A lifecycle move may follow completion; the outcome may not change.
                outcome = "Rejected" if body["status"] == "Rejected" else "Completed"
                settled = model.settled.get(order_id)
                check(settled is None or settled == (outcome, finished),
                      f"order {order_id!r}: {body['status']} at {finished} at this start, "
                      f"{settled[0] if settled else ''} at {settled[1] if settled else ''} "
                      "at an earlier one")
                client_saw = model.client_progress.pop(order_id, None)
                if client_saw is not None:
                    # Seen Processing or Completed during load, started or
                    # completed again after the crash: that change was not
                    # yet in the journal. Not acknowledged, so noted, not failed.
                    started, completed = client_saw
                    if started != body.get("processing_started_at"):
                        model.restarted += 1
                    elif completed is not None and completed != body.get("completed_at"):
                        model.replays += 1
                model.created_at[order_id] = body["created_at"]
                model.settled[order_id] = (outcome, finished)
                model.checked.add(order_id)

            self.check_shop(client, listed)

            # Stock: derived from the orders that exist, whatever their answer was.
            held = collections.Counter()
            consumed = collections.Counter()
            for order_id, status in listed.items():
                units = collections.Counter(int(p) for p in self.expected(order_id)[1].split(","))
                if status in ("Pending", "Processing"):
                    held.update(units)
                elif status in CONSUMED_STATUSES:
                    consumed.update(units)
            products = self.list_products(client)
            ids_seen = [p["id"] for p in products]
            check(ids_seen == sorted(set(ids_seen)), "product listing not ascending or repeats "
                                                     f"an id: {sample_text(ids_seen)}")
            present = set(ids_seen)
            demo = set(range(1, DEMO_PRODUCTS + 1))
            check(demo <= present and not any(DEMO_PRODUCTS < i < 1000 for i in present) and
                  not any(i > 900_000 and i not in model.product_sent for i in present),
                  f"catalog holds products {sample_text(ids_seen)}, expected 1..{DEMO_PRODUCTS} "
                  "and those created (seeded again at a restart?)")
            lost = [i for i in model.product_acked if i not in present]
            lost += [i for i in model.products if i not in present and i not in lost]
            check(not lost, "acknowledged products, or products that existed at an earlier "
                            f"start, are gone: {sample_text(lost)}")
            ghosts = [i for i in present - demo if i not in model.product_sent]
            check(not ghosts, f"products that were never created exist: {sample_text(ghosts)}")
            refused = [i for i in present if i in model.product_refused]
            check(not refused, f"refused products exist: {sample_text(refused)}")
            for p in products:
                pid = p["id"]
                fields = {k: p.get(k) for k in ("available", "held", "consumed", "initial",
                                                "restocked", "returned")}
                for k, v in fields.items():
                    check(isinstance(v, int) and v >= 0, f"product {pid}: {k} = {v!r}")
                check(fields["initial"] + fields["restocked"] + fields["returned"] ==
                      fields["available"] + fields["held"] + fields["consumed"],
                      f"product {pid}: stock invariant broken: {fields}")
                identity = (p.get("name"), parse_cents(p.get("price")), fields["initial"])
                if pid in demo:
                    check(fields["initial"] == DEMO_STOCK,
                          f"product {pid}: initial {fields['initial']}, seeded with {DEMO_STOCK}")
                else:
                    check(identity == model.product_sent[pid],
                          f"product {pid}: (name, price cents, initial) {identity}, created "
                          f"with {model.product_sent[pid]}")
                first = model.products.setdefault(pid, identity)
                check(first == identity, f"product {pid}: was {first}, now {identity}")
                check(fields["held"] == held[pid],
                      f"product {pid}: held {fields['held']}, its Pending/Processing orders "
                      f"hold {held[pid]}")
                check(fields["consumed"] == consumed[pid],
                      f"product {pid}: consumed {fields['consumed']}, its Completed orders "
                      f"have {consumed[pid]} units (an order completed twice, or lost?)")
                check(model.restock_acked[pid] <= fields["restocked"] <= model.restock_sent[pid],
                      f"product {pid}: restocked {fields['restocked']}, restocks answered 200 "
                      f"add up to {model.restock_acked[pid]}, all sent to "
                      f"{model.restock_sent[pid]}")
            return listed, products
        finally:
            client.close()

    # --- The run -------------------------------------------------------------------------

    def run(self):
        args = self.args
        help_text = subprocess.run([args.orderd, "--help"], capture_output=True, text=True,
                                   timeout=60).stdout
        if "--fsync" not in help_text:
            self.fsync_supported = False
            print("warning: orderd has no --fsync flag (durability not wired?); started without "
                  "it", flush=True)
        self.snapshot_flags = ("--snapshot-interval" in help_text and
                               "--snapshot-on-exit" in help_text)
        started = time.monotonic()
        for cycle in range(1, args.cycles + 1):
            t0 = time.monotonic()
            early = ""
            if cycle > 1 and self.rng.random() < 0.25:
                # A crash during or just after recovery, while resumed
                # orders are being processed and journaled.
                self.start_without_waiting()
                delay = self.rng.uniform(0, 0.05)
                time.sleep(delay)
                self.server.check_alive("just after the start")
                self.server.kill()
                self.server = None
                early = f"SIGKILL {delay * 1000:.0f} ms after a start; "
            ready = self.start(first=cycle == 1)
            files = self.files()
            listed, _ = self.verify(f"start of cycle {cycle}")
            by_status = collections.Counter(listed.values())
            delay = self.load_and_kill(cycle)
            codes = self.model.codes
            self.server = None
            torn = self.tear_tail() if self.rng.random() < 0.2 else ""
            print(f"cycle {cycle}/{args.cycles}: {early}ready in {ready:.2f} s ({files}), "
                  f"{self.in_flight_at_start} in flight at the first look, "
                  f"{len(listed)} orders verified ({by_status['Completed']} Completed, "
                  f"{by_status['Rejected']} Rejected); load {delay:.2f} s: "
                  f"201 x{codes['201']}, 409 stock x{codes['409 stock']}, 503 x{codes['503']}, "
                  f"no answer x{codes['unknown']}, refused connection "
                  f"x{codes['connection refused']}, restock 200 x{codes['restock 200']}, "
                  f"product 201 x{codes['product 201']}, populated x{codes['populated']}, "
                  f"customers 201 x{codes['customer 201']}, managed 201 x{codes['managed 201']}, "
                  f"moves 200 x{codes['move 200']}, keyed x{codes['keyed']}, "
                  f"snapshots: {self.snapshot_mode} ({codes['snapshot']} asked); "
                  f"{self.stop_kind}{torn}; {time.monotonic() - t0:.2f} s", flush=True)

        # Final: resumed orders finish, then a clean stop must keep it all.
        ready = self.start(snapshot_on_exit=True)
        listed, products = self.verify("final start")
        status = self.server.terminate()
        check(status == 0, f"SIGTERM: orderd exit status {status} (None: still running after "
                           f"{STOP_TIMEOUT} s)")
        self.server.kill()
        self.server = None
        self.start(probes=False)  # nothing may change: no orders sent
        listed_again, products_again = self.verify("start after SIGTERM")
        check(listed_again == listed, "a clean stop and start changed the orders: "
              + sample_text(set(listed.items()) ^ set(listed_again.items())))
        check(products_again == products, "a clean stop and start changed the catalog: "
              + sample_text(set(map(json.dumps, products)) ^ set(map(json.dumps,
                                                                      products_again))))
        by_status = collections.Counter(listed.values())
        model = self.model
        print(f"final: ready in {ready:.2f} s, {len(listed)} orders ({by_status['Completed']} "
              f"Completed, {by_status['Rejected']} Rejected), {len(model.acked)} acknowledged, "
              f"{len(model.unknown)} without an answer ({len(model.unknown & set(listed))} of "
              f"them exist), {len(model.refused)} refused; "
              f"{sum(model.restock_acked.values())} units restocked and "
              f"{len(model.product_acked)} products created (acknowledged); "
              f"{len(model.customers)} customers, {len(model.managed)} managed orders, "
              f"{len(model.move_acked)} of them moved on, {len(model.keyed)} keyed requests "
              f"replayed after every start; "
              f"{sum(b[1] or 0 for b in model.batches.values())} orders populated in "
              f"{len(model.batches)} batches; {self.recovery_503} orders answered 503 while "
              f"recovering; "
              f"{model.resumed} orders found in flight at starts (recovery's log: "
              f"{self.resumed_by_recovery()} resumed); "
              f"orders seen during load that after a crash started processing again: "
              f"{model.restarted}, completed again: {model.replays}; "
              f"clean stop and restart kept everything", flush=True)
        return time.monotonic() - started

    def close(self):
        if self.server is not None:
            self.server.kill()
            self.server = None
        if self.args.keep_data:
            print(f"data and log kept in {self.root}")
        else:
            shutil.rmtree(self.root, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orderd", required=True, help="the orderd binary")
    parser.add_argument("--cycles", type=int, default=3, help="crashes (default 3; 20+ for a "
                                                              "full run)")
    parser.add_argument("--seed", type=int, default=None, help="replays a run (default random)")
    parser.add_argument("--clients", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--fsync", default="always", help="orderd --fsync policy")
    parser.add_argument("--orderd-arg", action="append", default=[],
                        help="one more orderd flag (repeatable), e.g. --orderd-arg=--workers=1")
    parser.add_argument("--scale-divisor", type=int, default=1,
                        help="divides the populate batch sizes (sanitizer builds)")
    parser.add_argument("--keep-data", action="store_true",
                        help="keep the data directory and orderd's log")
    args = parser.parse_args()
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(2**32)
    args.orderd = os.path.abspath(args.orderd)
    if args.cycles < 1 or args.clients < 1 or args.scale_divisor < 1:
        parser.error("--cycles, --clients and --scale-divisor must be at least 1")
    print(f"seed={args.seed}", flush=True)
    replay = (f"{sys.argv[0]} --orderd {args.orderd} --seed {args.seed} --cycles {args.cycles} "
              f"--clients {args.clients} --fsync {args.fsync} "
              f"--scale-divisor {args.scale_divisor}"
              + "".join(f" --orderd-arg={a}" for a in args.orderd_arg))
    loop = CrashLoop(args)
    try:
        elapsed = loop.run()
    except Failure as e:
        print(f"FAIL seed={args.seed}: {e}", flush=True)
        tail = loop.log_tail()
        if tail:
            print(f"--- orderd log (last lines) ---\n{tail}\n---", flush=True)
        print(f"replay: {replay}", flush=True)
        loop.close()
        return 1
    except BaseException:
        print(f"FAIL seed={args.seed}: unexpected error, replay: {replay}", flush=True)
        loop.close()
        raise
    loop.close()
    print(f"PASS seed={args.seed}: {args.cycles} crash cycles in {elapsed:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
