"""Input files and folders -> ``Article`` objects (text + title/date/url).

Readers are registered by file extension (``READERS``), so a new format is
one function and one ``register_reader`` call. Every reader gets the decoded
text of one file and yields ``Article`` or ``Skipped``: bad input never stops
a build, it is reported. The only error raised is ``InputError`` for a path
that does not exist, and it is raised when ``iter_articles`` is called, before
any file is read, so a typo on the command line fails fast.

Plain text and Markdown news pages often start with site furniture
(breadcrumbs such as ``Home>>``), a headline, a dateline and a byline before
the body. ``split_header`` takes these apart with small, general rules so
that extraction reads the body only and the headline becomes ``title``.

Bad input is bounded here, before spaCy sees it (see ``tests/robustness``):
symbolic-link loops, unreadable folders, lone surrogates and very deep JSON
are reported as ``Skipped``; runs of punctuation that make spaCy's tokenizer
slow down worse than quadratically (10,000 ``$`` took 25 s) are cut to
``MAX_SYMBOL_RUN`` characters; HTML nested deeper than ``MAX_HTML_DEPTH`` is
read by a flat tag stripper instead of BeautifulSoup; an article longer than
spaCy's 1,000,000-character limit is split into sections (``ID-s2`` ...).
"""
from __future__ import annotations

import errno
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from kg.errors import InputError
from kg.model import Article, Ignored, Skipped

Item = Article | Skipped
Reader = Callable[[Path, str], Iterator[Item]]

READERS: dict[str, Reader] = {}


def register_reader(ext: str, reader: Reader) -> None:
    """Register ``reader`` for files ending in ``ext`` (e.g. ``".txt"``)."""
    READERS[ext.lower()] = reader


def supported_extensions() -> list[str]:
    return sorted(READERS)


# --------------------------------------------------------------------------- entry point

def iter_articles(paths: Sequence[str | Path], *, ignored: list[Ignored] | None = None,
                  exclude: Sequence[str | Path] = ()) -> Iterator[Item]:
    """Yield an ``Article`` or a ``Skipped`` for every input file under ``paths``.

    Files and folders are accepted; folders are walked recursively in sorted
    order, skipping hidden entries and files of unsupported types. Each file is
    read once even if it is reachable from two of ``paths``.

    Raises ``InputError`` at once (not on first iteration) if a path does not
    exist, so nothing is read from a half-valid command line.

    ``ignored``, when given, receives an ``Ignored`` for every file a folder
    holds that is left out on purpose (an unsupported type, a hidden file or
    folder), so a build can say what it did not read. Folders in ``exclude``
    (the build's own output directory, when it sits inside an input folder)
    are not walked: a build must not read its own ``graph.html``.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]          # one path, not a sequence of characters
    roots = [Path(p) for p in paths]
    for root in roots:
        if os.path.islink(root) and not root.exists():
            raise InputError(str(root), "a broken or looping symbolic link; fix the link or leave it out")
        if not os.path.lexists(root) or not root.exists():
            raise InputError(str(root), "no such file or directory")
    return _iter_roots(roots, ignored, {_identity(Path(e)) for e in exclude})


def _iter_roots(roots: list[Path], ignored: list[Ignored] | None, exclude: set[Path]) -> Iterator[Item]:
    seen: set[Path] = set()
    for root in roots:
        for entry in _files_under(root, ignored, exclude):
            if isinstance(entry, Skipped):
                yield entry
                continue
            path, explicit = entry
            key = _identity(path)
            if key in seen:
                continue
            seen.add(key)
            for item in read_file(path, explicit=explicit):
                yield from split_long(_tamed(item)) if isinstance(item, Article) else [item]


def _identity(path: Path) -> Path:
    """A key that is the same for two spellings of one file (a looping link: its own spelling)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):       # RuntimeError: "Symlink loop" before Python 3.13
        return path.absolute()


def _files_under(root: Path, ignored: list[Ignored] | None = None,
                 exclude: set[Path] = frozenset()) -> Iterator[tuple[Path, bool] | Skipped]:
    """(file, given explicitly?) pairs, and a ``Skipped`` per folder that cannot be listed;
    folders walked sorted, hidden entries left out. What is left out goes to ``ignored``
    (a hidden folder counts once)."""
    if not root.is_dir():
        yield root, True
        return
    found: list[Path] = []
    left_out: list[Ignored] = []
    unreadable: list[Skipped] = []

    def report(err: OSError) -> None:
        unreadable.append(Skipped(str(err.filename or root), f"cannot list this folder: {err.strerror or err}; "
                                                             f"its articles were left out (check its permissions)"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=report, followlinks=False):
        left_out += [Ignored(str(Path(dirpath) / d), "hidden") for d in dirnames if d.startswith(".")]
        own = {d for d in dirnames if exclude and _identity(Path(dirpath) / d) in exclude}
        left_out += [Ignored(str(Path(dirpath) / d), "output") for d in own]
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in own)
        for name in filenames:
            if name.startswith("."):
                left_out.append(Ignored(str(Path(dirpath) / name), "hidden"))
            elif Path(name).suffix.lower() in READERS:
                found.append(Path(dirpath) / name)
            else:
                left_out.append(Ignored(str(Path(dirpath) / name), "unsupported"))
    if ignored is not None:
        ignored.extend(sorted(left_out, key=lambda i: i.path))
    found.sort(key=lambda p: p.relative_to(root).parts)
    yield from unreadable
    for path in found:
        yield path, False


def read_file(path: Path, *, explicit: bool = True) -> Iterator[Item]:
    """Read one file with the reader for its extension; problems become ``Skipped``."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        if explicit:
            yield Skipped(str(path), f"unsupported file type {path.suffix or '(no extension)'!r}; "
                                     f"supported: {', '.join(supported_extensions())}")
        return
    text = _load_text(path)
    if isinstance(text, Skipped):
        yield text
        return
    try:
        items = list(reader(path, text))
    except (ValueError, RecursionError, UnicodeError, AssertionError) as err:
        # a reader (or the parser under it) choked on this file: it is one bad file, not a failed build
        yield Skipped(str(path), f"the {path.suffix} reader could not read it: {type(err).__name__}: "
                                 f"{' '.join(str(err).split())[:200]}")
        return
    yield from items


# --------------------------------------------------------------------------- bytes -> str

FALLBACK_ENCODING = "cp1252"


def _load_text(path: Path) -> str | Skipped:
    """Read and decode a file, or say why it cannot be an article."""
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            return Skipped(str(path), "not a regular file")
        data = path.read_bytes()
    except OSError as err:
        if err.errno == errno.ELOOP:
            return Skipped(str(path), "a symbolic link loop (the link leads back to itself); fix or remove it")
        return Skipped(str(path), f"cannot read: {err.strerror or err}")
    text = decode_bytes(data)
    if text is None:
        if looks_binary(data):
            return Skipped(str(path), "binary file, not text")
        return Skipped(str(path), f"not valid UTF-8 (tried {FALLBACK_ENCODING})")
    if isinstance(text, Skipped):
        return Skipped(str(path), text.reason)
    if not text.strip():
        return Skipped(str(path), "empty file")
    return text


# --------------------------------------------------------------------------- bounds

#: a run of punctuation or symbols longer than this is cut (spaCy's tokenizer is
#: worse than quadratic on them: 2,000 ``$`` take 0.8 s, 10,000 take 25 s)
MAX_SYMBOL_RUN = 32
_SYMBOL_RUN = re.compile(r"[^\w\s]{%d,}" % (MAX_SYMBOL_RUN + 1))
#: spaCy refuses longer texts (E088); longer articles are split into sections
MAX_ARTICLE_CHARS = 900_000


def tame_text(text: str) -> str:
    """``text`` with every run of more than ``MAX_SYMBOL_RUN`` punctuation or symbol
    characters cut to that length.

    >>> tame_text("price: " + "$" * 10_000 + " only") == "price: " + "$" * 32 + " only"
    True
    """
    return _SYMBOL_RUN.sub(lambda m: m.group()[:MAX_SYMBOL_RUN], text)


def _tamed(article: Article) -> Article:
    text = tame_text(article.text)
    if text == article.text:
        return article
    from dataclasses import replace

    return replace(article, text=text)


def split_long(article: Article, limit: int = MAX_ARTICLE_CHARS) -> list[Article]:
    """One article, or its sections when its text is over ``limit`` characters.

    Cut at the last paragraph break before the limit (else a line break, else
    a space), so no sentence is cut unless a paragraph is longer than the limit.
    Sections are ``ID-s1``, ``ID-s2``, ... with the same title, date and URL.
    """
    text = article.text
    if len(text) <= limit:
        return [article]
    parts: list[str] = []
    while len(text) > limit:
        cut = next((pos for sep in ("\n\n", "\n", " ") if (pos := text.rfind(sep, 0, limit)) > limit // 2),
                   limit)
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text.strip():
        parts.append(text)
    from dataclasses import replace

    return [replace(article, id=f"{article.id}-s{i}", text=part) for i, part in enumerate(parts, 1)]


def looks_binary(data: bytes, sample: int = 8192) -> bool:
    """True for data with NUL bytes or mostly control characters (images, archives, ...)."""
    head = data[:sample]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) > 0.10


def decode_bytes(data: bytes) -> str | Skipped | None:
    """Decode as UTF-8 (BOM stripped, UTF-16 if it has a BOM), else cp1252.

    Returns ``None`` when no encoding fits, and a ``Skipped`` (with an empty
    path) for binary data. Line endings become ``\\n``.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return normalise_newlines(data.decode("utf-16"))
        except UnicodeDecodeError:
            return None
    if looks_binary(data):
        return Skipped("", "binary file, not text")
    for encoding in ("utf-8-sig", FALLBACK_ENCODING):
        try:
            return normalise_newlines(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    return None


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and ``\\r`` -> ``\\n``; a leading BOM removed."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- header rules

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_MONTH_RE = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
             r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    re.compile(rf"\b(?P<mon>{_MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}})\b", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH_RE})\s+(?P<y>(?:19|20)\d{{2}})\b", re.I),
]
_TIME_RE = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s*\(?(?:GMT|UTC|BJT|CST)[+-]?\d*\)?)?")
_DATELINE_WORDS = re.compile(r"\b(?:updated?|published|posted|released|date|time|source|last|modified|on|at)\b",
                             re.I)
_BREADCRUMB_RE = re.compile(r"^(?:[\w&.'-]+(?:\s+[\w&.'-]+){0,3}\s*(?:>>?|»|›)\s*)+(?:[\w&.'-]+(?:\s+[\w&.'-]+){0,3})?$")
_FURNITURE_RE = re.compile(
    r"^(?:home|print|e-?mail|share|share this(?: article)?|comments?|font size.*|text size.*|"
    r"\|+|advertisement|related(?: articles| news)?|subscribe|follow us.*|"
    r"(?:source|editor|reporter|author|written by)s?\s*:.{0,60})$", re.I)
_BYLINE_RE = re.compile(r"^By:?\s+[A-Z\u00c0-\u024f]")
_CAPTION_RE = re.compile(r"\[\s*Photo\b|\bPhoto\s*/|\(Photo\b|\bPhoto(?:graph)? by\b", re.I)
_CONNECTORS = {"and", "or", "but", "of", "the", "to", "in", "a", "an", "with", "for", "by", "on", "at", "from",
               "as", "that", "which", "who"}

MAX_TITLE_CHARS = 150
MAX_TITLE_WORDS = 20
HEADER_LINES = 12       # how far down a headline / dateline / byline is looked for


def parse_date(line: str) -> str | None:
    """The one calendar date written in ``line`` as ISO ``YYYY-MM-DD``, else ``None``.

    Only forms with a four-digit year and an unambiguous month are read
    (``2018-09-04``, ``September 05, 2024``, ``5 Sept. 2024``); ``05/09/2024``
    could be May or September and is ignored.

    >>> parse_date("(Xinhua) 08:20, September 05, 2024")
    '2024-09-05'
    """
    found = {d for d in _dates_in(line)}
    return found.pop() if len(found) == 1 else None


def _dates_in(line: str) -> Iterator[str]:
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(line):
            month = int(m["m"]) if "m" in m.groupdict() and m["m"] else _MONTHS[m["mon"][:3].lower()]
            try:
                yield date(int(m["y"]), month, int(m["d"])).isoformat()
            except ValueError:
                continue


def _strip_dates(line: str) -> str:
    for pattern in _DATE_PATTERNS:
        line = pattern.sub(" ", line)
    return line


def is_dateline(line: str) -> bool:
    """A short header line that is a date plus at most a source and a few label words.

    ``(chinadaily.com.cn) Updated: 2015-09-01`` and ``(Xinhua) 08:20,
    September 05, 2024`` are datelines; ``HARBIN, Sept. 4 (Xinhua) -- Xu ...``
    starts the body.
    """
    s = line.strip()
    if not s or len(s) > 100 or parse_date(s) is None:
        return False
    rest = _strip_dates(s)
    rest = _TIME_RE.sub(" ", rest)
    rest = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", rest)
    rest = _DATELINE_WORDS.sub(" ", rest)
    words = re.findall(r"[^\W\d_]+", rest)
    return len(words) <= 3


def is_furniture(line: str) -> bool:
    """Site navigation, not article text: ``Home>>``, ``Home > flash``, ``Print``, ``|``."""
    s = line.strip()
    if not s:
        return False
    if _FURNITURE_RE.match(s):
        return True
    return len(s) <= 80 and bool(re.search(r">|»|›", s)) and bool(_BREADCRUMB_RE.match(s))


def is_byline(line: str) -> bool:
    """``By: Song Mengxing and Han Junhong(China Daily)``; not ``By 2030, the city ...``."""
    s = line.strip()
    return bool(_BYLINE_RE.match(s)) and len(s.split()) <= 12 and not s.endswith(".")


def is_caption(line: str) -> bool:
    """A photo caption or credit line (``... in Guiyang. [Photo/Xinhua] |``)."""
    return bool(_CAPTION_RE.search(line))


def looks_like_headline(line: str, next_line: str | None) -> bool:
    """Whether ``line`` reads like a headline rather than the start of the body.

    A headline is short (<= 150 characters, <= 20 words, >= 2 words), starts
    with a capital, digit or quote, does not end like a sentence (``.``) or
    like a wrapped line (``,``, ``and``, ``-``), is not a dateline, byline,
    caption or site navigation, and is not continued on the next line (a next
    line that starts in lower case means the text was hard-wrapped).
    """
    s = line.strip()
    words = s.split()
    if not (2 <= len(words) <= MAX_TITLE_WORDS) or len(s) > MAX_TITLE_CHARS:
        return False
    if not (s[0].isupper() or s[0].isdigit() or s[0] in "\"'“‘"):
        return False
    if s[-1] in ".,;:-–—(" or words[-1].lower() in _CONNECTORS:
        return False
    if is_dateline(s) or is_byline(s) or is_caption(s) or is_furniture(s):
        return False
    if next_line is not None:
        n = next_line.strip()
        if n and (n[0].islower() or n[0] in ",;:)"):
            return False
    return True


def split_header(text: str) -> tuple[str | None, str | None, str]:
    """Split a news page into (title, date, body).

    Leading navigation lines, datelines and bylines are dropped from the body;
    photo captions before the headline are kept (they are article content).
    The body keeps its original characters. If nothing is left after the
    title, the title is not split off: the text is then the title itself.

    >>> split_header("Home>>\\n\\nCity opens data park\\n\\nUpdate: 2018-09-04\\n\\nThe city opened a park.")
    ('City opens data park', '2018-09-04', 'The city opened a park.')
    """
    lines = text.split("\n")
    title: str | None = None
    dates: list[str] = []
    drop: set[int] = set()
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    for pos, i in enumerate(nonblank[:HEADER_LINES]):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if is_furniture(line) or is_byline(line):
            drop.add(i)
        elif is_dateline(line):
            drop.add(i)
            dates.extend(_dates_in(line))
        elif is_caption(line):
            continue
        elif title is None and looks_like_headline(line, nxt):
            title = line.strip()
            drop.add(i)
        else:
            break
    body = "\n".join(ln for i, ln in enumerate(lines) if i not in drop).strip("\n").rstrip()
    if not body.strip():
        return None, _one(dates), text.strip("\n").rstrip()
    return title, _one(dates), body


def _one(values: Iterable[str]) -> str | None:
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


# --------------------------------------------------------------------------- plain text

def read_txt(path: Path, text: str) -> Iterator[Item]:
    """A plain-text news page: headline -> title, dateline -> date, the rest -> body."""
    title, when, body = split_header(text)
    yield Article(id=path.stem, text=body, source=str(path), title=title, date=when)


# --------------------------------------------------------------------------- markdown

_FRONT_MATTER_RE = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)\n", re.S)
_FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")
_ATX_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT_RE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_HR_RE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_REFDEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
#: inline spans are bounded (``{1,N}``): with unbounded ``.+?`` every opening marker
#: without a partner scanned to the end of the line, and ``**a `` repeated 20,000
#: times took 38 s; longer spans keep their markers, which NER ignores
_SPAN = 300
_INLINE_SUBS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"!\[([^\]]{0,%d})\]\([^)]{0,2000}\)" % _SPAN), ""),               # images dropped
    (re.compile(r"\[([^\]]{1,%d})\]\((?:[^()]|\([^)]{0,200}\)){0,2000}\)" % _SPAN), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]{1,%d})\]\[[^\]]{0,%d}\]" % (_SPAN, _SPAN)), r"\1"),     # [text][ref] -> text
    (re.compile(r"<(https?://[^>]{1,2000})>"), r"\1"),                                # autolinks
    (re.compile(r"`([^`]{1,%d})`" % _SPAN), r"\1"),                                    # inline code
    (re.compile(r"(\*\*|__)(?=\S)(.{1,%d}?)(?<=\S)\1" % _SPAN), r"\2"),                # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.{1,%d}?)(?<=\S)\*(?![\w*])" % _SPAN), r"\1"),    # *em*
    (re.compile(r"(?<![\w_])_(?=\S)(.{1,%d}?)(?<=\S)_(?![\w_])" % _SPAN), r"\1"),      # _em_ (not snake_case)
    (re.compile(r"~~(?=\S)(.{1,%d}?)(?<=\S)~~" % _SPAN), r"\1"),                      # strikethrough
]
_BLOCK_PREFIX_RE = re.compile(r"^\s{0,3}(?:>\s?)+|^\s*(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?")


def markdown_to_text(md: str) -> tuple[dict[str, str], str | None, str]:
    """Markdown -> (front-matter fields, first-heading title, plain text).

    Markup is removed, words are kept: ``[text](url)`` -> ``text``, emphasis
    and heading markers dropped, list and quote markers dropped. Fenced code
    blocks are dropped whole: code is not prose and only confuses NER.
    """
    meta, md = _front_matter(md)
    out: list[str] = []
    first_heading: str | None = None
    in_fence: str | None = None
    for line in md.split("\n"):
        fence = _FENCE_RE.match(line)
        if in_fence:
            if fence and fence.group(1) == in_fence:
                in_fence = None
            continue
        if fence:
            in_fence = fence.group(1)
            continue
        if _HR_RE.match(line) or _REFDEF_RE.match(line):
            out.append("")
            continue
        if _SETEXT_RE.match(line) and out and out[-1].strip():
            if first_heading is None and not any(o.strip() for o in out[:-1]):
                first_heading = out[-1].strip()
            continue
        atx = _ATX_RE.match(line)
        if atx:
            heading = _inline(atx.group(2))
            if first_heading is None and not any(o.strip() for o in out):
                first_heading = heading
            out.extend(["", heading, ""])
            continue
        out.append(_inline(_BLOCK_PREFIX_RE.sub("", line)))
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n").rstrip()
    return meta, first_heading, text


def _inline(line: str) -> str:
    for pattern, repl in _INLINE_SUBS:
        line = pattern.sub(repl, line)
    return line


def _front_matter(md: str) -> tuple[dict[str, str], str]:
    """Simple ``key: value`` YAML front matter (title, date, url), as static-site files have."""
    m = _FRONT_MATTER_RE.match(md)
    if not m:
        return {}, md
    meta = {}
    for line in m.group(1).split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip() and value.strip():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, md[m.end():]


def read_md(path: Path, text: str) -> Iterator[Item]:
    """A Markdown article: front matter or a leading heading gives the title."""
    meta, heading, plain = markdown_to_text(text)
    if heading is not None:
        plain = plain.split("\n", 1)[1].strip("\n") if "\n" in plain else ""
    title, when, body = split_header(plain)
    title = meta.get("title") or heading or title
    if not body.strip():
        if title is None:
            yield Skipped(str(path), "empty file")
            return
        body, title = title, None
    when = _iso_or_none(meta.get("date")) or when
    yield Article(id=path.stem, text=body, source=str(path), title=title, date=when, url=meta.get("url"))


def _iso_or_none(value: str | None) -> str | None:
    return parse_date(value) if value else None


# --------------------------------------------------------------------------- HTML

_DROP_TAGS = ("script", "style", "nav", "header", "footer", "noscript", "template", "iframe", "svg",
              "button", "select", "aside", "head")   # not <form>: some sites wrap the whole page in one
_BLOCK_TAGS = frozenset(
    "address article blockquote dd details dialog div dl dt fieldset figcaption figure h1 h2 h3 h4 h5 h6 "
    "hr li main ol p pre section summary table tbody thead tfoot tr td th ul caption".split())
_PARA = "\ue000"     # private-use characters mark breaks while whitespace is collapsed
_BR = "\ue001"


def html_to_text(markup: str) -> tuple[str | None, dict[str, str], str]:
    """HTML -> (title, metadata, text). Block elements become paragraph breaks.

    Scripts, styles and page furniture (nav, header, footer) are removed before
    the text is taken; if the page has a single ``<article>`` or ``<main>``,
    only its text is kept. The title is the first ``<h1>`` (removed from the
    text), else ``<title>``. Metadata: ``date`` and ``url`` from common meta tags.
    """
    if html_depth(markup) > MAX_HTML_DEPTH:
        return _flat_html_to_text(markup)
    from bs4 import BeautifulSoup
    from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

    soup = BeautifulSoup(markup, "html.parser")
    meta = _html_meta(soup)
    page_title = soup.title.get_text(" ", strip=True) if soup.title else None
    for node in soup.find_all(string=lambda s: isinstance(s, (Comment, Declaration, Doctype, ProcessingInstruction))):
        node.extract()
    h1 = next((h for h in soup.find_all("h1") if not h.find_parent(("nav", "footer", "aside"))), None)
    title = h1.get_text(" ", strip=True) if h1 else None
    if h1:
        h1.decompose()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    root = _content_root(soup)
    for br in root.find_all("br"):
        br.replace_with(_BR)
    for tag in root.find_all(_BLOCK_TAGS):
        tag.insert_before(_PARA)
        tag.insert_after(_PARA)
    raw = root.get_text()
    text = _collapse(raw)
    return (title or page_title or None), meta, text


#: deeper than real pages nest (BeautifulSoup's tree walks are quadratic in depth:
#: 10,000 nested <div> took 16-37 s); deeper pages are read by a flat tag stripper
MAX_HTML_DEPTH = 256
_TAG_RE = re.compile(r"<(/?)([A-Za-z][\w:-]*)[^>]*?(/?)>")
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_DROP_RE = re.compile(r"<(script|style|noscript|template|svg|head|title)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)


def html_depth(markup: str) -> int:
    """How deep the elements of ``markup`` nest (a linear scan, unclosed tags counted open)."""
    depth = deepest = 0
    for m in _TAG_RE.finditer(markup):
        name = m.group(2).lower()
        if m.group(3) or name in _VOID_TAGS:
            continue
        if m.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _flat_html_to_text(markup: str) -> tuple[str | None, dict[str, str], str]:
    """HTML -> (title, {}, text) without building a tree: scripts, styles and comments
    dropped, block tags become paragraph breaks, other tags vanish."""
    import html as html_lib

    title_m = re.search(r"<title[^>]*>(.*?)</title\s*>", markup, re.S | re.I)
    title = " ".join(html_lib.unescape(re.sub(r"<[^>]*>", " ", title_m.group(1))).split()) if title_m else None
    markup = _DROP_RE.sub(" ", markup)

    def tag(m: re.Match) -> str:
        name = m.group(2).lower()
        if name == "br":
            return _BR
        return _PARA if name in _BLOCK_TAGS else " "

    raw = html_lib.unescape(_TAG_RE.sub(tag, markup))
    return title or None, {}, _collapse(raw)


def _content_root(soup):
    """The one ``<article>`` (or ``<main>``) if the page has exactly one: it leaves out sidebars."""
    for name in ("article", "main"):
        found = soup.find_all(name)
        if len(found) == 1 and found[0].get_text(strip=True):
            return found[0]
    return soup


def _collapse(raw: str) -> str:
    paragraphs = []
    for para in raw.split(_PARA):
        lines = [" ".join(part.split()) for part in para.split(_BR)]
        para_text = "\n".join(ln for ln in lines if ln)
        if para_text:
            paragraphs.append(para_text)
    return "\n\n".join(paragraphs)


def _html_meta(soup) -> dict[str, str]:
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        value = (tag.get("content") or "").strip()
        if not value:
            continue
        if key in ("article:published_time", "date", "pubdate", "publishdate", "datepublished", "dc.date"):
            meta.setdefault("date", value)
        elif key in ("og:url",):
            meta.setdefault("url", value)
    canonical = soup.find("link", rel="canonical")
    if canonical and canonical.get("href"):
        meta.setdefault("url", canonical["href"].strip())
    time_tag = soup.find("time", datetime=True)
    if time_tag:
        meta.setdefault("date", time_tag["datetime"].strip())
    return meta


def read_html(path: Path, text: str) -> Iterator[Item]:
    """An HTML page: visible article text, title from ``<h1>``/``<title>``."""
    title, meta, body = html_to_text(text)
    if not body.strip():
        yield Skipped(str(path), "no visible text in HTML")
        return
    yield Article(id=path.stem, text=body, source=str(path), title=title,
                  date=_iso_or_none(meta.get("date")), url=meta.get("url"))


# --------------------------------------------------------------------------- JSONL

_JSONL_OPTIONAL = ("title", "date", "url", "id")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: deeper than any article record; Python's JSON reader recurses per level
MAX_JSON_DEPTH = 64


def _too_deep(line: str) -> bool:
    """Whether brackets outside strings nest deeper than ``MAX_JSON_DEPTH`` (a linear scan)."""
    depth = 0
    in_string = escaped = False
    for ch in line:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def read_jsonl(path: Path, text: str) -> Iterator[Item]:
    """One article per line. A bad line is a ``Skipped`` (``path:LINE``); the others go on.

    Blank lines are ignored. ``text`` is required; ``title``, ``date``, ``url``
    and ``id`` are optional strings (``null`` counts as absent).
    """
    for lineno, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield parse_jsonl_line(path, lineno, line)


def parse_jsonl_line(path: Path, lineno: int, line: str) -> Item:
    """One JSONL line -> ``Article``, or ``Skipped`` naming the line and the problem."""
    where = f"{path}:{lineno}"
    if _too_deep(line):
        return Skipped(where, f"JSON nested more than {MAX_JSON_DEPTH} levels deep; an article is a flat object")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        return Skipped(where, f"invalid JSON: {err.msg} (column {err.colno})")
    except RecursionError:
        return Skipped(where, "JSON nested too deeply to read; an article is a flat object")
    if not isinstance(record, dict):
        return Skipped(where, f"expected a JSON object, got {type(record).__name__}")
    body = record.get("text")
    if body is None:
        return Skipped(where, "missing 'text' field")
    if not isinstance(body, str):
        return Skipped(where, f"'text' must be a string, got {type(body).__name__}")
    if not body.strip():
        return Skipped(where, "empty 'text' field")
    for key in _JSONL_OPTIONAL:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return Skipped(where, f"{key!r} must be a string, got {type(value).__name__}: {value!r}")
    for key in ("text", *_JSONL_OPTIONAL):
        value = record.get(key)
        if isinstance(value, str) and _SURROGATE.search(value):
            return Skipped(where, f"{key!r} holds a lone surrogate escape (e.g. \\ud800), which is not "
                                  f"text; re-export the line as valid UTF-8")
    art_id = (record.get("id") or "").strip() or f"{path.stem}-{lineno}"
    return Article(
        id=art_id,
        text=normalise_newlines(body).strip("\n").rstrip(),
        source=f"{path}#{lineno}",
        title=(record.get("title") or "").strip() or None,
        date=record.get("date") or None,
        url=record.get("url") or None,
    )


register_reader(".txt", read_txt)
register_reader(".md", read_md)
register_reader(".markdown", read_md)
register_reader(".html", read_html)
register_reader(".htm", read_html)
register_reader(".jsonl", read_jsonl)
