"""Time from opening graph.html to a settled, responsive view, in headless Chromium.

    .venv/bin/python benchmarks/bench_view.py            # 500, 2000, 10000 nodes
    .venv/bin/python benchmarks/bench_view.py --sizes 2000:5000 --repeat 3

For each size it writes a page for a synthetic graph (heavy-tailed degrees,
about 2.5 facts per entity unless ``NODES:EDGES`` says otherwise), opens it
with the network off, and reports: the page size, the time to ``load``, the
time until the layout has stabilised and physics stopped (``window.kg.ready``),
and whether the page then answers a search within a frame budget. Above
``kg.view.OVERVIEW_NODES`` the page opens on an overview by class, and that is
what is timed (the row says so).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import ensure_chromium, launch, open_page  # noqa: E402
from kgsample import synthetic_graph  # noqa: E402

from kg.view import write_html  # noqa: E402


def parse_size(text: str) -> tuple[int, int]:
    if ":" in text:
        n, m = text.split(":", 1)
        return int(n), int(m)
    return int(text), int(int(text) * 2.5)


def measure(browser, n: int, m: int, workdir: Path) -> dict:
    G = synthetic_graph(n, m, seed=n)
    page_path = workdir / f"bench-{n}-{m}.html"
    t0 = time.perf_counter()
    write_html(G, page_path, title=f"bench {n} nodes")
    write_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    page, log = open_page(browser, page_path.as_uri(), wait_ready=0)
    load_s = time.perf_counter() - t0
    page.wait_for_function("() => window.kg && window.kg.ready === true", timeout=180_000)
    ready_s = time.perf_counter() - t0
    mode = page.evaluate("window.kg.mode")
    # Responsive: a search plus focus, then two animation frames, must come back quickly.
    t1 = time.perf_counter()
    page.fill("#kg-search", f"{synthetic_label(G)}")
    page.press("#kg-search", "Enter")
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    respond_s = time.perf_counter() - t1
    page.wait_for_function("() => window.kg.ready === true", timeout=120_000)
    in_page = page.evaluate("window.kg.stabilizedMs")
    errors = log.console_errors + log.page_errors
    page.context.close()
    return {"nodes": n, "edges": m, "mode": mode, "html_mb": page_path.stat().st_size / 1e6,
            "write_s": write_s, "load_s": load_s, "ready_s": ready_s, "layout_ms": in_page,
            "search_s": respond_s, "errors": len(errors), "blocked": len(log.blocked)}


def synthetic_label(G) -> str:
    hub = max(G.nodes, key=G.degree)
    return G.nodes[hub]["label"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", nargs="+", default=["500", "2000:5000", "10000"],
                    help="NODES or NODES:EDGES (default: 500 2000:5000 10000)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--no-overview", action="store_true",
                    help="lay out every node even above the overview threshold (to see why it exists)")
    args = ap.parse_args(argv)
    if args.no_overview:
        import kg.view.page as page_mod

        page_mod.OVERVIEW_NODES = page_mod.OVERVIEW_EDGES = 10**9
    from playwright.sync_api import sync_playwright

    exe = ensure_chromium(ROOT / "test-output" / "chromium-install.log")
    print(f"{'nodes':>6} {'edges':>6} {'mode':>9} {'MB':>5} {'write s':>8} {'load s':>7} "
          f"{'ready s':>8} {'layout ms':>9} {'search s':>8} {'errors':>6}")
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp, sync_playwright() as pw:
        browser = launch(pw, exe)
        try:
            for size in args.sizes:
                n, m = parse_size(size)
                for _ in range(args.repeat):
                    r = measure(browser, n, m, Path(tmp))
                    print(f"{r['nodes']:>6} {r['edges']:>6} {r['mode']:>9} {r['html_mb']:>5.1f} {r['write_s']:>8.2f} "
                          f"{r['load_s']:>7.2f} {r['ready_s']:>8.2f} {r['layout_ms']:>9.0f} {r['search_s']:>8.2f} "
                          f"{r['errors'] + r['blocked']:>6}", flush=True)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
