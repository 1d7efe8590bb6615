"""Service settings, read once from the environment with safe defaults for the embedded mode."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

import attrs

from bibob.exceptions import InvalidInputError, Problem
from bibob.undermining import Confidentiality
from service.integrations import Integrations, integrations_from_env
from service.oidc import OidcSettings, oidc_from_env
from service.store.limits import Limit, RateLimits


@attrs.frozen
class Settings:
    """Everything the service reads from its environment."""

    database_url: str = "sqlite:///bibob.sqlite3"  # the embedded default: one SQLite file
    questionnaires_dir: Path | None = None  # None: the questionnaires shipped with bibob
    selections_dir: Path | None = None
    max_body_bytes: int = 1_048_576
    api_version: str = "1.0.0"
    integrations: Integrations = attrs.field(factory=Integrations)  # KvK and ZGW when configured
    rate_limits: RateLimits = attrs.field(factory=RateLimits)
    token_days: int = 90  # how long a new API token lives unless told otherwise
    hsts_seconds: int = 31_536_000  # Strict-Transport-Security max-age (0: header not sent)
    oidc: OidcSettings | None = None  # sign-in through the municipality's OpenID Connect provider, when configured
    reason_required_from: Confidentiality | None = None  # case reads at this level or higher need X-Audit-Reason

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from BIBOB_* variables; invalid values raise InvalidInputError naming each one."""
        env = os.environ if environ is None else environ
        problems: list[Problem] = []
        max_body = env.get("BIBOB_MAX_BODY_BYTES", "1048576")
        if not max_body.isdigit() or int(max_body) < 1024:
            problems.append(
                Problem("BIBOB_MAX_BODY_BYTES", "invalidSetting", "moet een geheel getal van ten minste 1024 zijn")
            )
        folders = {name: env.get(name) for name in ("BIBOB_QUESTIONNAIRES_DIR", "BIBOB_SELECTIONS_DIR")}
        for name, value in folders.items():
            if value and not Path(value).is_dir():
                problems.append(Problem(name, "invalidSetting", "map bestaat niet"))
        numbers = _numbers(env, problems)
        level = env.get("BIBOB_REASON_REQUIRED_FROM", "").strip()
        if level and Confidentiality.parse(level) is None:
            choices = ", ".join(c.value for c in Confidentiality)
            problems.append(Problem("BIBOB_REASON_REQUIRED_FROM", "invalidSetting", f"kies uit {choices}"))
        if problems:
            raise InvalidInputError(problems)
        return cls(
            database_url=env.get("BIBOB_DATABASE_URL", cls.database_url),
            questionnaires_dir=_path(folders["BIBOB_QUESTIONNAIRES_DIR"]),
            selections_dir=_path(folders["BIBOB_SELECTIONS_DIR"]),
            max_body_bytes=int(max_body),
            integrations=integrations_from_env(env),
            rate_limits=_rate_limits(numbers),
            token_days=numbers["BIBOB_TOKEN_DAYS"],
            hsts_seconds=numbers["BIBOB_HSTS_SECONDS"],
            oidc=oidc_from_env(env),
            reason_required_from=Confidentiality.parse(env.get("BIBOB_REASON_REQUIRED_FROM", "").strip()),
        )


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


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None
