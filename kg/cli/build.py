"""``kg build PATH... --out DIR``: articles -> graph.ttl (+ store, + graph.html)."""
from __future__ import annotations

import argparse
import sys

from kg.nlp import DEFAULT_MODEL


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build",
        help="build the knowledge graph from article files and folders",
        description="Read .txt, .md, .html and .jsonl articles (files or folders), extract entities, "
                    "facts and investments with their evidence, and write DIR/graph.ttl. A second build "
                    "into the same DIR re-processes only articles that changed.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    p.add_argument("--out", "-o", required=True, metavar="DIR", help="output directory")
    p.add_argument("--model", default=DEFAULT_MODEL,
                   help=f"spaCy pipeline name or path (default: {DEFAULT_MODEL}; en_core_web_sm works too)")
    p.add_argument("--no-html", action="store_true", help="do not write graph.html")
    p.add_argument("--article-timeout", type=float, default=None, metavar="SECONDS",
                   help="seconds an article may take per 1,000 words (at least that much) before it is "
                        "stopped and reported (default: 10; 0: no limit)")
    p.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.pipeline import build

    def progress(msg: str) -> None:
        if not args.quiet:
            print(f"kg build: {msg}", file=sys.stderr)

    report = build(args.paths, args.out, model=args.model, html=not args.no_html, progress=progress,
                   article_timeout=args.article_timeout)
    for s in report.skipped:
        print(f"kg build: skipped {s.path}: {s.reason}", file=sys.stderr)
    if not args.quiet:
        print(format_report(report))
    return 1 if report.skipped else 0


def format_report(report) -> str:
    lines = [
        f"articles read: {report.articles} (processed {report.processed}, cached {report.articles - report.processed}, "
        f"removed {report.removed}), skipped: {len(report.skipped)}",
    ]
    for s in report.skipped:
        lines.append(f"  skipped {s.path}: {s.reason}")
    lines.append("entities by class:")
    for cls, n in sorted(report.entities_by_class.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {cls:<22}{n:>6}")
    lines.append("facts by predicate:")
    for p, n in sorted(report.facts_by_predicate.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {p:<22}{n:>6}")
    lines.append(f"investments: {report.investments}   triples: {report.triples}")
    for kind, path in report.outputs.items():
        lines.append(f"{kind}: {path}")
    lines.append(f"elapsed: {report.elapsed:.1f} s")
    return "\n".join(lines)
