/* Site-wide search: MiniSearch over data/search.js; results built with createElement/textContent only. */
(function () {
  "use strict";
  var docs = window.EGOV_SEARCH || [];
  var byId = {};
  docs.forEach(function (d) { byId[d.id] = d; });
  var index = new window.MiniSearch({
    fields: ["label", "alt", "text", "quotes"],
    storeFields: ["id"],
    searchOptions: { boost: { label: 3, alt: 2, text: 1.2 }, prefix: true, fuzzy: 0.15, combineWith: "AND" }
  });
  index.addAll(docs);
  var input = document.getElementById("q");
  var list = document.getElementById("search-results");
  var count = document.getElementById("search-count");

  function snippet(d, terms) {
    var hay = [d.text, d.quotes].join(" ");
    var low = hay.toLowerCase(), at = -1;
    terms.some(function (t) { at = low.indexOf(t.toLowerCase()); return at >= 0; });
    if (at < 0) { return hay.slice(0, 160); }
    var from = Math.max(0, at - 60);
    return (from ? "\u2026" : "") + hay.slice(from, from + 200) + "\u2026";
  }

  function run() {
    var q = input.value.trim();
    var params = new URLSearchParams(window.location.search);
    if (q) { params.set("q", q); } else { params.delete("q"); }
    var qs = params.toString();
    history.replaceState(null, "", qs ? "?" + qs : window.location.pathname);
    list.textContent = "";
    if (!q) { count.textContent = ""; window.egovSearchHits = []; return; }
    var hits = index.search(q).slice(0, 100);
    count.textContent = hits.length + (hits.length === 1 ? " record" : " records") + (hits.length === 100 ? " (first 100)" : "");
    hits.forEach(function (h) {
      var d = byId[h.id];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "entities/" + encodeURIComponent(d.id) + ".html";
      a.textContent = d.label;
      li.appendChild(a);
      var k = document.createElement("span");
      k.className = "muted small";
      k.textContent = " \u00b7 " + d.kind;
      li.appendChild(k);
      var p = document.createElement("div");
      p.className = "small";
      p.textContent = snippet(d, h.terms);
      li.appendChild(p);
      list.appendChild(li);
    });
    window.egovSearchHits = hits.map(function (h) { return h.id; });
  }
  input.addEventListener("input", run);
  document.getElementById("search-form").addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
  var q0 = new URLSearchParams(window.location.search).get("q");
  if (q0) { input.value = q0; }
  run();
  window.egovSearchReady = true;
})();
