"""The assessment use cases called directly: the register check before, the day of the session, need-to-know."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from bibob.exceptions import NotFoundError
from bibob.policy import Policy
from bibob.questionnaires import Catalogue
from service.usecases import Session
from service.usecases.applications import store_answers
from service.usecases.assessments import RegisterCheck, assess_application, check_registers, list_assessments
from tests.service.api.test_applications import COMPLETE
from tests.service.store.conftest import COORDINATOR, OFFICER, OTHER_OFFICER
from tests.service.usecases.conftest import NOW, Sessions, registered


def test_an_assessment_without_a_reference_date_is_made_on_the_day_of_the_session(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    stored = registered(session_of(OFFICER), catalogue, policy)
    store_answers(session_of(OFFICER), catalogue, stored.id, 1, COMPLETE)
    record = assess_application(session_of(OFFICER), catalogue, policy, stored.id, {}, RegisterCheck({}, "geen"))

    assert record.document["referenceDate"] == NOW.astimezone().date().isoformat()
    assert record.document["registerCheck"] == "geen" and record.created_by == OFFICER.user
    assert list_assessments(session_of(COORDINATOR), stored.id) == (record,)


def test_another_officers_application_is_not_assessed(
    session_of: Sessions, catalogue: Catalogue, policy: Policy
) -> None:
    stored = registered(session_of(OFFICER), catalogue, policy)
    with pytest.raises(NotFoundError):
        assess_application(session_of(OTHER_OFFICER), catalogue, policy, stored.id, {}, RegisterCheck())


def test_without_kvk_the_register_check_reads_nothing_and_says_so(catalogue: Catalogue) -> None:
    async def never(work: Callable[[Session], Any]) -> Any:
        raise AssertionError("the register check read the application")

    async def check() -> RegisterCheck:
        async with httpx.AsyncClient() as client:
            return await check_registers(never, catalogue, client, None, "2026-0001")

    assert asyncio.run(check()) == RegisterCheck({}, "KvK-controle niet ingesteld")
