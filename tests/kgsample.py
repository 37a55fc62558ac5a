"""Small graphs for the viewer, analytics and export tests, made without spaCy.

``sample_dataset()`` goes through ``kg.rdf.to_dataset`` (the module that mints
IRIs), so it has the real layout: entity graph, a named graph per article,
reified facts with evidence, investments. One article is hostile: its text
carries ``<script>`` and ``<img onerror>``, and one entity's label is markup,
so the page's escaping is tested on real data paths.
``synthetic_graph()`` makes large netgraph-shaped graphs for size tests and
the benchmark.
"""
from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
from rdflib import RDF, Graph, URIRef

from kg.model import Article, Entity, Extraction, FactRecord, InvestmentRecord, Mention
from kg.vocab import CORE_CLASSES, CORE_PREDICATES, KG

XSS_SCRIPT = "<script>window.kgPwned = 'script'</script>"
XSS_IMG = "<img src=x onerror=\"window.kgPwned = 'img'\">"
EVIL_LABEL = "Evil <img src=y onerror=\"window.kgPwned='label'\"> Corp"

ENTITIES = [
    # key, class, label, aliases, ids
    ("guiyang", "City", "Guiyang", {"Guiyang City"}, {"geonames": "1809461"}),
    ("guizhou", "Province", "Guizhou", {"Guizhou Province"}, {"iso": "CN-GZ"}),
    ("jilin", "Province", "Jilin", {"Jilin Province"}, {"iso": "CN-JL"}),
    ("changchun", "City", "Changchun", set(), {"geonames": "2038180"}),
    ("huawei", "Company", "Huawei", {"Huawei Technologies", "Huawei Technologies Co Ltd"}, {}),
    ("alibaba", "Company", "Alibaba", {"Alibaba Group"}, {}),
    ("tencent", "Company", "Tencent", {"Tencent Holdings"}, {}),
    ("guian-new-area", "IndustrialPark", "Gui'an New Area", {"Guian New Area"}, {}),
    ("big-data-expo", "Event", "China International Big Data Expo", {"Big Data Expo"}, {}),
    ("miit", "GovernmentBody", "Ministry of Industry and Information Technology", {"MIIT"}, {}),
    ("cas", "ResearchInstitution", "Chinese Academy of Sciences", {"CAS"}, {}),
    ("ren-zhengfei", "Person", "Ren Zhengfei", set(), {}),
    ("big-data", "Sector", "big data", set(), {}),
    ("evil", "Company", EVIL_LABEL, {"Evil Corp"}, {}),
    # an alias that looks like a placeholder of the page template must stay text
    ("lonely", "Organization", "Lonely Foundation", {"@@VIS_JS@@"}, {}),
]

ARTICLE_1 = (
    "Huawei will build a data center in Gui'an New Area. "
    "Gui'an New Area is located in Guiyang, the capital of Guizhou. "
    "Huawei invested 2 billion yuan in Gui'an New Area. "
    "Ren Zhengfei, founder of Huawei, spoke at the China International Big Data Expo held in Guiyang. "
    "Alibaba and Tencent partner with the Chinese Academy of Sciences on big data."
)
ARTICLE_2 = (
    f"Evil Corp {XSS_SCRIPT} opened an office in Changchun. "
    f"Changchun is the capital of Jilin {XSS_IMG}. "
    "Tencent invested 100 million dollars in Changchun. "
    "The Ministry of Industry and Information Technology hosts the Big Data Expo."
)

# (article, subject key, predicate, object key, sentence index, confidence)
FACTS = [
    (1, "guian-new-area", "locatedIn", "guiyang", 1, 0.9),
    (1, "guiyang", "capitalOf", "guizhou", 1, 0.85),
    (1, "huawei", "investsIn", "guian-new-area", 2, 0.8),
    (1, "ren-zhengfei", "worksFor", "huawei", 3, 0.7),
    (1, "ren-zhengfei", "founded", "huawei", 3, 0.6),
    (1, "ren-zhengfei", "participatesIn", "big-data-expo", 3, 0.55),
    (1, "big-data-expo", "heldIn", "guiyang", 3, 0.75),
    (1, "alibaba", "partnersWith", "cas", 4, 0.6),
    (1, "tencent", "partnersWith", "cas", 4, 0.6),
    (1, "alibaba", "activeIn", "big-data", 4, 0.5),
    (1, "huawei", "operates", "guian-new-area", 0, 0.65),
    (2, "evil", "locatedIn", "changchun", 0, 0.7),
    (2, "changchun", "capitalOf", "jilin", 1, 0.9),
    (2, "tencent", "investsIn", "changchun", 2, 0.8),
    (2, "miit", "hosts", "big-data-expo", 3, 0.6),
    # the same fact from two articles: one edge with two evidence sentences
    (2, "huawei", "investsIn", "guian-new-area", 2, 0.4),
]

# (article, investor, target, location, amount, currency, sentence index)
INVESTMENTS = [
    (1, "huawei", "guian-new-area", "guiyang", 2_000_000_000, "CNY", 2),
    (2, "tencent", "changchun", "changchun", 100_000_000, "USD", 2),
    (1, "alibaba", None, "guizhou", 500_000_000, "CNY", 4),
]


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch == "." and (i + 1 == len(text) or text[i + 1] == " "):
            spans.append((start, i + 1))
            start = i + 2
    return spans


def sample_dataset():
    """The sample as an rdflib Dataset, made by ``kg.rdf.to_dataset``."""
    from kg.rdf import to_dataset

    entities = {k: Entity(key=k, cls=c, label=lab, alt_labels=set(alts), ids=dict(ids))
                for k, c, lab, alts, ids in ENTITIES}
    keys = list(entities)
    extractions, entity_of = [], {}
    for num, text, title in ((1, ARTICLE_1, "Huawei in Guizhou"),
                             (2, ARTICLE_2, f"Hostile article {XSS_SCRIPT}")):
        art = Article(id=f"article-{num}", text=text, source=f"article-{num}.txt", title=title,
                      date="2024-05-0%d" % num)
        mentions = [Mention(text=entities[k].label, cls=entities[k].cls, start=0, end=1, name=entities[k].label)
                    for k in keys]
        for i, k in enumerate(keys):
            entity_of[(art.id, i)] = entities[k]
        sents = _sentences(text)
        facts = [FactRecord(subject=keys.index(s), predicate=p, object=keys.index(o), sent_start=sents[si][0],
                            sent_end=sents[si][1], extractor="test-rule", confidence=c,
                            role="founder" if p == "worksFor" else None)
                 for a, s, p, o, si, c in FACTS if a == num]
        invs = [InvestmentRecord(investor=keys.index(inv), target=keys.index(t) if t else None, amount=float(amt),
                                 currency=cur, sent_start=sents[si][0], sent_end=sents[si][1],
                                 extractor="test-amount", confidence=0.8,
                                 location=keys.index(loc) if loc else None)
                for a, inv, t, loc, amt, cur, si in INVESTMENTS if a == num]
        extractions.append(Extraction(article=art, mentions=mentions, facts=facts, investments=invs))
    return to_dataset(entities.values(), extractions, entity_of)


def write_sample(out_dir: Path) -> Path:
    """Write the sample as ``out_dir/graph.ttl`` (the layout of a build); return the dir."""
    from kg.rdf import union_graph

    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "graph.ttl").write_bytes(union_graph(sample_dataset()).serialize(format="turtle", encoding="utf-8"))
    return out_dir


CLASSES = ["Company", "City", "Province", "Person", "ResearchInstitution", "GovernmentBody",
           "IndustrialPark", "Event", "Sector", "Facility"]
PREDICATES = ["locatedIn", "investsIn", "partnersWith", "worksFor", "operates", "hosts", "activeIn"]


def synthetic_graph(n_nodes: int, n_edges: int, seed: int = 1) -> nx.MultiDiGraph:
    """A netgraph-shaped graph with a heavy-tailed degree distribution, like news graphs.

    Edge ends are drawn with preferential attachment, so a few hubs (big
    cities, big companies) collect many facts, as in real builds.
    """
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    for i in range(n_nodes):
        cls = CLASSES[min(int(rng.expovariate(0.5)), len(CLASSES) - 1)]
        G.add_node(f"https://w3id.org/kg/id/x/{i}", iri=f"https://w3id.org/kg/id/x/{i}", cls=cls,
                   label=f"{cls} {i}", aliases=[f"alias-{i}"], geonames=None, iso=None, same_as=[])
    nodes = list(G.nodes)
    ends = list(nodes)
    while G.number_of_edges() < n_edges:
        u, v = rng.choice(ends), rng.choice(ends)
        p = rng.choice(PREDICATES)
        if u == v or G.has_edge(u, v, key=p):
            continue
        G.add_edge(u, v, key=p, predicate=p, confidence=round(rng.uniform(0.4, 0.95), 2), fact=None,
                   evidence=[{"sentence": f"{u} {p} {v}.", "article": "https://w3id.org/kg/id/article/a",
                              "article_title": "Synthetic", "confidence": 0.5, "extractor": "synthetic",
                              "role": None}])
        ends += [u, v]
    return G


def rdf_counts(g: Graph) -> tuple[int, int]:
    """Entities and facts counted straight from the RDF, independently of kg.netgraph."""
    classes = {KG[c] for c in CORE_CLASSES}
    entities = {s for s, o in g.subject_objects(RDF.type) if o in classes}
    facts = {(s, p, o) for p in (KG[x] for x in CORE_PREDICATES) for s, o in g.subject_objects(p)
             if isinstance(o, URIRef)}
    return len(entities), len(facts)


MINI_TRIG = Path(__file__).parent / "data" / "sparql" / "mini.trig"


def mini_dataset():
    """The three-article dataset of tests/data/sparql/mini.trig (made with kg.rdf; see make_mini.py)."""
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    ds.parse(MINI_TRIG, format="trig")
    return ds
