"""The synthetic demo municipality Leusden: the JSON files in `data/`, read by the library's readers, then stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import attrs
from sqlalchemy.engine import Engine

from bibob.applications import Application, DecisionRecorded, application_from_json
from bibob.exceptions import DefinitionError, InvalidInputError, Problem
from bibob.questionnaires import load_catalogue
from bibob.schemas import read_json
from bibob.screening import AssessmentRequest, request_from_json
from bibob.undermining import Case, Signal, Theme, case_from_json, signal_from_json
from service.auth import Principal, Role
from service.demo import writing
from service.demo.writing import REGISTRARS, TOKEN_USERS

__all__ = ["CASE_CAFE", "DATA", "REFUSAL", "TOKEN_USERS", "Demo", "DemoResult", "describe", "load_demo", "read_demo"]

DATA = Path(__file__).resolve().parent / "data"  # inside the package, so inside the wheel
CASE_CAFE, REFUSAL = "LEU-C-01", "LEU-2026-D15"  # the Bibob refusal lands in the café's case as evidence
TRY = ((Role.PERMIT_OFFICER, "applications"), (Role.SAFETY_ADVISOR, "cases"), (Role.MAYOR, "me"))  # the curl lines
T = TypeVar("T")


@attrs.frozen
class Demo:
    """Every demo file, read and checked before anything is stored."""

    applications: tuple[tuple[Application, dict[str, Any]], ...]  # with its answer document
    signals: tuple[tuple[Principal, Signal, Signal], ...]  # who registers it, as received, as weighed
    cases: tuple[Case, ...]
    refusal: tuple[DecisionRecorded, AssessmentRequest, Theme, dt.datetime]  # what links REFUSAL into cases


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
    """Read and check every file (in `DATA`), then store them in one transaction; what exists (by id) is skipped."""
    demo = read_demo(folder or DATA)
    with engine.begin() as conn:
        made = [app.id for app, answers in demo.applications if writing.write_application(conn, app, answers)]
        signals = sum(writing.write_signal(conn, *signal) for signal in demo.signals)
        cases = [case for case in demo.cases if writing.write_case(conn, case)]
        linked = writing.link_refusal(conn, REFUSAL, *demo.refusal) if REFUSAL in made else ""
        tokens = tuple((user, writing.renew_token(conn, user)) for user in TOKEN_USERS)
    evidence = sum(len(case.evidence) for case in cases) + bool(linked)
    return DemoResult(len(made), signals, len(cases), evidence, linked, tokens)


def read_demo(folder: Path = DATA) -> Demo:
    """The files `leusden.json` names, through the library's readers; a `DefinitionError` names a bad file."""
    manifest: Any = read_json(folder / "leusden.json")
    try:
        refusal = manifest["refusal"]
        request = _read(folder, refusal["assessmentRequest"], partial(request_from_json, catalogue=load_catalogue()))
        applications = tuple((_read(folder, f"applications/{one['id']}.json", application_from_json),
                              _read(folder, one["answers"], _answers) if "answers" in one else dict(request.answers))
                             for one in manifest["applications"])  # fmt: skip
        signals = tuple((REGISTRARS[entry["registeredBy"]], *_read(folder, f"signals/{entry['id']}.json", _signal))
                        for entry in manifest["signals"])  # fmt: skip
        cases = tuple(_read(folder, f"cases/{case_id}.json", case_from_json) for case_id in manifest["cases"])
        (decision,) = (event for app, _ in applications if app.id == REFUSAL for event in app.history
                       if isinstance(event, DecisionRecorded))  # fmt: skip
        at, theme = dt.datetime.fromisoformat(refusal["linkedAt"]), Theme.parse(refusal["theme"])
        if theme is None:
            raise ValueError(f"onbekend thema {refusal['theme']!r}")
    except (KeyError, TypeError, ValueError) as error:
        problem = Problem("", "demo.manifest", f"onvolledig of ongeldig: {error}", "leusden.json")
        raise DefinitionError("leusden.json", [problem]) from None
    return Demo(applications, signals, cases, (decision, request, theme, at))


def _read(folder: Path, name: str, reader: Callable[..., T]) -> T:
    try:
        return reader(read_json(folder / name), source=name)
    except (DefinitionError, InvalidInputError) as error:  # named by its path in the data folder
        raise DefinitionError(name, [attrs.evolve(problem, source=name) for problem in error.problems]) from None


def _answers(data: Any, source: str) -> dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("questionnaire"), dict):
        raise InvalidInputError([Problem("/questionnaire", "answers.questionnaire", "vragenlijst ontbreekt", source)])
    return data


def _signal(data: Any, source: str) -> tuple[Signal, Signal]:
    """The signal as received (its document without the weighing) and as weighed."""
    weighed = signal_from_json(data, source)
    received = {key: value for key, value in data.items() if key not in ("state", "destroyOn", "events")}
    return signal_from_json(received, source), weighed


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
