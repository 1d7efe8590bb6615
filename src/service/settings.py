"""Service settings, read once from the environment with safe defaults for the embedded mode.

Every variable is checked at start-up: `Settings.from_env` raises one InvalidInputError naming each variable that is
missing or malformed (`bibob check-config` prints them; `bibob serve` refuses to start with them).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import attrs
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bibob.exceptions import InvalidInputError, Problem
from service.integrations import Integrations, integration_problems, integrations_from_env

# every variable the service reads, with what it means (for `bibob check-config` and the README's table)
VARIABLES: dict[str, str] = {
    "BIBOB_DATABASE_URL": "database (sqlite:///pad of postgresql+psycopg://…)",
    "BIBOB_QUESTIONNAIRES_DIR": "map met eigen vragenlijsten (standaard: die van bibob)",
    "BIBOB_SELECTIONS_DIR": "map met gemeentelijke selecties",
    "BIBOB_MAX_BODY_BYTES": "grootste verzoek in bytes (ten minste 1024)",
    "BIBOB_INTAKE_DIR": "map met de koppelbestanden voor Open Formulieren (standaard: intake/open-formulieren)",
    "BIBOB_SESSION_IDLE_MINUTES": "sessie verloopt na zoveel minuten zonder gebruik (1–1440)",
    "BIBOB_SESSION_MAX_HOURS": "sessie verloopt hoe dan ook na zoveel uur (1–168)",
    "BIBOB_SECURE_COOKIE": "cookie altijd Secure (1/true/ja), achter een TLS-proxy",
    "BIBOB_KVK_API_KEY": "API-sleutel van het KvK Handelsregister (zonder: geen KvK-controle)",
    "BIBOB_KVK_BASE_URL": "adres van de KvK-API (standaard: productie)",
    "BIBOB_ZGW_ZAKEN_URL": "Zaken API (zonder: geen spiegel naar het zaaksysteem)",
    "BIBOB_ZGW_BESLUITEN_URL": "Besluiten API",
    "BIBOB_ZGW_CLIENT_ID": "client-id van bibob bij het zaaksysteem",
    "BIBOB_ZGW_SECRET": "gedeeld geheim voor het JWT",
    "BIBOB_ZGW_RSIN": "RSIN van de gemeente (bronorganisatie)",
    "BIBOB_ZGW_ZAAKTYPE": "zaaktype van een ondermijningscasus",
    "BIBOB_ZGW_BESLUITTYPE": "besluittype van een Bibob-besluit",
    "BIBOB_ZGW_RESULTAATTYPE": "resultaattype waarmee een afgesloten casus de zaak afsluit",
    "BIBOB_ZGW_STATUSTYPEN": "JSON: onze status → statustype-URL",
    "BIBOB_ZGW_ROLTYPEN": "JSON: rol → roltype-URL",
}
SECRETS = frozenset({"BIBOB_KVK_API_KEY", "BIBOB_ZGW_SECRET", "BIBOB_DATABASE_URL"})  # never printed
DATABASE_BACKENDS = ("sqlite", "postgresql")
SHIPPED_INTAKE = Path(__file__).parents[2] / "intake" / "open-formulieren"  # the example mapping, in a checkout


@attrs.frozen
class Settings:
    """Everything the service reads from its environment."""

    database_url: str = "sqlite:///bibob.sqlite3"  # the embedded default: one SQLite file
    questionnaires_dir: Path | None = None  # None: the questionnaires shipped with bibob
    selections_dir: Path | None = None
    max_body_bytes: int = 1_048_576
    api_version: str = "1.0.0"
    integrations: Integrations = attrs.field(factory=Integrations)  # KvK and ZGW when configured
    intake_dir: Path = SHIPPED_INTAKE  # Open Formulieren mapping files, one per form

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from BIBOB_* variables; invalid values raise InvalidInputError naming each one."""
        env = os.environ if environ is None else environ
        problems = setting_problems(env)
        if problems:
            raise InvalidInputError(problems)
        folders = {name: env.get(name) for name in ("BIBOB_QUESTIONNAIRES_DIR", "BIBOB_SELECTIONS_DIR")}
        intake = env.get("BIBOB_INTAKE_DIR")
        return cls(
            database_url=env.get("BIBOB_DATABASE_URL") or cls.database_url,
            questionnaires_dir=_path(folders["BIBOB_QUESTIONNAIRES_DIR"]),
            selections_dir=_path(folders["BIBOB_SELECTIONS_DIR"]),
            max_body_bytes=int(env.get("BIBOB_MAX_BODY_BYTES", "1048576")),
            integrations=integrations_from_env(env),
            intake_dir=Path(intake) if intake else SHIPPED_INTAKE,
        )


def setting_problems(env: Mapping[str, str]) -> list[Problem]:
    """Every problem with the service's variables (the pages' own are checked by `WebSettings.from_env`)."""
    problems: list[Problem] = []
    max_body = env.get("BIBOB_MAX_BODY_BYTES", "1048576")
    if not (max_body.isascii() and max_body.isdigit()) or int(max_body) < 1024:
        problems.append(
            Problem("BIBOB_MAX_BODY_BYTES", "invalidSetting", "moet een geheel getal van ten minste 1024 zijn")
        )
    for name in ("BIBOB_QUESTIONNAIRES_DIR", "BIBOB_SELECTIONS_DIR", "BIBOB_INTAKE_DIR"):
        value = env.get(name)
        if value and not Path(value).is_dir():
            problems.append(Problem(name, "invalidSetting", "map bestaat niet"))
    url = env.get("BIBOB_DATABASE_URL")
    if url is not None:
        problems += _database_problems(url)
    return problems + integration_problems(env)


def _database_problems(url: str) -> list[Problem]:
    message = "moet een database-URL zijn: sqlite:///pad of postgresql+psycopg://gebruiker@host/database"
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        return [Problem("BIBOB_DATABASE_URL", "invalidSetting", message)]
    return [] if backend in DATABASE_BACKENDS else [Problem("BIBOB_DATABASE_URL", "invalidSetting", message)]


def unknown_variables(env: Mapping[str, str], known: frozenset[str] = frozenset(VARIABLES)) -> list[str]:
    """BIBOB_* variables the service does not read: most often a typing error (a warning, never a refusal)."""
    return sorted(name for name in env if name.startswith("BIBOB_") and name not in known)


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None
