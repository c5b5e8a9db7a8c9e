"""A remote SPARQL 1.1 endpoint as a Store, and `publish` to put the built graph there.

RemoteStore speaks the SPARQL protocol through SPARQLWrapper and turns JSON
results into the very rdflib terms the embedded Oxigraph store returns, so one
query library runs unchanged on both (tests/test_endpoint.py checks every query).
Normalised (found with Virtuoso 7.2): booleans "1"/"0" -> "true"/"false"; simple
literals typed xsd:string as oxrdflib does; language tags lower-cased; every
literal through rdflib's Literal(), which canonicalises lexical forms the way the
TriG parser did for the embedded store. A result Virtuoso cut at ResultSetMaxRows
(header X-SPARQL-MaxRows) or its time limit (X-SQL-State) is an error, never a
silent partial. What stays different: README, "Use a SPARQL server".

Credentials never come from code and are sent only when given explicitly: user from
`user` (--user) or EGOVKG_ENDPOINT_USER with EGOVKG_ENDPOINT_PASSWORD, or a Credentials
object (kg.store.virtuoso passes the dba password for its own server only). They answer
a digest challenge (Virtuoso's /sparql-auth), and a Basic one (Fuseki, GraphDB) only over
https or to a loopback host: Basic over plain http would put the password on the wire.

Replies are read whole up to `max_bytes` (default 64 MiB) and shape-checked before use:
an oversized, truncated (fewer bytes than Content-Length, cut JSON) or malformed reply
(bindings that are lists, values that are not strings) is an EndpointResponseError
(exit 3), never a traceback and never a partial result passed off as complete.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from kg.errors import (
    EndpointAuthError,
    EndpointResponseError,
    EndpointTimeout,
    EndpointUnreachable,
    StoreError,
    UsageError,
)
from kg.namespaces import XSD
from kg.store.embedded import ResultTable

USER_ENV = "EGOVKG_ENDPOINT_USER"
PASSWORD_ENV = "EGOVKG_ENDPOINT_PASSWORD"
MAX_BYTES = 64 * 2 ** 20  # a reply larger than this is refused: the real graph's largest is under 2 MiB
VIRTRDF = "http://www.openlinksw.com/schemas/virtrdf#"  # Virtuoso's own metadata graph
LDP = "http://www.w3.org/ns/ldp#"  # 3 triples Virtuoso re-inserts at every start (kg.store.virtuoso drops them)
_CONSTANT_GRAPH = re.compile(r"\bGRAPH\s*(<|[A-Za-z][\w.-]*:)", re.I)  # pragma would empty GRAPH <g>
_RETRYABLE = (ConnectionError, http.client.RemoteDisconnected, http.client.IncompleteRead, socket.gaierror)


@dataclass(frozen=True)
class Credentials:
    """A user and password for one endpoint; the password never shows in a repr or traceback."""

    user: str
    password: str = field(repr=False)


def credentials(user: str | None) -> Credentials | None:
    """Explicit credentials: --user (or EGOVKG_ENDPOINT_USER) with EGOVKG_ENDPOINT_PASSWORD, else None
    (anonymous). A password alone is not used: sending it needs a user named on purpose."""
    user = user or os.environ.get(USER_ENV)
    if not user:
        return None
    password = os.environ.get(PASSWORD_ENV)
    if not password:
        raise UsageError(f"no password for endpoint user '{user}'", f"export {PASSWORD_ENV}")
    return Credentials(user, password)


def is_loopback(host: str | None) -> bool:
    """True for localhost and 127.0.0.0/8 or ::1 literals (no DNS lookup: a name could lie)."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _DigestOnly(urllib.request.HTTPDigestAuthHandler):
    """urllib's digest handler raises on a Basic challenge instead of passing it on."""

    def http_error_auth_reqed(self, auth_header: str, host: str, req: Any, headers: Any) -> Any:
        if "digest" not in headers.get(auth_header, "").lower():
            return None
        return super().http_error_auth_reqed(auth_header, host, req, headers)


class _GuardedBasic(urllib.request.HTTPBasicAuthHandler):
    """Basic auth only over https or to a loopback host: over plain http to anyone
    else the password would travel readable, so the challenge is refused instead."""

    def http_error_401(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
        parts = urllib.parse.urlsplit(req.full_url)
        if parts.scheme != "https" and not is_loopback(parts.hostname):
            raise EndpointAuthError(f"{req.full_url} asks for Basic auth over plain http; the password was not sent",
                                    "use the server's https:// URL")
        return super().http_error_401(req, fp, code, msg, headers)


class _Wrapper(SPARQLWrapper):
    """SPARQLWrapper with a private opener: its own digest support installs a
    process-wide urllib opener, which would leak credentials to other requests."""

    def __init__(self, url: str, opener: urllib.request.OpenerDirector, timeout: float) -> None:
        super().__init__(url)
        self._opener, self._timeout = opener, timeout
        self.setMethod(POST)  # long queries and updates: never hit URL length limits
        self.setReturnFormat(JSON)

    def _query(self) -> tuple[Any, str]:
        return self._opener.open(self._createRequest(), timeout=self._timeout), self.returnFormat


def term(b: Any) -> Node | None:
    """One SPARQL JSON result binding as the rdflib term the embedded store gives."""
    if b is None:
        return None
    if not isinstance(b, dict) or not all(isinstance(b.get(k, ""), str) for k in ("type", "value", "datatype", "xml:lang")):
        raise EndpointResponseError(f"a result value is malformed: {str(b)[:80]}",
                                    "the endpoint does not return standard SPARQL JSON results")
    kind, value, datatype = b.get("type"), b.get("value", ""), b.get("datatype")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value.removeprefix("nodeID://"))
    if kind not in ("literal", "typed-literal"):
        raise EndpointResponseError(f"unknown RDF term type '{kind}' in the endpoint's results",
                                    "the endpoint does not return standard SPARQL JSON results")
    if b.get("xml:lang"):
        return Literal(value, lang=b["xml:lang"].lower())
    if datatype == str(XSD.boolean):
        value = {"1": "true", "0": "false"}.get(value, value)
    return Literal(value, datatype=URIRef(datatype) if datatype else XSD.string)


class RemoteStore:
    """A SPARQL 1.1 endpoint over HTTP, same interface as EmbeddedStore. On Virtuoso
    (known by its Server header) a query without GRAPH <iri> excludes the virtrdf#
    system graph from the union and GRAPH ?g with a DEFINE pragma; that graph only, as
    Virtuoso 7.2 answers property-path joins wrongly once two graphs are excluded."""

    def __init__(self, url: str, *, user: str | None = None, auth: Credentials | None = None,
                 timeout: float = 30.0, retries: int = 3, backoff: float = 0.5, max_bytes: int = MAX_BYTES,
                 virtuoso: bool | None = None) -> None:
        self.url = self.name = url
        self.timeout, self.retries, self.backoff, self.max_bytes = timeout, retries, backoff, max_bytes
        self._virtuoso = virtuoso  # None: ask the server once
        creds = auth or credentials(user)
        handlers: list[urllib.request.BaseHandler] = []
        if creds:
            pwd = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            pwd.add_password(None, url, creds.user, creds.password)  # this URL only, not a redirect target
            handlers += [_DigestOnly(pwd), _GuardedBasic(pwd)]
        self._opener = urllib.request.build_opener(*handlers)

    def _send(self, text: str, update: bool = False) -> tuple[dict[str, Any], Any]:
        """Run one request with bounded retries (connection failures only) and map
        every failure to a kg.errors class the CLI turns into exit code 3."""
        wrapper = _Wrapper(self.url, self._opener, self.timeout)
        with warnings.catch_warnings(action="ignore"):  # it warns on text it cannot classify
            wrapper.setQuery(text)
        if update:
            wrapper.queryType = "INSERT"  # SPARQLWrapper sniffs the type; be explicit
        for attempt in range(self.retries + 1):
            try:
                result = wrapper.query()
                with result.response:
                    headers = result.response.headers
                    if update:
                        result.response.read()
                        return {}, headers
                    self._check_complete(headers)
                    return self._read_json(result.response), headers
            except StoreError:
                raise
            except urllib.error.HTTPError as exc:
                raise self._http_error(exc.code, exc.read()) from exc
            except Exception as exc:  # classified by _transport_error, re-raised mapped
                err = self._transport_error(exc)
                if isinstance(err, EndpointUnreachable) and attempt < self.retries:
                    time.sleep(self.backoff * 2 ** attempt)
                    continue
                raise err from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def is_virtuoso(self) -> bool:
        if self._virtuoso is None:
            _, headers = self._send("ASK {}")
            self._virtuoso = headers.get("Server", "").startswith("Virtuoso")
        return self._virtuoso

    def _query(self, sparql: str) -> dict[str, Any]:
        if self.is_virtuoso() and not _CONSTANT_GRAPH.search(sparql):
            sparql = (f"DEFINE input:default-graph-exclude <{VIRTRDF}>\n"
                      f"DEFINE input:named-graph-exclude <{VIRTRDF}>\n{sparql}")
        return self._send(sparql)[0]

    def _read_json(self, response: Any) -> dict[str, Any]:
        """The whole reply as a JSON object, refused if over max_bytes, shorter than
        its Content-Length, or not an object (a cut reply is never passed off as complete)."""
        body = response.read(self.max_bytes + 1)
        if len(body) > self.max_bytes:
            raise EndpointResponseError(f"{self.url} sent a reply over {self.max_bytes} bytes; it was refused",
                                        "add LIMIT/OFFSET to the query or raise max_bytes")
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) != len(body):
            raise EndpointResponseError(f"{self.url} sent {len(body)} of {declared} bytes: the reply was cut",
                                        "run the query again; check the server's log and proxies")
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise EndpointResponseError(f"{self.url} sent a reply that is not complete JSON ({exc.msg} at "
                                        f"byte {exc.pos})", "check that the URL is a SPARQL endpoint") from exc
        if not isinstance(data, dict):
            raise EndpointResponseError(f"{self.url} sent JSON that is not a SPARQL results object",
                                        "check that the URL is a SPARQL endpoint")
        return data

    def _check_complete(self, headers: Any) -> None:
        if headers.get("X-SPARQL-MaxRows"):
            raise EndpointResponseError(
                f"{self.url} cut the result at {headers['X-SPARQL-MaxRows']} rows",
                "raise ResultSetMaxRows in the server's [SPARQL] settings or add LIMIT/OFFSET")
        if headers.get("X-SQL-State"):
            raise EndpointTimeout(f"{self.url} returned a partial result ({headers.get('X-SQL-Message')})",
                                  "raise MaxQueryExecutionTime on the server or simplify the query")

    def _http_error(self, code: int, body: bytes) -> StoreError:
        detail = body.decode("utf-8", "replace").strip().splitlines()
        first = detail[0][:300] if detail else ""
        if code in (401, 403):
            return EndpointAuthError(f"{self.url} refused the credentials (HTTP {code})",
                                     f"check --user/{USER_ENV} and {PASSWORD_ENV}")
        if "S1T00" in first or code in (504, 408):
            return EndpointTimeout(f"{self.url} timed out running the query: {first}",
                                   "simplify the query or raise the server's time limit")
        fix = {400: "check the SPARQL syntax of the query",
               404: "check the endpoint URL (Virtuoso: http://host:8890/sparql)"}
        return EndpointResponseError(f"{self.url} answered HTTP {code}: {first}",
                                     fix.get(code, "see the server's log"))

    def _transport_error(self, exc: Exception) -> StoreError:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return EndpointTimeout(f"{self.url} did not answer within {self.timeout:g}s",
                                   "raise --timeout or check the server's load")
        if isinstance(reason, _RETRYABLE) or isinstance(exc, urllib.error.URLError):
            return EndpointUnreachable(f"nothing answers at {self.url} ({reason})",
                                       "start the server ('egovkg endpoint start') or fix the URL")
        if isinstance(exc, (ValueError, TypeError, KeyError)):  # json errors are ValueErrors
            return EndpointResponseError(f"{self.url} returned results that cannot be parsed: {exc}",
                                         "check that the URL is a SPARQL endpoint")
        return EndpointResponseError(f"{self.url} failed: {exc!r}", "see the server's log")

    def select(self, sparql: str) -> ResultTable:
        data = self._query(sparql)
        head, results = data.get("head"), data.get("results")
        variables = head.get("vars") if isinstance(head, dict) else None
        bindings = results.get("bindings") if isinstance(results, dict) else None
        if not isinstance(variables, list) or not isinstance(bindings, list) \
                or not all(isinstance(v, str) for v in variables):
            raise EndpointResponseError(f"{self.url} did not return SELECT results (head.vars and "
                                        "results.bindings lists)", "use 'ask' for ASK queries; check the endpoint URL")
        rows = []
        for i, b in enumerate(bindings):
            if not isinstance(b, dict):
                raise EndpointResponseError(f"{self.url} sent result row {i + 1} as a {type(b).__name__}, "
                                            "not an object", "the endpoint does not return standard SPARQL JSON")
            rows.append(tuple(term(b.get(v)) for v in variables))
        return ResultTable(variables, rows)

    def ask(self, sparql: str) -> bool:
        data = self._query(sparql)
        if not isinstance(data.get("boolean"), bool):
            raise EndpointResponseError(f"{self.url} did not return an ASK result", "is it an ASK query?")
        return data["boolean"]

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update (needs an endpoint that accepts updates)."""
        self._send(sparql, update=True)

    def triple_count(self) -> int:
        """Quads in all named graphs, like EmbeddedStore.triple_count()."""
        skip = f"FILTER(?g != <{LDP}>)" if self.is_virtuoso() else ""
        table = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {skip} }}")
        return int(table.rows[0][0])  # type: ignore[arg-type]

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""




def update_url_for(url: str) -> str:
    """Where updates go when not given: Virtuoso's authenticated /sparql-auth next to /sparql."""
    return url.removesuffix("/sparql") + "/sparql-auth" if url.endswith("/sparql") else url
