"""``kg train`` and ``kg eval``: adapt the fact scorer to annotated articles, and measure a build."""
from __future__ import annotations

import argparse
import json

from kg.nlp import DEFAULT_MODEL


def register(sub: argparse._SubParsersAction) -> None:
    t = sub.add_parser(
        "train",
        help="train the fact scorer on annotated articles",
        description="Parse the articles, align the rules' candidate facts with the gold (one JSON file per "
                    "article in the SCHEMA.md format) and write a calibrated fact-scorer model file; "
                    "`kg build --extractor MODEL` uses it.",
    )
    t.add_argument("--gold", required=True, metavar="DIR", help="folder of gold JSON files")
    t.add_argument("--articles", required=True, metavar="DIR", help="folder of the articles the gold annotates")
    t.add_argument("--output", "-o", required=True, metavar="MODEL", help="model file to write (JSON)")
    t.add_argument("--model", default=DEFAULT_MODEL, help=f"spaCy pipeline (default: {DEFAULT_MODEL})")
    t.add_argument("--c", type=float, default=None, metavar="C",
                   help="inverse regularisation strength of the logistic regression (default: the shipped model's)")
    t.add_argument("--threshold", type=float, default=None, metavar="P",
                   help="default probability a candidate no rule proposed needs (default: the shipped model's)")
    t.set_defaults(func=run_train)

    e = sub.add_parser(
        "eval",
        help="score a built graph against gold annotations",
        description="Precision, recall and F1 per predicate of DIR/graph.ttl (or a graph file) against a folder "
                    "of gold JSON files, with entity and investment recall and a reliability table of the "
                    "facts' confidences, the way the project's shared scorer counts them.",
    )
    e.add_argument("graph", metavar="OUT", help="a build's output folder, or a graph file (.ttl, .trig, .nq)")
    e.add_argument("--gold", required=True, metavar="DIR", help="folder of gold JSON files")
    e.add_argument("--show-errors", type=int, default=0, metavar="N", help="print N false positives and misses")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")
    e.set_defaults(func=run_eval)


def run_train(args: argparse.Namespace) -> int:
    from kg.extract.scorer import load_model
    from kg.train import DEFAULT_C, train

    shipped = load_model()
    c = args.c if args.c is not None else float((shipped.meta if shipped else {}).get("C", DEFAULT_C))
    model = train(args.articles, args.gold, model=args.model, c=c)
    if args.threshold is not None:
        model.threshold = args.threshold
    elif shipped is not None:
        model.threshold, model.rule_floor = shipped.threshold, shipped.rule_floor
    path = model.save(args.output)
    m = model.meta
    print(f"kg train: {m['articles']} articles, {m['examples']} candidates ({m['positives']} true), "
          f"{m['features']} features; threshold {model.threshold}; wrote {path}")
    return 0


def run_eval(args: argparse.Namespace) -> int:
    from pathlib import Path

    from kg.errors import KGError
    from kg.evaluate import evaluate, reliability

    graph = Path(args.graph)
    if graph.is_dir():
        graph = graph / "graph.ttl"
    if not graph.is_file():
        raise KGError(f"{args.graph}: no graph there (give a build's output folder or a .ttl file)")
    s = evaluate([graph], args.gold)
    rows, ece = reliability(s.judged)
    if args.json:
        print(json.dumps({"f1": s.f1, "precision": s.precision, "recall": s.recall, "gold_facts": s.gold_facts,
                          "true_positive": s.true_positive, "false_positive": s.false_positive,
                          "entity_recall": s.entity_recall, "entity_type_accuracy": s.entity_type_accuracy,
                          "investment_recall": s.investment_recall, "expected_calibration_error": ece,
                          "per_predicate": {p: dict(zip(("tp", "fp", "fn"), v)) for p, v in sorted(s.per_predicate.items())}},
                         indent=2))
        return 0
    if args.show_errors:
        print("false positives:")
        for f in s.false_positives[:args.show_errors]:
            print("  {} --{}--> {}".format(*f))
        print("missed:")
        for f in s.missed[:args.show_errors]:
            print("  {} --{}--> {}".format(*f))
    print(f"{'predicate':<18}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>7}{'R':>7}{'F1':>7}")
    for p, (tp, fp, fn) in sorted(s.per_predicate.items()):
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        print(f"{p:<18}{tp:>5}{fp:>5}{fn:>5}{pr:>7.2f}{rc:>7.2f}{f1:>7.2f}")
    print("confidence    facts  right")
    for lo, hi, n, right in rows:
        print(f"  {lo:.1f}-{hi:.1f}   {n:>5}  {right:>5.2f}")
    print(f"expected calibration error {ece:.3f}")
    print(s.summary())
    return 0
