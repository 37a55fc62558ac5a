"""``kg build`` against a damaged, locked, full or half-cleaned output directory."""
from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import OutputError
from kg.io import locked_output
from kg.pipeline import build
from kg.store import EmbeddedBackend, StoreLocked

from buildhelp import MODEL, write_corpus

ARTICLES = "SELECT ?a WHERE { ?a a kg:Article }"


def kg(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=180, **kw)


def test_second_build_into_the_same_out_is_refused(tmp_path):
    corpus, out = write_corpus(tmp_path), tmp_path / "out"
    out.mkdir()
    with locked_output(out, "kg build (the first)"):
        with pytest.raises(OutputError, match=r"being written by kg build \(the first\) \(pid \d+"):
            build([corpus], out, model=MODEL)
        proc = kg("build", str(corpus), "--out", str(out), "--quiet")
        assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
        assert f"pid {os.getpid()}" in proc.stderr and "another --out" in proc.stderr
    assert not (out / "graph.ttl").exists()
    build([corpus], out, model=MODEL)           # the lock went with its holder
    assert (out / "graph.ttl").exists()


@pytest.fixture
def built(tmp_path):
    corpus, out = write_corpus(tmp_path), tmp_path / "out"
    build([corpus], out, model=MODEL)
    return corpus, out


@pytest.mark.parametrize("damage", ["CURRENT", "MANIFEST", "sst"])
def test_damaged_store_is_rebuilt(built, damage):
    corpus, out = built
    store = out / "store"
    targets = {"CURRENT": [store / "CURRENT"], "MANIFEST": list(store.glob("MANIFEST-*")),
               "sst": list(store.glob("*.sst"))}[damage]
    assert targets
    for f in targets:
        f.write_bytes(b"garbage" * 300)
    proc = kg("query", str(out), ARTICLES)
    assert proc.returncode == 2 and "damaged" in proc.stderr and "Traceback" not in proc.stderr
    build([corpus], out, model=MODEL)
    assert len(EmbeddedBackend.open(out).query(ARTICLES).rows) == 2


def test_cache_entries_of_the_wrong_shape_are_re_extracted(built):
    corpus, out = built
    entries = sorted((out / ".kg" / "extractions").glob("*.json"))
    entries[0].write_text(json.dumps({"stamp": json.loads(entries[0].read_text())["stamp"],
                                      "extraction": {"article": [1, 2]}}))
    entries[1].write_text("[]")
    report = build([corpus], out, model=MODEL)
    assert report.processed == 2 and not report.skipped


def test_edited_cache_entry_is_not_trusted(built):
    corpus, out = built
    entry = sorted((out / ".kg" / "extractions").glob("*.json"))[0]
    data = json.loads(entry.read_text())
    assert data["extraction"]["mentions"]
    data["extraction"]["mentions"][0]["text"] = "INJECTED LABEL"
    entry.write_text(json.dumps(data))
    report = build([corpus], out, model=MODEL)
    assert report.processed == 1
    assert "INJECTED" not in (out / "graph.ttl").read_text()


def test_cache_survives_another_spelling_of_the_input_path(built, monkeypatch):
    corpus, out = built
    monkeypatch.chdir(corpus.parent)
    assert build([Path(corpus.name)], out, model=MODEL).processed == 0


def test_leftovers_of_a_killed_build_are_removed(built):
    corpus, out = built
    leftovers = [out / ".store-old-99999", out / ".store-tmp-99999-1", out / ".kg" / "spill-abc123",
                 out / ".graph.ttl.abc123.tmp", out / ".kg" / "extractions" / ".x.json.tmp"]
    for p in leftovers[:3]:
        p.mkdir()
        (p / "CURRENT").write_text("x")
    for p in leftovers[3:]:
        p.write_text("half")
    build([corpus], out, model=MODEL)
    assert not any(p.exists() for p in leftovers)


def test_locked_store_refuses_before_graph_ttl_is_replaced(built):
    import pyoxigraph as ox

    corpus, out = built
    before = (out / "graph.ttl").read_bytes()
    (corpus / "b.txt").write_text("Huawei opened an office in Guiyang.\n")
    holder = ox.Store(str(out / "store"))         # as `kg serve --allow-update` would
    try:
        with pytest.raises(StoreLocked):
            build([corpus], out, model=MODEL)
    finally:
        del holder
    assert (out / "graph.ttl").read_bytes() == before


def test_article_iris_are_unique_per_source(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a b.txt").write_text("Shenzhen opened a data park.\n")
    (corpus / "a-b.txt").write_text("Guiyang opened a data park.\n")
    out = tmp_path / "out"
    report = build([corpus], out, model=MODEL, html=False)
    assert report.articles == 2 and not report.skipped
    assert len({r["a"]["value"] for r in EmbeddedBackend.open(out).query(ARTICLES).rows}) == 2


def test_out_inside_the_input_is_skipped(tmp_path):
    corpus = write_corpus(tmp_path)
    out = corpus / "out"
    first = build([corpus], out, model=MODEL)
    second = build([corpus], out, model=MODEL)
    assert first.articles == second.articles == 2 and not second.skipped


def _fsize_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)      # writes past the limit fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_full_disk_is_one_line_exit_2_and_old_outputs_intact(built):
    corpus, out = built
    before = {p: p.read_bytes() for p in (out / "graph.ttl", out / "graph.html")}
    (corpus / "c.txt").write_text("Tencent opened a data centre in Guian New Area. " * 200 + "\n")
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out), "--quiet"],
                          capture_output=True, text=True, timeout=180, preexec_fn=_fsize_limit(4096))
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert "free some space" in proc.stderr
    assert {p: p.read_bytes() for p in before} == before
    assert not list(out.glob(".*.tmp"))


def test_article_past_its_budget_is_stopped_and_reported(tmp_path):
    corpus, out = write_corpus(tmp_path), tmp_path / "out"
    report = build([corpus], out, model=MODEL, article_timeout=0.001)      # 1 ms: nothing fits
    assert report.articles == 2 and len(report.skipped) == 2
    assert all("budget" in s.reason and "--article-timeout" in s.reason for s in report.skipped)
    assert (out / "graph.ttl").exists()
    report = build([corpus], out, model=MODEL)          # the default budget: both fit
    assert report.processed == 2 and not report.skipped
