#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into corpus/<target>/.

    make_corpus.py --orderd path/to/orderd [--seed-tool path/to/seed_examples.py]

Every example request of the seed documents (read by the seed-examples tool
beside the project, when it is there) becomes an input of the HTTP, body and
query targets, next to hand-written ones that reach what the seeds do not
(pipelining, chunked bodies, limits, malformed requests). The journal and
snapshot inputs are the files a real orderd writes while it serves those
requests. Each file is named by a hash of its bytes, so running the script
again only adds what changed. The first byte of every input is the target's
mode byte (see each *_fuzz.cc).
"""
import argparse
import base64
import glob
import hashlib
import hmac
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))
import orderd_process  # noqa: E402

# api_body_fuzz.cc's kRoutes, in order: the index is the input's first byte.
BODY_ROUTES = [
    ("POST", "/orders/"), ("POST", "/orders/populate"), ("PUT", "/api/orders/123"),
    ("PUT", "/api/orders/bulk/status"), ("POST", "/register_customer"), ("POST", "/place_order"),
    ("PATCH", "/update_order_status"), ("POST", "/api/v1/orders/"), ("PUT", "/api/v1/orders/789"),
    ("PUT", "/api/v1/orders/789/status"), ("POST", "/api/v1/orders/123/cancel"),
    ("POST", "/api/v1/customers"), ("POST", "/api/v1/products"), ("PUT", "/api/v1/products/1"),
    ("POST", "/api/v1/products/1/restock"), ("POST", "/api/v1/auth/token"),
    ("POST", "/api/v1/auth/revoke"),
]
# query_fuzz.cc's kQueryRoutes, in order.
QUERY_ROUTES = [
    "/api/v1/orders", "/api/v1/orders/export", "/api/v1/orders/customers/1/orders",
    "/api/customers/1/orders", "/api/customers/1/order-history", "/api/orders/analytics/summary",
    "/order_history/1", "/api/v1/analytics/daily", "/api/v1/analytics/orders/status",
    "/api/v1/analytics/customers/top", "/api/v1/analytics/customers/1", "/api/v1/analytics/summary",
    "/api/v1/analytics/revenue/trends", "/api/v1/analytics/quick/week", "/api/v1/products",
    "/api/v1/customers", "/orders/metrics",
]
# jwt_fuzz.cc's kSecret.
JWT_SECRET = b"fuzzing-secret-of-at-least-32-bytes!"


def write(target, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def read_request(sock):
    """One whole request off `sock` (Content-Length framing, as the tool sends)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    length = int(m.group(1)) if m else 0
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def seed_requests(tool):
    """The raw bytes of every seed example as the seed-examples tool sends
    them, caught by a server that answers each with 200 {}."""
    if not tool or not os.path.exists(tool):
        return []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    caught = []
    proc = subprocess.Popen([sys.executable, tool, "http://127.0.0.1:%d" % listener.getsockname()[1]],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            continue
        with conn:
            conn.settimeout(5)
            caught.append(read_request(conn))
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 2\r\nConnection: close\r\n\r\n{}")
    proc.kill()
    listener.close()
    return caught


def split_request(raw):
    """(method, target, body or None) of a raw request."""
    head, _, body = raw.partition(b"\r\n\r\n")
    method, target = head.split(b"\r\n", 1)[0].split(b" ")[:2]
    return method.decode(), target.decode(), body.decode() if body else None


HAND_WRITTEN_REQUESTS = [
    b"GET /health HTTP/1.1\r\nHost: a\r\n\r\nGET /health/ready HTTP/1.1\r\nHost: a\r\n\r\n",
    b"POST /orders/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
    b"1a\r\n{\"order_id\": \"c1\", \"user_\r\n2a\r\nid\": 1, \"item_ids\": [1], \"total_amount\": 9.99}\r\n0\r\n\r\n",
    b"POST /orders/ HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}",
    b"POST /api/v1/orders/ HTTP/1.1\r\nIdempotency-Key: k-1\r\nContent-Length: 2\r\n\r\n{}"
    b"POST /api/v1/orders/ HTTP/1.1\r\nIdempotency-Key: k-1\r\nContent-Length: 2\r\n\r\n{}",
    b"PUT /api/v1/orders/789 HTTP/1.1\r\nIf-Match: \"1\"\r\nContent-Length: 22\r\n\r\n{\"notes\": \"leave it\"}",
    b"OPTIONS /api/v1/orders HTTP/1.1\r\nOrigin: https://shop.example\r\n"
    b"Access-Control-Request-Method: POST\r\n\r\n",
    b"GET /orders/metrics?limit=5 HTTP/1.0\r\n\r\n",
    b"GET http://127.0.0.1/orders/123 HTTP/1.1\r\n\r\n",
    b"DELETE /api/v1/orders/123 HTTP/1.1\r\nConnection: close\r\n\r\n",
    b"GET / HTTP/2.0\r\n\r\n",
    b"GET /\x00 HTTP/1.1\r\n\r\n",
    b"POST /orders/ HTTP/1.1\r\nContent-Length: 5000\r\n\r\n" + b"x" * 5000,
    b"GET /" + b"a" * 3000 + b" HTTP/1.1\r\n\r\n",
    b"POST /orders/populate HTTP/1.1\r\nContent-Length: 40\r\n\r\n{\"total_entries\": 3, \"batch_id\": \"fz\"}  ",
]

HAND_WRITTEN_BODIES = {
    "/orders/": ['{"user_id": 1, "order_id": "b1", "item_ids": [1, 2, 3], "total_amount": 59.99}',
                 '{"user_id": 1, "order_id": "b2", "item_ids": [], "total_amount": 0}',
                 '{"user_id": -1, "order_id": "", "item_ids": [1e3], "total_amount": "1"}'],
    "/orders/populate": ['{"total_entries": 2}', '{"total_entries": 0}',
                         '{"total_entries": 2, "batch_id": "a/b"}'],
    "/api/orders/bulk/status": ['{"order_ids": ["123", "789"], "status": "shipped"}'],
    "/api/v1/products": ['{"name": "Mug", "sku": "MUG-1", "price": 4.5, "stock": 10}'],
    "/api/v1/products/1/restock": ['{"quantity": 5}', '{"quantity": -5}'],
    "/api/v1/auth/token": ['{"email": "a@example.com", "password": "correct horse"}'],
    "/api/v1/orders/789/status": ['{"status": "cancelled", "reason": "fuzz"}'],
}

DECIMALS = ["0", "59.99", "60", "5.999e1", "1E-2", "0.005", "1.005", "-0", "-1", "1e308",
            "123456789012345678901234567890", "0.0000000001", "9007199254740993", "1.", ".5",
            "01", "1e", "+1", " 1", "1e-400", "999999999999999.995", "0e0", "NaN"]

QUERIES = ["limit=10&offset=0", "status=pending,shipped&sort=created_at&order=desc",
           "from=2026-01-01&to=2026-12-31", "start_date=2026-12-01T10:00:00Z&currency=USD",
           "min_total=10.5&max_total=100", "cursor=abc&limit=0", "format=csv", "days=7&limit=%ZZ",
           "limit=99999999999999999999", "sort_by=total_amount&sort_order=asc", "customer_id=1"]


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def signed_token(header, claims):
    signed = b64url(json.dumps(header).encode()) + b"." + b64url(json.dumps(claims).encode())
    mac = hmac.new(JWT_SECRET, signed, hashlib.sha256).digest()
    return signed + b"." + b64url(mac)


def jwt_inputs():
    hs = {"alg": "HS256", "typ": "JWT"}
    far = 1_900_000_000
    claims = [{"sub": "1", "role": "customer", "exp": far},
              {"sub": "ops", "role": "admin", "exp": far, "jti": "t-1", "iat": 1_700_000_000},
              {"sub": "1", "role": "customer", "exp": 1_600_000_000},
              {"sub": "1", "role": "customer", "exp": far, "nbf": 1_950_000_000},
              {"sub": "", "role": "root", "exp": "soon"}]
    for c in claims:
        yield b"\x00" + signed_token(hs, c)
        yield b"\x01" + json.dumps(hs).encode() + b"\n" + json.dumps(c).encode()
    yield b"\x00" + signed_token({"alg": "none"}, claims[0])[:-10]
    yield b"\x00" + b"a.b.c"
    yield b"\x01" + b'{"alg":"RS256"}\n{"sub":"1"}'


def data_files(orderd, requests):
    """The journal segment and snapshot a fresh orderd writes while serving
    `requests` (raw, each closing its connection)."""
    work = tempfile.mkdtemp(prefix="orderd-corpus-")
    proc = subprocess.Popen([orderd, "--port", "0", "--data-dir", work, "--fsync", "never",
                             "--demo-products", "20"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        m = orderd_process.LISTENING.match(orderd_process.read_first_line(proc, 30))
        port = int(m.group(2))
        orderd_process.wait_until_ready(port, 30)
        half = len(requests) // 2
        for i, raw in enumerate(requests):
            if i == half:
                orderd_process.request(port, "POST", "/admin/snapshot", "{}")
            with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
                conn.sendall(raw)
                while conn.recv(65536):
                    pass
        time.sleep(0.5)  # let the workers finish what they took
        orderd_process.request(port, "POST", "/orders/", json.dumps(
            {"user_id": 2, "order_id": "after", "item_ids": [1], "total_amount": 0}))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    journals = sorted(glob.glob(os.path.join(work, "journal-*.log")))
    snapshots = sorted(glob.glob(os.path.join(work, "snapshot-*.snap")))
    result = ([open(p, "rb").read() for p in journals], [open(p, "rb").read() for p in snapshots])
    shutil.rmtree(work)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--orderd", required=True)
    ap.add_argument("--seed-tool", default=os.path.join(HERE, "..", "..", "..", "shared", "tools",
                                                        "seed_examples.py"))
    a = ap.parse_args()
    seeds = seed_requests(a.seed_tool)
    for raw in seeds:
        write("http_request", b"\x07" + raw)
        method, target, body = split_request(raw)
        for index, (m, path) in enumerate(BODY_ROUTES):
            if body is not None and m == method and path.rstrip("/") == target.split("?")[0].rstrip("/"):
                write("api_body", bytes([index]) + body.encode())
        if "?" in target:
            path, query = target.split("?", 1)
            write("query", b"\x00" + target.encode())
            for index, route in enumerate(QUERY_ROUTES):
                if route == path:
                    write("query", bytes([2 * index + 1]) + query.encode())
    for raw in HAND_WRITTEN_REQUESTS:
        write("http_request", b"\x03" + raw)
        write("http_request", b"\x3f" + raw)
    for index, (method, path) in enumerate(BODY_ROUTES):
        for body in HAND_WRITTEN_BODIES.get(path, []):
            write("api_body", bytes([index]) + body.encode())
    for index in range(len(QUERY_ROUTES)):
        for query in QUERIES:
            write("query", bytes([2 * index + 1]) + query.encode())
    for query in QUERIES:
        write("query", b"\x00/api/v1/orders?" + query.encode())
    for text in DECIMALS:
        for mode in (2, 6, 0x82):
            write("decimal", bytes([mode]) + text.encode())
    for data in jwt_inputs():
        write("jwt", data)
    creating = [r for r in seeds if split_request(r)[0] in ("POST", "PUT", "PATCH", "DELETE")]
    creating.append(b"POST /orders/populate HTTP/1.1\r\nContent-Length: 39\r\n"
                    b"Connection: close\r\n\r\n{\"total_entries\": 5, \"batch_id\": \"fz\"}")
    journals, snapshots = data_files(a.orderd, creating)
    for data in journals:
        write("recovery", b"\x00" + data)
    for data in snapshots:
        write("snapshot", b"\x00" + data)
    for target in sorted(os.listdir(os.path.join(HERE, "corpus"))):
        files = os.listdir(os.path.join(HERE, "corpus", target))
        print(f"corpus/{target}: {len(files)} inputs")


if __name__ == "__main__":
    main()
