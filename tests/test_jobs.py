"""``kg build --jobs N``: extraction in N processes at once gives the graph one process gives,
and the progress bar shows only at a terminal."""
from __future__ import annotations

import fcntl
import io
import os
import pty
import select
import struct
import subprocess
import sys
import termios

import pytest

from kg.cli import progress
from kg.pipeline import build
from kg.store import open_store
from kgpaths import MODEL, ROOT, SEEDS


def _quads(out) -> set[str]:
    return {str(q) for q in open_store(out)}


def test_jobs_give_the_same_graph_as_one_process(tmp_path):
    corpus = [SEEDS, ROOT / "benchmarks" / "extraction" / "articles"]
    one = build(corpus, tmp_path / "one", model=MODEL, html=False, jobs=1)
    two = build(corpus, tmp_path / "two", model=MODEL, html=False, jobs=2)
    assert one.processed == two.processed == one.articles > 8
    assert (tmp_path / "one" / "graph.ttl").read_bytes() == (tmp_path / "two" / "graph.ttl").read_bytes()
    assert _quads(tmp_path / "one") == _quads(tmp_path / "two")
    assert (one.entities_by_class, one.facts_by_predicate, one.triples) == \
        (two.entities_by_class, two.facts_by_predicate, two.triples)


def test_jobs_must_be_a_positive_number(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(SEEDS), "--out", str(tmp_path), "--jobs", "0"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "1 or more" in proc.stderr


def test_no_bar_when_stderr_is_not_a_terminal_or_quiet():
    assert progress.progress_bar(False, io.StringIO()) is None
    master, slave = pty.openpty()
    try:
        with os.fdopen(slave, "w", closefd=False) as tty:
            assert progress.progress_bar(True, tty) is None
            assert progress.progress_bar(False, tty) is not None
    finally:
        os.close(master)
        os.close(slave)


def test_bar_shows_articles_words_per_second_and_time_left(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0.0)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))   # a terminal's size
    try:
        with os.fdopen(slave, "w", closefd=False) as tty:
            bar = progress.progress_bar(False, tty)
            bar.start(3, 3000)
            for _ in range(2):
                bar.advance(1000)
            bar.bar.refresh()
            tty.flush()
            shown = ""
            while select.select([master], [], [], 0.5)[0]:
                shown += os.read(master, 65536).decode("utf-8", "replace")
            bar.close()
    finally:
        os.close(master)
        os.close(slave)
    assert "2/3 articles" in shown and "words/s" in shown and "left" in shown


@pytest.mark.parametrize("flag", ["--jobs", "-j"])
def test_build_help_names_jobs(flag, capsys):
    from kg.cli import main

    with pytest.raises(SystemExit):
        main(["build", "--help"])
    assert flag in capsys.readouterr().out
