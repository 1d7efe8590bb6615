"""Notifications of new zaken from the Notificaties API (ZGW): a permit zaak becomes an application to screen.

Instead of polling the zaaksysteem, bibob subscribes (`bibob zgw subscribe`) to the `zaken` kanaal filtered on the
permit zaaktypen; the Notificaties API then calls `POST /api/v1/zgw-notifications` with the configured secret. A
notification of a new zaak of a configured permit zaaktype queues a job; the background reads the zaak (the
notification itself is not trusted for its contents) and registers the application `<zaak uuid>` for Bibob
screening, in the name of the zaaksysteem, seen by the Bibob coordinators. A repeat changes nothing.

bibob publishes no notifications: everything the mirror writes goes through Open Zaak's own API, and Open Zaak
notifies each of those writes itself; bibob's own dossiers are Bibob data that art. 28 Wet Bibob keeps from a
kanaal every subscriber can read.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs
import httpx
from sqlalchemy.engine import Connection, Engine

from bibob.clients import ZgwSettings, abonnement_body, read_zaak, subscribe
from bibob.exceptions import BibobError, InvalidInputError, NotFoundError, Problem, UpstreamError
from bibob.legal import LegalAct, PermitType
from bibob.policy import Policy
from bibob.questionnaires import Catalogue
from service.auth import Principal, Role
from service.store import jobs
from service.store.common import utcnow
from service.usecases.applications import read_application, register_application
from service.usecases.session import Session
from service.views.application_requests import new_application

INTAKE = jobs.ZGW_INTAKE
#: Who registers an application a zaak announced; a coordinator's reach, so every Bibob coordinator sees it.
ZAAKSYSTEEM = Principal("zaaksysteem", Role.BIBOB_COORDINATOR)
REASON = "nieuwe vergunningzaak gemeld door het zaaksysteem (Notificaties API)"
MIN_SECRET = 16
MAX_SECRET = 1000  # Abonnement.auth, Notificaties API 1.0
NOTIFICATION_FIELDS = ("kanaal", "hoofdObject", "resource", "resourceUrl", "actie", "aanmaakdatum")
MAX_LENGTHS = {"kanaal": 50, "resource": 100, "actie": 100}  # as the Notificaties API 1.0 lays them down
ZAAK_UUID = re.compile(r"[0-9a-fA-F-]{1,36}")
PERMANENT = frozenset({400, 401, 403, 404, 405, 409, 410, 412, 415, 422})  # a retry cannot change these
log = logging.getLogger("bibob.zgw_notifications")


@attrs.frozen
class PermitZaaktype:
    """What an application gets from a zaak of this zaaktype."""

    permit_type: str
    legal_act: str


def _frozen(mapping: Mapping[str, PermitZaaktype]) -> Mapping[str, PermitZaaktype]:
    return MappingProxyType(dict(mapping))


@attrs.frozen
class NotificationSettings:
    """The Notificaties API (for subscribing), the secret its callbacks carry, and the permit zaaktypen."""

    secret: str = attrs.field(repr=False)
    permits: Mapping[str, PermitZaaktype] = attrs.field(converter=_frozen)  # zaaktype URL → what it means
    notificaties_url: str = ""  # empty: the abonnement is made by hand in the Notificaties API


def _frozen_strings(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


@attrs.frozen
class Notification:
    """A Notificaties API callback (Notificatie, API 1.0), as far as bibob reads it."""

    kanaal: str
    hoofd_object: str
    resource: str
    resource_url: str
    actie: str
    aanmaakdatum: dt.datetime
    kenmerken: Mapping[str, str] = attrs.field(converter=_frozen_strings)


def notification_problems(env: Mapping[str, str]) -> list[Problem]:
    """Every missing or malformed notification variable, each named, in Dutch."""
    problems = []
    url = env.get("BIBOB_ZGW_NOTIFICATIES_URL", "").strip()
    secret = env.get("BIBOB_ZGW_NOTIFICATION_SECRET", "")
    if url and not _is_url(url):
        problems.append(Problem("BIBOB_ZGW_NOTIFICATIES_URL", "invalidSetting", "moet een http(s)-URL zijn"))
    if not (url or secret or env.get("BIBOB_ZGW_PERMIT_ZAAKTYPEN", "").strip()):
        return problems
    needed = "nodig voor notificaties van het zaaksysteem"
    if not secret:
        problems.append(Problem("BIBOB_ZGW_NOTIFICATION_SECRET", "missingSetting", f"ontbreekt; {needed}"))
    elif not MIN_SECRET <= len(secret) <= MAX_SECRET:
        message = f"moet {MIN_SECRET} tot {MAX_SECRET} tekens lang zijn"
        problems.append(Problem("BIBOB_ZGW_NOTIFICATION_SECRET", "invalidSetting", message))
    if not env.get("BIBOB_ZGW_ZAKEN_URL", "").strip():
        problems.append(Problem("BIBOB_ZGW_ZAKEN_URL", "missingSetting", f"ontbreekt; {needed}"))
    raw = env.get("BIBOB_ZGW_PERMIT_ZAAKTYPEN", "").strip()
    if not raw:
        problems.append(Problem("BIBOB_ZGW_PERMIT_ZAAKTYPEN", "missingSetting", f"ontbreekt; {needed}"))
    elif _permits(raw) is None:
        message = 'moet een JSON-object {"https://…/zaaktypen/…": {"permitType": "…", "legalAct": "…"}} zijn'
        problems.append(Problem("BIBOB_ZGW_PERMIT_ZAAKTYPEN", "invalidSetting", message))
    return problems


def notifications_from_env(env: Mapping[str, str]) -> NotificationSettings | None:
    """The settings when BIBOB_ZGW_NOTIFICATION_SECRET is set; raises InvalidInputError naming every problem."""
    problems = notification_problems(env)
    if problems:
        raise InvalidInputError(problems)
    if not env.get("BIBOB_ZGW_NOTIFICATION_SECRET"):
        return None
    permits = _permits(env["BIBOB_ZGW_PERMIT_ZAAKTYPEN"]) or {}
    return NotificationSettings(
        env["BIBOB_ZGW_NOTIFICATION_SECRET"], permits, env.get("BIBOB_ZGW_NOTIFICATIES_URL", "").strip()
    )


def _is_url(value: str) -> bool:
    scheme, _, rest = value.partition("://")
    return scheme in ("http", "https") and bool(rest.strip("/"))


def _permits(raw: str) -> dict[str, PermitZaaktype] | None:
    try:
        parsed = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(parsed, dict) or not parsed:
        return None
    permits = {}
    for url, value in parsed.items():
        if not (_is_url(url) and isinstance(value, dict) and set(value) == {"permitType", "legalAct"}):
            return None
        if PermitType.parse(value["permitType"]) is None or LegalAct.parse(value["legalAct"]) is None:
            return None
        permits[url] = PermitZaaktype(value["permitType"], value["legalAct"])
    return permits


def secret_matches(settings: NotificationSettings, authorization: str | None) -> bool:
    """Whether the Authorization header is the configured secret (compared in constant time)."""
    given = (authorization or "").encode("utf-8")
    return hmac.compare_digest(given, settings.secret.encode("utf-8"))


def parse_notification(body: object) -> Notification:
    """A Notificatie from its JSON body; raises InvalidInputError naming every problem at once."""
    if not isinstance(body, dict):
        raise InvalidInputError([Problem("", "type", "een notificatie is een JSON-object")])
    problems = [
        Problem(name, "required", "verplicht: een niet-lege tekst")
        for name in NOTIFICATION_FIELDS
        if not isinstance(body.get(name), str) or not body[name].strip()
    ]
    for name, most in MAX_LENGTHS.items():
        if isinstance(body.get(name), str) and len(body[name]) > most:
            problems.append(Problem(name, "maxLength", f"hooguit {most} tekens"))
    for name in ("hoofdObject", "resourceUrl"):
        if isinstance(body.get(name), str) and body[name].strip() and not _is_url(body[name]):
            problems.append(Problem(name, "invalidUrl", "moet een http(s)-URL zijn"))
    moment = _moment(body.get("aanmaakdatum"))
    if isinstance(body.get("aanmaakdatum"), str) and body["aanmaakdatum"].strip() and moment is None:
        problems.append(Problem("aanmaakdatum", "invalidDateTime", "moet een datum-tijd zijn (ISO 8601)"))
    kenmerken: object = body.get("kenmerken", {})
    if not isinstance(kenmerken, dict) or not all(
        isinstance(v, str) and 0 < len(v) <= 1000 for v in kenmerken.values()
    ):
        problems.append(Problem("kenmerken", "type", "moet een object met teksten (1 tot 1000 tekens) zijn"))
    if problems:
        raise InvalidInputError(problems)
    assert moment is not None
    assert isinstance(kenmerken, dict)
    return Notification(
        body["kanaal"], body["hoofdObject"], body["resource"], body["resourceUrl"], body["actie"], moment, kenmerken
    )


def _moment(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def accept(conn: Connection, settings: NotificationSettings, zaken_url: str, notification: Notification) -> str:
    """What the notification leads to: `queued` (a new permit zaak: its job), `repeated` (its job exists already:
    nothing changes) or `ignored` (another kanaal, resource, action or zaaktype). Raises InvalidInputError for a zaak
    outside the configured Zaken API (bibob's token is sent nowhere else)."""
    relevant = (notification.kanaal, notification.resource, notification.actie) == ("zaken", "zaak", "create")
    if not relevant or notification.kenmerken.get("zaaktype") not in settings.permits:
        return "ignored"
    prefix = zaken_url.rstrip("/") + "/zaken/"
    zaak_id = notification.resource_url.removeprefix(prefix)
    if not notification.resource_url.startswith(prefix) or not ZAAK_UUID.fullmatch(zaak_id):
        message = "hoort een zaak in de ingestelde Zaken API te zijn"
        raise InvalidInputError([Problem("resourceUrl", "foreignUrl", message)])
    try:
        jobs.job(conn, INTAKE, zaak_id)
    except LookupError:
        jobs.request_job(conn, INTAKE, zaak_id, state={"zaak": notification.resource_url})
        return "queued"
    return "repeated"


async def register_notified_zaken(
    engine: Engine, client: httpx.AsyncClient, zgw: ZgwSettings | None, settings: NotificationSettings | None,
    catalogue: Catalogue, policy: Policy,
) -> int:  # fmt: skip
    """Read every queued zaak and register its application; how many finished. Failures wait, with backoff."""
    if zgw is None or settings is None:
        return 0
    with engine.begin() as conn:
        due = jobs.due_jobs(conn, INTAKE)
    finished = 0
    for job in due:
        finished += await _register_one(engine, client, zgw, settings, catalogue, policy, job)
    return finished


async def _register_one(
    engine: Engine, client: httpx.AsyncClient, zgw: ZgwSettings, settings: NotificationSettings,
    catalogue: Catalogue, policy: Policy, job: jobs.Job,
) -> int:  # fmt: skip
    url = str(job.state.get("zaak", ""))
    try:
        zaak = await read_zaak(client, zgw, url)
        with engine.begin() as conn:
            state = _register(Session(conn, ZAAKSYSTEEM, REASON, utcnow()), catalogue, policy, settings, job, zaak)
            jobs.finish_job(conn, INTAKE, job.object_id, state)
    except UpstreamError as error:
        return _failed(engine, job, str(error), permanent=error.status in PERMANENT)
    except BibobError as error:  # the zaak does not make a valid application: retrying changes nothing
        return _failed(engine, job, str(error), permanent=True)
    return 1


def _register(session: Session, catalogue: Catalogue, policy: Policy, settings: NotificationSettings,
              job: jobs.Job, zaak: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    """Register the application `<zaak uuid>` unless it exists; the job's new state."""
    permit = settings.permits.get(str(zaak.get("zaaktype")))
    if permit is None:  # the zaak itself says otherwise than the notification: not ours to screen
        return {**job.state, "outcome": "otherZaaktype"}
    try:
        read_application(session, job.object_id)
        return {**job.state, "outcome": "existed", "application": job.object_id}
    except NotFoundError:
        pass
    received = zaak.get("registratiedatum") or zaak.get("startdatum") or session.now.date().isoformat()
    fields = {"id": job.object_id, "permitType": permit.permit_type, "legalAct": permit.legal_act,
              "received": received}  # fmt: skip
    application, reference = new_application(fields, catalogue, policy)
    register_application(session, application, reference)
    return {**job.state, "outcome": "registered", "application": job.object_id}


def _failed(engine: Engine, job: jobs.Job, reason: str, *, permanent: bool) -> int:
    with engine.begin() as conn:
        jobs.fail_job(conn, INTAKE, job.object_id, job.state, reason, permanent=permanent)
    log.warning("zaak uit een notificatie niet geregistreerd (%s)", "gestopt" if permanent else "volgende poging later")
    return 0


async def subscribe_to_zaken(
    zgw: ZgwSettings | None, settings: NotificationSettings | None, callback_url: str,
    transport: httpx.AsyncBaseTransport | None = None,
) -> str:  # fmt: skip
    """`bibob zgw subscribe`: the abonnement on new zaken of the permit zaaktypen; its URL at the Notificaties API."""
    if zgw is None or settings is None or not settings.notificaties_url:
        needed = "stel BIBOB_ZGW_ZAKEN_URL (met de rest van de zaakspiegel), BIBOB_ZGW_NOTIFICATIES_URL, "
        needed += "BIBOB_ZGW_NOTIFICATION_SECRET en BIBOB_ZGW_PERMIT_ZAAKTYPEN in"
        raise InvalidInputError([Problem("BIBOB_ZGW_NOTIFICATIES_URL", "missingSetting", needed)])
    body = abonnement_body(callback_url, settings.secret, settings.permits)
    async with httpx.AsyncClient(transport=transport) as client:
        return await subscribe(client, zgw, settings.notificaties_url, body)
