"""The synthetic demo municipality Leusden: the JSON files in `data/`, read by the library's readers and written
through `service.usecases`, each step in a session of its demo user at the moment the data gives it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path
from typing import Any, TypeVar

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bibob import undermining as um
from bibob._json import object_to_json
from bibob.applications import Application, DecisionRecorded, application_from_json, event_to_json
from bibob.exceptions import DefinitionError, InvalidInputError, Problem
from bibob.policy import load_policy
from bibob.questionnaires import load_catalogue
from bibob.schemas import read_json
from bibob.screening import request_from_json
from service.auth import Principal, Role
from service.integrations import Integrations
from service.store import evidence, tables, tokens
from service.usecases import Session, applications, assessments, cases, decisions, signals
from service.views.application_requests import ASSESSMENT_FIELDS
from service.views.cases import CREATE_FIELDS
from service.views.inputs import LOCAL

__all__ = ["CASE_CAFE", "DATA", "OFFICER", "REFUSAL", "TOKEN_USERS", "Demo", "DemoResult", "describe", "load_demo",
           "read_demo"]  # fmt: skip

DATA = Path(__file__).resolve().parent / "data"  # inside the package, so inside the wheel
CASE_CAFE, REFUSAL = "LEU-C-01", "LEU-2026-D15"  # the Bibob refusal lands in the café's case as evidence
TRY = ((Role.PERMIT_OFFICER, "applications"), (Role.SAFETY_ADVISOR, "cases"), (Role.MAYOR, "me"))  # the curl lines
REASON, NO_ZGW = "demo: synthetische gemeente Leusden laden", Integrations()
CATALOGUE, POLICY = cache(load_catalogue), cache(load_policy)  # read once, when the demo first needs them
OFFICER = Principal("demo-vergunningverlener", Role.PERMIT_OFFICER)
COORDINATOR = Principal("demo-bibob-coordinator", Role.BIBOB_COORDINATOR)
ADVISOR = Principal("demo-adviseur-veiligheid", Role.SAFETY_ADVISOR)
#: One demo user per role, in the order of `Role`; each gets a fresh token on every run.
TOKEN_USERS = (OFFICER, COORDINATOR, ADVISOR, Principal("demo-burgemeester", Role.MAYOR),
               Principal("demo-melder-politie", Role.SIGNAL_INTAKE_PARTNER),
               Principal("demo-privacyfunctionaris", Role.PRIVACY_OFFICER),
               Principal("demo-functioneel-beheerder", Role.FUNCTIONAL_ADMIN))  # fmt: skip
HOUSING = Principal("demo-melder-woningcorporatie", Role.SIGNAL_INTAKE_PARTNER)  # takes a signal in, has no token
USERS = {user.user: user for user in (*TOKEN_USERS, HOUSING)}  # `registeredBy` in leusden.json, `by` in the files
T = TypeVar("T")
Refusal = tuple[dict[str, Any], um.Theme, dt.datetime]  # REFUSAL's assessment body, theme and moment of decision


@attrs.frozen
class Demo:
    """Every demo file, read and checked before anything is written."""

    applications: tuple[tuple[Application, dict[str, Any]], ...]  # with its answer document
    signals: tuple[tuple[Principal, um.Signal], ...]  # who takes it in, and the signal as weighed
    cases: tuple[um.Case, ...]
    refusal: Refusal


@attrs.frozen
class DemoResult:
    """What a run loaded (zero on a second run) and the fresh token per demo user."""

    applications: int
    signals: int
    cases: int
    evidence: int
    linked_refusal: str  # the case the refusal landed in, or "" when it was there already
    tokens: tuple[tuple[Principal, str], ...]


def load_demo(engine: Engine, folder: Path | None = None) -> DemoResult:
    """Read and check every file (in `DATA`), then write them in one transaction; what exists (by id) is skipped.
    Signals and cases come first, so that the refusal's decision finds the case about the same subjects."""
    demo = read_demo(folder or DATA)
    with engine.begin() as conn:
        signals_made = sum(_write_signal(conn, *signal) for signal in demo.signals)
        cases_made = [case for case in demo.cases if _write_case(conn, case)]
        made = [app.id for app, answers in demo.applications if _write_application(conn, app, answers, demo.refusal)]
        linked = _cases_holding(_session(conn, ADVISOR, demo.refusal[2]), REFUSAL) if REFUSAL in made else ""
        issued = tuple((user, _renew_token(conn, user)) for user in TOKEN_USERS)
    evidence_made = sum(len(case.evidence) for case in cases_made) + bool(linked)
    return DemoResult(len(made), signals_made, len(cases_made), evidence_made, linked, issued)


def read_demo(folder: Path = DATA) -> Demo:
    """The files `leusden.json` names, through the library's readers; a `DefinitionError` names a bad file."""
    manifest: Any = read_json(folder / "leusden.json")
    try:
        refusal = manifest["refusal"]
        request = _read(folder, refusal["assessmentRequest"], _request)
        applications = tuple((_read(folder, f"applications/{one['id']}.json", application_from_json),
                              _read(folder, one["answers"], _answers) if "answers" in one else request["answers"])
                             for one in manifest["applications"])  # fmt: skip
        signals = tuple((USERS[one["registeredBy"]], _read(folder, f"signals/{one['id']}.json", um.signal_from_json))
                        for one in manifest["signals"])  # fmt: skip
        cases = tuple(_read(folder, f"cases/{case_id}.json", um.case_from_json) for case_id in manifest["cases"])
        at, theme = dt.datetime.fromisoformat(refusal["linkedAt"]), um.Theme.parse(refusal["theme"])
        if theme is None:
            raise ValueError(f"onbekend thema {refusal['theme']!r}")
    except (KeyError, TypeError, ValueError) as error:
        problem = Problem("", "demo.manifest", f"onvolledig of ongeldig: {error}", "leusden.json")
        raise DefinitionError("leusden.json", [problem]) from None
    return Demo(applications, signals, cases, ({k: v for k, v in request.items() if k in ASSESSMENT_FIELDS}, theme, at))


def _read(folder: Path, name: str, reader: Callable[..., T]) -> T:
    """The file read by `reader`, whose events are each taken by a demo user; errors are named by the file."""
    try:
        found = reader(read_json(folder / name), source=name)
        events = enumerate(getattr(found, "history", ()))  # application events name no user: the officer takes them
        strangers = [Problem(f"/events/{i}/by", "demo.user", "geen demogebruiker", name)
                     for i, event in events if getattr(event, "by", OFFICER.user) not in USERS]  # fmt: skip
        if strangers:
            raise InvalidInputError(strangers)
        return found
    except (DefinitionError, InvalidInputError) as error:
        raise DefinitionError(name, [attrs.evolve(problem, source=name) for problem in error.problems]) from None


def _answers(data: Any, source: str) -> dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("questionnaire"), dict):
        raise InvalidInputError([Problem("/questionnaire", "answers.questionnaire", "vragenlijst ontbreekt", source)])
    return data


def _request(data: Any, source: str) -> dict[str, Any]:
    request_from_json(data, CATALOGUE(), source)  # checked whole; the assessment takes its facts and records
    return dict(data)


def _session(conn: Connection, user: Principal | str, at: dt.date) -> Session:
    """The session of a demo user at a moment of the data (a bare day: noon, Dutch time), so every run is alike."""
    now = at if isinstance(at, dt.datetime) else dt.datetime.combine(at, dt.time(12), LOCAL)
    return Session(conn, USERS[user] if isinstance(user, str) else user, REASON, now)


def _new(conn: Connection, table: sa.Table, identifier: str) -> bool:
    return conn.execute(sa.select(table.c.id).where(table.c.id == identifier)).first() is None


def _write_application(conn: Connection, app: Application, answers: dict[str, Any], refusal: Refusal) -> bool:
    """Register it with its answers and replay its history; REFUSAL is assessed first and decided at its moment,
    and its decision informs the advisor. False when the application exists."""
    if not _new(conn, tables.applications, app.id):
        return False
    officer = _session(conn, OFFICER, app.received)
    received = Application(app.id, app.permit_type, app.legal_act, app.received, app.track)
    version = applications.register_application(officer, received, answers["questionnaire"]).version
    if set(answers) - {"questionnaire"}:
        version = applications.store_answers(officer, CATALOGUE(), app.id, version, answers).application.version
    if answers.get("attachments"):
        version = applications.replace_attachments(officer, app.id, version, answers["attachments"]).version
    for event in app.history:
        body = event_to_json(event)
        if not isinstance(event, DecisionRecorded):
            version = applications.record_event(
                _session(conn, OFFICER, event.on), CATALOGUE(), app.id, version, body
            ).version
            continue
        body.pop("type")
        at = refusal[2] if app.id == REFUSAL else event.on
        if app.id == REFUSAL:  # assessed by the coordinator first; its findings travel with the decision
            body["theme"] = refusal[1].value
            check = assessments.RegisterCheck()  # the demo asks no register
            assessments.assess_application(
                _session(conn, COORDINATOR, at), CATALOGUE(), POLICY(), app.id, refusal[0], check
            )
        mayor = _session(conn, body["decidedBy"], at)  # the decision is the mayor's own act, in the mayor's name
        version = decisions.decide(mayor, CATALOGUE(), NO_ZGW, app.id, version, body).application.version
    return True


def _write_signal(conn: Connection, registrar: Principal, signal: um.Signal) -> bool:
    """Take the signal in as received, then replay the advisor's weighing step by step; False when it exists."""
    if not _new(conn, tables.signals, signal.id):
        return False
    received = attrs.evolve(signal, state=um.SignalState.RECEIVED, history=())
    version = signals.take_in(_session(conn, registrar, signal.received), received).version
    for event in um.signal_to_json(signal)["events"]:
        session = _session(conn, event.pop("by"), dt.datetime.fromisoformat(event["at"]))
        version = signals.weigh(session, signal.id, version, event).version
    return True


def _write_case(conn: Connection, case: um.Case) -> bool:
    """Open the case from its signals, then replay its history through the case lifecycle; False when it exists."""
    if not _new(conn, tables.cases, case.id):
        return False
    first, *steps = case.history
    body = {key: value for key, value in um.case_to_json(case)["events"][0].items() if key in CREATE_FIELDS}
    version = cases.open_case(_session(conn, first.by, first.at), body, case.id).version
    for step in steps:  # `change_case`, as a partner's answer or a document linked as evidence has no use case
        change = partial(_then, step)
        version = cases.change_case(_session(conn, step.by, step.at), NO_ZGW, case.id, version, change).version
    for item in case.evidence:  # the evidence register's row for an item of the case's own history: no use case
        kind = item.kind.value  # writes one (only the decision link does)
        evidence.add_evidence(conn, ADVISOR, case.id, kind=kind, source_ref=f"{kind}:{item.reference}",
                              document=object_to_json(item), status=item.status.value, reason=REASON)  # fmt: skip
    return True


def _then(step: um.CaseEvent, _: Session, case: um.Case) -> um.Case:
    return um.apply_case_event(case, step)


def _cases_holding(advisor: Session, application_id: str) -> str:
    """The cases whose evidence names the application, as the advisor reads them."""
    found, _ = cases.list_cases(advisor, limit=100, offset=0)
    return ", ".join(s.id for s in found if any(item.reference == application_id for item in s.case.evidence))


def _renew_token(conn: Connection, user: Principal) -> str:
    """Through the store: a token is no dossier and no use case issues one (`bibob token create` does the same)."""
    tokens.revoke_tokens(conn, user.user)
    return tokens.create_token(conn, user.user, user.role)


def describe(result: DemoResult, base_url: str) -> str:
    """The summary, the token per role and three curl lines to try, in Dutch."""
    r, token = result, {user.role: value for user, value in result.tokens}
    link = f"; weigering {REFUSAL} gekoppeld aan casus {r.linked_refusal}" if r.linked_refusal else ""
    loaded = (f"Demogemeente Leusden geladen: {r.applications} aanvragen, {r.signals} meldingen, {r.cases} casussen "
              f"met {r.evidence} bewijsstukken{link}.\n" if r.applications or r.signals or r.cases
              else "Demogemeente Leusden stond er al; niets dubbel toegevoegd.\n")  # fmt: skip
    lines = [loaded, "Demotokens (één per rol; elke run maakt nieuwe en trekt de vorige in):\n"]
    lines += [f"  {user.role.value:<20} {user.user:<28} {value}\n" for user, value in r.tokens]
    lines += ["Probeer:\n"] + [f'  curl -H "Authorization: Bearer {token[role]}" {base_url}/api/v1/{path}\n'
                               for role, path in TRY]  # fmt: skip
    return "".join(lines)
