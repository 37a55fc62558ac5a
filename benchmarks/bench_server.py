"""Benchmark: ``kg serve`` under load, and CPU after a query it had to stop.

Starts a real ``kg serve`` process on a free loopback port over a build
directory (``--dir``; by default the small sample graph of the tests, saved
to a temporary directory), then

1. for each client count (50 and 200 by default) sends that many concurrent
   simple queries, ``--rounds`` per client over fresh connections, and prints
   the p50 and p99 latency and the number of errors (anything but a 200,
   including refused or reset connections);
2. sends a query that would run for hours, with ``--timeout`` 1 s, and prints
   how long the 503 took and the server's CPU use (its process and all its
   workers, from /proc) in each of the next three seconds: it should be idle
   within a second, since the worker running the query is killed.

Run::

    .venv/bin/python benchmarks/bench_server.py
    .venv/bin/python benchmarks/bench_server.py --dir out/ --clients 50 200 500 --rounds 5
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIMPLE = "SELECT ?c WHERE { ?c a kg:City } LIMIT 10"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def sample_dir() -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from kgsample import mini_dataset

    from kg.store import save_dataset

    out = Path(tempfile.mkdtemp(prefix="kg-bench-serve-"))
    save_dataset(mini_dataset(), out)
    return out


def start(out: Path, timeout: float, workers: int | None) -> tuple[subprocess.Popen, str]:
    args = [sys.executable, "-m", "kg", "serve", str(out), "--port", "0", "--quiet", "--timeout", str(timeout)]
    if workers:
        args += ["--workers", str(workers)]
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        m = re.search(r"(http://127\.0\.0\.1:\d+/sparql)", line)
        if m:
            return proc, m.group(1)
        if not line:
            break
    proc.kill()
    raise SystemExit(f"kg serve did not start: {proc.stderr.read()}")


def one(url: str, query: str) -> tuple[float, int | str]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(f"{url}?" + urllib.parse.urlencode({"query": query}), timeout=60) as resp:
            resp.read()
            status: int | str = resp.status
    except urllib.error.HTTPError as err:
        status = err.code
    except OSError as err:
        status = type(err).__name__
    return time.perf_counter() - started, status


def load(url: str, clients: int, rounds: int) -> None:
    def client(_: int) -> list[tuple[float, int | str]]:
        return [one(url, SIMPLE) for _ in range(rounds)]

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = [r for batch in pool.map(client, range(clients)) for r in batch]
    wall = time.perf_counter() - started
    times = sorted(t for t, _ in results)
    errors = sum(1 for _, s in results if s != 200)
    p50 = statistics.median(times) * 1000
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000
    print(f"{clients:>4} clients x {rounds} queries: p50 {p50:7.1f} ms   p99 {p99:7.1f} ms   "
          f"errors {errors}/{len(results)}   {len(results) / wall:6.0f} queries/s")


def tree_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and its live descendants."""
    tick = os.sysconf("SC_CLK_TCK")
    todo, seen, total = [pid], set(), 0.0
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except OSError:
            continue
    return total


def after_timeout(url: str, pid: int) -> None:
    took, status = one(url, ENDLESS)
    print(f"endless query: {status} after {took:.2f} s")
    for second in range(1, 4):
        before = tree_cpu(pid)
        time.sleep(1.0)
        print(f"  CPU in second {second} after the 503: {(tree_cpu(pid) - before) * 100:5.1f} % of a core")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, help="a build directory (default: the tests' sample graph)")
    parser.add_argument("--clients", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--rounds", type=int, default=3, help="queries per client (default: 3)")
    parser.add_argument("--workers", type=int, help="kg serve --workers (default: its own)")
    args = parser.parse_args()
    out = args.dir or sample_dir()
    proc, url = start(out, timeout=1.0, workers=args.workers)
    try:
        print(f"kg serve {out} at {url} (cores: {os.cpu_count()})")
        one(url, SIMPLE)
        for clients in args.clients:
            load(url, clients, args.rounds)
        after_timeout(url, proc.pid)
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
