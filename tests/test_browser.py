"""The viewer in a real browser: Debian's headless Chromium, driven by Playwright, network off.

Each page is opened from a file with every non-file request aborted and
recorded (see tests/browser.py); tests assert on what the page really does:
console errors, requests, pixels on the canvas, the nodes vis-network holds,
what search and filters change, and that hostile article text stays text.
"""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api", reason="needs playwright: pip install playwright")

from playwright.sync_api import sync_playwright  # noqa: E402

from browser import BrowserUnavailable, ensure_chromium, launch, network_requests, open_page  # noqa: E402
from kg.netgraph import load_graph, to_networkx  # noqa: E402
from kg.view import write_html  # noqa: E402
from kg.view.page import OVERVIEW_NODES  # noqa: E402
from kgsample import EVIL_LABEL, XSS_IMG, XSS_SCRIPT, synthetic_graph, write_sample  # noqa: E402

NODE_ID = "(iri) => kg.nodes().get({filter: n => n.iri === iri})[0].id"
CANVAS_INK = """() => {
  const c = document.querySelector('#kg-network canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) ink++;
  return {width: c.width, height: c.height, ink: ink};
}"""


@pytest.fixture(scope="session")
def chromium(test_output_dir) -> str:
    try:
        return ensure_chromium(test_output_dir / "chromium-install.log")
    except BrowserUnavailable as err:
        pytest.skip(f"no Chromium: {err}")


@pytest.fixture(scope="session")
def browser(chromium):
    with sync_playwright() as pw:
        b = launch(pw, chromium)
        yield b
        b.close()


@pytest.fixture(scope="session")
def seed_page_file(seed_build) -> tuple[Path, object]:
    _, out = seed_build
    return out / "graph.html", to_networkx(load_graph(out))


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    d = write_sample(tmp_path_factory.mktemp("sample-browser"))
    G = to_networkx(load_graph(d))
    return write_html(G, d / "graph.html"), G


@pytest.fixture
def opened(browser):
    """Open a page file; closes its context afterwards."""
    pages = []

    def _open(path: Path, **kw):
        page, log = open_page(browser, path.as_uri(), **kw)
        pages.append(page)
        return page, log

    yield _open
    for p in pages:
        p.context.close()


def assert_clean(page, log, url: str) -> None:
    assert log.console_errors == [] and log.page_errors == []
    assert log.blocked == [] and network_requests(log, url) == []
    assert page.evaluate("kg.errors") == []


def test_harness_blocks_and_records_network(browser):
    """The net-off harness itself: a page that fetches is caught, so a clean log means something."""
    page, log = open_page(browser, "data:text/html,<img src='http://example.com/x.png'>", wait_ready=0)
    page.wait_for_timeout(300)
    assert any("example.com" in u for u in log.blocked)
    page.context.close()


def test_seed_page_loads_offline_and_draws(opened, seed_page_file, test_output_dir):
    path, G = seed_page_file
    page, log = opened(path)
    assert_clean(page, log, path.as_uri())
    counts = page.evaluate("() => ({n: kg.nodeCount, e: kg.edgeCount, ds: kg.nodes().length, des: kg.edges().length,"
                           " vis: Object.keys(kg.network().body.nodes).length, mode: kg.mode,"
                           " visible: kg.visible()})")
    n, e = G.number_of_nodes(), G.number_of_edges()
    isolated = sum(1 for v in G if G.degree(v) == 0)
    assert counts["mode"] == "full"
    assert (counts["n"], counts["e"]) == (n, e)
    assert (counts["ds"], counts["des"], counts["vis"]) == (n, e, n)
    assert counts["visible"] == {"nodes": n - isolated, "edges": e}      # fact-less entities off by default
    ink = page.evaluate(CANVAS_INK)
    assert ink["width"] > 300 and ink["height"] > 300
    assert ink["ink"] > 2000, "the network canvas is blank"
    # physics is off once the layout has settled: positions no longer change
    before = page.evaluate("() => kg.network().getPositions()")
    page.wait_for_timeout(400)
    assert page.evaluate("() => kg.network().getPositions()") == before
    shot = test_output_dir / "seed-graph.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000


def _unique_name(G) -> tuple[str, str]:
    """(a name to type, the IRI it must find): an alias if some entity has a unique one."""
    count: dict[str, int] = {}
    for _, d in G.nodes(data=True):
        for name in {d["label"].casefold(), *(a.casefold() for a in d["aliases"])}:
            count[name] = count.get(name, 0) + 1
    best = None
    for n, d in sorted(G.nodes(data=True), key=lambda t: -G.degree(t[0])):
        for a in d["aliases"]:
            if count[a.casefold()] == 1 and len(a) > 3:
                return a, n
        if best is None and count[d["label"].casefold()] == 1:
            best = (d["label"], n)
    assert best, "no entity with a unique name"
    return best


def test_search_focuses_an_entity(opened, seed_page_file):
    path, G = seed_page_file
    page, log = opened(path)
    name, iri = _unique_name(G)
    page.fill("#kg-search", name[: max(3, len(name) - 2)])
    assert page.locator("#kg-results li").count() >= 1
    page.fill("#kg-search", name)
    page.press("#kg-search", "Enter")
    want = page.evaluate(NODE_ID, iri)
    assert page.evaluate("() => kg.network().getSelectedNodes()") == [want]
    assert page.evaluate("() => kg.focused") == want
    assert page.inner_text("#kg-node-details h2") == G.nodes[iri]["label"]
    assert_clean(page, log, path.as_uri())


def test_filters_hide_a_class_and_a_predicate(opened, seed_page_file):
    path, G = seed_page_file
    page, _ = opened(path)
    classes = {}
    for n, d in G.nodes(data=True):
        classes.setdefault(d["cls"], set()).add(n)
    cls = max(classes, key=lambda c: (len(classes[c]), c))
    hidden = classes[cls]
    page.uncheck(f'#kg-classes input[data-class="{cls}"]')
    left_edges = [(u, v, k) for u, v, k in G.edges(keys=True) if u not in hidden and v not in hidden]
    page.check("#kg-isolated-box input")        # fact-less entities on, so every entity counts here
    assert page.evaluate("kg.visible()") == {"nodes": G.number_of_nodes() - len(hidden), "edges": len(left_edges)}
    one = page.evaluate(NODE_ID, next(iter(hidden)))
    assert page.evaluate("(id) => kg.network().body.nodes[id].options.hidden", one) is True
    preds = {}
    for _, _, k in left_edges:
        preds[k] = preds.get(k, 0) + 1
    pred = max(preds, key=lambda p: (preds[p], p))
    page.uncheck(f'#kg-predicates input[data-predicate="{pred}"]')
    assert page.evaluate("kg.visible()")["edges"] == len(left_edges) - preds[pred]
    page.check(f'#kg-classes input[data-class="{cls}"]')
    page.check(f'#kg-predicates input[data-predicate="{pred}"]')
    assert page.evaluate("kg.visible()") == {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}


def test_hover_and_click_show_details(opened, sample):
    path, G = sample
    page, log = opened(path)
    iri = next(n for n, d in G.nodes(data=True) if d["label"] == "Huawei")
    nid = page.evaluate(NODE_ID, iri)
    x, y = page.evaluate("""(id) => { const net = kg.network(); const p = net.canvasToDOM(net.getPositions([id])[id]);
                            const r = document.getElementById('kg-network').getBoundingClientRect();
                            return [r.left + p.x, r.top + p.y]; }""", nid)
    page.mouse.move(x, y)
    page.wait_for_selector("#kg-tooltip:not([hidden])", timeout=5000)
    tip = page.inner_text("#kg-tooltip")
    assert "Huawei" in tip and "Company" in tip and "Huawei Technologies" in tip
    page.mouse.click(x, y)
    details = page.inner_text("#kg-node-details")
    assert "Huawei Technologies Co Ltd" in details and "investsIn" in details and "Gui'an New Area" in details
    # an edge: predicate, confidence, both evidence sentences and their articles
    page.click("#kg-node-details a.kg-link:text-is('investsIn')")
    edge = page.inner_text("#kg-edge-details")
    assert "investsIn" in edge and "confidence 0.80" in edge
    sentences = page.locator("#kg-edge-details blockquote").all_inner_texts()
    want = {ev["sentence"] for d in G.get_edge_data(iri, next(n for n, d in G.nodes(data=True)
                                                              if d["label"] == "Gui'an New Area")).values()
            for ev in d["evidence"] if d["predicate"] == "investsIn"}
    assert set(sentences) == want and len(want) == 2
    assert "from Huawei in Guizhou" in edge
    assert_clean(page, log, path.as_uri())


def test_hostile_article_text_stays_text(opened, sample):
    path, _ = sample
    page, log = opened(path)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.fill("#kg-search", "Evil Corp")
    page.press("#kg-search", "Enter")
    assert page.inner_text("#kg-node-details h2") == EVIL_LABEL
    page.click("#kg-node-details a.kg-link:text-is('locatedIn')")
    assert XSS_SCRIPT in page.inner_text("#kg-edge-details blockquote")
    assert f"from Hostile article {XSS_SCRIPT}" in page.inner_text("#kg-edge-details")
    page.fill("#kg-search", "Changchun")
    page.press("#kg-search", "Enter")
    page.click("#kg-node-details a.kg-link:text-is('capitalOf')")
    assert XSS_IMG in page.inner_text("#kg-edge-details blockquote")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.kgPwned") is None
    assert page.evaluate("() => document.querySelectorAll('img, #kg-details script').length") == 0
    assert dialogs == []
    assert_clean(page, log, path.as_uri())
    # the second wall: even markup that got into the DOM could not run (CSP allows only our two scripts)
    page.evaluate("""() => document.body.insertAdjacentHTML('beforeend',
        '<img src="data:," onerror="window.kgPwned=1"><svg onload="window.kgPwned=2"></svg>')""")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.kgPwned = 3';
                              document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.kgPwned") is None


def test_two_thousand_nodes_settle_in_seconds(opened, tmp_path):
    G = synthetic_graph(2000, 5000)
    path = write_html(G, tmp_path / "2k.html")
    page, log = opened(path)
    assert page.evaluate("kg.mode") == "full"
    assert page.evaluate("kg.stabilizedMs") < 15_000
    assert page.evaluate("kg.visible()") == {"nodes": sum(1 for v in G if G.degree(v)), "edges": 5000}
    hub = max(G.nodes, key=G.degree)
    page.fill("#kg-search", G.nodes[hub]["label"])
    page.press("#kg-search", "Enter")
    assert page.evaluate("() => kg.network().getSelectedNodes()") == [page.evaluate(NODE_ID, hub)]
    assert_clean(page, log, path.as_uri())


def test_large_graph_overview_then_neighbourhood(opened, tmp_path):
    G = synthetic_graph(OVERVIEW_NODES + 200, 2 * OVERVIEW_NODES)
    path = write_html(G, tmp_path / "big.html")
    page, log = opened(path)
    classes = {d["cls"] for _, d in G.nodes(data=True)}
    assert page.evaluate("kg.mode") == "overview"
    assert page.evaluate("kg.nodeCount") == G.number_of_nodes()
    assert page.evaluate("kg.nodes().length") == len(classes)
    assert "overview by class" in page.inner_text("#kg-notice")
    hub = max(G.nodes, key=G.degree)
    page.fill("#kg-search", G.nodes[hub]["label"])
    page.press("#kg-search", "Enter")
    page.wait_for_function("() => kg.mode === 'neighbourhood' && kg.ready")
    assert page.evaluate("() => kg.network().getSelectedNodes()") == [page.evaluate(NODE_ID, hub)]
    assert page.evaluate("kg.nodes().length") == min(400, len(set(G.predecessors(hub)) | set(G.successors(hub)) | {hub}))
    page.click("#kg-back")
    page.wait_for_function("() => kg.mode === 'overview' && kg.ready")
    assert page.evaluate("kg.nodes().length") == len(classes)
    assert_clean(page, log, path.as_uri())


def test_focus_page_opens_on_the_entity(opened, sample, tmp_path):
    from kg.cli import main

    path, G = sample
    out = tmp_path / "focus.html"
    assert main(["view", str(path.parent), "--focus", "Guiyang", "--depth", "1", "-o", str(out)]) == 0
    page, log = opened(out)
    guiyang = next(n for n, d in G.nodes(data=True) if d["label"] == "Guiyang")
    want = {guiyang, *G.predecessors(guiyang), *G.successors(guiyang)}
    assert page.evaluate("kg.nodeCount") == len(want)
    assert page.evaluate("() => kg.network().getSelectedNodes()") == [page.evaluate(NODE_ID, guiyang)]
    assert page.inner_text("#kg-node-details h2") == "Guiyang"
    assert "Neighbourhood of Guiyang" in page.inner_text("#kg-notice")
    assert_clean(page, log, out.as_uri())


# ----------------------------------------------------------------- what a person sees


def _zoom(page, scale: float) -> None:
    page.evaluate("(s) => kg.network().moveTo({scale: s, animation: false})", scale)
    page.wait_for_timeout(150)          # one redraw: label sizes are measured when drawn


def _label_px(G, page, iri: str) -> float:
    """The on-screen font size (CSS px) of an entity's label at the current zoom."""
    nid = page.evaluate(NODE_ID, iri)
    return page.evaluate("(id) => kg.network().body.nodes[id].labelModule.fontOptions.size * kg.network().getScale()",
                         nid)


def test_labels_appear_only_once_legible(opened, seed_page_file, test_output_dir):
    """At the opening zoom only labels big enough to read are drawn; zooming in brings the rest."""
    path, G = seed_page_file
    page, log = opened(path)
    legible = page.evaluate("() => JSON.parse(document.getElementById('kg-data').textContent).legiblePx")
    shown = set(page.evaluate("kg.shownLabels()"))
    visible = page.evaluate("() => kg.nodes().getIds().filter(id => !kg.nodes().get(id).hidden)")
    assert 0 < len(shown) < len(visible) / 4, "at the opening zoom most labels must be hidden"
    for nid in visible:
        px = page.evaluate("(id) => kg.network().body.nodes[id].labelModule.fontOptions.size * kg.network().getScale()", nid)
        assert (nid in shown) == (px >= legible - 1), (nid, px)
    page.screenshot(path=str(test_output_dir / "seed-graph-opening.png"))
    _zoom(page, 1.5)
    assert set(page.evaluate("kg.shownLabels()")) >= set(visible)
    page.screenshot(path=str(test_output_dir / "seed-graph-zoomed.png"))
    assert_clean(page, log, path.as_uri())


def test_searched_and_selected_entity_always_shows_its_label(opened, seed_page_file):
    path, G = seed_page_file
    page, log = opened(path)
    name, iri = _unique_name(G)
    page.fill("#kg-search", name)
    page.press("#kg-search", "Enter")
    nid = page.evaluate(NODE_ID, iri)
    _zoom(page, 0.1)
    assert _label_px(G, page, iri) < 5
    assert page.evaluate("kg.shownLabels()") == [nid]
    # clicking another entity moves the label with the selection
    other = page.evaluate("(id) => kg.nodes().getIds().find(x => x !== id && !kg.nodes().get(x).hidden)", nid)
    page.evaluate("(id) => kg.network().body.emitter.emit('click', {nodes: [id], edges: []})", other)
    _zoom(page, 0.1)
    assert page.evaluate("kg.shownLabels()") == [other]
    assert_clean(page, log, path.as_uri())


def test_entities_without_facts_are_off_by_default_with_a_toggle(opened, seed_page_file, test_output_dir):
    path, G = seed_page_file
    isolated = [v for v in G if G.degree(v) == 0]
    assert isolated, "the seed graph has entities without facts"
    page, log = opened(path)
    toggle = page.locator("#kg-isolated-box label")
    assert "Entities without facts" in toggle.inner_text() and str(len(isolated)) in toggle.inner_text()
    assert not page.is_checked("#kg-isolated-box input")
    one = page.evaluate(NODE_ID, isolated[0])
    assert page.evaluate("(id) => kg.network().body.nodes[id].options.hidden", one) is True
    assert f"({len(isolated)} without facts hidden)" in page.inner_text("#kg-status")
    page.check("#kg-isolated-box input")
    assert page.evaluate("kg.visible()")["nodes"] == G.number_of_nodes()
    page.screenshot(path=str(test_output_dir / "seed-graph-with-factless.png"))
    page.uncheck("#kg-isolated-box input")
    assert page.evaluate("kg.visible()")["nodes"] == G.number_of_nodes() - len(isolated)
    # searching for one of them still shows it
    label = G.nodes[isolated[0]]["label"]
    assert page.evaluate("(q) => kg.search(q)", label)
    page.evaluate("(id) => kg.focusEntity(id)", one)
    assert page.evaluate("(id) => kg.network().body.nodes[id].options.hidden", one) is False
    assert_clean(page, log, path.as_uri())


def test_edge_evidence_names_the_article_by_title_and_date(opened, seed_page_file):
    path, G = seed_page_file
    u, v, k = next((u, v, k) for u, v, k, d in G.edges(keys=True, data=True)
                   if d["predicate"] == "capitalOf" and G.nodes[u]["label"] == "Changchun")
    page, log = opened(path)
    page.evaluate("(id) => kg.focusEntity(id)", page.evaluate(NODE_ID, u))
    page.click("#kg-node-details a.kg-link:text-is('capitalOf')")
    src = page.locator("#kg-edge-details .kg-src").all_inner_texts()
    assert any("from Province looks to its high-tech sectors for future expansion (2018-09-04)" in t for t in src), src
    assert not any("000_c81efb9f7c16b65d" in t or "article/" in t for t in src)
    assert_clean(page, log, path.as_uri())
