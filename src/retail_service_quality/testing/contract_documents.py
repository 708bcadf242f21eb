"""The storage contract for controlled documents, part of `StoreContract`.

Every store keeps service standards, procedures and duties the same way:
each whole, with every version, exactly as the library's JSON gives it back;
saved with optimistic concurrency; nothing kept unless the unit of work
commits; read-only units refusing writes; queries ordered by id, selecting
by kind and by the instant a document is in force (compared as instants,
never wall clocks); a `DocumentRef` resolved to the exact version it names;
bad arguments refused as a `ValidationError` naming each one.
`StoreContract` inherits these tests; an adapter that passes it passes them
too.

Examples:
    >>> from retail_service_quality import InMemoryStore
    >>> class CheckMemory(DocumentStoreContract):
    ...     def make_store(self):
    ...         return InMemoryStore()
    >>> CheckMemory().test_document_queries_compare_instants_in_force()
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.errors import (
    ConflictError,
    NotFoundError,
    RSQError,
    StorageError,
    ValidationError,
)
from retail_service_quality.quality.documents import (
    Content,
    ControlledDocument,
    DocumentKind,
    DocumentRef,
    Escalation,
    Procedure,
    ProcedureTrigger,
    Requirement,
    RoleDuties,
    ServiceScope,
    ServiceStandard,
)
from retail_service_quality.serialization import to_json
from retail_service_quality.service.interactions import Channel
from retail_service_quality.storage.ports import Store
from retail_service_quality.testing._contract_base import ContractBase
from retail_service_quality.testing.strategies import real_datetimes

__all__ = ["DocumentStoreContract", "documents"]

LONDON = ZoneInfo("Europe/London")
KOLKATA = ZoneInfo("Asia/Kolkata")
ADELAIDE = ZoneInfo("Australia/Adelaide")
_START = datetime(2026, 1, 1, tzinfo=UTC)

_DOCUMENT_EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.differing_executors,
        HealthCheck.function_scoped_fixture,
    ],
)

_TEXT = st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=40).filter(
    lambda text: bool(text.strip())
)
_IDS = st.sampled_from(["R1", "R2", "asa", "csat-hk", "伸延", "a b"])
_CAUSES = st.tuples(st.sampled_from(["finding", "action", "complaint", "review"]), _IDS)
_ROLES = st.sampled_from(["store_manager", "hotline_agent", "area_manager", "quality_manager"])


@st.composite
def _standards(draw: st.DrawFn) -> ServiceStandard:
    criteria = draw(st.lists(_IDS, unique=True, max_size=3))
    ids = draw(st.lists(_IDS, unique=True, min_size=1, max_size=3))
    requirements = [
        Requirement(
            item,
            draw(_TEXT),
            indicator_id=draw(st.none() | _IDS),
            criterion_ids=draw(
                st.lists(st.sampled_from(criteria), unique=True) if criteria else st.just([])
            ),
        )
        for item in ids
    ]
    return ServiceStandard(
        scope=ServiceScope(
            services=draw(st.lists(_IDS, unique=True, max_size=2)),
            channels=draw(st.lists(st.sampled_from(Channel), unique=True, max_size=2)),
        ),
        requirements=requirements,
        criterion_ids=criteria,
    )


@st.composite
def _procedures(draw: st.DrawFn) -> Procedure:
    return Procedure(
        trigger=ProcedureTrigger(
            draw(_TEXT), complaint_categories=draw(st.lists(_IDS, unique=True, max_size=2))
        ),
        steps=draw(st.lists(_TEXT, min_size=1, max_size=4)),
        owner_role=draw(_ROLES),
        escalations=[
            Escalation(draw(_ROLES), after=timedelta(seconds=draw(st.integers(0, 10**8))))
            for _ in range(draw(st.integers(0, 2)))
        ],
        implements=draw(st.none() | st.builds(DocumentRef, _IDS, st.integers(1, 9))),
    )


@st.composite
def _duties(draw: st.DrawFn) -> RoleDuties:
    return RoleDuties(
        role="hotline_agent",
        duties=draw(st.lists(_TEXT, min_size=1, max_size=3)),
        procedures=draw(st.lists(_IDS, unique=True, max_size=2)),
        reports_to=draw(st.none() | st.just("hotline_supervisor")),
    )


_CONTENTS: dict[DocumentKind, st.SearchStrategy[Content]] = {
    DocumentKind.SERVICE_STANDARD: _standards(),
    DocumentKind.PROCEDURE: _procedures(),
    DocumentKind.ROLE_DUTIES: _duties(),
}


@st.composite
def documents(draw: st.DrawFn, ids: st.SearchStrategy[str] | None = None) -> ControlledDocument:
    """Controlled documents of every kind, of one to three versions whose instants fall in
    London's repeated hours, in half-hour zones, at any time of 1900 to 2300; some withdrawn.

    Examples:
        >>> from hypothesis import find
        >>> find(documents(), lambda document: len(document.versions) == 3).current_number
        3
    """
    record_id = draw(ids if ids is not None else st.from_regex(r"D-[0-9]{1,3}", fullmatch=True))
    kind = draw(st.sampled_from(DocumentKind))
    start = draw(real_datetimes(timezones=("Europe/London", "Asia/Kolkata", "Australia/Adelaide")))
    document = ControlledDocument.create(
        id=record_id, effective_from=start, title=draw(_TEXT), content=draw(_CONTENTS[kind])
    )
    moment = start
    for number in range(draw(st.integers(0, 2))):
        # Elapsed time, added in UTC: a wall clock's sum would fall back in a repeated hour.
        later = moment.astimezone(UTC) + timedelta(seconds=draw(st.integers(1, 400 * 86_400)))
        moment = later.astimezone(start.tzinfo)
        content = draw(_CONTENTS[kind])
        changes = {
            name: getattr(content, name)
            for name in ("requirements", "criterion_ids", "steps", "duties")
            if hasattr(content, name)
        }
        document = document.revise(
            effective_from=moment,
            reason=draw(_TEXT),
            author_role=draw(_ROLES),
            because=draw(
                st.lists(
                    st.tuples(st.sampled_from(["finding", "action"]), _IDS), unique=True, max_size=2
                )
            ),
            title=f"{document.title} ({number + 2})",
            **changes,
        )
    if draw(st.booleans()):
        ends = moment.astimezone(UTC) + timedelta(seconds=draw(st.integers(1, 86_400)))
        document = document.withdraw(at=ends.astimezone(draw(st.sampled_from([UTC, LONDON]))))
    return document


def duties(record_id: str = "D-1", at: datetime = _START, **changes: Any) -> ControlledDocument:
    """A hotline agent's duties, in force from ``at``.

    Examples:
        >>> duties().kind.value
        'role_duties'
    """
    fields: dict[str, Any] = {
        "role": "hotline_agent",
        "duties": ["Answer calls within the standard", "Log every enquiry"],
    }
    fields.update(changes)
    return ControlledDocument.create(
        id=record_id, effective_from=at, title="Hotline agent", content=RoleDuties(**fields)
    )


def _standard(record_id: str, at: datetime = _START) -> ControlledDocument:
    return ControlledDocument.create(
        id=record_id,
        effective_from=at,
        title="Hotline service standard",
        content=ServiceStandard(
            scope=ServiceScope(channels=["hotline"]),
            requirements=[Requirement("R1", "Answer calls promptly", criterion_ids=["asa"])],
            criterion_ids=["asa"],
        ),
    )


def _ids(documents: Any) -> list[str]:
    return [document.id for document in documents]


def _refused(error: type[RSQError], action: Callable[[], object], *names: str) -> None:
    """``action`` raises ``error``, naming every one of ``names``."""
    with pytest.raises(error) as raised:
        action()
    for name in names:
        assert repr(name) in str(raised.value), str(raised.value)


def _revised(document: ControlledDocument, at: datetime) -> ControlledDocument:
    return document.revise(
        effective_from=at,
        reason="callers asked for call-backs",
        author_role="quality_manager",
        because=("action", "ACT-12"),
        duties=[*document.current.content.duties, "Return missed calls"],  # type: ignore[union-attr]
    )


class DocumentStoreContract(ContractBase):
    """The documents' behaviour every store must show; `StoreContract` inherits it.

    Examples:
        >>> from retail_service_quality import SQLiteStore
        >>> class CheckSQLite(DocumentStoreContract):
        ...     def make_store(self):
        ...         return SQLiteStore(":memory:")
        >>> CheckSQLite().test_documents_are_saved_with_versions_and_resolved()
    """

    def _with_documents(
        self, test: Callable[[Store], None], *documents: ControlledDocument
    ) -> None:
        """Run ``test`` on a new store holding ``documents``, committed."""
        self._with_stored(test, lambda uow: uow.documents, documents)

    @_DOCUMENT_EXAMPLES
    @given(st.lists(documents(), max_size=4, unique_by=lambda document: document.id))
    def test_documents_round_trip_exactly(self, documents: list[ControlledDocument]) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:
                assert _ids(uow.documents.query()) == sorted(_ids(documents))
                assert uow.documents.count() == len(documents)
                for document in documents:
                    stored = uow.documents.get(document.id)
                    assert stored == document
                    assert to_json(stored) == to_json(document)  # zones and folds too
                    for version in document.versions:
                        ref = DocumentRef(document.id, version.number)
                        assert uow.documents.resolve(ref) == version

        self._with_documents(check, *documents)

    def test_documents_are_saved_with_versions_and_resolved(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                read = uow.documents.get("D-1")
                assert read.version == 1
                revised = uow.documents.save(_revised(read, datetime(2026, 7, 1, tzinfo=LONDON)))
                assert revised.version == 2
                assert [v.number for v in revised.versions] == [1, 2]
                _refused(ConflictError, lambda: uow.documents.save(read), "D-1")
                _refused(ConflictError, lambda: uow.documents.add(duties("D-1")), "D-1")
                _refused(NotFoundError, lambda: uow.documents.save(duties("D-9")), "D-9")
                _refused(NotFoundError, lambda: uow.documents.get("D-9"), "D-9")
                uow.commit()
            with store.unit_of_work() as uow:
                # A reference keeps pointing at what was in force when it was made.
                old = uow.documents.resolve(DocumentRef("D-1", 1))
                new = uow.documents.resolve(DocumentRef("D-1", 2))
                assert "Return missed calls" not in old.content.duties  # type: ignore[union-attr]
                assert "Return missed calls" in new.content.duties  # type: ignore[union-attr]
                assert new.change is not None
                assert new.change.because[0].id == "ACT-12"
                _refused(NotFoundError, lambda: uow.documents.resolve(DocumentRef("D-1", 3)))
                _refused(NotFoundError, lambda: uow.documents.resolve(DocumentRef("D-9", 1)))
                with pytest.raises(ValidationError):
                    uow.documents.resolve(("D-1", 1))  # type: ignore[arg-type]
            # Two editors read the same version; the second to save conflicts.
            with store.unit_of_work(read_only=True) as uow:
                theirs = uow.documents.get("D-1")
            with store.unit_of_work() as uow:
                mine = uow.documents.get("D-1")
                uow.documents.save(mine.withdraw(at=datetime(2026, 12, 1, tzinfo=UTC)))
                uow.commit()
            with store.unit_of_work() as uow:
                later = theirs.withdraw(at=datetime(2026, 11, 1, tzinfo=UTC))
                _refused(ConflictError, lambda: uow.documents.save(later), "D-1")
            with store.unit_of_work(read_only=True) as uow:
                final = uow.documents.get("D-1")
                assert final.version == 3
                assert final.ends_at == datetime(2026, 12, 1, tzinfo=UTC)

        self._with_documents(check, duties("D-1"))

    def test_documents_add_many_is_all_or_none_and_rolls_back(self) -> None:
        def check(store: Store) -> None:
            with store.unit_of_work() as uow:
                batch = [duties("D-2"), duties("D-3"), duties("D-1")]
                _refused(ConflictError, lambda: uow.documents.add_many(batch), "D-1")
                with pytest.raises(ValidationError) as error:
                    uow.documents.add_many([duties("D-5"), None, "D-6"])  # type: ignore[list-item]
                assert [p.path for p in error.value.problems] == ["$[1]", "$[2]"]
                assert _ids(uow.documents.query()) == ["D-1"]
                assert uow.documents.add_many(iter([duties("D-7")])) == 1
                uow.commit()
                uow.documents.add(duties("D-8"))
                uow.rollback()
            with store.unit_of_work() as uow:
                uow.documents.add(duties("D-4"))  # never committed
            with store.unit_of_work(read_only=True) as uow:
                assert _ids(uow.documents.query()) == ["D-1", "D-7"]
                read = uow.documents.get("D-1")
                for write in (
                    lambda: uow.documents.add(duties("D-2")),
                    lambda: uow.documents.save(read.withdraw(at=datetime(2027, 1, 1, tzinfo=UTC))),
                ):
                    with pytest.raises(StorageError):
                        write()
            with pytest.raises(StorageError):
                uow.documents.count()  # outside its block

        self._with_documents(check, duties("D-1"))

    def test_document_queries_compare_instants_in_force(self) -> None:
        # 25 October 2026 in London: 01:00-02:00 is lived twice, first in BST (UTC+1) then
        # in GMT (fold=1). 01:30 BST is 00:30 UTC; 01:20 GMT is 01:20 UTC.
        first_pass = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
        second_pass = datetime(2026, 10, 25, 1, 20, fold=1, tzinfo=LONDON)
        ending = datetime(2026, 10, 25, 1, 10, fold=1, tzinfo=LONDON)  # 01:10 UTC
        documents = [
            duties("D-early", first_pass),
            duties("D-late", second_pass),
            duties("D-ending", _START).withdraw(at=ending),
            _standard("S-kolkata", datetime(2026, 10, 25, 6, 30, tzinfo=KOLKATA)),  # 01:00 UTC
            _revised(duties("D-revised", _START), datetime(2026, 6, 1, tzinfo=ADELAIDE)),
            _standard("S-always", MIN_INSTANT.astimezone(timezone(timedelta(hours=14)))),
            duties("D-ended", _START).withdraw(at=MAX_INSTANT.astimezone(LONDON)),
        ]

        def check(store: Store) -> None:
            with store.unit_of_work(read_only=True) as uow:

                def selected(**arguments: Any) -> list[str]:
                    found = _ids(uow.documents.query(**arguments))
                    assert uow.documents.count(**arguments) == len(found)
                    return found

                everyone = sorted(d.id for d in documents)
                assert selected() == everyone
                # 01:45 BST (00:45 UTC): a wall clock would put it after D-late's 01:20 and
                # D-ending's 01:10; as instants it is before both.
                at = datetime(2026, 10, 25, 1, 45, tzinfo=LONDON)
                assert selected(in_force_at=at) == [
                    "D-early",
                    "D-ended",
                    "D-ending",
                    "D-revised",
                    "S-always",
                ]
                assert "D-late" in selected(in_force_at=second_pass)
                assert "D-ending" not in selected(in_force_at=ending)
                assert "D-ending" in selected(in_force_at=ending - timedelta(microseconds=1))
                assert selected(in_force_at=at.astimezone(KOLKATA)) == selected(in_force_at=at)
                opens = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)
                assert "S-kolkata" in selected(in_force_at=opens)
                assert "S-kolkata" not in selected(in_force_at=opens - timedelta(microseconds=1))
                assert selected(in_force_at=MIN_INSTANT) == ["S-always"]
                assert "D-ended" not in selected(in_force_at=MAX_INSTANT)
                assert "D-ended" in selected(in_force_at=MAX_INSTANT - timedelta(microseconds=1))
                assert selected(kind="service_standard") == ["S-always", "S-kolkata"]
                assert selected(kind=DocumentKind.PROCEDURE) == []
                assert selected(kind="role_duties", in_force_at=MIN_INSTANT) == []
                for moment in (at, second_pass, ending, _START, MIN_INSTANT, MAX_INSTANT):
                    assert selected(in_force_at=moment) == [
                        d.id for d in sorted(documents, key=lambda d: d.id) if d.in_force(moment)
                    ]

        self._with_documents(check, *documents)

    def test_bad_document_arguments_are_validation_errors_with_paths(self) -> None:
        def check(store: Store) -> None:
            naive = datetime(2026, 11, 30, 9)  # noqa: DTZ001 - wrong on purpose
            skipped = datetime(2026, 3, 29, 1, 30, tzinfo=LONDON)  # a wall time London skips
            with store.unit_of_work() as uow:
                for read in (uow.documents.query, uow.documents.count):
                    for kind, when in [
                        ("manual", naive),
                        (7, skipped),
                        (["procedure"], "2026-01-01"),
                        ("\ud800", datetime.max.replace(tzinfo=UTC)),
                    ]:
                        with pytest.raises(ValidationError) as error:
                            read(kind=kind, in_force_at=when)  # type: ignore[arg-type]
                        assert [p.path for p in error.value.problems] == [
                            "$.kind",
                            "$.in_force_at",
                        ]
                bad: list[Callable[[], object]] = [
                    lambda: uow.documents.get(42),  # type: ignore[arg-type]
                    lambda: uow.documents.add("D-1"),  # type: ignore[arg-type]
                    lambda: uow.documents.add_many(7),  # type: ignore[arg-type]
                    lambda: uow.documents.save({"id": "D-1"}),  # type: ignore[arg-type]
                    lambda: uow.documents.resolve(None),  # type: ignore[arg-type]
                ]
                for action in bad:
                    with pytest.raises(ValidationError) as raised:
                        action()
                    assert all(p.path.startswith("$") for p in raised.value.problems)
                _refused(NotFoundError, lambda: uow.documents.get("\ud800"))
                _refused(NotFoundError, lambda: uow.documents.get(""))
                assert _ids(uow.documents.query()) == ["D-1"]

        self._with_documents(check, duties("D-1"))
