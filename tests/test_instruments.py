"""Survey instruments as data: questions, built-in instruments, responses and their checks."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import retail_service_quality as rsq
from retail_service_quality import (
    REVERSED_ITEMS,
    SERVQUAL_DIMENSIONS,
    QuestionKind,
    QuestionMeasure,
    SurveyInstrument,
    SurveyQuestion,
    SurveyResponse,
    ValidationError,
    ces_instrument,
    check_response,
    csat_instrument,
    nps_instrument,
    product_requirements_instrument,
    servqual_instrument,
)
from retail_service_quality._internal.times import MAX_INSTANT, MIN_INSTANT
from retail_service_quality.serialization import from_json, json_schema, structure, to_json
from retail_service_quality.testing.contract_surveys import survey_responses

LONDON = ZoneInfo("Europe/London")
AT = datetime(2026, 11, 30, 10, tzinfo=UTC)
WORDS = "Chan Tai Man at the counter was rude"


def _response(**changes: Any) -> SurveyResponse:
    fields: dict[str, Any] = {
        "id": "R-1",
        "instrument_id": "csat",
        "edition": 1,
        "received_at": AT,
        "store_id": "HK-1",
        "channel": "meeting",
        "answers": {"csat": 4, "resolved": 1},
        "comments": {"comment": WORDS},
    }
    fields.update(changes)
    return SurveyResponse(**fields)


def _paths(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [problem.path for problem in error.value.problems]


# ---------------------------------------------------------------- questions


def test_a_rating_needs_its_scale_and_other_kinds_refuse_one() -> None:
    with pytest.raises(ValidationError) as refused:
        SurveyQuestion(id="q", text="How was it?", kind="rating")
    assert _paths(refused) == ["$.low", "$.high"]
    with pytest.raises(ValidationError) as refused:
        SurveyQuestion(id="q", text="Recommend us?", kind="nps", low=0, high=10)
    assert _paths(refused) == ["$.low", "$.high"]
    with pytest.raises(ValidationError) as refused:
        SurveyQuestion(id="q", text="How was it?", kind="rating", low=-1, high=101)
    assert _paths(refused) == ["$.low", "$.high"]
    with pytest.raises(ValidationError) as refused:
        SurveyQuestion(id="q", text="How was it?", kind="rating", low=True, high=5.0)  # type: ignore[arg-type]
    assert [p.code for p in refused.value.problems] == ["type", "type"]


def test_an_unknown_kind_still_reports_what_holds_for_every_kind_in_the_same_round() -> None:
    with pytest.raises(ValidationError) as refused:
        SurveyQuestion(id="", text=5, kind="essay", low=10, high=1, options=[1])  # type: ignore[arg-type]
    assert _paths(refused) == ["$.id", "$.text", "$.kind", "$.high", "$.options[0]"]


def test_measures_are_read_from_their_kind_of_answer() -> None:
    with pytest.raises(ValidationError) as refused:
        SurveyQuestion(id="q", text="Resolved?", kind="rating", low=1, high=5, measures="fcr")
    assert "fcr is measured by a yes_no question" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        SurveyQuestion(id="q", text="Recommend?", kind="rating", low=0, high=10, measures="nps")
    assert _paths(refused) == ["$.measures"]
    # A SERVQUAL question names its item; no other does.
    with pytest.raises(ValidationError) as refused:
        SurveyQuestion(
            id="q", text="x", kind="rating", low=1, high=7, measures="servqual_perception"
        )
    assert _paths(refused) == ["$.item"]
    with pytest.raises(ValidationError) as refused:
        SurveyQuestion(id="q", text="x", kind="rating", low=1, high=7, item=3)
    assert _paths(refused) == ["$.item"]
    with pytest.raises(ValidationError) as refused:
        SurveyQuestion(
            id="q", text="x", kind="rating", low=1, high=7, measures="servqual_perception", item=23
        )
    assert _paths(refused) == ["$.item"]


def test_choices_number_their_options_from_one() -> None:
    question = SurveyQuestion(
        id="visit", text="Why did you visit?", kind="choice", options=["Buy", "Return", "Ask"]
    )
    assert question.scale == (1, 3)
    with pytest.raises(ValidationError) as refused:
        SurveyQuestion(id="q", text="Why?", kind="choice", options=["Buy", "Buy"])
    assert _paths(refused) == ["$.options[1]"]
    with pytest.raises(ValidationError) as refused:
        SurveyQuestion(id="q", text="Why?", kind="choice", options=["Buy"])
    assert _paths(refused) == ["$.options"]
    with pytest.raises(ValidationError) as refused:
        SurveyQuestion(id="q", text="Why?", kind="yes_no", options=["Yes", "No"])
    assert _paths(refused) == ["$.options"]


def test_only_a_rating_is_reverse_scored() -> None:
    with pytest.raises(ValidationError) as refused:
        SurveyQuestion(id="q", text="Recommend?", kind="nps", reverse_scored=True)
    assert _paths(refused) == ["$.reverse_scored"]
    assert QuestionKind.FREE_TEXT.answer_range(None, None, ()) is None


def test_every_question_problem_comes_in_one_round() -> None:
    with pytest.raises(ValidationError) as refused:
        SurveyQuestion(id=" q", text="", kind="slider", measures="joy", reverse_scored="yes")  # type: ignore[arg-type]
    assert _paths(refused) == ["$.id", "$.text", "$.kind", "$.measures", "$.reverse_scored"]


# ---------------------------------------------------------------- instruments


def test_servqual_instrument_asks_the_22_items_twice() -> None:
    instrument = servqual_instrument()
    expectations = instrument.questions_measuring(QuestionMeasure.SERVQUAL_EXPECTATION)
    perceptions = instrument.questions_measuring("servqual_perception")
    assert [q.item for q in expectations] == list(range(1, 23))
    assert [q.item for q in perceptions] == list(range(1, 23))
    assert {q.scale for q in (*expectations, *perceptions)} == {(1, 7)}
    for dimension, items in SERVQUAL_DIMENSIONS.items():
        assert [q.item for q in perceptions if q.dimension == dimension] == list(items)
    assert not any(q.reverse_scored for q in instrument.questions)
    assert instrument.questions[-1].kind is QuestionKind.FREE_TEXT
    negative = servqual_instrument(negatively_worded=True, scale=5)
    assert REVERSED_ITEMS == (10, 11, 12, 13, 18, 19, 20, 21, 22)
    flagged = [q for q in negative.questions if q.reverse_scored]
    assert sorted({q.item or 0 for q in flagged}) == list(REVERSED_ITEMS)
    assert len(flagged) == 2 * len(REVERSED_ITEMS)
    assert all(" not " in q.text or "cannot" in q.text or "too busy" in q.text for q in flagged)
    assert negative.question("p1").scale == (1, 5)
    with pytest.raises(ValidationError) as refused:
        servqual_instrument(scale=1, negatively_worded=1)  # type: ignore[arg-type]
    assert _paths(refused) == ["$.scale", "$.negatively_worded"]


def test_the_built_in_instruments_end_with_a_comment() -> None:
    expected = {
        "csat": ["csat", "fcr", "other"],
        "nps": ["nps", "other"],
        "ces": ["ces", "other"],
        "product-requirements": [
            "product_range",
            "product_quality",
            "product_timeliness",
            "product_price",
            "other",
        ],
    }
    for factory in (
        csat_instrument,
        nps_instrument,
        ces_instrument,
        product_requirements_instrument,
    ):
        instrument = factory()
        assert [q.measures.value for q in instrument.questions] == expected[instrument.id]
        assert instrument.questions[-1].id == "comment"
        assert instrument.questions[-1].kind is QuestionKind.FREE_TEXT
        assert instrument.published_at == rsq.metrics.instruments.BUILT_IN_PUBLISHED_AT
    assert [q.scale for q in product_requirements_instrument().questions[:4]] == [(1, 5)] * 4
    assert csat_instrument(scale=7).question("csat").scale == (1, 7)


def test_an_instrument_refuses_repeated_questions_and_items() -> None:
    question = SurveyQuestion(id="q", text="Recommend?", kind="nps")
    item = SurveyQuestion(
        id="p1", text="x", kind="rating", low=1, high=7, measures="servqual_perception", item=1
    )
    with pytest.raises(ValidationError) as refused:
        SurveyInstrument(
            id="mine",
            edition=0,
            title=" ",
            questions=[question, question, item, item.__class__(**{**_fields(item), "id": "p2"})],
            published_at=datetime(2026, 1, 1),
        )
    assert _paths(refused) == [
        "$.edition",
        "$.title",
        "$.published_at",
        "$.questions[1].id",
        "$.questions[3].item",
    ]
    with pytest.raises(ValidationError) as refused:
        SurveyInstrument(id="mine", title="Mine", questions=[], published_at=AT)
    assert _paths(refused) == ["$.questions"]
    with pytest.raises(ValidationError):
        nps_instrument().question("csat")
    with pytest.raises(ValidationError):
        nps_instrument().questions_measuring("joy")


def _fields(question: SurveyQuestion) -> dict[str, Any]:
    import attrs

    return attrs.asdict(question, recurse=False)


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(
        [
            servqual_instrument,
            csat_instrument,
            nps_instrument,
            ces_instrument,
            product_requirements_instrument,
        ]
    ),
    st.integers(1, 10_000),
    st.datetimes(
        min_value=datetime(1900, 1, 1),
        max_value=datetime(2300, 1, 1),
        timezones=st.sampled_from([LONDON, ZoneInfo("Asia/Kolkata"), UTC]),
        allow_imaginary=False,
    ),
)
def test_instruments_round_trip_through_json(factory: Any, edition: int, at: datetime) -> None:
    instrument = factory(edition=edition, published_at=at)
    again = from_json(to_json(instrument), SurveyInstrument)
    assert again == instrument
    assert again.published_at.utcoffset() == at.utcoffset()
    assert structure(rsq.unstructure(instrument), SurveyInstrument) == instrument


def test_the_schemas_describe_instruments_and_responses() -> None:
    question = json_schema(SurveyQuestion)["properties"]
    assert question["kind"]["enum"] == [kind.value for kind in QuestionKind]
    assert question["measures"]["enum"] == [measure.value for measure in QuestionMeasure]
    assert json_schema(SurveyInstrument)["properties"]["edition"]["minimum"] == 1
    response = json_schema(SurveyResponse)["properties"]
    assert response["answers"]["additionalProperties"]["type"] == "integer"
    assert response["version"]["x-managed"] is True


# ---------------------------------------------------------------- responses


def test_free_text_is_personal_and_never_shown() -> None:
    response = _response()
    assert "Tai Man" not in repr(response)
    assert "'comment': '***'" in repr(response)
    assert "comments" not in rsq.to_records([response])[0]
    assert rsq.to_records([response], personal=True)[0]["comments"] == {"comment": WORDS}
    assert rsq.personal_data(SurveyResponse) == {"comments": rsq.PersonalDataClass.FREE_TEXT}
    with pytest.raises(ValidationError) as refused:
        check_response(nps_instrument(), response)
    assert WORDS not in str(refused.value)


def test_yes_and_no_are_one_and_zero() -> None:
    response = _response(answers={"resolved": True, "csat": 5})
    assert dict(response.answers) == {"resolved": 1, "csat": 5}
    assert type(response.answers["resolved"]) is int
    check_response(csat_instrument(), response)


def test_check_response_lists_every_problem_with_its_path() -> None:
    response = _response(
        instrument_id="nps",
        received_at=datetime(1999, 12, 31, tzinfo=UTC),
        answers={"nps": 11, "comment": 3, "mood": 2},
        comments={"other": "hm"},
    )
    with pytest.raises(ValidationError) as refused:
        check_response(nps_instrument(), response)
    assert _paths(refused) == [
        "$.received_at",
        "$.answers.nps",
        "$.answers.comment",
        "$.answers.mood",
        "$.comments.other",
    ]
    assert [p.code for p in refused.value.problems] == [
        "inconsistent",
        "range",
        "inconsistent",
        "unknown_choice",
        "unknown_choice",
    ]
    with pytest.raises(ValidationError) as refused:
        check_response(csat_instrument(), _response(answers={}, comments={"csat": "great"}))
    assert _paths(refused) == ["$.comments.csat"]
    with pytest.raises(ValidationError) as refused:
        check_response(csat_instrument(), _response(edition=2))
    assert _paths(refused) == ["$.edition"]
    with pytest.raises(ValidationError) as refused:
        check_response(csat_instrument(), _response(instrument_id="ces"))
    assert _paths(refused) == ["$.instrument_id"]
    with pytest.raises(ValidationError) as refused:
        check_response("csat", {"csat": 5})  # type: ignore[arg-type]
    assert _paths(refused) == ["$.instrument", "$.response"]


def test_a_response_checks_its_own_fields_in_one_round() -> None:
    with pytest.raises(ValidationError) as refused:
        SurveyResponse(
            id="",
            instrument_id="csat",
            edition=True,
            received_at=datetime(2026, 1, 1),
            store_id="HK-1",
            channel="pigeon",
            customer_consent_at="yesterday",  # type: ignore[arg-type]
            answers={"csat": -1, "x": 2.5, 3: 1},  # type: ignore[dict-item]
            comments={"comment": "a" + chr(0xD800), "csat": "x"},
            version=0,
        )
    assert _paths(refused) == [
        "$.id",
        "$.edition",
        "$.received_at",
        "$.channel",
        "$.customer_consent_at",
        "$.answers.csat",
        "$.answers.x",
        "$.answers",
        "$.comments.comment",
        "$.comments.csat",
        "$.version",
    ]
    with pytest.raises(ValidationError) as refused:
        SurveyResponse(id="R-1", answers="csat=5", comments=["x"])  # type: ignore[arg-type]
    assert _paths(refused)[:5] == [
        "$.instrument_id",
        "$.edition",
        "$.received_at",
        "$.store_id",
        "$.channel",
    ]
    assert {"$.answers", "$.comments"} <= set(_paths(refused))


@pytest.mark.parametrize(
    "received",
    [
        datetime(2026, 10, 25, 1, 30, tzinfo=LONDON),
        datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON),
        datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        datetime(2026, 4, 5, 2, 45, fold=1, tzinfo=ZoneInfo("Australia/Adelaide")),
        MIN_INSTANT,
        MAX_INSTANT,
    ],
)
def test_responses_keep_their_instant_and_wall_time(received: datetime) -> None:
    instrument = csat_instrument(published_at=MIN_INSTANT)
    response = _response(received_at=received)
    check_response(instrument, response)
    again = from_json(to_json(response), SurveyResponse)
    assert again == response
    assert again.received_at.utcoffset() == received.utcoffset()
    assert again.received_at.fold == received.fold


def test_a_skipped_wall_time_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        _response(received_at=datetime(2026, 3, 29, 1, 30, tzinfo=LONDON))
    assert _paths(refused) == ["$.received_at"]


def test_a_response_answers_only_after_its_edition_is_published() -> None:
    published = datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)  # 01:30 GMT
    instrument = csat_instrument(published_at=published)
    # 01:45 in the first fold (BST) is 00:45 UTC: before publication, though its wall time is
    # later.
    with pytest.raises(ValidationError) as refused:
        check_response(instrument, _response(received_at=published.replace(minute=45, fold=0)))
    assert _paths(refused) == ["$.received_at"]
    check_response(instrument, _response(received_at=published))


@settings(max_examples=50, deadline=None)
@given(survey_responses())
def test_responses_round_trip_and_fit_their_instrument(response: SurveyResponse) -> None:
    assert from_json(to_json(response), SurveyResponse) == response
    erased = response.without_customer()
    assert erased.customer_id is None
    assert erased.customer_consent_at is None
    assert not erased.comments
    assert erased.answers == response.answers


def test_nothing_is_logged_with_free_text(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="retail_service_quality"):
        rsq.record_survey_response(rsq.InMemoryStore(), csat_instrument(), _response())
    assert caplog.records
    assert all(WORDS not in record.getMessage() for record in caplog.records)


def test_evolve_names_a_field_the_response_does_not_have() -> None:
    with pytest.raises(ValidationError) as refused:
        _response().evolve(answer={"csat": 5}, version=0)
    assert _paths(refused) == ["$.answer"]
    assert [p.code for p in refused.value.problems] == ["unknown_field"]
    assert _response().evolve(staff_id="A-1").staff_id == "A-1"
