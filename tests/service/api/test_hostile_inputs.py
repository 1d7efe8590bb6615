"""Hostile input against every operation of the published API: no server error, a problem+json, nothing half-written.

For every operation of /api/v1/openapi.json that takes a request body or request headers, a battery of hostile
requests is sent with a token of a role the access table (tests/service/api/test_access_matrix.py) allows, on that
role's own dossier of the access-matrix world: deep nesting (33, 500 and 5,000 levels of arrays and objects), a body
just over the size limit, long strings, invalid and overlong UTF-8, UTF-16/UTF-32 and BOMs, NUL and control
characters, lone surrogates in JSON escapes, NaN/Infinity and huge numbers, duplicate keys, wrong or odd
Content-Types, and header injection (CR/LF, NUL, very long and non-ASCII bytes in X-Audit-Reason, Idempotency-Key
and If-Match) and odd If-Match forms. Updates carry the current version as If-Match, so a request that gets past
the input checks reaches the write it names.

For each request: no 5xx; every 4xx is application/problem+json; and no partial write: a digest of the dossier
tables is the same before and after every refused request (a request that is accepted may change them, and the
digest moves on with it). The digest covers every table of `service.store.tables` except the bookkeeping that a
refused request may or must touch: the audit log (a refusal is itself audited), the rate counters (a refused write
still counts), the idempotency keys, the API tokens and the pages' sessions (rotation, revocation, expiry). Of the
outbox to external systems (external_jobs) only which jobs exist is digested: a worker in the background updates a
job's status, attempts and error while the battery runs (the zaaksysteem stand-in answers 503 to everything).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import attrs
import httpx
import pytest
import sqlalchemy as sa
from litestar.testing import TestClient
from litestar.testing.transport import TestClientTransport

from service.app import create_app
from service.auth import Role
from service.store import tables
from service.store.engine import create_engine_for
from service.store.limits import Limit, RateLimits
from service.store.migrate import migrate
from service.store.tokens import create_token
from tests.figures import report
from tests.service.api.test_access_matrix import (  # noqa: F401  (world is a fixture used by name)
    PROBES,
    QUESTIONNAIRE,
    ROLES,
    World,
    _zaaksysteem_down,
    expected_rows,
    world,
    zaaksysteem_settings,
)
from tests.service.conftest import Client
from tests.service.store.conftest import POSTGRES_ENV, _postgres_schema, postgres_unavailable

API = "/api/v1"
MAX_BODY = 262_144
SECRET = "Token hostile-notificatiegeheim"
#: Bookkeeping a refused request may touch; every other table is a dossier table and is digested.
NOT_DIGESTED = frozenset({"audit_log", "rate_counters", "idempotency_keys", "api_tokens", "web_sessions"})
#: The table holding the version an operation's If-Match is compared with, by the first id in its path.
VERSIONED = {
    "application_id": "applications",
    "signal_id": "signals",
    "case_id": "cases",
    "consultation_id": "consultations",
}
#: Tables of which only these columns are digested (the rest is a background worker's progress, see above).
DIGESTED_COLUMNS = {"external_jobs": ("kind", "object_id")}
MARK = "HOSTILE-MARK-7f3"  # stands for every string of a body; replaced by the hostile bytes after encoding


class RawHeaderTransport(TestClientTransport):  # type: ignore[type-arg]
    """Litestar's test transport, but the header bytes go to the app as sent.

    The stock one passes each value through httpx's text decoding and re-encodes it as UTF-8, so the Latin-1 and
    invalid UTF-8 bytes of the battery would arrive as other (valid) bytes. A server hands an app what is on the
    wire, and so does this.
    """

    def parse_request(self, request: httpx.Request) -> dict[str, Any]:
        scope: dict[str, Any] = super().parse_request(request)
        host = scope["headers"][0]  # the one the stock transport builds; request.headers no longer holds it
        scope["headers"] = [host, *((name.lower(), value) for name, value in request.headers.raw)]
        return scope


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """PostgreSQL (a new schema) when `BIBOB_TEST_POSTGRES_URL` names one, else SQLite.

    PostgreSQL is the stricter store: it refuses text SQLite keeps (NUL), so the battery finds more there.
    """
    folder = tmp_path_factory.mktemp("hostile")
    if postgres_unavailable() is not None:
        url = f"sqlite:///{folder / 'bibob.sqlite3'}"
        migrate(url)
        yield url
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BIBOB_KEY_FILE", str(folder / "bibob-keys.json"))
        for url in _postgres_schema(os.environ[POSTGRES_ENV]):
            migrate(url)
            yield url


@pytest.fixture(scope="module")
def client(database_url: str) -> Iterator[Client]:
    """The access matrix's app, with write limits beyond what the battery sends within a minute."""
    roomy = Limit(1_000_000, RateLimits().write_user.window)
    limits = RateLimits(write_user=roomy, write_address=roomy, assessment=roomy, signal_intake=roomy)
    settings = zaaksysteem_settings(
        database_url,
        secret="hostile-test-secret",
        notification_secret=SECRET,
        max_body_bytes=MAX_BODY,
        rate_limits=limits,
    )
    app = create_app(settings, transport=httpx.MockTransport(_zaaksysteem_down))
    with TestClient(app) as test_client:
        # a failure that escapes the app answers 500 (counted) instead of stopping the battery
        test_client._transport = RawHeaderTransport(client=test_client, raise_server_exceptions=False)
        yield test_client


# --- the battery -------------------------------------------------------------------------------------------------


@attrs.frozen
class Hostile:
    name: str
    body: bytes | None  # None: the operation's ordinary body
    headers: dict[str, str | bytes] = attrs.field(factory=dict)  # replace the ordinary ones (Content-Type too)


def _strings_as(value: Any, replacement: Any) -> Any:
    """`value` with every string (and, for a dict without any, one extra field) set to `replacement`."""
    if isinstance(value, str):
        return replacement
    if isinstance(value, list):
        return [_strings_as(item, replacement) for item in value]
    if isinstance(value, dict):
        return {key: _strings_as(item, replacement) for key, item in value.items()}
    return value


def _marked(base: Any) -> bytes:
    """The body with its strings replaced by MARK (plus a field `x` holding MARK), encoded as JSON."""
    marked = _strings_as(base, MARK)
    if isinstance(marked, dict):
        marked = {**marked, "x": MARK}
    return json.dumps(marked).encode()


def _raw_in_strings(base: Any, raw: bytes) -> bytes:
    return _marked(base).replace(MARK.encode(), raw)


def _raw_as_values(base: Any, raw: bytes) -> bytes:
    return _marked(base).replace(f'"{MARK}"'.encode(), raw)


def _with_field(base: Any, raw: str) -> bytes:
    """The body with a field `deep` holding `raw` (written out: json.dumps itself would recurse)."""
    rest = json.dumps(base)[1:-1] if isinstance(base, dict) and base else ""
    return ("{" + rest + (", " if rest else "") + '"deep": ' + raw + "}").encode()


def body_battery(base: Any) -> list[Hostile]:
    encoded = json.dumps(base).encode()
    battery = []
    for levels in (33, 500, 5000):
        battery += [
            Hostile(f"arrays nested {levels} deep in a field", _with_field(base, "[" * levels + "]" * levels)),
            Hostile(f"objects nested {levels} deep", ('{"a": ' * levels + "1" + "}" * levels).encode()),
            Hostile(f"a body of arrays {levels} deep", ("[" * levels + "]" * levels).encode()),
        ]
    pad = MAX_BODY + 1 - len(_with_field(base, '""'))
    battery += [
        Hostile("a body one byte over the limit", _with_field(base, '"' + "x" * pad + '"')),
        Hostile("a body far over the limit", b"[" + b"0," * MAX_BODY + b"0]"),
        Hostile("long strings", json.dumps(_strings_as(base, "x" * 100_000)).encode()),
        Hostile("a long key", _with_field({"k" * 100_000: 1}, "1")),
        Hostile("many keys", ("{" + ",".join(f'"k{i}": {i}' for i in range(20_000)) + "}").encode()),
        Hostile("invalid UTF-8 (lone 0xff 0xfe)", _raw_in_strings(base, b"\xff\xfe")),
        Hostile("invalid UTF-8 (bad continuation)", _raw_in_strings(base, b"\xc3\x28")),
        Hostile("invalid UTF-8 (truncated)", _raw_in_strings(base, b"\xe2\x82")),
        Hostile("overlong UTF-8 slash", _raw_in_strings(base, b"\xc0\xaf")),
        Hostile("overlong UTF-8 three bytes", _raw_in_strings(base, b"\xe0\x80\xaf")),
        Hostile("overlong UTF-8 NUL", _raw_in_strings(base, b"\xc0\x80")),
        Hostile("UTF-16 with BOM", json.dumps(base).encode("utf-16")),
        Hostile("UTF-32 with BOM", json.dumps(base).encode("utf-32")),
        Hostile("UTF-8 with BOM", b"\xef\xbb\xbf" + encoded),
        Hostile("NUL in strings", json.dumps(_strings_as(base, "a\u0000b")).encode()),
        Hostile("control characters in strings", json.dumps(_strings_as(base, "\x01\x08\x1b[31m\x7f\u202e")).encode()),
        Hostile("raw NUL and newline inside strings", _raw_in_strings(base, b"a\x00b\nc")),
        Hostile("a lone high surrogate", _raw_in_strings(base, b"\\ud800")),
        Hostile("a lone low surrogate", _raw_in_strings(base, b"\\udfff")),
        Hostile("a high surrogate before a letter", _raw_in_strings(base, b"\\ud800\\u0041")),
        Hostile("NaN as values", _raw_as_values(base, b"NaN")),
        Hostile("Infinity as values", _raw_as_values(base, b"-Infinity")),
        Hostile("1e999 as values", _raw_as_values(base, b"1e999")),
        Hostile("a 5,000-digit number as values", _raw_as_values(base, b"9" * 5000)),
        Hostile("duplicate keys", _marked(base)[:-1] + b', "x": {"x": null}, "x": [1]}'),
        Hostile("an empty body", b""),
        Hostile("null", b"null"),
        Hostile("a bare string", b'"x"'),
        Hostile("trailing garbage", encoded + b"garbage"),
        Hostile("text/plain", encoded, {"Content-Type": "text/plain"}),
        Hostile(
            "multipart",
            b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--\r\n",
            {"Content-Type": "multipart/form-data; boundary=x"},
        ),
        Hostile("a form", b"a=1&b=2", {"Content-Type": "application/x-www-form-urlencoded"}),
        Hostile("no Content-Type", encoded, {"Content-Type": ""}),
        Hostile(
            "JSON with charset latin-1",
            '{"x": "\xe9"}'.encode("latin-1"),
            {"Content-Type": "application/json; charset=iso-8859-1"},
        ),
        Hostile("JSON labelled UTF-16, sent as UTF-8", encoded, {"Content-Type": "application/json; charset=utf-16"}),
        Hostile("an odd charset", encoded, {"Content-Type": 'application/json; charset="x\u00e9"'.encode()}),
        Hostile("a malformed media type", encoded, {"Content-Type": "application/json;;;=;"}),
        Hostile("two media types", encoded, {"Content-Type": "application/json, text/plain"}),
        Hostile("JSON Patch", encoded, {"Content-Type": "application/json-patch+json"}),
    ]
    return battery


def header_battery(declared: set[str]) -> list[Hostile]:
    """Header injection in every declared request header, and odd If-Match forms where If-Match is declared."""
    values: list[tuple[str, str | bytes]] = [
        ("CR/LF", b"reden\r\nX-Injected: 1"),
        ("LF", b"reden\nX-Injected: 1"),
        ("NUL", b"re\x00den"),
        ("a 16 KB value", "r" * 16_384),
        ("Latin-1 bytes", "r\u00e9d\u00e9n".encode("latin-1")),
        ("UTF-8 bytes", "r\u00e9d\u00e9n \U0001f600".encode()),
        ("invalid UTF-8 bytes", b"\xff\xfe\xc0\xaf"),
        ("an empty value", ""),
    ]
    battery = [
        Hostile(f"{header}: {what}", None, {header: value}) for header in sorted(declared) for what, value in values
    ]
    if "If-Match" in declared:
        battery += [
            Hostile(f"If-Match: {form[:30]!r}", None, {"If-Match": form})
            for form in (
                'W/"{v}"',
                "*",
                '"{v}", "{v}"',
                "{v}",
                '""',
                '"-1"',
                '"+{v}"',
                '" {v}"',
                '"{v}_0"',
                '"0x{v}"',
                '"{v}.0"',
                '"99999999999999999999999999"',
                '"' + "9" * 5000 + '"',
                '"{v}',
                '{v}"',
            )
        ] + [Hostile("If-Match: fullwidth digits", None, {"If-Match": '"\uff11"'.encode()})]
    return battery


# --- running it --------------------------------------------------------------------------------------------------


def _digest(engine: sa.Engine) -> str:
    """A hash over every row of every dossier table (read as the driver gives it: no JSON or date decoding)."""
    hashed = hashlib.sha256()
    with engine.connect() as conn:
        for table in tables.metadata.sorted_tables:
            if table.name in NOT_DIGESTED:
                continue
            columns = ", ".join(f'"{name}"' for name in DIGESTED_COLUMNS.get(table.name, ())) or "*"
            rows = sorted(repr(tuple(row)) for row in conn.exec_driver_sql(f'SELECT {columns} FROM "{table.name}"'))
            hashed.update(f"{table.name}:{len(rows)}:".encode() + "\n".join(rows).encode())
    return hashed.hexdigest()


def _role_for(method: str, path: str) -> str:
    """The first role the access table lets reach its own object through the operation."""
    (row,) = [row for row in expected_rows() if row.operation == f"{method} {API}{path}"]
    return next(role for role in ROLES if row.cells[role] in ("+", "o", "of"))


def _filled(path: str, role: str, dossiers: World) -> str:
    for name, resource in (("application_id", "application"), ("signal_id", "signal"), ("case_id", "case"),
                           ("consultation_id", "consultation")):  # fmt: skip
        if "{" + name + "}" in path:
            target = dossiers.object_id(resource, role, "own")
            path = path.replace("{" + name + "}", target)
            path = path.replace("{evidence_id}", dossiers.evidence.get(target, "unknown"))
            path = path.replace("{letter_id}", dossiers.letters.get(target, "unknown"))
    return (
        path.replace("{questionnaire_id}", QUESTIONNAIRE)
        .replace("{mapping_id}", "horeca-leusden")
        .replace("{file_format}", "pdf")
    )


def _version(engine: sa.Engine, path: str, filled: str) -> int:
    name = next(name for name in VERSIONED if "{" + name + "}" in path)
    table = tables.metadata.tables[VERSIONED[name]]
    position = path.split("/").index("{" + name + "}")
    with engine.connect() as conn:
        return int(
            conn.execute(sa.select(table.c.version).where(table.c.id == filled.split("/")[position])).scalar_one()
        )


def test_no_hostile_input_gives_a_server_error_or_a_partial_write(
    client: Client,
    tokens: dict[str, str],
    world: World,  # noqa: F811  (the access matrix's fixture, imported above)
    database_url: str,
) -> None:
    document = client.get(f"{API}/openapi.json").json()
    engine = create_engine_for(database_url)
    operations, sent, server_errors, partial_writes, not_problems = 0, 0, [], [], []
    outcomes: dict[str, Counter[int]] = {}  # per kind of hostile input: how often each status answered it
    try:
        before = _digest(engine)
        for path, item in document["paths"].items():
            for method, operation in item.items():
                if not isinstance(operation, dict):
                    continue
                declared = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "header"}
                has_body = "requestBody" in operation
                if not (has_body or declared):
                    continue
                operations += 1
                method = method.upper()
                role = "" if path == "/zgw-notifications" else _role_for(method, path)
                url = API + _filled(path, role, world)
                probe = PROBES.get(f"{method} {API}{path}")
                base = probe.body if probe is not None and probe.body is not None else {}
                battery = (body_battery(base) if has_body else []) + header_battery(declared)
                for hostile in battery:
                    if path == "/zgw-notifications":
                        token_header: dict[str, str | bytes] = {"Authorization": SECRET}
                    elif path == "/me/token/_rotate":  # rotation revokes the token that asks: one of its own
                        with engine.begin() as conn:
                            token_header = {"Authorization": f"Bearer {create_token(conn, f'{role}-1', Role(role))}"}
                    else:
                        token_header = {"Authorization": f"Bearer {tokens[role]}"}
                    headers: dict[str, str | bytes] = {**token_header, "X-Audit-Reason": "vijandige invoer"}
                    if has_body:
                        headers["Content-Type"] = "application/json"
                    if "If-Match" in declared:
                        headers["If-Match"] = f'"{_version(engine, path, url[len(API) :])}"'
                    version = str(headers.get("If-Match", '"1"')).strip('"')
                    for name, value in hostile.headers.items():
                        if isinstance(value, str) and "{v}" in value:
                            value = value.replace("{v}", version)
                        if value == "" and name == "Content-Type":
                            headers.pop(name, None)
                        else:
                            headers[name] = value
                    content = (
                        hostile.body if hostile.body is not None else (json.dumps(base).encode() if has_body else None)
                    )
                    response = client.request(method, url, headers=headers, content=content)
                    sent += 1
                    outcomes.setdefault(hostile.name, Counter())[response.status_code] += 1
                    what = f"{method} {path} [{hostile.name}]: {response.status_code}"
                    after = _digest(engine)
                    if response.status_code >= 500:
                        server_errors.append(f"{what} {response.text[:200]}")
                    if response.status_code >= 400:
                        if after != before:
                            partial_writes.append(what)
                        if not response.headers.get("content-type", "").startswith("application/problem+json"):
                            not_problems.append(f"{what} {response.headers.get('content-type')}")
                    before = after
    finally:
        engine.dispose()
    print("\n".join(f"{name:45} {dict(sorted(counted.items()))}" for name, counted in outcomes.items()))
    report(
        "hostile inputs",
        f"{operations} operations, {sent} requests, {len(server_errors)} server errors, "
        f"{len(partial_writes)} partial writes",
    )
    assert not server_errors, "server errors:\n" + "\n".join(server_errors)
    assert not partial_writes, "refused requests that changed the dossier tables:\n" + "\n".join(partial_writes)
    assert not not_problems, "4xx answers without problem+json:\n" + "\n".join(not_problems)
