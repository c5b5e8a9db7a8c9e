
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
    interaction: {hover: !big, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                  keyboard: {enabled: true, bindToWindow: false}, navigationButtons: false}
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
  familyBoxes().forEach(function (b) { b.addEventListener("change", function () { applyFilters(false); pushState(); }); });
  ["place-filter", "stage-filter"].forEach(function (id) {
    var el = document.getElementById(id);
    if (el) {
      el.addEventListener("change", function () {
        if (id === "place-filter" && el.value) { openFor([el.value]); }
        applyFilters(true);
        pushState();
      });
    }
  });
  var reset = document.getElementById("reset-filters");
  if (reset) {
    reset.addEventListener("click", function () {
      familyBoxes().forEach(function (b) { b.checked = true; });
      ["place-filter", "stage-filter"].forEach(function (id) {
        var el = document.getElementById(id);
        if (el) { el.value = ""; }
      });
      if (search) { search.value = ""; runSearch(); }
      applyFilters(false);
      network.fit();
      pushState();
    });
  }
  // The overview (whole graph): one node per place, opened on click; stages stay visible.
  var clusters = spec.clusters || [], closed = {};
  function inClosed(id) { return !!(byId[id] && byId[id].cluster && closed[byId[id].cluster]); }
  function closeCluster(c) {
    if (closed[c.id]) { return; }
    network.cluster({
      joinCondition: function (o) { return o.cluster === c.id; },
      clusterNodeProperties: {id: "cluster:" + c.id, label: container.clientWidth < 600 ? c.label + "\n" + c.count : c.label + "\n" + c.count + " records \u00b7 click to open",
                              title: c.label + ": " + c.count + " records. Click to open.", shape: "box", x: c.x, y: c.y,
                              borderWidth: 2, margin: 10, color: {background: "#eef2f7", border: "#4a5a70"},
                              font: {size: 15, color: "#111111", multi: false}, physics: false}
    });
    closed[c.id] = true;
  }
  function openCluster(cid) {
    if (!closed[cid]) { return; }
    closed[cid] = false;  // before opening: vis redraws (and scaleLabels runs) inside openCluster
    network.openCluster("cluster:" + cid, {releaseFunction: function (center, inside) {
      var out = {};
      Object.keys(inside).forEach(function (id) { out[id] = byId[id] && byId[id].x !== undefined ? {x: byId[id].x, y: byId[id].y} : inside[id]; });
      return out;
    }});
    closed[cid] = false;
    lastScale = null;
    window.egovClustersClosed = clusters.filter(function (c) { return closed[c.id]; }).length;
  }
  function setOpen(isOpen) {
    clusters.forEach(function (c) { if (isOpen(c)) { openCluster(c.id); } else { closeCluster(c); } });
    lastScale = null;
    window.egovClustersClosed = clusters.filter(function (c) { return closed[c.id]; }).length;
  }
  function openFor(ids) {  // open the clusters holding these nodes (or these places' clusters)
    ids.forEach(function (id) {
      var cid = byId[id] && byId[id].cluster;
      if (closed[id]) { openCluster(id); }
      if (cid && closed[cid]) { openCluster(cid); }
    });
    window.egovClustersClosed = clusters.filter(function (c) { return closed[c.id]; }).length;
  }
  var overview = document.getElementById("overview"), openAll = document.getElementById("open-all");
  if (overview) { overview.addEventListener("click", function () { setOpen(function () { return false; }); network.fit(); pushState(); }); }
  if (openAll) { openAll.addEventListener("click", function () { setOpen(function () { return true; }); network.fit(); pushState(); }); }
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
  network.on("click", function (p) {
    var id = p.nodes.length ? p.nodes[0] : null;
    if (id && id.indexOf("cluster:") === 0) {
      var cid = id.slice(8);
      openCluster(cid);
      network.fit({nodes: spec.nodes.filter(function (n) { return n.cluster === cid; }).map(function (n) { return n.id; }),
                   animation: false});
      pushState();
      return;
    }
    showSelected(id);
  });
  network.on("doubleClick", function (p) {
    if (p.nodes.length && byId[p.nodes[0]] && byId[p.nodes[0]].url) { window.location.href = byId[p.nodes[0]].url; }
  });
  var search = document.getElementById("search"), status = document.getElementById("search-status");
  function searchHits() {
    var q = search ? search.value.trim().toLowerCase() : "";
    if (!q) { return []; }
    return spec.nodes.filter(function (n) {
      return !nodes.get(n.id).hidden && (n.fullLabel.toLowerCase().indexOf(q) >= 0 || n.id.indexOf(q) >= 0);
    }).map(function (n) { return n.id; });
  }
  function runSearch() {
    if (!search) { return []; }
    var q = search.value.trim();
    if (!q) { if (!window.location.hash) { network.unselectAll(); } if (status) { status.textContent = ""; } return []; }
    var hits = searchHits();
    network.selectNodes(hits);
    if (hits.length) { network.fit({nodes: hits, animation: false}); }
    if (hits.length === 1) { showSelected(hits[0]); window.egovSelected = hits[0]; }
    if (status) { status.textContent = hits.length + (hits.length === 1 ? " match" : " matches"); }
    return hits;
  }
  if (search) {
    search.addEventListener("input", function () { openFor(searchHits()); runSearch(); });
    search.addEventListener("change", function () { pushState(); });  // Enter or leaving the box: a history entry
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
      var free = box && !nodes.get(n.id).hidden && !inClosed(n.id) && kept.every(function (k) {
        return box.x1 < k.x0 || box.x0 > k.x1 || box.y1 < k.y0 || box.y0 > k.y1; });
      if (free) { kept.push(box); }
      updates.push({id: n.id, font: free ? {size: size, face: "system-ui, sans-serif", strokeWidth: 4, strokeColor: "#ffffff",
                                            color: "#111111"} : {size: 13, color: "#343434", strokeWidth: 3}});
    });
    nodes.update(updates);
    clusters.forEach(function (c) {
      if (closed[c.id] && network.body.nodes["cluster:" + c.id]) {
        network.clustering.updateClusteredNode("cluster:" + c.id, {font: {size: (container.clientWidth < 600 ? 12 : 15) / scale}});
      }
    });
    window.egovLabelPx = size * scale;
    window.egovLabelled = kept.length;
  }
  network.on("afterDrawing", scaleLabels);  // after any zoom, fit or focus (cheap when the scale did not move)
  // State in the URL: #id selects a node; ?q= (search), ?place=, ?stage=, ?hide= (kinds ticked off) and ?open=
  // (places opened in the overview, or "all") are what is on screen. Every change a student makes is a history
  // entry, so Back restores the screen before it.
  function selectFromHash(fromList) {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (id && byId[id]) {
      openFor([id]);
      network.selectNodes([id]);
      network.focus(id, {scale: Math.max(network.getScale(), 0.9), animation: false});
      showSelected(id);
      window.egovSelected = id;
      if (fromList === true) { container.scrollIntoView({block: "nearest"}); }
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
  function stateQuery() {
    var params = new URLSearchParams();
    if (search && search.value) { params.set("q", search.value); }
    ["place", "stage"].forEach(function (k) { var v = value(k + "-filter"); if (v) { params.set(k, v); } });
    var off = familyBoxes().filter(function (b) { return !b.checked; }).map(function (b) { return b.value; });
    if (off.length) { params.set("hide", off.join(",")); }
    if (clusters.length) {
      var open = clusters.filter(function (c) { return !closed[c.id]; }).map(function (c) { return c.id; });
      if (open.length === clusters.length) { params.set("open", "all"); } else if (open.length) { params.set("open", open.join(",")); }
    }
    var qs = params.toString();
    return qs ? "?" + qs : "";
  }
  function pushState() {
    var qs = stateQuery();
    if (qs !== window.location.search) { history.pushState(null, "", (qs || window.location.pathname) + window.location.hash); }
  }
  function replaceState() {
    var qs = stateQuery();
    if (qs !== window.location.search) { history.replaceState(null, "", (qs || window.location.pathname) + window.location.hash); }
  }
  function restore() {
    var params = new URLSearchParams(window.location.search);
    var hide = (params.get("hide") || "").split(",");
    familyBoxes().forEach(function (b) { b.checked = hide.indexOf(b.value) < 0; });
    ["place", "stage"].forEach(function (k) { var el = document.getElementById(k + "-filter"); if (el) { el.value = params.get(k) || ""; } });
    if (search) { search.value = params.get("q") || ""; }
    var open = (params.get("open") || "").split(",");
    setOpen(function (c) { return open.indexOf("all") >= 0 || open.indexOf(c.id) >= 0; });
    applyFilters(!!(params.get("place") || params.get("stage")));
    if (!params.get("place") && !params.get("stage")) { network.fit({animation: false}); }
    runSearch();
    selectFromHash();
    window.egovRestored = (window.egovRestored || 0) + 1;
  }
  network.once("afterDrawing", restore);
  network.on("selectNode", function (p) {
    var id = p.nodes[0];
    if (!id || id.indexOf("cluster:") === 0) { return; }
    if (("#" + encodeURIComponent(id)) !== window.location.hash) { history.pushState(null, "", window.location.search + "#" + encodeURIComponent(id)); }
    window.egovSelected = id;
  });
  window.addEventListener("popstate", restore);
  // Keyboard: the node list under the canvas links to #id; following one selects its node and shows the canvas.
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a.pick") : null;
    if (!a) { return; }
    ev.preventDefault();
    var id = a.getAttribute("href").slice(1);
    history.pushState(null, "", window.location.search + "#" + encodeURIComponent(id));
    selectFromHash(true);
    replaceState();
  });
  showCount(spec.nodes.length);  // all shown at first; no DataSet update needed
  showSelected(null);
  window.egovNetwork = network; window.egovNodes = nodes; window.egovEdges = edges;
  window.egovSearch = function (q) { search.value = q; openFor(searchHits()); return runSearch(); };
  window.egovApplyFilters = applyFilters;
})();
