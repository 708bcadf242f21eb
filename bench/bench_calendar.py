"""Benchmark `BusinessCalendar` against businesstimedelta, and check they agree.

Every measurement is printed as a ratio against its baseline, measured in the
same run, with the bar it must meet and whether it does:

1. Cold deadlines: a calendar that arrives as JSON (``from_json(text,
   BusinessCalendar)``) and computes its first 1-hour deadline, against
   businesstimedelta building a fresh rule and computing its first deadline,
   on the same random starts. Once without holidays, once with
   ``holiday_country="HK"`` (the baseline then reads the start's year and the
   next from the `holidays` package for its ``HolidayRule``). Bar: the library
   is no slower (ratio >= 1). The JSON is the same each call, as when a
   store's calendar comes with every request: the library then reuses its
   check of the definition. For reference, a case where every call brings a
   definition not seen before is printed too, without a bar.
2. Warm deadlines: throughput of ``BusinessCalendar.add(start, duration)`` on a
   Monday-to-Friday 09:00-18:00 calendar in Asia/Hong_Kong with the Hong Kong
   public holidays, against ``start + BusinessTimeDelta(rules, ...)``, on N
   random inputs (starts uniform over 2026 to the minute, durations uniform
   from one minute to 20 working days). Both answers are compared instant for
   instant; any disagreement is printed and the script exits with status 1.
   Bar: at least 100 times as fast.
3. Duration independence: the cost of a 1-hour ``add`` against a 5-year one,
   once indexed. Bar: at most 3 times.
4. The horizon: one ``add(start, HORIZON)`` (100 years) on a fresh calendar,
   its time and the memory it keeps. Bar: under 1 s and under 50 MB.

A warm-up call before each warm timing keeps the one-time index building out of
it (its cost is printed separately).

Run it from the project root::

    pip install -e '.[bench]'
    python bench/bench_calendar.py [--calls N] [--seed S] [--check]

``--check`` exits with status 1 when any bar is not met.
"""

from __future__ import annotations

import argparse
import functools
import gc
import random
import sys
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from importlib.metadata import version
from time import perf_counter
from typing import Any, Final
from zoneinfo import ZoneInfo

import businesstimedelta
import holidays as holidays_package
import pytz

from retail_service_quality import ValidationError, from_json, to_json
from retail_service_quality.calendar import DAYS, HORIZON, BusinessCalendar, public_holidays

ZONE_NAME: Final = "Asia/Hong_Kong"
ZONE: Final = ZoneInfo(ZONE_NAME)
PYTZ_ZONE: Final = pytz.timezone(ZONE_NAME)
OPENS: Final = time(9)
CLOSES: Final = time(18)
YEAR: Final = 2026
DAY_HOURS: Final = 9
MAX_DURATION_MINUTES: Final = 20 * DAY_HOURS * 60
# A generous bound on the calendar time that 20 working days can take (Chinese
# New Year plus weekends), used to pick the holiday years the deadlines reach.
MAX_CALENDAR_SPAN: Final = timedelta(days=60)

INDEPENDENCE_CALLS: Final = 20_000
INDEPENDENCE_REPEATS: Final = 3
ONE_HOUR: Final = timedelta(hours=1)
FIVE_YEARS_OF_WORKING_DAYS: Final = timedelta(hours=5 * 250 * DAY_HOURS)
FIVE_YEARS_OF_DAYS: Final = timedelta(days=5 * 365)

MIN_RATIO: Final = 100.0
MIN_COLD_RATIO: Final = 1.0
MAX_COST_RATIO: Final = 3.0
MAX_HORIZON_SECONDS: Final = 1.0
MAX_HORIZON_MB: Final = 50.0
COLD_CALLS: Final = 2_000
COLD_REPEATS: Final = 5
SHOW_MISMATCHES: Final = 5

Deadline = Callable[[datetime, timedelta], datetime]


@dataclass(frozen=True)
class Case:
    """One random input: the same start instant for both libraries, and a duration."""

    start: datetime
    """The start as a `zoneinfo` datetime, for the library."""
    pytz_start: datetime
    """The same instant localized with pytz, as businesstimedelta expects."""
    duration: timedelta


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=20_000, help="N, the number of inputs")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random inputs")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if any bar is not met",
    )
    args = parser.parse_args(argv)
    if args.calls < 1:
        parser.error("--calls must be at least 1")
    return args


def random_starts(rng: random.Random, count: int) -> list[datetime]:
    """Instants uniform over the local year, to the whole minute, as UTC datetimes."""
    first = datetime(YEAR, 1, 1, tzinfo=ZONE).astimezone(UTC)
    minutes = (datetime(YEAR + 1, 1, 1, tzinfo=ZONE) - first) // timedelta(minutes=1)
    return [first + timedelta(minutes=rng.randrange(minutes)) for _ in range(count)]


def make_cases(rng: random.Random, count: int) -> list[Case]:
    return [
        Case(
            start=instant.astimezone(ZONE),
            # pytz's own conversion from UTC gives a properly localized datetime.
            pytz_start=instant.astimezone(PYTZ_ZONE),
            duration=timedelta(minutes=rng.randint(1, MAX_DURATION_MINUTES)),
        )
        for instant in random_starts(rng, count)
    ]


def btd_rules(holidays: frozenset[date]) -> Any:
    """The businesstimedelta equivalent of ``BusinessCalendar.weekdays`` with holidays."""
    workday = businesstimedelta.WorkDayRule(
        start_time=OPENS, end_time=CLOSES, working_days=[0, 1, 2, 3, 4], tz=PYTZ_ZONE
    )
    # HolidayRule reads its dates as whole days in its own ``tz``, which defaults
    # to UTC, not to the work-day rule's zone: pass the zone explicitly. It looks
    # each date up with ``in``, so a frozenset is its fastest container.
    holiday_rule = businesstimedelta.HolidayRule(holidays, tz=PYTZ_ZONE)
    return businesstimedelta.Rules([workday, holiday_rule])


def btd_deadline(rules: Any, start: datetime, duration: timedelta) -> datetime:
    deadline: datetime = start + businesstimedelta.BusinessTimeDelta(rules, timedelta=duration)
    return deadline


def timed_calls(
    deadline: Deadline, starts: Sequence[datetime], durations: Sequence[timedelta]
) -> tuple[float, list[datetime]]:
    """Seconds taken by ``deadline`` over the inputs, and its answers."""
    answers: list[datetime] = []
    append = answers.append
    begin = perf_counter()
    for start, duration in zip(starts, durations, strict=True):
        append(deadline(start, duration))
    return perf_counter() - begin, answers


def best_time(deadline: Deadline, starts: Sequence[datetime], duration: timedelta) -> float:
    durations = [duration] * len(starts)
    return min(timed_calls(deadline, starts, durations)[0] for _ in range(INDEPENDENCE_REPEATS))


def is_closing_time(instant: datetime) -> bool:
    local = instant.astimezone(ZONE)
    return local.time() == CLOSES and local.weekday() < 5


def describe(instant: datetime) -> str:
    return instant.astimezone(ZONE).strftime("%a %Y-%m-%d %H:%M %Z")


def compare(
    cal: BusinessCalendar,
    cases: Sequence[Case],
    ours: Sequence[datetime],
    theirs: Sequence[datetime],
) -> bool:
    """Print how the answers compare, as UTC instants; whether all are identical."""
    # The library's deadline is the earliest instant with the duration elapsed,
    # so it can fall exactly on a closing time. businesstimedelta agrees: its
    # ``__add__`` returns ``period_start + td_left`` as soon as
    # ``period_delta >= td_left``, i.e. on the closing time itself when the
    # duration runs out exactly there. So no normalization is applied. Should
    # it ever move such deadlines to the next opening instead, they show up below
    # as mismatches, labelled as such, rather than being silently normalized.
    mismatches: list[tuple[Case, datetime, datetime]] = []
    at_closing = 0
    for case, mine, other in zip(cases, ours, theirs, strict=True):
        if is_closing_time(mine):
            at_closing += 1
        if mine.astimezone(UTC) != other.astimezone(UTC):
            mismatches.append((case, mine, other))
    agreeing_at_closing = at_closing - sum(is_closing_time(mine) for _, mine, _ in mismatches)
    print(
        f"closing-time deadlines: {at_closing:,} fall exactly on 18:00; businesstimedelta puts "
        f"{agreeing_at_closing:,} of them on the closing time too (no normalization applied)"
    )
    if not mismatches:
        print(f"answers: all {len(cases):,} identical as UTC instants")
        return True
    moved = sum(
        is_closing_time(mine) and other.astimezone(UTC) == cal.next_open(mine).astimezone(UTC)
        for _, mine, other in mismatches
    )
    print(
        f"MISMATCH: {len(mismatches):,} of {len(cases):,} answers differ "
        f"({moved:,} moved by businesstimedelta from a closing time to the next opening)"
    )
    for case, mine, other in mismatches[:SHOW_MISMATCHES]:
        print(
            f"  start {describe(case.start)} + {business_hours(case.duration)}: "
            f"library {describe(mine)}, businesstimedelta {describe(other)}"
        )
    return False


def business_hours(duration: timedelta) -> str:
    minutes = duration // timedelta(minutes=1)
    return f"{minutes // 60} h {minutes % 60:02d} min"


def rate(calls: int, seconds: float) -> str:
    return f"{calls:,} calls in {seconds:.3f} s = {calls / seconds:,.0f} calls/s"


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def cold_library(text: str, starts: Sequence[datetime]) -> tuple[float, list[datetime]]:
    """Seconds per call: a calendar from JSON, then its first 1-hour deadline."""
    answers: list[datetime] = []
    begin = perf_counter()
    for start in starts:
        answers.append(from_json(text, BusinessCalendar).add(start, ONE_HOUR))
    return (perf_counter() - begin) / len(starts), answers


def cold_baseline(
    pytz_starts: Sequence[datetime], *, country: str | None
) -> tuple[float, list[datetime]]:
    """Seconds per call: a fresh businesstimedelta rule, then its first 1-hour deadline."""
    answers: list[datetime] = []
    begin = perf_counter()
    for start in pytz_starts:
        workday = businesstimedelta.WorkDayRule(
            start_time=OPENS, end_time=CLOSES, working_days=[0, 1, 2, 3, 4], tz=PYTZ_ZONE
        )
        rules = [workday]
        if country is not None:
            # HolidayRule needs a holiday after the deadline, so the next year too.
            found = holidays_package.country_holidays(country, years=[start.year, start.year + 1])
            rules.append(businesstimedelta.HolidayRule(frozenset(found), tz=PYTZ_ZONE))
        answers.append(btd_deadline(businesstimedelta.Rules(rules), start, ONE_HOUR))
    return (perf_counter() - begin) / len(pytz_starts), answers


def fresh_definitions(
    text: str, starts: Sequence[datetime], pytz_starts: Sequence[datetime]
) -> None:
    """For reference: every call brings a calendar definition not seen before.

    The library remembers the last few valid definitions, so a calendar rebuilt
    from the same JSON (a store's calendar in every request) skips checking it
    again; here each text differs (one more holiday, far in the future, that
    changes no answer), so every call checks its definition in full.
    """
    texts = [
        text.replace('"holidays": []', f'"holidays": ["{date(2200, 1, 1) + timedelta(days=n)}"]')
        for n in range(len(starts))
    ]
    assert len(set(texts)) == len(texts)
    ours, theirs = float("inf"), float("inf")
    for _ in range(COLD_REPEATS):
        begin = perf_counter()
        for start, definition in zip(starts, texts, strict=True):
            from_json(definition, BusinessCalendar).add(start, ONE_HOUR)
        ours = min(ours, (perf_counter() - begin) / len(starts))
        theirs = min(theirs, cold_baseline(pytz_starts, country=None)[0])
    print(
        f"  without holidays, a new definition each call (reference, no bar): library "
        f"{ours * 1e6:.0f} us, businesstimedelta {theirs * 1e6:.0f} us, ratio {theirs / ours:.2f}x"
    )


def cold_deadlines(rng: random.Random) -> list[tuple[str, float, bool]]:
    """Cold ratios, without and with a holiday country; (label, ratio, identical)."""
    cases = make_cases(rng, COLD_CALLS)
    starts = [case.start for case in cases]
    pytz_starts = [case.pytz_start for case in cases]
    results: list[tuple[str, float, bool]] = []
    weekdays = {day: [(OPENS, CLOSES)] for day in DAYS[:5]}
    for country in (None, "HK"):
        text = to_json(BusinessCalendar(ZONE_NAME, weekdays, holiday_country=country))
        # Imports and zone loading happen once per process on both sides: not timed.
        cold_library(text, starts[:2])
        cold_baseline(pytz_starts[:2], country=country)
        # Repeats alternate between the two, and the best of each counts.
        ours, theirs = float("inf"), float("inf")
        for _ in range(COLD_REPEATS):
            ours = min(ours, cold_library(text, starts)[0])
            theirs = min(theirs, cold_baseline(pytz_starts, country=country)[0])
        _, our_answers = cold_library(text, starts)
        _, their_answers = cold_baseline(pytz_starts, country=country)
        identical = all(
            a.astimezone(UTC) == b.astimezone(UTC)
            for a, b in zip(our_answers, their_answers, strict=True)
        )
        label = "without holidays" if country is None else f'holiday_country="{country}"'
        if country is None:
            fresh_definitions(text, starts, pytz_starts)
        print(
            f"  {label}: library from_json + first add {ours * 1e6:.0f} us, "
            f"businesstimedelta fresh rule + first deadline {theirs * 1e6:.0f} us, "
            f"ratio {theirs / ours:.2f}x (bar >= {MIN_COLD_RATIO:g}x: "
            f"{verdict(theirs / ours >= MIN_COLD_RATIO)}); answers "
            + ("identical" if identical else "DIFFER")
        )
        results.append((label, theirs / ours, identical))
    return results


def horizon_calendars() -> list[tuple[str, Callable[[], BusinessCalendar]]]:
    weekdays = {day: [("09:00", "18:00")] for day in DAYS[:5]}
    return [
        (
            "round the clock (the deadline is found)",
            lambda: BusinessCalendar(ZONE_NAME, {day: [("00:00", "24:00")] for day in DAYS}),
        ),
        (
            "Mon-Fri 09:00-18:00 + HK holidays (refused after 100 years)",
            lambda: BusinessCalendar(ZONE_NAME, weekdays, holiday_country="HK"),
        ),
    ]


def run_horizon_add(cal: BusinessCalendar, start: datetime) -> str:
    try:
        return describe(cal.add(start, HORIZON))
    except ValidationError as error:
        return f"refused ({error.problems[0].message})"


def horizon_adds() -> list[tuple[str, float, float]]:
    """Seconds and MB kept by one ``add(start, HORIZON)`` on a fresh calendar."""
    start = datetime(YEAR, 1, 1, 9, tzinfo=ZONE)
    results: list[tuple[str, float, float]] = []
    for label, make in horizon_calendars():
        cal = make()
        begin = perf_counter()
        outcome = run_horizon_add(cal, start)
        seconds = perf_counter() - begin
        del cal
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        cal = make()
        run_horizon_add(cal, start)
        gc.collect()
        kept = (tracemalloc.get_traced_memory()[0] - before) / 1e6
        tracemalloc.stop()
        met = seconds < MAX_HORIZON_SECONDS and kept < MAX_HORIZON_MB
        print(
            f"  {label}: {seconds * 1e3:.0f} ms, {kept:.1f} MB kept, {outcome} "
            f"(bar < {MAX_HORIZON_SECONDS:g} s and < {MAX_HORIZON_MB:g} MB: {verdict(met)})"
        )
        results.append((label, seconds, kept))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    cases = make_cases(rng, args.calls)
    starts = [case.start for case in cases]
    pytz_starts = [case.pytz_start for case in cases]
    durations = [case.duration for case in cases]

    # Holidays for every local year a start or a deadline can fall in. Beyond its
    # last holiday businesstimedelta fails outright (HolidayRule.next_holiday
    # gives up after 5 years of days and returns None), so cover the deadlines.
    first_year = min(starts).year
    last_year = (max(starts) + MAX_CALENDAR_SPAN).year
    years = range(first_year, last_year + 1)
    holidays = public_holidays("HK", years)
    cal = BusinessCalendar.weekdays(
        OPENS.strftime("%H:%M"), CLOSES.strftime("%H:%M"), timezone=ZONE_NAME, holidays=holidays
    )
    rules = btd_rules(holidays)
    theirs_add: Deadline = functools.partial(btd_deadline, rules)

    print(
        f"retail_service_quality {version('retail-service-quality')} vs "
        f"businesstimedelta {version('businesstimedelta')} (pytz {version('pytz')}), "
        f"Python {sys.version.split()[0]}"
    )
    print(
        f"calendar: Mon-Fri {OPENS:%H:%M}-{CLOSES:%H:%M} {ZONE_NAME}, "
        f"{len(holidays)} HK public holidays ({first_year}-{last_year})"
    )
    print(
        f"inputs: {args.calls:,} starts uniform over {YEAR} (whole minutes), durations uniform "
        f"1 min..{MAX_DURATION_MINUTES // 60} h of business time (20 working days), "
        f"seed {args.seed}"
    )

    # Warm-up: the earliest and latest starts with the longest duration make the
    # library build the index for every year the timed calls touch.
    longest = max(durations)
    begin = perf_counter()
    for start in (min(starts), max(starts)):
        cal.add(start, longest)
    build = perf_counter() - begin
    theirs_add(pytz_starts[0], durations[0])
    print(
        f"warm-up: untimed calls first, so one-time index building is excluded "
        f"(library warm-up incl. index build: {build * 1e3:.1f} ms)"
    )

    ours_seconds, ours = timed_calls(cal.add, starts, durations)
    theirs_seconds, theirs = timed_calls(theirs_add, pytz_starts, durations)
    ours_rate = args.calls / ours_seconds
    theirs_rate = args.calls / theirs_seconds
    ratio = ours_rate / theirs_rate
    print(f"library  BusinessCalendar.add(start, duration):  {rate(args.calls, ours_seconds)}")
    print(f"baseline start + BusinessTimeDelta(rules, ...):  {rate(args.calls, theirs_seconds)}")
    print(
        f"warm ratio vs businesstimedelta: {ratio:.1f}x "
        f"(bar >= {MIN_RATIO:g}x: {verdict(ratio >= MIN_RATIO)})"
    )

    beyond = [d for d in ours if d.astimezone(ZONE).year > last_year]
    if beyond:
        print(f"ERROR: {len(beyond)} deadlines fall after {last_year}, past the holidays loaded")
        return 1
    identical = compare(cal, cases, ours, theirs)

    # Duration independence, library only, on fresh random starts.
    ind_starts = [instant.astimezone(ZONE) for instant in random_starts(rng, INDEPENDENCE_CALLS)]
    long_durations = (
        ("5-year add, 5 x 250 working days x 9 h", FIVE_YEARS_OF_WORKING_DAYS),
        ("5-year add, timedelta(days=5*365)", FIVE_YEARS_OF_DAYS),
    )
    begin = perf_counter()
    spans: list[float] = []
    for _, duration in long_durations:
        for start in (max(ind_starts), min(ind_starts)):
            deadline = cal.add(start, duration)
        spans.append((deadline - start) / timedelta(days=365.25))
    build = perf_counter() - begin
    print(
        f"duration independence: {INDEPENDENCE_CALLS:,} calls each, best of "
        f"{INDEPENDENCE_REPEATS}, warm-up excluded "
        f"(library warm-up incl. index build: {build * 1e3:.1f} ms)"
    )
    one_hour = best_time(cal.add, ind_starts, ONE_HOUR)
    print(f"  1-hour add: {one_hour / INDEPENDENCE_CALLS * 1e6:.2f} us/call")
    cost_ratios: list[float] = []
    for (label, duration), span in zip(long_durations, spans, strict=True):
        seconds = best_time(cal.add, ind_starts, duration)
        cost_ratios.append(seconds / one_hour)
        hours = duration // timedelta(hours=1)
        print(
            f"  {label} = {hours:,} h of business time (~{span:.1f} calendar years): "
            f"{seconds / INDEPENDENCE_CALLS * 1e6:.2f} us/call, "
            f"{cost_ratios[-1]:.2f}x the 1-hour add"
        )
    worst = max(cost_ratios)
    print(
        f"5-year add / 1-hour add: {worst:.2f}x (worst of the two; "
        f"bar <= {MAX_COST_RATIO:g}x: {verdict(worst <= MAX_COST_RATIO)})"
    )

    print("cold deadlines (a fresh calendar or rule each call, same starts, 1-hour deadlines):")
    cold = cold_deadlines(rng)
    print("horizon: one add(start, HORIZON) on a fresh calendar:")
    horizon = horizon_adds()

    if not identical or not all(same for _, _, same in cold):
        return 1
    if args.check:
        failures: list[str] = []
        if ratio < MIN_RATIO:
            failures.append(f"warm ratio vs businesstimedelta {ratio:.1f}x < {MIN_RATIO:g}x")
        if worst > MAX_COST_RATIO:
            failures.append(f"5-year/1-hour cost ratio {worst:.2f}x > {MAX_COST_RATIO:g}x")
        failures.extend(
            f"cold ratio {label} {cold_ratio:.2f}x < {MIN_COLD_RATIO:g}x"
            for label, cold_ratio, _ in cold
            if cold_ratio < MIN_COLD_RATIO
        )
        failures.extend(
            f"horizon add {label}: {seconds:.2f} s, {kept:.1f} MB"
            for label, seconds, kept in horizon
            if seconds >= MAX_HORIZON_SECONDS or kept >= MAX_HORIZON_MB
        )
        if failures:
            print("CHECK FAILED: " + "; ".join(failures))
            return 1
        print("check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
