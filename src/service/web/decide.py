"""The assessment page, the Bibob coordinator's investigation desk and the mayor's decisions.

Every page calls the same use cases as the JSON API (assess, list assessments, the timeline, decide) or the small
ones of `service.usecases.investigations`; nothing here reads the store or repeats a rule.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from bibob.applications import ApplicationState
from bibob.exceptions import InvalidInputError, NotFoundError, Problem, TransitionError
from bibob.legal import DangerLevel, DecisionOutcome, Ground, PermitType
from bibob.questionnaires import Catalogue, describe
from bibob.screening import FactSource, to_party
from bibob.terms import dutch_date
from bibob.undermining import Theme
from service.http import in_session, runner
from service.resources import app_resources
from service.store.access import Action, Resource, scope, sees_closed_sources
from service.store.accounts import WebSession
from service.usecases.applications import list_applications, read_application, timeline
from service.usecases.assessments import assess_application, check_registers, list_assessments
from service.usecases.investigations import (
    OPTIONAL_PROPORTIONALITY,
    PROPORTIONALITY_FIELDS,
    UNDER_INVESTIGATION,
    add_fact,
    check_proposal,
    pending_decisions,
    read_investigation,
    record_proportionality,
    sign_decision,
    write_proposal,
)
from service.views.applications import assessment_record_view, deadline_view, questionnaire_reference
from service.web.forms import FieldError, capital, sentence, text
from service.web.rendering import page

#: The fact kinds the coordinator adds by hand (LBB advice comes from the lifecycle, a known subject from the
#: advisor's consultation, market references from the financing check).
FACT_KINDS = {
    "antecedent": "strafrechtelijk antecedent",
    "fine": "bestuurlijke of fiscale boete, handhaving",
    "registerHit": "treffer in het Bibob-register of art. 11a-bericht",
    "falseAnswer": "onjuist antwoord op het vragenformulier (art. 3 lid 6)",
    "refusedToCooperate": "weigering mee te werken (art. 4)",
    "note": "notitie (telt niet mee in de beoordeling)",
}
ANTECEDENT_STATUS = {
    "conviction": "veroordeling",
    "settlement": "transactie met het OM",
    "penalOrder": "strafbeschikking",
    "suspicion": "verdenking",
    "dismissal": "sepot",
}
#: Which form field holds the text of each kind, and its name in the schema.
TEXT_FIELD = {
    "antecedent": "offence",
    "fine": "description",
    "registerHit": "decision",
    "falseAnswer": "description",
    "refusedToCooperate": "description",
    "note": "text",
}
FACT_FIELD_IDS = {  # schema pointer → the form field's id (the error summary links to it)
    "/kind": "feit-soort", "/source": "feit-bron", "/on": "feit-datum", "/subject": "feit-betrokkene",
    "/offence": "feit-omschrijving", "/description": "feit-omschrijving", "/text": "feit-omschrijving",
    "/decision": "feit-omschrijving", "/year": "feit-jaar", "/status": "feit-status", "/level": "feit-niveau",
    "/pointer": "feit-vraag", "": "feit-soort",
}  # fmt: skip
PROPORTIONALITY_IDS = {name: f"ev-{name}" for name in (*PROPORTIONALITY_FIELDS, *OPTIONAL_PROPORTIONALITY)}
PROPOSAL_OUTCOMES = (
    DecisionOutcome.GRANTED,
    DecisionOutcome.GRANTED_WITH_CONDITIONS,
    DecisionOutcome.REFUSED_BIBOB,
    DecisionOutcome.WITHDRAWN_BIBOB,
    DecisionOutcome.WITHDRAWN_ART4,
    DecisionOutcome.REFUSED_REGULAR,
)
GROUNDS = tuple(Ground)
LEVELS = tuple(DangerLevel)
LBB_CODES = ("lbbAdvice", "lbbSuspension", "art31", "art15")
WORKLIST_SIZE = 500


# --- the assessment -------------------------------------------------------------------------------------------


@get("/aanvragen/{application_id:str}/beoordeling", name="web:assessment")
async def assessment_page(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], application_id: FromPath[str]
) -> Template:
    """The stored assessments (the newest in full), as the API shows them to this role."""
    catalogue = app_resources(request).catalogue
    return await _assessment(request, signed_in, catalogue, application_id)


@post(
    "/aanvragen/{application_id:str}/beoordeling", name="web:assess", status_code=303, opt={"rateLimit": "assessment"}
)
async def run_assessment(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], application_id: FromPath[str]
) -> Response[Any]:
    """Run (or refresh) the assessment through the API's use case; the coordinator's facts and record go with it."""
    shared = app_resources(request)
    catalogue, policy, http, integrations = shared.catalogue, shared.policy, shared.http, shared.integrations
    principal = signed_in.principal
    body: dict[str, Any] = {}
    if scope(principal, Resource.INVESTIGATION, Action.READ) is not None:
        file = await in_session(request, principal, lambda s: read_investigation(s, application_id))
        body = file.assessment_body()
    register = await check_registers(runner(request, principal), catalogue, http, integrations.kvk, application_id)
    try:
        await in_session(
            request, principal, lambda s: assess_application(s, catalogue, policy, application_id, body, register)
        )
    except InvalidInputError as error:
        errors = [
            FieldError("beoordelen", f"De beoordeling kon niet worden gemaakt: {p.message}.") for p in error.problems
        ]
        return await _assessment(request, signed_in, catalogue, application_id, errors=errors, status=400)
    return Redirect(f"/aanvragen/{application_id}/beoordeling", status_code=303)


async def _assessment(
    request: Request[Any, Any, Any],
    signed_in: WebSession,
    catalogue: Catalogue,
    application_id: str,
    *,
    errors: Sequence[FieldError] = (),
    status: int = 200,
) -> Template:
    principal = signed_in.principal
    records = await in_session(request, principal, lambda s: list_assessments(s, application_id))
    full = sees_closed_sources(principal)
    stored = None
    if records:
        stored = await in_session(request, principal, lambda s: read_application(s, application_id))
    questionnaire = catalogue.get(questionnaire_reference(stored)) if stored is not None else None
    views = [assessment_record_view(record, full) for record in records]
    readable = _readable(questionnaire, _subjects(stored.answers, questionnaire) if stored is not None else {})
    latest = views[-1] if views else None
    facts = {
        str(f.get("id")): f
        for f in (records[-1].document.get("input", {}).get("facts", []) if full and records else [])
    }
    return page(
        request,
        "decide/assessment.html",
        title=f"Beoordeling {application_id}",
        status=status,
        errors=errors,
        application_id=application_id,
        latest=_assessment_display(latest, questionnaire, facts, readable) if latest else None,
        earlier=[{**view, **_days(view)} for view in reversed(views[:-1])],
        full=full,
        may_run=scope(principal, Resource.APPLICATION, Action.UPDATE) is not None,
        may_investigate=scope(principal, Resource.INVESTIGATION, Action.READ) is not None,
    )


def _assessment_display(
    view: Mapping[str, Any], questionnaire: Any, facts: Mapping[str, Any], readable: Callable[[str], str]
) -> dict[str, Any]:
    """The record view with what a person reads: grounds and levels by their Dutch names, evidence as questions,
    the persons in the texts by name instead of by their place in the answers."""
    findings = []
    for finding in view.get("findings", []):
        evidence = [_evidence_text(e, questionnaire, facts) for e in finding.get("evidence", [])]
        grounds = [_label(Ground, g) for g in finding.get("grounds", [])]
        texts = {
            "title": readable(str(finding.get("title", ""))),
            "explanation": readable(str(finding.get("explanation", ""))),
        }
        findings.append({**finding, **texts, "evidenceTexts": evidence, "groundLabels": grounds})
    levels = []
    for level in view.get("levels", []):
        ground = level["ground"]
        levels.append({
            **level,
            "groundLabel": _label(Ground, ground),
            "levelLabel": _label(DangerLevel, level["level"]),
            "effectiveLabel": _label(DangerLevel, level["effective"]),
            "lbbLabel": _label(DangerLevel, level["lbbLevel"]) if level.get("lbbLevel") else "",
            "findings": [f for f in findings if ground in f.get("grounds", [])],
        })  # fmt: skip
    recommendation = dict(view.get("recommendation", {}))
    label = str(recommendation.get("label", ""))
    recommendation["label"] = capital(label)
    explanation = _explanation(readable(str(view.get("explanation", ""))))
    return {**view, "levels": levels, "findings": findings, "recommendation": recommendation,
            "blocks": explanation, **_days(view)}  # fmt: skip


EMPTY_SOURCE = re.compile(r"\s*\[bron:\s*\]")  # what redaction leaves of a closed source's reference
POINTER = re.compile(r"/(?:answers|modules)/[^\s),;\]]+", re.IGNORECASE)


def _readable(questionnaire: Any, subjects: Mapping[str, Mapping[str, Any]]) -> Callable[[str], str]:
    """Replaces a JSON pointer into the answers by the person or organisation's name, or else by its question."""
    names = {pointer.lower(): str(subject["name"]) for pointer, subject in subjects.items()}

    def replace(match: re.Match[str]) -> str:
        pointer = match.group(0)
        if pointer.lower() in names:
            return names[pointer.lower()]
        if questionnaire is None:
            return pointer
        parts = [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]
        try:
            return str(describe(questionnaire, parts))
        except (KeyError, IndexError, ValueError):
            return pointer

    return lambda words: POINTER.sub(replace, words)


def _explanation(words: str) -> list[dict[str, Any]]:
    """The explanation's lines as blocks: a paragraph, or a list of the lines that begin with a dash."""
    blocks: list[dict[str, Any]] = []
    for line in (EMPTY_SOURCE.sub("", line).strip() for line in words.split("\n")):
        if not line:
            continue
        if line.startswith("- "):
            if not blocks or blocks[-1]["kind"] != "list":
                blocks.append({"kind": "list", "items": []})
            blocks[-1]["items"].append(line[2:])
        else:
            blocks.append({"kind": "heading" if line.endswith(":") else "paragraph", "text": line})
    return blocks


def _days(view: Mapping[str, Any]) -> dict[str, str]:
    """The record's creation day and reference date as a Dutch reader writes them (3 december 2026)."""
    created = dt.datetime.fromisoformat(view["createdAt"]).date()
    reference = view.get("referenceDate")
    return {
        "createdDay": dutch_date(created),
        "referenceDay": dutch_date(dt.date.fromisoformat(str(reference))) if reference else "",
    }


def _evidence_text(evidence: Mapping[str, Any], questionnaire: Any, facts: Mapping[str, Any]) -> str:
    kind, ref = str(evidence.get("kind", "")), str(evidence.get("ref", ""))
    if kind == "answer" and questionnaire is not None:
        parts = [part.replace("~1", "/").replace("~0", "~") for part in ref.split("/")[1:]]
        return f"Antwoord: {describe(questionnaire, parts)}"
    if kind in ("fact", "register"):
        fact = facts.get(ref)
        if fact is None:
            return f"Feit {ref} uit het eigen onderzoek"
        source = _label(FactSource, fact.get("source"))
        return f"Feit {ref} uit het eigen onderzoek — bron: {source}, {dutch_date(dt.date.fromisoformat(fact['on']))}"
    if kind == "case":
        return "Melding of casus bij de adviseur veiligheid"
    return f"{kind} {ref}".strip()


def _label(enum: Any, value: object) -> str:
    member = enum.parse(value)
    return str(member.label) if member is not None else str(value)


# --- the coordinator's desk -----------------------------------------------------------------------------------


@get("/onderzoeken", name="web:investigations")
async def investigations(request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession]) -> Template:
    """The coordinator's worklist: applications under own investigation, at the LBB, or in the zienswijze step."""
    principal = signed_in.principal
    if scope(principal, Resource.INVESTIGATION, Action.UPDATE) is None:
        raise NotFoundError(Resource.INVESTIGATION.value, "")
    found, _ = await in_session(
        request,
        principal,
        lambda s: list_applications(s, state=None, permit_type=None, limit=WORKLIST_SIZE, offset=0),
    )
    rows = [stored for stored in found if ApplicationState.parse(stored.state) in UNDER_INVESTIGATION]
    return page(
        request,
        "decide/investigations.html",
        title="Bibob-onderzoeken",
        rows=rows,
        labels=_state_labels(),
        permit_label=lambda v: _label(PermitType, v),
        dutch_date=dutch_date,
    )


@get("/aanvragen/{application_id:str}/onderzoek", name="web:investigation")
async def investigation(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], application_id: FromPath[str]
) -> Template:
    """The investigation file: facts, the LBB request and its terms, the proportionality record and the proposal."""
    return await _investigation(request, signed_in, application_id)


@post("/aanvragen/{application_id:str}/onderzoek/feiten", name="web:add-fact", status_code=303)
async def post_fact(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], application_id: FromPath[str]
) -> Response[Any]:
    """Add one fact with its source and date; a bad one is named per field and nothing is stored."""
    catalogue = app_resources(request).catalogue
    form = await request.form()
    principal = signed_in.principal
    file = await in_session(request, principal, lambda s: read_investigation(s, application_id))
    fact, errors = _fact_from_form(form, file.application.answers)
    if not errors:
        try:
            await in_session(request, principal, lambda s: add_fact(s, catalogue, application_id, fact))
        except InvalidInputError as error:
            errors = _field_errors(error.problems, FACT_FIELD_IDS, "feit-soort")
    if errors:
        return await _investigation(request, signed_in, application_id, errors=errors, fact_form=dict(form))
    return Redirect(f"/aanvragen/{application_id}/onderzoek#feiten", status_code=303)


@post("/aanvragen/{application_id:str}/onderzoek/evenredigheid", name="web:proportionality", status_code=303)
async def post_proportionality(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], application_id: FromPath[str]
) -> Response[Any]:
    """Record the proportionality record in the account's name; every missing consideration is named."""
    form = await request.form()
    fields = {name: text(form, PROPORTIONALITY_IDS[name]) for name in PROPORTIONALITY_IDS}
    try:
        await in_session(request, signed_in.principal, lambda s: record_proportionality(s, application_id, fields))
    except InvalidInputError as error:
        errors = _field_errors(error.problems, {f"/{k}": v for k, v in PROPORTIONALITY_IDS.items()}, "ev-seriousness")
        return await _investigation(request, signed_in, application_id, errors=errors, record_form=fields)
    return Redirect(f"/aanvragen/{application_id}/onderzoek#evenredigheid", status_code=303)


@post("/aanvragen/{application_id:str}/onderzoek/voorstel", name="web:proposal", status_code=303)
async def post_proposal(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], application_id: FromPath[str]
) -> Response[Any]:
    """Write the decision proposal that is put before the mayor."""
    form = await request.form()
    proposal = _proposal_from_form(form)
    try:
        await in_session(request, signed_in.principal, lambda s: write_proposal(s, application_id, proposal))
    except InvalidInputError as error:
        ids = {"/outcome": "voorstel-uitkomst", "/grounds": "voorstel-grond-aBenefit", "/theme": "voorstel-thema",
               "/conditions": "voorstel-voorschriften", "/motivation": "voorstel-motivering"}  # fmt: skip
        errors = _field_errors(error.problems, ids, "voorstel-uitkomst", prefix_match=True)
        return await _investigation(request, signed_in, application_id, errors=errors, proposal_form=proposal)
    return Redirect(f"/aanvragen/{application_id}/onderzoek#voorstel", status_code=303)


async def _investigation(
    request: Request[Any, Any, Any],
    signed_in: WebSession,
    application_id: str,
    *,
    errors: Sequence[FieldError] = (),
    fact_form: Mapping[str, Any] | None = None,
    record_form: Mapping[str, Any] | None = None,
    proposal_form: Mapping[str, Any] | None = None,
) -> Template:
    shared = app_resources(request)
    catalogue, policy, calendar = shared.catalogue, shared.policy, shared.calendar
    principal = signed_in.principal
    file = await in_session(request, principal, lambda s: read_investigation(s, application_id))
    found = await in_session(request, principal, lambda s: timeline(s, policy, calendar, application_id, None))
    questionnaire = catalogue.get(questionnaire_reference(file.application))
    subjects = _subjects(file.application.answers, questionnaire)
    lbb_events = [e for e in file.application.history if str(e.get("type", "")).startswith("lbb")]
    deadlines = [deadline_view(d) for d in found.deadlines]
    lbb_deadlines = [d for d in deadlines if any(word in d["code"].lower() for word in ("lbb", "art31", "art15"))]
    record = dict(file.proportionality or {})
    missing = [label for name, label in PROPORTIONALITY_FIELDS.items() if not str(record.get(name, "")).strip()]
    pending = await in_session(request, principal, lambda s: check_proposal(s, application_id))
    return page(
        request,
        "decide/investigation.html",
        title=f"Bibob-onderzoek {application_id}",
        status=400 if errors else 200,
        errors=errors,
        application=file.application,
        state_label=_state_labels().get(file.application.state, file.application.state),
        facts=[_fact_display(fact, subjects) for fact in file.facts],
        subjects=subjects,
        fact_kinds=FACT_KINDS,
        sources=list(FactSource),
        statuses=ANTECEDENT_STATUS,
        levels=LEVELS,
        grounds=GROUNDS,
        outcomes=PROPOSAL_OUTCOMES,
        themes=list(Theme),
        fact_form=fact_form or {},
        record=record,
        record_form=record_form if record_form is not None else record,
        record_fields=PROPORTIONALITY_FIELDS,
        optional_fields=OPTIONAL_PROPORTIONALITY,
        missing=missing if file.proportionality else list(PROPORTIONALITY_FIELDS.values()),
        proposal=file.proposal,
        proposal_form=proposal_form if proposal_form is not None else dict(file.proposal or {}),
        reasons=pending.reasons,
        lbb_events=lbb_events,
        lbb_deadlines=lbb_deadlines,
        today=signed_in_today(request),
        may_write=scope(principal, Resource.INVESTIGATION, Action.UPDATE) is not None,
        dutch_date=dutch_date,
        iso_date=dt.date.fromisoformat,
    )


def signed_in_today(request: Request[Any, Any, Any]) -> str:
    """Today on the app's clock, as a form's default date."""
    return str(app_resources(request).clock().astimezone().date().isoformat())


def _subjects(answers: Mapping[str, Any], questionnaire: Any) -> dict[str, dict[str, Any]]:
    """The persons and organisations in the answers, by their JSON pointer: {pointer: {"label", "party"}}."""
    found: dict[str, dict[str, Any]] = {}
    seen: list[Any] = []

    def walk(value: Any, path: list[str]) -> None:
        if isinstance(value, dict):
            if value.get("kind") in ("person", "organisation"):
                party = to_party(value)
                if party is not None and party not in seen:
                    seen.append(party)
                    name = getattr(party, "name", "") or getattr(party, "display_name", "")
                    where = describe(questionnaire, path) if questionnaire is not None else "/".join(path)
                    found["/" + "/".join(path)] = {"label": f"{name} ({where})", "party": value, "name": name}
            for key, inner in value.items():
                walk(inner, [*path, str(key)])
        elif isinstance(value, list):
            for index, inner in enumerate(value):
                walk(inner, [*path, str(index)])

    walk(answers.get("answers", {}), ["answers"])
    walk(answers.get("modules", {}), ["modules"])
    return found


def _fact_from_form(form: FormMultiDict, answers: Mapping[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
    errors: list[FieldError] = []
    kind, source, on = text(form, "feit-soort"), text(form, "feit-bron"), text(form, "feit-datum")
    if kind not in FACT_KINDS:
        errors.append(FieldError("feit-soort", "Kies de soort feit."))
    if FactSource.parse(source) is None:
        errors.append(FieldError("feit-bron", "Kies de bron van het feit."))
    try:
        dt.date.fromisoformat(on)
    except ValueError:
        errors.append(FieldError("feit-datum", "Vul de datum in waarop het feit bekend werd (dag-maand-jaar)."))
    fact: dict[str, Any] = {"kind": kind, "source": source, "on": on}
    words = text(form, "feit-omschrijving").strip()
    if kind in TEXT_FIELD and (words or kind != "registerHit"):
        fact[TEXT_FIELD[kind]] = words
        if not words:
            errors.append(FieldError("feit-omschrijving", "Vul de omschrijving van het feit in."))
    if kind in ("antecedent", "fine", "registerHit"):
        year = text(form, "feit-jaar").strip()
        if not year.isdigit():
            errors.append(FieldError("feit-jaar", "Vul het jaar in (vier cijfers)."))
        else:
            fact["year"] = int(year)
    if kind == "antecedent":
        status = text(form, "feit-status")
        if status not in ANTECEDENT_STATUS:
            errors.append(FieldError("feit-status", "Kies hoe ver het antecedent kwam (veroordeling, sepot, …)."))
        fact |= {"status": status, "relatesToActivity": form.get("feit-samenhang") == "ja"}
        fact["financial"] = form.get("feit-financieel") == "ja"
    if kind == "fine":
        fact["closure13b"] = form.get("feit-13b") == "ja"
    if kind == "registerHit":
        level = text(form, "feit-niveau")
        if DangerLevel.parse(level) is None:
            errors.append(FieldError("feit-niveau", "Kies de mate van gevaar van de eerdere conclusie."))
        fact["level"] = level
    if kind == "falseAnswer":
        pointer = text(form, "feit-vraag").strip()
        if not pointer.startswith("/"):
            errors.append(FieldError("feit-vraag", "Noem het antwoord als verwijzing, bijvoorbeeld /answers/2I."))
        fact["pointer"] = pointer
    subject = text(form, "feit-betrokkene")
    if subject:
        party = _subjects(answers, None).get(subject)
        if party is None:
            errors.append(FieldError("feit-betrokkene", "Kies een betrokkene uit de aanvraag."))
        else:
            fact["subject"] = party["party"]
    return fact, errors


def _fact_display(fact: Mapping[str, Any], subjects: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    kind = str(fact.get("kind", ""))
    words = str(fact.get(TEXT_FIELD.get(kind, "text"), ""))
    party = to_party(fact["subject"]) if isinstance(fact.get("subject"), dict) else None
    subject = next((s["label"] for s in subjects.values() if party is not None and to_party(s["party"]) == party), None)
    subject = subject or ("een betrokkene" if party is not None else "de aanvraag")
    details = []
    if "year" in fact:
        details.append(str(fact["year"]))
    if kind == "antecedent":
        details.append(ANTECEDENT_STATUS.get(str(fact.get("status")), ""))
        details.append("samenhang met de activiteit" if fact.get("relatesToActivity") else "geen samenhang")
    if kind == "registerHit":
        details.append(_label(DangerLevel, fact.get("level")))
    return {
        "id": fact.get("id"),
        "kind": FACT_KINDS.get(kind, kind),
        "source": _label(FactSource, fact.get("source")),
        "on": dutch_date(dt.date.fromisoformat(str(fact.get("on")))),
        "words": words,
        "details": ", ".join(d for d in details if d),
        "subject": subject,
    }


def _proposal_from_form(form: FormMultiDict) -> dict[str, Any]:
    grounds = [g.value for g in GROUNDS if form.get(f"voorstel-grond-{g.value}") == "ja"]
    levels = {
        g.value: text(form, f"voorstel-niveau-{g.value}") for g in GROUNDS if text(form, f"voorstel-niveau-{g.value}")
    }
    conditions = [line.strip() for line in text(form, "voorstel-voorschriften").splitlines() if line.strip()]
    proposal: dict[str, Any] = {"outcome": text(form, "voorstel-uitkomst"), "grounds": grounds, "levels": levels}
    proposal |= {"conditions": conditions, "motivation": text(form, "voorstel-motivering").strip()}
    return proposal | {"theme": text(form, "voorstel-thema") or Theme.OTHER.value}


def _field_errors(
    problems: Sequence[Problem], ids: Mapping[str, str], fallback: str, *, prefix_match: bool = False
) -> list[FieldError]:
    errors = []
    for problem in problems:
        field = ids.get(problem.pointer)
        if field is None and prefix_match:
            field = next((v for k, v in ids.items() if problem.pointer.startswith(k + "/")), None)
        errors.append(FieldError(field or fallback, sentence(problem.message)))
    return errors


def _state_labels() -> dict[str, str]:
    return {state.value: state.label for state in ApplicationState}


# --- the mayor's desk -----------------------------------------------------------------------------------------


@get("/besluiten", name="web:decisions")
async def decisions(request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession]) -> Template:
    """Decisions awaiting the mayor's signature, each with whether it may be signed now."""
    pending = await in_session(request, signed_in.principal, pending_decisions)
    return page(request, "decide/decisions.html", title="Besluiten", pending=pending, labels=_state_labels(),
                outcome_label=lambda v: _label(DecisionOutcome, v))  # fmt: skip


@get("/besluiten/{application_id:str}", name="web:decision")
async def decision_page(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], application_id: FromPath[str]
) -> Template:
    """The proposal, the recommendation and the proportionality record on one page, and the signature."""
    return await _decision(request, signed_in, application_id)


@post("/besluiten/{application_id:str}", name="web:sign", status_code=303)
async def sign(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], application_id: FromPath[str]
) -> Response[Any]:
    """ "Besluit ondertekenen": the decision recorded through `decide`, in the mayor's name."""
    shared = app_resources(request)
    catalogue, integrations = shared.catalogue, shared.integrations
    form = await request.form()
    version_text = text(form, "versie")
    if not version_text.isdigit():
        return await _decision(request, signed_in, application_id, refused=("De versie van het dossier ontbreekt.",))
    version = int(version_text)
    try:
        await in_session(
            request, signed_in.principal, lambda s: sign_decision(s, catalogue, integrations, application_id, version)
        )
    except TransitionError as error:
        return await _decision(request, signed_in, application_id, refused=(error.reason,), status=409)
    except InvalidInputError as error:
        return await _decision(
            request, signed_in, application_id, refused=tuple(p.message for p in error.problems), status=400
        )
    return Redirect(f"/besluiten/{application_id}?ondertekend=1", status_code=303)


async def _decision(
    request: Request[Any, Any, Any],
    signed_in: WebSession,
    application_id: str,
    *,
    refused: Sequence[str] = (),
    status: int = 200,
) -> Template:
    principal = signed_in.principal
    pending = await in_session(request, principal, lambda s: check_proposal(s, application_id))
    records = await in_session(request, principal, lambda s: list_assessments(s, application_id))
    latest = assessment_record_view(records[-1], sees_closed_sources(principal)) if records else None
    stored = pending.file.application
    decided = ApplicationState.parse(stored.state) not in UNDER_INVESTIGATION
    last = stored.history[-1] if stored.history else {}
    return page(
        request,
        "decide/decision.html",
        title=f"Besluit {application_id}",
        status=status,
        file=pending.file,
        application=stored,
        reasons=pending.reasons,
        refused=refused,
        latest=latest,
        decided=decided and last.get("type") == "decisionRecorded",
        last=last,
        signed=request.query_params.get("ondertekend") == "1",
        record_fields=PROPORTIONALITY_FIELDS,
        optional_fields=OPTIONAL_PROPORTIONALITY,
        state_label=_state_labels().get(stored.state, stored.state),
        outcome_label=lambda v: _label(DecisionOutcome, v),
        ground_label=lambda v: _label(Ground, v),
        level_label=lambda v: _label(DangerLevel, v),
        dutch_date=dutch_date,
        iso_date=dt.date.fromisoformat,
        may_sign=scope(principal, Resource.DECISION, Action.CREATE) is not None,
    )


HANDLERS = (
    assessment_page,
    run_assessment,
    investigations,
    investigation,
    post_fact,
    post_proportionality,
    post_proposal,
    decisions,
    decision_page,
    sign,
)
