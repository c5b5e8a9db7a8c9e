"""Citations: every quote is found in its source text, every document is a seed file.

The quote check is what makes the graph trustworthy, so it must not pass
silently: a registered document whose text is missing is an error, a quote that
is not found is reported at the quote's own line together with the closest
passage of the source (a one-word slip is then visible), and curly and straight
quotes or line breaks from the PDF extraction do not count as differences.
Document names are plain file names inside the seeds folder: `../../etc/passwd`
must not be readable as "provenance".
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from kg.build.checks_text import unsafe
from kg.build.fields import CONCEPTS, FIELDS, SOURCE_KEYS
from kg.build.records import Record, as_list, read_capped
from kg.errors import Problem, shorten

MAX_SEED_BYTES = 16 * 1024 * 1024
_WS = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                         "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00a0": " "})
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")


def normalise(text: str) -> str:
    """Collapse whitespace and straighten quotes, so a quote survives the PDF
    extraction's line breaks and a curator's (or editor's) curly apostrophes."""
    return _WS.sub(" ", text.translate(_QUOTES)).strip()


def suggest(word: str, choices: object) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)  # type: ignore[call-overload]
    return f"did you mean '{close[0]}'?" if close else ""


def plain_name_problem(name: str) -> str | None:
    """Why a document name is not a plain file name of the seeds folder, or None."""
    if not _PLAIN_NAME.match(name) or ".." in name:
        return f"'{shorten(name, 60)}' is not a plain file name in the seeds folder"
    return None


def closest_passage(text: str, quote: str, width: int = 90) -> str:
    """The passage of `text` most like `quote`, cut around the first difference."""
    m = difflib.SequenceMatcher(None, text, quote, autojunk=False).find_longest_match(0, len(text), 0, len(quote))
    start = max(0, m.a - m.b)
    window = text[start:start + len(quote)]
    diff = next((i for i, (a, b) in enumerate(zip(window, quote, strict=False)) if a != b), min(len(window), len(quote)))
    lo = max(0, diff - width // 3)
    return ("…" if lo else "") + window[lo:lo + width] + ("…" if lo + width < len(window) else "")


class Seeds:
    """The seed texts, read once each, only by plain name, only inside the folder."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder.resolve() if folder else None
        self.texts: dict[str, str | None] = {}
        self.errors: dict[str, str] = {}

    def text(self, name: str) -> str | None:
        """Normalised text of a seed file; None (with errors[name] set) when unavailable."""
        if self.folder is None:
            return None
        if name not in self.texts:
            self.texts[name] = None
            why = plain_name_problem(name)
            path = (self.folder / name).resolve()
            if why is None and not path.is_relative_to(self.folder):
                why = f"'{shorten(name, 60)}' leads outside the seeds folder"
            if why is None:
                try:
                    self.texts[name] = normalise(read_capped(path, MAX_SEED_BYTES).decode("utf-8"))
                except FileNotFoundError:
                    why = f"no text file '{shorten(name, 60)}' in the seeds folder {self.folder}"
                except (OSError, ValueError) as exc:
                    why = f"cannot read seed '{shorten(name, 60)}': {shorten(exc, 60)}"
            if why:
                self.errors[name] = why
        return self.texts[name]


def document_problems(rec: Record, seeds: Seeds) -> list[Problem]:
    """A SourceDocument's `file` must name a readable text in the seeds folder."""
    name = rec.data.get("file")
    if not isinstance(name, str) or unsafe(name):
        return []
    if (why := plain_name_problem(name)) is not None:
        return [rec.problem("file", why, "give the file name only, e.g. 000_1b7241a4136cdb3d.txt")]
    if seeds.folder is None:
        return []
    if seeds.text(name) is None:
        return [rec.problem("file", seeds.errors.get(name, "text missing"),
                            "put the text file into the seeds folder (or correct 'file:'); quotes cannot be checked without it")]
    return []


def citation_problems(rec: Record, value: object, ctx: object) -> list[Problem]:
    """Every problem of a record's `source` (ctx: the checker, for ids, documents and seeds)."""
    out: list[Problem] = []
    entries = as_list(value)
    if not entries:
        out.append(rec.problem("source", "empty source", "give at least one citation with doc, section and quote"))
    for n, s in enumerate(entries):
        def at(key: str, msg: str, fix: str, n: int = n, out: list[Problem] = out) -> None:
            out.append(rec.problem("source", msg, fix, rec.citation_line(n, key)))

        if not isinstance(s, dict):
            at("", "each source must be a mapping", "write doc:, section:, quote: under source")
            continue
        for k in s:
            if k not in SOURCE_KEYS:
                at(str(k), f"unknown citation key '{shorten(k, 40)}'",
                   suggest(str(k), SOURCE_KEYS) or f"use {', '.join(SOURCE_KEYS)}")
        for req in ("doc", "section", "quote"):
            if not s.get(req):
                at("", f"citation lacks '{req}'", f"add '{req}:' (see docs/data-format.md)")
        doc = s.get("doc", "")
        if not isinstance(doc, str):
            at("doc", "doc must be a file name", "write e.g. doc: 000_1b7241a4136cdb3d.txt")
            doc = ""
        if doc and not unsafe(doc) and (why := plain_name_problem(doc)) is not None:
            at("doc", why, "give the seed file name only, as in data/sources.yaml")
            doc = ""
        if doc and ctx.doc_files and doc not in ctx.doc_files:  # type: ignore[attr-defined]
            at("doc", f"unknown document '{shorten(doc, 60)}'",
               suggest(doc, ctx.doc_files) or "add it to data/sources.yaml as a SourceDocument")  # type: ignore[attr-defined]
            doc = ""
        conf = s.get("confidence", "confident")
        if not isinstance(conf, str) or conf not in CONCEPTS["confidence"]:
            at("confidence", f"confidence '{shorten(conf, 40)}' is not allowed", "use confident, suspected or inferred")
        for r in as_list(s.get("refs", [])):
            out += _ref_problems(rec, n, r, doc, ctx)
        for key in as_list(s.get("supports", [])):
            if not isinstance(key, str) or key not in rec.data or FIELDS.get(key) is None \
                    or (FIELDS[key].predicate is None and key != "type"):
                at("supports", f"'supports' names '{shorten(key, 40)}', which is not a field of this record",
                   "list keys of this record that the quote states, e.g. [date, built_by]")
        quote = s.get("quote")
        if quote is not None and not isinstance(quote, str):
            at("quote", "quote must be text", "put the quote in double quotes")
        elif isinstance(quote, str) and doc and not unsafe(quote):
            text = ctx.seeds.text(doc)  # type: ignore[attr-defined]
            wanted = normalise(quote)
            if text is not None and wanted not in text:
                at("quote", f"quote not found in {doc}: \"{shorten(wanted, 70)}\"; closest passage: "
                            f"\"{shorten(closest_passage(text, wanted), 110)}\"",
                   "copy the quote verbatim from the seed (spelling and all; quote marks and line breaks may differ)")
    return out


def _ref_problems(rec: Record, n: int, ref: object, doc: str, ctx: object) -> list[Problem]:
    line = rec.citation_line(n, "refs")
    types: dict[str, str] = ctx.types  # type: ignore[attr-defined]
    if isinstance(ref, str):
        if types.get(ref) != "CitedWork":
            return [rec.problem("source", f"reference '{shorten(ref, 60)}' is not the id of a CitedWork record",
                                suggest(ref, [i for i, t in types.items() if t == "CitedWork"])
                                or "give the [n] number or the id of a CitedWork record", line)]
    elif isinstance(ref, bool) or not isinstance(ref, int):
        return [rec.problem("source", f"reference '{shorten(ref, 40)}' is not a number or id",
                            "write refs as numbers, e.g. [45, 46]", line)]
    elif doc and (ctx.doc_ids.get(doc), ref) not in ctx.cited:  # type: ignore[attr-defined]
        return [rec.problem("source", f"reference [{ref}] of {doc} has no CitedWork record",
                            f"add ref-{doc[:3]}-{ref} to data/references-{doc[:3]}.yaml", line)]
    return []
