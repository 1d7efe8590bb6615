"""The permit officer's desk: the worklist (aanvragen), registering an application, and an application's overview
with its terms and the lifecycle steps allowed now. Every page calls the same use cases as the JSON API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from bibob.applications import EVENTS_BY_TYPE, ApplicationState, ScreeningTrigger
from bibob.exceptions import InvalidInputError, Problem, TransitionError
from bibob.legal import LegalAct, PermitType, Track
from bibob.questionnaires import Catalogue
from bibob.terms import dutch_date
from service.errors import refused_create_record
from service.http import in_session, in_transaction
from service.resources import app_resources
from service.store.accounts import WebSession
from service.store.errors import IdTakenError, StaleVersionError
from service.usecases.applications import record_event, register_application
from service.usecases.overview import Overview, application_overview, draft
from service.usecases.worklist import MARK_TEXT, Entry, Query, worklist
from service.views.application_requests import application_filters, new_application
from service.web.forms import FieldError, capital, sentence, text, typed_day
from service.web.rendering import page

PAGE_SIZE = 50  # a worklist page: fifty applications, one page for most officers
MAX_SEARCH = 200
MAX_TEXT = 2000  # a motivation or a name on a step
STALE = (
    "Iemand anders heeft deze aanvraag intussen gewijzigd. Bekijk de actuele stand hieronder en probeer het zo "
    "nodig opnieuw."
)
SORTS = {"termijn": "deadline", "aanvrager": "applicant", "nieuw": "newest"}
SORT_LABELS = {"termijn": "eerstvolgende termijn", "aanvrager": "naam aanvrager", "nieuw": "nieuwste eerst"}
# registration: the form's field for each pointer the shared validation names
REGISTER_FIELDS = {
    "/id": "kenmerk",
    "/permitType": "soort",
    "/legalAct": "rechtshandeling",
    "/track": "spoor",
    "/received": "ontvangen",
    "/questionnaireId": "vragenformulier",
}
REGISTER_MESSAGES = {
    "kenmerk": "Een kenmerk is 1 tot 36 tekens: letters, cijfers, punt, liggend streepje of koppelteken. Of laat het "
    "leeg, dan maken wij er een.",
    "soort": "Kies de soort vergunning.",
    "rechtshandeling": "Kies de rechtshandeling.",
    "spoor": "Kies of het een nieuwe aanvraag is of een bestaande beschikking.",
    "ontvangen": "Vul de datum van ontvangst in als dag, maand en jaar, bijvoorbeeld 15-10-2026.",
    "vragenformulier": "Kies een vragenformulier, of laat het beleid er een kiezen (dat kan niet voor deze soort).",
}
DONE = "De stap ‘{label}’ is vastgelegd."
REGISTERED = "De aanvraag is geregistreerd."
# events: the form fields beside the date, per type (name, label, kind)
EVENT_FIELDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "screeningDetermined": (("screening", "Bibob-toets", "screening"), ("motivation", "Motivering", "text")),
    "repairRequested": (("termEnd", "Aanvullen uiterlijk op", "date"),),
    "notProcessedDecided": (
        ("decidedBy", "Besloten door (naam en functie)", "text"),
        ("motivation", "Motivering", "text"),
    ),
    "lbbRequested": (("applicantInformedOn", "Betrokkene schriftelijk geïnformeerd op (art. 32)", "date"),),
    "lbbExtended": (("term", "Verlenging in weken (art. 15 lid 3, hoogstens 4)", "weeks"),),
    "decisionExtended": (("term", "Verdaging in weken (Awb 4:14)", "weeks"),),
    "intentionSent": (
        ("kind", "Soort voornemen", "intention"),
        ("zienswijzeTerm", "Zienswijzetermijn in weken", "weeks"),
    ),
    "investigationClosed": (
        ("decidedBy", "Besloten door (naam en functie)", "text"),
        ("motivation", "Motivering", "text"),
    ),
    "objectionDecided": (
        ("decidedBy", "Besloten door (naam en functie)", "text"),
        ("motivation", "Motivering", "text"),
    ),
    "cooperationRefused": (("motivation", "Motivering", "text"),),
    "lbbAdviceCopySent": (
        ("sentBy", "Verstrekt door (naam en functie)", "text"),
        ("secrecyWarning", "Schriftelijke waarschuwing over de geheimhoudingsplicht (art. 28)", "text"),
    ),
    "dangerConclusionRegistered": (("registeredBy", "Geregistreerd door (naam en functie)", "text"),),
    "withdrawalRegistered": (("registeredBy", "Geregistreerd door (naam en functie)", "text"),),
    "fileClosed": (("closedBy", "Gesloten door (naam en functie)", "text"),),
    "objectionDecisionExtended": (("term", "Verdaging in weken (Awb 7:10 lid 3, hoogstens 6)", "weeks"),),
    # the Bibob register and tips (sinds 1 oktober 2022)
    "screeningTriggered": (
        ("trigger", "Aanleiding", "trigger"),
        ("source", "Van wie kwam de tip of het advies (bij een tip of een RIEC-advies)", "text"),
        ("note", "Toelichting (niet verplicht)", "text"),
    ),
    "registerConsulted": (
        ("consultedBy", "Geraadpleegd door (naam en functie)", "text"),
        ("subjects", "Betrokkenen naar wie is gezocht, één per regel", "lines"),
        ("hit", "Treffer in het Bibob-register", "yesNo"),
    ),
    "tipSent": (
        ("sentBy", "Verstuurd door (naam en functie)", "text"),
        ("recipient", "Aan welk bestuursorgaan", "text"),
        ("purpose", "Waarvoor, in het kort (niet verplicht)", "text"),
    ),
}
# fields a form must have filled before the step goes to the use case: each one missing is named at once
REQUIRED = frozenset({("registerConsulted", "consultedBy"), ("tipSent", "sentBy"), ("tipSent", "recipient")})
MAX_SUBJECTS = 50  # subjects of one register consultation
CHOICES = {
    "screening": (
        ("mandatory", "altijd Bibob-toets volgens beleid"),
        ("onIndication", "Bibob-toets op grond van een aanleiding"),
        ("none", "geen Bibob-toets"),
    ),
    "intention": (
        ("negative", "voornemen tot weigering of intrekking"),
        ("conditions", "voornemen tot voorschriften (art. 3 lid 7)"),
    ),
    "trigger": tuple((trigger.value, capital(trigger.label)) for trigger in ScreeningTrigger),
}
CHOICE_PROMPTS = {"trigger": "Kies de aanleiding"}  # a select that starts empty: the officer chooses
YES_NO = (("ja", "Ja, een treffer"), ("nee", "Nee, geen treffer"))
STEP_NOTES = {  # what the law says of a step, above its form
    "screeningTriggered": "Een tip of een treffer is alleen een aanleiding voor een onderzoek, geen feit over de "
    "aanvrager.",
    "tipSent": "Een tip zegt alleen dat er aanleiding is voor een Bibob-onderzoek, niet waarom. Hij wordt vastgelegd "
    "als verstrekking (art. 28 Wet Bibob).",
}


# --- the worklist ---------------------------------------------------------------------------------------------------


@get("/aanvragen", name="officer:worklist")
async def worklist_page(
    request: Request[Any, Any, Any],
    signed_in: NamedDependency[WebSession],
    stand: FromQuery[str | None] = None,
    soort: FromQuery[str | None] = None,
    sorteer: FromQuery[str] = "termijn",
    pagina: FromQuery[int] = 1,
    melding: FromQuery[str | None] = None,
) -> Template:
    """The applications the officer may see: filters and order in the URL (no personal data), search by POST."""
    return await _worklist(request, signed_in, _filters(stand, soort, sorteer, pagina))


@post("/aanvragen/zoeken", name="officer:search", status_code=200)
async def search_page(request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession]) -> Template:
    """The worklist searched by name, KvK number or address: posted, so that no name travels in a URL."""
    form = await request.form()
    number = text(form, "pagina")
    filters = _filters(text(form, "stand") or None, text(form, "soort") or None, text(form, "sorteer") or "termijn",
                       int(number) if number.isdigit() and len(number) < 7 else 1)  # fmt: skip
    wanted = text(form, "zoek").strip()
    if len(wanted) > MAX_SEARCH:
        error = FieldError("zoek", f"Zoek op hoogstens {MAX_SEARCH} tekens.")
        return await _worklist(request, signed_in, filters, status=400, errors=[error])
    return await _worklist(request, signed_in, filters, search=wanted)


def _row(entry: Entry) -> tuple[str, ...]:
    """One worklist row as the strings it shows (the template only escapes them: fifty rows render fast)."""
    upcoming, application = entry.next_deadline, entry.application
    return (
        entry.stored.id,
        entry.applicant.name,
        entry.applicant.establishment or "—",
        application.permit_type.label,
        application.state.label,
        dutch_date(upcoming.due) if upcoming else "",
        upcoming.label if upcoming else "",
        entry.mark or "",
        MARK_TEXT[entry.mark] if entry.mark else "",
    )


def _filters(state: str | None, permit_type: str | None, sort: str, number: int) -> dict[str, Any]:
    problems: list[Problem] = []
    try:
        application_filters(state or None, permit_type or None)
    except InvalidInputError as error:
        problems += error.problems
    if sort not in SORTS:
        problems.append(Problem("sorteer", "enum", "onbekende sortering"))
    if not 1 <= number <= 100_000:
        problems.append(Problem("pagina", "outOfRange", "onbekende pagina"))
    if problems:
        raise InvalidInputError(problems)
    return {"stand": state or "", "soort": permit_type or "", "sorteer": sort, "pagina": number}


async def _worklist(
    request: Request[Any, Any, Any],
    signed_in: NamedDependency[WebSession],
    filters: dict[str, Any],
    *,
    search: str = "",
    status: int = 200,
    errors: Sequence[FieldError] = (),
) -> Template:
    query = Query(
        state=filters["stand"] or None,
        permit_type=filters["soort"] or None,
        text=search,
        sort=SORTS[filters["sorteer"]],  # type: ignore[arg-type]
        limit=PAGE_SIZE,
        offset=(filters["pagina"] - 1) * PAGE_SIZE,
    )
    shared = app_resources(request)
    entries, count = await in_session(
        request, signed_in.principal, lambda s: worklist(s, shared.catalogue, shared.policy, shared.calendar, query)
    )
    pages = max(1, -(-count // PAGE_SIZE))
    base = {key: value for key, value in filters.items() if value and key != "pagina"}
    return page(
        request,
        "applications/worklist.html",
        title="Aanvragen",
        status=status,
        errors=errors,
        rows=[_row(entry) for entry in entries],
        count=count,
        filters=filters,
        search=search,
        pages=pages,
        page_url=lambda number: "/aanvragen?" + urlencode({**base, "pagina": number}),
        sort_url=lambda key: "/aanvragen?" + urlencode({**base, "sorteer": key}),
        states=list(ApplicationState),
        permit_types=list(PermitType),
        sort_labels=SORT_LABELS,
        mark_text=MARK_TEXT,
        dutch_date=dutch_date,
        today=_today(request),
        notice=REGISTERED if request.query_params.get("melding") == "geregistreerd" else None,
    )


# --- registering ----------------------------------------------------------------------------------------------------


@get("/aanvragen/nieuw", name="officer:new")
async def new_page(request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession]) -> Template:
    """The form to register an application."""
    catalogue = app_resources(request).catalogue
    return _new_form(request, catalogue, {"spoor": "application", "rechtshandeling": "vergunning"})


@post("/aanvragen/nieuw", name="officer:register", status_code=303)
async def register(request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession]) -> Response[Any]:
    """Register through the same validation and use case as `POST /api/v1/applications`; every problem at once."""
    shared = app_resources(request)
    catalogue, policy = shared.catalogue, shared.policy
    form = await request.form()
    values = {name: text(form, name).strip() for name in REGISTER_FIELDS.values()}
    body: dict[str, Any] = {
        key: values[name] for key, name in (
            ("id", "kenmerk"), ("permitType", "soort"), ("legalAct", "rechtshandeling"), ("track", "spoor"),
            ("questionnaireId", "vragenformulier"),
        ) if values[name]
    }  # fmt: skip
    received = typed_day(values["ontvangen"])
    if values["ontvangen"]:
        body["received"] = received.isoformat() if received else values["ontvangen"]
    try:
        application, questionnaire = new_application(body, catalogue, policy)
        stored = await in_session(
            request, signed_in.principal, lambda s: register_application(s, application, questionnaire)
        )
    except InvalidInputError as error:
        if isinstance(error, IdTakenError):  # the attempt is audited, as over the API (`service.errors.id_taken`)
            record = refused_create_record(signed_in.principal, error, "")
            await in_transaction(request.app.state, record)
        errors = _register_errors(error.problems)
        if not values["vragenformulier"] and any(e.field == "soort" for e in errors):  # the policy's needs a soort
            errors = [e for e in errors if e.field != "vragenformulier"]
        return _new_form(request, catalogue, values, errors, status=400)
    return Redirect(f"/aanvragen/{stored.id}?melding=geregistreerd", status_code=303)


def _register_errors(problems: Sequence[Problem]) -> list[FieldError]:
    fields: dict[str, str] = {}
    for problem in problems:
        name = REGISTER_FIELDS.get("/" + problem.pointer.strip("/").split("/")[0], "kenmerk")
        message = "Er bestaat al een aanvraag met dit kenmerk." if problem.code == "id.taken" else None
        fields.setdefault(name, message or REGISTER_MESSAGES[name])
    order = list(REGISTER_FIELDS.values())
    return [FieldError(name, fields[name]) for name in sorted(fields, key=order.index)]


def _new_form(
    request: Request[Any, Any, Any],
    catalogue: Catalogue,
    values: Mapping[str, str],
    errors: Sequence[FieldError] = (),
    status: int = 200,
) -> Template:
    questionnaires = sorted((catalogue[identifier].id, catalogue[identifier].title) for identifier in catalogue)
    return page(
        request,
        "applications/new.html",
        title="Aanvraag registreren",
        status=status,
        errors=errors,
        values=values,
        permit_type_options=[(kind.value, kind.label) for kind in PermitType],
        legal_act_options=[(act.value, act.label) for act in LegalAct],
        track_options=[(track.value, capital(track.label)) for track in Track],
        questionnaires=questionnaires,
    )


# --- one application ------------------------------------------------------------------------------------------------


@get("/aanvragen/{application_id:str}", name="officer:application")
async def application_page(
    request: Request[Any, Any, Any],
    signed_in: NamedDependency[WebSession],
    application_id: FromPath[str],
    melding: FromQuery[str | None] = None,
) -> Template:
    """The overview: applicant, state, completeness, the terms, the steps allowed now and why others are not."""
    shared = app_resources(request)
    catalogue, policy, calendar = shared.catalogue, shared.policy, shared.calendar
    overview = await in_session(
        request, signed_in.principal, lambda s: application_overview(s, catalogue, policy, calendar, application_id)
    )
    notice = REGISTERED if melding == "geregistreerd" else None
    if melding in EVENTS_BY_TYPE:
        notice = DONE.format(label=EVENTS_BY_TYPE[melding].LABEL)
    return _overview(request, signed_in, overview, notice=notice)


@post("/aanvragen/{application_id:str}/stappen", name="officer:event", status_code=303)
async def record_step(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], application_id: FromPath[str]
) -> Response[Any]:
    """One lifecycle step through the same use case as `POST /api/v1/applications/{id}/events`; the hidden version
    field is its If-Match: a stale one changes nothing and says so."""
    shared = app_resources(request)
    catalogue, policy, calendar = shared.catalogue, shared.policy, shared.calendar
    form = await request.form()
    kind, version = text(form, "type"), text(form, "versie")
    if kind not in EVENT_FORMS or not version.isdigit() or len(version) > 10:
        raise HTTPException(status_code=400, detail="onbekende stap of versie")
    body, errors = _event_body(kind, form)
    principal = signed_in.principal
    problem: str | None = None
    if not errors:
        try:
            await in_session(
                request, principal, lambda s: record_event(s, catalogue, application_id, int(version), body)
            )
            return Redirect(f"/aanvragen/{application_id}?melding={kind}", status_code=303)
        except StaleVersionError:
            problem = STALE
        except TransitionError as refused:
            problem = f"Deze stap is nu niet mogelijk: {refused.reason}."
        except InvalidInputError as invalid:
            errors = [FieldError(f"{kind}-{_field_of(p)}", sentence(p.message)) for p in invalid.problems]
    overview = await in_session(
        request, principal, lambda s: application_overview(s, catalogue, policy, calendar, application_id)
    )
    status = 409 if problem else 400
    return _overview(request, signed_in, overview, status=status, errors=errors, problem=problem, open_step=kind,
                     values={f"{kind}-{name}": text(form, name) for name in ("on", *_names(kind))})  # fmt: skip


def _names(kind: str) -> tuple[str, ...]:
    return tuple(name for name, _, _ in EVENT_FIELDS.get(kind, ()))


EVENT_FORMS = frozenset(
    kind
    for kind in EVENTS_BY_TYPE
    if kind not in {"decisionRecorded", "ownInvestigationConcluded", "lbbAdviceReceived"}
)


def _event_body(kind: str, form: FormMultiDict) -> tuple[dict[str, Any], list[FieldError]]:
    """The event as the API takes it, from the step's form; a day, a number, a choice or a required field that is
    missing or cannot be read is named at its field, all at once."""
    body: dict[str, Any] = {"type": kind}
    errors: list[FieldError] = []
    for name, label, shape in (("on", "Datum", "date"), *EVENT_FIELDS.get(kind, ())):
        value, field = text(form, name).strip(), f"{kind}-{name}"
        if shape == "date":
            day = typed_day(value)
            if day is None:
                errors.append(FieldError(field, f"{label}: vul een datum in, bijvoorbeeld 15-10-2026."))
            else:
                body[name] = day.isoformat()
        elif shape == "weeks":
            if not value.isdigit() or not 1 <= int(value) <= 52:
                errors.append(FieldError(field, f"{label}: vul een aantal weken in van 1 tot 52."))
            else:
                body[name] = {"amount": int(value), "unit": "weeks"}
        elif shape == "trigger":
            if ScreeningTrigger.parse(value) is None:
                errors.append(FieldError(field, f"{label}: kies de aanleiding voor de Bibob-toets."))
            else:
                body[name] = value
        elif shape == "yesNo":
            if value not in {"ja", "nee"}:
                errors.append(FieldError(field, f"{label}: kies ja of nee."))
            else:
                body[name] = value == "ja"
        elif shape == "lines":
            lines = [line.strip() for line in value.splitlines() if line.strip()]
            if not lines:
                errors.append(FieldError(field, f"{label}: noem ten minste één betrokkene."))
            elif len(lines) > MAX_SUBJECTS or any(len(line) > MAX_TEXT for line in lines):
                errors.append(FieldError(field, f"{label}: hoogstens {MAX_SUBJECTS} regels van {MAX_TEXT} tekens."))
            else:
                body[name] = lines
        elif len(value) > MAX_TEXT:
            errors.append(FieldError(field, f"{label}: hoogstens {MAX_TEXT} tekens."))
        elif value:
            body[name] = value
        elif (kind, name) in REQUIRED:
            errors.append(FieldError(field, f"{label}: vul dit in."))
    trigger = ScreeningTrigger.parse(body.get("trigger"))  # a tip or an advice names who gave it (the rule's words)
    named = {error.field for error in errors}  # an overlong source is already named
    if trigger is not None and trigger.needs_source and "source" not in body and f"{kind}-source" not in named:
        errors.append(FieldError(f"{kind}-source", f"Noem van wie de aanleiding kwam ({trigger.label})."))
    return body, errors


def _field_of(problem: Problem) -> str:
    parts = problem.pointer.strip("/").split("/")
    return parts[0] if parts and parts[0] else "on"


def _overview(
    request: Request[Any, Any, Any],
    signed_in: NamedDependency[WebSession],
    overview: Overview,
    *,
    status: int = 200,
    errors: Sequence[FieldError] = (),
    problem: str | None = None,
    notice: str | None = None,
    open_step: str = "",
    values: Mapping[str, str] | None = None,
) -> Template:
    stored = overview.timeline.application
    application = stored.application
    today = overview.timeline.on
    defaults: dict[str, str] = {}
    for step in overview.steps:
        proposed = draft(step.type, application, today, signed_in.principal.user)
        for name, value in proposed.items():
            shown = value["amount"] if isinstance(value, dict) else value
            defaults[f"{step.type}-{name}"] = (
                _shown_day(shown) if name in {"on", "termEnd", "applicantInformedOn"} else str(shown)
            )
    for name in ("investigationClosed-motivation", "investigationClosed-decidedBy", "notProcessedDecided-decidedBy",
                 "objectionDecided-decidedBy"):  # fmt: skip
        defaults.pop(name, None)  # who decided is for the officer to write, never the account name
    return page(
        request,
        "applications/overview.html",
        title=f"Aanvraag {stored.id}",
        status=status,
        errors=errors,
        overview=overview,
        stored=stored,
        entry=overview.entry,
        state_label=application.state.label,
        problem=problem,
        notice=notice,
        open_step=open_step,
        values=defaults | dict(values or {}),
        event_fields=EVENT_FIELDS,
        choices=CHOICES,
        choice_prompts=CHOICE_PROMPTS,
        yes_no=YES_NO,
        step_notes=STEP_NOTES,
        event_forms=EVENT_FORMS,
        mark_text=MARK_TEXT,
        dutch_date=dutch_date,
        today=today,
    )


def _shown_day(value: object) -> str:
    day = dt.date.fromisoformat(value) if isinstance(value, str) else None
    return day.strftime("%d-%m-%Y") if day else str(value)


def _today(request: Request[Any, Any, Any]) -> dt.date:
    now: dt.datetime = app_resources(request).clock()
    return now.astimezone().date()


OFFICER_HANDLERS = (worklist_page, search_page, new_page, register, application_page, record_step)
