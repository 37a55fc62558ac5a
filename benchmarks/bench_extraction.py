"""Extraction quality and speed, side by side: the seed gold and a held-out development set.

    .venv/bin/python benchmarks/bench_extraction.py

Builds ``seeds/`` and ``benchmarks/extraction/articles/`` (eight articles of the same genre, written
and annotated independently of the rules, in the gold format of ``../shared/eval``) and scores both
with ``../shared/eval/score.py``. The development set is for measuring how the rules generalise;
fixing one of its sentences with a rule that fits only that sentence defeats its purpose.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
SETS = {
    "seeds": (ROOT / "seeds", ROOT.parent / "shared" / "eval" / "gold"),
    "dev (held out)": (ROOT / "benchmarks" / "extraction" / "articles", ROOT / "benchmarks" / "extraction" / "gold"),
}


def main() -> int:
    from kg.pipeline import build

    if not SCORER.exists():
        print(f"scorer not found at {SCORER}", file=sys.stderr)
        return 2
    print(f"{'set':<16}{'articles':>9}{'words':>8}{'build s':>9}  score")
    for name, (articles, gold) in SETS.items():
        with tempfile.TemporaryDirectory() as out:
            words = sum(len(p.read_text(encoding='utf-8').split()) for p in articles.glob("*.txt"))
            started = time.perf_counter()
            report = build([articles], out, html=False, store=False)
            elapsed = time.perf_counter() - started
            res = subprocess.run([sys.executable, str(SCORER), f"{out}/graph.ttl", str(ROOT / "ontology" / "kg.ttl"),
                                  "--gold", str(gold)], capture_output=True, text=True)
            lines = res.stdout.strip().splitlines()
            print(f"{name:<16}{report.articles:>9}{words:>8}{elapsed:>9.1f}  {lines[-1] if lines else res.stderr.strip()}")
            if len(lines) > 1:
                print(f"{'':<42}{lines[-2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
