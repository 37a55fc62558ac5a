"""Which mention a word stands for: pronouns, definite references, short names, aliases."""
from __future__ import annotations

from kg.extract.coref import MentionIndex
from kg.extract.entities import find_mentions


def index(nlp, text: str) -> MentionIndex:
    doc = nlp(text)
    return MentionIndex(doc, find_mentions(doc))


def stands_for(ix: MentionIndex, word: str, nth: int = 0) -> str | None:
    toks = [t for t in ix.doc if t.text == word]
    idx = ix.ent(toks[nth])
    return ix.m[idx].name if idx is not None else None


def test_he_is_the_nearest_person(nlp):
    ix = index(nlp, "Chen Hao runs Lianhe Chemical. He founded it in 2001.")
    assert stands_for(ix, "He") == "Chen Hao"


def test_the_company_is_the_nearest_organisation(nlp):
    ix = index(nlp, "Lenovo reported record sales. The company will hire 500 engineers.")
    assert stands_for(ix, "company") == "Lenovo"


def test_the_forum_prefers_the_same_head_over_a_nearer_event(nlp):
    ix = index(nlp, "The Digital Economy Forum opened on Monday. Officials also visited the Hefei Auto Expo. "
                    "Speakers at the forum praised the city.")
    assert stands_for(ix, "forum") == "Digital Economy Forum"


def test_there_is_a_place(nlp):
    ix = index(nlp, "Many firms moved to Suzhou Industrial Park. Bosch built a plant there.")
    assert stands_for(ix, "there") == "Suzhou Industrial Park"


def test_short_name_is_the_earlier_full_name(nlp):
    ix = index(nlp, "Xu Shaochun leads the company. Xu said profits rose.")
    assert stands_for(ix, "Xu", nth=1) == "Xu Shaochun"


def test_indefinite_description_refers_to_nothing_earlier(nlp):
    ix = index(nlp, "Lenovo reported record sales. Li Na opened a robotics company in Wuhan.")
    assert stands_for(ix, "company") != "Lenovo"


def test_also_known_as_only_within_a_class_family(nlp):
    ix = index(nlp, "Shenzhen and the Qianhai Cooperation Zone, also known as Qianhai, grew fast.")
    idx = [i for i, m in enumerate(ix.m) if m.name == "Shenzhen"]
    assert all(i not in ix.coref for i in idx)


def test_the_city_is_not_a_modifier(nlp):
    ix = index(nlp, "Qingyang hosts the cluster. Huida, a Shanghai-based provider, built a center in the city.")
    assert stands_for(ix, "city") == "Qingyang"


def test_a_definite_description_of_another_place_or_level_is_another_thing(nlp):
    from kg.extract import propose

    doc = nlp("Quebec Economy Minister Pierre Fitzgibbon praised the Quebec government and the federal government. "
              "Henan Governor Wang Kai met officials of the Henan provincial government. The provincial government "
              "said it would help.")
    pr = propose(doc, candidates=False)
    links = {pr.mentions[i].name: pr.mentions[j].name for i, j in pr.finder.coref.items()}
    assert "federal government" not in links and "Henan provincial government" not in links
    assert links.get("provincial government") == "Henan provincial government"


def test_it_in_a_said_clause_is_the_speaker_not_a_name_in_its_apposition(nlp):
    from kg.extract import extract_doc
    from kg.model import Article

    text = "Tencent Cloud, the cloud unit of Tencent Holdings, said it would build its first data centre in Riyadh."
    ex = extract_doc(nlp(text), Article(id="t", text=text, source="t"))
    facts = {(ex.mentions[f.subject].name, f.predicate, ex.mentions[f.object].name) for f in ex.facts}
    assert any(s == "Tencent Cloud" and p == "operates" for s, p, o in facts)
    assert not any(s == "Tencent Holdings" and p == "operates" for s, p, o in facts)
