"""The privacy officer's desk: the audit log with filters, the check of its hash chain, and the export of a filtered
view (CSV, JSON Lines) holding exactly the rows the view shows. Reading, checking and exporting are audited; the
pages call the same use cases and the same filter reader as `GET /api/v1/audit-log`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template

from bibob.exceptions import InvalidInputError, Problem
from service.api.audit import EXPORT_TYPES, export_response
from service.auth import Role
from service.http import in_session
from service.resources import app_resources
from service.store.access import Action, Resource, require
from service.store.accounts import WebSession
from service.store.audit import DENIED, MAX_EXPORT, AuditEntry, AuditFilter, VerifyResult
from service.usecases import audit
from service.views.audit import audit_filter
from service.views.nen7513 import OBJECT_TYPES, describe
from service.web.forms import FieldError, capital
from service.web.rendering import page

PAGE_SIZE = 100
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
# the filter form: query parameter on the page → (the API's name, label); the order of the error summary
FILTER_FIELDS = {
    "gebruiker": ("user", "Gebruiker"),
    "rol": ("role", "Rol"),
    "soort": ("objectType", "Soort dossier"),
    "kenmerk": ("objectId", "Kenmerk van het dossier"),
    "actie": ("action", "Handeling"),
    "van": ("from", "Van (dag)"),
    "tot": ("to", "Tot en met (dag)"),
    "geweigerd": ("denied", "Alleen geweigerde toegang"),
    "stand": ("upToSeq", "Stand van het logboek"),
}
FIELD_OF = {api: field for field, (api, _) in FILTER_FIELDS.items()}
MESSAGES = {
    "gebruiker": "Vul een gebruikersnaam in van hoogstens 128 tekens, of laat het veld leeg.",
    "rol": "Kies een rol uit de lijst.",
    "soort": "Kies een soort dossier uit de lijst.",
    "kenmerk": "Vul een kenmerk in van hoogstens 36 tekens, of laat het veld leeg.",
    "actie": "Kies een handeling uit de lijst.",
    "van": "Vul de begindag in als dag-maand-jaar, bijvoorbeeld 01-03-2026, of laat het veld leeg.",
    "tot": "Vul de einddag in als dag-maand-jaar, niet vóór de begindag, of laat het veld leeg.",
    "stand": "De stand van het logboek is geen regelnummer. Laat het veld weg om de actuele stand te zien.",
}
EXPORTS = (("csv", "CSV (spreadsheet)"), ("jsonl", "JSON Lines"), ("nen7513", "NEN 7513 (JSON Lines, voor een SIEM)"))


def _require_privacy_officer(session: WebSession) -> None:
    require(session.principal, Resource.AUDIT_LOG, Action.READ)


def _filter(values: dict[str, str]) -> tuple[AuditFilter | None, list[FieldError]]:
    """The filter from the form's values through the API's reader; its problems at their fields, in Dutch."""
    try:
        return audit_filter(
            user=values["gebruiker"], role=values["rol"], object_type=values["soort"], object_id=values["kenmerk"],
            action=values["actie"], since=values["van"], until=values["tot"], denied=values["geweigerd"] == "ja",
            up_to_seq=values["stand"],
        ), []  # fmt: skip
    except InvalidInputError as error:
        return None, _errors(error.problems)


def _errors(problems: Sequence[Problem]) -> list[FieldError]:
    named = {FIELD_OF.get(problem.pointer, "gebruiker") for problem in problems}
    return [FieldError(field, MESSAGES[field]) for field in FILTER_FIELDS if field in named]


def _values(request: Request[Any, Any, Any]) -> dict[str, str]:
    query = request.query_params
    return {field: str(query.get(field) or "")[:200] for field in FILTER_FIELDS}


@get("/auditlogboek", name="privacy:audit-log")
async def audit_log_page(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], pagina: FromQuery[int] = 1
) -> Template:
    """The log in chain order, filtered; the view is fixed at the chain head it was read at (its `stand`)."""
    _require_privacy_officer(signed_in)
    if not 1 <= pagina <= 100_000:
        raise InvalidInputError([Problem("pagina", "outOfRange", "onbekende pagina")])
    values = _values(request)
    wanted, errors = _filter(values)
    return await _render(request, signed_in, values, wanted, errors, pagina)


@post("/auditlogboek/controle", name="privacy:verify", status_code=200)
async def verify_page(request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession]) -> Template:
    """Check the whole chain (audited) and show its outcome above the unfiltered log."""
    _require_privacy_officer(signed_in)
    result = await in_session(request, signed_in.principal, lambda s: audit.verify_audit_log(s, None))
    values = dict.fromkeys(FILTER_FIELDS, "")
    return await _render(request, signed_in, values, AuditFilter(), [], 1, check=result)


@get("/auditlogboek/export", name="privacy:export")
async def export_page(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], formaat: FromQuery[str] = ""
) -> Response[Any]:
    """The rows of the view (as the link fixed it) as a download; a bad filter or a too large view says why."""
    _require_privacy_officer(signed_in)
    kind = formaat
    if kind not in EXPORT_TYPES:
        raise InvalidInputError([Problem("formaat", "unknownFormat", "kies csv, jsonl of nen7513")])
    values = _values(request)
    wanted, errors = _filter(values)
    if wanted is not None:
        entries = await in_session(request, signed_in.principal, lambda s: audit.export_audit_log(s, wanted))
        if entries is not None:
            return export_response(entries, kind)
        errors = [FieldError("van", f"Deze selectie heeft meer dan {MAX_EXPORT} regels. Beperk haar met een "
                                    "periode of een ander filter en exporteer opnieuw.")]  # fmt: skip
    return await _render(request, signed_in, values, None, errors, 1)


async def _render(
    request: Request[Any, Any, Any],
    signed_in: WebSession,
    values: dict[str, str],
    wanted: AuditFilter | None,
    errors: list[FieldError],
    pagina: int,
    check: VerifyResult | None = None,
) -> Template:
    entries: tuple[AuditEntry, ...] = ()
    count, up_to = 0, 0

    def read(s: Any) -> tuple[tuple[str, ...], tuple[tuple[AuditEntry, ...], int, int] | None]:
        actions = audit.logged_actions(s)
        if wanted is None:
            return actions, None
        return actions, audit.read_audit_log(s, wanted, limit=PAGE_SIZE, offset=(pagina - 1) * PAGE_SIZE)

    actions, found = await in_session(request, signed_in.principal, read)
    if found is not None:
        entries, count, up_to = found
    fixed = {field: value for field, value in values.items() if value and field != "stand"}
    fixed |= {"stand": str(up_to)} if found is not None else {}
    pages = max(1, -(-count // PAGE_SIZE))
    return page(
        request,
        "privacy/audit_log.html",
        title="Auditlogboek",
        status=400 if errors else 200,
        errors=errors,
        values=values,
        rows=[_row(entry) for entry in entries],
        count=count,
        up_to=up_to,
        shown=found is not None,
        filtered=any(value for field, value in values.items() if field != "stand"),
        pagina=pagina,
        pages=pages,
        page_url=lambda number: "/auditlogboek?" + urlencode({**fixed, "pagina": number}),
        export_urls=[(label, _export_url(kind, fixed)) for kind, label in EXPORTS],
        roles=[(role.value, role.label) for role in Role],
        object_types=list(OBJECT_TYPES.items()),
        action_options=[(action, _option(action)) for action in sorted({*actions, DENIED})],
        check=_check(check, app_resources(request).clock()) if check else None,
    )


def _option(action: str) -> str:
    what = _what(action)
    return f"{action} ({what.lower()})" if what else action


def _what(action: str) -> str:
    """An action in Dutch when its last part is a known verb (`case.read`: gelezen), else empty."""
    return capital(describe(action))


def _export_url(kind: str, fixed: dict[str, str]) -> str:
    return "/auditlogboek/export?" + urlencode({"formaat": kind, **fixed})


def _row(entry: AuditEntry) -> dict[str, str]:
    role = Role.parse(entry.role)
    local = entry.at.astimezone(DUTCH_TIME)
    return {
        "seq": str(entry.seq),
        "at": f"{local:%d-%m-%Y %H:%M:%S}",
        "user": entry.user,
        "role": role.label if role else entry.role,
        "action": entry.action,
        "what": _what(entry.action),
        "denied": "ja" if entry.action == DENIED else "",
        "kind": capital(OBJECT_TYPES.get(entry.object_type, entry.object_type)),
        "object_id": entry.object_id,
        "reason": entry.reason,
    }


def _check(result: VerifyResult, now: dt.datetime) -> dict[str, Any]:
    if result.ok:
        text = f"De keten is intact: {result.checked} regels nagerekend, geen gewijzigd, verwijderd of ingevoegd."
    else:
        text = f"De keten is verbroken. {result.message} Tot en met regel {result.checked} klopt de keten."
    return {"ok": result.ok, "text": text, "at": now.astimezone(DUTCH_TIME).strftime("%H:%M")}


AUDIT_PAGE_HANDLERS = (audit_log_page, verify_page, export_page)
