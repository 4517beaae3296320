#!/usr/bin/env python3
"""Black-box tests of orderd with --auth jwt: logging in, roles and
isolation through the real binary, `orderd token`, revocations surviving
kill -9 and snapshots, and passwords never written anywhere.

Each server runs on a free port of 127.0.0.1 with a temporary data
directory and is always killed at the end. Standard library only.

    orderd_auth_blackbox_test.py --orderd path/to/orderd
"""
import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from orderd_process import LISTENING, read_first_line  # noqa: E402

ORDERD = None
SECRET = "f" * 64
PASSWORD_A = "alice-Pa55word-never-stored"
PASSWORD_B = "bob-Pa55word-never-stored"


def managed_order(product_id=1):
    """Seed 001's create: the customer is the token's."""
    return {"order_items": [{"product_id": product_id, "quantity": 1}],
            "shipping_address_line1": "1 Main St", "shipping_city": "Seattle",
            "shipping_state": "WA", "shipping_postal_code": "98101",
            "shipping_country": "US"}


class AuthOrderd:
    """One orderd process with --auth jwt; restartable on the same data
    directory; a context manager that always kills it."""

    def __init__(self, *flags):
        self.root = tempfile.mkdtemp(prefix="orderd-auth-test-")
        self.data_dir = os.path.join(self.root, "data")
        self.secret_file = os.path.join(self.root, "jwt-secret")
        with open(self.secret_file, "w") as f:
            f.write(SECRET + "\n")
        self.flags = list(flags)
        self.logs = []  # stderr of every run, as files
        self.responses = []  # every body received, for the password check
        self.proc = None
        self.start()

    def start(self):
        stderr = tempfile.TemporaryFile()
        self.logs.append(stderr)
        args = [ORDERD, "--data-dir", self.data_dir, "--port", "0", "--auth", "jwt",
                "--jwt-secret-file", self.secret_file, "--demo-products", "5",
                "--log-level", "debug", "--access-log"] + self.flags
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=stderr)
        line = read_first_line(self.proc, 30)
        match = LISTENING.match(line)
        if not match:
            self.kill()
            raise AssertionError(f"unexpected first line {line!r}")
        self.host, self.port = match.group(1), int(match.group(2))
        deadline = time.monotonic() + 30
        while self.request("GET", "/health/ready")[0] != 200:
            if time.monotonic() > deadline:
                raise AssertionError("not ready after 30 s")
            time.sleep(0.01)

    def request(self, method, path, body=None, token=None):
        """(status, headers dict with lowercase names, parsed JSON or text)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            headers = {}
            if body is not None:
                headers["Content-Type"] = "application/json"
                body = json.dumps(body)
            if token:
                headers["Authorization"] = "Bearer " + token
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode()
            self.responses.append(text)
            try:
                data = json.loads(text)
            except ValueError:
                data = text
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            conn.close()

    def register_and_log_in(self, name, email, password):
        status, _, made = self.request("POST", "/api/v1/customers",
                                       {"name": name, "email": email, "password": password})
        assert status == 201, made
        status, _, login = self.request("POST", "/api/v1/auth/token",
                                        {"email": email, "password": password})
        assert status == 200, login
        return made["id"], login["access_token"]

    def admin_token(self, env=None):
        done = subprocess.run([ORDERD, "token", "--role", "admin", "--subject", "ops", "--ttl",
                               "10m", "--jwt-secret-file", self.secret_file],
                              capture_output=True, text=True, timeout=30, env=env)
        assert done.returncode == 0, done.stderr
        assert "token id (jti)" in done.stderr, done.stderr
        return done.stdout.strip()

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.proc.stdout.close()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.wait_and_close()

    def wait_and_close(self):
        self.proc.wait(timeout=30)
        self.proc.stdout.close()

    def log_text(self):
        text = ""
        for f in self.logs:
            f.seek(0)
            text += f.read().decode(errors="replace")
        return text

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        if self.proc is not None and not self.proc.stdout.closed:
            self.proc.stdout.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        for f in self.logs:
            f.close()
        shutil.rmtree(self.root, ignore_errors=True)


class AuthTest(unittest.TestCase):

    def test_routes_need_a_token_but_probes_do_not(self):
        with AuthOrderd() as s:
            self.assertEqual(s.request("GET", "/health")[0], 200)
            status, headers, body = s.request("GET", "/api/v1/orders")
            self.assertEqual(status, 401)
            self.assertEqual(headers["www-authenticate"], 'Bearer realm="orderd"')
            self.assertIn("Bearer", body["error"])
            status, headers, _ = s.request("GET", "/api/v1/orders", token="not.a.token")
            self.assertEqual(status, 401)
            self.assertIn('error="invalid_token"', headers["www-authenticate"])
            self.assertEqual(s.request("GET", "/metrics")[0], 401)

    def test_customers_see_only_their_own_orders_and_admins_everything(self):
        with AuthOrderd() as s:
            a, token_a = s.register_and_log_in("Alice", "alice@example.com", PASSWORD_A)
            b, token_b = s.register_and_log_in("Bob", "bob@example.com", PASSWORD_B)
            status, _, order = s.request("POST", "/api/v1/orders", managed_order(), token_a)
            self.assertEqual(status, 201, order)
            self.assertEqual(order["customer_id"], a)
            path = "/api/v1/orders/" + str(order["id"])
            self.assertEqual(s.request("GET", path, token=token_a)[0], 200)
            self.assertEqual(s.request("GET", path, token=token_b)[0], 404)
            self.assertEqual(s.request("POST", path + "/cancel", token=token_b)[0], 404)
            status, _, mine = s.request("GET", "/api/v1/orders/my-orders", token=token_b)
            self.assertEqual(status, 200)
            self.assertNotIn(str(order["id"]), json.dumps(mine))
            self.assertEqual(s.request("PUT", path + "/status", {"status": "confirmed"},
                                       token_a)[0], 403)
            admin = s.admin_token()
            self.assertEqual(s.request("PUT", path + "/status", {"status": "confirmed"},
                                       admin)[0], 200)
            status, _, customers = s.request("GET", "/api/v1/customers", token=admin)
            self.assertEqual(status, 200)
            self.assertEqual({c["id"] for c in customers["customers"]}, {a, b})

    def test_orderd_token_reads_the_secret_from_the_environment_too(self):
        with AuthOrderd() as s:
            env = dict(os.environ, ORDERD_JWT_SECRET=SECRET)
            done = subprocess.run([ORDERD, "token", "--role", "admin", "--subject", "ops"],
                                  capture_output=True, text=True, timeout=30, env=env)
            self.assertEqual(done.returncode, 0, done.stderr)
            status, _, me = s.request("GET", "/api/v1/auth/me", token=done.stdout.strip())
            self.assertEqual((status, me["role"], me["subject"]), (200, "admin", "ops"))
            bare = dict(os.environ)
            bare.pop("ORDERD_JWT_SECRET", None)
            bare.pop("ORDERD_JWT_SECRET_FILE", None)
            done = subprocess.run([ORDERD, "token", "--subject", "ops"], capture_output=True,
                                  text=True, timeout=30, env=bare)
            self.assertEqual(done.returncode, 2)
            self.assertIn("no secret", done.stderr)

    def test_revocations_survive_kill_9_and_snapshots(self):
        with AuthOrderd("--fsync", "always") as s:
            _, token_a = s.register_and_log_in("Alice", "alice@example.com", PASSWORD_A)
            _, token_b = s.register_and_log_in("Bob", "bob@example.com", PASSWORD_B)
            self.assertEqual(s.request("POST", "/api/v1/auth/logout", token=token_a)[0], 200)
            self.assertEqual(s.request("GET", "/api/v1/auth/me", token=token_a)[0], 401)
            s.kill9()
            s.start()
            status, _, body = s.request("GET", "/api/v1/auth/me", token=token_a)
            self.assertEqual((status, body["error"]), (401, "the token has been revoked"))
            self.assertEqual(s.request("GET", "/api/v1/auth/me", token=token_b)[0], 200)
            # Revoked by an admin, then carried by a snapshot.
            admin = s.admin_token()
            jti = s.request("GET", "/api/v1/auth/me", token=token_b)[2]["token_id"]
            self.assertEqual(s.request("POST", "/api/v1/auth/revoke", {"jti": jti}, admin)[0], 200)
            self.assertEqual(s.request("POST", "/admin/snapshot", token=admin)[0], 201)
            s.kill9()
            s.start()
            self.assertEqual(s.request("GET", "/api/v1/auth/me", token=token_b)[0], 401)
            self.assertEqual(s.request("GET", "/api/v1/auth/me", token=admin)[0], 200)

    def test_passwords_appear_in_no_file_log_or_response(self):
        with AuthOrderd("--fsync", "always") as s:
            s.register_and_log_in("Alice", "alice@example.com", PASSWORD_A)
            s.request("POST", "/register_customer",
                      {"name": "Bob", "email": "bob@example.com", "password": PASSWORD_B})
            s.request("POST", "/api/v1/auth/token",
                      {"email": "bob@example.com", "password": "wrong-" + PASSWORD_B})
            admin = s.admin_token()
            self.assertEqual(s.request("POST", "/admin/snapshot", token=admin)[0], 201)
            s.request("GET", "/api/v1/customers", token=admin)
            s.stop()
            s.start()  # recovery reads them back, and logs
            self.assertEqual(s.request("POST", "/api/v1/auth/token",
                                       {"email": "bob@example.com", "password": PASSWORD_B})[0],
                             200)
            s.stop()
            files = []
            for root, _, names in os.walk(s.data_dir):
                files += [os.path.join(root, n) for n in names]
            self.assertTrue(any("snapshot" in f for f in files), files)
            for password in (PASSWORD_A, PASSWORD_B):
                needle = password.encode()
                for path in files:
                    with open(path, "rb") as f:
                        self.assertNotIn(needle, f.read(), path)
                self.assertNotIn(password, s.log_text())
                for body in s.responses:
                    self.assertNotIn(password, body)
            self.assertNotIn("$argon2", "".join(s.responses))
            self.assertNotIn("$argon2", s.log_text())


class AuthStartupTest(unittest.TestCase):

    def run_orderd(self, *args):
        data_dir = tempfile.mkdtemp(prefix="orderd-auth-start-")
        try:
            return subprocess.run([ORDERD, "--data-dir", data_dir, "--port", "0"] + list(args),
                                  capture_output=True, text=True, timeout=30)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)

    def test_jwt_without_a_secret_exits_2_saying_how_to_make_one(self):
        done = self.run_orderd("--auth", "jwt")
        self.assertEqual(done.returncode, 2)
        self.assertIn("openssl rand -hex 32", done.stderr)

    def test_a_non_loopback_bind_without_authentication_exits_2(self):
        done = self.run_orderd("--bind", "0.0.0.0")
        self.assertEqual(done.returncode, 2)
        self.assertIn("--auth jwt", done.stderr)


def main():
    global ORDERD
    parser = argparse.ArgumentParser()
    parser.add_argument("--orderd", required=True)
    args, rest = parser.parse_known_args()
    ORDERD = os.path.abspath(args.orderd)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
