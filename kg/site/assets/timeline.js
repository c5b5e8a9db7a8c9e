
(function () {
  "use strict";
  var gd = document.getElementById("timeline");
  var fig = JSON.parse(document.getElementById("egov-figure").textContent);
  if (!gd || !window.Plotly) { return; }
  var narrow = gd.clientWidth < 600;
  if (narrow) {  // phones: the lane titles and wide margins would leave no room for the years
    fig.layout.margin = {l: 6, r: 6, t: 70, b: 40};
    fig.layout.yaxis.showticklabels = false;
    fig.layout.title.font = {size: 13};
    fig.layout.showlegend = false;
    if (fig.layout.xaxis.title) { fig.layout.xaxis.title = {text: "year"}; }
    (fig.layout.annotations || []).forEach(function (a) {  // "Stage 2 (2009 – 2017)" -> "Stage 2": the column says when
      if (typeof a.text === "string") { a.text = a.text.replace(/\s*\(.*\)\s*$/, ""); a.font = {size: 10, color: "#444"}; }
    });
  }
  // Labels that would cover one another are left out (dated markers first, then bars, top to bottom); the
  // record stays drawn, its hover text and the table below give its name. Counted on the page, never silent.
  var original = fig.data.map(function (t) { return Array.isArray(t.text) ? t.text.slice() : null; });
  function cullLabels() {
    var xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, labels = [];
    gd.data.forEach(function (t, ti) {
      if (!original[ti] || (t.mode || "").indexOf("text") < 0) { return; }
      original[ti].forEach(function (txt, i) {
        if (!txt || t.x[i] === null || t.y[i] === null) { return; }
        var plain = String(txt).replace(/&[a-z#0-9]+;/gi, "x");
        var x0 = xa._offset + xa.l2p(t.x[i]) + (t.meta === "point" ? 8 : 0), y0 = ya._offset + ya.l2p(t.y[i]);
        var x1 = Math.min(x0 + plain.length * 6.3, xa._offset + xa._length + 4);
        labels.push({ti: ti, i: i, pri: t.meta === "point" ? 0 : 1, x0: x0, x1: x1, y0: y0 - 7, y1: y0 + 7});
      });
    });
    labels.sort(function (a, b) { return a.pri - b.pri || a.y0 - b.y0 || a.x0 - b.x0; });
    var kept = [], drop = {}, hidden = 0;
    labels.forEach(function (l) {
      var free = kept.every(function (k) { return l.x1 < k.x0 || l.x0 > k.x1 || l.y1 <= k.y0 || l.y0 >= k.y1; });
      if (free) { kept.push(l); return; }
      (drop[l.ti] = drop[l.ti] || []).push(l.i);
      hidden += 1;
    });
    var idx = gd.data.map(function (t, ti) { return ti; }).filter(function (ti) { return original[ti]; });
    var texts = idx.map(function (ti) {
      var tx = original[ti].slice();
      (drop[ti] || []).forEach(function (i) { tx[i] = ""; });
      return tx;
    });
    window.egovLabelsHidden = hidden;
    var note = document.getElementById("labels-hidden");
    if (note) {
      note.textContent = hidden ? hidden + " labels are left out where they would overlap at this width: hover a mark, " +
        "or see the table below." : "";
    }
    return idx.length ? window.Plotly.restyle(gd, {text: texts}, idx) : Promise.resolve();
  }
  window.Plotly.newPlot(gd, fig.data, fig.layout, fig.config).then(cullLabels).then(function () {
    gd.on("plotly_relayout", cullLabels);  // zoomed or panned: other labels fit
    gd.on("plotly_click", function (ev) {
      var p = ev.points && ev.points[0];
      if (p && p.customdata && p.customdata[1]) { window.location.href = p.customdata[1]; }
    });
    window.egovStableMs = performance.now();
    window.egovStable = true;
  });
})();
