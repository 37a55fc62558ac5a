"""Doc -> entity mentions, typed with the core classes.

Layers, strongest first, merged without overlap:

1. proper names that end in a class keyword ("Jilin University",
   "Ministry of Industry and Information", "Guian New Area",
   "Shuang Long airport economic zone"): the keyword gives the class;
2. places from the gazetteer, with the context word deciding between
   readings ("Jilin province" vs "Jilin city");
3. spaCy NER (PERSON, ORG, GPE, ...), re-typed by keywords and gazetteers;
4. sectors from the lexicon and "the X industry".

A fifth layer may overlap the others: descriptive noun phrases for unnamed
things facts hang on ("Huawei's cloud computing data center", "a nursing and
home care company", "its Heilongjiang branch"), whose head noun gives the
class and whose possessor (if any) is kept as the owner.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extract.lexicon import Lexicon, lexicon, words
from kg.extract.places import Place, cannot_contain, city_words, country_of, district_words, lookup, merge_city_ids, province_words
from kg.vocab import PLACE_CLASSES

NAME_STOP = words("name_stop")
CONNECTORS = words("connectors")
DETERMINERS = words("determiners")
PRONOUN_POSS = words("possessive_pronouns")
VENUE_WORDS = words("venue_words")
SITING_VERBS = words("siting_verbs")
COMPANY_NOUNS = words("company_nouns")
MONEY_WORDS = words("money_words")
#: month and day names: a capitalised word after "in" that is a date, not a town
CALENDAR_WORDS = frozenset(w.lower() for w in (*calendar.month_name[1:], *calendar.month_abbr[1:],
                                               *calendar.day_name))
#: small words inside a place's name ("Caxias do Sul", "Mogi das Cruzes", "Saint-Basile-le-Grand")
PLACE_CONNECTORS = frozenset({"do", "da", "das", "dos", "de", "del", "la", "le"})
#: a city of this many people is not taken for a namesake town in another state
MAJOR_CITY = 500_000
ORG_LIKE = {"Company", "Organization", "GovernmentBody", "ResearchInstitution", "Incubator", "Event", "Facility"}
#: classes whose name head ("University", "Ministry", "Park") ends a name of its own
INSTITUTION_CLASSES = frozenset({"ResearchInstitution", "GovernmentBody", "Organization", "IndustrialPark",
                                 "Incubator", "Event"})
PLACE_OR_SECTOR = {"Country", "Province", "City", "District", "Sector"}
ADMIN_UNITS = words("admin_units")
PARK_HUB_MODIFIERS = words("park_hub_modifiers")
INCUBATED_NOUNS = words("incubated_nouns")
COMMON_ACRONYMS = words("common_acronyms")
SITE_NOUNS = words("site_nouns")
BUSINESS_ROLES = words("business_roles")
WORLD_REGIONS = words("world_regions")
#: "a plant in / near / outside Kharkhoda, Haryana"
TOWN_PREPOSITIONS = words("place_prepositions") | {"from", "to"}
UNIT_WORDS = words("unit_words")
TITLE_WORDS = words("title_words")
COMPANY_ROLES = words("company_roles")
GOVERNMENT_TITLES = words("government_titles")
PERSON_ROLE_MODIFIERS = words("person_role_modifiers")


@dataclass
class TokMention:
    """A mention as a token span of the Doc, before it becomes a ``Mention``."""

    start: int                  # token index
    end: int                    # exclusive
    cls: str
    name: str                   # normalised name used for resolution
    source: str
    weight: float = 1.0
    ids: dict[str, str] = field(default_factory=dict)
    descriptive: bool = False
    owner: int | None = None    # index of the mention that owns it ("Huawei" in "Huawei's center")
    owner_tok: int | None = None
    head: int = -1              # token index of the head word
    label_text: str = ""        # text for the label (descriptive: without determiners)
    full_text: str = ""         # the whole name a unit was cut from ("X Committee of the Communist Party of China")
    full_end: int = -1          # and where it ended

    @property
    def key(self) -> tuple[int, int]:
        return (self.start, self.end)


def _appositions(root: Token) -> list[Token]:
    """The nouns in apposition to a name, after it ("X, the maker") or before it ("the maker, X")."""
    return [c for c in root.children if c.dep_ == "appos"] + ([root.head] if root.dep_ == "appos" else [])


def is_role_noun(tok: Token, roles: frozenset[str], compounds: bool = True) -> bool:
    """Whether a noun is one of ``roles`` ("chairman", "vice-president"), or the noun the parser
    made the head of one ("chairman emeritus": the role is a compound before it)."""
    low = tok.lower_
    return low in roles or tok.lemma_.lower() in roles or low.replace("-", " ") in roles or compounds and any(
        c.dep_ == "compound" and c.i < tok.i and is_role_noun(c, roles, False) for c in tok.children)


def _is_cap(tok: Token) -> bool:
    t = tok.text
    return bool(t) and (t[0].isupper() or (len(t) > 1 and t[0].islower() and any(c.isupper() for c in t[1:])))


def doc_prev_is_hyphen(tok: Token) -> bool:
    """"Seung-ho": a lower-case name part after a hyphen."""
    return tok.i > 0 and tok.doc[tok.i - 1].text == "-"


def clean_name(text: str) -> str:
    """Surface text -> name: no leading article, no trailing possessive, single spaces."""
    s = re.sub(r"\s+", " ", text).strip(" ,.;:\"'“”‘’()[]")
    s = re.sub(r"^(the|The|a|an|An|A)\s+", "", s)
    s = re.sub(r"['’]s?$", "", s).strip()
    return s


class EntityFinder:
    """Finds and types the mentions of one Doc."""

    def __init__(self, doc: Doc, lex: Lexicon | None = None) -> None:
        self.doc = doc
        self.lex = lex or lexicon()
        self.person_roles = self.lex.roles - COMPANY_ROLES    # roles only a person has
        self.taken = [False] * len(doc)
        self.mentions: list[TokMention] = []

    # ------------------------------------------------------------------ driver
    def run(self) -> list[TokMention]:
        self._known_organizations()
        self._keyword_names()
        self._places()
        self._towns_by_their_state()
        self._ner()
        self._towns_by_use()
        self._named_after_title()
        self._named_before_role()
        self._named_after_producer()
        self._named_by_apposition()
        self._named_by_company()
        self._sectors()
        self._sector_lists()
        self._producer_sectors()
        self._sector_conjuncts()
        named = sorted(self.mentions, key=lambda m: m.start)
        self.mentions = named
        self._type_from_context()
        self._nationality_words()
        self._descriptive()
        self._acronyms()
        # owners are indexes into the list as it was: keep them pointing at the same mentions
        owners = {id(m): self.mentions[m.owner] for m in self.mentions if m.owner is not None}
        self.mentions.sort(key=lambda m: (m.start, m.end))
        position = {id(m): k for k, m in enumerate(self.mentions)}
        for m in self.mentions:
            if id(m) in owners:
                m.owner = position.get(id(owners[id(m)]))
            if m.head < 0:
                m.head = self.doc[m.start:m.end].root.i
        return self.mentions

    def _claim(self, m: TokMention) -> bool:
        if m.end <= m.start or any(self.taken[m.start:m.end]):
            return False
        for i in range(m.start, m.end):
            self.taken[i] = True
        self.mentions.append(m)
        return True

    # ------------------------------------------------------------------ layer 0
    def _known_organizations(self) -> None:
        """Organisations from the gazetteer, extended over legal suffixes ("Huawei Technologies Co Ltd")."""
        doc = self.doc
        suffixes = {s.strip(".") for s in self.lex.company_suffixes} | {"technologies", "technology", "motor",
                                                                         "electronics", "international", "cloud"}
        for match_id, start, end in sorted(_org_matcher(doc.vocab)(doc), key=lambda m: (m[1], -(m[2] - m[1]))):
            if any(self.taken[start:end]):
                continue
            # part of a longer capitalised name ("Huawei Technologies Co Ltd", but not "Apple Daily")
            while end < len(doc):
                if doc[end].text.lower().strip(".,") in suffixes and _is_cap(doc[end]):
                    end += 1
                elif doc[end].text == "," and end + 1 < len(doc) and doc[end + 1].text.lower().strip(".") in \
                        {s.strip(".") for s in self.lex.company_suffixes} and doc[end - 1].text.lower().strip(".") in suffixes:
                    end += 2     # "iFLYTEK Co., Ltd."
                else:
                    break
            if end < len(doc) and _is_cap(doc[end]) and not doc[end].is_sent_start \
                    and doc[end].text.lower() not in self.lex.roles:
                continue    # part of a longer name: "Kingdee International Software Group", "Apple Daily"
            if start > 0 and _is_cap(doc[start - 1]) and doc[start - 1].pos_ == "PROPN" and not doc[start - 1].is_sent_start:
                continue
            if doc[start].ent_type_ == "ORG" and doc[start].ent_iob_ == "I" and start > 0 and doc[start - 1].is_sent_start:
                continue    # "Tech Mahindra managing director ...": the tagger's longer name, left to it
            if doc[start].ent_type_ == "PERSON" and doc[start].ent_iob_ == "I":
                continue    # "Gautam Adani", "Ratan Tata": a person named like the company
            cls = doc.vocab.strings[match_id]
            self._claim(TokMention(start, end, cls, clean_name(doc[start:end].text), "org-gazetteer", weight=3.0,
                                   head=end - 1))

    # ------------------------------------------------------------------ layer 1
    def _keyword_names(self) -> None:
        """Capitalised names ending in a class keyword, with an "of ..." tail where usual."""
        doc, lex = self.doc, self.lex
        spans: list[TokMention] = []
        for tok in doc:
            low = tok.text.lower()
            cls = lex.name_heads.get(low)
            if cls is None:
                continue
            if low == "city" and not (tok.i > 0 and doc[tok.i - 1].text.lower() in lex.park_city_modifiers
                                      and _is_cap(tok)):
                continue    # "Zhangjiang Science City" is a park; "Jilin city" is a city
            if low == "hub" and tok.i > 0 and doc[tok.i - 1].lower_ in PARK_HUB_MODIFIERS:
                cls = "IndustrialPark"      # "Waterfall Logistics Hub"; "T-Hub" is an incubator
            if low == "complex" and tok.i > 0 and doc[tok.i - 1].lower_ == "industrial":
                cls = "IndustrialPark"      # "Mipo National Industrial Complex"; "Giga Complex" is a site
            # extend left over capitalised words and inner connectors
            start = tok.i
            j = tok.i - 1
            while j >= 0:
                t = doc[j]
                if _is_cap(t) and t.text.lower() not in NAME_STOP and t.pos_ != "PUNCT" and not t.is_sent_start \
                        and re.fullmatch(r"[A-Za-z][\w.&'’-]*", t.text) \
                        or (t.text in ("-",) and j > 0 and _is_cap(doc[j - 1])) \
                        or (t.is_lower and t.is_alpha and j > 1 and doc[j - 1].text == "-" and _is_cap(doc[j - 2])
                            and not t.text.endswith("ed") and t.tag_ not in ("VBN", "VBD")) \
                        or (t.pos_ == "NUM" and t.text.isdigit() is False) \
                        or (t.text.lower() in CONNECTORS - {"the"} and j > 0 and _is_cap(doc[j - 1])
                            and t.text.lower() != "of" and not self._complete_name_before(j)):
                    start = j
                    j -= 1
                    continue
                if t.tag_ == "POS" and j > 0 and _is_cap(doc[j - 1]) and doc[j - 1].ent_type_ not in ("PERSON", "GPE") \
                        and not lookup(doc[j - 1].text) and j + 1 == start:
                    start = j - 1
                    j -= 2
                    continue
                if t.is_sent_start and _is_cap(t) and t.text.lower() not in NAME_STOP | DETERMINERS:
                    start = j
                break
            # lower-case district words: "Shuang Long airport economic zone"
            if cls == "District" and not _is_cap(tok):
                k = tok.i - 1
                while k >= 0 and doc[k].is_lower and doc[k].pos_ in ("NOUN", "ADJ", "PROPN") and tok.i - k <= 3:
                    k -= 1
                # "Haidian district", "Zhangbei county": a name right before an administrative unit word
                unit = low in ADMIN_UNITS and k == tok.i - 1 and k >= 0 and doc[k].pos_ == "PROPN"
                if k >= 0 and _is_cap(doc[k]) and (k < tok.i - 1 or unit):
                    start = k
                    while start - 1 >= 0 and _is_cap(doc[start - 1]) and not doc[start - 1].is_sent_start:
                        start -= 1
                    phrase = doc[start:tok.i + 1].text.lower()
                    if not unit and not any(phrase.endswith(w) for w in district_words()):
                        continue
                else:
                    continue
            elif not _is_cap(tok):
                continue
            end = tok.i + 1
            # the tagger's entity goes on: "Gree Electric Appliances", not "Gree Electric"
            while end < len(doc) and doc[end].ent_iob_ == "I" and doc[end].ent_type_ in ("ORG", "FAC", "PERSON") \
                    and _is_cap(doc[end]) and doc[tok.i].ent_type_ == doc[end].ent_type_:
                end += 1
            if low in lex.of_heads or cls in ("GovernmentBody", "ResearchInstitution"):
                end = self._of_tail(end)
            if start == tok.i and end == tok.i + 1 and cls not in ("Event",):
                # a lone keyword ("Park") is not a name; "Ministry of Commerce" is
                continue
            # a company suffix chain: "Co., Ltd." / "Co Ltd"
            suffixes = {s.strip(".") for s in lex.company_suffixes}
            while True:
                if end < len(doc) and doc[end].text.lower().strip(".") in suffixes:
                    end += 1
                elif end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].text.lower().strip(".") in suffixes \
                        and doc[end - 1].text.lower().strip(".") in suffixes:
                    end += 2
                else:
                    break
                if end < len(doc) and doc[end].text == ".":
                    end += 1
            if end < len(doc) and doc[end].text == "." and doc[end - 1].text.lower().rstrip(".") in {"co", "ltd", "inc", "corp"} \
                    and end + 1 < len(doc) and not _is_cap(doc[end + 1]):
                end += 1
            while start < end and doc[start].text.lower() in DETERMINERS | CONNECTORS:
                start += 1
            if start >= tok.i and cls != "Event" and end == tok.i + 1:
                continue
            # numbers before events belong to them ("19th National Congress", "2017 Expo")
            if cls == "Event" and start > 0 and doc[start - 1].like_num or (start > 0 and doc[start - 1].ent_type_ == "ORDINAL"):
                start -= 1
            head_cls = cls
            span = doc[start:end]
            if cls == "District" and low == "region" and any(p.cls == "Province" for p in lookup(
                    " ".join(t.text for t in span if t.text.lower() not in ("autonomous", "region")))):
                continue    # "Ningxia Hui Autonomous Region" is a province: the gazetteer layer names it
            spans.append(TokMention(start, end, self._name_class(span, head_cls), clean_name(span.text),
                                    "keyword-name", weight=3.0, head=tok.i))
        # longest first
        # longest first; of equal spans, the one whose keyword ends it ("... Innovation Park", not "Optics ...")
        for m in sorted(spans, key=lambda m: (m.end - m.start, m.head == m.end - 1), reverse=True):
            self._split_of_claim(m)

    def _complete_name_before(self, j: int) -> bool:
        """Is the word before ``and`` at ``j`` the end of a name of its own (a list, not one name)?"""
        prev = self.doc[j - 1]
        low = prev.text.lower().strip(".")
        nxt = self.doc[j + 1] if j + 1 < len(self.doc) else None
        if low in VENUE_WORDS and nxt is not None and nxt.text.lower() in VENUE_WORDS:
            return False    # "Convention and Exhibition Center" is one venue
        if low in {s.strip(".") for s in self.lex.company_suffixes} or low in self.lex.name_heads:
            return True
        if lookup(prev.text) or prev.ent_type_ in ("PERSON", "GPE"):
            return True
        if prev.ent_type_ == "ORG" and self.doc[j].ent_iob_ != "I":
            return True     # the tagger ends an organisation's name before "and": a list of two
        return not prev.text.isalpha()

    def _of_tail(self, end: int) -> int:
        """Extend "Ministry" over "of Industry and Information Technology" / "of Jilin"."""
        doc = self.doc
        if end < len(doc) and doc[end].text.lower() == "of":
            k = end + 1
            if k < len(doc) and doc[k].text.lower() == "the":
                k += 1
            last = end
            # ("of the Qianhai Shenzhen-Hong Kong ... Zone": a hyphen between capitalised words too)
            while k < len(doc) and (_is_cap(doc[k]) or (doc[k].text.lower() in ("and", "of", "&", "-") and k + 1 < len(doc)
                                                        and _is_cap(doc[k + 1]))):
                if doc[k].text.lower() in ("and", "&"):
                    # "University of Michigan and Michigan State University": a second name, not the
                    # tail of the first ("Ministry of Industry and Information Technology")
                    r = k + 1
                    while r + 1 < len(doc) and _is_cap(doc[r + 1]):
                        r += 1
                    if self.lex.name_heads.get(doc[r].text.lower()) in INSTITUTION_CLASSES:
                        break
                last = k + 1
                k += 1
            # "of Guizhou province"
            if last > end and last < len(doc) and doc[last].text.lower() in province_words() | city_words():
                last += 1
            if last > end:
                return last
        return end

    def _split_of_claim(self, m: TokMention) -> None:
        """"Experts Committee of the State Information Center" -> a unit and its parent."""
        doc = self.doc
        span = doc[m.start:m.end]
        of_idx = [t.i for t in span if t.text.lower() == "of"]
        for oi in of_idx:
            tail_start = oi + 1
            if tail_start < m.end and doc[tail_start].text.lower() == "the":
                tail_start += 1
            tail = doc[tail_start:m.end]
            tail_cls = next((self.lex.name_heads[t.text.lower()] for t in tail
                             if t.text.lower() in self.lex.name_heads and _is_cap(t)), None)
            if tail_cls in ("GovernmentBody", "ResearchInstitution", "Organization") and \
                    len(tail) >= 2 and oi - m.start >= 1 and m.head < oi:
                unit = TokMention(m.start, oi, m.cls, clean_name(doc[m.start:oi].text), "keyword-name",
                                  weight=3.0, head=oi - 1, full_text=clean_name(span.text),
                                  full_end=m.end)
                parent = TokMention(tail_start, m.end, self._name_class(tail, tail_cls), clean_name(tail.text),
                                    "keyword-name", weight=3.0, head=m.end - 1)
                if not any(self.taken[m.start:m.end]):
                    self._claim(unit)
                    self._claim(parent)
                elif not any(self.taken[unit.start:unit.end]):
                    self._claim(unit)       # the parent is already known ("Communist Party of China")
                return
        if not self._claim(m) and of_idx:
            # the "of ..." tail is a name of its own already ("Congress of the Communist Party of China")
            oi = of_idx[0]
            if not any(self.taken[m.start:oi]) and m.head < oi:
                self._claim(TokMention(m.start, oi, m.cls, clean_name(doc[m.start:oi].text), m.source,
                                       weight=m.weight, head=oi - 1))

    def _name_class(self, span: Span, cls: str) -> str:
        words = [t.text.lower().strip(".") for t in span]
        if words[-1] in ("center", "centre", "hall", "stadium", "complex") and any(w in VENUE_WORDS for w in words):
            return "Facility"   # "Kunming Dianchi International Convention and Exhibition Center": a venue
        if words[-2:] in (["data", "center"], ["data", "centre"]):
            return "Facility"   # "Huawei Cloud Computing Data Center"
        if cls in ("Company",) and any(w in ("association", "federation", "party", "alliance") for w in words):
            return "Organization"
        if cls == "Organization" and words[-1] in ("center", "centre"):
            if any(w in ("innovation", "research", "science", "technology", "engineering") for w in words):
                return "ResearchInstitution"
            if any(w in ("state", "national", "provincial", "municipal", "information") for w in words):
                return "GovernmentBody"
            return "Organization"
        if cls == "District" and any(w in ("park",) for w in words):
            return "IndustrialPark"
        if cls == "IndustrialPark" and words[-1] in ("base", "community", "hub", "cluster", "valley"):
            return "IndustrialPark"
        if cls == "District" and words[-1] == "region":
            return "District"
        return cls

    # ------------------------------------------------------------------ layer 2
    def _places(self) -> None:
        doc = self.doc
        pw, cw = province_words(), city_words()
        ner_tokens = {t.i for e in doc.ents if e.label_ in ("GPE", "LOC", "NORP", "PERSON", "ORG", "FAC") for t in e}
        # "Mexico Pacific", "China Mobile", "Shanghai Electric": a place that begins an organisation's
        # name is part of the name
        org_starts = {e.start: e.end for e in doc.ents if e.label_ == "ORG"}
        # "Nvidia Vietnam", "VinFast Asia", "TEDA-Egypt": a place that ends one is part of it too
        org_ends = {e.end: e.start for e in doc.ents if e.label_ == "ORG"}
        # "Southeast Asia", "Europe": a world region is no city the gazetteer happens to share a name with
        # (token texts and capitals read once: a Span per position and length is slow)
        texts = [t.text for t in doc]
        caps = [_is_cap(t) or t.text == "-" for t in doc]
        lowers = [t.lower() for t in texts]
        regions = {k for n in (3, 2, 1) for i in range(len(doc) - n + 1)
                   if caps[i] and doc[i:i + n].text.lower() in WORLD_REGIONS for k in range(i, i + n)}
        # "Caxias do Sul", "Mogi das Cruzes": small words between the capitalised ones
        inner = [c or lw in PLACE_CONNECTORS for c, lw in zip(caps, lowers)]
        for n in (4, 3, 2, 1):
            for i in range(len(doc) - n + 1):
                if not caps[i] or not caps[i + n - 1] or texts[i] == "-" or not all(inner[i:i + n]) \
                        or any(self.taken[i:i + n]) \
                        or any(k in regions for k in range(i, i + n)):
                    continue
                if n == 1 and lowers[i] in NAME_STOP:
                    continue
                span = doc[i:i + n]
                if span.text.lower() in NAME_STOP:
                    continue
                places = lookup(span.text)
                if not places:
                    continue
                nxt = doc[i + n].text.lower() if i + n < len(doc) else ""
                if org_starts.get(i, 0) > i + n and _is_cap(doc[i + n]) and nxt not in pw | cw \
                        and nxt not in self.lex.name_heads and doc[i + n].tag_ != "POS":
                    continue
                begin = org_ends.get(i + n, i)
                if begin < i and all(_is_cap(t) or t.text == "-" for t in doc[begin:i]) \
                        and doc[i - 1].lower_ not in ("of", "in", "for") and not lookup(doc[begin:i].text.strip("- ")):
                    continue
                # a name of two words or more that is a province or country ("Tamil Nadu", "Quintana Roo")
                # is the place, whatever the tagger says; a one-word one ("Jordan") may be a person
                state_name = n >= 2 and any(p.cls in ("Province", "Country") for p in places) and not any(
                    e.label_ == "PERSON" and (e.start < i or e.end > i + n) and e.start < i + n and e.end > i
                    for e in doc.ents)     # but "Guidance Tamil Nadu" is a name of its own
                if nxt in ("dollar", "dollars", "yuan", "won", "yen") or not state_name and \
                        (any(t.ent_type_ == "PERSON" for t in span) and nxt not in province_words() | city_words()
                         and not all(t.ent_iob_ == "B" and (t.i + 1 >= len(doc) or doc[t.i + 1].ent_iob_ != "I") for t in span[:1])):
                    continue
                nxt2 = doc[i + n:i + n + 2].text.lower() if i + n + 1 < len(doc) else nxt
                chosen = self._choose_place(places, nxt, nxt2, span, ner_tokens)
                if chosen is None:
                    continue
                end = i + n
                if chosen.cls == "Province" and nxt2 in pw and nxt2 != nxt:
                    end += 2        # "Inner Mongolia Autonomous Region"
                elif chosen.cls == "Province" and nxt in pw:
                    end += 1
                elif chosen.cls == "City" and nxt in cw:
                    end += 1
                chosen = merge_city_ids(places, chosen)
                m = TokMention(i, end, chosen.cls, chosen.name, "gazetteer", weight=3.0,
                               ids=dict(chosen.ids), head=i + n - 1)
                self._claim(m)

    def _towns_by_their_state(self) -> None:
        """"a plant in Kharkhoda, Haryana", "near Boydton, Virginia", "in Paju, Gyeonggi Province": a
        name the gazetteer does not know, after a preposition of place and before a comma and a
        province or country it knows, is a town named by its state, as news names small places."""
        doc = self.doc
        known = {m.start: m for m in self.mentions if m.source == "gazetteer"}
        for i in range(1, len(doc) - 2):
            if doc[i - 1].lower_ not in TOWN_PREPOSITIONS or self.taken[i] or not _is_cap(doc[i]):
                continue
            end = i
            # "Saint-Basile-le-Grand": capitalised words, hyphens and the small words between them
            while end < len(doc) and end - i < 7 and not self.taken[end] and (
                    _is_cap(doc[end]) and doc[end].pos_ == "PROPN" or doc[end].text == "-"
                    or doc[end].is_lower and end > i and doc[end - 1].text == "-"):
                end += 1
            if end == i or end + 1 >= len(doc) or doc[end].text != "," or doc[end - 1].text == "-":
                continue
            state = known.get(end + 1)
            if state is None or state.cls not in ("Province", "Country") or (
                    state.end < len(doc) and doc[state.end].tag_ == "POS"):
                continue    # "in Vingroup, Vietnam's largest conglomerate": an owner, not a state
            span = doc[i:end]
            if span.text.lower() in NAME_STOP or any(t.ent_type_ == "ORG" for t in span):
                continue
            places = lookup(span.text)
            if places:
                # a small city the gazetteer knows but the tagger did not see: its state says which
                country = {p.country for p in lookup(doc[state.start:state.end].text)} | {
                    v for k, v in state.ids.items() if k == "iso"}
                towns = [p for p in places if p.cls == "City" and (p.country in country or any(
                    c.startswith(p.country) for c in country))]
                if towns:
                    self._claim(TokMention(i, end, "City", towns[0].name, "gazetteer", weight=3.0,
                                           ids=dict(towns[0].ids), head=end - 1))
                continue
            self._claim(TokMention(i, end, "City", clean_name(span.text), "town-by-state", weight=2.5,
                                   head=end - 1))
        # "in Marshall, Michigan": the gazetteer knows a bigger town of the name elsewhere (Marshall,
        # Texas), but the state the article names says which it is. Not for a city too big to be
        # mistaken ("Shenzhen, Hunan" is a list the parser ran together)
        for m in self.mentions:
            state = known.get(m.end + 1)
            if m.cls == "City" and m.source == "gazetteer" and state is not None and m.end < len(doc) \
                    and doc[m.end].text == "," and state.cls == "Province" and cannot_contain(m.ids, state.ids) \
                    and max((p.population for p in lookup(m.name) if dict(p.ids) == m.ids), default=0) < MAJOR_CITY:
                m.ids, m.source = {}, "town-by-state"

    def _towns_by_use(self) -> None:
        """"a plant in Sao Caetano do Sul", "a facility at Sulur near Coimbatore", "offices in
        Siruseri, Taramani and Semmancherry": a name the gazetteer does not know, where a plant, a
        park or an office is, or right before "near" / "in" and a place it knows, is a town. Runs
        after the tagger's names, taking only what they left (or one word it took for a person)."""
        doc, lex = self.doc, self.lex
        sited = {w for w, c in lex.descriptive_heads.items() if c in ("Facility", "IndustrialPark", "Incubator", "District")} \
            | SITE_NOUNS
        known = {m.start for m in self.mentions if m.source == "gazetteer" and m.cls in ("City", "Province", "Country")}
        # what may be taken back: a one-word "person" or "organisation", an undecided GPE ("Company?")
        guessed = {m.start: m for m in self.mentions if m.cls == "Company?"
                        or m.source in ("ner-person", "ner-org", "ner-norp") and m.end - m.start == 1}
        for prep in doc:
            if prep.lower_ not in ("in", "at", "near", "outside") or prep.dep_ != "prep":
                continue
            # "a plant in X", "its offices in X"; "based in X", "located at X"
            on_site = prep.head.pos_ == "NOUN" and prep.head.lemma_.lower() in sited \
                or prep.head.tag_ == "VBN" and prep.head.lemma_.lower() in SITING_VERBS
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                for member in [obj, *(c for c in obj.children if c.dep_ == "conj")]:
                    span = self._town_span(member, guessed)
                    if span is None:
                        continue
                    after = span.end + 1 < len(doc) and doc[span.end].lower_ in ("near", "in", "outside") \
                        and span.end + 1 in known
                    if not (on_site or after):
                        continue
                    known_as = lookup(span.text)
                    towns = [p for p in known_as if p.cls == "City"]
                    if known_as and not towns:
                        continue    # a province or country the gazetteer layer left out on purpose
                    cls = "City"
                    for old in [m for m in guessed.values() if span.start <= m.start and m.end <= span.end
                                and m in self.mentions]:
                        self.mentions.remove(old)
                        self.taken[old.start:old.end] = [False] * (old.end - old.start)
                        if old.source == "ner-org":
                            cls = "District"    # as a place too small for the gazetteer (_places_by_use)
                    if towns:       # a small city the gazetteer knows, that the tagger did not mark
                        self._claim(TokMention(span.start, span.end, "City", towns[0].name, "gazetteer",
                                               weight=3.0, ids=dict(towns[0].ids), head=member.i))
                    else:
                        self._claim(TokMention(span.start, span.end, cls, clean_name(span.text), "town-by-use",
                                               weight=2.5, head=member.i))

    def _town_span(self, member: Token, guessed: dict[int, TokMention]) -> Span | None:
        """The capitalised words of a town's name headed by ``member`` ("Sao Caetano do Sul"), if
        nothing but a one-word name the tagger guessed has claimed it. Not a world region ("outside
        Europe") nor a street after its number ("at 1776 Airport Court")."""
        doc = self.doc
        if not _is_cap(member) or member.pos_ != "PROPN":
            return None
        start = end = member.i
        while start > 0 and (_is_cap(doc[start - 1]) and doc[start - 1].pos_ == "PROPN"
                             or doc[start - 1].lower_ in PLACE_CONNECTORS and start > 1
                             and _is_cap(doc[start - 2])) and doc[start - 1].head.i >= start - 1:
            start -= 1
        end += 1
        while end < len(doc) and (_is_cap(doc[end]) and doc[end].pos_ == "PROPN" or doc[end].lower_ in
                                  PLACE_CONNECTORS and end + 1 < len(doc) and _is_cap(doc[end + 1])):
            end += 1
        span = doc[start:end]
        taken = [i for i in range(start, end) if self.taken[i]]
        if taken and not any(m.start <= taken[0] and taken[-1] < m.end and start <= m.start and m.end <= end
                             for m in guessed.values()):
            return None
        if span.text.lower() in NAME_STOP | WORLD_REGIONS or start > 0 and doc[start - 1].like_num or any(
                t.ent_type_ in ("FAC", "EVENT", "PRODUCT")
                                                 or t.ent_type_ == "ORG" and len(span) > 1
                                                 or t.lower_ in CALENDAR_WORDS for t in span) \
                or span[-1].lower_ in self.lex.name_heads or country_of(span.text) is not None:
            return None
        return span

    def _choose_place(self, places: tuple[Place, ...], nxt: str, nxt2: str, span: Span,
                      ner_tokens: set[int]) -> Place | None:
        by_cls = {}
        for p in places:
            by_cls.setdefault(p.cls, p)
        if nxt in province_words() or nxt2 in province_words():
            return by_cls.get("Province") or by_cls.get("City")
        if nxt in city_words():
            return by_cls.get("City") or by_cls.get("Province")
        in_ner = all(t.i in ner_tokens or t.lower_ in PLACE_CONNECTORS for t in span)
        best = places[0]
        if best.cls == "City":
            # bare city names: trust the model, or a big city
            if not in_ner and best.population < 1_000_000:
                return None
            # a city-level subdivision (Beijing) wins over its GeoNames twin
            for p in places:
                if p.cls == "City" and any(k == "iso" for k, _ in p.ids):
                    return p
            return best
        if best.cls == "Province" and best.country != "CN" and not in_ner:
            return None
        if best.cls == "Country" and not in_ner and span.text.isupper() and len(span.text) <= 3:
            return best
        return best

    # ------------------------------------------------------------------ layer 3
    def _ner(self) -> None:
        doc = self.doc
        for ent in doc.ents:
            if ent.label_ not in ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT"):
                continue
            start, end = ent.start, ent.end
            while start < end and (doc[start].text.lower() in DETERMINERS or doc[start].is_punct):
                start += 1
            while end > start and (doc[end - 1].is_punct or doc[end - 1].text in ("'s", "’s")):
                end -= 1
            # "Chief Executive Officer Zhang": the title the tagger took in is not the name
            while ent.label_ == "PERSON" and end - start > 1 and (
                    doc[start].text.lower().strip(".") in TITLE_WORDS or doc[start].lower_ in self.person_roles):
                start += 1
            # "Board of Investment (BOI": an acronym in brackets is not part of the name
            opened = [t.i for t in doc[start:end] if t.text == "("]
            if opened and not any(t.text == ")" for t in doc[opened[0]:end]):
                end = opened[0]
            # "Ding Luyang/" and "2014-04-21Microsoft": keep clean word tokens only
            if end <= start:
                continue
            span = doc[start:end]
            text = clean_name(span.text)
            if not text or text.lower() in NAME_STOP or not any(c.isalpha() for c in text) or "/" in text:
                continue
            if any(self.taken[start:end]):
                # a trimmed piece outside a claimed keyword span: "Alibaba, Tencent Holdings Ltd"
                if "," in span.text:
                    self._split_list(span, ent.label_)
                continue
            if "," in span.text and ent.label_ == "ORG":
                self._split_list(span, ent.label_)
                continue
            # "Samsung SDI", "SK hynix" where the tagger stopped at "Samsung": an acronym right after it
            if ent.label_ == "ORG" and end < len(doc) and not self.taken[end] and doc[end].is_alpha \
                    and doc[end].is_upper and 2 <= len(doc[end]) <= 5 and not doc[end].ent_type_:
                end += 1
                span = doc[start:end]
                text = clean_name(span.text)
            # "LEAP 2025", "InterBattery 2024": a name with its year is an event the tagger cut short
            label = ent.label_
            if label == "ORG" and end < len(doc) and end == ent.end and not self.taken[end] \
                    and re.fullmatch(r"(19|20)\d\d", doc[end].text) and end - start <= 3:
                end += 1
                span = doc[start:end]
                text = clean_name(span.text)
                label = "EVENT"
            # "Cheong In-kyo", "Kim Dong-myung": the tagger may stop at the hyphen of a given name
            while ent.label_ == "PERSON" and end + 1 < len(doc) and doc[end].text in ("-", "‑") \
                    and not doc[end - 1].whitespace_ and not doc[end].whitespace_ and doc[end + 1].is_alpha \
                    and not self.taken[end + 1]:
                end += 2
                span = doc[start:end]
                text = clean_name(span.text)
            if ent.label_ == "ORG" and end < len(doc) and doc[end].lower_ in GOVERNMENT_TITLES \
                    and doc[end - 1].lower_ not in self.lex.name_heads:
                continue    # "Interior Minister", "Economy and Finance Minister": a portfolio, not an organisation
            cls = self._ner_class(span, label)
            if cls is None:
                continue
            self._claim(TokMention(start, end, cls, text, f"ner-{label.lower()}", weight=2.0))

    def _split_list(self, span: Span, label: str) -> None:
        start = span.start
        for t in list(span) + [None]:
            if t is None or t.text == ",":
                end = t.i if t is not None else span.end
                if end > start and not any(self.taken[start:end]):
                    piece = self.doc[start:end]
                    cls = self._ner_class(piece, label)
                    if cls:
                        self._claim(TokMention(start, end, cls, clean_name(piece.text), f"ner-{label.lower()}", 2.0))
                if t is not None:
                    start = t.i + 1

    def _ner_class(self, span: Span, label: str) -> str | None:
        words = [t.text.lower().strip(".") for t in span]
        last = words[-1]
        if " ".join(words) in self.lex.sectors or " ".join(words) in UNIT_WORDS | COMMON_ACRONYMS:
            return None     # "AI", "EV" are sectors the sector layer takes; "MW" is a unit, not a name
        if label == "PERSON":
            if last in self.lex.name_heads and len(words) > 1:
                cls = self.lex.name_heads[last]
                return "Company" if cls in ("Facility", "IndustrialPark") else self._name_class(span, cls)
            if len(words) > 4 or not all(_is_cap(t) or t.text in ("-", "'") or (t.i > span.start and doc_prev_is_hyphen(t))
                                         for t in span):
                return None
            if span[0].text.lower() in TITLE_WORDS and len(words) == 1:
                return None
            return "Person"
        if label in ("ORG", "FAC", "PRODUCT"):
            if words[0] in self.person_roles and "of" in words:
                return None     # "Minister of Economic Development" is a title, not an organisation
            if last in self.lex.name_heads:
                cls = self.lex.name_heads[last]
                if cls == "District" and label == "ORG":
                    return "District"
                return self._name_class(span, cls)
            if label == "FAC":
                return "Facility"
            if label == "PRODUCT":
                return None
            return "Company"
        if label == "EVENT":
            return "Event"
        if label in ("GPE", "LOC", "NORP"):
            if " ".join(words) in WORLD_REGIONS:
                return None     # "Europe's biggest maker": a continent owns nothing
            places = lookup(span.text)
            if places:
                return None     # a known place the gazetteer layer did not take (context said no)
            if label == "NORP":
                return "Company?" if span[0].pos_ == "PROPN" and len(span) == 1 else None
            return "Company?"   # decided by _type_from_context
        return None

    # ------------------------------------------------------------------ layer 4
    def _named_after_title(self) -> None:
        """"Hyundai Motor Group Executive Chair Chung Eui-sun", "Trade Minister Cheong In-kyo": two
        to four capitalised words right after a person's title are a person's name the tagger missed
        (a single word after a title is too often a surname or part of an office to say)."""
        doc, lex = self.doc, self.lex
        titles = TITLE_WORDS | {r for r in self.person_roles if " " not in r}
        for tok in doc[:-2]:
            if tok.text.lower().strip(".") not in titles or not tok.text[:1].isupper():
                continue
            end, words = tok.i + 1, 0
            while end < len(doc) and not self.taken[end] and doc[end].pos_ in ("PROPN", "NOUN", "PUNCT"):
                t = doc[end]
                if t.text == "-" and end + 1 < len(doc) and not t.whitespace_ and not doc[end - 1].whitespace_:
                    end += 1        # "Eui-sun": one word
                    continue
                if not _is_cap(t) and not doc_prev_is_hyphen(t):
                    break
                low = t.text.lower().strip(".")
                if low in titles or low in lex.roles or low in lex.name_heads:
                    words = 0       # another title ("Chief Executive"): the name starts after it
                    break
                if not doc_prev_is_hyphen(t):
                    words += 1
                end += 1
            if not 2 <= words <= 4 or end <= tok.i + 1:
                continue
            span = doc[tok.i + 1:end]
            if any(t.ent_type_ not in ("", "PERSON") for t in span) or lookup(span.text) \
                    or span.text.lower() in NAME_STOP:
                continue
            self._claim(TokMention(tok.i + 1, end, "Person", clean_name(span.text), "after-title", 1.5))

    def _named_before_role(self) -> None:
        """"Guaniu co-founder Pony Ma", "Guaniu's founder": a capitalised word the tagger left alone
        (or took for a product), right before a role only a business has, is the business."""
        doc = self.doc
        for tok in doc[:-2]:
            if self.taken[tok.i] or not _is_cap(tok) or tok.pos_ != "PROPN" or tok.ent_type_ not in ("", "PRODUCT") \
                    or tok.lower_ in BUSINESS_ROLES | NAME_STOP | TITLE_WORDS | self.lex.roles \
                    or country_of(tok.text) is not None or lookup(tok.text):
                continue
            if self._has_business_role(tok):
                self._claim(TokMention(tok.i, tok.i + 1, "Company", clean_name(tok.text), "before-role", 1.5))

    def _named_after_producer(self) -> None:
        """"optical fiber maker YOFC", "chipmaker SMIC", "startup Unitree Robotics": a capitalised name
        right after a noun that says what a company is, is a company the tagger missed."""
        doc, lex = self.doc, self.lex
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            low = prev.text.lower()
            if not (low in lex.maker_words or (prev.lemma_.lower() in lex.producer_heads | {"startup", "firm"}
                                                and prev.tag_ == "NN")):
                continue
            if self.taken[tok.i] or not _is_cap(tok) or tok.pos_ != "PROPN" or tok.is_sent_start:
                continue
            end = tok.i + 1
            while end < len(doc) and not self.taken[end] and _is_cap(doc[end]) and doc[end].pos_ == "PROPN":
                end += 1
            span = doc[tok.i:end]
            if lookup(span.text) or span.text.lower() in NAME_STOP:
                continue
            self._claim(TokMention(tok.i, end, "Company", clean_name(span.text), "after-producer", 2.0))

    def _named_by_company(self) -> None:
        """Names the tagger missed that the company they keep gives away: a conjunct of a company
        is one ("such as Tesla and Nio", "Stellantis and Renault")."""
        doc, lex = self.doc, self.lex
        companies = [m for m in self.mentions if m.cls == "Company" and not m.descriptive]

        def grab(last: int) -> int | None:
            """First token of the capitalised name ending at ``last``, if it is free to claim."""
            first = last
            while first - 1 >= 0 and _is_cap(doc[first - 1]) and doc[first - 1].pos_ == "PROPN" \
                    and not self.taken[first - 1] and not doc[first - 1].is_sent_start:
                first -= 1
            span = doc[first:last + 1]
            if any(self.taken[first:last + 1]) or not all(_is_cap(t) and t.pos_ == "PROPN" for t in span) \
                    or span.text.lower() in NAME_STOP or span.text.lower() in lex.name_heads or lookup(span.text) \
                    or any(t.ent_type_ not in ("", "ORG", "PRODUCT", "GPE", "NORP", "LOC") for t in span) \
                    or span[-1].text.lower() in TITLE_WORDS | lex.roles:
                return None
            return first

        for m in companies:
            root = doc[m.start:m.end].root
            conjs = [c for c in root.children if c.dep_ == "conj"] + ([root.head] if root.dep_ == "conj" else [])
            for c in conjs:
                first = grab(c.i) if c.pos_ == "PROPN" else None
                if first is not None:
                    self._claim(TokMention(first, c.i + 1, "Company", clean_name(doc[first:c.i + 1].text),
                                           "company-conjunct", weight=1.5, head=c.i))

    def _named_by_apposition(self) -> None:
        """"Tongwei, the polysilicon supplier", "SK hynix, a chipmaker": a capitalised name whose
        apposition says it is a company is a company the tagger missed."""
        doc, lex = self.doc, self.lex
        company_heads = lex.producer_heads | {w for w, c in lex.descriptive_heads.items() if c == "Company"} \
            | set(lex.maker_words) | COMPANY_NOUNS
        for tok in doc:
            # "Skyish, a drone startup": an unknown word the tagger may read as an adjective
            if self.taken[tok.i] or not _is_cap(tok) or not (
                    tok.pos_ == "PROPN" or tok.pos_ in ("ADJ", "NOUN") and country_of(tok.text) is None):
                continue
            if not any(c.dep_ == "appos" and c.lemma_.lower() in company_heads and c.i > tok.i
                       and any(d.dep_ == "det" for d in c.children) for c in tok.children):
                continue
            start = tok.i
            while start > 0 and not self.taken[start - 1] and doc[start - 1].dep_ == "compound" \
                    and doc[start - 1].head.i == tok.i and (_is_cap(doc[start - 1]) or doc[start - 1].pos_ == "PROPN"):
                start -= 1
            span = doc[start:tok.i + 1]
            if lookup(span.text) or span.text.lower() in NAME_STOP or span[0].lower_ in DETERMINERS:
                continue
            self._claim(TokMention(start, tok.i + 1, "Company", clean_name(span.text), "named-by-apposition", 2.0))

    def _producer_sectors(self) -> None:
        """What a company makes, from the noun that describes it: "optical fiber maker YOFC",
        "laser equipment manufacturer HG Tech", "Japanese carmaker Toyota", "the solar panel maker"."""
        doc, lex = self.doc, self.lex
        for tok in doc:
            low = tok.text.lower()
            if low in lex.maker_words and not self.taken[tok.i]:
                self._claim(TokMention(tok.i, tok.i + 1, "Sector", lex.maker_words[low], "sector-maker", 2.0,
                                       head=tok.i))
                continue
            if tok.lemma_.lower() not in lex.producer_heads or tok.pos_ != "NOUN":
                continue
            # only a noun that describes a named organisation: "YOFC, an optical fiber maker",
            # "laser equipment manufacturer HG Tech", "CALB is a battery maker"
            # (a name the tagger took for a person or an unknown place counts: the producer noun
            # says it is a company, which the typing step after this one finds too)
            named = {i for m in self.mentions if not m.descriptive and (
                m.cls in ("Company", "Organization", "Company?") or m.source == "ner-person")
                for i in range(m.start, m.end)}
            attached = (tok.dep_ in ("appos", "compound") and tok.head.i in named) \
                or any(c.dep_ in ("appos", "compound") and c.i in named for c in tok.children) \
                or (tok.i + 1 < len(doc) and tok.i + 1 in named) \
                or (tok.dep_ == "attr" and any(c.dep_ == "nsubj" and c.i in named for c in tok.head.children))
            if tok.tag_ == "NNS":
                # "battery makers such as CATL and BYD": a plural noun only with its named examples
                attached = any(c.dep_ == "prep" and c.lower_ in ("as", "including", "like") and any(
                    g.dep_ == "pobj" and g.i in named for g in c.children) for c in tok.children)
            if not attached:
                continue
            # "a producer of nylon and polymers": what it makes, after "of"
            for pr in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
                for obj in (g for g in pr.children if g.dep_ == "pobj"):
                    for member in [obj, *(c for c in obj.children if c.dep_ == "conj")]:
                        first = self._member_extent(member)
                        if first is None or member.pos_ != "NOUN" or self.taken[member.i]:
                            continue
                        words = doc[first:member.i + 1].text.lower()
                        if words not in lex.sector_generic and len(words) >= 3 and not any(self.taken[first:member.i + 1]):
                            self._claim(TokMention(first, member.i + 1, "Sector", words, "sector-product", 1.5,
                                                   head=member.i))
            # the modifiers right before the noun ("lithium producer"), not whatever a bad parse
            # hangs on it from further left ("Chile's state copper giant Codelco and lithium producer")
            start = tok.i
            while start > 0 and doc[start - 1].dep_ in ("compound", "amod", "nmod") \
                    and start - 1 < doc[start - 1].head.i <= tok.i and not self.taken[start - 1] \
                    and doc[start - 1].pos_ in ("NOUN", "PROPN", "ADJ", "VERB"):
                start -= 1
            if start == tok.i:
                continue
            # no nationality or place words, no evaluations or comparisons: "Chinese", "leading",
            # "Shanghai-based", "younger companies such as ..."
            while start < tok.i and (doc[start].ent_type_ in ("NORP", "GPE", "LOC", "ORG") or _is_cap(doc[start])
                                     or doc[start].text.lower() in lex.weak_adjectives or doc[start].text == "-"
                                     or doc[start].tag_ in ("JJS", "RBS", "JJR", "RBR", "POS", "DT", "CD")
                                     or doc[start].text.lower() in ("based", "owned", "listed", "private", "state")
                                     or (start + 1 < tok.i and doc[start + 1].text == "-")):
                start += 1
            if start >= tok.i or any(self.taken[start:tok.i]):
                continue
            words = doc[start:tok.i].text.lower()
            if words in lex.sector_generic or len(words) < 3:
                continue
            self._claim(TokMention(start, tok.i, "Sector", words, "sector-producer", 1.5, head=tok.i - 1))

    def _member_extent(self, member: Token) -> int | None:
        """First token of a list member's phrase: the noun with its compound and adjective
        modifiers ("new energy vehicles", "e-mobility"); None when part of it is taken."""
        doc = self.doc
        if not member.is_alpha:
            return None
        start = member.i
        while start > 0 and doc[start - 1].dep_ in ("compound", "amod") and doc[start - 1].head.i == member.i \
                and doc[start - 1].pos_ in ("NOUN", "ADJ", "PROPN", "VERB") \
                and doc[start - 1].text.lower() not in self.lex.weak_adjectives:
            start -= 1
        while start > 0 and doc[start - 1].text == "-":
            start -= 2
        if start < 0 or any(self.taken[start:member.i + 1]):
            return None
        return start

    def _sector_conjuncts(self) -> None:
        """Lists are of one kind: in "semiconductors, e-mobility, green hydrogen and renewable
        energy" the members the lexicon does not know are sectors too, once two members are
        sectors it knows (with one, "robotics and furniture" would make furniture a sector)."""
        doc = self.doc
        sector_heads = {m.head if m.head >= 0 else m.end - 1: m for m in self.mentions if m.cls == "Sector"}
        done: set[int] = set()
        for head in sorted(sector_heads):
            tok = doc[head]
            root = tok
            while root.dep_ == "conj" and root.head.i != root.i:
                root = root.head
            if root.i in done:
                continue
            done.add(root.i)
            members = [root] + [t for t in root.subtree if t.dep_ == "conj" and t.head.i != t.i
                                and (t.head == root or t.head.dep_ == "conj")]
            if len(members) < 2:
                continue
            known = [t for t in members if t.i in sector_heads]
            if len(known) < 2:
                continue
            for member in members:
                if member.i in sector_heads or member.pos_ != "NOUN" or _is_cap(member) or member.ent_type_:
                    continue
                start = self._member_extent(member)
                if start is None:
                    continue
                words = doc[start:member.i + 1].text.lower()
                if words in self.lex.sector_generic or len(words) < 3:
                    continue
                self._claim(TokMention(start, member.i + 1, "Sector", words, "sector-conjunct", weight=1.2,
                                       head=member.i))

    def _sector_lists(self) -> None:
        """"industries, including data labeling, server assembly and software outsourcing": each
        member of a list of industries is a sector, whether or not the lexicon knows it."""
        doc = self.doc
        for tok in doc:
            if tok.lemma_.lower() not in ("industry", "sector") or tok.tag_ != "NNS":
                continue
            for prep in tok.children:
                if prep.dep_ != "prep" or prep.text.lower() not in ("including", "like", "as"):
                    continue
                for member in [p for p in prep.subtree if p.dep_ in ("pobj", "conj") and p.pos_ == "NOUN"]:
                    start = self._member_extent(member)
                    if start is None:
                        continue
                    words = doc[start:member.i + 1].text.lower()
                    if words in self.lex.sector_generic:
                        continue
                    self._claim(TokMention(start, member.i + 1, "Sector", words, "sector-list", weight=1.5,
                                           head=member.i))

    def _sectors(self) -> None:
        doc = self.doc
        matcher = _sector_matcher(doc.vocab, self.lex.sectors)
        matches = sorted(matcher(doc), key=lambda m: (-(m[2] - m[1]), m[1]))
        for match_id, i, end_ in matches:
            phrase = doc.vocab.strings[match_id]
            if any(self.taken[i:end_]):
                continue
            if phrase in ("ai",) and doc[i].text != "AI":
                continue
            end = end_
            nxt = doc[end] if end < len(doc) else None
            if nxt is not None and nxt.text.lower() in ("industry", "sector", "industries"):
                end += 1
            self._claim(TokMention(i, end, "Sector", phrase, "sector-lexicon", weight=2.5, head=end_ - 1))
        # "software outsourcing", "solar power equipment": adjacent lexicon sectors are one compound sector
        sectors = sorted((m for m in self.mentions if m.source == "sector-lexicon"), key=lambda m: m.start)
        for a, b in zip(sectors, sectors[1:]):
            if a.end == b.start and a in self.mentions and b in self.mentions and doc[a.end - 1].head.i >= b.start:
                self.mentions.remove(a)
                b.start, b.name = a.start, doc[a.start:b.end].text.lower()
        # "the X industry/sector": X is a sector even when not in the lexicon
        for tok in doc:
            if tok.text.lower() not in ("industry", "sector") or self.taken[tok.i]:
                continue
            mods = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i]
            if not mods:
                continue
            start = min(c.left_edge.i for c in mods)
            while start < tok.i and (doc[start].text.lower() in DETERMINERS or doc[start].text.lower() in self.lex.sector_generic
                                     or doc[start].pos_ in ("DET", "NUM", "PUNCT") or doc[start].tag_ == "POS"
                                     or doc[start].dep_ == "poss"):
                start += 1
            if start >= tok.i or any(self.taken[start:tok.i]):
                continue
            words = doc[start:tok.i].text.lower()
            if words in self.lex.sector_generic or any(_is_cap(t) for t in doc[start:tok.i]):
                continue
            self._claim(TokMention(start, tok.i + 1, "Sector", words, "sector-pattern", weight=1.5, head=tok.i - 1))

    # ------------------------------------------------------------------ typing by context
    def _type_from_context(self) -> None:
        """Decide unknown GPE/NORP names and refine types from nearby class nouns.

        "incubators, including Jichuang Space" and "Jichuang Space, an incubator"
        make Jichuang Space an Incubator; an unknown GPE that owns a facility or
        appears inside a company name is a company.
        """
        doc = self.doc
        org_texts = {m.name.split()[0] for m in self.mentions if m.cls in ("Company", "Organization") and len(m.name.split()) > 1}
        employers: set[str] = set()
        for m in self.mentions:
            span = doc[m.start:m.end]
            root = span.root
            noun_cls = self._class_noun(root)
            # "the incubator, E-Hub": a hub named like a park that the article calls an incubator
            if noun_cls and (m.cls in ("Company", "Company?", "Person", "Facility", "Organization")
                             or m.cls == "IndustrialPark" and noun_cls == "Incubator" and not m.descriptive):
                # "Guidance Tamil Nadu, the state's investment promotion agency": no person
                if not (m.cls == "Person" and noun_cls not in ("Person",)) or m.source == "ner-person" and \
                        len(m.name.split()) >= 2 and noun_cls in ("Incubator", "Company", "IndustrialPark",
                                                                  "GovernmentBody"):
                    m.cls = noun_cls
            if not m.descriptive and m.cls in ("Company", "Company?", "Person", "Facility", "Organization",
                                               "IndustrialPark") and self._incubates(m, root):
                m.cls = "Incubator"
            elif m.cls in ("Person", "Company?") and len(m.name.split()) == 1 and self._has_business_role(root):
                m.cls = "Company"   # "the founder of Guaniu", "Guaniu's founder": a company's officer
            elif m.cls in ("Person", "Company?") and len(m.name.split()) == 1 and root.dep_ == "nsubjpass" \
                    and self.lex.trigger("incubate", root.head.lemma_.lower()) \
                    and root.head.lemma_.lower() not in ("house", "host"):
                m.cls = "Company"   # "Lumina was incubated by ...": a startup, not a person
            if m.cls in ("Company", "Organization") and m.source == "ner-org" and m.end - m.start == 1 \
                    and root.dep_ == "compound" and root.head.i == m.end \
                    and (self.lex.descriptive_heads.get(root.head.lemma_.lower()) == "Event"
                         or root.head.lemma_.lower() == "show"):
                m.cls = "Event"     # "the InterBattery show", "the Sial fair": the name of the event
            if m.cls == "Person" and m.source == "ner-person" and self._said_to_be_a_company(m, root):
                m.cls = "Company"   # "Saudi manufacturer Alat", "Sivantos, the German hearing aid maker"
            if m.cls == "Company?":
                if m.name in org_texts or self._owns_something(root) or self._business_subject(root):
                    m.cls = "Company"
            if m.cls in ("Company", "Organization") and m.source.startswith("ner-") and self._titled(m, root):
                m.cls = "Person"    # "Chancellor Olaf Scholz", "Melanie Joly, Canada's Minister of ..."
            if m.cls == "Facility" and not m.descriptive and root.dep_ == "pobj" and root.head.lower_ in ("of", "at") \
                    and self._is_person_role(root.head.head):
                employers.add(m.name)   # "chief executive of Start Campus": a campus has no chief executive
        self.mentions = [m for m in self.mentions if m.cls != "Company?"]
        self._facility_owners()
        self._short_company_names()
        self._places_by_use()
        # one name, one class within a document: majority by weight
        votes: dict[str, dict[str, float]] = {}
        for m in self.mentions:
            votes.setdefault(m.name, {}).setdefault(m.cls, 0.0)
            votes[m.name][m.cls] += m.weight
        known_ids = {(m.name, m.cls): m.ids for m in self.mentions if m.source == "gazetteer" and m.ids}
        for m in self.mentions:
            if m.source in ("gazetteer", "sector-lexicon", "sector-pattern"):
                continue
            best = max(votes[m.name].items(), key=lambda kv: kv[1])[0]
            if best not in ("Sector",) and m.cls not in ("Sector",):
                m.cls = best
                if (m.name, best) in known_ids:
                    m.ids = dict(known_ids[(m.name, best)])   # "Guiyang" tagged PERSON is the city
            if m.name in employers and m.cls == "Facility":
                m.cls = "Company"

    def _facility_owners(self) -> None:
        """"CloudHQ's campus", "Attacq's Waterfall precinct": a one-word name the tagger took for a
        person that owns a plant, a campus or a park is a company; not a surname of a person the
        article names in full ("Wang Chuanfu ... Wang's factory")."""
        doc, lex = self.doc, self.lex
        sited = {w for w, c in lex.descriptive_heads.items() if c in ("Facility", "IndustrialPark")}
        surnames = {w for m in self.mentions if m.cls == "Person" and len(m.name.split()) > 1 for w in m.name.split()}
        for m in self.mentions:
            if m.cls != "Person" or m.source != "ner-person" or m.end - m.start != 1 or m.name in surnames:
                continue
            tok = doc[m.start]
            if tok.dep_ == "poss" and tok.head.lemma_.lower() in sited:
                m.cls = "Company"

    def _short_company_names(self) -> None:
        """"Sheng Hong" after "Sheng Hong Holding Group", "WHA" after "WHA Group": a name the tagger
        took for a person that is the article's company name without its corporate words (Group,
        Holding, Industries, Technology ...) is that company. A person's name an organisation is
        named after keeps its class: "Foundation", "University" are no corporate words."""
        heads = {w for w, c in self.lex.name_heads.items() if c == "Company"}
        short: set[str] = set()
        for m in self.mentions:
            if m.cls == "Company" and not m.descriptive:
                words = m.name.split()
                short |= {" ".join(words[:k]) for k in range(1, len(words)) if words[k].lower().strip(".,") in heads}
        for m in self.mentions:
            if m.cls == "Person" and m.source == "ner-person" and m.name in short:
                m.cls = "Company"

    def _has_business_role(self, tok: Token) -> bool:
        """Whether a name is what a business role is of: "the founder of Guaniu", "Guaniu's
        founder", "Skyish chief executive Tim Lee", "Guaniu co-founder Pony Ma"."""
        doc = self.doc
        if tok.dep_ == "pobj" and tok.head.lower_ == "of":
            role = tok.head.head
        elif tok.dep_ == "poss":
            role = tok.head
        elif tok.i + 1 < len(doc):
            # right before the role: "Skyish chief executive", "Guaniu co-founder"
            k = tok.i + 1
            while k < len(doc) - 1 and doc[k].lower_ in ("chief", "co", "-", "managing", "founding"):
                k += 1
            role = doc[k] if k > tok.i + 1 or doc[k].lower_ in BUSINESS_ROLES else None
            if role is None or not doc[k + 1:k + 2] or not _is_cap(doc[k + 1]):
                return False    # a title before a name, as news writes it
        else:
            return False
        return role.lower_ in BUSINESS_ROLES

    def _incubates(self, m: TokMention, root: Token) -> bool:
        """Whether a name is an incubator's by what it does or is called: "HIT Student Incubator
        Park", "Innovation Village has incubated more than 200 startups", "a startup incubated at
        Innovation Village", "nurtured by the Ng_Hub"."""
        if {"incubator", "accelerator"} & set(m.name.lower().split()):
            return True
        verb = root.head
        if root.dep_ == "nsubj" and verb.pos_ == "VERB" and self.lex.trigger("incubate", verb.lemma_.lower()) \
                and verb.lemma_.lower() not in ("house", "host"):
            return any(d.dep_ == "dobj" and d.lemma_.lower() in INCUBATED_NOUNS for d in verb.children)
        if root.dep_ == "pobj" and verb.lower_ in ("at", "by", "in") and verb.head.tag_ == "VBN" \
                and self.lex.trigger("incubate", verb.head.lemma_.lower()) and verb.head.lemma_.lower() not in ("house", "host"):
            return True
        return False

    def _places_by_use(self) -> None:
        """A name the tagger took for an organisation that the article only ever uses as a place
        is one: "a carbon fibre facility at Hazira", "a renewable energy park at Khavda in Kutch".
        Every use must be where something is (after "at", "in" or "near" on a facility, a park,
        another place or a verb of building or siting, or before such a noun after its owner:
        "the company's Hazira steel plant"); one use as an actor ("Hazira said") or as an owner
        ("the Gotion battery plant") keeps it an organisation."""
        doc, lex = self.doc, self.lex
        sited = {w for w, c in lex.descriptive_heads.items() if c in ("Facility", "IndustrialPark", "District")}
        uses: dict[str, list[str]] = {}     # name -> how each use places it ("at", "compound", "")
        by_head = {m.head: m for m in self.mentions if m.head >= 0}
        for m in self.mentions:
            if m.cls != "Company" or not m.source.startswith("ner-") or m.descriptive:
                continue
            words = m.name.lower().split()
            if words[-1] in lex.name_heads or words[-1].strip(".") in lex.company_suffixes or len(words) > 3 \
                    or m.name.isupper():
                continue    # "SIPCOT": an acronym names a body, whatever it runs
            tok = doc[m.head] if m.head >= 0 else doc[m.start:m.end].root
            use = ""
            if tok.dep_ == "pobj" and tok.head.lower_ in ("at", "in", "near"):
                gov = tok.head.head
                if (gov.lemma_.lower() in sited or gov.lemma_.lower() in SITING_VERBS
                        or (gov.i in by_head and by_head[gov.i].cls in PLACE_CLASSES | {"IndustrialPark", "Facility"})):
                    use = "at"
            elif tok.dep_ == "compound" and tok.head.lemma_.lower() in sited and m.start > 0 \
                    and doc[m.start - 1].tag_ == "POS":
                use = "compound"    # "the company's Hazira steel plant": the owner is named before
            uses.setdefault(m.name, []).append(use)
        for m in self.mentions:
            if m.name in uses and all(uses[m.name]) and "at" in uses[m.name] and m.cls == "Company":
                m.cls = "District"      # a place too small for the gazetteer

    def _nationality_words(self) -> None:
        """"Vietnamese electric vehicle maker VinFast", "Tesla, the American carmaker": a nationality
        word in the noun that says what a company is names its country, a Country mention the
        relation rules can place the company in."""
        doc, lex = self.doc, self.lex
        nouns = lex.producer_heads | set(lex.maker_words) | COMPANY_NOUNS
        for m in [m for m in self.mentions if m.cls == "Company" and not m.descriptive]:
            root = doc[m.start:m.end].root
            described = [a for a in _appositions(root) if a.lemma_.lower() in nouns]
            if m.start > 0 and doc[m.start - 1].lemma_.lower() in nouns and not _is_cap(doc[m.start - 1]):
                described.append(doc[m.start - 1])
            for noun in described:
                k = noun.i - 1
                while k >= 0 and doc[k].pos_ in ("ADJ", "PROPN", "NOUN", "PUNCT") and doc[k].text not in (",", "(") \
                        and noun.i - k <= 6:
                    for n in (2, 1):
                        if k - n + 1 < 0 or any(self.taken[k - n + 1:k + 1]):
                            continue
                        country = country_of(doc[k - n + 1:k + 1].text)
                        if country is not None:
                            self._claim(TokMention(k - n + 1, k + 1, "Country", country.name, "nationality", 2.0,
                                                   ids=dict(country.ids), head=k))
                            break
                    k -= 1

    def _titled(self, m: TokMention, root: Token) -> bool:
        """Whether a name the tagger took for an organisation has a person's title: one right
        before it ("Chancellor Olaf Scholz") or a person's role in apposition ("X, Canada's
        Minister of Economic Development")."""
        doc = self.doc
        if m.start > 0 and doc[m.start - 1].lower_.strip(".") in TITLE_WORDS and doc[m.start - 1].pos_ != "DET":
            return True
        return any(self._is_person_role(a) for a in _appositions(root))

    def _is_person_role(self, tok: Token) -> bool:
        """Whether a noun is a role only a person has, alone or with its compounds ("chairman
        emeritus", where the parser heads the role with "emeritus")."""
        if is_role_noun(tok, self.person_roles):
            return True
        return tok.lemma_.lower() in self.lex.roles and any(
            c.dep_ in ("amod", "compound") and c.lower_ in PERSON_ROLE_MODIFIERS for c in tok.children)

    def _said_to_be_a_company(self, m: TokMention, root: Token) -> bool:
        """Whether the noun right before a name, or in apposition to it, says what a company is
        ("computer maker Lenovo", "the US investment fund Davidson Kempner", "CloudHQ, a U.S.
        developer"). Role nouns ("Zhang, the company secretary") say it is a person's."""
        doc, lex = self.doc, self.lex
        nouns = lex.producer_heads | set(lex.maker_words) | COMPANY_NOUNS
        if m.start > 0:
            prev = doc[m.start - 1]
            if prev.tag_ == "NN" and prev.lemma_.lower() in nouns and not _is_cap(prev):
                return True
        return any(a.tag_ == "NN" and a.lemma_.lower() in nouns and not any(
            c.dep_ == "poss" for c in a.children) for a in _appositions(root))

    def _class_noun(self, tok: Token) -> str | None:
        """The class named by a noun this name is listed under or in apposition to."""
        lex = self.lex
        cand = []
        head = tok.head
        # "incubators, including X" / "companies such as X"
        if tok.dep_ == "pobj" and head.text.lower() in ("including", "include", "as", "like") :
            noun = head.head
            if head.text.lower() == "as" and noun.text.lower() == "such":
                noun = noun.head
            cand.append(noun)
        if tok.dep_ == "conj":
            base = tok
            while base.dep_ == "conj":
                base = base.head
            if base.dep_ == "pobj" and base.head.text.lower() in ("including", "as", "like"):
                cand.append(base.head.head)
        # "X, an incubator" / "an incubator, X"
        for c in tok.children:
            if c.dep_ == "appos":
                cand.append(c)
        if tok.dep_ == "appos":
            cand.append(head)
        for noun in cand:
            lemma = noun.lemma_.lower()
            cls = lex.descriptive_heads.get(lemma) or lex.descriptive_heads.get(noun.text.lower())
            if cls in ("Incubator", "Company", "ResearchInstitution", "GovernmentBody", "IndustrialPark"):
                if cls == "Company" and lemma in lex.org_unit_heads:
                    continue
                return cls
        return None

    def _owns_something(self, tok: Token) -> bool:
        nxt = tok.i + 1
        if nxt < len(self.doc) and self.doc[nxt].tag_ == "POS":
            owned = tok.head
            return owned.lemma_.lower() in self.lex.descriptive_heads
        return False

    def _business_subject(self, tok: Token) -> bool:
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            return False
        verb = tok.head
        lemma = verb.lemma_.lower()
        return any(self.lex.trigger(k, lemma) for k in ("invest", "operate", "found", "partner"))

    # ------------------------------------------------------------------ layer 5
    def _descriptive(self) -> None:
        """Unnamed things with a class head noun: "a cloud computing center", "its Guizhou branch"."""
        doc, lex = self.doc, self.lex
        named_heads = {m.head if m.head >= 0 else doc[m.start:m.end].root.i for m in self.mentions}
        named_starts = {m.start for m in self.mentions if m.cls in ("Company", "Organization", "Person")}
        by_token = {}
        for idx, m in enumerate(self.mentions):
            for i in range(m.start, m.end):
                by_token[i] = idx
        new: list[TokMention] = []
        for tok in doc:
            if tok.pos_ not in ("NOUN", "PROPN") or tok.i in named_heads:
                continue
            low = tok.text.lower()
            if tok.i >= 2 and doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_ \
                    and f"{doc[tok.i - 2].lower_}-{low}" in lex.descriptive_heads:
                low = f"{doc[tok.i - 2].lower_}-{low}"      # "an IT start-up": the parser's head is "up"
            cls = lex.descriptive_heads.get(low) or lex.descriptive_heads.get(tok.lemma_.lower())
            if cls is None or (tok.i in by_token and self.mentions[by_token[tok.i]].cls != "Sector"):
                continue
            if cls == "Sector":
                continue
            # the noun must head its phrase ("data center", not "center" in "center stage")
            if tok.dep_ == "compound":
                continue
            mods = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "nmod", "nummod", "poss", "det", "quantmod", "npadvmod", "punct", "cc", "conj")]
            start = min([c.left_edge.i for c in mods], default=tok.i)
            owner_tok = None
            for c in tok.lefts:
                if c.dep_ == "poss":
                    owner_tok = c
            # the label starts after determiners, possessors and the possessive marker
            label_start = start
            if owner_tok is not None:
                label_start = max(label_start, owner_tok.right_edge.i + 1)
            while label_start < tok.i and (doc[label_start].text.lower() in DETERMINERS or doc[label_start].tag_ == "POS"
                                           or doc[label_start].pos_ in ("DET", "PUNCT", "NUM") or doc[label_start].dep_ == "nummod"
                                           or doc[label_start].text.lower() in ("more", "many", "several", "multiple", "latest")):
                label_start += 1
            end = tok.i + 1
            # "bureau responsible for ...", "committee of Guian New Area", "center for internship and training"
            tail = [c for c in tok.rights if c.dep_ in ("amod", "prep") and (
                (c.dep_ == "amod" and c.text.lower() == "responsible")
                or (c.dep_ == "prep" and c.text.lower() == "of" and cls in ("GovernmentBody", "ResearchInstitution")))]
            if not tail and cls in ("Facility",) and low in ("center", "centre"):
                tail = [c for c in tok.rights if c.dep_ == "prep" and c.text.lower() == "for"
                        and any(g.pos_ == "NOUN" and g.lemma_ not in ("company", "branch") for g in c.children)]
            if tail:
                end = max(c.right_edge.i for c in tail) + 1
            indefinite = any(c.dep_ == "det" and c.text.lower() in ("a", "an") for c in tok.lefts)
            if cls == "Company" and low in ("business", "enterprise", "venture", "giant", "firm", "company",
                                            "provider", "operator", "maker", "manufacturer", "developer") and not (
                    any(c.dep_ in ("compound", "amod", "nmod") and c.pos_ in ("NOUN", "ADJ", "PROPN") for c in tok.lefts)) \
                    and not indefinite:
                # a bare "the company" is a reference, not a new thing: coreference resolves it
                kind = "reference"
            else:
                kind = "thing"
            strong = [c for c in tok.lefts if (c.dep_ in ("compound", "nmod") and c.pos_ in ("NOUN", "PROPN"))
                      or (c.dep_ == "amod" and c.text.lower() not in lex.weak_adjectives and not c.like_num)
                      or c.dep_ == "poss"]
            gov = tok.head.head if tok.dep_ == "pobj" else tok.head
            built = tok.dep_ in ("dobj", "pobj") and gov.pos_ == "VERB" and any(
                lex.trigger(kind_, gov.lemma_.lower()) for kind_ in ("operate", "invest", "found"))
            # "a plant in Kharkhoda": a place right after it makes it a thing
            placed = cls == "Facility" and tok.i + 2 < len(doc) and doc[tok.i + 1].lower_ in ("in", "at", "near") \
                and (by_token.get(tok.i + 2) is not None and self.mentions[by_token[tok.i + 2]].cls in PLACE_OR_SECTOR
                     and self.mentions[by_token[tok.i + 2]].cls != "Sector")
            if not strong and not tail and kind == "thing" and cls not in ("Event", "IndustrialPark", "Incubator") \
                    and not (built and cls == "Facility") and not placed:
                continue    # "an old industrial center" is a figure of speech; "built a new campus" is a thing
            if tok.dep_ == "appos" or any(c.dep_ == "appos" and c.i in named_heads and not (
                    cls != "Person" and c.i in by_token and self.mentions[by_token[c.i]].cls == "Person")
                    for c in tok.children):
                # "Guian New Area, a technology park": a description of a named thing; but "attended the
                # completion ceremony, among them President Joko Widodo": the people are not the ceremony
                continue
            if cls in ("Company", "Organization") and tok.i + 1 in named_starts:
                continue    # "Chile's state copper giant Codelco": a title before the name
            owned_by_org = any(c.dep_ == "poss" and by_token.get(c.i) is not None
                               and self.mentions[by_token[c.i]].cls in ("Company", "Organization") for c in tok.lefts)
            if any(c.tag_ in ("JJS", "RBS") or (c.dep_ == "amod" and any(g.tag_ == "RBS" for g in c.children))
                   for c in tok.lefts) and not (cls == "Facility" and (owned_by_org or placed)):
                continue    # "China's largest production base", "the most important base": evaluations;
                            # not "Intel's largest research centre", a thing the company has
            # the phrase as written, whatever the parse says: back over modifiers to a determiner or possessor
            k = tok.i - 1
            while k >= 0 and (doc[k].pos_ in ("NOUN", "ADJ", "PROPN", "NUM") or doc[k].tag_ == "VBG"
                              or doc[k].text in ("-", "and")) and doc[k].tag_ not in ("PRP$", "POS") \
                    and not (k in by_token and self.mentions[by_token[k]].cls not in PLACE_OR_SECTOR) \
                    and not (doc[k].text == "and" and k > 0 and doc[k - 1].lemma_.lower() in lex.descriptive_heads):
                # ("a battery gigafactory and research institute" are two things: "and" after a
                # class noun of its own ends the phrase; "fine chemical and raw materials project" is one)
                k -= 1
            surface_start = k + 1
            while surface_start < tok.i and doc[surface_start].text in ("and", "-"):
                surface_start += 1
            if k >= 0 and owner_tok is None:
                if doc[k].tag_ == "PRP$":
                    owner_tok = doc[k]
                elif doc[k].tag_ == "POS" and k > 0:
                    owner_tok = doc[k - 1]
                elif k in by_token and self.mentions[by_token[k]].cls in ("Company", "Organization"):
                    owner_tok = doc[k]
            if surface_start < label_start:
                label_start = surface_start
            label_start = self._skip_measures(label_start, tok.i)
            if cls == "Company" and kind == "thing" and not any(
                    c.dep_ in ("compound", "nmod") and c.pos_ in ("NOUN", "PROPN") for c in tok.lefts) and owner_tok is None \
                    and low not in lex.org_unit_heads:
                continue
            if label_start >= end:
                continue
            label_span = doc[label_start:end]
            label_text = re.sub(r"\s+", " ", label_span.text).strip(" \"“”'")
            label_text = re.sub(r"[\"“”]", "", label_text)
            if tok.tag_ in ("NNS", "NNPS") and cls not in ("Facility",):
                kind = "plural"
            if tok.tag_ in ("NNS", "NNPS"):
                kind = "plural"
            owner = by_token.get(owner_tok.i) if owner_tok is not None else None
            m = TokMention(label_start, end, cls, label_text, f"descriptive-{kind}", weight=1.0, descriptive=True,
                           owner=owner, owner_tok=owner_tok.i if owner_tok is not None else None, head=tok.i,
                           label_text=label_text)
            new.append(m)
        self.mentions.extend(new)


    def _acronyms(self) -> None:
        """"FAST or the Five-hundred-meter ... Telescope", "the China Northeast Asia Expo (CNEA Expo)":
        the acronym and every later use of it name the long form."""
        doc = self.doc
        starts = {m.start: m for m in self.mentions}
        ends = {m.end: m for m in self.mentions}
        found: dict[str, TokMention] = {}
        named_tokens = {i for m in self.mentions if not m.descriptive for i in range(m.start, m.end)
                        if not (m.end - m.start == 1)}
        for tok in doc:
            t = tok.text
            if not (t.isupper() and t.isalpha() and 2 <= len(t) <= 8) or tok.i in named_tokens:
                continue
            long = None
            # "FAST or the Long Form"
            k = tok.i + 1
            if k < len(doc) and doc[k].text.lower() == "or":
                k += 1
                if k < len(doc) and doc[k].text.lower() == "the":
                    k += 1
                long = starts.get(k)
            # "Long Form (LF)"
            if long is None and tok.i >= 2 and doc[tok.i - 1].text == "(":
                long = ends.get(tok.i - 1)
            if long is None or long.cls in ("Sector", "Person") or long.cls in PLACE_OR_SECTOR:
                continue
            initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", long.name) if w[0].isupper())
            if not (set(t) <= set(initials.upper()) or t[0] == initials[:1].upper()):
                continue
            long.descriptive = False
            long.source = long.source.replace("descriptive-", "named-")
            found[t] = long
        # "Amazon Web Services ... AWS": an all-caps name that spells an earlier organisation's initials
        for m in self.mentions:
            if m.descriptive or m.cls not in ("Company", "Organization", "GovernmentBody", "ResearchInstitution") \
                    or not (m.name.isupper() and m.name.isalpha() and 2 <= len(m.name) <= 6) or m.name in found:
                continue
            for other in self.mentions:
                if other is m or other.start > m.start or other.descriptive or other.cls not in ORG_LIKE:
                    continue
                initials = "".join(w[0] for w in other.name.split() if w[:1].isupper())
                if initials == m.name:
                    found[m.name] = other
                    break
        for tok in doc:
            long = found.get(tok.text)
            if long is None:
                continue
            same = [m for m in self.mentions if m.start == tok.i and m.end == tok.i + 1 and not m.descriptive]
            for m in same:
                m.name, m.cls = long.name, long.cls      # an NER mention of the acronym takes the long name
            if same or any(m.start <= tok.i < m.end and not m.descriptive for m in self.mentions):
                continue
            self.mentions.append(TokMention(tok.i, tok.i + 1, long.cls, long.name, "acronym", weight=2.0, head=tok.i))

    def _skip_measures(self, i: int, head: int) -> int:
        """Drop leading measure compounds: "2,000-square-meter", "25-year-old"."""
        doc = self.doc
        while i < head:
            j = i
            while j + 2 <= head and doc[j + 1].text == "-":
                j += 2
            group = doc[i:j + 1]
            if any(re.search(r"\d", t.text) for t in group) or group[-1].text.lower() in ("old",) \
                    or group[-1].text.lower() in MONEY_WORDS or group[-1].text in ("(", ")", "$", "€", "£", "¥"):
                i = j + 1       # "a Rs 4,500-crore (about $540 million) plant": the amount is not the name
                continue
            break
        return i


_MATCHERS: dict[int, object] = {}
_ORG_MATCHERS: dict[int, object] = {}


def _org_matcher(vocab):
    """Case-sensitive matcher over ``ontology/gazetteers/organizations.json``."""
    key = id(vocab)
    if key not in _ORG_MATCHERS:
        import json

        import spacy
        from spacy.matcher import PhraseMatcher

        from kg.vocab import ONTOLOGY_DIR

        data = json.loads((ONTOLOGY_DIR / "gazetteers" / "organizations.json").read_text(encoding="utf-8"))
        tokenizer = spacy.blank("en").tokenizer
        matcher = PhraseMatcher(vocab, attr="ORTH")
        for cls, names in data.items():
            if cls.startswith("_"):
                continue
            matcher.add(cls, [tokenizer(n) for n in names])
        _ORG_MATCHERS[key] = matcher
    return _ORG_MATCHERS[key]


def _sector_matcher(vocab, phrases: tuple[str, ...]):
    """A PhraseMatcher over lower-cased tokens, so "e-commerce" matches however it is tokenised."""
    key = id(vocab)
    if key not in _MATCHERS:
        import spacy
        from spacy.matcher import PhraseMatcher

        tokenizer = spacy.blank("en").tokenizer
        matcher = PhraseMatcher(vocab, attr="LOWER")
        for phrase in phrases:
            matcher.add(phrase, [tokenizer(phrase)])
        _MATCHERS[key] = matcher
    return _MATCHERS[key]


def find_mentions(doc: Doc) -> list[TokMention]:
    return EntityFinder(doc).run()
