"""The progress bar of ``kg build`` on stderr: articles done, words per second, time left.

Why tqdm: spaCy already depends on it, and it shows nothing for a build that
ends within ``delay`` seconds. The bar is made only when stderr is a terminal
and the build is not ``--quiet``, so logs and pipes see the summary alone.
"""
from __future__ import annotations

import sys
from typing import Any, TextIO

#: seconds before the bar appears: a build shorter than this shows none
DELAY = 3.0


class ProgressBar:
    """A :class:`kg.pipeline.Meter` drawn by tqdm."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.bar: Any = None
        self.articles = 0
        self.done = 0

    def start(self, articles: int, words: int) -> None:
        from tqdm import tqdm

        self.articles, self.done = articles, 0
        self.bar = tqdm(total=words, unit=" words", unit_scale=True, file=self.stream, delay=DELAY,
                        dynamic_ncols=True, leave=False, desc="kg build: extracting",
                        bar_format="{desc} {bar} {postfix}, {rate_fmt}, {remaining} left")
        self.bar.set_postfix_str(f"0/{articles:,} articles", refresh=False)

    def advance(self, words: int) -> None:
        if self.bar is None:
            return
        self.done += 1
        self.bar.set_postfix_str(f"{self.done:,}/{self.articles:,} articles", refresh=False)
        self.bar.update(words)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def progress_bar(quiet: bool, stream: TextIO | None = None) -> ProgressBar | None:
    """A bar for a person at a terminal; None with ``--quiet`` or when stderr is not a terminal."""
    stream = stream or sys.stderr
    if quiet or not stream.isatty():
        return None
    return ProgressBar(stream)
