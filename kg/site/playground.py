"""sparql.html: a SPARQL playground over the whole graph that runs in the browser from file://.

No comparable tool answers arbitrary SPARQL without a server; here Oxigraph's
WebAssembly build (npm package "oxigraph", vendored with its licence in
kg/site/assets/vendor/oxigraph/) runs inside the page. Two things keep it working
from file://, where the browser refuses both ES modules and fetch():

- the package's web.js is an ES module; it is rewritten into a classic script
  (exports dropped, the default-path `new URL(..., import.meta.url)` removed) that
  publishes `window.oxigraph`;
- the .wasm is embedded as base64 in assets/oxigraph-wasm.js and instantiated from
  those bytes (`oxigraph.default({module_or_path: bytes})`), never fetched.

The graph travels with the site as N-Quads in data/graph.js
(`window.EGOV_GRAPH = "..."`), a JSON string with '<', '>', '&' escaped so no
`</script>` can end the script early. Results are put into the page with
textContent only, so a hostile label stays text.
"""

from __future__ import annotations

import base64
import re
from importlib.resources import files
from pathlib import Path

from rdflib import Dataset

from kg.namespaces import PREFIXES
from kg.site.html import esc, json_block, page, script_json, write
from kg.site.pages_query import QueryRun

VENDOR = "vendor/oxigraph"
DEFAULT_QUERY = """PREFIX egov: <https://w3id.org/egov-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
# Who influenced what, and is it stated in a source or inferred?
SELECT ?from ?fromLabel ?kind ?to ?toLabel ?basis WHERE {
  ?i a egov:Influence ; prov:influencer ?from ; egov:influenced ?to ;
     egov:influenceKind ?k ; egov:basis ?b .
  ?from rdfs:label ?fromLabel . ?to rdfs:label ?toLabel .
  BIND(STRAFTER(STR(?k), "#kind-") AS ?kind) BIND(STRAFTER(STR(?b), "#basis-") AS ?basis)
} ORDER BY ?fromLabel LIMIT 50
"""


def _vendor(name: str) -> bytes:
    return (files("kg.site") / "assets" / VENDOR / name).read_bytes()


def classic_oxigraph() -> str:
    """Oxigraph's web.js as a classic script exposing window.oxigraph (file:// refuses module scripts)."""
    src = _vendor("web.js").decode("utf-8")
    src = re.sub(r"^export (class|function|const|let) ", r"\1 ", src, flags=re.MULTILINE)
    src, n_exports = re.subn(r"^export \{ initSync, __wbg_init as default \};\s*$", "", src, flags=re.MULTILINE)
    src, n_meta = re.subn(r"new URL\('web_bg\.wasm', import\.meta\.url\)",
                          "(() => { throw new Error('egov-kg: pass the wasm bytes'); })()", src)
    names = sorted(set(re.findall(r"^export (?:class|function) (\w+)", _vendor("web.js").decode("utf-8"), re.MULTILINE)))
    if n_exports != 1 or n_meta != 1 or re.search(r"^\s*(import|export)\b", src, re.MULTILINE):
        raise RuntimeError("oxigraph web.js changed shape; update kg/site/playground.py classic_oxigraph()")
    api = ", ".join(names + ["initSync", "default: __wbg_init"])
    return (f"/* Oxigraph {VENDOR}/web.js (MIT OR Apache-2.0, see oxigraph-LICENSE-MIT.txt) as a classic script */\n"
            f"(function () {{\n{src}\nwindow.oxigraph = {{ {api} }};\n}})();\n")


def write_playground_assets(out: Path, ds: Dataset) -> None:
    """assets/oxigraph.js, assets/oxigraph-wasm.js, the licence, and data/graph.js (the whole graph)."""
    assets = out / "assets"
    write(assets / "oxigraph.js", classic_oxigraph())
    wasm = base64.b64encode(_vendor("web_bg.wasm")).decode("ascii")
    write(assets / "oxigraph-wasm.js", f'window.EGOV_OXIGRAPH_WASM = "{wasm}";\n')
    write(assets / "oxigraph-LICENSE-MIT.txt", _vendor("LICENSE-MIT").decode("utf-8"))
    nquads = ds.serialize(format="nquads")
    write(out / "data" / "graph.js", f"window.EGOV_GRAPH = {script_json(nquads)};\n")


def playground_page(runs: list[QueryRun]) -> str:
    """The editor, the library's queries as examples, a Run button, and #results."""
    examples = [{"name": r.qdef.name, "title": r.qdef.title, "sparql": r.qdef.sparql}
                for r in runs if not any(p.required for p in r.qdef.params)]
    options = "".join(f'<option value="{i}">{esc(e["name"])}: {esc(e["title"])}</option>'
                      for i, e in enumerate(examples))
    body = ("<h1>SPARQL playground</h1>"
            "<p>Ask the whole graph anything in SPARQL, here in your browser: the graph and a SPARQL engine "
            "(Oxigraph, compiled to WebAssembly) come with the site, so this works offline, from disk. Queries run "
            "over the union of the named graphs, like <code>egovkg query</code>. Links in the results open entity "
            "pages; <code>sparql.html?query=…</code> (URL-encoded) opens with a query and runs it. Every project "
            "prefix is predeclared (" + ", ".join(f"<code>{esc(k)}:</code>" for k in PREFIXES) + "), as in "
            "<code>egovkg sparql</code>.</p>"
            '<div class="playground"><label for="example">Example from the query library</label> '
            f'<select id="example"><option value="">(choose an example)</option>{options}</select>'
            '<label for="editor" class="block">SPARQL query</label>'
            f'<textarea id="editor" rows="14" spellcheck="false">{esc(DEFAULT_QUERY)}</textarea>'
            '<p><button id="run" type="button" disabled>Run</button> '
            '<button id="csv" type="button" disabled>Download CSV</button> '
            '<span id="status" role="status" aria-live="polite">Loading the engine and the graph…</span></p>'
            '<div id="results" class="scroll"></div></div>'
            + json_block("egov-examples", examples)
            + json_block("egov-prefixes", {k: str(v) for k, v in PREFIXES.items()})
            + '<p class="small muted">Engine: Oxigraph 0.5 (MIT or Apache-2.0; '
            '<a href="assets/oxigraph-LICENSE-MIT.txt">licence</a>).</p>')
    return page("SPARQL playground", body, active="sparql.html",
                scripts=["assets/oxigraph-wasm.js", "assets/oxigraph.js", "data/graph.js", "assets/sparql.js"])


def write_playground(out: Path, ds: Dataset, runs: list[QueryRun]) -> None:
    write_playground_assets(out, ds)
    write(out / "sparql.html", playground_page(runs))
