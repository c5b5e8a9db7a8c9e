"""Text and number safety: what every value must be before it becomes RDF.

A lone surrogate cannot be written as UTF-8 (the TriG write crashes after the
old build was replaced), NUL and control characters break terminals and
N-Triples, `.inf` / `.nan` are not xsd:decimal, and a 10 MB label makes every
page and message unusable. These are checked on the raw YAML values so the
message can name the field and line.
"""

from __future__ import annotations

import math
import re

from kg.build.records import Record
from kg.errors import Problem, shorten

# Longest text a field may hold, in characters (real data: description 982, label 291, quote 377).
LIMITS: dict[str, int] = {"id": 120, "type": 60, "label": 500, "alt_labels": 500, "file": 200, "url": 2000}
DEFAULT_LIMIT = 5000
# Whole numbers with a natural lower bound (stage 1 is the first; reference [1] the first).
INT_MIN: dict[str, int] = {"stage_number": 1, "ref_number": 1}
INT_MAX = 10_000


# Category Cc is exactly U+0000-U+001F and U+007F-U+009F; with the surrogates, one regex
# finds the first refused character in C (a per-character loop was a third of a 100-city check).
_REFUSED = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\ud800-\\udfff]")


def bad_character(text: str) -> str | None:
    """Why the text cannot be stored, or None: lone surrogates and control characters."""
    found = _REFUSED.search(text)
    if found is None:
        return None
    ch = found.group()
    if 0xD800 <= ord(ch) <= 0xDFFF:
        return f"a lone surrogate (\\u{ord(ch):04x}), not a real character"
    return f"a control character ({ch.encode('unicode_escape').decode()})"


def _value_problems(rec: Record, key: str, value: object, line: int) -> list[Problem]:
    """Problems of one raw value (recursing into lists and citation mappings)."""
    out: list[Problem] = []
    if isinstance(value, str):
        limit = LIMITS.get(key.rpartition(".")[2], DEFAULT_LIMIT)
        if len(value) > limit:
            out.append(rec.problem(key, f"text of {len(value):,} characters is longer than the {limit:,} allowed",
                                   "shorten it: quote only the sentence that states the fact", line))
        elif (why := bad_character(value)) is not None:
            out.append(rec.problem(key, f"text contains {why}: '{shorten(value, 40)}'",
                                   "retype the value; remove escapes like \\0 or \\ud800", line))
    elif isinstance(value, float) and not math.isfinite(value):
        out.append(rec.problem(key, f"'{value}' is not a finite number", "write the number as digits, e.g. 17.68", line))
    elif isinstance(value, int) and not isinstance(value, bool) and key in INT_MIN:
        if not INT_MIN[key] <= value <= INT_MAX:
            out.append(rec.problem(key, f"{shorten(value, 20)} is out of range", f"use a whole number from {INT_MIN[key]}", line))
    elif isinstance(value, list):
        for v in value:
            out += _value_problems(rec, key, v, line)
    elif isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                out.append(rec.problem(key, f"key {shorten(k, 20)} is not a word", "write 'key: value'", line))
                continue
            out += _value_problems(rec, f"{key}.{k}", v, line)
    return out


def text_problems(rec: Record) -> list[Problem]:
    """Every unsafe text or number in the record, at its key's line (a citation's
    keys at their own lines)."""
    out: list[Problem] = []
    for key, value in rec.data.items():
        if key == "source":
            for n, cit in enumerate(value if isinstance(value, list) else [value]):
                if isinstance(cit, dict):
                    for k, v in cit.items():
                        line = rec.citation_line(n, str(k))
                        out += _value_problems(rec, f"source.{k}", v, line)
            continue
        out += _value_problems(rec, key, value, rec.line_of(key))
    return out


def unsafe(value: object) -> bool:
    """True if a value would fail text_problems (so later checks can skip echoing it)."""
    if isinstance(value, str):
        return len(value) > DEFAULT_LIMIT or bad_character(value) is not None
    if isinstance(value, float):
        return not math.isfinite(value)
    return False
