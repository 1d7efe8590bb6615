"""The applications: create, read, answers, attachments, assessments, lifecycle events, decisions, timeline."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, QueryParameter
from sqlalchemy.engine import Connection

from bibob.applications import ApplicationState, apply_event
from bibob.exceptions import InvalidInputError, Problem
from bibob.legal import PermitType
from bibob.questionnaires import Questionnaire, check_completeness
from bibob.terms import DEFAULT_DECISION_TERM
from service.auth import Principal, Role
from service.errors import PROBLEM_JSON, read_json_body
from service.http import audit_reason, etag, expected_version, idempotent, in_transaction, page_window, paginated
from service.openapi import ARRAY, BOOLEAN, DATE, OBJECT, STRING, STRINGS, field_shapes, request_body
from service.routes.application_actions import (
    assessed,
    catalogue_of,
    check_current,
    deadlines_of,
    decide,
    known_facts,
    policy_of,
    register_check,
)
from service.routes.application_views import (
    ASSESSMENT_FIELDS,
    ATTACHMENT,
    CREATE_FIELDS,
    DECISION_FIELDS,
    answer_document,
    answers_view,
    application_summary,
    application_view,
    assessment_record_view,
    attachment_list,
    lifecycle_event,
    new_application,
    questionnaire_reference,
    timeline_view,
)
from service.routes.inputs import created_at, with_etag, within_years
from service.store import applications as store
from service.store.access import Action, Resource, require
from service.store.assessments import add_assessment, list_assessments

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


def _answers_checked(stored: store.StoredApplication, questionnaire: Questionnaire, document: Any) -> dict[str, Any]:
    """The answers with every problem and the completeness (one validation: completeness holds the problems)."""
    completeness = check_completeness(questionnaire, document)
    problems = sorted((*completeness.missing, *completeness.invalid), key=lambda p: (p.pointer, p.code, p.message))
    return answers_view(stored, tuple(problems), completeness)


def _full_view(principal: Principal) -> bool:
    return principal.role in FULL_ASSESSMENT_ROLES


class ApplicationController(Controller):
    """Applications under Bibob screening; need-to-know is enforced by the store (404 for what is not yours)."""

    path = "/applications"
    tags = ["applications"]  # noqa: RUF012  (Litestar declares it as an instance attribute)

    @post(
        "/",
        opt=request_body(
            "A new application; the id is generated unless given, the questionnaire defaults to the policy's.",
            field_shapes(CREATE_FIELDS, received=DATE),
            ("permitType", "legalAct", "received"),
            idempotent=True,
        ),
        summary="Register an application",
        description="The id is generated when left out; the questionnaire defaults to the policy's for the permit "
        "type. Honours Idempotency-Key.",
        status_code=201,
        responses=_errors(400, 409, 413, 422),
    )
    async def create_application(
        self, request: Request[Any, Any, Any], state: State, principal: NamedDependency[Principal]
    ) -> Response[dict[str, Any]]:
        require(principal, Resource.APPLICATION, Action.CREATE)  # no create rule: 404 whatever the body
        body = await read_json_body(request)
        application, questionnaire = new_application(body, catalogue_of(state), policy_of(state))
        reason = audit_reason(request)

        def produce(conn: Connection) -> tuple[int, dict[str, Any]]:
            answers = {"questionnaire": questionnaire}
            stored = store.create_application(conn, principal, application, answers=answers, reason=reason)
            return 201, application_view(stored, full=_full_view(principal))

        return created_at("/api/v1/applications", with_etag(await idempotent(request, principal, produce)))

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
        reason = audit_reason(request)
        found, count = await in_transaction(
            request.app.state,
            lambda conn: store.page_of_applications(
                conn, principal, state=state_filter, permit_type=permit_type, limit=limit, offset=offset, reason=reason
            ),
        )
        return paginated(request, [application_summary(stored) for stored in found], count, page, page_size)

    @get("/{application_id:str}", summary="Show an application", responses=_errors())
    async def show_application(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal], application_id: FromPath[str]
    ) -> Response[dict[str, Any]]:
        stored = await _read(request, principal, application_id)
        return _tagged(application_view(stored, full=_full_view(principal)), stored.version)

    @get(
        "/{application_id:str}/answers",
        summary="The stored answers with every problem and the completeness",
        responses=_errors(),
    )
    async def show_answers(
        self, request: Request[Any, Any, Any], state: State, principal: NamedDependency[Principal],
        application_id: FromPath[str],
    ) -> Response[dict[str, Any]]:  # fmt: skip
        stored = await _read(request, principal, application_id)
        questionnaire = catalogue_of(state)[questionnaire_reference(stored)]
        return _tagged(_answers_checked(stored, questionnaire, dict(stored.answers)), stored.version)

    @put(
        "/{application_id:str}/answers",
        opt=request_body(
            "The answer document; it names its questionnaire.",
            {"questionnaire": OBJECT},
            ("questionnaire",),
            closed=False,
        ),
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

        def store_answers(conn: Connection) -> tuple[store.StoredApplication, Questionnaire, dict[str, Any]]:
            questionnaire = catalogue_of(state)[store.questionnaire_of(conn, principal, application_id)]
            document = answer_document(body, questionnaire.id)
            updated = store.update_application(
                conn, principal, application_id, version, answers=document, reason=reason
            )
            return updated, questionnaire, document

        updated, questionnaire, document = await in_transaction(state, store_answers)
        return _tagged(_answers_checked(updated, questionnaire, document), updated.version)

    @put(
        "/{application_id:str}/attachments",
        opt=request_body(
            "The metadata of every attachment.",
            {"attachments": {"type": "array", "items": ATTACHMENT}},
            ("attachments",),
        ),
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
        updated = await in_transaction(
            state,
            lambda conn: store.update_application(
                conn, principal, application_id, version, attachments=items, reason=reason
            ),
        )
        return _tagged(application_view(updated, full=_full_view(principal)), updated.version)

    @post(
        "/{application_id:str}/assessments",
        opt=request_body(
            "Facts and records to assess with the stored answers.",
            field_shapes(
                ASSESSMENT_FIELDS,
                facts=ARRAY,
                proportionality=OBJECT,
                lbbAdvice=OBJECT,
                repairTermLapsed=BOOLEAN,
                referenceDate=DATE,
            ),
            idempotent=True,
        ),
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
        register = await register_check(state, principal, application_id, reason)

        def produce(conn: Connection) -> tuple[int, dict[str, Any]]:
            stored = store.get_application(conn, principal, application_id, reason)
            known = known_facts(conn, principal, stored, state, reason)
            document = assessed(body, stored, state, register, known)
            record = add_assessment(conn, principal, application_id, document, reason)
            return 201, assessment_record_view(record, _full_view(principal))

        return await idempotent(request, principal, produce)

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
        reason = audit_reason(request)
        records = await in_transaction(state, lambda conn: list_assessments(conn, principal, application_id, reason))
        results = [assessment_record_view(record, _full_view(principal)) for record in records]
        return {"count": len(results), "next": None, "previous": None, "results": results}

    @post(
        "/{application_id:str}/events",
        opt=request_body(
            "One lifecycle event (application.schema.json).",
            {"type": STRING, "on": DATE},
            ("type",),
            closed=False,
            idempotent=True,
        ),
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

        def produce(conn: Connection) -> tuple[int, dict[str, Any]]:
            stored = store.get_application(conn, principal, application_id, reason)
            check_current(stored, version)
            application = apply_event(stored.application, lifecycle_event(body, stored))
            updated = store.update_application(
                conn, principal, application_id, version, application=application, reason=reason
            )
            return 201, application_view(updated, full=_full_view(principal))

        return with_etag(await idempotent(request, principal, produce))

    @post(
        "/{application_id:str}/decisions",
        opt=request_body(
            "The decisionRecorded event without its type, and the theme for the advisor.",
            field_shapes(
                DECISION_FIELDS, on=DATE, grounds=STRINGS, levels=OBJECT, proportionality=OBJECT, conditions=ARRAY
            ),
            ("on", "outcome", "decidedBy"),
            idempotent=True,
        ),
        summary="Record the permit decision",
        description="Records decisionRecorded through the lifecycle (If-Match required). A Bibob measure is linked "
        "to every open case about the same subjects, or becomes a signal for the safety advisor; the response says "
        "only that the advisor was informed (never whether a case was reached). Honours Idempotency-Key.",
        status_code=201,
        responses=_errors(400, 409, 412, 413, 422, 428),
    )
    async def create_decision(
        self, request: Request[Any, Any, Any], state: State, principal: NamedDependency[Principal],
        application_id: FromPath[str],
    ) -> Response[dict[str, Any]]:  # fmt: skip
        require(principal, Resource.APPLICATION, Action.UPDATE, application_id)  # no update rule: 404 at once
        version, body, reason = expected_version(request), await read_json_body(request), audit_reason(request)

        def produce(conn: Connection) -> tuple[int, dict[str, Any]]:
            return 201, decide(conn, principal, state, application_id, version, body, reason)

        return with_etag(await idempotent(request, principal, produce))

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
        if reference_date is not None:
            within_years(reference_date, "referenceDate")
        stored = await _read(request, principal, application_id)
        on = reference_date or dt.date.today()
        permit_type = PermitType.parse(stored.permit_type)
        rule = policy_of(state).screening.get(permit_type) if permit_type is not None else None
        term = rule.decision_term if rule is not None else None
        basis = term.legal_basis if term is not None else NO_TERM_BASIS
        deadlines = deadlines_of(stored, on, term.term if term else DEFAULT_DECISION_TERM, basis)
        view = timeline_view(stored, deadlines, on, basis, full=_full_view(principal))
        return _tagged(view, stored.version)


async def _read(request: Request[Any, Any, Any], principal: Principal, application_id: str) -> store.StoredApplication:
    """The application, if the principal may see it (an audited read)."""
    reason = audit_reason(request)
    return await in_transaction(
        request.app.state, lambda conn: store.get_application(conn, principal, application_id, reason)
    )


def _check_filters(state: str | None, permit_type: str | None) -> None:
    problems = []
    if state is not None and ApplicationState.parse(state) is None:
        problems.append(Problem("state", "enum", "onbekende status van een aanvraag"))
    if permit_type is not None and PermitType.parse(permit_type) is None:
        problems.append(Problem("permitType", "enum", "onbekend soort vergunning"))
    if problems:
        raise InvalidInputError(problems)


APPLICATION_HANDLERS: list[HTTPRouteHandler | type] = [ApplicationController]
