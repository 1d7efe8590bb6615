"""The undermining desk in a real browser (issue 13): the seed process walked through the pages only — a resident's
signal taken by phone, weighed, a case with the police as partner, an information request and its answer, a meeting,
a plan of action and the mayor's driehoek approval — while a Bibob refusal for the case's company arrives as
evidence, as a node of the network picture and as a notification on the advisor's bell; a permit officer and an
intake partner get not-found. And the demo café case's network picture (at least 30 nodes) checked against its
endpoint. axe-core on every page visited.

The application behind the refusal is prepared through the use cases up to the coordinator's proposal (as
tests/browser/test_decide.py walks those pages itself); the refusal is then signed on the mayor's decision page,
the only page where a permit decision is recorded (the mayor decides on permits, `service.store.access` (4)).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bibob.policy import load_policy
from bibob.questionnaires import load_catalogue
from service.auth import Principal, Role
from service.demo import load_demo
from service.settings import Settings
from service.store import accounts, tokens
from service.store.engine import create_engine_for
from service.store.migrate import migrate
from service.usecases.applications import read_application, record_event, register_application, store_answers
from service.usecases.investigations import add_fact, record_proportionality, write_proposal
from service.usecases.session import Session
from service.views.application_requests import new_application
from tests.browser.conftest import PASSWORD, _free_port, _wait_until_ready
from tests.browser.test_decide import RECORD, SCENARIO, TO_CONCLUDED, TO_EXPIRED, sign_in_as
from tests.browser.test_pages import accessible, shot
from tests.conftest import ROOT

DOCS = ROOT / "docs" / "screenshots"
APPLICATION = "LEU-B-CASE1"
DECISION_NODE = f"decision:besluit-{APPLICATION}-refusedBibob"
OFFICER = Principal("permitOfficer-1", Role.PERMIT_OFFICER)
COORDINATOR = Principal("bibobCoordinator-1", Role.BIBOB_COORDINATOR)
PROPOSAL = {
    "outcome": "refusedBibob",
    "grounds": ["aBenefit"],
    "levels": {"aBenefit": "serious", "bOffences": "serious"},
    "conditions": [],
    "motivation": "Ernstig gevaar van witwassen via de exploitatie.",
    "theme": "hospitality",
}
DEMO_ADVISOR = "demo-adviseur-veiligheid"


def _run(database_url: str, principal: Principal, steps: Any) -> Any:
    engine = create_engine_for(database_url)
    try:
        with engine.begin() as conn:
            return steps(Session(conn, principal, "browsertest", dt.datetime.now(dt.UTC)))
    finally:
        engine.dispose()


def _refusal_ready_for_the_mayor(database_url: str) -> None:
    """The s05 horeca application of Eetcafé Het Hoekje B.V. up to the coordinator's refusal proposal, with the
    zienswijze term expired: what the mayor's decision page needs before it lets the refusal be signed."""
    settings = Settings(database_url=database_url)
    catalogue = load_catalogue(settings.questionnaires_dir, settings.selections_dir)
    body = {"id": APPLICATION, "permitType": "exploitatieHoreca", "legalAct": "vergunning", "received": "2026-10-01"}
    application, questionnaire = new_application(body, catalogue, load_policy())

    def officer(session: Session) -> None:
        register_application(session, application, questionnaire)
        version = store_answers(session, catalogue, APPLICATION, 1, SCENARIO["answers"]).application.version
        for event in TO_CONCLUDED:
            version = record_event(session, catalogue, APPLICATION, version, event).version

    def coordinator(session: Session) -> None:
        add_fact(session, catalogue, APPLICATION, {k: v for k, v in SCENARIO["facts"][1].items() if k != "id"})
        record_proportionality(session, APPLICATION, {key.removeprefix("ev-"): value for key, value in RECORD.items()})
        write_proposal(session, APPLICATION, PROPOSAL)

    def expired(session: Session) -> None:
        version = read_application(session, APPLICATION).version
        for event in TO_EXPIRED:
            version = record_event(session, catalogue, APPLICATION, version, event).version

    _run(database_url, OFFICER, officer)
    _run(database_url, COORDINATOR, coordinator)
    _run(database_url, OFFICER, expired)


def _token(database_url: str, user: str, role: Role) -> str:
    engine = create_engine_for(database_url)
    try:
        with engine.begin() as conn:
            return tokens.create_token(conn, user, role)
    finally:
        engine.dispose()


def _endpoint(base: str, token: str, case_id: str) -> dict[str, Any]:
    response = httpx.get(f"{base}/api/v1/cases/{case_id}/network", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _drawn(page: Any) -> dict[str, Any]:
    """What Cytoscape drew: node and edge ids, once the picture is there."""
    page.wait_for_function("() => window.bibobNetwork && window.bibobNetwork.nodes().length > 0")
    drawn: dict[str, Any] = page.evaluate(
        "() => ({nodes: window.bibobNetwork.nodes().map(n => n.id()),"
        " edges: window.bibobNetwork.edges().map(e => e.id())})"
    )
    return drawn


def _bell(page: Any) -> int:
    """The number on the bell in the header (no number: nothing unread)."""
    count = page.locator("header .bibob-bell__count")
    return int(count.inner_text().split()[0]) if count.count() else 0


def _step(page: Any, step: str, **fields: str) -> None:
    form = page.locator(f"#stap-{step}-formulier")
    for name, value in fields.items():
        field = form.locator(f"#{step}-{name}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    with page.expect_navigation():
        form.get_by_role("button").click()
    assert "is vastgelegd" in page.locator("[role=status]").inner_text(), step


def test_the_seed_process_runs_through_the_pages_and_a_refusal_arrives_as_evidence_and_in_the_picture(
    page: Any, service: str, service_database: str
) -> None:
    # a resident calls the advisor, who takes the signal by phone
    sign_in_as(page, "safetyAdvisor-1")
    page.goto("/meldingen/nieuw")
    page.select_option("#bron", "resident")
    page.select_option("#thema", "hospitality")
    page.fill("#tekst", "Eetcafé is 's nachts open, veel contant geld, bezoekers met dure auto's.")
    page.fill("#achternaam", "Bakker")
    page.fill("#voornamen", "Pieter Jan")
    page.fill("#geboortedatum", "02-09-1975")
    for field, value in (("#straat", "Hamersveldseweg"), ("#huisnummer", "12"), ("#postcode", "3833 GP"),
                         ("#plaats", "Leusden")):  # fmt: skip
        page.fill(field, value)
    with page.expect_navigation():
        page.get_by_role("button", name="Melding registreren").click()
    signal_id = page.url.split("/meldingen/")[1].split("?")[0]

    # weighed as undermining, a municipal task, a source consulted: then the case
    page.fill("#undermining-reason", "Past in het patroon van witwassen via horeca.")
    with page.expect_navigation():
        page.locator("#stap-undermining-formulier button").click()
    page.fill("#municipalTask-reason", "Vergunningplichtige horeca: de gemeente is aan zet.")
    with page.expect_navigation():
        page.locator("#stap-municipalTask-formulier button").click()
    page.fill("#furtherAnalysis-reason", "Eerst de bronnen raadplegen.")
    with page.expect_navigation():
        page.locator("#stap-furtherAnalysis-formulier button").click()
    page.fill("#sourceChecked-source", "BRP")
    page.check("#sourceChecked-hit-ja")
    page.fill("#sourceChecked-approvedBy", "privacyfunctionaris")
    with page.expect_navigation():
        page.locator("#stap-sourceChecked-formulier button").click()
    accessible(page, "melding klaar voor een casus")
    with page.expect_navigation():
        page.get_by_role("link", name="Casus aanmaken").click()
    accessible(page, "casus aanmaken")
    page.fill("#titel", "Eetcafé Hamersveldseweg 12")
    page.check("#partners-police")
    page.fill("#leden", "mayor-1, bibobCoordinator-1")
    page.fill("#reden", "De bronnen bevestigen het beeld; casusoverleg met de politie.")
    with page.expect_navigation():
        page.get_by_role("button", name="Casus aanmaken").click()
    case_url = page.url.split("?")[0]
    case_id = case_url.rsplit("/", 1)[1]
    assert "De casus is aangemaakt" in page.locator("[role=status]").inner_text()
    assert "Pieter Jan Bakker" in page.inner_text("section[aria-labelledby=betrokkenen]")
    accessible(page, "casus aangemaakt")

    # the company joins the case; the information picture with the police
    _step(page, "subjectsAdded", name="Eetcafé Het Hoekje B.V.", kvkNumber="23456789", street="Hamersveldseweg",
          houseNumber="12", postcode="3833 GP", city="Leusden")  # fmt: skip
    _step(page, "investigationStarted")
    _step(page, "informationRequested", requestId="IV-1", partner="police", question="Zijn bestuurder en pand bekend?")
    _step(page, "informationAnswered", requestId="IV-1", answerSummary="Bestuurder bekend; pand bekend van overlast.")
    accessible(page, "casus met beantwoord informatieverzoek")
    unread_before = _bell(page)

    # meanwhile the refusal of the company's permit on Bibob grounds is signed on the decision page
    _refusal_ready_for_the_mayor(service_database)
    sign_in_as(page, "mayor-1")
    page.goto(f"/besluiten/{APPLICATION}")
    with page.expect_navigation():
        page.get_by_role("button", name="Besluit ondertekenen").click()
    assert "geweigerd" in page.inner_text("[role=status]").lower()

    # who has no need-to-know does not find the case
    for user in ("permitOfficer-1", "signalIntakePartner-1"):
        sign_in_as(page, user)
        response = page.goto(case_url)
        assert response is not None and response.status == 404, user
        assert "Eetcafé Hamersveldseweg" not in page.content()
        accessible(page, f"casus niet gevonden ({user})")

    # the advisor's bell rings: the notifications list the new evidence, unread, with a link to the case
    sign_in_as(page, "safetyAdvisor-1")
    assert _bell(page) > unread_before
    with page.expect_navigation():
        page.locator("header a.bibob-bell").click()
    told = page.locator("li.bibob-notification").filter(has_text=f"Nieuw bewijs in casus {case_id}")
    assert told.count() == 1 and "ongelezen" in told.inner_text()
    assert "Eetcafé" not in told.inner_text()  # ids and labels only
    accessible(page, "notificaties met nieuw bewijs")
    with page.expect_navigation():
        told.get_by_role("link", name="Openen").click()
    assert page.url.split("?")[0] == case_url

    # the advisor finds the refusal as evidence, with why it was linked, and confirms it
    evidence = page.locator("section[aria-labelledby=bewijs] article").filter(has_text=APPLICATION)
    text = evidence.inner_text()
    assert "Besluit op een vergunning" in text and "geweigerd op grond van de Wet Bibob" in text
    assert "Waarom gekoppeld" in text and "betrokkene (zeker): KvK-nummer gelijk" in text and "bestuurder" in text
    accessible(page, "casus met een binnengekomen besluit")
    with page.expect_navigation():
        evidence.get_by_role("button", name="Bevestigen").click()
    assert "bevestigd" in page.locator("[role=status]").inner_text()
    assert (
        "Bevestigd" in page.locator("section[aria-labelledby=bewijs] article").filter(has_text=APPLICATION).inner_text()
    )

    # and as a node of the network picture, the same as the endpoint gives
    page.goto(f"{case_url}/netwerk")
    drawn = _drawn(page)
    network = _endpoint(service, _token(service_database, "safetyAdvisor-1", Role.SAFETY_ADVISOR), case_id)
    assert sorted(drawn["nodes"]) == sorted(node["id"] for node in network["nodes"])
    assert sorted(drawn["edges"]) == sorted(edge["id"] for edge in network["edges"])
    assert DECISION_NODE in drawn["nodes"]
    rows = page.locator("#verbindingen tbody tr")
    assert sorted(rows.evaluate_all("rows => rows.map(r => r.dataset.edge)")) == sorted(drawn["edges"])
    assert "Besluit op aanvraag LEU-B-CASE1" in page.inner_text("#verbindingen")
    assert "Heiligenbergerbeek" not in page.content()  # art. 28: the advisor sees what the decision carries, no more
    accessible(page, "netwerkbeeld van de casus")

    # the Bibob coordinator, a member who may read the application, sees its other subjects by their role
    sign_in_as(page, "bibobCoordinator-1")
    page.goto(f"{case_url}/netwerk")
    _drawn(page)
    lessor = page.locator("#verbindingen tr").filter(has_text="Vastgoed Heiligenbergerbeek B.V.").inner_text()
    assert "verhuurder" in lessor and "Hamersveldseweg 12, Leusden" in lessor and "aanvraag" in lessor
    tenant = page.locator("#verbindingen tr").filter(has_text="huurder").filter(has_text="Eetcafé Het Hoekje B.V.")
    assert tenant.count() == 1
    accessible(page, "netwerkbeeld (Bibob-coördinator)")
    sign_in_as(page, "safetyAdvisor-1")

    # the meeting, the plan of action, the driehoek
    page.goto(case_url)
    _step(page, "meetingScheduled", agenda="Informatiebeeld eetcafé")
    _step(page, "meetingHeld", decisions="Plan van aanpak opstellen met de politie")
    _step(page, "planDrafted", goals="Witwassen via het eetcafé stoppen", partner="police", kind="criminal",
          description="Financieel onderzoek", owner="wijkagent", due="31-01-2027")  # fmt: skip
    _step(page, "triangleAlignmentRequested")
    assert page.locator("#stap-triangleApproved-formulier").count() == 0  # the approval is the mayor's own act
    accessible(page, "casus voorgelegd aan de driehoek")

    # the mayor, a member of the case, approves in the driehoek and still sees the case afterwards
    sign_in_as(page, "mayor-1")
    page.goto("/casussen")
    with page.expect_navigation():
        page.get_by_role("link", name=case_id).click()
    accessible(page, "casus (burgemeester)")
    _step(page, "triangleApproved", notes="Akkoord in de driehoek van 3 december.")
    assert "Goedgekeurd door burgemeester mayor-1" in page.inner_text("#goedkeuring")
    assert page.goto(case_url).status == 200
    assert case_id in page.inner_text("main")

    # the advisor's case page as the README shows it
    sign_in_as(page, "safetyAdvisor-1")
    page.goto(case_url)
    assert "Uitvoering en monitoring" in page.inner_text("dl.bibob-facts")
    accessible(page, "casus in uitvoering")
    DOCS.mkdir(parents=True, exist_ok=True)
    until = page.evaluate("document.getElementById('stappen').getBoundingClientRect().top + window.scrollY")
    page.screenshot(path=str(DOCS / "casus.png"), full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": until})
    shot(page, "advisor-03-casus")
    page.goto("/casussen")
    assert f"/casussen/{case_id}" in page.content()
    accessible(page, "casussen")
    page.goto(f"/meldingen/{signal_id}")
    assert case_id in page.inner_text(
        "section[aria-labelledby=geschiedenis]"
    )  # the signal's weighing names the case it became
    accessible(page, "melding die een casus werd")


@pytest.fixture(scope="module")
def demo_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, the demo advisor's API token): the service on a database holding the demo municipality, with an
    account for the demo advisor who leads the café case."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'bibob.sqlite3'}"
    migrate(url)
    engine = create_engine_for(url)
    result = load_demo(engine)
    with engine.begin() as conn:
        accounts.create_user(conn, DEMO_ADVISOR, Role.SAFETY_ADVISOR, PASSWORD)
    engine.dispose()
    token = next(token for principal, token in result.tokens if principal.user == DEMO_ADVISOR)
    port = _free_port()
    env = {**os.environ, "BIBOB_DATABASE_URL": url, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    command = [sys.executable, "-m", "uvicorn", "--factory", "service.app:create_app", "--port", str(port)]
    process = subprocess.Popen([*command, "--host", "127.0.0.1", "--log-level", "warning"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(base, process)
        yield base, token
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_demo_cafe_case_draws_at_least_thirty_nodes_as_the_endpoint_gives_them_with_filters_and_exports(
    browser: Any, demo_service: tuple[str, str], tmp_path: Path
) -> None:
    base, token = demo_service
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 1000}, locale="nl-NL",
                                  accept_downloads=True)  # fmt: skip
    context.add_init_script(path=str(ROOT / "tests" / "browser" / "vendor" / "axe.min.js"))
    page = context.new_page()
    errors: list[str] = []
    failed_load = "Failed to load resource"  # a page's own status; the responses below say the rest
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and failed_load not in m.text else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        sign_in_as(page, DEMO_ADVISOR)
        page.goto("/casussen/LEU-C-01/netwerk")
        drawn = _drawn(page)
        network = _endpoint(base, token, "LEU-C-01")
        assert len(network["nodes"]) >= 30
        assert sorted(drawn["nodes"]) == sorted(node["id"] for node in network["nodes"])
        assert sorted(drawn["edges"]) == sorted(edge["id"] for edge in network["edges"])
        table = page.locator("#verbindingen tbody tr").evaluate_all("rows => rows.map(r => r.dataset.edge)")
        assert sorted(table) == sorted(drawn["edges"])
        kinds = {node["kind"] for node in network["nodes"]}
        assert kinds == {"person", "organisation", "address", "vehicle", "permit", "decision"}
        accessible(page, "netwerkbeeld demo-casus")
        page.set_viewport_size({"width": 1280, "height": 1500})  # the picture whole, below the explanation
        page.screenshot(path=str(DOCS / "netwerk.png"))
        shot(page, "advisor-04-netwerk", full_page=False)

        # pointing at a node says where it comes from
        van = next(node for node in network["nodes"] if node["kind"] == "vehicle")
        page.evaluate("id => window.bibobNetwork.getElementById(id).emit('mouseover')", van["id"])
        assert "herkomst: " + ", ".join(van["originLabels"]) in page.inner_text("#netwerk-info")

        # a filter by kind hides those nodes
        page.uncheck("#soort-vehicle")
        shown = page.evaluate("() => window.bibobNetwork.nodes(':visible').map(n => n.data('kind'))")
        assert "vehicle" not in shown and len(shown) == len(network["nodes"]) - sum(
            1 for node in network["nodes"] if node["kind"] == "vehicle"
        )
        page.check("#soort-vehicle")

        # export as SVG (our own serialisation) and PNG (Cytoscape's)
        with page.expect_download() as svg_download:
            page.click("#bewaar-svg")
        svg = Path(svg_download.value.path()).read_text("utf-8")
        assert svg.startswith("<svg") and svg.count('<g class="node">') == len(network["nodes"])
        assert svg.count('<g class="edge">') == len(network["edges"])
        with page.expect_download() as png_download:
            page.click("#bewaar-png")
        assert Path(png_download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        print(f"network picture of LEU-C-01: {len(network['nodes'])} nodes, {len(network['edges'])} edges")
    finally:
        context.close()
    assert errors == [], errors


def test_the_network_page_reads_without_scripts(browser: Any, demo_service: tuple[str, str]) -> None:
    base, token = demo_service
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/aanmelden")
        page.fill("#gebruikersnaam", DEMO_ADVISOR)
        page.fill("#wachtwoord", PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Aanmelden").click()
        page.goto("/casussen/LEU-C-01/netwerk")
        assert not page.is_visible("#netwerk-beeld")  # the drawing needs scripts; the tables do not
        network = _endpoint(base, token, "LEU-C-01")
        rows = page.locator("#verbindingen tbody tr")
        assert rows.count() == len(network["edges"])
        assert page.locator("#knopen tbody tr").count() == len(network["nodes"])
    finally:
        context.close()
