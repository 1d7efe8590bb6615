"""Enumerations whose members carry a Dutch label next to their English wire value."""

from __future__ import annotations

import enum
from typing import Any, Self


class LabelledEnum(enum.Enum):
    """An enum member is `(wire value, Dutch label)`; `.value` goes on the wire, `.label` to people."""

    label: str

    def __new__(cls, value: str, label: str) -> Any:
        member = object.__new__(cls)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def parse(cls, value: object) -> Self | None:
        """The member whose wire value is `value`, or None."""
        member = cls._value2member_map_.get(value) if isinstance(value, str) else None
        return member if isinstance(member, cls) else None

    def __str__(self) -> str:
        return str(self.value)
