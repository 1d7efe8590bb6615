"""`bibob user …`: local accounts for the pages (embedded mode). Passwords are read without echo, never printed."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any, TextIO

from bibob.exceptions import InvalidInputError
from service.auth import Role
from service.settings import Settings
from service.store import accounts
from service.store.engine import create_engine_for


def _read_password(args: argparse.Namespace, out: TextIO) -> str | None:
    """From standard input (one line) with --password-stdin, else typed twice at a prompt that does not echo."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Wachtwoord: ")
    if getpass.getpass("Herhaal het wachtwoord: ") != first:
        out.write("De wachtwoorden verschillen; er is niets aangemaakt.\n")
        return None
    return first


def cmd_user_create(args: argparse.Namespace, out: TextIO) -> int:
    role = Role.parse(args.role)
    if role is None:
        out.write(f"Onbekende rol; kies uit: {', '.join(r.value for r in Role)}\n")
        return 2
    password = _read_password(args, out)
    if password is None:
        return 2
    engine = create_engine_for(Settings.from_env().database_url)
    try:
        with engine.begin() as conn:
            accounts.create_user(conn, args.name, role, password)
    except InvalidInputError as error:
        out.writelines(f"{problem.pointer.lstrip('/')}: {problem.message}\n" for problem in error.problems)
        return 2
    finally:
        engine.dispose()
    out.write(f"Gebruiker {args.name} aangemaakt met de rol {role.label}.\n")
    return 0


def cmd_user_disable(args: argparse.Namespace, out: TextIO) -> int:
    engine = create_engine_for(Settings.from_env().database_url)
    try:
        with engine.begin() as conn:
            done = accounts.disable_user(conn, args.name)
    finally:
        engine.dispose()
    out.write(
        "Gebruiker geblokkeerd; de sessies zijn beëindigd.\n" if done else "Geen actieve gebruiker met die naam.\n"
    )
    return 0 if done else 1


def add_user_commands(commands: Any) -> None:
    """Add `user create` and `user disable` to the `bibob` command's subcommands."""
    user = commands.add_parser("user", help="gebruikers van de webpagina's beheren").add_subparsers(
        dest="action", required=True
    )
    create = user.add_parser("create", help="een gebruiker aanmaken (het wachtwoord wordt gevraagd, niet getoond)")
    create.add_argument("--name", required=True, help="gebruikersnaam: letters, cijfers en . _ @ -")
    create.add_argument("--role", required=True, help=", ".join(r.value for r in Role))
    create.add_argument("--password-stdin", action="store_true", help="het wachtwoord van standaardinvoer lezen")
    create.set_defaults(run=cmd_user_create)
    disable = user.add_parser("disable", help="een gebruiker blokkeren en zijn sessies beëindigen")
    disable.add_argument("--name", required=True)
    disable.set_defaults(run=cmd_user_disable)
