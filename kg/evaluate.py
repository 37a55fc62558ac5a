"""A built graph against gold annotations (``kg eval``): precision, recall and F1 per predicate.

It reads the graph the way the project's shared scorer does (``SCHEMA.md``): an entity is
an IRI with its ``rdfs:label`` and ``skos:altLabel`` names and its classes; a fact is a
plain triple with a core predicate; it is right when the gold entities its two names
match are a gold fact. Optional gold facts, and what a chain of places implies, count
neither way. Investments are found when one node has the gold investor, the currency and
an amount within 1%. Each fact's confidence (the highest of its evidence) is kept with the
verdict, so the same run gives a reliability table: how often facts of each confidence
band are right.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Dataset, Literal, URIRef
from rdflib.namespace import SKOS

from kg.train import canon, implied_locations, norm, read_gold_dir
from kg.vocab import CORE_CLASSES, CORE_PREDICATES, KG, ONTOLOGY_FILE


def _local(term) -> str:
    s = str(term)
    for sep in ("#", "/", ":"):
        s = s.rsplit(sep, 1)[-1]
    return s


@dataclass
class Scores:
    """What ``kg eval`` prints."""

    gold_facts: int = 0
    extracted: int = 0
    true_positive: int = 0
    false_positive: int = 0
    neutral: int = 0
    entity_recall: float = 0.0
    entity_type_accuracy: float = 0.0
    investment_recall: float | None = None
    per_predicate: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    judged: list[tuple[float, bool]] = field(default_factory=list)     # (confidence, right) per fact
    false_positives: list[tuple[str, str, str]] = field(default_factory=list)
    missed: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        n = self.true_positive + self.false_positive
        return self.true_positive / n if n else 0.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.gold_facts if self.gold_facts else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> str:
        inv = "n/a" if self.investment_recall is None else f"{self.investment_recall:.2f}"
        return (f"triples F1 {self.f1:.3f} P {self.precision:.3f} R {self.recall:.3f} "
                f"(tp {self.true_positive}, fp {self.false_positive}, gold {self.gold_facts}) "
                f"entities R {self.entity_recall:.2f} typed {self.entity_type_accuracy:.2f} investments R {inv}")


def reliability(judged: Sequence[tuple[float, bool]], bins: int = 10) -> tuple[list[tuple[float, float, int, float]], float]:
    """Rows (band low, band high, facts, share right) and the expected calibration error:
    the facts-weighted gap between mean confidence and share right per band."""
    rows = []
    ece = 0.0
    n = len(judged)
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        band = [(c, ok) for c, ok in judged if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if not band:
            continue
        mean_conf = sum(c for c, _ in band) / len(band)
        right = sum(ok for _, ok in band) / len(band)
        rows.append((lo, hi, len(band), right))
        ece += len(band) / n * abs(mean_conf - right)
    return rows, ece


def evaluate(graph_files: Sequence[str | Path], gold_dir: str | Path, *, ontology: str | Path | None = ONTOLOGY_FILE,
             docs: Sequence[str] | None = None) -> Scores:
    """Score the graph in ``graph_files`` against the gold files of ``gold_dir``."""
    golds = read_gold_dir(gold_dir)
    if docs:
        wanted = {Path(d).stem for d in docs}
        golds = {k: g for k, g in golds.items() if k in wanted}
    names: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    required: set[tuple[str, str, str]] = set()
    optional: set[tuple[str, str, str]] = set()
    investments: list[dict] = []
    for g in golds.values():
        for n, ids in g.names.items():
            names[n] |= ids
        for eid, t in g.types.items():
            types[eid] |= t
        required |= g.required
        optional |= g.optional
        investments += g.investments
    optional = (optional | implied_locations(required | optional)) - required

    graph = Dataset(default_union=True)
    for f in [*graph_files, *([ontology] if ontology else [])]:
        graph.parse(str(f), format="trig" if str(f).endswith((".trig", ".nq")) else "turtle")
    parents: dict = defaultdict(set)
    for c, _, sup in graph.triples((None, RDFS.subClassOf, None)):
        parents[c].add(sup)

    def core(cls) -> set[str]:
        out, stack, seen = set(), [cls], set()
        while stack:
            c = stack.pop()
            if c not in seen:
                seen.add(c)
                if _local(c) in CORE_CLASSES:
                    out.add(_local(c))
                stack.extend(parents.get(c, ()))
        return out

    ent_names: dict = defaultdict(set)
    ent_types: dict = defaultdict(set)
    for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel):
        for s, _, o in graph.triples((None, prop, None)):
            if isinstance(s, URIRef) and isinstance(o, Literal):
                ent_names[s].add(norm(str(o)))
    for s, _, c in graph.triples((None, RDF.type, None)):
        if isinstance(s, URIRef):
            ent_types[s] |= core(c)
    ids = {iri: set().union(*(names.get(n, set()) for n in ns)) for iri, ns in ent_names.items()}

    out = Scores(gold_facts=len(required))
    needed = {x for s, _, o in required for x in (s, o)}
    found, typed = set(), set()
    for iri, gids in ids.items():
        for eid in gids & needed:
            found.add(eid)
            if ent_types[iri] & types[eid]:
                typed.add(eid)
    out.entity_recall = len(found) / len(needed) if needed else 0.0
    out.entity_type_accuracy = len(typed) / len(found) if found else 0.0

    confidence: dict[tuple, float] = {}
    for fact in graph.subjects(RDF.type, KG.Fact):
        key = (graph.value(fact, RDF.subject), _local(graph.value(fact, RDF.predicate)), graph.value(fact, RDF.object))
        for ev in graph.objects(fact, KG.evidence):
            c = graph.value(ev, KG.confidence)
            if c is not None:
                confidence[key] = max(confidence.get(key, 0.0), float(c))
    extracted = {(s, _local(p), o) for s, p, o in graph.triples((None, None, None))
                 if _local(p) in CORE_PREDICATES and isinstance(s, URIRef) and isinstance(o, URIRef)}
    out.extracted = len(extracted)
    hits: set[tuple[str, str, str]] = set()
    for s, p, o in sorted(extracted):
        cands = {canon(a, p, b) for a in ids.get(s, ()) for b in ids.get(o, ())}
        pred = canon("a", p, "b")[1]
        conf = confidence.get((s, p, o), 1.0)
        if cands & required:
            hits |= cands & required
            out.judged.append((conf, True))
        elif cands & optional:
            out.neutral += 1
        else:
            out.false_positive += 1
            out.per_predicate[pred][1] += 1
            out.false_positives.append((_show(ent_names, s), p, _show(ent_names, o)))
            out.judged.append((conf, False))
    out.true_positive = len(hits)
    for f in hits:
        out.per_predicate[f[1]][0] += 1
    for f in sorted(required - hits):
        out.per_predicate[f[1]][2] += 1
        out.missed.append(f)

    if investments:
        nodes = []
        for node in graph.subjects(RDF.type, KG.Investment):
            inv_ids = set().union(*(ids.get(i, set()) for i in graph.objects(node, KG.investor)))
            amounts = [float(a) for a in graph.objects(node, KG.amount)]
            currencies = {str(c) for c in graph.objects(node, KG.currency)}
            nodes.append((inv_ids, amounts, currencies))
        got = sum(1 for inv in investments if any(
            inv["investor"] in i and inv["currency"] in c and any(abs(a - inv["amount"]) <= 0.01 * inv["amount"] for a in am)
            for i, am, c in nodes))
        out.investment_recall = got / len(investments)
    return out


def _show(ent_names: dict, iri) -> str:
    ns = sorted(ent_names.get(iri, ()))
    return ns[0] if ns else _local(iri)

