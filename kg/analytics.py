"""Network figures for a built graph: counts, centrality, components, communities, investment by place.

Everything is computed on the netgraph (``kg.netgraph.to_networkx``), so the
figures describe exactly the nodes and edges the viewer draws and the exports
contain. ``compute_stats`` returns plain data (what ``--format json``
prints); ``format_table`` renders it for a terminal.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

import networkx as nx

from kg.netgraph import Investment
from kg.vocab import CORE_CLASSES, CORE_PREDICATES

#: Places that investment is rolled up to ("provinces and cities that attract the most").
INVESTMENT_PLACE_CLASSES = ("Country", "Province", "City", "District")
#: Edges that put one place inside another, for rolling a city's investment up to its province.
_CONTAINMENT = {"locatedIn", "capitalOf"}


def pagerank(G: nx.MultiDiGraph, alpha: float = 0.85) -> dict[str, float]:
    """PageRank over the fact graph; parallel edges (two predicates between the
    same pair) count as weight. networkx's SciPy implementation does the work."""
    if G.number_of_nodes() == 0:
        return {}
    return nx.pagerank(G, alpha=alpha, tol=1e-10, max_iter=500)


def _entity(G: nx.MultiDiGraph, n: str, **extra: Any) -> dict[str, Any]:
    d = G.nodes[n]
    return {"label": d["label"], "cls": d["cls"], "iri": d["iri"], **extra}


def _number(x: Decimal) -> int | float:
    return int(x) if x == x.to_integral_value() else float(x)


def investment_places(G: nx.MultiDiGraph, inv: Investment, contains: dict[str, set[str]]) -> set[str]:
    """The places an investment counts for: where it goes and every place around that.

    It starts at the ``kg:location`` the text gives, else at the target
    (a place, or a park, plant or company that is ``locatedIn`` a place), and
    follows ``locatedIn`` / ``capitalOf`` up through district, city, province
    and country. Why the target: "Infobird invests 600 million yuan in a
    customer service base" names no place, but the base is ``locatedIn``
    Guiyang, so the money goes to Guiyang and Guizhou.
    """
    start = inv.location if inv.location in G else inv.target if inv.target in G else None
    if start is None:
        return set()
    seen, todo = set(), [start]
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        todo.extend(contains.get(p, ()))
    return {p for p in seen if G.nodes[p]["cls"] in INVESTMENT_PLACE_CLASSES}


def investment_by_place(G: nx.MultiDiGraph, invs: list[Investment], top: int = 10) -> list[dict[str, Any]]:
    """Sum of investment amounts per place and currency, most first within each currency.

    Each investment counts once for every place :func:`investment_places`
    gives (a city's investment counts for its province and country too).
    Amounts in different currencies are never added together.
    """
    contains: dict[str, set[str]] = defaultdict(set)
    for u, v, key in G.edges(keys=True):
        if key in _CONTAINMENT:
            contains[u].add(v)
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    counts: Counter = Counter()
    for inv in invs:
        if inv.amount is None or not inv.currency:
            continue
        for p in investment_places(G, inv, contains):
            totals[(p, inv.currency)] += inv.amount
            counts[(p, inv.currency)] += 1
    rows = [_entity(G, p, currency=cur, amount=_number(amt), investments=counts[(p, cur)])
            for (p, cur), amt in totals.items()]
    rows.sort(key=lambda r: (r["currency"], -r["amount"], r["label"]))
    out, per_cur = [], Counter()
    for r in rows:
        if per_cur[r["currency"]] < top:
            out.append(r)
            per_cur[r["currency"]] += 1
    return out


def compute_stats(G: nx.MultiDiGraph, invs: list[Investment] | None = None, *, top: int = 10,
                  seed: int = 42) -> dict[str, Any]:
    """All the figures of ``kg stats`` as JSON-ready data."""
    if top < 1:
        raise ValueError(f"top must be 1 or more, not {top}")
    invs = invs or []
    cls_count = Counter(d["cls"] for _, d in G.nodes(data=True))
    pred_count = Counter(k for _, _, k in G.edges(keys=True))
    order = lambda names, canon: sorted(names, key=lambda x: (-names[x], canon.index(x) if x in canon else 99, x))  # noqa: E731

    by_degree = sorted(G.nodes, key=lambda n: (-G.degree(n), G.nodes[n]["label"], n))[:top]
    pr = pagerank(G)
    by_pr = sorted(G.nodes, key=lambda n: (-pr[n], G.nodes[n]["label"], n))[:top]

    comps = sorted(nx.weakly_connected_components(G), key=len, reverse=True) if len(G) else []
    simple = nx.Graph()
    simple.add_nodes_from(G)
    for u, v in G.edges():
        if u != v:
            w = simple[u][v]["weight"] + 1 if simple.has_edge(u, v) else 1
            simple.add_edge(u, v, weight=w)
    if simple.number_of_edges():
        communities = nx.community.louvain_communities(simple, weight="weight", seed=seed)
        modularity = nx.community.modularity(simple, communities, weight="weight")
    else:
        communities, modularity = [{n} for n in simple], 0.0
    communities = sorted(communities, key=lambda c: (-len(c), min(G.nodes[n]["label"] for n in c)))

    def members(c: set[str], k: int = 5) -> list[str]:
        return [G.nodes[n]["label"] for n in sorted(c, key=lambda n: (-G.degree(n), G.nodes[n]["label"]))[:k]]

    return {
        "entities": G.number_of_nodes(),
        "facts": G.number_of_edges(),
        "investments": len(invs),
        "classes": {c: cls_count[c] for c in order(cls_count, list(CORE_CLASSES))},
        "predicates": {p: pred_count[p] for p in order(pred_count, list(CORE_PREDICATES))},
        "top_degree": [_entity(G, n, degree=G.degree(n), out_degree=G.out_degree(n), in_degree=G.in_degree(n))
                       for n in by_degree],
        "top_pagerank": [_entity(G, n, pagerank=round(pr[n], 6)) for n in by_pr],
        "components": {
            "count": len(comps),
            "largest": len(comps[0]) if comps else 0,
            "isolated": sum(1 for c in comps if len(c) == 1),
            "sizes": [len(c) for c in comps[:top]],
        },
        "communities": {
            "count": len(communities),
            "modularity": round(modularity, 4),
            "largest": [{"size": len(c), "members": members(c)} for c in communities[:top] if len(c) > 1],
        },
        "investment_by_place": investment_by_place(G, invs, top=top),
    }


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    num = [all(isinstance(r[i], (int, float)) for r in rows) and rows for i in range(len(headers))]
    lines = []
    for j, r in enumerate(cells):
        lines.append("  ".join(c.rjust(w) if num[i] else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4f}" if abs(v) < 1 else f"{v:,.2f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def format_table(stats: dict[str, Any]) -> str:
    """``kg stats`` output for people: one small table per figure."""
    out = [f"{stats['entities']:,} entities, {stats['facts']:,} facts, {stats['investments']:,} investments", ""]
    out += ["Entities by class"] + _table(["class", "entities"], [[c, n] for c, n in stats["classes"].items()]) + [""]
    out += ["Facts by predicate"] + _table(["predicate", "facts"], [[p, n] for p, n in stats["predicates"].items()])
    out += ["", "Top entities by degree"]
    out += _table(["entity", "class", "degree", "out", "in"],
                  [[r["label"], r["cls"], r["degree"], r["out_degree"], r["in_degree"]] for r in stats["top_degree"]])
    out += ["", "Top entities by PageRank"]
    out += _table(["entity", "class", "pagerank"], [[r["label"], r["cls"], r["pagerank"]] for r in stats["top_pagerank"]])
    c = stats["components"]
    out += ["", f"Connected components (weak): {c['count']:,}; largest has {c['largest']:,} entities; "
                f"{c['isolated']:,} isolated entities"]
    m = stats["communities"]
    out += ["", f"Communities (Louvain): {m['count']:,}, modularity {m['modularity']:.3f}"]
    out += _table(["size", "most connected members"], [[r["size"], ", ".join(r["members"])] for r in m["largest"]])
    out += ["", "Investment by place (sum per currency; an investment counts for its target's place and every place around it)"]
    if stats["investment_by_place"]:
        out += _table(["place", "class", "currency", "amount", "investments"],
                      [[r["label"], r["cls"], r["currency"], r["amount"], r["investments"]]
                       for r in stats["investment_by_place"]])
    else:
        out.append("(no investments with an amount and a place)")
    return "\n".join(out) + "\n"
