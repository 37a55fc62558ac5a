"""Trigger lexicons and class keywords, read from ``ontology/gazetteers/lexicon.json``.

Rules are data where they are data: adding a role title, a sector or a
trigger verb is an edit to the JSON file, not to code.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from kg.vocab import ONTOLOGY_DIR, ORG_CLASSES


@dataclass(frozen=True)
class Lexicon:
    name_heads: dict[str, str]          # lower-cased head word -> class
    descriptive_heads: dict[str, str]
    org_unit_heads: frozenset[str]
    of_heads: frozenset[str]
    company_suffixes: frozenset[str]
    roles: frozenset[str]
    founder_roles: frozenset[str]
    sectors: tuple[str, ...]
    sector_heads: frozenset[str]
    sector_generic: frozenset[str]
    triggers: dict[str, frozenset[str]]
    weak_adjectives: frozenset[str]
    park_city_modifiers: frozenset[str]
    maker_words: dict[str, str]
    producer_heads: frozenset[str]
    reference_nouns: dict[str, frozenset[str]]     # "the company" -> the classes its antecedent may have
    agreement_nouns: frozenset[str]                # "signed a memorandum", "an agreement between X and Y"
    pooled_words: tuple[str, ...]                  # "a combined 20 billion yuan": a total of several investors

    def trigger(self, kind: str, lemma: str) -> bool:
        """Whether ``lemma`` (a word's lemma, or a phrase such as "set up") is a trigger of ``kind``."""
        return lemma.lower() in self.triggers.get(kind, frozenset())

    @property
    def trigger_phrases(self) -> frozenset[str]:
        return frozenset(w for words in self.triggers.values() for w in words if " " in w)


def _invert(table: dict[str, list[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for cls, words in table.items():
        for w in words:
            out.setdefault(w.lower(), cls)
    return out


WORDS_FILE = ONTOLOGY_DIR / "gazetteers" / "words.json"


@lru_cache(maxsize=1)
def _word_groups() -> dict[str, frozenset[str]]:
    data = json.loads(WORDS_FILE.read_text(encoding="utf-8"))
    return {name: frozenset(g["words"]) for name, g in data.items() if not name.startswith("_")}


def words(group: str) -> frozenset[str]:
    """A closed word class of ``ontology/gazetteers/words.json`` ("determiners", "title_words", ...):
    the rules' function words are data like their lexicons."""
    try:
        return _word_groups()[group]
    except KeyError:
        raise KeyError(f"{WORDS_FILE}: no word group {group!r}; add it there") from None


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = json.loads((ONTOLOGY_DIR / "gazetteers" / "lexicon.json").read_text(encoding="utf-8"))
    # a multi-word trigger ("set up", "take part") is a phrase: it matches the verb with its
    # particle or next word (``MentionIndex.lemma``), never its first word alone
    triggers = {kind: frozenset(" ".join(w.lower().split()) for w in words) for kind, words in data["triggers"].items()}
    return Lexicon(
        name_heads=_invert(data["name_heads"]),
        descriptive_heads=_invert(data["descriptive_heads"]),
        org_unit_heads=frozenset(data["org_unit_heads"]),
        of_heads=frozenset(data["of_heads"]),
        company_suffixes=frozenset(data["company_suffixes"]),
        roles=frozenset(r.lower() for r in data["roles"]),
        founder_roles=frozenset(data["founder_roles"]),
        sectors=tuple(sorted({s.lower() for s in data["sectors"]}, key=len, reverse=True)),
        sector_heads=frozenset(data["sector_heads"]),
        sector_generic=frozenset(data["sector_generic"]),
        triggers=triggers,
        weak_adjectives=frozenset(data["weak_adjectives"]),
        park_city_modifiers=frozenset(data["park_city_modifiers"]),
        maker_words=dict(data["maker_words"]),
        producer_heads=frozenset(data["producer_heads"]),
        pooled_words=tuple(data["pooled_words"]),
        agreement_nouns=frozenset(data["agreement_nouns"]),
        reference_nouns={w: frozenset(ORG_CLASSES if c == "Org" else c) for w, c in data["reference_nouns"].items()},
    )
