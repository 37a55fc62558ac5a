"""Mentions of one Doc -> facts, by dependency patterns and trigger lexicons.

Every rule is linguistic: an apposition with a role noun ("X, CEO of Y"), a
possessive ("Y's data center"), a trigger verb with its subject and object
("Y opened a center in Z"), a preposition on a noun ("a center in Z"),
coordination and "including" lists (one fact per member), and a small
coreference for "the company", "the province", "he", "its" and "there".
Each fact carries the name of the rule that made it and a confidence.
Which mention a word stands for (coreference included) is ``coref.MentionIndex``'s job.
"""
from __future__ import annotations

from bisect import bisect_right

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from spacy.tokens import Doc, Token

from kg.extract.coref import AGENTS, LOC_PREPS, PLACE_ADVERBS, PLACE_LIKE, RANK, MentionIndex
from kg.extract.entities import ADMIN_UNITS, TokMention, is_role_noun
from kg.extract.lexicon import Lexicon, words
from kg.extract.places import containing, lookup, place_code, same_rank_apart
from kg.vocab import ONTOLOGY_DIR, ORG_CLASSES, PLACE_CLASSES

#: what is where its name says: a place inside the name of one of these is where it is
PLACE_NAMED = frozenset({"GovernmentBody", "IndustrialPark", "Incubator", "ResearchInstitution", "Event"})

#: things an organisation has in a place ("has plants in Germany")
FACILITY_PLURALS = words("facility_plurals")
#: "in partnership / cooperation / collaboration with X"
COOPERATION_NOUNS = words("cooperation_nouns")
AGREEMENT_VERBS = words("agreement_verbs")
GOVERNMENT_TITLES = words("government_titles")
LEVEL_WORDS = words("government_levels")

#: people and organisations an event "includes"
PARTICIPANT_NOUNS = words("participant_nouns")
#: "three shareholders, Airbus, AVIC and ...", "two of the backers"
CO_OWNER_NOUNS = words("co_owner_nouns")


@dataclass
class Clause:
    """The arguments of one verb, with lists, passives and "there" resolved to mention indexes."""

    verb: Token
    lemma: str
    passive: bool
    subs: list[Token]           # subject tokens (the agent of a passive)
    sub_ents: list[int]         # their mentions, list members included
    dobjs: list[Token]          # objects (the patient of a passive)
    obj_ents: list[int]
    direct_objs: set[int]       # objects of the verb itself, not of a gerund under it
    preps: list[Token]
    places: list[int]           # where: "in / at / there"
    agents: list[int]           # subjects that can act: organisations and people
    adverb_places: set[int]     # places given by "there" / "here"


@dataclass
class RawFact:
    s: int
    p: str
    o: int
    rule: str
    conf: float
    sent: tuple[int, int]       # token offsets of the sentence
    role: str | None = None


@dataclass(frozen=True)
class Family:
    """A rule family: a named method of ``RelationFinder`` run on every mention, every token or
    once per document (``scope``), where its guard ``when`` holds. Families run in the order
    ``ontology/patterns/families.json`` lists them; one left out of the list does not run."""

    name: str
    scope: str                  # "mention" | "token" | "document"
    method: Callable
    when: Callable | None = None


#: every rule family, by name
FAMILIES: dict[str, Family] = {}
FAMILIES_FILE = ONTOLOGY_DIR / "patterns" / "families.json"


def rule_family(name: str, scope: str, when: Callable | None = None) -> Callable:
    """Register a ``RelationFinder`` method as the rule family ``name``."""
    if scope not in ("mention", "token", "document"):
        raise ValueError(f"rule family {name!r}: scope must be mention, token or document, not {scope!r}")

    def register(method: Callable) -> Callable:
        if name in FAMILIES:
            raise ValueError(f"rule family {name!r} is registered twice")
        FAMILIES[name] = Family(name, scope, method, when)
        return method
    return register


@lru_cache(maxsize=1)
def family_order() -> dict[str, tuple[Family, ...]]:
    """The families to run, per scope, in the order ``families.json`` gives."""
    data = json.loads(FAMILIES_FILE.read_text(encoding="utf-8"))
    out: dict[str, tuple[Family, ...]] = {}
    for scope in ("mention", "token", "document"):
        names = data.get(scope, [])
        unknown = [n for n in names if n not in FAMILIES or FAMILIES[n].scope != scope]
        if unknown:
            raise ValueError(f"{FAMILIES_FILE}: no {scope} rule family named {', '.join(map(repr, unknown))}; "
                             f"the {scope} families are {', '.join(sorted(n for n, f in FAMILIES.items() if f.scope == scope))}")
        out[scope] = tuple(FAMILIES[n] for n in names)
    return out


FRONTED_LOCATION_VERBS = words("fronted_location_verbs")
JOINT_ACTION_VERBS = words("joint_action_verbs")
SAME_COMPANY_WORDS = words("same_company_words")
UNIT_REGION_WORDS = words("unit_region_words")
DISTRICT_NAME_WORDS = words("district_name_words")
BOARD_WORDS = words("board_words")
SUPPLIER_NOUNS = words("supplier_nouns")


def _not_plural(finder: "RelationFinder", m: TokMention) -> bool:
    return m.source != "descriptive-plural"


def _base_place(name: str) -> str:
    """A place name without its unit word: "Kumamoto Prefecture" and "Kumamoto" are one place."""
    words = name.lower().split()
    return " ".join(w for w in words if w not in ADMIN_UNITS | {"city", "province", "state"}) or name.lower()


class RelationFinder(MentionIndex):
    """Applies every relation rule to one Doc and its mentions."""

    def __init__(self, doc: Doc, mentions: list[TokMention], lex: Lexicon | None = None) -> None:
        super().__init__(doc, mentions, lex)
        self.facts: list[RawFact] = []
        self._doc_sector_matches: list | None = None

    def add(self, s: int | None, p: str, o: int | None, rule: str, conf: float, tok: Token,
            role: str | None = None) -> None:
        if s is None or o is None or s == o:
            return
        if self.m[s].name.lower() == self.m[o].name.lower() and self.m[s].cls == self.m[o].cls:
            return
        if p == "locatedIn" and _base_place(self.m[s].name) == _base_place(self.m[o].name):
            return      # "Chengalpattu district" in "Chengalpattu": one place named twice, not a chain
        sent = tok.sent
        self.facts.append(RawFact(s, p, o, rule, conf, (sent.start, sent.end), role))

    # ------------------------------------------------------------------ helpers
    def _list_opening(self, after: Token, openers: tuple[str, ...]) -> Token | None:
        """The token a list of examples starts after, later in ``after``'s sentence: the pronoun
        of "among them" / "among those", or "including" / "like" where those are openers."""
        for t in after.sent:
            if t.i <= after.i:
                continue
            if t.lower_ == "among" and "among" in openers and t.i + 1 < len(self.doc) \
                    and t.nbor(1).lower_ in ("them", "those", "whom"):
                return t.nbor(1)
            if t.lower_ in openers and t.lower_ != "among":
                return t
        return None

    def _listed(self, after: Token, classes: set[str] | frozenset[str]) -> list[int]:
        """The mentions of ``classes`` named in the list that follows ``after`` to the end of its clause, read
        from the surface: a list of titled names ("President X, Coordinating Minister for Y Z,
        Hyundai Motor Co President W") is where the parser most often breaks the chain of
        conjuncts. The list ends where another clause begins: at its verb, a relative pronoun, a
        subordinating conjunction ("while"), "but" or a semicolon."""
        out: list[int] = []
        for t in after.sent:
            if t.i <= after.i:
                continue
            if t.text in (";", ":") or t.tag_ in ("WP", "WDT") or t.pos_ == "SCONJ" or t.lower_ == "but" or (
                    t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound", "acl")):
                break
            idx = self.by_tok.get(t.i)
            if idx is not None:
                idx = self.coref.get(idx, idx)
                if self.m[idx].cls in classes and idx not in out:
                    out.append(idx)
        return out

    def run(self) -> list[RawFact]:
        self._run_rules()
        if self._person_owned_references():
            self.facts = []
            self._run_rules()
        return self.facts

    def _person_owned_references(self) -> bool:
        """"Xu's company", "his company": the organisation that person works for or founded."""
        changed = False
        for idx, m in enumerate(self.m):
            if m.source != "descriptive-reference" or idx in self.coref:
                continue
            tok = self.doc[m.head]
            poss = [c for c in tok.children if c.dep_ == "poss"]
            if not poss:
                continue
            person = self.ent(poss[0])
            if person is None or self.cls(person) != "Person":
                continue
            orgs = [f.o for f in self.facts if f.s == person and f.p in ("worksFor", "founded")
                    and self.cls(f.o) in ORG_CLASSES and f.o != idx and self.m[f.o].start < m.start]
            if orgs:
                self.coref[idx] = self.coref.get(orgs[-1], orgs[-1])
                changed = True
        return changed

    def _run_rules(self) -> None:
        order = family_order()
        for idx, m in enumerate(list(self.m)):
            canon = self.coref.get(idx, idx)
            if canon != idx:
                if m.descriptive:
                    continue
                idx = canon         # "Xu" -> "Xu Shaochun": the rules see the full name
            tok = self.doc[m.head]
            for fam in order["mention"]:
                if fam.when is None or fam.when(self, m):
                    fam.method(self, idx, tok)
        for tok in self.doc:
            for fam in order["token"]:
                if fam.when is None or fam.when(self, tok):
                    fam.method(self, tok)
        for fam in order["document"]:
            fam.method(self)

    def _role_text(self, role: Token) -> str:
        parts = [t for t in role.subtree if t.i <= role.i and t.dep_ in ("compound", "amod") or t.i == role.i]
        return " ".join(t.text for t in sorted(parts, key=lambda t: t.i))

    def _is_role(self, tok: Token) -> bool:
        return is_role_noun(tok, self.lex.roles)

    def _role_phrase(self, role: Token) -> list[Token]:
        """The tokens of a role phrase, without the list members and clauses that follow it: in
        "Cai Weiwen, a director of X, who also sits on ..., and Zheng Qilong, general manager of
        Y", Cai's role ends before "who" and before Zheng."""
        out: list[Token] = []
        stack = [role]
        while stack:
            t = stack.pop()
            out.append(t)
            for c in t.children:
                if c.dep_ in ("relcl", "acl", "advcl", "ccomp") or (
                        c.dep_ in ("conj", "appos") and self.ent(c) is not None and self.cls(self.ent(c)) == "Person"):
                    continue
                stack.append(c)
        return sorted(out, key=lambda t: t.i)

    def _orgs_under(self, role: Token) -> list[int]:
        """Organisations a role noun is "of" / "at" / "from": the nearest one (in "secretary of
        the X Committee of the Communist Party of China" the committee, whose full name the
        party is part of), and units of them ("head of its China business")."""
        out = []
        for t in self._role_phrase(role):
            if t.dep_ == "prep" and t.text.lower() in ("of", "at", "from", "with", "in") and t.head.i != t.i:
                h = t.head
                if not (self._is_role(h) or h.i in self.by_head or h.dep_ == "conj" and self._is_role(h.head)
                        or self.ent(h) is not None):
                    continue
                if t.lower_ == "of" and (e := self.ent(h)) is not None and self.m[e].full_text \
                        and self.cls(e) in ORG_CLASSES:
                    continue    # "of the Communist Party of China" after a committee: part of its name
                for p in t.children:
                    if p.dep_ == "pobj":
                        for idx in self.ents(p, ORG_CLASSES):
                            if idx not in out:
                                out.append(idx)
        # "Progetto CMR, a consultancy whose head, Massimo Roj, said": the organisation "whose" stands for
        if any(t.lower_ == "whose" for t in role.children):
            n = role
            for _ in range(3):      # up through the clause or apposition "whose" opens
                if n.dep_ not in ("relcl", "appos", "nsubj") or n.head.i == n.i:
                    break
                n = n.head
                e = self.ent(n) if n.pos_ in ("NOUN", "PROPN") else None
                if e is not None and self.cls(e) in ORG_CLASSES:
                    if e not in out:
                        out.append(e)
                    break
                if n.dep_ == "appos" and (e := self.ent(n.head)) is not None and self.cls(e) in ORG_CLASSES:
                    if e not in out:
                        out.append(e)
                    break
        for t in role.children:
            # "the Geely boss": the tagger may call the name an adjective
            if t.dep_ in ("poss", "compound", "amod") and (idx := self.ent(t)) is not None and self.cls(idx) in ORG_CLASSES:
                out.append(idx)
        if not out:
            # "LG Energy Solution's then chief executive" parsed with the owner under a conjunct:
            # an organisation marked "'s" before the role, within its phrase
            for t in role.lefts:
                for x in t.subtree:
                    if any(c.dep_ == "case" for c in x.children) and (idx := self.ent(x)) is not None \
                            and self.cls(idx) in ORG_CLASSES and idx not in out:
                        out.append(idx)
        for t in self._role_phrase(role):
            # "member of the BMW AG board": the board is the company's
            if t.dep_ == "pobj" and t.lemma_.lower() in BOARD_WORDS and t.head.head.i == role.i:
                out += [idx for c in t.children if c.dep_ in ("compound", "poss")
                        and (idx := self.ent(c)) is not None and self.cls(idx) in ORG_CLASSES and idx not in out]
        # the party in "X Committee of the Communist Party of China" is part of the committee's name
        return [e for e in out if not any(self.m[u].full_end > 0 and self.m[u].end <= self.m[e].start
                                          and self.m[e].end <= self.m[u].full_end for u in out if u != e)]

    @rule_family("roles", "mention", when=lambda f, m: m.cls == "Person")
    def _roles(self, p: int, tok: Token) -> None:
        roles = [c for c in tok.children if c.dep_ == "appos"]
        if tok.dep_ == "appos" and self._is_role(tok.head):
            roles.append(tok.head)
        # "Ruth Porat, who is president of Alphabet": the role the relative clause gives
        roles += [a for c in tok.children if c.dep_ == "relcl" and c.lemma_ == "be"
                  for a in c.children if a.dep_ == "attr" and self._is_role(a)]
        # "who will run the project as chief executive of Northvolt North America" (a subject's own
        # "as CEO of Y" is the role-as rule's)
        roles += [r for v in tok.children if v.dep_ == "relcl" for pr in v.children
                  if pr.dep_ == "prep" and pr.lower_ == "as" for r in pr.children if r.dep_ == "pobj" and self._is_role(r)]
        for role in roles:
            cands = [role] + [c for c in role.children if c.dep_ == "conj"]
            if not any(self._is_role(r) or any(self._is_role(x) for x in r.subtree if x.i <= r.i) for r in cands):
                continue
            for org in self._orgs_under(role):
                self.add(p, "worksFor", org, "role-apposition", 0.85, tok, role=self._role_text(role))
                # "head of its China business": the unit's owner too
                unit = self.m[org]
                if unit.descriptive and unit.owner_tok is not None:
                    owner = self.ent(self.doc[unit.owner_tok])
                    if owner is not None and self.cls(owner) in ORG_CLASSES:
                        self.add(p, "worksFor", owner, "role-unit-owner", 0.75, tok, role=self._role_text(role))
                if any(t.text.lower() in self.lex.founder_roles for t in role.subtree):
                    self.add(p, "founded", org, "role-founder", 0.8, tok)
            # "a delegate at the Congress"
            for t in role.subtree:
                if t.dep_ == "prep" and t.text.lower() in ("at", "to") :
                    for e in (self.ent(x) for x in t.children if x.dep_ == "pobj"):
                        if self.cls(e) == "Event":
                            self.add(p, "participatesIn", e, "role-at-event", 0.75, tok)
        # "Xi's remarks during the Congress"
        if tok.dep_ == "poss":
            for c in tok.head.children:
                if c.dep_ == "prep" and c.text.lower() in ("during", "at"):
                    for e in (self.ent(x) for x in c.children if x.dep_ == "pobj"):
                        if self.cls(e) == "Event":
                            self.add(p, "participatesIn", e, "possessive-at-event", 0.7, tok)
        # "Jing, of the big data bureau"
        for c in tok.children:
            if c.dep_ == "prep" and c.text.lower() in ("of", "from", "at"):
                for e in (self.ent(x) for x in c.children if x.dep_ == "pobj"):
                    if self.cls(e) in ORG_CLASSES - {"Company"} or (self.cls(e) == "Company" and c.text.lower() == "of"):
                        self.add(p, "worksFor", e, "person-of-org", 0.6, tok)
        # "Hyundai CEO Kim", "Kingdee founder Xu"
        for c in tok.lefts:
            if c.dep_ == "compound" and self._is_role(c):
                for org in self._orgs_under(c):
                    self.add(p, "worksFor", org, "role-compound", 0.75, tok, role=c.text)
        # "Intel chief executive Pat Gelsinger", "U.S. Chamber chief executive Suzanne Clark": the
        # words right before the name are a title, and right before the title an organisation
        k = self.m[p].start - 1
        title = []
        while k >= 0 and (self._is_role(self.doc[k]) or self.doc[k].lower_ in ("vice", "chief", "executive", "deputy",
                                                                               "senior", "general", "-", "co")):
            title.append(k)
            k -= 1
        if title and any(self._is_role(self.doc[i]) for i in title) and k >= 0:
            org = self.by_tok.get(k)
            if org is not None and org != p and self.cls(org) in ORG_CLASSES and self.m[org].end == k + 1:
                role = " ".join(self.doc[i].text for i in reversed(title))
                self.add(p, "worksFor", org, "title-before-name", 0.75, tok, role=role)
                if any(self.doc[i].lower_ in self.lex.founder_roles for i in title):
                    self.add(p, "founded", org, "title-founder", 0.8, tok)     # "Tencent co-founder Pony Ma"
        # "As CEO of Kingdee, Xu said"
        if tok.dep_ in ("nsubj",):
            verb = tok.head
            for c in verb.children:
                if c.dep_ == "prep" and c.text.lower() == "as":
                    for role in (x for x in c.children if x.dep_ == "pobj"):
                        if self._is_role(role) or any(self._is_role(x) for x in role.subtree):
                            for org in self._orgs_under(role):
                                self.add(p, "worksFor", org, "role-as", 0.8, tok, role=self._role_text(role))

    @rule_family("possessives", "mention", when=lambda f, m: m.descriptive and _not_plural(f, m))
    def _owned(self, idx: int, tok: Token) -> None:
        """Possessives: "Huawei's data center" (operates), "its Guizhou branch" (subsidiaryOf)."""
        m = self.m[idx]
        # a place named inside the phrase: "its Heilongjiang branch"
        for i in range(m.start, m.end):
            j = self.by_tok.get(i)
            if j is not None and j != idx and self.m[j].cls in PLACE_LIKE and not self.m[j].descriptive \
                    and i < m.head and m.cls in ORG_CLASSES | {"Facility"}:
                self.add(idx, "locatedIn", j, "place-modifier", 0.7, tok)
        owner = None
        for c in tok.children:
            if c.dep_ == "poss":
                owner = self.ent(c)
        if owner is None and m.owner_tok is not None:
            owner = self.ent(self.doc[m.owner_tok])
        if owner is None:
            return
        ocls = self.cls(owner)
        low = self.doc[m.head].lemma_.lower()
        if m.cls == "Facility" and ocls in ORG_CLASSES:
            self.add(owner, "operates", idx, "possessive-facility", 0.8, tok)
        elif m.cls in ORG_CLASSES and low in self.lex.org_unit_heads and ocls in ORG_CLASSES:
            self.add(idx, "subsidiaryOf", owner, "possessive-unit", 0.8, tok)
        elif m.cls == "Company" and ocls == "Person" and m.source != "descriptive-reference":
            self.add(owner, "worksFor", idx, "possessive-company", 0.55, tok)
        elif m.cls in ORG_CLASSES | {"Facility"} and ocls in PLACE_LIKE:
            self.add(idx, "locatedIn", owner, "possessive-place", 0.7, tok)

    @rule_family("place-hierarchy", "mention", when=lambda f, m: m.cls in PLACE_LIKE and _not_plural(f, m))
    def _place_hierarchy(self, idx: int, tok: Token) -> None:
        """"Changchun, Jilin province", "Ningbo, a port city in Zhejiang", "Shenzhen in Guangdong"."""
        m = self.m[idx]
        cands: list[Token] = []
        for c in tok.children:
            if c.dep_ == "appos":
                cands.append(c)
            if c.dep_ == "prep" and c.text.lower() in ("in", "of"):
                cands.extend(x for x in c.children if x.dep_ == "pobj")
        seen = 0
        found: list[int] = []
        while cands and seen < 12:
            seen += 1
            t = cands.pop(0)
            own = self.by_tok.get(t.i)
            named = [c for c in t.children if c.dep_ == "appos" and (k := self.by_tok.get(c.i)) is not None
                     and not self.m[k].descriptive and self.m[k].cls in PLACE_LIKE]
            if named and (own is None or self.m[own].descriptive):
                cands = named + cands   # "the Toutunhe district of the regional capital, Urumqi": the name
                continue
            j = self.ent(t)
            if j is not None and j != idx and self.m[j].cls in PLACE_LIKE:
                if RANK.get(self.m[j].cls, -1) > RANK.get(m.cls, 9) and self.m[j].cls != "IndustrialPark":
                    found.append(j)

            elif j is not None:
                continue
            for c in t.children:
                if c.dep_ in ("appos", "poss", "compound") or (c.dep_ == "prep" and c.text.lower() in ("in", "of")):
                    cands.append(c)
                if c.dep_ == "pobj":
                    cands.append(c)
        if found:
            # "Shenzhen in south China's powerhouse of Guangdong Province": the province, not China
            j = min(found, key=lambda j: RANK[self.m[j].cls])
            self.add(idx, "locatedIn", j, "place-apposition", 0.8, tok)
            return
        # "Shenzhen in south China's powerhouse of Guangdong Province" with "in" attached elsewhere
        if m.end < len(self.doc) and self.doc[m.end].text.lower() == "in":
            ahead = []
            for t in self.doc[m.end + 1:min(m.end + 12, tok.sent.end)]:
                if t.pos_ in ("VERB", "AUX") or t.text in (",", ";", "and"):
                    break
                j = self.by_tok.get(t.i)
                if j is not None and self.m[j].cls in PLACE_CLASSES and RANK[self.m[j].cls] > RANK.get(m.cls, 9):
                    ahead.append(j)
                elif j is not None and t.i == m.end + 1 == self.m[j].start and self.m[j].cls == m.cls \
                        and m.cls in ("District", "City") and not same_rank_apart(m.ids, self.m[j].ids):
                    # "Khavda in Kutch", "Zhangjiagang in Suzhou": a county-level city in a prefecture,
                    # of one class in the gazetteer, but the article says which holds which
                    ahead.append(j)
            if ahead:
                self.add(idx, "locatedIn", min(ahead, key=lambda j: RANK[self.m[j].cls]), "place-in-surface", 0.65, tok)
                return
        # "Changchun, Jilin province" parsed flat: the next mention after a comma
        if m.end + 1 < len(self.doc) and self.doc[m.end].text == ",":
            j = self.by_tok.get(m.end + 1)
            if j is not None and self.m[j].start == m.end + 1 and self.m[j].cls in ("Province", "Country") \
                    and RANK[self.m[j].cls] > RANK.get(m.cls, 9):
                self.add(idx, "locatedIn", j, "place-comma", 0.75, tok)

    @rule_family("noun-location", "mention", when=_not_plural)
    def _noun_location(self, idx: int, tok: Token) -> None:
        """"a data center in Changchun", "the expo in Guiyang", "the committee of Guian New Area"."""
        m = self.m[idx]
        if m.cls in PLACE_CLASSES or m.cls in ("Person", "Sector", "Country"):
            return
        for c in tok.children:
            if c.dep_ != "prep":
                continue
            prep = c.text.lower()
            if prep not in LOC_PREPS and not (prep == "of" and m.cls in ("GovernmentBody", "District", "IndustrialPark")
                                              and m.descriptive):
                continue
            for p in c.children:
                if p.dep_ != "pobj":
                    continue
                for j in self.ents(p, PLACE_LIKE):
                    if j == idx or (m.cls == "IndustrialPark" and RANK.get(self.m[j].cls, 0) == 0 and self.m[j].cls == "IndustrialPark"):
                        continue
                    pred = "heldIn" if m.cls == "Event" else "locatedIn"
                    self.add(idx, pred, j, f"noun-prep-{prep}", 0.75, tok)

    @rule_family("apposition-location", "mention", when=lambda f, m: not m.descriptive and _not_plural(f, m))
    def _apposition_location(self, idx: int, tok: Token) -> None:
        """"BMW Brilliance, the group's joint venture in Shenyang", "Communitech, the technology
        hub in Kitchener": what the apposition says is somewhere, the name is."""
        m = self.m[idx]
        if m.cls in PLACE_CLASSES or m.cls in ("Person", "Sector", "Country"):
            return
        for a in tok.children:
            if a.dep_ != "appos" or a.pos_ not in ("NOUN", "PROPN") or self.ent(a) not in (None, idx):
                continue
            for c in a.children:
                if c.dep_ != "prep" or c.text.lower() not in LOC_PREPS:
                    continue
                for p in c.children:
                    if p.dep_ == "pobj":
                        for j in self.ents(p, PLACE_LIKE):
                            if j != idx:
                                pred = "heldIn" if m.cls == "Event" else "locatedIn"
                                self.add(idx, pred, j, "apposition-location", 0.7, tok)

    @rule_family("fronted-location", "token", when=lambda f, tok: tok.dep_ == "advcl" and tok.tag_ in ("VBN", "VBG")
                 and tok.lemma_.lower() in FRONTED_LOCATION_VERBS and tok.i < tok.head.i)
    def _fronted_location(self, tok: Token) -> None:
        """"Located within TEDA, the science park opened ...", "Sprawling over 2.9 million square
        meters in the Tiexi District, the Lydia plant ...": the phrase before the subject says
        where the subject is."""
        subj = next((c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i > tok.i), None)
        s = self.ent(subj)
        if s is None or self.cls(s) in PLACE_CLASSES or self.cls(s) in ("Person", "Sector", "Country"):
            return
        preps = [c for c in tok.children if c.dep_ == "prep" and c.text.lower() in LOC_PREPS]
        preps += [g for c in tok.children if c.dep_ in ("prep", "dobj") for x in c.children for g in x.children
                  if g.dep_ == "prep" and g.text.lower() in LOC_PREPS]
        for c in preps:
            for p in c.children:
                if p.dep_ == "pobj":
                    for j in self.ents(p, PLACE_LIKE):
                        if j != s:
                            self.add(s, "heldIn" if self.cls(s) == "Event" else "locatedIn", j, "fronted-location", 0.7, tok)
                    return

    @rule_family("place-possessive", "mention", when=_not_plural)
    def _place_possessive(self, idx: int, tok: Token) -> None:
        """"Pakistan's Engro Corporation", "Chery, Anhui's largest exporter", "Dilmah of Sri Lanka",
        "east China's Jiangsu province": the place a named thing belongs to."""
        m = self.m[idx]
        if m.descriptive or m.cls not in ORG_CLASSES | PLACE_CLASSES:
            return
        heads = list(self.doc[m.start:m.end]) + [c for c in tok.children if c.dep_ == "appos"]
        for h in heads:
            for c in h.children:
                place = None
                if c.dep_ == "poss":
                    place = self.ent(c)
                elif c.dep_ == "prep" and c.text.lower() == "of" and m.cls in ORG_CLASSES and h.i == m.end - 1:
                    objs = [p for p in c.children if p.dep_ == "pobj"]
                    place = self.ent(objs[0]) if objs else None
                    if place is not None and self.cls(place) != "Country":
                        place = None        # "Bank of Jiangsu" is a name, "X of Sri Lanka" a origin
                if place is None or place == idx or self.cls(place) not in PLACE_CLASSES:
                    continue
                if m.cls in PLACE_CLASSES and RANK.get(self.cls(place), 0) <= RANK.get(m.cls, 9):
                    continue
                self.add(idx, "locatedIn", place, "place-possessive", 0.65, tok)
                # "Germany's Lanxess", "LG Energy Solution of South Korea": a company's country or
                # city is also where it is based (a vote: the scorer learns which the article means)
                if m.cls == "Company" and self.cls(place) in ("Country", "City"):
                    self.add(idx, "headquarteredIn", place, "place-possessive", 0.6, tok)

    @rule_family("nationality", "document")
    def _nationality(self) -> None:
        """"Vietnamese electric vehicle maker VinFast", "Tesla, the American carmaker": the company
        the nationality word describes is based in that country."""
        for j, m in enumerate(self.m):
            if m.source != "nationality":
                continue
            t = self.doc[m.head]
            company = None
            for _ in range(6):
                e = self.ent(t) if t.i != m.head else None
                if e is not None and self.cls(e) == "Company" and not self.m[e].descriptive:
                    company = e
                    break
                if t.dep_ == "appos" and (e := self.ent(t.head)) is not None and self.cls(e) == "Company":
                    company = e
                    break
                if t.dep_ not in ("amod", "compound", "nmod") or t.head.i == t.i:
                    break
                t = t.head
            if company is None and (e := self.by_tok.get(t.i + 1)) is not None and self.cls(e) == "Company":
                company = self.coref.get(e, e)      # "Chinese carmaker BYD" parsed flat
            if company is not None:
                self.add(company, "headquarteredIn", j, "nationality", 0.65, self.doc[m.head])

    @rule_family("facility-for", "mention", when=_not_plural)
    def _facility_for(self, idx: int, tok: Token) -> None:
        """"a customer service center for its Guizhou branch", "the data center of China Mobile":
        the organisation operates it."""
        if self.m[idx].cls != "Facility":
            return
        for c in tok.children:
            if c.dep_ == "prep" and c.text.lower() in ("for", "of"):
                for p in c.children:
                    if p.dep_ == "pobj":
                        e = self.ent(p)
                        if e is not None and self.cls(e) in ORG_CLASSES:
                            self.add(e, "operates", idx, "facility-for-org", 0.6, tok)

    @rule_family("places-in-names", "mention", when=_not_plural)
    def _name_places(self, idx: int, tok: Token | None = None) -> None:
        """A place in an organisation's own name: "Guizhou Poverty Alleviation Office", "Government of Jilin"."""
        from kg.extract.places import containing, lookup, place_code, same_rank_apart

        m = self.m[idx]
        if m.descriptive or m.cls not in ORG_CLASSES | {"IndustrialPark", "District", "Facility"}:
            return
        toks = self.doc[m.start:m.end]
        pieces = []
        for n in (2, 1):
            if len(toks) > n:
                pieces.append((toks[0].i, toks[0].i + n))
        of = [t.i for t in toks if t.text.lower() == "of"]
        if of:
            tail = of[-1] + 1
            if tail < m.end and self.doc[tail].text.lower() == "the":
                tail += 1
            end = m.end
            if self.doc[end - 1].text.lower() in ("province", "city"):
                end -= 1
            if end > tail:
                pieces.append((tail, end))
        for a, b in pieces:
            text = self.doc[a:b].text
            places = [p for p in lookup(text) if p.cls in ("Province", "City")]
            if not places or not all(t.text[:1].isupper() for t in self.doc[a:b]):
                continue
            place = places[0]
            if not any(o.name == place.name and o.cls == place.cls for o in self.m if o.source == "gazetteer"):
                continue    # "Baishan Cloud" is no evidence of Baishan unless the article speaks of the place
            j = len(self.m)
            self.m.append(TokMention(a, b, place.cls, place.name, "name-part", 1.0, ids=dict(place.ids),
                                     head=b - 1))
            self.add(idx, "locatedIn", j, "place-in-name", 0.65, self.doc[m.head])
            return

    @rule_family("sectors-in-names", "mention", when=_not_plural)
    def _name_sectors(self, idx: int, tok: Token | None = None) -> None:
        """A sector in a company's own name: "Infobird Cloud Computing Technology Co Ltd" -> cloud computing."""
        from kg.extract.entities import _sector_matcher

        m = self.m[idx]
        if m.descriptive or m.cls != "Company" or m.end - m.start < 3:
            return
        if self._doc_sector_matches is None:
            self._doc_sector_matches = _sector_matcher(self.doc.vocab, self.lex.sectors)(self.doc)
        taken: list[tuple[int, int]] = []
        for match_id, a, b in sorted(self._doc_sector_matches, key=lambda x: x[1] - x[2]):
            if not (m.start <= a and b <= m.end) or any(a < y and x < b for x, y in taken):
                continue
            taken.append((a, b))
            phrase = self.doc.vocab.strings[match_id]
            if len(phrase.split()) < 2 and "-" not in phrase:
                continue        # one word ("Software", "Energy") is too often just part of a name
            j = len(self.m)
            self.m.append(TokMention(a, b, "Sector", phrase, "name-part", 1.0, head=b - 1))
            self.add(idx, "activeIn", j, "sector-in-name", 0.6, self.doc[m.head])

    @rule_family("surface-location", "mention", when=_not_plural)
    def _surface_location(self, idx: int, tok: Token | None = None) -> None:
        """"a data center in Changchun" where the parse lost the attachment: the next words."""
        m = self.m[idx]
        if m.cls not in ("Facility", "Event") and not (m.cls in ORG_CLASSES and m.descriptive):
            return
        k = m.end
        if k + 1 < len(self.doc) and self.doc[k].text.lower() in ("in", "at"):
            j = self.by_tok.get(k + 1)
            if j is None and self.doc[k + 1].text.lower() == "the" and k + 2 < len(self.doc):
                j = self.by_tok.get(k + 2)
            if j is not None and self.m[j].cls in PLACE_LIKE and not self.m[j].descriptive:
                pred = "heldIn" if m.cls == "Event" else "locatedIn"
                self.add(idx, pred, j, "surface-in", 0.65, self.doc[m.head])

    def _is_passive(self, verb: Token) -> bool:
        if any(c.dep_ in ("auxpass", "nsubjpass", "agent") for c in verb.children):
            return True
        return verb.tag_ == "VBN" and verb.dep_ == "conj" and self._is_passive(verb.head)

    def _patients(self, verb: Token) -> list[Token]:
        """What a passive verb is done to: "the center is operated by X and located in Y" -> the center."""
        v = verb
        for _ in range(4):
            found = [c for c in v.children if c.dep_ == "nsubjpass"]
            if found:
                if found[0].tag_ in ("WDT", "WP") and v.dep_ == "relcl":
                    return [v.head]     # "CALB, which is headquartered in Changzhou"
                return found
            if v.dep_ == "advcl" and v.i < v.head.i:
                # "Founded in 2019 by Tang Jie, Haiyun has ...": the main clause's subject
                return [c for c in v.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if v.dep_ != "conj":
                break
            v = v.head
        return []

    def _clause(self, verb: Token) -> "Clause":
        """Who does what to whom, where: the arguments of one verb, lists and passives resolved."""
        dobjs = [c for c in verb.children if c.dep_ in ("dobj", "attr")]
        passive = self._is_passive(verb)
        if passive:
            # the doer is the "by" agent of this verb; the patient is acted upon
            subs = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            dobjs += self._patients(verb)
        else:
            subs = self.subjects(verb)
        wanted = AGENTS | PLACE_LIKE | {"Facility", "Event"}
        sub_ents = [e for s in subs for e in self.ents(s, wanted)]
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            head = verb.head
            if self.ent(head) is None and head.dep_ == "appos":
                head = head.head        # "Origin Quantum, a startup founded by ...": Origin Quantum
            dobjs.append(head)          # "an event held in Harbin"
        obj_ents = [e for d in dobjs for e in self.ents(d, wanted)]
        direct_objs = set(obj_ents)
        # "companies had set up in Guian New Area, including Apple, Microsoft ...", "hosts 1,800
        # companies, including AMD": a plural common noun stands for the "including" list
        for args, ents in ((subs, sub_ents), (dobjs, obj_ents)):
            for s in args:
                if s.tag_ == "NNS" and self.ent(s) is None:
                    for t in verb.subtree:
                        if t.dep_ == "prep" and t.text.lower() in ("including", "as", "like"):
                            for x in t.subtree:
                                e = self.ent(x) if x.i in self.by_head else None
                                if e is not None and self.cls(e) in ORG_CLASSES | {"Facility"} and e not in ents:
                                    ents.append(e)
        preps = [c for c in verb.children if c.dep_ in ("prep", "agent")]
        # "toward building a center": objects of a gerund under a preposition belong to the verb
        for pr in list(preps):
            for pc in pr.children:
                if pc.dep_ == "pcomp" and pr.text.lower() in ("toward", "towards", "by", "on", "for"):
                    obj_ents += [e for d in pc.children if d.dep_ == "dobj"
                                 for e in self.ents(d, {"Facility", "Event"} | ORG_CLASSES)]
                    preps.extend(x for x in pc.children if x.dep_ == "prep")
        places: list[int] = [e for pr in preps if pr.text.lower() in LOC_PREPS
                             for p in pr.children if p.dep_ == "pobj" for e in self.ents(p, PLACE_LIKE)]
        adverb_places: set[int] = set()
        # "Gujarat, where companies are building plants": "where" is the place the clause modifies
        for x in verb.children:
            if x.dep_ == "advmod" and x.text.lower() == "where" and verb.dep_ == "relcl":
                j = self.ent(verb.head)
                if j is not None and self.cls(j) in PLACE_LIKE:
                    places.append(j)
                    adverb_places.add(j)
        # "have centers there": "there" on the verb or on its object
        for c in [*verb.children, *(x for d in dobjs for x in d.children)]:
            if c.dep_ == "advmod" and c.text.lower() in PLACE_ADVERBS and (j := self.ent(c)) is not None:
                places.append(j)
                adverb_places.add(j)
        agents = [e for e in sub_ents if self.cls(e) in ORG_CLASSES | {"Person"}]
        return Clause(verb, self.lemma(verb), passive, subs, sub_ents, dobjs, obj_ents, direct_objs,
                      preps, places, agents, adverb_places)

    @rule_family("clauses", "token", when=lambda f, tok: tok.pos_ in ("VERB", "AUX") or any(
        c.dep_ == "agent" for c in tok.children) or (tok.dep_ == "ROOT" and any(c.dep_ == "nsubj" for c in tok.children)))
    def _verb_rules(self, verb: Token) -> None:
        c = self._clause(verb)
        if self._headquartered(c):
            return
        self._clause_location(c)
        self._clause_operates(c)
        self._clause_participation(c)
        self._clause_investment(c)
        self._clause_partners(c)
        self._clause_hosting(c)

    def _headquartered(self, c: "Clause") -> bool:
        """"Samsung, headquartered in Suwon", "the firm is based in Hefei"."""
        if not (c.places and self.lex.trigger("headquarter", c.lemma) and (c.verb.dep_ == "acl" or c.passive)):
            return False
        for e in c.obj_ents:
            if self.cls(e) in ORG_CLASSES:
                for pl in c.places:
                    self.add(e, "headquarteredIn", pl, "verb-headquartered", 0.85, c.verb)
        return True

    def _clause_location(self, c: "Clause") -> None:
        """locatedIn / heldIn / headquarteredIn from a verb and its "in" place."""
        lex, verb = self.lex, c.verb
        no_loc = c.lemma in lex.triggers["no_locate"]
        if c.places and not no_loc:
            for e in c.obj_ents:
                cls = self.cls(e)
                # "closed its plant in Zhengzhou": a facility is where it is, whatever the verb;
                # "sued Apple in California" says nothing of where Apple is
                if cls == "Facility" or (cls in ORG_CLASSES and (lex.trigger("locate", c.lemma) or verb.dep_ == "acl")):
                    for pl in c.places:
                        self.add(e, "locatedIn", pl, "verb-object-in", 0.7, verb)
                elif cls == "Event":
                    for pl in c.places:
                        self.add(e, "heldIn", pl, "verb-event-in", 0.75, verb)
            for e in c.sub_ents:
                cls = self.cls(e)
                if cls == "Event":
                    for pl in c.places:
                        self.add(e, "heldIn", pl, "verb-event-in", 0.75, verb)
                elif cls in ("District", "IndustrialPark"):
                    for pl in c.places:
                        if RANK.get(self.cls(pl), 0) > 0:
                            self.add(e, "locatedIn", pl, "verb-area-in", 0.6, verb)
                elif cls in ORG_CLASSES or cls == "Facility":
                    # "supplies carmakers in France" places the carmakers, not the plant; "there" places the subject
                    placing = lex.trigger("locate", c.lemma) or not c.dobjs
                    for pl in c.places:
                        if not (placing or pl in c.adverb_places):
                            continue
                        self.add(e, "locatedIn", pl, "verb-subject-in", 0.6 if c.obj_ents else 0.7, verb)
        # "CATL, which has plants in Germany and Hungary": a placing verb's object names where the subject is
        if lex.trigger("locate", c.lemma) and not no_loc:
            for d in c.dobjs:
                if d.lemma_.lower() in FACILITY_PLURALS and d.tag_ == "NNS":
                    for pr in d.children:
                        if pr.dep_ == "prep" and pr.text.lower() in LOC_PREPS:
                            for p in pr.children:
                                if p.dep_ == "pobj":
                                    for pl in self.ents(p, PLACE_LIKE):
                                        for e in c.sub_ents:
                                            if self.cls(e) in ORG_CLASSES:
                                                self.add(e, "locatedIn", pl, "verb-has-facilities-in", 0.65, verb)
        # "set up its new headquarters in Guiyang"
        for d in c.dobjs:
            if d.text.lower() == "headquarters" or d.lemma_.lower() == "headquarter":
                hq_places = c.places + [j for pr in d.children if pr.dep_ == "prep" and pr.text.lower() in LOC_PREPS
                                        for p in pr.children if p.dep_ == "pobj" for j in self.ents(p, PLACE_LIKE)]
                for e in c.sub_ents:
                    if self.cls(e) in ORG_CLASSES:
                        for pl in hq_places:
                            self.add(e, "headquarteredIn", pl, "verb-headquarters", 0.8, verb)
        # "the forum was held at the Tianfu International Conference Center": the venue
        venues = [e for pr in c.preps if pr.text.lower() in ("at", "in") for p in pr.children if p.dep_ == "pobj"
                  for e in self.ents(p, {"Facility"}) if not self.m[e].descriptive]
        if venues:
            for e in c.obj_ents + c.sub_ents:
                if self.cls(e) == "Event":
                    for v in venues:
                        self.add(e, "heldIn", v, "event-at-venue", 0.7, verb)
        # "Jilin held the forum" with no "in": held in the subject place
        if lex.trigger("hold_event", c.lemma) and not c.places:
            for e in c.obj_ents:
                if self.cls(e) == "Event":
                    for s in c.sub_ents:
                        if self.cls(s) in PLACE_LIKE:
                            self.add(e, "heldIn", s, "verb-place-holds-event", 0.6, verb)

    def _clause_operates(self, c: "Clause") -> None:
        """operates, founded, and worksFor from "runs a company"."""
        lex = self.lex
        operate, found = lex.trigger("operate", c.lemma), lex.trigger("found", c.lemma)
        for a in c.agents:
            for o in c.obj_ents:
                oc = self.cls(o)
                if oc == "Facility" and self.cls(a) in ORG_CLASSES and operate:
                    self.add(a, "operates", o, "verb-operates", 0.75, c.verb)
                elif oc in ORG_CLASSES and found and not self._is_reference(o) and o in c.direct_objs:
                    self.add(a, "founded", o, "verb-founded", 0.75, c.verb)
                elif oc in ORG_CLASSES and self.cls(a) == "Person" and lex.trigger("lead", c.lemma):
                    self.add(a, "worksFor", o, "verb-leads", 0.75, c.verb)
        # "now chairs the board of Volvo Cars": leading a company's board is working for it
        if lex.trigger("lead", c.lemma):
            boards = [d for d in c.dobjs if d.lemma_.lower() in BOARD_WORDS]
            orgs = [e for d in boards for pr in d.children if pr.dep_ == "prep" and pr.lower_ == "of"
                    for p in pr.children if p.dep_ == "pobj" for e in self.ents(p, ORG_CLASSES)]
            orgs += [e for d in boards for x in d.children if x.dep_ in ("poss", "compound")
                     for e in self.ents(x, ORG_CLASSES)]
            for a in c.agents:
                if self.cls(a) == "Person":
                    for o in orgs:
                        self.add(a, "worksFor", o, "verb-leads", 0.75, c.verb)

    def _clause_participation(self, c: "Clause") -> None:
        """participatesIn: attending, speaking at, co-hosting, exhibiting at an event."""
        lex, verb = self.lex, c.verb
        events = [e for e in c.obj_ents if self.cls(e) == "Event"]
        if not events and lex.trigger("participate", c.lemma):
            # "inaugurated the tenth edition of the biennial summit"
            events = [e for d in c.dobjs if self.ent(d) is None for x in d.children if x.dep_ == "prep"
                      and x.lower_ == "of" for q in x.children if q.dep_ == "pobj" for e in self.ents(q, {"Event"})]
        # "X was among those at the inauguration ceremony"
        preps = list(c.preps) + [q for pr in c.preps if pr.lower_ == "among" for p in pr.children
                                 if p.dep_ == "pobj" for q in p.children if q.dep_ == "prep"]
        for pr in preps:
            if pr.text.lower() not in ("at", "in", "during", "to", "for", "on"):
                continue
            for p in pr.children:
                if p.dep_ != "pobj":
                    continue
                found = self.ents(p, {"Event"})
                # "at the third session / the opening / the sidelines of the Congress"
                if not found:
                    found = [e for x in p.children if x.dep_ == "prep" and x.text.lower() == "of"
                             for q in x.children if q.dep_ == "pobj" for e in self.ents(q, {"Event"})]
                events += found
        if events and (lex.trigger("participate", c.lemma) or any(pr.text.lower() in ("at", "during") for pr in preps)):
            agents = list(c.agents)
            if c.passive and lex.trigger("participate", c.lemma):
                # "Lula, who was joined at the ceremony by Vice President Alckmin": both were there
                agents += [e for s in c.subs for e in self.ents(s, ORG_CLASSES | {"Person"}) if e not in agents]
            if lex.trigger("participate", c.lemma):
                # "guests attended the ceremony, among them President X, Minister Y and Z": the
                # parser hangs the named guests on the event as an apposition
                agents += [e for d in c.dobjs for a in d.children if a.dep_ == "appos"
                           for e in self.ents(a, ORG_CLASSES | {"Person"}) if e not in agents]
                # a long list of titled guests parses badly; the people named after "among
                # them" are the guests wherever the parser hangs them
                opening = self._list_opening(verb, ("among",))
                if opening is not None:
                    agents += [e for e in self._listed(opening, {"Person"}) if e not in agents]
            for a in agents:
                for ev in events:
                    self.add(a, "participatesIn", ev, "verb-participates", 0.75, verb)
        # "the forum is co-hosted by A and B"
        agent_preps = [ag for ag in verb.children if ag.dep_ == "agent"]
        if (c.passive or agent_preps) and lex.trigger("participate", c.lemma):
            evs = [e for s in verb.children if s.dep_ in ("nsubjpass", "nsubj") for e in self.ents(s, {"Event"})]
            if not evs and verb.dep_ == "acl":
                evs = self.ents(verb.head, {"Event"})     # "the expo, co-hosted by A and B"
            if not evs:
                before = [i for i, m in enumerate(self.m) if m.cls == "Event" and verb.sent.start <= m.start < verb.i]
                evs = [self.coref.get(before[-1], before[-1])] if before else []
            for ev in evs:
                for ag in agent_preps:
                    hosts = [a for p in ag.children for a in self.ents(p, ORG_CLASSES | {"Person"})]
                    # "a ceremony attended by Wang, Party secretary of Qinzhou, Huang, then the
                    # city's mayor, and Liu": every person of the list, however it parses
                    hosts += [a for a in self._listed(ag, {"Person"}) if a not in hosts]
                    for a in hosts:
                        self.add(a, "participatesIn", ev, "passive-host", 0.8, verb)
        # "Exhibitors include Huawei and Sany", "Speakers included Zhang Ping": the current event
        if c.lemma == "include" and any(x.lemma_.lower() in PARTICIPANT_NOUNS for x in c.subs):
            ev = self._antecedent(verb.i, {"Event"}, max_sents=4, named_only=True) \
                or self._antecedent(verb.i, {"Event"}, max_sents=4)
            if ev is not None:
                for d in c.dobjs:
                    for x in d.subtree:
                        e = self.ent(x) if x.i in self.by_head or x.i in self.by_tok else None
                        # not the employer in "Li Wei, a researcher at the Academy"
                        employer = x.head.dep_ == "prep" and self._is_role(x.head.head)
                        if e is not None and self.cls(e) in AGENTS and not employer:
                            self.add(e, "participatesIn", ev, "participants-include", 0.7, verb)
        # "LONGi showcased solar modules" in an article about an expo
        if c.lemma in ("showcase", "exhibit", "display", "unveil") and not events:
            ev = self._antecedent(verb.i, {"Event"}, max_sents=2, named_only=True)
            if ev is not None:
                for a in c.agents:
                    self.add(a, "participatesIn", ev, "exhibits-at", 0.6, verb)
        # "the expo attracted 1,200 exhibitors, including Siemens and ABB"
        if c.lemma in ("attract", "draw", "bring", "gather", "feature", "welcome"):
            for ev in c.sub_ents:
                if self.cls(ev) != "Event":
                    continue
                for d in c.dobjs:
                    for x in d.subtree:
                        e = self.ent(x) if x.i in self.by_head and x.i != d.i else None
                        if e is not None and self.cls(e) in AGENTS:
                            self.add(e, "participatesIn", ev, "event-attracts", 0.7, verb)

    def _clause_investment(self, c: "Clause") -> None:
        """investsIn: "invested $1 billion in / on / toward X", "commits 30 billion yuan to X", "will
        invest ... to build X"."""
        if not self.lex.trigger("invest", c.lemma):
            return
        targets = []
        # the "in" may hang on the money: "invested a total of 100 billion yuan in Liaoning"
        # ... or "for" / "to" on it: "pledges US$2bn for its first data centre", "commits 30.6 billion yuan to a plant"
        money_preps = [t for d in c.dobjs for t in d.subtree if t.dep_ == "prep"
                       and t.lower_ in ("in", "into", "for", "to", "toward", "towards")
                       and any(x.ent_type_ == "MONEY" for x in t.head.subtree)]
        for pr in c.preps + money_preps:
            if pr.text.lower() in ("in", "into", "on", "toward", "towards", "for", "to"):
                for p in pr.children:
                    if p.dep_ == "pobj":
                        targets += self.ents(p, PLACE_LIKE | ORG_CLASSES | {"Facility", "Sector"})
                    if p.dep_ == "pcomp":
                        targets += [e for d in p.children if d.dep_ == "dobj" for e in self.ents(d, {"Facility"} | ORG_CLASSES)]
        targets += [o for o in c.obj_ents if self.cls(o) != "Person"]
        for x in c.verb.children:
            if x.dep_ in ("xcomp", "advcl") and x.pos_ == "VERB":
                targets += [e for d in x.children if d.dep_ == "dobj" for e in self.ents(d, {"Facility"} | ORG_CLASSES)]
        # the place of what the money goes into: "its first data center in the country"
        for t in list(targets):
            for x in self.doc[self.m[t].head].children:
                if x.dep_ == "prep" and x.text.lower() == "in":
                    targets += [e for p in x.children if p.dep_ == "pobj" for e in self.ents(p, PLACE_LIKE)]
        for a in c.agents:
            for t in targets:
                self.add(a, "investsIn", t, "verb-invests", 0.75, c.verb)

    def _clause_partners(self, c: "Clause") -> None:
        """partnersWith: "cooperated with X", "assisted X", "set up a lab with X", joint ventures."""
        lex = self.lex
        joint = any(x.lemma_.lower() == "joint" for d in c.dobjs for x in d.children)
        partner = lex.trigger("partner", c.lemma)
        cooperation = any(p.lemma_.lower() in COOPERATION_NOUNS
                          for pr in c.preps + [x for d in c.dobjs for x in d.children if x.dep_ == "prep"]
                          for p in pr.children)
        # "X and Y signed / extended / renewed their partnership": the object says they partner
        agreed = any(d.lemma_.lower() in lex.agreement_nouns for d in c.dobjs) and (
            partner or c.lemma in AGREEMENT_VERBS
            or any(x.dep_ == "poss" and x.lower_ == "their" for d in c.dobjs for x in d.children)
            or any(d.lemma_.lower() in ("partnership", "alliance", "cooperation", "collaboration") for d in c.dobjs))
        jointly = c.lemma in JOINT_ACTION_VERBS
        if not (partner or joint or cooperation or agreed or jointly or lex.trigger("found", c.lemma)):
            return
        partners = [o for o in c.obj_ents if self.cls(o) in ORG_CLASSES] if partner else []
        # "building the plant in partnership / cooperation with X"
        for pr in c.preps + [x for d in c.dobjs for x in d.children if x.dep_ == "prep"]:
            for p in pr.children:
                if p.dep_ == "pobj" and p.lemma_.lower() in COOPERATION_NOUNS:
                    partners += [e for w in p.children if w.dep_ == "prep" and w.text.lower() == "with"
                                 for q in w.children if q.dep_ == "pobj" for e in self.ents(q, ORG_CLASSES)]
        for pr in c.preps + [x for d in c.dobjs for x in d.children if x.dep_ == "prep"]:
            members = [e for p in pr.children if p.dep_ == "pobj" for e in self.ents(p, ORG_CLASSES)]
            if pr.lower_ == "between" and len(members) >= 2:
                continue    # "signed a deal between Kemether and Siemens": they partner (agreements-between), not the signer
            if pr.text.lower() in ("with", "between"):
                partners += members
                # "signed 12 agreements with companies from Singapore, among them A, B and C":
                # the partners are the ones listed after the plural noun
                if any(p.dep_ == "pobj" and p.tag_ == "NNS" and self.ent(p) is None for p in pr.children):
                    opening = self._list_opening(pr, ("among", "including", "like"))
                    if opening is not None:
                        partners += [e for e in self._listed(opening, ORG_CLASSES) if e not in partners]
        orgs = [a for a in c.agents if self.cls(a) in ORG_CLASSES]
        for a in orgs:
            for o in partners:
                if self.cls(a) == "Incubator" and partner and c.lemma in ("assist", "help", "support"):
                    # "the incubator has helped 100 startups, including X": incubation, not partnership
                    # ("the incubator has partnered with Huawei" is a partnership)
                    self.add(a, "incubates", o, "incubator-helps", 0.65, c.verb)
                else:
                    self.add(a, "partnersWith", o, "verb-partners", 0.7, c.verb)
        # "Hyundai and LG Energy Solution opened a factory": two makers of one thing
        together = jointly and c.dobjs and not c.passive and all(d.tag_ != "NNS" for d in c.dobjs)
        if joint or agreed or together:   # "SAIC and Volkswagen set up a joint venture", "X and Y signed an MoU"
            for i, a in enumerate(orgs):
                for b in orgs[i + 1:]:
                    self.add(a, "partnersWith", b, "joint-subjects", 0.7, c.verb)

    def _clause_hosting(self, c: "Clause") -> None:
        """"Jilin is home to incubators, including X"; "the park houses 30 companies"; incubation."""
        home = [x for x in c.verb.children if x.text.lower() == "home"]
        hosting = c.lemma in ("house", "host")
        if home or hosting:
            hostable = ORG_CLASSES | {"Facility", "IndustrialPark", "District"}
            hosted = [e for h in home for pr in h.children if pr.dep_ == "prep" and pr.text.lower() == "to"
                      for p in pr.children if p.dep_ == "pobj" for e in self.ents(p, hostable)]
            if hosting:
                hosted += [o for o in c.obj_ents if self.cls(o) in hostable]
            if not hosted:
                # "home to 18,000 companies, including YOFC and HG Tech" with the list attached elsewhere
                for t in c.verb.subtree:
                    if t.dep_ == "prep" and t.text.lower() in ("including", "like") or (
                            t.dep_ == "prep" and t.text.lower() == "as" and t.head.text.lower() == "such"):
                        hosted += [e for x in t.subtree if x.i in self.by_head
                                   and (e := self.ent(x)) is not None and self.cls(e) in hostable]
            for s in c.sub_ents:
                if self.cls(s) in PLACE_LIKE:
                    for h in hosted:
                        if self.cls(h) not in PLACE_LIKE or RANK.get(self.cls(s), 0) > RANK.get(self.cls(h), 0):
                            self.add(h, "locatedIn", s, "verb-hosts", 0.75, c.verb)
                elif self.cls(s) == "Incubator":
                    for h in hosted:
                        if self.cls(h) in ORG_CLASSES:
                            self.add(s, "incubates", h, "incubator-hosts", 0.7, c.verb)
        elif self.lex.trigger("incubate", c.lemma):
            for s in c.sub_ents:
                if self.cls(s) in ("Incubator", "IndustrialPark"):
                    for o in c.obj_ents:
                        if self.cls(o) in ORG_CLASSES:
                            self.add(s, "incubates", o, "verb-incubates", 0.75, c.verb)
            verb = c.verb
            if verb.tag_ == "VBN":
                # "Skyish, a drone startup incubated at Innovation Village", "X was incubated by Y"
                hosts = [e for pr in verb.children if pr.dep_ in ("prep", "agent") and pr.lower_ in ("at", "by", "in")
                         for p in pr.children if p.dep_ == "pobj" for e in self.ents(p, {"Incubator", "IndustrialPark"})]
                noun = verb.head if verb.dep_ == "acl" else None
                guests = list(c.sub_ents) if verb.dep_ != "acl" else []
                if noun is not None:
                    guests += [e for x in [noun, *(noun.head for _ in [0] if noun.dep_ == "appos")]
                               if (e := self.ent(x)) is not None]
                for h in hosts:
                    for g in guests:
                        if self.cls(g) in ORG_CLASSES and g != h:
                            self.add(h, "incubates", g, "incubated-at", 0.75, verb)

    @rule_family("capitals", "token", when=lambda f, tok: tok.lemma_.lower() == "capital")
    def _capital(self, tok: Token) -> None:
        """"Changchun, capital of Jilin"; "the provincial capital of Guiyang"; "Changchun, the capital city"."""
        city = None
        prov = []
        if tok.dep_ == "appos":
            city = self.ent(tok.head)
        elif tok.dep_ in ("attr",):
            subs = self.subjects(tok.head)
            city = self.ent(subs[0]) if subs else None
        if city is None or self.cls(city) != "City":
            # "Kunming, capital of Yunnan", whatever the parse made of the comma: the city just before it
            k = tok.i - 1
            while k >= 0 and self.doc[k].text.lower() in ("the", "provincial", "regional", "state", "a"):
                k -= 1
            if k > 0 and self.doc[k].text == ",":
                j = self.by_tok.get(k - 1)
                if j is not None and self.m[j].cls == "City":
                    city = j
        if any(c.text.lower() == "whose" for c in tok.children) and tok.head.lemma_ == "be":
            # "Odisha, whose capital is Bhubaneswar"
            attrs = [c for c in tok.head.children if c.dep_ == "attr"]
            owner = self.ent(tok.head.head) if tok.head.dep_ == "relcl" else None
            c_ent = self.ent(attrs[0]) if attrs else None
            if owner is not None and c_ent is not None and self.cls(owner) in ("Province", "Country") \
                    and self.cls(c_ent) == "City":
                self.add(c_ent, "capitalOf", owner, "whose-capital", 0.85, tok)
            return
        of_objs = [p for c in tok.children if c.dep_ == "prep" and c.text.lower() == "of" for p in c.children if p.dep_ == "pobj"]
        for p in of_objs:
            j = self.ent(p)
            if j is None:
                continue
            if self.m[j].cls in ("Province", "Country"):
                prov.append(j)
            elif self.m[j].cls == "City" and city is None:
                city = j       # "the provincial capital of Guiyang"
        if not prov and city is not None:
            # "capital city" / "provincial capital": the province in context
            ctx = self._antecedent(tok.i, {"Province"}, max_sents=3)
            if ctx is None:
                after = [i for i, m in enumerate(self.m) if m.cls == "Province" and tok.sent.start <= m.start < tok.sent.end]
                ctx = after[0] if after else None
            if ctx is not None:
                prov.append(ctx)
        if city is not None and self.cls(city) == "City":
            for p in prov:
                self.add(city, "capitalOf", p, "capital-apposition", 0.85, tok)

    @rule_family("based-in", "token", when=lambda f, tok: tok.text.lower() == "based" and tok.i > 1
                 and f.doc[tok.i - 1].text == "-")
    def _based(self, tok: Token) -> None:
        """"a South Korea-based company", "the Shenzhen-based firm"."""
        j = self.by_tok.get(tok.i - 2)
        if j is None or self.m[j].cls not in PLACE_LIKE:
            return
        noun = tok.head
        cands = [noun.head] if noun.dep_ in ("appos", "compound") else []
        cands += [c for c in noun.children if c.dep_ == "appos"]      # "consultancy Automotive Foresight"
        # "company Dianyuan Trade Co": the name right after the noun
        nxt = self.by_tok.get(noun.i + 1)
        org = None
        for c in cands:
            e = self.ent(c)
            if e is not None and self.cls(e) in ORG_CLASSES:
                org = e
                break
        if org is None and nxt is not None and self.m[nxt].cls in ORG_CLASSES and not self.m[nxt].descriptive:
            org = nxt
        if org is None:
            org = self.ent(noun)
        if org is None and noun.i in self.by_head:
            org = self._antecedent(noun.i, ORG_CLASSES, max_sents=2)
        if org is not None and self.cls(org) in ORG_CLASSES:
            self.add(org, "headquarteredIn", j, "x-based", 0.8, tok)

    def _owned_noun(self, verb: Token) -> Token:
        """What an "owned by" / "belonging to" participle describes, through what the parser puts
        between: "SABIC, which is majority owned by Aramco" (on "majority", the attribute of the
        relative clause), "Zhongjing Huaye, a trading firm belonging to X" (on the apposition)."""
        head = verb.head
        if self.ent(head) is None and head.dep_ in ("attr", "npadvmod") and head.head.lemma_ == "be":
            cop = head.head
            head = cop.head if cop.dep_ == "relcl" else next((x for x in cop.children if x.dep_ == "nsubj"), head)
        if self.ent(head) is None and head.dep_ == "appos":
            head = head.head
        return head

    @rule_family("ownership", "token")
    def _ownership(self, tok: Token) -> None:
        """subsidiaryOf: "Geely acquired Volvo Cars", "Mercedes-Benz, owned by Daimler", "Alibaba's
        subsidiary Ant Group" (a bought company is a subsidiary of its buyer)."""
        lex, low = self.lex, tok.lower_
        if tok.pos_ == "VERB" and lex.trigger("acquire", self.lemma(tok)) and not self._is_passive(tok):
            buyers = [e for s in self.subjects(tok) for e in self.ents(s, ORG_CLASSES)]
            bought = [e for d in tok.children if d.dep_ == "dobj" for e in self.ents(d, ORG_CLASSES)]
            for b in buyers:
                for x in bought:
                    self.add(x, "subsidiaryOf", b, "acquired-by", 0.65, tok)
        if tok.pos_ == "VERB" and lex.trigger("own", self.lemma(tok)) and (tok.dep_ == "acl" or self._is_passive(tok)):
            owners = [e for a in tok.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"
                      for e in self.ents(p, ORG_CLASSES)]
            owned = self.ent(self._owned_noun(tok)) if tok.dep_ == "acl" else None
            if owned is None and tok.dep_ != "acl":
                owned = next((e for s in tok.children if s.dep_ == "nsubjpass" and (e := self.ent(s)) is not None), None)
            if owned is not None and self.cls(owned) in ORG_CLASSES:
                for o in owners:
                    self.add(owned, "subsidiaryOf", o, "owned-by", 0.65, tok)
        # "Audi, which belongs to the Volkswagen Group"; "X is part of Y", "X, part of Y"
        if tok.lemma_.lower() == "belong" or (low == "part" and tok.pos_ == "NOUN"):
            prep = "to" if low != "part" else "of"
            parents = [e for c in tok.children if c.dep_ == "prep" and c.lower_ == prep
                       for p in c.children if p.dep_ == "pobj" for e in self.ents(p, ORG_CLASSES)]
            if low == "part":
                subj = [e for s in (self.subjects(tok.head) if tok.dep_ == "attr" else [tok.head] if tok.dep_ == "appos" else [])
                        for e in self.ents(s, ORG_CLASSES)]
            elif tok.dep_ == "acl":
                subj = [e for e in [self.ent(self._owned_noun(tok))] if e is not None]   # "a firm belonging to X"
            else:
                subj = [e for s in self.subjects(tok) for e in self.ents(s, ORG_CLASSES)]
            for x in subj:
                for y in parents:
                    if x != y:
                        self.add(x, "subsidiaryOf", y, "belongs-to", 0.65, tok)
        if low == "one" and any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
            # "SK Broadband, one of its subsidiaries": the unit noun under "one of"
            inner = [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                     if p.dep_ == "pobj" and p.lower_ in lex.org_unit_heads | {"subsidiaries", "units", "affiliates"}]
            if inner:
                parents = [e for c in inner[0].children if c.dep_ == "poss" and (e := self.ent(c)) is not None
                           and self.cls(e) in ORG_CLASSES]
                parents += [e for c in inner[0].children if c.dep_ == "prep" and c.lower_ == "of"
                            for p in c.children if p.dep_ == "pobj" for e in self.ents(p, ORG_CLASSES)]
                # the name right before ", one of": whatever the parse attached the apposition to
                before = self.by_tok.get(tok.i - 2) if tok.i >= 2 and self.doc[tok.i - 1].text == "," else None
                named = [before] if before is not None else \
                    [e for s in self.subjects(tok.head) for e in self.ents(s, ORG_CLASSES)] if tok.dep_ == "attr" else []
                for x in named:
                    if x is None or self.cls(x) not in ORG_CLASSES:
                        continue
                    for y in parents:
                        if y == x:
                            # "SK Telecom and SK Broadband, one of its subsidiaries": "its" is the other one
                            earlier = [j for j in range(len(self.m)) if self.m[j].end <= self.m[x].start
                                       and self.m[j].start >= tok.sent.start and self.cls(j) in ORG_CLASSES]
                            y = earlier[-1] if earlier else None
                        if y is not None and y != x:
                            self.add(x, "subsidiaryOf", y, "one-of-its-units", 0.7, tok)
        if low in lex.org_unit_heads and tok.pos_ == "NOUN" and tok.dep_ == "attr":
            # "Shuangliang Silicon Materials is the local unit of Shuangliang Eco-Energy"
            parents = [e for c in tok.children if c.dep_ == "poss" and (e := self.ent(c)) is not None
                       and self.cls(e) in ORG_CLASSES]
            parents += [e for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                        for p in c.children if p.dep_ == "pobj" for e in self.ents(p, ORG_CLASSES)]
            for x in (e for s in self.subjects(tok.head) for e in self.ents(s, ORG_CLASSES)):
                for y in parents:
                    if x != y and not self.m[x].descriptive:
                        self.add(x, "subsidiaryOf", y, "is-unit-of", 0.7, tok)
        if low in lex.org_unit_heads and tok.pos_ == "NOUN":
            # "Alibaba's subsidiary Ant Group", "AWS, the cloud computing arm of Amazon"
            parents = [e for c in tok.children if c.dep_ == "poss" and (e := self.ent(c)) is not None
                       and self.cls(e) in ORG_CLASSES]
            parents += [e for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                        for p in c.children if p.dep_ == "pobj" for e in self.ents(p, ORG_CLASSES)]
            # "Xinte Energy, a TBEA subsidiary": the owner named before the noun
            parents += [e for c in tok.children if c.dep_ == "compound" and (e := self.ent(c)) is not None
                        and self.cls(e) in ORG_CLASSES and not self.m[e].descriptive]
            named = [e for c in tok.children if c.dep_ == "appos" and (e := self.ent(c)) is not None]
            if tok.dep_ in ("compound", "nmod", "appos") and (e := self.ent(tok.head)) is not None:
                named.append(e)
            for x in named:
                if self.cls(x) in ORG_CLASSES and not self.m[x].descriptive:
                    for y in parents:
                        self.add(x, "subsidiaryOf", y, "possessive-unit-named", 0.7, tok)

    @rule_family("dependency-patterns", "document")
    def _dependency_patterns(self) -> None:
        """The patterns of ``ontology/patterns/relations.json`` (``kg.extract.patterns``): each match
        links the mentions on its subject and object nodes whose classes fit its predicate."""
        from kg.extract.candidates import signatures
        from kg.extract.patterns import match_patterns

        sigs = signatures()
        for pat, s_tok, o_tok in match_patterns(self.doc):
            sig = sigs[pat.predicate]
            for s in self.ents(s_tok, sig.domain):
                for o in self.ents(o_tok, sig.range):
                    self.add(s, pat.predicate, o, pat.name, pat.confidence, s_tok)

    @rule_family("government-members", "document")
    def _government_members(self) -> None:
        """A minister, president or premier is a member of the government the article names:
        "Interior Minister Abdelouafi Laftit" of "the Moroccan government", "Quebec Economy Minister
        Pierre Fitzgibbon" of "the Quebec government". A place word in the title picks the
        government of that place; without one, the article must name a single government. A
        governor or mayor needs the place ("Henan Governor Wang Kai": "the Henan provincial
        government"), and a title naming another country's place links to nothing."""
        # "the Moroccan government", "Government of Canada"; not "the office of the Head of Government"
        govs = [j for j, m in enumerate(self.m) if m.cls == "GovernmentBody" and self.coref.get(j, j) == j
                and (m.name.lower().startswith("government of ") or m.name.lower().split()[-1] == "government"
                     and " of " not in m.name.lower())]
        # "Prime Minister Antonio Costa's government" is the one "the Portuguese government" names
        if any(self.m[j].name.lower() != "government" for j in govs):
            govs = [j for j in govs if self.m[j].name.lower() != "government"]
        if not govs:
            return
        # a title with no place in it ("Prime Minister Justin Trudeau") is of the national government,
        # not of a province's or a city's
        sub_national = LEVEL_WORDS - {"federal", "national", "central"}
        local_places = {m.name.lower() for m in self.m if m.cls in ("Province", "City", "District")}
        national = [j for j in govs if not set(self.m[j].name.lower().split()) & sub_national
                    and not any(place in self.m[j].name.lower() for place in local_places)]
        seen: set[int] = set()
        for idx, m in enumerate(self.m):
            idx = self.coref.get(idx, idx)
            if self.m[idx].cls != "Person" or idx in seen:
                continue
            title, places = self._title_words(m)
            heads = {w.lower() for w in title} & GOVERNMENT_TITLES
            if not heads or {w.lower() for w in title} & {"its", "their", "company", "company's", "group", "firm"}:
                continue    # "its founding president": a company's officer, not a government's
            seen.add(idx)
            # which government: the one whose place the title names ("Quebec", "Moroccan")
            named = [j for j in govs if any(w.lower() in self.m[j].name.lower().split() for w in places)]
            if named:
                target = named[0]
            else:
                # a prime minister or president with no place is the nation's ("Prime Minister Justin
                # Trudeau"); a minister or chief minister may be a state's ("Chief Minister Stalin")
                pool = national if {w.lower() for w in title} & {"prime", "president"} else govs
                if len(pool) > 1:
                    # several governments: the one named nearest the person, within two sentences
                    pool = self._nearest_by_sentence(m, pool, within=2)
                if places or heads <= {"governor", "mayor"} or len(pool) != 1:
                    continue    # another place's minister, or a governor of a place with no government named
                target = pool[0]
            self.add(idx, "worksFor", target, "government-member", 0.6, self.doc[m.head if m.head >= 0 else m.start])

    def _nearest_by_sentence(self, m: TokMention, pool: list[int], within: int) -> list[int]:
        """The mentions of ``pool`` in the sentence nearest ``m``'s (at most ``within`` sentences
        away); all of them if several are equally near."""
        starts = self.sent_starts

        def sent_no(tok: int) -> int:
            return bisect_right(starts, tok) - 1

        here = sent_no(m.start)
        dist = {j: abs(sent_no(self.m[j].start) - here) for j in pool}
        best = min(dist.values(), default=within + 1)
        return [j for j in pool if dist[j] == best] if best <= within else []

    def _title_words(self, m: TokMention) -> tuple[list[str], list[str]]:
        """The words of a person's title, right before the name ("Quebec Economy Minister") or in
        apposition after it ("X, Morocco's minister of industry"), and the places among them
        (places the gazetteer or the tagger knows, and nationality words: "Moroccan")."""
        doc = self.doc
        title: list[str] = []
        places: list[str] = []

        def place_name(t: Token) -> str | None:
            """The place a title word names: its mention's name, or the word a tagger calls a place."""
            j = self.by_tok.get(t.i)
            if (j is not None and self.m[j].cls in PLACE_LIKE) or t.ent_type_ in ("GPE", "NORP", "LOC"):
                return self.m[j].name if j is not None else t.text
            return None

        k = m.start - 1
        while k >= 0 and (doc[k].lower_ in GOVERNMENT_TITLES or doc[k].text[:1].isupper() and doc[k].is_alpha
                          and (self.by_tok.get(k) is None or place_name(doc[k]) is not None)):
            title.insert(0, doc[k].text)
            if (place := place_name(doc[k])) is not None:
                places.insert(0, place)
            k -= 1
        root = doc[m.start:m.end].root
        # "the Minister of Finance, Wale Edun": the name in apposition to the title
        if root.dep_ == "appos" and (root.head.lower_ in GOVERNMENT_TITLES or root.head.lemma_.lower() in GOVERNMENT_TITLES):
            for t in root.head.subtree:
                if t.i < m.start:       # the title's words, before the name
                    title.append(t.text)
                    if (place := place_name(t)) is not None:
                        places.append(place)
        for a in (c for c in root.children if c.dep_ == "appos"):
            # "the minister delegate for the budget": the title may be a modifier of the head
            if a.lower_ in GOVERNMENT_TITLES or a.lemma_.lower() in GOVERNMENT_TITLES or any(
                    c.lower_ in GOVERNMENT_TITLES for c in a.lefts if c.dep_ in ("compound", "amod", "nmod")):
                for t in a.subtree:
                    title.append(t.text)
                    if (place := place_name(t)) is not None:
                        places.append(place)
        return title, places

    @rule_family("place-in-name", "document")
    def _place_in_name(self) -> None:
        """A city or province inside an organisation's or a park's name is where it is: "CPC
        Shaoguan Municipal Committee", "Baotou Rare Earth High-tech Zone", "Hongfujin Precision
        (Chengdu) Co Ltd"; an event is held in the city it is named after ("Qingdao Multinationals
        Summit"). Only a place the article names on its own is linked (a country in a name,
        "China Mobile", says little of where a thing is); a district counts when the article
        names it ("People's Government of Jiangjin District" after "Chongqing's Jiangjin district")."""
        places: dict[str, int] = {}
        for j, m in enumerate(self.m):
            if m.cls in ("City", "Province", "District") and not m.descriptive:
                places.setdefault(_base_place(m.name), j)
        if not places:
            return
        for idx, m in enumerate(self.m):
            # a described government is named by its place too: "the Karamay municipal government"
            if (m.descriptive and m.cls != "GovernmentBody") or m.cls not in PLACE_NAMED or m.end - m.start < 2:
                continue
            toks = self.doc[m.start:m.end]
            seen: set[int] = set()
            for n in (3, 2, 1):
                for k in range(len(toks) - n + 1):
                    words = toks[k:k + n]
                    if not words[0].text[:1].isupper() or any(t.i in seen for t in words):
                        continue
                    j = places.get(_base_place(words.text))
                    if j is None or j == idx:
                        continue
                    # a city or province the gazetteer knows, or a district the article names on its own
                    if self.m[j].cls != "District" and not any(p.cls in ("City", "Province")
                                                               for p in lookup(words.text)):
                        continue
                    if m.cls == "Event" and self.m[j].cls != "City":
                        continue
                    seen.update(t.i for t in words)
                    self.add(idx, "heldIn" if m.cls == "Event" else "locatedIn", j, "place-in-name", 0.7,
                             self.doc[m.head if m.head >= 0 else m.end - 1])

    @rule_family("agreements-between", "token", when=lambda f, tok: tok.lemma_.lower() in f.lex.agreement_nouns)
    def _agreement_between(self, tok: Token) -> None:
        """"an agreement between Toyota and GAC", "the deal between X, Y and Z": the parties partner."""
        # the "between" may hang on the noun's "of" complement: "a memorandum of understanding between"
        heads = [tok] + [p for pr in tok.children if pr.dep_ == "prep" and pr.lower_ == "of"
                         for p in pr.children if p.dep_ == "pobj"]
        parties = [e for h in heads for pr in h.children if pr.dep_ == "prep" and pr.lower_ == "between"
                   for p in pr.children if p.dep_ == "pobj" for e in self.ents(p, ORG_CLASSES)]
        for i, a in enumerate(parties):
            for b in parties[i + 1:]:
                self.add(a, "partnersWith", b, "agreement-between", 0.7, tok)

    @rule_family("co-owners", "token", when=lambda f, tok: tok.tag_ == "NNS" and tok.lemma_.lower() in CO_OWNER_NOUNS)
    def _co_owners(self, tok: Token) -> None:
        """"The plant has three shareholders, Airbus, AVIC and the Tianjin government"; "OpenAI and
        Oracle are two of the backers of the venture": the owners of one thing are partners."""
        members = self.ents(tok, ORG_CLASSES)
        # "A and B are (two of) the backers": the members are the copula's subject
        head = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ in ("NUM", "PRON") \
            else tok
        if head.dep_ == "attr" and head.head.lemma_ == "be":
            members += [e for s in head.head.children if s.dep_ == "nsubj" for e in self.ents(s, ORG_CLASSES)
                        if e not in members]
        members = list(dict.fromkeys(self.coref.get(e, e) for e in members))
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                self.add(a, "partnersWith", b, "co-owners", 0.65, tok)

    @rule_family("agreements-with", "token", when=lambda f, tok: tok.lemma_.lower() in f.lex.agreement_nouns
                 or tok.lemma_.lower() in COOPERATION_NOUNS or tok.lemma_.lower() == "work" and tok.pos_ == "NOUN")
    def _agreement_with(self, tok: Token) -> None:
        """"the company's work with the Malaysian government", "MIDA signed a memorandum of
        understanding with the company": whose agreement it is partners with whom it is with."""
        heads = [tok] + [p for pr in tok.children if pr.dep_ == "prep" and pr.lower_ == "of"
                         for p in pr.children if p.dep_ == "pobj"]
        others = [e for h in heads for pr in h.children if pr.dep_ == "prep" and pr.lower_ == "with"
                  for p in pr.children if p.dep_ == "pobj" for e in self.ents(p, ORG_CLASSES)]
        if not others:
            return
        owners = [e for c in tok.children if c.dep_ == "poss" for e in self.ents(c, ORG_CLASSES)]
        if not owners and tok.dep_ == "dobj" and tok.head.lemma_.lower() in AGREEMENT_VERBS:
            owners = [e for s in self.subjects(tok.head) for e in self.ents(s, ORG_CLASSES)]
        for a in owners:
            for b in others:
                self.add(a, "partnersWith", b, "agreement-with", 0.7, tok)

    @rule_family("suppliers", "token", when=lambda f, tok: tok.lemma_.lower() in SUPPLIER_NOUNS)
    def _suppliers(self, tok: Token) -> None:
        """"LT Precision, a supplier to LG Chem", "the Apple supplier": a standing business tie."""
        buyers = [e for pr in tok.children if pr.dep_ == "prep" and pr.lower_ in ("to", "of", "for")
                  for p in pr.children if p.dep_ == "pobj" for e in self.ents(p, ORG_CLASSES)]
        buyers += [e for c in tok.children if c.dep_ == "compound" for e in self.ents(c, ORG_CLASSES)]
        if not buyers:
            return
        seller = None
        if tok.dep_ == "appos":
            seller = self.ent(tok.head)
        elif tok.dep_ in ("attr",):
            subs = self.subjects(tok.head)
            seller = self.ent(subs[0]) if subs else None
        elif tok.dep_ in ("nsubj", "pobj", "dobj") and tok.i in self.by_head:
            seller = self.ent(tok)      # "the Apple supplier": the description refers back to the seller
        if seller is None or self.cls(seller) not in ORG_CLASSES:
            return
        for b in buyers:
            if b != seller:
                self.add(seller, "partnersWith", b, "supplier-to", 0.65, tok)

    def _hyphenated_parents(self, tok: Token) -> list[int]:
        """The organisations a venture is named after: "the Weichai-Ballard joint venture" after
        "Weichai Power" and "Ballard Power Systems" (each part the first word of a name the article uses)."""
        mods = [c for c in tok.lefts if c.dep_ in ("compound", "nmod", "amod") and c.pos_ == "PROPN"]
        if not mods:
            return []
        lo = min(c.left_edge.i for c in mods)
        words = [t.text for t in self.doc[lo:tok.i] if t.text != "-" and t.pos_ == "PROPN"]
        if len(words) < 2 or not any(t.text == "-" for t in self.doc[lo:tok.i]):
            return []
        found = []
        for w in words:
            named = [j for j, m in enumerate(self.m) if m.cls in ORG_CLASSES and not m.descriptive
                     and m.end <= lo and m.name.split()[0].lower() == w.lower()]
            if named:
                found.append(self.coref.get(named[-1], named[-1]))
        return found if len(found) >= 2 else []

    @rule_family("joint-ventures", "token", when=lambda f, tok: tok.lemma_.lower() == "venture")
    def _joint_venture(self, tok: Token) -> None:
        """"a joint venture between BMW and Brilliance Auto": the parents are partners."""
        named_after = self._hyphenated_parents(tok)
        if not any(c.lemma_.lower() == "joint" for c in tok.children) and not named_after:
            return
        parents: list[int] = []
        for c in tok.children:
            if c.dep_ == "prep" and c.text.lower() in ("between", "of"):
                for x in c.subtree:
                    e = self.ent(x) if x.i in self.by_head else None
                    if e is not None and self.cls(e) in ORG_CLASSES and e not in parents:
                        parents.append(e)
        # "the Weichai-Ballard joint venture": the parents named, joined by a hyphen, before it
        parents += [e for e in named_after if e not in parents]
        # "the joint venture that ties Germany's BMW Group to Brilliance": the parents of a clause on it
        for v in (c for c in tok.children if c.dep_ in ("relcl", "acl")):
            for x in v.subtree:
                e = self.ent(x) if x.i in self.by_head and x.i != tok.i else None
                if e is not None and self.cls(e) in ORG_CLASSES and e not in parents and x.dep_ in ("dobj", "pobj", "conj"):
                    parents.append(e)
        for i, a in enumerate(parents):
            for b in parents[i + 1:]:
                self.add(a, "partnersWith", b, "joint-venture-between", 0.75, tok)
        # the venture is a subsidiary of each parent: the venture itself, or the name it stands for
        # ("BMW Brilliance Automotive, the joint venture ...", "StarPlus Energy, the joint venture of")
        ventures = [e for e in (self.ent(tok),) if e is not None]
        if tok.dep_ == "appos" and (e := self.ent(tok.head)) is not None:
            ventures.append(e)
        ventures += [e for c in tok.children if c.dep_ == "appos" and (e := self.ent(c)) is not None]
        for v in ventures:
            if self.cls(v) in ORG_CLASSES:
                for parent in parents:
                    if parent != v:
                        self.add(v, "subsidiaryOf", parent, "joint-venture-of", 0.7, tok)

    @rule_family("investment-nouns", "token", when=lambda f, tok: tok.lemma_.lower() in f.lex.triggers["invest_nouns"])
    def _invest_noun(self, tok: Token) -> None:
        """"increased its investment in its Heilongjiang branch"."""
        preps = [c for c in tok.children if c.dep_ == "prep"]
        if not preps and tok.dep_ == "dobj":
            preps = [c for c in tok.head.children if c.dep_ == "prep"]   # "increased its investment in X"
        targets = [e for c in preps if c.text.lower() in ("in", "into")
                   for p in c.children if p.dep_ == "pobj" for e in self.ents(p, PLACE_LIKE | ORG_CLASSES | {"Facility", "Sector"})]
        if not targets:
            # "Guangdong has attracted investment from companies such as BYD and Midea"
            froms = [c for c in tok.children if c.dep_ == "prep" and c.text.lower() == "from"]
            verb = self.verb_of(tok)
            place = None
            if verb is not None:
                subs = self.subjects(verb)
                place = self.ent(subs[0]) if subs else None
            if froms and place is not None and self.cls(place) in PLACE_LIKE:
                for x in froms[0].subtree:
                    e = self.ent(x) if x.i in self.by_head else None
                    if e is not None and self.cls(e) in ORG_CLASSES:
                        self.add(e, "investsIn", place, "investment-from", 0.7, tok)
            return
        investor = None
        for c in tok.children:
            if c.dep_ == "poss":
                investor = self.ent(c)
        if investor is None:
            verb = self.verb_of(tok)
            subs = self.subjects(verb) if verb is not None else []
            investor = self.ent(subs[0]) if subs else None
        if investor is not None and self.cls(investor) in AGENTS:
            for t in targets:
                self.add(investor, "investsIn", t, "noun-investment", 0.7, tok)

    @rule_family("sectors", "document")
    def _sectors(self) -> None:
        """Who is active in a sector: the owner, subject or apposition head of the phrase naming it."""
        for idx, m in enumerate(self.m):
            if m.cls != "Sector":
                continue
            tok = self.doc[m.head]
            noun = self.doc[min(m.end, len(self.doc) - 1)]
            if m.source == "sector-producer" and noun.tag_ == "NNS":
                # "battery makers such as CATL and BYD": each named example makes it
                for c in noun.children:
                    if c.dep_ == "prep" and c.lower_ in ("as", "including", "like"):
                        for e in (e for g in c.children if g.dep_ == "pobj" for e in self.ents(g, ORG_CLASSES)):
                            self.add(e, "activeIn", idx, "sector-examples", 0.6, tok)
                continue
            owner = self._sector_owner(tok, idx)
            if owner is not None:
                self.add(owner, "activeIn", idx, "sector-owner", 0.6, tok)
                # "Tencent and NetEase dominate the gaming market": every coordinated subject
                head = self.doc[self.m[owner].head]
                if head.dep_ in ("nsubj", "nsubjpass"):
                    for e in self.ents(head, ORG_CLASSES | {"Province", "City", "District", "IndustrialPark"}):
                        self.add(e, "activeIn", idx, "sector-owner", 0.6, tok)

    def _producer_owner(self, sector_idx: int) -> int | None:
        """Whom a producer noun describes: "manufacturer HG Tech", "carmaker Toyota", "YOFC, a fiber maker"."""
        m = self.m[sector_idx]
        noun = self.doc[m.head] if m.source == "sector-maker" else self.doc[min(m.end, len(self.doc) - 1)]
        if m.source == "sector-product":
            # "a producer of nylon and polymers": up the list and the "of" to the producer noun
            noun = self.doc[m.head]
            while noun.dep_ == "conj" and noun.head.i != noun.i:
                noun = noun.head
            noun = noun.head.head
        cands = [c for c in noun.children if c.dep_ == "appos"] + [noun.head]
        for c in cands:
            e = self.ent(c)
            if e is not None and self.cls(e) in ORG_CLASSES and not self.m[e].descriptive:
                return e
        nxt = self.by_tok.get(noun.i + 1)
        if nxt is not None and self.m[nxt].cls in ORG_CLASSES and not self.m[nxt].descriptive:
            return self.coref.get(nxt, nxt)
        if noun.dep_ == "attr":     # "CALB is a battery maker"
            for sub in (c for c in noun.head.children if c.dep_ == "nsubj"):
                e = self.ent(sub)
                if e is not None and self.cls(e) in ORG_CLASSES:
                    return e
        return None

    def _sector_owner(self, tok: Token, sector_idx: int) -> int | None:
        if self.m[sector_idx].source in ("sector-producer", "sector-maker", "sector-product"):
            return self._producer_owner(sector_idx)
        if tok.dep_ == "dobj" and self.lex.trigger("operate", self.lemma(tok.head)) and tok.tag_ == "NNS":
            return None     # "are building data centers": things they build, not a sector they are in
        for i, m in enumerate(self.m):
            if m.descriptive and m.source != "descriptive-plural" and m.start <= tok.i < m.end and i != sector_idx:
                # "Huawei's cloud computing data center": the owner is active in it, not the place
                owner = self.ent(self.doc[m.owner_tok]) if m.owner_tok is not None else None
                return owner if owner is not None and self.cls(owner) in ORG_CLASSES else None
        # "manufacturing in the province", "e-commerce turnover in the province's rural areas"
        for n in (tok, tok.head):
            for c in n.children:
                if c.dep_ == "prep" and c.text.lower() == "in":
                    for p in c.children:
                        if p.dep_ != "pobj":
                            continue
                        e = self.ent(p)
                        if e is None:
                            for q in p.children:
                                if q.dep_ == "poss":
                                    e = self.ent(q)
                        if e is not None and self.cls(e) in ("Province", "City", "District", "IndustrialPark"):
                            return e
            if n.pos_ not in ("NOUN", "PROPN"):
                break
        # "the search engine developer Baidu", "telecom operators, China Mobile ...": the named thing
        h = tok.head
        if tok.dep_ == "compound" and h.pos_ == "NOUN" and (
                h.i not in self.by_head or self.m[self.by_head[h.i]].source == "descriptive-plural"):
            for c in list(h.children) + [h.head]:
                if c.dep_ == "appos" or c is h.head and h.dep_ == "compound":
                    e = self.ent(c)
                    if e is not None and self.cls(e) in ORG_CLASSES:
                        for x in self.expand(c):
                            x_e = self.ent(x)
                            if x_e is not None and x_e != e and self.cls(x_e) in ORG_CLASSES:
                                self.add(x_e, "activeIn", sector_idx, "sector-appositive", 0.6, tok)
                        return e
        t = tok
        for _ in range(8):
            # skip up coordination and list heads
            for c in t.children:
                if c.dep_ == "poss":
                    e = self.ent(c)
                    if e is not None and self.cls(e) in PLACE_LIKE and t.lemma_.lower() in self.lex.producer_heads:
                        continue    # "Jiangsu's biggest maker of batteries": the place ranks the maker
                    if e is not None and self.cls(e) in ORG_CLASSES | {"Province", "City", "District", "IndustrialPark"}:
                        return e
            if t.i != tok.i:
                e = self.ent(t)
                if e is not None and self.m[e].descriptive and self.m[e].start <= tok.i < self.m[e].end:
                    return None     # "a cloud computing park": the sector names the thing itself
                if e is not None and e != sector_idx and self.cls(e) in ORG_CLASSES | {"Province", "City", "District", "IndustrialPark"}:
                    return e
                if e is not None and self.cls(e) in ("Person", "Facility", "Event", "Country"):
                    return None
            if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("acl", "relcl", "amod", "prep"):
                subs = self.subjects(t)
                for s in subs:
                    e = self.ent(s)
                    if e is not None and self.cls(e) in ORG_CLASSES | {"Province", "City", "District", "IndustrialPark"}:
                        return e
                    if e is not None and self.cls(e) == "Sector":
                        # "big data has become an engine for the province's economy"
                        for x in t.subtree:
                            if x.dep_ == "poss":
                                pe = self.ent(x)
                                if pe is not None and self.cls(pe) in ("Province", "City", "District"):
                                    return pe
                return None
            if t.head is t:
                return None
            t = t.head
        return None

    @rule_family("gazetteer-places", "document")
    def _gazetteer_places(self) -> None:
        """Where a place lies, when the article names both it and what contains it: the
        gazetteer knows that Dalian is in Liaoning and Liaoning in China. The most specific
        container named is the one taken (Dalian in Liaoning, not in China), as a reader would.
        Only for places the article says something else about: a city named in passing (a
        dateline, a list of destinations) is not worth a fact."""
        told = {self.coref.get(i, i) for f in self.facts for i in (f.s, f.o)}
        by_code: dict[str, int] = {}
        for idx, m in enumerate(self.m):
            code = place_code(m.ids)
            if code and m.cls in PLACE_CLASSES and self.coref.get(idx, idx) == idx:
                by_code.setdefault(code, idx)
        done: set[str] = set()
        for _ in range(2):      # a container put to use becomes worth placing too: Dalian, Liaoning, China
            for idx, m in enumerate(self.m):
                if m.cls not in PLACE_CLASSES or self.coref.get(idx, idx) != idx or m.name in done or idx not in told:
                    continue
                for code in containing(m.ids):
                    j = by_code.get(code)
                    if j is not None and j != idx:
                        done.add(m.name)
                        told.add(j)
                        self.add(idx, "locatedIn", j, "place-gazetteer", 0.7, self.doc[m.head])
                        break

    @rule_family("subsidiary-by-name", "document")
    def _subsidiary_by_name(self) -> None:
        """A company named as another plus a place or a line of business is its unit: "Nvidia
        Vietnam", "BYD Americas", "China Mobile International", "Amazon Web Services" of Amazon,
        "SK Telecom" of "SK Group". The parent's name is taken without "Group", "Holdings" or a
        legal suffix; a longer name that only adds such words ("Hyundai Motor Group" beside
        "Hyundai") is the same company named in full, not a unit of it. Beside a bare short
        name only a regional unit counts: "Foxconn Technology Group" is Foxconn itself."""
        orgs = [(j, m) for j, m in enumerate(self.m) if m.cls == "Company" and not m.descriptive
                and self.coref.get(j, j) == j]
        cores, full, places = {}, set(), set()
        for j, m in orgs:
            words = m.name.split()
            while len(words) > 1 and words[-1].lower().strip(".,") in SAME_COMPANY_WORDS:
                words.pop()
            cores[j] = words
            if len(words) < len(m.name.split()):
                full.add(j)     # "SK Group", "Tencent Holdings": a parent named in full
            if len(words) == 1 and lookup(words[0]) and not any(p.cls == "City" for p in lookup(words[0])):
                places.add(j)   # "China Mobile" is no unit of a company called "China"

        def regional(rest: list[str]) -> bool:
            """"Vietnam", "North America", "International": where the unit works."""
            return any(w.lower() in UNIT_REGION_WORDS for w in rest) or any(
                p.cls in ("Country", "Province", "City") for k in range(len(rest)) for n in (1, 2)
                for p in lookup(" ".join(rest[k:k + n])))
        done: set[tuple[str, str]] = set()
        for a, ma in orgs:
            wa = ma.name.split()
            for b, _ in orgs:
                core = cores[b]
                if b == a or len(wa) <= len(core) or [w.lower() for w in wa[:len(core)]] != [w.lower() for w in core]:
                    continue
                if b in places:
                    continue
                rest = [w.strip(".,()") for w in wa[len(core):]]
                if all(w.lower() in SAME_COMPANY_WORDS for w in rest) or (ma.name, self.m[b].name) in done:
                    continue
                if b not in full and not regional(rest):
                    continue    # "Foxconn Technology Group" beside "Foxconn": one company, short and full
                done.add((ma.name, self.m[b].name))
                self.add(a, "subsidiaryOf", b, "subsidiary-by-name", 0.6, self.doc[ma.head if ma.head >= 0 else ma.start])

    @cached_property
    def _dateline_city(self) -> int | None:
        """The city of the dateline ("FUZHOU, May 2 --", "LANZHOU, May 13 (Xinhua) --"): a city
        named at the start of a line that runs on to a dash within a few words (or the province
        the gazetteer reads it as: "KUMAMOTO")."""
        doc = self.doc
        for j, m in enumerate(self.m):
            if m.start > 120:
                break
            if m.cls not in ("City", "Province") or (m.start > 0 and "\n" not in doc[m.start - 1].text_with_ws
                                   and not doc[m.start - 1].is_space):
                continue
            ahead = doc[m.end:min(m.end + 10, len(doc))]
            if any(t.text in ("--", "—", "–") for t in ahead) and not any("\n" in t.text for t in ahead[:3]):
                return self.coref.get(j, j)
        return None

    @rule_family("dateline-districts", "document")
    def _dateline_districts(self) -> None:
        """A district or county the article places nowhere is in the city of its dateline:
        "Gulou District" in a report from FUZHOU. Only districts, which local news names without
        their city, and only where no rule found a place for them and the gazetteer knows none."""
        city = self._dateline_city
        if city is None:
            return
        placed = {self.coref.get(f.s, f.s) for f in self.facts if f.p == "locatedIn"}
        done: set[str] = set()
        for idx, m in enumerate(self.m):
            if m.cls != "District" or m.descriptive or self.coref.get(idx, idx) != idx or idx in placed \
                    or m.ids or m.name in done or idx == city:
                continue
            words_ = m.name.split()
            if len(words_) < 2 or words_[-1].lower() not in DISTRICT_NAME_WORDS or lookup(" ".join(words_[:-1])):
                continue    # "Coimbatore district" is named after a city of its own, not part of this one
            done.add(m.name)
            self.add(idx, "locatedIn", city, "dateline-district", 0.55, self.doc[m.head if m.head >= 0 else m.start])

    @rule_family("dateline-event", "document")
    def _dateline_event(self) -> None:
        """The event a report opens with is held where the report is filed from, when the text
        says nowhere else: a ceremony in the lead of a story datelined "KUMAMOTO, Feb 24 --"
        was held in Kumamoto. Only the event named first, in the lead, and only a city."""
        city = self._dateline_city
        if city is None:
            return
        sents = list(self.doc.sents)
        lead_end = sents[min(3, len(sents) - 1)].end
        first = next((j for j, m in enumerate(self.m) if m.cls == "Event" and m.start < lead_end), None)
        if first is None:
            return
        ev = self.coref.get(first, first)
        if any(self.coref.get(f.s, f.s) == ev and f.p == "heldIn" for f in self.facts):
            return
        self.add(ev, "heldIn", city, "dateline-event", 0.55, self.doc[self.m[first].head if self.m[first].head >= 0
                                                                        else self.m[first].start])

    @rule_family("incubation", "document")
    def _incubation(self) -> None:
        """A founder who joined or entered an incubator or park and founded a company there."""
        joined: dict[int, list[tuple[int, Token]]] = {}
        founded: dict[int, list[int]] = {}
        for f in self.facts:
            if f.p == "founded" and self.cls(f.s) == "Person":
                founded.setdefault(f.s, []).append(f.o)
        for verb in self.doc:
            if verb.pos_ != "VERB" or not self.lex.trigger("join_place", self.lemma(verb)):
                continue
            for s in self.subjects(verb):
                p = self.ent(s)
                if p is None or self.cls(p) != "Person":
                    continue
                for d in verb.children:
                    if d.dep_ == "dobj":
                        for x in self.ents(d, {"Incubator", "IndustrialPark"}):
                            joined.setdefault(p, []).append((x, verb))
        for person, places in joined.items():
            for company in founded.get(person, []):
                for place, verb in places:
                    self.add(place, "incubates", company, "joined-and-founded", 0.6, verb)
                    if self.cls(place) == "IndustrialPark":
                        self.add(company, "locatedIn", place, "joined-and-founded", 0.6, verb)
