
(function () {
  "use strict";
  var gd = document.getElementById("timeline");
  var fig = JSON.parse(document.getElementById("egov-figure").textContent);
  if (!gd || !window.Plotly) { return; }
  if (gd.clientWidth < 600) {  // phones: the lane titles and wide margins would leave no room for the years
    fig.layout.margin = {l: 6, r: 6, t: 70, b: 40};
    fig.layout.yaxis.showticklabels = false;
    fig.layout.title.font = {size: 13};
    fig.layout.showlegend = false;
  }
  window.Plotly.newPlot(gd, fig.data, fig.layout, fig.config).then(function () {
    gd.on("plotly_click", function (ev) {
      var p = ev.points && ev.points[0];
      if (p && p.customdata && p.customdata[1]) { window.location.href = p.customdata[1]; }
    });
    window.egovStableMs = performance.now();
    window.egovStable = true;
  });
})();
