"""Quickstart: service deadlines on a Hong Kong store's business calendar, and its contacts."""

from datetime import date, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from zoneinfo import ZoneInfo

from retail_service_quality import (
    BusinessCalendar,
    ServiceInteraction,
    SQLiteStore,
    access_request_due,
    from_json,
    to_json,
)

hk = ZoneInfo("Asia/Hong_Kong")
weekday = [("10:00", "13:00"), ("14:00", "19:00")]  # a lunch break
desk = BusinessCalendar(
    "Asia/Hong_Kong",
    {"mon": weekday, "tue": weekday, "wed": weekday, "thu": weekday, "fri": weekday,
     "sat": [("10:00", "16:00")]},
    holiday_country="HK",  # Hong Kong public holidays, every year
    special_hours={date(2026, 12, 24): [("10:00", "14:00")]},  # Christmas Eve
)  # fmt: skip

received = datetime(2026, 12, 23, 17, 30, tzinfo=hk)
print("complaint received:    ", received)
print("acknowledge by (8h):   ", desk.add(received, timedelta(hours=8)))
print("resolve by (5 days):   ", desk.add_working_days(received, 5))

waiting = [(datetime(2026, 12, 24, 11, 0, tzinfo=hk), datetime(2026, 12, 28, 12, 0, tzinfo=hk))]
resolved = datetime(2026, 12, 29, 11, 0, tzinfo=hk)
print("business time taken:   ", desk.between(received, resolved, pauses=waiting))

print("PDPO access request due:", access_request_due(date(2026, 12, 23), law="pdpo"))
assert from_json(to_json(desk), BusinessCalendar) == desk  # calendars travel as JSON

# Record contacts in the embedded SQLite database and summarise them by channel.
with TemporaryDirectory() as folder, SQLiteStore(Path(folder) / "service.db") as store:
    with store.unit_of_work() as uow:
        uow.interactions.add_many(
            ServiceInteraction(
                id=f"I-{n}",
                store_id="HK-CWB",
                channel=["hotline", "email", "meeting"][n % 3],
                occurred_at=received + timedelta(hours=n),
                handle_time=timedelta(minutes=4 + n),
                status="resolved",
            )
            for n in range(9)
        )
        uow.commit()
    with store.unit_of_work(read_only=True) as uow:
        for row in uow.interactions.summarize(group_by=["channel"]):
            print(f"{row.channel:8} {row.count} contacts, average {row.average_handle_time}")
