"""Hypothesis strategies for the library's objects, shared by every kind of test.

They generate the hard cases on purpose: datetimes in the hour that repeats
when daylight saving ends (both folds), in zones with half-hour and
45-minute offsets, from 1900 to 2300, and calendars with a holiday country.
They never generate a wall time that a zone skips (the records refuse those).

Use them in your own property tests of code that embeds the library:

Examples:
    >>> from hypothesis import given, settings
    >>> from retail_service_quality.testing.strategies import calendars
    >>> @settings(max_examples=5)
    ... @given(calendars())
    ... def test_every_calendar_round_trips(cal):
    ...     from retail_service_quality import from_json, to_json
    ...     assert from_json(to_json(cal), type(cal)) == cal
    >>> test_every_calendar_round_trips()
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from retail_service_quality.calendar import DAYS, BusinessCalendar, Period
from retail_service_quality.customers import (
    ContactPoint,
    Customer,
    JoinMethod,
    personal_fields,
)
from retail_service_quality.customers.consent import (
    EVENT_KINDS,
    ConsentEvent,
    ConsentGiven,
    ConsentMethod,
    ConsentScope,
    ConsentWithdrawn,
    DataKind,
    MarketingChannel,
    NoticeServed,
    OptedOut,
    OralConsentConfirmed,
)
from retail_service_quality.customers.requests import (
    LegalHold,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    SuppressionEntry,
)
from retail_service_quality.customers.uses import DataProvided, DataUse, MarketingMessageSent
from retail_service_quality.service.complaints import (
    COMPLAINT_EVENT_KINDS,
    COMPLAINT_TRANSITIONS,
    Complaint,
    ComplaintPriority,
    Remedy,
)
from retail_service_quality.service.interactions import (
    Channel,
    InteractionDirection,
    InteractionKind,
    InteractionStatus,
    ServiceInteraction,
)
from retail_service_quality.service.sla import SlaPolicy, SlaTarget, TargetKind

__all__ = [
    "COUNTRIES",
    "LANGUAGES",
    "STORES",
    "TIMEZONES",
    "aware_datetimes",
    "calendars",
    "contact_points",
    "customers",
    "day_periods",
    "durations",
    "identifiers",
    "interactions",
    "real_datetimes",
    "repeated_hour_datetimes",
    "texts",
    "weekly_hours",
]

TIMEZONES = (
    "UTC",
    "Asia/Hong_Kong",
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "America/St_Johns",
    "Pacific/Chatham",
    "America/Santiago",
    "Asia/Kolkata",
    "Australia/Adelaide",
)
"""Time zones that exercise the awkward cases: DST in both hemispheres, half-hour
DST shifts (Lord Howe), half-hour offsets (Kolkata, Adelaide with DST, St John's),
offsets of 45 minutes (Kathmandu, Chatham), none (UTC, Hong Kong)."""

COUNTRIES = ("GB", "HK", "US", "AU")
"""Countries whose public holidays `calendars` may add."""


def _text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def day_periods(draw: st.DrawFn, *, max_periods: int = 3, granularity: int = 15) -> list[Period]:
    """Non-overlapping, sorted open periods of one day, as ``("HH:MM", "HH:MM")`` pairs.

    Times are multiples of ``granularity`` minutes; ``"24:00"`` can close the last one.

    Examples:
        >>> from hypothesis import find
        >>> find(day_periods(), lambda periods: len(periods) == 2)
        [('00:00', '00:15'), ('00:15', '00:30')]
    """
    slots = 1_440 // granularity
    cuts = draw(
        st.lists(
            st.integers(min_value=0, max_value=slots),
            min_size=0,
            max_size=2 * max_periods,
        ).map(sorted)
    )
    # A period may start where the previous one closed (touching, not overlapping).
    return [
        (_text(cuts[i] * granularity), _text(cuts[i + 1] * granularity))
        for i in range(0, len(cuts) - 1, 2)
        if cuts[i] < cuts[i + 1]
    ]


def weekly_hours(
    *, max_periods: int = 3, granularity: int = 15
) -> st.SearchStrategy[dict[str, list[Period]]]:
    """Weekly hours keyed ``"mon"`` to ``"sun"``; some days may be missing (closed).

    Examples:
        >>> from hypothesis import find
        >>> find(weekly_hours(), lambda hours: len(hours) == 7)["mon"]
        []
    """
    return st.dictionaries(
        st.sampled_from(DAYS),
        day_periods(max_periods=max_periods, granularity=granularity),
    )


@st.composite
def calendars(
    draw: st.DrawFn,
    *,
    timezones: tuple[str, ...] = TIMEZONES,
    years: tuple[int, int] = (2025, 2027),
    granularity: int = 15,
    min_open_days: int = 1,
    countries: tuple[str, ...] = (),
) -> BusinessCalendar:
    """Business calendars with random hours, holidays, special hours and holiday countries.

    At least ``min_open_days`` weekdays have an open period, so the calendar is
    open again within a week (after holidays and special hours). Given
    ``countries`` (such as `COUNTRIES`), some take the public holidays of one.

    Examples:
        >>> from hypothesis import find
        >>> cal = find(calendars(), lambda c: bool(c.holidays))
        >>> len(cal.holidays)
        1
        >>> with_country = calendars(countries=COUNTRIES)
        >>> find(with_country, lambda c: c.holiday_country is not None).holiday_country
        'GB'
    """
    timezone = draw(st.sampled_from(timezones))
    hours = draw(weekly_hours(granularity=granularity))
    open_days = [day for day, periods in hours.items() if periods]
    for day in DAYS:
        if len(open_days) >= min_open_days:
            break
        if day not in open_days:
            hours[day] = draw(
                day_periods(granularity=granularity).filter(lambda periods: bool(periods))
            )
            open_days.append(day)
    some_dates = st.dates(min_value=date(years[0], 1, 1), max_value=date(years[1], 12, 31))
    holidays = draw(st.lists(some_dates, max_size=8))
    special = draw(st.dictionaries(some_dates, day_periods(granularity=granularity), max_size=4))
    country = draw(st.none() | st.sampled_from(countries)) if countries else None
    return BusinessCalendar(
        timezone, hours, holidays, special_hours=special, holiday_country=country
    )


def aware_datetimes(
    *,
    timezones: tuple[str, ...] = TIMEZONES,
    min_value: datetime = datetime(2025, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value: datetime = datetime(2027, 12, 31),  # noqa: DTZ001
    whole_minutes: bool = False,
) -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes, including both sides of every DST change (and, now and
    then, either fold of a repeated hour), but never a wall time the zone skips.

    `real_datetimes` aims at the repeated hours far more often. With
    ``whole_minutes`` the instants are whole UTC minutes.

    Examples:
        >>> from hypothesis import find
        >>> find(aware_datetimes(), lambda moment: True).tzinfo is not None
        True
    """
    zones = st.sampled_from(timezones).map(ZoneInfo)
    moments = st.datetimes(
        min_value=min_value, max_value=max_value, timezones=zones, allow_imaginary=False
    )
    if whole_minutes:
        return moments.map(
            lambda moment: (moment.astimezone(UTC).replace(second=0, microsecond=0)).astimezone(
                moment.tzinfo
            )
        )
    return moments


def durations(*, max_value: timedelta = timedelta(days=400)) -> st.SearchStrategy[timedelta]:
    """Positive durations, to the microsecond.

    Examples:
        >>> from hypothesis import find
        >>> find(durations(), lambda d: True)
        datetime.timedelta(microseconds=1)
    """
    return st.timedeltas(min_value=timedelta(microseconds=1), max_value=max_value)


identifiers = st.text(
    alphabet=st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-_"), min_size=1, max_size=10
)
"""Record identifiers, such as ``"C-1001"``."""

texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
"""Free text in any script (no lone surrogates, which no database can store)."""


def _offset_at(zone: ZoneInfo, instant: datetime) -> timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


@cache
def _transitions(key: str, year: int) -> tuple[datetime, ...]:
    """The UTC instants in ``year`` at which ``key``'s offset changes, to the second."""
    zone = ZoneInfo(key)
    found: list[datetime] = []
    day = datetime(year, 1, 1, tzinfo=UTC)
    before = _offset_at(zone, day)
    while day.year == year:
        after_day = day + timedelta(days=1)
        after = _offset_at(zone, after_day)
        if after != before:
            low, high = day, after_day
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if _offset_at(zone, middle) == before:
                    low = middle
                else:
                    high = middle
            found.append(high)
        day, before = after_day, after
    return tuple(found)


@st.composite
def repeated_hour_datetimes(
    draw: st.DrawFn,
    *,
    timezones: tuple[str, ...] = TIMEZONES,
    years: tuple[int, int] = (1900, 2300),
) -> datetime:
    """Aware datetimes within two hours of an offset change: in the repeated hour (both
    folds) when clocks go back, on either side of the gap when they go forward.

    Examples:
        >>> from hypothesis import find
        >>> moment = find(repeated_hour_datetimes(timezones=("Europe/London",)),
        ...               lambda moment: moment.fold == 1)
        >>> moment.tzinfo, moment.fold
        (zoneinfo.ZoneInfo(key='Europe/London'), 1)
    """
    key = draw(st.sampled_from(timezones))
    year = draw(st.integers(*years))
    changes = _transitions(key, year)
    if not changes:
        changes = _transitions(key, max(min(2026, years[1]), years[0]))
    if not changes:  # a zone without daylight saving: any instant of the year
        changes = (datetime(year, 7, 1, tzinfo=UTC),)
    change = draw(st.sampled_from(changes))
    seconds = draw(
        st.integers(-7_200, 7_200).map(lambda n: n - n % 60) | st.integers(-7_200, 7_200)
    )
    return (change + timedelta(seconds=seconds)).astimezone(ZoneInfo(key))


def real_datetimes(
    *,
    timezones: tuple[str, ...] = TIMEZONES,
    min_value: datetime = datetime(1900, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value: datetime = datetime(2300, 12, 31),  # noqa: DTZ001
) -> st.SearchStrategy[datetime]:
    """Aware datetimes that a clock can show (no wall time skipped by a DST change), from 1900
    to 2300 by default, often within two hours of a change: the repeated hour in both folds.

    Examples:
        >>> from hypothesis import find
        >>> first, last = datetime(2021, 1, 1), datetime(2021, 12, 31)
        >>> in_2021 = real_datetimes(min_value=first, max_value=last)
        >>> find(in_2021, lambda moment: True).year
        2021
        >>> find(real_datetimes(timezones=("Europe/London",)), lambda moment: moment.fold == 1).fold
        1
    """
    zones = st.sampled_from(timezones).map(ZoneInfo)
    anywhere = st.datetimes(
        min_value=min_value, max_value=max_value, timezones=zones, allow_imaginary=False
    )
    near_a_change = repeated_hour_datetimes(
        timezones=timezones, years=(min_value.year, max_value.year)
    ).filter(lambda moment: min_value <= moment.replace(tzinfo=None) <= max_value)
    return anywhere | near_a_change


_NO_SPACE = st.characters(exclude_categories=["Cs", "Cc", "Zs", "Zl", "Zp"], exclude_characters="@")
_NUMBERS = r"\+?(\([0-9]{1,3}\) ?)?[0-9]{3,4}[ -]?[0-9]{4}"


def contact_points() -> st.SearchStrategy[ContactPoint]:
    """Valid contact points of every kind, with values in any script where the kind allows.

    Examples:
        >>> from hypothesis import find
        >>> find(contact_points(), lambda point: point.kind == "fax").value
        '0000000'
    """
    emails = st.builds(
        "{}@{}.{}".format,
        st.text(_NO_SPACE, min_size=1, max_size=12),
        st.text(_NO_SPACE, min_size=1, max_size=12),
        st.text(_NO_SPACE, min_size=1, max_size=6),
    )
    numbers = st.from_regex(_NUMBERS, fullmatch=True)
    free = texts.filter(str.strip)
    return st.one_of(
        st.builds(ContactPoint, st.just(DataKind.EMAIL), emails),
        st.builds(ContactPoint, st.just(DataKind.MOBILE_NUMBER), numbers),
        st.builds(ContactPoint, st.just(DataKind.FAX), numbers),
        st.builds(ContactPoint, st.just(DataKind.POSTAL_ADDRESS), free),
        st.builds(ContactPoint, st.just(DataKind.SOCIAL_HANDLE), free),
    )


LANGUAGES = ("en", "en-GB", "zh-HK", "zh-Hant-HK", "yue", "yue-Hant", "ja", "fil-PH")
"""BCP 47 language tags used by the strategies."""


@st.composite
def _customer(
    draw: st.DrawFn, ids: st.SearchStrategy[str], stores: st.SearchStrategy[str | None]
) -> Customer:
    created = draw(real_datetimes())
    born = draw(st.none() | st.dates(min_value=date(1900, 1, 1), max_value=created.date()))
    joined = draw(st.none() | st.dates(min_value=born or date(1900, 1, 1)))
    customer = Customer(
        id=draw(ids),
        name=draw(st.none() | texts),
        contacts=draw(
            st.lists(contact_points(), max_size=4, unique_by=lambda p: (p.kind, p.value))
        ),
        preferred_channel=draw(st.none() | st.sampled_from(MarketingChannel)),
        preferred_language=draw(
            st.none()
            | st.sampled_from(LANGUAGES)
            | st.from_regex(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}", fullmatch=True)
        ),
        home_store_id=draw(stores),
        tier=draw(st.sampled_from(["standard", "silver", "vip"])),
        tier_joined_on=joined,
        join_method=draw(st.none() | st.sampled_from(JoinMethod)),
        date_of_birth=born,
        preferences=draw(st.lists(identifiers, max_size=3, unique=True)),
        staff_notes=draw(st.none() | texts),
        created_at=created,
    )
    if draw(st.integers(0, 4)) == 0:  # now and then, a record anonymised in full or in part
        names = draw(st.none() | st.lists(st.sampled_from(personal_fields(Customer)), unique=True))
        later = created.astimezone(UTC) + draw(
            st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400))
        )
        customer = customer.anonymised(names, at=later)
    return customer


def customers(
    *,
    ids: st.SearchStrategy[str] = identifiers,
    stores: st.SearchStrategy[str | None] | None = None,
) -> st.SearchStrategy[Customer]:
    """Valid customers: contact points of every kind, personal data in any script, dates of
    birth, languages, and now and then a record anonymised (``erased_at`` set).

    Examples:
        >>> from hypothesis import find
        >>> find(customers(), lambda customer: customer.email is not None).email.count("@")
        1
        >>> find(customers(), lambda customer: customer.erased_at is not None).version
        1
    """
    return _customer(ids, stores if stores is not None else st.none() | st.sampled_from(STORES))


STORES = ("HK-CWB", "HK-TST", "HK-MK", "KLN-01")
"""Store identifiers used by the strategies."""


_SUBJECTS = ("returns", "delivery", "product enquiry", "price", "")
_SECONDS = st.timedeltas(timedelta(0), timedelta(hours=3))
_LATER = st.timedeltas(timedelta(0), timedelta(days=40))


@st.composite
def _interaction(
    draw: st.DrawFn,
    ids: st.SearchStrategy[str],
    customer_ids: st.SearchStrategy[str | None],
) -> ServiceInteraction:
    occurred = draw(real_datetimes())
    customer_id = draw(customer_ids)
    direction = InteractionDirection.INBOUND
    if customer_id is not None:
        direction = draw(st.sampled_from(InteractionDirection))
    channel = draw(st.sampled_from(Channel))
    zones = st.sampled_from(TIMEZONES).map(ZoneInfo)
    # Later times as instants after the contact, shown in any zone.
    first_response = closed = None
    if draw(st.booleans()):
        first_response = (occurred.astimezone(UTC) + draw(_LATER)).astimezone(draw(zones))
    if draw(st.booleans()):
        base = first_response if first_response is not None else occurred
        closed = (base.astimezone(UTC) + draw(_LATER)).astimezone(draw(zones))
    timings: dict[str, object] = {"handle_time": draw(st.none() | _SECONDS)}
    if channel is Channel.HOTLINE and draw(st.booleans()):
        abandoned = direction is InteractionDirection.INBOUND and draw(st.booleans())
        timings = {
            "queue_time": draw(st.none() | _SECONDS),
            "talk_time": draw(st.just(timedelta(0)) | st.none())
            if abandoned
            else draw(st.none() | _SECONDS),
            "hold_time": draw(st.none() | _SECONDS),
            "after_call_work": draw(st.none() | _SECONDS),
            "abandoned": abandoned,
        }
    return ServiceInteraction(
        id=draw(ids),
        store_id=draw(st.sampled_from(STORES)),
        channel=channel,
        occurred_at=occurred,
        kind=draw(st.sampled_from(InteractionKind)),
        direction=direction,
        customer_id=customer_id,
        status=draw(st.sampled_from(InteractionStatus)),
        subject=draw(st.sampled_from(_SUBJECTS)),
        needs=draw(st.lists(texts.filter(bool), max_size=3).map(tuple)),
        products_recommended=draw(st.lists(identifiers, max_size=3, unique=True).map(tuple)),
        first_response_at=first_response,
        closed_at=closed,
        resolved_first_contact=draw(st.none() | st.booleans()),
        agent_id=draw(st.none() | identifiers),
        feedback=draw(texts),
        notes=draw(texts),
        **timings,  # type: ignore[arg-type]
    )


def interactions(
    *,
    ids: st.SearchStrategy[str] = identifiers,
    customer_ids: st.SearchStrategy[str | None] | None = None,
) -> st.SearchStrategy[ServiceInteraction]:
    """Valid service interactions of every kind on every channel, inbound and outbound
    (outbound ones when a customer is named), with first response and closing times in any
    zone, call timings and abandoned calls; ``customer_ids`` says whom they name.

    Examples:
        >>> from hypothesis import find
        >>> find(interactions(), lambda contact: contact.channel.value == "fax").channel
        <Channel.FAX: 'fax'>
        >>> abandoned = find(interactions(), lambda contact: contact.abandoned)
        >>> abandoned.talk_time in (None, timedelta(0)), abandoned.direction.value
        (True, 'inbound')
    """
    return _interaction(ids, customer_ids if customer_ids is not None else st.none())


# ---------------------------------------------------------------- privacy records

__all__ += [  # the privacy records' strategies, kept together at the end
    "consent_events",
    "data_uses",
    "legal_holds",
    "privacy_requests",
    "suppression_entries",
]

_CLASSES = st.sampled_from(["cosmetics", "toys", "travel", "insurance", "skincare"])
_CLASS_LISTS = st.lists(_CLASSES, min_size=1, max_size=3, unique=True).map(tuple)
_KINDS = st.lists(
    st.sampled_from([kind for kind in DataKind if kind is not DataKind.NAME]),
    min_size=1,
    max_size=3,
    unique=True,
).map(tuple)
_EVIDENCE = identifiers.map("form:{}".format) | texts.map(str.strip).filter(bool)


def _event_fields(
    draw: st.DrawFn, ids: st.SearchStrategy[str], customer_ids: st.SearchStrategy[str]
) -> dict[str, Any]:
    return {
        "event_id": draw(ids),
        "customer_id": draw(customer_ids),
        "at": draw(real_datetimes()),
        "evidence": draw(_EVIDENCE),
    }


@st.composite
def consent_events(
    draw: st.DrawFn,
    *,
    ids: st.SearchStrategy[str] = identifiers,
    customer_ids: st.SearchStrategy[str] = identifiers,
) -> ConsentEvent:
    """Valid consent ledger events of every type, at instants from 1900 to 2300.

    Examples:
        >>> from hypothesis import find
        >>> find(consent_events(), lambda event: event.kind == "opted_out").kind
        'opted_out'
    """
    fields = _event_fields(draw, ids, customer_ids)
    kind = draw(st.sampled_from(list(EVENT_KINDS)))
    provision = draw(st.booleans())
    scope = ConsentScope.PROVISION if provision else ConsentScope.OWN_MARKETING
    recipients = draw(_CLASS_LISTS) if provision else ()
    if kind == "notice_served":
        return NoticeServed(
            **fields,
            notice_version=draw(identifiers),
            data_kinds=draw(_KINDS),
            marketing_classes=draw(_CLASS_LISTS),
            recipient_classes=recipients,
            for_gain=provision and draw(st.booleans()),
        )
    if kind == "consent_given":
        methods = [ConsentMethod.WRITTEN, ConsentMethod.ONLINE]
        return ConsentGiven(
            **fields,
            method=draw(st.sampled_from(methods if provision else list(ConsentMethod))),
            scope=scope,
            data_kinds=draw(_KINDS),
            marketing_classes=draw(_CLASS_LISTS),
            notice_version=draw(identifiers),
            explicit=True,
            recipient_classes=recipients,
        )
    if kind == "oral_consent_confirmed":
        return OralConsentConfirmed(
            **fields,
            confirms=f"{fields['event_id']}-oral",
            consent_date=draw(st.dates(date(1900, 1, 1), date(2300, 12, 31))),
            data_kinds=draw(_KINDS),
            marketing_classes=draw(_CLASS_LISTS),
        )
    if kind == "consent_withdrawn":
        return ConsentWithdrawn(**fields, scope=scope, consent_id=draw(st.none() | identifiers))
    return OptedOut(
        **fields,
        scope=scope,
        data_kinds=draw(st.just(()) | _KINDS),
        marketing_classes=() if provision else draw(st.just(()) | _CLASS_LISTS),
        recipient_classes=recipients if draw(st.booleans()) else (),
    )


@st.composite
def data_uses(
    draw: st.DrawFn,
    *,
    ids: st.SearchStrategy[str] = identifiers,
    customer_ids: st.SearchStrategy[str] = identifiers,
) -> DataUse:
    """Valid records of marketing sent and of data provided to others.

    Examples:
        >>> from hypothesis import find
        >>> find(data_uses(), lambda use: use.kind == "data_provided").kind
        'data_provided'
    """
    fields = _event_fields(draw, ids, customer_ids)
    if draw(st.booleans()):
        return MarketingMessageSent(
            **fields,
            channel=draw(st.sampled_from(MarketingChannel)),
            marketing_class=draw(_CLASSES),
            opt_out_statement=draw(st.booleans()),
        )
    agent = draw(st.booleans())
    return DataProvided(
        **fields,
        recipient_id=draw(identifiers),
        recipient_class=draw(_CLASSES),
        data_kinds=draw(st.lists(st.sampled_from(DataKind), min_size=1, max_size=3, unique=True)),
        for_gain=not agent and draw(st.booleans()),
        agent=agent,
    )


def suppression_entries(
    *, digests: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[SuppressionEntry]:
    """Valid suppression-list entries (digests of 64 lowercase hexadecimal digits).

    Examples:
        >>> from hypothesis import find
        >>> len(find(suppression_entries(), lambda entry: True).digest)
        64
    """
    return st.builds(
        SuppressionEntry,
        digest=digests if digests is not None else st.from_regex(r"\A[0-9a-f]{64}\Z"),
        data_kind=st.sampled_from([kind for kind in DataKind if kind is not DataKind.NAME]),
        scope=st.sampled_from(ConsentScope),
        added_at=real_datetimes(),
    )


def _later(moment: datetime, by: timedelta) -> datetime:
    """``by`` of elapsed time after ``moment``, in its zone (never a wall time the clocks skip)."""
    return (moment.astimezone(UTC) + by).astimezone(moment.tzinfo)


@st.composite
def privacy_requests(
    draw: st.DrawFn,
    *,
    ids: st.SearchStrategy[str] = identifiers,
    customer_ids: st.SearchStrategy[str] = identifiers,
) -> PrivacyRequest:
    """Valid data-subject requests, open or closed, with a note in any script.

    Examples:
        >>> from hypothesis import find
        >>> find(privacy_requests(), lambda request: not request.is_open).closed_at is not None
        True
    """
    received = draw(real_datetimes(max_value=datetime(2299, 1, 1)))  # noqa: DTZ001
    due = received.date() + timedelta(days=draw(st.integers(0, 90)))
    status = draw(st.sampled_from(RequestStatus))
    extended = due + timedelta(days=draw(st.integers(1, 60)))
    closed = status in (RequestStatus.COMPLETED, RequestStatus.REFUSED)
    return PrivacyRequest(
        id=draw(ids),
        customer_id=draw(customer_ids),
        kind=draw(st.sampled_from(RequestKind)),
        law=draw(st.sampled_from(["pdpo", "gdpr"])),
        received_at=received,
        due_on=due,
        status=status,
        extended_to=extended if status is RequestStatus.EXTENDED else None,
        closed_at=_later(received, draw(durations(max_value=timedelta(days=90))))
        if closed
        else None,
        note=draw(st.none() | texts),
    )


@st.composite
def legal_holds(
    draw: st.DrawFn,
    *,
    ids: st.SearchStrategy[str] = identifiers,
    customer_ids: st.SearchStrategy[str] = identifiers,
) -> LegalHold:
    """Valid legal holds, active or released.

    Examples:
        >>> from hypothesis import find
        >>> find(legal_holds(), lambda hold: hold.released_at is not None).released_at is not None
        True
    """
    placed = draw(real_datetimes(max_value=datetime(2299, 1, 1)))  # noqa: DTZ001
    keeps = st.sampled_from(["name", "postal_address", "interactions", "consent_ledger"])
    return LegalHold(
        id=draw(ids),
        customer_id=draw(customer_ids),
        keeps=draw(st.lists(keeps, min_size=1, max_size=3, unique=True)),
        reason=draw(st.sampled_from(["invoices are kept for tax", "a claim is pending"])),
        source=draw(st.sampled_from(["Inland Revenue Ordinance (Cap. 112) s.51C", "GDPR"])),
        placed_at=placed,
        until=draw(st.none() | st.dates(date(2026, 1, 1), date(2300, 1, 1))),
        released_at=draw(st.none() | st.just(placed)),
    )


# ---------------------------------------------------------------- complaints

__all__ += [  # the complaints' strategies, kept together at the end
    "COMPLAINT_STEP_ARGUMENTS",
    "complaint_steps",
    "complaints",
    "sla_policies",
]

_HK_DESK = BusinessCalendar.weekdays("09:00", "18:00", timezone="Asia/Hong_Kong")
_POLICY_IDS = st.sampled_from(["standard", "vip", "urgent"])
_HK_DESKS = st.just(_HK_DESK)
_GAPS = st.timedeltas(timedelta(0), timedelta(days=3))
_CUSTOMER_IDS = st.none() | identifiers


@st.composite
def sla_policies(
    draw: st.DrawFn,
    *,
    ids: st.SearchStrategy[str] = _POLICY_IDS,
    calendars: st.SearchStrategy[BusinessCalendar] = _HK_DESKS,
) -> SlaPolicy:
    """SLA policies with one or both targets, in business time (whole minutes) or working days.

    The calendar is Hong Kong's weekday desk (09:00-18:00) unless ``calendars``
    says otherwise (`calendars` gives random ones).

    Examples:
        >>> from hypothesis import find
        >>> policy = find(sla_policies(), lambda policy: len(policy.targets) == 2)
        >>> sorted(target.kind.value for target in policy.targets)
        ['acknowledgement', 'resolution']
    """
    kinds = draw(
        st.lists(st.sampled_from(TargetKind), min_size=1, max_size=2, unique=True).map(sorted)
    )
    targets = []
    for kind in kinds:
        if draw(st.booleans()):
            minutes = draw(st.integers(1, 60 * 40))
            targets.append(SlaTarget(kind, business_time=timedelta(minutes=minutes)))
        else:
            targets.append(SlaTarget(kind, working_days=draw(st.integers(1, 10))))
    return SlaPolicy(
        id=draw(ids),
        calendar=draw(calendars),
        targets=targets,
        warning_at=draw(st.sampled_from([0.5, 0.75, 0.8, 0.9])),
        version=draw(st.integers(1, 5)),
    )


COMPLAINT_STEP_ARGUMENTS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "acknowledged": st.fixed_dictionaries({}, optional={"by": st.sampled_from(["S-1", "S-2"])}),
    "assessed": st.fixed_dictionaries(
        {
            "severity": st.integers(1, 4),
            "priority": st.sampled_from(ComplaintPriority),
        },
        optional={"category": st.sampled_from(["billing", "faulty_item", "late_delivery"])},
    ),
    "investigation_started": st.just({}),
    "waiting_on_customer": st.fixed_dictionaries(
        {"reason": st.sampled_from(["receipt photo", "serial number", "收據"])}
    ),
    "customer_replied": st.just({}),
    "responded": st.fixed_dictionaries(
        {"remedy": st.sampled_from(Remedy)},
        optional={"amount_cents": st.integers(0, 10_000_000)},
    ),
    "accepted": st.just({}),
    "declined": st.just({}),
    "escalated": st.fixed_dictionaries(
        {"to": st.sampled_from(["store_manager", "consumer_council"])}
    ),
    "closed": st.fixed_dictionaries(
        {
            "root_cause": st.sampled_from(["carrier_delay", "supplier_batch", "till_error"]),
            "corrective_action": st.sampled_from(["new_carrier", "batch_recalled", "training"]),
        }
    ),
    "reopened": st.fixed_dictionaries({"reason": st.sampled_from(["fault_recurred", "不滿"])}),
}
"""Random keyword arguments of each complaint step, by the ``kind`` of the event it appends."""


def _take_step(complaint: Complaint, kind: str, at: datetime, arguments: dict[str, Any]) -> Any:
    """The step that appends an event of ``kind``: the `Complaint` method its event names."""
    return getattr(complaint, COMPLAINT_EVENT_KINDS[kind].STEP)(at=at, **arguments)


@st.composite
def complaint_steps(
    draw: st.DrawFn,
    complaint: Complaint,
    *,
    max_steps: int = 12,
    gaps: st.SearchStrategy[timedelta] = _GAPS,
) -> Complaint:
    """``complaint`` moved on by up to ``max_steps`` random legal steps, each ``gaps`` later.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from hypothesis import find
        >>> start = Complaint.receive(id="CMP-1", at=datetime(2026, 11, 30, tzinfo=timezone.utc),
        ...     channel="email", store_id="HK-1", category="billing")
        >>> find(complaint_steps(start), lambda c: c.state.value == "closed").root_cause is None
        False
    """
    for _ in range(draw(st.integers(0, max_steps))):
        allowed = sorted(COMPLAINT_TRANSITIONS[complaint.state])
        if "closed" in allowed and complaint.remedy_offered is None:
            allowed.remove("closed")
        if not allowed:
            break
        kind = draw(st.sampled_from(allowed))
        last = max((event.at for event in complaint.events()), key=lambda at: at.astimezone(UTC))
        at = _later(last, draw(gaps))
        complaint = _take_step(complaint, kind, at, draw(COMPLAINT_STEP_ARGUMENTS[kind]))
    return complaint


@st.composite
def complaints(
    draw: st.DrawFn,
    *,
    ids: st.SearchStrategy[str] = identifiers,
    customer_ids: st.SearchStrategy[str | None] = _CUSTOMER_IDS,
    received: st.SearchStrategy[datetime] | None = None,
    policies: st.SearchStrategy[SlaPolicy | None] | None = None,
    max_steps: int = 12,
) -> Complaint:
    """Valid complaints: a receipt, then up to ``max_steps`` random legal steps.

    Received at `real_datetimes` from 2000 to 2100 (the repeated hours often)
    unless ``received`` says otherwise, with a description in any script, and
    with or without an `SlaPolicy` (`sla_policies`).

    Examples:
        >>> from hypothesis import find
        >>> waiting = find(complaints(), lambda c: c.state.value == "waiting_on_customer")
        >>> waiting.pauses()[-1][1] is None
        True
    """
    at = draw(
        received
        if received is not None
        else real_datetimes(
            min_value=datetime(2000, 1, 1),  # noqa: DTZ001
            max_value=datetime(2100, 1, 1),  # noqa: DTZ001
        )
    )
    record_id = draw(ids)
    complaint = Complaint.receive(
        id=record_id,
        at=at,
        channel=draw(st.sampled_from(Channel)),
        store_id=draw(st.sampled_from(STORES)),
        category=draw(st.sampled_from(["billing", "faulty_item", "late_delivery"])),
        customer_id=draw(customer_ids),
        description=draw(texts),
        remedy_requested=draw(st.none() | st.sampled_from(Remedy)),
        repeat_of=draw(st.none() | identifiers.filter(lambda other: other != record_id)),
        by=draw(st.none() | st.sampled_from(["S-1", "S-2"])),
        sla_policy=draw(policies if policies is not None else st.none() | sla_policies()),
    )
    return draw(complaint_steps(complaint, max_steps=max_steps))
