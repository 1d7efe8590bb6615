"""Service settings, read once from the environment with safe defaults for the embedded mode."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

import attrs

from bibob.exceptions import InvalidInputError, Problem
from service.integrations import Integrations, integrations_from_env


@attrs.frozen
class Settings:
    """Everything the service reads from its environment."""

    database_url: str = "sqlite:///bibob.sqlite3"  # the embedded default: one SQLite file
    questionnaires_dir: Path | None = None  # None: the questionnaires shipped with bibob
    selections_dir: Path | None = None
    max_body_bytes: int = 1_048_576
    api_version: str = "1.0.0"
    integrations: Integrations = attrs.field(factory=Integrations)  # KvK and ZGW when configured
    audit_checkpoint_every: float = 300.0  # seconds between incremental checks + signed checkpoints (0: off)
    audit_checkpoint_file: Path | None = None  # None: beside the SQLite file or the key file (service.store.anchor)
    audit_syslog: str | None = None  # also send checkpoints to syslog: /dev/log or udp://host:port
    retention_every: float = 3600.0  # seconds between runs of the retention job (0: off; `bibob retention run`)

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
        periods = {
            name: env.get(name, default)
            for name, default in (("BIBOB_AUDIT_CHECKPOINT_EVERY", "300"), ("BIBOB_RETENTION_EVERY", "3600"))
        }
        for name, value in periods.items():
            if not _seconds(value):
                problems.append(Problem(name, "invalidSetting", "moet een aantal seconden zijn (0 = uit)"))
        syslog = env.get("BIBOB_AUDIT_SYSLOG") or None
        if syslog and not (syslog.startswith("/") or re.fullmatch(r"udp://[A-Za-z0-9.\-]+(:\d{1,5})?", syslog)):
            problems.append(Problem("BIBOB_AUDIT_SYSLOG", "invalidSetting", "verwacht: /dev/log of udp://host:poort"))
        if problems:
            raise InvalidInputError(problems)
        return cls(
            database_url=env.get("BIBOB_DATABASE_URL", cls.database_url),
            questionnaires_dir=_path(folders["BIBOB_QUESTIONNAIRES_DIR"]),
            selections_dir=_path(folders["BIBOB_SELECTIONS_DIR"]),
            max_body_bytes=int(max_body),
            integrations=integrations_from_env(env),
            audit_checkpoint_every=float(periods["BIBOB_AUDIT_CHECKPOINT_EVERY"]),
            audit_checkpoint_file=_path(env.get("BIBOB_AUDIT_CHECKPOINT_FILE")),
            audit_syslog=syslog,
            retention_every=float(periods["BIBOB_RETENTION_EVERY"]),
        )


def _seconds(value: str) -> bool:
    try:
        return 0 <= float(value) < 10**7
    except ValueError:
        return False


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None
