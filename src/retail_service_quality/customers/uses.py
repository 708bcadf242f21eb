"""What the retailer did with a customer's data: marketing sent and data provided to others.

The consent ledger records what a person was told and agreed to; these
records say what was done. The privacy rules need both: whether a marketing
message is the first one (which must tell the person of their right to opt
out, PDPO s.35F), and who received the data (a cease request produces a
written notice to every past recipient, s.35L; a correction is sent on to
everyone who received the data in the preceding 12 months, s.23).

Examples:
    >>> from datetime import datetime, timezone
    >>> sent = MarketingMessageSent(
    ...     event_id="U-1", customer_id="C-1",
    ...     at=datetime(2026, 3, 2, 10, tzinfo=timezone.utc), evidence="campaign:K-7",
    ...     channel="sms", marketing_class="cosmetics", opt_out_statement=True,
    ... )
    >>> sent.channel, sent.opt_out_statement
    (<MarketingChannel.SMS: 'sms'>, True)
"""

from __future__ import annotations

from types import MappingProxyType
from typing import ClassVar, Final, TypeAlias

import attrs

from retail_service_quality._internal.validation import (
    REQUIRED,
    check_enum,
    check_id,
    lenient_enum,
)
from retail_service_quality.customers.consent import (
    DataKind,
    MarketingChannel,
    _check_bool,
    _check_kinds,
    _Event,
    _kinds,
)
from retail_service_quality.errors import Problems

__all__ = ["DATA_USE_KINDS", "DataProvided", "DataUse", "MarketingMessageSent"]


def _channel(value: MarketingChannel | str) -> MarketingChannel:
    return lenient_enum(MarketingChannel, value)


@attrs.frozen(kw_only=True)
class MarketingMessageSent(_Event):
    """One direct-marketing message sent to a customer.

    Attributes:
        event_id: the record's identifier, unique among the customer's data uses.
        customer_id: whom it was sent to.
        at: when it was sent (timezone-aware).
        evidence: a reference to the campaign or message (never its content).
        channel: the channel it went out on (`MarketingChannel`).
        marketing_class: the class of marketing subject it promoted.
        opt_out_statement: whether it told the person of their right to opt
            out, free of charge (PDPO s.35F: required on the first use).
        kind: the record's type tag in JSON, always ``"marketing_message_sent"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> MarketingMessageSent(
        ...     event_id="U-1", customer_id="C-1",
        ...     at=datetime(2026, 3, 2, tzinfo=timezone.utc), evidence="campaign:K-7",
        ...     channel="email", marketing_class="toys", opt_out_statement=False,
        ... ).marketing_class
        'toys'

    Raises:
        ValidationError: every problem, with its path.
    """

    KIND: ClassVar[str] = "marketing_message_sent"

    channel: MarketingChannel = attrs.field(default=REQUIRED, converter=_channel)
    marketing_class: str = attrs.field(default=REQUIRED)
    opt_out_statement: bool = attrs.field(default=REQUIRED)
    kind: str = "marketing_message_sent"

    def _check(self, problems: Problems) -> None:
        check_enum(self.channel, MarketingChannel, "$.channel", problems)
        check_id(self.marketing_class, "$.marketing_class", problems)
        _check_bool(self.opt_out_statement, "$.opt_out_statement", problems)


@attrs.frozen(kw_only=True)
class DataProvided(_Event):
    """A customer's personal data given to another party.

    ``agent=True`` records data passed to an agent who markets on the
    retailer's own behalf: that is not "provision" for the retailer's
    purposes (PDPO s.35I(2)), but it is still a disclosure to a third party,
    so a correction is sent on to it (s.23).

    Attributes:
        event_id: the record's identifier, unique among the customer's data uses.
        customer_id: whose data it was.
        at: when the data was given (timezone-aware).
        evidence: a reference to the transfer (a batch or agreement id).
        recipient_id: the party that received the data.
        recipient_class: the class of recipients it belongs to.
        data_kinds: the kinds of personal data given.
        for_gain: whether it was given in return for money or other property.
        agent: whether the recipient acts as the retailer's agent.
        kind: the record's type tag in JSON, always ``"data_provided"``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> DataProvided(
        ...     event_id="U-2", customer_id="C-1",
        ...     at=datetime(2026, 3, 2, tzinfo=timezone.utc), evidence="batch:B-3",
        ...     recipient_id="P-INSURE", recipient_class="insurance",
        ...     data_kinds=["name", "mobile_number"], for_gain=True,
        ... ).data_kinds
        (<DataKind.NAME: 'name'>, <DataKind.MOBILE_NUMBER: 'mobile_number'>)

    Raises:
        ValidationError: every problem, with its path.
    """

    KIND: ClassVar[str] = "data_provided"

    recipient_id: str = attrs.field(default=REQUIRED)
    recipient_class: str = attrs.field(default=REQUIRED)
    data_kinds: tuple[DataKind, ...] = attrs.field(default=REQUIRED, converter=_kinds)
    for_gain: bool = attrs.field(default=REQUIRED)
    agent: bool = False
    kind: str = "data_provided"

    def _check(self, problems: Problems) -> None:
        check_id(self.recipient_id, "$.recipient_id", problems)
        check_id(self.recipient_class, "$.recipient_class", problems)
        _check_kinds(self.data_kinds, "$.data_kinds", problems, required=True)
        _check_bool(self.for_gain, "$.for_gain", problems)
        if _check_bool(self.agent, "$.agent", problems) and self.agent and self.for_gain is True:
            problems.add(
                "$.for_gain", "must be false for an agent acting for the retailer", "inconsistent"
            )


DataUse: TypeAlias = MarketingMessageSent | DataProvided
"""Any record of a use of a customer's data; in JSON, its ``kind`` field says which."""

DATA_USE_KINDS: Final[MappingProxyType[str, type[DataUse]]] = MappingProxyType(
    {cls.KIND: cls for cls in (MarketingMessageSent, DataProvided)}
)
"""Each data-use record type by its ``kind`` tag."""
