"""``kg build PATH... --out DIR``: articles -> graph.ttl (+ store, + graph.html)."""
from __future__ import annotations

import argparse
import os
import sys

from kg.cli.options import add_output
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
    add_output(p, metavar="DIR", aliases=("--out",), required=True, help="output directory (--out works too)")
    p.add_argument("--model", default=DEFAULT_MODEL,
                   help=f"spaCy pipeline name or path (default: {DEFAULT_MODEL}; en_core_web_sm works too)")
    p.add_argument("--extractor", metavar="MODEL",
                   help="fact-scorer model file made by `kg train` (default: the one shipped with kg)")
    p.add_argument("--min-confidence", type=_probability, metavar="P",
                   help="keep only facts whose calibrated probability is at least P (0-1); by default a fact "
                        "a rule proposed is kept and any other candidate needs the model's threshold")
    p.add_argument("--rules-only", action="store_true",
                   help="let the rules decide alone, without the fact scorer")
    p.add_argument("--no-html", action="store_true", help="do not write graph.html")
    p.add_argument("--article-timeout", type=float, default=None, metavar="SECONDS",
                   help="seconds an article may take per 1,000 words (at least that much) before it is "
                        "stopped and reported (default: 10; 0: no limit)")
    p.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                   help="extraction processes at once (default: one per core); the graph is the same for any N")
    p.add_argument("--scheduler", metavar="ADDRESS", default=os.environ.get("KG_DASK_SCHEDULER") or None,
                   help="extract on the Dask cluster whose scheduler is at ADDRESS (tcp://HOST:8786; default: "
                        "$KG_DASK_SCHEDULER); resolution and output stay here. Needs pip install 'kg[dask]'")
    p.add_argument("--quiet", "-q", action="store_true", help="print only errors (and no progress bar)")
    p.add_argument("--verbose", "-v", action="store_true",
                   help="list every file left out (unsupported types, hidden files), not only their counts")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from kg.cli.progress import progress_bar
    from kg.pipeline import build

    def progress(msg: str) -> None:
        if not args.quiet:
            print(f"kg build: {msg}", file=sys.stderr)

    report = build(args.paths, args.output, model=args.model, html=not args.no_html, progress=progress,
                   extractor=args.extractor, min_confidence=args.min_confidence, rules_only=args.rules_only,
                   article_timeout=args.article_timeout, jobs=args.jobs, meter=progress_bar(args.quiet),
                   scheduler=args.scheduler)
    for s in report.skipped:
        print(f"kg build: skipped {s.path}: {s.reason}", file=sys.stderr)
    for d in report.duplicates:
        print(f"kg build: built once: {d.path} is the same as {d.same_as} ({d.why})", file=sys.stderr)
    if not args.quiet:
        print(format_report(report, verbose=args.verbose))
    return 1 if report.skipped else 0


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (1 or more)")
    return value


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a probability between 0 and 1")
    return value


def format_report(report, *, verbose: bool = False) -> str:
    """The build summary. Counters are by content: "reused" are articles whose
    text was already extracted (even from another path), "changed" are
    processed articles the last build had with other text, "removed" are
    articles of the last build that are gone."""
    changed = f", {report.changed} of them changed" if report.changed else ""
    lines = [
        f"articles read: {report.articles} (processed {report.processed}{changed}; reused {report.reused} "
        f"unchanged; removed {report.removed}), skipped: {len(report.skipped)}"
        + (f", duplicates: {len(report.duplicates)}" if report.duplicates else ""),
    ]
    for s in report.skipped:
        lines.append(f"  skipped {s.path}: {s.reason}")
    for d in report.duplicates:
        lines.append(f"  built once: {d.path} is the same as {d.same_as} ({d.why})")
    lines += format_ignored(report.ignored, verbose=verbose)
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


def format_ignored(ignored, *, verbose: bool = False) -> list[str]:
    """Files in the folders that were not read: counted by extension (hidden ones
    apart, as they are left out on purpose), each listed with ``verbose``."""
    from collections import Counter

    if not ignored:
        return []
    unsupported = Counter(i.kind for i in ignored if i.why == "unsupported")
    hidden = sum(1 for i in ignored if i.why == "hidden")
    lines = []
    if unsupported:
        from kg.corpus import supported_extensions

        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(unsupported.items(), key=lambda kv: (-kv[1], kv[0])))
        lines.append(f"not read (no reader for the type; kg reads {', '.join(supported_extensions())}): "
                     f"{sum(unsupported.values())} file(s): {kinds}" + ("" if verbose else "; --verbose lists them"))
    if hidden:
        lines.append(f"hidden files and folders left out on purpose: {hidden}"
                     + ("" if verbose else "; --verbose lists them"))
    if verbose:
        lines += [f"  not read {i.path} ({'unsupported type ' + i.kind if i.why == 'unsupported' else i.why})"
                  for i in ignored if i.why != "output"]
    lines += [f"not read: {i.path}, this build's own output folder" for i in ignored if i.why == "output"]
    return lines
