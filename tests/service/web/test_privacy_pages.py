"""The privacy officer's pages through the test client: the filtered audit log, its export and the chain check."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest
import sqlalchemy as sa

from service.auth import Role
from service.store import accounts
from service.store.engine import create_engine_for
from service.store.tables import audit_log
from tests.service.web.conftest import PASSWORD, Client, form_token, sign_in


@pytest.fixture(scope="module", autouse=True)
def privacy_account(database_url: str) -> None:
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        accounts.create_user(conn, "privacy-1", Role.PRIVACY_OFFICER, PASSWORD)
    engine.dispose()


@pytest.fixture
def privacy(client: Client) -> str:
    """Signed in as the privacy officer after a permit officer tried two signals they may not see."""
    sign_in(client, "vv-1")
    for _ in range(2):
        assert client.get("/meldingen/00000000-0000-4000-8000-00000000beef").status_code == 404
    client.cookies.clear()
    sign_in(client, "privacy-1")
    return form_token(client.get("/").text)


def _rows(page: str) -> list[list[str]]:
    body = page.split("<tbody", 1)[1].split("</tbody>")[0]
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def _exports(page: str) -> dict[str, str]:
    links = re.findall(r'href="(/auditlogboek/export\?formaat=(csv|jsonl|nen7513)[^"]*)"', page)
    return {kind: html.unescape(url) for url, kind in links}


def test_the_filtered_log_shows_refused_access_and_its_export_holds_exactly_those_rows(
    client: Client, privacy: str
) -> None:
    page = client.get("/auditlogboek?geweigerd=ja&gebruiker=vv-1&rol=permitOfficer")
    assert page.status_code == 200
    rows = _rows(page.text)
    assert len(rows) >= 2 and all("access.denied" in row[4] and row[2] == "vv-1" for row in rows)
    assert all(row[5] == "Melding00000000-0000-4000-8000-00000000beef" for row in rows)
    exports = _exports(page.text)
    assert set(exports) == {"csv", "jsonl", "nen7513"} and all("stand=" in url for url in exports.values())
    response = client.get(exports["csv"])
    assert response.status_code == 200, response.text
    exported = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["seq"] for row in exported] == [row[0] for row in rows]
    assert {row["action"] for row in exported} == {"access.denied"} and {row["user"] for row in exported} == {"vv-1"}
    lines = [json.loads(line) for line in client.get(exports["jsonl"]).text.splitlines()]
    assert [str(line["seq"]) for line in lines] == [row[0] for row in rows]
    records = [json.loads(line) for line in client.get(exports["nen7513"]).text.splitlines()]
    assert [str(record["seq"]) for record in records] == [row[0] for row in rows]
    assert {record["what"]["event"] for record in records} == {"denied"}


def test_reading_and_exporting_on_the_pages_are_audited(client: Client, privacy: str, database_url: str) -> None:
    page = client.get("/auditlogboek?soort=signal")
    client.get(_exports(page.text)["csv"])
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        query = sa.select(audit_log.c.action).where(audit_log.c.user == "privacy-1").order_by(audit_log.c.seq)
        actions = list(conn.execute(query).scalars())
    engine.dispose()
    assert actions[-2:] == ["auditLog.read", "auditLog.export"]


def test_bad_filters_are_named_at_their_fields_and_show_no_rows(client: Client, privacy: str) -> None:
    page = client.get("/auditlogboek?rol=hacker&van=31-02-2026&tot=01-01-2026&stand=abc&actie=a%20b")
    assert page.status_code == 400
    for field in ("rol", "van", "actie", "stand"):
        assert f'href="#{field}"' in page.text, field
    assert 'id="van-fout"' in page.text and "<tbody" not in page.text
    reversed_period = client.get("/auditlogboek?van=02-03-2026&tot=01-03-2026")
    assert reversed_period.status_code == 400 and 'id="tot-fout"' in reversed_period.text
    assert client.get("/auditlogboek/export?formaat=xml").status_code == 400
    assert client.get("/auditlogboek/export?formaat=csv&rol=hacker").status_code == 400
    assert client.get("/auditlogboek?pagina=0").status_code == 400


def test_the_chain_check_shows_its_result(client: Client, privacy: str) -> None:
    response = client.post("/auditlogboek/controle", data={"_csrf": privacy})
    assert response.status_code == 200
    assert "De keten is intact" in response.text and "regels nagerekend" in response.text
    assert client.post("/auditlogboek/controle", data={"_csrf": "vals"}).status_code == 403


@pytest.mark.parametrize("name", ["vv-1", "adviseur-1"])
def test_other_roles_get_not_found_for_the_audit_pages(client: Client, name: str) -> None:
    sign_in(client, name)
    csrf = form_token(client.get("/").text)
    for path in ("/auditlogboek", "/auditlogboek/export?formaat=csv"):
        assert client.get(path).status_code == 404, path
    assert client.post("/auditlogboek/controle", data={"_csrf": csrf}).status_code == 404
