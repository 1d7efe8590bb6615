"""Subscribing to the Notificaties API: the abonnement bibob registers, the settings it needs, the command.

The abonnement body is validated against the official `Abonnement` schema of the Notificaties API 1.0
(tests/zgw/specs/notificaties-1.0.0.json, see the README there); the Notificaties API is an httpx.MockTransport.
"""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

import httpx
import jwt
import pytest

from bibob.clients import ZgwSettings, abonnement_body, read_zaak
from bibob.exceptions import InvalidInputError, UpstreamError
from service.cli import main
from service.settings import SECRETS, VARIABLES, Settings, setting_problems
from service.zgw_notifications import (
    NotificationSettings,
    PermitZaaktype,
    notifications_from_env,
    secret_matches,
    subscribe_to_zaken,
)
from tests.zgw import official

NRC = "https://notificaties.test/notificaties/api/v1"
HORECA = "https://zaken.test/catalogi/api/v1/zaaktypen/horeca"
DRANK = "https://zaken.test/catalogi/api/v1/zaaktypen/drank-en-horeca"
SECRET = "Token abonnement-geheim-0123456789"
ZGW = ZgwSettings(
    zaken_url="https://zaken.test/zaken/api/v1", besluiten_url="https://zaken.test/besluiten/api/v1",
    client_id="bibob", secret="zgw-test-secret-of-32-characters", rsin="002220647",
    zaaktype="https://zaken.test/catalogi/api/v1/zaaktypen/ondermijning", statustypen={}, roltypen={},
)  # fmt: skip
PERMITS = {HORECA: PermitZaaktype("exploitatieHoreca", "vergunning"), DRANK: PermitZaaktype("alcoholWet", "vergunning")}
ENV = {
    "BIBOB_ZGW_ZAKEN_URL": ZGW.zaken_url,
    "BIBOB_ZGW_NOTIFICATIES_URL": NRC,
    "BIBOB_ZGW_NOTIFICATION_SECRET": SECRET,
    "BIBOB_ZGW_PERMIT_ZAAKTYPEN": json.dumps({HORECA: {"permitType": "exploitatieHoreca", "legalAct": "vergunning"}}),
}


def test_the_abonnement_asks_for_new_zaken_of_each_permit_zaaktype_in_the_official_shape() -> None:
    sent: list[httpx.Request] = []

    def notificaties(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(201, json={"url": f"{NRC}/abonnement/9e1c", **json.loads(request.content)})

    settings = NotificationSettings(SECRET, PERMITS, NRC)
    url = asyncio.run(subscribe_to_zaken(ZGW, settings, "https://bibob.test/api/v1/zgw-notifications",
                                         httpx.MockTransport(notificaties)))  # fmt: skip
    assert url == f"{NRC}/abonnement/9e1c"
    (request,) = sent
    body = json.loads(request.content)
    problems = official.problems(*official.schema_for(request.method, request.url.path) or ("", ""), body)
    print(f"Notificaties API {official.version('notificaties')}: 1 abonnement checked, {len(problems)} invalid")
    assert problems == []
    assert body["auth"] == SECRET and body["callbackUrl"] == "https://bibob.test/api/v1/zgw-notifications"
    assert body["kanalen"] == [{"naam": "zaken", "filters": {"zaaktype": DRANK}},
                               {"naam": "zaken", "filters": {"zaaktype": HORECA}}]  # fmt: skip
    token = request.headers["Authorization"].removeprefix("Bearer ")
    assert jwt.decode(token, ZGW.secret, algorithms=["HS256"])["client_id"] == "bibob"


def test_a_refused_abonnement_is_an_upstream_error() -> None:
    refuse = httpx.MockTransport(lambda request: httpx.Response(403, json={"code": "permission_denied"}))
    with pytest.raises(UpstreamError):
        asyncio.run(
            subscribe_to_zaken(ZGW, NotificationSettings(SECRET, PERMITS, NRC), "https://bibob.test/cb", refuse)
        )


def test_a_bad_abonnement_names_every_problem() -> None:
    with pytest.raises(InvalidInputError) as caught:
        abonnement_body("ftp://bibob.test/" + "x" * 200, "", [])
    assert [p.pointer for p in caught.value.problems] == ["callbackUrl", "auth", "kanalen"]


def test_subscribing_without_the_notification_settings_says_what_to_set() -> None:
    with pytest.raises(InvalidInputError, match="BIBOB_ZGW_NOTIFICATIES_URL"):
        asyncio.run(subscribe_to_zaken(ZGW, NotificationSettings(SECRET, PERMITS), "https://bibob.test/cb"))


def test_the_command_without_settings_exits_2_naming_the_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    out = io.StringIO()
    assert main(["zgw", "subscribe", "--callback-url", "https://bibob.test/cb"], out) == 2
    assert "BIBOB_ZGW_NOTIFICATION_SECRET" in out.getvalue()


def test_complete_notification_settings_are_read_and_the_secret_is_never_printed() -> None:
    settings = notifications_from_env(ENV)
    assert settings is not None
    assert (settings.notificaties_url, dict(settings.permits)) == (NRC, {HORECA: PERMITS[HORECA]})
    assert SECRET not in repr(settings) and "BIBOB_ZGW_NOTIFICATION_SECRET" in SECRETS
    assert notifications_from_env({}) is None


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"BIBOB_ZGW_NOTIFICATION_SECRET": ""}, {"BIBOB_ZGW_NOTIFICATION_SECRET": "missingSetting"}),
        ({"BIBOB_ZGW_NOTIFICATION_SECRET": "kort"}, {"BIBOB_ZGW_NOTIFICATION_SECRET": "invalidSetting"}),
        ({"BIBOB_ZGW_NOTIFICATIES_URL": "notificaties"}, {"BIBOB_ZGW_NOTIFICATIES_URL": "invalidSetting"}),
        ({"BIBOB_ZGW_PERMIT_ZAAKTYPEN": ""}, {"BIBOB_ZGW_PERMIT_ZAAKTYPEN": "missingSetting"}),
        ({"BIBOB_ZGW_PERMIT_ZAAKTYPEN": '{"geen-url": {"permitType": "exploitatieHoreca", "legalAct": "vergunning"}}'},
         {"BIBOB_ZGW_PERMIT_ZAAKTYPEN": "invalidSetting"}),
        ({"BIBOB_ZGW_PERMIT_ZAAKTYPEN": json.dumps({HORECA: {"permitType": "kermis", "legalAct": "vergunning"}})},
         {"BIBOB_ZGW_PERMIT_ZAAKTYPEN": "invalidSetting"}),
    ],
    ids=["no-secret", "short-secret", "bad-url", "no-zaaktypen", "zaaktype-no-url", "unknown-permit-type"],
)  # fmt: skip
def test_each_bad_notification_setting_is_named_at_start_up(changes: dict[str, str], expected: dict[str, str]) -> None:
    env = ENV | changes
    found = {p.pointer: p.code for p in setting_problems(env) if "NOTIFIC" in p.pointer or "PERMIT" in p.pointer}
    assert found == expected
    with pytest.raises(InvalidInputError):
        Settings.from_env(env)


def test_notifications_without_the_zaken_api_name_it() -> None:
    env: dict[str, Any] = {k: v for k, v in ENV.items() if k != "BIBOB_ZGW_ZAKEN_URL"}
    assert [p.pointer for p in setting_problems(env) if p.code == "missingSetting"] == ["BIBOB_ZGW_ZAKEN_URL"]


def test_only_the_exact_secret_is_accepted() -> None:
    settings = NotificationSettings(SECRET, PERMITS)
    assert secret_matches(settings, SECRET)
    assert not any(secret_matches(settings, given) for given in (None, "", SECRET[:-1], SECRET + " ", SECRET.upper()))


def test_reading_a_zaak_outside_the_configured_zaken_api_sends_nothing() -> None:
    sent: list[httpx.Request] = []

    def anywhere(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    async def read(url: str) -> dict[str, Any]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(anywhere)) as client:
            return await read_zaak(client, ZGW, url)

    foreign = ("https://elders.test/zaken/api/v1/zaken/1", f"{ZGW.zaken_url}/statussen/1", f"{ZGW.zaken_url}x/zaken/1")
    for url in foreign:
        with pytest.raises(InvalidInputError, match="resourceUrl"):
            asyncio.run(read(url))
    assert sent == []
    assert asyncio.run(read(f"{ZGW.zaken_url}/zaken/1")) == {} and len(sent) == 1
