"""Queries past their deadline or their memory cap are stopped, not abandoned."""
from __future__ import annotations

import os
import time

from servehelp import start_serve, stop

#: a four-way cross product of the sample's 381 triples: hours of work
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
#: sorting a three-way cross product materialises ~55M rows: gigabytes
HUNGRY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"


def _children(pid: int) -> set[int]:
    out: set[int] = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out |= {int(c) for c in fh.read().split()}
        except OSError:
            pass
    return out | {g for c in list(out) for g in _children_safe(c)}


def _children_safe(pid: int) -> set[int]:
    try:
        return _children(pid)
    except OSError:
        return set()


def cpu_seconds(pid: int) -> float:
    """CPU time of ``pid`` and all its descendants (live ones), from /proc."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for p in {pid, *_children_safe(pid)}:
        try:
            with open(f"/proc/{p}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            pass
    return total


def test_timed_out_query_gives_its_cpu_back(mini_out):
    s = start_serve(mini_out, "--timeout", "1", "--workers", "1")
    try:
        started = time.monotonic()
        status, _, body = s.get(ENDLESS)
        assert status == 503 and b"stopped" in body
        assert time.monotonic() - started < 5
        # the one worker's replacement answers (so its start-up CPU is spent) ...
        assert s.get("ASK { ?s ?p ?o }")[0] == 200
        before = cpu_seconds(s.proc.pid)
        time.sleep(1.0)
        assert cpu_seconds(s.proc.pid) - before < 0.2       # ... and nothing is still computing
    finally:
        stop(s)


def test_query_over_its_memory_cap_is_stopped(mini_out):
    s = start_serve(mini_out, "--timeout", "30", "--workers", "1", "--max-memory", "400")
    try:
        started = time.monotonic()
        status, _, body = s.get(HUNGRY)
        assert status in (500, 503), body
        assert b"400 MB" in body or b"longer than" in body
        assert time.monotonic() - started < 30
        assert s.get("ASK { ?s ?p ?o }")[0] == 200        # a fresh worker took its place
    finally:
        stop(s)
