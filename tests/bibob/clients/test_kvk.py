"""The KvK client against a MockTransport: success, not found, refusals, retries, timeouts and bad bodies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from bibob.clients import BasicProfile, KvkSettings, kvk
from bibob.clients._http import Retry
from bibob.clients.kvk_values import Branch, SearchPage
from bibob.exceptions import InvalidInputError, UpstreamError
from bibob.parties import LegalForm
from tests.bibob.clients.fakes import Script, Sleeps, assert_nothing_leaks, respond, run
from tests.bibob.clients.kvk_samples import (
    API_KEY,
    BRANCH_DONALD,
    BV_DONALD,
    NO_RESULTS,
    NOT_DELIVERABLE,
    SEARCH_DONALD,
)

Operation = Callable[[httpx.AsyncClient, KvkSettings], Awaitable[Any]]
OPERATIONS: dict[str, tuple[Operation, dict[str, Any], str]] = {
    "search": (lambda c, s: kvk.search(c, s, kvk_number="68750110"), SEARCH_DONALD, "/test/api/v2/zoeken"),
    "basic_profile": (lambda c, s: kvk.basic_profile(c, s, "68750110"), BV_DONALD,
                      "/test/api/v1/basisprofielen/68750110"),
    "branch_profile": (lambda c, s: kvk.branch_profile(c, s, "000037178598"), BRANCH_DONALD,
                       "/test/api/v1/vestigingsprofielen/000037178598"),
}  # fmt: skip
SECRETS = (API_KEY, "68750110", "000037178598", "857587973")


def settings(sleeps: Sleeps, retries: int = 2) -> KvkSettings:
    return KvkSettings(api_key=API_KEY, timeout=2.0, retry=sleeps.retry(retries))


def call(name: str, script: Script, sleeps: Sleeps, retries: int = 2) -> Any:
    operation = OPERATIONS[name][0]

    async def go() -> Any:
        async with script.client() as client:
            return await operation(client, settings(sleeps, retries))

    return run(go())


def failing(name: str, script: Script, sleeps: Sleeps, retries: int = 2) -> UpstreamError:
    with pytest.raises(UpstreamError) as caught:
        call(name, script, sleeps, retries)
    return caught.value


@pytest.mark.parametrize("name", OPERATIONS)
def test_each_call_sends_the_key_in_the_apikey_header_to_the_documented_path(name: str) -> None:
    script = Script([respond(200, OPERATIONS[name][1])])
    result = call(name, script, Sleeps())
    (request,) = script.requests
    assert request.headers["apikey"] == API_KEY
    assert request.url.path == OPERATIONS[name][2]
    assert request.url.host == "api.kvk.nl"
    assert isinstance(result, SearchPage | BasicProfile | Branch)


def test_a_basic_profile_parses_dates_booleans_sbi_owner_and_main_branch() -> None:
    profile = call("basic_profile", Script([respond(200, BV_DONALD)]), Sleeps())
    assert profile.kvk_number == "68750110"
    assert str(profile.registration.registered_on) == "2015-06-22"
    assert profile.non_mailing is True
    assert profile.legal_form is LegalForm.BV
    assert [(a.code, a.main) for a in profile.sbi_activities] == [("6420", True), ("5610", False)]
    assert profile.main_branch.branch_number == "000037178598"
    assert profile.business_address.address.postcode == "8711AB"
    assert profile.business_address.address.house_number_addition == "A"
    assert profile.names == ("Test BV Donald", "Donald Beheer")


def test_search_sends_only_the_parameters_given_in_kvk_names() -> None:
    script = Script([respond(200, SEARCH_DONALD)])

    async def go() -> SearchPage:
        async with script.client() as client:
            return await kvk.search(client, KvkSettings(API_KEY), name="Donald", postcode="8711 ab", house_number=3,
                                    type=["hoofdvestiging"], page=2, per_page=20)  # fmt: skip

    page = run(go())
    assert dict(script.requests[0].url.params) == {
        "naam": "Donald", "postcode": "8711AB", "huisnummer": "3", "type": "hoofdvestiging", "pagina": "2",
        "resultatenPerPagina": "20",
    }  # fmt: skip
    assert page.results[0].branch_number == "000037178598"
    assert page.results[0].address.city == "Lollum"


def test_invalid_search_input_lists_every_problem_and_calls_nobody() -> None:
    script = Script([respond(200, SEARCH_DONALD)])

    async def go() -> SearchPage:
        async with script.client() as client:
            return await kvk.search(client, KvkSettings(API_KEY), kvk_number="123", rsin="123456789",
                                    postcode="99", type=["filiaal"], per_page=500)  # fmt: skip

    with pytest.raises(InvalidInputError) as caught:
        run(go())
    assert [p.code for p in caught.value.problems] == [
        "invalidKvkNumber", "invalidRsin", "invalidPostcode", "invalidType", "invalidPage",
    ]  # fmt: skip
    assert script.requests == []


def test_a_malformed_kvk_number_is_refused_before_any_call() -> None:
    script = Script([respond(200, BV_DONALD)])

    async def go() -> Any:
        async with script.client() as client:
            return await kvk.basic_profile(client, KvkSettings(API_KEY), "6875011")

    with pytest.raises(InvalidInputError):
        run(go())
    assert script.requests == []


def test_nothing_found_is_an_empty_page_for_search() -> None:
    page = call("search", Script([respond(404, NO_RESULTS)]), Sleeps())
    assert (page.total, page.results) == (0, ())


@pytest.mark.parametrize("name", ["basic_profile", "branch_profile"])
def test_an_unknown_registration_is_none_not_an_error(name: str) -> None:
    assert call(name, Script([respond(404, NOT_DELIVERABLE)]), Sleeps()) is None


@pytest.mark.parametrize("name", OPERATIONS)
@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_key_is_a_clear_error_without_the_key(
    name: str, status: int, capture: pytest.LogCaptureFixture
) -> None:
    script = Script([respond(status, {"fout": [{"code": "IPD0001", "omschrijving": f"sleutel {API_KEY} onbekend"}]})])
    error = failing(name, script, Sleeps())
    assert (error.service, error.status) == ("kvk", status)
    assert "toegang geweigerd" in error.reason
    assert len(script.requests) == 1  # a refusal is not retried
    assert_nothing_leaks(SECRETS, capture, error)


@pytest.mark.parametrize("name", OPERATIONS)
def test_429_is_retried_after_the_advised_delay(name: str, capture: pytest.LogCaptureFixture) -> None:
    sleeps = Sleeps()
    script = Script([respond(429, {}, **{"Retry-After": "3"}), respond(200, OPERATIONS[name][1])])
    assert call(name, script, sleeps) is not None
    assert sleeps.seconds == [3.0]
    assert len(script.requests) == 2
    messages = [r.getMessage() for r in capture.records if r.name.startswith("bibob")]
    assert any("HTTP 429" in m for m in messages) and any("HTTP 200" in m for m in messages)


def test_429_that_persists_ends_in_an_error_after_the_retries(capture: pytest.LogCaptureFixture) -> None:
    sleeps = Sleeps()
    script = Script([respond(429, {})])
    error = failing("basic_profile", script, sleeps, retries=2)
    assert error.status == 429 and "te veel verzoeken" in error.reason
    assert sleeps.seconds == [0.5, 1.0]  # exponential backoff without Retry-After
    assert len(script.requests) == 3
    assert_nothing_leaks(SECRETS, capture, error)


@pytest.mark.parametrize("name", OPERATIONS)
def test_a_passing_5xx_is_retried_with_backoff(name: str) -> None:
    sleeps = Sleeps()
    script = Script([respond(503, {}), respond(502, {}), respond(200, OPERATIONS[name][1])])
    assert call(name, script, sleeps) is not None
    assert sleeps.seconds == [0.5, 1.0]


@pytest.mark.parametrize("name", OPERATIONS)
def test_a_lasting_5xx_is_an_error(name: str, capture: pytest.LogCaptureFixture) -> None:
    script = Script([respond(500, text="<html>Internal error for 68750110</html>")])
    error = failing(name, script, Sleeps(), retries=1)
    assert error.status == 500 and "niet beschikbaar" in error.reason
    assert len(script.requests) == 2
    assert_nothing_leaks(SECRETS, capture, error)


@pytest.mark.parametrize("name", OPERATIONS)
def test_a_timeout_is_retried_and_then_reported(name: str, capture: pytest.LogCaptureFixture) -> None:
    sleeps = Sleeps()
    script = Script([httpx.ReadTimeout("timed out")])
    error = failing(name, script, sleeps, retries=2)
    assert error.reason == "geen antwoord binnen 2 s" and error.status is None
    assert len(script.requests) == 3 and sleeps.seconds == [0.5, 1.0]
    assert_nothing_leaks(SECRETS, capture, error)


def test_a_timeout_once_is_survived() -> None:
    script = Script([httpx.ConnectTimeout("timed out"), respond(200, BV_DONALD)])
    assert call("basic_profile", script, Sleeps()).name == "Test BV Donald"


@pytest.mark.parametrize("name", OPERATIONS)
@pytest.mark.parametrize(("body", "reason"), [
    (respond(200, text="<html>maintenance</html>"), "onleesbaar antwoord"),
    (respond(200, ["not", "an", "object"]), "onverwacht antwoord"),
    (respond(200, {"unexpected": True}), "onverwacht antwoord"),
])  # fmt: skip
def test_a_malformed_body_is_an_error(
    name: str, body: httpx.Response, reason: str, capture: pytest.LogCaptureFixture
) -> None:
    error = failing(name, Script([body]), Sleeps())
    assert error.status == 200 and reason in error.reason
    assert_nothing_leaks(SECRETS, capture, error)


def test_a_rejected_request_names_the_kvk_code_but_not_its_text(capture: pytest.LogCaptureFixture) -> None:
    body = {"fout": [{"code": "IPD0004", "omschrijving": "Het KVK-nummer 68750110 is niet valide."}]}
    error = failing("basic_profile", Script([respond(400, body)]), Sleeps())
    assert error.reason == "verzoek afgewezen (KvK-code IPD0004)"
    assert_nothing_leaks(SECRETS, capture, error)


def test_the_settings_never_show_the_key() -> None:
    assert API_KEY not in repr(KvkSettings(API_KEY))
    assert KvkSettings(API_KEY).url("/v1/basisprofielen") == "https://api.kvk.nl/test/api/v1/basisprofielen"


def test_basic_profiles_fetches_each_number_once() -> None:
    script = Script([respond(200, BV_DONALD), respond(404, NOT_DELIVERABLE)])

    async def go() -> dict[str, BasicProfile | None]:
        async with script.client() as client:
            return await kvk.basic_profiles(client, KvkSettings(API_KEY), ["68750110", "6875 0110", "90002903"])

    found = run(go())
    assert list(found) == ["68750110", "90002903"]
    assert found["90002903"] is None and len(script.requests) == 2


def test_retry_after_as_an_http_date_and_the_cap() -> None:
    retry = Retry(retries=1, backoff=1.0, max_delay=10.0)
    assert retry.delay(1, "Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert retry.delay(1, "600") == 10.0
    assert retry.delay(3) == 4.0
    assert retry.delay(1, "soon") == 1.0
