"""Checks a SPARQL text must pass before Oxigraph's parser sees it.

Why: the parser is recursive and its stack is not ours to grow. A query
nested a few thousand levels deep (``ASK {{{...}}}`` or ``BIND((((...))))``)
overflows it and the whole process dies with SIGSEGV, so one 30 KB request
could take a server down. A cheap linear scan here bounds the nesting and
the size, and finds the operations that make the engine reach out to other
machines (``SERVICE <url>`` federation, ``LOAD <url>``), which are refused
unless the caller lists the hosts they may go to.

The scan is a small lexer: it skips strings, IRIs and comments, so braces or
keywords inside a literal do not count.

>>> check_query("SELECT * WHERE { ?s ?p ?o }", allow_service=())
>>> check_query("SELECT * WHERE { SERVICE <http://10.0.0.1/> { ?s ?p ?o } }", allow_service=())
Traceback (most recent call last):
...
kg.store.limits.QueryRefused: SERVICE <http://10.0.0.1/> is not allowed: this endpoint does not fetch from other hosts; start the server with `--allow-service HOST` to let queries reach HOST
>>> check_query("ASK " + "{" * 500 + "}" * 500)
Traceback (most recent call last):
...
kg.store.limits.QueryRefused: the query nests brackets 500 deep; at most 64 levels are allowed (flatten the groups)
"""
from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Iterator

from kg.errors import QueryError

#: Deeper than any hand-written or generated query we have seen, far below the parser's limit.
MAX_DEPTH = 64
#: Characters in one query or update (VALUES lists of a few thousand IRIs still fit).
MAX_QUERY_CHARS = 512 * 1024

_OPEN = {"{": "}", "(": ")", "[": "]"}
_CLOSE = set(_OPEN.values())
_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_WORD = re.compile(r"[A-Za-z_][\w-]*(?::[\w.-]*)?|[A-Za-z_]?:[\w.-]*|[?$]\w+")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)


class QueryRefused(QueryError):
    """A query or update is too large, too deeply nested, or reaches for a host it may not."""


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) for IRIs, words and brackets; strings and comments skipped."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
        elif c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif c in "'\"":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
        elif c == "<" and (m := _IRI.match(text, i)):
            yield "iri", m.group()[1:-1]
            i = m.end()
        elif c in _OPEN or c in _CLOSE:
            yield "bracket", c
            i += 1
        elif m := _WORD.match(text, i):
            yield "word", m.group()
            i = m.end()
        else:
            i += 1


def _host(iri: str) -> str:
    try:
        return (urllib.parse.urlsplit(iri).hostname or "").lower()
    except ValueError:
        return ""


def _check(text: str, what: str, keyword: str, allowed: Iterable[str] | None, hint: str) -> None:
    if len(text) > MAX_QUERY_CHARS:
        raise QueryRefused(f"the {what} is {len(text):,} characters; at most {MAX_QUERY_CHARS:,} are allowed "
                           f"(split it, or load large data with `kg build`)")
    prefixes = {(m.group(1) or ""): m.group(2) for m in _PREFIX_DECL.finditer(text)}
    hosts = None if allowed is None else {h.lower() for h in allowed}
    depth = deepest = 0
    pending = False          # the last word was the keyword (SERVICE / LOAD), maybe SILENT next
    for kind, tok in _tokens(text):
        if kind == "bracket":
            depth = depth + 1 if tok in _OPEN else max(depth - 1, 0)
            if depth > MAX_DEPTH:
                raise QueryRefused(f"the {what} nests brackets {_max_depth(text)} deep; at most {MAX_DEPTH} "
                                   f"levels are allowed (flatten the groups)")
            deepest = max(deepest, depth)
            pending = False
            continue
        if hosts is not None and kind == "word" and tok.upper() == keyword:
            pending = True
            continue
        if not pending:
            continue
        if kind == "word" and tok.upper() == "SILENT":
            continue
        pending = False
        target = tok if kind == "iri" else _expand(tok, prefixes)
        host = _host(target) if target else ""
        if not host or host not in hosts:
            shown = f"<{target}>" if target else tok
            raise QueryRefused(f"{keyword} {shown} is not allowed: this endpoint does not fetch from other "
                               f"hosts{hint}")


def _expand(token: str, prefixes: dict[str, str]) -> str | None:
    if token.startswith(("?", "$")) or ":" not in token:
        return None
    prefix, _, local = token.partition(":")
    base = prefixes.get(prefix)
    return base + local if base is not None else None


def _max_depth(text: str) -> int:
    depth = deepest = 0
    for kind, tok in _tokens(text):
        if kind == "bracket":
            depth = depth + 1 if tok in _OPEN else max(depth - 1, 0)
            deepest = max(deepest, depth)
    return deepest


def check_query(sparql: str, *, allow_service: Iterable[str] | None = None) -> None:
    """Raise :class:`QueryRefused` unless ``sparql`` is small, shallow and federates
    only to hosts in ``allow_service`` (``None``: any host, as for a local ``kg query``)."""
    _check(sparql, "query", "SERVICE", allow_service,
           "; start the server with `--allow-service HOST` to let queries reach HOST")


def check_update(sparql: str, *, allow_service: Iterable[str] | None = None,
                 allow_load: Iterable[str] | None = None) -> None:
    """As :func:`check_query` for an update; ``LOAD <url>`` only from hosts in ``allow_load``."""
    _check(sparql, "update", "SERVICE", allow_service,
           "; start the server with `--allow-service HOST` to let updates reach HOST")
    _check(sparql, "update", "LOAD", allow_load,
           "; start the server with `--allow-load HOST` to let updates load from HOST")
