"""Helpers for the hardening suite: real ``kg serve`` processes on free loopback
ports, and raw HTTP for requests no well-behaved client would send.

Every wait is bounded; every process started here is stopped here.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path



@dataclass
class Served:
    proc: subprocess.Popen
    url: str            # http://127.0.0.1:PORT
    port: int
    token: str | None

    def get(self, query: str, headers: dict | None = None, **params) -> tuple[int, dict, bytes]:
        return http(f"{self.url}/sparql?" + urllib.parse.urlencode({"query": query, **params}), headers)


def http(url: str, headers: dict | None = None, data: bytes | None = None, timeout: float = 30):
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def raw(port: int, request: bytes, timeout: float = 10, half_close: bool = False) -> bytes:
    """Send bytes as they are; return whatever comes back before the server closes or goes quiet.
    ``half_close``: then end the sending side, as a client that sent all it had."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                chunks.append(data)
                if b"\r\n\r\n" in b"".join(chunks):
                    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
                    m = re.search(rb"Content-Length: (\d+)", head)
                    if m and len(body) >= int(m.group(1)):
                        break
        except TimeoutError:
            pass
        return b"".join(chunks)


def start_serve(out: Path, *args: str, env: dict | None = None) -> Served:
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", str(out), "--port", "0", "--quiet", *args],
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    url = token = None
    deadline = time.monotonic() + 60
    while url is None and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        m = re.search(r"(http://127\.0\.0\.1:(\d+))/sparql", line)
        if m:
            url, port = m.group(1), int(m.group(2))
    if url is None:
        proc.kill()
        raise AssertionError(f"kg serve did not start: {proc.stderr.read()}")
    if "--allow-update" in args and "--token-env" not in args:
        line = proc.stderr.readline()
        m = re.search(r"Bearer (\S+)`", line)
        token = m.group(1) if m else None
    return Served(proc, url, port, token)


def stop(served: Served) -> None:
    served.proc.terminate()
    try:
        served.proc.wait(10)
    except subprocess.TimeoutExpired:
        served.proc.kill()
        served.proc.wait(10)
    if served.proc.stderr:
        served.proc.stderr.close()


