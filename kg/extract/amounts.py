"""Money amounts in news text -> numbers with an ISO 4217 currency.

``find_amounts("600 million yuan ($96 million)")`` gives two ``Amount``s:
600000000 CNY, and 96000000 USD marked as a conversion of the first, so the
investment extractor keeps the amount the article states and ignores the
newspaper's conversion.

Only a number *with a currency* is an amount: a symbol before it (``$``,
``US$``, ``€``, ``Rs``), a word after it (``yuan``, ``U.S. dollars``), or an
ISO 4217 code on either side (``USD 40 million``, ``40 million EUR``), so
years, percentages and counts ("172 projects") never match. Codes are checked
against ``pycountry.currencies`` instead of a hand-written list; symbols,
words and scale words (million, bn, crore, lakh) are data in
``ontology/gazetteers/currencies.json``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from kg.vocab import ONTOLOGY_DIR

CURRENCIES_FILE = ONTOLOGY_DIR / "gazetteers" / "currencies.json"

#: Without a scale word, an amount whose currency is only an ISO code or an
#: ambiguous word ("won", "pounds") must be at least this big ("PHP 7" is a
#: programming language, "3 won" a verb).
MIN_BARE_VALUE = 1000


@dataclass(frozen=True)
class Amount:
    """A sum of money found in a text, with its character span.

    ``converted_from`` is the index (in the list ``find_amounts`` returned) of
    the amount this one restates in another currency, as in "600 million
    yuan ($96 million)". ``vague`` amounts ("tens of millions of yuan") only
    give an order of magnitude: ``value`` is then the lower bound. A range
    ("3-5 billion yuan") has its low end in ``value`` and its high end in
    ``upper``, and is ``approximate``.
    """

    start: int
    end: int
    value: float            # in currency units: "600 million" -> 600000000.0
    currency: str           # ISO 4217 code, e.g. "CNY"
    text: str               # the matched text, ``text[start:end]`` of the input
    approximate: bool = False
    converted_from: int | None = None
    vague: bool = False
    upper: float | None = None      # a range "$3-5 billion": value 3e9, upper 5e9

    @property
    def is_conversion(self) -> bool:
        return self.converted_from is not None

    @property
    def decimal(self) -> Decimal:
        """The value as a ``Decimal`` (for ``xsd:decimal`` literals)."""
        return Decimal(int(self.value)) if self.value.is_integer() else Decimal(repr(self.value))


# --------------------------------------------------------------------------- lexicon

@dataclass(frozen=True)
class CurrencyLexicon:
    symbols: dict[str, str]           # as written -> ISO code
    words: dict[str, str]             # lower-cased, single-spaced -> ISO code
    ambiguous: frozenset[str]
    stoplist: frozenset[str]
    scales: dict[str, int]            # lower-cased scale word -> multiplier
    letter_scales: frozenset[str]
    number_words: dict[str, int]
    approximate_before: tuple[str, ...]

    @property
    def hedge_re(self) -> re.Pattern[str]:
        return _hedge_re(self.approximate_before)


@lru_cache(maxsize=4)
def _hedge_re(hedges: tuple[str, ...]) -> re.Pattern[str]:
    """Matches text that ends with a hedge word: "... worth about ", "(~"."""
    alternation = "|".join(re.escape(h) for h in sorted(hedges, key=len, reverse=True))
    return re.compile(rf"(?:^|[\s(\[,])(?:{alternation})\s*$", re.I)


@lru_cache(maxsize=1)
def lexicon() -> CurrencyLexicon:
    """The currency lexicon from ``ontology/gazetteers/currencies.json`` (read once)."""
    data = json.loads(CURRENCIES_FILE.read_text(encoding="utf-8"))
    return CurrencyLexicon(
        symbols=dict(data["symbols"]),
        words={_norm(k): v for k, v in data["words"].items()},
        ambiguous=frozenset(_norm(w) for w in data["ambiguous_words"]),
        stoplist=frozenset(data["code_stoplist"]),
        scales={k.lower(): int(v) for k, v in data["scales"].items()},
        letter_scales=frozenset(data["letter_scales"]),
        number_words={k.lower(): int(v) for k, v in data["number_words"].items()},
        approximate_before=tuple(data["approximate_before"]),
    )


def _norm(word: str) -> str:
    return " ".join(word.split()).lower()


@lru_cache(maxsize=512)
def iso_currency(code: str) -> str | None:
    """``code`` if it is an ISO 4217 currency code in use and not a stop-listed word, else ``None``."""
    if not re.fullmatch(r"[A-Z]{3}", code) or code in lexicon().stoplist:
        return None
    import pycountry

    return code if pycountry.currencies.get(alpha_3=code) is not None else None


# --------------------------------------------------------------------------- patterns

def _alternation(items, *, flags: str = "") -> str:
    """Longest first, so ``US$`` wins over ``$`` and ``U.S. dollars`` over ``dollars``."""
    parts = []
    for item in sorted(set(items), key=len, reverse=True):
        parts.append(r"[^\S\n]+".join(re.escape(w) for w in item.split()))
    body = "|".join(parts)
    return f"(?{flags}:{body})" if flags else f"(?:{body})"


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lex = lexicon()
    gap = r"(?:[^\S\n]+|-)?"                      # "5 billion yuan", "5-billion-yuan", "7bn"
    words = _alternation(lex.words, flags="i")
    word_scales = _alternation([s for s in lex.scales if len(s) > 1], flags="i")
    number_words = _alternation(lex.number_words, flags="i")
    letters = "".join(sorted({c for s in lex.letter_scales for c in (s.lower(), s.upper())}))
    symbols = _alternation(lex.symbols)
    digits = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    amount = re.compile(
        r"(?<![\w$€£¥￥₹₩])"
        rf"(?:(?P<pre>{symbols}|[A-Z]{{3}})[^\S\n]?)?"
        # a number word only before a scale: "a billion dollars", not "an RMB ..."
        rf"(?P<num>{digits}|\b{number_words}(?={gap}{word_scales}\b))"
        rf"(?:[^\S\n]*(?:-|–|—|to)[^\S\n]*(?:{symbols})?(?P<hi>{digits}))?"
        rf"(?:{gap}(?P<scale>{word_scales})\b|(?P<letter>[{letters}])\b)?"
        rf"(?:{gap}(?P<suf>{words}|[A-Z]{{3}})(?![\w$]))?"
    )
    vague = re.compile(
        r"(?i:\b(?:(?P<mult>tens|hundreds|dozens)[^\S\n]+of[^\S\n]+)?"
        r"(?P<plural>thousands|millions|billions|trillions)[^\S\n]+of[^\S\n]+)"
        rf"(?P<suf>{words})(?![\w$])"
    )
    return amount, vague


_VAGUE_MULT = {"tens": 10, "dozens": 12, "hundreds": 100}
_VAGUE_SCALE = {"thousands": 10**3, "millions": 10**6, "billions": 10**9, "trillions": 10**12}
_PERCENT_AFTER = re.compile(r"[^\S\n]*(?:%|percent\b|per[^\S\n]cent\b|pct\b)", re.I)


# --------------------------------------------------------------------------- finding

def find_amounts(text: str) -> list[Amount]:
    """Every money amount in ``text``, in order, with conversions linked.

    >>> [(a.value, a.currency, a.converted_from) for a in find_amounts("It put 600 million yuan ($96 million) in.")]
    [(600000000.0, 'CNY', None), (96000000.0, 'USD', 0)]
    """
    amount_re, vague_re = _patterns()
    found: list[Amount] = []
    pos = 0
    while (m := amount_re.search(text, pos)) is not None:
        a = _from_match(text, m)
        if a is not None:
            found.append(a)
            pos = a.end
        else:
            # not money: go on right after the number, so that a currency token
            # the match swallowed ("in 2016 USD 40 million") can start the next one
            pos = m.end("num")
    found += [_from_vague(text, m) for m in vague_re.finditer(text)]
    found = _drop_overlaps(sorted(found, key=lambda a: (a.start, -a.end)))
    return _link_conversions(text, found)


def _from_match(text: str, m: re.Match[str]) -> Amount | None:
    """An ``Amount`` for a regex match, or ``None`` if the match is not money."""
    lex = lexicon()
    pre, suf = m["pre"], m["suf"]
    if suf and re.match(r"[^\S\n]?\d", text[m.end():]):
        suf = None                 # "2016 RMB 3 billion": RMB belongs to the next number
    pre_cur = (lex.symbols.get(pre) or iso_currency(pre)) if pre else None
    suf_cur = (lex.words.get(_norm(suf)) or iso_currency(suf)) if suf else None
    if pre_cur is None and suf_cur is None:
        return None
    if _PERCENT_AFTER.match(text, m.end("letter") if m["letter"] else m.end("scale") if m["scale"] else m.end("num")):
        return None
    number = _number(m["num"])
    scale = lex.scales[m["scale"].lower()] if m["scale"] else lex.scales[m["letter"].lower()] if m["letter"] else 1
    if not m["num"][0].isdigit() and scale == 1:
        return None                                   # "a dollar", "one yuan": not worth a fact
    value = number * scale
    if not _strong_enough(pre if pre_cur else None, suf if suf_cur else None, m, value):
        return None
    upper = float(_number(m["hi"]) * scale) if m["hi"] else None
    if upper is not None and not (m["scale"] or m["letter"]) and _looks_like_year(m["num"]):
        return None                # "2015-2020 yuan": years, not a range of money
    if upper is not None and upper <= value:
        return None                # "5-3 million" is not a range; most likely a score or a date
    start = m.start("pre") if pre_cur else m.start("num")
    if suf_cur is not None and (pre_cur is None or suf_cur == pre_cur):
        end = m.end("suf")
    else:
        end = max(m.end(g) for g in ("num", "hi", "scale", "letter") if m[g] is not None)
    currency = pre_cur or suf_cur
    assert currency is not None
    approximate = upper is not None or _approximate(text, start)
    return Amount(start, end, float(value), currency, text[start:end], approximate, upper=upper)


def _strong_enough(pre: str | None, suf: str | None, m: re.Match[str], value: Decimal) -> bool:
    """Whether the currency evidence is strong enough for this number.

    A symbol or an unambiguous currency word always is. A bare ISO code or an
    ambiguous word ("won", "pounds") needs a scale word or a number of at
    least ``MIN_BARE_VALUE`` that is not a year: "PHP 7" and "3 won" are not money.
    """
    lex = lexicon()
    strong_pre = pre is not None and pre in lex.symbols
    strong_suf = suf is not None and _norm(suf) in lex.words and _norm(suf) not in lex.ambiguous
    if strong_pre or strong_suf or m["scale"] or m["letter"]:
        return True
    return value >= MIN_BARE_VALUE and not _looks_like_year(m["num"])


def _looks_like_year(num: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d{2}", num))


def _number(num: str) -> Decimal:
    words = lexicon().number_words
    if num.lower() in words:
        return Decimal(words[num.lower()])
    return Decimal(num.replace(",", ""))


def _from_vague(text: str, m: re.Match[str]) -> Amount:
    mult = _VAGUE_MULT[m["mult"].lower()] if m["mult"] else 1
    value = mult * _VAGUE_SCALE[m["plural"].lower()]
    currency = lexicon().words[_norm(m["suf"])]
    return Amount(m.start(), m.end(), float(value), currency, m.group(), approximate=True, vague=True)


def _approximate(text: str, start: int) -> bool:
    """Whether a hedge word ("about", "more than", "~") comes right before ``start``."""
    before = " ".join(text[max(0, start - 30):start].split())
    return lexicon().hedge_re.search(before + " ") is not None


def _drop_overlaps(amounts: list[Amount]) -> list[Amount]:
    kept: list[Amount] = []
    for a in amounts:
        if kept and a.start < kept[-1].end:
            continue
        kept.append(a)
    return kept


_CONVERSION_PAREN = re.compile(r"[^\S\n]*[(\[][^\S\n]*(?:(?:about|approximately|approx\.|around|roughly|some|nearly|"
                               r"almost|over|more than|or|~|equivalent to|equal to|worth)[^\S\n]*)*", re.I)
_CONVERSION_OR = re.compile(r"[^\S\n]*,?[^\S\n]*(?:or|equivalent to|equal to|worth)[^\S\n]+"
                            r"(?:(?:about|approximately|around|roughly|some|nearly|almost)[^\S\n]+)?", re.I)


def _link_conversions(text: str, amounts: list[Amount]) -> list[Amount]:
    """Mark an amount that restates the one before it in another currency.

    "A (B)" and "A, or about B" with different currencies; "A (B)" with the
    same currency only if B closes the parenthesis (so "10 billion yuan
    (2 billion yuan this year)" is not a conversion).
    """
    out = list(amounts)
    for i in range(1, len(out)):
        a, b = out[i - 1], out[i]
        if a.converted_from is not None:
            continue
        between = text[a.end:b.start]
        closes = text[b.end:].lstrip().startswith((")", "]"))
        paren = _CONVERSION_PAREN.fullmatch(between) is not None
        if (paren and closes) or (_CONVERSION_OR.fullmatch(between) and a.currency != b.currency):
            if a.currency != b.currency or closes and a.value == b.value:
                out[i] = _replace(b, converted_from=i - 1)
    return out


def _replace(a: Amount, **changes) -> Amount:
    from dataclasses import replace

    return replace(a, **changes)
