"""Dates at the precision the source gives: a year, a month or a day.

A source that says "in 2009" must not become 2009-01-01; we keep the precision
and type the literal xsd:gYear / xsd:gYearMonth / xsd:date accordingly.
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
