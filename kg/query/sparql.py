"""Ad-hoc SPARQL: any query a researcher writes, with the project's prefixes predeclared.

Two rules keep a user query safe and standard on the embedded store:
- SERVICE is refused: a query typed at the prompt must never make the machine fetch from, or
  leak the graph to, another host. (On a remote endpoint, the endpoint's own policy applies.)
- FROM / FROM NAMED mean what SPARQL 1.1 says (the default graph is the merge of the FROM graphs;
  only the FROM NAMED graphs are visible to GRAPH). The library queries rely on the default graph
  being the union of all graphs; that stays the behaviour when a query has no dataset clause.
  oxrdflib always asks for the union and so ignores FROM; here the dataset clause is read with
  rdflib's SPARQL parser and the query goes straight to pyoxigraph, which never dereferences a
  FROM IRI: it names a graph already in the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result

from kg.errors import QueryError, StoreError, UsageError
from kg.namespaces import PREFIXES
from kg.store.embedded import EmbeddedStore, ResultTable, Store

_DECLARED = re.compile(r"^\s*PREFIX\s+([\w.-]*):", re.IGNORECASE | re.MULTILINE)


def prefix_block() -> str:
    """Every project prefix as SPARQL PREFIX lines (what `egovkg prefixes` prints)."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def with_prefixes(text: str) -> str:
    """The query with each project prefix it does not declare itself put in front."""
    own = {m.lower() for m in _DECLARED.findall(text)}
    # One per line: rdflib's parser misreads SERVICE after a '#' IRI on the same line. Error
    # positions are shifted back to the user's lines by _user_lines.
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p.lower() not in own) + text


def _user_lines(message: str, added: int) -> str:
    """An error message with line numbers counted in the user's text, not in the prefixed one."""
    message = " ".join(message.split())
    message = re.sub(r"line:(\d+)", lambda m: f"line:{int(m[1]) - added}", message)
    message = re.sub(r"\(at char \d+\),? ?", "", message)
    return re.sub(r"error at (\d+):", lambda m: f"error at line {int(m[1]) - added}, column ", message)


@dataclass
class Parsed:
    """What the runner needs to know about a query before running it."""

    form: str  # SELECT, ASK, CONSTRUCT, DESCRIBE
    default: list[URIRef] = field(default_factory=list)  # FROM
    named: list[URIRef] = field(default_factory=list)  # FROM NAMED
    service: bool = False


def _walk(node: object):  # type: ignore[no-untyped-def]
    yield node
    if isinstance(node, dict):  # CompValue is an OrderedDict
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for v in node:  # type: ignore[attr-defined]
            yield from _walk(v)


def inspect(text: str, added: int = 0) -> Parsed:
    """Parse the query (prefixes added) with rdflib's SPARQL grammar; a syntax error is a QueryError."""
    try:
        tree = parseQuery(text)
    except Exception as exc:  # pyparsing raises ParseException with a column
        detail = _user_lines(str(exc), added)[:200]
        raise QueryError(f"SPARQL syntax error: {detail}", "check the query near the position given") from exc
    prologue, query = tree[0], tree[1]
    prefixes = {str(d["prefix"] or ""): str(d["iri"]) for d in prologue if "prefix" in d or "iri" in d}
    form = query.name.removesuffix("Query").upper()

    def iri(t: object) -> URIRef:
        if isinstance(t, CompValue) and t.name == "pname":
            pre = str(t["prefix"]) if "prefix" in t and t["prefix"] else ""
            base = prefixes.get(pre)
            if base is None:
                raise QueryError(f"prefix '{pre}:' is not declared", "add a PREFIX line")
            return URIRef(base + (str(t["localname"]) if "localname" in t and t["localname"] else ""))
        return URIRef(str(t))

    parsed = Parsed(form)
    # CompValue.get returns the key itself when absent, hence the `in` tests.
    for clause in query["datasetClause"] if "datasetClause" in query else []:
        if "default" in clause:
            parsed.default.append(iri(clause["default"]))
        if "named" in clause:
            parsed.named.append(iri(clause["named"]))
    parsed.service = any(isinstance(n, CompValue) and n.name == "ServiceGraphPattern" for n in _walk(query))
    return parsed


@dataclass
class Answer:
    """A query's answer: a table (SELECT), a boolean (ASK) or a graph (CONSTRUCT/DESCRIBE)."""

    form: str
    table: ResultTable | None = None
    boolean: bool | None = None
    graph: Graph | None = None


def _from_result(res: Result) -> Answer:
    if res.type == "SELECT":
        return Answer("SELECT", table=ResultTable([str(v) for v in res.vars or []], [tuple(r) for r in res]))
    if res.type == "ASK":
        return Answer("ASK", boolean=bool(res.askAnswer))
    g = Graph()
    for t in res:
        g.add(t)  # type: ignore[arg-type]
    return Answer(res.type, graph=g)


def run_sparql(store: Store, text: str) -> Answer:
    """Run any SELECT/ASK/CONSTRUCT/DESCRIBE with the project prefixes predeclared."""
    full = with_prefixes(text)
    added = full.count("\n") - text.count("\n")
    parsed = inspect(full, added)
    if not isinstance(store, EmbeddedStore):
        return _remote(store, full, parsed)
    if parsed.service:
        raise UsageError("SERVICE is refused on the embedded store: a query must not reach out of this machine",
                         "remove the SERVICE block, or run the query on an endpoint with --endpoint")
    inner = _oxigraph(store)
    try:
        if parsed.default or parsed.named:
            res = inner.query(full)  # the dataset clause as the standard says
        else:
            res = inner.query(full, use_default_graph_as_union=True)
    except SyntaxError as exc:
        where = re.match(r"error at line \d+, column \d+", _user_lines(str(exc), added))
        if "Prefix not found" in str(exc) and where:
            raise QueryError(f"SPARQL {where[0]}: undeclared prefix",
                             "declare it with PREFIX, or use one of 'egovkg prefixes'") from exc
        raise QueryError(f"SPARQL error: {_user_lines(str(exc), added)[:200]}",
                         "check the query near the position given (and that each prefix is declared)") from exc
    except (ValueError, OSError) as exc:
        raise StoreError(f"query failed on the embedded store: {' '.join(str(exc).split())[:300]}",
                         "check the SPARQL of the query") from exc
    return _from_ox(res)


def _oxigraph(store: EmbeddedStore):  # type: ignore[no-untyped-def]
    """The pyoxigraph store under the rdflib Dataset; the memory store is copied into a new one."""
    import pyoxigraph as ox
    from oxrdflib._converter import to_ox

    inner = getattr(store.dataset.store, "_inner", None)
    if isinstance(inner, ox.Store):
        return inner
    copy = ox.Store()
    copy.extend(to_ox(q) for q in ((s, p, o, getattr(g, "identifier", g))
                                   for s, p, o, g in store.dataset.quads((None, None, None, None)))
                if q[3] is not None)
    return copy


def _from_ox(res: object) -> Answer:
    import pyoxigraph as ox
    from oxrdflib._converter import from_ox

    if isinstance(res, ox.QueryBoolean):
        return Answer("ASK", boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        rows = [tuple(None if s[n] is None else from_ox(s[n]) for n in names) for s in res]
        return Answer("SELECT", table=ResultTable(names, rows))  # type: ignore[arg-type]
    g = Graph()
    for t in res:  # type: ignore[attr-defined]
        g.add(from_ox(t))
    return Answer("CONSTRUCT", graph=g)


def _remote(store: Store, full: str, parsed: Parsed) -> Answer:
    if parsed.form == "SELECT":
        return Answer("SELECT", table=store.select(full))
    if parsed.form == "ASK":
        return Answer("ASK", boolean=store.ask(full))
    raise UsageError(f"{parsed.form} queries run on the embedded store only", "drop --endpoint or use SELECT")
