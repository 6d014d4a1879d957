"""Working days in mainland China: 法定节假日 and 调休 from `chinesecalendar`, plus local
overrides from content/calendar/<year>.yaml.

Deadlines in the disclosure calendar (政府信息公开条例 art. 26: 20 working days) and in the
好差评 rectification rules are counted in working days. A computation that needs a year
neither the library nor a local calendar file knows raises UnknownYear: we never guess.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import chinese_calendar

ONE_DAY = dt.timedelta(days=1)


class UnknownYear(Exception):
    """A working-day question about a year no calendar covers."""

    def __init__(self, year: int):
        super().__init__(year)
        self.year = year


@dataclass(frozen=True)
class Calendar:
    """Official calendar with local additions. `workdays`/`holidays` override the library;
    `years` are years a local file declares complete (e.g. one the library does not know)."""
    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    years: frozenset[int] = frozenset()

    def knows(self, year: int) -> bool:
        lo, hi = _library_years()
        return lo <= year <= hi or year in self.years

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        if day.year in self.years and not _library_knows(day.year):
            return day.weekday() < 5
        if not self.knows(day.year):
            raise UnknownYear(day.year)
        return _library_workday(day)

    def add(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (n = 0: `start` itself if a working day, else
        the next one). Remembered: a district's thousands of records fall due from a few
        dozen period ends."""
        return _add(self, start, n)

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        return _between(self, start, end)


@functools.lru_cache(maxsize=4096)
def _add(calendar: Calendar, start: dt.date, n: int) -> dt.date:
    """Calendar.add (an UnknownYear raised is not remembered)."""
    day = start
    if n == 0:
        while not calendar.is_workday(day):
            day += ONE_DAY
        return day
    counted = 0
    while counted < n:
        day += ONE_DAY
        if calendar.is_workday(day):
            counted += 1
    return day


@functools.lru_cache(maxsize=4096)
def _between(calendar: Calendar, start: dt.date, end: dt.date) -> int:
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        if calendar.is_workday(day):
            count += 1
    return count


@functools.cache
def _library_workday(day: dt.date) -> bool:
    """chinese_calendar's answer, remembered (it validates the date on every call)."""
    return chinese_calendar.is_workday(day)


@functools.cache
def _library_years() -> tuple[int, int]:
    years = sorted({d.year for d in chinese_calendar.holidays})
    return years[0], years[-1]


def _library_knows(year: int) -> bool:
    lo, hi = _library_years()
    return lo <= year <= hi


OFFICIAL = Calendar()


def from_records(records) -> Calendar:
    """A Calendar from validated content/calendar/<year>.yaml records."""
    holidays: set[dt.date] = set()
    work: set[dt.date] = set()
    years: set[int] = set()
    for rec in records:
        holidays.update(d.date for d in rec.holidays)
        work.update(d.date for d in rec.workdays)
        if rec.complete and rec.year is not None:
            years.add(rec.year)
    return Calendar(frozenset(holidays), frozenset(work), frozenset(years))
