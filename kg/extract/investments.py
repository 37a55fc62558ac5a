"""Investments with amounts: "Apple invested $1 billion in a data center".

An amount is an investment when the sentence ties it to an investment:

* it belongs to an investment trigger: the object of a verb such as invest /
  spend / budget ("will invest 2 billion euros in a plant"), or an investment
  noun ("an investment of 600 million yuan", "a 500 million yuan funding
  round", "at a cost of ..."): the trigger's subject is the investor, its
  "in / on / toward" object (or what the clause builds) the target;
* it measures a facility someone builds ("set up a Rs 4,500-crore plant"): the
  builder invests in it;
* money received ("raised 80 million yuan in a round led by X", "received
  investment from X") is invested by the giver in the receiver.

Restated conversions ("600 million yuan ($96 million)") are not counted twice;
a total from several investors is nobody's investment; figures not tied to a
trigger (revenue, GDP) are not investments.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from kg.extract.amounts import find_amounts
from kg.extract.lexicon import words
from kg.model import InvestmentRecord
from kg.vocab import ORG_CLASSES, PLACE_CLASSES

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from kg.extract.relations import RelationFinder

#: verbs whose subject receives the money
RECEIVE_VERBS = words("receive_verbs")
#: verbs that invest with "into": "put 30.6 billion yuan into Zhangjiagang"
PUT_VERBS = words("money_put_verbs")
#: verbs that say what something costs: "a factory that cost 15 billion yuan"
COST_VERBS = words("cost_verbs")
#: work done on a facility that money pays for: "a $1.7 billion expansion of its battery complex"
WORK_NOUNS = words("facility_work_nouns")
#: who can put money in: organisations, people, and governments of places ("Anhui will spend ...")
INVESTORS = ORG_CLASSES | {"Person", "Province", "City", "Country"}
#: what money can go to
TARGETS = ORG_CLASSES | PLACE_CLASSES | {"Facility", "IndustrialPark", "Sector"}


def _tokens(sent: "Span", start: int, end: int) -> list["Token"]:
    base = sent.start_char
    return [t for t in sent if start <= t.idx - base < end]


def _near(a: "Token", b: "Token", steps: int = 4) -> bool:
    """Is ``b`` on ``a``'s head chain (within ``steps``)?"""
    t = a
    for _ in range(steps):
        if t.i == b.i:
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return t.i == b.i


def _governing_verb(finder: "RelationFinder", tok: "Token") -> "Token | None":
    return tok if tok.pos_ == "VERB" else finder.verb_of(tok)


def find_investments(doc: "Doc", finder: "RelationFinder") -> list[InvestmentRecord]:
    lex = finder.lex
    out: list[InvestmentRecord] = []
    facts_by_sent: dict[int, list] = {}
    for f in finder.facts:
        if f.p == "investsIn":
            facts_by_sent.setdefault(f.sent[0], []).append(f)
    for sent in doc.sents:
        amounts = [a for a in find_amounts(sent.text) if not a.is_conversion and not a.vague]
        if not amounts:
            continue
        nouns = lex.triggers["invest_nouns"]
        triggers = [t for t in sent if (t.pos_ == "VERB" and lex.trigger("invest", finder.lemma(t)))
                    or t.lemma_.lower() in nouns
                    # "put 30.6 billion yuan into Zhangjiagang", "sank $2 billion in the plant"
                    or (t.pos_ == "VERB" and t.lemma_.lower() in PUT_VERBS
                        and any(c.dep_ == "prep" and c.lower_ in ("into", "in") for c in t.children)
                        and any(x.ent_type_ == "MONEY" for c in t.children if c.dep_ == "dobj" for x in c.subtree))
                    # "raised 80 million yuan in a funding round": receiving, when the clause speaks of investment
                    or (t.pos_ == "VERB" and finder.lemma(t) in RECEIVE_VERBS
                        and any(x.lemma_.lower() in nouns for x in t.subtree))]
        found_here = 0
        for a in amounts:
            toks = _tokens(sent, a.start, a.end)
            if not toks:
                continue
            record = _investment(finder, sent, a, toks, triggers, facts_by_sent.get(sent.start, []))
            if record is not None and not any(r.investor == record.investor and r.amount == record.amount for r in out):
                if found_here and record.target is None:
                    continue    # a further amount of the sentence counts only with a target of its own
                found_here += 1
                out.append(record)
                # "Tata Motors and Ford will invest $1.1 billion": a joint amount is each partner's
                head = doc[finder.m[record.investor].head]
                for e in finder.ents(head, INVESTORS):
                    if e not in (record.investor, record.target):
                        out.append(replace(record, investor=e))
                # "US$2.2 billion in Malaysia and US$1.7 billion in Indonesia": each place its amount
    return out


def _investment(finder: "RelationFinder", sent: "Span", a, toks, triggers, facts) -> InvestmentRecord | None:
    anchor = toks[-1]
    investor = target = None
    received = False
    # "US$2.2 billion of investment in Malaysia and US$1.7 billion in Indonesia": an amount in a
    # list is tied to the trigger its first member is tied to
    reach = list(toks) + [x.head for x in toks if x.dep_ == "conj"]
    tied = [t for t in triggers if any(_near(x, t) or _near(t, x) for x in reach)]
    if tied:
        trig = tied[0]
        verb = _governing_verb(finder, trig)
        if verb is not None and finder.lemma(verb) in RECEIVE_VERBS:
            received = True
            investor, target = _receiver_giver(finder, verb, sent)
        elif verb is not None and verb.lemma_.lower() in COST_VERBS and trig.i == verb.i:
            # "Plant Lydia, a factory that cost 15 billion yuan": what costs it is the target, and
            # whoever builds, opens or runs it pays
            target = _measured(finder, verb)
            if target is not None:
                investor = _maker(finder, target)
        else:
            if len({f.s for f in facts}) > 1:
                return None     # a total from several investors is nobody's investment
            if facts:
                # the fact whose object hangs on this amount ("US$1.7 billion in Indonesia"), else the first
                on_amount = {t.i for t in anchor.subtree} - {y.i for y in toks}
                own = [f for f in facts if any(finder.m[f.o].start <= i < finder.m[f.o].end for i in on_amount)]
                chosen = own[0] if own else facts[0]
                investor, target = chosen.s, chosen.o
                if not own:
                    # a place of its own on the amount: "and US$1.7 billion in Indonesia"
                    target = next((e for pr in anchor.children if pr.dep_ == "prep" and pr.lower_ in ("in", "into")
                                   for o in pr.children if o.dep_ == "pobj" and (e := finder.ent(o)) is not None
                                   and finder.cls(e) in PLACE_CLASSES), target)
            if investor is None and trig.pos_ == "NOUN":
                # "a 5.2-billion-yuan investment from BYD", "an investment of $1 billion by Apple"
                investor = next((e for pr in trig.children if pr.dep_ == "prep" and pr.lower_ in ("from", "by")
                                 for o in pr.children if o.dep_ == "pobj" and (e := finder.ent(o)) is not None
                                 and finder.cls(e) in INVESTORS), None)
                if investor is not None and verb is not None:
                    # "the park is backed by a ... investment from BYD": what the clause is about gets it
                    target = next((e for sub in finder.subjects(verb) if (e := finder.ent(sub)) is not None
                                   and e != investor and finder.cls(e) in TARGETS), None)
            if investor is None and verb is not None:
                investor = next((e for s in finder.subjects(verb) if (e := finder.ent(s)) is not None
                                 and finder.cls(e) in INVESTORS), None)
            if target is None and verb is not None:
                # what the clause builds: "would build a plant ... at a cost of ..."
                target = next((e for d in verb.children if d.dep_ == "dobj" and (e := finder.ent(d)) is not None
                               and finder.cls(e) in ORG_CLASSES | {"Facility"}), None)
            if target is None and verb is not None and verb.i == trig.i:
                # "would spend 615.6 billion won on an AI-focused data center", "put $150 billion
                # into assets in Gujarat": what the money goes on or into (the parser may hang the
                # "on" on the amount: "won" read as a verb)
                target = next((e for h in [verb, *toks] for pr in h.children
                               if pr.dep_ == "prep" and pr.lower_ in ("on", "into")
                               for o in pr.children if o.dep_ == "pobj" and (e := finder.ent(o)) is not None
                               and finder.cls(e) in TARGETS and e != investor), None)
    elif anchor.head.dep_ == "prep" and anchor.head.lower_ == "for" and anchor.dep_ == "pobj" \
            and (verb := _governing_verb(finder, anchor.head.head)) is not None \
            and finder.lex.trigger("operate", finder.lemma(verb)):
        # "would build a new car plant in Gujarat for Rs 35,000 crore": the builder pays for what it builds
        target = next((e for d in verb.children if d.dep_ == "dobj" and (e := finder.ent(d)) is not None
                       and finder.cls(e) in ORG_CLASSES | {"Facility", "IndustrialPark"}), None)
        investor = next((e for s in finder.subjects(verb) if (e := finder.ent(s)) is not None
                         and finder.cls(e) in INVESTORS), None)
    else:
        # "set up a Rs 4,500-crore plant": the amount measures a facility that someone builds
        noun = anchor.head
        for _ in range(3):
            e = finder.ent(noun)
            if e is None and noun.lemma_.lower() in WORK_NOUNS:
                # "a $1.7 billion expansion of its battery complex": the thing worked on
                e = next((x for pr in noun.children if pr.dep_ == "prep" and pr.lower_ == "of"
                          for o in pr.children if o.dep_ == "pobj" and (x := finder.ent(o)) is not None), None)
            if e is not None and finder.cls(e) == "Facility":
                target = e
                break
            noun = noun.head
        if target is None:
            return None
        # "a $10 billion wind energy project by Copenhagen Infrastructure Partners": the project's maker
        tnoun = finder.doc[finder.m[target].head]
        investor = next((e for pr in tnoun.children if pr.dep_ == "prep" and pr.lower_ == "by"
                         for o in pr.children if o.dep_ == "pobj" and (e := finder.ent(o)) is not None
                         and finder.cls(e) in ORG_CLASSES), None)
        if investor is None:
            verb = finder.verb_of(noun)
            if verb is None:
                return None
            investor = next((e for s in finder.subjects(verb) if (e := finder.ent(s)) is not None
                             and finder.cls(e) in ORG_CLASSES), None)
    if investor is None or investor == target:
        return None
    location = None
    for i, m in enumerate(finder.m):
        if m.cls in PLACE_CLASSES and sent.start <= m.start < sent.end:
            location = finder.coref.get(i, i)
    if target is not None and finder.cls(target) in PLACE_CLASSES and location is None:
        location = target
    dates = [e.text for e in sent.ents if e.label_ == "DATE" and any(c.isdigit() for c in e.text)]
    return InvestmentRecord(
        investor=investor, target=target, amount=float(a.value), currency=a.currency,
        sent_start=sent.start_char, sent_end=sent.end_char,
        extractor="investment-received" if received else ("investment-trigger" if tied else "investment-facility"),
        confidence=0.75 if target is not None else 0.6, location=location,
        amount_text=a.text, date=dates[0] if dates else None,
    )


def _measured(finder: "RelationFinder", verb: "Token") -> int | None:
    """What a cost verb measures: its subject, or what the relative clause it heads is about
    ("a factory that cost ...", through the apposition to "Plant Lydia")."""
    for sub in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
        tok = verb.head if sub.tag_ in ("WDT", "WP") and verb.dep_ == "relcl" else sub
        for t in (tok, tok.head if tok.dep_ == "appos" else None):
            e = finder.ent(t) if t is not None else None
            if e is not None and finder.cls(e) in ("Facility", "IndustrialPark"):
                return e
            if e is not None and finder.cls(e) in PLACE_CLASSES and tok.lemma_.lower() in finder.lex.descriptive_heads:
                # "opened Plant Lydia in Shenyang, a factory that cost ...": the apposition hangs on
                # the place, but the factory is the facility named just before it
                start = t.sent.start
                before = [j for j, m in enumerate(finder.m) if m.cls == "Facility" and start <= m.start
                          and m.end <= finder.m[e].start]
                if before:
                    j = max(before, key=lambda j: finder.m[j].start)
                    return finder.coref.get(j, j)
    return None


def _maker(finder: "RelationFinder", target: int) -> int | None:
    """Who pays for a facility: the organisation a rule has running it, else its owner, else the
    subject of the verb it is the object of ("BMW Brilliance opened Plant Lydia")."""
    runs = [f.s for f in finder.facts if f.p == "operates" and f.o == target and finder.cls(f.s) in ORG_CLASSES]
    if runs:
        return runs[0]
    m = finder.m[target]
    if m.owner is not None and finder.cls(m.owner) in ORG_CLASSES:
        return finder.coref.get(m.owner, m.owner)
    verb = finder.verb_of(finder.doc[m.head])
    if verb is None:
        return None
    return next((e for s in finder.subjects(verb) if (e := finder.ent(s)) is not None
                 and finder.cls(e) in ORG_CLASSES), None)


def _receiver_giver(finder: "RelationFinder", verb: "Token", sent: "Span") -> tuple[int | None, int | None]:
    """"Lumina raised 80 million yuan in a round led by X": X invests in Lumina (one giver only)."""
    receiver = next((e for s in finder.subjects(verb) if (e := finder.ent(s)) is not None
                     and finder.cls(e) in ORG_CLASSES), None)
    givers: list[int] = []
    for t in verb.subtree:
        if (t.dep_ == "agent" or (t.dep_ == "prep" and t.text.lower() == "from")):
            for x in t.subtree:
                e = finder.ent(x) if x.i in finder.by_head or x.i in finder.by_tok else None
                if e is not None and finder.cls(e) in ORG_CLASSES | {"Person"} and e not in givers and e != receiver:
                    givers.append(e)
    if len(givers) != 1:
        return None, None
    return givers[0], receiver


def from_facts(doc: "Doc", finder: "RelationFinder", facts: list, found: list[InvestmentRecord]) -> list[InvestmentRecord]:
    """Investments the decided ``investsIn`` facts of a sentence state with an amount the trigger
    rules did not tie: "Microsoft has announced US$2.2 billion of cloud investment in Malaysia and
    US$1.7 billion in Indonesia". Each fact takes the amount nearest before its target (else the
    nearest after it); an amount goes to one fact, and a sentence's amounts already taken by the
    trigger rules stay theirs."""
    taken = {(r.sent_start, r.amount, r.currency) for r in found}
    by_sent: dict[int, list] = {}
    for f in facts:
        if f.p == "investsIn" and finder.cls(f.s) in INVESTORS:
            by_sent.setdefault(f.sent[0], []).append(f)
    out: list[InvestmentRecord] = []
    for start, sent_facts in sorted(by_sent.items()):
        sent = doc[start].sent
        have = {(r.investor, r.target) for r in found if r.sent_start == sent.start_char}
        sent_facts = [f for f in sent_facts if (f.s, f.o) not in have]
        amounts = [a for a in find_amounts(sent.text) if not a.is_conversion and not a.vague
                   and (sent.start_char, float(a.value), a.currency) not in taken]
        if not amounts:
            continue
        investors = {f.s for f in sent_facts}
        text = sent.text.lower()
        if len(investors) > 1 and any(re.search(rf"\b{re.escape(w)}\b", text) for w in finder.lex.pooled_words):
            continue    # "Tesla and BYD invested a combined 20 billion yuan": a pooled total is nobody's
        used: set[int] = set()
        for f in sorted(sent_facts, key=lambda f: finder.m[f.o].start):
            where = doc[finder.m[f.o].start].idx - sent.start_char
            before = [k for k, a in enumerate(amounts) if k not in used and a.end <= where]
            after = [k for k, a in enumerate(amounts) if k not in used and a.start >= where]
            pick = before[-1] if before else (after[0] if after else None)
            if pick is None:
                continue
            used.add(pick)
            a = amounts[pick]
            location = f.o if finder.cls(f.o) in PLACE_CLASSES else None
            out.append(InvestmentRecord(
                investor=f.s, target=f.o, amount=float(a.value), currency=a.currency,
                sent_start=sent.start_char, sent_end=sent.end_char, extractor="investment-fact",
                confidence=f.conf, location=location, amount_text=a.text))
    return out
