"""Local accounts and the pages' server-side sessions: argon2 password hashes, idle and absolute timeouts."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import re
import secrets

import attrs
import pyotp
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection, Engine

from bibob.exceptions import InvalidInputError, Problem
from service.auth import Principal, Role
from service.store import audit
from service.store.common import utcnow
from service.store.tables import users, web_sessions

NAME_MAX = 128
PASSWORD_MIN = 12  # for accounts made here; signing in only checks the bounds below
PASSWORD_MAX = 1024  # longer input is refused before hashing: argon2 on megabytes is a cheap attack
_NAME = re.compile(r"[\w.@-]{1,128}")  # letters, digits and . _ @ -: safe in logs, pages and the audit log

_HASHER = PasswordHasher()  # argon2id with the RFC 9106 low-memory parameters of argon2-cffi


@attrs.frozen
class SessionLimits:
    """How long a session lives: `idle` without a request, `absolute` since signing in."""

    idle: dt.timedelta = dt.timedelta(minutes=30)
    absolute: dt.timedelta = dt.timedelta(hours=10)


@attrs.frozen
class Credentials:
    """What signing in checks a password against (never leaves the service)."""

    principal: Principal
    password_hash: str = attrs.field(repr=False)


@attrs.frozen
class WebSession:
    """A signed-in visitor: who, the token every form of the session echoes, and when the session ends at last."""

    principal: Principal
    csrf_token: str = attrs.field(repr=False)
    expires_at: dt.datetime


def name_problems(name: str, pointer: str = "/name") -> list[Problem]:
    """Why `name` cannot be an account name (empty when it can)."""
    if _NAME.fullmatch(name):
        return []
    return [Problem(pointer, "invalidName", "1 tot 128 tekens: letters, cijfers en . _ @ -")]


def password_problems(password: str, pointer: str = "/password") -> list[Problem]:
    """Why `password` is not acceptable for a new account (empty when it is)."""
    if PASSWORD_MIN <= len(password) <= PASSWORD_MAX and password.strip() == password:
        return []
    reason = f"{PASSWORD_MIN} tot {PASSWORD_MAX} tekens, zonder spaties aan het begin of eind"
    return [Problem(pointer, "invalidPassword", reason)]


def hash_password(password: str) -> str:
    """The argon2id hash of `password` (slow on purpose: run it off the event loop)."""
    return _HASHER.hash(password)


def create_user(
    conn: Connection, name: str, role: Role, password: str, actor: Principal | None = None, *, hashed: str | None = None
) -> Principal:
    """A new enabled account; refuses a taken name, an invalid name or a weak password, naming each problem.

    `actor` is who made it (None: the command line); the creation is a row of the audit chain. `hashed`: the
    password's hash made beforehand (off the event loop), so that none is made here."""
    problems = name_problems(name) + password_problems(password)
    if not problems and conn.execute(sa.select(users.c.name).where(users.c.name == name)).first():
        problems.append(Problem("/name", "nameTaken", "deze gebruikersnaam bestaat al"))
    if problems:
        raise InvalidInputError(problems)
    new_hash = hashed or hash_password(password)
    values = {"name": name, "role": role.value, "password_hash": new_hash, "created_at": utcnow()}
    conn.execute(users.insert().values(**values))
    audit.append_identity(conn, actor, audit.USER_CREATED, name, reason=f"rol {role.value}")
    return Principal(name, role)


def set_password(
    conn: Connection, name: str, password: str, actor: Principal | None = None, *, hashed: str | None = None
) -> bool:
    """Give account `name` a new password and end its sessions; False when there is no such account (audited).

    `hashed`: the password's hash made beforehand (off the event loop), so that none is made here."""
    problems = password_problems(password)
    if problems:
        raise InvalidInputError(problems)
    new_hash = hashed or hash_password(password)
    changed = conn.execute(users.update().where(users.c.name == name).values(password_hash=new_hash))
    end_sessions(conn, name)
    if changed.rowcount:
        audit.append_identity(conn, actor, audit.PASSWORD_CHANGED, name)
    return changed.rowcount > 0


def disable_user(conn: Connection, name: str, now: dt.datetime | None = None, actor: Principal | None = None) -> bool:
    """Disable account `name` and end its sessions; False when there is no such enabled account (audited)."""
    enabled = (users.c.name == name) & users.c.disabled_at.is_(None)
    changed = conn.execute(users.update().where(enabled).values(disabled_at=now or utcnow()))
    end_sessions(conn, name)
    if changed.rowcount:
        audit.append_identity(conn, actor, audit.USER_DISABLED, name)
    return changed.rowcount > 0


@attrs.frozen
class Account:
    """An account as the functional admin sees it: name, role, since when, and whether it is disabled."""

    name: str
    role: str
    created_at: dt.datetime
    disabled_at: dt.datetime | None


def list_users(conn: Connection) -> tuple[Account, ...]:
    """Every account by name (no hashes)."""
    query = sa.select(users.c.name, users.c.role, users.c.created_at, users.c.disabled_at).order_by(users.c.name)
    return tuple(Account(**row) for row in conn.execute(query).mappings())


def change_role(conn: Connection, name: str, role: Role, actor: Principal | None = None) -> bool:
    """Give account `name` another role and end its sessions (the next sign-in carries the new role); False when
    there is no such account or it has that role already. The change, old and new role, is audited."""
    row = conn.execute(sa.select(users.c.role).where(users.c.name == name)).first()
    if row is None or row.role == role.value:
        return False
    conn.execute(users.update().where(users.c.name == name).values(role=role.value))
    end_sessions(conn, name)
    audit.append_identity(conn, actor, audit.ROLE_CHANGED, name, reason=f"{row.role} -> {role.value}")
    return True


# --- the second factor: TOTP (RFC 6238, 30-second steps, 6 digits), enforceable per role ---------------------------

TOTP_STEP = 30
TOTP_ISSUER = "bibob"
_CODE = re.compile(r"[0-9]{6}")


@attrs.frozen
class Totp:
    """An account's second factor: the shared key (shown once while enrolling) and whether a code confirmed it."""

    secret: str = attrs.field(repr=False)
    confirmed: bool


def totp_of(conn: Connection, name: str) -> Totp | None:
    """The second factor of account `name`, or None when it has none (not even one being enrolled)."""
    row = conn.execute(sa.select(users.c.totp_secret, users.c.totp_confirmed_at).where(users.c.name == name)).first()
    return Totp(row.totp_secret, row.totp_confirmed_at is not None) if row and row.totp_secret else None


def start_totp(conn: Connection, name: str, actor: Principal | None = None) -> Totp | None:
    """Begin enrolling a second factor: a new key, not yet confirmed (a key being enrolled is kept); None when
    there is no such account. A confirmed factor stays as it is (remove it first)."""
    present = totp_of(conn, name)
    if present is not None:
        return present
    secret = pyotp.random_base32()
    changed = conn.execute(users.update().where(users.c.name == name).values(totp_secret=secret))
    if not changed.rowcount:
        return None
    audit.append_identity(conn, actor, audit.MFA_ENROLLED, name)
    return Totp(secret, confirmed=False)


def provisioning_uri(name: str, totp: Totp) -> str:
    """The `otpauth://` address an authenticator app reads (as a QR code, or typed in)."""
    return pyotp.TOTP(totp.secret, interval=TOTP_STEP).provisioning_uri(name=name, issuer_name=TOTP_ISSUER)


def check_totp(conn: Connection, name: str, code: str, now: dt.datetime | None = None) -> bool:
    """Whether `code` is a current code of the account's factor (one step of clock drift either way), used once:
    a code (its step) is refused after it was used. Confirms an enrolment on its first good code (audited)."""
    if not _CODE.fullmatch(code):
        return False
    row = conn.execute(
        sa.select(users.c.totp_secret, users.c.totp_confirmed_at, users.c.totp_last_step).where(users.c.name == name)
    ).first()
    if row is None or not row.totp_secret:
        return False
    now = now or utcnow()
    totp, step = pyotp.TOTP(row.totp_secret, interval=TOTP_STEP), int(now.timestamp()) // TOTP_STEP
    matched = next((s for s in (step - 1, step, step + 1) if hmac.compare_digest(totp.at(s * TOTP_STEP), code)), None)
    if matched is None or (row.totp_last_step is not None and matched <= row.totp_last_step):
        return False
    values: dict[str, object] = {"totp_last_step": matched}
    if row.totp_confirmed_at is None:
        values["totp_confirmed_at"] = now
        audit.append_identity(conn, None, audit.MFA_CONFIRMED, name)
    conn.execute(users.update().where(users.c.name == name).values(**values))
    return True


def remove_totp(conn: Connection, name: str, actor: Principal | None = None) -> bool:
    """Remove the account's second factor (a lost phone) and end its sessions; False when it had none (audited)."""
    has = users.c.totp_secret.is_not(None)
    changed = conn.execute(
        users.update()
        .where(users.c.name == name, has)
        .values(totp_secret=None, totp_confirmed_at=None, totp_last_step=None)
    )
    if not changed.rowcount:
        return False
    end_sessions(conn, name)
    audit.append_identity(conn, actor, audit.MFA_REMOVED, name)
    return True


def credentials(conn: Connection, name: str) -> Credentials | None:
    """The principal and hash of an enabled account, or None (unknown, disabled, or a name no account can have)."""
    if len(name) > NAME_MAX:
        return None
    row = conn.execute(
        sa.select(users.c.name, users.c.role, users.c.password_hash).where(
            users.c.name == name, users.c.disabled_at.is_(None)
        )
    ).first()
    role = Role.parse(row.role) if row else None
    return Credentials(Principal(row.name, role), row.password_hash) if row and role else None


@functools.cache
def _decoy_hash() -> str:
    """A hash to verify against when the account does not exist, so that a wrong name takes as long as a wrong
    password (the answer must not reveal which names exist)."""
    return hash_password(secrets.token_urlsafe(16))


def verify_password(found: Credentials | None, password: str) -> Principal | None:
    """The principal when `password` matches, else None; as slow for an unknown account as for a known one.

    CPU-bound (argon2): call it off the event loop.
    """
    if len(password) > PASSWORD_MAX:
        return None
    try:
        matches = _HASHER.verify(found.password_hash if found else _decoy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    return found.principal if found and matches else None


def needs_rehash(found: Credentials) -> bool:
    """Whether the stored hash was made with weaker parameters than today's."""
    return _HASHER.check_needs_rehash(found.password_hash)


def authenticate(conn: Connection, name: str, password: str) -> Principal | None:
    """`credentials` then `verify_password` in one call, for callers that may block (the command line, tests)."""
    return verify_password(credentials(conn, name), password)


def _session_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_session(
    conn: Connection,
    principal: Principal,
    limits: SessionLimits | None = None,
    now: dt.datetime | None = None,
    new_hash: str | None = None,
    stage: str | None = None,
) -> tuple[str, WebSession]:
    """A new session for a principal who just proved a password; returns the cookie's token (shown once) and the
    session. Sessions past their time are purged on the way. `new_hash` replaces an outdated password hash."""
    limits, now = limits or SessionLimits(), now or utcnow()
    purge_expired_sessions(conn, limits, now)
    if new_hash is not None:
        conn.execute(users.update().where(users.c.name == principal.user).values(password_hash=new_hash))
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + (limits.absolute if stage is None else PENDING_LIFETIME)
    values = {"id": _session_id(token), "user": principal.user, "created_at": now, "last_seen_at": now, "stage": stage}
    conn.execute(web_sessions.insert().values(**values, expires_at=expires, csrf_token=csrf))
    return token, WebSession(principal, csrf, expires)


def session_for_token(
    conn: Connection, token: str, limits: SessionLimits | None = None, now: dt.datetime | None = None
) -> WebSession | None:
    """The live session a cookie's token stands for, marked as seen now; None when unknown, ended, idle too
    long, past its absolute end, or its account is disabled (an expired session is deleted)."""
    if not token or len(token) > 100:
        return None
    limits, now = limits or SessionLimits(), now or utcnow()
    key = _session_id(token)
    row = conn.execute(
        sa.select(users.c.name, users.c.role, web_sessions.c.csrf_token, web_sessions.c.expires_at)
        .add_columns(web_sessions.c.last_seen_at, users.c.disabled_at, web_sessions.c.stage)
        .join(users, users.c.name == web_sessions.c.user)
        .where(web_sessions.c.id == key)
    ).first()
    if row is None:
        return None
    role = Role.parse(row.role)
    ended = now >= row.expires_at or now - row.last_seen_at >= limits.idle
    if role is None or row.disabled_at is not None or ended or row.stage is not None:
        conn.execute(web_sessions.delete().where(web_sessions.c.id == key))
        return None
    conn.execute(web_sessions.update().where(web_sessions.c.id == key).values(last_seen_at=now))
    return WebSession(Principal(row.name, role), row.csrf_token, row.expires_at)


PENDING_LIFETIME = dt.timedelta(minutes=5)  # between a proved password and its code
MFA_STAGE = "mfa"


def pending_principal(conn: Connection, token: str, now: dt.datetime | None = None) -> Principal | None:
    """Whom a half-finished sign-in (password proved, code to come) stands for; None when unknown or ended."""
    if not token or len(token) > 100:
        return None
    row = conn.execute(
        sa.select(users.c.name, users.c.role, web_sessions.c.expires_at)
        .join(users, users.c.name == web_sessions.c.user)
        .where(
            web_sessions.c.id == _session_id(token), web_sessions.c.stage == MFA_STAGE, users.c.disabled_at.is_(None)
        )
    ).first()
    role = Role.parse(row.role) if row else None
    return Principal(row.name, role) if row and role and (now or utcnow()) < row.expires_at else None


def end_session(conn: Connection, token: str) -> bool:
    """Sign out: the session of `token` ends at once; False when there was none."""
    return conn.execute(web_sessions.delete().where(web_sessions.c.id == _session_id(token))).rowcount > 0


def end_sessions(conn: Connection, name: str) -> int:
    """End every session of account `name` (a new password, a disabled account); returns how many ended."""
    return conn.execute(web_sessions.delete().where(web_sessions.c.user == name)).rowcount


def purge_expired_sessions(
    conn: Connection, limits: SessionLimits | None = None, now: dt.datetime | None = None
) -> int:
    """Delete sessions past their absolute end or idle too long; returns how many."""
    limits, now = limits or SessionLimits(), now or utcnow()
    stale = (web_sessions.c.expires_at <= now) | (web_sessions.c.last_seen_at <= now - limits.idle)
    return conn.execute(web_sessions.delete().where(stale)).rowcount


# One account per role for the demo, named as the demo municipality's principals, so that each sees its dossiers.
DEMO_ACCOUNTS: tuple[tuple[str, Role], ...] = (
    ("demo-vergunningverlener", Role.PERMIT_OFFICER),
    ("demo-bibob-coordinator", Role.BIBOB_COORDINATOR),
    ("demo-adviseur-veiligheid", Role.SAFETY_ADVISOR),
    ("demo-burgemeester", Role.MAYOR),
    ("demo-melder-politie", Role.SIGNAL_INTAKE_PARTNER),
    ("demo-privacyfunctionaris", Role.PRIVACY_OFFICER),
    ("demo-functioneel-beheerder", Role.FUNCTIONAL_ADMIN),
)


def create_demo_accounts(target: Connection | Engine) -> list[tuple[str, Role, str]]:
    """One account per role with a fresh random password; returns (name, role, password) to print once.

    Run again, it gives the existing demo accounts new passwords (and enables them), so the printed ones work.
    """
    if isinstance(target, Engine):
        with target.begin() as conn:
            return create_demo_accounts(conn)
    made = []
    for name, role in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(12)
        if not set_password(target, name, password):
            create_user(target, name, role, password)
        target.execute(users.update().where(users.c.name == name).values(role=role.value, disabled_at=None))
        made.append((name, role, password))
    return made
