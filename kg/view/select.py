"""Which part of the graph a page shows: all of it, one entity's neighbourhood, or the most connected.

A browser draws a few thousand nodes comfortably; beyond that the page is cut
down here, in Python, and the page says what it left out (``Selection.notice``)
so nobody mistakes a partial view for the whole graph.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

import networkx as nx

from kg.errors import KGError
from kg.netgraph import all_names, find_entities


class ViewError(KGError):
    """The view cannot be made as asked (unknown entity, bad option, graph too large)."""


@dataclass
class Selection:
    """The part of the graph shown, and how it relates to the whole."""

    graph: nx.MultiDiGraph
    total_nodes: int
    total_edges: int
    focus: str | None = None        # node id of the focused entity
    depth: int | None = None
    max_nodes: int | None = None

    @property
    def omitted_nodes(self) -> int:
        return self.total_nodes - self.graph.number_of_nodes()

    @property
    def omitted_edges(self) -> int:
        return self.total_edges - self.graph.number_of_edges()

    @property
    def notice(self) -> str | None:
        """One sentence for the page when it does not show the whole graph."""
        parts = []
        shown = self.graph.number_of_nodes()
        if self.focus is not None:
            label = self.graph.nodes[self.focus]["label"]
            parts.append(f"Neighbourhood of {label} within {self.depth} step(s).")
        if self.max_nodes is not None and self.omitted_nodes:
            parts.append(f"Kept the {shown:,} most connected entities (--max-nodes {self.max_nodes}).")
        if not self.omitted_nodes and not self.omitted_edges:
            return " ".join(parts) or None
        parts.append(f"Showing {shown:,} of {self.total_nodes:,} entities and "
                     f"{self.graph.number_of_edges():,} of {self.total_edges:,} facts; left out "
                     f"{self.omitted_nodes:,} entities and {self.omitted_edges:,} facts.")
        return " ".join(parts)


def resolve_entity(G: nx.MultiDiGraph, name: str) -> str:
    """The node named ``name`` (IRI, label or alias), or a ViewError that suggests names."""
    found = find_entities(G, name)
    if found:
        return found[0]
    close = difflib.get_close_matches(name, all_names(G), n=5, cutoff=0.6)
    if not close:
        low = name.casefold()
        close = [n for n in all_names(G) if low in n.casefold()][:5]
    hint = f"; did you mean: {', '.join(repr(c) for c in close)}?" if close else \
        "; run `kg stats DIR` to list the most connected entities"
    raise ViewError(f"no entity named {name!r} in the graph{hint}")


def most_connected(G: nx.MultiDiGraph, n: int) -> list[str]:
    """The ``n`` nodes of highest degree; ties broken by label so the choice is stable."""
    return sorted(G.nodes, key=lambda v: (-G.degree(v), G.nodes[v]["label"], v))[:n]


def select(G: nx.MultiDiGraph, *, focus: str | None = None, depth: int = 1,
           max_nodes: int | None = None) -> Selection:
    """Cut ``G`` down to the neighbourhood of ``focus`` and/or the ``max_nodes`` most connected.

    With both, the neighbourhood is cut, and the focused entity is always kept.
    """
    if depth < 0:
        raise ViewError(f"--depth must be 0 or more, not {depth}")
    if max_nodes is not None and max_nodes < 1:
        raise ViewError(f"--max-nodes must be 1 or more, not {max_nodes}")
    total_n, total_e = G.number_of_nodes(), G.number_of_edges()
    sub = G
    node = None
    if focus is not None:
        node = resolve_entity(G, focus)
        keep = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), node, cutoff=depth)
        sub = G.subgraph(keep)
    if max_nodes is not None and sub.number_of_nodes() > max_nodes:
        keep_list = most_connected(sub, max_nodes)
        if node is not None and node not in keep_list:
            keep_list = [node, *keep_list[:-1]]
        sub = sub.subgraph(keep_list)
    return Selection(graph=sub, total_nodes=total_n, total_edges=total_e, focus=node,
                     depth=depth if focus is not None else None,
                     max_nodes=max_nodes)
