"""The applications: create, read, answers, attachments, assessments, lifecycle events, decisions, timeline."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter

from service.auth import Principal
from service.errors import kept_reason, refused_create_record
from service.http import (
    created_at,
    expected_version,
    idempotent,
    in_session,
    in_transaction,
    page_window,
    paginated,
    read_json_body,
    runner,
    with_etag,
)
from service.openapi import (
    ARRAY,
    BOOLEAN,
    DATE,
    INTEGER,
    OBJECT,
    READ_ERRORS,
    REPLACE_ERRORS,
    STRING,
    STRINGS,
    UPDATE_ERRORS,
    WRITE_ERRORS,
    field_shapes,
    request_body,
)
from service.resources import app_resources
from service.store.access import Action, Resource, require, sees_closed_sources
from service.store.errors import IdTakenError
from service.usecases import Session
from service.usecases.applications import (
    read_application,
    record_event,
    register_application,
    replace_attachments,
    store_answers,
    timeline,
)
from service.usecases.assessments import assess_application, check_registers, list_assessments
from service.usecases.decisions import decide
from service.usecases.worklist import Query, worklist
from service.views.application_requests import (
    ASSESSMENT_FIELDS,
    ATTACHMENT_FIELDS,
    ATTACHMENT_REQUIRED,
    CREATE_FIELDS,
    DECISION_FIELDS,
    SEARCH_FIELDS,
    application_filters,
    attachment_list,
    new_application,
    search_query,
)
from service.views.applications import (
    answers_view,
    application_view,
    assessment_record_view,
    decision_view,
    questionnaire_reference,
    timeline_view,
    worklist_entry_view,
)
from service.views.inputs import within_years

COLLECTION = "/api/v1/applications"
ATTACHMENT: dict[str, Any] = {  # the OpenAPI document's picture of one attachment
    "type": "object",
    "properties": {name: INTEGER if kind is int else STRING for name, kind in ATTACHMENT_FIELDS.items()},
    "required": list(ATTACHMENT_REQUIRED),
    "additionalProperties": False,
}


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
        raises=WRITE_ERRORS,
    )
    async def create_application(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal],
    ) -> Response[dict[str, Any]]:  # fmt: skip
        shared = app_resources(request)
        catalogue, policy = shared.catalogue, shared.policy
        require(principal, Resource.APPLICATION, Action.CREATE)  # no create rule: 404 whatever the body
        application, questionnaire = new_application(await read_json_body(request), catalogue, policy)
        full = sees_closed_sources(principal)

        def produce(session: Session) -> tuple[int, dict[str, Any]]:
            return 201, application_view(
                register_application(session, application, questionnaire),
                full=full,
                reader=principal.user,
                catalogue=catalogue,
            )

        try:
            return created_at(COLLECTION, with_etag(await idempotent(request, principal, produce)))
        except IdTakenError as taken:
            # the attempt's audit row is made durable before the answer, as a created application is: a taken id
            # and a free one then cost one commit each, and their times do not tell which ids exist
            await in_transaction(request.app.state, refused_create_record(principal, taken, kept_reason(request)))
            taken.recorded = True
            raise

    @get(
        "/",
        summary="List the applications you may see",
        description="Newest first; `page` and `pageSize` (at most 500), a Link header; filters `state` and "
        "`permitType`. Each entry names the applicant and the establishment (from the answers), the next deadline, "
        "and `overdue` when the decision term passed without a decision (Awb 4:17); `mark` is overdue or dueSoon.",
        raises=READ_ERRORS,
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
        shared = app_resources(request)
        catalogue, policy, calendar = shared.catalogue, shared.policy, shared.calendar
        offset, limit = page_window(page, page_size)
        application_filters(state_filter, permit_type)
        query = Query(state=state_filter, permit_type=permit_type, limit=limit, offset=offset)
        found, count = await in_session(request, principal, lambda s: worklist(s, catalogue, policy, calendar, query))
        return paginated(request, [worklist_entry_view(entry) for entry in found], count, page, page_size)

    @post(
        "/_search",
        opt=request_body(
            "What to look for: each of name, kvkNumber and address given must match; the list filters and an order.",
            field_shapes(SEARCH_FIELDS),
        ),
        summary="Search the applications you may see by applicant name, KvK number or address",
        description="Body: name (applicant, business or trade name), kvkNumber, address (street, number, postcode, "
        "place), each matched as a part, ignoring case, spaces and punctuation; state, permitType; sort (newest, "
        "deadline, applicant). A search, not a URL: names and numbers never appear in a query string. `page` and "
        "`pageSize` as for the list.",
        status_code=200,
        raises=READ_ERRORS,
    )
    async def search_applications(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        page: FromQuery[int] = 1,
        page_size: Annotated[int, QueryParameter(name="pageSize")] = 50,
    ) -> Response[dict[str, Any]]:
        shared = app_resources(request)
        catalogue, policy, calendar = shared.catalogue, shared.policy, shared.calendar
        offset, limit = page_window(page, page_size)
        query = search_query(await read_json_body(request), limit=limit, offset=offset)
        found, count = await in_session(request, principal, lambda s: worklist(s, catalogue, policy, calendar, query))
        return paginated(request, [worklist_entry_view(entry) for entry in found], count, page, page_size)

    @get(
        "/{application_id:str}",
        summary="Show an application",
        description="`formWarning`: a Dutch warning when the questionnaire follows an official form that was not in "
        "force on the received date (Regeling Bibob-formulieren; the 2013 forms until 31 January 2024), else null.",
        raises=READ_ERRORS,
    )
    async def show_application(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal], application_id: FromPath[str],
    ) -> Response[dict[str, Any]]:  # fmt: skip
        catalogue = app_resources(request).catalogue
        stored = await in_session(request, principal, lambda s: read_application(s, application_id))
        view = application_view(stored, full=sees_closed_sources(principal), reader=principal.user, catalogue=catalogue)
        return with_etag(Response(view))

    @get(
        "/{application_id:str}/answers",
        summary="The stored answers with every problem and the completeness",
        raises=READ_ERRORS,
    )
    async def show_answers(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal], application_id: FromPath[str],
    ) -> Response[dict[str, Any]]:  # fmt: skip
        catalogue = app_resources(request).catalogue
        stored = await in_session(request, principal, lambda s: read_application(s, application_id))
        questionnaire = catalogue[questionnaire_reference(stored)]
        return with_etag(Response(answers_view(stored, questionnaire, dict(stored.answers))))

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
        raises=REPLACE_ERRORS,
    )
    async def put_answers(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal], application_id: FromPath[str],
    ) -> Response[dict[str, Any]]:  # fmt: skip
        catalogue = app_resources(request).catalogue
        require(principal, Resource.APPLICATION, Action.UPDATE, application_id)  # no update rule: 404 at once
        version, body = expected_version(request), await read_json_body(request)
        stored = await in_session(
            request, principal, lambda s: store_answers(s, catalogue, application_id, version, body)
        )
        return with_etag(Response(answers_view(stored.application, stored.questionnaire, stored.document)))

    @put(
        "/{application_id:str}/attachments",
        opt=request_body(
            "The metadata of every attachment.",
            {"attachments": {"type": "array", "items": ATTACHMENT}},
            ("attachments",),
        ),
        summary="Replace the attachments metadata",
        description="Requires If-Match. Metadata only (file name, media type, size, sha256, kind, pointer, book "
        "year); the files themselves live in the document system. An attachment with the kind, pointer and year of "
        "one the answers call for counts for the completeness, as one listed in the answer document does.",
        raises=REPLACE_ERRORS,
    )
    async def put_attachments(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal], application_id: FromPath[str],
    ) -> Response[dict[str, Any]]:  # fmt: skip
        catalogue = app_resources(request).catalogue
        require(principal, Resource.APPLICATION, Action.UPDATE, application_id)  # no update rule: 404 at once
        version, items = expected_version(request), attachment_list(await read_json_body(request))
        updated = await in_session(request, principal, lambda s: replace_attachments(s, application_id, version, items))
        return with_etag(
            Response(
                application_view(
                    updated, full=sees_closed_sources(principal), reader=principal.user, catalogue=catalogue
                )
            )
        )

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
        )
        | {"rateLimit": "assessment"},
        summary="Assess the stored answers",
        description="Body: facts of the own investigation, proportionality record, LBB advice, repairTermLapsed, "
        "referenceDate (default today). The software recommends; a person decides. Honours Idempotency-Key.",
        status_code=201,
        raises=WRITE_ERRORS,
    )
    async def create_assessment(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal],
        application_id: FromPath[str],
    ) -> Response[dict[str, Any]]:  # fmt: skip
        shared = app_resources(request)
        catalogue, policy, http, integrations = shared.catalogue, shared.policy, shared.http, shared.integrations
        body = await read_json_body(request)
        register = await check_registers(runner(request, principal), catalogue, http, integrations.kvk, application_id)
        full = sees_closed_sources(principal)

        def produce(session: Session) -> tuple[int, dict[str, Any]]:
            record = assess_application(session, catalogue, policy, application_id, body, register)
            return 201, assessment_record_view(record, full)

        return await idempotent(request, principal, produce)

    @get(
        "/{application_id:str}/assessments",
        summary="The assessments of an application",
        description="A permit officer sees levels and advice without case contents or antecedent details.",
        raises=READ_ERRORS,
    )
    async def list_assessments(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal], application_id: FromPath[str]
    ) -> dict[str, Any]:
        records = await in_session(request, principal, lambda s: list_assessments(s, application_id))
        results = [assessment_record_view(record, sees_closed_sources(principal)) for record in records]
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
        raises=UPDATE_ERRORS,
    )
    async def create_event(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal], application_id: FromPath[str],
    ) -> Response[dict[str, Any]]:  # fmt: skip
        catalogue = app_resources(request).catalogue
        require(principal, Resource.APPLICATION, Action.UPDATE, application_id)  # no update rule: 404 at once
        version, body = expected_version(request), await read_json_body(request)
        full = sees_closed_sources(principal)

        def produce(session: Session) -> tuple[int, dict[str, Any]]:
            return 201, application_view(
                record_event(session, catalogue, application_id, version, body),
                full=full,
                reader=principal.user,
                catalogue=catalogue,
            )

        return with_etag(await idempotent(request, principal, produce))

    @post(
        "/{application_id:str}/decisions",
        opt=request_body(
            "The decisionRecorded event without its type, and the theme for the advisor.",
            field_shapes(
                DECISION_FIELDS, on=DATE, grounds=STRINGS, levels=OBJECT, proportionality=OBJECT, conditions=ARRAY
            ),
            ("on", "outcome"),
            idempotent=True,
        ),
        summary="Record the permit decision",
        description="Records decisionRecorded through the lifecycle (If-Match required), in the name of the token's "
        "user: `decidedBy` may be left out, and another name than the token's answers 400 (nobody records a "
        "decision in another person's name). The mayor may record it, as may the file's officers. A Bibob measure "
        "is linked to every open case about the same subjects, or becomes a signal for the safety advisor; the "
        "response says only that the advisor was informed (never whether a case was reached). Honours "
        "Idempotency-Key.",
        status_code=201,
        raises=UPDATE_ERRORS,
    )
    async def create_decision(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal],
        application_id: FromPath[str],
    ) -> Response[dict[str, Any]]:  # fmt: skip
        shared = app_resources(request)
        catalogue, integrations = shared.catalogue, shared.integrations
        require(principal, Resource.DECISION, Action.CREATE, application_id)  # no decision rule: 404 at once
        version, body = expected_version(request), await read_json_body(request)

        def produce(session: Session) -> tuple[int, dict[str, Any]]:
            decided = decide(session, catalogue, integrations, application_id, version, body)
            return 201, decision_view(decided.record, decided.application, decided.link)

        return with_etag(await idempotent(request, principal, produce))

    @get(
        "/{application_id:str}/timeline",
        summary="Events and deadlines",
        description="Every running and passed deadline on `referenceDate` (default today), with the decision term "
        "the policy sets for the permit type.",
        raises=READ_ERRORS,
    )
    async def show_timeline(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal], application_id: FromPath[str],
        reference_date: Annotated[dt.date | None, QueryParameter(name="referenceDate")] = None,
    ) -> Response[dict[str, Any]]:  # fmt: skip
        shared = app_resources(request)
        policy, calendar = shared.policy, shared.calendar
        if reference_date is not None:
            within_years(reference_date, "referenceDate")
        found = await in_session(
            request, principal, lambda s: timeline(s, policy, calendar, application_id, reference_date)
        )
        view = timeline_view(
            found.application,
            found.deadlines,
            found.on,
            found.basis,
            full=sees_closed_sources(principal),
            reader=principal.user,
            lateness=found.lateness,
        )
        return with_etag(Response(view), found.application.version)
