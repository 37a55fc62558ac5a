"""Pattern families added for articles the rules were not written against, on made-up sentences:
what each must find and what it must not."""
from __future__ import annotations

import json

import pytest

from kg.extract import extract_doc
from kg.extract.lexicon import lexicon
from kg.extract.scorer import load_model
from kg.model import Article
from kg.vocab import CORE_CLASSES, ONTOLOGY_DIR


def _extract(nlp, text, scored=True):
    return extract_doc(nlp(text), Article(id="t", text=text, source="test"), scorer=load_model() if scored else None)


def _investments(nlp, text):
    ex = _extract(nlp, text)
    return {(ex.mentions[i.investor].name, i.amount, i.currency) for i in ex.investments}


def _names(nlp, text):
    ex = _extract(nlp, text, scored=False)
    return {m.name: m for m in ex.mentions}


def test_word_groups_schema():
    """Every word group in words.json says what it is for, holds lower-case words, and is read by
    the rules (a group no code reads is a list nobody maintains)."""
    import re
    from pathlib import Path

    from kg.extract.lexicon import WORDS_FILE, words

    data = json.loads(WORDS_FILE.read_text())
    code = "\n".join(p.read_text() for p in (Path(__file__).parents[1] / "kg" / "extract").glob("*.py"))
    for name, group in data.items():
        if name.startswith("_"):
            continue
        assert group["about"] and group["words"], name
        assert all(w == w.lower() and w.strip() == w and w for w in group["words"]), name
        assert re.search(rf'words\("{name}"\)', code), f"{name} is read by no rule"
        assert words(name) == frozenset(group["words"])
    with pytest.raises(KeyError, match="no word group"):
        words("no_such_group")


def test_gazetteer_files_have_no_repeated_keys():
    """A key written twice in a JSON table silently replaces the first (a second "siting_verbs"
    once emptied the first of "build" and "construct")."""
    def no_repeats(pairs):
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})
        return dict(pairs)

    for path in sorted((ONTOLOGY_DIR / "gazetteers").glob("*.json")) + sorted((ONTOLOGY_DIR / "patterns").glob("*.json")):
        json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=no_repeats)


def test_lexicon_schema():
    data = json.loads((ONTOLOGY_DIR / "gazetteers" / "lexicon.json").read_text())
    for cls in data["descriptive_heads"]:
        assert cls in CORE_CLASSES
    for word, classes in data["reference_nouns"].items():
        assert classes == "Org" or all(c in CORE_CLASSES for c in classes), word
    lex = lexicon()
    assert lex.trigger("found", "set up") and not lex.trigger("found", "set"), "multi-word triggers are phrases"
    assert lex.trigger("participate", "take part") and not lex.trigger("participate", "take")


@pytest.mark.parametrize("text, found", [
    ("Mexico Pacific, which plans to invest $15 billion in energy in Mexico, signed the deal.",
     ("Mexico Pacific", 15e9, "USD")),
    ("The park is backed by a 5.2-billion-yuan investment from BYD.", ("BYD", 5.2e9, "CNY")),
    ("Maruti Suzuki India would build a new car plant in Gujarat for Rs 35,000 crore.",
     ("Maruti Suzuki India", 3.5e11, "INR")),
])
def test_investment_shapes(nlp, text, found):
    assert found in _investments(nlp, text)


def test_a_joint_amount_is_each_partners(nlp):
    got = _investments(nlp, "Tata Motors and Ford said they would invest $1.1 billion in the battery cell plant.")
    assert {("Tata Motors", 1.1e9, "USD"), ("Ford", 1.1e9, "USD")} <= got


def test_each_place_takes_its_own_amount(nlp):
    got = _extract(nlp, "Microsoft has announced US$2.2 billion of cloud investment in Malaysia and "
                        "US$1.7 billion in Indonesia.")
    pairs = {(got.mentions[i.target].name if i.target is not None else None, i.amount) for i in got.investments}
    assert {("Malaysia", 2.2e9), ("Indonesia", 1.7e9)} <= pairs
    got = _extract(nlp, "Amazon has laid out plans to spend US$9 billion in Singapore, US$5 billion in Thailand and "
                        "US$6 billion in Malaysia.")
    pairs = {(got.mentions[i.target].name if i.target is not None else None, i.amount) for i in got.investments}
    assert {("Singapore", 9e9), ("Thailand", 5e9), ("Malaysia", 6e9)} <= pairs


def test_putting_money_into_something_is_investing(nlp):
    assert ("Sheng Hong Holding Group", 30.6e9, "CNY") in _investments(
        nlp, "Sheng Hong Holding Group signed a contract on Tuesday to put about 30.6 billion yuan ($4.5 billion) "
             "into Zhangjiagang.")
    assert not _investments(nlp, "The company put the plan into effect last year.")


def test_figures_that_are_not_investments_are_not(nlp):
    assert not _investments(nlp, "The province's GDP reached 2.5 trillion yuan last year.")
    assert not _investments(nlp, "Huawei reported revenue of $99 billion.")


def test_a_place_that_begins_an_organisations_name_is_part_of_it(nlp):
    names = _names(nlp, "China Mobile signed a deal with the Jilin provincial government in Changchun.")
    assert names["China Mobile"].cls == "Company"
    assert "China" not in names
    assert names["Changchun"].cls == "City"


def test_acronyms_in_brackets_are_not_part_of_a_name(nlp):
    names = _names(nlp, "Last month Thailand's Board of Investment (BOI) approved the project.")
    assert not any("(" in n for n in names)


def test_sector_words_and_units_are_not_companies(nlp):
    names = _names(nlp, "AI and EV makers plan a 300 MW plant.")
    assert all(m.cls != "Company" for n, m in names.items() if n in ("AI", "EV", "MW"))


def test_lone_head_nouns_and_bare_suffixes_are_not_entities(nlp):
    ex = _extract(nlp, "Officials attended the ceremony in Wuhan, and Co said the event was a success.", scored=False)
    assert not {"ceremony", "event", "Co"} & {m.name for m in ex.mentions}


def test_every_form_of_a_description_is_a_name(nlp):
    ex = _extract(nlp, "Groq will expand its data centre in Dammam. The data centre opened in December.", scored=False)
    forms = {a for m in ex.mentions for a in m.aliases}
    assert "data centre in Dammam" in forms
    assert "data centre" in forms


def test_plural_pronouns_stand_for_the_partners_who_speak(nlp):
    ex = _extract(nlp, "Tata Motors and Ford said they would build a battery plant in Pune.")
    facts = {(ex.mentions[f.subject].name, f.predicate) for f in ex.facts}
    assert ("Tata Motors", "operates") in facts or ("Tata Motors", "investsIn") in facts


@pytest.mark.parametrize("text, pair", [
    ("Tencent and the Guizhou provincial government signed a memorandum of understanding on Monday.",
     ("Tencent", "Guizhou provincial government")),
    ("An agreement between Toyota and GAC was signed in Guangzhou.", ("Toyota", "GAC")),
    ("BYD inked a deal with WHA Group to buy land in Rayong.", ("BYD", "WHA Group")),
    ("A memorandum of understanding between SABIC and the Fujian provincial government dates from 2018.",
     ("SABIC", "Fujian provincial government")),
    ("BMW and Daimler extended their partnership until 2040.", ("BMW", "Daimler")),
])
def test_partnership_shapes(nlp, text, pair):
    ex = _extract(nlp, text, scored=False)
    got = {frozenset((ex.mentions[f.subject].name, ex.mentions[f.object].name)) for f in ex.facts
           if f.predicate == "partnersWith"}
    assert frozenset(pair) in got


def test_an_agreement_to_do_something_is_not_a_partnership_of_its_signer_with_a_place(nlp):
    ex = _extract(nlp, "Siemens signed an agreement to build a plant in Chengdu.", scored=False)
    assert not [f for f in ex.facts if f.predicate == "partnersWith"]


def test_a_name_before_an_administrative_unit_is_a_district(nlp):
    names = _names(nlp, "Alibaba built a data center in Zhangbei county in Zhangjiakou.")
    assert names["Zhangbei county"].cls == "District"
    ex = _extract(nlp, "The plant sits in Chengdu's Pidu district.", scored=False)
    assert ("Pidu district", "locatedIn", "Chengdu") in {
        (ex.mentions[f.subject].name, f.predicate, ex.mentions[f.object].name) for f in ex.facts}


def test_a_place_and_its_unit_name_are_not_a_chain(nlp):
    ex = _extract(nlp, "The plant is in Chengalpattu district, and Chengalpattu is growing.", scored=False)
    assert not [f for f in ex.facts if f.predicate == "locatedIn"
                and {ex.mentions[f.subject].name, ex.mentions[f.object].name} == {"Chengalpattu district", "Chengalpattu"}]


@pytest.mark.parametrize("text, pair", [
    ("Alibaba's subsidiary Ant Group opened an office in Hangzhou.", ("Ant Group", "Alibaba")),
    ("Mercedes-Benz, owned by Daimler, opened a plant in Beijing.", ("Mercedes-Benz", "Daimler")),
    ("AWS, the cloud computing arm of Amazon, will set up an AI zone in Ulsan.", ("AWS", "Amazon")),
])
def test_ownership_shapes(nlp, text, pair):
    ex = _extract(nlp, text, scored=False)
    got = {(ex.mentions[f.subject].name, ex.mentions[f.object].name) for f in ex.facts if f.predicate == "subsidiaryOf"}
    assert pair in got


def test_buying_land_or_a_stake_is_not_owning_a_company(nlp):
    ex = _extract(nlp, "BYD agreed to buy land from WHA Group and bought a stake in the port.", scored=False)
    assert not [f for f in ex.facts if f.predicate == "subsidiaryOf"]


def test_a_sector_is_also_named_by_its_phrase_as_written(nlp):
    ex = _extract(nlp, "Gotion High-Tech is a maker of lithium-ion batteries.", scored=False)
    forms = {a for m in ex.mentions if m.cls == "Sector" for a in m.aliases}
    assert "lithium-ion batteries" in forms


def test_a_surname_alone_is_the_person_named_before(nlp):
    ex = _extract(nlp, "Hakan Samuelsson, chief executive of Volvo Cars, visited Chengdu. "
                       "Samuelsson said Volvo was committed to the city.", scored=False)
    assert {m.cls for m in ex.mentions if m.name in ("Samuelsson", "Hakan Samuelsson")} == {"Person"}


def test_a_place_that_ends_an_organisations_name_is_part_of_it(nlp):
    names = _names(nlp, "Pham Sanh Chau, chief executive officer of VinFast Asia, opened the plant in Chennai.")
    assert names["VinFast Asia"].cls == "Company"
    assert "Asia" not in names
    places = _names(nlp, "Officials from Jilin met investors from Germany in Changchun.")
    assert places["Germany"].cls == "Country" and places["Changchun"].cls == "City"


def test_a_name_whose_apposition_says_it_is_a_company_is_one(nlp):
    names = _names(nlp, "Tongwei, the polysilicon supplier and solar cell maker, will build a plant.")
    assert names["Tongwei"].cls == "Company"
    assert "Zhang" not in {n for n, m in _names(nlp, "Zhang, the company secretary, said.").items() if m.cls == "Company"}


def _fact_names(ex):
    return {(ex.mentions[f.subject].name, f.predicate, ex.mentions[f.object].name) for f in ex.facts}


def _rule_facts(nlp, text, scored=False):
    return _fact_names(_extract(nlp, text, scored=scored))


def test_an_organisation_before_a_title_employs_the_named_person(nlp):
    assert ("Pat Gelsinger", "worksFor", "Intel") in _rule_facts(
        nlp, "Chancellor Olaf Scholz met Intel chief executive Pat Gelsinger in Berlin.")
    # a place before the title is no employer
    assert not [f for f in _rule_facts(nlp, "Berlin mayor Kai Wegner met the delegation.") if f[1] == "worksFor"]


def test_the_place_of_an_investment_may_hang_on_the_money(nlp):
    facts = _rule_facts(nlp, "Amazon has laid out plans to spend US$9 billion in Singapore and US$5 billion in Thailand.")
    assert {("Amazon", "investsIn", "Singapore"), ("Amazon", "investsIn", "Thailand")} <= facts
    # a year is not where money goes
    assert not [f for f in _rule_facts(nlp, "Huawei invested $2 billion in 2020.") if f[1] == "investsIn"]


def test_unknown_members_of_a_list_of_sectors_are_sectors(nlp):
    names = _names(nlp, "The company wants to grow into electric vehicles, energy storage and robotics.")
    assert names["energy storage"].cls == "Sector"
    # one known sector beside one other noun is not a list of sectors
    names = _names(nlp, "The firm makes robotics and furniture.")
    assert "furniture" not in names


def test_a_city_in_the_name_of_a_government_body_or_event_is_where_it_is(nlp):
    facts = _rule_facts(nlp, "Chen Shaorong, secretary of the CPC Shaoguan Municipal Committee, spoke in Shaoguan.")
    assert ("CPC Shaoguan Municipal Committee", "locatedIn", "Shaoguan") in facts
    # a company is not where the place in its name is
    facts = _rule_facts(nlp, "China Mobile opened an office in Qingdao, and Qingdao Haier said it would hire.")
    assert not [f for f in facts if f[0] == "Qingdao Haier" and f[1] == "locatedIn"]


def test_a_list_of_people_runs_on_through_their_titles(nlp):
    facts = _rule_facts(nlp, "The groundbreaking ceremony was held in Qinzhou. Shen Xiaoming, secretary of the CPC "
                             "Hainan Provincial Committee, and Feng Fei, governor of the province, attended the ceremony.")
    assert {("Shen Xiaoming", "participatesIn", "groundbreaking ceremony"),
            ("Feng Fei", "participatesIn", "groundbreaking ceremony")} <= facts


def test_a_description_right_before_a_name_is_no_other_entity(nlp):
    names = _names(nlp, "Chile's state copper giant Codelco and lithium producer SQM signed the agreement.")
    assert {"Codelco", "SQM"} <= set(names) and not [n for n in names if "giant" in n]
    assert names["lithium"].cls == "Sector"     # what the producer makes, whatever the parse hangs before it


def test_a_description_is_also_named_without_which_one_and_how_big(nlp):
    ex = _extract(nlp, "Xinte Energy is setting up a separate 200,000-ton polysilicon complex near the city. "
                       "Google will build its first data centre in Malaysia.")
    forms = {a for m in ex.mentions for a in m.aliases}
    assert {"polysilicon complex", "200,000-ton polysilicon complex", "data centre in Malaysia"} <= forms
    assert "complex" not in forms, "never down to the bare head noun"


def test_a_name_with_a_persons_title_is_a_person(nlp):
    names = _names(nlp, "The money was announced by Mélanie Joly, Canada's Minister of Economic Development "
                        "and Official Languages, in Hamilton. Chancellor Olaf Scholz met Intel in Berlin.")
    assert names["Mélanie Joly"].cls == "Person" and names["Olaf Scholz"].cls == "Person"
    assert not [n for n in names if n.startswith("Minister")], "a title is not an organisation"
    # a role a company can have says nothing: "Foxconn, a partner of Apple"
    assert _names(nlp, "Foxconn, a partner of Apple, opened a plant.")["Foxconn"].cls == "Company"


def test_two_institutions_joined_by_and_are_two(nlp):
    names = _names(nlp, "Whitmer met alumni of the University of Michigan and Michigan State University. "
                        "He met the Ministry of Industry and Information Technology.")
    assert {"University of Michigan", "Michigan State University",
            "Ministry of Industry and Information Technology"} <= set(names)


def test_names_the_tagger_cut_or_missed_beside_companies(nlp):
    names = _names(nlp, "Electric-vehicle specialists such as Tesla and Nio eat into the segment. "
                        "In Seoul, the governor called on Samsung SDI and LG Energy Solution.")
    assert names["Nio"].cls == "Company" and names["Samsung SDI"].cls == "Company"
    assert "Samsung" not in names
    # a conjunct that is a place stays a place
    assert _names(nlp, "Tesla and Shanghai signed a deal.")["Shanghai"].cls == "City"


def test_a_lone_generic_word_is_no_organisation(nlp):
    ex = _extract(nlp, "Party secretary Li Qiang visited the plant with the Group.", scored=False)
    assert not {"Party", "Group"} & {m.name for m in ex.mentions}


def test_coordinated_signers_of_a_pact_partner(nlp):
    facts = _rule_facts(nlp, "In May 2016 the Karamay municipal government and the Industry of Data Centers Union, "
                             "or IDCUN, concluded a strategic pact.")
    assert any(f[1] == "partnersWith" and "Karamay municipal government" in (f[0], f[2]) for f in facts)


def test_a_facility_its_owner_calls_its_largest_is_a_thing(nlp):
    ex = _extract(nlp, "Poland already hosts Intel's largest research and development centre in Europe. "
                       "China's largest production base is in Wuhan.", scored=False)
    forms = {a for m in ex.mentions for a in m.aliases}
    assert "Intel's largest research and development centre" in forms
    assert not [f for f in forms if "production base" in f], "an evaluation with no owner is no thing"


@pytest.mark.parametrize("text, fact", [
    ("The land was bought by SK Telecom and SK Broadband, one of its subsidiaries, which paid for it.",
     ("SK Broadband", "subsidiaryOf", "SK Telecom")),
    ("Audi, which belongs to the Volkswagen Group, aims to finish its plant.", ("Audi", "subsidiaryOf", "Volkswagen Group")),
    ("Shuangliang Silicon Materials is the local unit of Shuangliang Eco-Energy Systems Co., Ltd.",
     ("Shuangliang Silicon Materials", "subsidiaryOf", "Shuangliang Eco-Energy Systems Co., Ltd")),
    ("BMW Brilliance Automotive, the joint venture that ties Germany's BMW Group to Chinese carmaker Brilliance "
     "China Automotive Holdings Ltd, opened Plant Lydia.", ("BMW Brilliance Automotive", "subsidiaryOf", "BMW Group")),
])
def test_subsidiary_shapes(nlp, text, fact):
    assert fact in _rule_facts(nlp, text)


def test_a_joint_venture_is_a_subsidiary_of_each_parent_and_they_partner(nlp):
    facts = _rule_facts(nlp, "The battery joint venture of Stellantis and Samsung SDI will invest $3.2 billion.")
    parents = {o for s, p, o in facts if p == "subsidiaryOf" and "battery joint venture" in s}
    assert parents == {"Stellantis", "Samsung SDI"}
    assert ("Stellantis", "partnersWith", "Samsung SDI") in facts


def test_rule_families_are_registered_by_name_and_listed_in_order():
    from kg.extract.relations import FAMILIES, FAMILIES_FILE, family_order

    listed = json.loads(FAMILIES_FILE.read_text())
    names = [n for scope in ("mention", "token", "document") for n in listed[scope]]
    assert sorted(names) == sorted(FAMILIES), "every family listed once, and every listed name a family"
    order = family_order()
    assert [f.name for f in order["document"]] == listed["document"]


def test_an_unknown_family_name_is_a_clear_error(tmp_path, monkeypatch):
    from kg.extract import relations

    bad = tmp_path / "families.json"
    bad.write_text(json.dumps({"mention": ["roles", "rolez"], "token": [], "document": []}))
    monkeypatch.setattr(relations, "FAMILIES_FILE", bad)
    relations.family_order.cache_clear()
    try:
        with pytest.raises(ValueError, match="no mention rule family named 'rolez'"):
            relations.family_order()
    finally:
        monkeypatch.undo()
        relations.family_order.cache_clear()


def test_relation_patterns_schema(nlp):
    from kg.extract.patterns import _matcher, relation_patterns

    pats = relation_patterns()
    assert pats and all(p.about for p in pats)
    _matcher(nlp.vocab)         # every pattern compiles (validate=True)


def test_a_bad_relation_pattern_names_the_file_and_the_pattern(tmp_path, monkeypatch):
    from kg.extract import patterns

    bad = tmp_path / "relations.json"
    bad.write_text(json.dumps({"patterns": [{"name": "x", "predicate": "worksFor", "subject": "a", "object": "zz",
                                             "confidence": 0.5, "pattern": [{"RIGHT_ID": "a", "RIGHT_ATTRS": {}}]}]}))
    monkeypatch.setattr(patterns, "PATTERNS_FILE", bad)
    patterns.relation_patterns.cache_clear()
    try:
        with pytest.raises(patterns.PatternError, match=r"relations.json: pattern 1 \('x'\).*'zz'"):
            patterns.relation_patterns()
    finally:
        monkeypatch.undo()
        patterns.relation_patterns.cache_clear()


@pytest.mark.parametrize("text, fact", [
    ("In 2010 the carmaker Volvo was bought by Zhejiang Geely Holding Group.",
     ("Volvo", "subsidiaryOf", "Zhejiang Geely Holding Group")),
    ("Tesla appointed Tom Zhu as head of its China business.", ("Tom Zhu", "worksFor", "Tesla")),
    ("Aramco bought a 10 percent stake in Rongsheng Petrochemical last year.",
     ("Aramco", "investsIn", "Rongsheng Petrochemical")),
])
def test_dependency_patterns_find_their_shapes(nlp, text, fact):
    assert fact in _rule_facts(nlp, text)


def test_dependency_patterns_link_only_what_fits_the_predicate(nlp):
    # land is bought, but land is no company: no subsidiary
    assert not [f for f in _rule_facts(nlp, "The land was bought by SK Telecom in April.") if f[1] == "subsidiaryOf"]


def test_ministers_are_members_of_the_government_the_article_names(nlp):
    facts = _rule_facts(nlp, "The Moroccan government signed the deal. Alongside Jazouli, the signatories included "
                             "Interior Minister Abdelouafi Laftit and Economy and Finance Minister Nadia Fettah.")
    assert {("Abdelouafi Laftit", "worksFor", "Moroccan government"),
            ("Nadia Fettah", "worksFor", "Moroccan government")} <= facts
    assert not [f for f in facts if f[2] == "Interior"], "a portfolio is not an organisation"
    # the place in the title picks the government; a governor needs his place's
    facts = _rule_facts(nlp, "Quebec Economy Minister Pierre Fitzgibbon praised the Quebec government and the federal "
                             "government. Henan Governor Wang Kai met officials of the Henan provincial government.")
    assert {("Pierre Fitzgibbon", "worksFor", "Quebec government"),
            ("Wang Kai", "worksFor", "Henan provincial government")} <= facts
    # another country's minister is no member of the one government named
    assert not _rule_facts(nlp, "Italian Deputy Prime Minister Luigi Di Maio met the Chinese government.") & {
        ("Luigi Di Maio", "worksFor", "Chinese government")}


def test_a_national_title_is_no_member_of_a_provincial_government(nlp):
    facts = _rule_facts(nlp, "Prime Minister Justin Trudeau visited the plant, which the Quebec government supports.")
    assert ("Justin Trudeau", "worksFor", "Quebec government") not in facts


def test_an_industry_word_ends_a_company_name(nlp):
    assert ("SABIC Fujian Petrochemicals", 44.8e9, "CNY") in _investments(
        nlp, "SABIC Fujian Petrochemicals is investing 44.8 billion yuan ($6.4 billion) in the complex.")
    # lower case it is the industry
    assert _names(nlp, "The group invests in petrochemicals and steel.")["petrochemicals"].cls == "Sector"


def test_the_maker_of_a_project_with_an_amount_invests_it(nlp):
    assert ("Copenhagen Infrastructure Partners", 10e9, "USD") in _investments(
        nlp, "Among the largest are a $10 billion wind energy project by Denmark's Copenhagen Infrastructure Partners "
             "and a $6 billion car-making investment by Kia.")


def test_a_role_is_of_the_nearest_organisation_and_ends_before_the_next_person(nlp):
    facts = _rule_facts(nlp, "Cheng Zhiyi, secretary of the Jiangjin District Committee of the Communist Party of "
                             "China, spoke.")
    assert [f for f in facts if f[1] == "worksFor"] == [("Cheng Zhiyi", "worksFor", "Jiangjin District Committee")]
    facts = _rule_facts(nlp, "Guests included Cai Weiwen, a director of China Mobile Communications Group Guangdong "
                             "Co., Ltd., who also sits on the company's Party committee, and Zheng Qilong, general "
                             "manager of China Construction Fourth Engineering Bureau.")
    employers = {o for s, p, o in facts if p == "worksFor" and s == "Cai Weiwen"}
    assert employers == {"China Mobile Communications Group Guangdong Co., Ltd"}


def test_a_unit_cut_from_a_longer_name_keeps_it_as_a_name(nlp):
    ex = _extract(nlp, "Cheng Zhiyi, secretary of the Jiangjin District Committee of the Communist Party of China, "
                       "spoke. Zhao Xiao, deputy director of the area's management committee, told reporters.")
    forms = {a for m in ex.mentions for a in m.aliases}
    assert {"Jiangjin District Committee of the Communist Party of China", "area's management committee"} <= forms


def test_the_partners_named_together_invest_what_they_say_they_will(nlp):
    got = _investments(nlp, "Stellantis and Samsung SDI opened the first plant in Kokomo. The two partners had said "
                            "in 2021 that they would invest $1.1 billion in the battery cell plant.")
    assert {("Stellantis", 1.1e9, "USD"), ("Samsung SDI", 1.1e9, "USD")} <= got


def test_a_description_is_named_after_the_owner_its_reference_stands_for(nlp):
    ex = _extract(nlp, "Northvolt signed the deal in Quebec. The company said its first plant would open in 2026.",
                  scored=False)
    assert "Northvolt first plant" in {m.name for m in ex.mentions}


def test_a_body_named_after_where_it_sits_has_that_form_too(nlp):
    ex = _extract(nlp, "Filippo Nicosia, head of the Italian Consulate General in Chongqing, spoke at the US Embassy "
                       "in Beijing.", scored=False)
    forms = {a for m in ex.mentions for a in m.aliases}
    assert {"Italian Consulate General in Chongqing", "US Embassy in Beijing"} <= forms
    assert {m.name: m.cls for m in ex.mentions}["Filippo Nicosia"] == "Person", "the head of a body is a person"


def test_the_gazetteer_puts_a_place_in_the_most_specific_container_the_article_names(nlp):
    text = ("BMW opened a plant in Dalian on Monday. Liaoning is a province in the northeast of China, "
            "and the company also builds cars in Shenyang.")
    facts = _rule_facts(nlp, text)
    assert ("Dalian", "locatedIn", "Liaoning") in facts
    assert ("Liaoning", "locatedIn", "China") in facts
    # the province is named, so the city is not put straight in the country
    assert ("Dalian", "locatedIn", "China") not in facts
    # a place the article says nothing else about gets no fact
    facts = _rule_facts(nlp, "SHANGHAI, May 3 -- The firm said sales in China rose.")
    assert ("Shanghai", "locatedIn", "China") not in facts


def test_the_gazetteer_knows_the_subdivision_of_a_city():
    from kg.extract.places import containing, lookup

    dalian = next(p for p in lookup("Dalian") if p.cls == "City")
    assert containing(dict(dalian.ids)) == ("CN-LN", "CN")
    liaoning = next(p for p in lookup("Liaoning") if p.cls == "Province")
    assert containing(dict(liaoning.ids)) == ("CN",)
    assert containing({"iso": "CN"}) == ()
    assert containing({}) == ()


def test_where_an_apposition_or_an_opening_phrase_says_a_thing_is(nlp):
    facts = _rule_facts(nlp, "The timing was symbolic: BMW Brilliance, the group's joint venture in Shenyang, "
                             "is marking its 20th anniversary.")
    assert ("BMW Brilliance", "locatedIn", "Shenyang") in facts
    facts = _rule_facts(nlp, "Located within the Tianjin Economic-Technological Development Area, the "
                             "Binhai-Zhongguancun Science Park opened in 2016.")
    assert ("Binhai-Zhongguancun Science Park", "locatedIn", "Tianjin Economic-Technological Development Area") in facts
    # an opening phrase of time or manner says nothing of place
    facts = _rule_facts(nlp, "Founded in 2019, Haiyun has grown fast in Shanghai.")
    assert not [f for f in facts if f[2] == "Shanghai" and f[1] == "locatedIn" and f[0] != "Haiyun"]


@pytest.mark.parametrize("text, pair", [
    ("SK Group has agreed with Amazon Web Services to build a data center in Ulsan.", ("SK Group", "Amazon Web Services")),
    ("Woodside Energy ratified $10.4 billion for an oil project it is developing with Petróleos Mexicanos.",
     ("Woodside Energy", "Petróleos Mexicanos")),
    ("Hyundai Motor Group and LG Energy Solution opened Indonesia's first factory for battery cells.",
     ("Hyundai Motor Group", "LG Energy Solution")),
    ("LT Precision, a supplier to LG Chem, picked Michigan over Indiana.", ("LT Precision", "LG Chem")),
    ("The Malaysian Investment Development Authority signed a memorandum of understanding with Google.",
     ("Malaysian Investment Development Authority", "Google")),
])
def test_more_partnership_shapes(nlp, text, pair):
    facts = _rule_facts(nlp, text)
    assert (pair[0], "partnersWith", pair[1]) in facts or (pair[1], "partnersWith", pair[0]) in facts


def test_making_something_with_a_product_or_alone_is_no_partnership(nlp):
    facts = _rule_facts(nlp, "Nissan started producing at the site in 1983 with the Patrol off-roader.")
    assert not [f for f in facts if f[1] == "partnersWith"]
    facts = _rule_facts(nlp, "Tesla and BYD opened factories in Europe and Asia.")
    assert not [f for f in facts if f[1] == "partnersWith"]


def test_who_after_an_apposition_is_the_named_person(nlp):
    facts = _rule_facts(nlp, "SABIC held a groundbreaking ceremony in Gulei. Abdulrahman Al-Fageeh, SABIC's chief "
                             "executive, who attended the ceremony, called the complex a landmark.")
    assert ("Abdulrahman Al-Fageeh", "participatesIn", "groundbreaking ceremony") in facts


def test_subdivisions_are_known_by_the_english_names_news_uses():
    from kg.extract.places import containing, lookup, place_code

    bavaria = next(p for p in lookup("Bavaria") if p.cls == "Province")
    assert bavaria.country == "DE" and containing(dict(bavaria.ids)) == ("DE",)
    munich = next(p for p in lookup("Munich") if p.cls == "City")
    assert containing(dict(munich.ids))[0] == place_code(dict(bavaria.ids))
    assert [p.cls for p in lookup("Gyeonggi")][:1] == ["Province"]
    # the region of a capital named as the city stays the city; compass words are no places
    assert [p.cls for p in lookup("Seoul")] == ["City"]
    assert lookup("Northeast") == ()


def test_a_name_only_ever_used_as_where_something_is_is_a_place(nlp):
    names = _names(nlp, "A large share is going into a renewable energy park at Khavda in Kutch, which Adani "
                        "described as the biggest of its kind.")
    assert names["Khavda"].cls == "District"
    # a name used as an owner, or an acronym, stays an organisation
    names = _names(nlp, "The Gotion battery plant opened at Gotion's site.")
    assert names["Gotion"].cls != "District"
    # an acronym where a plant is, is the estate it names ("a plant at SIPCOT", "a campus at NEOM")
    assert _names(nlp, "The plant at SIPCOT opened too.")["SIPCOT"].cls in ("City", "District")


def test_a_name_the_tagger_took_for_a_person_is_a_company_when_its_noun_says_so(nlp):
    names = _names(nlp, "Saudi manufacturer Alat and Chinese computer maker Lenovo agreed a $2 billion investment.")
    assert names["Alat"].cls == "Company"
    names = _names(nlp, "The same week Sivantos, the German hearing aid maker, opened a center in Suzhou.")
    assert names["Sivantos"].cls == "Company"
    # a role in apposition keeps a person a person
    names = _names(nlp, "Ning Jiajun, director of the State Information Center, spoke at the forum.")
    assert names["Ning Jiajun"].cls == "Person"


def test_a_company_named_as_another_plus_a_region_or_a_business_is_its_unit(nlp):
    facts = _rule_facts(nlp, "China Mobile said China Mobile International would run the cable. "
                             "SK Group said SK Telecom would build the data center.")
    assert ("China Mobile International", "subsidiaryOf", "China Mobile") in facts
    assert ("SK Telecom", "subsidiaryOf", "SK Group") in facts
    # the full name of one company beside its short name is that company, not a unit of it
    facts = _rule_facts(nlp, "Hyundai Motor Group opened a plant. Hyundai said it would invest more. "
                             "Foxconn Technology Group said Foxconn would hire.")
    assert not [f for f in facts if f[1] == "subsidiaryOf"]


def test_what_a_facility_costs_or_its_expansion_is_invested_by_its_maker(nlp):
    assert ("BMW Brilliance", 15e9, "CNY") in _investments(
        nlp, "BMW Brilliance opened Plant Lydia in Shenyang, a factory that cost 15 billion yuan.")
    assert ("LG Energy Solution", 1.7e9, "USD") in _investments(
        nlp, "LG Energy Solution won state support in 2022 for a $1.7 billion expansion of its battery complex in Michigan.")
    # what a product costs is no investment
    assert not _investments(nlp, "The car, which costs 150,000 yuan, went on sale in Beijing.")


def test_a_district_placed_nowhere_is_in_the_dateline_city(nlp):
    text = ("Fuzhou signs 25 projects\n\nFUZHOU, May 2 -- Fuzhou signed 25 projects. Several companies will "
            "build plants in Gulou District and Minqing County.")
    facts = _rule_facts(nlp, text)
    assert ("Minqing County", "locatedIn", "Fuzhou") in facts
    # a district named after a city of its own is no part of the dateline's city
    text = ("Plants for Tamil Nadu\n\nCHENNAI, May 2 -- The firm will build plants in Coimbatore district.")
    assert not [f for f in _rule_facts(nlp, text) if f[0].startswith("Coimbatore") and f[2] == "Chennai"]


@pytest.mark.parametrize("text, pair", [
    ("Ground was broken that September, with Chung and LG Energy Solution's then chief executive, Kim Jong-hyun, "
     "taking part online.", ("Kim Jong-hyun", "LG Energy Solution")),
    ("Milan Nedeljkovic, the member of the BMW AG board responsible for production, presented the plant.",
     ("Milan Nedeljkovic", "BMW AG")),
    ("Qu Tao, assistant to the chairman of CATL, said at the signing that the sides would share resources.",
     ("Qu Tao", "CATL")),
])
def test_more_role_shapes(nlp, text, pair):
    assert (pair[0], "worksFor", pair[1]) in _rule_facts(nlp, text)


def test_the_event_a_report_opens_with_is_held_in_its_dateline_city(nlp):
    text = ("TSMC opens its first Japanese plant\n\nKUMAMOTO, Feb 24 -- TSMC held an opening ceremony for its first "
            "plant in Japan on Saturday. The company said more plants would follow.")
    assert ("opening ceremony", "heldIn", "Kumamoto") in _rule_facts(nlp, text)
    # a place the text gives wins over the dateline
    text = ("Deals signed\n\nBEIJING, May 2 -- The expo in Shanghai drew 300 companies on Monday.")
    facts = _rule_facts(nlp, text)
    assert not [f for f in facts if f[1] == "heldIn" and f[2] == "Beijing"]


def test_short_other_names_of_big_cities_are_not_places():
    from kg.extract.places import lookup

    # GeoNames lists "Cheng" for Zhengzhou and "Vele" for Belém: a surname or a word first
    assert lookup("Cheng") == () and lookup("Vele") == ()
    # spellings of the city's own name stay: "Xi'an", long other names too
    assert [p.name for p in lookup("Xi'an")] == ["Xian"]
    assert lookup("Peking")[0].name == "Beijing"


@pytest.mark.parametrize("text, pair", [
    # a person whose surname is a company's name is the person, not the company
    ("Gautam Adani, chairman of the Adani Group, said the group would grow.", ("Gautam Adani", "Adani Group")),
    # the parser heads "chairman emeritus" with "emeritus": still a person's role
    ("Ratan Tata, chairman emeritus of Tata Sons, launched the first phase.", ("Ratan Tata", "Tata Sons")),
    # a campus has no chief executive: the name is the company's
    ("Robert Dunn, chief executive of Start Campus, told guests the work had begun.", ("Robert Dunn", "Start Campus")),
])
def test_a_role_in_apposition_names_the_person_and_the_employer(nlp, text, pair):
    names = _names(nlp, text)
    assert names[pair[0]].cls == "Person" and names[pair[1]].cls in ("Company", "Organization")
    assert (pair[0], "worksFor", pair[1]) in _rule_facts(nlp, text)


def test_a_persons_own_company_is_the_one_named_in_apposition(nlp):
    text = "Gautam Adani, chairman of the Adani Group, said his conglomerate would invest more in Gujarat."
    facts = _rule_facts(nlp, text)
    assert ("Adani Group", "investsIn", "Gujarat") in facts
    # without a role in apposition, "his company" is left to the other rules
    facts = _rule_facts(nlp, "Gautam Adani said his conglomerate would invest more in Gujarat.")
    assert not [f for f in facts if f[0] == "Adani Group"]
    # "the executive of X" alone is a company's role: a campus stays a campus
    assert _names(nlp, "An executive of Start Campus visited the site.")["Start Campus"].cls == "Facility"


def test_a_place_of_a_described_place_is_the_one_named_in_apposition(nlp):
    text = ("The plant stands in the Tiexi District of Shenyang. "
            "The park went up in the Toutunhe district of the regional capital, Urumqi.")
    facts = _rule_facts(nlp, text)
    assert ("Tiexi District", "locatedIn", "Shenyang") in facts
    assert ("Toutunhe district", "locatedIn", "Urumqi") in facts
    # "the regional capital" is not read as the city named a sentence before
    assert ("Toutunhe district", "locatedIn", "Shenyang") not in facts


def test_named_examples_of_a_plural_producer_are_active_in_its_sector(nlp):
    facts = _rule_facts(nlp, "Shares rose as electric vehicle makers including Tesla and Nio expanded.")
    assert {("Tesla", "activeIn", "electric vehicle"), ("Nio", "activeIn", "electric vehicle")} <= facts
    # a plural producer noun without named examples makes no sector mention
    names = _names(nlp, "Shares rose as electric vehicle makers expanded.")
    assert "electric vehicle" not in names


def test_the_organisation_refers_back_to_the_named_one(nlp):
    facts = _rule_facts(nlp, "Robert Dunn, chief executive of Start Campus, said the organisation "
                             "would concentrate on data centers.")
    assert ("Start Campus", "activeIn", "data centers") in facts


def test_a_sector_named_before_a_maker_is_also_named_in_the_plural(nlp):
    text = "Chinese battery maker CATL opened a plant."
    ex = _extract(nlp, text, scored=False)
    sector = next(m for m in ex.mentions if m.cls == "Sector")
    assert sector.name == "battery" and "batteries" in sector.aliases


def test_a_unit_noun_with_its_owner_before_it_gives_subsidiary_of(nlp):
    assert ("Xinte Energy", "subsidiaryOf", "TBEA") in _rule_facts(
        nlp, "Xinte Energy, a TBEA subsidiary, is setting up a complex near the city.")
    # the owner must be named: "a cloud computing unit" is no parent
    facts = _rule_facts(nlp, "Tencent Cloud, a cloud computing unit, is growing.")
    assert not [f for f in facts if f[1] == "subsidiaryOf"]


def test_the_city_of_a_name_is_the_named_place(nlp):
    facts = _rule_facts(nlp, "Huawei is building a data center in the city of Panjin.")
    assert ("data center in Panjin", "locatedIn", "Panjin") in facts or any(
        f[1:] == ("locatedIn", "Panjin") and "data center" in f[0] for f in facts)
    # without a name after "of", "the city" is no place of its own
    facts = _rule_facts(nlp, "Huawei is building a data center in the city.")
    assert not [f for f in facts if f[1] == "locatedIn"]


def test_a_government_is_located_in_the_place_in_its_name(nlp):
    facts = _rule_facts(nlp, "Chongqing's Jiangjin district went to Singapore. The People's Government of "
                             "Jiangjin District signed 12 deals. The Karamay municipal government, in "
                             "Xinjiang, signed a pact. Karamay is a city.")
    assert ("People's Government of Jiangjin District", "locatedIn", "Jiangjin district") in facts
    assert ("Karamay municipal government", "locatedIn", "Karamay") in facts


def test_a_government_is_not_active_in_a_sector(nlp):
    """A government promotes an industry; the company in it is what is active there."""
    facts = _rule_facts(nlp, "The Malaysian government is backing artificial intelligence, and Microsoft "
                             "is investing in artificial intelligence in Malaysia.", scored=True)
    assert not [f for f in facts if f[1] == "activeIn" and "government" in f[0].lower()]


def test_a_government_refers_back_only_to_a_government(nlp):
    """"the Moroccan government" after "the Moroccan Investment Agency (AMDIE)" is another body, and
    ministers named in the article work for it."""
    facts = _rule_facts(nlp, "Ali Seddiki, director general of the Moroccan Investment Agency (AMDIE), "
                             "signed for the agency. Interior Minister Abdelouafi Laftit signed too. "
                             "The Moroccan government placed its trust in Gotion.")
    assert ("Abdelouafi Laftit", "worksFor", "Moroccan government") in facts
    assert not [f for f in facts if f[0] == "Abdelouafi Laftit" and "Agency" in f[2]]


def test_a_minister_delegate_and_a_caretaker_minister_are_government_members(nlp):
    facts = _rule_facts(nlp, "Mohcine Jazouli, the minister delegate in charge of investment, spoke. "
                             "Caretaker Economy Minister Pedro Reis toured the site. It led to the fall of "
                             "Prime Minister Antonio Costa's government. The Portuguese government backed it.")
    assert {("Mohcine Jazouli", "worksFor", "Portuguese government"),
            ("Pedro Reis", "worksFor", "Portuguese government")} <= facts
    # two governments and none in the minister's sentence: no guess
    facts = _rule_facts(nlp, "Economy Minister Robert Habeck spoke. The Portuguese government and the "
                             "Spanish government signed a deal.")
    assert not [f for f in facts if f[0] == "Robert Habeck"]


def test_guests_named_after_an_attended_event_take_part_in_it(nlp):
    text = ("Around 300 guests attended the completion ceremony, among them President Joko Widodo, "
            "South Korean Trade Minister Cheong In-kyo and LG Energy Solution Chief Executive Kim Dong-myung.")
    facts = _rule_facts(nlp, text)
    assert {("Joko Widodo", "participatesIn", "completion ceremony"),
            ("Cheong In-kyo", "participatesIn", "completion ceremony"),
            ("Kim Dong-myung", "participatesIn", "completion ceremony")} <= facts
    # a hyphenated given name is part of the person's name
    assert "Cheong In" not in _names(nlp, text)
    # "the ceremony, a yearly event": an apposition that is no person still describes it
    assert not [f for f in _rule_facts(nlp, "Guests attended the ceremony.") if f[1] == "participatesIn"]


def test_the_shareholders_of_one_venture_are_partners(nlp):
    facts = _rule_facts(nlp, "The plant has three shareholders, Airbus, AVIC and the Tianjin municipal "
                             "government, with Airbus taking a 51 percent stake.")
    assert {("Airbus", "partnersWith", "AVIC"), ("AVIC", "partnersWith", "Tianjin municipal government")} <= facts
    # one shareholder named is nobody's partner
    facts = _rule_facts(nlp, "Airbus, one of the shareholders, took a 51 percent stake.")
    assert not [f for f in facts if f[1] == "partnersWith"]


def test_a_named_hub_is_an_incubator_unless_it_is_a_logistics_or_industrial_one(nlp):
    names = _names(nlp, "Telangana opened T-Hub in Hyderabad. Vantage leased land at the Waterfall Logistics Hub.")
    assert names["T-Hub"].cls == "Incubator"
    assert names["Waterfall Logistics Hub"].cls == "IndustrialPark"


def test_an_incubator_that_partners_with_companies_partners_with_them(nlp):
    facts = _rule_facts(nlp, "The incubator, E-Hub, has partnered with Huawei, DJI and China Telecom.")
    assert ("E-Hub", "partnersWith", "Huawei") in facts
    assert not [f for f in facts if f[1] == "incubates"]


def test_a_name_the_tagger_calls_a_person_is_an_agency_its_apposition_names(nlp):
    ex = _extract(nlp, "Guidance Tamil Nadu, the state's investment promotion agency, signed memoranda of "
                       "understanding with eight companies, including Nokia and PayPal.", scored=False)
    names = {m.name: m for m in ex.mentions}
    assert names["Guidance Tamil Nadu"].cls == "GovernmentBody"
    facts = _fact_names(ex)
    assert ("Guidance Tamil Nadu", "partnersWith", "Nokia") in facts


def test_a_world_region_is_neither_a_company_nor_a_city(nlp):
    names = _names(nlp, "BYD is expanding in Southeast Asia and Europe, the company said.")
    assert not {"Asia", "Southeast Asia", "Europe"} & set(names)


def test_a_place_that_ranks_a_maker_is_not_active_in_its_sector(nlp):
    facts = _rule_facts(nlp, "Sunwoda, Jiangsu's biggest maker of lithium batteries, opened a plant.")
    assert ("Sunwoda", "activeIn", "lithium batteries") in facts
    assert not [f for f in facts if f[0] == "Jiangsu" and f[1] == "activeIn"]


def test_a_town_is_named_by_its_state(nlp):
    """"in Kharkhoda, Haryana": a name the gazetteer does not know, before a comma and a province."""
    facts = _rule_facts(nlp, "Maruti is building a plant in Kharkhoda, Haryana. Microsoft runs a data center "
                             "near Boydton, Virginia.")
    assert ("Kharkhoda", "locatedIn", "Haryana") in facts and ("Boydton", "locatedIn", "Virginia") in facts
    names = _names(nlp, "Northvolt will build in Saint-Basile-le-Grand, Quebec.")
    assert names["Saint-Basile-le-Grand"].cls == "City" and names["Saint-Basile-le-Grand"].ids
    # an owner before a country's possessive is no town
    names = _names(nlp, "Nvidia invested in Vingroup, Vietnam's largest conglomerate.")
    assert names["Vingroup"].cls != "City"


def test_an_amount_committed_to_a_thing_invests_in_it(nlp):
    facts = _rule_facts(nlp, "Sheng Hong Group commits 30.6 billion yuan to a battery gigafactory and a research "
                             "institute in Zhangjiagang.")
    assert {("Sheng Hong Group", "investsIn", "Sheng Hong battery gigafactory"),
            ("Sheng Hong Group", "investsIn", "research institute in Zhangjiagang")} <= facts
    # two class nouns joined by "and" are two things
    names = _names(nlp, "Sheng Hong commits 30.6 billion yuan to battery gigafactory and research institute in Zhangjiagang")
    assert not [n for n in names if "gigafactory and research" in n]


def test_a_named_dialogue_roundtable_or_seminar_is_an_event_name(nlp):
    names = _names(nlp, "Executives attended the 14th U.S.-Mexico CEO Dialogue. Ministers met at the "
                        "Liaoning-Frankfurt Economic and Trade Roundtable.")
    for name in ("14th U.S.-Mexico CEO Dialogue", "Liaoning-Frankfurt Economic and Trade Roundtable"):
        assert names[name].cls == "Event" and not names[name].descriptive


def test_a_venture_named_after_its_parents_is_their_subsidiary(nlp):
    text = ("Weichai Power and Ballard Power Systems set up the Weichai-Ballard joint venture in Weifang. "
            "Chery and Ebro agreed to form the Chery-Ebro venture in Barcelona.")
    facts = _rule_facts(nlp, text)
    # labelled as written, with the place, and no owner put before a name that holds it already
    assert {("Weichai-Ballard joint venture in Weifang", "subsidiaryOf", "Weichai Power"),
            ("Weichai-Ballard joint venture in Weifang", "subsidiaryOf", "Ballard Power Systems"),
            ("Chery-Ebro venture in Barcelona", "subsidiaryOf", "Ebro")} <= facts
    # the venture is a thing of its own, not a reference back to a parent
    ex = _extract(nlp, text, scored=False)
    assert any("Weichai-Ballard joint venture" in m.aliases for m in ex.mentions)
    # one name before the venture is no pair of parents
    facts = _rule_facts(nlp, "Weichai Power said the Weichai venture grew.")
    assert not [f for f in facts if f[1] == "subsidiaryOf"]


def test_a_minister_named_after_the_title_works_for_the_nearest_government(nlp):
    facts = _rule_facts(nlp, "The money, the Minister of Finance, Wale Edun, said, would go into steel. Edun "
                             "thanked the firms that had responded to the Nigerian government's reforms. Much "
                             "later, talks went on. Prices rose. Trade grew. The Indian government agreed.")
    assert ("Wale Edun", "worksFor", "Nigerian government") in facts
    assert ("Wale Edun", "worksFor", "Indian government") not in facts
    # a company's president is no member of a government
    facts = _rule_facts(nlp, "Its founding president, Jitender Sachdeva, announced the plan. The Nigerian "
                             "government welcomed it.")
    assert not [f for f in facts if f[0] == "Jitender Sachdeva" and f[1] == "worksFor"]


def test_a_state_of_two_words_is_a_place_whatever_the_tagger_says(nlp):
    names = _names(nlp, "Tamil Nadu, he said, produces about 40 per cent of India's electric vehicles.")
    assert names["Tamil Nadu"].cls == "Province"


def test_companies_making_things_in_a_place_are_located_there(nlp):
    facts = _rule_facts(nlp, "Tamil Nadu produces many cars, with companies such as Hyundai, Nissan and BYD "
                             "already making EVs in the state.")
    assert {("Hyundai", "locatedIn", "Tamil Nadu"), ("BYD", "locatedIn", "Tamil Nadu")} <= facts


def test_the_owner_of_a_description_is_the_mention_that_owns_it(nlp):
    """Owners are indexes into the mention list, which is sorted after they are set."""
    from kg.extract.entities import find_mentions

    doc = nlp("Production at the Tiexi plant began in 2012, so that every BMW factory in China is now in Shenyang.")
    mentions = find_mentions(doc)
    factory = next(m for m in mentions if m.name == "BMW factory")
    assert mentions[factory.owner].name == "BMW"


def test_a_boss_named_by_the_company_and_a_board_chair_work_for_it(nlp):
    facts = _rule_facts(nlp, "Li Shufu, the Geely boss, now chairs the board of Volvo Cars.")
    assert {("Li Shufu", "worksFor", "Geely"), ("Li Shufu", "worksFor", "Volvo Cars")} <= facts


def test_whose_head_names_the_organisation_s_head(nlp):
    facts = _rule_facts(nlp, "The design came from Progetto CMR, an architectural design consultancy whose "
                             "head, Massimo Roj, said he was confident.")
    assert ("Massimo Roj", "worksFor", "Progetto CMR") in facts


def test_well_known_companies_are_found_without_the_tagger(nlp):
    names = _names(nlp, "The delegation was received at the headquarters of Saudi Aramco by its chief "
                        "executive, Amin Nasser.")
    assert names["Saudi Aramco"].cls == "Company"
    assert ("Amin Nasser", "worksFor", "Saudi Aramco") in _rule_facts(
        nlp, "The delegation was received at the headquarters of Saudi Aramco by its chief executive, Amin Nasser.")


def test_a_country_before_a_company_is_also_where_it_is_based(nlp):
    facts = _rule_facts(nlp, "In 2015 Germany's Lanxess opened a rubber plant in Changzhou.")
    assert {("Lanxess", "locatedIn", "Germany"), ("Lanxess", "headquarteredIn", "Germany")} <= facts


def test_a_special_adviser_is_a_person(nlp):
    names = _names(nlp, "Indorama pledged $8 billion, according to a statement issued by Ajuri Ngelale, the "
                        "president's special adviser on media and publicity.")
    assert names["Ajuri Ngelale"].cls == "Person"


def test_a_nationality_word_before_a_maker_places_the_company(nlp):
    facts = _rule_facts(nlp, "Vietnamese electric vehicle maker VinFast opened a plant. Foreign arrivals range "
                             "from Tesla, the American electric carmaker, to TUI.")
    assert {("VinFast", "headquarteredIn", "Vietnam"), ("Tesla", "headquarteredIn", "United States")} <= facts
    # a nationality word on a person's title names no company's country
    facts = _rule_facts(nlp, "Chinese President Xi Jinping met Tesla chief Elon Musk.")
    assert not [f for f in facts if f[1] == "headquarteredIn"]


def test_being_among_those_at_or_inaugurating_an_event_is_taking_part(nlp):
    assert ("Kanimozhi Karunanidhi", "participatesIn", "inauguration ceremony") in _rule_facts(
        nlp, "Thoothukudi MP Kanimozhi Karunanidhi was among those at the inauguration ceremony.")
    assert ("Narendra Modi", "participatesIn", "biennial summit") in _rule_facts(
        nlp, "Prime Minister Narendra Modi inaugurated the tenth edition of the biennial summit on Wednesday.")


def test_a_comparative_is_no_sector(nlp):
    names = _names(nlp, "The hub is home to younger companies such as Zayride and Eneza Education.")
    assert not [n for n, m in names.items() if m.cls == "Sector"]


def test_founders_listed_after_a_long_name_all_found_it(nlp):
    facts = _rule_facts(nlp, "E Hub was founded in 2014 by the Authority of the Qianhai Shenzhen-Hong Kong Modern "
                             "Service Industry Cooperation Zone, the Hong Kong Federation of Youth Groups and the "
                             "Shenzhen Youth Federation.")
    founders = {f[0] for f in facts if f[1:] == ("founded", "E Hub")}
    assert founders == {"Authority of the Qianhai Shenzhen-Hong Kong Modern Service Industry Cooperation Zone",
                        "Hong Kong Federation of Youth Groups", "Shenzhen Youth Federation"}


def test_the_gazetteer_vetoes_a_place_in_a_province_it_is_not_in(nlp):
    from kg.extract.places import cannot_contain, lookup

    def ids(name):
        return dict(lookup(name)[0].ids)

    assert cannot_contain(ids("Shenzhen"), ids("Hunan")) and not cannot_contain(ids("Shenzhen"), ids("Guangdong"))
    assert not cannot_contain(ids("Hunan"), ids("China")) and cannot_contain(ids("Hunan"), ids("India"))
    facts = _rule_facts(nlp, "BYD, the Shenzhen-based carmaker, is building a park in the airport zone of "
                             "Changsha, the capital of Hunan province.", scored=True)
    assert ("Shenzhen", "locatedIn", "Hunan") not in facts


def test_every_guest_of_a_long_titled_list_takes_part(nlp):
    """A list of titled guests breaks the parser's chain of conjuncts; the people named after
    "among them" are guests all the same, and so is every person of an "attended by" list."""
    text = ("Dignitaries attended the opening ceremony, among them Coordinating Minister for Maritime Affairs "
            "and Investment Luhut Binsar Pandjaitan, Hyundai Motor Co President and Chief Executive "
            "Chang Jae-hoon and LG Energy Solution Chief Executive Kim Dong-myung.")
    facts = _rule_facts(nlp, text)
    for person in ("Chang Jae-hoon", "Kim Dong-myung"):
        assert (person, "participatesIn", "opening ceremony") in facts
    text = ("Work began at a groundbreaking ceremony attended by Wang Gebing, Party secretary of Qinzhou, "
            "Huang Haikun, then the city's mayor, and Liu Xunfeng, chairman of Huayi Group.")
    facts = _rule_facts(nlp, text)
    for person in ("Wang Gebing", "Huang Haikun", "Liu Xunfeng"):
        assert (person, "participatesIn", "groundbreaking ceremony") in facts
    # the list ends with its clause: the person who spoke afterwards was not said to be there
    text = ("Guests attended the opening ceremony, among them Minister Kim Dong-myung, "
            "while Governor Lee Jae-won stayed in Seoul.")
    facts = _rule_facts(nlp, text)
    assert ("Kim Dong-myung", "participatesIn", "opening ceremony") in facts
    assert ("Lee Jae-won", "participatesIn", "opening ceremony") not in facts


def test_two_to_four_capitalised_words_after_a_title_are_a_person(nlp):
    names = _names(nlp, "Hyundai Motor Group Executive Chair Chung Eui-sun and Trade Minister "
                        "Ahn Duk-geun visited the plant.")
    assert names["Chung Eui-sun"].cls == "Person" and names["Ahn Duk-geun"].cls == "Person"
    # another title is not a name, nor is one word after a title, nor a place
    names = _names(nlp, "Chief Executive Officer Zhang said Governor Michigan would not.")
    assert "Officer Zhang" not in names and "Michigan" not in {n for n, m in names.items() if m.cls == "Person"}


def _investment_targets(nlp, text):
    ex = _extract(nlp, text, scored=False)
    return {(ex.mentions[i.investor].name, ex.mentions[i.target].name if i.target is not None else None, i.currency)
            for i in ex.investments}


def test_money_spent_on_a_thing_is_invested_in_it(nlp):
    # the parser reads the currency "won" as a verb and hangs "on" on it
    found = _investment_targets(
        nlp, "LG Uplus said in April that it would spend 615.6 billion won on an AI-focused data center in Paju.")
    assert [t for i, t, c in found if i == "LG Uplus" and c == "KRW" and t and "AI-focused data center" in t]
    found = _investment_targets(nlp, "Tata Steel will spend $1 billion on a new mill.")
    assert [t for i, t, c in found if i == "Tata Steel" and c == "USD" and t and "new mill" in t]
    # spending with nothing named to spend it on has no target
    assert {t for _, t, _ in _investment_targets(nlp, "Tata Steel will spend $1 billion this year.")} <= {None}


def test_a_noun_saying_what_a_company_is_right_before_its_name_stands_for_it(nlp):
    """"the Indian subsidiary Maruti Suzuki India would build": the tagger's PERSON is a company
    (a subsidiary is one), and the subject noun stands for the name in apposition to it."""
    text = "The Indian subsidiary Maruti Suzuki India would build a new car plant in Gujarat for Rs 35,000 crore."
    assert _names(nlp, text)["Maruti Suzuki India"].cls == "Company"
    assert [t for i, t, c in _investment_targets(nlp, text) if i == "Maruti Suzuki India" and c == "INR"
            and t and "new car plant" in t]
    # a role noun before a name is a person's title, not a company
    assert _names(nlp, "The company's chairman Zhang Wei would build a plant.")["Zhang Wei"].cls == "Person"


def test_a_town_named_by_its_state_is_that_states_town(nlp):
    """"in Marshall, Michigan": the gazetteer's Marshall is in Texas, the article's in Michigan;
    a city too big to be a namesake keeps its place ("Shenzhen, Hunan" is a run-on list)."""
    facts = _rule_facts(nlp, "The company paused work on its battery factory in Marshall, Michigan.", scored=True)
    assert ("Marshall", "locatedIn", "Michigan") in facts
    facts = _rule_facts(nlp, "Offices opened in Shenzhen, Hunan and Wuhan.", scored=True)
    assert ("Shenzhen", "locatedIn", "Hunan") not in facts


def test_a_place_in_a_place_of_its_own_rank(nlp):
    """"Zhangjiagang in Suzhou": a county-level city in a prefecture, both cities to the
    gazetteer; not two cities the gazetteer puts apart ("Beijing in Shanghai")."""
    facts = _rule_facts(nlp, "Sheng Hong will build a plant in Zhangjiagang in Suzhou.")
    assert ("Zhangjiagang", "locatedIn", "Suzhou") in facts
    facts = _rule_facts(nlp, "The firm has offices in Beijing in Shanghai.")
    assert ("Beijing", "locatedIn", "Shanghai") not in facts


def test_same_rank_apart():
    from kg.extract.places import lookup, same_rank_apart

    def ids(name):
        return dict(next(p for p in lookup(name) if p.cls == "City").ids)

    assert not same_rank_apart(ids("Zhangjiagang"), ids("Suzhou"))
    assert same_rank_apart(ids("Beijing"), ids("Shanghai"))
    assert same_rank_apart(ids("Guangzhou"), ids("Wuhan"))
    assert not same_rank_apart({}, ids("Wuhan"))      # an unknown place may be anywhere


def test_the_gazetteer_vetoes_places_it_knows_are_apart():
    from kg.extract.places import cannot_contain, lookup, named_place

    def ids(name, cls=None):
        return dict(next(p for p in lookup(name) if cls is None or p.cls == cls).ids)

    assert cannot_contain(ids("Seoul"), ids("Michigan"))         # another country's state
    assert cannot_contain(ids("Beijing", "City"), ids("Hebei"))  # a province-level city
    assert cannot_contain(ids("Shenyang"), ids("Hesse"))
    assert not cannot_contain(ids("Dalian"), ids("Liaoning"))
    assert not cannot_contain(ids("Bangkok"), ids("Thailand"))
    # a zone or government named after a province or major city is there; a small namesake says nothing
    assert named_place("Tianjin Economic-Technological Development Area")["iso"] == "CN-TJ"
    assert named_place("Gansu Provincial Government") == {"iso": "CN-GS"}
    assert named_place("East Lake High-tech Development Zone") == {}


def test_a_zone_named_after_a_city_is_not_in_another(nlp):
    facts = _rule_facts(nlp, "Officials of the Tianjin Economic-Technological Development Area in Beijing met "
                             "investors.", scored=True)
    assert ("Tianjin Economic-Technological Development Area", "locatedIn", "Beijing") not in facts
    facts = _rule_facts(nlp, "A plant opened in the East Lake High-tech Development Zone in Wuhan.", scored=True)
    assert ("East Lake High-tech Development Zone", "locatedIn", "Wuhan") in facts


def test_what_a_producer_makes_is_its_sector(nlp):
    """"Lam Fung, the Hong Kong-listed furniture maker" (a name the tagger took for a person),
    "Solvay, a producer of nylon and polymers": the maker is active in what it makes."""
    facts = _rule_facts(nlp, "Lam Fung, the Hong Kong-listed furniture maker, will build a factory in Nuevo Leon.")
    assert ("Lam Fung", "activeIn", "furniture") in facts
    facts = _rule_facts(nlp, "Solvay, a producer of nylon and polymers, expanded its plant.")
    assert {("Solvay", "activeIn", "nylon"), ("Solvay", "activeIn", "polymers")} <= facts
    # a place, a nationality or a listing is not what it makes
    assert not {f for f in facts if f[1] == "activeIn" and f[2] in ("hong kong", "listed")}


def test_incubators_by_name_and_by_what_they_do(nlp):
    names = _names(nlp, "Li Na founded a start-up at the Delta Student Incubator Park in 2015.")
    assert names["Delta Student Incubator Park"].cls == "Incubator"
    names = _names(nlp, "Makers Village has incubated more than 200 startups since 2011.")
    assert names["Makers Village"].cls == "Incubator"
    # a place that nurtures an industry is no incubator; hosting is not incubating
    names = _names(nlp, "Shenzhen has nurtured companies like Tencent. The park hosts 30 firms.")
    assert names["Shenzhen"].cls == "City"


def test_a_startup_incubated_at_an_incubator(nlp):
    facts = _rule_facts(nlp, "Dronova, a drone startup incubated at Makers Village, raised money.")
    assert ("Makers Village", "incubates", "Dronova") in facts
    text = "Lumina was incubated by Optics Valley Youth Innovation Park, one of 100 incubators in the zone."
    assert _names(nlp, text)["Lumina"].cls == "Company"
    assert ("Optics Valley Youth Innovation Park", "incubates", "Lumina") in _rule_facts(nlp, text)


def test_agreements_with_a_listed_few_and_work_with(nlp):
    facts = _rule_facts(nlp, "Fujian Electronics reached cooperation deals with 40 partners, among them Alibaba "
                             "Group Holding Ltd, Tencent Holdings Ltd and Baidu Inc.")
    assert {("Fujian Electronics", "partnersWith", n) for n in
            ("Alibaba Group Holding Ltd", "Tencent Holdings Ltd", "Baidu Inc")} <= facts
    # "it was glad to be working with": the subject is inherited through the adjective
    assert ("Siemens", "partnersWith", "Intel") in _rule_facts(nlp, "Siemens said it was glad to be working with Intel.")
    # a deal between two is theirs, not the signer's
    facts = _rule_facts(nlp, "Shenyang signed a strategic cooperation deal between Kemether Automotive and Siemens.")
    assert ("Kemether Automotive", "partnersWith", "Siemens") in facts
    assert not [f for f in facts if f[0] == "Shenyang" and f[1] == "partnersWith"]


def test_founders_of_companies_the_tagger_did_not_know(nlp):
    """"the founder of Zhuoyi", "Zhuoyi's founder", "Zhuoyi co-founder Pony Ma": a role only a
    business has says what it is of is a company, and its founder founded it."""
    for text, person in (("Kelvin Lau, the founder of Zhuoyi, spoke.", "Kelvin Lau"),
                         ("Zhuoyi's founder, Grace Cheung, spoke.", "Grace Cheung"),
                         ("Zhuoyi co-founder Pony Ma visited the park.", "Pony Ma")):
        assert _names(nlp, text)["Zhuoyi"].cls == "Company", text
        assert (person, "founded", "Zhuoyi") in _rule_facts(nlp, text), text
    # a title is not a company, nor is a word before it
    names = _names(nlp, "The Chief Executive Officer Tim Lee said. Former chief executive Tim Lee said.")
    assert not [n for n, m in names.items() if m.cls == "Company"]


def test_an_it_start_up_is_a_company(nlp):
    assert ("Li Na", "founded", "IT start-up") in _rule_facts(nlp, "Li Na started an IT start-up after graduating.")


def test_roles_given_by_a_relative_clause_or_as(nlp):
    facts = _rule_facts(nlp, "Ruth Porat, who is president and chief investment officer of Alphabet and Google, "
                             "described the project.")
    assert {("Ruth Porat", "worksFor", "Alphabet"), ("Ruth Porat", "worksFor", "Google")} <= facts
    facts = _rule_facts(nlp, "Paolo Cerruti, a co-founder of Northvolt who will run the project as chief executive "
                             "of Northvolt North America, said.")
    assert ("Paolo Cerruti", "worksFor", "Northvolt North America") in facts
    # a relative clause that gives no role gives no employer
    assert not [f for f in _rule_facts(nlp, "Zhang Wei, who is a friend of Tencent, spoke.") if f[1] == "worksFor"]


def test_common_acronyms_are_no_organisations(nlp):
    text = "Gansu Shouyun Zhisuan Technology Co Ltd plans GPU clusters for AI models, its general manager, Yang Gaoxiang, said."
    assert "GPU" not in _names(nlp, text)
    assert ("Yang Gaoxiang", "worksFor", "Gansu Shouyun Zhisuan Technology Co Ltd") in _rule_facts(nlp, text)


def test_a_company_named_without_its_corporate_words(nlp):
    names = _names(nlp, "Sheng Hong Holding Group signed a contract. Sheng Hong will build a gigafactory.")
    assert names["Sheng Hong"].cls == "Company"
    # a person an organisation is named after stays a person
    names = _names(nlp, "The Li Ka-shing Foundation gave money. Li Ka-shing spoke at the ceremony.")
    assert names["Li Ka-shing"].cls == "Person"


def test_named_complexes_and_projects_are_facilities(nlp):
    names = _names(nlp, "The Dhirubhai Ambani Green Energy Giga Complex at Jamnagar opened. The Mipo National "
                        "Industrial Complex in Ulsan grew. The Sinoboom Intelligent Manufacturing Project started.")
    assert names["Dhirubhai Ambani Green Energy Giga Complex"].cls == "Facility"
    assert names["Sinoboom Intelligent Manufacturing Project"].cls == "Facility"
    assert names["Mipo National Industrial Complex"].cls == "IndustrialPark"
    # a lower-case "project" names nothing
    assert not [n for n in _names(nlp, "The project will start next year.") if n.lower().endswith("project")
                and _names(nlp, "The project will start next year.")[n].source == "keyword-name"]


def test_events_named_with_a_year_or_before_an_event_noun(nlp):
    names = _names(nlp, "LEAP 2025, held under the theme Into New Worlds, drew investors. "
                        "The governor toured the InterBattery show on Wednesday.")
    assert names["LEAP 2025"].cls == "Event" and names["InterBattery"].cls == "Event"
    # a company before an event noun it owns stays a company
    assert _names(nlp, "The Huawei event was big.")["Huawei"].cls == "Company"


def test_towns_where_a_plant_is(nlp):
    """"a plant in Mogi das Cruzes", "a plant at Sulur near Coimbatore": a town where a plant is,
    known to the gazetteer but not marked by the tagger, or not known at all."""
    facts = _rule_facts(nlp, "GM will invest in its plant in Mogi das Cruzes.")
    assert ("GM plant in Mogi das Cruzes", "locatedIn", "Mogi das Cruzes") in facts
    names = _names(nlp, "The company will open a plant at Pollachi near Coimbatore.")
    assert names["Pollachi"].cls == "City" and names["Pollachi"].ids
    names = _names(nlp, "The firm is building a factory in Kharvelpur near Lucknow.")
    assert names["Kharvelpur"].cls == "City"
    # a date, a company, a world region or a street is not made a town
    names = _names(nlp, "The plant in March opened. Tesla will invest in Rivian. It is the first plant outside "
                        "Europe. The warehouse at 1776 Airport Court opened.")
    assert "March" not in names and names["Rivian"].cls == "Company"
    assert "Europe" not in names
    assert "Airport Court" not in names or names["Airport Court"].cls != "City"


def test_towns_where_an_organisation_is_based(nlp):
    names = _names(nlp, "The startup is based in Perungudi. Its offices in Guindy opened.")
    assert names["Perungudi"].cls == "City" and names["Guindy"].cls in ("City", "District")
    # a company named after "in" stays a company
    assert _names(nlp, "Apple has a plant in Foxconn's park.")["Foxconn"].cls == "Company"


def test_a_one_word_owner_of_a_campus_is_a_company(nlp):
    assert _names(nlp, "CloudHQ's campus in Queretaro will cost $4.8 billion.")["CloudHQ"].cls == "Company"
    # the surname of a person named in full stays the person's
    names = _names(nlp, "Wang Chuanfu spoke on Monday. Wang's factory is the biggest.")
    assert names["Wang Chuanfu"].cls == "Person"


def test_telling_an_event_is_taking_part_in_it(nlp):
    text = ("The Vibrant Gujarat Global Summit opened on Wednesday. Gautam Adani told the summit that his group "
            "would invest $12 billion. He told reporters the plan was ready.")
    facts = _rule_facts(nlp, text)
    assert ("Gautam Adani", "participatesIn", "Vibrant Gujarat Global Summit") in facts
    assert len([f for f in facts if f[1] == "participatesIn"]) == 1


def test_owned_by_through_what_the_parser_puts_between(nlp):
    facts = _rule_facts(nlp, "Saudi Basic Industries Corporation, which is majority owned by Saudi Aramco, "
                             "has a foothold in China.")
    assert ("Saudi Basic Industries Corporation", "subsidiaryOf", "Saudi Aramco") in facts
    facts = _rule_facts(nlp, "Beijing Zhongjing Huaye Technology Co, a State-owned trading firm belonging to "
                             "China National Arts & Crafts (Group) Corporation, began building.")
    assert ("Beijing Zhongjing Huaye Technology Co", "subsidiaryOf",
            "China National Arts & Crafts (Group) Corporation") in facts
    # owning a plant is no parent company
    assert not [f for f in _rule_facts(nlp, "The plant, owned by Tesla, opened.") if f[1] == "subsidiaryOf"]
