"""The page around vis-network: HTML, CSS and JavaScript as strings.

Kept as Python strings (not data files) so they ship with any install of the
package. The page fetches nothing: vis-network's script and stylesheet are
inlined by ``kg.view.page``, the data sits in a ``<script type=
"application/json">`` block, and a Content-Security-Policy forbids every
network request, so even a mistake cannot make the page phone home.

All text from the graph reaches the DOM through ``textContent``, never
``innerHTML``: labels and evidence sentences come from untrusted articles.
As a second wall, the policy allows only the two scripts the page ships, by
their SHA-256, so even markup that slipped through could not run a script or
an inline event handler.
"""
from __future__ import annotations

# Placeholders are replaced with str.replace (the JS is full of braces).
HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src @@SCRIPT_HASHES@@; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; connect-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kg @@VERSION@@">
<title>@@TITLE@@</title>
<style>@@VIS_CSS@@</style>
<style>@@CSS@@</style>
</head>
<body>
<header id="kg-header">
  <span id="kg-title">@@TITLE@@</span>
  <span id="kg-searchbox">
    <input id="kg-search" type="search" placeholder="Find an entity by any of its names" autocomplete="off" aria-label="Search entities">
    <ul id="kg-results" role="listbox"></ul>
  </span>
  <button id="kg-back" type="button" hidden>Back to overview</button>
  <span id="kg-status" role="status">Loading&#8230;</span>
</header>
<div id="kg-notice" hidden></div>
<main id="kg-main">
  <nav id="kg-side">
    <div id="kg-isolated-box"></div>
    <h3>Classes</h3><div id="kg-classes"></div>
    <h3>Predicates</h3><div id="kg-predicates"></div>
  </nav>
  <div id="kg-network"></div>
  <aside id="kg-details"><p class="kg-hint">Click or hover an entity or a fact to see its details.</p></aside>
</main>
<div id="kg-tooltip" hidden></div>
<script type="application/json" id="kg-data">@@DATA@@</script>
<script>@@VIS_JS@@</script>
<script>@@JS@@</script>
</body>
</html>
"""

CSS = r"""
html, body { margin: 0; height: 100%; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; }
body { display: flex; flex-direction: column; }
#kg-header { display: flex; gap: 12px; align-items: center; padding: 6px 10px; background: #263238; color: #fff; }
#kg-title { font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 30%; }
#kg-searchbox { position: relative; flex: 1; max-width: 420px; }
#kg-search { width: 100%; box-sizing: border-box; padding: 4px 8px; border-radius: 4px; border: 0; font: inherit; }
#kg-results { position: absolute; z-index: 20; left: 0; right: 0; margin: 2px 0 0; padding: 0; list-style: none;
  background: #fff; color: #222; box-shadow: 0 4px 12px rgba(0,0,0,.3); max-height: 320px; overflow-y: auto; }
#kg-results li { padding: 4px 8px; cursor: pointer; }
#kg-results li:hover, #kg-results li.active { background: #e3f2fd; }
#kg-results .kg-cls { color: #777; font-size: 11px; margin-left: 6px; }
#kg-status { margin-left: auto; font-size: 12px; color: #cfd8dc; white-space: nowrap; }
#kg-notice { padding: 4px 10px; background: #fff8e1; border-bottom: 1px solid #ffe082; }
#kg-main { flex: 1; display: flex; min-height: 0; }
#kg-side { width: 190px; overflow-y: auto; padding: 6px 10px; border-right: 1px solid #ddd; background: #fafafa; }
#kg-side h3 { font-size: 12px; text-transform: uppercase; color: #555; margin: 10px 0 4px; }
#kg-side label { display: flex; align-items: center; gap: 5px; cursor: pointer; white-space: nowrap; }
#kg-side .kg-count { color: #888; margin-left: auto; font-size: 11px; }
.kg-swatch { display: inline-block; width: 11px; height: 11px; border-radius: 50%; border: 1px solid rgba(0,0,0,.3); }
#kg-network { flex: 1; min-width: 0; position: relative; }
#kg-details { width: 320px; overflow-y: auto; padding: 8px 12px; border-left: 1px solid #ddd; }
#kg-details h2 { font-size: 16px; margin: 4px 0; word-wrap: break-word; }
#kg-details h4 { margin: 10px 0 2px; font-size: 12px; text-transform: uppercase; color: #555; }
#kg-details ul { margin: 0; padding-left: 16px; }
#kg-details blockquote { margin: 4px 0; padding: 4px 8px; border-left: 3px solid #90caf9; background: #f5f9ff; }
#kg-details .kg-src { color: #666; font-size: 11px; }
#kg-details a.kg-link { color: #1565c0; cursor: pointer; text-decoration: underline; }
.kg-hint { color: #777; }
#kg-tooltip { position: fixed; z-index: 30; max-width: 360px; pointer-events: none; padding: 6px 8px;
  background: #fff; border: 1px solid #bbb; border-radius: 4px; box-shadow: 0 2px 8px rgba(0,0,0,.2); }
#kg-tooltip .kg-tt-title { font-weight: 600; }
#kg-tooltip .kg-tt-sub { color: #666; }
"""

JS = r"""
(function () {
  'use strict';
  var kg = window.kg = { ready: false, settled: 0, errors: [], mode: null };
  window.addEventListener('error', function (ev) { kg.errors.push(String(ev.message)); });

  var DATA = JSON.parse(document.getElementById('kg-data').textContent);
  var byId = function (id) { return document.getElementById(id); };
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function push(map, key, val) { var a = map.get(key); if (!a) map.set(key, a = []); a.push(val); }
  function fmt(x) { return (x === null || x === undefined) ? '?' : Number(x).toFixed(2); }

  kg.mode = DATA.mode;
  kg.nodeCount = DATA.nodes.length;
  kg.edgeCount = DATA.edges.length;
  kg.totalNodes = DATA.totalNodes;
  kg.totalEdges = DATA.totalEdges;

  var color = {};
  DATA.classes.forEach(function (c) { color[c.name] = c.color; });
  var nodeById = new Map(), edgeById = new Map(), outE = new Map(), inE = new Map();
  DATA.nodes.forEach(function (n) { nodeById.set(n.id, n); });
  DATA.edges.forEach(function (e) { edgeById.set(e.id, e); push(outE, e.from, e); push(inE, e.to, e); });
  var hiddenClasses = new Set(), hiddenPreds = new Set();
  // entities no fact links float around the edge of the layout: off until asked for
  var showIsolated = false, pinned = null;
  function nodeHidden(n) {
    return hiddenClasses.has(n.cls) || (!showIsolated && n.degree === 0 && n.id !== DATA.focus && n.id !== kg.focused);
  }
  var big = DATA.nodes.length > 800 || DATA.edges.length > 2000;

  // ---- vis-network -------------------------------------------------------
  function visNode(n) {
    return { id: n.id, iri: n.iri, label: n.label, cls: n.cls, value: n.degree + 1, shape: 'dot',
             color: { background: color[n.cls] || '#9e9e9e', border: '#37474f',
                      highlight: { background: color[n.cls] || '#9e9e9e', border: '#000' } },
             hidden: nodeHidden(n) };
  }
  function visEdge(e) {
    return { id: e.id, from: e.from, to: e.to, label: e.predicate, predicate: e.predicate,
             width: 1 + 2 * (e.confidence || 0), hidden: edgeHidden(e) };
  }
  function edgeHidden(e) {
    return hiddenPreds.has(e.predicate) || hiddenClasses.has(nodeById.get(e.from).cls) ||
           hiddenClasses.has(nodeById.get(e.to).cls);
  }
  function nodeScaling(threshold) {
    return { min: 8, max: 42, label: { enabled: true, min: 14, max: 34, maxVisible: 30, drawThreshold: threshold } };
  }
  function options(n) {
    return {
      autoResize: true,
      // a label is drawn once it is legible on screen (DATA.legiblePx), whatever the zoom
      nodes: { scaling: nodeScaling(DATA.legiblePx),
               font: { size: 13, strokeWidth: 3, strokeColor: '#fff' } },
      edges: { arrows: { to: { enabled: true, scaleFactor: 0.6 } }, color: { color: '#90a4ae', highlight: '#1e88e5', hover: '#1e88e5' },
               font: { size: 10, align: 'middle', color: '#546e7a', strokeWidth: 2 },
               smooth: n > 300 ? false : { type: 'continuous' }, scaling: { label: { drawThreshold: 8 } } },
      layout: { improvedLayout: n <= 150, randomSeed: 7 },
      interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: n > 800, hideEdgesOnZoom: n > 2000,
                     navigationButtons: false, keyboard: false, multiselect: false },
      physics: { enabled: true, solver: 'barnesHut',
                 barnesHut: { gravitationalConstant: -6000, centralGravity: n <= 300 ? 0.6 : 0.3, theta: n > 1000 ? 0.8 : 0.5, springLength: 110,
                              springConstant: 0.04, damping: 0.35, avoidOverlap: 0.05 },
                 minVelocity: 1.5, timestep: 0.5,
                 stabilization: { enabled: true, iterations: n <= 300 ? 600 : (n <= 1500 ? 300 : 160),
                                  updateInterval: 20, fit: true } }
    };
  }

  var container = byId('kg-network');
  var network = null, nodesDS = null, edgesDS = null, started = performance.now(), watchdog = null;
  kg.network = function () { return network; };
  // The searched or selected entity always shows its label, at any zoom.
  function pinLabel(id) {
    if (pinned === id || !nodesDS) return;
    if (pinned !== null && nodesDS.get(pinned)) nodesDS.update({ id: pinned, scaling: nodeScaling(DATA.legiblePx) });
    pinned = (id !== null && nodesDS.get(id)) ? id : null;
    if (pinned !== null) nodesDS.update({ id: pinned, scaling: nodeScaling(0) });
  }
  kg.labelShown = function (id) {
    var node = network && network.body.nodes[id];
    return !!(node && !node.options.hidden && node.labelModule.visible());
  };
  kg.shownLabels = function () {
    return nodesDS ? nodesDS.getIds().filter(function (id) { return kg.labelShown(id); }) : [];
  };
  kg.nodes = function () { return nodesDS; };
  kg.edges = function () { return edgesDS; };

  function settle() {
    if (watchdog) { clearTimeout(watchdog); watchdog = null; }
    network.setOptions({ physics: { enabled: false } });
    network.fit({ animation: false });
    kg.settled += 1;
    kg.stabilizedMs = performance.now() - started;
    kg.ready = true;
    updateStatus();
    // kg view --focus NAME: open with that entity selected and its details shown
    if (kg.settled === 1 && DATA.focus !== null && nodesDS.get(DATA.focus)) {
      pinLabel(DATA.focus);
      network.selectNodes([DATA.focus]);
      showNode(DATA.focus);
      kg.focused = DATA.focus;
    }
  }
  // Show a set of nodes and edges (vis items); physics lays them out once, then stops.
  function show(vnodes, vedges) {
    started = performance.now();
    kg.ready = false;
    nodesDS = new vis.DataSet(vnodes);
    pinned = null;
    edgesDS = new vis.DataSet(vedges);
    var opts = options(vnodes.length);
    if (kg.mode === 'overview') {
      opts.physics.barnesHut.springLength = 260;
      opts.physics.barnesHut.gravitationalConstant = -30000;
      opts.edges.font = { size: 0 };
    }
    if (!network) {
      network = new vis.Network(container, { nodes: [], edges: [] }, opts);
      bindEvents();
    } else {
      network.setOptions(opts);
    }
    network.once('stabilizationIterationsDone', settle);
    // A watchdog: if the layout has not settled in 20 s, freeze it where it is.
    watchdog = setTimeout(function () { if (!kg.ready) { network.stopSimulation(); settle(); } }, 20000);
    network.setData({ nodes: nodesDS, edges: edgesDS });
    if (vnodes.length === 0) { settle(); }
  }
  function bindEvents() {
    network.on('stabilizationProgress', function (p) {
      byId('kg-status').textContent = 'Laying out ' + Math.round(100 * p.iterations / p.total) + '%';
    });
    network.on('click', function (p) {
      pinLabel(p.nodes.length ? p.nodes[0] : (kg.focused === undefined ? null : kg.focused));
      if (p.nodes.length) showNode(p.nodes[0]);
      else if (p.edges.length) showEdge(p.edges[0]);
    });
    network.on('doubleClick', function (p) {
      if (kg.mode === 'overview' && p.nodes.length && String(p.nodes[0]).indexOf('class:') === 0) showClass(String(p.nodes[0]).slice(6));
    });
    network.on('hoverNode', function (p) { tooltipFor(nodeTooltip(p.node), p.event || p.pointer); });
    network.on('hoverEdge', function (p) { tooltipFor(edgeTooltip(p.edge), p.event || p.pointer); });
    network.on('blurNode', hideTooltip);
    network.on('blurEdge', hideTooltip);
    network.on('dragStart', hideTooltip);
    network.on('zoom', hideTooltip);
  }

  // ---- tooltips and the details panel (textContent only) ---------------------
  var tooltip = byId('kg-tooltip');
  function tooltipFor(content, ev) {
    if (!content) return;
    tooltip.replaceChildren(content);
    var x = 0, y = 0;
    if (ev && ev.center) { x = ev.center.x; y = ev.center.y; }
    else if (ev && ev.clientX !== undefined) { x = ev.clientX; y = ev.clientY; }
    else if (ev && ev.DOM) { var r = container.getBoundingClientRect(); x = r.left + ev.DOM.x; y = r.top + ev.DOM.y; }
    tooltip.style.left = Math.min(x + 14, window.innerWidth - 370) + 'px';
    tooltip.style.top = (y + 14) + 'px';
    tooltip.hidden = false;
  }
  function hideTooltip() { tooltip.hidden = true; }
  function nodeTooltip(id) {
    var n = nodeById.get(id);
    var box = el('div');
    if (!n) {
      if (String(id).indexOf('class:') === 0) {
        var c = String(id).slice(6);
        box.appendChild(el('div', c, 'kg-tt-title'));
        box.appendChild(el('div', 'Double-click to list its entities', 'kg-tt-sub'));
        return box;
      }
      return null;
    }
    box.appendChild(el('div', n.label, 'kg-tt-title'));
    box.appendChild(el('div', n.cls + (n.geonames ? ' \u00b7 GeoNames ' + n.geonames : '') + (n.iso ? ' \u00b7 ' + n.iso : ''), 'kg-tt-sub'));
    if (n.aliases.length) box.appendChild(el('div', 'Also: ' + n.aliases.join(', ')));
    var o = (outE.get(id) || []).length, i = (inE.get(id) || []).length;
    box.appendChild(el('div', o + ' outgoing, ' + i + ' incoming facts', 'kg-tt-sub'));
    return box;
  }
  function edgeTooltip(id) {
    var e = edgeById.get(id);
    if (!e) {
      var info = aggInfo.get(id);
      if (!info) return null;
      var agg = el('div');
      agg.appendChild(el('div', info.from + ' \u2192 ' + info.to + ': ' + info.n + ' facts', 'kg-tt-title'));
      Array.from(info.preds.entries()).sort(function (x, y) { return y[1] - x[1]; })
        .forEach(function (pc) { agg.appendChild(el('div', pc[0] + ': ' + pc[1], 'kg-tt-sub')); });
      return agg;
    }
    var box = el('div');
    box.appendChild(el('div', nodeById.get(e.from).label + ' \u2192 ' + e.predicate + ' \u2192 ' + nodeById.get(e.to).label, 'kg-tt-title'));
    box.appendChild(el('div', 'confidence ' + fmt(e.confidence) + ', ' + e.evidence.length + ' evidence sentence(s)', 'kg-tt-sub'));
    if (e.evidence.length) box.appendChild(el('div', '\u201c' + (e.evidence[0].sentence || '') + '\u201d'));
    return box;
  }
  var details = byId('kg-details');
  function link(text, onclick) {
    var a = el('a', text, 'kg-link');
    a.addEventListener('click', function (ev) { ev.preventDefault(); onclick(); });
    return a;
  }
  function factItem(e, outgoing) {
    var li = el('li');
    var other = nodeById.get(outgoing ? e.to : e.from);
    if (outgoing) { li.appendChild(link(e.predicate, function () { selectEdge(e.id); })); li.appendChild(document.createTextNode(' \u2192 ')); li.appendChild(link(other.label, function () { focusEntity(other.id); })); }
    else { li.appendChild(link(other.label, function () { focusEntity(other.id); })); li.appendChild(document.createTextNode(' \u2192 ')); li.appendChild(link(e.predicate, function () { selectEdge(e.id); })); }
    li.appendChild(el('span', ' (' + fmt(e.confidence) + ')', 'kg-src'));
    return li;
  }
  function showNode(id) {
    var n = nodeById.get(id);
    if (!n) { if (String(id).indexOf('class:') === 0) showClass(String(id).slice(6)); return; }
    var box = el('div'); box.id = 'kg-node-details'; box.dataset.id = String(id);
    box.appendChild(el('h2', n.label));
    var cls = el('div'); var sw = el('span', null, 'kg-swatch'); sw.style.background = color[n.cls] || '#9e9e9e';
    cls.appendChild(sw); cls.appendChild(document.createTextNode(' ' + n.cls)); box.appendChild(cls);
    if (n.aliases.length) { box.appendChild(el('h4', 'Also known as')); var ul = el('ul'); n.aliases.forEach(function (a) { ul.appendChild(el('li', a)); }); box.appendChild(ul); }
    var ids = el('ul');
    if (n.geonames) ids.appendChild(el('li', 'GeoNames ' + n.geonames));
    if (n.iso) ids.appendChild(el('li', 'ISO 3166-2 ' + n.iso));
    n.sameAs.forEach(function (s) { ids.appendChild(el('li', 'sameAs ' + s)); });
    ids.appendChild(el('li', n.iri, 'kg-src'));
    box.appendChild(el('h4', 'Identifiers')); box.appendChild(ids);
    var outs = outE.get(id) || [], ins = inE.get(id) || [];
    box.appendChild(el('h4', 'Facts (' + (outs.length + ins.length) + ')'));
    var fl = el('ul');
    outs.forEach(function (e) { fl.appendChild(factItem(e, true)); });
    ins.forEach(function (e) { fl.appendChild(factItem(e, false)); });
    box.appendChild(fl);
    details.replaceChildren(box);
  }
  function showEdge(id) {
    var e = edgeById.get(id);
    if (!e) return;
    var box = el('div'); box.id = 'kg-edge-details'; box.dataset.id = String(id);
    var h = el('h2');
    h.appendChild(link(nodeById.get(e.from).label, function () { focusEntity(e.from); }));
    h.appendChild(document.createTextNode(' \u2192 ' + e.predicate + ' \u2192 '));
    h.appendChild(link(nodeById.get(e.to).label, function () { focusEntity(e.to); }));
    box.appendChild(h);
    box.appendChild(el('div', 'Predicate: ' + e.predicate + ' \u00b7 confidence ' + fmt(e.confidence)));
    box.appendChild(el('h4', 'Evidence (' + e.evidence.length + ')'));
    e.evidence.forEach(function (ev) {
      box.appendChild(el('blockquote', ev.sentence || ''));
      var src = 'from ' + (ev.articleTitle || 'an untitled article') + (ev.articleDate ? ' (' + ev.articleDate + ')' : '') +
                ' \u00b7 confidence ' + fmt(ev.confidence) +
                (ev.extractor ? ' \u00b7 ' + ev.extractor : '') + (ev.role ? ' \u00b7 role: ' + ev.role : '');
      box.appendChild(el('div', src, 'kg-src'));
    });
    details.replaceChildren(box);
  }
  function showClass(cls) {
    var box = el('div');
    box.appendChild(el('h2', cls));
    var members = DATA.nodes.filter(function (n) { return n.cls === cls; }).sort(function (a, b) { return b.degree - a.degree; });
    box.appendChild(el('div', members.length + ' entities; the most connected:', 'kg-src'));
    var ul = el('ul');
    members.slice(0, 50).forEach(function (n) { var li = el('li'); li.appendChild(link(n.label, function () { focusEntity(n.id); })); ul.appendChild(li); });
    box.appendChild(ul);
    details.replaceChildren(box);
  }
  function selectEdge(id) {
    if (edgesDS && edgesDS.get(id)) { network.selectEdges([id]); }
    showEdge(id);
  }

  // ---- the three modes: whole graph, overview by class, one neighbourhood ----
  function showAll() {
    kg.mode = 'full';
    show(DATA.nodes.map(visNode), DATA.edges.map(visEdge));
  }
  var aggInfo = new Map();
  function showOverview() {
    kg.mode = 'overview';
    byId('kg-back').hidden = true;
    var counts = new Map();
    aggInfo = new Map();
    DATA.nodes.forEach(function (n) { if (!nodeHidden(n)) counts.set(n.cls, (counts.get(n.cls) || 0) + 1); });
    // one edge per ordered pair of classes; its tooltip breaks the count down by predicate
    DATA.edges.forEach(function (e) {
      if (edgeHidden(e)) return;
      var a = nodeById.get(e.from).cls, b = nodeById.get(e.to).cls, key = 'agg:' + a + '\u2192' + b;
      var info = aggInfo.get(key);
      if (!info) aggInfo.set(key, info = { from: a, to: b, n: 0, preds: new Map() });
      info.n += 1;
      info.preds.set(e.predicate, (info.preds.get(e.predicate) || 0) + 1);
    });
    var vnodes = [], vedges = [], most = 1;
    aggInfo.forEach(function (info) { most = Math.max(most, info.n); });
    counts.forEach(function (c, cls) {
      vnodes.push({ id: 'class:' + cls, label: cls + ' (' + c + ')', value: c, shape: 'dot',
                    color: { background: color[cls] || '#9e9e9e', border: '#37474f' } });
    });
    aggInfo.forEach(function (info, key) {
      vedges.push({ id: key, from: 'class:' + info.from, to: 'class:' + info.to,
                    width: 1 + 9 * Math.sqrt(info.n / most), smooth: { type: 'curvedCW', roundness: 0.15 } });
    });
    show(vnodes, vedges);
  }
  function showNeighbourhood(id) {
    kg.mode = 'neighbourhood';
    byId('kg-back').hidden = false;
    var keep = new Set([id]);
    (outE.get(id) || []).forEach(function (e) { keep.add(e.to); });
    (inE.get(id) || []).forEach(function (e) { keep.add(e.from); });
    var ids = Array.from(keep).sort(function (a, b) { return nodeById.get(b).degree - nodeById.get(a).degree; }).slice(0, 400);
    if (ids.indexOf(id) < 0) ids[ids.length - 1] = id;
    keep = new Set(ids);
    var nodes = ids.map(function (i) { return visNode(nodeById.get(i)); });
    var edges = DATA.edges.filter(function (e) { return keep.has(e.from) && keep.has(e.to); }).map(visEdge);
    show(nodes, edges);
  }
  byId('kg-back').addEventListener('click', function () { showOverview(); });

  function focusEntity(id) {
    var n = nodeById.get(id);
    if (!n) return false;
    if (hiddenClasses.has(n.cls)) { setClassVisible(n.cls, true); }
    kg.focused = id;
    if (n.degree === 0 && !showIsolated && nodesDS && nodesDS.get(id)) nodesDS.update({ id: id, hidden: false });
    if (kg.mode !== 'full' && !(nodesDS && nodesDS.get(id))) {
      showNeighbourhood(id);
      network.once('stabilizationIterationsDone', function () { finishFocus(id); });
      if (kg.ready) finishFocus(id);
    } else {
      finishFocus(id);
    }
    showNode(id);
    kg.focused = id;
    return true;
  }
  function finishFocus(id) {
    pinLabel(id);
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 300, easingFunction: 'easeInOutQuad' } });
  }
  kg.focusEntity = focusEntity;

  // ---- filters -------------------------------------------------------------
  function applyFilters() {
    if (kg.mode === 'overview') { showOverview(); return; }
    var nu = [], eu = [];
    nodesDS.forEach(function (v) { var h = nodeHidden(nodeById.get(v.id)); if (!!v.hidden !== h) nu.push({ id: v.id, hidden: h }); });
    nodesDS.update(nu);
    edgesDS.forEach(function (v) { var h = edgeHidden(edgeById.get(v.id)); if (!!v.hidden !== h) eu.push({ id: v.id, hidden: h }); });
    edgesDS.update(eu);
    updateStatus();
  }
  function setClassVisible(cls, visible) {
    if (visible) hiddenClasses.delete(cls); else hiddenClasses.add(cls);
    var box = document.querySelector('#kg-classes input[data-class="' + cls + '"]');
    if (box) box.checked = visible;
    applyFilters();
  }
  kg.visible = function () {
    if (!nodesDS) return { nodes: 0, edges: 0 };
    return { nodes: nodesDS.get({ filter: function (v) { return !v.hidden; } }).length,
             edges: edgesDS.get({ filter: function (v) { return !v.hidden; } }).length };
  };
  function checkbox(kind, name, count, swatch, onchange) {
    var label = el('label');
    var box = el('input'); box.type = 'checkbox'; box.checked = true; box.dataset[kind] = name;
    box.addEventListener('change', function () { onchange(box.checked); });
    label.appendChild(box);
    if (swatch) { var sw = el('span', null, 'kg-swatch'); sw.style.background = swatch; label.appendChild(sw); }
    label.appendChild(el('span', name));
    label.appendChild(el('span', count, 'kg-count'));
    return label;
  }
  if (DATA.isolated) {
    var iso = checkbox('isolated', 'Entities without facts', DATA.isolated, null, function (on) {
      showIsolated = on;
      applyFilters();
    });
    iso.querySelector('input').checked = false;
    iso.title = 'Entities no fact links to anything; hidden by default';
    byId('kg-isolated-box').appendChild(iso);
  }
  kg.setIsolatedVisible = function (on) {
    var box = document.querySelector('#kg-isolated-box input');
    if (box) box.checked = on;
    showIsolated = on;
    applyFilters();
  };
  DATA.classes.forEach(function (c) {
    byId('kg-classes').appendChild(checkbox('class', c.name, c.count, c.color, function (on) { setClassVisible(c.name, on); }));
  });
  DATA.predicates.forEach(function (p) {
    byId('kg-predicates').appendChild(checkbox('predicate', p.name, p.count, null, function (on) {
      if (on) hiddenPreds.delete(p.name); else hiddenPreds.add(p.name);
      applyFilters();
    }));
  });

  // ---- search: any name, exact before prefix before substring ----------------
  var names = DATA.nodes.map(function (n) { return [n.label].concat(n.aliases).map(function (s) { return s.toLowerCase(); }); });
  function search(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var hits = [];
    DATA.nodes.forEach(function (n, i) {
      var best = 9;
      names[i].forEach(function (s) {
        var r = s === q ? 0 : (s.indexOf(q) === 0 ? 1 : (s.indexOf(q) > 0 ? 2 : 9));
        if (r < best) best = r;
      });
      if (best < 9) hits.push([best, -n.degree, n.label, n]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0); });
    return hits.slice(0, 15).map(function (h) { return h[3]; });
  }
  kg.search = function (q) { return search(q).map(function (n) { return n.id; }); };
  var input = byId('kg-search'), results = byId('kg-results'), current = [];
  function renderResults() {
    current = search(input.value);
    results.replaceChildren();
    current.forEach(function (n, i) {
      var li = el('li'); li.setAttribute('role', 'option'); if (i === 0) li.className = 'active';
      li.appendChild(el('span', n.label));
      var alias = n.aliases.filter(function (a) { return a.toLowerCase().indexOf(input.value.trim().toLowerCase()) >= 0; })[0];
      li.appendChild(el('span', n.cls + (alias && n.label.toLowerCase().indexOf(input.value.trim().toLowerCase()) < 0 ? ' \u00b7 ' + alias : ''), 'kg-cls'));
      li.addEventListener('mousedown', function (ev) { ev.preventDefault(); pick(n); });
      results.appendChild(li);
    });
    if (input.value.trim() && !current.length) results.appendChild(el('li', 'No entity has that name', 'kg-hint'));
  }
  function pick(n) { results.replaceChildren(); focusEntity(n.id); }
  input.addEventListener('input', renderResults);
  input.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter') { ev.preventDefault(); renderResults(); if (current.length) pick(current[0]); }
    else if (ev.key === 'Escape') { results.replaceChildren(); }
  });
  input.addEventListener('blur', function () { setTimeout(function () { results.replaceChildren(); }, 150); });

  // ---- status line and start -----------------------------------------------
  function updateStatus() {
    var v = kg.visible();
    var text = kg.mode === 'overview'
      ? 'Overview: ' + DATA.nodes.length + ' entities in ' + v.nodes + ' classes; search to open one'
      : v.nodes + ' entities, ' + v.edges + ' facts shown' +
        (DATA.isolated && !showIsolated ? ' (' + DATA.isolated + ' without facts hidden)' : '');
    byId('kg-status').textContent = text;
  }
  if (DATA.notice) { var nb = byId('kg-notice'); nb.textContent = DATA.notice; nb.hidden = false; }
  if (!DATA.nodes.length) { details.replaceChildren(el('p', 'This graph has no entities yet: build it from some articles with kg build.', 'kg-hint')); }
  if (DATA.mode === 'overview') showOverview(); else showAll();
})();
"""
