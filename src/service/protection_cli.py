"""The data-protection commands of `bibob`: check and anchor the audit chain, run retention, rotate keys.

Each is meant for cron as well as for hand use: exit status 0 when all is well, 1 when a problem was found (a
broken chain), 2 when it could not run (keys missing, database away). Output names ids and counts, never content.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from service.settings import Settings
from service.store.anchor import Verifier, checkpoint_file_for, syslog_logger
from service.store.engine import create_engine_for
from service.store.keys import KeyringError


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
