"""The HTTP conventions every resource shares: who asks, the session a use case runs in, paging, ETags, idempotency."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

import msgspec
from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.exceptions import NotAuthorizedException
from sqlalchemy.engine import Connection

from bibob.exceptions import BibobError, InvalidInputError, Problem
from service.auth import Principal, Role
from service.oidc import OidcError, Provider, looks_like_jwt, principal_from_claims
from service.resources import app_resources, app_resources_in
from service.store import audit, idempotency, limits
from service.store.group_commit import GroupCommit
from service.store.limits import RateLimits
from service.store.tokens import principal_for_token
from service.usecases import Runner, Session

T = TypeVar("T")

MAX_PAGE_SIZE = 500
MAX_PAGE = 1_000_000  # beyond this an offset overflows the database's integers
AUDIT_REASON_LENGTH = audit.MAX_REASON  # characters (not bytes) of X-Audit-Reason; longer is refused
MAX_VERSION = 2**31 - 1  # versions are 32-bit integers in the database


PRINCIPAL_TTL = 5.0  # seconds a looked-up token is trusted in this process: a revocation takes effect within it
PRINCIPAL_CACHE_SIZE = 10_000


MAX_JSON_DEPTH = 32  # arrays and objects within each other; the deepest document we know is 11 levels
JSON_MEDIA_TYPE = "application/json"
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)  # a string's brackets are no nesting
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


class PreconditionRequiredError(BibobError):
    """An update came without If-Match (428): we never overwrite what the client has not seen."""


class UnsupportedMediaTypeError(BibobError):
    """A body that is not `application/json` (415): refused before it is read as JSON."""


async def current_principal(request: Request[Any, Any, Any]) -> Principal:
    """The principal of the bearer token; 401 without one, or with an unknown, revoked or expired one; 429 with
    `Retry-After` once the client's address sent too many unknown tokens (the lockout of `RateLimits`)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    principal = None
    if scheme.lower() == "bearer":
        principal = await _principal(request.app.state, token.strip(), client_address(request))
    if principal is None:
        raise NotAuthorizedException(headers={"WWW-Authenticate": 'Bearer realm="bibob"'})
    request.state.principal = principal  # for the record of a refused access (`service.errors.not_found`)
    return principal


def client_address(request: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The address the request came from, as limits count it (behind a proxy: the proxy's, see the README)."""
    return request.client.host if request.client else ""


async def _principal(state: State, token: str, address: str) -> Principal | None:
    """The token's principal, from a short-lived per-process cache keyed by the token's hash.

    A miss is looked up in the database; a locked address is refused before the lookup (so a guess cannot be
    tested), and a failed lookup counts against the address. An address reaching the limit is audited once.
    """
    cache: dict[str, tuple[float, Principal]] = state.principals
    key, now = hashlib.sha256(token.encode("utf-8")).hexdigest(), time.monotonic()
    hit = cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    rate: RateLimits = state.rate_limits
    at = app_resources_in(state).clock()
    provider: Provider | None = state.oidc
    from_provider = None
    if provider is not None and provider.settings.audience and looks_like_jwt(token):
        await in_transaction(state, lambda conn: limits.check(conn, "tokenAddress", address, rate.sign_in_address, at))
        try:
            claims = await provider.check(token, audience=provider.settings.audience, now=at)
            from_provider = principal_from_claims(provider.settings, claims)
        except OidcError:
            from_provider = None

    def look_up(conn: Connection) -> Principal | None:
        limits.check(conn, "tokenAddress", address, rate.sign_in_address, at)
        found = from_provider or principal_for_token(conn, token, at)
        limit = rate.sign_in_address
        if found is None and limit.count and limits.count(conn, "tokenAddress", address, limit, at) == limit.count:
            audit.append_identity(conn, None, audit.LOCKED_OUT, None, object_type="address", reason="API-tokens")
        return found

    principal = await in_transaction(state, look_up)
    if principal is not None:
        if len(cache) >= PRINCIPAL_CACHE_SIZE:
            cache.clear()
        cache[key] = (now + PRINCIPAL_TTL, principal)
    return principal


def audit_reason(request: Request[Any, Any, Any]) -> str:
    """Why the user reads or changes this dossier (X-Audit-Reason), as sent: UTF-8 without loss.

    At most `AUDIT_REASON_LENGTH` characters; a longer reason, one that is not UTF-8 or one with control characters
    is refused (400 naming `X-Audit-Reason`), never cut or mangled: the log keeps what the user wrote.
    """
    reason, problems = reason_of(request)
    if problems:
        raise InvalidInputError(problems)
    return reason


def reason_of(request: ASGIConnection[Any, Any, Any, Any]) -> tuple[str, list[Problem]]:
    """The X-Audit-Reason header decoded as UTF-8, and why it cannot be kept (empty when it can)."""
    raw = request.headers.get("x-audit-reason", "").encode("latin-1")  # the server gave us the bytes as latin-1
    try:
        reason = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "", [Problem("X-Audit-Reason", "reason.encoding", "de reden (X-Audit-Reason) is geen geldige UTF-8")]
    return reason, audit.reason_problems(reason)


async def read_json_body(request: Request[Any, Any, Any]) -> object:
    """The request body as JSON; malformed or non-UTF-8 bodies become an InvalidInputError.

    Before anything is parsed (and so before anything is written): the media type must be `application/json`
    (415 otherwise) and arrays and objects may nest at most `MAX_JSON_DEPTH` deep (400 naming the limit); the
    size is limited by the app (`request_max_body_size`, 413).
    """
    body = await request.body()
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if (body or media_type) and media_type != JSON_MEDIA_TYPE:
        raise UnsupportedMediaTypeError("verwacht Content-Type: application/json")
    if too_deep(body):
        message = f"De JSON is dieper genest dan {MAX_JSON_DEPTH} niveaus (lijsten en objecten in elkaar)."
        raise InvalidInputError([Problem("", "json.tooDeep", message)])
    try:
        value = msgspec.json.decode(body)  # strict RFC 8259: no NaN or Infinity, numbers in range, valid UTF-8
    except (msgspec.DecodeError, RecursionError):
        raise InvalidInputError([Problem("", "malformedJson", "De body is geen geldige JSON.")]) from None
    if b"\\u0000" in body:  # only then can a string hold NUL (a raw NUL byte is no valid JSON)
        problems = [
            Problem(pointer, "json.nul", "bevat een NUL-teken (\\u0000): dat is geen tekst en kan niet bewaard worden")
            for pointer in nul_pointers(value)
        ]
        if problems:
            raise InvalidInputError(problems)
    return value


def nul_pointers(value: object) -> list[str]:
    """The JSON pointers of the strings (and keys) in `value` that hold NUL: text no database column keeps.

    PostgreSQL refuses NUL in text (a storage error after the checks, 503); SQLite would keep it and hand it to
    letters, exports and the zaaksysteem. Nesting is limited before this runs, so recursion stays shallow.
    """
    found: list[str] = []

    def walk(item: object, pointer: str) -> None:
        if isinstance(item, str):
            if "\x00" in item:
                found.append(pointer)
        elif isinstance(item, list):
            for index, element in enumerate(item):
                walk(element, f"{pointer}/{index}")
        elif isinstance(item, dict):
            for key, element in item.items():
                escaped = str(key).replace("~", "~0").replace("/", "~1")
                if "\x00" in str(key):
                    found.append(f"{pointer}/{escaped}")
                walk(element, f"{pointer}/{escaped}")

    walk(value, "")
    return found


def too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether arrays and objects nest deeper than `limit` in `body`, counted without parsing it (or recursing)."""
    if body.count(b"[") + body.count(b"{") <= limit:  # fewer openings than the limit cannot nest deeper
        return False
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', body)):
        if bracket.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


async def in_transaction(state: State, work: Callable[[Connection], T]) -> T:
    """`work(conn)` in a transaction, grouped with other requests' work (`GroupCommit`); its result once durable.

    `work` runs on the event loop and must not await: fetch from elsewhere before, render after.
    """
    committer: GroupCommit = state.committer
    return await committer.run(work)


async def in_session(request: Request[Any, Any, Any], principal: Principal, work: Callable[[Session], T]) -> T:
    """Run a use case (`work`) in a session of this request: its transaction, principal, audit reason and moment.

    A request that may change something is counted against the write limits first (once per request), and an
    assessment or a signal against its own (the handler's `opt["rateLimit"]`); over a limit the unit is rolled
    back with `RateLimitedError` (429): nothing is written.
    """
    session = _session_of(request, principal)
    guard = _rate_guard(request, principal)

    def unit(conn: Connection) -> T:
        opened = session(conn)
        if guard is not None:
            guard(conn, opened.now)
        return work(opened)

    return await in_transaction(request.app.state, unit)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _rate_guard(
    request: Request[Any, Any, Any], principal: Principal
) -> Callable[[Connection, dt.datetime], None] | None:
    """What this request counts against the limits (None: a read, or a request counted already)."""
    if request.method in SAFE_METHODS or getattr(request.state, "rate_counted", False):
        return None
    request.state.rate_counted = True
    rate: RateLimits = request.app.state.rate_limits
    address, kind = client_address(request), request.route_handler.opt.get("rateLimit")
    hits = [("writeUser", principal.user, rate.write_user), ("writeAddress", address, rate.write_address)]
    if kind == "assessment":
        hits.append(("assessment", principal.user, rate.assessment))
    elif kind == "signalIntake" and principal.role is Role.SIGNAL_INTAKE_PARTNER:
        hits.append(("signalIntake", principal.user, rate.signal_intake))

    def guard(conn: Connection, now: dt.datetime) -> None:
        limits.hit_all(conn, hits, now)  # one statement for all of the request's counters

    return guard


def runner(request: Request[Any, Any, Any], principal: Principal) -> Runner:
    """`in_session` for this request, for a use case that runs work of its own (e.g. before an outside call)."""

    async def run(work: Callable[[Session], T]) -> T:
        return await in_session(request, principal, work)

    return run


def _session_of(request: Request[Any, Any, Any], principal: Principal) -> Callable[[Connection], Session]:
    """The session of this request on a connection; the moment is read from the app's clock once, now."""
    clock = app_resources(request).clock
    required = getattr(request.app.state, "reason_required_from", None)
    return functools.partial(
        Session, principal=principal, reason=audit_reason(request), now=clock(), reason_required_from=required
    )


def page_window(page: int, page_size: int) -> tuple[int, int]:
    """Validate `page` (1 to a million) and `pageSize` (1–500); returns (offset, limit)."""
    problems = []
    if not 1 <= page <= MAX_PAGE:
        problems.append(Problem("page", "outOfRange", f"page ligt tussen 1 en {MAX_PAGE}"))
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        problems.append(Problem("pageSize", "outOfRange", f"pageSize ligt tussen 1 en {MAX_PAGE_SIZE}"))
    if problems:
        raise InvalidInputError(problems)
    return (page - 1) * page_size, page_size


def paginated(
    request: Request[Any, Any, Any], results: Sequence[Any], count: int, page: int, page_size: int
) -> Response[dict[str, Any]]:
    """The list envelope {count, next, previous, results} with a Link header (NL API Design Rules)."""

    def url(number: int) -> str:
        query = {**dict(request.query_params), "page": str(number), "pageSize": str(page_size)}
        return f"{request.url.path}?{urlencode(query)}"

    last = max(1, -(-count // page_size))
    following = url(page + 1) if page < last else None
    preceding = url(page - 1) if page > 1 else None
    links = [f'<{u}>; rel="{rel}"' for u, rel in ((following, "next"), (preceding, "prev")) if u]
    body = {"count": count, "next": following, "previous": preceding, "results": list(results)}
    return Response(body, headers={"Link": ", ".join(links)} if links else {})


def with_etag(response: Response[Any], version: int | None = None) -> Response[Any]:
    """The response with the strong ETag of `version`, by default the version its body names (also on a replay)."""
    if version is None:
        named = response.content.get("version") if isinstance(response.content, dict) else None
        version = named if isinstance(named, int) else None
    if version is not None:
        response.headers["ETag"] = f'"{version}"'
    return response


def created_at(collection: str, response: Response[dict[str, Any]]) -> Response[dict[str, Any]]:
    """A 201 whose body is the created resource (it has a version) also says where it lives (`Location`)."""
    body = response.content
    if response.status_code == 201 and isinstance(body, dict) and "version" in body and isinstance(body.get("id"), str):
        response.headers["Location"] = f"{collection}/{body['id']}"
    return response


def expected_version(request: Request[Any, Any, Any]) -> int:
    """The version the client last saw, from If-Match; 428 without it, 412 when it is no ETag of ours.

    If-Match compares strongly (RFC 9110 13.1.1): a weak ETag (`W/"3"`) never matches, so it is stale (412).
    """
    header = request.headers.get("if-match")
    if header is None:
        raise PreconditionRequiredError("If-Match ontbreekt")
    tag = header.strip()
    if tag.startswith("W/"):
        return 0  # no stored version is 0: refused as stale
    value = tag[1:-1] if len(tag) >= 2 and tag[0] == tag[-1] == '"' else ""  # an ETag is quoted: 1, "1 and 1" are not
    if not (value.isascii() and value.isdigit()):  # "²" is a digit to Python, not to int()
        raise InvalidInputError([Problem("If-Match", "invalidEtag", "If-Match is geen ETag van deze bron")])
    fits = len(value) <= len(str(MAX_VERSION)) and int(value) <= MAX_VERSION  # int() of 5,000 digits raises
    return int(value) if fits else 0  # no stored version is 0: a number beyond them all is stale (412)


async def idempotent(
    request: Request[Any, Any, Any], principal: Principal, produce: Callable[[Session], tuple[int, dict[str, Any]]]
) -> Response[dict[str, Any]]:
    """Run `produce` in a session, once per Idempotency-Key: the same key and body replay the first response."""
    key = request.headers.get("idempotency-key")
    if key is None:
        status, body = await in_session(request, principal, produce)
        return Response(body, status_code=status)
    fingerprint = idempotency.request_hash(request.method, request.url.path, await read_json_body(request))
    scope = request.url.path  # the store keeps a hash of it, with the role: paths can outgrow the column

    def once(session: Session) -> tuple[idempotency.StoredResponse, bool]:
        stored = idempotency.replay(session.conn, principal, scope, key, fingerprint)
        if stored is not None:
            return stored, True
        response = idempotency.StoredResponse(*produce(session))
        idempotency.remember(session.conn, principal, scope, key, fingerprint, response)
        return response, False

    response, replayed = await in_session(request, principal, once)
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return Response(response.body, status_code=response.status, headers=headers)
