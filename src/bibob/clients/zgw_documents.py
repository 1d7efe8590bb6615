"""A letter as a document of the permit's zaak: Documenten API 1.x (enkelvoudiginformatieobject), Zaken API 1.x
(zaakinformatieobject), over httpx.

Art. 28 Wet Bibob: a letter is related only to the zaak of the permit it concerns, never to the zaak of an
undermining case; the caller passes the permit zaak, and nothing else here can relate a document.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs
import httpx

from bibob.clients._http import Call, failure, json_body, send
from bibob.clients.zgw import SERVICE, ZgwSettings, _call, _create_or_adopt, _headers, _problem_codes
from bibob.clients.zgw_values import CONFIDENTIALITY_LEVELS
from bibob.exceptions import InvalidInputError, Problem, UpstreamError

#: A letter to the applicant: personal and Bibob-procedure data, for the zaak's own officials only.
APPLICANT_LETTER = "vertrouwelijk"
PDF = "application/pdf"
DUTCH = "dut"  # ISO 639-2/B, as the Documenten API asks for `taal`


@attrs.frozen
class LetterDocument:
    """A stored letter as the Documenten API gets it; the service builds it from the letters table."""

    letter_id: str
    title: str  # titel, at most 200 characters are sent
    file_name: str  # bestandsnaam, e.g. "besluit-weigering.pdf"
    created_on: dt.date  # creatiedatum
    author: str  # auteur: who made the letter (also the JWT's user_id)
    pdf: bytes = attrs.field(repr=False)
    confidentiality: str = APPLICANT_LETTER
    permit_zaak: str = ""  # URL of the permit's zaak; empty: the document is made, not yet related


def _sorted(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(sorted(mapping.items())))


@attrs.frozen
class DocumentState:
    """What the zaaksysteem already has of one letter; persist it after every attempt."""

    document: str = ""  # the enkelvoudiginformatieobject URL
    relations: Mapping[str, str] = attrs.field(factory=dict, converter=_sorted)  # permit zaak → zaakinformatieobject

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"document": self.document, "relations": dict(self.relations)}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> DocumentState:
        """The state `to_json` wrote."""
        relations = raw.get("relations", {})
        return cls(str(raw.get("document", "")), relations if isinstance(relations, dict) else {})


class DocumentInterrupted(UpstreamError):
    """The zaaksysteem failed halfway; `state` holds what was made, so the next attempt resumes from there."""

    def __init__(self, error: UpstreamError, state: DocumentState) -> None:
        super().__init__(error.service, error.reason, error.status)
        self.state = state


def _is_url(value: str) -> bool:
    scheme, _, rest = value.partition("://")
    return scheme in ("http", "https") and bool(rest.strip("/"))


def document_problems(document: LetterDocument, informatieobjecttype: str) -> list[Problem]:
    """What keeps a letter from going to the Documenten API; every problem at once, in Dutch."""
    problems = []
    if not _is_url(informatieobjecttype):
        problems.append(Problem("/informatieobjecttype", "invalidSetting", "moet een http(s)-URL zijn"))
    if not document.title.strip():
        problems.append(Problem("/title", "required", "een document heeft een titel"))
    if not document.author.strip():
        problems.append(Problem("/author", "required", "een document heeft een auteur"))
    if not document.pdf.startswith(b"%PDF-"):
        problems.append(Problem("/pdf", "notPdf", "de inhoud is geen PDF"))
    if document.confidentiality not in CONFIDENTIALITY_LEVELS:
        problems.append(Problem("/confidentiality", "unknownConfidentiality", "onbekende vertrouwelijkheidaanduiding"))
    if document.permit_zaak and not _is_url(document.permit_zaak):
        problems.append(Problem("/permitZaak", "invalidUrl", "de zaak van de vergunning moet een http(s)-URL zijn"))
    return problems


def document_identification(settings: ZgwSettings, letter_id: str) -> str:
    """The identificatie of a letter's document: stable per letter, so a repeated attempt finds the first one."""
    return f"{settings.identification_prefix}{letter_id}"[:40]


def document_body(
    document: LetterDocument, rsin: str, informatieobjecttype: str, identification: str
) -> dict[str, Any]:
    """The enkelvoudiginformatieobject of a letter, its PDF inline (base64)."""
    return {
        "identificatie": identification,
        "bronorganisatie": rsin,
        "creatiedatum": document.created_on.isoformat(),
        "titel": document.title[:200],
        "auteur": document.author[:200],
        "vertrouwelijkheidaanduiding": document.confidentiality,
        "status": "definitief",
        "formaat": PDF,
        "taal": DUTCH,
        "bestandsnaam": document.file_name[:255],
        "bestandsomvang": len(document.pdf),
        "inhoud": base64.b64encode(document.pdf).decode("ascii"),
        "indicatieGebruiksrecht": False,
        "informatieobjecttype": informatieobjecttype,
    }


async def mirror_letter(
    client: httpx.AsyncClient, settings: ZgwSettings, documenten_url: str, informatieobjecttype: str,
    document: LetterDocument, state: DocumentState,
) -> DocumentState:  # fmt: skip
    """Make the letter a document in the Documenten API and relate it to the permit zaak (when known).

    Only the calls `state` does not record as done are made; a document whose earlier creation answer was lost is
    found again by its identificatie, a relation by its zaak and informatieobject. Raises InvalidInputError for a
    letter that cannot go, DocumentInterrupted (an UpstreamError) with the state reached when a call fails.
    """
    if problems := document_problems(document, informatieobjecttype):
        raise InvalidInputError(problems)
    settings = attrs.evolve(settings, user_id=document.author[:255], user_representation=document.author[:255])
    progress = state
    try:
        if not progress.document:
            identification = document_identification(settings, document.letter_id)
            body = document_body(document, settings.rsin, informatieobjecttype, identification)
            lookup = {"identificatie": identification, "bronorganisatie": settings.rsin}
            url = f"{documenten_url.rstrip('/')}/enkelvoudiginformatieobjecten"
            made = await _create_or_adopt(client, settings, "informatieobject", url, body, lookup)
            progress = attrs.evolve(progress, document=made)
        zaak = document.permit_zaak
        if zaak and zaak not in progress.relations:
            related = await _relate(client, settings, zaak, progress.document, document.title)
            progress = attrs.evolve(progress, relations={**progress.relations, zaak: related})
    except UpstreamError as error:
        raise DocumentInterrupted(error, progress) from None
    return progress


async def _relate(client: httpx.AsyncClient, settings: ZgwSettings, zaak: str, document: str, title: str) -> str:
    """A zaakinformatieobject; when the pair exists already (an earlier answer was lost), that one is adopted."""
    url = f"{settings.zaken_url.rstrip('/')}/zaakinformatieobjecten"
    body = {"zaak": zaak, "informatieobject": document, "titel": title[:200]}
    try:
        created = await _call(client, settings, Call(SERVICE, "zaakinformatieobject", "POST", url,
                                                     _headers(settings), json=body), 201)  # fmt: skip
        return str(created["url"])
    except UpstreamError as error:
        if error.status != 400 or "unique" not in error.reason:
            raise
    lookup = {"zaak": zaak, "informatieobject": document}
    call = Call(SERVICE, "zaakinformatieobject zoeken", "GET", url, _headers(settings), params=lookup)
    response = await send(client, call, settings.timeout, settings.retry)
    if response.status_code != 200:
        raise failure(SERVICE, response, _problem_codes(response))
    found = json_body(SERVICE, response)  # the Zaken API answers this list unpaginated: a JSON array
    if not isinstance(found, list) or len(found) != 1 or not isinstance(found[0], dict):
        raise UpstreamError(SERVICE, "bestaande zaakinformatieobject niet eenduidig terug te vinden", 400)
    return str(found[0].get("url", ""))
