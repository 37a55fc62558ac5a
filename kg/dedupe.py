"""The same article read twice: found by its text or its canonical URL, built once.

Why: a corpus gathered by hand or by a crawler often holds one story twice
(a copy under another file name, the same page saved from two links). Built
twice, every descriptive entity ("Xiaomi's electric vehicle plant") and every
investment exists twice and ``kg stats`` sums the money twice. An article id
cannot catch this (ids come from file names), so two keys are used:

* the body text with whitespace and case folded (a re-saved copy differs in
  line ends and spacing, not in words);
* the canonical URL: scheme, ``www.``, default port, trailing slash,
  fragment and tracking parameters (``utm_*``, ``fbclid``...) do not make a
  different page.

The first article in input order is kept; each later one is reported as
"same as" the first.
"""
from __future__ import annotations

import hashlib
import re
import urllib.parse
from collections.abc import Iterable

from kg.model import Article, Duplicate

#: query parameters that say how a reader came to a page, not which page it is
TRACKING_PARAMS = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|spm|from|share|ref|source)$", re.I)


def text_key(text: str) -> str:
    """sha256 of the text with runs of whitespace made one space and case folded.

    >>> text_key("A  city\\nopens.") == text_key("a city opens.")
    True
    """
    folded = " ".join(text.split()).casefold()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def canonical_url(url: str | None) -> str | None:
    """The URL that names the same page however it was linked; None when there is no usable URL.

    >>> canonical_url("HTTPS://www.Example.com:443/news/a/?utm_source=x&id=3#top")
    'example.com/news/a?id=3'
    """
    if not url or not url.strip():
        return None
    parts = urllib.parse.urlsplit(url.strip())
    if not parts.netloc:
        return None
    host = (parts.hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    port = parts.port
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = re.sub(r"/+", "/", parts.path or "/").rstrip("/")
    query = urllib.parse.urlencode(sorted(
        (k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k)))
    return f"{host}{path}" + (f"?{query}" if query else "")


def drop_duplicates(articles: Iterable[Article]) -> tuple[list[Article], list[Duplicate]]:
    """The articles without repeats, and a ``Duplicate`` for each one left out."""
    kept: list[Article] = []
    duplicates: list[Duplicate] = []
    by_text: dict[str, Article] = {}
    by_url: dict[str, Article] = {}
    for art in articles:
        tkey, ukey = text_key(art.text), canonical_url(art.url)
        first, why = by_text.get(tkey), "same text"
        if first is None and ukey is not None:
            first, why = by_url.get(ukey), f"same URL {ukey}"
        if first is not None:
            duplicates.append(Duplicate(art.source, first.source, why))
            continue
        by_text[tkey] = art
        if ukey is not None:
            by_url.setdefault(ukey, art)
        kept.append(art)
    return kept, duplicates
