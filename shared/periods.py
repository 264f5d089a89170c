"""Periods of a series: the compact syntax users type, parsed into ordered, non-overlapping periods.

Standard library only: the shell (the Processing parameter, the panel's picker) and the worker (the
job's `periods`) parse the same text with the same function, so both refuse the same mistakes with the
same message.

Syntax: items separated by commas, each one of
    2019                    the year (2019-01-01 to 2020-01-01)
    2019..2025              every year from 2019 to 2025
    2024-03                 the month
    2024:seasons            the meteorological seasons: DJF (December 2023 to February 2024), MAM, JJA, SON
    2024:quarters           Q1 .. Q4;  2024:months: the twelve months
    2019..2021:seasons      the same for every year of the range
    2024-03-01/2024-06-01   an explicit range, the end exclusive
Every end is exclusive; periods must be in time order and must not overlap (one may end where the
next begins). Labels name the files of the series (`<name>_<label>.tif`).
"""

import datetime
import os
import re
from dataclasses import dataclass

from .i18n import tr
from .limits import SERIES_PERIODS

SYNTAX = (
    "2019..2025 (every year), 2019,2021,2023 (years), 2024:seasons (or :quarters, :months), "
    "2024-03 (a month) or 2024-03-01/2024-06-01, 2024-06-01/2024-09-01 (ranges, the end exclusive)"
)
# (name, start year offset, start month, end year offset, end month): meteorological seasons
_SEASONS = (("DJF", -1, 12, 0, 3), ("MAM", 0, 3, 0, 6), ("JJA", 0, 6, 0, 9), ("SON", 0, 9, 0, 12))


class PeriodError(ValueError):
    """A periods text that cannot be used; the message says what to type instead."""


@dataclass(frozen=True)
class Period:
    """One period of a series: label, start (ISO date, inclusive), end (ISO date, exclusive) and, in a
    series, the file of its embedding raster (relative to the series file in its metadata)."""

    label: str
    start: str
    end: str
    file: str = ""

    def text(self) -> str:
        return "%s/%s" % (self.start, self.end)


def _date(year: int, month: int) -> datetime.date:
    """The first day of `month` of `year` (month 13 = January of the next year, 0 = December before)."""
    year += (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1)


def _span(label: str, start: datetime.date, end: datetime.date) -> Period:
    return Period(label, start.isoformat(), end.isoformat())


def _year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text) or not 1900 <= int(text) <= 2200:
        raise PeriodError(tr("%r is not a year (1900 to 2200). Type periods like %s.") % (text, SYNTAX))
    return int(text)


def _split_year(year: int, how: str) -> list[Period]:
    if how == "seasons":
        return [_span("%d-%s" % (year, name), _date(year + y0, m0), _date(year + y1, m1))
                for name, y0, m0, y1, m1 in _SEASONS]  # fmt: skip
    if how == "quarters":
        return [_span("%d-Q%d" % (year, q + 1), _date(year, 3 * q + 1), _date(year, 3 * q + 4)) for q in range(4)]
    if how == "months":
        return [_span("%d-%02d" % (year, m), _date(year, m), _date(year, m + 1)) for m in range(1, 13)]
    if how == "":
        return [_span("%d" % year, _date(year, 1), _date(year + 1, 1))]
    raise PeriodError(tr("Unknown split %r: use :seasons, :quarters or :months after a year.") % how)


def _iso(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise PeriodError(tr("%r is not a date: write dates as YYYY-MM-DD, e.g. 2024-03-01.") % text) from None


def _item(text: str) -> list[Period]:
    """The periods of one comma-separated item."""
    if "/" in text:
        first, _, second = text.partition("/")
        start, end = _iso(first.strip()), _iso(second.strip())
        if end <= start:
            raise PeriodError(
                tr("The period %s ends before it starts: write start/end with the later date second, e.g. %s/%s.")
                % (text, min(start, end), max(start, end))
            )
        return [_span("%s_%s" % (start, end), start, end)]
    month = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if month:
        year, m = _year(month.group(1)), int(month.group(2))
        if not 1 <= m <= 12:
            raise PeriodError(tr("%r has no month %d: months are 01 to 12.") % (text, m))
        return [_span("%d-%02d" % (year, m), _date(year, m), _date(year, m + 1))]
    years, _, how = text.partition(":")
    first, dots, last = years.partition("..")
    y0 = _year(first.strip())
    y1 = _year(last.strip()) if dots else y0
    if y1 < y0:
        raise PeriodError(tr("%s counts backwards: write the earlier year first, e.g. %d..%d.") % (text, y1, y0))
    return [p for y in range(y0, y1 + 1) for p in _split_year(y, how.strip().lower())]


def parse_periods(text: str) -> list[Period]:
    """The periods `text` lists, in order ([] for an empty text: one date range, no series).
    PeriodError (a message with the fix) for a bad item, unordered or overlapping periods, repeated
    labels or more than SERIES_PERIODS.maximum periods."""
    items = [t.strip() for t in (text or "").replace(";", ",").split(",")]
    if not any(items):
        return []
    periods = []
    for item in items:
        if not item:
            raise PeriodError(tr("The periods %r have an empty item between two commas; remove it.") % text)
        periods.extend(_item(item))
    check_order(periods)
    assert SERIES_PERIODS.maximum is not None  # a bounded range
    if len(periods) > SERIES_PERIODS.maximum:
        raise PeriodError(
            tr("%d periods is more than a series holds (%s); split the series or use fewer periods.")
            % (len(periods), SERIES_PERIODS.text())
        )
    return periods


def period_file(series: str, label: str) -> str:
    """The file of one period of the series file `series`: `<series stem>_<label>.tif` beside it."""
    return "%s_%s.tif" % (os.path.splitext(os.path.abspath(series))[0], label)


def period_of(start: str, end: str) -> Period:
    """The period from `start` to `end` (ISO dates, end exclusive), labelled as the syntax would: 2019 for a
    whole year, 2024-03 for a month, else start_end."""
    first, last = _iso(start[:10]), _iso(end[:10])
    if last <= first:
        raise PeriodError(tr("The period %s/%s ends before it starts.") % (first, last))
    if (first.month, first.day, last.month, last.day) == (1, 1, 1, 1) and last.year == first.year + 1:
        label = "%d" % first.year
    elif first.day == 1 and last == _date(first.year, first.month + 1):
        label = "%d-%02d" % (first.year, first.month)
    else:
        label = "%s_%s" % (first, last)
    return _span(label, first, last)


def check_order(periods: list[Period]) -> None:
    """PeriodError unless the periods are in time order, do not overlap and have distinct labels."""
    labels = set()
    for before, after in zip(periods, periods[1:]):
        if after.start < before.start:
            ordered = ", ".join(p.text() for p in sorted(periods, key=lambda p: p.start))
            raise PeriodError(
                tr(
                    "The period %s (%s) comes after %s (%s) but starts earlier: list the periods in time "
                    "order, e.g. %s."
                )
                % (after.label, after.text(), before.label, before.text(), ordered)
            )
        if after.start < before.end:
            raise PeriodError(
                tr(
                    "The periods %s (%s) and %s (%s) overlap: let each period end where or before the next "
                    "begins, e.g. %s/%s."
                )
                % (before.label, before.text(), after.label, after.text(), before.start, after.start)
            )
    for p in periods:
        if p.label in labels:
            raise PeriodError(tr("The period %s is listed twice; list each period once.") % p.label)
        labels.add(p.label)


def check_series(periods: list[Period]) -> None:
    """PeriodError unless the periods make a series: at least two, ordered, not overlapping."""
    check_order(periods)
    assert SERIES_PERIODS.minimum is not None  # a bounded range
    if len(periods) < SERIES_PERIODS.minimum:
        raise PeriodError(
            tr(
                "A series needs at least two periods (got %d): to compare two dates use Change between dates; "
                "for one date range leave the periods empty."
            )
            % len(periods)
        )


def whole_years(periods: "list[Period]", what: str) -> "list[int]":
    """The calendar year of each period (a product of annual layers, `what`, e.g. "AlphaEarth");
    PeriodError naming the first period that is not one calendar year."""
    years: list[int] = []
    for p in periods:
        year = int(p.start[:4])
        if (p.start, p.end) != ("%04d-01-01" % year, "%04d-01-01" % (year + 1)):
            raise PeriodError(
                tr(
                    "%s (%s) is not a calendar year: %s has one layer per year. Type years, e.g. 2017..2025 or "
                    "2019,2021,2023."
                )
                % (p.label, p.text(), what)
            )
        years.append(year)
    return years
