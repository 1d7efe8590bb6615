"""Notifications on the wire: one notification, and the body that marks some (or all) of one's own read."""

from __future__ import annotations

from typing import Any

from bibob.exceptions import InvalidInputError, Problem
from service.store.notifications import Notification
from service.views.inputs import json_object

MAX_IDS = 500


def notification_view(notification: Notification) -> dict[str, Any]:
    """One notification: kind, the object it is about (type and id), the Dutch text, when, whether read."""
    return {
        "id": notification.id,
        "kind": notification.kind,
        "objectType": notification.object_type,
        "objectId": notification.object_id,
        "text": notification.text,
        "createdAt": notification.created_at.isoformat(),
        "read": notification.read_at is not None,
    }


def marked(body: object) -> tuple[str, ...] | None:
    """`{"ids": [...]}` → those ids; `{"all": true}` → None (all of them). Exactly one of the two."""
    fields = json_object(body, ("ids", "all"))
    problems = []
    if ("ids" in fields) == ("all" in fields):
        problems.append(Problem("", "markRead.oneOf", "geef ids of all: true, niet allebei en niet geen van beide"))
    ids = fields.get("ids")
    if "ids" in fields and not _id_list(ids):
        problems.append(Problem("/ids", "schema.type", f"verwacht: 1 tot {MAX_IDS} ids (tekst)"))
    if "all" in fields and fields["all"] is not True:
        problems.append(Problem("/all", "schema.const", "verwacht: true"))
    if problems:
        raise InvalidInputError(problems)
    return tuple(ids) if isinstance(ids, list) else None


def _id_list(ids: object) -> bool:
    if not isinstance(ids, list) or not 1 <= len(ids) <= MAX_IDS:
        return False
    return all(isinstance(i, str) and 0 < len(i) <= 80 for i in ids)
