"""ontology/kg.ttl and ontology/shapes.ttl: the ontology says what kg.vocab says, and graphs conform.

The shape tests run on a small graph made with ``kg.rdf.to_dataset`` (so they
do not depend on extraction), then on a full build of the seeds.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from kg.model import Article, Entity, Extraction, FactRecord, InvestmentRecord, Mention
from kg.vocab import CORE_CLASSES, CORE_PREDICATES, KG, ONTOLOGY_DIR, ONTOLOGY_FILE

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
KG_NS = str(KG)


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def _declared_kg_terms(onto: Graph) -> set[URIRef]:
    """kg: IRIs that kg.ttl gives an rdf:type (classes and properties)."""
    return {s for s in onto.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(KG_NS)}


def _vocab_terms() -> set[URIRef]:
    return {KG[name] for name in KG.__annotations__}


# --------------------------------------------------------------------------- kg.ttl

def test_ontology_parses(onto: Graph) -> None:
    assert (URIRef("https://w3id.org/kg/ontology"), RDF.type, OWL.Ontology) in onto


@pytest.mark.parametrize("name", CORE_PREDICATES)
def test_core_predicate_declared(onto: Graph, name: str) -> None:
    p = KG[name]
    assert (p, RDF.type, OWL.ObjectProperty) in onto, f"kg:{name} is not an owl:ObjectProperty"
    for attr in (RDFS.label, RDFS.comment, RDFS.domain, RDFS.range):
        assert onto.value(p, attr) is not None, f"kg:{name} has no {onto.qname(attr)}"


@pytest.mark.parametrize("name", CORE_CLASSES)
def test_core_class_declared(onto: Graph, name: str) -> None:
    c = KG[name]
    assert (c, RDF.type, OWL.Class) in onto, f"kg:{name} is not an owl:Class"
    assert onto.value(c, RDFS.label) is not None, f"kg:{name} has no rdfs:label"
    assert onto.value(c, RDFS.comment) is not None, f"kg:{name} has no rdfs:comment"


@pytest.mark.parametrize(("child", "parent"), [
    ("Company", "Organization"), ("GovernmentBody", "Organization"),
    ("ResearchInstitution", "Organization"), ("Incubator", "Organization"),
    ("Country", "Place"), ("Province", "Place"), ("City", "Place"), ("District", "Place"),
    ("IndustrialPark", "Place"),
])
def test_class_tree(onto: Graph, child: str, parent: str) -> None:
    assert (KG[child], RDFS.subClassOf, KG[parent]) in onto


def test_property_characteristics(onto: Graph) -> None:
    assert (KG.hosts, OWL.inverseOf, KG.locatedIn) in onto
    assert (KG.partnersWith, RDF.type, OWL.SymmetricProperty) in onto
    assert (KG.locatedIn, RDF.type, OWL.TransitiveProperty) in onto


def test_vocab_terms_declared_in_ontology(onto: Graph) -> None:
    missing = sorted(str(t) for t in _vocab_terms() - _declared_kg_terms(onto))
    assert not missing, f"in kg.vocab.KG but not declared in kg.ttl: {missing}"


def test_ontology_terms_in_vocab(onto: Graph) -> None:
    extra = sorted(str(t) for t in _declared_kg_terms(onto) - _vocab_terms())
    assert not extra, f"declared in kg.ttl but missing from kg.vocab.KG: {extra}"


def test_every_declared_term_has_label_and_comment(onto: Graph) -> None:
    bare = sorted(str(t) for t in _declared_kg_terms(onto)
                  if onto.value(t, RDFS.label) is None or onto.value(t, RDFS.comment) is None)
    assert not bare, f"kg terms without rdfs:label or rdfs:comment: {bare}"


@pytest.mark.parametrize(("prop", "kind", "rng"), [
    ("investor", OWL.ObjectProperty, None),
    ("target", OWL.ObjectProperty, None),
    ("amount", OWL.DatatypeProperty, rdflib.XSD.decimal),
    ("currency", OWL.DatatypeProperty, rdflib.XSD.string),
    ("date", OWL.DatatypeProperty, None),
    ("location", OWL.ObjectProperty, KG.Place),
])
def test_investment_properties(onto: Graph, prop: str, kind: URIRef, rng: URIRef | None) -> None:
    assert (KG.Investment, RDF.type, OWL.Class) in onto
    p = KG[prop]
    assert (p, RDF.type, kind) in onto
    assert (p, RDFS.domain, KG.Investment) in onto
    if rng is not None:
        assert (p, RDFS.range, rng) in onto


# --------------------------------------------------------------------------- shapes.ttl

def _validate(data: Graph, shapes: Graph, onto: Graph) -> tuple[bool, str]:
    from pyshacl import validate

    conforms, _, text = validate(data, shacl_graph=shapes, ont_graph=onto, inference="rdfs",
                                 abort_on_first=False, allow_warnings=False)
    return bool(conforms), text


def test_shapes_are_valid_shacl(shapes: Graph) -> None:
    from pyshacl import validate

    conforms, _, text = validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def _sample_graph() -> Graph:
    """A small graph in kg's own RDF layout: one investment, two facts, one person."""
    from kg.rdf import to_dataset, union_graph

    text = ("Acme Corp will invest 5 million yuan in Xcity. Xcity is the capital of Yprov. "
            "Ann Lee is chief executive of Acme Corp.")
    art = Article(id="a1", text=text, source="a1.txt", title="Acme invests in Xcity", date="2024-01-02")
    ents = [Entity("acme", "Company", "Acme Corp"), Entity("xcity", "City", "Xcity"),
            Entity("yprov", "Province", "Yprov"), Entity("ann-lee", "Person", "Ann Lee")]
    mentions = [Mention("Acme Corp", "Company", 0, 9), Mention("Xcity", "City", 38, 43),
                Mention("Yprov", "Province", 71, 76), Mention("Ann Lee", "Person", 78, 85)]
    ex = Extraction(
        art, mentions=mentions,
        facts=[FactRecord(0, "investsIn", 1, 0, 44, "test", 0.8),
               FactRecord(1, "capitalOf", 2, 45, 77, "test", 0.9),
               FactRecord(3, "worksFor", 0, 78, len(text), "test", 0.7, role="chief executive")],
        investments=[InvestmentRecord(0, 1, 5e6, "CNY", 0, 44, "test", 0.7, location=1,
                                      amount_text="5 million yuan")],
    )
    entity_of = {("a1", i): e for i, e in enumerate(ents)}
    return union_graph(to_dataset(ents, [ex], entity_of))


def test_sample_graph_conforms(shapes: Graph, onto: Graph) -> None:
    conforms, text = _validate(_sample_graph(), shapes, onto)
    assert conforms, text


def _first(g: Graph, cls: URIRef) -> URIRef:
    return sorted(g.subjects(RDF.type, cls))[0]


def _break_label(g: Graph) -> None:
    g.add((_first(g, KG.Company), RDFS.label, Literal("Another name")))


def _drop_label(g: Graph) -> None:
    g.remove((_first(g, KG.City), RDFS.label, None))


def _lower_currency(g: Graph) -> None:
    inv = _first(g, KG.Investment)
    g.set((inv, KG.currency, Literal("cny")))


def _negative_amount(g: Graph) -> None:
    g.set((_first(g, KG.Investment), KG.amount, Literal("-5", datatype=rdflib.XSD.decimal)))


def _float_amount(g: Graph) -> None:
    g.set((_first(g, KG.Investment), KG.amount, Literal(5e6)))


def _second_investor(g: Graph) -> None:
    g.add((_first(g, KG.Investment), KG.investor, _first(g, KG.Person)))


def _confidence_too_high(g: Graph) -> None:
    ev = _first(g, KG.Evidence)
    g.set((ev, KG.confidence, Literal("1.5", datatype=rdflib.XSD.decimal)))


def _offsets_reversed(g: Graph) -> None:
    ev = _first(g, KG.Evidence)
    g.set((ev, KG.startChar, Literal(500)))


def _fact_without_evidence(g: Graph) -> None:
    g.remove((_first(g, KG.Fact), KG.evidence, None))


def _fact_with_two_subjects(g: Graph) -> None:
    g.add((_first(g, KG.Fact), RDF.subject, _first(g, KG.Person)))


def _company_works_for(g: Graph) -> None:
    g.add((_first(g, KG.Company), KG.worksFor, _first(g, KG.Company)))


def _capital_of_city(g: Graph) -> None:
    g.add((_first(g, KG.City), KG.capitalOf, _first(g, KG.City)))


def _evidence_without_article(g: Graph) -> None:
    g.remove((_first(g, KG.Evidence), KG.article, None))


def _blank_investor(g: Graph) -> None:
    inv = _first(g, KG.Investment)
    g.set((inv, KG.investor, BNode()))


@pytest.mark.parametrize("breaker", [
    _break_label, _drop_label, _lower_currency, _negative_amount, _float_amount, _second_investor,
    _confidence_too_high, _offsets_reversed, _fact_without_evidence, _fact_with_two_subjects,
    _company_works_for, _capital_of_city, _evidence_without_article, _blank_investor,
], ids=lambda f: f.__name__.strip("_"))
def test_shapes_reject(shapes: Graph, onto: Graph, breaker) -> None:
    g = _sample_graph()
    breaker(g)
    conforms, text = _validate(g, shapes, onto)
    assert not conforms, f"{breaker.__name__} was not caught"


# --------------------------------------------------------------------------- the seed build

@pytest.fixture(scope="module")
def seed_graph_path(seed_build) -> Path:
    """graph.ttl of the session's build of seeds/."""
    _report, out = seed_build
    path = Path(out) / "graph.ttl"
    assert path.is_file(), f"the build wrote no {path}"
    return path


@pytest.fixture(scope="module")
def seed_graph(seed_graph_path: Path) -> Graph:
    return Graph().parse(seed_graph_path, format="turtle")


def test_seed_graph_uses_only_declared_terms(seed_graph: Graph, onto: Graph) -> None:
    declared = _declared_kg_terms(onto)
    used = {p for p in seed_graph.predicates() if str(p).startswith(KG_NS)}
    used |= {c for c in seed_graph.objects(None, RDF.type) if str(c).startswith(KG_NS)}
    undeclared = sorted(str(t) for t in used - declared)
    assert not undeclared, f"graph.ttl uses kg terms kg.ttl does not declare: {undeclared}"


def test_seed_graph_conforms_to_shapes(seed_graph: Graph, shapes: Graph, onto: Graph) -> None:
    conforms, text = _validate(seed_graph, shapes, onto)
    if not conforms:
        print(text)
    assert conforms, text[:5000]


def test_seed_graph_parses_in_rdflib_and_oxigraph(seed_graph_path: Path, seed_graph: Graph) -> None:
    import pyoxigraph

    assert len(seed_graph) > 0
    with seed_graph_path.open("rb") as fh:
        triples = list(pyoxigraph.parse(fh, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == len(seed_graph)
