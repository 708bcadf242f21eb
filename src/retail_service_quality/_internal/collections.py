"""An immutable, hashable, picklable mapping for the attributes of frozen values."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

__all__ = ["FrozenMap"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """A read-only mapping that keeps insertion order, hashes by content and pickles.

    Examples:
        >>> weights = FrozenMap({"reliability": 30.0, "empathy": 70.0})
        >>> weights["empathy"], len(weights), weights == {"reliability": 30.0, "empathy": 70.0}
        (70.0, 2, True)
        >>> hash(weights) == hash(FrozenMap({"empathy": 70.0, "reliability": 30.0}))
        True
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(data)

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __repr__(self) -> str:
        return repr(self._data)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self._data,))
