"""Mentions of one Doc -> candidate facts with the features the learned scorer reads.

The rules of ``relations`` decide little on their own on articles they were not written
against; here they only vote. Every pair of mentions of one sentence whose classes fit a
predicate's signature (``ontology/patterns/signatures.json``) is a candidate, and so is every
fact a rule proposed (rules also reach across sentences through coreference). Each candidate
carries sparse features: the dependency path between the two mentions, the words on and
between it, their classes and head words, order and distance, and the rule votes. A
candidate is about the entities the mentions stand for (a pronoun or "the plant" stands for
its antecedent), so one fact of an article may have several candidates; the scorer keeps
the most confident.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Token

from kg.extract.coref import ORG_PRONOUNS, PERSON_PRONOUNS, PLACE_ADVERBS
from kg.extract.entities import TokMention
from kg.extract.places import cannot_contain, named_place, same_rank_apart
from kg.vocab import ONTOLOGY_DIR

SIGNATURES_FILE = ONTOLOGY_DIR / "patterns" / "signatures.json"
#: parts of speech whose lemma is informative on a path or between two mentions
CONTENT_POS = frozenset({"VERB", "NOUN", "ADP", "ADJ", "PROPN", "AUX", "PART", "SCONJ", "CCONJ"})
MAX_GAP = 40          # tokens: pairs further apart in one sentence are rarely stated together


@dataclass(frozen=True)
class Signature:
    domain: frozenset[str]
    range: frozenset[str]
    symmetric: bool = False
    across_sentences: bool = False    # also a candidate between a topic of the article and a mention elsewhere


@lru_cache(maxsize=1)
def signatures() -> dict[str, Signature]:
    """Predicate -> the classes it may link, from the patterns folder."""
    data = json.loads(SIGNATURES_FILE.read_text(encoding="utf-8"))
    groups = data.get("groups", {})

    def expand(names: list[str]) -> frozenset[str]:
        out: set[str] = set()
        for n in names:
            out.update(groups.get(n, [n]))
        return frozenset(out)

    return {p: Signature(expand(s["domain"]), expand(s["range"]), bool(s.get("symmetric")),
                         bool(s.get("across_sentences")))
            for p, s in data["predicates"].items()}


@dataclass
class End:
    """One side of a candidate: a token that stands for a mention (directly or by reference)."""

    mention: int          # index of the mention the token stands for (after coreference)
    tok: int              # head token in the Doc
    start: int
    end: int
    cls: str
    via_reference: bool   # a pronoun, "there" or a definite description pointing back


@dataclass
class Candidate:
    """A possible fact ``s p o`` of one article, with its features."""

    s: int                # mention indices (after coreference)
    p: str
    o: int
    sent: tuple[int, int]  # token offsets of the evidence sentence
    features: list[str] = field(default_factory=list)
    rules: tuple[str, ...] = ()    # rules that proposed exactly this fact
    role: str | None = None

    @property
    def key(self) -> tuple[int, str, int]:
        return (self.s, self.p, self.o)


def _ends(doc: Doc, mentions: list[TokMention], coref: dict[int, int], ent) -> dict[int, list[End]]:
    """Sentence start -> the ends in that sentence: every mention, and every pronoun or place
    adverb that the coreference step ties to a mention."""
    by_sent: dict[int, list[End]] = defaultdict(list)
    sent_of = [0] * len(doc)          # token -> its sentence's first token (Token.sent is slow)
    for sent in doc.sents:
        sent_of[sent.start:sent.end] = [sent.start] * (sent.end - sent.start)
    for idx, m in enumerate(mentions):
        if m.source == "descriptive-plural":
            continue
        j = coref.get(idx, idx)
        head = m.head if 0 <= m.head < len(doc) else m.end - 1
        by_sent[sent_of[head]].append(End(j, head, m.start, m.end, mentions[j].cls, j != idx))
    covered = {i for m in mentions for i in range(m.start, m.end)}
    for tok in doc:
        low = tok.lower_
        if tok.i in covered or low not in PERSON_PRONOUNS | ORG_PRONOUNS | PLACE_ADVERBS:
            continue
        j = ent(tok)
        if j is not None:
            by_sent[sent_of[tok.i]].append(End(j, tok.i, tok.i, tok.i + 1, mentions[j].cls, True))
    return by_sent


def _path(a: Token, b: Token) -> tuple[list[Token], Token, list[Token]] | None:
    """Tokens from ``a`` up to (not including) the lowest common ancestor, the ancestor, and
    the tokens from there down to ``b``."""
    up = [a, *a.ancestors]
    pos = {t.i: k for k, t in enumerate(up)}
    down: list[Token] = []
    t = b
    while t.i not in pos:
        down.append(t)
        if t.head.i == t.i:
            return None
        t = t.head
    return up[:pos[t.i]], t, list(reversed(down))


def _bucket(n: int) -> str:
    for limit in (1, 2, 3, 5, 8, 12, 20):
        if n <= limit:
            return str(limit)
    return "far"


@lru_cache(maxsize=1)
def _categories() -> dict[str, tuple[str, ...]]:
    """Word -> the lexicon families it belongs to (trigger kinds, role titles, unit nouns): features
    that carry from "chairman" to "chairwoman" and from "build" to "construct"."""
    from kg.extract.lexicon import lexicon

    lex = lexicon()
    cats: dict[str, set[str]] = defaultdict(set)
    for kind, words in lex.triggers.items():
        for w in words:
            cats[w].add(kind)
    for group, words in (("role", lex.roles), ("founder", lex.founder_roles), ("unit", lex.org_unit_heads),
                         ("producer", lex.producer_heads)):
        for w in words:
            cats[w].add(group)
    return {w: tuple(sorted(c)) for w, c in cats.items()}


def _cats(tok: Token) -> tuple[str, ...]:
    table = _categories()
    return table.get(tok.lemma_.lower()) or table.get(tok.lower_) or ()


def pair_features(doc: Doc, a: End, b: End, mentions: list[TokMention]) -> list[str]:
    """Features of the ordered pair (subject end ``a``, object end ``b``), before the predicate
    is prefixed."""
    ta, tb = doc[a.tok], doc[b.tok]
    f = [f"cls:{a.cls}>{b.cls}", f"sh:{ta.lemma_.lower()}", f"oh:{tb.lemma_.lower()}",
         "order:so" if a.tok < b.tok else "order:os"]
    if a.via_reference:
        f.append("sref")
    if b.via_reference:
        f.append("oref")
    if mentions[a.mention].descriptive:
        f.append("sdesc")
    if mentions[b.mention].descriptive:
        f.append("odesc")
    if a.start <= b.start and b.end <= a.end or b.start <= a.start and a.end <= b.end:
        f.append("nested")
    lo, hi = (a, b) if a.start < b.start else (b, a)
    gap = max(hi.start - lo.end, 0)
    f.append(f"gap:{_bucket(gap)}")
    if gap <= 12:
        for t in doc[lo.end:hi.start]:
            if t.pos_ in CONTENT_POS or t.text in (",", "'s", "(", "-", "–"):
                f.append(f"btw:{t.lemma_.lower()}")
            f += [f"btwcat:{c}" for c in _cats(t)]
        if gap == 0:
            f.append("adjacent")
    others = sum(1 for m in mentions if lo.end <= m.start and m.end <= hi.start)
    f.append(f"mbtw:{min(others, 3)}")
    for side, end in (("s", a), ("o", b)):
        if end.start > 0:
            f.append(f"{side}prev:{doc[end.start - 1].lower_}")
        if end.end < len(doc):
            f.append(f"{side}next:{doc[end.end].lower_}")
    path = _path(ta, tb)
    if path is None:
        f.append("nopath")
        return f
    up, lca, down = path
    up_deps = ">".join(t.dep_ for t in up)
    down_deps = ">".join(t.dep_ for t in down)
    lca_lemma = lca.lemma_.lower()
    up_words = ">".join(t.lower_ if t.dep_ == "prep" else t.dep_ for t in up)
    down_words = ">".join(t.lower_ if t.dep_ == "prep" else t.dep_ for t in down)
    f += [f"path:{up_deps}|{lca.pos_}|{down_deps}", f"lpath:{up_deps}|{lca_lemma}|{down_deps}",
          f"ppath:{up_words}|{lca.pos_}|{down_words}", f"lca:{lca_lemma}", f"plen:{_bucket(len(up) + len(down))}"]
    f += [f"lcacat:{c}" for c in _cats(lca)]
    if up:
        f.append(f"sdep:{up[0].dep_}")
    if down:
        f.append(f"odep:{down[-1].dep_}")
        if down[-1].dep_ == "pobj":
            f.append(f"oprep:{down[-1].head.lower_}")
    for t in (*up[1:], lca, *down[:-1]):
        if t.i in (ta.i, tb.i):
            continue
        if t.pos_ in CONTENT_POS:
            f.append(f"on:{t.lemma_.lower()}")
        f += [f"oncat:{c}" for c in _cats(t)]
    return f


#: classes whose name places them: "Tianjin Economic-Technological Development Area" is in Tianjin
NAMED_BY_PLACE = ("District", "IndustrialPark", "GovernmentBody")


def _cannot_lie_in(inner: TokMention, outer: TokMention) -> bool:
    """Whether the gazetteer knows ``inner`` is not in ``outer``: by their own places, or by the
    place a zone or a government is named after (the Tianjin zone is in no Beijing, no Suez)."""
    if cannot_contain(inner.ids, outer.ids):
        return True
    if inner.cls in NAMED_BY_PLACE and not inner.ids:
        own = named_place(inner.name)
        return bool(own) and own != outer.ids and (
            cannot_contain(own, outer.ids) or outer.cls == "City" and same_rank_apart(own, outer.ids))
    return False


def find_candidates(doc: Doc, mentions: list[TokMention], finder, proposals: list) -> list[Candidate]:
    """All candidates of one Doc. ``finder`` is the ``MentionIndex`` that holds its coreference,
    ``proposals`` the rule facts (``RawFact``)."""
    sigs = signatures()
    coref = finder.coref
    ends_by_sent = _ends(doc, mentions, coref, finder.ent)
    voted: dict[tuple[int, int], list] = defaultdict(list)     # mention pair -> rule facts on it
    for r in proposals:
        voted[(coref.get(r.s, r.s), coref.get(r.o, r.o))].append(r)
    out: list[Candidate] = []
    seen: set[tuple[int, str, int, int]] = set()

    def emit(a: End, b: End, sent: tuple[int, int], base: list[str]) -> None:
        for p, sig in sigs.items():
            if a.cls not in sig.domain or b.cls not in sig.range:
                continue
            s, o = a.mention, b.mention
            if p == "locatedIn" and _cannot_lie_in(mentions[s], mentions[o]):
                continue    # the gazetteer knows better: Shenzhen is not in Hunan
            if sig.symmetric and s > o:
                s, o = o, s
            if (s, p, o, sent[0]) in seen:
                continue
            seen.add((s, p, o, sent[0]))
            rules = [r for r in voted.get((s, o), []) + (voted.get((o, s), []) if sig.symmetric else [])
                     if r.p == p and r.sent == sent]
            feats = [f"{p}|bias"] + [f"{p}|{x}" for x in base]
            others = {r.p for r in voted.get((s, o), [])} - {p}
            feats += [f"{p}|rule:{r.rule}" for r in rules] + ([f"{p}|rule_any"] if rules else [])
            feats += [f"{p}|other:{q}" for q in sorted(others)]
            role = next((r.role for r in rules if r.role), None)
            out.append(Candidate(s, p, o, sent, feats, tuple(sorted({r.rule for r in rules})), role))

    for sent in doc.sents:
        ends = ends_by_sent.get(sent.start, [])
        span = (sent.start, sent.end)
        for a in ends:
            for b in ends:
                if a.mention == b.mention or abs(a.tok - b.tok) > MAX_GAP:
                    continue
                if mentions[a.mention].name.lower() == mentions[b.mention].name.lower():
                    continue
                if not any(a.cls in sig.domain and b.cls in sig.range for sig in sigs.values()):
                    continue
                emit(a, b, span, pair_features(doc, a, b, mentions))
    # rule facts across sentences (or between ends this step does not see) are candidates too
    for r in proposals:
        s, o = coref.get(r.s, r.s), coref.get(r.o, r.o)
        sig = sigs.get(r.p)
        if sig is None or s == o or mentions[s].cls not in sig.domain or mentions[o].cls not in sig.range:
            continue
        if r.p == "locatedIn" and _cannot_lie_in(mentions[s], mentions[o]):
            continue
        if sig.symmetric and s > o:
            s, o = o, s
        if (s, r.p, o, r.sent[0]) in seen:
            continue
        seen.add((s, r.p, o, r.sent[0]))
        feats = [f"{r.p}|bias", f"{r.p}|unpaired", f"{r.p}|cls:{mentions[s].cls}>{mentions[o].cls}",
                 f"{r.p}|rule:{r.rule}", f"{r.p}|rule_any"]
        out.append(Candidate(s, r.p, o, r.sent, feats, (r.rule,), r.role))
    out += _across_sentences(doc, mentions, ends_by_sent, out, sigs)
    return out


#: of each class, the entities an article mentions most often are its topic: the summit an article
#: is about, the city its plant is in; facts reach them from sentences that do not name them
TOPIC_RANKS = 2


def _across_sentences(doc: Doc, mentions: list[TokMention], ends_by_sent: dict[int, list[End]],
                      found: list[Candidate], sigs: dict[str, Signature]) -> list[Candidate]:
    """Candidates between two entities that no sentence names together, where one of them is a
    topic of the article (among the most mentioned of its class): "the summit opened on Monday
    ... Minister X said", with X a participant of the summit of the headline.

    Their features are the article's, not a sentence's: how often and how early each side is
    mentioned, its rank in its class, how many sentences lie between, the main verb of the
    subject's sentence, and whether either side already has that predicate in a sentence of its
    own (then the fact is usually stated there). The scorer weighs them apart from the
    sentence candidates (their features have their own prefix)."""
    sent_starts = sorted(ends_by_sent)
    if len(sent_starts) < 2:
        return []
    order = {start: k for k, start in enumerate(sent_starts)}
    group_of: dict[int, object] = {}
    sents: dict[object, set[int]] = defaultdict(set)
    count: dict[object, int] = defaultdict(int)
    first: dict[object, int] = {}
    rep: dict[object, int] = {}
    for start in sent_starts:
        for e in ends_by_sent[start]:
            m = mentions[e.mention]
            g = ("#", e.mention) if m.descriptive else (m.cls, m.name.lower())
            group_of[e.mention] = g
            sents[g].add(order[start])
            count[g] += 1
            first.setdefault(g, order[start])
            rep[g] = min(rep.get(g, e.mention), e.mention)
    by_cls: dict[str, list] = defaultdict(list)
    for g, j in rep.items():
        by_cls[mentions[j].cls].append(g)
    rank: dict[object, int] = {}
    for gs in by_cls.values():
        for k, g in enumerate(sorted(gs, key=lambda g: (-count[g], first[g]))):
            rank[g] = k
    only = {gs[0] for gs in by_cls.values() if len(gs) == 1}
    bound_s = {(group_of.get(c.s), c.p) for c in found}
    bound_o = {(c.p, group_of.get(c.o)) for c in found}
    sent_spans = {order[s.start]: (s.start, s.end) for s in doc.sents if s.start in order}
    roots = {k: doc[span[0]:span[1]].root for k, span in sent_spans.items()}
    out: list[Candidate] = []
    groups = sorted(rep, key=lambda g: rep[g])
    for ga in groups:
        a = mentions[rep[ga]]
        for gb in groups:
            if ga == gb or min(rank[ga], rank[gb]) >= TOPIC_RANKS or sents[ga] & sents[gb]:
                continue
            b = mentions[rep[gb]]
            preds = [p for p, sig in sigs.items() if sig.across_sentences and a.cls in sig.domain and b.cls in sig.range
                     and not (sig.symmetric and rep[ga] > rep[gb])]
            if not preds:
                continue
            if "locatedIn" in preds and _cannot_lie_in(a, b):
                preds.remove("locatedIn")
            # the subject's sentence nearest to the object: the evidence
            dist, k = min((min(abs(x - y) for y in sents[gb]), x) for x in sents[ga])
            root = roots.get(k)
            base = [f"cls:{a.cls}>{b.cls}", f"srank:{min(rank[ga], 2)}", f"orank:{min(rank[gb], 2)}",
                    f"scount:{_bucket(count[ga])}", f"ocount:{_bucket(count[gb])}", f"dist:{_bucket(dist)}",
                    f"sh:{doc[a.head].lemma_.lower()}", f"oh:{doc[b.head].lemma_.lower()}"]
            base += [x for x, on in (("sonly", ga in only), ("oonly", gb in only), ("sfirst", first[ga] <= 1),
                                     ("ofirst", first[gb] <= 1), ("sdesc", a.descriptive),
                                     ("odesc", b.descriptive)) if on]
            if root is not None:
                base.append(f"root:{root.lemma_.lower()}")
                base += [f"rootcat:{c}" for c in _cats(root)]
            for p in preds:
                feats = [f"{p}|x|bias"] + [f"{p}|x|{f}" for f in base]
                if (ga, p) in bound_s:
                    feats.append(f"{p}|x|sbound")
                if (p, gb) in bound_o:
                    feats.append(f"{p}|x|obound")
                out.append(Candidate(rep[ga], p, rep[gb], sent_spans[k], feats))
    return out

