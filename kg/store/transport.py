"""HTTP for ``kg push`` and ``kg query --endpoint``: one request, bounded in time and size.

Why not plain ``urllib.request.urlopen``:

* its redirect handler copies every header, ``Authorization`` included, to
  whatever host a server redirects to; here credentials go only to the
  origin (scheme, host, port) they were given for;
* its ``timeout`` bounds each socket read, not the request: a reply trickling
  one byte a second never times out; here ``deadline`` is a total;
* it reads a reply of any size into memory; here ``max_bytes`` caps it;
* its error messages echo URLs with ``user:password@`` in them; here
  :func:`redact` takes every credential out of every message.
"""
from __future__ import annotations

import base64
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: the most a reply may be unless the caller says otherwise (64 MiB)
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
_CHUNK = 64 * 1024
_USERINFO = re.compile(r"(?<=://)[^/@\s]*@")


class TransportError(Exception):
    """A request failed; ``status`` is the HTTP status when the server answered.
    Callers wrap it in their own ``KGError`` subclass."""

    def __init__(self, message: str, status: int | None = None, detail: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes


def split_credentials(url: str) -> tuple[str, str | None]:
    """``http://u:p@host/x`` -> (``http://host/x``, ``"u:p"``); other URLs unchanged.

    >>> split_credentials("http://ann:pw@127.0.0.1:7878/store")
    ('http://127.0.0.1:7878/store', 'ann:pw')
    """
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    clean = urllib.parse.urlunsplit((parts.scheme, hostport, parts.path, parts.query, parts.fragment))
    return clean, urllib.parse.unquote(userinfo) if userinfo else None


def basic_auth_header(credentials: str) -> str:
    """``user:password`` -> an HTTP Basic ``Authorization`` header value."""
    return "Basic " + base64.b64encode(credentials.encode("utf-8")).decode("ascii")


def secrets_of(credentials: str | None) -> list[str]:
    """The strings a message must never show for ``credentials``."""
    if not credentials:
        return []
    out = [credentials, basic_auth_header(credentials)[6:]]
    _, _, password = credentials.partition(":")
    if len(password) >= 3:
        out.append(password)
    return out


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with URL userinfo and each of ``secrets`` replaced by ``***``.

    >>> redact("cannot reach http://ann:pw@host/x (pw)", ["pw"])
    'cannot reach http://***@host/x (***)'
    """
    text = _USERINFO.sub("***@", text)
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def _origin(url: str) -> tuple[str, str, int | None]:
    p = urllib.parse.urlsplit(url)
    port = p.port or {"http": 80, "https": 443}.get(p.scheme)
    return p.scheme, (p.hostname or "").lower(), port


class _SameOriginAuth(urllib.request.HTTPRedirectHandler):
    """Follow redirects, but drop ``Authorization`` when one leaves the origin."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102 - stdlib hook
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and _origin(newurl) != _origin(req.full_url):
            for key in list(new.headers):
                if key.lower() == "authorization":
                    del new.headers[key]
            for key in list(new.unredirected_hdrs):
                if key.lower() == "authorization":
                    del new.unredirected_hdrs[key]
        return new


class _Watched:
    """Connections opened for one request, so a timer can close them all at its deadline
    (a socket timeout bounds each read; a server that trickles headers would dodge it)."""

    def __init__(self) -> None:
        self.conns: list[Any] = []
        self.expired = False

    def http_class(self, base: type) -> Any:
        watched = self

        def make(*args: Any, **kwargs: Any) -> Any:
            conn = base(*args, **kwargs)
            watched.conns.append(conn)
            return conn
        return make

    def expire(self) -> None:
        import socket

        self.expired = True
        for conn in self.conns:
            sock = getattr(conn, "sock", None)
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def _opener(watched: _Watched) -> urllib.request.OpenerDirector:
    import http.client

    class Plain(urllib.request.HTTPHandler):
        def http_open(self, req):  # noqa: D102 - stdlib hook
            return self.do_open(watched.http_class(http.client.HTTPConnection), req)

    class Secure(urllib.request.HTTPSHandler):
        def https_open(self, req):  # noqa: D102 - stdlib hook
            return self.do_open(watched.http_class(http.client.HTTPSConnection), req,
                                context=self._context)

    return urllib.request.build_opener(_SameOriginAuth(), Plain(), Secure())


def _read(resp: Any, deadline: float, max_bytes: int, url: str) -> bytes:
    length = resp.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise TransportError(f"{url} sent a {int(length):,}-byte reply; at most {max_bytes:,} bytes are "
                             f"read (add LIMIT to the query)")
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TransportError(f"{url} did not finish its reply in time ({size:,} bytes so far)")
        sock = getattr(getattr(getattr(resp, "fp", None), "raw", None), "_sock", None)
        if sock is not None:
            sock.settimeout(min(remaining, 30.0))
        try:
            data = resp.read1(_CHUNK) if hasattr(resp, "read1") else resp.read(_CHUNK)
        except TimeoutError:
            continue
        if not data:
            return b"".join(chunks)
        size += len(data)
        if size > max_bytes:
            raise TransportError(f"{url} sent more than {max_bytes:,} bytes; add LIMIT to the query")
        chunks.append(data)


def request(method: str, url: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
            auth: str | None = None, timeout: float = 60.0, max_bytes: int = DEFAULT_MAX_BYTES) -> Reply:
    """One HTTP request; ``timeout`` is a deadline for the whole exchange.

    Raises :class:`TransportError` (with ``status`` when the server answered
    with an error) whose message names the URL without credentials.
    """
    import threading

    deadline = time.monotonic() + timeout
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    if auth:
        req.add_header("Authorization", auth)
    watched = _Watched()
    timer = threading.Timer(timeout, watched.expire)
    timer.daemon = True
    timer.start()
    try:
        return _request(req, url, watched, deadline, timeout, max_bytes)
    finally:
        timer.cancel()


def _request(req: urllib.request.Request, url: str, watched: _Watched, deadline: float, timeout: float,
             max_bytes: int) -> Reply:
    try:
        with _opener(watched).open(req, timeout=timeout) as resp:
            data = _read(resp, deadline, max_bytes, url)
            return Reply(resp.status, resp.headers.get("Content-Type", ""), data)
    except urllib.error.HTTPError as err:
        try:
            detail = _read(err, min(deadline, time.monotonic() + 5), 64 * 1024, url)
        except (TransportError, OSError):
            detail = b""
        text = " ".join(detail.decode("utf-8", "replace").split())[:2000]
        raise TransportError(f"{url} answered {err.code} {err.reason}", err.code, text) from None
    except TransportError:
        raise
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        if watched.expired or isinstance(reason, TimeoutError) or isinstance(err, TimeoutError):
            raise TransportError(f"{url} did not answer within {timeout:g} s") from None
        raise TransportError(f"cannot reach {url}: {reason}") from None
    except Exception as err:   # noqa: BLE001 - http.client raises assorted errors on garbage replies
        if watched.expired:
            raise TransportError(f"{url} did not answer within {timeout:g} s") from None
        raise TransportError(f"{url} sent a reply that is not HTTP: {type(err).__name__}: {err}") from None
