"""Entity resolution across articles: one IRI per real-world thing, no merging across types."""
from __future__ import annotations

import pytest

from kg.model import Article, Extraction, Mention
from kg.rdf import entity_iri
from kg.resolve import org_key, resolve


def ex(article_id: str, *mentions: tuple[str, str], ids: dict | None = None) -> Extraction:
    e = Extraction(article=Article(id=article_id, text="", source=article_id))
    for name, cls in mentions:
        e.mentions.append(Mention(text=name, cls=cls, start=0, end=len(name), name=name,
                                  ids=dict((ids or {}).get(name, {}))))
    return e


def test_company_name_variants_merge():
    exs = [ex("a", ("Huawei", "Company"), ("Huawei's", "Company")),
           ex("b", ("Huawei Technologies Co Ltd", "Company"))]
    entities, entity_of = resolve(exs)
    assert len({id(entity_of[k]) for k in entity_of}) == 1
    (ent,) = entities
    assert {"Huawei", "Huawei Technologies Co Ltd"} <= ent.alt_labels | {ent.label}


def test_province_and_city_of_same_name_stay_apart():
    exs = [ex("a", ("Jilin", "Province"), ("Jilin", "City"),
              ids={"Jilin": {}})]
    exs[0].mentions[0].ids = {"iso": "CN-JL"}
    exs[0].mentions[1].ids = {"geonames": "2036502"}
    entities, _ = resolve(exs)
    assert sorted(e.cls for e in entities) == ["City", "Province"]
    assert len({entity_iri(e) for e in entities}) == 2


def test_people_sharing_a_surname_stay_apart():
    exs = [ex("a", ("Wang Yanbo", "Person")), ex("b", ("Wang Jianwei", "Person"))]
    entities, _ = resolve(exs)
    assert len(entities) == 2


def test_short_name_ambiguous_between_companies_is_not_merged():
    exs = [ex("a", ("China Mobile", "Company"), ("China Telecom", "Company"), ("China", "Country"))]
    entities, _ = resolve(exs)
    assert len(entities) == 3


def test_descriptive_things_stay_in_their_article():
    a = ex("a", ("data center", "Facility"))
    b = ex("b", ("data center", "Facility"))
    for e in (a, b):
        e.mentions[0].descriptive = True
    entities, _ = resolve([a, b])
    assert len(entities) == 2


def test_iris_are_stable_across_runs():
    exs = [ex("a", ("Inspur", "Company"), ("Changchun", "City"))]
    first = sorted(str(entity_iri(e)) for e in resolve(exs)[0])
    second = sorted(str(entity_iri(e)) for e in resolve(exs)[0])
    assert first == second
    assert "https://w3id.org/kg/id/company/inspur" in first


def test_org_key_ignores_legal_suffixes():
    assert org_key("Tencent Holdings Ltd") == org_key("Tencent") == "tencent"
    assert org_key("the Baidu Inc") == "baidu"


def test_place_without_id_joins_the_identified_place():
    a = ex("a", ("Guiyang", "City"), ("Guiyang", "City"))
    a.mentions[0].ids = {"geonames": "1809461"}
    entities, _ = resolve([a])
    (city,) = entities
    assert city.ids == {"geonames": "1809461"}


def test_entity_of_maps_each_mention_and_nothing_else():
    exs = [ex("a", ("Huawei", "Company"), ("Guiyang", "City")), ex("b", ("Huawei Technologies", "Company"))]
    entities, entity_of = resolve(exs)
    assert list(entity_of) == [("a", 0), ("a", 1), ("b", 0)] and len(entity_of) == 3
    assert entity_of[("a", 0)] is entity_of[("b", 0)] is entity_of.get(("b", 0))
    assert entity_of[("a", 1)].cls == "City" and ("a", 1) in entity_of
    for missing in (("a", 2), ("a", -1), ("c", 0), ("a", "0"), "a"):
        assert entity_of.get(missing) is None and missing not in entity_of
    with pytest.raises(KeyError):
        entity_of[("b", 1)]
    assert dict(entity_of) == {k: entity_of[k] for k in [("a", 0), ("a", 1), ("b", 0)]}
    assert {id(e) for e in entity_of.values()} == {id(e) for e in entities}
