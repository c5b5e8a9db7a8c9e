"""Dates at the precision the source gives, and bounds where it gives none.

A source that says "in 2009" must not become 2009-01-01; we keep the precision
and type the literal xsd:gYear / xsd:gYearMonth / xsd:date accordingly. A thing
the source does not date gets no year at all: only bounds (earliest, latest),
from an interval the source states (the EDTF forms `2009/2017`, `../2012`,
`2012/..`) or from the stage it belongs to, each with its basis. The lag
between two things is then an interval too (`lag_bounds`); it is a single
number only when both ends are exact years. Queries, analysis and site all read
the lag the loader computes here, so there is one definition.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rdflib import Literal

from kg.namespaces import XSD

_RX = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def literal(self) -> Literal:
        if self.day:
            return Literal(f"{self.year:04d}-{self.month:02d}-{self.day:02d}", datatype=XSD.date)
        if self.month:
            return Literal(f"{self.year:04d}-{self.month:02d}", datatype=XSD.gYearMonth)
        return Literal(f"{self.year:04d}", datatype=XSD.gYear)

    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    def __str__(self) -> str:
        return str(self.literal())


def parse_date(value: object) -> PartialDate:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD; raise ValueError with the reason otherwise."""
    if isinstance(value, bool):
        raise ValueError("expected a date like \"2009\", \"2009-07\" or \"2009-07-31\"")
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("expected a date like \"2009\", \"2009-07\" or \"2009-07-31\"")
    m = _RX.match(value.strip())
    if not m:
        raise ValueError(f"'{value}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    if year < 1900 or year > 2100:
        raise ValueError(f"year {year} is outside 1900-2100")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month {month} does not exist")
    if day is not None:
        try:
            dt.date(year, month, day)  # type: ignore[arg-type]
        except ValueError:
            raise ValueError(f"{value} is not a real calendar date") from None
    return PartialDate(year, month or None, day or None)


_INTERVAL = re.compile(r"^(\.\.|\d{4})/(\.\.|\d{4})$")


@dataclass(frozen=True)
class YearBounds:
    """What is known of when a thing happened, in whole years.

    basis: "date" (the source dates it), "source bounds" (the source gives an
    interval or a before/after), "stage" (only the stage it belongs to is known).
    None on a side means open (unknown)."""

    earliest: int | None
    latest: int | None
    basis: str

    @property
    def exact(self) -> int | None:
        """The year, when both bounds agree; else None (never a guess)."""
        return self.earliest if self.earliest is not None and self.earliest == self.latest else None

    def __str__(self) -> str:
        if self.exact is not None:
            return str(self.exact)
        return f"{self.earliest if self.earliest is not None else '..'}/{self.latest if self.latest is not None else '..'}"


def parse_interval(value: object) -> YearBounds | None:
    """`2009/2017`, `../2012` or `2012/..` as bounds; None if the value is no interval."""
    if not isinstance(value, str):
        return None
    m = _INTERVAL.match(value.strip())
    if not m:
        return None
    lo = None if m[1] == ".." else int(m[1])
    hi = None if m[2] == ".." else int(m[2])
    if lo is None and hi is None:
        raise ValueError("'../..' says nothing: omit the date instead")
    for y in (lo, hi):
        if y is not None and not 1900 <= y <= 2100:
            raise ValueError(f"year {y} is outside 1900-2100")
    if lo is not None and hi is not None and hi < lo:
        raise ValueError(f"interval {value} ends before it starts")
    return YearBounds(lo, hi, "source bounds")


def parse_when(value: object) -> PartialDate | YearBounds:
    """A `date` field: an exact (partial) date or an interval of years."""
    iv = parse_interval(value)
    return iv if iv is not None else parse_date(value)


def lag_bounds(a: YearBounds, b: YearBounds) -> tuple[int | None, int | None]:
    """Years from a to b as [earliest(b) - latest(a), latest(b) - earliest(a)];
    a side is None where a bound it needs is open."""
    lo = b.earliest - a.latest if b.earliest is not None and a.latest is not None else None
    hi = b.latest - a.earliest if b.latest is not None and a.earliest is not None else None
    return lo, hi


def order_of(lag: tuple[int | None, int | None]) -> str:
    """Which end came first, from the lag interval: "from first", "to first",
    "same year", or "undetermined" when the interval straddles zero or is open."""
    lo, hi = lag
    if lo is not None and lo > 0:
        return "from first"
    if hi is not None and hi < 0:
        return "to first"
    if lo == hi == 0:
        return "same year"
    return "undetermined"
