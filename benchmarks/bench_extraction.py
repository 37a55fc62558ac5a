"""Extraction quality and speed, side by side in one run.

    .venv/bin/python benchmarks/bench_extraction.py [--rules-only-too]

Builds four annotated sets with the shipped fact scorer and scores each with the shared
scorer (``../shared/eval/score.py``): the seeds, ``benchmarks/extraction`` (eight articles
annotated independently of the rules), and the corpus ``train/`` and ``dev/`` splits. The
scorer was trained on ``train/``, so its line there is a fit, not a measurement; ``dev/`` is
the measurement (read its scores and error classes, not its sentences). Then: the
reliability table of the facts' confidences on ``dev/`` (expected calibration error), and
the build's words/s beside bare ``nlp.pipe`` words/s on the same texts.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
SCORER = SHARED / "score.py"
SETS = {
    "seeds": (ROOT / "seeds", SHARED / "gold"),
    "bench/extraction": (ROOT / "benchmarks" / "extraction" / "articles", ROOT / "benchmarks" / "extraction" / "gold"),
    "corpus train (fit)": (SHARED / "corpus" / "train" / "articles", SHARED / "corpus" / "train" / "gold"),
    "corpus dev": (SHARED / "corpus" / "dev" / "articles", SHARED / "corpus" / "dev" / "gold"),
}


def _texts(folder: Path) -> list[str]:
    from kg.corpus import iter_articles
    from kg.model import Skipped

    return [a.text for a in iter_articles([folder]) if not isinstance(a, Skipped)]


def _score(graph: Path, gold: Path) -> list[str]:
    res = subprocess.run([sys.executable, str(SCORER), str(graph), str(ROOT / "ontology" / "kg.ttl"), "--gold", str(gold)],
                         capture_output=True, text=True)
    return res.stdout.strip().splitlines() or [res.stderr.strip()]


def _cross_validated(folds: int = 4) -> str:
    """The corpus train/ split scored by k-fold cross-validation: a scorer trained on the other
    folds builds each fold, so every article is scored by a model that never saw it (the rules
    were written while reading train/, so this flatters them; dev/ stays the measurement)."""
    import random
    import shutil

    from kg.evaluate import evaluate
    from kg.pipeline import DEFAULT_MODEL, build
    from kg.train import train

    articles, gold = SETS["corpus train (fit)"]
    stems = sorted(p.stem for p in gold.glob("*.json"))
    random.Random(0).shuffle(stems)
    tp = fp = facts = 0
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(folds):
            held = set(stems[k::folds])
            dirs = {}
            for part in ("fit", "held"):
                for kind in ("articles", "gold"):
                    dirs[part, kind] = Path(tmp) / f"{k}-{part}-{kind}"
                    dirs[part, kind].mkdir()
            for stem in stems:
                part = "held" if stem in held else "fit"
                shutil.copy(gold / f"{stem}.json", dirs[part, "gold"])
                for src in articles.glob(f"{stem}.*"):
                    shutil.copy(src, dirs[part, "articles"])
            model = train(dirs["fit", "articles"], dirs["fit", "gold"], model=DEFAULT_MODEL)
            path = model.save(Path(tmp) / f"{k}-model.json")
            out = Path(tmp) / f"{k}-out"
            build([dirs["held", "articles"]], out, html=False, store=False, extractor=path)
            scores = evaluate([out / "graph.ttl"], dirs["held", "gold"])
            tp, fp, facts = tp + scores.true_positive, fp + scores.false_positive, facts + scores.gold_facts
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / facts if facts else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f"F1 {f1:.3f}  P {p:.3f}  R {r:.3f}  ({folds} folds, {tp} of {facts} facts)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rules-only-too", action="store_true", help="also score the rules alone, for comparison")
    args = ap.parse_args(argv)
    from kg.evaluate import evaluate, reliability
    from kg.nlp import load_pipeline
    from kg.pipeline import DEFAULT_MODEL, build

    if not SCORER.exists():
        print(f"scorer not found at {SCORER}", file=sys.stderr)
        return 2
    modes = [("scored", False)] + ([("rules only", True)] if args.rules_only_too else [])
    build_time = 0.0
    words_total = 0
    dev_graph = None
    keep = tempfile.TemporaryDirectory()
    print(f"{'set':<20}{'mode':<12}{'articles':>9}{'words':>8}{'build s':>9}  score")
    for name, (articles, gold) in SETS.items():
        if not articles.is_dir() or not gold.is_dir():
            print(f"{name:<20}(missing: {articles})")
            continue
        words = sum(len(t.split()) for t in _texts(articles))
        for mode, rules_only in modes:
            out = Path(keep.name) / f"{name.split()[0]}-{mode.split()[0]}"
            started = time.perf_counter()
            report = build([articles], out, html=False, store=False, rules_only=rules_only)
            elapsed = time.perf_counter() - started
            if not rules_only:
                build_time += elapsed
                words_total += words
            lines = _score(out / "graph.ttl", gold)
            print(f"{name:<20}{mode:<12}{report.articles:>9}{words:>8}{elapsed:>9.1f}  {lines[-1]}")
            if len(lines) > 1:
                print(f"{'':<20}{'':<12}{'':>26}  {lines[-2]}")
            if name == "corpus dev" and not rules_only:
                dev_graph = out / "graph.ttl"

    if SETS["corpus train (fit)"][0].is_dir():
        print(f"{'corpus train':<20}{'4-fold CV':<12}{'':>26}  {_cross_validated()}")

    if dev_graph is not None:
        scores = evaluate([dev_graph], SETS["corpus dev"][1])
        rows, ece = reliability(scores.judged)
        print("\nreliability of kg:confidence on corpus dev (facts judged right or wrong; optional ones left out)")
        print(f"  {'confidence':<12}{'facts':>6}{'right':>8}")
        for lo, hi, n, right in rows:
            print(f"  {lo:.1f}-{hi:.1f}     {n:>6}{right:>8.2f}")
        print(f"  expected calibration error {ece:.3f}")

    # speed: bare nlp.pipe over the same texts, then a clean kg build of them, in this run
    texts = [t for articles, _ in SETS.values() if articles.is_dir() for t in _texts(articles)]
    words = sum(len(t.split()) for t in texts)
    nlp = load_pipeline(DEFAULT_MODEL)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    bare = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as out:
        folder = Path(out) / "all"
        folder.mkdir()
        for i, t in enumerate(texts):
            (folder / f"{i:04d}.txt").write_text(t, encoding="utf-8")
        timings = {}
        for jobs in (1, None):      # one process, as bare nlp.pipe; then the default (one per core)
            started = time.perf_counter()
            build([folder], Path(out) / f"o{jobs}", html=False, store=False, jobs=jobs)
            timings[jobs] = time.perf_counter() - started
    import os

    print(f"\nspeed on {len(texts)} articles, {words} words: bare nlp.pipe (1 process) {words / bare:,.0f} words/s; "
          f"kg build (extraction + scoring + RDF + Turtle) --jobs 1 {words / timings[1]:,.0f} words/s, ratio "
          f"{bare / timings[1]:.2f}x; default --jobs ({os.cpu_count()} cores) {words / timings[None]:,.0f} words/s, "
          f"ratio {bare / timings[None]:.2f}x")
    keep.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
