"""Limits on abuse: a bounded brute force meets a lockout (429 with Retry-After), writes, assessments and a
partner's signals meet their limits, and the counters live in the database that every worker shares."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from bibob.exceptions import InvalidInputError
from service.settings import Settings
from service.store import audit, limits
from service.store.engine import create_engine_for
from service.store.limits import Limit
from service.store.tables import applications, audit_log, rate_counters, signals
from tests.service.api.flow import police_signal
from tests.service.identity.conftest import LOCKOUT, PASSWORD, SMALL, Client, Clock, bearer
from tests.service.web.conftest import form_token

SIGN_IN = "/aanmelden"


def _try(client: Client, name: str, password: str) -> tuple[int, str, dict[str, str]]:
    client.cookies.clear()
    token = form_token(client.get(SIGN_IN).text)
    form = {"_csrf": token, "gebruikersnaam": name, "wachtwoord": password}
    response = client.post(SIGN_IN, data=form, follow_redirects=False)
    return response.status_code, response.text, dict(response.headers)


def _identity_rows(database_url: str) -> list[tuple[str, str, str]]:
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        query = sa.select(audit_log.c.action, audit_log.c.user, audit_log.c.object_id).order_by(audit_log.c.seq)
        rows = [(r.action, r.user, r.object_id) for r in conn.execute(query) if r.action.startswith("identity.")]
        assert audit.verify_chain(conn).ok
    engine.dispose()
    return rows


def test_a_bounded_brute_force_on_the_sign_in_page_meets_a_lockout_with_429_and_retry_after(
    client: Client, database_url: str, clock: Clock
) -> None:
    statuses = [_try(client, "vv-1", f"gok-{n:04d}-wachtwoord")[0] for n in range(8)]
    assert statuses == [400] * 5 + [429] * 3
    status, html, headers = _try(client, "vv-1", PASSWORD)  # even the right password, while locked
    assert status == 429
    assert 1 <= int(headers["retry-after"]) <= LOCKOUT.total_seconds()
    assert "Te veel mislukte aanmeldpogingen voor deze gebruikersnaam" in html
    assert re.search(r"Probeer het over \d+ minuten opnieuw", html)
    assert _try(client, "vv-2", PASSWORD)[0] == 303  # another account from the same address is not locked
    clock.now += LOCKOUT
    assert _try(client, "vv-1", PASSWORD)[0] == 303  # the window ended: the right password works again
    rows = _identity_rows(database_url)
    assert [action for action, _, _ in rows].count(audit.SIGN_IN_FAILED) == 5
    assert (audit.LOCKED_OUT, "vv-1", "vv-1") in rows
    assert [action for action, user, _ in rows if user in ("vv-1", "vv-2")][-2:] == [audit.SIGNED_IN] * 2


def test_a_name_no_account_has_is_locked_alike_and_never_kept_in_the_log(client: Client, database_url: str) -> None:
    statuses = [_try(client, "niemand-hier", "mijn-geheime-wachtwoord")[0] for _ in range(6)]
    assert statuses == [400] * 5 + [429]
    rows = _identity_rows(database_url)
    assert rows and all(user == "-" and "niemand" not in object_id for _, user, object_id in rows)


def test_too_many_failures_from_one_address_lock_every_name_from_it(client: Client) -> None:
    statuses = [_try(client, f"gebruiker-{n}", "verkeerd-wachtwoord-x")[0] for n in range(13)]
    assert statuses == [400] * 12 + [429]
    status, html, _ = _try(client, "vv-2", PASSWORD)
    assert status == 429 and "vanaf dit adres" in html


def test_guessing_api_tokens_meets_a_lockout_of_the_address_with_problem_details(
    client: Client, database_url: str, tokens: dict[str, str], clock: Clock
) -> None:
    answers = [client.get("/api/v1/me", headers=bearer(f"bibob_gok{n:05d}")) for n in range(20)]
    assert [a.status_code for a in answers] == [401] * 12 + [429] * 8
    locked = answers[-1]
    assert locked.headers["content-type"].startswith("application/problem+json")
    assert locked.json()["code"] == "rateLimited.tokenAddress"
    assert "Probeer het over" in locked.json()["detail"]
    assert 1 <= int(locked.headers["retry-after"]) <= LOCKOUT.total_seconds()
    # a real token is not even looked up from a locked address: a guess cannot be tested while locked
    assert client.get("/api/v1/me", headers=bearer(tokens["mayor"])).status_code == 429
    clock.now += LOCKOUT
    assert client.get("/api/v1/me", headers=bearer(tokens["mayor"])).status_code == 200
    assert (audit.LOCKED_OUT, "-", "") in _identity_rows(database_url)


def test_writes_over_the_per_user_limit_are_429_and_write_nothing(
    client: Client, database_url: str, tokens: dict[str, str], clock: Clock
) -> None:
    officer = bearer(tokens["permitOfficer"])
    new = {"permitType": "exploitatieHoreca", "legalAct": "vergunning", "received": "2026-10-01"}
    statuses = [client.post("/api/v1/applications", json=new, headers=officer).status_code for _ in range(6)]
    assert statuses == [201] * 4 + [429] * 2
    assert client.get("/api/v1/applications", headers=officer).status_code == 200  # reads are not limited
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(applications)).scalar_one() == 4
    engine.dispose()
    other = bearer(tokens["bibobCoordinator"])  # the limit is per user: a colleague still writes
    assert client.post("/api/v1/applications", json=new, headers=other).status_code == 201
    clock.now += dt.timedelta(minutes=1)
    assert client.post("/api/v1/applications", json=new, headers=officer).status_code == 201


def test_assessments_have_their_own_smaller_limit(client: Client, tokens: dict[str, str]) -> None:
    officer = bearer(tokens["permitOfficer"])
    new = {"permitType": "exploitatieHoreca", "legalAct": "vergunning", "received": "2026-10-01"}
    made = client.post("/api/v1/applications", json=new, headers=officer)
    assert made.status_code == 201, made.text
    url = f"/api/v1/applications/{made.json()['id']}/assessments"
    statuses = [client.post(url, json={}, headers=officer).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]


def test_an_intake_partner_meets_its_daily_quota_and_the_advisor_does_not(
    client: Client, database_url: str, tokens: dict[str, str], clock: Clock
) -> None:
    partner = bearer(tokens["signalIntakePartner"])
    statuses = []
    for _ in range(4):
        statuses.append(client.post("/api/v1/signals", json=police_signal(), headers=partner).status_code)
        clock.now += dt.timedelta(minutes=2)  # past the per-minute write limit: only the quota counts
    assert statuses == [201, 201, 201, 429]
    refused = client.post("/api/v1/signals", json=police_signal(), headers=partner)
    assert refused.json()["code"] == "rateLimited.signalIntake" and "quotum" in refused.json()["detail"]
    advisor = bearer(tokens["safetyAdvisor"])
    assert client.post("/api/v1/signals", json=police_signal(), headers=advisor).status_code == 201
    engine = create_engine_for(database_url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(signals)).scalar_one() == 4
    engine.dispose()


def test_counters_keep_no_address_or_name_and_old_windows_are_purged(client: Client, database_url: str) -> None:
    _try(client, "vv-1", "verkeerd-wachtwoord-x")
    engine = create_engine_for(database_url)
    with engine.begin() as conn:
        keys = [row.key for row in conn.execute(sa.select(rate_counters.c.key))]
        assert keys and all(re.fullmatch(r"[0-9a-f]{64}", key) for key in keys)
        later = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
        assert limits.purge(conn, later) == len(keys)
    engine.dispose()


def test_a_fixed_window_ends_on_its_boundary_and_says_how_long_to_wait() -> None:
    limit = Limit(3, dt.timedelta(minutes=15))
    now = dt.datetime(2026, 12, 3, 9, 14, 30, tzinfo=dt.UTC)
    assert limits.window_start(limit, now) == dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
    assert limits.retry_after(limit, now) == 30


@pytest.mark.parametrize(
    ("name", "value"),
    [("BIBOB_SIGN_IN_MAX_FAILURES", "-1"), ("BIBOB_LOCKOUT_MINUTES", "0"), ("BIBOB_WRITES_PER_MINUTE", "veel"),
     ("BIBOB_SIGNALS_PER_DAY", "²"), ("BIBOB_TOKEN_DAYS", "0")],
)  # fmt: skip
def test_an_invalid_limit_setting_is_refused_by_name(name: str, value: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        Settings.from_env({name: value})
    assert [problem.pointer for problem in refused.value.problems] == [name]


def test_limit_settings_are_read_from_the_environment_and_zero_switches_one_off() -> None:
    settings = Settings.from_env({"BIBOB_SIGN_IN_MAX_FAILURES": "3", "BIBOB_LOCKOUT_MINUTES": "5"})
    assert settings.rate_limits.sign_in_account == Limit(3, dt.timedelta(minutes=5))
    assert Settings.from_env({"BIBOB_WRITES_PER_MINUTE": "0"}).rate_limits.write_user.count == 0
    assert Settings.from_env({}).rate_limits == SMALL.__class__()
