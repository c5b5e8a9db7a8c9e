
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
  // The ego subject is drawn last (on top of the place and stage hubs) and marked.
  if (spec.focus) {
    var last = spec.nodes.filter(function (n) { return n.id === spec.focus; });
    spec.nodes = spec.nodes.filter(function (n) { return n.id !== spec.focus; }).concat(last);
    if (!preset) { nodes = new vis.DataSet(spec.nodes); }
  }
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
  if (search) {
    search.addEventListener("input", function () {
      var params = new URLSearchParams(window.location.search);
      if (search.value) { params.set("q", search.value); } else { params.delete("q"); }
      var qs = params.toString();
      history.replaceState(null, "", (qs ? "?" + qs : window.location.pathname) + window.location.hash);
      runSearch();
    });
    var q0 = new URLSearchParams(window.location.search).get("q");
    if (q0) { search.value = q0; network.once("afterDrawing", runSearch); }
  }
  // Legible labels at any zoom: the important nodes (places, stages, the best connected, the ego subject)
  // keep a 13 px label on screen; the others show theirs once zoomed in far enough (drawThreshold).
  var LABEL_PX = 13, lastScale = null, lastView = "";
  var ranked = spec.nodes.filter(function (n) { return n.important || n.id === spec.focus; })
    .sort(function (a, b) { return (a.id === spec.focus ? -1 : 0) - (b.id === spec.focus ? -1 : 0) || (a.rank || 0) - (b.rank || 0); });
  function scaleLabels() {
    var scale = network.getScale(), view = network.getViewPosition();
    var key = Math.round(view.x) + "," + Math.round(view.y);
    if (!scale || (lastScale && Math.abs(scale - lastScale) / lastScale < 0.05 && key === lastView)) { return; }
    lastScale = scale;
    lastView = key;
    var size = Math.max(LABEL_PX, LABEL_PX / scale), kept = [], updates = [];
    var pos = network.getPositions(ranked.map(function (n) { return n.id; }));
    ranked.forEach(function (n) {
      // keep a label only where it does not cover one already kept (screen space, estimated box)
      var p = pos[n.id] ? network.canvasToDOM(pos[n.id]) : null;
      var w = Math.min((n.label || "").length, 40) * LABEL_PX * 0.55, h = LABEL_PX + 4;
      var box = p && {x0: p.x - w / 2, x1: p.x + w / 2, y0: p.y, y1: p.y + h * 1.6};
      var free = box && !nodes.get(n.id).hidden && kept.every(function (k) {
        return box.x1 < k.x0 || box.x0 > k.x1 || box.y1 < k.y0 || box.y0 > k.y1; });
      if (free) { kept.push(box); }
      updates.push({id: n.id, font: free ? {size: size, face: "system-ui, sans-serif", strokeWidth: 4, strokeColor: "#ffffff",
                                            color: "#111111"} : {size: 13, color: "#343434", strokeWidth: 3}});
    });
    nodes.update(updates);
    window.egovLabelPx = size * scale;
    window.egovLabelled = kept.length;
  }
  network.on("afterDrawing", scaleLabels);  // after any zoom, fit or focus (cheap when the scale did not move)
  network.once("afterDrawing", selectFromHash);
  // State in the URL: #id selects a node; Back returns to the previous selection.
  function selectFromHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (id && byId[id]) {
      network.selectNodes([id]);
      network.focus(id, {scale: Math.max(network.getScale(), 0.9), animation: false});
      showSelected(id);
      window.egovSelected = id;
    } else if (spec.focus && byId[spec.focus]) {
      network.selectNodes([spec.focus]);
      showSelected(spec.focus);
      window.egovSelected = spec.focus;
    } else {
      network.unselectAll();
      showSelected(null);
      window.egovSelected = null;
    }
  }
  network.on("selectNode", function (p) {
    var id = p.nodes[0];
    if (id && ("#" + encodeURIComponent(id)) !== window.location.hash) { history.pushState(null, "", "#" + encodeURIComponent(id)); }
    window.egovSelected = id;
  });
  window.addEventListener("hashchange", selectFromHash);
  window.addEventListener("popstate", selectFromHash);
  showCount(spec.nodes.length);  // all shown at first; no DataSet update needed
  showSelected(null);
  window.egovNetwork = network; window.egovNodes = nodes; window.egovEdges = edges;
  window.egovSearch = function (q) { search.value = q; return runSearch(); };
  window.egovApplyFilters = applyFilters;
})();
