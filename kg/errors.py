"""Error hierarchy. Each error knows its exit code and says how to fix it.

Exit codes (documented in the README, like pySHACL's):
  0  success
  1  the data failed validation (structural or SHACL) or the reasoner found it inconsistent
  2  usage or input error: bad option, unknown query, bad parameter, unreadable file
  3  store or endpoint error: server down, timeout, HTTP error, bad credentials, bad results
"""

from __future__ import annotations

from dataclasses import dataclass


class EgovKgError(Exception):
    """Base class: a one-line message that names the place and the fix."""

    exit_code = 2

    def __init__(self, message: str, fix: str | None = None) -> None:
        self.message = message
        self.fix = fix
        super().__init__(self.one_line())

    def one_line(self) -> str:
        return f"{self.message} — {self.fix}" if self.fix else self.message


class UsageError(EgovKgError):
    """Bad command-line use or bad input the user can correct (exit 2)."""

    exit_code = 2


class QueryError(UsageError):
    """Unknown query, malformed query header, or a parameter that is not valid (exit 2)."""


class ParameterError(QueryError):
    """A query parameter that is not a valid id, year or literal (exit 2)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located precisely enough to fix it."""

    file: str
    line: int | None
    field: str | None
    message: str
    fix: str | None = None
    record: str | None = None

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        where = f" field '{self.field}':" if self.field else ""
        rec = f" [{self.record}]" if self.record else ""
        fix = f" — {self.fix}" if self.fix else ""
        return f"{place}:{rec}{where} {self.message}{fix}"


class ValidationError(EgovKgError):
    """The data failed validation; carries every problem found (exit 1)."""

    exit_code = 1

    def __init__(self, problems: list[Problem], stage: str = "structure") -> None:
        self.problems = problems
        self.stage = stage
        n = len(problems)
        super().__init__(f"{n} {stage} problem{'s' if n != 1 else ''} in data/",
                         "fix the lines listed above and run 'egovkg validate' again")


class InconsistentError(EgovKgError):
    """The OWL reasoner found the ontology plus data inconsistent (exit 1)."""

    exit_code = 1


class StoreError(EgovKgError):
    """A store or SPARQL endpoint failed (exit 3)."""

    exit_code = 3


class EndpointUnreachable(StoreError):
    """Nothing answers at the endpoint URL."""


class EndpointAuthError(StoreError):
    """The endpoint refused the credentials."""


class EndpointTimeout(StoreError):
    """The endpoint did not answer in time."""


class EndpointResponseError(StoreError):
    """The endpoint answered with an HTTP error or results that cannot be parsed."""


def shorten(value: object, limit: int = 80) -> str:
    """A value as it may appear in a one-line message: no line breaks, at most
    `limit` characters (a 10 MB label must not be echoed into the terminal)."""
    text = str(value)[: limit * 2]
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates printable
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
