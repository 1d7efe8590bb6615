"""Letters into the zaaksysteem: each stored letter a document in the Documenten API, related to the permit's zaak.

A job per letter (`external_jobs`, kind `zgwLetter`), so that a letter is sent once and a failure is retried with
backoff, or stops as `failed` when the zaaksysteem refuses the request itself, as the case mirror does. Only letters to
the applicant go (`vertrouwelijk`); the LBB request package names closed sources and stays here (art. 28 Wet Bibob).
A letter is related only to the zaak of its own permit (`permit_zaken`), never to the zaak of an undermining case.
"""

from __future__ import annotations

import logging

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bibob.clients import DocumentInterrupted, DocumentState, LetterDocument, mirror_letter
from bibob.exceptions import BibobError, UpstreamError
from service.integrations import PERMANENT, Integrations
from service.store import jobs, permit_zaken
from service.store.letters import CLOSED_KINDS, file_content
from service.store.tables import external_jobs, letters

log = logging.getLogger("bibob.integrations")


def enabled(integrations: Integrations) -> bool:
    """Whether letters go to the Documenten API: the mirror and the Documenten settings are both there."""
    return integrations.zgw is not None and bool(integrations.documenten_url and integrations.informatieobjecttype)


def request_letters(conn: Connection, application_id: str) -> int:
    """Ask again for every letter of the application (e.g. its permit zaak became known); returns how many."""
    ids = [i for i in permit_zaken.letter_ids(conn, application_id) if _sendable(conn, i)]
    for letter_id in ids:
        jobs.request_job(conn, jobs.ZGW_LETTER, letter_id)
    return len(ids)


def _sendable(conn: Connection, letter_id: str) -> bool:
    kind = conn.execute(sa.select(letters.c.kind).where(letters.c.id == letter_id)).scalar()
    return kind is not None and kind not in CLOSED_KINDS


def request_new_letters(conn: Connection) -> int:
    """A job for every letter to the applicant that has none yet (made since the last round); returns how many."""
    has_job = sa.exists().where(external_jobs.c.kind == jobs.ZGW_LETTER, external_jobs.c.object_id == letters.c.id)
    query = sa.select(letters.c.id).where(~has_job, letters.c.kind.not_in(CLOSED_KINDS)).order_by(letters.c.created_at)
    ids = tuple(conn.execute(query).scalars())
    for letter_id in ids:
        jobs.request_job(conn, jobs.ZGW_LETTER, letter_id)
    return len(ids)


def letter_document(conn: Connection, letter_id: str) -> LetterDocument:
    """The stored letter as the Documenten API gets it, with its permit's zaak (LookupError when absent).

    ValueError when the recorded permit zaak is the zaak of an undermining case (art. 28: never related there).
    """
    row = conn.execute(sa.select(letters).where(letters.c.id == letter_id)).mappings().first()
    if row is None:
        raise LookupError(letter_id)
    zaak = permit_zaken.url_of(conn, row["application_id"])
    if zaak and zaak in permit_zaken.case_zaken(conn):
        raise ValueError("de zaak van de vergunning is de zaak van een ondermijningscasus")
    document = row["document"] or {}
    return LetterDocument(
        letter_id=letter_id, title=str(document.get("subject") or row["name"]), file_name=f"{row['name']}.pdf",
        created_on=row["created_at"].date(), author=row["created_by"], pdf=file_content(row["pdf"]), permit_zaak=zaak,
    )  # fmt: skip


async def send_due_letters(engine: Engine, client: httpx.AsyncClient, integrations: Integrations) -> int:
    """Send every letter whose job is due; returns how many finished. Failures stay pending, with backoff."""
    if not enabled(integrations):
        return 0
    with engine.begin() as conn:
        request_new_letters(conn)
        due = jobs.due_jobs(conn, jobs.ZGW_LETTER)
    finished = 0
    for job in due:
        finished += await _send_one(engine, client, integrations, job)
    return finished


async def _send_one(engine: Engine, client: httpx.AsyncClient, integrations: Integrations, job: jobs.Job) -> int:
    assert integrations.zgw is not None
    state = DocumentState.from_json(job.state)
    try:
        with engine.connect() as conn:
            document = letter_document(conn, job.object_id)
        state = await mirror_letter(client, integrations.zgw, integrations.documenten_url,
                                    integrations.informatieobjecttype, document, state)  # fmt: skip
    except DocumentInterrupted as error:
        return _failed(engine, job, error.state, error.reason, permanent=error.status in PERMANENT)
    except UpstreamError as error:
        return _failed(engine, job, state, error.reason, permanent=error.status in PERMANENT)
    except (BibobError, LookupError, ValueError) as error:
        reason = "brief niet gevonden" if isinstance(error, LookupError) else str(error)
        return _failed(engine, job, state, reason, permanent=True)
    with engine.begin() as conn:
        jobs.finish_job(conn, jobs.ZGW_LETTER, job.object_id, state.to_json())
    return 1


def _failed(engine: Engine, job: jobs.Job, state: DocumentState, reason: str, *, permanent: bool) -> int:
    with engine.begin() as conn:
        jobs.fail_job(conn, jobs.ZGW_LETTER, job.object_id, state.to_json(), reason, permanent=permanent)
    if permanent:
        log.warning("brief geweigerd door het zaaksysteem; gestopt tot iemand opnieuw vraagt")
    else:
        log.warning("brief naar het zaaksysteem mislukt; volgende poging later (poging %d)", job.attempts + 1)
    return 0
