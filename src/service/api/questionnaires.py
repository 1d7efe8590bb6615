"""The questionnaires resource: list, show, answer schema, and checking answers without storing them."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath

from bibob import answer_schema, check_completeness
from service.http import read_json_body
from service.openapi import request_body
from service.resources import app_resources
from service.views.questionnaires import completeness_view, questionnaire_summary, questionnaire_view


class QuestionnaireController(Controller):
    """Read-only access to the questionnaire variants on offer."""

    path = "/questionnaires"
    tags = ["questionnaires"]  # noqa: RUF012  (Litestar declares it as an instance attribute)

    @get("/", summary="List the questionnaire variants", description="Every form variant and selection, sorted by id.")
    async def list_questionnaires(self, request: Request[Any, Any, Any]) -> dict[str, Any]:
        catalogue = app_resources(request).catalogue
        results = [questionnaire_summary(catalogue[key]) for key in catalogue]
        return {"count": len(results), "next": None, "previous": None, "results": results}

    @get("/{questionnaire_id:str}", summary="Show one questionnaire definition", raises=[HTTPException])
    async def show_questionnaire(
        self, request: Request[Any, Any, Any], questionnaire_id: FromPath[str]
    ) -> dict[str, Any]:
        catalogue = app_resources(request).catalogue
        return questionnaire_view(catalogue[questionnaire_id])

    @get(
        "/{questionnaire_id:str}/answer-schema",
        summary="The JSON Schema (2020-12) of the answers",
        raises=[HTTPException],
    )
    async def show_answer_schema(
        self, request: Request[Any, Any, Any], questionnaire_id: FromPath[str]
    ) -> dict[str, Any]:
        catalogue = app_resources(request).catalogue
        return answer_schema(catalogue[questionnaire_id])

    @post(
        "/{questionnaire_id:str}/completeness-checks",
        opt=request_body("An answer document to check; nothing is stored.", closed=False),
        summary="Check answers for completeness without storing them",
        description="Returns every missing answer, missing attachment and invalid value at once.",
        status_code=200,
        raises=[HTTPException],
    )
    async def check_answers(self, request: Request[Any, Any, Any], questionnaire_id: FromPath[str]) -> dict[str, Any]:
        catalogue = app_resources(request).catalogue
        questionnaire = catalogue[questionnaire_id]
        return completeness_view(check_completeness(questionnaire, await read_json_body(request)))
