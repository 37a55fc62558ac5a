"""The rdflib implementation of ``kg.rdf.to_dataset`` that the N-Triples lines replaced,
kept unchanged as the oracle: a build must still make exactly the graph this made
(``tests/test_output_path.py``). Not used by kg itself."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL

from kg.model import Entity, Extraction, FactRecord
from kg.rdf import (ENTITIES_GRAPH, ONTOLOGY_GRAPH, SHARED_GRAPH, _digest, article_graph_iri, article_iri,
                    article_label, entity_iri, fact_iri, ontology_graph)
from kg.rdf import new_dataset  # noqa: F401  (the same prefixes)
from kg.vocab import DATA, GEONAMES, KG
from rdflib.namespace import SKOS


def to_dataset(
    entities: Iterable[Entity],
    extractions: Iterable[Extraction],
    entity_of: Mapping[tuple[str, int], Entity],
) -> Dataset:
    """Build the RDF dataset.

    ``entity_of`` maps (article id, mention index) to the resolved entity; a
    mention that is not in it (dropped by resolution) drops the facts on it.
    """
    ds = new_dataset()
    ents = ds.graph(ENTITIES_GRAPH)
    used_terms: set[URIRef] = set()
    for e in sorted(entities, key=lambda e: (e.cls, e.key)):
        iri = entity_iri(e)
        cls = KG[e.cls]
        used_terms.add(cls)
        ents.add((iri, RDF.type, cls))
        ents.add((iri, RDFS.label, Literal(e.label)))
        for alt in sorted(e.alt_labels - {e.label}):
            ents.add((iri, SKOS.altLabel, Literal(alt)))
        if gid := e.ids.get("geonames"):
            ents.add((iri, KG.geonamesId, Literal(gid)))
            ents.add((iri, OWL.sameAs, GEONAMES[f"{gid}/"]))
        if iso := e.ids.get("iso"):
            ents.add((iri, KG.isoCode, Literal(iso)))

    dates = InvestmentDates()
    for ex in extractions:
        used_terms |= _add_article(ds, ex, entity_of, dates)
    dates.write()

    _add_ontology_terms(ds.graph(ONTOLOGY_GRAPH), used_terms)
    share_repeated(ds)
    return ds


def share_repeated(ds: Dataset) -> int:
    """Move every triple held by more than one named graph into ``SHARED_GRAPH``.

    Why: Oxigraph (and Fuseki, GraphDB with a union default graph) answer the
    default graph as the union *bag* of the named graphs, so a triple in two
    graphs matches twice. Returns how many triples moved.
    """
    where: dict[tuple, list[Graph]] = {}
    for g in ds.graphs():
        if g.identifier == SHARED_GRAPH:
            continue
        for t in g:
            where.setdefault(t, []).append(g)
    shared = ds.graph(SHARED_GRAPH)
    moved = 0
    for t, graphs in where.items():
        if len(graphs) < 2:
            continue
        for g in graphs:
            g.remove(t)
        shared.add(t)
        moved += 1
    if not moved:
        ds.remove_graph(shared)
    return moved


class InvestmentDates:
    """One ``kg:date`` per investment, with ``kg:dateSource`` saying where it came from.

    Why: the rules find a date in the sentence only now and then, but every
    dated article says when the investment was at the latest reported. The
    text's date wins over an article's; among several the earliest (the first
    report) wins, so an investment two articles report still has one date.
    """

    TEXT, ARTICLE = "text", "article"

    def __init__(self) -> None:
        self.best: dict[URIRef, tuple[int, str, Graph]] = {}

    def offer(self, node: URIRef, graph: Graph, *, text_date: str | None, article_date: str | None) -> None:
        """A date for ``node`` as one article reports it (the text's, else the article's)."""
        if text_date:
            cand = (0, text_date, graph)
        elif article_date:
            cand = (1, article_date, graph)
        else:
            return
        old = self.best.get(node)
        if old is None or cand[:2] < old[:2]:
            self.best[node] = cand

    def write(self) -> None:
        """Add the chosen date and its source to the graph of the article that gave it."""
        for node, (rank, when, graph) in self.best.items():
            graph.add((node, KG.date, Literal(when)))
            graph.add((node, KG.dateSource, Literal(self.TEXT if rank == 0 else self.ARTICLE)))


def _add_article(ds: Dataset, ex: Extraction, entity_of: Mapping[tuple[str, int], Entity],
                 dates: InvestmentDates | None = None) -> set[URIRef]:
    art = ex.article
    g = ds.graph(article_graph_iri(art.id))
    a_iri = article_iri(art.id)
    used: set[URIRef] = set()
    g.add((a_iri, RDF.type, KG.Article))
    g.add((a_iri, RDFS.label, Literal(article_label(art.title, art.text, art.id))))
    if art.title:
        g.add((a_iri, KG.title, Literal(art.title)))
    if art.url:
        g.add((a_iri, KG.url, Literal(art.url, datatype=XSD.anyURI)))
    if art.date:
        g.add((a_iri, KG.published, Literal(art.date)))
    g.add((a_iri, KG.sourceFile, Literal(art.source)))
    g.add((a_iri, KG.contentHash, Literal(art.content_hash)))

    def add_evidence(target: URIRef, sent_start: int, sent_end: int, extractor: str,
                     confidence: float, role: str | None = None) -> None:
        ev = DATA[f"evidence/{_digest(target, art.id, sent_start, extractor)}"]
        g.add((target, KG.evidence, ev))
        g.add((ev, RDF.type, KG.Evidence))
        g.add((ev, KG.article, a_iri))
        g.add((ev, KG.sentence, Literal(ex.article.text[sent_start:sent_end].strip())))
        g.add((ev, KG.startChar, Literal(sent_start)))
        g.add((ev, KG.endChar, Literal(sent_end)))
        g.add((ev, KG.extractor, Literal(extractor)))
        g.add((ev, KG.confidence, Literal(Decimal(f"{confidence:.3f}"))))
        if role:
            g.add((ev, KG.role, Literal(role)))

    # two mentions of one entity pair in one sentence are one piece of evidence: the most confident
    strongest: dict[tuple, FactRecord] = {}
    for f in ex.facts:
        s_ent = entity_of.get((art.id, f.subject))
        o_ent = entity_of.get((art.id, f.object))
        if s_ent is None or o_ent is None or s_ent is o_ent:
            continue
        key = (s_ent.key, s_ent.cls, f.predicate, o_ent.key, o_ent.cls, f.sent_start, f.extractor)
        if key not in strongest or f.confidence > strongest[key].confidence:
            strongest[key] = f
    for f in strongest.values():
        s_ent = entity_of[(art.id, f.subject)]
        o_ent = entity_of[(art.id, f.object)]
        s, p, o = entity_iri(s_ent), KG[f.predicate], entity_iri(o_ent)
        used.add(p)
        g.add((s, p, o))
        fact = fact_iri(s, p, o)
        g.add((fact, RDF.type, KG.Fact))
        g.add((fact, RDF.type, RDF.Statement))
        g.add((fact, RDF.subject, s))
        g.add((fact, RDF.predicate, p))
        g.add((fact, RDF.object, o))
        add_evidence(fact, f.sent_start, f.sent_end, f.extractor, f.confidence, f.role)

    for inv in ex.investments:
        investor = entity_of.get((art.id, inv.investor))
        if investor is None:
            continue
        target = entity_of.get((art.id, inv.target)) if inv.target is not None else None
        # one node per investment, however many sentences or articles report it: the same
        # investor, target, amount and currency are the same investment (sums stay right)
        node = DATA[f"investment/{_digest(entity_iri(investor), entity_iri(target) if target else '', inv.amount, inv.currency)}"]
        g.add((node, RDF.type, KG.Investment))
        what = f" in {target.label}" if target is not None else ""
        g.add((node, RDFS.label, Literal(f"{investor.label}{what}: {inv.amount:,.0f} {inv.currency}")))
        g.add((node, KG.investor, entity_iri(investor)))
        if target is not None:
            g.add((node, KG.target, entity_iri(target)))
        g.add((node, KG.amount, Literal(Decimal(str(int(inv.amount))) if float(inv.amount).is_integer()
                                         else Decimal(str(inv.amount)), datatype=XSD.decimal)))
        g.add((node, KG.currency, Literal(inv.currency)))
        if dates is not None:
            dates.offer(node, g, text_date=inv.date, article_date=art.date)
        if inv.location is not None and (loc := entity_of.get((art.id, inv.location))) is not None:
            g.add((node, KG.location, entity_iri(loc)))
        add_evidence(node, inv.sent_start, inv.sent_end, inv.extractor, inv.confidence)
    return used


def _add_ontology_terms(target: Graph, used: set[URIRef]) -> None:
    """Copy the declarations of the used terms, their superclasses and the fixed
    provenance vocabulary, so the export is self-describing."""
    onto = ontology_graph()
    always = {KG.Article, KG.Fact, KG.Evidence, KG.Investment, KG.Place, KG.Organization,
              KG.evidence, KG.article, KG.sentence, KG.startChar, KG.endChar, KG.extractor,
              KG.confidence, KG.role, KG.title, KG.url, KG.published, KG.sourceFile,
              KG.contentHash, KG.investor, KG.target, KG.amount, KG.currency, KG.date, KG.dateSource,
              KG.location, KG.geonamesId, KG.isoCode}
    todo = list(used | always)
    seen: set[URIRef] = set()
    while todo:
        term = todo.pop()
        if term in seen:
            continue
        seen.add(term)
        for _, p, o in onto.triples((term, None, None)):
            target.add((term, p, o))
            if p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf) and isinstance(o, URIRef) \
                    and str(o).startswith(str(KG)):
                todo.append(o)




def summarise(union: Graph, report) -> None:
    """The build summary as the rdflib build counted it, from the union graph."""
    from kg.vocab import CORE_CLASSES, CORE_PREDICATES
    for s, _, cls in union.triples((None, RDF.type, None)):
        if str(s).startswith(str(DATA)) and str(cls).startswith(str(KG)):
            name = str(cls)[len(str(KG)):]
            if name in CORE_CLASSES:
                report.entities_by_class[name] += 1
    for pred in CORE_PREDICATES:
        n = sum(1 for _ in union.triples((None, KG[pred], None)))
        if n:
            report.facts_by_predicate[pred] = n
    report.investments = sum(1 for _ in union.subjects(RDF.type, KG.Investment))
    report.triples = len(union)


