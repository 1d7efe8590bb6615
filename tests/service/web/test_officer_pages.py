"""The permit officer's pages through the test client: the worklist, registering, the overview and its steps."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from service.store.engine import create_engine_for
from service.store.tables import applications, audit_log
from tests.service.api.test_applications import SOLE_TRADER
from tests.service.web.conftest import Client, form_token, sign_in


@pytest.fixture
def officer(client: Client) -> str:
    """The client signed in (through the form) as permit officer vv-1; gives the session's form token."""
    return _as(client, "vv-1")


def _as(client: Client, name: str) -> str:
    client.cookies.clear()
    sign_in(client, name)
    return form_token(client.get("/").text)


def _register(client: Client, csrf: str, **fields: str) -> Any:
    form = {"_csrf": csrf, "kenmerk": "", "soort": "exploitatieHoreca", "spoor": "application",
            "ontvangen": "01-10-2026", "rechtshandeling": "vergunning", "vragenformulier": ""} | fields  # fmt: skip
    return client.post("/aanvragen/nieuw", data=form, follow_redirects=False)


def test_the_worklist_is_served_with_its_table_and_caption(client: Client, officer: str) -> None:
    response = client.get("/aanvragen")
    assert response.status_code == 200, response.text
    assert "<caption" in response.text and "Volgende termijn" in response.text
    assert response.headers["cache-control"] == "no-store"


def test_registering_with_mistakes_names_each_problem_at_its_field_and_stores_nothing(
    client: Client, officer: str, database_url: str
) -> None:
    response = _register(client, officer, kenmerk="a/b", soort="", ontvangen="gisteren", rechtshandeling="")
    assert response.status_code == 400
    page = response.text
    for field in ("kenmerk", "soort", "ontvangen", "rechtshandeling"):
        assert f'href="#{field}"' in page  # in the summary, linked to the field
        assert f'id="{field}-fout"' in page  # and next to the field
    assert "<title>Fout: Aanvraag registreren" in page
    assert 'href="#vragenformulier"' not in page  # no follow-on error: the policy's form needs the soort first
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(applications)).scalar_one() == 0
    engine.dispose()


def test_a_registered_application_opens_on_its_overview_and_appears_in_the_worklist(
    client: Client, officer: str
) -> None:
    response = _register(client, officer, kenmerk="PAGE-0001")
    assert response.status_code == 303 and response.headers["location"] == "/aanvragen/PAGE-0001?melding=geregistreerd"
    overview = client.get("/aanvragen/PAGE-0001?melding=geregistreerd")
    assert overview.status_code == 200
    assert "De aanvraag is geregistreerd." in overview.text and "Beslistermijn" in overview.text
    assert 'href="/aanvragen/PAGE-0001/vragenformulier"' in overview.text
    assert "Reguliere toets gestart" in overview.text  # a step allowed now, as a form
    worklist = client.get("/aanvragen").text
    assert 'href="/aanvragen/PAGE-0001"' in worklist


def _version(database_url: str, identifier: str) -> tuple[int, str]:
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(applications.c.version, applications.c.state).where(applications.c.id == identifier)
        ).one()
    engine.dispose()
    return int(row.version), str(row.state)


def _step(client: Client, csrf: str, identifier: str, version: int, **fields: str) -> Any:
    form = {"_csrf": csrf, "versie": str(version), "type": "regularReviewStarted", "on": "02-10-2026"} | fields
    return client.post(f"/aanvragen/{identifier}/stappen", data=form, follow_redirects=False)


def test_the_permit_officers_start_page_links_the_worklist(client: Client, officer: str) -> None:
    assert '<a class="utrecht-link" href="/aanvragen">Aanvragen</a>' in client.get("/").text


def test_an_allowed_step_is_recorded_through_the_use_case_and_said_so(
    client: Client, officer: str, database_url: str
) -> None:
    assert _register(client, officer, kenmerk="PAGE-STEP").status_code == 303
    response = _step(client, officer, "PAGE-STEP", 1)
    assert (
        response.status_code == 303
        and response.headers["location"] == "/aanvragen/PAGE-STEP?melding=regularReviewStarted"
    )
    assert _version(database_url, "PAGE-STEP") == (2, "regularReview")
    assert "De stap ‘reguliere toets gestart’ is vastgelegd." in client.get(response.headers["location"]).text


def test_a_step_at_a_stale_version_says_someone_else_changed_it_and_changes_nothing(
    client: Client, officer: str, database_url: str
) -> None:
    _register(client, officer, kenmerk="PAGE-STALE")
    _step(client, officer, "PAGE-STALE", 1)
    response = _step(client, officer, "PAGE-STALE", 1, type="repairRequested", termEnd="20-10-2026")
    assert response.status_code == 409
    assert "Iemand anders heeft deze aanvraag intussen gewijzigd" in response.text
    assert _version(database_url, "PAGE-STALE") == (2, "regularReview")


def test_a_step_with_an_unreadable_date_is_named_at_its_field_and_changes_nothing(
    client: Client, officer: str, database_url: str
) -> None:
    _register(client, officer, kenmerk="PAGE-DATE")
    response = _step(client, officer, "PAGE-DATE", 1, type="repairRequested", on="morgen", termEnd="32-13-2026")
    assert response.status_code == 400
    assert 'href="#repairRequested-on"' in response.text and 'href="#repairRequested-termEnd"' in response.text
    assert 'id="repairRequested-termEnd-fout"' in response.text
    assert _version(database_url, "PAGE-DATE") == (1, "received")


def test_an_overlong_motivation_is_named_not_cut(client: Client, officer: str, database_url: str) -> None:
    _register(client, officer, kenmerk="PAGE-LONG")
    refused = _step(client, officer, "PAGE-LONG", 1, type="notProcessedDecided", decidedBy="b" * 2001)
    assert refused.status_code == 400 and 'href="#notProcessedDecided-decidedBy"' in refused.text
    assert "hoogstens 2000 tekens" in refused.text
    assert _version(database_url, "PAGE-LONG") == (1, "received")


def test_a_step_whose_precondition_is_unmet_is_refused_with_the_dutch_reason(
    client: Client, officer: str, database_url: str
) -> None:
    _register(client, officer, kenmerk="PAGE-EARLY")
    response = _step(client, officer, "PAGE-EARLY", 1, on="01-01-2026")  # before the application was received
    assert response.status_code == 409
    assert "Deze stap is nu niet mogelijk" in response.text and "ligt vóór de ontvangst" in response.text
    assert _version(database_url, "PAGE-EARLY") == (1, "received")


def test_steps_not_allowed_now_are_listed_with_their_reasons_before_any_click(client: Client, officer: str) -> None:
    _register(client, officer, kenmerk="PAGE-REASONS")
    page = client.get("/aanvragen/PAGE-REASONS").text
    assert "Andere stappen, en waarom ze in deze stand niet kunnen" in page
    assert "<strong>Vragenformulier uitgezet</strong>: &#39;vragenformulier uitgezet&#39; kan alleen volgen op" in page
    assert 'name="versie" value="1"' in page  # every step form carries the version it was shown at


def test_a_post_without_the_form_token_changes_nothing(client: Client, officer: str, database_url: str) -> None:
    _register(client, officer, kenmerk="PAGE-CSRF")
    response = client.post("/aanvragen/PAGE-CSRF/stappen", data={"versie": "1", "type": "regularReviewStarted",
                                                               "on": "02-10-2026"})  # fmt: skip
    assert response.status_code == 403
    assert _version(database_url, "PAGE-CSRF") == (1, "received")


def test_another_officers_application_is_not_found_and_not_listed(client: Client, database_url: str) -> None:
    _register(client, _as(client, "vv-1"), kenmerk="PAGE-MINE")
    csrf = _as(client, "vv-2")
    response = client.get("/aanvragen/PAGE-MINE")
    assert response.status_code == 404 and "niet gevonden" in response.text
    assert "PAGE-MINE" not in client.get("/aanvragen").text
    assert _step(client, csrf, "PAGE-MINE", 1).status_code == 404
    _as(client, "adviseur-1")
    assert client.get("/aanvragen/PAGE-MINE").status_code == 404
    assert _version(database_url, "PAGE-MINE") == (1, "received")


def test_search_is_posted_and_finds_by_name(client: Client, officer: str, database_url: str) -> None:
    _register(client, officer, kenmerk="PAGE-LEEUW")
    engine = create_engine_for(database_url)
    with engine.begin() as conn:  # the applicant answers the questionnaire (as the questionnaire page would store)
        conn.execute(applications.update().where(applications.c.id == "PAGE-LEEUW").values(answers=SOLE_TRADER))
    engine.dispose()
    response = client.post("/aanvragen/zoeken", data={"_csrf": officer, "zoek": "gouden leeuw"})
    assert response.status_code == 200
    assert 'href="/aanvragen/PAGE-LEEUW"' in response.text and "Johanna Maria Verbeek" in response.text
    assert "gevonden bij ‘gouden leeuw’" in response.text
    assert "PAGE-0001" not in response.text  # not answered: no name to match


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("GET", "/aanvragen?stand=nergens", None),
        ("GET", "/aanvragen?soort=kapsalon", None),
        ("GET", "/aanvragen?sorteer=kleur", None),
        ("GET", "/aanvragen?pagina=0", None),
        ("POST", "/aanvragen/zoeken", {"zoek": "x" * 201}),
    ],
)
def test_bad_list_input_gets_a_dutch_error_page(
    client: Client, officer: str, method: str, url: str, data: dict[str, str] | None
) -> None:
    response = client.request(method, url, data=(data or {}) | {"_csrf": officer} if method == "POST" else None)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html") and 'lang="nl"' in response.text


def test_registering_a_taken_kenmerk_says_so_and_the_attempt_is_audited(
    client: Client, officer: str, database_url: str
) -> None:
    assert _register(client, officer, kenmerk="PAGE-TAKEN").status_code == 303
    again = _register(client, officer, kenmerk="PAGE-TAKEN")
    assert again.status_code == 400 and "Er bestaat al een aanvraag met dit kenmerk." in again.text
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        query = sa.select(audit_log.c.user).where(
            audit_log.c.action == "application.createRefused", audit_log.c.object_id == "PAGE-TAKEN"
        )
        assert list(conn.execute(query).scalars()) == ["vv-1"]
    engine.dispose()
