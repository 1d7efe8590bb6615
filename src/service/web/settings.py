"""What the pages read from the environment: session timeouts and whether the cookie is always Secure."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

import attrs

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Role
from service.store.accounts import SessionLimits

_BOUNDS = {  # variable → (default, lowest, highest)
    "BIBOB_SESSION_IDLE_MINUTES": (30, 1, 24 * 60),
    "BIBOB_SESSION_MAX_HOURS": (10, 1, 7 * 24),
}


@attrs.frozen
class WebSettings:
    """Session limits, and `secure_cookie`: mark the cookie Secure even when the request arrived over plain HTTP
    (behind a TLS proxy that does not forward the scheme). Over HTTPS the cookie is always Secure."""

    limits: SessionLimits = attrs.field(factory=SessionLimits)
    secure_cookie: bool = False
    mfa_roles: frozenset[Role] = frozenset()  # roles whose local accounts must add a TOTP code to their password

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> WebSettings:
        """From BIBOB_SESSION_IDLE_MINUTES, BIBOB_SESSION_MAX_HOURS and BIBOB_SECURE_COOKIE (1/true/ja)."""
        env = os.environ if environ is None else environ
        values, problems = {}, []
        for name, (default, low, high) in _BOUNDS.items():
            raw = env.get(name, str(default))
            if not raw.isdigit() or not low <= int(raw) <= high:
                problems.append(Problem(name, "invalidSetting", f"moet een geheel getal van {low} tot {high} zijn"))
            else:
                values[name] = int(raw)
        mfa_roles = _roles(env.get("BIBOB_MFA_ROLES", ""), problems)
        if problems:
            raise InvalidInputError(problems)
        limits = SessionLimits(
            idle=dt.timedelta(minutes=values["BIBOB_SESSION_IDLE_MINUTES"]),
            absolute=dt.timedelta(hours=values["BIBOB_SESSION_MAX_HOURS"]),
        )
        secure = env.get("BIBOB_SECURE_COOKIE", "").strip().lower() in ("1", "true", "ja", "yes")
        return cls(limits=limits, secure_cookie=secure, mfa_roles=mfa_roles)


def _roles(raw: str, problems: list[Problem]) -> frozenset[Role]:
    """Roles named by their wire value, separated by commas (`all`: every role)."""
    names = [name.strip() for name in raw.split(",") if name.strip()]
    if names == ["all"]:
        return frozenset(Role)
    found = {name: Role.parse(name) for name in names}
    unknown = sorted(name for name, role in found.items() if role is None)
    if unknown:
        choices = ", ".join(role.value for role in Role)
        problems.append(Problem("BIBOB_MFA_ROLES", "invalidSetting", f"onbekende rol; kies uit all of {choices}"))
    return frozenset(role for role in found.values() if role is not None)
