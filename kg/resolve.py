"""Mentions of all articles -> one canonical entity per real-world thing.

* Places with a gazetteer id (ISO 3166, GeoNames) are one entity per id.
* Named organisations merge on their normalised name (case, punctuation, a
  leading "the", a trailing "'s" and legal suffixes such as "Co Ltd" do not
  count), and a short name merges into the one longer name it starts
  ("Huawei" -> "Huawei Technologies Co Ltd") when that is unambiguous.
* People merge on their full name; short names were tied to the full name
  within their article.
* Different class families never merge: Jilin the province is not Jilin the
  city, and "China" the country is not "China Daily".
* Descriptive things ("Huawei's data center") stay within their article.

Keys are derived from names, so the same input gives the same IRIs.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from kg.model import Entity, Extraction, Mention
from kg.rdf import slugify
from kg.vocab import ORG_CLASSES, PLACE_CLASSES

LEGAL_SUFFIXES = {"inc", "ltd", "co", "corp", "corporation", "company", "limited", "plc", "llc", "holdings",
                  "holding", "group", "gmbh", "ag", "sa"}


def norm_name(name: str) -> str:
    s = unicodedata.normalize("NFKC", name).casefold()
    s = re.sub(r"[\u2019']s\b", "", s)
    s = re.sub(r"[^\w\s]", " ", s)
    words = s.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def org_key(name: str) -> str:
    words = norm_name(name).split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def family(cls: str) -> str:
    if cls in ORG_CLASSES:
        return "Org"
    return cls


class EntityIndex(Mapping):
    """(article id, mention index) -> the mention's entity: what :func:`resolve` returns.

    Why not a dict: a build of 10,000 articles has some 470,000 mentions, and a dict keyed
    by a tuple per mention cost 60 MB; this keeps one list slot per mention and the place
    of each article's first mention."""

    def __init__(self, articles: dict[str, tuple[int, int]], slots: list[Entity | None]) -> None:
        self._articles = articles      # article id -> (number of its first mention, mentions)
        self._slots = slots

    def __getitem__(self, key: tuple[str, int]) -> Entity:
        ent = self.get(key)
        if ent is None:
            raise KeyError(key)
        return ent

    def get(self, key: tuple[str, int], default: Any = None) -> Any:
        try:
            aid, i = key
            first, n = self._articles[aid]
        except (KeyError, TypeError, ValueError):
            return default
        if not (isinstance(i, int) and 0 <= i < n):
            return default
        ent = self._slots[first + i]
        return default if ent is None else ent

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None       # type: ignore[arg-type]

    def __iter__(self) -> Iterator[tuple[str, int]]:
        for aid, (first, n) in self._articles.items():
            for i in range(n):
                if self._slots[first + i] is not None:
                    yield aid, i

    def __len__(self) -> int:
        return sum(1 for s in self._slots if s is not None)


def resolve(extractions: list[Extraction]) -> tuple[list[Entity], EntityIndex]:
    """The entities of all mentions, and which entity each mention is
    (``entity_of[(article id, mention index)]``).

    Mentions are numbered across all articles in order, and groups hold those numbers, so
    resolution keeps no key per mention."""
    mention: list[Mention] = []
    articles: dict[str, tuple[int, int]] = {}
    groups: dict[tuple, list[int]] = defaultdict(list)
    for ex in extractions:
        aid = ex.article.id
        articles[aid] = (len(mention), len(ex.mentions))
        for m in ex.mentions:
            groups[_group_key(aid, m)].append(len(mention))
            mention.append(m)

    _merge_short_org_names(groups)
    _merge_unidentified_places(groups, mention)

    entities: list[Entity] = []
    slots: list[Entity | None] = [None] * len(mention)
    used_keys: set[str] = set()
    for gkey in sorted(groups, key=repr):
        members = groups[gkey]
        ms = [mention[k] for k in members]
        cls = _choose_class([m.cls for m in ms])
        names = Counter(m.name for m in ms)
        label = _choose_label(names, ms)
        ids: dict[str, str] = {}
        for m in ms:
            for k, v in m.ids.items():
                ids.setdefault(k, v)
        alt = set(names) | {m.text.strip() for m in ms if not m.descriptive} | {a for m in ms for a in m.aliases}
        if any(m.descriptive for m in ms):
            # "Huawei's data center" is also known as "data center", the phrase as written
            alt |= {m.name.split("'s ", 1)[1] for m in ms if "'s " in m.name}
        alt = {_tidy(a) for a in alt if a and _tidy(a) != label}
        key = slugify(label)
        if gkey[0] == "desc":
            key = f"{slugify(gkey[1])[:24]}-{key}"
        if key in used_keys or f"{cls.lower()}/{key}" in used_keys:
            key = f"{key}-{hashlib.sha1(repr(gkey).encode()).hexdigest()[:6]}"
        used_keys.add(key)
        ent = Entity(key=key, cls=cls, label=label, alt_labels=alt - {label}, ids=ids)
        entities.append(ent)
        for k in members:
            slots[k] = ent
    return entities, EntityIndex(articles, slots)


def _tidy(s: str) -> str:
    s = re.sub(r"\s+", " ", s).strip(" ,.;:")
    s = re.sub(r"['’]s$", "", s)
    return s


def _group_key(article_id: str, m) -> tuple:
    fam = family(m.cls)
    if m.descriptive:
        return ("desc", article_id, fam, norm_name(m.name))
    if m.cls in PLACE_CLASSES and m.ids:
        ident = m.ids.get("iso") or m.ids.get("admin1") or m.ids.get("geonames")
        return ("place", m.cls, ident)
    if fam == "Org":
        return ("named", fam, org_key(m.name))
    return ("named", fam, norm_name(m.name))


def _merge_unidentified_places(groups: dict[tuple, list[int]], mention: list[Mention]) -> None:
    """A place named without an id ("Guiyang" the tagger took for a person) joins the one
    identified place of the same name and class, when there is exactly one."""
    by_name: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for key, members in groups.items():
        if key[0] == "place":
            for m in {norm_name(mention[k].name) for k in members}:
                by_name[(key[1], m)].append(key)
    for key in [k for k in groups if k[0] == "named" and k[1] in PLACE_CLASSES]:
        targets = set(by_name.get((key[1], key[2]), []))
        if len(targets) == 1:
            groups[targets.pop()].extend(groups.pop(key))


def _merge_short_org_names(groups: dict[tuple, list[int]]) -> None:
    """"Huawei" joins "Huawei Technologies Co Ltd" when it is the only longer name it starts."""
    org_keys = [k for k in groups if k[0] == "named" and k[1] == "Org"]
    by_words = {k: k[2].split() for k in org_keys}
    # blocking: the names a short name may join are those it is a proper prefix of, looked up
    # by that prefix (a build of 10,000 articles has some 200,000 names; all pairs would be 10^10)
    extending: dict[tuple[str, ...], list[tuple]] = defaultdict(list)
    for k in org_keys:
        words = by_words[k]
        for n in range(len(words)):
            extending[tuple(words[:n])].append(k)
    for short in sorted(org_keys, key=lambda k: len(by_words[k])):
        sw = by_words[short]
        if short not in groups:
            continue
        longer = [k for k in extending.get(tuple(sw), ()) if k != short and k in groups]
        if not longer:
            continue
        # every longer name must extend one another ("hyundai motor" < "hyundai motor group")
        longer.sort(key=lambda k: len(by_words[k]))
        chain_ok = all(by_words[b][:len(by_words[a])] == by_words[a] for a, b in zip(longer, longer[1:]))
        if not chain_ok:
            continue
        target = longer[0]
        groups[target].extend(groups.pop(short))


def _choose_class(classes: list[str]) -> str:
    counts = Counter(classes)
    specific = [c for c in counts if c != "Organization"]
    if specific:
        return max(specific, key=lambda c: (counts[c], c))
    return "Organization"


def _choose_label(names: Counter, ms) -> str:
    if any(m.cls in PLACE_CLASSES and m.ids for m in ms):
        return ms[0].name
    # the most frequent name; ties to the longest (the fullest form)
    return max(names, key=lambda n: (names[n], len(n), n))
