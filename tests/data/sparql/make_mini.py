"""Regenerate mini.trig: a three-article dataset in the layout kg.rdf writes.

Run from the repository root: ``.venv/bin/python tests/data/sparql/make_mini.py``.
The tests load the TriG file, so they do not depend on spaCy or the extractors.
"""
from pathlib import Path

from kg.model import Article, Entity, Extraction, FactRecord, InvestmentRecord, Mention
from kg.rdf import to_dataset

TEXTS = {
    "a1": ("Changchun, the capital of Jilin, hosts FAW. Li Wei, CEO of Huawei, visited Changchun.",
           "Jilin news", "2024-03-01"),
    "a2": ("Huawei opened a data center in Guian New Area. Tencent will invest 1 billion yuan in Guian New Area.",
           "Guizhou news", "2024-04-02"),
    "a3": ("Zhongguancun Science Park hosts Inspur. Inspur partners with Huawei.", "Beijing news", None),
}
ENTS = {
    "changchun": Entity("changchun", "City", "Changchun", {"Changchun City"}, {"geonames": "2038180"}),
    "jilin": Entity("jilin", "Province", "Jilin", {"Jilin Province"}, {"iso": "CN-JL"}),
    "faw": Entity("faw", "Company", "FAW", {"FAW Group"}),
    "huawei": Entity("huawei", "Company", "Huawei", {"Huawei Technologies"}),
    "li-wei": Entity("li-wei", "Person", "Li Wei"),
    "guian": Entity("guian-new-area", "District", "Guian New Area"),
    "tencent": Entity("tencent", "Company", "Tencent"),
    "zgc": Entity("zhongguancun-science-park", "IndustrialPark", "Zhongguancun Science Park"),
    "inspur": Entity("inspur", "Company", "Inspur"),
}


def mentions(text, keys):
    out = []
    for key in keys:
        e = ENTS[key]
        start = text.find(e.label)
        out.append(Mention(e.label, e.cls, start, start + len(e.label), e.label))
    return out


def main() -> None:
    exts, entity_of = [], {}
    plan = {
        "a1": (["changchun", "jilin", "faw", "li-wei", "huawei"],
               [(0, "capitalOf", 1, 0, 43, None), (0, "locatedIn", 1, 0, 43, None), (0, "hosts", 2, 0, 43, None),
                (3, "worksFor", 4, 44, 87, "CEO")], []),
        "a2": (["huawei", "guian", "tencent"],
               [(0, "locatedIn", 1, 0, 46, None), (2, "investsIn", 1, 47, 103, None)],
               [InvestmentRecord(2, 1, 1e9, "CNY", 47, 103, "rule:amount", 0.9, 1, "2024", "1 billion yuan")]),
        "a3": (["zgc", "inspur", "huawei"],
               [(0, "hosts", 1, 0, 39, None), (1, "partnersWith", 2, 40, 69, None)], []),
    }
    for aid, (keys, facts, invs) in plan.items():
        text, title, date = TEXTS[aid]
        art = Article(aid, text, f"corpus/{aid}.txt", title, date, f"https://news.example/{aid}")
        ms = mentions(text, keys)
        fs = [FactRecord(s, p, o, a, b, f"rule:{p}", 0.8, role) for s, p, o, a, b, role in facts]
        exts.append(Extraction(art, ms, fs, invs))
        for i, key in enumerate(keys):
            entity_of[(aid, i)] = ENTS[key]
    ds = to_dataset(ENTS.values(), exts, entity_of)
    out = Path(__file__).with_name("mini.trig")
    out.write_bytes(ds.serialize(format="trig", encoding="utf-8"))
    print(f"wrote {out}: {len(ds)} quads")


if __name__ == "__main__":
    main()
