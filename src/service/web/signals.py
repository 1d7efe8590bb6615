"""The safety advisor's desk: the inbox of signals (meldingen), registering one received by phone or at the desk,
and one signal with its history and the weighing steps allowed now. Every page calls the same use cases as the API
(`take_in`, `inbox`, `read_signal`, `weigh`); filters in the URL are codes only, never personal data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from bibob.exceptions import InvalidInputError, Problem, TransitionError
from bibob.terms import dutch_date
from bibob.undermining import (
    Assigned,
    Channel,
    Partner,
    SignalSource,
    SignalState,
    SourceChecked,
    Theme,
    Weighed,
    WeighingDecision,
    refusals,
)
from service.http import in_session
from service.resources import app_resources
from service.store.accounts import WebSession
from service.store.errors import StaleVersionError
from service.store.signals import StoredSignal, require_weigher
from service.usecases import signals
from service.views.signals import inbox_filter, intake
from service.web.forms import FieldError, capital, sentence, text, typed_day
from service.web.rendering import page

PAGE_SIZE = 50
MAX_TEXT = 4000
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
STALE = (
    "Iemand anders heeft deze melding intussen gewogen. Bekijk de actuele stand hieronder en probeer het zo nodig "
    "opnieuw."
)
REGISTERED = "De melding is geregistreerd. Weeg haar hieronder."
DONE = "De stap ‘{label}’ is vastgelegd."
NEW = "nieuw"  # the mark of a signal nobody has weighed yet
SOURCE_CHECK = "sourceChecked"
ASSIGN = "assigned"
ASSIGNED = "De melding is toegewezen; de adviseur krijgt een notificatie."
# the registration form: (field, label); the order of the error summary
INTAKE_FORM = (
    "bron", "kanaal", "ontvangen-datum", "ontvangen-tijd", "thema", "tekst", "achternaam", "voornamen",
    "geboortedatum", "straat", "huisnummer", "toevoeging", "postcode", "plaats", "melder-naam", "melder-telefoon",
    "melder-email",
)  # fmt: skip
INTAKE_POINTERS = {
    "/source": "bron",
    "/channel": "kanaal",
    "/received": "ontvangen-datum",
    "/text": "tekst",
    "/theme": "thema",
    "/subjects/persons/0/surname": "achternaam",
    "/subjects/persons/0/firstNames": "voornamen",
    "/subjects/persons/0/dateOfBirth": "geboortedatum",
    "/subjects/persons": "achternaam",
    "/subjects/addresses/0/street": "straat",
    "/subjects/addresses/0/houseNumber": "huisnummer",
    "/subjects/addresses/0/houseNumberAddition": "toevoeging",
    "/subjects/addresses/0/postcode": "postcode",
    "/subjects/addresses/0/city": "plaats",
    "/subjects/addresses": "straat",
    "/subjects": "achternaam",
    "/reporter/name": "melder-naam",
    "/reporter/phone": "melder-telefoon",
    "/reporter/email": "melder-email",
    "/reporter": "melder-naam",
}
INTAKE_MESSAGES = {
    "bron": "Kies van wie de melding komt.",
    "kanaal": "Kies hoe de melding binnenkwam.",
    "ontvangen-datum": "Vul de datum van ontvangst in als dag-maand-jaar, bijvoorbeeld 02-03-2026; niet in de "
    "toekomst.",
    "ontvangen-tijd": "Vul het tijdstip in als uren:minuten, bijvoorbeeld 09:30.",
    "thema": "Kies het thema.",
    "tekst": f"Beschrijf wat er gemeld is, in hoogstens {MAX_TEXT} tekens.",
    "achternaam": "Vul de achternaam van de persoon in.",
    "voornamen": f"Voornamen: hoogstens {MAX_TEXT} tekens.",
    "geboortedatum": "Vul de geboortedatum in als dag-maand-jaar, bijvoorbeeld 14-07-1980, of laat het leeg.",
    "straat": "Vul de straat van het adres in.",
    "huisnummer": "Vul het huisnummer in als getal van 1 tot 99999.",
    "toevoeging": f"Toevoeging: hoogstens {MAX_TEXT} tekens.",
    "postcode": f"Postcode: hoogstens {MAX_TEXT} tekens.",
    "plaats": f"Plaats: hoogstens {MAX_TEXT} tekens.",
    "melder-naam": "Vul de naam van de melder in, of laat alle gegevens van de melder leeg (anoniem).",
    "melder-telefoon": f"Telefoon: hoogstens {MAX_TEXT} tekens.",
    "melder-email": f"E-mail: hoogstens {MAX_TEXT} tekens.",
}
ANONYMOUS_REPORTER = "Een melding van een anonieme bron bevat geen gegevens van de melder: laat die leeg."
NO_SUBJECT = "Vul ten minste een adres of een persoon in waar de melding over gaat."
# the weighing forms: the fields beside the reason, per decision (name, label, kind)
DECISION_FIELDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "referToPartner": (("partner", "Doorverwijzen naar", "partner"),),
    "toDepartment": (("department", "Afdeling die de regie neemt", "text"),),
    "toRiec": (("reference", "Kenmerk bij het RIEC (als dat er al is)", "optional"),),
    "openCase": (("reference", "Kenmerk van de casus die wordt aangemaakt", "text"),),
}
WEIGHING_MESSAGES = {
    "reason": "Leg de reden van de beslissing vast.",
    "partner": "Kies de partner naar wie u doorverwijst.",
    "department": "Noem de afdeling die de regie neemt.",
    "reference": "Noem het kenmerk van de casus.",
    "source": "Noem de geraadpleegde bron.",
    "hit": "Kies of de bron iets opleverde (hit) of niet (no-hit).",
    "approvedBy": "Noem de privacyfunctionaris die de raadpleging goedkeurde.",
    "assignee": "Kies de veiligheidsadviseur aan wie u de melding toewijst.",
}
WEIGHING_NAMES = ("reason", "partner", "department", "reference", "source", "hit", "approvedBy", "assignee")


# --- the inbox ------------------------------------------------------------------------------------------------------


@get("/meldingen", name="advisor:inbox")
async def inbox_page(
    request: Request[Any, Any, Any],
    signed_in: WebSession,
    stand: FromQuery[str | None] = None,
    thema: FromQuery[str | None] = None,
    bron: FromQuery[str | None] = None,
    pagina: FromQuery[int] = 1,
) -> Template:
    """The signals the advisor weighs, newest first: filters by state, theme and source as codes in the URL."""
    require_weigher(signed_in.principal)
    if not 1 <= pagina <= 100_000:
        raise InvalidInputError([Problem("pagina", "outOfRange", "onbekende pagina")])
    where = inbox_filter(stand or None, bron or None, thema or None, None, None)
    filters = {"stand": stand or "", "thema": thema or "", "bron": bron or ""}
    found, count = await in_session(
        request,
        signed_in.principal,
        lambda s: signals.inbox(s, where, limit=PAGE_SIZE, offset=(pagina - 1) * PAGE_SIZE),
    )
    pages = max(1, -(-count // PAGE_SIZE))
    base = {key: value for key, value in filters.items() if value}
    return page(
        request,
        "signals/inbox.html",
        title="Meldingen",
        rows=[_row(stored) for stored in found],
        count=count,
        filters=filters,
        pagina=pagina,
        pages=pages,
        page_url=lambda number: "/meldingen?" + urlencode({**base, "pagina": number}),
        states=list(SignalState),
        themes=list(Theme),
        sources=list(SignalSource),
        filtered=bool(base),
    )


def _row(stored: StoredSignal) -> dict[str, str]:
    signal = stored.signal
    return {
        "id": stored.id,
        "source": signal.source.label,
        "theme": signal.theme.label,
        "received": _moment(signal.received),
        "state": signal.state.label,
        "mark": NEW if signal.state is SignalState.RECEIVED else "",  # an assignment is no weighing
    }


def _moment(at: dt.datetime) -> str:
    local = at.astimezone(DUTCH_TIME)
    return f"{dutch_date(local.date())}, {local:%H:%M}"


# --- registering ----------------------------------------------------------------------------------------------------


@get("/meldingen/nieuw", name="advisor:new")
async def new_signal_page(request: Request[Any, Any, Any], signed_in: WebSession) -> Template:
    """The form to register a signal received by phone or at the desk."""
    require_weigher(signed_in.principal)
    now = _now(request)
    values = {
        "kanaal": "phone",
        "thema": "other",
        "ontvangen-datum": f"{now:%d-%m-%Y}",
        "ontvangen-tijd": f"{now:%H:%M}",
    }
    return _new_form(request, values)


@post("/meldingen/nieuw", name="advisor:register", status_code=303, opt={"rateLimit": "signalIntake"})
async def register_signal(request: Request[Any, Any, Any], signed_in: WebSession) -> Response[Any]:
    """Register through the same validation and use case as `POST /api/v1/signals`; every problem at once."""
    require_weigher(signed_in.principal)
    form = await request.form()
    values = {name: text(form, name).strip() for name in INTAKE_FORM}
    body, errors = _intake_body(values)
    if not errors:
        try:
            signal = intake(body, app_resources(request).clock())
            stored = await in_session(request, signed_in.principal, lambda s: signals.take_in(s, signal))
            return Redirect(f"/meldingen/{stored.id}?melding=geregistreerd", status_code=303)
        except InvalidInputError as error:
            errors = _intake_errors(error.problems)
    return _new_form(request, values, errors, status=400)


def _intake_body(values: Mapping[str, str]) -> tuple[dict[str, Any], list[FieldError]]:
    """The signal as the API takes it; what the form itself can tell is wrong (a day, a number) is named here."""
    errors: list[FieldError] = []
    body: dict[str, Any] = {key: values[name] for key, name in (("source", "bron"), ("channel", "kanaal"),
                            ("theme", "thema"), ("text", "tekst")) if values[name]}  # fmt: skip
    if not values["tekst"]:
        errors.append(FieldError("tekst", INTAKE_MESSAGES["tekst"]))
    for name in ("bron", "kanaal", "thema"):
        if not values[name]:
            errors.append(FieldError(name, INTAKE_MESSAGES[name]))
    day, time = typed_day(values["ontvangen-datum"]), _time(values["ontvangen-tijd"])
    if day is None:
        errors.append(FieldError("ontvangen-datum", INTAKE_MESSAGES["ontvangen-datum"]))
    if time is None:
        errors.append(FieldError("ontvangen-tijd", INTAKE_MESSAGES["ontvangen-tijd"]))
    if day and time:
        body["received"] = dt.datetime.combine(day, time, DUTCH_TIME).isoformat()
    subjects: dict[str, Any] = {}
    person = {
        key: values[name] for key, name in (("surname", "achternaam"), ("firstNames", "voornamen")) if values[name]
    }
    if values["geboortedatum"]:
        born = typed_day(values["geboortedatum"])
        if born is None:
            errors.append(FieldError("geboortedatum", INTAKE_MESSAGES["geboortedatum"]))
        else:
            person["dateOfBirth"] = born.isoformat()
    if person:
        subjects["persons"] = [person]
    address: dict[str, Any] = {key: values[name] for key, name in (("street", "straat"),
                               ("houseNumberAddition", "toevoeging"), ("postcode", "postcode"), ("city", "plaats"))
                               if values[name]}  # fmt: skip
    if values["huisnummer"]:
        number = values["huisnummer"]
        if number.isdigit() and len(number) < 6:
            address["houseNumber"] = int(number)
        else:
            errors.append(FieldError("huisnummer", INTAKE_MESSAGES["huisnummer"]))
    if address:
        if "street" not in address:
            errors.append(FieldError("straat", INTAKE_MESSAGES["straat"]))
        subjects["addresses"] = [address]
    if not person and not address:
        errors.append(FieldError("achternaam", NO_SUBJECT))
    body["subjects"] = subjects
    reporter = {key: values[name] for key, name in (("name", "melder-naam"), ("phone", "melder-telefoon"),
                ("email", "melder-email")) if values[name]}  # fmt: skip
    if reporter:
        anonymous = SignalSource.parse(values["bron"])
        if anonymous is not None and anonymous.is_anonymous:
            errors.append(FieldError("melder-naam", ANONYMOUS_REPORTER))
        body["reporter"] = reporter
    return body, _ordered(errors)


def _intake_errors(problems: Sequence[Problem]) -> list[FieldError]:
    errors: list[FieldError] = []
    for problem in problems:
        pointer = problem.pointer if problem.pointer.startswith("/") else "/" + problem.pointer
        name = next((INTAKE_POINTERS[p] for p in sorted(INTAKE_POINTERS, key=len, reverse=True)
                     if pointer == p or pointer.startswith(p + "/")), "tekst")  # fmt: skip
        message = ANONYMOUS_REPORTER if problem.code == "signal.anonymousReporter" else INTAKE_MESSAGES[name]
        errors.append(FieldError(name, message))
    return _ordered(errors)


def _ordered(errors: Sequence[FieldError]) -> list[FieldError]:
    """One problem per field, in the order of the form."""
    first: dict[str, FieldError] = {}
    for error in errors:
        first.setdefault(error.field, error)
    return [first[name] for name in INTAKE_FORM if name in first]


def _new_form(
    request: Request[Any, Any, Any], values: Mapping[str, str], errors: Sequence[FieldError] = (), status: int = 200
) -> Template:
    return page(
        request,
        "signals/new.html",
        title="Melding registreren",
        status=status,
        errors=errors,
        values=values,
        source_options=[(source.value, capital(source.label)) for source in SignalSource],
        channel_options=[(channel.value, capital(channel.label)) for channel in Channel],
        theme_options=[(theme.value, capital(theme.label)) for theme in Theme],
    )


def _time(value: str) -> dt.time | None:
    for pattern in ("%H:%M", "%H.%M"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).time()
        except ValueError:
            continue
    return None


def _now(request: Request[Any, Any, Any]) -> dt.datetime:
    now: dt.datetime = app_resources(request).clock()
    return now.astimezone(DUTCH_TIME)


# --- one signal -----------------------------------------------------------------------------------------------------


@get("/meldingen/{signal_id:str}", name="advisor:signal")
async def signal_page(
    request: Request[Any, Any, Any],
    signed_in: WebSession,
    signal_id: FromPath[str],
    melding: FromQuery[str | None] = None,
) -> Template:
    """The signal, its history, the weighing steps allowed now as forms and why the others are not."""
    stored, advisors = await in_session(request, signed_in.principal, lambda s: _read(s, signal_id))
    notice = REGISTERED if melding == "geregistreerd" else None
    if melding == SOURCE_CHECK:
        notice = DONE.format(label=SourceChecked.LABEL)
    elif melding == ASSIGN:
        notice = ASSIGNED
    elif melding and (decision := WeighingDecision.parse(melding)) is not None:
        notice = DONE.format(label=decision.label)
    return _signal(request, stored, advisors, notice=notice)


@post("/meldingen/{signal_id:str}/weging", name="advisor:weigh", status_code=303)
async def weigh_step(request: Request[Any, Any, Any], signed_in: WebSession, signal_id: FromPath[str]) -> Response[Any]:
    """One weighing step through the same use case as `POST /api/v1/signals/{id}/weighings`; the hidden version is
    its If-Match: a stale one changes nothing and says so."""
    principal = signed_in.principal
    require_weigher(principal, signal_id)
    form = await request.form()
    step, version = text(form, "stap"), text(form, "versie")
    known = step in (SOURCE_CHECK, ASSIGN) or WeighingDecision.parse(step) is not None
    if not known or not version.isdigit() or len(version) > 10:
        raise HTTPException(status_code=400, detail="onbekende stap of versie")
    body, errors = _weighing_body(step, form)
    problem: str | None = None
    if not errors:
        try:
            await in_session(request, principal, lambda s: signals.weigh(s, signal_id, int(version), body))
            return Redirect(f"/meldingen/{signal_id}?melding={step}#geschiedenis", status_code=303)
        except StaleVersionError:
            problem = STALE
        except TransitionError as refused:
            problem = f"Deze stap is nu niet mogelijk: {refused.reason}."
        except InvalidInputError as invalid:
            errors = [FieldError(f"{step}-{_field_of(p)}", _message(p)) for p in invalid.problems]
    stored, advisors = await in_session(request, principal, lambda s: _read(s, signal_id))
    values = {f"{step}-{name}": text(form, name) for name in WEIGHING_NAMES}
    return _signal(request, stored, advisors, status=409 if problem else 400, errors=errors, problem=problem,
                   values=values)  # fmt: skip


def _read(session: Any, signal_id: str) -> tuple[StoredSignal, tuple[str, ...]]:
    """The signal (an audited read) and the advisors it may be assigned to."""
    return signals.read_signal(session, signal_id), signals.advisors(session)


def _weighing_body(step: str, form: FormMultiDict) -> tuple[dict[str, Any], list[FieldError]]:
    """The weighing event as the API takes it; an empty required field is named at the field."""
    errors: list[FieldError] = []
    if step == ASSIGN:
        assignee = text(form, "assignee").strip()
        if not 0 < len(assignee) <= 200:
            errors.append(FieldError(f"{step}-assignee", WEIGHING_MESSAGES["assignee"]))
        return {"type": ASSIGN, "assignee": assignee}, errors
    if step == SOURCE_CHECK:
        body: dict[str, Any] = {"type": SOURCE_CHECK}
        for name in ("source", "approvedBy"):
            value = text(form, name).strip()
            if not value or len(value) > MAX_TEXT:
                errors.append(FieldError(f"{step}-{name}", WEIGHING_MESSAGES[name]))
            body[name] = value
        hit = text(form, "hit")
        if hit not in ("ja", "nee"):
            errors.append(FieldError(f"{step}-hit", WEIGHING_MESSAGES["hit"]))
        body["hit"] = hit == "ja"
        return body, errors
    body = {"type": "weighed", "decision": step}
    for name, _label, kind in (("reason", "Reden", "text"), *DECISION_FIELDS.get(step, ())):
        value = text(form, name).strip()
        unknown = kind == "partner" and Partner.parse(value) is None
        if (kind != "optional" and not value) or len(value) > MAX_TEXT or unknown:
            errors.append(FieldError(f"{step}-{name}", WEIGHING_MESSAGES[name]))
        elif value:
            body[name] = value
    return body, errors


def _field_of(problem: Problem) -> str:
    parts = [part for part in problem.pointer.strip("/").split("/") if part]
    return next((part for part in reversed(parts) if part in WEIGHING_NAMES), "reason")


def _message(problem: Problem) -> str:
    if problem.code == "signal.assigneeUnknown":  # the use case names who is not an advisor
        return sentence(problem.message)
    return WEIGHING_MESSAGES.get(_field_of(problem), sentence(problem.message))


def _signal(
    request: Request[Any, Any, Any],
    stored: StoredSignal,
    advisors: Sequence[str],
    *,
    status: int = 200,
    errors: Sequence[FieldError] = (),
    problem: str | None = None,
    notice: str | None = None,
    values: Mapping[str, str] | None = None,
) -> Template:
    signal = stored.signal
    actions: list[tuple[str, str]] = [(d.value, d.label) for d in WeighingDecision]
    actions.append((SOURCE_CHECK, SourceChecked.LABEL))
    steps: list[tuple[str, str, tuple[str, ...]]] = []
    blocked: list[tuple[str, str, tuple[str, ...]]] = []
    for code, label in actions:
        decision = WeighingDecision.parse(code)
        action = decision if decision is not None else SourceChecked
        reasons = refusals(signal, action)
        (blocked if reasons else steps).append((code, capital(label), reasons))
    history = [(_moment(e.at), e.by, _event_text(e)) for e in signal.history]
    return page(
        request,
        "signals/signal.html",
        title=f"Melding {stored.id}",
        status=status,
        errors=errors,
        problem=problem,
        notice=notice,
        stored=stored,
        signal=signal,
        received=_moment(signal.received),
        steps=steps,
        blocked=blocked,
        history=history,
        decision_fields=DECISION_FIELDS,
        partner_options=[(p.value, p.label) for p in Partner],
        values=dict(values or {}),
        dutch_date=dutch_date,
        capital=capital,
        destroy_on=dutch_date(signal.destroy_on) if signal.destroy_on else "",
        retention_runs=getattr(request.app.state, "retention_active", False),
        assignable=not refusals(signal, Assigned),
        advisor_options=[(name, name) for name in advisors],
    )


def _event_text(event: Weighed | SourceChecked | Assigned) -> str:
    if isinstance(event, Assigned):
        return f"Toegewezen aan {event.assignee}"
    if isinstance(event, SourceChecked):
        outcome = "hit" if event.hit else "no-hit"
        return f"Bron geraadpleegd: {event.source} — {outcome} (goedgekeurd door {event.approved_by})"
    extra = event.partner.label if event.partner else event.department or event.reference
    return f"Weging: {event.decision.label}{f' ({extra})' if extra else ''}. Reden: {event.reason}"


SIGNAL_HANDLERS = (inbox_page, new_signal_page, register_signal, signal_page, weigh_step)
