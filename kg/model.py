"""The data that flows through a build: plain dataclasses, no I/O.

articles -> (nlp) -> mentions and facts per article (``Extraction``)
-> (resolve) -> canonical ``Entity`` objects -> (rdf) -> RDF dataset.

``Extraction`` is JSON-serialisable so that a build can cache it per article
content hash and re-process only the articles that changed.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Article:
    """One news article, as read from a file or a JSONL line."""

    id: str                 # stable id: file stem, or the JSONL ``id``
    text: str               # body text (title excluded)
    source: str             # the file it came from (path, plus ``#line`` for JSONL)
    title: str | None = None
    date: str | None = None
    url: str | None = None

    @property
    def content_hash(self) -> str:
        """sha256 of everything extraction reads; a change re-processes the article."""
        h = hashlib.sha256()
        for part in (self.id, self.title or "", self.date or "", self.url or "", self.text):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()


@dataclass
class Mention:
    """A span of an article that names (or describes) an entity."""

    text: str               # surface text as written
    cls: str                # core class local name, e.g. "City"
    start: int              # character offsets in the article text
    end: int
    name: str = ""          # normalised name used for resolution ("Huawei" for "Huawei's")
    ids: dict[str, str] = field(default_factory=dict)   # e.g. {"geonames": "1816670", "iso": "CN-JL"}
    descriptive: bool = False   # an unnamed thing with a descriptive label ("Huawei's data center")
    source: str = ""        # the extractor that found it
    aliases: list[str] = field(default_factory=list)    # other surface forms as written ("data center in Zhangbei")


@dataclass
class FactRecord:
    """A relation between two mentions of one article, with its evidence."""

    subject: int            # index into Extraction.mentions
    predicate: str          # core predicate local name
    object: int
    sent_start: int         # character offsets of the evidence sentence
    sent_end: int
    extractor: str          # rule that made it
    confidence: float
    role: str | None = None  # for worksFor: the role title


@dataclass
class InvestmentRecord:
    """An investment with an amount."""

    investor: int           # mention index
    target: int | None      # mention index
    amount: float           # in units (600 million -> 600000000)
    currency: str           # ISO 4217
    sent_start: int
    sent_end: int
    extractor: str
    confidence: float
    location: int | None = None
    date: str | None = None
    amount_text: str = ""


@dataclass
class Extraction:
    """Everything extracted from one article; cached by the article's content hash."""

    article: Article
    mentions: list[Mention] = field(default_factory=list)
    facts: list[FactRecord] = field(default_factory=list)
    investments: list[InvestmentRecord] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Extraction":
        return cls(
            article=Article(**data["article"]),
            mentions=[Mention(**m) for m in data["mentions"]],
            facts=[FactRecord(**f) for f in data["facts"]],
            investments=[InvestmentRecord(**i) for i in data["investments"]],
        )


@dataclass
class Entity:
    """A real-world entity after resolution across all articles of a build."""

    key: str                # stable slug, unique per build; the IRI is minted from it
    cls: str
    label: str
    alt_labels: set[str] = field(default_factory=set)
    ids: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Skipped:
    """An input that could not be read, and why; the build goes on without it."""

    path: str
    reason: str


@dataclass(frozen=True)
class Duplicate:
    """An article left out because an earlier input is the same article (not an error)."""

    path: str               # the article left out
    same_as: str            # the article built instead
    why: str                # "same text" or "same URL ..."


@dataclass(frozen=True)
class Ignored:
    """A file in a folder that a build leaves out on purpose: a type no reader
    handles (``report.pdf``), or a hidden file or folder (``.git``, ``.notes.txt``)."""

    path: str
    why: str                # "unsupported", "hidden" or "output" (the build's own output folder)

    @property
    def kind(self) -> str:
        """What the summary counts it under: the extension, "(no extension)" or "hidden"."""
        if self.why in ("hidden", "output"):
            return self.why
        from pathlib import PurePath

        return PurePath(self.path).suffix.lower() or "(no extension)"
