"""The external registers in the service: KvK lookups for an assessment, the ZGW case mirror in the background.

Neither ever blocks or loses local work: a KvK failure leaves the assessment without register findings (and
says so), a zaaksysteem failure leaves the mirror job pending with what was made, to be retried with backoff.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping

import attrs
import httpx
from sqlalchemy.engine import Connection, Engine

from bibob.clients import (
    BasicProfile,
    CaseSnapshot,
    KvkSettings,
    LinkedDecision,
    MirrorInterrupted,
    MirrorState,
    ZgwSettings,
    address_object,
    basic_profiles,
    employee_role,
    mirror_case,
)
from bibob.exceptions import BibobError, InvalidInputError, Problem, UpstreamError
from bibob.legal import DecisionOutcome
from bibob.screening import Declaration, kvk_numbers_to_check
from bibob.undermining import (
    Case,
    CaseState,
    EvidenceKind,
    EvidenceStatus,
    case_from_json,
    decision_into_zaaksysteem,
)
from service.store import disclosures, jobs
from service.store.tables import cases

MIRROR = jobs.ZGW_MIRROR
log = logging.getLogger("bibob.integrations")


@attrs.frozen
class Integrations:
    """Which external systems are configured; None means: not used."""

    kvk: KvkSettings | None = None
    zgw: ZgwSettings | None = None
    besluittype: str = ""  # the besluittype of a Bibob permit decision in the catalogue
    documenten_url: str = ""  # the Documenten API letters go to (with zgw); empty: letters stay here
    informatieobjecttype: str = ""  # the informatieobjecttype of a letter in the catalogue


ZGW_REQUIRED = (  # the zaaksysteem mirror needs all of these once BIBOB_ZGW_ZAKEN_URL is set
    "BIBOB_ZGW_BESLUITEN_URL", "BIBOB_ZGW_CLIENT_ID", "BIBOB_ZGW_SECRET", "BIBOB_ZGW_RSIN", "BIBOB_ZGW_ZAAKTYPE",
    "BIBOB_ZGW_BESLUITTYPE", "BIBOB_ZGW_RESULTAATTYPE", "BIBOB_ZGW_STATUSTYPEN", "BIBOB_ZGW_ROLTYPEN",
)  # fmt: skip
_URLS = ("BIBOB_KVK_BASE_URL", "BIBOB_ZGW_ZAKEN_URL", "BIBOB_ZGW_BESLUITEN_URL", "BIBOB_ZGW_ZAAKTYPE",
         "BIBOB_ZGW_BESLUITTYPE", "BIBOB_ZGW_RESULTAATTYPE", "BIBOB_ZGW_DOCUMENTEN_URL",
         "BIBOB_ZGW_INFORMATIEOBJECTTYPE")  # fmt: skip


def integrations_from_env(env: Mapping[str, str]) -> Integrations:
    """KvK when BIBOB_KVK_API_KEY is set; ZGW when BIBOB_ZGW_ZAKEN_URL is set, with every companion it needs.

    Raises InvalidInputError naming every missing or malformed variable at once (at start-up, not at first use).
    """
    problems = integration_problems(env)
    if problems:
        raise InvalidInputError(problems)
    kvk = None
    if env.get("BIBOB_KVK_API_KEY"):
        kvk = KvkSettings(env["BIBOB_KVK_API_KEY"], env.get("BIBOB_KVK_BASE_URL") or KvkSettings.base_url)
    zgw = None
    if env.get("BIBOB_ZGW_ZAKEN_URL"):
        zgw = ZgwSettings(
            zaken_url=env["BIBOB_ZGW_ZAKEN_URL"],
            besluiten_url=env["BIBOB_ZGW_BESLUITEN_URL"],
            client_id=env["BIBOB_ZGW_CLIENT_ID"],
            secret=env["BIBOB_ZGW_SECRET"],
            rsin=env["BIBOB_ZGW_RSIN"],
            zaaktype=env["BIBOB_ZGW_ZAAKTYPE"],
            statustypen=json.loads(env["BIBOB_ZGW_STATUSTYPEN"]),
            roltypen=json.loads(env["BIBOB_ZGW_ROLTYPEN"]),
            end_status=CaseState.CLOSED.value,
            resultaattype=env["BIBOB_ZGW_RESULTAATTYPE"],
        )
    documenten = (env.get("BIBOB_ZGW_DOCUMENTEN_URL", ""), env.get("BIBOB_ZGW_INFORMATIEOBJECTTYPE", ""))
    return Integrations(kvk, zgw, env.get("BIBOB_ZGW_BESLUITTYPE", ""), *documenten)


def integration_problems(env: Mapping[str, str]) -> list[Problem]:
    """Every missing or malformed KvK and ZGW variable, each named, in Dutch."""
    problems = [
        Problem(name, "invalidSetting", "moet een http(s)-URL zijn")
        for name in _URLS
        if env.get(name) and not _is_url(env[name])
    ]
    if env.get("BIBOB_ZGW_ZAKEN_URL"):
        problems += [
            Problem(name, "missingSetting", "ontbreekt; nodig zodra BIBOB_ZGW_ZAKEN_URL is ingesteld")
            for name in ZGW_REQUIRED
            if not env.get(name, "").strip()
        ]
        rsin = env.get("BIBOB_ZGW_RSIN", "")
        if rsin and not (len(rsin) == 9 and rsin.isascii() and rsin.isdigit()):
            problems.append(Problem("BIBOB_ZGW_RSIN", "invalidSetting", "moet een RSIN van negen cijfers zijn"))
        for name in ("BIBOB_ZGW_STATUSTYPEN", "BIBOB_ZGW_ROLTYPEN"):
            if env.get(name, "").strip() and not _url_map(env[name]):
                problems.append(Problem(name, "invalidSetting", 'moet een JSON-object {"naam": "https://…"} zijn'))
    return problems + documenten_problems(env)


def documenten_problems(env: Mapping[str, str]) -> list[Problem]:
    """Letters to the Documenten API need the Zaken API (for the relation and the credentials) and their type."""
    wanted = ("BIBOB_ZGW_DOCUMENTEN_URL", "BIBOB_ZGW_INFORMATIEOBJECTTYPE")
    if not any(env.get(name, "").strip() for name in wanted):
        return []
    needed = ("BIBOB_ZGW_ZAKEN_URL", *wanted)
    return [
        Problem(name, "missingSetting", "ontbreekt; nodig om brieven naar de Documenten API te sturen")
        for name in needed
        if not env.get(name, "").strip()
    ]


def _is_url(value: str) -> bool:
    scheme, _, rest = value.partition("://")
    return scheme in ("http", "https") and bool(rest.strip("/"))


def _url_map(value: str) -> bool:
    try:
        parsed = json.loads(value)
    except ValueError:
        return False
    return isinstance(parsed, dict) and all(isinstance(v, str) and _is_url(v) for v in parsed.values())


async def register_profiles(
    client: httpx.AsyncClient, kvk: KvkSettings | None, declaration: Declaration
) -> tuple[dict[str, BasicProfile | None], str]:
    """The KvK profiles an assessment compares, and a Dutch status line; never raises on KvK trouble."""
    numbers = kvk_numbers_to_check(declaration)
    if kvk is None:
        return {}, "KvK-controle niet ingesteld"
    if not numbers:
        return {}, "geen KvK-nummers om te controleren"
    try:
        return await basic_profiles(client, kvk, numbers), f"{len(numbers)} KvK-inschrijving(en) gecontroleerd"
    except UpstreamError as error:
        return {}, f"KvK niet bereikbaar ({error.reason}); beoordeling zonder registercontrole"


def _decisions(case: Case, besluittype: str) -> tuple[LinkedDecision, ...]:
    found = []
    for item in case.evidence:
        if item.kind is not EvidenceKind.PERMIT_DECISION or item.status is EvidenceStatus.DETACHED:
            continue
        outcome = DecisionOutcome.parse(item.id.rsplit("-", 1)[-1])  # ids read besluit-<application>-<outcome>
        linked = next((e for e in case.history if getattr(e, "item", None) == item), None)
        if outcome is not None and linked is not None:
            found.append(LinkedDecision(item.id, outcome, linked.at.date(), besluittype, explanation=item.summary))
    return tuple(found)


def snapshot_of(case: Case, besluittype: str) -> CaseSnapshot:
    """The case as the zaaksysteem gets it: title, status, confidentiality, lead, addresses, decisions."""
    return CaseSnapshot(
        case_id=case.id,
        title=case.title,
        status=case.state.value,
        status_changed_at=case.history[-1].at,
        confidentiality=case.confidentiality.zgw,
        started_on=case.registration.at.date(),
        description=case.theme.label,
        roles=(employee_role("lead", "behandelaar", case.lead),),
        objects=tuple(address_object(f"adres-{i}", a) for i, a in enumerate(case.subjects.addresses)),
        decisions=_decisions(case, besluittype),
        result=str(getattr(case.history[-1], "result", "")) if case.state is CaseState.CLOSED else "",
        actor=case.history[-1].by,  # the official whose step this mirror carries over
    )


async def mirror_due_cases(engine: Engine, client: httpx.AsyncClient, integrations: Integrations) -> int:
    """Mirror every case whose job is due; returns how many finished. Failures stay pending, with backoff."""
    if integrations.zgw is None:
        return 0
    with engine.begin() as conn:
        due = jobs.due_jobs(conn, MIRROR)
    finished = 0
    for job in due:
        finished += await _mirror_one(engine, client, integrations, job)
    return finished


async def _mirror_one(engine: Engine, client: httpx.AsyncClient, integrations: Integrations, job: jobs.Job) -> int:
    assert integrations.zgw is not None
    state = MirrorState.from_json(job.state) if job.state else MirrorState()
    try:
        with engine.connect() as conn:
            document = conn.execute(cases.select().where(cases.c.id == job.object_id)).mappings().one()["document"]
        snapshot = snapshot_of(case_from_json(document), integrations.besluittype)
        state = await mirror_case(client, integrations.zgw, snapshot, state)
    except MirrorInterrupted as error:
        return _failed(engine, job, error.state, error.reason, permanent=_permanent(error))
    except (UpstreamError, BibobError, LookupError) as error:
        reason = str(error) if isinstance(error, BibobError) else "zaak niet gevonden"
        return _failed(engine, job, state, reason, permanent=not isinstance(error, UpstreamError) or _permanent(error))
    with engine.begin() as conn:
        jobs.finish_job(conn, MIRROR, job.object_id, state.to_json())
        _record_mirrored(conn, job, state)
    return 1


#: Answers that a retry cannot change: the zaaksysteem refused the request itself (validation, rights, absent).
PERMANENT = frozenset({400, 401, 403, 404, 405, 409, 410, 412, 415, 422})


def _permanent(error: UpstreamError) -> bool:
    """Whether trying again would only repeat the refusal: stop, and show it, until someone asks again."""
    return error.status in PERMANENT


#: Who the disclosures record names for what the background mirror sends.
MIRROR_ACTOR = "bibob (zaakspiegel)"


def _record_mirrored(conn: Connection, job: jobs.Job, state: MirrorState) -> None:
    """Art. 28 Wet Bibob: every decision newly sent to the zaaksysteem (finished or not) is a disclosure on record."""
    before = MirrorState.from_json(job.state) if job.state else MirrorState()
    for decision_id in sorted(set(state.besluiten) - set(before.besluiten)):
        application_id = decision_id.removeprefix("besluit-").rsplit("-", 1)[0]  # besluit-<application>-<outcome>
        made = decision_into_zaaksysteem(application_id, job.object_id, state.zaak)
        disclosures.record(conn, MIRROR_ACTOR, made)


def _failed(engine: Engine, job: jobs.Job, state: MirrorState, reason: str, *, permanent: bool) -> int:
    with engine.begin() as conn:
        jobs.fail_job(conn, MIRROR, job.object_id, state.to_json(), reason, permanent=permanent)
        _record_mirrored(conn, job, state)
    if permanent:
        log.warning("zaakspiegel geweigerd door het zaaksysteem; gestopt tot iemand opnieuw vraagt")
    else:
        log.warning("zaakspiegel mislukt; volgende poging later (poging %d)", job.attempts + 1)
    return 0
