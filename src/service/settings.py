"""Service settings, read once from the environment with safe defaults for the embedded mode."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import attrs

from bibob.exceptions import InvalidInputError, Problem
from service.integrations import Integrations, integrations_from_env

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
        access_log = env.get("BIBOB_ACCESS_LOG", "").strip().lower()
        if access_log not in SWITCH:
            problems.append(
                Problem("BIBOB_ACCESS_LOG", "invalidSetting", "moet aan of uit zijn (1/0, ja/nee, true/false)")
            )
        if problems:
            raise InvalidInputError(problems)
        return cls(
            database_url=env.get("BIBOB_DATABASE_URL", cls.database_url),
            questionnaires_dir=_path(folders["BIBOB_QUESTIONNAIRES_DIR"]),
            selections_dir=_path(folders["BIBOB_SELECTIONS_DIR"]),
            max_body_bytes=int(max_body),
            access_log=SWITCH.get(access_log, False),
            integrations=integrations_from_env(env),
        )


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None
