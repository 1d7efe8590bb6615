"""Mirroring an undermining case into a ZGW zaaksysteem (Zaken API 1.x, Besluiten API 1.x) over httpx."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import attrs
import httpx
import jwt

from bibob.clients._http import Call, Retry, failure, json_body, send
from bibob.clients.zgw_values import (
    CONFIDENTIALITY_LEVELS,
    CaseSnapshot,
    LinkedDecision,
    MirrorState,
    besluit_body,
    besluit_object,
    merged_relations,
    resultaat_body,
    rol_body,
    status_body,
    zaak_body,
    zaakobject_body,
)
from bibob.exceptions import InvalidInputError, Problem, UpstreamError

SERVICE = "zgw"
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}  # the Zaken API requires both on /zaken


def _frozen(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


@attrs.frozen
class ZgwSettings:
    """Where the zaaksysteem lives, who we are to it, and the catalogue entries the mirror uses."""

    zaken_url: str  # e.g. https://openzaak.example.nl/zaken/api/v1
    besluiten_url: str  # e.g. https://openzaak.example.nl/besluiten/api/v1
    client_id: str
    secret: str = attrs.field(repr=False)
    rsin: str  # the municipality: bronorganisatie and verantwoordelijkeOrganisatie
    zaaktype: str  # the zaaktype of an undermining case
    statustypen: Mapping[str, str] = attrs.field(converter=_frozen)  # our case status → statustype URL
    roltypen: Mapping[str, str] = attrs.field(converter=_frozen)  # generic role → roltype URL
    user_id: str = "bibob"  # who changes the zaak when no official is named (`CaseSnapshot.actor`)
    user_representation: str = "bibob (Wet Bibob en ondermijning)"
    end_status: str = ""  # our status that closes the zaak (its statustype is the zaaktype's last)
    resultaattype: str = ""  # the resultaat set just before the end status; required when end_status is set
    identification_prefix: str = "BIBOB-"
    relation: str = "onderwerp"  # aardRelatie of the permit zaak in relevanteAndereZaken
    timeout: float = 15.0
    retry: Retry = attrs.field(factory=Retry)


def jwt_token(client_id: str, secret: str, user_id: str, user_representation: str, issued_at: int) -> str:
    """A ZGW JWT (PyJWT): HS256 over the claims iss, iat, client_id, user_id and user_representation."""
    claims = {"iss": client_id, "iat": issued_at, "client_id": client_id, "user_id": user_id,
              "user_representation": user_representation}  # fmt: skip
    return jwt.encode(claims, secret, algorithm="HS256", headers={"typ": "JWT"})


def _headers(settings: ZgwSettings, extra: Mapping[str, str] = MappingProxyType({})) -> Callable[[], Mapping[str, str]]:
    """A header factory: a fresh JWT for every attempt, as the ZGW authorisation spec advises."""

    def build() -> Mapping[str, str]:
        token = jwt_token(settings.client_id, settings.secret, settings.user_id, settings.user_representation,
                          int(time.time()))  # fmt: skip
        return {"Authorization": f"Bearer {token}", "Accept": "application/json", **extra}

    return build


async def _call(client: httpx.AsyncClient, settings: ZgwSettings, call: Call, expect: int) -> dict[str, Any]:
    response = await send(client, call, settings.timeout, settings.retry)
    if response.status_code != expect:
        raise failure(SERVICE, response, _problem_codes(response))
    body = json_body(SERVICE, response)
    if not isinstance(body, dict) or (expect == 201 and not isinstance(body.get("url"), str)):
        raise UpstreamError(SERVICE, f"onverwacht antwoord op {call.operation}", response.status_code)
    return body


def _problem_codes(response: httpx.Response) -> str:
    """The problem's `code` and each invalid parameter's name and code; never `reason`, which may echo values."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    params = body.get("invalidParams")
    pairs = (
        [f"{p.get('name')}: {p.get('code')}" for p in params if isinstance(p, dict)] if isinstance(params, list) else []
    )
    return "; ".join(str(part) for part in (body.get("code"), *pairs) if part)


def _not_unique(error: UpstreamError) -> bool:
    return error.status == 400 and "identificatie-niet-uniek" in error.reason


async def _create(client: httpx.AsyncClient, settings: ZgwSettings, operation: str, url: str, body: Any,
                  crs: bool = False) -> str:  # fmt: skip
    call = Call(SERVICE, operation, "POST", url, _headers(settings, CRS if crs else {}), json=body)
    created = await _call(client, settings, call, 201)
    return str(created["url"])


async def _create_or_adopt(client: httpx.AsyncClient, settings: ZgwSettings, operation: str, url: str, body: Any,
                           lookup: Mapping[str, str], crs: bool = False) -> str:  # fmt: skip
    """Create; when the identificatie already exists (an earlier attempt whose answer was lost), adopt that one."""
    try:
        return await _create(client, settings, operation, url, body, crs)
    except UpstreamError as error:
        if not _not_unique(error):
            raise
    found = await _call(client, settings, Call(SERVICE, f"{operation} zoeken", "GET", url,
                                               _headers(settings, CRS if crs else {}), params=lookup), 200)  # fmt: skip
    results = found.get("results")
    if not isinstance(results, list) or len(results) != 1 or not isinstance(results[0], dict):
        raise UpstreamError(SERVICE, f"bestaande {operation} niet eenduidig terug te vinden", 400)
    return str(results[0].get("url", ""))


def mirror_problems(settings: ZgwSettings, snapshot: CaseSnapshot) -> list[Problem]:
    """What keeps a snapshot from being mirrored with these settings; every problem at once."""
    problems = []
    if snapshot.status not in settings.statustypen:
        problems.append(Problem("/status", "unknownStatustype", f"geen statustype voor status '{snapshot.status}'"))
    if snapshot.confidentiality not in CONFIDENTIALITY_LEVELS:
        problems.append(Problem("/confidentiality", "unknownConfidentiality", "onbekende vertrouwelijkheidaanduiding"))
    for index, role in enumerate(snapshot.roles):
        if role.generic_role not in settings.roltypen:
            problems.append(Problem(f"/roles/{index}", "unknownRoltype", f"geen roltype voor '{role.generic_role}'"))
    if snapshot.status == settings.end_status and not settings.resultaattype:
        problems.append(Problem("/status", "missingResultaattype", "geen resultaattype om de zaak mee af te sluiten"))
    for index, decision in enumerate(snapshot.decisions):
        if not decision.besluittype and not decision.besluit_url:
            problems.append(Problem(f"/decisions/{index}", "missingBesluittype", "geen besluittype voor het besluit"))
    return problems


class MirrorInterrupted(UpstreamError):
    """The zaaksysteem failed halfway; `state` holds what was created, so the next mirror resumes from there."""

    def __init__(self, error: UpstreamError, state: MirrorState) -> None:
        super().__init__(error.service, error.reason, error.status)
        self.state = state


async def mirror_case(
    client: httpx.AsyncClient, settings: ZgwSettings, snapshot: CaseSnapshot, state: MirrorState
) -> MirrorState:
    """Make the zaaksysteem show the case; only the calls `state` does not record as done are made.

    Pass `MirrorState()` the first time, and the returned (or interrupted) state after that.

    Order: zaak, status, rollen, zaakobjecten, then per linked decision its besluit (on the permit's zaak) and
    a zaakobject of type besluit, and last the permit zaken in relevanteAndereZaken. Raises MirrorInterrupted
    (an UpstreamError) with the state reached when a call fails.
    """
    if problems := mirror_problems(settings, snapshot):
        raise InvalidInputError(problems)
    if snapshot.actor:  # the zaaksysteem's audit trail names the official, not a shared account
        settings = attrs.evolve(settings, user_id=snapshot.actor[:255], user_representation=snapshot.actor[:255])
    progress = _Progress(state)
    try:
        await _mirror(client, settings, snapshot, progress)
    except UpstreamError as error:
        raise MirrorInterrupted(error, progress.state) from None
    return progress.state


@attrs.define
class _Progress:
    """The state so far; updated after every successful call, so an interruption keeps it."""

    state: MirrorState

    def update(self, **changes: Any) -> None:
        self.state = attrs.evolve(self.state, **changes)


async def _mirror(
    client: httpx.AsyncClient, settings: ZgwSettings, snapshot: CaseSnapshot, progress: _Progress
) -> None:
    """Zaak first. A closed zaak takes no writes but a status that reopens it (scope zaken.heropenen); closing
    happens last: everything else, then the resultaat, then the end status."""
    zaken = settings.zaken_url.rstrip("/")
    if not progress.state.zaak:
        identification = f"{settings.identification_prefix}{snapshot.case_id}"[:40]
        body = zaak_body(snapshot, settings.rsin, settings.zaaktype, identification)
        lookup = {"identificatie": identification, "bronorganisatie": settings.rsin}
        progress.update(zaak=await _create_or_adopt(client, settings, "zaak", f"{zaken}/zaken", body, lookup, True))
    closing = bool(settings.end_status) and snapshot.status == settings.end_status
    closed = bool(settings.end_status) and progress.state.current_status == settings.end_status
    if closing and closed:
        return  # the zaak is closed and stays closed: nothing more is written to it
    if not closing:
        await _set_status(client, settings, snapshot, progress)  # also reopens a closed zaak
    await _mirror_contents(client, settings, snapshot, progress)
    if closing:
        if not progress.state.resultaat:
            body = resultaat_body(progress.state.zaak, settings.resultaattype, snapshot)
            progress.update(resultaat=await _create(client, settings, "resultaat", f"{zaken}/resultaten", body))
        await _set_status(client, settings, snapshot, progress)


async def _set_status(
    client: httpx.AsyncClient, settings: ZgwSettings, snapshot: CaseSnapshot, progress: _Progress
) -> None:
    if progress.state.current_status != snapshot.status:
        body = status_body(progress.state.zaak, settings.statustypen[snapshot.status], snapshot)
        url = await _create(client, settings, "status", f"{settings.zaken_url.rstrip('/')}/statussen", body)
        progress.update(statuses=(*progress.state.statuses, (snapshot.status, url)))


async def _mirror_contents(
    client: httpx.AsyncClient, settings: ZgwSettings, snapshot: CaseSnapshot, progress: _Progress
) -> None:
    zaken, zaak = settings.zaken_url.rstrip("/"), progress.state.zaak
    for role in snapshot.roles:
        if role.key not in progress.state.roles:
            url = await _create(
                client, settings, "rol", f"{zaken}/rollen", rol_body(zaak, settings.roltypen[role.generic_role], role)
            )
            progress.update(roles={**progress.state.roles, role.key: url})
    for item in snapshot.objects:
        if item.key not in progress.state.objects:
            url = await _create(client, settings, "zaakobject", f"{zaken}/zaakobjecten", zaakobject_body(zaak, item))
            progress.update(objects={**progress.state.objects, item.key: url})
    for decision in snapshot.decisions:
        await _mirror_decision(client, settings, decision, progress)
    await _link_permit_zaken(client, settings, snapshot, progress)


async def _mirror_decision(client: httpx.AsyncClient, settings: ZgwSettings, decision: LinkedDecision,
                           progress: _Progress) -> None:  # fmt: skip
    key = decision.decision_id
    besluit = decision.besluit_url or progress.state.besluiten.get(key, "")
    if not besluit:
        identification = f"{settings.identification_prefix}{key}"[:50]
        lookup = {"identificatie": identification, "verantwoordelijkeOrganisatie": settings.rsin}
        url = f"{settings.besluiten_url.rstrip('/')}/besluiten"
        besluit = await _create_or_adopt(client, settings, "besluit", url, besluit_body(decision, settings.rsin,
                                         identification), lookup)  # fmt: skip
        progress.update(besluiten={**progress.state.besluiten, key: besluit})
    if key not in progress.state.besluit_objects:
        body = zaakobject_body(progress.state.zaak, besluit_object(decision, besluit))
        url = await _create(client, settings, "zaakobject", f"{settings.zaken_url.rstrip('/')}/zaakobjecten", body)
        progress.update(besluit_objects={**progress.state.besluit_objects, key: url})


async def _link_permit_zaken(client: httpx.AsyncClient, settings: ZgwSettings, snapshot: CaseSnapshot,
                             progress: _Progress) -> None:  # fmt: skip
    wanted = tuple(dict.fromkeys(d.permit_zaak for d in snapshot.decisions if d.permit_zaak))
    missing = tuple(url for url in wanted if url not in progress.state.related)
    if not missing:
        return
    zaak, headers = progress.state.zaak, _headers(settings, CRS)
    current = await _call(client, settings, Call(SERVICE, "zaak lezen", "GET", zaak, headers), 200)
    relations = merged_relations(current.get("relevanteAndereZaken"), missing, settings.relation)
    patch = Call(SERVICE, "zaak relateren", "PATCH", zaak, headers, json={"relevanteAndereZaken": relations})
    await _call(client, settings, patch, 200)
    progress.update(related=(*progress.state.related, *missing))
