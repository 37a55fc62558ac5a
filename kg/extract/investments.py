"""Investments with amounts: "Apple invested $1 billion in a data center".

A sentence with an investment trigger (a verb such as invest / budget /
spend, or a noun such as investment) and a money amount gives an
``Investment``: the trigger's subject is the investor, its "in / on /
toward" object the target, and a place in the sentence the location.
Restated conversions ("600 million yuan ($96 million)") are not counted
twice: the first amount is the investment.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kg.extract.amounts import find_amounts
from kg.model import InvestmentRecord
from kg.vocab import ORG_CLASSES, PLACE_CLASSES

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from kg.extract.relations import RelationFinder


def find_investments(doc: "Doc", finder: "RelationFinder") -> list[InvestmentRecord]:
    lex = finder.lex
    out: list[InvestmentRecord] = []
    facts_by_sent: dict[int, list] = {}
    for f in finder.facts:
        if f.p == "investsIn":
            facts_by_sent.setdefault(f.sent[0], []).append(f)
    for sent in doc.sents:
        triggers = [t for t in sent if (t.pos_ == "VERB" and lex.trigger("invest", t.lemma_.lower()))
                    or t.lemma_.lower() in lex.triggers["invest_nouns"]]
        if not triggers:
            continue
        amounts = [a for a in find_amounts(sent.text) if not a.is_conversion and not a.vague]
        if not amounts:
            continue
        facts = facts_by_sent.get(sent.start, [])
        investor = target = None
        if len({f.s for f in facts}) > 1:
            continue    # a total from several investors is nobody's investment
        if facts:
            investor, target = facts[0].s, facts[0].o
        else:
            for t in triggers:
                # a noun trigger ("at a cost of", "a funding round") takes its verb's subject
                verb = t if t.pos_ == "VERB" else finder.verb_of(t)
                subs = finder.subjects(verb) if verb is not None else []
                for s in subs:
                    e = finder.ent(s)
                    if e is not None and finder.cls(e) in ORG_CLASSES | {"Person"}:
                        investor = e
                        break
                if investor is not None:
                    break
        if investor is None:
            continue
        if target is None:
            # what the clause builds: "would build a plant ... at a cost of ..."
            for t in triggers:
                verb = t if t.pos_ == "VERB" else finder.verb_of(t)
                for d in (verb.children if verb is not None else ()):
                    e = finder.ent(d) if d.dep_ == "dobj" else None
                    if e is not None and finder.cls(e) in ORG_CLASSES | {"Facility"}:
                        target = e
                        break
        location = None
        for i, m in enumerate(finder.m):
            if m.cls in PLACE_CLASSES and sent.start <= m.start < sent.end:
                location = finder.coref.get(i, i)
        if target is not None and finder.cls(target) in PLACE_CLASSES and location is None:
            location = target
        a = amounts[0]
        dates = [e.text for e in sent.ents if e.label_ == "DATE" and any(c.isdigit() for c in e.text)]
        out.append(InvestmentRecord(
            investor=investor, target=target, amount=float(a.value), currency=a.currency,
            sent_start=sent.start_char, sent_end=sent.end_char, extractor="investment-trigger",
            confidence=0.75 if target is not None else 0.6, location=location,
            amount_text=a.text, date=dates[0] if dates else None,
        ))
    return out
