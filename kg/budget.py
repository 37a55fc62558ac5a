"""Extraction with a time budget per article: one article must not stall a build.

Why: spaCy and the rules are fast on news text but some inputs make parts of
them super-linear (a run of 10,000 ``$`` took 25 s in the tokenizer alone).
The known cases are cut in :mod:`kg.corpus`; this is the catch-all. Each
batch of articles is extracted in a forked child process (the spaCy pipeline
is loaded once in the parent, so the child shares it at no cost) that sends
each extraction back as it is done. A child past the batch's budget is
killed; the articles it had not finished are then run one at a time with
their own budgets, and one that still runs out is reported as ``Skipped``
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
from collections.abc import Iterator, Sequence
from typing import Any

from kg.model import Article, Extraction, Skipped

DEFAULT_SECONDS_PER_KWORD = 10.0
BATCH = 16


def budget_for(article: Article, seconds: float) -> float:
    """Seconds ``article`` may take: ``seconds`` per 1,000 words, at least ``seconds``."""
    words = len(article.text.split())
    return seconds * max(1.0, words / 1000)


def _child(conn: Any, articles: list[Article], model: str, options: dict) -> None:
    from kg.extract import extract_articles

    try:
        for result in extract_articles(articles, model=model, **options):
            conn.send(result)
    finally:
        conn.close()


def _run(articles: list[Article], model: str, seconds_total: float,
         options: dict) -> tuple[list[Extraction | Skipped], bool, int | None]:
    """Results of the articles a forked child finished within ``seconds_total``, whether
    it finished them all, and its exit status if it died on its own (a crash)."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, articles, model, options), name="kg-extract", daemon=True)
    proc.start()
    child.close()
    deadline = time.monotonic() + seconds_total
    results: list[Extraction | Skipped] = []
    crashed: int | None = None
    try:
        while len(results) < len(articles):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not parent.poll(remaining):
                break
            try:
                results.append(parent.recv())
            except EOFError:
                proc.join(5)
                crashed = proc.exitcode
                break
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    return results, len(results) == len(articles), crashed


def extract_within_budget(articles: Sequence[Article], model: str,
                          seconds: float | None = DEFAULT_SECONDS_PER_KWORD,
                          **options: Any) -> Iterator[Extraction | Skipped]:
    """``kg.extract.extract_articles`` with each article held to its budget (``seconds``
    per 1,000 words); ``seconds`` None or 0, or no ``fork``, runs without budgets. ``options``
    (the fact scorer, ``min_confidence``) go to ``extract_articles``."""
    from kg.extract import extract_articles
    from kg.nlp import load_pipeline

    if not seconds or "fork" not in mp.get_all_start_methods() or os.environ.get("KG_NO_FORK"):
        yield from extract_articles(articles, model=model, **options)
        return
    from kg.extract import warm_up

    load_pipeline(model)        # in the parent: every child shares the loaded pipeline and tables
    warm_up(model, **options)
    todo = list(articles)
    for start in range(0, len(todo), BATCH):
        batch = todo[start:start + BATCH]
        results, complete, _ = _run(batch, model, sum(budget_for(a, seconds) for a in batch), options)
        yield from results
        if complete:
            continue
        for art in batch[len(results):]:
            limit = budget_for(art, seconds)
            one, done, crashed = _run([art], model, limit, options)
            if done:
                yield one[0]
            elif crashed is not None:
                yield Skipped(art.source, f"extraction stopped its process (exit status {crashed}); "
                                          f"please report this article")
            else:
                yield Skipped(art.source, f"extraction took longer than its {limit:g} s budget "
                                          f"({len(art.text.split()):,} words) and was stopped; split the "
                                          f"article or raise --article-timeout")
