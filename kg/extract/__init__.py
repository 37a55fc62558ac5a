"""Article -> Extraction: mentions, facts and investments of one article.

``extract_articles`` runs the spaCy pipeline once over all articles with
``nlp.pipe`` and applies the rule families of this package to each Doc:
``entities`` (mentions), ``relations`` (facts, with coreference) and
``investments`` (amounts).
"""
from __future__ import annotations

import re

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc

from kg.extract.candidates import Candidate, find_candidates
from kg.extract.entities import TokMention, find_mentions
from kg.extract.investments import find_investments, from_facts
from kg.extract.lexicon import lexicon, words
from kg.extract.naming import surface_forms
from kg.extract.coref import same_family
from kg.extract.relations import RawFact, RelationFinder
from kg.extract.scorer import FactModel
from kg.model import Article, Extraction, FactRecord, InvestmentRecord, Mention, Skipped

BARE_ORG_WORDS = words("bare_org_words")

__all__ = ["extract_articles", "extract_doc", "propose", "decide", "Proposal"]


def extract_articles(articles: Iterable[Article], model: str, *, scorer: FactModel | None = None,
                     min_confidence: float | None = None) -> Iterator[Extraction | Skipped]:
    """Extractions of the articles, in order; an article the rules fail on is a ``Skipped``
    naming the error, so one bad article never stops a build of a thousand."""
    from kg.nlp import load_pipeline

    nlp = load_pipeline(model)
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=16):
        try:
            yield extract_doc(doc, article, scorer=scorer, min_confidence=min_confidence)
        except Exception as err:      # a bug in a rule: report the article, keep the build going
            yield Skipped(article.source, f"extraction failed ({type(err).__name__}: {err}); "
                                          f"please report this article")


def warm_up(model: str, **options) -> None:
    """Load every table extraction reads (gazetteers, lexicons, patterns, the scorer) in this
    process, so that processes forked from it share them instead of each loading its own."""
    from kg.nlp import load_pipeline

    text = "Huawei opened a data center in Guiyang, Guizhou province, investing 1 billion yuan ($150 million)."
    extract_doc(load_pipeline(model)(text), Article(id="warm-up", text=text, source="warm-up"), **options)


@dataclass
class Proposal:
    """What the rules propose for one Doc: mentions, their coreference, rule facts,
    investments, and every candidate fact with its features."""

    mentions: list[TokMention]
    finder: RelationFinder
    rule_facts: list[RawFact]
    investments: list[InvestmentRecord]
    candidates: list[Candidate]


def propose(doc: Doc, *, candidates: bool = True) -> Proposal:
    """Mentions, rule facts, investments and (unless told not to) candidates of one parsed article."""
    mentions = find_mentions(doc)
    finder = RelationFinder(doc, mentions)
    raw = finder.run()
    investments = find_investments(doc, finder)
    _add_investment_facts(doc, raw, investments)
    found = find_candidates(doc, mentions, finder, raw) if candidates else []
    return Proposal(mentions, finder, raw, investments, found)


def decide(proposal: Proposal, scorer: FactModel, min_confidence: float | None = None) -> list[RawFact]:
    """The candidates the scorer believes, one per fact of the article (its most confident
    sentence), each carrying its calibrated probability as its confidence.

    By default a fact a rule proposed needs ``scorer.rule_floor`` and any other candidate
    ``scorer.threshold`` (both chosen on held-out articles); ``min_confidence`` sets one
    threshold for all."""
    best: dict[tuple[int, str, int], tuple[float, Candidate]] = {}
    for c in proposal.candidates:
        prob = scorer.probability(c.features)
        if min_confidence is not None:
            needed = min_confidence
        else:
            needed = scorer.rule_floor if c.rules else scorer.threshold
        if prob >= needed and (c.key not in best or prob > best[c.key][0]):
            best[c.key] = (prob, c)
    facts = []
    for prob, c in sorted(best.values(), key=lambda pc: (pc[1].sent, pc[1].key)):
        rule = "scored+" + "+".join(c.rules) if c.rules else "scored"
        facts.append(RawFact(c.s, c.p, c.o, rule, round(prob, 4), c.sent, c.role))
    return facts


def extract_doc(doc: Doc, article: Article, *, scorer: FactModel | None = None,
                min_confidence: float | None = None) -> Extraction:
    """All rule families over one parsed article; with a ``scorer`` the rules propose and the
    scorer decides which facts are kept."""
    proposal = propose(doc, candidates=scorer is not None)
    mentions, finder, investments = proposal.mentions, proposal.finder, proposal.investments
    if scorer is None:
        raw = [f for f in proposal.rule_facts if min_confidence is None or f.conf >= min_confidence]
    else:
        raw = decide(proposal, scorer, min_confidence)
    investments = investments + from_facts(doc, finder, raw, investments)
    _add_investment_facts(doc, raw, investments)
    # keep named mentions, and descriptive ones that a fact or investment uses
    used = {f.s for f in raw} | {f.o for f in raw}
    for inv in investments:
        used |= {i for i in (inv.investor, inv.target, inv.location) if i is not None}
    owners = _owners(mentions, finder, raw)
    # a named mention that refers to another ("the Canton Fair" -> "the China Import and Export Fair")
    # is kept under the other's name, and so is every mention of the same name in this article
    renamed: dict[str, tuple[str, str]] = {}
    for i, m in enumerate(mentions):
        j = finder.coref.get(i, i)
        if j == i or m.descriptive or mentions[j].descriptive:
            continue
        if mentions[j].cls == "Person" and len(m.name.split()) == 1:
            renamed[m.name] = (mentions[j].name, "Person")     # "Song" after "Song Zewei"
        elif m.cls != "Person" and same_family(m.cls, mentions[j].cls):
            renamed[m.name] = (mentions[j].name, mentions[j].cls)
    for m in mentions:
        if not m.descriptive and m.name in renamed:
            m.name, m.cls = renamed[m.name]
    keep = [i for i, m in enumerate(mentions)
            if (not m.descriptive or i in used) and (finder.coref.get(i, i) == i or not m.descriptive)
            and _nameable(m, owners.get(i))]
    index = {old: new for new, old in enumerate(keep)}
    for i, j in finder.coref.items():
        if i not in index and j in index:
            index[i] = index[j]

    # every form the article uses for a thing is one of its names: "the plant" after "a new
    # battery plant in Kharkhoda" is a form of it too
    forms: dict[int, list[str]] = {i: surface_forms(doc, mentions[i], finder.by_tok, mentions) for i in keep}
    for i, j in finder.coref.items():
        if i not in forms and j in forms and mentions[i].descriptive and mentions[j].descriptive:
            forms[j] += [f for f in surface_forms(doc, mentions[i], finder.by_tok, mentions) if f not in forms[j]]
    out = Extraction(article=article)
    for i in keep:
        m = mentions[i]
        span = doc[m.start:m.end]
        name = m.name
        if m.descriptive:
            # named the way a person would: owner, what it is, where ("Alibaba data center in Zhangbei")
            owner = owners.get(i)
            name = m.label_text or m.name
            placed = next((f for f in forms[i] if f.startswith(f"{name} ") and f[len(name) + 1:].split(" ", 1)[0]
                           in ("in", "at", "near", "outside")), None)
            if placed is not None:
                name = placed
            if owner is not None:
                short = _short_name(mentions, owner)
                # not "Gulei Gulei base", nor "Weichai Power Weichai-Ballard joint venture"
                if short.lower() not in name.lower() and short.split()[0].lower() not in re.split(r"[\s\-]+", name.lower()):
                    name = f"{short} {name}"
        out.mentions.append(Mention(
            text=span.text, cls=m.cls, start=span.start_char, end=span.end_char, name=name,
            ids=dict(m.ids), descriptive=m.descriptive, source=m.source,
            aliases=forms[i],
        ))
    seen = set()
    for f in raw:
        if f.s not in index or f.o not in index:
            continue
        sent = doc[f.sent[0]:f.sent[1]]
        key = (index[f.s], f.p, index[f.o], sent.start_char)
        if key in seen:
            continue
        seen.add(key)
        out.facts.append(FactRecord(
            subject=index[f.s], predicate=f.p, object=index[f.o],
            sent_start=sent.start_char, sent_end=sent.end_char,
            extractor=f.rule, confidence=f.conf, role=f.role,
        ))
    for inv in investments:
        if inv.investor not in index:
            continue
        inv.investor = index[inv.investor]
        inv.target = index.get(inv.target) if inv.target is not None else None
        inv.location = index.get(inv.location) if inv.location is not None else None
        out.investments.append(inv)
    return out


def _add_investment_facts(doc: Doc, facts: list[RawFact], investments: list[InvestmentRecord]) -> None:
    """Every investment in a target is also the plain fact "investor investsIn target"."""
    have = {(f.s, f.o) for f in facts if f.p == "investsIn"}
    for inv in investments:
        if inv.target is not None and (inv.investor, inv.target) not in have:
            sent = doc.char_span(inv.sent_start, inv.sent_end, alignment_mode="expand")
            facts.append(RawFact(inv.investor, "investsIn", inv.target, inv.extractor, inv.confidence,
                                 (sent.start, sent.end)))


def _nameable(m: TokMention, owner: int | None) -> bool:
    """Whether a mention can be an entity a reader recognises: not a bare legal suffix ("Co"), not
    a lone head noun with nothing to tell it apart ("the ceremony", "the event", "a base") that
    refers back to nothing."""
    suffixes = lexicon().company_suffixes
    words = m.name.lower().split()
    if not words or all(w in suffixes or w.rstrip(".") in suffixes for w in words):
        return False
    if len(words) == 1 and words[0] in BARE_ORG_WORDS:
        return False        # "Party" in "Party secretary Li", "the Group" with nothing to refer to
    if m.descriptive and owner is None and len((m.label_text or m.name).split()) == 1:
        return False
    return True


def _owners(mentions: list[TokMention], finder: RelationFinder, raw) -> dict[int, int]:
    """Who a descriptive thing belongs to: its possessor, else who operates / owns it."""
    owners: dict[int, int] = {}
    for i, m in enumerate(mentions):
        if m.descriptive and m.owner_tok is not None:
            o = finder.ent(finder.doc[m.owner_tok])
            if o is not None:
                o = finder.coref.get(o, o)      # "the company's first plant": the company it refers to
            if o is not None and mentions[o].cls not in ("Sector",) and not (
                    mentions[o].descriptive and mentions[o].source == "descriptive-reference"):
                owners[i] = o
    for f in raw:
        if f.p in ("operates", "founded") and mentions[f.o].descriptive and f.o not in owners \
                and mentions[f.s].cls not in ("Person",):
            owners[f.o] = f.s
        if f.p == "subsidiaryOf" and mentions[f.s].descriptive and f.s not in owners:
            owners[f.s] = f.o
    for f in raw:
        # "Apple will spend 4.7 billion yuan on a data center": Apple's data center
        if f.p == "investsIn" and mentions[f.o].descriptive and mentions[f.o].cls == "Facility" \
                and f.o not in owners and mentions[f.s].cls not in ("Person",):
            owners[f.o] = f.s
    return owners


def _short_name(mentions: list[TokMention], idx: int) -> str:
    """The shortest name the article uses for an owner: "Infobird" for "Infobird Cloud Computing Co Ltd"."""
    from kg.resolve import org_key

    name = mentions[idx].name
    first = name.split()[0] if name.split() else name
    names = [m.name for m in mentions if m.cls == mentions[idx].cls and not m.descriptive
             and m.name.split()[:1] == [first] and name.startswith(m.name)]
    short = min(names + [name], key=len)
    if mentions[idx].cls in ("Company", "Organization"):
        key_words = org_key(short).split()
        words = short.split()
        short = " ".join(words[:max(len(key_words), 1)])
    return short
