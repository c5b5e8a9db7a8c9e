
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
