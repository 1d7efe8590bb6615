"""The `bibob` command: questionnaires, answer checks and the service."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bibob import answer_schema, load_catalogue, validate_answers
from bibob.applications import application_deadlines, application_from_json
from bibob.exceptions import BibobError, DefinitionError, InvalidInputError, Problem
from bibob.legal import PermitType
from bibob.policy import load_policy
from bibob.questionnaires import Catalogue, Questionnaire, form_in_force
from bibob.screening import assess, request_from_json
from bibob.terms import dutch_date, load_calendar
from service.auth import Role
from service.logs import UVICORN_LOG_CONFIG
from service.protection_cli import add_protection_commands
from service.settings import SECRETS, VARIABLES, Settings, setting_problems, unknown_variables
from service.store.engine import create_engine_for
from service.store.keys import KeyringError
from service.store.migrate import current_revision, head_revision, migrate
from service.store.tokens import issue_token, revoke_tokens
from service.usecases.worklist import lateness
from service.views.applications import assessment_view, deadline_view
from service.views.intake import mapping_problems
from service.views.questionnaires import questionnaire_view
from service.web.commands import add_user_commands
from service.web.settings import WebSettings
from service.zgw_notifications import subscribe_to_zaken


def _catalogue(args: argparse.Namespace) -> Catalogue:
    return load_catalogue(args.questionnaires, args.selections)


def _print_problems(problems: Sequence[Problem], out: TextIO) -> None:
    for problem in problems:
        where = f"{problem.source}: " if problem.source else ""
        out.write(f"{where}{problem.pointer or '/'}  [{problem.code}]  {problem.message}\n")


def cmd_questionnaire_list(args: argparse.Namespace, out: TextIO) -> int:
    catalogue = _catalogue(args)
    for key in catalogue:
        q = catalogue[key]
        out.write(f"{q.id:<34} {q.version:<8} {q.official_form.form_version:<14} {q.title}\n")
    return 0


def cmd_questionnaire_show(args: argparse.Namespace, out: TextIO) -> int:
    questionnaire = _catalogue(args)[args.id]
    if args.json:
        out.write(json.dumps(questionnaire_view(questionnaire), indent=2, ensure_ascii=False) + "\n")
        return 0
    out.write(f"{questionnaire.title} ({questionnaire.id} {questionnaire.version})\n")
    for section in questionnaire.sections:
        repeat = f"  — één per {section.repeat.per}" if section.repeat else ""
        out.write(f"\n{section.id}. {section.title}{repeat}\n")
        for question in section.questions:
            flag = "" if question.required else " (facultatief)"
            out.write(f"  {question.id:<22} {question.text}{flag}\n")
    return 0


def cmd_questionnaire_schema(args: argparse.Namespace, out: TextIO) -> int:
    out.write(json.dumps(answer_schema(_catalogue(args)[args.id]), indent=2, ensure_ascii=False) + "\n")
    return 0


def cmd_answers_check(args: argparse.Namespace, out: TextIO) -> int:
    ok, document = _read_json(args.file, out)
    if not ok:
        return 2
    catalogue = _catalogue(args)
    questionnaire_id = args.questionnaire or _declared_questionnaire(document)
    if questionnaire_id is None:
        out.write("Geef --questionnaire op; het bestand noemt geen vragenformulier.\n")
        return 2
    questionnaire = catalogue[questionnaire_id]
    problems = validate_answers(questionnaire, document)
    _print_form_warning(questionnaire, args.received or _answered_on(document) or dt.date.today(), out)
    _print_problems(problems, out)
    out.write(
        f"{len(problems)} probleem/problemen gevonden.\n"
        if problems
        else "Geen problemen: de antwoorden zijn volledig.\n"
    )
    return 1 if problems else 0


def _print_form_warning(questionnaire: Questionnaire, received: dt.date, out: TextIO) -> None:
    """A warning line when the questionnaire's official form was not in force on `received` (no problem: a note)."""
    warning = form_in_force(questionnaire, received).warning
    if warning:
        out.write(warning + "\n")


def _answered_on(document: object) -> dt.date | None:
    found = document.get("answeredOn") if isinstance(document, dict) else None
    try:
        return dt.date.fromisoformat(found) if isinstance(found, str) else None
    except ValueError:
        return None


def _declared_questionnaire(document: object) -> str | None:
    if isinstance(document, dict) and isinstance(document.get("questionnaire"), dict):
        found = document["questionnaire"].get("id")
        return found if isinstance(found, str) else None
    return None


def _read_json(path: str, out: TextIO) -> tuple[bool, object]:
    try:
        return True, json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        out.write(f"{path}: kan het bestand niet lezen als JSON ({type(error).__name__})\n")
        return False, None


def cmd_assess(args: argparse.Namespace, out: TextIO) -> int:
    ok, document = _read_json(args.file, out)
    if not ok:
        return 2
    try:
        request = request_from_json(document, _catalogue(args), Path(args.file).name)
    except InvalidInputError as error:
        _print_problems(error.problems, out)
        return 2
    assessment = assess(request, load_policy(args.policy))
    if args.json:
        out.write(json.dumps(assessment_view(assessment), indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(assessment.explanation)
    return 0


def cmd_deadlines(args: argparse.Namespace, out: TextIO) -> int:
    ok, document = _read_json(args.file, out)
    if not ok:
        return 2
    today, calendar = args.today or dt.date.today(), load_calendar()
    try:
        application = application_from_json(document, Path(args.file).name, calendar)
    except InvalidInputError as error:
        _print_problems(error.problems, out)
        return 2
    policy = load_policy(args.policy)
    term = policy.decision_term(application.permit_type)
    days = policy.register_working_days
    deadlines = (
        application_deadlines(application, today, calendar, term.term, term.legal_basis, days)
        if term
        else application_deadlines(application, today, calendar, register_working_days=days)
    )
    if args.json:
        out.write(json.dumps([deadline_view(d) for d in deadlines], indent=2, ensure_ascii=False) + "\n")
        return 0
    out.write(f"Termijnen van aanvraag {application.id} ({application.state.label}):\n")
    catalogue = _catalogue(args)
    rule = policy.screening_for(application.permit_type).questionnaire
    questionnaire = catalogue[args.questionnaire] if args.questionnaire else catalogue.get(rule or "")
    if questionnaire is not None:
        _print_form_warning(questionnaire, application.received, out)
    late = lateness(application, deadlines)
    if late is not None:  # an undecided application past its term, told apart from a decision taken late
        out.write(f"{'LET OP: ' if late.overdue else ''}{late.text.capitalize()}. {late.explanation}\n")
    for deadline in deadlines:
        out.write(
            f"- {deadline.label}: {dutch_date(deadline.due)} [{deadline.status.label}] ({deadline.legal_basis})\n"
        )
        out.write(f"  {deadline.explanation}\n")
        out.writelines(f"  Let op: {warning}\n" for warning in deadline.warnings)
    return 0


def _settings() -> Settings:
    return Settings.from_env()


def cmd_zgw_subscribe(args: argparse.Namespace, out: TextIO) -> int:
    """Register bibob's abonnement with the Notificaties API: new zaken of the permit zaaktypen come to the callback."""
    settings = _settings()
    url = asyncio.run(subscribe_to_zaken(settings.integrations.zgw, settings.zgw_notifications, args.callback_url))
    out.write(f"abonnement geregistreerd: {url}\n")
    return 0


def cmd_check_config(args: argparse.Namespace, out: TextIO) -> int:
    """Every setting checked as at start-up, then the database: exit 0 when the service can start and serve."""
    env = dict(os.environ)
    problems = setting_problems(env)
    try:
        WebSettings.from_env(env)
    except InvalidInputError as error:
        problems += error.problems
    if not problems:  # the Open Formulieren mappings, against the questionnaires and permit types in use
        settings = Settings.from_env(env)
        catalogue = load_catalogue(settings.questionnaires_dir, settings.selections_dir)
        permit_types = {permit.value for permit in PermitType}
        problems += mapping_problems(settings.intake_dir, set(catalogue), permit_types)
    width = max(map(len, VARIABLES))
    for name, meaning in VARIABLES.items():
        value = env.get(name)
        shown = "(niet ingesteld)" if not value else "(ingesteld)" if name in SECRETS else value
        out.write(f"  {name:<{width}}  {shown}  — {meaning}\n")
    out.writelines(f"let op: {name} is geen instelling van bibob (tikfout?)\n" for name in unknown_variables(env))
    if problems:
        out.write(f"{len(problems)} {'probleem' if len(problems) == 1 else 'problemen'} in de instellingen:\n")
        _print_problems(problems, out)
        return 1
    return _check_database(Settings.from_env(env).database_url, out)


def _check_database(url: str, out: TextIO) -> int:
    """Whether the database answers and stands at the migration this version needs."""
    engine = create_engine_for(url)
    try:
        with engine.connect() as conn:
            revision = current_revision(conn)
    except SQLAlchemyError as error:
        out.write(f"database niet bereikbaar ({make_url(url).get_backend_name()}): {type(error).__name__}\n")
        return 1
    finally:
        engine.dispose()
    if revision != head_revision():
        out.write(f"database staat op migratie {revision or 'geen'}, nodig is {head_revision()}: draai bibob migrate\n")
        return 1
    out.write(f"Instellingen in orde; database bereikbaar, migratie {revision}.\n")
    return 0


def cmd_migrate(args: argparse.Namespace, out: TextIO) -> int:
    url = _settings().database_url
    made = migrate(url)
    if made is not None:
        out.write(
            f"Sleutelbestand gemaakt: {made} (alleen leesbaar voor u). Bewaar er een kopie van buiten deze map: "
            "zonder dit bestand is de versleutelde inhoud niet te lezen en het auditlogboek niet te controleren.\n"
        )
    out.write(f"Database bijgewerkt tot de nieuwste versie ({make_url(url).get_backend_name()}).\n")
    return 0


def cmd_token_create(args: argparse.Namespace, out: TextIO) -> int:
    role = Role.parse(args.role)
    if role is None:
        out.write(f"Onbekende rol; kies uit: {', '.join(r.value for r in Role)}\n")
        return 2
    engine = create_engine_for(_settings().database_url)
    days = args.days if args.days is not None else _settings().token_days
    with engine.begin() as conn:
        issued = issue_token(conn, args.user, role, days=days)
    engine.dispose()
    out.write(f"{issued.token}\n")
    return 0


def cmd_token_revoke(args: argparse.Namespace, out: TextIO) -> int:
    engine = create_engine_for(_settings().database_url)
    with engine.begin() as conn:
        count = revoke_tokens(conn, args.user)
    engine.dispose()
    out.write(f"{count} token(s) ingetrokken.\n")
    return 0


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    from service.demo import describe, load_demo

    engine = create_engine_for(_settings().database_url)
    try:
        result = load_demo(engine)
    finally:
        engine.dispose()
    out.write(describe(result, f"http://{args.host}:{args.port}"))
    return 0


def cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    from service import serving

    if args.workers < 1:
        out.write("--workers is minstens 1\n")
        return 2
    settings = _settings()  # every variable checked before anything starts: a bad one stops here, named
    if args.workers > 1 and settings.database_url.startswith("sqlite"):
        out.write(
            "let op: meerdere workers op één SQLite-bestand wachten op elkaars schrijfslot (tot tien seconden);\n"
            "gebruik PostgreSQL (BIBOB_DATABASE_URL) voor meerdere workers, of één worker\n"
        )
    out.write(
        f"bibob luistert op http://{args.host}:{args.port}/api/v1 — probeer:\n"
        f"  curl http://{args.host}:{args.port}/api/v1/questionnaires\n"
        f"  curl http://{args.host}:{args.port}/api/v1/questionnaires/bibob-overige-beschikkingen/answer-schema\n"
        f"  curl http://{args.host}:{args.port}/api/v1/openapi.json\n"
    )
    out.flush()
    options = {
        "http": "httptools",  # the C parser (the service extra installs it): cheaper per request than h11
        "access_log": settings.access_log,  # off unless BIBOB_ACCESS_LOG=1: a log line per request costs 12 %
        "log_config": UVICORN_LOG_CONFIG,  # JSON lines with the request id (service.logs); no access log with queries
    }
    try:  # several workers: each its own SO_REUSEPORT socket, so the kernel spreads the connections (service.serving)
        return serving.serve(args.host, args.port, args.workers, options)
    except serving.PortTakenError as error:
        out.write(f"{error.strerror}\n")
        return 1


def parser() -> argparse.ArgumentParser:
    """The argument parser of the `bibob` command."""
    main = argparse.ArgumentParser(
        prog="bibob", description="Wet Bibob-screening: vragenformulieren, controles en de service."
    )
    main.add_argument(
        "--questionnaires", type=Path, default=None, help="map met vragenformulieren (standaard: meegeleverd)"
    )
    main.add_argument("--selections", type=Path, default=None, help="map met verkorte selecties van de gemeente")
    commands = main.add_subparsers(dest="command", required=True)

    questionnaire = commands.add_parser("questionnaire", help="vragenformulieren bekijken").add_subparsers(
        dest="action", required=True
    )
    questionnaire.add_parser("list", help="alle formuliervarianten").set_defaults(run=cmd_questionnaire_list)
    show = questionnaire.add_parser("show", help="één formulier tonen")
    show.add_argument("id")
    show.add_argument("--json", action="store_true", help="als JSON")
    show.set_defaults(run=cmd_questionnaire_show)
    schema = questionnaire.add_parser("schema", help="het JSON Schema van de antwoorden")
    schema.add_argument("id")
    schema.set_defaults(run=cmd_questionnaire_schema)

    answers = commands.add_parser("answers", help="antwoorden controleren").add_subparsers(dest="action", required=True)
    check = answers.add_parser("check", help="alle problemen in een antwoordbestand tonen (exitstatus 1 bij problemen)")
    check.add_argument("file")
    check.add_argument("--questionnaire", default=None, help="formulier-id (standaard: zoals in het bestand)")
    check.add_argument(
        "--received",
        type=dt.date.fromisoformat,
        default=None,
        help="ontvangstdatum JJJJ-MM-DD: waarschuwt als het formulier toen niet van kracht was "
        "(standaard: answeredOn uit het bestand, anders vandaag)",
    )
    check.set_defaults(run=cmd_answers_check)

    assess_cmd = commands.add_parser("assess", help="een aanvraag beoordelen: bevindingen, mate van gevaar, advies")
    assess_cmd.add_argument("file", help="verzoek met antwoorden, soort vergunning en bevindingen eigen onderzoek")
    assess_cmd.add_argument("--json", action="store_true", help="als JSON voor machines")
    assess_cmd.add_argument("--policy", type=Path, default=None, help="beleidsregel (standaard: policies/default.json)")
    assess_cmd.set_defaults(run=cmd_assess)

    deadlines = commands.add_parser("deadlines", help="alle lopende en verstreken termijnen van een aanvraag")
    deadlines.add_argument("file", help="aanvraag met haar gebeurtenissen (schemas/application.schema.json)")
    deadlines.add_argument("--today", type=dt.date.fromisoformat, default=None, help="peildatum JJJJ-MM-DD")
    deadlines.add_argument("--json", action="store_true", help="als JSON voor machines")
    deadlines.add_argument("--policy", type=Path, default=None, help="beleidsregel met de beslistermijnen")
    deadlines.add_argument(
        "--questionnaire",
        default=None,
        help="formulier-id (standaard: dat van het beleid voor de soort vergunning); waarschuwt als het formulier "
        "op de ontvangstdatum niet van kracht was",
    )
    deadlines.set_defaults(run=cmd_deadlines)

    commands.add_parser("migrate", help="de database bijwerken (BIBOB_DATABASE_URL)").set_defaults(run=cmd_migrate)
    commands.add_parser(
        "check-config", help="alle instellingen en de database controleren (exitstatus 1 bij problemen)"
    ).set_defaults(run=cmd_check_config)
    token = commands.add_parser("token", help="API-tokens beheren").add_subparsers(dest="action", required=True)
    create = token.add_parser("create", help="een token maken (wordt één keer getoond)")
    create.add_argument("--user", required=True, help="gebruikersnaam (geen persoonsnaam nodig)")
    create.add_argument("--role", required=True, help=", ".join(r.value for r in Role))
    create.add_argument("--days", type=int, help="dagen geldig (standaard BIBOB_TOKEN_DAYS, 90)")
    create.set_defaults(run=cmd_token_create)
    revoke = token.add_parser("revoke", help="alle tokens van een gebruiker intrekken")
    revoke.add_argument("--user", required=True)
    revoke.set_defaults(run=cmd_token_revoke)
    add_user_commands(commands)  # bibob user create/disable: accounts for the pages
    add_protection_commands(commands)  # bibob audit / retention / keys: data protection

    demo = commands.add_parser("demo", help="de synthetische demogemeente Leusden laden en demotokens maken")
    demo.add_argument("--host", default="127.0.0.1", help="host in de voorbeeldregels met curl")
    demo.add_argument("--port", type=int, default=8000, help="poort in de voorbeeldregels met curl")
    demo.set_defaults(run=cmd_demo)

    zgw = commands.add_parser("zgw", help="het zaaksysteem (ZGW)").add_subparsers(dest="action", required=True)
    subscribe = zgw.add_parser("subscribe", help="nieuwe vergunningzaken laten melden door de Notificaties API")
    subscribe.add_argument(
        "--callback-url", required=True, help="het adres van POST /api/v1/zgw-notifications van deze installatie"
    )
    subscribe.set_defaults(run=cmd_zgw_subscribe)

    serve = commands.add_parser("serve", help="de HTTP-service starten")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(run=cmd_serve)
    return main


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command; returns the exit status (0 fine, 1 problems found, 2 usage or data error)."""
    out = out or sys.stdout
    args = parser().parse_args(argv)
    try:
        status: int = args.run(args, out)
    except DefinitionError as error:
        _print_problems(error.problems, out)
        return 2
    except (BibobError, KeyringError) as error:
        out.write(f"{error}\n")
        return 2
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
