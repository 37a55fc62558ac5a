"""``kg build --scheduler``: extraction on a real ``distributed.LocalCluster`` of 2 worker
processes gives the local graph, survives a worker killed mid-build, and reports an article
that fails on a worker as a local build does."""
from __future__ import annotations

import json
import logging
import os
import signal

import pytest

distributed = pytest.importorskip("distributed", reason="the Dask tests need dask.distributed: "
                                                        "pip install -e '.[test]' (or '.[dask]')")

from rdflib import Graph  # noqa: E402
from rdflib.compare import isomorphic  # noqa: E402

from kg.cluster import ClusterError, connect, extract_on_cluster  # noqa: E402
from kg.corpus import iter_articles  # noqa: E402
from kg.extract.scorer import load_model  # noqa: E402
from kg.model import Article, Extraction, Skipped  # noqa: E402
from kg.pipeline import build  # noqa: E402
from kg.store import open_store  # noqa: E402
from kgpaths import MODEL, SEEDS  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.CRITICAL) as c:
        yield c


@pytest.fixture
def client(cluster):
    with distributed.Client(cluster) as c:
        yield c


def _local_records(seed_build) -> dict[str, dict]:
    _, out = seed_build
    entries = [json.loads(p.read_text(encoding="utf-8"))["extraction"]
               for p in (out / ".kg" / "extractions").glob("*.json")]
    return {e["article"]["id"]: e for e in entries}


def test_graph_built_on_the_cluster_is_the_local_graph(cluster, seed_build, tmp_path):
    report, local = seed_build
    remote = build([SEEDS], tmp_path / "out", model=MODEL, scheduler=cluster.scheduler_address)
    assert remote.processed == remote.articles == report.articles and not remote.skipped
    a = Graph().parse(local / "graph.ttl", format="turtle")
    b = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    assert isomorphic(a, b)
    assert {str(q) for q in open_store(local)} == {str(q) for q in open_store(tmp_path / "out")}


def test_a_worker_killed_mid_build_has_its_partitions_run_again(client, seed_build):
    articles = [a for a in iter_articles([SEEDS]) if isinstance(a, Article)]
    results = extract_on_cluster(articles, client, model=MODEL, scorer=load_model(None), partition=1)
    got = [next(results)]             # the build is under way: kill a worker that has work
    busy = [addr for addr, keys in client.processing().items() if keys] or list(client.processing())
    pids = client.run(os.getpid, workers=busy[:1])
    os.kill(next(iter(pids.values())), signal.SIGKILL)
    got += list(results)
    assert all(isinstance(r, Extraction) for r in got)
    expected = _local_records(seed_build)
    assert [r.article.id for r in got] == [a.id for a in articles]
    for r in got:
        mine = r.to_json()
        mine["article"]["source"] = expected[r.article.id]["article"]["source"]
        assert mine == expected[r.article.id]


def test_an_article_that_fails_on_a_worker_is_reported_and_skipped(client):
    ok = Article(id="ok", text="Huawei opened a data center in Guiyang.", source="ok.txt")
    huge = Article(id="huge", text="word " * 210_000, source="huge.txt")     # over spaCy's max_length
    got = list(extract_on_cluster([ok, huge], client, model=MODEL, scorer=load_model(None)))
    assert isinstance(got[0], Extraction) and got[0].article.id == "ok"
    assert isinstance(got[1], Skipped) and got[1].path == "huge.txt"
    assert "failed on the Dask cluster" in got[1].reason and "E088" in got[1].reason


def test_an_unreachable_scheduler_is_one_clear_error():
    with pytest.raises(ClusterError, match="dask scheduler"):
        connect("tcp://127.0.0.1:9", timeout=2)
