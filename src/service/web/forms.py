"""Form fields read from a posted form, and the problems shown in an error summary linked to each field."""

from __future__ import annotations

import datetime as dt

import attrs
from litestar.datastructures import FormMultiDict


@attrs.frozen
class FieldError:
    """A problem with one field: `field` is the input's id (the summary links to it), `message` is Dutch."""

    field: str
    message: str


def text(form: FormMultiDict, name: str) -> str:
    """The text of field `name`; empty when it is missing or is a file."""
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def required_text(form: FormMultiDict, name: str, label: str, max_length: int, errors: list[FieldError]) -> str:
    """The text of a required field; an empty or overlong one adds its problem to `errors` (and gives "")."""
    value = text(form, name)
    if not value.strip():
        errors.append(FieldError(name, f"Vul uw {label} in."))
        return ""
    if len(value) > max_length:
        errors.append(FieldError(name, f"Uw {label} is te lang: hoogstens {max_length} tekens."))
        return ""
    return value


def typed_day(value: str) -> dt.date | None:
    """A day as an officer types it: 15-10-2026, 15/10/2026, 15.10.2026 or 2026-10-15 (a date input's own form)."""
    for pattern in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


def capital(text: str) -> str:
    """`text` with its first letter a capital (labels are lower case in running text)."""
    return text[:1].upper() + text[1:]


def sentence(message: str) -> str:
    """A problem's message as a sentence on a page: a capital at the start, one full stop at the end."""
    return capital(message) + ("" if message.endswith(".") else ".")
