"""Service settings, read once from the environment with safe defaults for the embedded mode.

Every variable is checked at start-up: `Settings.from_env` raises one InvalidInputError naming each variable that is
missing or malformed (`bibob check-config` prints them; `bibob serve` refuses to start with them).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from pathlib import Path

import attrs
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bibob.exceptions import InvalidInputError, Problem
from bibob.undermining import Confidentiality
from service.integrations import Integrations, integration_problems, integrations_from_env
from service.oidc import OidcSettings, oidc_from_env
from service.store.limits import Limit, RateLimits
from service.zgw_notifications import NotificationSettings, notification_problems, notifications_from_env

# every variable the service reads, with what it means (for `bibob check-config` and the README's table)
VARIABLES: dict[str, str] = {
    "BIBOB_DATABASE_URL": "database (sqlite:///pad of postgresql+psycopg://…)",
    "BIBOB_QUESTIONNAIRES_DIR": "map met eigen vragenlijsten (standaard: die van bibob)",
    "BIBOB_SELECTIONS_DIR": "map met gemeentelijke selecties",
    "BIBOB_MAX_BODY_BYTES": "grootste verzoek in bytes (ten minste 1024)",
    "BIBOB_ACCESS_LOG": "een logregel per verzoek (1/ja/true; standaard uit)",
    "BIBOB_KEY_FILE": "sleutelbestand (0600) met de sleutels voor versleuteling, subjectsleutels en auditketen",
    "BIBOB_KEYS": "de sleutels als JSON in de omgeving, in plaats van een sleutelbestand",
    "BIBOB_AUDIT_CHECKPOINT_EVERY": "seconden tussen ketencontroles met ondertekend controlepunt (0: uit)",
    "BIBOB_AUDIT_CHECKPOINT_FILE": "bestand (alleen aanvullen) met de controlepunten van de auditketen",
    "BIBOB_AUDIT_SYSLOG": "controlepunten ook naar syslog: /dev/log of udp://host:poort",
    "BIBOB_RETENTION_EVERY": "seconden tussen runs van de bewaartermijnjob (0: uit; of bibob retention run)",
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
    "BIBOB_ZGW_NOTIFICATIES_URL": "Notificaties API, voor `bibob zgw subscribe` (zonder: abonnement met de hand)",
    "BIBOB_ZGW_NOTIFICATION_SECRET": "Authorization-waarde van de notificaties aan bibob (ten minste 16 tekens)",
    "BIBOB_ZGW_PERMIT_ZAAKTYPEN": 'JSON: zaaktype-URL → {"permitType", "legalAct"} van de aanvraag bij een nieuwe zaak',
    "BIBOB_ZGW_DOCUMENTEN_URL": "Documenten API (zonder: brieven gaan niet naar het zaaksysteem)",
    "BIBOB_ZGW_INFORMATIEOBJECTTYPE": "informatieobjecttype van een brief (hoort bij het zaaktype van de vergunning)",
    "BIBOB_LETTERS_TEMPLATE": "map met de briefsjablonen van de gemeente (briefhoofd, ondertekenaar, teksten)",
    "BIBOB_SIGN_IN_MAX_FAILURES": "mislukte aanmeldingen per account voor een tijdelijke blokkade (0: uit)",
    "BIBOB_ADDRESS_MAX_FAILURES": "mislukte aanmeldingen of onbekende tokens per adres voor een blokkade (0: uit)",
    "BIBOB_LOCKOUT_MINUTES": "duur van een blokkade in minuten",
    "BIBOB_WRITES_PER_MINUTE": "wijzigingen per gebruiker per minuut (0: geen grens)",
    "BIBOB_ADDRESS_WRITES_PER_MINUTE": "wijzigingen per adres per minuut (0: geen grens)",
    "BIBOB_ASSESSMENTS_PER_MINUTE": "beoordelingen per gebruiker per minuut (0: geen grens)",
    "BIBOB_SIGNALS_PER_DAY": "meldingen per ketenpartner per dag (0: geen grens)",
    "BIBOB_TOKEN_DAYS": "geldigheid van een nieuw API-token in dagen",
    "BIBOB_HSTS_SECONDS": "max-age van Strict-Transport-Security (0: niet sturen)",
    "BIBOB_REASON_REQUIRED_FROM": "vanaf deze vertrouwelijkheid is X-Audit-Reason verplicht bij een casus",
    "BIBOB_MFA_ROLES": "rollen die een tweede factor (TOTP) moeten gebruiken, komma-gescheiden",
    "BIBOB_OIDC_ISSUER": "OpenID Connect-provider (zonder: alleen lokale accounts)",
    "BIBOB_OIDC_CLIENT_ID": "client-id bij de provider",
    "BIBOB_OIDC_CLIENT_SECRET": "client-geheim bij de provider",
    "BIBOB_OIDC_ROLE_MAP": "JSON: groep of claimwaarde → rol",
    "BIBOB_OIDC_ROLE_CLAIM": "claim met de groepen of rollen (standaard: groups)",
    "BIBOB_OIDC_USER_CLAIM": "claim met de gebruikersnaam (standaard: sub)",
    "BIBOB_OIDC_AUDIENCE": "verwachte audience van JWT's op de API",
    "BIBOB_OIDC_SCOPES": "gevraagde scopes (standaard: openid profile groups)",
    "BIBOB_OIDC_LABEL": "naam van de provider op de aanmeldpagina",
    "BIBOB_OIDC_REDIRECT_URL": "terugkeeradres na aanmelden bij de provider",
    "BIBOB_OIDC_POST_LOGOUT_URL": "terugkeeradres na afmelden bij de provider",
}
SECRETS = frozenset(
    {
        "BIBOB_KVK_API_KEY",
        "BIBOB_ZGW_SECRET",
        "BIBOB_DATABASE_URL",
        "BIBOB_OIDC_CLIENT_SECRET",
        "BIBOB_ZGW_NOTIFICATION_SECRET",
        "BIBOB_KEYS",
    }
)  # never printed
DATABASE_BACKENDS = ("sqlite", "postgresql")
SHIPPED_INTAKE = Path(__file__).parents[2] / "intake" / "open-formulieren"  # the example mapping, in a checkout

#: How an on/off setting may be written; empty is the default (off).
SWITCH = {"": False, "0": False, "nee": False, "false": False, "uit": False, "1": True, "ja": True, "true": True,
          "aan": True}  # fmt: skip


@attrs.frozen
class Settings:
    """Everything the service reads from its environment."""

    database_url: str = "sqlite:///bibob.sqlite3"  # the embedded default: one SQLite file
    questionnaires_dir: Path | None = None  # None: the questionnaires shipped with bibob
    selections_dir: Path | None = None
    max_body_bytes: int = 1_048_576
    api_version: str = "1.0.0"
    access_log: bool = False  # one log line per request: off by default (it cost 12 % of reads; issue 19)
    integrations: Integrations = attrs.field(factory=Integrations)  # KvK and ZGW when configured
    rate_limits: RateLimits = attrs.field(factory=RateLimits)
    token_days: int = 90  # how long a new API token lives unless told otherwise
    hsts_seconds: int = 31_536_000  # Strict-Transport-Security max-age (0: header not sent)
    oidc: OidcSettings | None = None  # sign-in through the municipality's OpenID Connect provider, when configured
    reason_required_from: Confidentiality | None = None  # case reads at this level or higher need X-Audit-Reason
    intake_dir: Path = SHIPPED_INTAKE  # Open Formulieren mapping files, one per form
    audit_checkpoint_every: float = 300.0  # seconds between incremental checks + signed checkpoints (0: off)
    audit_checkpoint_file: Path | None = None  # None: beside the SQLite file or the key file (service.store.anchor)
    audit_syslog: str | None = None  # also send checkpoints to syslog: /dev/log or udp://host:port
    retention_every: float = 3600.0  # seconds between runs of the retention job (0: off; `bibob retention run`)
    zgw_notifications: NotificationSettings | None = None  # new permit zaken announced by the Notificaties API

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from BIBOB_* variables; invalid values raise InvalidInputError naming each one."""
        env = os.environ if environ is None else environ
        problems = setting_problems(env)
        if problems:
            raise InvalidInputError(problems)
        numbers = _numbers(env, [])
        folders = {name: env.get(name) for name in ("BIBOB_QUESTIONNAIRES_DIR", "BIBOB_SELECTIONS_DIR")}
        intake = env.get("BIBOB_INTAKE_DIR")
        return cls(
            database_url=env.get("BIBOB_DATABASE_URL") or cls.database_url,
            questionnaires_dir=_path(folders["BIBOB_QUESTIONNAIRES_DIR"]),
            selections_dir=_path(folders["BIBOB_SELECTIONS_DIR"]),
            max_body_bytes=int(env.get("BIBOB_MAX_BODY_BYTES", "1048576")),
            access_log=SWITCH.get(env.get("BIBOB_ACCESS_LOG", "").strip().lower(), False),
            integrations=integrations_from_env(env),
            intake_dir=Path(intake) if intake else SHIPPED_INTAKE,
            rate_limits=_rate_limits(numbers),
            token_days=numbers["BIBOB_TOKEN_DAYS"],
            hsts_seconds=numbers["BIBOB_HSTS_SECONDS"],
            oidc=oidc_from_env(env),
            reason_required_from=Confidentiality.parse(env.get("BIBOB_REASON_REQUIRED_FROM", "").strip()),
            audit_checkpoint_every=float(env.get("BIBOB_AUDIT_CHECKPOINT_EVERY", "300")),
            audit_checkpoint_file=_path(env.get("BIBOB_AUDIT_CHECKPOINT_FILE")),
            audit_syslog=env.get("BIBOB_AUDIT_SYSLOG") or None,
            retention_every=float(env.get("BIBOB_RETENTION_EVERY", "3600")),
            zgw_notifications=notifications_from_env(env),
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
    if env.get("BIBOB_ACCESS_LOG", "").strip().lower() not in SWITCH:
        problems.append(Problem("BIBOB_ACCESS_LOG", "invalidSetting", "moet aan of uit zijn (1/0, ja/nee, true/false)"))
    _numbers(env, problems)
    for name, default in (("BIBOB_AUDIT_CHECKPOINT_EVERY", "300"), ("BIBOB_RETENTION_EVERY", "3600")):
        if not _seconds(env.get(name, default)):
            problems.append(Problem(name, "invalidSetting", "moet een aantal seconden zijn (0 = uit)"))
    syslog = env.get("BIBOB_AUDIT_SYSLOG") or None
    if syslog and not (syslog.startswith("/") or re.fullmatch(r"udp://[A-Za-z0-9.\-]+(:\d{1,5})?", syslog)):
        problems.append(Problem("BIBOB_AUDIT_SYSLOG", "invalidSetting", "verwacht: /dev/log of udp://host:poort"))
    level = env.get("BIBOB_REASON_REQUIRED_FROM", "").strip()
    if level and Confidentiality.parse(level) is None:
        choices = ", ".join(c.value for c in Confidentiality)
        problems.append(Problem("BIBOB_REASON_REQUIRED_FROM", "invalidSetting", f"kies uit {choices}"))
    try:
        oidc_from_env(env)
    except InvalidInputError as error:
        problems += error.problems
    url = env.get("BIBOB_DATABASE_URL")
    if url is not None:
        problems += _database_problems(url)
    return problems + integration_problems(env) + notification_problems(env)


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


# variable → (default, lowest, highest); a limit of 0 switches it off
NUMBERS = {
    "BIBOB_SIGN_IN_MAX_FAILURES": (10, 0, 1000),
    "BIBOB_ADDRESS_MAX_FAILURES": (50, 0, 100_000),
    "BIBOB_LOCKOUT_MINUTES": (15, 1, 24 * 60),
    "BIBOB_WRITES_PER_MINUTE": (600, 0, 1_000_000),
    "BIBOB_ADDRESS_WRITES_PER_MINUTE": (3000, 0, 1_000_000),
    "BIBOB_ASSESSMENTS_PER_MINUTE": (60, 0, 1_000_000),
    "BIBOB_SIGNALS_PER_DAY": (1000, 0, 10_000_000),
    "BIBOB_TOKEN_DAYS": (90, 1, 3660),
    "BIBOB_HSTS_SECONDS": (31_536_000, 0, 63_072_000),
}


def _numbers(env: Mapping[str, str], problems: list[Problem]) -> dict[str, int]:
    values = {}
    for name, (default, low, high) in NUMBERS.items():
        raw = env.get(name, str(default)).strip()
        if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
            problems.append(Problem(name, "invalidSetting", f"moet een geheel getal van {low} tot {high} zijn"))
        else:
            values[name] = int(raw)
    return values


def _rate_limits(numbers: Mapping[str, int]) -> RateLimits:
    lockout = dt.timedelta(minutes=numbers["BIBOB_LOCKOUT_MINUTES"])
    minute = dt.timedelta(minutes=1)
    return RateLimits(
        sign_in_account=Limit(numbers["BIBOB_SIGN_IN_MAX_FAILURES"], lockout),
        sign_in_address=Limit(numbers["BIBOB_ADDRESS_MAX_FAILURES"], lockout),
        write_user=Limit(numbers["BIBOB_WRITES_PER_MINUTE"], minute),
        write_address=Limit(numbers["BIBOB_ADDRESS_WRITES_PER_MINUTE"], minute),
        assessment=Limit(numbers["BIBOB_ASSESSMENTS_PER_MINUTE"], minute),
        signal_intake=Limit(numbers["BIBOB_SIGNALS_PER_DAY"], dt.timedelta(days=1)),
    )


def _seconds(value: str) -> bool:
    try:
        return 0 <= float(value) < 10**7
    except ValueError:
        return False


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None
