"""Honest dates: bounds, never a guess; the one definition of lag (kg.build.dates)."""

from __future__ import annotations

import pytest

from kg.build.dates import YearBounds, lag_bounds, order_of, parse_interval, parse_when


@pytest.mark.parametrize("text, lo, hi", [("2009/2017", 2009, 2017), ("../2012", None, 2012), ("2012/..", 2012, None)])
def test_intervals(text, lo, hi):
    b = parse_interval(text)
    assert (b.earliest, b.latest, b.basis, b.exact) == (lo, hi, "source bounds", None)


@pytest.mark.parametrize("bad", ["../..", "2017/2009", "1800/1900"])
def test_bad_intervals(bad):
    with pytest.raises(ValueError):
        parse_interval(bad)


def test_exact_date_is_not_an_interval():
    assert parse_when("2009-07").year == 2009
    assert parse_interval("2009") is None


@pytest.mark.parametrize("a, b, lag, order", [
    (YearBounds(2009, 2009, "date"), YearBounds(2012, 2012, "date"), (3, 3), "from first"),
    (YearBounds(2006, 2008, "stage"), YearBounds(2009, 2009, "date"), (1, 3), "from first"),
    (YearBounds(2009, 2017, "stage"), YearBounds(2009, 2009, "date"), (-8, 0), "undetermined"),
    (YearBounds(2015, 2015, "date"), YearBounds(2009, 2009, "date"), (-6, -6), "to first"),
    (YearBounds(2018, None, "stage"), YearBounds(2019, 2019, "date"), (None, 1), "undetermined"),
    (YearBounds(2019, 2019, "date"), YearBounds(2019, 2019, "date"), (0, 0), "same year"),
])
def test_lag_interval_and_order(a, b, lag, order):
    # by hand: [earliest(b) - latest(a), latest(b) - earliest(a)]
    assert lag_bounds(a, b) == lag
    assert order_of(lag) == order
