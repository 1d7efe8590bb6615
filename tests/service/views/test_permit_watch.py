"""The coordinator's view of a re-screen prompt: why, in Dutch, for every trigger the watch makes."""

from __future__ import annotations

import datetime as dt

import pytest

from service.store.permit_watch import StoredPrompt
from service.usecases.permit_watch import STEP_TRIGGERS
from service.views.permit_watch import TRIGGERS, prompt_view

AT = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def _prompt(trigger: str, role: str = "bestuurder") -> StoredPrompt:
    return StoredPrompt("p-1", "A-1", trigger, role, "overeenkomst zeker: KvK-nummer gelijk", "open", AT)


@pytest.mark.parametrize("trigger", sorted(STEP_TRIGGERS.values()))
def test_every_trigger_of_an_application_step_says_in_dutch_why_and_that_it_is_no_finding(trigger: str) -> None:
    view = prompt_view(_prompt(trigger))

    assert trigger in TRIGGERS and TRIGGERS[trigger] in view["message"]
    assert view["message"].startswith("De bestuurder van deze verleende vergunning komt overeen")
    assert "geen bevinding" in view["message"] and view["trigger"] == trigger


def test_the_offer_of_an_earlier_lbb_advice_speaks_of_the_new_application_not_of_a_granted_permit() -> None:
    view = prompt_view(_prompt("lbbAdviceReuse", "betrokkene"))

    assert "verleende vergunning" not in view["message"] and "LBB" in view["message"]
    assert "geen bevinding" in view["message"]
