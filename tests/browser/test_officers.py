"""The privacy officer's and the functional admin's desks in a real browser: the filtered audit log, its export
holding exactly the rows shown, the chain check; accounts and API tokens. axe-core on every page visited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from service.auth import Principal, Role
from service.integrations import Integrations
from service.store.engine import create_engine_for
from service.usecases import Session
from service.usecases.cases import open_case, record_case_event
from service.usecases.signals import take_in
from service.views.signals import intake
from tests.browser.test_pages import accessible, focus, shot, sign_in_with_keyboard, tab_to
from tests.service.api.flow import police_signal, resident_signal
from tests.service.usecases.test_meeting import TO_MEETING

DOCS = Path(__file__).parents[2] / "docs" / "screenshots"
HIDDEN = "/meldingen/00000000-0000-4000-8000-0000000000aa"


def _sign_out(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Afmelden").click()


def test_the_privacy_officer_filters_the_log_exports_what_is_shown_and_checks_the_chain(page: Any) -> None:
    page.goto("/")
    sign_in_with_keyboard(page, "permitOfficer-1")
    for _ in range(2):
        assert page.goto(HIDDEN).status == 404  # two refused accesses for the log
    page.goto("/")
    _sign_out(page)

    sign_in_with_keyboard(page, "privacyOfficer-1")
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Auditlogboek")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title() == "Auditlogboek — Bibob-screening"
    accessible(page, "auditlogboek")

    page.select_option("#rol", "permitOfficer")
    tab_to(page, lambda f: f["id"] == "geweigerd")
    page.keyboard.press("Space")
    assert page.is_checked("#geweigerd")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Zoeken")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    rows = page.locator(".bibob-audit tbody tr")
    shown = [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]
    assert len(shown) >= 2
    assert all("access.denied" in rows.nth(i).inner_text() for i in range(rows.count()))
    accessible(page, "auditlogboek: geweigerde toegang")
    page.screenshot(path=str(DOCS / "privacy-auditlog.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (spreadsheet)").click()
    exported = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert [row["seq"] for row in exported] == shown
    assert {row["action"] for row in exported} == {"access.denied"}
    with page.expect_download() as download:
        page.get_by_role("link", name="NEN 7513 (JSON Lines, voor een SIEM)").click()
    records = [json.loads(line) for line in Path(download.value.path()).read_text(encoding="utf-8").splitlines()]
    assert [str(record["seq"]) for record in records] == shown
    assert {record["what"]["event"] for record in records} == {"denied"}

    with page.expect_navigation():
        page.get_by_role("button", name="Keten controleren").click()
    assert "De keten is intact" in page.locator(".bibob-check").inner_text()
    accessible(page, "auditlogboek: keten gecontroleerd")

    page.goto("/auditlogboek?van=31-02-2026&rol=koning")
    assert page.title().startswith("Fout: Auditlogboek")
    page.locator('.bibob-error-summary a[href="#van"]').click()  # a link within the page: the focus moves
    assert focus(page)["id"] == "van"
    accessible(page, "auditlogboek met een fout")


def test_the_admin_adds_an_account_sees_its_password_once_and_makes_and_revokes_a_token(page: Any) -> None:
    page.goto("/")
    sign_in_with_keyboard(page, "functionalAdmin-1")
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Beheer")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title() == "Beheer — Bibob-screening"
    accessible(page, "beheer")

    page.fill("#naam", "met spatie")
    with page.expect_navigation():
        page.get_by_role("button", name="Gebruiker toevoegen").click()
    assert page.title().startswith("Fout: Beheer") and page.locator("#naam-fout").is_visible()
    assert page.locator("#rol-fout").is_visible()
    accessible(page, "beheer met een fout")

    page.fill("#naam", "adviseur-nieuw")
    page.select_option("#rol", "safetyAdvisor")
    with page.expect_navigation():
        page.get_by_role("button", name="Gebruiker toevoegen").click()
    secret = page.locator(".bibob-secret__value").inner_text()
    assert len(secret) >= 16 and "adviseur-nieuw" in page.locator("tbody").first.inner_text()
    accessible(page, "beheer: account toegevoegd")
    page.screenshot(path=str(DOCS / "beheer.png"), full_page=True)

    page.fill("#token-gebruiker", "koppeling-zaaksysteem")
    page.select_option("#token-rol", "permitOfficer")
    with page.expect_navigation():
        page.get_by_role("button", name="API-token aanmaken").click()
    assert page.locator(".bibob-secret__value").inner_text().startswith("bibob_")
    with page.expect_navigation():
        page.get_by_role("button", name="Intrekken token").first.click()
    assert "ingetrokken" in page.locator("[role=status]").inner_text()
    accessible(page, "beheer: token ingetrokken")

    with page.expect_navigation():
        page.get_by_role("link", name="adviseur-nieuw").click()
    accessible(page, "beheer: account")
    with page.expect_navigation():
        page.get_by_role("button", name="Account uitschakelen").click()
    assert "uitgeschakeld" in page.locator("[role=status]").inner_text()

    assert page.goto(HIDDEN).status == 404  # no dossier content for the admin
    assert page.goto("/auditlogboek").status == 404


def _seed_meeting(database_url: str) -> None:
    """A case with a meeting held yesterday, an older signal before it and a new one after, straight through the
    use cases (the pages to make them are tested elsewhere)."""
    advisor = Principal("safetyAdvisor-1", Role.SAFETY_ADVISOR)
    now = dt.datetime.now(dt.UTC)
    yesterday, earlier = now - dt.timedelta(days=1), now - dt.timedelta(days=3)
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        before = Session(conn, advisor, "", earlier)
        take_in(before, intake(police_signal() | {"received": earlier.isoformat()}, earlier))
        stored = open_case(before, {"title": "Pand", "partners": ["police"], "theme": "drugs"})
        meeting = Session(conn, advisor, "", yesterday)
        for version, event in enumerate(TO_MEETING, start=1):
            stored = record_case_event(meeting, Integrations(), stored.id, version, event)
        take_in(Session(conn, advisor, "", now), intake(resident_signal() | {"received": now.isoformat()}, now))
    engine.dispose()


def test_the_advisor_prints_the_meeting_paper(page: Any, service_database: str) -> None:
    _seed_meeting(service_database)
    page.goto("/")
    sign_in_with_keyboard(page, "safetyAdvisor-1")
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Ondermijningsoverleg")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title() == "Ondermijningsoverleg — Bibob-screening"
    assert page.locator("#nieuw + ol li").count() >= 1
    assert page.locator("#wegen + ol li").count() >= 1
    accessible(page, "ondermijningsoverleg")
    page.screenshot(path=str(DOCS / "overleg.png"), full_page=True)

    page.emulate_media(media="print")
    assert not page.locator(".bibob-nav").is_visible() and not page.locator("form.bibob-filters").is_visible()
    assert page.locator(".bibob-print-only").is_visible()
    page.emulate_media(media="screen")

    page.fill("#datum", "31-02-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Agenda tonen").click()
    assert page.title().startswith("Fout: Ondermijningsoverleg") and page.locator("#datum-fout").is_visible()
    accessible(page, "ondermijningsoverleg met een fout")


def test_the_bell_tells_the_advisor_of_a_partners_signal_and_clears_when_read(page: Any, service_database: str) -> None:
    partner = Principal("signalIntakePartner-1", Role.SIGNAL_INTAKE_PARTNER)
    now = dt.datetime.now(dt.UTC)
    engine = create_engine_for(service_database)
    with engine.begin() as conn:
        stored = take_in(Session(conn, partner, "", now), intake(police_signal() | {"received": now.isoformat()}, now))
    engine.dispose()
    page.goto("/")
    sign_in_with_keyboard(page, "safetyAdvisor-1")
    count = int(page.locator(".bibob-bell__count").inner_text().split()[0])
    assert count >= 1
    tab_to(page, lambda f: f["tag"] == "a" and f["text"].startswith("Notificaties"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title() == "Notificaties — Bibob-screening"
    assert f"Nieuwe melding {stored.id}" in page.locator(".bibob-notifications").inner_text()
    accessible(page, "notificaties")
    shot(page, "notificaties")
    with page.expect_navigation():
        page.get_by_role("button", name="Alles als gelezen markeren").click()
    assert page.locator(".bibob-bell__count").count() == 0
    assert "Alle notificaties zijn gelezen" in page.locator("[role=status]").inner_text()
    accessible(page, "notificaties gelezen")
