"""The applications: create, read, answers, attachments, assessments, lifecycle events, decisions, timeline."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Annotated, Any

import attrs
from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, QueryParameter
from sqlalchemy.engine import Connection

from bibob.answers import validate_answers
from bibob.application import ApplicationState, application_deadlines
from bibob.application_events import DecisionRecorded
from bibob.assessment import assess
from bibob.calendar import AtwCalendar, Term, load_calendar
from bibob.case_values import Theme
from bibob.catalogue import Catalogue
from bibob.clients.kvk_values import BasicProfile
from bibob.completeness import check_completeness
from bibob.deadlines import DEFAULT_DECISION_TERM, Deadline
from bibob.evidence import RecordedDecision, recorded_decision
from bibob.exceptions import InvalidInputError, Problem
from bibob.facts import Fact
from bibob.lifecycle import apply_event
from bibob.permits import PermitType
from bibob.policy import Policy
from bibob.reading import declaration_from_answers
from bibob.redaction import for_permit_officer
from service.auth import Principal, Role
from service.errors import PROBLEM_JSON, read_json_body
from service.http import audit_reason, etag, expected_version, idempotent, page_window, paginated, transaction
from service.integrations import Integrations, register_profiles
from service.routes.application_views import (
    answer_document,
    answers_view,
    application_summary,
    application_view,
    assessment_record_view,
    assessment_request,
    attachment_list,
    decision_event,
    decision_view,
    event_document,
    lifecycle_event,
    new_application,
    questionnaire_reference,
    timeline_view,
)
from service.store import applications as store
from service.store.access import Action, Resource, require
from service.store.assessments import add_assessment, list_assessments, record_decision
from service.store.errors import StaleVersionError
from service.store.evidence_link import known_subject_facts_for, link_decision_to_undermining
from service.views import assessment_view

#: Roles that see an assessment with closed sources and case references; others get the permit officer's view.
FULL_ASSESSMENT_ROLES = frozenset({Role.BIBOB_COORDINATOR, Role.MAYOR})
NO_TERM_BASIS = "geen wettelijke beslistermijn in het beleid; redelijke termijn (Awb 4:13)"
_TITLES = {
    400: "ongeldige invoer (alle problemen in invalidParams)",
    401: "geen of ongeldig token",
    404: "niet gevonden, of niet zichtbaar voor deze rol",
    409: "stap niet toegestaan (de reden noemt de onvervulde voorwaarde) of Idempotency-Key in gebruik",
    412: "If-Match is niet meer actueel",
    413: "body te groot",
    422: "Idempotency-Key eerder gebruikt voor een ander verzoek",
    428: "If-Match ontbreekt",
}


def _errors(*codes: int) -> dict[int, ResponseSpec]:
    return {
        code: ResponseSpec(data_container=dict[str, Any], media_type=PROBLEM_JSON, description=_TITLES[code])
        for code in (401, 404, *codes)
    }


def _tagged(body: dict[str, Any], version: int, status: int = 200) -> Response[dict[str, Any]]:
    return Response(body, status_code=status, headers={"ETag": etag(version)})


def _with_resource_headers(response: Response[dict[str, Any]], *, created: bool = False) -> Response[dict[str, Any]]:
    """The application's ETag (and Location when it was created) also on a replayed response, from its body."""
    body = response.content
    if isinstance(body, dict) and isinstance(body.get("version"), int):
        response.headers["ETag"] = etag(body["version"])
        if created and response.status_code == 201:
            response.headers["Location"] = f"/api/v1/applications/{body['id']}"
    return response


@functools.cache
def _calendar() -> AtwCalendar:
    return load_calendar()


def _catalogue(state: State) -> Catalogue:
    catalogue: Catalogue = state.catalogue
    return catalogue


def _policy(state: State) -> Policy:
    policy: Policy = state.policy
    return policy


def _full_view(principal: Principal) -> bool:
    return principal.role in FULL_ASSESSMENT_ROLES


def _current(stored: store.StoredApplication, version: int) -> None:
    """412 before any rule is checked: a client with an old ETag must first see what changed."""
    if stored.version != version:
        raise StaleVersionError(store.KIND, stored.id, version)


class ApplicationController(Controller):
    """Applications under Bibob screening; need-to-know is enforced by the store (404 for what is not yours)."""

    path = "/applications"
    tags = ["applications"]  # noqa: RUF012  (Litestar declares it as an instance attribute)

    @post(
        "/",
        summary="Register an application",
        description="The id is generated when left out; the questionnaire defaults to the policy's for the permit "
        "type. Honours Idempotency-Key.",
        status_code=201,
        responses=_errors(400, 409, 413, 422),
    )
    async def create_application(
        self, request: Request[Any, Any, Any], state: State, principal: NamedDependency[Principal]
    ) -> Response[dict[str, Any]]:
        body = await read_json_body(request)
        application, questionnaire = new_application(body, _catalogue(state), _policy(state))
        reason = audit_reason(request)
        with transaction(state) as conn:

            def produce() -> tuple[int, dict[str, Any]]:
                answers = {"questionnaire": questionnaire}
                stored = store.create_application(conn, principal, application, answers=answers, reason=reason)
                return 201, application_view(stored)

            response = await idempotent(request, principal, conn, produce)
        return _with_resource_headers(response, created=True)

    @get(
        "/",
        summary="List the applications you may see",
        description="Newest first; `page` and `pageSize` (at most 500), a Link header; filters `state` and "
        "`permitType`.",
        responses=_errors(400),
    )
    async def list_applications(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        page: FromQuery[int] = 1,
        page_size: Annotated[int, QueryParameter(name="pageSize")] = 50,
        permit_type: Annotated[str | None, QueryParameter(name="permitType")] = None,
        state_filter: Annotated[str | None, QueryParameter(name="state")] = None,
    ) -> Response[dict[str, Any]]:
        offset, limit = page_window(page, page_size)
        _check_filters(state_filter, permit_type)
        with transaction(request.app.state) as conn:
            found, count = store.page_of_applications(
                conn, principal, state=state_filter, permit_type=permit_type, limit=limit, offset=offset,
                reason=audit_reason(request),
            )  # fmt: skip
        return paginated(request, [application_summary(stored) for stored in found], count, page, page_size)

    @get("/{application_id:str}", summary="Show an application", responses=_errors())
    async def show_application(
        self, request: Request[Any, Any, Any], state: State, principal: NamedDependency[Principal],
        application_id: FromPath[str],
    ) -> Response[dict[str, Any]]:  # fmt: skip
        with transaction(state) as conn:
            stored = store.get_application(conn, principal, application_id, audit_reason(request))
        return _tagged(application_view(stored), stored.version)

    @get(
        "/{application_id:str}/answers",
        summary="The stored answers with every problem and the completeness",
        responses=_errors(),
    )
    async def show_answers(
        self, request: Request[Any, Any, Any], state: State, principal: NamedDependency[Principal],
        application_id: FromPath[str],
    ) -> Response[dict[str, Any]]:  # fmt: skip
        with transaction(state) as conn:
            stored = store.get_application(conn, principal, application_id, audit_reason(request))
        questionnaire = _catalogue(state)[questionnaire_reference(stored)]
        problems = validate_answers(questionnaire, dict(stored.answers))
        completeness = check_completeness(questionnaire, dict(stored.answers))
        return _tagged(answers_view(stored, problems, completeness), stored.version)

    @put(
        "/{application_id:str}/answers",
        summary="Store the answer document",
        description="Requires If-Match. Any answer document to the application's questionnaire is stored; the "
        "response lists every problem and the completeness (Awb 4:5).",
        responses=_errors(400, 412, 413, 428),
    )
    async def put_answers(
        self, request: Request[Any, Any, Any], state: State, principal: NamedDependency[Principal],
        application_id: FromPath[str],
    ) -> Response[dict[str, Any]]:  # fmt: skip
        require(principal, Resource.APPLICATION, Action.UPDATE, application_id)  # no update rule: 404 at once
        version, body, reason = expected_version(request), await read_json_body(request), audit_reason(request)
        with transaction(state) as conn:
            stored = store.get_application(conn, principal, application_id, reason)
            questionnaire = _catalogue(state)[questionnaire_reference(stored)]
            document = answer_document(body, questionnaire.id)
            updated = store.update_application(
                conn, principal, application_id, version, answers=document, reason=reason
            )
        problems = validate_answers(questionnaire, document)
        completeness = check_completeness(questionnaire, document)
        return _tagged(answers_view(updated, problems, completeness), updated.version)

    @put(
        "/{application_id:str}/attachments",
        summary="Replace the attachments metadata",
        description="Requires If-Match. Metadata only (file name, media type, size, sha256, kind, pointer); the "
        "files themselves live in the document system.",
        responses=_errors(400, 412, 413, 428),
    )
    async def put_attachments(
        self, request: Request[Any, Any, Any], state: State, principal: NamedDependency[Principal],
        application_id: FromPath[str],
    ) -> Response[dict[str, Any]]:  # fmt: skip
        require(principal, Resource.APPLICATION, Action.UPDATE, application_id)  # no update rule: 404 at once
        version, body, reason = expected_version(request), await read_json_body(request), audit_reason(request)
        items = attachment_list(body)
        with transaction(state) as conn:
            updated = store.update_application(
                conn, principal, application_id, version, attachments=items, reason=reason
            )
        return _tagged(application_view(updated), updated.version)

    @post(
        "/{application_id:str}/assessments",
        summary="Assess the stored answers",
        description="Body: facts of the own investigation, proportionality record, LBB advice, repairTermLapsed, "
        "referenceDate (default today). The software recommends; a person decides. Honours Idempotency-Key.",
        status_code=201,
        responses=_errors(400, 409, 413, 422),
    )
    async def create_assessment(
        self, request: Request[Any, Any, Any], state: State, principal: NamedDependency[Principal],
        application_id: FromPath[str],
    ) -> Response[dict[str, Any]]:  # fmt: skip
        body, reason = await read_json_body(request), audit_reason(request)
        register = await _register(state, principal, application_id, reason)
        with transaction(state) as conn:

            def produce() -> tuple[int, dict[str, Any]]:
                stored = store.get_application(conn, principal, application_id, reason)
                known = _known(conn, principal, stored, state, reason)
                document = _assessed(body, stored, state, register, known)
                record = add_assessment(conn, principal, application_id, document, reason)
                return 201, assessment_record_view(record, _full_view(principal))

            return await idempotent(request, principal, conn, produce)

    @get(
        "/{application_id:str}/assessments",
        summary="The assessments of an application",
        description="A permit officer sees levels and advice without case contents or antecedent details.",
        responses=_errors(),
    )
    async def list_assessments(
        self, request: Request[Any, Any, Any], state: State, principal: NamedDependency[Principal],
        application_id: FromPath[str],
    ) -> dict[str, Any]:  # fmt: skip
        with transaction(state) as conn:
            records = list_assessments(conn, principal, application_id, audit_reason(request))
        results = [assessment_record_view(record, _full_view(principal)) for record in records]
        return {"count": len(results), "next": None, "previous": None, "results": results}

    @post(
        "/{application_id:str}/events",
        summary="Record a lifecycle event",
        description="One event as in application.schema.json. Requires If-Match; 409 names the unmet legal "
        "precondition. Decisions go to …/decisions. Honours Idempotency-Key.",
        status_code=201,
        responses=_errors(400, 409, 412, 413, 422, 428),
    )
    async def create_event(
        self, request: Request[Any, Any, Any], state: State, principal: NamedDependency[Principal],
        application_id: FromPath[str],
    ) -> Response[dict[str, Any]]:  # fmt: skip
        require(principal, Resource.APPLICATION, Action.UPDATE, application_id)  # no update rule: 404 at once
        version, body, reason = expected_version(request), await read_json_body(request), audit_reason(request)
        with transaction(state) as conn:

            def produce() -> tuple[int, dict[str, Any]]:
                stored = store.get_application(conn, principal, application_id, reason)
                _current(stored, version)
                application = apply_event(stored.application, lifecycle_event(body, stored))
                updated = store.update_application(
                    conn, principal, application_id, version, application=application, reason=reason
                )
                return 201, application_view(updated)

            response = await idempotent(request, principal, conn, produce)
        return _with_resource_headers(response)

    @post(
        "/{application_id:str}/decisions",
        summary="Record the permit decision",
        description="Records decisionRecorded through the lifecycle (If-Match required). A Bibob measure is linked "
        "to every open case about the same subjects, or becomes a signal for the safety advisor; the response says "
        "only how many cases were linked. Honours Idempotency-Key.",
        status_code=201,
        responses=_errors(400, 409, 412, 413, 422, 428),
    )
    async def create_decision(
        self, request: Request[Any, Any, Any], state: State, principal: NamedDependency[Principal],
        application_id: FromPath[str],
    ) -> Response[dict[str, Any]]:  # fmt: skip
        require(principal, Resource.APPLICATION, Action.UPDATE, application_id)  # no update rule: 404 at once
        version, body, reason = expected_version(request), await read_json_body(request), audit_reason(request)
        with transaction(state) as conn:

            def produce() -> tuple[int, dict[str, Any]]:
                return 201, _decide(conn, principal, state, application_id, version, body, reason)

            response = await idempotent(request, principal, conn, produce)
        return _with_resource_headers(response)

    @get(
        "/{application_id:str}/timeline",
        summary="Events and deadlines",
        description="Every running and passed deadline on `referenceDate` (default today), with the decision term "
        "the policy sets for the permit type.",
        responses=_errors(400),
    )
    async def show_timeline(
        self, request: Request[Any, Any, Any], state: State, principal: NamedDependency[Principal],
        application_id: FromPath[str],
        reference_date: Annotated[dt.date | None, QueryParameter(name="referenceDate")] = None,
    ) -> Response[dict[str, Any]]:  # fmt: skip
        with transaction(state) as conn:
            stored = store.get_application(conn, principal, application_id, audit_reason(request))
        on = reference_date or dt.date.today()
        permit_type = PermitType.parse(stored.permit_type)
        rule = _policy(state).screening.get(permit_type) if permit_type is not None else None
        term = rule.decision_term if rule is not None else None
        basis = term.legal_basis if term is not None else NO_TERM_BASIS
        deadlines = _deadlines(stored, on, term.term if term else DEFAULT_DECISION_TERM, basis)
        return _tagged(timeline_view(stored, deadlines, on, basis), stored.version)


def _deadlines(stored: store.StoredApplication, on: dt.date, term: Term, basis: str) -> tuple[Deadline, ...]:
    try:
        return application_deadlines(stored.application, on, _calendar(), term, basis)
    except OverflowError:  # a reference date near the end of the calendar
        raise InvalidInputError(
            [Problem("referenceDate", "dateOutOfRange", "de termijnen lopen voorbij 9999")]
        ) from None


def _check_filters(state: str | None, permit_type: str | None) -> None:
    problems = []
    if state is not None and ApplicationState.parse(state) is None:
        problems.append(Problem("state", "enum", "onbekende status van een aanvraag"))
    if permit_type is not None and PermitType.parse(permit_type) is None:
        problems.append(Problem("permitType", "enum", "onbekend soort vergunning"))
    if problems:
        raise InvalidInputError(problems)


async def _register(
    state: State, principal: Principal, application_id: str, reason: str
) -> tuple[dict[str, BasicProfile | None], str]:
    """The KvK profiles of the declared organisations, fetched outside any transaction; never blocks."""
    integrations: Integrations = state.integrations
    if integrations.kvk is None:
        return {}, "KvK-controle niet ingesteld"
    with transaction(state) as conn:
        stored = store.get_application(conn, principal, application_id, reason)
    questionnaire = _catalogue(state).get(_questionnaire_id(stored))
    if questionnaire is None:
        return {}, "geen vragenformulier bij deze aanvraag"
    declaration = declaration_from_answers(questionnaire, stored.answers)
    return await register_profiles(state.http, integrations.kvk, declaration)


def _known(
    conn: Connection, principal: Principal, stored: store.StoredApplication, state: State, reason: str
) -> tuple[Fact, ...]:
    """Facts for subjects known to the safety advisor (the indicator knownInUnderminingCase), naming no case."""
    questionnaire = _catalogue(state).get(_questionnaire_id(stored))
    if questionnaire is None:
        return ()
    declaration = declaration_from_answers(questionnaire, stored.answers)
    return known_subject_facts_for(conn, principal, stored.id, declaration, dt.date.today(), reason)


def _questionnaire_id(stored: store.StoredApplication) -> str:
    reference = stored.answers.get("questionnaire")
    found = reference.get("id") if isinstance(reference, dict) else None
    return found if isinstance(found, str) else ""


def _assessed(
    body: object, stored: store.StoredApplication, state: State,
    register: tuple[dict[str, BasicProfile | None], str] = ({}, ""),
    known: tuple[Fact, ...] = (),
) -> dict[str, Any]:  # fmt: skip
    """The assessment document to store: the input, the full view and the permit officer's view."""
    request = assessment_request(body, stored, _catalogue(state), dt.date.today())
    request = attrs.evolve(request, register=register[0], facts=(*request.facts, *known))
    policy = _policy(state)
    assessment = assess(request, policy)
    redacted = for_permit_officer(assessment, request, policy)
    given = {key: value for key, value in body.items() if key != "referenceDate"} if isinstance(body, dict) else {}
    return {
        "referenceDate": request.reference_date.isoformat(),
        "input": given,
        "full": assessment_view(assessment),
        "permitOfficer": assessment_view(redacted),
        "registerCheck": register[1],
    }


def _decide(
    conn: Connection, principal: Principal, state: State, application_id: str, version: int, body: object, reason: str
) -> dict[str, Any]:
    """Record the decision through the lifecycle, store it, and link a Bibob measure for the advisor."""
    stored = store.get_application(conn, principal, application_id, reason)
    _current(stored, version)
    event, theme = decision_event(body, stored)
    application = apply_event(stored.application, event)
    updated = store.update_application(conn, principal, application_id, version, application=application, reason=reason)
    document = event_document(event) | {"theme": theme.value}
    record = record_decision(conn, principal, application_id, event.outcome.value, document, reason)
    decision = _recorded(conn, principal, _catalogue(state), stored, event, theme, reason)
    mirror = state.integrations.zgw is not None
    link = link_decision_to_undermining(
        conn, principal, application_id, decision, decision_ref=record.id, reason=reason, mirror=mirror
    )
    return decision_view(record, updated, link)


def _recorded(
    conn: Connection,
    principal: Principal,
    catalogue: Catalogue,
    stored: store.StoredApplication,
    event: DecisionRecorded,
    theme: Theme,
    reason: str,
) -> RecordedDecision:
    """The decision with the application's subjects and the findings of its latest assessment as the permit
    officer sees them, so the explanation that travels to a case names no closed source."""
    declaration = declaration_from_answers(catalogue[questionnaire_reference(stored)], dict(stored.answers))
    records = list_assessments(conn, principal, stored.id, reason) if event.outcome.is_bibob_measure else ()
    findings = records[-1].document.get("permitOfficer", {}).get("findings", []) if records else []
    made = recorded_decision(stored.id, event.outcome, event.on, event.grounds, declaration, (), theme)
    return attrs.evolve(made, findings=tuple((str(f["code"]), str(f["explanation"])) for f in findings))


APPLICATION_HANDLERS: list[HTTPRouteHandler | type] = [ApplicationController]
