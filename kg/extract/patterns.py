"""Relation patterns as data: spaCy DependencyMatcher patterns read from
``ontology/patterns/relations.json``.

Why: a shape of sentence that states a fact ("X was acquired by Y") is data an analyst can
add for their beat without touching code, and the dependency matcher finds it however many
words lie between the two sides. Each pattern names the predicate it votes for and the two
nodes (``subject``, ``object``) that stand for its sides; ``RelationFinder`` turns the nodes
into mentions (list members and pronouns included) and keeps the pairs whose classes fit the
predicate. The votes reach the scorer under the pattern's name, like those of the Python
rule families.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Token

from kg.vocab import ONTOLOGY_DIR

PATTERNS_FILE = ONTOLOGY_DIR / "patterns" / "relations.json"


class PatternError(ValueError):
    """A pattern in relations.json that cannot be used, with where and why."""


@dataclass(frozen=True)
class RelationPattern:
    name: str
    predicate: str
    subject: str            # RIGHT_ID of the node that stands for the subject
    object: str
    confidence: float
    pattern: tuple          # the DependencyMatcher pattern (a tuple of dicts)
    about: str = ""


@lru_cache(maxsize=1)
def relation_patterns() -> tuple[RelationPattern, ...]:
    """The patterns of relations.json, checked: a unique name, a core predicate with a
    signature, subject and object nodes the pattern defines, a confidence in (0, 1]."""
    from kg.extract.candidates import signatures

    try:
        data = json.loads(PATTERNS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise PatternError(f"{PATTERNS_FILE}: cannot read the relation patterns ({err})") from err
    sigs = signatures()
    out: list[RelationPattern] = []
    seen: set[str] = set()
    for k, p in enumerate(data.get("patterns", [])):
        where = f"{PATTERNS_FILE}: pattern {k + 1} ({p.get('name', 'no name')!r})"
        try:
            pat = RelationPattern(str(p["name"]), str(p["predicate"]), str(p["subject"]), str(p["object"]),
                                  float(p["confidence"]), tuple(p["pattern"]), str(p.get("about", "")))
        except (KeyError, TypeError, ValueError) as err:
            raise PatternError(f"{where}: needs name, predicate, subject, object, confidence and pattern ({err})") from err
        ids = [node.get("RIGHT_ID") for node in pat.pattern if isinstance(node, dict)]
        if pat.name in seen:
            raise PatternError(f"{where}: the name is used twice")
        if pat.predicate not in sigs:
            raise PatternError(f"{where}: {pat.predicate!r} is not a predicate of signatures.json")
        if not ids or None in ids or pat.subject not in ids or pat.object not in ids:
            raise PatternError(f"{where}: subject {pat.subject!r} and object {pat.object!r} must be RIGHT_IDs "
                               f"of its nodes ({ids})")
        if not 0 < pat.confidence <= 1:
            raise PatternError(f"{where}: confidence must be in (0, 1], not {pat.confidence}")
        seen.add(pat.name)
        out.append(pat)
    return tuple(out)


_MATCHERS: dict[int, DependencyMatcher] = {}


def _matcher(vocab) -> DependencyMatcher:
    """One compiled matcher per vocabulary (per loaded pipeline)."""
    key = id(vocab)
    if key not in _MATCHERS:
        matcher = DependencyMatcher(vocab, validate=True)
        for pat in relation_patterns():
            try:
                matcher.add(pat.name, [list(pat.pattern)])
            except ValueError as err:
                raise PatternError(f"{PATTERNS_FILE}: pattern {pat.name!r} is not a DependencyMatcher "
                                   f"pattern: {err}") from err
        _MATCHERS[key] = matcher
    return _MATCHERS[key]


def match_patterns(doc: Doc) -> list[tuple[RelationPattern, Token, Token]]:
    """Every match in ``doc``: the pattern with the subject and object tokens it found."""
    if not relation_patterns():
        return []
    by_name = {p.name: p for p in relation_patterns()}
    out = []
    for match_id, tokens in _matcher(doc.vocab)(doc):
        pat = by_name[doc.vocab.strings[match_id]]
        ids = [node["RIGHT_ID"] for node in pat.pattern]
        out.append((pat, doc[tokens[ids.index(pat.subject)]], doc[tokens[ids.index(pat.object)]]))
    return out
