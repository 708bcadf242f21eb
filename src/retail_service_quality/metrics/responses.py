"""Recording survey responses in one line, on a store or an open unit of work.

`record_survey_response` checks a response against the instrument edition
it answers, stores the edition if the store does not have it yet, and links
the response to a customer only when the customer agreed to it.

Examples:
    >>> from datetime import datetime, timezone
    >>> from retail_service_quality import InMemoryStore, SurveyResponse, csat_instrument
    >>> store = InMemoryStore()
    >>> response = SurveyResponse(id="R-1", instrument_id="csat", edition=1, store_id="HK-1",
    ...     channel="meeting", received_at=datetime(2026, 11, 30, 10, tzinfo=timezone.utc),
    ...     answers={"csat": 5, "resolved": 1})
    >>> record_survey_response(store, csat_instrument(), response).version
    1
"""

from __future__ import annotations

import logging
from typing import Final, TypeAlias

import attrs

from retail_service_quality.errors import ConflictError, NotFoundError, Problems
from retail_service_quality.metrics.instruments import SurveyInstrument, SurveyResponse
from retail_service_quality.storage._target import check_target, unit_of
from retail_service_quality.storage.ports import Store, UnitOfWork
from retail_service_quality.storage.ports.surveys import check_linked_response

__all__ = ["record_survey_response"]

Target: TypeAlias = Store | UnitOfWork
_LOG: Final = logging.getLogger("retail_service_quality.metrics.responses")


def record_survey_response(
    target: Target,
    instrument: SurveyInstrument,
    response: SurveyResponse,
    *,
    customer_consent: bool = False,
) -> SurveyResponse:
    """Store a survey response, checked against the instrument edition it answers.

    The edition is stored first if the store does not have it yet (a
    different instrument stored under the same id and edition is a
    `ConflictError`). A response that names a customer is stored only with
    ``customer_consent=True``: the customer agreed to link their answers to
    them; the consent is recorded on the response (``customer_consent_at``,
    the instant the answers were received, unless it already has one).
    Without a customer, ``customer_consent`` changes nothing.

    ``target`` is a store (a unit of work of its own, committed) or an open
    unit of work (the caller commits). Returns the response as stored.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from retail_service_quality import InMemoryStore, nps_instrument
        >>> at = datetime(2026, 11, 30, 10, tzinfo=timezone.utc)
        >>> response = SurveyResponse(id="R-2", instrument_id="nps", edition=1,
        ...     store_id="HK-1", channel="online", received_at=at, answers={"nps": 11},
        ...     customer_id="C-1")
        >>> record_survey_response(InMemoryStore(), nps_instrument(), response)
        Traceback (most recent call last):
        ...
        retail_service_quality.errors.ValidationError: 2 problems:
          $.customer_id: the customer's consent to link their answers to them is required (customer_consent)
          $.answers.nps: must be from 0 to 10
        >>> stored = record_survey_response(InMemoryStore(), nps_instrument(),
        ...     response.evolve(answers={"nps": 9}), customer_consent=True)
        >>> stored.customer_consent_at == at
        True

    Raises:
        ValidationError: every problem, with its path: not a store or unit of work,
            not an instrument or a response, a customer without consent, answers that
            do not fit the edition (`check_response`).
        ConflictError: a response with that id exists, or another instrument is stored
            as that edition.
    """  # noqa: E501
    problems = Problems()
    check_target(target, "surveys", problems)
    if not isinstance(instrument, SurveyInstrument):
        problems.add("$.instrument", "must be a SurveyInstrument", "type")
    if not isinstance(response, SurveyResponse):
        problems.add("$.response", "must be a SurveyResponse", "type")
    if not isinstance(customer_consent, bool):
        problems.add("$.customer_consent", "must be True or False", "type")
    problems.raise_if_any()
    check_linked_response(instrument, response, consented=customer_consent)
    if response.customer_id is not None and response.customer_consent_at is None:
        response = attrs.evolve(response, customer_consent_at=response.received_at)
    with unit_of(target, "surveys") as uow:
        surveys = uow.surveys
        try:
            stored = surveys.instruments.get(instrument.id, instrument.edition)
        except NotFoundError:
            surveys.instruments.add(instrument)
        else:
            if stored != instrument:
                raise ConflictError(
                    f"edition {instrument.edition} of the survey instrument {instrument.id!r} "
                    "is stored with other questions: publish a new edition"
                )
        surveys.responses.add(response)
    _LOG.debug("recorded the survey response %r", response.id)
    return response
