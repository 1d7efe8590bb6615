"""The safety advisor's cases (casussen): the list of cases the user may see, one case with everything it holds and
its next steps as forms, the evidence with confirm and detach, and opening a case from a weighed signal.

Every page calls the same use cases as the API (`open_case`, `read_case`, `list_cases`, `record_case_event`,
`confirm_evidence`, `detach_evidence`); the hidden version on each form is its If-Match. Who may not read a case
gets the not-found page, as the API answers 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from bibob.exceptions import InvalidInputError, Problem, TransitionError
from bibob.terms import dutch_date
from bibob.undermining import (
    CASE_EVENTS_BY_TYPE,
    Case,
    CaseState,
    Confidentiality,
    EvidenceItem,
    EvidenceStatus,
    InterventionKind,
    InterventionStatus,
    NodeKind,
    Partner,
    Theme,
    WeighingDecision,
    allowed_events,
    refusals,
)
from service.auth import Principal, Role
from service.http import in_session
from service.resources import app_resources
from service.store.accounts import WebSession
from service.store.cases import StoredCase
from service.store.errors import StaleVersionError
from service.store.signals import require_weigher
from service.usecases import Session, cases, evidence, signals
from service.usecases.network import network
from service.views.network import CaseNetwork, network_view
from service.web.forms import FieldError, capital, sentence, text, typed_day
from service.web.rendering import page

PAGE_SIZE = 50
MAX_TEXT = 4000
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
STALE = (
    "Iemand anders heeft deze casus intussen gewijzigd. Bekijk de actuele stand hieronder en probeer het zo nodig "
    "opnieuw."
)
DONE = "De stap ‘{label}’ is vastgelegd."
OPENED = "De casus is aangemaakt en de melding is gekoppeld."
CONFIRMED, DETACHED = "Het bewijsstuk is bevestigd.", "Het bewijsstuk is ontkoppeld."
#: The steps the case page offers as forms, in the order of the seed process: (event type, fields).
#: A field is (name, label, kind); kinds: text, area, lines (one per line), optional(-area), partner, partners,
#: request (an open request), intervention, status, kind, day.
STEP_FIELDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "investigationStarted": (),
    "informationRequested": (
        ("requestId", "Kenmerk van het verzoek", "text"),
        ("partner", "Partner", "partner"),
        ("question", "Vraag", "area"),
    ),
    "informationAnswered": (
        ("requestId", "Verzoek", "request"),
        ("answerSummary", "Samenvatting van het antwoord", "area"),
    ),
    "meetingScheduled": (
        ("agenda", "Agendapunten (één per regel)", "lines"),
        ("noAnswerReason", "Waarom zonder beantwoord verzoek (alleen als er nog geen antwoord is)", "optional-area"),
    ),
    "meetingHeld": (
        ("attendees", "Aanwezige partners", "partners"),
        ("agenda", "Besproken (één per regel)", "lines"),
        ("decisions", "Besluiten (één per regel)", "lines"),
    ),
    "planDrafted": (
        ("goals", "Doelen (één per regel)", "lines"),
        ("partner", "Interventie: partner", "partner"),
        ("kind", "Interventie: soort", "kind"),
        ("description", "Interventie: wat", "area"),
        ("owner", "Interventie: wie voert uit", "text"),
        ("due", "Interventie: uiterlijk (dag-maand-jaar)", "day"),
    ),
    "planAdopted": (),
    "triangleAlignmentRequested": (),
    "triangleApproved": (("notes", "Opmerkingen uit de driehoek", "optional-area"),),
    "interventionUpdated": (
        ("interventionId", "Interventie", "intervention"),
        ("status", "Nieuwe status", "status"),
        ("note", "Toelichting", "optional-area"),
    ),
    "subjectsAdded": (
        ("name", "Organisatie: naam", "text"),
        ("kvkNumber", "KvK-nummer (als bekend)", "optional"),
        ("street", "Vestigingsadres: straat", "optional"),
        ("houseNumber", "Huisnummer", "optional"),
        ("postcode", "Postcode", "optional"),
        ("city", "Plaats", "optional"),
    ),
    "partnersSelected": (("partners", "Partners in deze casus", "partners"),),
    "membersChanged": (("members", "Leden naast de regisseur (gebruikersnamen, gescheiden door komma's)", "optional"),),
    "caseClosed": (("result", "Resultaat", "area"),),
    "caseReopened": (("reason", "Reden", "area"),),
}
#: The heading of each step's form: what the user does (the journal says what was done).
STEP_TITLES = {
    "investigationStarted": "Onderzoek starten (informatiebeeld)",
    "informationRequested": "Informatieverzoek uitzetten",
    "informationAnswered": "Antwoord op een informatieverzoek vastleggen",
    "meetingScheduled": "Agenderen voor het casusoverleg",
    "meetingHeld": "Casusoverleg vastleggen",
    "planDrafted": "Plan van aanpak opstellen",
    "planAdopted": "Plan van aanpak vaststellen (zonder driehoek)",
    "triangleAlignmentRequested": "Voorleggen aan de driehoek",
    "triangleApproved": "Goedkeuren in de driehoek",
    "interventionUpdated": "Voortgang van een interventie",
    "subjectsAdded": "Organisatie toevoegen",
    "partnersSelected": "Partners kiezen",
    "membersChanged": "Leden wijzigen",
    "caseClosed": "Casus afsluiten",
    "caseReopened": "Casus heropenen",
}
FIELD_MESSAGES = {
    "requestId": "Noem het kenmerk van het informatieverzoek (nog niet gebruikt in deze casus).",
    "partner": "Kies een partner.",
    "question": "Beschrijf de vraag aan de partner.",
    "answerSummary": "Vat het antwoord van de partner samen.",
    "agenda": "Noem ten minste één agendapunt.",
    "noAnswerReason": "Leg vast waarom de casus zonder beantwoord informatieverzoek naar het overleg gaat.",
    "attendees": "Kies ten minste één aanwezige partner die in de casus is geselecteerd.",
    "decisions": "Noem de besluiten, één per regel.",
    "goals": "Noem ten minste één doel, één per regel.",
    "kind": "Kies de soort interventie.",
    "description": "Beschrijf de interventie.",
    "owner": "Noem wie de interventie uitvoert.",
    "due": "Vul de datum in als dag-maand-jaar, bijvoorbeeld 31-01-2027.",
    "notes": f"Opmerkingen: hoogstens {MAX_TEXT} tekens.",
    "interventionId": "Kies de interventie.",
    "status": "Kies de nieuwe status.",
    "note": f"Toelichting: hoogstens {MAX_TEXT} tekens.",
    "partners": "Kies ten minste één partner.",
    "members": "Noem de leden als gebruikersnamen, gescheiden door komma's (niet de regisseur zelf).",
    "result": "Beschrijf het resultaat van de casus.",
    "name": "Vul de naam van de organisatie in.",
    "kvkNumber": "Vul het KvK-nummer in als acht cijfers, of laat het leeg.",
    "street": "Vul de straat van het vestigingsadres in, of laat het hele adres leeg.",
    "houseNumber": "Vul het huisnummer in als getal van 1 tot 99999.",
    "postcode": f"Postcode: hoogstens {MAX_TEXT} tekens.",
    "city": f"Plaats: hoogstens {MAX_TEXT} tekens.",
    "reason": "Leg de reden vast.",
}
REQUIRED_KINDS = frozenset({"text", "area", "lines", "partner", "partners", "request", "intervention", "status",
                            "kind", "day"})  # fmt: skip
# opening a case from a signal
OPEN_FORM = ("titel", "thema", "vertrouwelijkheid", "partners", "leden", "reden")
OPEN_MESSAGES = {
    "titel": "Geef de casus een titel (geen namen van personen).",
    "thema": "Kies het thema.",
    "vertrouwelijkheid": "Kies de vertrouwelijkheid.",
    "partners": "Kies een bekende partner.",
    "leden": "Noem de leden als gebruikersnamen, gescheiden door komma's (niet uzelf).",
    "reden": "Leg vast waarom deze melding een casus wordt.",
}
OPEN_POINTERS = {"/title": "titel", "/theme": "thema", "/confidentiality": "vertrouwelijkheid",
                 "/partners": "partners", "/members": "leden", "/reason": "reden"}  # fmt: skip


def _moment(at: dt.datetime) -> str:
    local = at.astimezone(DUTCH_TIME)
    return f"{dutch_date(local.date())}, {local:%H:%M}"


# --- the list -------------------------------------------------------------------------------------------------------


@get("/casussen", name="advisor:cases")
async def cases_page(request: Request[Any, Any, Any], signed_in: WebSession, pagina: FromQuery[int] = 1) -> Template:
    """The cases the user is a member of (or, for the mayor, those in the driehoek), most recently changed first."""
    if not 1 <= pagina <= 100_000:
        raise InvalidInputError([Problem("pagina", "outOfRange", "onbekende pagina")])
    found, count = await in_session(
        request,
        signed_in.principal,
        lambda s: cases.list_cases(s, limit=PAGE_SIZE, offset=(pagina - 1) * PAGE_SIZE),
    )
    rows = []
    for stored in found:
        state = CaseState.parse(stored.status)
        theme = Theme.parse(str(stored.document.get("theme", "")))
        rows.append(
            {
                "id": stored.id,
                "title": stored.document.get("title", ""),
                "theme": capital(theme.label) if theme else "",
                "state": capital(state.label) if state else stored.status,
                "lead": stored.lead,
                "updated": _moment(stored.updated_at),
            }
        )
    pages = max(1, -(-count // PAGE_SIZE))
    return page(request, "cases/list.html", title="Casussen", rows=rows, count=count, pagina=pagina, pages=pages)


# --- opening a case from a weighed signal ---------------------------------------------------------------------------


@get("/casussen/nieuw", name="advisor:new-case")
async def new_case_page(request: Request[Any, Any, Any], signed_in: WebSession, melding: FromQuery[str]) -> Template:
    """The form that opens a case from a signal whose weighing reached 'casus aanmaken'."""
    require_weigher(signed_in.principal)
    stored = await in_session(request, signed_in.principal, lambda s: signals.read_signal(s, melding))
    values = {"thema": stored.signal.theme.value, "vertrouwelijkheid": Confidentiality.CONFIDENTIAL.value}
    return _open_form(request, stored, values)


@post("/casussen/nieuw", name="advisor:open-case", status_code=303)
async def open_case(request: Request[Any, Any, Any], signed_in: WebSession) -> Response[Any]:
    """Open the case (as `POST /api/v1/cases`) and record the signal's weighing 'casus aanmaken' with the new case's id
    (as `POST /api/v1/signals/{id}/weighings`), in one transaction: both happen, or neither."""
    principal = signed_in.principal
    require_weigher(principal)
    form = await request.form()
    signal_id, version = text(form, "melding"), text(form, "versie")
    if not signal_id or not version.isdigit() or len(version) > 10:
        raise HTTPException(status_code=400, detail="onbekende melding of versie")
    values = {name: text(form, name).strip() for name in OPEN_FORM if name != "partners"}
    chosen = [value for value in form.getall("partners", []) if isinstance(value, str)]
    errors = _open_errors(values, chosen)
    problem = None
    if not errors:
        body = {
            "title": values["titel"],
            "theme": values["thema"],
            "confidentiality": values["vertrouwelijkheid"],
            "partners": chosen,
            "members": _names(values["leden"]),
            "signalIds": [signal_id],
        }

        def opened(session: Session) -> str:
            case = cases.open_case(session, body)
            weighing = {"type": "weighed", "decision": "openCase", "reason": values["reden"], "reference": case.id}
            signals.weigh(session, signal_id, int(version), weighing)
            return case.id

        try:
            case_id = await in_session(request, principal, opened)
            return Redirect(f"/casussen/{case_id}?melding=geopend", status_code=303)
        except StaleVersionError:
            problem = "Iemand anders heeft de melding intussen gewogen. Er is geen casus aangemaakt."
        except TransitionError as refused:
            problem = f"De melding kan nu geen casus worden: {refused.reason}."
        except InvalidInputError as invalid:
            errors = [FieldError(_open_field(p), OPEN_MESSAGES[_open_field(p)]) for p in invalid.problems]
    stored = await in_session(request, principal, lambda s: signals.read_signal(s, signal_id))
    values["partners"] = ",".join(chosen)
    return _open_form(request, stored, values, _first_per_field(errors, OPEN_FORM), problem, status=400)


def _open_errors(values: Mapping[str, str], partners: Sequence[str]) -> list[FieldError]:
    errors = []
    if not values["titel"] or len(values["titel"]) > 200:
        errors.append(FieldError("titel", OPEN_MESSAGES["titel"]))
    if Theme.parse(values["thema"]) is None:
        errors.append(FieldError("thema", OPEN_MESSAGES["thema"]))
    if Confidentiality.parse(values["vertrouwelijkheid"]) is None:
        errors.append(FieldError("vertrouwelijkheid", OPEN_MESSAGES["vertrouwelijkheid"]))
    if any(Partner.parse(partner) is None for partner in partners):
        errors.append(FieldError("partners", OPEN_MESSAGES["partners"]))
    if not values["reden"] or len(values["reden"]) > MAX_TEXT:
        errors.append(FieldError("reden", OPEN_MESSAGES["reden"]))
    return errors


def _open_field(problem: Problem) -> str:
    pointer = problem.pointer if problem.pointer.startswith("/") else "/" + problem.pointer
    return next((name for p, name in OPEN_POINTERS.items() if pointer == p or pointer.startswith(p + "/")), "titel")


def _names(value: str) -> list[str]:
    return [name.strip() for name in value.replace(";", ",").split(",") if name.strip()]


def _open_form(
    request: Request[Any, Any, Any],
    stored: Any,
    values: Mapping[str, str],
    errors: Sequence[FieldError] = (),
    problem: str | None = None,
    status: int = 200,
) -> Template:
    allowed = not refusals(stored.signal, WeighingDecision.OPEN_CASE)
    return page(
        request,
        "cases/new.html",
        title="Casus aanmaken",
        status=status,
        errors=errors,
        problem=problem,
        stored=stored,
        allowed=allowed,
        why_not=refusals(stored.signal, WeighingDecision.OPEN_CASE),
        values=values,
        chosen=set(values.get("partners", "").split(",")),
        theme_options=[(theme.value, capital(theme.label)) for theme in Theme],
        confidentiality_options=[(c.value, capital(c.label)) for c in Confidentiality],
        partner_options=[(p.value, p.label) for p in Partner],
    )


# --- one case -------------------------------------------------------------------------------------------------------


@get("/casussen/{case_id:str}", name="advisor:case")
async def case_page(
    request: Request[Any, Any, Any],
    signed_in: WebSession,
    case_id: FromPath[str],
    melding: FromQuery[str | None] = None,
) -> Template:
    """The case: members and partners, subjects, requests and answers, meetings, plan, driehoek, evidence, journal."""
    stored = await in_session(request, signed_in.principal, lambda s: cases.read_case(s, case_id))
    notice = {"geopend": OPENED, "bevestigd": CONFIRMED, "ontkoppeld": DETACHED}.get(melding or "")
    if melding is not None and melding in CASE_EVENTS_BY_TYPE:
        notice = DONE.format(label=CASE_EVENTS_BY_TYPE[melding].LABEL)
    return _case(request, signed_in.principal, stored, notice=notice)


@post("/casussen/{case_id:str}/stap", name="advisor:case-step", status_code=303)
async def case_step(request: Request[Any, Any, Any], signed_in: WebSession, case_id: FromPath[str]) -> Response[Any]:
    """One step of the case through the same use case as `POST /api/v1/cases/{id}/events`; the hidden version is
    its If-Match: a stale one changes nothing and says so."""
    integrations = app_resources(request).integrations
    principal = signed_in.principal
    form = await request.form()
    step, version = text(form, "stap"), text(form, "versie")
    if step not in STEP_FIELDS or not version.isdigit() or len(version) > 10:
        raise HTTPException(status_code=400, detail="onbekende stap of versie")
    body, errors = step_body(step, form)
    problem: str | None = None
    if not errors:
        try:
            await in_session(
                request, principal, lambda s: cases.record_case_event(s, integrations, case_id, int(version), body)
            )
            return Redirect(f"/casussen/{case_id}?melding={step}", status_code=303)
        except StaleVersionError:
            problem = STALE
        except TransitionError as refused:
            problem = f"Deze stap is nu niet mogelijk: {refused.reason}."
        except InvalidInputError as invalid:
            errors = [_step_error(step, p) for p in invalid.problems]
    stored = await in_session(request, principal, lambda s: cases.read_case(s, case_id))
    values = {f"{step}-{name}": _raw(form, name, kind) for name, _, kind in STEP_FIELDS[step]}
    return _case(request, principal, stored, status=409 if problem else 400, errors=errors, problem=problem,
                 values=values, open_step=step)  # fmt: skip


@post("/casussen/{case_id:str}/bewijs/{evidence_id:str}", name="advisor:evidence", status_code=303)
async def evidence_step(
    request: Request[Any, Any, Any], signed_in: WebSession, case_id: FromPath[str], evidence_id: FromPath[str]
) -> Response[Any]:
    """Confirm or detach an evidence item (as the API's confirmations and detachments), at the version seen."""
    integrations = app_resources(request).integrations
    principal = signed_in.principal
    form = await request.form()
    action, version = text(form, "actie"), text(form, "versie")
    if action not in ("bevestigen", "ontkoppelen") or not version.isdigit() or len(version) > 10:
        raise HTTPException(status_code=400, detail="onbekende actie of versie")
    reason = text(form, "reden").strip()
    field = f"bewijs-{evidence_id}-reden"
    errors: list[FieldError] = []
    if action == "ontkoppelen" and (not reason or len(reason) > MAX_TEXT):
        errors.append(FieldError(field, "Leg vast waarom dit bewijsstuk niet bij de casus hoort."))
    problem: str | None = None
    if not errors:
        try:
            if action == "bevestigen":
                await in_session(request, principal, lambda s: evidence.confirm_evidence(
                    s, integrations, case_id, evidence_id, int(version), {}))  # fmt: skip
                return Redirect(f"/casussen/{case_id}?melding=bevestigd#bewijs", status_code=303)
            await in_session(request, principal, lambda s: evidence.detach_evidence(
                s, integrations, case_id, evidence_id, int(version), {"reason": reason}))  # fmt: skip
            return Redirect(f"/casussen/{case_id}?melding=ontkoppeld#bewijs", status_code=303)
        except StaleVersionError:
            problem = STALE
        except TransitionError as refused:
            problem = f"Dit is nu niet mogelijk: {refused.reason}."
        except InvalidInputError as invalid:
            errors = [FieldError(field, sentence(p.message)) for p in invalid.problems]
    stored = await in_session(request, principal, lambda s: cases.read_case(s, case_id))
    return _case(request, principal, stored, status=409 if problem else 400, errors=errors, problem=problem,
                 values={field: reason})  # fmt: skip


def step_body(step: str, form: FormMultiDict) -> tuple[dict[str, Any], list[FieldError]]:
    """The case event as the API takes it, from the step's form; an empty required field is named at the field."""
    if step == "subjectsAdded":
        return _organisation_body(form)
    body: dict[str, Any] = {"type": step}
    errors: list[FieldError] = []
    intervention: dict[str, Any] = {}
    for name, _label, kind in STEP_FIELDS[step]:
        field = f"{step}-{name}"
        raw = text(form, name).strip()
        value: Any = raw
        if kind == "lines":
            value = [line.strip() for line in raw.splitlines() if line.strip()]
        elif kind == "partners":
            value = [v for v in form.getall(name, []) if isinstance(v, str) and v]
        elif kind == "optional" and name == "members":
            value = _names(raw)
        elif kind == "day":
            day = typed_day(raw)
            value = day.isoformat() if day else None
        too_long = isinstance(value, str) and len(value) > MAX_TEXT
        missing = kind in REQUIRED_KINDS and not value and not (step == "meetingHeld" and name in ("agenda",))
        if step == "meetingScheduled" and name == "agenda":
            missing = False
        unknown = (kind == "partner" and Partner.parse(raw) is None) or (
            kind == "partners" and any(Partner.parse(v) is None for v in value)
        )
        unknown = unknown or (kind == "kind" and InterventionKind.parse(raw) is None)
        unknown = unknown or (kind == "status" and InterventionStatus.parse(raw) is None)
        if missing or too_long or unknown:
            errors.append(FieldError(field, FIELD_MESSAGES[name]))
            continue
        if step == "planDrafted" and name != "goals":
            intervention[name] = value
        elif value or kind in ("partners", "optional"):
            body[name] = value
    if step == "planDrafted" and not errors:
        body["interventions"] = [{"id": "I1", **intervention}]
    return body, errors


def _organisation_body(form: FormMultiDict) -> tuple[dict[str, Any], list[FieldError]]:
    """An organisation (with its seat, when given) added to the case, as `subjectsAdded` takes it."""
    values = {name: text(form, name).strip() for name, _, _ in STEP_FIELDS["subjectsAdded"]}
    errors = [FieldError(f"subjectsAdded-{name}", FIELD_MESSAGES[name]) for name, value in values.items()
              if len(value) > MAX_TEXT]  # fmt: skip
    if not values["name"]:
        errors.append(FieldError("subjectsAdded-name", FIELD_MESSAGES["name"]))
    kvk = values["kvkNumber"].replace(" ", "")
    if kvk and not (kvk.isdigit() and len(kvk) == 8):
        errors.append(FieldError("subjectsAdded-kvkNumber", FIELD_MESSAGES["kvkNumber"]))
    organisation: dict[str, Any] = {"name": values["name"], **({"kvkNumber": kvk} if kvk else {})}
    address: dict[str, Any] = {key: values[key] for key in ("street", "postcode", "city") if values[key]}
    number = values["houseNumber"]
    if number:
        if number.isdigit() and 0 < int(number) < 100_000:
            address["houseNumber"] = int(number)
        else:
            errors.append(FieldError("subjectsAdded-houseNumber", FIELD_MESSAGES["houseNumber"]))
    if address and "street" not in address:
        errors.append(FieldError("subjectsAdded-street", FIELD_MESSAGES["street"]))
    if address:
        organisation["address"] = address
    subjects: dict[str, Any] = {"organisations": [organisation]}
    if address:
        subjects["addresses"] = [address]
    return {"type": "subjectsAdded", "subjects": subjects}, errors


def _raw(form: FormMultiDict, name: str, kind: str) -> str:
    if kind == "partners":
        return ",".join(v for v in form.getall(name, []) if isinstance(v, str))
    return text(form, name)


def _step_error(step: str, problem: Problem) -> FieldError:
    parts = [part for part in problem.pointer.strip("/").split("/") if part]
    names = [name for name, _, _ in STEP_FIELDS[step]]
    name = next((part for part in reversed(parts) if part in names), names[0] if names else "")
    if not name:
        return FieldError(f"stap-{step}", sentence(problem.message))
    return FieldError(f"{step}-{name}", FIELD_MESSAGES.get(name, sentence(problem.message)))


def _first_per_field(errors: Sequence[FieldError], order: Sequence[str]) -> list[FieldError]:
    first: dict[str, FieldError] = {}
    for error in errors:
        first.setdefault(error.field, error)
    return [first[name] for name in order if name in first]


def steps_for(principal: Principal, case: Case) -> list[str]:
    """The steps the page offers this user now: what the lifecycle allows in the case's state, the mayor only the
    approval in the driehoek, only the lead the members."""
    allowed = {kind.TYPE for kind in allowed_events(case.state)}
    if principal.role is Role.MAYOR:
        return [step for step in STEP_FIELDS if step == "triangleApproved" and step in allowed]
    offered = [step for step in STEP_FIELDS if step in allowed and step != "triangleApproved"]
    if principal.user != case.lead:
        offered = [step for step in offered if step != "membersChanged"]
    if case.plan is not None and not case.plan.needs_triangle:
        offered = [step for step in offered if step != "triangleAlignmentRequested"]
    elif case.plan is not None:
        offered = [step for step in offered if step != "planAdopted"]
    return offered


def _evidence_row(item: EvidenceItem) -> dict[str, Any]:
    return {
        "item": item,
        "kind": capital(item.kind.label),
        "status": capital(item.status.label),
        "confirmable": item.status in (EvidenceStatus.TO_REVIEW, EvidenceStatus.LINKED),
        "detachable": item.status not in (EvidenceStatus.DETACHED,),
        "by_itself": bool(item.match_explanation),
    }


def _case(
    request: Request[Any, Any, Any],
    principal: Principal,
    stored: StoredCase,
    *,
    status: int = 200,
    errors: Sequence[FieldError] = (),
    problem: str | None = None,
    notice: str | None = None,
    values: Mapping[str, str] | None = None,
    open_step: str = "",
) -> Template:
    case = stored.case
    mayor = principal.role is Role.MAYOR
    labels = STEP_TITLES
    interventions = case.plan.interventions if case.plan else ()
    options: dict[str, Callable[[], list[tuple[str, str]]]] = {
        "partner": lambda: [(p.value, p.label) for p in Partner],
        "partners": lambda: [(p.value, p.label) for p in Partner],
        "request": lambda: [(r.id, f"{r.id} ({r.partner.label})") for r in case.requests if r.answered is None],
        "intervention": lambda: [(i.id, f"{i.id}: {i.description}") for i in interventions],
        "status": lambda: [(s.value, capital(s.label)) for s in InterventionStatus],
        "kind": lambda: [(k.value, capital(k.label)) for k in InterventionKind],
    }
    defaults = {"partnersSelected-partners": ",".join(p.value for p in case.partners),
                "membersChanged-members": ", ".join(case.members),
                "meetingHeld-attendees": ",".join(p.value for p in case.partners)}  # fmt: skip
    return page(
        request,
        "cases/case.html",
        title=f"Casus {stored.id}",
        status=status,
        errors=errors,
        problem=problem,
        notice=notice,
        stored=stored,
        case=case,
        mayor=mayor,
        state=capital(case.state.label),
        registered=_moment(case.registration.at),
        steps=[(step, labels[step], STEP_FIELDS[step]) for step in steps_for(principal, case)],
        options={kind: make() for kind, make in options.items()},
        values=defaults | dict(values or {}),
        open_step=open_step,
        evidence=[_evidence_row(item) for item in case.evidence],
        may_change_evidence=not mayor and case.state.is_open,
        requests=case.requests,
        meetings=case.meetings,
        plan=case.plan,
        approval=case.approval,
        journal=[(_moment(e.at), e.by, e.text) for e in reversed(case.journal)],
        moment=_moment,
        dutch_date=dutch_date,
        capital=capital,
    )


@get("/casussen/{case_id:str}/netwerk", name="advisor:network")
async def network_page(request: Request[Any, Any, Any], signed_in: WebSession, case_id: FromPath[str]) -> Template:
    """The network picture of the case (the same nodes and edges as `GET /api/v1/cases/{id}/network`): drawn with
    Cytoscape.js when scripts run, and always as plain tables of the edges and nodes (screen readers, printing)."""
    catalogue = app_resources(request).catalogue
    picture = await in_session(request, signed_in.principal, lambda s: network(s, case_id, catalogue))
    view = network_view(case_id, picture)
    labels = {node.id: node for node in view.nodes}
    edges = [(labels[e.source], e, labels[e.target]) for e in view.edges]
    kinds = [(kind.value, capital(kind.label), sum(1 for n in view.nodes if n.kind == kind.value)) for kind in NodeKind]
    return page(
        request,
        "cases/network.html",
        title=f"Netwerkbeeld casus {case_id}",
        case_id=case_id,
        view=view,
        edges=edges,
        kinds=kinds,
        capital=capital,
    )


@get("/casussen/{case_id:str}/netwerk/gegevens", name="advisor:network-data")
async def network_data(request: Request[Any, Any, Any], signed_in: WebSession, case_id: FromPath[str]) -> CaseNetwork:
    """What the page's script draws: the same JSON as `GET /api/v1/cases/{id}/network`, for the signed-in user."""
    catalogue = app_resources(request).catalogue
    picture = await in_session(request, signed_in.principal, lambda s: network(s, case_id, catalogue))
    return network_view(case_id, picture)


CASE_HANDLERS = (cases_page, new_case_page, open_case, case_page, case_step, evidence_step, network_page, network_data)
