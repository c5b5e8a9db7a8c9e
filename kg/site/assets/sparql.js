/* SPARQL playground: Oxigraph (WebAssembly, from bytes) over the site's graph, from file://.
   Every value goes into the page with textContent; links are built with createElement. */
(function () {
  "use strict";
  var ENTITY = "https://w3id.org/egov-kg/id/";
  var editor = document.getElementById("editor");
  var runBtn = document.getElementById("run");
  var csvBtn = document.getElementById("csv");
  var status = document.getElementById("status");
  var results = document.getElementById("results");
  var example = document.getElementById("example");
  var examples = JSON.parse(document.getElementById("egov-examples").textContent);
  var prefixes = JSON.parse(document.getElementById("egov-prefixes").textContent);

  // Every project prefix is predeclared, as in `egovkg sparql`: the declarations a query does not make
  // itself go on one line before it, and error positions are given back in the user's own lines.
  function withPrefixes(q) {
    var decl = Object.keys(prefixes).filter(function (p) {
      return !new RegExp("PREFIX\\s+" + p + "\\s*:", "i").test(q);
    }).map(function (p) { return "PREFIX " + p + ": <" + prefixes[p] + ">"; });
    return decl.length ? decl.join(" ") + "\n" + q : q;
  }
  function userLines(message, q) {
    if (withPrefixes(q) === q) { return message; }
    return message.replace(/error at (\d+):/, function (_, n) { return "error at " + (Number(n) - 1) + ":"; });
  }
  var store = null;
  var last = null; // {vars: [...], rows: [[cell text]]}
  window.egovQueries = 0;

  function say(text) { status.textContent = text; }

  function bytesOf(b64) {
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out;
  }

  function cellText(t) {
    if (!t) { return ""; }
    return t.value;
  }

  function cellNode(t) {
    var td = document.createElement("td");
    if (!t) { return td; }
    if (t.termType === "NamedNode" && t.value.indexOf(ENTITY) === 0 && t.value.slice(ENTITY.length).indexOf("/") < 0) {
      var id = t.value.slice(ENTITY.length);
      var a = document.createElement("a");
      a.href = "entities/" + encodeURIComponent(id) + ".html";
      a.textContent = "id:" + id;
      td.appendChild(a);
    } else {
      td.textContent = t.value;
      if (t.termType === "Literal" && t.language) {
        var s = document.createElement("span");
        s.className = "muted small";
        s.textContent = " @" + t.language;
        td.appendChild(s);
      }
    }
    return td;
  }

  function table(vars, rows) {
    results.textContent = "";
    var tbl = document.createElement("table");
    var head = tbl.createTHead().insertRow();
    vars.forEach(function (v) { var th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    var body = tbl.createTBody();
    rows.forEach(function (r) {
      var tr = body.insertRow();
      r.forEach(function (t) { tr.appendChild(cellNode(t)); });
    });
    results.appendChild(tbl);
    last = { vars: vars, rows: rows.map(function (r) { return r.map(cellText); }) };
    csvBtn.disabled = false;
  }

  function run() {
    if (!store) { return; }
    var q = editor.value;
    var params = new URLSearchParams(window.location.search);
    params.set("query", q);
    history.replaceState(null, "", "?" + params.toString() + window.location.hash);
    var t0 = performance.now();
    try {
      var res = store.query(withPrefixes(q), { use_default_graph_as_union: true });
      if (typeof res === "boolean") {
        table(["answer"], [[{ termType: "Literal", value: String(res) }]]);
      } else if (res.length && res[0].subject) {
        table(["subject", "predicate", "object", "graph"], res.map(function (x) {
          return [x.subject, x.predicate, x.object, x.graph.termType === "DefaultGraph" ? null : x.graph];
        }));
      } else {
        var vars = varsOf(q, res);
        table(vars, res.map(function (m) { return vars.map(function (v) { return m.get(v); }); }));
      }
      say((res.length === undefined ? 1 : res.length) + " result(s) in " + Math.round(performance.now() - t0) + " ms");
    } catch (e) {
      results.textContent = "";
      last = null;
      csvBtn.disabled = true;
      say("Error: " + userLines(e && e.message ? e.message : String(e), q));
    }
    window.egovQueries += 1;
  }

  function varsOf(q, rows) {
    // projection order from SELECT ?a ?b ... (SELECT * or expressions: first-seen order of the answers)
    var seen = [];
    var m = /SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?([\s\S]*?)\s*(?:WHERE|FROM|\{)/i.exec(q.replace(/#[^\n]*/g, ""));
    if (m && m[1].trim() !== "*") {
      var re = /[?$](\w+)/g, x, proj = m[1], names = [];
      // keep top-level variables and the AS targets of expressions
      var parts = proj.replace(/\(([^()]|\([^()]*\))*\)/g, function (expr) {
        var as = /\bAS\s+[?$](\w+)\s*\)$/i.exec(expr);
        return as ? " ?" + as[1] + " " : " ";
      });
      while ((x = re.exec(parts)) !== null) { if (names.indexOf(x[1]) < 0) { names.push(x[1]); } }
      if (names.length) { return names; }
    }
    rows.forEach(function (r) { r.forEach(function (_v, k) { if (seen.indexOf(k) < 0) { seen.push(k); } }); });
    return seen;
  }

  function csvField(s) { return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; }

  csvBtn.addEventListener("click", function () {
    if (!last) { return; }
    var lines = [last.vars.map(csvField).join(",")].concat(last.rows.map(function (r) { return r.map(csvField).join(","); }));
    var url = URL.createObjectURL(new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv" }));
    var a = document.createElement("a");
    a.href = url;
    a.download = "results.csv";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  });
  runBtn.addEventListener("click", run);
  editor.addEventListener("keydown", function (ev) { if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { run(); } });
  example.addEventListener("change", function () {
    var e = examples[Number(example.value)];
    if (e) { editor.value = e.sparql; }
  });

  var fromUrl = new URLSearchParams(window.location.search).get("query");
  if (fromUrl) { editor.value = fromUrl; }
  window.oxigraph.default({ module_or_path: bytesOf(window.EGOV_OXIGRAPH_WASM) }).then(function () {
    var t0 = performance.now();
    store = new window.oxigraph.Store();
    store.load(window.EGOV_GRAPH, { format: "application/n-quads" });
    runBtn.disabled = false;
    say("Ready: " + store.size + " quads loaded in " + Math.round(performance.now() - t0) + " ms.");
    window.egovReady = true;
    if (fromUrl) { run(); }
  }).catch(function (e) { say("Could not start the SPARQL engine: " + (e && e.message ? e.message : String(e))); });
})();
