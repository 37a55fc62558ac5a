"""Facts -> RDF. The only module that mints IRIs.

Layout of the dataset (each article's contribution in its own named graph, so
it can be replaced alone; the union answers queries over everything):

* ``<id/graph/entities>``: every entity: ``rdf:type``, one ``rdfs:label``,
  ``skos:altLabel``\\ s, GeoNames / ISO 3166-2 identifiers, ``owl:sameAs``.
* ``<id/graph/ontology>``: the ontology terms the data uses (copied from
  ``ontology/kg.ttl``), so the Turtle export stands on its own.
* ``<id/graph/article/SLUG>`` per article: the article node, every fact as a
  plain triple ``s kg:PRED o``, a ``kg:Fact`` node (an ``rdf:Statement``)
  per fact with its ``kg:evidence`` nodes (article, sentence, offsets,
  extractor, confidence), and ``kg:Investment`` nodes.
* ``<id/graph/shared>``: every triple that more than one of the graphs above
  would hold (a fact two articles state, an investment two articles report),
  stored once. Without it the union default graph that queries see repeats
  such triples once per graph, and every join over them multiplies rows, so a
  query over the store would not give the rows it gives over ``graph.ttl``.
  It is recomputed at every build, so replacing one article's graph and the
  shared graph together is still a local change.

Invariant: no triple is in two graphs, so the union holds each triple once.

The SPARQL pattern for a fact with its evidence::

    SELECT ?s ?p ?o ?sentence ?article ?confidence WHERE {
      ?fact a kg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
            kg:evidence ?ev .
      ?ev kg:sentence ?sentence ; kg:article ?article ; kg:confidence ?confidence .
    }

IRIs are derived from content (entity keys, hashes of fact and evidence
content), so the same input gives the same IRIs in every run.

A build makes the graph as canonical N-Triples lines (:func:`build_graphs`,
into :class:`kg.ntriples.Graphs`), which Oxigraph loads and writes as Turtle;
:func:`to_dataset` gives the same graph as an rdflib ``Dataset`` for Python
users, SHACL and tests.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, SKOS

from kg import ntriples as nt
from kg.model import Entity, Extraction, FactRecord
from kg.ntriples import Graphs
from kg.vocab import DATA, GEONAMES, KG, ONTOLOGY_FILE, PROV, SCHEMA

ENTITIES_GRAPH = DATA["graph/entities"]
ONTOLOGY_GRAPH = DATA["graph/ontology"]
SHARED_GRAPH = DATA["graph/shared"]
ENTITIES_GRAPH_S, ONTOLOGY_GRAPH_S, SHARED_GRAPH_S = str(ENTITIES_GRAPH), str(ONTOLOGY_GRAPH), str(SHARED_GRAPH)

# the terms of the lines, as strings once (a term per line would otherwise be an rdflib call)
_DATA, _KG, _RDF = str(DATA), str(KG), str(RDF)
_TYPE, _LABEL, _ALT, _SAME_AS = f"<{RDF.type}>", f"<{RDFS.label}>", f"<{SKOS.altLabel}>", f"<{OWL.sameAs}>"
_P = {name: f"<{KG[name]}>" for name in (
    "geonamesId", "isoCode", "title", "url", "published", "sourceFile", "contentHash", "evidence", "article",
    "sentence", "startChar", "endChar", "extractor", "confidence", "role", "investor", "target", "amount",
    "currency", "date", "dateSource", "location")}

PREFIXES = {
    "kg": str(KG),
    "kgd": str(DATA),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "skos": str(SKOS),
    "xsd": str(XSD),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "gn": str(GEONAMES),
}

#: Prefixes graph.ttl declares: the vocabularies, and not ``kgd:`` or ``gn:``, whose local names
#: have a ``/`` that Turtle must escape (``kgd:city\\/changchun``); full IRIs read better there.
TURTLE_PREFIXES = {
    **{k: v for k, v in PREFIXES.items() if k not in ("kgd", "gn")},
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcterms": "http://purl.org/dc/terms/",
}


def slugify(text: str) -> str:
    """ASCII slug for IRIs: 'Guiyang-Anshun New Area' -> 'guiyang-anshun-new-area'."""
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^A-Za-z0-9]+", "-", s).strip("-").lower()
    if not s:
        s = "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return s[:80]


def _digest(*parts: object) -> str:
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:16]


def entity_iri(entity: Entity) -> URIRef:
    return URIRef(_entity_iri(entity))


def _entity_iri(entity: Entity) -> str:
    return f"{_DATA}{entity.cls.lower()}/{entity.key}"


def _graph_iri(article_id: str) -> str:
    return f"{_DATA}graph/article/{slugify(article_id)}"


def article_iri(article_id: str) -> URIRef:
    return DATA[f"article/{slugify(article_id)}"]


def article_graph_iri(article_id: str) -> URIRef:
    return DATA[f"graph/article/{slugify(article_id)}"]


def fact_iri(s: URIRef, p: URIRef, o: URIRef) -> URIRef:
    return DATA[f"fact/{_digest(s, p, o)}"]


def article_label(title: str | None, text: str, fallback: str) -> str:
    """What an article is called where people read it (the viewer, query tables):
    its title, else its opening words, never its file id unless it has no words.

    >>> article_label(None, "Guiyang, capital of southwestern Guizhou province, is poised to become a hub.", "004")
    'Guiyang, capital of southwestern Guizhou province, is poised to become…'
    """
    if title and title.strip():
        return title.strip()
    words = text.split()
    if not words:
        return fallback
    opening = " ".join(words[:10])
    return opening + ("…" if len(words) > 10 else "")


def new_dataset() -> Dataset:
    ds = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    return ds


def to_dataset(
    entities: Iterable[Entity],
    extractions: Iterable[Extraction],
    entity_of: Mapping[tuple[str, int], Entity],
) -> Dataset:
    """The graph as an rdflib ``Dataset`` (for Python users and SHACL): the lines of
    :func:`build_graphs`, parsed by rdflib. A build itself never makes this copy."""
    return dataset_of(build_graphs(entities, extractions, entity_of))


def dataset_of(graphs: Graphs) -> Dataset:
    """``graphs`` (finished) as an rdflib ``Dataset`` with a union default graph; closes ``graphs``."""
    ds = new_dataset()
    with graphs:
        data = graphs.nquads()
    if data:
        ds.parse(data=data, format="nquads")
    return ds


def build_graphs(
    entities: Iterable[Entity],
    extractions: Iterable[Extraction],
    entity_of: Mapping[tuple[str, int], Entity],
    *,
    spill_dir: str | Path | None = None,
) -> Graphs:
    """The named graphs of the build (see the module docstring), as canonical N-Triples lines
    spilled to a temporary directory under ``spill_dir`` (:class:`kg.ntriples.Graphs`; close
    it when done), with the figures the build summary prints counted on the way. A triple
    more than one graph would hold is put in ``SHARED_GRAPH`` instead.

    ``entity_of`` maps (article id, mention index) to the resolved entity; a
    mention that is not in it (dropped by resolution) drops the facts on it.
    """
    out = Graphs(spill_dir)
    try:
        _fill(out, entities, extractions, entity_of)
        out.finish(shared=SHARED_GRAPH_S)
    except BaseException:
        out.close()
        raise
    return out


def _fill(out: Graphs, entities: Iterable[Entity], extractions: Iterable[Extraction],
          entity_of: Mapping[tuple[str, int], Entity]) -> None:
    """The lines of every graph into ``out``: entities, then each article's, then the dates
    chosen across articles and the ontology terms used."""
    ents = out.number(ENTITIES_GRAPH_S)
    used_terms: set[str] = set()
    #: id(entity) -> (its IRI term, the number of that IRI); facts are counted as pairs of numbers
    iri_of: dict[int, tuple[str, int]] = {}
    numbers: dict[str, int] = {}
    for e in sorted(entities, key=lambda e: (e.cls, e.key)):
        s = nt.iri(_entity_iri(e))
        iri_of[id(e)] = (s, numbers.setdefault(s, len(numbers)))
        cls = f"{_KG}{e.cls}"
        used_terms.add(cls)
        out.entities_by_class[e.cls] += 1
        lines = [f"{s} {_TYPE} <{cls}> .", f"{s} {_LABEL} {nt.string(e.label)} ."]
        alts = sorted(e.alt_labels - {e.label})
        for alt in alts:
            lines.append(f"{s} {_ALT} {nt.string(alt)} .")
        gid, iso = e.ids.get("geonames"), e.ids.get("iso")
        if gid:
            lines.append(f"{s} {_P['geonamesId']} {nt.string(gid)} .")
            lines.append(f"{s} {_SAME_AS} <{GEONAMES}{gid}/> .")
        if iso:
            lines.append(f"{s} {_P['isoCode']} {nt.string(iso)} .")
        out.add(ents, lines)
        out.net.nodes[s[1:-1]] = {"iri": s[1:-1], "cls": e.cls, "label": e.label, "aliases": alts,
                                  "geonames": gid or None, "iso": iso or None,
                                  "same_as": [f"{GEONAMES}{gid}/"] if gid else []}

    dates = InvestmentDates()
    facts: dict[str, set[int]] = {}
    investments: set[str] = set()
    for ex in extractions:
        used_terms |= _add_article(out, ex, entity_of, dates, iri_of, numbers, facts, investments)
    for node, graph, when, source in dates.chosen():
        out.add(graph, [f"{node} {_P['date']} {nt.string(when)} .",
                        f"{node} {_P['dateSource']} {nt.string(source)} ."])
    out.facts_by_predicate.update({p: len(v) for p, v in facts.items()})
    out.investments = len(investments)

    onto: dict[str, None] = {}
    _add_ontology_terms(onto, used_terms)
    out.add(out.number(ONTOLOGY_GRAPH_S), onto)


class InvestmentDates:
    """One ``kg:date`` per investment, with ``kg:dateSource`` saying where it came from.

    Why: the rules find a date in the sentence only now and then, but every
    dated article says when the investment was at the latest reported. The
    text's date wins over an article's; among several the earliest (the first
    report) wins, so an investment two articles report still has one date.
    """

    TEXT, ARTICLE = "text", "article"

    def __init__(self) -> None:
        self.best: dict[Any, tuple[int, str, Any]] = {}

    def offer(self, node: Any, graph: Any, *, text_date: str | None, article_date: str | None) -> None:
        """A date for ``node`` as one article (whose graph is ``graph``) reports it
        (the text's, else the article's)."""
        if text_date:
            cand = (0, text_date, graph)
        elif article_date:
            cand = (1, article_date, graph)
        else:
            return
        old = self.best.get(node)
        if old is None or cand[:2] < old[:2]:
            self.best[node] = cand

    def chosen(self) -> Iterator[tuple[Any, Any, str, str]]:
        """(node, graph of the article that gave the date, date, its source) per investment."""
        for node, (rank, when, graph) in self.best.items():
            yield node, graph, when, self.TEXT if rank == 0 else self.ARTICLE

    def write(self) -> None:
        """Add the chosen dates to rdflib graphs (when ``offer`` was given rdflib nodes and graphs)."""
        for node, graph, when, source in self.chosen():
            graph.add((node, KG.date, Literal(when)))
            graph.add((node, KG.dateSource, Literal(source)))


def _add_article(out: Graphs, ex: Extraction, entity_of: Mapping[tuple[str, int], Entity],
                 dates: InvestmentDates, iri_of: dict[int, tuple[str, int]], numbers: dict[str, int],
                 facts: dict[str, set[int]], investments: set[str]) -> set[str]:
    """The article's graph: its node, facts with their evidence, investments. Returns the
    ontology terms it used; ``facts`` (predicate -> plain triples, as the numbers of their
    subject and object IRIs) and ``investments`` (nodes) collect what the summary counts."""
    art = ex.article
    number = out.number(_graph_iri(art.id))
    g: dict[str, None] = {}
    a_iri = f"<{_DATA}article/{slugify(art.id)}>"
    used: set[str] = set()
    g[f"{a_iri} {_TYPE} <{_KG}Article> ."] = None
    g[f"{a_iri} {_LABEL} {nt.string(article_label(art.title, art.text, art.id))} ."] = None
    if art.title:
        g[f"{a_iri} {_P['title']} {nt.string(art.title)} ."] = None
    if art.url:
        g[f"{a_iri} {_P['url']} {nt.any_uri(art.url)} ."] = None
    if art.date:
        g[f"{a_iri} {_P['published']} {nt.string(art.date)} ."] = None
    g[f"{a_iri} {_P['sourceFile']} {nt.string(art.source)} ."] = None
    g[f"{a_iri} {_P['contentHash']} {nt.string(art.content_hash)} ."] = None
    text = art.text
    a_plain = a_iri[1:-1]
    out.net.articles[a_plain] = (art.title or article_label(art.title, art.text, art.id), art.date or None)
    net_facts = out.net.facts

    def node_of(e: Entity) -> tuple[str, int]:
        known = iri_of.get(id(e))
        if known is not None:
            return known
        s = nt.iri(_entity_iri(e))
        return s, numbers.setdefault(s, len(numbers))

    def iri_of_entity(e: Entity) -> str:
        return node_of(e)[0]

    def add_evidence(target: str, sent_start: int, sent_end: int, extractor: str,
                     confidence: float, role: str | None = None) -> tuple | None:
        ev = f"<{_DATA}evidence/{_digest(target[1:-1], art.id, sent_start, extractor)}>"
        link = f"{target} {_P['evidence']} {ev} ."
        again = link in g           # the same evidence node again (same sentence, same rule)
        g[link] = None
        sentence = text[sent_start:sent_end].strip()
        conf = f"{confidence:.3f}"
        g[f"{ev} {_TYPE} <{_KG}Evidence> ."] = None
        g[f"{ev} {_P['article']} {a_iri} ."] = None
        g[f"{ev} {_P['sentence']} {nt.string(sentence)} ."] = None
        g[f"{ev} {_P['startChar']} {nt.integer(sent_start)} ."] = None
        g[f"{ev} {_P['endChar']} {nt.integer(sent_end)} ."] = None
        g[f"{ev} {_P['extractor']} {nt.string(extractor)} ."] = None
        g[f"{ev} {_P['confidence']} {nt.decimal(Decimal(conf))} ."] = None
        if role:
            g[f"{ev} {_P['role']} {nt.string(role)} ."] = None
        if again:
            return None
        return sentence, a_plain, float(conf), extractor, role or None, sent_start, sent_end    # EVIDENCE_FIELDS

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
        s, s_no = node_of(entity_of[(art.id, f.subject)])
        o, o_no = node_of(entity_of[(art.id, f.object)])
        p_plain = f"{_KG}{f.predicate}"
        used.add(p_plain)
        g[f"{s} <{p_plain}> {o} ."] = None
        facts.setdefault(f.predicate, set()).add(s_no << 32 | o_no)
        fact = f"<{_DATA}fact/{_digest(s[1:-1], p_plain, o[1:-1])}>"
        g[f"{fact} {_TYPE} <{_KG}Fact> ."] = None
        g[f"{fact} {_TYPE} <{_RDF}Statement> ."] = None
        g[f"{fact} <{_RDF}subject> {s} ."] = None
        g[f"{fact} <{_RDF}predicate> <{p_plain}> ."] = None
        g[f"{fact} <{_RDF}object> {o} ."] = None
        evidence = add_evidence(fact, f.sent_start, f.sent_end, f.extractor, f.confidence, f.role)
        net_key = (s[1:-1], f.predicate, o[1:-1])
        if net_key not in net_facts:
            net_facts[net_key] = (fact[1:-1], [])
        if evidence is not None:
            net_facts[net_key][1].append(evidence)

    for inv in ex.investments:
        investor = entity_of.get((art.id, inv.investor))
        if investor is None:
            continue
        target = entity_of.get((art.id, inv.target)) if inv.target is not None else None
        # one node per investment, however many sentences or articles report it: the same
        # investor, target, amount and currency are the same investment (sums stay right)
        inv_iri = iri_of_entity(investor)
        tgt_iri = iri_of_entity(target) if target is not None else None
        node = (f"<{_DATA}investment/"
                f"{_digest(inv_iri[1:-1], tgt_iri[1:-1] if tgt_iri else '', inv.amount, inv.currency)}>")
        investments.add(node)
        g[f"{node} {_TYPE} <{_KG}Investment> ."] = None
        what = f" in {target.label}" if target is not None else ""
        g[f"{node} {_LABEL} {nt.string(f'{investor.label}{what}: {inv.amount:,.0f} {inv.currency}')} ."] = None
        g[f"{node} {_P['investor']} {inv_iri} ."] = None
        if tgt_iri is not None:
            g[f"{node} {_P['target']} {tgt_iri} ."] = None
        amount = Decimal(str(int(inv.amount))) if float(inv.amount).is_integer() else Decimal(str(inv.amount))
        g[f"{node} {_P['amount']} {nt.decimal(amount)} ."] = None
        g[f"{node} {_P['currency']} {nt.string(inv.currency)} ."] = None
        dates.offer(node, number, text_date=inv.date, article_date=art.date)
        if inv.location is not None and (loc := entity_of.get((art.id, inv.location))) is not None:
            g[f"{node} {_P['location']} {iri_of_entity(loc)} ."] = None
        add_evidence(node, inv.sent_start, inv.sent_end, inv.extractor, inv.confidence)
    out.add(number, g)
    return used


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_FILE, format="turtle")
    return g


@lru_cache(maxsize=1)
def _ontology_lines() -> dict[str, list[tuple[str, str, str | None]]]:
    """``ontology/kg.ttl`` by subject IRI: (predicate IRI, line, object IRI or None) per triple."""
    import pyoxigraph as ox

    by_subject: dict[str, list[tuple[str, str, str | None]]] = {}
    for q in ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE):
        t = q.triple
        if not isinstance(t.subject, ox.NamedNode):
            continue
        obj = t.object.value if isinstance(t.object, ox.NamedNode) else None
        by_subject.setdefault(t.subject.value, []).append((t.predicate.value, f"{t} .", obj))
    return by_subject


_FOLLOW = {str(RDFS.subClassOf), str(RDFS.subPropertyOf), str(OWL.inverseOf)}
_ALWAYS = ("Article", "Fact", "Evidence", "Investment", "Place", "Organization",
           "evidence", "article", "sentence", "startChar", "endChar", "extractor",
           "confidence", "role", "title", "url", "published", "sourceFile",
           "contentHash", "investor", "target", "amount", "currency", "date", "dateSource",
           "location", "geonamesId", "isoCode")


def _add_ontology_terms(target: dict[str, None], used: set[str]) -> None:
    """Copy the declarations of the used terms, their superclasses and the fixed
    provenance vocabulary, so the export is self-describing."""
    onto = _ontology_lines()
    todo = list(used | {f"{_KG}{t}" for t in _ALWAYS})
    seen: set[str] = set()
    while todo:
        term = todo.pop()
        if term in seen:
            continue
        seen.add(term)
        for pred, line, obj in onto.get(term, ()):
            target[line] = None
            if pred in _FOLLOW and obj is not None and obj.startswith(_KG):
                todo.append(obj)


def union_graph(ds: Dataset) -> Graph:
    """All quads of the dataset as one graph (what ``graph.ttl`` holds)."""
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g
