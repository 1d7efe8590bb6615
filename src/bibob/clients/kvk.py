"""The KvK Handelsregister APIs (Zoeken v2, Basisprofiel v1, Vestigingsprofiel v1) over an injected httpx client."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import httpx

from bibob.clients import kvk_parse
from bibob.clients._http import Call, Retry, failure, json_body, send
from bibob.clients.kvk_values import BasicProfile, Branch, SearchPage
from bibob.exceptions import InvalidInputError, Problem, UpstreamError
from bibob.identifiers import normalise_kvk, normalise_postcode, normalise_rsin

SERVICE = "kvk"
TEST_BASE_URL = "https://api.kvk.nl/test/api"
PRODUCTION_BASE_URL = "https://api.kvk.nl/api"
SEARCH_TYPES = frozenset({"hoofdvestiging", "nevenvestiging", "rechtspersoon"})
_BRANCH_NUMBER = re.compile(r"\d{12}")
_CODE = re.compile(r"[A-Z]{2,4}\d{3,5}")


@attrs.frozen
class KvkSettings:
    """Where the KvK APIs live and how to call them; the key never shows in a repr."""

    api_key: str = attrs.field(repr=False)
    base_url: str = TEST_BASE_URL
    timeout: float = 10.0
    retry: Retry = attrs.field(factory=Retry)
    geo_data: bool = False  # ask for geoData in the profiles (more data than a screening needs)

    def url(self, path: str) -> str:
        """The absolute URL of `path` under the base URL."""
        return f"{self.base_url.rstrip('/')}/{path.lstrip('/')}"

    def headers(self) -> Mapping[str, str]:
        """The request headers: the key in `apikey`, as KvK requires."""
        return {"apikey": self.api_key, "Accept": "application/hal+json, application/json"}


def _invalid(pointer: str, code: str, message: str) -> InvalidInputError:
    return InvalidInputError([Problem(pointer, code, message)])


def _kvk_number(value: str) -> str:
    number = normalise_kvk(value)
    if number is None:
        raise _invalid("/kvkNumber", "invalidKvkNumber", "een KvK-nummer bestaat uit 8 cijfers")
    return number


def _error_codes(response: httpx.Response) -> str:
    """The KvK error codes (`fout[].code`, e.g. IPD5200) only: the omschrijving may echo the number asked for."""
    try:
        body = response.json()
    except ValueError:
        return ""
    errors = body.get("fout") if isinstance(body, dict) else None
    codes = [e.get("code") for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []
    return ", ".join(c for c in codes if isinstance(c, str) and _CODE.fullmatch(c))


def _parsed(response: httpx.Response, parse: Any) -> Any:
    body = json_body(SERVICE, response)
    try:
        if not isinstance(body, dict):
            raise TypeError("body")
        return parse(body)
    except (KeyError, TypeError, ValueError):
        raise UpstreamError(SERVICE, "onverwacht antwoord (velden ontbreken)", response.status_code) from None


def _check(response: httpx.Response) -> None:
    if response.status_code != 200:
        codes = _error_codes(response)
        raise failure(SERVICE, response, f"KvK-code {codes}" if codes else "")


def search_params(
    kvk_number: str = "", rsin: str = "", name: str = "", postcode: str = "", house_number: int | None = None,
    type: Iterable[str] = (), page: int = 1, per_page: int = 10, include_inactive: bool = False,
    branch_number: str = "",
) -> dict[str, Any]:  # fmt: skip
    """The Zoeken v2 query parameters, validated: every problem at once, no call made when one is wrong."""
    problems = []
    if kvk_number and normalise_kvk(kvk_number) is None:
        problems.append(Problem("/kvkNumber", "invalidKvkNumber", "een KvK-nummer bestaat uit 8 cijfers"))
    if rsin and normalise_rsin(rsin) is None:
        problems.append(Problem("/rsin", "invalidRsin", "een RSIN bestaat uit 9 cijfers en voldoet aan de elfproef"))
    if branch_number and not (len(branch_number) == 12 and branch_number.isascii() and branch_number.isdigit()):
        problems.append(Problem("/branchNumber", "invalidBranchNumber", "een vestigingsnummer bestaat uit 12 cijfers"))
    if postcode and normalise_postcode(postcode) is None:
        problems.append(Problem("/postcode", "invalidPostcode", "geen geldige Nederlandse postcode"))
    if unknown := sorted(set(type) - SEARCH_TYPES):
        problems.append(Problem("/type", "invalidType", f"onbekend type: {', '.join(unknown)}"))
    if not 1 <= page <= 1000 or not 1 <= per_page <= 100:
        problems.append(Problem("/page", "invalidPage", "pagina 1 t/m 1000, 1 t/m 100 resultaten per pagina"))
    if problems:
        raise InvalidInputError(problems)
    params: dict[str, Any] = {
        "kvkNummer": normalise_kvk(kvk_number) if kvk_number else None,
        "rsin": normalise_rsin(rsin) if rsin else None,
        "vestigingsnummer": branch_number or None,
        "naam": name or None,
        "postcode": normalise_postcode(postcode) if postcode else None,
        "huisnummer": house_number,
        "type": sorted(set(type)) or None,
        "inclusiefInactieveRegistraties": "true" if include_inactive else None,
        "pagina": page if page != 1 else None,  # the API's defaults are left out: the plainest request
        "resultatenPerPagina": per_page if per_page != 10 else None,
    }
    return {key: value for key, value in params.items() if value is not None}


async def search(
    client: httpx.AsyncClient, settings: KvkSettings, *, kvk_number: str = "", rsin: str = "", name: str = "",
    postcode: str = "", house_number: int | None = None, type: Iterable[str] = (), page: int = 1,
    per_page: int = 10, include_inactive: bool = False, branch_number: str = "",
) -> SearchPage:  # fmt: skip
    """Zoeken v2 (`GET {base}/v2/zoeken`), also by vestigingsnummer; nothing found is an empty page, not an error."""
    params = search_params(kvk_number, rsin, name, postcode, house_number, type, page, per_page, include_inactive,
                           branch_number)  # fmt: skip
    call = Call(SERVICE, "zoeken", "GET", settings.url("v2/zoeken"), settings.headers, params=params)
    response = await send(client, call, settings.timeout, settings.retry)
    if response.status_code == 404:
        return SearchPage(page=page, per_page=per_page, total=0)
    _check(response)
    page_found: SearchPage = _parsed(response, kvk_parse.search_page)
    return page_found


async def basic_profile(client: httpx.AsyncClient, settings: KvkSettings, kvk_number: str) -> BasicProfile | None:
    """Basisprofiel v1 with eigenaar and hoofdvestiging; None when the register has no such registration."""
    number = _kvk_number(kvk_number)
    params = {"geoData": "true"} if settings.geo_data else {}  # false is the API's default
    url = settings.url(f"v1/basisprofielen/{number}")
    response = await send(client, Call(SERVICE, "basisprofiel", "GET", url, settings.headers, params=params),
                          settings.timeout, settings.retry)  # fmt: skip
    if response.status_code == 404:
        return None
    _check(response)
    profile: BasicProfile = _parsed(response, kvk_parse.basic_profile)
    return profile


async def branch_profile(client: httpx.AsyncClient, settings: KvkSettings, branch_number: str) -> Branch | None:
    """Vestigingsprofiel v1 (`GET {base}/v1/vestigingsprofielen/{vestigingsnummer}`); None when unknown."""
    if not _BRANCH_NUMBER.fullmatch(branch_number):
        raise _invalid("/branchNumber", "invalidBranchNumber", "een vestigingsnummer bestaat uit 12 cijfers")
    params = {"geoData": "true"} if settings.geo_data else {}  # false is the API's default
    url = settings.url(f"v1/vestigingsprofielen/{branch_number}")
    response = await send(client, Call(SERVICE, "vestigingsprofiel", "GET", url, settings.headers, params=params),
                          settings.timeout, settings.retry)  # fmt: skip
    if response.status_code == 404:
        return None
    _check(response)
    found: Branch = _parsed(response, kvk_parse.branch)
    return found


async def basic_profiles(
    client: httpx.AsyncClient, settings: KvkSettings, kvk_numbers: Iterable[str]
) -> dict[str, BasicProfile | None]:
    """The basisprofiel of each number, one call at a time (KvK allows 100/s; a screening asks a handful)."""
    found: dict[str, BasicProfile | None] = {}
    for number in dict.fromkeys(_kvk_number(n) for n in kvk_numbers):
        found[number] = await basic_profile(client, settings, number)
    return found
