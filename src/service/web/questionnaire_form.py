"""The Bibob questionnaire of an application as a web form: enter the answers or upload them as a JSON file.

The answers are stored by the same use case as `PUT /api/v1/applications/{id}/answers`, at the version the page
showed. As there, any answer document to the application's questionnaire is stored, and its problems are shown (the
completeness tells what is missing); a form with a value that cannot be read (an amount with letters, a date that
does not exist) is like a body that is no JSON: nothing is stored, and every problem is shown at its question.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from bibob.exceptions import InvalidInputError, Problem
from bibob.questionnaires import Catalogue, CompletenessStatus, form_in_force
from service.http import in_session
from service.resources import app_resources
from service.store.access import Action, Resource, require, scope
from service.store.accounts import WebSession
from service.store.errors import StaleVersionError
from service.usecases.applications import AnswersState, check_answers, read_answers, read_application, store_answers
from service.views.answer_form import (
    FORM_START,
    add_entry,
    add_module,
    build_form,
    element_id,
    read_form,
    remove_entry,
)
from service.web.forms import FieldError, sentence, text
from service.web.rendering import page

PATH = "/aanvragen/{application_id:str}/vragenformulier"
ACTION = "_actie"
VERSION = "_versie"
UPLOAD = "antwoordbestand"
MAX_UPLOAD = 5 * 1024 * 1024
NOTICES = {
    "opgeslagen": "De antwoorden zijn opgeslagen.",
    "bestand": "Het antwoordbestand is ingelezen en opgeslagen.",
}


@get(PATH, name="web:questionnaire-form")
async def questionnaire_form(
    request: Request[Any, Any, Any],
    signed_in: NamedDependency[WebSession],
    application_id: FromPath[str],
    melding: FromQuery[str | None] = None,
) -> Template:
    """The form with the stored answers, each problem at its question, and the completeness at the top."""
    catalogue = app_resources(request).catalogue
    state = await in_session(request, signed_in.principal, lambda s: read_answers(s, catalogue, application_id))
    problems = (*state.completeness.missing, *state.completeness.invalid)
    return _page(request, signed_in, state, state.document, problems, notice=NOTICES.get(melding or ""))


@post(PATH, name="web:questionnaire-form-post", status_code=200)
async def questionnaire_form_post(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], application_id: FromPath[str]
) -> Response[Any]:
    """Store the answers (`opslaan`), show again which questions apply (`bijwerken`), add or remove an entry or a
    module (nothing stored), or read an uploaded answer file and store it (`uploaden`)."""
    catalogue = app_resources(request).catalogue
    principal = signed_in.principal
    require(principal, Resource.APPLICATION, Action.UPDATE, application_id)  # no update rule: 404, as the API
    form = await request.form()
    action, version = text(form, ACTION) or "opslaan", _version(form)
    state = await in_session(request, principal, lambda s: read_answers(s, catalogue, application_id))
    if action == "uploaden":
        return await _upload(request, signed_in, catalogue, state, form, version)
    reading = read_form(state.questionnaire, _posted(form))
    document = reading.document
    kind, _, target = action.partition("|")
    if kind == "toevoegen":
        document = add_entry(document, target)
    elif kind == "verwijderen":
        document = remove_entry(document, target)
    elif kind == "module":
        section_id, _, named_at = target.partition("|")
        if section_id in {section.id for section in state.questionnaire.modules}:
            document = add_module(document, state.questionnaire, section_id, named_at)
    unread = [Problem(name, "unreadable", message) for name, message in reading.problems.items()]
    if kind != "opslaan":
        checked = await in_session(request, principal, lambda s: check_answers(s, catalogue, application_id, document))
        notice = "Nog niet opgeslagen: kies ‘Opslaan’ om de antwoorden te bewaren."
        return _page(request, signed_in, checked, document, unread, typed=reading.typed, version=version,
                     notice=notice, draft=True)  # fmt: skip
    if unread:
        checked = await in_session(request, principal, lambda s: check_answers(s, catalogue, application_id, document))
        read = {problem.pointer for problem in unread}
        found = [p for p in (*checked.completeness.missing, *checked.completeness.invalid) if p.pointer not in read]
        return _page(request, signed_in, checked, document, [*unread, *found], typed=reading.typed, version=version,
                     status=400, draft=True, refused=True)  # fmt: skip
    return await _store(request, signed_in, catalogue, state, document, version, "opgeslagen", typed=reading.typed)


async def _store(
    request: Request[Any, Any, Any],
    signed_in: NamedDependency[WebSession],
    catalogue: Catalogue,
    state: AnswersState,
    document: object,
    version: int | None,
    notice: str,
    typed: dict[str, str] | None = None,
) -> Response[Any]:
    """Store through the API's use case; then the form again (a GET, so that reloading stores nothing twice)."""
    principal, application_id = signed_in.principal, state.application.id
    shown = document if isinstance(document, dict) else state.document
    if version is None:
        problem = Problem("", "version", "Het formulier mist zijn versie; laad de pagina opnieuw.")
        return _page(request, signed_in, state, shown, [problem], status=400, draft=True, refused=True)
    try:
        await in_session(request, principal, lambda s: store_answers(s, catalogue, application_id, version, document))
    except StaleVersionError:
        current = await in_session(request, principal, lambda s: read_application(s, application_id))
        checked = await in_session(request, principal, lambda s: check_answers(s, catalogue, application_id, shown))
        stale = (
            f"Iemand anders heeft de antwoorden intussen opgeslagen (nu versie {current.version}). Uw antwoorden zijn "
            "niet opgeslagen en staan hieronder nog. Kies opnieuw ‘Opslaan’ om de andere versie te vervangen, of "
            "laad de pagina opnieuw om die te zien."
        )
        return _page(request, signed_in, checked, shown, [Problem("", "stale", stale)], typed=typed,
                     version=current.version, status=409, draft=True, refused=True)  # fmt: skip
    except InvalidInputError as error:
        problems = [Problem("", p.code, sentence(p.message)) for p in error.problems]
        return _page(request, signed_in, state, state.document, problems, status=400, refused=True,
                     upload_errors=[FieldError(UPLOAD, p.message) for p in problems])  # fmt: skip
    return Redirect(f"/aanvragen/{application_id}/vragenformulier?melding={notice}", status_code=303)


async def _upload(
    request: Request[Any, Any, Any],
    signed_in: NamedDependency[WebSession],
    catalogue: Catalogue,
    state: AnswersState,
    form: FormMultiDict,
    version: int | None,
) -> Response[Any]:
    """An answer document as a JSON file: read, then stored as the API stores a body (the same checks)."""
    upload = form.get(UPLOAD)
    message = None
    body: object = None
    if not isinstance(upload, UploadFile) or not upload.filename:
        message = "Kies een JSON-bestand met de antwoorden."
    else:
        data = await upload.read()
        if len(data) > MAX_UPLOAD:
            message = f"Het bestand is te groot: hoogstens {MAX_UPLOAD // (1024 * 1024)} MB."
        else:
            try:
                body = json.loads(data.decode("utf-8"))
            except UnicodeDecodeError:
                message = "Het bestand is geen tekstbestand in UTF-8; kies een JSON-bestand."
            except json.JSONDecodeError as error:
                message = f"Het bestand is geen geldige JSON (regel {error.lineno}, kolom {error.colno})."
            else:
                if not isinstance(body, dict):
                    message = "Het bestand bevat geen antwoorddocument (een JSON-object met ‘questionnaire’)."
    if message is not None:
        problem = Problem("", "upload", message)
        return _page(request, signed_in, state, state.document, [problem], status=400, refused=True,
                     upload_errors=[FieldError(UPLOAD, message)])  # fmt: skip
    return await _store(request, signed_in, catalogue, state, body, version, "bestand")


def _page(
    request: Request[Any, Any, Any],
    signed_in: NamedDependency[WebSession],
    state: AnswersState,
    document: object,
    problems: Sequence[Problem],
    *,
    typed: dict[str, str] | None = None,
    version: int | None = None,
    status: int = 200,
    notice: str | None = None,
    draft: bool = False,
    refused: bool = False,
    upload_errors: Sequence[FieldError] = (),
) -> Template:
    shown = document if isinstance(document, dict) else {}
    form = build_form(
        state.questionnaire,
        shown,
        completeness=state.completeness,
        problems=[p for p in problems if not (upload_errors and p.pointer == "")],
        typed=typed,
        today=app_resources(request).clock().astimezone().date(),
    )
    completeness = state.completeness
    application_id = state.application.id
    return page(
        request,
        "questionnaire_form.html",
        title=f"Vragenformulier {application_id}",
        status=status,
        errors=[*upload_errors, *(FieldError(item.target, item.message) for item in form.summary)],
        form=form,
        application_id=application_id,
        questionnaire=state.questionnaire,
        form_warning=form_in_force(state.questionnaire, state.application.received).warning,
        version=state.application.version if version is None else version,
        completeness=completeness,
        complete=completeness.status is CompletenessStatus.COMPLETE,
        modules_missing=[m for m in completeness.modules if m.given < m.expected],
        attachments_missing=[a for a in completeness.attachments if not a.present],
        notice=notice,
        draft=draft,
        refused=refused,
        editable=scope(signed_in.principal, Resource.APPLICATION, Action.UPDATE) is not None,
        action=f"/aanvragen/{application_id}/vragenformulier",
        upload_field=UPLOAD,
        form_start=FORM_START,
        element_id=element_id,
    )


def _posted(form: FormMultiDict) -> dict[str, list[str]]:
    """The form's answer fields (named by pointer) with all their values; the page's own fields left out."""
    posted: dict[str, list[str]] = {}
    for name, value in form.multi_items():
        if name.startswith("/") and isinstance(value, str):
            posted.setdefault(name, []).append(value)
    return posted


def _version(form: FormMultiDict) -> int | None:
    value = text(form, VERSION)
    return int(value) if value.isdigit() and len(value) < 10 else None


QUESTIONNAIRE_HANDLERS = (questionnaire_form, questionnaire_form_post)
