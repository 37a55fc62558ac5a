"""networkx graph -> one self-contained HTML page (vis-network inline, data as JSON).

pyvis's own templates load Bootstrap and more from CDNs whatever
``cdn_resources`` says (pyvis issues #228, #229), so the page is written here
instead, around the vis-network files that ship inside the pyvis wheel.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import html
import io
import json
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import IO, Any

import networkx as nx

from kg.errors import KGError
from kg.view.select import Selection
from kg.view.template import CSS, HTML, JS
from kg.vocab import CORE_CLASSES, CORE_PREDICATES

VIS_VERSION = "9.1.2"
_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")

#: One colour per class; related classes share a hue (organisations blue/green, places warm).
CLASS_COLORS = {
    "Organization": "#90caf9", "Company": "#42a5f5", "GovernmentBody": "#7e57c2",
    "ResearchInstitution": "#26a69a", "Incubator": "#9ccc65", "Person": "#f48fb1",
    "Country": "#b71c1c", "Province": "#ef6c00", "City": "#ffb300", "District": "#ffe082",
    "IndustrialPark": "#8d6e63", "Facility": "#78909c", "Event": "#ec407a", "Sector": "#66bb6a",
    "Thing": "#bdbdbd",
}

#: Above these sizes the page opens on an overview by class instead of every entity:
#: vis-network stays smooth "for up to a few thousand nodes and edges".
OVERVIEW_NODES = 3000
OVERVIEW_EDGES = 8000
#: The smallest on-screen font size (CSS px) at which a node label is drawn: below
#: it a label is unreadable clutter over the dense core (at the opening zoom of the
#: seed graph most labels were about 5 px). Zooming in brings labels in as they pass it.
LEGIBLE_PX = 10


class AssetError(KGError):
    """vis-network's files are missing from the installed pyvis package."""


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet, read from the installed pyvis wheel."""
    base = resources.files("pyvis") / "templates" / "lib" / f"vis-{VIS_VERSION}"
    try:
        js = (base / "vis-network.min.js").read_text(encoding="utf-8")
        css = (base / "vis-network.css").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as err:
        raise AssetError(f"vis-network {VIS_VERSION} not found in the pyvis package ({err}); "
                         "reinstall with `pip install pyvis==0.3.2`") from err
    return js, css


def script_json(data: Any) -> str:
    """JSON that is safe inside ``<script>``: no ``</script>``, ``<!--`` or ``&`` can appear.

    Escaping every ``<``, ``>`` and ``&`` as ``\\u00XX`` keeps the JSON valid
    and leaves nothing the HTML parser could take for markup.
    """
    return _safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def _safe(text: str) -> str:
    # each replacement is of one character by text without any of the five, so escaping
    # pieces of a JSON text one by one gives the escaped whole
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def write_script_json(data: dict[str, Any], out: IO[str]) -> None:
    """:func:`script_json` of ``data`` written to ``out`` a list item at a time: the same text,
    without the whole of it in memory at once (the data of a page of 20,000 entities is some
    60 million characters, and each step of escaping copied it)."""
    dump = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
    out.write("{")
    for n, (key, value) in enumerate(data.items()):
        out.write(("," if n else "") + _safe(dump(key)) + ":")
        if not isinstance(value, list):
            out.write(_safe(dump(value)))
            continue
        out.write("[")
        for i, item in enumerate(value):
            out.write(("," if i else "") + _safe(dump(item)))
        out.write("]")
    out.write("}")


def _order(names: set[str], canonical: tuple[str, ...]) -> list[str]:
    rank = {n: i for i, n in enumerate(canonical)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


def page_data(sel: Selection, *, title: str) -> dict[str, Any]:
    """What the page's script reads: nodes, edges, legend, and what was left out."""
    G = sel.graph
    ids = {n: i for i, n in enumerate(sorted(G.nodes, key=lambda n: (G.nodes[n]["label"], n)))}
    nodes = []
    for n, i in ids.items():
        d = G.nodes[n]
        nodes.append({"id": i, "iri": d["iri"], "label": d["label"], "cls": d["cls"],
                      "aliases": list(d["aliases"]), "geonames": d.get("geonames"), "iso": d.get("iso"),
                      "sameAs": list(d.get("same_as", [])), "degree": G.degree(n)})
    edges = []
    for j, (u, v, key, d) in enumerate(sorted(G.edges(keys=True, data=True),
                                               key=lambda t: (ids[t[0]], ids[t[1]], t[2]))):
        edges.append({"id": j, "from": ids[u], "to": ids[v], "predicate": d["predicate"],
                      "confidence": d.get("confidence"),
                      "evidence": [{"sentence": e.get("sentence"), "article": e.get("article"),
                                    "articleTitle": e.get("article_title"), "articleDate": e.get("article_date"),
                                    "confidence": e.get("confidence"),
                                    "extractor": e.get("extractor"), "role": e.get("role")}
                                   for e in d.get("evidence", [])]})
    cls_count = Counter(n["cls"] for n in nodes)
    pred_count = Counter(e["predicate"] for e in edges)
    overview = len(nodes) > OVERVIEW_NODES or len(edges) > OVERVIEW_EDGES
    notice = sel.notice
    if overview:
        extra = (f"{len(nodes):,} entities are more than a browser lays out smoothly, so the page opens on an "
                 "overview by class: search for an entity or double-click a class to explore, or run "
                 "`kg view DIR --focus NAME` / `--max-nodes N` for a smaller page.")
        notice = f"{notice} {extra}" if notice else extra
    return {
        "title": title,
        "mode": "overview" if overview else "full",
        "notice": notice,
        "totalNodes": sel.total_nodes,
        "totalEdges": sel.total_edges,
        "focus": ids.get(sel.focus) if sel.focus is not None else None,
        "isolated": sum(1 for n in nodes if n["degree"] == 0),
        "legiblePx": LEGIBLE_PX,
        "classes": [{"name": c, "color": CLASS_COLORS.get(c, CLASS_COLORS["Thing"]), "count": cls_count[c]}
                    for c in _order(set(cls_count), (*CORE_CLASSES, "Thing"))],
        "predicates": [{"name": p, "count": pred_count[p]} for p in _order(set(pred_count), CORE_PREDICATES)],
        "nodes": nodes,
        "edges": edges,
    }


def _sha256(text: str) -> str:
    """The CSP hash of an inline script: base64 of the SHA-256 of its exact text."""
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def render_page(data: dict[str, Any]) -> str:
    """The HTML document for ``page_data``'s output."""
    buf = io.StringIO()
    write_page(data, buf)
    return buf.getvalue()


def write_page(data: dict[str, Any], out: IO[str]) -> None:
    """:func:`render_page` written to ``out`` piece by piece (the data with
    :func:`write_script_json`), so the page is never a string in memory."""
    from kg import __version__

    vis_js, vis_css = vis_assets()
    # Inline <script>/<style> bodies must not contain their closing tags.
    if "</script" in vis_js.lower() or "</style" in vis_css.lower():
        raise AssetError("vis-network's files contain a closing tag and cannot be inlined")
    values = {
        "SCRIPT_HASHES": " ".join(f"'sha256-{_sha256(text)}'" for text in (vis_js, JS)),
        "VERSION": html.escape(__version__), "TITLE": html.escape(data["title"]),
        "CSS": CSS, "JS": JS, "VIS_CSS": vis_css, "VIS_JS": vis_js,
    }
    # One pass over the template: text put in (article text in DATA) is never scanned for placeholders.
    pos = 0
    for m in _PLACEHOLDER.finditer(HTML):
        out.write(HTML[pos:m.start()])
        if m.group(1) == "DATA":
            write_script_json(data, out)
        else:
            out.write(values[m.group(1)])
        pos = m.end()
    out.write(HTML[pos:])


def render_html(G: nx.MultiDiGraph, sel: Selection | None = None, *, title: str = "kg graph") -> str:
    """The page for ``G`` (or for the part ``sel`` picked of it)."""
    return render_page(page_data(_selection(G, sel), title=title))


def write_html_page(G: nx.MultiDiGraph, out: IO[str], sel: Selection | None = None, *,
                    title: str = "kg graph") -> None:
    """:func:`render_html` written to ``out`` (what ``kg build`` and ``kg view`` do)."""
    write_page(page_data(_selection(G, sel), title=title), out)


def _selection(G: nx.MultiDiGraph, sel: Selection | None) -> Selection:
    if sel is None:
        sel = Selection(graph=G, total_nodes=G.number_of_nodes(), total_edges=G.number_of_edges())
    return sel
