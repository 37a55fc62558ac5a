"""The interactive viewer: an RDF graph -> one HTML page that works with no network.

``write_html(ds, path)`` is what ``kg build`` calls to write ``DIR/graph.html``;
``view(DIR, ...)`` is ``kg view``: the same page for a built directory, or for
the neighbourhood of one entity (``focus``/``depth``), or for the most
connected entities (``max_nodes``). Modules: ``select`` (which part to show),
``page`` (data and HTML), ``template`` (the page's HTML, CSS and JS).
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx
from rdflib import Graph

from kg.io import atomic_writer
from kg.netgraph import Triples, load_triples, to_networkx
from kg.view.page import OVERVIEW_EDGES, OVERVIEW_NODES, render_html, write_html_page
from kg.view.select import Selection, ViewError, select

__all__ = ["write_html", "view", "render_html", "select", "select_for_page", "Selection", "ViewError",
           "MAX_PAGE_NODES", "MAX_PAGE_EDGES", "OVERVIEW_NODES", "OVERVIEW_EDGES"]

#: The largest page ``kg view`` writes without --max-nodes or --focus. Above
#: OVERVIEW_NODES the page already opens on an overview by class; beyond this
#: even the embedded data makes the page slow to open.
MAX_PAGE_NODES = 20000
MAX_PAGE_EDGES = 60000


def _as_networkx(source: Graph | Triples | nx.MultiDiGraph) -> nx.MultiDiGraph:
    return source if isinstance(source, nx.MultiDiGraph) else to_networkx(source)


def _too_large(G: nx.MultiDiGraph) -> bool:
    return G.number_of_nodes() > MAX_PAGE_NODES or G.number_of_edges() > MAX_PAGE_EDGES


def select_for_page(G: nx.MultiDiGraph, *, focus: str | None = None, depth: int = 1,
                    max_nodes: int | None = None, refuse_large: bool = True) -> Selection:
    """Pick what the page shows, keeping it within what one page can hold.

    Too large, with nothing chosen by the caller: refuse with advice
    (``refuse_large``, for a person at ``kg view``), or keep the most
    connected entities and say so in the page (for ``kg build``, which must
    not fail because of its view).
    """
    sel = select(G, focus=focus, depth=depth, max_nodes=max_nodes)
    if not _too_large(sel.graph):
        return sel
    what = "neighbourhood" if focus is not None else "graph"
    if refuse_large and max_nodes is None:
        raise ViewError(
            f"the {what} has {sel.graph.number_of_nodes():,} entities and {sel.graph.number_of_edges():,} facts, "
            f"more than one page can show ({MAX_PAGE_NODES:,} entities / {MAX_PAGE_EDGES:,} facts); use "
            f"--max-nodes N (say {OVERVIEW_NODES}) to keep the most connected"
            + (", or a smaller --depth" if focus is not None else ", or --focus NAME --depth 1 for one neighbourhood"))
    limit = min(max_nodes or MAX_PAGE_NODES, MAX_PAGE_NODES)
    while True:
        sel = select(G, focus=focus, depth=depth, max_nodes=limit)
        if not _too_large(sel.graph) or limit <= 1:
            return sel
        limit //= 2


def write_html(source: Graph | Triples | nx.MultiDiGraph, path: str | Path, *, focus: str | None = None,
               depth: int = 1, max_nodes: int | None = None, title: str | None = None,
               refuse_large: bool = False) -> Path:
    """Write the viewer page for ``source`` (rdflib Graph/Dataset, :class:`kg.netgraph.Triples`
    or netgraph graph) to ``path``.

    This is what ``kg build`` calls for ``DIR/graph.html``; a graph too large
    for one page is cut to its most connected entities, and the page says so.
    """
    G = _as_networkx(source)
    sel = select_for_page(G, focus=focus, depth=depth, max_nodes=max_nodes, refuse_large=refuse_large)
    p = Path(path)
    with atomic_writer(p) as fh:
        write_html_page(G, fh, sel, title=title or f"kg graph: {p.parent.name or p.stem}")
    return p


def view(out_dir: str | Path, output: str | Path | None = None, *, focus: str | None = None,
         depth: int = 1, max_nodes: int | None = None) -> tuple[Path, Selection]:
    """``kg view``: write the page for a built directory; return its path and what it shows.

    The whole graph goes to ``DIR/graph.html`` (what ``kg build`` writes and
    ``kg serve`` serves); a focused or cut view goes to ``DIR/view.html`` so
    it never replaces the full page by accident. Too large a graph is refused
    with advice rather than written as a page that hangs the browser.
    """
    d = Path(out_dir)
    G = to_networkx(load_triples(d))
    sel = select_for_page(G, focus=focus, depth=depth, max_nodes=max_nodes, refuse_large=True)
    if output is None:
        output = d / ("graph.html" if focus is None and max_nodes is None else "view.html")
    p = Path(output)
    title = f"kg graph: {d.resolve().name}"
    if sel.focus is not None:
        title += f" around {sel.graph.nodes[sel.focus]['label']}"
    with atomic_writer(p) as fh:
        write_html_page(G, fh, sel, title=title)
    return p, sel
