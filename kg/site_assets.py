"""The site's own CSS and JavaScript, kept as text so they ship inside the package.

They are written once into build/site/assets/ (or inlined into a single-file
page). The scripts never build markup from data: every label goes into the DOM
through textContent or as a vis-network title string, which vis-network 9 shows
with innerText, so a label can never become HTML.
"""

from __future__ import annotations

SITE_CSS = """
:root { --social:#e4572e; --technical:#2e86ab; --contextual:#76b041; --other:#9e9e9e; --ink:#222; --muted:#666; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: var(--ink); line-height: 1.45; }
a { color: #1b5e8a; }
nav.top { background: #23395b; padding: .4em 1em; display: flex; flex-wrap: wrap; gap: .2em 1.2em; align-items: baseline; }
nav.top a { color: #fff; text-decoration: none; }
nav.top a.brand { font-weight: 700; margin-right: 1em; }
nav.top a:hover, nav.top a.active { text-decoration: underline; }
main { max-width: 72em; margin: 0 auto; padding: 1em 1.5em 3em; }
main.wide { max-width: none; padding: 0; }
main.wide .pad { padding: .5em 1.5em 3em; }
h1 { font-size: 1.6em; margin: .4em 0; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5em 0; font-size: .92em; }
th, td { border: 1px solid #ddd; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #f3f5f8; }
pre { background: #f6f8fa; padding: .8em; overflow-x: auto; font-size: .85em; border: 1px solid #e1e4e8; }
code { font-size: .92em; }
.muted { color: var(--muted); } .small { font-size: .85em; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(15em, 1fr)); gap: .8em; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: .6em .8em; background: #fbfbfd; }
.card h3 { margin: .1em 0 .3em; font-size: 1.05em; }
.kind { display: inline-block; font-size: .8em; padding: 0 .45em; border-radius: 3px; color: #fff; background: var(--other); }
.kind.social { background: var(--social); } .kind.technical { background: var(--technical); }
.kind.contextual { background: var(--contextual); }
blockquote.quote { margin: .3em 0 .3em 0; padding: .3em .8em; border-left: 4px solid #c9d3e0; background: #f7f9fc; }
.source { margin-bottom: 1em; }
ul.entities { columns: 2 22em; padding-left: 1.2em; } ul.entities li { break-inside: avoid; }
input[type=search] { font-size: 1em; padding: .3em .5em; width: 100%; max-width: 28em; }
.swatch { display: inline-block; width: .9em; height: .9em; border-radius: 50%; vertical-align: middle; margin-right: .3em; }
.view { display: flex; height: calc(100vh - 2.3em); }
.panel { width: 19em; flex: none; overflow-y: auto; padding: .6em .9em; border-right: 1px solid #ddd;
         background: #fafafa; font-size: .9em; }
.panel h1 { font-size: 1.2em; } .panel fieldset { border: 1px solid #ddd; margin: .6em 0; padding: .3em .6em; }
.panel label { display: block; } .panel select { width: 100%; }
.panel svg { vertical-align: middle; margin-right: .3em; }
#net { flex: 1; min-width: 0; height: 100%; }
.view.embedded { height: 36em; border: 1px solid #ddd; margin: .5em 0; }
.view.embedded .panel h2 { margin-top: .2em; font-size: 1.05em; border: none; }
.vis-tooltip { white-space: pre-wrap !important; max-width: 34em; font-family: system-ui, sans-serif !important;
               font-size: 13px !important; }
#selected { margin-top: .6em; padding: .4em; border: 1px dashed #ccc; min-height: 2em; }
.timeline-plot { width: 100%; min-height: 30em; }
.hidden { display: none; }
"""

NETVIEW_JS = r"""
(function () {
  "use strict";
  // The single-file page (egovkg graph) builds its DataSets inline as window.egovPreset; site pages carry JSON.
  var preset = window.egovPreset;
  var spec = preset ? {nodes: preset.nodes.get(), edges: preset.edges.get(), positioned: preset.positioned}
                    : JSON.parse(document.getElementById("egov-view").textContent);
  var nodes = preset ? preset.nodes : new vis.DataSet(spec.nodes);
  var edges = preset ? preset.edges : new vis.DataSet(spec.edges);
  var big = spec.nodes.length > 1000;
  var options = {
    autoResize: true,
    layout: {improvedLayout: false, randomSeed: 1},
    physics: spec.positioned ? false : {
      stabilization: {iterations: 250, updateInterval: 50},
      barnesHut: {gravitationalConstant: -6000, springLength: 110, damping: 0.5, avoidOverlap: 0.1},
      minVelocity: 1.5
    },
    nodes: {font: {size: 13, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff"},
            scaling: {label: {drawThreshold: 10}}, borderWidth: 1},
    edges: {arrows: {to: {enabled: true, scaleFactor: 0.45}}, smooth: false, width: 0.8,
            color: {color: "#b9b9b9", highlight: "#333333", hover: "#555555"},
            font: {size: 9, color: "#555555", strokeWidth: 2, align: "middle"}},
    interaction: {hover: !big, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big, keyboard: false}
  };
  var container = document.getElementById("net");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
  function markStable() {
    if (window.egovStable) { return; }
    window.egovStableMs = performance.now();
    window.egovStable = true;
    document.body.setAttribute("data-stable", "1");
  }
  if (spec.positioned) {
    network.once("afterDrawing", markStable);
  } else {
    network.once("stabilizationIterationsDone", function () { network.setOptions({physics: false}); markStable(); });
  }
  var byId = {};
  spec.nodes.forEach(function (n) { byId[n.id] = n; });
  var count = document.getElementById("count");
  function familyBoxes() { return Array.prototype.slice.call(document.querySelectorAll("input.family-filter")); }
  function value(id) { var el = document.getElementById(id); return el ? el.value : ""; }
  function applyFilters(fit) {
    var fams = {};
    familyBoxes().forEach(function (b) { fams[b.value] = b.checked; });
    var place = value("place-filter"), stage = value("stage-filter");
    var updates = [], visible = [];
    spec.nodes.forEach(function (n) {
      var show = fams[n.family] !== false && (!place || n.places.indexOf(place) >= 0) &&
                 (!stage || n.stages.indexOf(stage) >= 0);
      if (show) { visible.push(n.id); }
      updates.push({id: n.id, hidden: !show});
    });
    nodes.update(updates);
    if (fit === true && visible.length) { network.fit({nodes: visible, animation: false}); }
    showCount(visible.length);
  }
  function showCount(shown) {
    window.egovVisibleCount = shown;
    if (count) { count.textContent = shown + " of " + spec.nodes.length + " nodes shown, " + spec.edges.length + " links"; }
  }
  familyBoxes().forEach(function (b) { b.addEventListener("change", function () { applyFilters(false); }); });
  ["place-filter", "stage-filter"].forEach(function (id) {
    var el = document.getElementById(id);
    if (el) { el.addEventListener("change", function () { applyFilters(true); }); }
  });
  var reset = document.getElementById("reset-filters");
  if (reset) {
    reset.addEventListener("click", function () {
      familyBoxes().forEach(function (b) { b.checked = true; });
      ["place-filter", "stage-filter"].forEach(function (id) {
        var el = document.getElementById(id);
        if (el) { el.value = ""; }
      });
      applyFilters(false);
      network.fit();
    });
  }
  var selected = document.getElementById("selected");
  function showSelected(id) {
    if (!selected) { return; }
    while (selected.firstChild) { selected.removeChild(selected.firstChild); }
    var n = byId[id];
    if (!n) { selected.textContent = "Click a node to see it here; double-click opens its page."; return; }
    var b = document.createElement("strong");
    b.textContent = n.fullLabel;
    selected.appendChild(b);
    var p = document.createElement("div");
    p.className = "small muted";
    p.textContent = n.kindLabel + (n.when ? " \u00b7 " + n.when : "");
    selected.appendChild(p);
    if (n.url) {
      var a = document.createElement("a");
      a.href = n.url;
      a.textContent = "Open its page (facts and sources)";
      selected.appendChild(a);
    }
  }
  network.on("click", function (p) { showSelected(p.nodes.length ? p.nodes[0] : null); });
  network.on("doubleClick", function (p) {
    if (p.nodes.length && byId[p.nodes[0]] && byId[p.nodes[0]].url) { window.location.href = byId[p.nodes[0]].url; }
  });
  var search = document.getElementById("search"), status = document.getElementById("search-status");
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    if (!q) { network.unselectAll(); if (status) { status.textContent = ""; } return []; }
    var hits = spec.nodes.filter(function (n) {
      return !nodes.get(n.id).hidden && (n.fullLabel.toLowerCase().indexOf(q) >= 0 || n.id.indexOf(q) >= 0);
    }).map(function (n) { return n.id; });
    network.selectNodes(hits);
    if (hits.length) { network.fit({nodes: hits, animation: false}); }
    if (hits.length === 1) { showSelected(hits[0]); }
    if (status) { status.textContent = hits.length + (hits.length === 1 ? " match" : " matches"); }
    return hits;
  }
  if (search) { search.addEventListener("input", runSearch); }
  showCount(spec.nodes.length);  // all shown at first; no DataSet update needed
  showSelected(null);
  window.egovNetwork = network; window.egovNodes = nodes; window.egovEdges = edges;
  window.egovSearch = function (q) { search.value = q; return runSearch(); };
  window.egovApplyFilters = applyFilters;
})();
"""

LIST_FILTER_JS = r"""
(function () {
  "use strict";
  var input = document.getElementById("filter");
  if (!input) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));
  var status = document.getElementById("filter-status");
  function apply() {
    var q = input.value.trim().toLowerCase(), shown = 0;
    items.forEach(function (li) {
      var ok = !q || li.getAttribute("data-filter").indexOf(q) >= 0;
      li.classList.toggle("hidden", !ok);
      if (ok) { shown += 1; }
    });
    document.querySelectorAll("section.group").forEach(function (sec) {
      sec.classList.toggle("hidden", !sec.querySelector("[data-filter]:not(.hidden)"));
    });
    if (status) { status.textContent = shown + " of " + items.length + " shown"; }
  }
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) { input.value = q; }
  input.addEventListener("input", apply);
  apply();
})();
"""

TIMELINE_JS = r"""
(function () {
  "use strict";
  var gd = document.getElementById("timeline");
  var fig = JSON.parse(document.getElementById("egov-figure").textContent);
  if (!gd || !window.Plotly) { return; }
  window.Plotly.newPlot(gd, fig.data, fig.layout, fig.config).then(function () {
    gd.on("plotly_click", function (ev) {
      var p = ev.points && ev.points[0];
      if (p && p.customdata && p.customdata[1]) { window.location.href = p.customdata[1]; }
    });
    window.egovStableMs = performance.now();
    window.egovStable = true;
  });
})();
"""
