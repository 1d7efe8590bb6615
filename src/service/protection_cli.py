"""The data-protection commands of `bibob`: check and anchor the audit chain, run retention, rotate keys.

Each is meant for cron as well as for hand use: exit status 0 when all is well, 1 when a problem was found (a
broken chain), 2 when it could not run (keys missing, database away). Output names ids and counts, never content.
"""

from __future__ import annotations

import argparse
import datetime as dt
import socket
import sys
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.engine import Engine

from bibob.policy import load_policy
from service.privacy import register_markdown
from service.settings import Settings
from service.store import audit as audit_log
from service.store import crypto, retention
from service.store.anchor import Verifier, checkpoint_file_for, syslog_logger
from service.store.audit import AuditEntry
from service.store.common import utcnow
from service.store.engine import create_engine_for
from service.store.errors import CorruptAuditRowError
from service.store.keys import KeyringError
from service.views import nen7513
from service.views.audit import MAX_SEQ


def _settings() -> Settings:
    return Settings.from_env()


def cmd_audit_verify(args: argparse.Namespace, out: TextIO) -> int:
    """Check the chain (from the last checkpoint, or `--full`) and, with `--checkpoint`, sign a new checkpoint."""
    settings = _settings()
    reader = create_engine_for(settings.database_url, reader=True)
    checkpoints = settings.audit_checkpoint_file or checkpoint_file_for(settings.database_url)
    verifier = Verifier(reader, checkpoints, syslog=syslog_logger(settings.audit_syslog))
    try:
        result = verifier.checkpoint() if args.checkpoint and not args.full else verifier.verify(full=args.full)
    except KeyringError as error:
        out.write(f"{error}\n")
        return 2
    finally:
        reader.dispose()
    if not result.ok:
        out.write(f"Het auditlogboek is aangetast: {result.message} [{result.code}]\n")
        return 1
    where = "vanaf de eerste regel" if args.full else "vanaf het laatste controlepunt"
    out.write(f"Het auditlogboek is intact: {result.checked} regels, gecontroleerd {where}.\n")
    if args.checkpoint and checkpoints is not None and checkpoints.exists() and not args.full:
        out.write(f"Controlepunt bijgeschreven in {checkpoints}.\n")
    return 0


def cmd_audit_export(args: argparse.Namespace, out: TextIO) -> int:
    """The NEN 7513 records after `--since` to the output or to syslog, for a SIEM (which keeps the position)."""
    problems = []
    if not 0 <= args.since <= MAX_SEQ:
        problems.append(f"--since is een regelnummer van 0 tot {MAX_SEQ}")
    if args.format != "nen7513":
        problems.append(f"onbekend formaat {args.format!r}: alleen nen7513")
    target = None
    if args.syslog is not None:
        try:
            target = nen7513.syslog_target(args.syslog)
        except nen7513.SyslogTargetError as error:
            problems.append(str(error))
    if problems:
        out.writelines(f"{problem}\n" for problem in problems)
        return 2
    sock = None
    if target is not None:
        try:
            sock = nen7513.open_syslog(target)
        except OSError as error:
            out.write(f"syslog-doel {args.syslog} is niet bereikbaar: {error.strerror or error}\n")
            return 2
    engine = create_engine_for(_settings().database_url, reader=True)
    host = socket.gethostname()
    count, after = 0, args.since
    try:
        while True:
            entries, corrupt = _rows_after(engine, after)
            for entry in entries:
                if sock is None:
                    out.write(nen7513.as_nen7513((entry,)))
                else:
                    sock.send(nen7513.syslog_message(entry, host))
                count, after = count + 1, entry.seq
            if corrupt is not None:  # the records before it stand; the message goes apart: the output stays JSON
                sys.stderr.write(f"{corrupt}\n")
                return 1
            if len(entries) < audit_log.BATCH:
                break
    except OSError as error:  # the collector went away: the SIEM asks again from the last seq it received
        out.write(f"syslog-doel {args.syslog} is niet bereikbaar na regel {after}: {error.strerror or error}\n")
        return 2
    finally:
        engine.dispose()
        if sock is not None:
            sock.close()
    if sock is not None:
        out.write(f"{count} auditregels naar syslog {args.syslog} gestuurd (tot en met regel {after}).\n")
    return 0


def _rows_after(engine: Engine, after: int) -> tuple[tuple[AuditEntry, ...], CorruptAuditRowError | None]:
    """The next batch of rows after `after`; at an unreadable row, the rows before it and the row's error."""
    with engine.connect() as conn:
        try:
            return audit_log.entries_after(conn, after, audit_log.BATCH), None
        except CorruptAuditRowError as error:
            return audit_log.entries_after(conn, after, error.seq - after - 1), error


def cmd_retention_run(args: argparse.Namespace, out: TextIO) -> int:
    """Destroy what passed its term now; `--dry-run --now …` shows what a run at another moment would destroy."""
    if args.now is not None and not args.dry_run:
        out.write("--now kan alleen samen met --dry-run: vernietigen gebeurt op het werkelijke moment.\n")
        return 2
    now = args.now or utcnow()
    engine = create_engine_for(_settings().database_url)
    try:
        with engine.connect() as conn:
            transaction = conn.begin()
            destroyed = retention.run(conn, load_policy(args.policy), now)
            if args.dry_run:
                transaction.rollback()
            else:
                transaction.commit()
    finally:
        engine.dispose()
    verb = "Zou vernietigen" if args.dry_run else "Vernietigd"
    out.write(
        f"{verb}: {len(destroyed.signals)} signalen, {len(destroyed.applications)} Bibob-dossiers, "
        f"{len(destroyed.cases)} casussen, {destroyed.sessions} sessies, "
        f"{destroyed.idempotency_records} idempotentie-records.\n"
    )
    for kind, ids in (("signaal", destroyed.signals), ("dossier", destroyed.applications), ("casus", destroyed.cases)):
        out.writelines(f"  {kind} {identifier}\n" for identifier in ids)
    out.writelines(f"  bewaard (blokkade): {held}\n" for held in destroyed.held)
    return 0


def cmd_retention_hold(args: argparse.Namespace, out: TextIO) -> int:
    engine = create_engine_for(_settings().database_url)
    try:
        with engine.begin() as conn:
            if args.release:
                found = retention.release_hold(conn, args.kind, args.id, args.reason)
                out.write("Blokkade opgeheven.\n" if found else "Er was geen blokkade op dit dossier.\n")
            else:
                retention.place_hold(conn, args.kind, args.id, args.reason, utcnow())
                out.write("Blokkade geplaatst: het dossier wordt bewaard tot ze wordt opgeheven.\n")
    finally:
        engine.dispose()
    return 0


def cmd_keys_rotate(args: argparse.Namespace, out: TextIO) -> int:
    """A new data key, and every sealed document re-sealed under it in batches (the service may keep running)."""
    if args.batch < 1:
        out.write("--batch is minstens 1\n")
        return 2
    engine = create_engine_for(_settings().database_url)
    try:
        key_id, count = crypto.rotate(engine, batch=args.batch)
    finally:
        engine.dispose()
    out.write(f"Nieuwe datasleutel {key_id}; {count} documenten opnieuw versleuteld. Bewaar een kopie van het ")
    out.write("sleutelbestand: oudere back-ups hebben de oude sleutels nodig.\n")
    return 0


def cmd_privacy_register(args: argparse.Namespace, out: TextIO) -> int:
    """The register of processing (docs/privacy.md) from the policy and the schema."""
    text = register_markdown(load_policy(args.policy))
    if args.out is None:
        out.write(text)
    else:
        args.out.write_text(text, "utf-8")
        out.write(f"Geschreven: {args.out}\n")
    return 0


def _moment(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def add_protection_commands(commands: Any) -> None:
    """`bibob audit verify`, … on the main parser's subcommands."""
    audit = commands.add_parser("audit", help="het auditlogboek controleren").add_subparsers(
        dest="action", required=True
    )
    verify = audit.add_parser(
        "verify", help="de keten controleren (exitstatus 1 als ze is aangetast); voor cron: --checkpoint"
    )
    verify.add_argument(
        "--full", action="store_true", help="vanaf de eerste regel in plaats van het laatste controlepunt"
    )
    verify.add_argument("--checkpoint", action="store_true", help="bij een intacte keten een controlepunt bijschrijven")
    verify.set_defaults(run=cmd_audit_verify)
    export = audit.add_parser(
        "export", help="de regels na --since als NEN 7513-records naar de uitvoer of naar syslog (voor een SIEM)"
    )
    export.add_argument(
        "--since", type=int, required=True, help="het laatste regelnummer dat de SIEM al heeft (0: alle)"
    )
    export.add_argument("--format", default="nen7513", help="nen7513 (standaard; het enige formaat)")
    export.add_argument("--syslog", default=None, help="/dev/log of udp://host:poort (standaard: naar de uitvoer)")
    export.set_defaults(run=cmd_audit_export)

    keep = commands.add_parser("retention", help="bewaartermijnen toepassen").add_subparsers(
        dest="action", required=True
    )
    run = keep.add_parser("run", help="vernietigen wat over zijn bewaartermijn is (voor cron), met een auditregel elk")
    run.add_argument("--dry-run", action="store_true", help="alleen tonen wat zou worden vernietigd")
    run.add_argument("--now", type=_moment, default=None, help="peilmoment JJJJ-MM-DDTUU:MM, met --dry-run")
    run.add_argument("--policy", type=Path, default=None, help="beleidsregel (standaard: policies/default.json)")
    run.set_defaults(run=cmd_retention_run)
    keys = commands.add_parser("keys", help="sleutels beheren").add_subparsers(dest="action", required=True)
    rotate = keys.add_parser("rotate", help="een nieuwe datasleutel en alle documenten opnieuw versleutelen")
    rotate.add_argument("--batch", type=int, default=500, help="documenten per transactie (standaard 500)")
    rotate.set_defaults(run=cmd_keys_rotate)
    privacy = commands.add_parser("privacy", help="register van verwerkingen").add_subparsers(
        dest="action", required=True
    )
    register = privacy.add_parser("register", help="docs/privacy.md maken uit het beleid en het schema")
    register.add_argument("--out", type=Path, default=None, help="bestand (standaard: naar de uitvoer)")
    register.add_argument("--policy", type=Path, default=None, help="beleidsregel (standaard: policies/default.json)")
    register.set_defaults(run=cmd_privacy_register)
    for name, release in (("hold", False), ("release", True)):
        text = "een dossier bewaren voorbij de termijn (bezwaar, beroep)" if not release else "een blokkade opheffen"
        hold = keep.add_parser(name, help=text)
        hold.add_argument("kind", choices=retention.HOLDABLE, help="application (Bibob-dossier) of case (casus)")
        hold.add_argument("id", help="het kenmerk van het dossier")
        hold.add_argument("--reason", required=True, help="waarom (komt in het auditlogboek; geen persoonsgegevens)")
        hold.set_defaults(run=cmd_retention_hold, release=release)
