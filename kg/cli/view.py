"""``kg view``, ``kg stats`` and ``kg export``: the built graph as a page, as figures, as a network file."""
from __future__ import annotations

import argparse
import json
import sys
import webbrowser

from kg.cli.options import add_format, add_output
from kg.errors import KGError


class UsageError(KGError):
    """Options that do not make sense together."""


def _count(minimum: int):
    """An argparse type for integers of at least ``minimum``, with a message that names the bad value."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more, not {value}")
        return value
    return parse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "view", help="write the interactive HTML view of a built graph",
        description="Write an interactive page (vis-network, works offline) for the graph built in DIR. "
                    "The whole graph goes to DIR/graph.html; with --focus or --max-nodes the page goes to "
                    "DIR/view.html unless -o says otherwise.")
    p.add_argument("dir", metavar="DIR", help="output directory of `kg build ... --out DIR`")
    p.add_argument("--focus", metavar="ENTITY", help="show only the neighbourhood of this entity (any of its names, or its IRI)")
    p.add_argument("--depth", type=_count(0), default=None, metavar="N",
                   help="with --focus: how many steps out (default 1)")
    p.add_argument("--max-nodes", type=_count(1), metavar="N", help="keep the N most connected entities; the page says what it left out")
    add_output(p, help="where to write the page")
    p.add_argument("--open", action="store_true", help="open the page in the default web browser")
    p.set_defaults(func=run_view)

    p = sub.add_parser("stats", help="network figures of a built graph",
                       description="Counts by class and predicate, top entities by degree and PageRank, "
                                   "connected components, Louvain communities, and the places that attract "
                                   "the most investment (summed per currency).")
    p.add_argument("dir", metavar="DIR", help="output directory of `kg build ... --out DIR`")
    add_format(p, ("table", "json"), default="table")
    add_output(p, help="write the figures to FILE instead of standard output")
    p.add_argument("--top", type=_count(1), default=10, metavar="N", help="rows in each ranking (default 10)")
    p.set_defaults(func=run_stats)

    p = sub.add_parser("export", help="export the entity network for Gephi and other network tools",
                       description="Export entities (nodes: label, cls, aliases, geonames, iso, iri) and facts "
                                   "(edges: predicate, confidence, evidence) as GraphML, GEXF or node-link JSON.")
    p.add_argument("dir", metavar="DIR", help="output directory of `kg build ... --out DIR`")
    add_format(p, ("graphml", "gexf", "json"), required=True, help="file format")
    add_output(p, help="write here instead of standard output")
    p.set_defaults(func=run_export)


def run_view(args: argparse.Namespace) -> int:
    from kg.view import view

    if args.depth is not None and not args.focus:
        raise UsageError(f"--depth {args.depth} needs --focus ENTITY: the depth counts steps out from that "
                         f"entity (for a smaller whole-graph view use --max-nodes N)")
    depth = 1 if args.depth is None else args.depth
    path, sel = view(args.dir, args.output, focus=args.focus, depth=depth, max_nodes=args.max_nodes)
    shown = sel.graph
    print(f"wrote {path} ({shown.number_of_nodes():,} entities, {shown.number_of_edges():,} facts)")
    if sel.notice:
        print(sel.notice)
    if args.open:
        webbrowser.open(path.resolve().as_uri())
    return 0


def run_stats(args: argparse.Namespace) -> int:
    from kg.analytics import compute_stats, format_table
    from kg.netgraph import investments, load_triples, to_networkx

    g = load_triples(args.dir)
    stats = compute_stats(to_networkx(g), investments(g), top=args.top)
    text = json.dumps(stats, ensure_ascii=False, indent=2) + "\n" if args.format == "json" else format_table(stats)
    if args.output:
        from kg.io import atomic_write_text

        atomic_write_text(args.output, text)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def run_export(args: argparse.Namespace) -> int:
    from kg.export import write_export
    from kg.netgraph import load_triples, to_networkx

    G = to_networkx(load_triples(args.dir))
    if args.output:
        write_export(G, args.format, args.output)
        print(f"wrote {args.output} ({G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges)", file=sys.stderr)
    else:
        write_export(G, args.format, sys.stdout.buffer)
    return 0
