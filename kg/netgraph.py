"""RDF graph -> networkx graph of entities and facts (shared by view, analytics and export).

The RDF keeps every fact twice: as a plain triple ``s kg:PRED o`` (for
queries) and as a reified ``kg:Fact`` node with its evidence (for
provenance). A network tool wants only the first, with the second folded into
edge attributes. This module does that fold once, by iterating triples in
Python (rdflib's SPARQL engine is slow at joins), so the viewer, the
analytics and the exports all see the same nodes and edges.

Node attributes: ``iri``, ``label``, ``cls`` (class local name), ``aliases``
(list), ``geonames``, ``iso``, ``same_as`` (list). Edge attributes (the graph
is a ``MultiDiGraph`` keyed by predicate): ``predicate``, ``confidence``
(the highest of its evidence), ``evidence`` (list of dicts: ``sentence``,
``article``, ``article_title``, ``article_date``, ``confidence``, ``extractor``, ``role``).
"""
from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import RDF, RDFS, BNode, ConjunctiveGraph, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, SKOS

from kg.errors import InputError
from kg.vocab import CORE_CLASSES, CORE_PREDICATES, KG

#: Classes that are provenance or money, never nodes of the entity network.
NON_ENTITY_CLASSES = frozenset({"Investment", "Fact", "Evidence", "Article"})
_KG_NS = str(KG)
_PREDICATES = {KG[p]: p for p in CORE_PREDICATES}
_CLASS_RANK = {c: i for i, c in enumerate(CORE_CLASSES)}


def load_graph(out_dir: str | Path) -> Graph:
    """The built graph of ``kg build ... --out DIR`` (its ``graph.ttl``) as one rdflib graph.

    One small function on purpose, so a faster source can replace it. The
    Turtle is parsed by pyoxigraph, about twice as fast overall as rdflib's
    parser (200k triples: 2 s instead of 4 s), and the terms turned into
    rdflib ones.
    """
    ttl = _turtle_path(out_dir)
    g = Graph()
    try:
        g.addN((*triple, g) for triple in _parse_turtle(ttl))
    except Exception as err:  # the parsers raise SyntaxError, ValueError, OSError...
        raise _unparsable(ttl, err) from err
    return g


def load_triples(out_dir: str | Path) -> "Triples":
    """The built graph as :class:`Triples` (what ``to_networkx`` and ``investments`` read),
    parsed by pyoxigraph without making rdflib terms: for ``kg view``, ``kg stats`` and
    ``kg export``, which need nothing else."""
    import pyoxigraph as ox

    ttl = _turtle_path(out_dir)
    try:
        return Triples(_from_oxigraph(q.triple for q in ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE)))
    except Exception as err:  # the parsers raise SyntaxError, ValueError, OSError...
        raise _unparsable(ttl, err) from err


def _turtle_path(out_dir: str | Path) -> Path:
    d = Path(out_dir)
    ttl = d / "graph.ttl" if d.is_dir() or not d.suffix else d
    if not ttl.is_file():
        raise InputError(str(ttl), "no built graph here; run `kg build ARTICLES --out DIR` first "
                                   "and pass that DIR")
    return ttl


def _unparsable(ttl: Path, err: Exception) -> InputError:
    reason = " ".join(str(err).split())[:300]
    return InputError(str(ttl), f"cannot parse Turtle ({reason}); rebuild it with `kg build`")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _parse_turtle(path: Path) -> Iterator[tuple[Any, Any, Any]]:
    """Triples of a Turtle file as rdflib terms, parsed by pyoxigraph."""
    import pyoxigraph as ox

    cache: dict[Any, Any] = {}

    def term(t: Any) -> Any:
        r = cache.get(t)
        if r is None:
            if isinstance(t, ox.NamedNode):
                r = URIRef(t.value)
            elif isinstance(t, ox.BlankNode):
                r = BNode(t.value)
            elif t.language:
                r = Literal(t.value, lang=t.language)
            else:
                dt = t.datatype.value
                r = Literal(t.value, datatype=None if dt == _XSD_STRING else URIRef(dt))
            cache[t] = r
        return r

    for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        yield term(q.subject), term(q.predicate), term(q.object)


def local_name(iri: URIRef | str) -> str:
    """'https://w3id.org/kg/ontology#City' -> 'City'."""
    s = str(iri)
    for sep in ("#", "/"):
        if sep in s:
            s = s.rsplit(sep, 1)[-1] or s
    return s


class Lit(str):
    """A literal's lexical form (an IRI is a plain ``str``): all the netgraph needs of a literal."""

    __slots__ = ()


class Triples:
    """The triples of a graph indexed by predicate, terms as plain strings (literals as ``Lit``).

    Why not rdflib: the netgraph reads each predicate once over the whole graph,
    which a dict of lists does at a fraction of rdflib's per-triple cost, and a
    build hands it the triples Oxigraph parsed without making an rdflib copy.
    """

    def __init__(self, triples: Iterable[tuple[str, str, str]]) -> None:
        self.by_pred: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for s, p, o in triples:
            self.by_pred[p].append((s, o))
        self._values: dict[str, dict[str, str]] = {}

    @classmethod
    def of(cls, source: "Graph | Triples | Iterable[Any]") -> "Triples":
        """From an rdflib ``Graph``/``Dataset``, pyoxigraph triples or quads, or a ``Triples``."""
        if isinstance(source, Triples):
            return source
        if isinstance(source, Graph):
            return cls(_from_rdflib(_plain(source)))
        return cls(_from_oxigraph(source))

    def subject_objects(self, p: str) -> list[tuple[str, str]]:
        return self.by_pred.get(str(p), [])

    def subjects(self, p: str, o: str) -> list[str]:
        o = str(o)
        return [s for s, obj in self.by_pred.get(str(p), ()) if obj == o and not isinstance(obj, Lit)]

    def value(self, s: str, p: str) -> str | None:
        """One object of ``s p ?o`` (the least, so the choice does not depend on the order)."""
        p = str(p)
        table = self._values.get(p)
        if table is None:
            table = {}
            for subj, obj in self.by_pred.get(p, ()):
                old = table.get(subj)
                if old is None or obj < old:
                    table[subj] = obj
            self._values[p] = table
        return table.get(str(s))


def _from_rdflib(g: Graph) -> Iterator[tuple[str, str, str]]:
    for s, p, o in g:
        yield str(s), str(p), Lit(o) if isinstance(o, Literal) else str(o)


def _from_oxigraph(items: Iterable[Any]) -> Iterator[tuple[str, str, str]]:
    import pyoxigraph as ox

    one: dict[str, str] = {}        # each IRI once in memory, however many triples name it
    for t in items:
        o = t.object
        s, p = t.subject.value, t.predicate.value
        s, p = one.setdefault(s, s), one.setdefault(p, p)
        if isinstance(o, ox.Literal):
            yield s, p, Lit(o.value)
        else:
            v = o.value
            yield s, p, one.setdefault(v, v)


@dataclass
class Investment:
    """One ``kg:Investment`` with the names of what it links, ready for tables."""

    iri: str
    investor: str | None
    target: str | None
    location: str | None
    amount: Decimal | None
    currency: str | None
    date: str | None = None
    date_source: str | None = None      # "text" or "article": where ``date`` came from
    evidence: list[dict[str, Any]] = field(default_factory=list)


def _num(lit: Any, kind: type = float) -> Any:
    """A literal's value as ``kind`` (float, int), or None for a node or a malformed value."""
    if isinstance(lit, (Lit, Literal)):
        try:
            return kind(lit)
        except (TypeError, ValueError):
            return None
    return None


def _evidence_index(g: Triples) -> tuple[dict[str, list[dict[str, Any]]], dict[str, str]]:
    """Evidence dicts by their parent node (Fact or Investment), and article titles by IRI."""
    titles: dict[str, str] = {}
    dates: dict[str, str] = {}
    for art in g.subjects(RDF.type, KG.Article):
        t = g.value(art, KG.title) or g.value(art, RDFS.label)
        titles[art] = str(t) if t is not None else local_name(art)
        if (when := g.value(art, KG.published)) is not None:
            dates[art] = str(when)
    per_ev: dict[str, dict[str, Any]] = {}
    for ev in g.subjects(RDF.type, KG.Evidence):
        per_ev[ev] = {}
    wanted = {KG.sentence: "sentence", KG.article: "article", KG.confidence: "confidence",
              KG.extractor: "extractor", KG.role: "role", KG.startChar: "start", KG.endChar: "end"}
    for pred, key in wanted.items():
        for ev, val in g.subject_objects(pred):
            if ev not in per_ev:
                continue
            if key == "confidence":
                per_ev[ev][key] = _num(val)
            elif key in ("start", "end"):
                per_ev[ev][key] = _num(val, int)
            else:
                per_ev[ev][key] = str(val)
    for ev, d in per_ev.items():
        if "article" in d:
            art = d["article"]
            d["article_title"] = titles.get(art, local_name(art))
            d["article_date"] = dates.get(art)
        for key in ("sentence", "article", "article_title", "article_date", "extractor", "role"):
            d.setdefault(key, None)
        d.setdefault("confidence", None)
    by_parent: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for parent, ev in g.subject_objects(KG.evidence):
        if ev in per_ev:
            by_parent[parent].append(per_ev[ev])
    for evs in by_parent.values():
        evs.sort(key=lambda d: (d.get("article") or "", d.get("start") or 0, d.get("extractor") or ""))
    return by_parent, titles


def _plain(g: Graph) -> Graph:
    """A Dataset (what ``kg.pipeline`` holds) as one plain graph of all its quads.

    Dataset pattern lookups are slow and emit a deprecation warning per call in
    rdflib 7; one pass over the quads costs less than the many lookups below.
    """
    if not isinstance(g, (Dataset, ConjunctiveGraph)):
        return g
    plain = Graph()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for s, p, o, _ in g.quads((None, None, None, None)):
            plain.add((s, p, o))
    return plain


def to_networkx(source: "Graph | Triples | Iterable[Any]") -> nx.MultiDiGraph:
    """Entities as nodes (keyed by IRI string), core-predicate facts as directed edges.

    Accepts an rdflib ``Graph`` or a ``Dataset`` with ``default_union=True``,
    pyoxigraph triples (what ``kg build`` hands it), or :class:`Triples`. An
    object of a fact that has no type in the entity graph still becomes a
    node, of class ``Thing``, so no fact is silently dropped.
    """
    g = Triples.of(source)
    G = nx.MultiDiGraph()
    classes: dict[str, list[str]] = defaultdict(list)
    for s, cls in g.subject_objects(RDF.type):
        name = str(cls)
        if not name.startswith(_KG_NS):
            continue
        cname = name[len(_KG_NS):]
        if cname in NON_ENTITY_CLASSES:
            continue
        classes[s].append(cname)
    for s, cls_list in classes.items():
        cls = min(cls_list, key=lambda c: (_CLASS_RANK.get(c, len(_CLASS_RANK)), c))
        G.add_node(str(s), iri=str(s), cls=cls, label=None, aliases=[], geonames=None, iso=None,
                   same_as=[])
    for s, lab in g.subject_objects(RDFS.label):
        node = G.nodes.get(str(s))
        if node is not None and (node["label"] is None or str(lab) < node["label"]):
            node["label"] = str(lab)
    for s, alt in g.subject_objects(SKOS.altLabel):
        node = G.nodes.get(str(s))
        if node is not None:
            node["aliases"].append(str(alt))
    for pred, key in ((KG.geonamesId, "geonames"), (KG.isoCode, "iso")):
        for s, val in g.subject_objects(pred):
            node = G.nodes.get(str(s))
            if node is not None:
                node[key] = str(val)
    for s, o in g.subject_objects(OWL.sameAs):
        node = G.nodes.get(str(s))
        if node is not None:
            node["same_as"].append(str(o))

    evidence, _ = _evidence_index(g)
    fact_of: dict[tuple[str, str, str], str] = {}
    for fact in g.subjects(RDF.type, KG.Fact):
        s, p, o = g.value(fact, RDF.subject), g.value(fact, RDF.predicate), g.value(fact, RDF.object)
        if s is not None and p is not None and o is not None:
            fact_of[(s, p, o)] = fact

    for pred_iri, pred in _PREDICATES.items():
        pred_iri = str(pred_iri)
        for s, o in g.subject_objects(pred_iri):
            if isinstance(o, Lit):
                continue
            for n in (s, o):
                if str(n) not in G:
                    G.add_node(str(n), iri=str(n), cls="Thing", label=None, aliases=[], geonames=None,
                               iso=None, same_as=[])
            fact = fact_of.get((s, pred_iri, o))
            evs = list(evidence.get(fact, [])) if fact is not None else []
            confs = [e["confidence"] for e in evs if e.get("confidence") is not None]
            fact_conf = _num(g.value(fact, KG.confidence)) if fact is not None else None
            conf = fact_conf if fact_conf is not None else (max(confs) if confs else None)
            G.add_edge(str(s), str(o), key=pred, predicate=pred, confidence=conf, evidence=evs,
                       fact=str(fact) if fact is not None else None)
    for _, data in G.nodes(data=True):
        if data["label"] is None:
            data["label"] = local_name(data["iri"])
        data["aliases"] = sorted(set(data["aliases"]) - {data["label"]})
        data["same_as"].sort()
    return G


def investments(source: "Graph | Triples | Iterable[Any]") -> list[Investment]:
    """Every ``kg:Investment`` with its investor, target and location as IRI strings."""
    g = Triples.of(source)
    evidence, _ = _evidence_index(g)
    out: list[Investment] = []
    for node in sorted(set(g.subjects(RDF.type, KG.Investment))):
        amount = g.value(node, KG.amount)
        amt: Decimal | None = None
        if isinstance(amount, Lit):
            try:
                amt = Decimal(str(amount))
            except ArithmeticError:
                amt = None
        cur, date, source = g.value(node, KG.currency), g.value(node, KG.date), g.value(node, KG.dateSource)

        def iri(p: str) -> str | None:
            v = g.value(node, p)
            return str(v) if v is not None else None

        out.append(Investment(
            iri=str(node), investor=iri(KG.investor), target=iri(KG.target), location=iri(KG.location),
            amount=amt, currency=str(cur) if cur is not None else None,
            date=str(date) if date is not None else None,
            date_source=str(source) if source is not None else None, evidence=list(evidence.get(node, [])),
        ))
    return out


def find_entities(G: nx.MultiDiGraph, name: str) -> list[str]:
    """Nodes whose IRI, label or alias equals ``name`` (case-insensitive), best first.

    An exact label match beats an alias match, so "Jilin" finds the entity
    labelled Jilin before one that merely has it as an alias.
    """
    want = name.strip().casefold()
    if not want:
        return []
    by_label, by_alias = [], []
    for n, d in G.nodes(data=True):
        if n == name.strip() or d["label"].casefold() == want:
            by_label.append(n)
        elif any(a.casefold() == want for a in d["aliases"]):
            by_alias.append(n)
    key = lambda n: (-G.degree(n), G.nodes[n]["label"], n)  # noqa: E731
    return sorted(by_label, key=key) + sorted(by_alias, key=key)


def all_names(G: nx.MultiDiGraph) -> list[str]:
    """Every label and alias, for "did you mean" suggestions."""
    names = set()
    for _, d in G.nodes(data=True):
        names.add(d["label"])
        names.update(d["aliases"])
    return sorted(names)


def from_parts(net: Any) -> nx.MultiDiGraph:
    """The graph :func:`to_networkx` makes of a build's triples, made from the parts
    :func:`kg.rdf.build_graphs` collected (:class:`kg.ntriples.NetParts`), without
    parsing the triples back: what ``kg build`` hands the viewer. Nodes and edges come
    in the order ``to_networkx`` gives them (sorted as the N-Triples lines sort)."""
    from kg.ntriples import EVIDENCE_FIELDS

    G = nx.MultiDiGraph()
    for iri in sorted(net.nodes, key=lambda i: f"<{i}>"):
        d = net.nodes[iri]
        G.add_node(iri, iri=iri, cls=d["cls"], label=d["label"], aliases=list(d["aliases"]),
                   geonames=d["geonames"], iso=d["iso"], same_as=list(d["same_as"]))
    rank = {p: i for i, p in enumerate(CORE_PREDICATES)}
    keys = sorted((k for k in net.facts if k[1] in rank), key=lambda k: (rank[k[1]], f"<{k[0]}>", f"<{k[2]}>"))
    for s, pred, o in keys:
        fact, evidence = net.facts[(s, pred, o)]
        for n in (s, o):
            if n not in G:
                G.add_node(n, iri=n, cls="Thing", label=local_name(n), aliases=[], geonames=None, iso=None,
                           same_as=[])
        evs = []
        for e in evidence:
            d = dict(zip(EVIDENCE_FIELDS, e))
            d["article_title"], d["article_date"] = net.articles.get(d["article"], (local_name(d["article"]), None))
            evs.append(d)
        evs.sort(key=lambda d: (d.get("article") or "", d.get("start") or 0, d.get("extractor") or ""))
        confs = [e["confidence"] for e in evs if e.get("confidence") is not None]
        G.add_edge(s, o, key=pred, predicate=pred, confidence=max(confs) if confs else None, evidence=evs,
                   fact=fact)
    return G
