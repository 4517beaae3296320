#!/usr/bin/env python3
"""Black-box tests of orderd serving HTTPS (--tls-cert, --tls-key).

A self-signed certificate for 127.0.0.1 and localhost is made with the
openssl command in a temporary directory when the tests start; each server
is started on a free port of 127.0.0.1 and always killed at the end.
Clients verify the server against that certificate. Standard library only.

    orderd_tls_blackbox_test.py --orderd path/to/orderd
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from orderd_process import LISTENING, read_first_line  # noqa: E402

ORDERD = None
CERTS = None  # the temporary directory with the PEM files


def order_body(order_id):
    """A seed-004 order (POST /orders/), as the other black-box tests send."""
    return json.dumps({"user_id": 7, "order_id": order_id, "item_ids": [1, 2],
                       "total_amount": 3.98})


def make_certificate(directory, name, common_name="localhost"):
    """cert and key PEM files for 127.0.0.1 and localhost: (cert path, key path)."""
    cert = os.path.join(directory, name + "-cert.pem")
    key = os.path.join(directory, name + "-key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj",
                    "/CN=" + common_name, "-addext",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key, "-out", cert],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def client_context(**versions):
    """Verifies the server against the test certificate; versions may set
    minimum_version and maximum_version."""
    context = ssl.create_default_context(cafile=os.path.join(CERTS, "server-cert.pem"))
    for name, version in versions.items():
        setattr(context, name, version)
    return context


class TlsOrderd:
    """One orderd process serving HTTPS; a context manager that always kills it."""

    def __init__(self, *flags, start_timeout=30):
        self.data_dir = tempfile.mkdtemp(prefix="orderd-tls-test-")
        self.stderr = tempfile.TemporaryFile()
        args = [ORDERD, "--data-dir", self.data_dir, "--port", "0", "--bind", "127.0.0.1",
                "--tls-cert", os.path.join(CERTS, "server-cert.pem"),
                "--tls-key", os.path.join(CERTS, "server-key.pem")]
        self.proc = subprocess.Popen(args + list(flags), stdout=subprocess.PIPE,
                                     stderr=self.stderr)
        line = read_first_line(self.proc, start_timeout)
        match = LISTENING.match(line)
        if not match or not line.startswith("orderd listening on https://"):
            self.kill()
            raise AssertionError(f"unexpected first line {line!r}; stderr: {self.stderr_text()}")
        self.host, self.port = match.group(1), int(match.group(2))
        deadline = time.monotonic() + start_timeout
        while self.request("GET", "/health/ready")[0] != 200:
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"not ready after {start_timeout}s: {self.stderr_text()}")
            time.sleep(0.01)

    def connection(self, timeout=30, **versions):
        return http.client.HTTPSConnection(self.host, self.port, timeout=timeout,
                                           context=client_context(**versions))

    def request(self, method, path, body=None, timeout=30):
        """One request on a fresh HTTPS connection: (status, headers dict, body text)."""
        conn = self.connection(timeout)
        try:
            headers = {"Content-Type": "application/json"} if body is not None else {}
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read().decode()
        finally:
            conn.close()

    def metric(self, name):
        text = self.request("GET", "/metrics")[2]
        match = re.search(rf"(?m)^{name} (\S+)$", text)
        return float(match.group(1)) if match else None

    def tls_socket(self, timeout=10, **wrap):
        raw = socket.create_connection((self.host, self.port), timeout=timeout)
        return client_context().wrap_socket(raw, server_hostname=self.host, **wrap)

    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()


def read_until_closed(sock, limit=64 << 20):
    data = b""
    while len(data) < limit:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


class HttpsTest(unittest.TestCase):
    """What clients do over HTTPS: the same API, with HSTS."""

    @classmethod
    def setUpClass(cls):
        cls.server = TlsOrderd("--threads", "2", "--workers", "1")

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()

    def test_health_answers_200_with_strict_transport_security(self):
        conn = self.server.connection()
        conn.request("GET", "/health")
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertEqual(json.loads(resp.read()), {"status": "ok"})
        self.assertEqual(resp.getheader("Strict-Transport-Security"), "max-age=31536000")
        self.assertEqual(resp.getheader("X-Content-Type-Options"), "nosniff")
        self.assertIn(conn.sock.version(), ("TLSv1.2", "TLSv1.3"))
        conn.close()

    def test_create_and_get_orders_on_one_keep_alive_connection(self):
        conn = self.server.connection()
        conn.connect()
        tls_socket = conn.sock
        for i in range(5):
            order_id = f"TLS-KA-{i}"
            conn.request("POST", "/orders/", order_body(order_id),
                         {"Content-Type": "application/json"})
            resp = conn.getresponse()
            self.assertEqual(resp.status, 201)
            self.assertEqual(json.loads(resp.read()),
                             {"message": "Order created", "order_id": order_id})
            self.assertEqual(resp.getheader("Strict-Transport-Security"), "max-age=31536000")
            self.assertIsNone(resp.getheader("Connection"))
            conn.request("GET", f"/orders/{order_id}")
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200)
            self.assertEqual(json.loads(resp.read())["order_id"], order_id)
        self.assertIs(conn.sock, tls_socket, "every request went over the first connection")
        conn.close()

    def test_the_export_streams_over_https(self):
        for i in range(3):
            self.assertEqual(self.server.request("POST", "/orders/",
                                                 order_body(f"TLS-EXPORT-{i}"))[0], 201)
        conn = self.server.connection()
        conn.request("GET", "/api/v1/orders/export?format=jsonl")
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Transfer-Encoding"), "chunked")
        self.assertEqual(resp.getheader("Strict-Transport-Security"), "max-age=31536000")
        lines = resp.read().decode().splitlines()
        exported = [json.loads(line) for line in lines]
        text = "\n".join(lines)
        for i in range(3):
            self.assertIn(f"TLS-EXPORT-{i}", text)
        self.assertGreaterEqual(len(exported), 3)
        # The connection goes on after the stream.
        conn.request("GET", "/health")
        self.assertEqual(conn.getresponse().status, 200)
        conn.close()

    def test_a_body_ended_by_closing_ends_with_close_notify(self):
        # HTTP/1.0 gets the export without chunks, ended by the close: over
        # TLS a close without close_notify could be a cut, and with ragged
        # EOFs not suppressed the client would raise SSLEOFError.
        sock = self.server.tls_socket(suppress_ragged_eofs=False)
        sock.sendall(b"GET /api/v1/orders/export?format=csv HTTP/1.0\r\n\r\n")
        data = read_until_closed(sock)
        sock.close()
        head, _, body = data.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200 OK\r\n"), head)
        self.assertIn(b"\r\nStrict-Transport-Security: max-age=31536000\r\n", head + b"\r\n")
        self.assertTrue(body.startswith(b"order_id,"), body[:100])

    def test_requests_pipelined_behind_the_last_response_do_not_cut_it_off(self):
        sock = self.server.tls_socket()
        last = b"GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        more = b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n" * 5000
        sock.sendall(last + more)
        time.sleep(0.2)  # the server has answered and is discarding the rest
        sock.sendall(more)  # still read (and dropped), not met with a reset
        data = read_until_closed(sock)
        sock.close()
        self.assertEqual(data.count(b"HTTP/1.1 200 OK"), 1)
        self.assertTrue(data.endswith(b'{"status":"ok"}'), data[-100:])

    def test_tls_1_2_is_accepted_with_a_forward_secret_aead_cipher(self):
        conn = self.server.connection(maximum_version=ssl.TLSVersion.TLSv1_2)
        conn.request("GET", "/health")
        self.assertEqual(conn.getresponse().status, 200)
        self.assertEqual(conn.sock.version(), "TLSv1.2")
        cipher = conn.sock.cipher()[0]
        self.assertRegex(
            cipher, r"^ECDHE-(ECDSA|RSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$")
        conn.close()

    def test_tls_1_1_is_refused(self):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # as it should be
            context = client_context(minimum_version=ssl.TLSVersion.TLSv1_1,
                                     maximum_version=ssl.TLSVersion.TLSv1_1)
        try:
            # OpenSSL 3 offers TLS 1.1 only at security level 0.
            context.set_ciphers("DEFAULT:@SECLEVEL=0")
        except ssl.SSLError as e:
            self.skipTest(f"this OpenSSL cannot be made to offer TLS 1.1: {e}")
        failures = self.server.metric("orderd_http_tls_handshake_failures_total")
        raw = socket.create_connection((self.server.host, self.server.port), timeout=10)
        try:
            with self.assertRaises(ssl.SSLError) as refused:
                context.wrap_socket(raw, server_hostname=self.server.host)
        finally:
            raw.close()
        reason = refused.exception.reason or str(refused.exception)
        if reason == "NO_PROTOCOLS_AVAILABLE" or "no protocols available" in reason:
            self.skipTest(f"this OpenSSL refuses to even try TLS 1.1 ({reason})")
        self.assertIn("PROTOCOL_VERSION", reason.upper(), refused.exception)
        self.assertEqual(self.server.metric("orderd_http_tls_handshake_failures_total"),
                         failures + 1)

    def test_plain_http_to_the_tls_port_is_closed_and_https_goes_on(self):
        failures = self.server.metric("orderd_http_tls_handshake_failures_total")
        sock = socket.create_connection((self.server.host, self.server.port), timeout=10)
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        start = time.monotonic()
        try:
            data = read_until_closed(sock)
        except ConnectionResetError:
            data = b""
        sock.close()
        self.assertLess(time.monotonic() - start, 5)
        self.assertFalse(data.startswith(b"HTTP/"), data)
        self.assertEqual(self.server.metric("orderd_http_tls_handshake_failures_total"),
                         failures + 1)
        self.assertEqual(self.server.request("GET", "/health")[0], 200)


class TlsTimeoutAndShutdownTest(unittest.TestCase):
    def test_a_client_that_says_nothing_is_closed_after_the_read_timeout(self):
        with TlsOrderd("--read-timeout", "1s") as s:
            silent = socket.create_connection((s.host, s.port), timeout=15)
            start = time.monotonic()
            self.assertEqual(silent.recv(100), b"", "closed without a word")
            elapsed = time.monotonic() - start
            silent.close()
            self.assertGreater(elapsed, 0.5)
            self.assertLess(elapsed, 10)
            # Past the handshake, the first request is held to the same deadline.
            quiet = s.tls_socket(timeout=15)
            start = time.monotonic()
            self.assertEqual(quiet.recv(100), b"")
            self.assertLess(time.monotonic() - start, 10)
            quiet.close()
            self.assertGreaterEqual(s.metric("orderd_http_tls_handshake_failures_total"), 1)
            self.assertEqual(s.request("GET", "/health")[0], 200)

    def test_sigterm_with_tls_connections_open_exits_0(self):
        with TlsOrderd("--shutdown-timeout", "1s") as s:
            idle = s.tls_socket(timeout=30)
            idle.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
            self.assertIn(b"200 OK", idle.recv(4096))
            mid_handshake = socket.create_connection((s.host, s.port), timeout=30)
            start = time.monotonic()
            s.proc.send_signal(signal.SIGTERM)
            self.assertEqual(s.proc.wait(timeout=60), 0, s.stderr_text())
            self.assertLess(time.monotonic() - start, 10)
            self.assertEqual(idle.recv(10), b"", "idle connection closed")
            idle.close()
            mid_handshake.close()


class TlsStartupTest(unittest.TestCase):
    """Bad TLS flags and files stop orderd at start, with a message."""

    def run_orderd(self, *args, env=None):
        data_dir = tempfile.mkdtemp(prefix="orderd-tls-test-")
        full_env = dict(os.environ)
        full_env.update(env or {})
        try:
            return subprocess.run([ORDERD, "--data-dir", data_dir, "--port", "0", *args],
                                  capture_output=True, text=True, timeout=60, env=full_env)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)

    def assert_refused(self, done, code, *said):
        self.assertEqual(done.returncode, code, done.stderr)
        self.assertEqual(done.stdout, "", "never listened")
        for text in said:
            self.assertIn(text, done.stderr)

    def test_a_certificate_without_its_key_exits_2(self):
        cert = os.path.join(CERTS, "server-cert.pem")
        key = os.path.join(CERTS, "server-key.pem")
        self.assert_refused(self.run_orderd("--tls-cert", cert), 2,
                            "--tls-cert was given without --tls-key")
        self.assert_refused(self.run_orderd("--tls-key", key), 2,
                            "--tls-key was given without --tls-cert")
        self.assert_refused(self.run_orderd(env={"ORDERD_TLS_CERT": cert}), 2,
                            "--tls-cert was given without --tls-key")

    def test_a_key_of_another_certificate_exits_non_zero(self):
        done = self.run_orderd("--tls-cert", os.path.join(CERTS, "server-cert.pem"),
                               "--tls-key", os.path.join(CERTS, "other-key.pem"))
        self.assert_refused(done, 1, "is not the private key of the certificate",
                            "other-key.pem")

    def test_missing_files_exit_non_zero_naming_them(self):
        missing = os.path.join(CERTS, "missing.pem")
        done = self.run_orderd("--tls-cert", missing,
                               "--tls-key", os.path.join(CERTS, "server-key.pem"))
        self.assert_refused(done, 1, missing, "No such file or directory")
        done = self.run_orderd("--tls-cert", os.path.join(CERTS, "server-cert.pem"),
                               "--tls-key", missing)
        self.assert_refused(done, 1, missing, "No such file or directory")

    def test_malformed_pem_exits_non_zero_naming_the_file(self):
        junk = os.path.join(CERTS, "junk.pem")
        with open(junk, "w") as f:
            f.write("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n")
        done = self.run_orderd("--tls-cert", junk,
                               "--tls-key", os.path.join(CERTS, "server-key.pem"))
        self.assert_refused(done, 1, junk, "expected a PEM certificate")
        done = self.run_orderd("--tls-cert", os.path.join(CERTS, "server-cert.pem"),
                               "--tls-key", junk)
        self.assert_refused(done, 1, junk, "expected an unencrypted PEM private key")


def main():
    global ORDERD, CERTS
    parser = argparse.ArgumentParser()
    parser.add_argument("--orderd", required=True)
    args, rest = parser.parse_known_args()
    ORDERD = os.path.abspath(args.orderd)
    if shutil.which("openssl") is None:
        sys.exit("the openssl command is needed to make the test certificate (Debian: openssl)")
    CERTS = tempfile.mkdtemp(prefix="orderd-tls-certs-")
    try:
        make_certificate(CERTS, "server")
        make_certificate(CERTS, "other", common_name="other")
        suite = unittest.TestSuite()
        loader = unittest.TestLoader()
        for case in (HttpsTest, TlsTimeoutAndShutdownTest, TlsStartupTest):
            suite.addTests(loader.loadTestsFromTestCase(case))
        result = unittest.TextTestRunner(verbosity=2).run(suite)
    finally:
        shutil.rmtree(CERTS, ignore_errors=True)
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
