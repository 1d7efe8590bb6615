"""The 'Brieven' page of an application: the letters that apply now, a preview, make and download them again.

The same use cases as `/api/v1/applications/{id}/letters`: who may read the application sees its letters, who may
change it makes them; the LBB request is only offered to who reads closed sources.
"""

from __future__ import annotations

from typing import Any

import attrs
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from bibob.exceptions import InvalidInputError
from bibob.letters import Letter, LetterKind
from bibob.terms import dutch_date
from service.http import in_session
from service.letters import municipality
from service.resources import app_resources
from service.store.access import sees_closed_sources
from service.store.accounts import WebSession
from service.store.letters import StoredLetter
from service.usecases.dossier import export_dossier as export
from service.usecases.letters import (
    Resources,
    applicable,
    choices_from,
    letter_file,
    list_letters,
    make_letter,
    preview,
)
from service.usecases.session import Session
from service.views.letters import MEDIA_TYPES
from service.web.forms import FieldError, sentence, text
from service.web.rendering import page

MADE = "De brief ‘{label}’ is gemaakt en bij de aanvraag bewaard."
WITH_ADVICE = (LetterKind.INTENTION, LetterKind.DECISION_REFUSAL, LetterKind.DECISION_WITHDRAWAL,
               LetterKind.DECISION_GRANT_WITH_CONDITIONS, LetterKind.OBJECTION_DECISION)  # fmt: skip
WITH_QUESTIONS = {LetterKind.LBB_INFORMATION_REQUEST: "lbbQuestions", LetterKind.LBB_REQUEST: "questions"}
MAX_QUESTIONS = 50


@attrs.frozen
class LettersPage:
    """What the page shows: the letters that apply, the stored ones, and a preview or why there is none."""

    kinds: tuple[LetterKind, ...]
    stored: tuple[StoredLetter, ...]
    shown: Letter | None = None
    not_shown: str = ""


def _resources(request: Request[Any, Any, Any]) -> Resources:
    """What the letters' use cases need, from the app's resources."""
    shared = app_resources(request)
    return Resources(shared.catalogue, shared.policy, shared.calendar, municipality())


def _read(session: Session, resources: Resources, application_id: str, kind: LetterKind | None) -> LettersPage:
    kinds = applicable(session, application_id)
    stored = list_letters(session, application_id)
    if kind is None or kind not in kinds:
        return LettersPage(kinds, stored)
    try:
        return LettersPage(
            kinds, stored, preview(session, resources, application_id, choices_from({"kind": kind.value}))
        )
    except InvalidInputError as invalid:
        return LettersPage(kinds, stored, None, " ".join(sentence(p.message) for p in invalid.problems))


def _render(request: Request[Any, Any, Any], application_id: str, found: LettersPage, *, status: int = 200,
            errors: tuple[FieldError, ...] = (), notice: str | None = None) -> Template:  # fmt: skip
    return page(request, "applications/letters.html", title=f"Brieven bij aanvraag {application_id}", status=status,
                errors=errors, notice=notice, application_id=application_id, found=found, dutch_date=dutch_date,
                omittable=OMITTABLE, exports=_exports(request),
                with_advice=WITH_ADVICE, with_questions=WITH_QUESTIONS, kind_of=LetterKind.parse)  # fmt: skip


def _exports(request: Request[Any, Any, Any]) -> bool:
    """Whether the visitor may export the dossier (who reads the investigation: the coordinator, the mayor)."""
    session = getattr(request.state, "web_session", None)
    return isinstance(session, WebSession) and sees_closed_sources(session.principal)


@get("/aanvragen/{application_id:str}/brieven", name="officer:letters")
async def letters_page(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], application_id: FromPath[str],
    voorbeeld: FromQuery[str | None] = None, melding: FromQuery[str | None] = None,
) -> Template:  # fmt: skip
    """The letters that apply in the application's state, each with a preview; the letters made so far."""
    resources = _resources(request)
    kind = LetterKind.parse(voorbeeld)
    found = await in_session(request, signed_in.principal, lambda s: _read(s, resources, application_id, kind))
    made = LetterKind.parse(melding)
    return _render(request, application_id, found, notice=MADE.format(label=made.label) if made else None)


def _body(form: Any) -> tuple[dict[str, Any], LetterKind | None]:
    kind = LetterKind.parse(text(form, "soort"))
    body: dict[str, Any] = {"kind": text(form, "soort")}
    if kind in WITH_ADVICE:
        body["adviceEnclosed"] = text(form, "advies") == "ja"
    if kind in WITH_QUESTIONS:
        lines = [line.strip() for line in text(form, "vragen").splitlines() if line.strip()]
        body[WITH_QUESTIONS[kind]] = lines[:MAX_QUESTIONS]
    return body, kind


@post("/aanvragen/{application_id:str}/brieven", name="officer:make-letter", status_code=303)
async def make_letter_page(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], application_id: FromPath[str],
) -> Response[Any]:  # fmt: skip
    """Make (or make again after a change) one letter through the same use case as the API, then show the list."""
    resources = _resources(request)
    body, kind = _body(await request.form())
    try:
        await in_session(request, signed_in.principal, lambda s: make_letter(s, resources, application_id, body))
        return Redirect(f"/aanvragen/{application_id}/brieven?melding={body['kind']}", status_code=303)
    except InvalidInputError as invalid:
        field = f"vragen-{kind.value}" if kind in WITH_QUESTIONS else f"maak-{body['kind']}"
        errors = tuple(FieldError(field, sentence(p.message)) for p in invalid.problems)
    found = await in_session(request, signed_in.principal, lambda s: _read(s, resources, application_id, kind))
    return _render(request, application_id, found, status=400, errors=errors)


@get("/aanvragen/{application_id:str}/brieven/{letter_id:str}/{file_format:str}", name="officer:letter-file")
async def letter_file_page(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], application_id: FromPath[str],
    letter_id: FromPath[str], file_format: FromPath[str],
) -> Response[bytes]:  # fmt: skip
    """One letter's file, for who may read the application (404 for anyone else)."""
    if file_format not in MEDIA_TYPES:
        raise NotFoundException()
    stored, content = await in_session(
        request, signed_in.principal, lambda s: letter_file(s, application_id, letter_id, file_format)
    )
    disposition = f'attachment; filename="{stored.name}.{file_format}"'
    return Response(content, media_type=MEDIA_TYPES[file_format], headers={"Content-Disposition": disposition})


#: What the page offers to leave out of the dossier (codes of `service.usecases.dossier`, each standing for every
#: numbered version), with the label an officer reads.
OMITTABLE = (
    ("answers", "het ingevulde Bibob-vragenformulier"),
    ("assessment-permit-officer", "de beoordeling zoals de vergunningverlener die ziet"),
    ("assessment-coordinator", "de beoordeling zoals de Bibob-coördinator die ziet"),
    ("investigation", "het dossier eigen onderzoek"),
    ("audit", "wie het dossier heeft ingezien of gewijzigd"),
)


@post("/aanvragen/{application_id:str}/dossier", name="officer:dossier", status_code=200)
async def dossier_page(
    request: Request[Any, Any, Any], signed_in: NamedDependency[WebSession], application_id: FromPath[str],
) -> Response[Any]:  # fmt: skip
    """The dossier for objection or court as a zip, through the same use case as the API; what is left out needs
    its reason, and both are recorded in the archive, the audit log and the disclosures."""
    shared = app_resources(request)
    policy, calendar = shared.policy, shared.calendar
    form = await request.form()
    left_out = [code for code, _ in OMITTABLE if form.get(f"weglaten-{code}") == "ja"]
    why = text(form, "reden").strip()
    body = {"recipient": text(form, "ontvanger"), "omit": dict.fromkeys(left_out, why), "reason": why}
    errors: tuple[FieldError, ...] = ()
    if left_out and not why:
        errors = (FieldError("reden", "Geef de reden om stukken weg te laten (art. 28 Wet Bibob, Awb 8:29)."),)
    else:
        try:
            dossier, content = await in_session(
                request, signed_in.principal, lambda s: export(s, policy, calendar, application_id, body)
            )
            filename = f"dossier-{dossier.application_id}-{dossier.made_at:%Y%m%d}.zip"
            headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
            return Response(content, media_type="application/zip", headers=headers)
        except InvalidInputError as invalid:
            errors = tuple(FieldError("ontvanger", sentence(p.message)) for p in invalid.problems)
    resources = _resources(request)
    found = await in_session(request, signed_in.principal, lambda s: _read(s, resources, application_id, None))
    return _render(request, application_id, found, status=400, errors=errors)


LETTER_PAGE_HANDLERS = (letters_page, make_letter_page, letter_file_page, dossier_page)
