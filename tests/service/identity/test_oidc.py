"""End to end against a real OpenID Connect provider (npm `oidc-provider`, run with Node on 127.0.0.1): a page
sign-in through the code flow with PKCE, an API call with the provider's JWT, role mapping, expiry, sign-out."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import hashlib
import json
import re
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import httpx
import pytest
import sqlalchemy as sa

from bibob.exceptions import InvalidInputError
from service.auth import Role
from service.oidc import OidcError, OidcSettings, Provider, oidc_from_env, principal_from_claims
from service.store import accounts, audit
from service.store.engine import create_engine_for
from service.store.migrate import migrate
from service.store.tables import audit_log
from tests.conftest import ROOT
from tests.service.identity.conftest import PASSWORD, free_port, live_service

OIDC = ROOT / "tests" / "identity" / "oidc"
NODE = shutil.which("node")
ROLE_MAP = "bibob-burgemeesters=mayor,bibob-vergunningen=permitOfficer"
SECRET = "alleen-voor-tests"


def _why_not() -> str | None:
    if NODE is None:
        return "node is not installed (the test provider runs on Node)"
    if not (OIDC / "node_modules" / "oidc-provider").is_dir():
        return "tests/identity/oidc/node_modules is missing: run `npm ci --prefix tests/identity/oidc` (make install)"
    return None


pytestmark = pytest.mark.skipif(_why_not() is not None, reason=_why_not() or "")


class World:
    def __init__(self, issuer: str, service: str, database_url: str) -> None:
        self.issuer, self.service, self.database_url = issuer, service, database_url
        self.redirect = f"{service}/aanmelden/oidc/terug"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    provider_port, service_port = free_port(), free_port()
    service = f"http://127.0.0.1:{service_port}"
    env = {"PORT": str(provider_port), "REDIRECT_URIS": f"{service}/aanmelden/oidc/terug", "PATH": "/usr/bin:/bin"}
    env |= {"POST_LOGOUT_URIS": f"{service}/aanmelden?melding=afgemeld"}
    process = subprocess.Popen(
        [str(NODE), "provider.js"], cwd=OIDC, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("ready "), "the OpenID Connect provider did not start"
        issuer = line.split()[1]
        url = f"sqlite:///{tmp_path_factory.mktemp('oidc') / 'bibob.sqlite3'}"
        migrate(url)
        engine = create_engine_for(url)
        with engine.begin() as conn:
            accounts.create_user(conn, "burgemeester-oidc-lokaal", Role.MAYOR, PASSWORD)
        engine.dispose()
        settings = {
            "BIBOB_OIDC_ISSUER": issuer,
            "BIBOB_OIDC_CLIENT_ID": "bibob",
            "BIBOB_OIDC_CLIENT_SECRET": SECRET,
            "BIBOB_OIDC_ROLE_MAP": ROLE_MAP,
            "BIBOB_OIDC_USER_CLAIM": "preferred_username",
            "BIBOB_OIDC_AUDIENCE": "bibob-api",
            "BIBOB_OIDC_LABEL": "Gemeente Leusden",
        }
        with live_service(url, settings, port=service_port) as base:
            yield World(issuer, base, url)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _provider_sign_in(http: httpx.Client, authorize: str, login: str) -> str:
    """Walk the provider's own pages as a browser would (its development login takes any password); returns the
    redirect back to bibob, with the code."""
    response = http.get(authorize)
    for _ in range(10):
        if response.status_code in (302, 303):
            location = urljoin(str(response.url), response.headers["location"])
            if (
                not location.startswith(
                    str(response.url.scheme) + "://" + response.url.host + ":" + str(response.url.port)
                )
                or "/aanmelden/oidc/terug" in location
            ):
                return location
            response = http.get(location)
            continue
        form = re.search(r'<form[^>]*action="([^"]+)"', response.text)
        assert form, response.text[:500]
        fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', response.text))
        if 'name="login"' in response.text:
            fields |= {"login": login, "password": "wat-dan-ook"}
        response = http.post(urljoin(str(response.url), form.group(1)), data=fields)
    raise AssertionError("the provider did not send the browser back")


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _access_token(world: World, login: str) -> str:
    """The test as an API client: its own code flow with PKCE at the provider, for a JWT access token."""
    verifier, challenge = _pkce()
    query = {
        "client_id": "bibob", "response_type": "code", "scope": "openid profile groups", "redirect_uri": world.redirect,
        "state": "s", "nonce": "n", "code_challenge": challenge, "code_challenge_method": "S256",
    }  # fmt: skip
    with httpx.Client() as http:
        back = _provider_sign_in(http, str(httpx.URL(f"{world.issuer}/auth", params=query)), login)
        code = parse_qs(urlparse(back).query)["code"][0]
        token = http.post(
            f"{world.issuer}/token",
            auth=("bibob", SECRET),
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": world.redirect,
                  "code_verifier": verifier},
        )  # fmt: skip
    assert token.status_code == 200, token.text
    access: str = token.json()["access_token"]
    return access


def _page_sign_in(world: World, login: str) -> tuple[httpx.Client, httpx.Response]:
    http = httpx.Client(base_url=world.service)
    assert "Aanmelden via Gemeente Leusden" in http.get("/aanmelden").text
    start = http.get("/aanmelden/oidc")
    assert start.status_code == 303
    authorize = start.headers["location"]
    assert "code_challenge_method=S256" in authorize and "nonce=" in authorize and "state=" in authorize
    back = _provider_sign_in(http, authorize, login)
    return http, http.get(back)


def _identity_actions(world: World) -> list[tuple[str, str]]:
    engine = create_engine_for(world.database_url)
    with engine.connect() as conn:
        rows = [(r.action, r.user) for r in conn.execute(sa.select(audit_log).order_by(audit_log.c.seq))]
        assert audit.verify_chain(conn).ok
    engine.dispose()
    return [row for row in rows if row[0].startswith("identity.")]


def _sign_out(http: httpx.Client) -> httpx.Response:
    home = http.get("/")
    token = re.search(r'name="_csrf" value="([^"]+)"', home.text)
    assert token
    return http.post("/afmelden", data={"_csrf": token.group(1)})


def _confirm_at_provider(http: httpx.Client, end_session: str) -> str:
    """The provider's sign-out page as a browser walks it (it asks to confirm); returns where it sends the browser."""
    page = http.get(end_session)
    assert page.status_code == 200, page.text[:300]
    form = re.search(r'<form[^>]*action="([^"]+)"', page.text)
    assert form, page.text[:500]
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text))
    done = http.post(urljoin(str(page.url), form.group(1)), data=fields | {"logout": "yes"})
    assert done.status_code in (302, 303), done.text[:300]
    return urljoin(str(done.url), done.headers["location"])


def test_a_page_sign_in_through_the_provider_maps_the_group_to_a_role_and_sign_out_ends_it(world: World) -> None:
    http, answer = _page_sign_in(world, "burgemeester-oidc")
    with contextlib.closing(http):
        assert answer.status_code == 303 and answer.headers["location"] == "/"
        home = http.get("/")
        assert home.status_code == 200 and "burgemeester" in home.text
        assert _sign_out(http).status_code == 303
        after = http.get("/")
        assert after.status_code == 303 and after.headers["location"].startswith("/aanmelden")
    actions = _identity_actions(world)
    assert ("identity.signedIn", "burgemeester-oidc") in actions
    assert ("identity.signedOut", "burgemeester-oidc") in actions


def test_signing_out_ends_the_session_at_the_provider_too(world: World) -> None:
    http, answer = _page_sign_in(world, "vergunning-oidc")
    with contextlib.closing(http):
        assert answer.status_code == 303
        again = http.get(http.get("/aanmelden/oidc").headers["location"])  # the provider still knows this browser
        assert again.status_code in (302, 303) and 'name="login"' not in again.text
        out = _sign_out(http)
        assert out.status_code == 303
        end_session = out.headers["location"]
        discovered = httpx.get(f"{world.issuer}/.well-known/openid-configuration").json()["end_session_endpoint"]
        query = parse_qs(urlparse(end_session).query)
        assert end_session.startswith(discovered + "?")
        assert query["post_logout_redirect_uri"] == [f"{world.service}/aanmelden?melding=afgemeld"]
        assert query["client_id"] == ["bibob"]
        claims = json.loads(base64.urlsafe_b64decode(query["id_token_hint"][0].split(".")[1] + "=="))
        assert (claims["iss"], claims["aud"], claims["sub"]) == (world.issuer, "bibob", "vergunning-oidc")
        assert http.get("/").status_code == 303  # the session here ended before the browser left
        back = _confirm_at_provider(http, end_session)
        assert back == f"{world.service}/aanmelden?melding=afgemeld"
        assert "U bent afgemeld." in http.get(back).text
        login = http.get(http.get("/aanmelden/oidc").headers["location"], follow_redirects=True)
        assert 'name="login"' in login.text  # the provider asks who you are again: its session ended too


def test_after_a_local_sign_in_the_sign_out_stays_here(world: World) -> None:
    http, answer = _page_sign_in(world, "burgemeester-oidc")  # leaves the provider's ID token in this browser
    with contextlib.closing(http):
        assert answer.status_code == 303 and "bibob_oidc_afmelden" in http.cookies
        http.cookies.delete("bibob_sessie")  # as when that session ran out without a sign-out
        form = http.get("/aanmelden")
        csrf = re.search(r'name="_csrf" value="([^"]+)"', form.text)
        assert csrf
        data = {"_csrf": csrf.group(1), "gebruikersnaam": "burgemeester-oidc-lokaal", "wachtwoord": PASSWORD}
        signed_in = http.post("/aanmelden", data=data)
        assert signed_in.status_code == 303 and signed_in.headers["location"] == "/", signed_in.text[:300]
        assert "bibob_oidc_afmelden" not in http.cookies  # a local sign-in forgets it
        out = _sign_out(http)
        assert (out.status_code, out.headers["location"]) == (303, "/aanmelden?melding=afgemeld")


def test_a_person_whose_groups_map_to_no_role_is_refused_in_dutch(world: World) -> None:
    http, answer = _page_sign_in(world, "geen-rol-oidc")
    with contextlib.closing(http):
        assert answer.status_code == 400
        assert "geen rol voor deze toepassing" in answer.text
        assert http.get("/").status_code == 303


def test_a_forged_state_is_refused(world: World) -> None:
    with httpx.Client(base_url=world.service) as http:
        http.get("/aanmelden/oidc")
        answer = http.get("/aanmelden/oidc/terug", params={"code": "x", "state": "verzonnen"})
        assert answer.status_code == 400 and "afgebroken of verlopen" in answer.text


def test_the_api_takes_the_providers_jwt_with_the_mapped_role(world: World) -> None:
    for login, user, role in (("burgemeester-oidc", "burgemeester-oidc", "mayor"),
                              ("vergunning-oidc", "vergunning-oidc", "permitOfficer")):  # fmt: skip
        token = _access_token(world, login)
        me = httpx.get(f"{world.service}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.text
        assert (me.json()["user"], me.json()["role"]) == (user, role)
    token = _access_token(world, "geen-rol-oidc")
    assert httpx.get(f"{world.service}/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert httpx.get(f"{world.service}/api/v1/me", headers={"Authorization": f"Bearer {tampered}"}).status_code == 401


def test_an_expired_provider_token_is_refused(world: World) -> None:
    token = _access_token(world, "burgemeester-oidc")
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    settings = OidcSettings(world.issuer, "bibob", SECRET, {"bibob-burgemeesters": Role.MAYOR}, audience="bibob-api")

    async def check(at: dt.datetime) -> dict[str, object]:
        async with httpx.AsyncClient() as client:
            return await Provider(settings, client).check(token, audience="bibob-api", now=at)

    issued = dt.datetime.fromtimestamp(claims["iat"], dt.UTC)
    assert asyncio.run(check(issued))["aud"] == "bibob-api"
    with pytest.raises(OidcError):
        asyncio.run(check(dt.datetime.fromtimestamp(claims["exp"] + 31, dt.UTC)))  # past the 30 s leeway
    with pytest.raises(OidcError):
        asyncio.run(Provider(settings, httpx.AsyncClient()).check(token, audience="iets-anders", now=issued))


def test_a_local_account_is_never_taken_over_by_a_provider_account_of_the_same_name() -> None:
    settings = OidcSettings("https://idp.example", "bibob", "x", {"g": Role.MAYOR}, user_claim="preferred_username")
    assert principal_from_claims(settings, {"preferred_username": "a", "groups": ["g"]}).role is Role.MAYOR
    with pytest.raises(OidcError):
        principal_from_claims(settings, {"preferred_username": "a b", "groups": ["g"]})  # not a usable name


def test_a_person_with_two_mapped_roles_is_refused() -> None:
    settings = OidcSettings("https://idp.example", "bibob", "x", {"a": Role.MAYOR, "b": Role.PERMIT_OFFICER})
    with pytest.raises(OidcError, match="meer dan één rol"):
        principal_from_claims(settings, {"sub": "p1", "groups": ["a", "b"]})


def test_oidc_settings_are_refused_with_every_problem_named() -> None:
    assert oidc_from_env({}) is None
    with pytest.raises(InvalidInputError) as refused:
        oidc_from_env({"BIBOB_OIDC_ISSUER": "http://idp.example", "BIBOB_OIDC_ROLE_MAP": "groep=koning"})
    names = sorted(problem.pointer for problem in refused.value.problems)
    assert names == ["BIBOB_OIDC_CLIENT_ID", "BIBOB_OIDC_CLIENT_SECRET", "BIBOB_OIDC_ISSUER", "BIBOB_OIDC_ROLE_MAP"]


def test_the_sign_in_page_has_no_provider_button_when_none_is_configured(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bibob.sqlite3'}"
    migrate(url)
    with live_service(url) as base:
        assert "Aanmelden via" not in httpx.get(f"{base}/aanmelden").text
        assert httpx.get(f"{base}/aanmelden/oidc").status_code == 404


def test_without_a_reachable_end_session_endpoint_the_sign_out_stays_local() -> None:
    settings = OidcSettings("https://idp.example", "bibob", "x", {"g": Role.MAYOR})
    metadata = {"issuer": "https://idp.example", "jwks_uri": "https://idp.example/jwks"}

    def answer(with_endpoint: dict[str, str], status: int) -> httpx.MockTransport:
        return httpx.MockTransport(lambda request: httpx.Response(status, json=metadata | with_endpoint))

    async def end(transport: httpx.MockTransport) -> str | None:
        async with httpx.AsyncClient(transport=transport) as client:
            return await Provider(settings, client).end_session_url("t.o.k", "https://bibob.example/aanmelden")

    assert asyncio.run(end(answer({}, 200))) is None  # the provider offers no RP-initiated logout
    assert asyncio.run(end(answer({"end_session_endpoint": "https://idp.example/uit"}, 503))) is None
    assert asyncio.run(end(answer({"end_session_endpoint": "javascript:alert(1)"}, 200))) is None
    found = asyncio.run(end(answer({"end_session_endpoint": "https://idp.example/uit"}, 200)))
    assert found is not None and found.startswith("https://idp.example/uit?id_token_hint=t.o.k&client_id=bibob&")
