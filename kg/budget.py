"""Extraction with a time budget per article: one article must not stall a build.

Why: spaCy and the rules are fast on news text but some inputs make parts of
them super-linear (a run of 10,000 ``$`` took 25 s in the tokenizer alone).
The known cases are cut in :mod:`kg.corpus`; this is the catch-all. Each
batch of articles is extracted in a forked child process (the spaCy pipeline
is loaded once in the parent, so the child shares it at no cost) that sends
each extraction back as it is done; ``jobs`` children run at once, one per
core by default (``kg build --jobs N``), and the results come back in the
order of the articles, so the output does not depend on ``jobs``. A child
always has the budgets of its next few articles to deliver its next result (spaCy parses
a few together); past that it is killed, the articles it had not finished are run one at a
time with their own budgets, and one that still runs out is reported as ``Skipped``
like any bad file.

A budget is ``seconds`` per thousand words, at least ``seconds``: with the
default 10 s, about 50x what the small English pipeline needs here.
``--article-timeout 0`` (or ``KG_NO_FORK=1`` in the environment, for a
debugger) runs extraction in the build's own process, without budgets.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections import deque
from multiprocessing.connection import wait
from collections.abc import Iterator, Sequence
from typing import Any

from kg.model import Article, Extraction, Skipped

DEFAULT_SECONDS_PER_KWORD = 10.0
#: articles per forked child: a fork, and the copy-on-write of the tables a child touches, cost
#: about half a second, so children take many articles ...
BATCH = 128
#: ... but are held to the budgets of the next WINDOW articles at any time (spaCy parses them
#: together, so the first of them arrives only when all are parsed)
WINDOW = 16


def budget_for(article: Article, seconds: float) -> float:
    """Seconds ``article`` may take: ``seconds`` per 1,000 words, at least ``seconds``."""
    words = len(article.text.split())
    return seconds * max(1.0, words / 1000)


def default_jobs() -> int:
    """The cores this process may run on (``--jobs`` default)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _child(conn: Any, articles: list[Article], model: str, options: dict) -> None:
    from kg.extract import extract_articles

    try:
        for result in extract_articles(articles, model=model, **options):
            conn.send(result)
    finally:
        conn.close()


class _Worker:
    """One forked child extracting ``positions`` (indices into the build's articles), each
    within its ``budgets`` entry; its results arrive in order through a pipe."""

    def __init__(self, articles: list[Article], positions: list[int], model: str, budgets: list[float],
                 options: dict, *, alone: bool = False) -> None:
        ctx = mp.get_context("fork")
        self.positions = positions
        self.alone = alone              # a retry of one article that a batch did not finish
        self.budgets = budgets          # seconds each article may take, in order
        self.budget = sum(budgets)
        self.results: list[Extraction | Skipped] = []
        self.crashed: int | None = None
        self.conn, child = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_child, args=(child, [articles[i] for i in positions], model, options),
                                name="kg-extract", daemon=True)
        self.proc.start()
        child.close()
        self.deadline = time.monotonic() + self._window()
        self.open = True

    def _window(self) -> float:
        """Seconds the child may take for its next results: the budgets of the next WINDOW articles."""
        k = len(self.results)
        return sum(self.budgets[k:k + WINDOW])

    def receive(self) -> None:
        """Take every result the child has sent so far; notice when it died."""
        try:
            while self.open and self.conn.poll():
                self.results.append(self.conn.recv())
                self.deadline = time.monotonic() + self._window()     # the next articles' budgets
                if len(self.results) == len(self.positions):
                    self.open = False
        except (EOFError, OSError):
            self.proc.join(5)
            self.crashed = self.proc.exitcode
            self.open = False

    def finished(self, now: float) -> bool:
        return not self.open or now >= self.deadline

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


def extract_within_budget(articles: Sequence[Article], model: str,
                          seconds: float | None = DEFAULT_SECONDS_PER_KWORD, *, jobs: int = 1,
                          **options: Any) -> Iterator[Extraction | Skipped]:
    """``kg.extract.extract_articles`` with each article held to its budget (``seconds``
    per 1,000 words), in up to ``jobs`` children at once; results come in the order of
    ``articles`` whatever the order the children finish in. ``seconds`` None or 0, or no
    ``fork``, runs in this process without budgets. ``options`` (the fact scorer,
    ``min_confidence``) go to ``extract_articles``."""
    from kg.extract import extract_articles
    from kg.nlp import load_pipeline

    if not seconds or "fork" not in mp.get_all_start_methods() or os.environ.get("KG_NO_FORK"):
        yield from extract_articles(articles, model=model, **options)
        return
    from kg.extract import warm_up

    load_pipeline(model)        # in the parent: every child shares the loaded pipeline and tables
    warm_up(model, **options)
    todo = list(articles)
    jobs = max(1, jobs)
    # batches of at most BATCH, small enough that every job has one on a small build
    size = max(1, min(BATCH, -(-len(todo) // jobs)))
    queue: deque[tuple[list[int], bool]] = deque(
        (list(range(i, min(i + size, len(todo)))), False) for i in range(0, len(todo), size))
    slots: dict[int, Extraction | Skipped] = {}
    running: list[_Worker] = []
    next_out = 0
    try:
        while queue or running:
            while queue and len(running) < jobs:
                positions, alone = queue.popleft()
                running.append(_Worker(todo, positions, model, [budget_for(todo[i], seconds) for i in positions],
                                       options, alone=alone))
            now = time.monotonic()
            timeout = max(0.0, min(w.deadline for w in running) - now)
            for conn in wait([w.conn for w in running if w.open], timeout):
                w = next(w for w in running if w.conn is conn)
                if time.monotonic() < w.deadline:       # a result sent past the budget does not count
                    w.receive()
            now = time.monotonic()
            for w in [w for w in running if w.finished(now)]:
                w.stop()
                running.remove(w)
                for pos, result in zip(w.positions, w.results):
                    slots[pos] = result
                rest = w.positions[len(w.results):]
                if not rest:
                    continue
                if not w.alone:
                    # run the unfinished articles one at a time, each with its own budget
                    queue.extendleft(([pos], True) for pos in reversed(rest))
                    continue
                art = todo[rest[0]]
                if w.crashed is not None:
                    slots[rest[0]] = Skipped(art.source, f"extraction stopped its process (exit status "
                                                         f"{w.crashed}); please report this article")
                else:
                    slots[rest[0]] = Skipped(
                        art.source, f"extraction took longer than its {w.budget:g} s budget "
                                    f"({len(art.text.split()):,} words) and was stopped; split the "
                                    f"article or raise --article-timeout")
            while next_out in slots:
                yield slots.pop(next_out)
                next_out += 1
    finally:
        for w in running:
            w.stop()
