"""Exports of the entity network for Gephi and other network tools: GraphML, GEXF, node-link JSON.

The pure transform (``export_bytes``) sits beside the I/O wrapper
(``write_export``, a path or an open binary file). GraphML and GEXF take only
scalar attributes, so lists (aliases, sameAs) are joined with `` | ``; an
edge's evidence becomes parallel `` | ``-joined attributes (``evidence``: the
sentences, ``evidence_article``: article titles, ``evidence_date``: their
dates, ``evidence_confidence``), in the same order, so Gephi's data table shows
why a fact is there. The JSON keeps everything as lists.
"""
from __future__ import annotations

import io
import json
from pathlib import Path
from typing import IO, Any, Callable

import networkx as nx
from networkx.readwrite import json_graph

from kg.errors import KGError
from kg.io import atomic_write_bytes

LIST_SEP = " | "


class ExportError(KGError):
    """An export was asked for in a format we do not write."""


def _scalar(text: object) -> str:
    """One line, without the list separator inside it (a sentence may hold " | ")."""
    return " ".join(str(text).split()).replace(LIST_SEP, " / ") if text is not None else ""


def evidence_attributes(evidence: list[dict[str, Any]]) -> dict[str, Any]:
    """An edge's evidence as scalar attributes for GraphML and GEXF."""
    def join(key: str) -> str:
        return LIST_SEP.join(_scalar(e.get(key)) for e in evidence)

    confs = [e.get("confidence") for e in evidence]
    return {
        "evidence_count": len(evidence),
        "evidence": join("sentence"),
        "evidence_article": join("article_title"),
        "evidence_date": join("article_date"),
        "evidence_confidence": LIST_SEP.join("" if c is None else f"{float(c):.3f}" for c in confs),
    }


def flat_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with only string/number attributes (no None, no lists), as GraphML and GEXF need."""
    H = nx.MultiDiGraph()
    for n, d in G.nodes(data=True):
        H.add_node(n, label=d["label"], cls=d["cls"], iri=d["iri"], aliases=LIST_SEP.join(d.get("aliases", [])),
                   geonames=d.get("geonames") or "", iso=d.get("iso") or "",
                   same_as=LIST_SEP.join(d.get("same_as", [])), degree=G.degree(n))
    for u, v, k, d in G.edges(keys=True, data=True):
        conf = d.get("confidence")
        H.add_edge(u, v, key=k, predicate=d["predicate"], label=d["predicate"],
                   confidence=float(conf) if conf is not None else -1.0,
                   **evidence_attributes(d.get("evidence", [])))
    H.graph["description"] = "kg entity network: nodes are entities (cls = class), edges are facts (predicate)"
    return H


def _graphml(G: nx.MultiDiGraph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(flat_graph(G), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def _gexf(G: nx.MultiDiGraph) -> bytes:
    buf = io.BytesIO()
    nx.write_gexf(flat_graph(G), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def _json(G: nx.MultiDiGraph) -> bytes:
    data = json_graph.node_link_data(G, edges="links")
    return (json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n").encode("utf-8")


EXPORTERS: dict[str, Callable[[nx.MultiDiGraph], bytes]] = {"graphml": _graphml, "gexf": _gexf, "json": _json}


def export_bytes(G: nx.MultiDiGraph, fmt: str) -> bytes:
    """``G`` in format ``fmt`` (one of ``EXPORTERS``)."""
    try:
        fn = EXPORTERS[fmt]
    except KeyError:
        raise ExportError(f"unknown export format {fmt!r}; choose one of: {', '.join(EXPORTERS)}") from None
    return fn(G)


def write_export(G: nx.MultiDiGraph, fmt: str, out: str | Path | IO[bytes]) -> None:
    """Write the export to a path (atomically) or to an open binary file (e.g. stdout's buffer)."""
    data = export_bytes(G, fmt)
    if isinstance(out, (str, Path)):
        atomic_write_bytes(out, data)
    else:
        out.write(data)
        out.flush()


def read_json(data: str | bytes) -> nx.MultiDiGraph:
    """Read our node-link JSON back (for tests and notebooks)."""
    obj: Any = json.loads(data)
    return json_graph.node_link_graph(obj, directed=True, multigraph=True, edges="links")
