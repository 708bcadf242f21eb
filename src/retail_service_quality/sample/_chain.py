"""The sample chain's fixed facts: its stores, channels, calendar, pledges and survey mix."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Final, Literal
from zoneinfo import ZoneInfo

import attrs

from retail_service_quality.calendar import BusinessCalendar, public_holidays
from retail_service_quality.customers.forms import CollectionForm, ConsentBox, FormField, Purpose
from retail_service_quality.customers.pseudonymise import KeyedHasher
from retail_service_quality.quality.pledges import PledgeScope, PledgeStandard, ServicePledge
from retail_service_quality.service.sla import SlaPolicy, SlaTarget

__all__ = ["SampleSize", "SampleStore"]

SampleSize = Literal["small", "medium", "large"]
"""A named size: ``"small"`` (2,000 interactions), ``"medium"`` (100,000), ``"large"``
(1,000,000)."""

SIZES: Final[Mapping[str, int]] = {"small": 2_000, "medium": 100_000, "large": 1_000_000}
MIN_INTERACTIONS: Final = 100
MAX_INTERACTIONS: Final = 10_000_000
ZONE_NAME: Final = "Asia/Hong_Kong"
ZONE: Final = ZoneInfo(ZONE_NAME)
YEAR: Final = 2026
PERIOD_START: Final = date(YEAR, 1, 1)
PERIOD_END: Final = date(YEAR, 12, 31)
NOW: Final = datetime(YEAR + 1, 1, 1, tzinfo=ZONE)
RETAILER: Final = "Harbour Lane Stores (sample)"
HOTLINE: Final = "HOTLINE"
ONLINE: Final = "ONLINE"


@attrs.frozen
class SampleStore:
    """One shop of the sample chain: where it is, how big, when it opens.

    Attributes:
        id: the store id the chain's records carry.
        name: the shop's (invented) name.
        size: ``"flagship"``, ``"mall"`` or ``"neighbourhood"``.
        opens: the local time it opens, every day it opens (``"HH:MM"``).
        closes: the local time it closes (``"HH:MM"``).
        business_unit: the region it reports to.
        closed_on_sunday: whether it stays shut on Sundays.

    Examples:
        >>> from retail_service_quality.sample import describe
        >>> first = describe().stores[0]
        >>> first.id, first.size, first.opens, first.closes, first.business_unit
        ('HK-CEN', 'flagship', '10:00', '22:00', 'Hong Kong Island')
    """

    id: str
    name: str
    size: str
    opens: str
    closes: str
    business_unit: str
    closed_on_sunday: bool = False


def _store(
    id: str, name: str, size: str, hours: tuple[int, int], unit: str, sunday: bool = True
) -> SampleStore:
    return SampleStore(id, name, size, f"{hours[0]:02d}:00", f"{hours[1]:02d}:00", unit, not sunday)


ISLAND, KOWLOON, TERRITORIES = "Hong Kong Island", "Kowloon", "New Territories"
STORES: Final = (
    _store("HK-CEN", "Central flagship", "flagship", (10, 22), ISLAND),
    _store("HK-CWB", "Causeway Bay", "mall", (10, 22), ISLAND),
    _store("HK-ABD", "Aberdeen", "neighbourhood", (9, 19), ISLAND, sunday=False),
    _store("KL-TST", "Tsim Sha Tsui flagship", "flagship", (10, 23), KOWLOON),
    _store("KL-MK", "Mong Kok", "mall", (11, 23), KOWLOON),
    _store("KL-KT", "Kwun Tong", "mall", (10, 22), KOWLOON),
    _store("KL-SSP", "Sham Shui Po", "neighbourhood", (9, 20), KOWLOON, sunday=False),
    _store("NT-ST", "Sha Tin", "mall", (10, 22), TERRITORIES),
    _store("NT-TW", "Tsuen Wan", "mall", (10, 22), TERRITORIES),
    _store("NT-YL", "Yuen Long", "neighbourhood", (9, 20), TERRITORIES, sunday=False),
)
BUSINESS_UNITS: Final[Mapping[str, str]] = {
    **{store.id: store.business_unit for store in STORES},
    HOTLINE: "Customer contact centre",
    ONLINE: "Customer contact centre",
}
STORE_WEIGHT: Final = {"flagship": 3.0, "mall": 2.0, "neighbourhood": 1.0}
# Where the slow complaint handling is: it misses the acknowledgement pledge.
SLOW_STORE: Final = "KL-MK"

HOLIDAYS: Final = public_holidays("HK", [YEAR])
# The seasonal lift by month (January = index 0): Lunar New Year, summer sales, December.
MONTH_LIFT: Final = (1.0, 1.15, 0.9, 0.95, 0.95, 0.9, 1.05, 1.1, 0.9, 0.95, 1.05, 1.35)
# The hotline's staffing shortfall by month: a longer mean wait (seconds) for callers.
HOTLINE_WAIT: Final = (9.0, 14.0, 8.0, 8.0, 8.0, 8.0, 9.0, 13.0, 8.0, 8.0, 10.0, 19.0)
# Arrivals by local hour: shops peak in the afternoon and evening, the hotline late in
# the morning and early in the evening.
STORE_HOURS: Final = {
    9: 0.4, 10: 0.6, 11: 0.8, 12: 1.1, 13: 1.3, 14: 1.2, 15: 1.2, 16: 1.3,
    17: 1.5, 18: 1.6, 19: 1.5, 20: 1.2, 21: 0.9, 22: 0.5,
}  # fmt: skip
HOTLINE_HOURS: Final = {
    9: 0.7, 10: 1.2, 11: 1.6, 12: 1.3, 13: 0.9, 14: 1.0, 15: 1.0, 16: 1.0,
    17: 1.2, 18: 1.5, 19: 1.1, 20: 0.7,
}  # fmt: skip
ONLINE_HOURS: Final = dict(
    enumerate(
        (0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.7, 0.9, 1.0, 1.0,
         1.1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.4, 1.5, 1.2, 0.7)
    )
)  # fmt: skip
# The share of interactions by source.
SHOP_SHARE, HOTLINE_SHARE, ONLINE_SHARE = 0.55, 0.30, 0.15

CATEGORIES: Final = (  # category, weight, root causes with weights, remedies
    ("late_delivery", 30, (("carrier_capacity", 8), ("warehouse_backlog", 1)),
     ("refund", "credit")),
    ("product_defect", 22, (("supplier_quality", 6), ("handling_damage", 3)),
     ("exchange", "repair")),
    ("staff_attitude", 14, (("training_gap", 5), ("understaffing", 3)), ("apology", "goodwill")),
    ("billing_error", 10, (("pos_system_error", 4), ("pricing_label", 2)),
     ("refund", "explanation")),
    ("stock_unavailable", 8, (("forecasting_error", 5),), ("credit", "apology")),
    ("refund_delay", 6, (("process_delay", 4), ("pos_system_error", 1)), ("refund",)),
    ("long_queue", 5, (("understaffing", 5),), ("apology",)),
    ("website_fault", 5, (("software_defect", 5),), ("explanation", "credit")),
)  # fmt: skip
CORRECTIVE: Final = {
    "carrier_capacity": "second_carrier",
    "warehouse_backlog": "extra_warehouse_shift",
    "supplier_quality": "supplier_audit",
    "handling_damage": "packing_standard",
    "training_gap": "refresher_training",
    "understaffing": "roster_review",
    "pos_system_error": "pos_patch",
    "pricing_label": "label_check",
    "forecasting_error": "reorder_points",
    "process_delay": "refund_workflow",
    "software_defect": "website_fix",
}
SUBJECTS: Final = ("delivery", "returns", "product_info", "stock", "membership", "payment")
DESK_HOURS: Final = {
    **{day: [("09:00", "18:00")] for day in ("mon", "tue", "wed", "thu", "fri")},
    "sat": [("09:00", "13:00")],
}


def complaint_calendar() -> BusinessCalendar:
    """The complaint desk's working hours, with Hong Kong's public holidays."""
    return BusinessCalendar(timezone=ZONE_NAME, hours=DESK_HOURS, holiday_country="HK")


def sla_policy() -> SlaPolicy:
    """The complaint desk's SLA policy, kept with each complaint: the pledges' deadlines."""
    return SlaPolicy(
        id="complaint-desk",
        calendar=complaint_calendar(),
        targets=[
            SlaTarget("acknowledgement", working_days=1),
            SlaTarget("resolution", working_days=10),
        ],
    )


def pledges() -> tuple[ServicePledge, ...]:
    """The chain's three pledges; the hotline's was tightened from July."""
    start = datetime(YEAR, 1, 1, tzinfo=ZONE)
    desk = complaint_calendar()
    hotline = ServicePledge.create(
        id="hotline-answer",
        effective_from=start,
        wording="We answer 80% of hotline calls within 20 seconds.",
        standard=PledgeStandard("answer_time", within=timedelta(seconds=20)),
        target_share=0.8,
        scope=PledgeScope(channels=["hotline"]),
    ).revise(
        effective_from=datetime(YEAR, 7, 1, tzinfo=ZONE),
        reason="more agents on the evening shift",
        wording="We answer 85% of hotline calls within 20 seconds.",
        target_share=0.85,
    )
    acknowledge = ServicePledge.create(
        id="complaint-acknowledgement",
        effective_from=start,
        wording="We acknowledge 95% of complaints within 1 working day.",
        standard=PledgeStandard("acknowledgement", working_days=1),
        target_share=0.95,
        calendar=desk,
    )
    resolve = ServicePledge.create(
        id="complaint-resolution",
        effective_from=start,
        wording="We resolve 90% of complaints within 10 working days.",
        standard=PledgeStandard("resolution", working_days=10),
        target_share=0.9,
        calendar=desk,
    )
    return hotline, acknowledge, resolve


def signup_form() -> CollectionForm:
    """The membership form customers sign up on, with two consent boxes."""
    return CollectionForm(
        id="member-signup",
        notice_version="2025-01",
        purposes=[Purpose("membership", "run the membership programme")],
        fields=[
            FormField("email", "email", purposes=["membership"]),
            FormField("mobile", "mobile_number", purposes=["membership"]),
        ],
        consent_boxes=[
            ConsentBox("email-offers", data_kinds=["email"], marketing_classes=["home_goods"]),
            ConsentBox(
                "sms-offers", data_kinds=["mobile_number"], marketing_classes=["home_goods"]
            ),
        ],
    )


def hasher(seed: int) -> KeyedHasher:
    """The suppression list's keyed hasher: a key derived from the seed (sample data only)."""
    return KeyedHasher(hashlib.sha256(f"retail-service-quality sample {seed}".encode()).digest())
