"""Which mention a word stands for: the index of mentions, and a conservative coreference.

"the company", "the center", "the province" point to the nearest earlier
compatible mention (a same-head one first, "the forum" -> "the Internet
Economic Forum"); "he" / "she" to the nearest person; "it" / "its" to the
sentence's place subject or the nearest named organisation; "there" to the
nearest place named as a place; "Xu" to the earlier "Xu Shaochun"; "X, also
known as Y" and "Another business in Guizhou is FAST" make one thing of two
names. ``MentionIndex.ent`` answers all of these for a token; the relation
rules ask it rather than reading mentions directly.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from kg.extract.entities import TokMention, _appositions
from kg.extract.lexicon import Lexicon, lexicon, words
from kg.vocab import ORG_CLASSES, PLACE_CLASSES

PLACE_LIKE = PLACE_CLASSES | {"IndustrialPark"}
AGENTS = ORG_CLASSES | {"Person"}
RANK = {"District": 0, "IndustrialPark": 0, "City": 1, "Province": 2, "Country": 3}
TIME_WORDS = words("time_words")
PERSON_PRONOUNS = words("person_pronouns")
ORG_PRONOUNS = words("org_pronouns")
PLURAL_PRONOUNS = words("plural_pronouns")
PLACE_ADVERBS = words("place_adverbs")
LOC_PREPS = words("location_prepositions")
LEVEL_WORDS = words("government_levels")
PLACE_NOUNS = words("place_nouns")


def same_family(a: str, b: str) -> bool:
    """Could two classes name one thing? (organisations with organisations, and so on)"""
    return a == b or (a in ORG_CLASSES and b in ORG_CLASSES) or {a, b} <= {"IndustrialPark", "District"}


class MentionIndex:
    """Mentions of one Doc by token, with coreference and argument helpers."""

    def __init__(self, doc: Doc, mentions: list[TokMention], lex: Lexicon | None = None) -> None:
        self.doc = doc
        self.m = mentions
        self.lex = lex or lexicon()
        self.by_head: dict[int, int] = {}
        self.by_tok: dict[int, int] = {}
        for idx, m in enumerate(mentions):
            self.by_head.setdefault(m.head, idx)
            for i in range(m.start, m.end):
                # named mentions win over descriptive ones that contain them
                if i not in self.by_tok or (mentions[self.by_tok[i]].descriptive and not m.descriptive):
                    self.by_tok[i] = idx
        for idx, m in enumerate(mentions):
            self.by_tok[m.head] = self.by_head.get(m.head, idx)
        self.sent_starts = [sent.start for sent in doc.sents]
        self.coref: dict[int, int] = {}
        self._copular()
        self._also_known_as()
        self._corefer()
        self._compress()

    def _compress(self) -> None:
        """Follow chains ("the Canton Fair" -> "Canton Fair" -> "China Import and Export Fair") to their end."""
        for idx in list(self.coref):
            seen = {idx}
            j = self.coref[idx]
            while j in self.coref and self.coref[j] not in seen:
                seen.add(j)
                j = self.coref[j]
            self.coref[idx] = j

    # ------------------------------------------------------------------ coreference
    def _corefer(self) -> None:
        """References ("the company", "the center") point to the nearest earlier compatible mention."""
        full: dict[str, int] = {}
        for idx, m in enumerate(self.m):
            words = m.name.split()
            if m.cls == "Person" and len(words) >= 2:
                full[words[0]] = idx        # "Wang" after "Wang Chuanfu"
                full.setdefault(words[-1], idx)     # "Samuelsson" after "Hakan Samuelsson"
            elif m.cls in ("Person", "Company") and len(words) == 1 and words[0] in full and not m.descriptive:
                self.coref[idx] = full[words[0]]       # "Xu" after "Xu Shaochun"
        heads: dict[tuple[str, str], int] = {}
        editions: dict[str, int] = {}
        for idx, m in enumerate(self.m):
            if m.descriptive or m.cls in ("Person", "Sector") or m.cls in PLACE_CLASSES:
                continue
            words = m.name.split()
            if m.cls == "Event":
                # "the 9th China-South Asia Expo" ... "the China-South Asia Expo": one event
                bare = " ".join(w for w in words if not re.fullmatch(r"\d+(st|nd|rd|th)?|(19|20)\d\d", w.lower())).lower()
                if bare in editions and idx not in self.coref and editions[bare] != idx:
                    self.coref[idx] = editions[bare]
                    continue
                editions.setdefault(bare, idx)
            if len(words) == 1 and (m.cls, words[0].lower()) in heads and idx not in self.coref:
                self.coref[idx] = heads[(m.cls, words[0].lower())]     # "the Congress" after "the 19th National Congress"
            elif len(words) > 1:
                heads[(m.cls, words[-1].lower())] = idx
        for idx, m in enumerate(self.m):
            if not m.descriptive:
                continue
            tok = self.doc[m.head]
            det = {c.text.lower() for c in tok.children if c.dep_ in ("det", "poss")}
            # "this year's event": a time possessive makes the phrase as definite as "the event"
            if any(c.dep_ == "poss" and c.lemma_.lower() in TIME_WORDS for c in tok.children):
                det.add("the")
            if m.source == "descriptive-reference" or (det & {"the", "this", "that"} and m.owner is None
                                                       and not any(c.dep_ == "prep" and c.text.lower() in ("of", "for")
                                                                   for c in tok.rights)):
                ante = self._antecedent(m.start, self.lex.reference_nouns.get(tok.lemma_.lower(), {m.cls}), head_lemma=tok.lemma_.lower(),
                                        exclude=idx)
                # "the Henan provincial government" or "the federal government" after "the Quebec
                # government" is another one: what tells it apart must be in the antecedent's name
                mods = {c.lower_ for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod") and c.is_alpha
                        and (c.pos_ == "PROPN" or c.ent_type_ in ("GPE", "NORP", "LOC") or c.lower_ in LEVEL_WORDS)}
                if ante is not None and mods - set(self.m[ante].name.lower().split()):
                    ante = None
                # "the Weichai-Ballard joint venture" is neither Weichai nor Ballard but what they made
                if ante is not None and tok.lemma_.lower() == "venture" and any(
                        c.pos_ == "PROPN" and c.dep_ in ("compound", "nmod", "amod") for c in tok.lefts):
                    ante = None
                # "the Moroccan government" is not the Moroccan investment agency named before it:
                # a government refers back only to a government
                if ante is not None and tok.lemma_.lower() == "government" \
                        and "government" not in self.m[ante].name.lower():
                    ante = None
                if ante is not None:
                    self.coref[idx] = ante
        self._own_organisation()

    def _own_organisation(self) -> None:
        """"his conglomerate" after "Gautam Adani, chairman of the Adani Group": the company
        a person's role was given as, in apposition to the person's name."""
        for idx, m in enumerate(self.m):
            if not m.descriptive or m.cls not in ("Company", "Organization") or idx in self.coref:
                continue
            poss = next((c for c in self.doc[m.head].children if c.dep_ == "poss" and c.lower_ in ("his", "her")), None)
            if poss is None:
                continue
            person = self._antecedent(poss.i, {"Person"}, max_sents=1)
            if person is None:
                continue
            employers = [self.by_tok.get(obj.i) for role in _appositions(self.doc[self.m[person].head])
                         for prep in role.children if prep.dep_ == "prep" and prep.lower_ in ("of", "at")
                         for obj in prep.children if obj.dep_ == "pobj"]
            employers = [j for j in employers if j is not None and self.m[j].cls in ("Company", "Organization")]
            if len(employers) == 1:
                self.coref[idx] = employers[0]

    def _also_known_as(self) -> None:
        """"the China Import and Export Fair, also known as the Canton Fair": one thing, two names."""
        for tok in self.doc:
            if tok.lemma_.lower() not in ("know", "call", "dub", "name") or tok.dep_ not in ("acl", "advcl", "relcl", "appos"):
                continue
            named = self.by_head.get(tok.head.i)
            for pr in tok.children:
                if pr.dep_ == "prep" and pr.text.lower() == "as":
                    for p in pr.children:
                        alias = self.by_head.get(p.i)
                        if named is not None and alias is not None and alias != named \
                                and self.m[alias].cls not in PLACE_CLASSES | {"Person", "Sector"} \
                                and same_family(self.m[alias].cls, self.m[named].cls):
                            self.coref[alias] = named

    def _copular(self) -> None:
        """"Another high-profile business in Guizhou is FAST": the description is the named thing."""
        for tok in self.doc:
            if tok.lemma_ != "be":
                continue
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            attr = [c for c in tok.children if c.dep_ == "attr"]
            if not subj or not attr:
                continue
            a, b = self.by_head.get(subj[0].i), self.by_head.get(attr[0].i)
            if a is None or b is None:
                continue
            ma, mb = self.m[a], self.m[b]
            if ma.descriptive and not mb.descriptive and ma.source != "descriptive-plural":
                self.coref[a] = b
            elif mb.descriptive and not ma.descriptive and mb.source != "descriptive-plural" and mb.owner is None:
                self.coref[b] = a

    def _last_pair(self, before_tok: int, max_sents: int = 3) -> int | None:
        """The first of the last organisations named together ("Stellantis and Samsung SDI") in the
        sentences before ``before_tok``: what "the two partners" / "they" stand for."""
        cur = self.doc[before_tok].sent.start
        allowed = [s for s in self.sent_starts if s <= cur][-max_sents:]
        lo = allowed[0] if allowed else 0
        best = None
        for idx, m in enumerate(self.m):
            if m.descriptive or m.cls not in ORG_CLASSES or not lo <= m.start or m.end > before_tok:
                continue
            head = self.doc[m.head if m.head >= 0 else m.end - 1]
            if any(c.dep_ == "conj" and (j := self.by_head.get(c.i)) is not None and self.m[j].cls in ORG_CLASSES
                   for c in head.children):
                best = idx
        return self.coref.get(best, best) if best is not None else None

    def _antecedent(self, before_tok: int, classes: set[str], head_lemma: str | None = None,
                    exclude: int | None = None, max_sents: int = 4, named_only: bool = False,
                    skip_modifiers: bool = False) -> int | None:
        cur = self.doc[before_tok].sent.start
        allowed = [s for s in self.sent_starts if s <= cur][-max_sents:]
        lo = allowed[0] if allowed else 0
        best = same_head = None
        generic = head_lemma in (None, "company", "firm", "group", "giant", "enterprise", "business", "provider",
                                 "operator", "province", "city", "country", "region", "event", "facility",
                                 "project", "installation", "setup", "area", "zone")
        for idx, m in enumerate(self.m):
            if idx == exclude or m.end > before_tok:
                continue
            if m.cls not in classes:
                continue
            if m.source == "descriptive-plural" or (named_only and m.descriptive
                                                    and m.source != "descriptive-reference"):
                continue
            if skip_modifiers and self.doc[m.start:m.end].root.dep_ in ("poss", "compound", "amod", "nmod", "npadvmod"):
                continue
            if m.source == "descriptive-reference":
                if idx in self.coref and self.m[self.coref[idx]].cls in classes and m.start >= lo:
                    best = idx      # "the company" stands for what it refers to
                continue
            if head_lemma and self.doc[m.head].lemma_.lower() == head_lemma and not generic:
                same_head = idx     # "the forum" -> "the Internet Economic Forum", however far back
            if m.start < lo:
                continue
            if m.descriptive and "Facility" in classes and head_lemma and self.doc[m.head].lemma_.lower() != head_lemma \
                    and not generic:
                continue
            best = idx
        if same_head is not None:
            best = same_head
        if best is not None:
            return self.coref.get(best, best)
        return None

    def ent(self, tok: Token | None) -> int | None:
        """The mention a token stands for, following coreference and pronouns."""
        if tok is None:
            return None
        idx = self.by_head.get(tok.i)
        if idx is None and tok.i in self.by_tok:
            cand = self.by_tok[tok.i]
            if not self.m[cand].descriptive:
                idx = cand
        if idx is None and tok.pos_ == "NOUN" and tok.i + 1 < len(self.doc):
            # "the Indian subsidiary Maruti Suzuki India would build": a common noun with the name
            # right after it in apposition stands for the name
            nxt = self.by_tok.get(tok.i + 1)
            if nxt is not None and not self.m[nxt].descriptive and self.m[nxt].start == tok.i + 1 and any(
                    c.dep_ == "appos" and self.by_tok.get(c.i) == nxt for c in tok.children):
                idx = nxt
        if idx is not None:
            if self.m[idx].source == "descriptive-plural":
                return None
            return self.coref.get(idx, idx)
        low = tok.text.lower()
        if low in PERSON_PRONOUNS:
            return self._antecedent(tok.i, {"Person"})
        if low in PLURAL_PRONOUNS and tok.dep_ in ("nsubj", "nsubjpass", "poss"):
            # "Tata Motors and Ford said they would invest": the coordinated organisations that speak
            verb = self.verb_of(tok)
            said = verb.head if verb is not None and verb.dep_ == "ccomp" else None
            speakers = [c for c in (said.children if said is not None else ()) if c.dep_ in ("nsubj", "nsubjpass")]
            for s in speakers:
                e = self.ent(s)
                if e is not None and self.cls(e) in ORG_CLASSES and any(c.dep_ == "conj" for c in s.children):
                    return e
            if speakers and speakers[0].tag_ == "NNS" and self.ent(speakers[0]) is None:
                # "The two partners said that they would invest": the organisations last named together
                return self._last_pair(tok.i)
            return None
        if low in ORG_PRONOUNS:
            speaker = self._speaker(tok)
            if speaker is not None:
                return speaker      # "Tencent Cloud, the cloud unit of Tencent Holdings, said it would ..."
            same = [i for i, m in enumerate(self.m) if m.cls in ORG_CLASSES and not m.descriptive
                    and tok.sent.start <= m.start and m.end <= tok.i]
            if same and low == "it":
                return self.coref.get(same[-1], same[-1])   # "Aurion announced that it will ..."
            if tok.dep_ in ("nsubj", "nsubjpass"):
                # "It has become ...": the subject before is what the text is about
                prev = self._previous_subject(tok)
                if prev is not None and self.cls(prev) in ORG_CLASSES | PLACE_LIKE:
                    return prev
            root = tok.sent.root
            for s in (c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < tok.i):
                e = self.ent(s)
                if e is not None and self.cls(e) in {"Province", "City", "District", "IndustrialPark"}:
                    return e    # "Jilin province now has ..., showcasing its strength"
            return self._antecedent(tok.i, ORG_CLASSES, max_sents=2, named_only=True) \
                or self._antecedent(tok.i, ORG_CLASSES, max_sents=2)
        if low in PLACE_ADVERBS and tok.pos_ == "ADV":
            # "there" points back to a place named as a place, not to a modifier ("China's operators")
            return self._antecedent(tok.i, PLACE_LIKE, max_sents=3, skip_modifiers=True)
        if tok.pos_ in ("NOUN", "PROPN", "ADJ") and low in self.lex.reference_nouns and any(c.text.lower() in ("the", "this", "its", "that")
                                                                   for c in tok.children):
            classes = self.lex.reference_nouns[low]
            # "the city" is a city named as a place, not the "Shanghai" of "a Shanghai-based firm"
            if classes & PLACE_LIKE:
                # places stay the topic for longer than companies do: look further back
                found = self._antecedent(tok.i, classes, head_lemma=low, skip_modifiers=True, max_sents=8)
                if found is not None:
                    return found
            return self._antecedent(tok.i, classes, head_lemma=low)
        return None

    def _speaker(self, tok: Token) -> int | None:
        """The named organisation that says the clause a singular pronoun is in: the subject of
        the verb of saying, not a name in that subject's apposition."""
        if tok.lower_ not in ("it", "its") or tok.dep_ not in ("nsubj", "nsubjpass", "poss"):
            return None
        verb = self.verb_of(tok)
        while verb is not None and verb.dep_ in ("xcomp", "conj") and verb.head.i != verb.i:
            verb = verb.head
        if verb is None or verb.dep_ != "ccomp" or verb.head.i > tok.i:
            return None
        for s in (c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")):
            e = self.ent(s)
            if e is not None and self.cls(e) in ORG_CLASSES and not self.m[e].descriptive \
                    and not any(c.dep_ == "conj" for c in s.children):
                return e
        return None

    def _previous_subject(self, tok: Token) -> int | None:
        """The entity that is the main subject of the sentence before ``tok``'s."""
        starts = [st for st in self.sent_starts if st < tok.sent.start]
        if not starts:
            return None
        sent = self.doc[starts[-1]].sent
        for s in (c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")):
            e = self.ent(s)
            if e is not None:
                return e
        return None

    def cls(self, idx: int | None) -> str | None:
        return self.m[idx].cls if idx is not None else None

    def expand(self, tok: Token) -> list[Token]:
        """A token and its coordinated / "including" / appositive list members; "the city of
        Panjin" stands for Panjin."""
        if tok.lemma_.lower() in PLACE_NOUNS and tok.i not in self.by_head:
            named = [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                     for p in c.children if p.dep_ == "pobj" and self.ent(p) is not None
                     and self.m[self.ent(p)].cls in PLACE_CLASSES]
            if named:
                tok = named[0]
        out = [tok]
        # "founded by the Authority of the X Zone, the Y Federation and the Z Federation": the list
        # may hang on a word inside the first name, past its "of"
        idx = self.by_head.get(tok.i)
        if idx is not None and self.m[idx].end - self.m[idx].start > 2:
            m = self.m[idx]
            for t in self.doc[m.start:m.end]:
                if t.i != tok.i:
                    out.extend(x for c in t.children if c.dep_ in ("conj", "appos") and not m.start <= c.i < m.end
                               for x in self.expand(c))
        for c in tok.children:
            if c.dep_ == "conj":
                out.extend(self.expand(c))
            elif c.dep_ == "prep" and c.text.lower() in ("including", "like", "as") or (
                    c.dep_ == "amod" and c.text.lower() == "such"):
                # every named thing in the list, whatever shape the parse gave it
                out.extend(t for t in c.subtree if t.i in self.by_head and t.i != tok.i)
            elif c.dep_ == "appos" and (c.i in self.by_head or c.i in self.by_tok):
                out.extend(self.expand(c))
            elif c.dep_ == "appos":
                # "Wang Gebing, Party secretary of Qinzhou, Huang Haikun, then the city's mayor, and
                # Liu Xunfeng": the list runs on through the titles between its names
                out.extend(t for g in c.children if g.dep_ in ("conj", "appos") for t in self.expand(g))
        return out

    def ents(self, tok: Token, classes: set[str] | frozenset[str]) -> list[int]:
        out = []
        members = self.expand(tok)
        if tok.tag_ == "NNS" and self.ent(tok) is None and any(
                c.dep_ == "appos" or (c.dep_ == "prep" and c.text.lower() in ("including", "like"))
                for c in tok.children):
            # "18,000 companies, including optical fiber maker YOFC, display panel producer CSOT and ...":
            # the members hang anywhere under the plural noun
            members += [t for t in tok.subtree if t.i in self.by_head and t.i != tok.i]
        for t in members:
            idx = self.ent(t)
            if idx is not None and self.m[idx].cls in classes and idx not in out:
                out.append(idx)
        return out

    def subjects(self, verb: Token) -> list[Token]:
        """Subjects of a verb, inherited through xcomp / conj / advcl / acl chains."""
        v = verb
        for _ in range(6):
            subs = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subs:
                if subs[0].dep_ == "nsubjpass":
                    agents = [g for c in v.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
                    if agents:
                        return agents
                if subs[0].tag_ in ("WDT", "WP") and v.dep_ == "relcl":
                    head = v.head
                    if head.dep_ == "appos" and self.ent(head) is None and self.ent(head.head) is not None:
                        head = head.head    # "X, SABIC's chief executive, who attended": X
                    return [head]
                return subs
            if v.dep_ in ("xcomp", "pcomp"):
                # object control: "assisted China Southern Power Grid in establishing", "helped Apple build"
                gov = v.head.head if v.dep_ == "pcomp" else v.head
                objs = [c for c in gov.children if c.dep_ == "dobj" and (c.i in self.by_head or c.i in self.by_tok)]
                if objs and gov.pos_ == "VERB":
                    return objs
            # (through "acomp" too: "it was glad to be working with Intel")
            if v.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acl", "ccomp", "prep", "pobj", "attr", "relcl", "dobj",
                          "acomp"):
                if v.dep_ == "relcl" and (v.head.i in self.by_head or v.head.i in self.by_tok):
                    return [v.head]
                v = v.head
                continue
            break
        return []

    def verb_of(self, tok: Token) -> Token | None:
        t = tok
        for _ in range(6):
            if t.pos_ in ("VERB", "AUX"):
                return t
            if t.head is t:
                return None
            t = t.head
        return None

    def lemma(self, tok: Token) -> str:
        """The lemma, mended where the tagger took a participle for an adjective ("hosted" -> "host"),
        with its particle or next word where the two are a trigger phrase ("set up", "take part")."""
        lemma = tok.lemma_.lower()
        phrases = self.lex.trigger_phrases
        for c in tok.children:
            if c.dep_ in ("prt", "dobj", "prep") and f"{lemma} {c.lower_}" in phrases:
                return f"{lemma} {c.lower_}"
        if lemma == tok.text.lower() and lemma.endswith("ed"):
            known = set().union(*self.lex.triggers.values())
            for cand in (lemma[:-1], lemma[:-2], lemma[:-3]):
                if cand in known:
                    return cand
        return lemma

    # ------------------------------------------------------------------ rules

    def _is_reference(self, idx: int) -> bool:
        return self.m[idx].source == "descriptive-reference"
