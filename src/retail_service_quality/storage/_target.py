"""A store or an open unit of work as the ``target`` of a one-line call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from retail_service_quality.errors import Problems, ValidationError

if TYPE_CHECKING:
    from retail_service_quality.storage.ports import UnitOfWork

_MESSAGE = "must be a store or an open unit of work"


def is_target(target: object, repository: str) -> bool:
    """Whether ``target`` is a store, or a unit of work with ``repository``."""
    return hasattr(target, "unit_of_work") or hasattr(target, repository)


def check_target(target: object, repository: str, problems: Problems) -> None:
    """Add the problem at ``$.target`` when it is neither a store nor a unit of work."""
    if not is_target(target, repository):
        problems.add("$.target", _MESSAGE, "type")


@contextmanager
def unit_of(target: Any, repository: str, *, read_only: bool = False) -> Iterator[UnitOfWork]:
    """A unit of work of the store's own (committed on success unless read-only), or the
    caller's open one (the caller commits)."""
    if hasattr(target, "unit_of_work"):
        with target.unit_of_work(read_only=read_only) as uow:
            yield uow
            if not read_only:
                uow.commit()
    elif hasattr(target, repository):
        yield target
    else:
        raise ValidationError.single("$.target", _MESSAGE, "type")
