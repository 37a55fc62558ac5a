"""How an entity is named: the surface forms a mention goes out under.

A user (and the gold) names an unnamed thing the way the article does: "data centre in
Dammam", "its first Middle East data centre", "Tesla's Shanghai plant". Every form as
written is kept as a ``skos:altLabel``: the phrase without its determiner, the phrase with
its possessor, and the phrase with the place it is put in ("in", "at", "near" a place
mention right after it), so whichever of them a query or another article uses finds it.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.extract.coref import PLACE_LIKE
from kg.extract.entities import DETERMINERS, MONEY_WORDS, TokMention
from kg.extract.lexicon import words

PLACE_PREPS = words("place_prepositions")
MODIFIERS = words("descriptive_modifiers")


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,.;:\"“”'")
    return re.sub(r"[\"“”]", "", text)


def _measure(word: str) -> bool:
    """A word of an amount or a measure ("200,000-ton", "$", "billion")."""
    return bool(re.search(r"\d", word)) or word in ("-", "$") or word.lower() in MONEY_WORDS


def _strip_determiners(words: list[str]) -> list[str]:
    while words and words[0].lower() in DETERMINERS:
        words = words[1:]
    return words


def _plural(word: str) -> str:
    """The regular English plural of a noun ("battery" -> "batteries", "chip" -> "chips")."""
    low = word.lower()
    if low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        return word[:-1] + "ies"
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def surface_forms(doc: Doc, m: TokMention, by_tok: dict[int, int], mentions: list[TokMention]) -> list[str]:
    """Every form of ``m`` as the article writes it, without determiners."""
    span = doc[m.start:m.end]
    forms: list[str] = []
    words = _strip_determiners(span.text.split())
    if words:
        forms.append(" ".join(words))
    toks = list(span)
    # without its possessor: "Aramco's data centre" -> "data centre"
    for k, t in enumerate(toks[:-1]):
        if t.text in ("'s", "’s", "'", "’") and k + 1 < len(toks):
            rest = _strip_determiners([x.text for x in toks[k + 1:]])
            if rest:
                forms.append(" ".join(rest))
            break
    if m.cls == "Sector" and m.source == "sector-producer" and doc[m.end - 1].tag_ == "NN" and words:
        # "semiconductor maker": a noun before the maker is singular by grammar; the field is
        # usually named in the plural ("semiconductors", "batteries")
        forms.append(" ".join(words[:-1] + [_plural(words[-1])]))
    if m.cls == "Sector":
        # "batteries" in "lithium-ion batteries", "electric vehicle batteries": the phrase as written
        head = doc[m.end - 1]
        mods = [c for c in head.lefts if c.dep_ in ("compound", "amod", "nmod") and c.i < m.start]
        if mods:
            start = min(c.left_edge.i for c in mods)
            while start < m.start and doc[start].lower_ in DETERMINERS:
                start += 1
            if not any(doc[k].ent_type_ in ("GPE", "ORG", "PERSON", "NORP") for k in range(start, m.start)):
                forms.append(doc[start:m.end].text)
    if m.full_text:
        forms.append(m.full_text)      # "Jiangjin District Committee of the Communist Party of China"
    if m.descriptive and m.owner_tok is not None and m.owner_tok < m.start:
        # "Teraco's Cape Town facility", "the zone's management committee": the form with its owner
        # as written (not a named place's: "China's largest base" is no name)
        owner = by_tok.get(m.owner_tok)
        start = None
        if owner is not None and (mentions[owner].cls not in PLACE_LIKE or mentions[owner].descriptive) \
                and mentions[owner].end <= m.start and doc[mentions[owner].end].text in ("'s", "’s", "'", "’"):
            start = mentions[owner].start
        elif owner is None and doc[m.owner_tok].pos_ == "NOUN" and doc[m.owner_tok + 1].text in ("'s", "’s"):
            start = m.owner_tok         # "the area's management committee"
        if start is not None:
            words = _strip_determiners(doc[start:m.end].text.split())
            if words:
                forms.append(" ".join(words))
    if m.descriptive and forms:
        # "manufacturing center for hearing aids in Suzhou" is also the center without its place
        for p in PLACE_PREPS:
            head, sep, tail = forms[0].rpartition(f" {p} ")
            if sep and head and any(doc[x.start:x.end].text == tail for x in mentions if x.cls in PLACE_LIKE):
                forms.append(head)
                break
    if m.descriptive:
        # "its first Middle East data centre" is also the "Middle East data centre"; "a 200,000-ton
        # polysilicon complex" the "polysilicon complex": which one and how big are not what it is
        for f in list(forms):
            ws = f.split()
            k = 0
            while k < len(ws) - 2 and (ws[k].lower() in MODIFIERS or _measure(ws[k])):
                k += 1
                if not (_measure(ws[k]) and _measure(ws[k - 1])):    # never mid-amount: "billion battery factory"
                    forms.append(" ".join(ws[k:]))
    # "the Italian Consulate General in Chongqing", "a data centre in Dammam": the place it is put in
    # is part of a form (of a description, or of a body named after where it sits)
    placed_name = m.cls in ("GovernmentBody", "Organization", "ResearchInstitution", "Incubator")
    if (m.descriptive or placed_name) and m.end + 1 < len(doc) and doc[m.end].lower_ in PLACE_PREPS:
        j = by_tok.get(m.end + 1)
        if j is None and m.end + 2 < len(doc) and doc[m.end + 1].lower_ == "the":
            j = by_tok.get(m.end + 2)
        if j is not None and mentions[j].cls in PLACE_LIKE and mentions[j].start > m.end:
            place = doc[mentions[j].start:mentions[j].end].text
            prep = doc[m.end].text.lower()
            forms += [f"{f} {prep} {place}" for f in list(forms)]
    out: list[str] = []
    for f in map(_clean, forms):
        if f and f not in out:
            out.append(f)
    return out
