"""What the black-box tests share about starting orderd: the line it prints
on standard output once it accepts connections, reading that line without
blocking past a deadline, and waiting for /health/ready."""

import http.client
import os
import re
import select
import time

# "orderd listening on http://127.0.0.1:5000" (https:// with --tls-cert)
LISTENING = re.compile(r"^orderd listening on https?://(\d+\.\d+\.\d+\.\d+):(\d+)$")


def read_first_line(proc, timeout):
    """The first line proc writes to its stdout pipe, without the newline;
    whatever arrived if the deadline passes or the pipe closes first."""
    deadline = time.monotonic() + timeout
    data = b""
    fd = proc.stdout.fileno()
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            break
        chunk = os.read(fd, 1)  # one byte at a time: nothing after the line is consumed
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace").rstrip("\n")


def request(port, method, path, body=None, timeout=60):
    """(status, body) of one request to orderd on 127.0.0.1:port."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body,
                           headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until_ready(port, timeout):
    """Polls /health/ready until it answers 200; False if the deadline passes first."""
    deadline = time.monotonic() + timeout
    while request(port, "GET", "/health/ready")[0] != 200:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
