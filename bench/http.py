"""Requests/s and p50/p99 latency of the service next to bare Litestar endpoints, measured in one run (issues 5, 19).

Run:     .venv/bin/python -P bench/http.py   (-P: this file must not hide the standard library's `http`)
         [--postgres postgresql+psycopg://postgres@127.0.0.1/benchhttp]   (a database of its own: it is emptied)
         About six minutes with the defaults (--duration 10, --rounds 3, --connections 50, --rate-duration 10),
         four more with --postgres.
Load:    closed loop: wrk, pinned to CPU 1 (`taskset -c 1 wrk -t1 --latency`). Install it with `apt-get install -y
         wrk` (Debian/Ubuntu) or `brew install wrk`. Without wrk this script uses its own small asyncio load
         generator; it saturates sooner than wrk, so read its requests/s as a floor. `--generator asyncio` forces it.
         Open loop (constant rate): this script's asyncio generator (wrk cannot pace, and wrk2 is not packaged):
         request i is due at start + i/rate and is handed to the next free connection (64 by default); latency runs
         from the scheduled time, so time spent waiting for a connection counts (no coordinated omission). Its own
         delay is printed as `lag p99` (it also grows when every connection waits on a stalled server). Measured on
         this two-core machine while other work loaded it: bare hello asked 741/s, reached 740/s, lag p99 9.9 ms;
         its ceiling was not measured beyond that. `--rate-connections` sets the pool (default 64).
Servers: the service as an operator runs it (`bibob serve --workers 1`, pinned to CPU 0 with `taskset -c 0` when
         taskset exists and there are two or more CPUs) on a fresh SQLite file (WAL, synchronous=FULL) with the
         demo municipality loaded; the bare app (uvicorn, one worker, same CPU) beside it.

Endpoints: the permit officer's worklist page (GET /aanvragen: 50 applications with applicant, deadline and
mark, rendered as HTML for a signed-in session), read an application (GET), submit answers (PUT with If-Match; each
connection owns one application and re-reads the ETag from every response, so this one always runs on the asyncio
generator), register a signal (POST); and a bare Litestar "hello" (GET) and a bare Litestar endpoint that decodes
the same signal body into msgspec Structs and inserts one row into SQLite (same pragmas).
Targets, each printed next to its figure:
- closed loop, ratios in the same run at 50 connections: reading >= 0.5x bare hello; the worklist page >= 0.3x bare
  hello; registering a signal >= 0.5x bare decode+insert;
- constant rate: at half of each endpoint's own closed-loop maximum every p99 <= 50 ms; at 200 req/s every p99 <= 20
  ms;
- with --postgres: one PostgreSQL worker >= 0.7x one SQLite worker, two worker processes >= 1.6x one (read, signal,
  answers; the median of the three ratios), and the event loop waits on the database <= 5 % of the time (a probe
  loaded into the service's processes as `sitecustomize` times every database call SQLAlchemy's dialect makes and
  adds up those made on the thread that runs the event loop).
Both servers run side by side and every round measures every endpoint once, so the ratios compare runs minutes
apart at most; the report gives medians over the rounds (this machine moves by 20-30 % between runs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import msgspec

ROOT = Path(__file__).resolve().parents[1]
QUESTIONNAIRE = {"id": "bibob-overige-beschikkingen", "version": "1.0.0"}
SIGNAL_BODY: dict[str, Any] = {
    "source": "police",
    "channel": "email",
    "text": "Bij een controle van het eetcafé is € 40.000 contant aangetroffen; de bestuurder is eerder veroordeeld.",
    "theme": "hospitality",
    "subjects": {
        "persons": [{"surname": "Backer", "firstNames": "P.J.", "dateOfBirth": "1975-09-02"}],
        "organisations": [{"name": "Eetcafé Het Hoekje"}],
        "addresses": [{"street": "Hamersveldseweg", "houseNumber": 12, "postcode": "3833GP", "city": "Leusden"}],
        "vehicles": [{"licencePlate": "12-ABC-3", "description": "donkere bestelbus"}],
    },
    "reporter": {"name": "wijkagent (synthetisch)", "email": "wijkagent@politie.example"},
}


@dataclass
class Result:
    name: str
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    errors: int = 0
    generator: str = ""


@dataclass
class Target:
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


# --- the bare Litestar app (served by this script itself: `bench/http.py --serve-bare PORT DB`) ------------------
# The signal body as msgspec Structs (module level, so Litestar resolves the annotations).


class Person(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    surname: str
    first_names: str = ""
    prefix: str = ""
    date_of_birth: str | None = None
    bsn: str = ""


class Address(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    street: str = ""
    house_number: int | None = None
    house_number_addition: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "NL"


class Organisation(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: str
    kvk_number: str = ""
    address: Address | None = None


class Vehicle(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    licence_plate: str = ""
    description: str = ""


class Subjects(msgspec.Struct, forbid_unknown_fields=True):
    persons: list[Person] = []  # msgspec copies mutable defaults
    organisations: list[Organisation] = []
    addresses: list[Address] = []
    vehicles: list[Vehicle] = []


class Reporter(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    phone: str = ""
    email: str = ""


class SignalBody(msgspec.Struct, forbid_unknown_fields=True):
    source: str
    channel: str
    text: str
    theme: str = "other"
    received: str | None = None
    subjects: Subjects = msgspec.field(default_factory=Subjects)
    reporter: Reporter | None = None


def bare_app(database: Path) -> Any:
    """GET /hello and POST /signals (decode the signal body into msgspec Structs, insert one row into SQLite)."""
    import sqlite3

    from litestar import Litestar, get, post

    connection = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000"):
        connection.execute(f"PRAGMA {pragma}")
    connection.execute("CREATE TABLE IF NOT EXISTS signals (id TEXT PRIMARY KEY, source TEXT, document TEXT)")

    @get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    @post("/signals", status_code=201)
    async def register(data: SignalBody) -> dict[str, str]:
        identifier = str(uuid.uuid4())
        document = msgspec.json.encode(data).decode()
        connection.execute("INSERT INTO signals VALUES (?, ?, ?)", (identifier, data.source, document))
        return {"id": identifier}

    return Litestar(route_handlers=[hello, register], debug=False)


def serve_bare(port: int, database: Path) -> None:
    import uvicorn

    uvicorn.run(bare_app(database), host="127.0.0.1", port=port, log_level="warning", access_log=False)


# --- servers ----------------------------------------------------------------------------------------------------


def pinned(cpu: int) -> list[str]:
    """`taskset -c CPU` when it exists and the machine has a second CPU for the load generator."""
    return ["taskset", "-c", str(cpu)] if shutil.which("taskset") and (os.cpu_count() or 1) >= 2 else []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running(command: list[str], port: int, env: dict[str, str], probe: str) -> Iterator[str]:
    """Start a server process, wait until `probe` answers, yield its base URL, stop it."""
    import httpx

    log = Path(tempfile.mkstemp(prefix="bibob-bench-server-", suffix=".log")[1])
    with log.open("wb") as sink:  # a file, not a pipe: a server that logs must never block on a full pipe
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=sink)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server stopped: {log.read_text('utf-8', 'replace')[-2000:]}")
            try:
                if httpx.get(base + probe, timeout=1).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not start within 180 s: {log.read_text('utf-8', 'replace')[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.unlink(missing_ok=True)


# --- load generators --------------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def wrk_run(target: Target, duration: float, connections: int, scratch: Path) -> Result:
    """One wrk run (one thread, pinned to CPU 1); figures parsed from `--latency` output."""
    script = scratch / f"{uuid.uuid4().hex}.lua"
    lines = [f'wrk.method = "{target.method}"']
    lines += [f'wrk.headers["{name}"] = "{value}"' for name, value in target.headers.items()]
    if target.body is not None:
        lines.append(f"wrk.body = [==[{target.body.decode()}]==]")
    script.write_text("\n".join(lines) + "\n", "utf-8")
    command = [*pinned(1), "wrk", "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency"]
    command.append("--timeout=60s")  # a slow answer counts in the latency instead of vanishing as a socket error
    output = subprocess.run([*command, "-s", str(script), target.url], capture_output=True, text=True).stdout
    result = Result("", generator="wrk")
    result.rps = float(_match(r"Requests/sec:\s+([\d.]+)", output) or 0)
    result.requests = int(_match(r"(\d+) requests in", output) or 0)
    result.errors = int(_match(r"Non-2xx or 3xx responses: (\d+)", output) or 0)
    result.errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    result.p50_ms, result.p99_ms = _wrk_latency(output, "50%"), _wrk_latency(output, "99%")
    return result


def _match(pattern: str, text: str) -> str | None:
    found = re.search(pattern, text)
    return found.group(1) if found else None


def _wrk_latency(output: str, percentile: str) -> float:
    found = re.search(rf"^\s+{percentile}\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    return float(found.group(1)) * UNITS[found.group(2)] if found else 0.0


class Connection:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams: cheaper per request than httpx, so the load
    generator saturates later (every response here carries a Content-Length)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str) -> None:
        self.reader, self.writer, self.host = reader, writer, host

    @classmethod
    async def open(cls, url: str) -> Connection:
        parts = urlsplit(url)
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        return cls(reader, writer, parts.netloc)

    async def request(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[int, dict[str, str]]:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}", *(f"{k}: {v}" for k, v in headers.items())]
        lines.append(f"Content-Length: {len(body or b'')}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b""))
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        received = {name.strip().lower(): value.strip() for name, _, value in (h.partition(":") for h in head[1:] if h)}
        await self.reader.readexactly(int(received.get("content-length", "0")))
        return status, received

    def close(self) -> None:
        self.writer.close()


async def _asyncio_run(targets: list[Target], duration: float, etags: bool) -> Result:
    """`len(targets)` workers, each on its own connection and target; with `etags`, If-Match follows each ETag."""
    latencies: list[float] = []
    errors = 0

    async def worker(target: Target) -> None:
        nonlocal errors
        connection = await Connection.open(target.url)
        headers = dict(target.headers)

        async def current_etag() -> str:  # the resource is the target's URL without its last segment
            resource = target.url.rsplit("/", 1)[0]
            return (await connection.request("GET", resource, target.headers, None))[1].get("etag", "")

        headers |= {"If-Match": await current_etag()} if etags else {}
        end = time.perf_counter() + duration
        while (start := time.perf_counter()) < end:
            status, received = await connection.request(target.method, target.url, headers, target.body)
            latencies.append(time.perf_counter() - start)
            errors += status >= 400
            if etags:
                headers["If-Match"] = received["etag"] if "etag" in received else await current_etag()
        connection.close()

    begun = time.perf_counter()
    await asyncio.gather(*(worker(target) for target in targets))
    elapsed = time.perf_counter() - begun
    ordered = sorted(latencies)
    result = Result("", generator="asyncio", requests=len(ordered), errors=errors)
    if ordered:
        result.rps = len(ordered) / elapsed
        result.p50_ms = statistics.median(ordered) * 1000
        result.p99_ms = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    return result


def asyncio_run(targets: list[Target], duration: float, etags: bool = False) -> Result:
    return asyncio.run(_asyncio_run(targets, duration, etags))


# --- the open-loop (constant-rate) generator ------------------------------------------------------------------


@dataclass
class Paced:
    """One constant-rate run: the rate asked for and reached, latency from each request's scheduled send time."""

    name: str
    rate: float
    achieved: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    lag_p99_ms: float = 0.0  # scheduled send → actual write: the generator's own delay (or all connections busy)
    requests: int = 0
    errors: int = 0


async def _paced_run(targets: list[Target], rate: float, duration: float, etags: bool) -> Paced:
    """Send `rate` requests per second for `duration` seconds on a fixed schedule, whatever the replies do.

    Request i is due at start + i/rate. A dispatcher hands every due request to the next free connection (one
    worker per connection, `len(targets)` of them); when all are busy the request waits in the queue, and that wait
    counts: latency runs from the scheduled time to the end of the response, so a slow reply cannot hide the
    requests that should have been sent meanwhile (no coordinated omission, as wrk2 measures).
    """
    queue: asyncio.Queue[float | None] = asyncio.Queue()
    latencies: list[float] = []
    lags: list[float] = []
    errors = 0

    async def worker(target: Target) -> None:
        nonlocal errors
        connection = await Connection.open(target.url)
        headers = dict(target.headers)
        resource = target.url.rsplit("/", 1)[0]
        if etags:
            headers["If-Match"] = (await connection.request("GET", resource, target.headers, None))[1].get("etag", "")
        while (scheduled := await queue.get()) is not None:
            lags.append(time.perf_counter() - scheduled)
            status, received = await connection.request(target.method, target.url, headers, target.body)
            latencies.append(time.perf_counter() - scheduled)
            errors += status >= 400
            if etags:
                etag = received.get("etag") or (await connection.request("GET", resource, target.headers, None))[1].get(
                    "etag", ""
                )
                headers["If-Match"] = etag
        connection.close()

    workers = [asyncio.create_task(worker(target)) for target in targets]
    await asyncio.sleep(0.2)  # the connections are open (and the ETags read) before the clock starts
    total = max(1, round(rate * duration))
    start = time.perf_counter()
    sent = 0
    while sent < total:
        now = time.perf_counter()
        due = start + sent / rate
        if due > now:
            await asyncio.sleep(due - now)
            continue
        while sent < total and start + sent / rate <= now:  # everything due by now, even after a late wake-up
            queue.put_nowait(start + sent / rate)
            sent += 1
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    elapsed = time.perf_counter() - start
    result = Paced("", rate, requests=len(latencies), errors=errors)
    if latencies:
        ordered, lagged = sorted(latencies), sorted(lags)
        result.achieved = len(ordered) / elapsed
        result.p50_ms = statistics.median(ordered) * 1000
        result.p99_ms = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
        result.max_ms = ordered[-1] * 1000
        result.lag_p99_ms = lagged[min(len(lagged) - 1, int(len(lagged) * 0.99))] * 1000
    return result


def paced_run(targets: list[Target], rate: float, duration: float, etags: bool = False) -> Paced:
    return asyncio.run(_paced_run(targets, rate, duration, etags))


class Load:
    """The chosen generator, with a short warm-up before every measured run."""

    def __init__(self, generator: str, duration: float, connections: int, warmup: float, scratch: Path) -> None:
        self.generator, self.duration, self.connections = generator, duration, connections
        self.warmup, self.scratch = warmup, scratch

    def measure(self, endpoint: Endpoint) -> Result:
        """Closed loop: `connections` connections, each sending its next request when the last one is answered."""
        if endpoint.etags:  # the ETag follows every response: only the asyncio generator can do that
            asyncio_run(endpoint.targets, self.warmup, etags=True)
            result = asyncio_run(endpoint.targets, self.duration, etags=True)
        elif self.generator == "wrk":
            wrk_run(endpoint.targets[0], self.warmup, self.connections, self.scratch)
            result = wrk_run(endpoint.targets[0], self.duration, self.connections, self.scratch)
        else:
            asyncio_run([endpoint.targets[0]] * self.connections, self.warmup)
            result = asyncio_run([endpoint.targets[0]] * self.connections, self.duration)
        result.name = endpoint.name
        return result

    def pace(self, endpoint: Endpoint, rate: float, duration: float, pool: int) -> Paced:
        """Open loop at `rate` requests/s over up to `pool` connections (the updates: one per application)."""
        targets = endpoint.targets if endpoint.etags else [endpoint.targets[0]] * pool
        result = paced_run(targets, rate, duration, etags=endpoint.etags)
        result.name = endpoint.name
        return result


def probe(target: Target) -> tuple[int, str]:
    """The status of one request, and the start of its body (to say why, when it failed)."""
    import httpx

    answer = httpx.request(target.method, target.url, headers=target.headers, content=target.body, timeout=30)
    return answer.status_code, answer.text[:600]


# --- the service: database, demo, bench applications --------------------------------------------------------


@dataclass
class Prepared:
    url: str
    officer: str
    partner: str
    read_id: str
    update_ids: list[str]
    answers: bytes
    session_cookie: str


def prepare_service(url: str, connections: int) -> Prepared:
    """Migrate an empty database, load the demo (tokens), and one application per connection for the updates."""
    import datetime as dt

    from bibob.applications.model import Application
    from bibob.legal import LegalAct, PermitType
    from service.demo import OFFICER, load_demo
    from service.store import accounts
    from service.store.applications import create_application
    from service.store.engine import create_engine_for
    from service.store.migrate import migrate

    migrate(url)
    engine = create_engine_for(url)
    tokens = {user.user: token for user, token in load_demo(engine).tokens}
    answers = json.loads((ROOT / "tests" / "data" / "answers" / "valid-eenmanszaak-horeca.json").read_text("utf-8"))
    update_ids = [f"BENCH-{number:03d}" for number in range(connections)]
    with engine.begin() as conn:
        for identifier in update_ids:
            application = Application(
                identifier, PermitType.EXPLOITATIE_HORECA, LegalAct.VERGUNNING, dt.date(2026, 10, 1)
            )
            create_application(conn, OFFICER, application, answers={"questionnaire": QUESTIONNAIRE})
        accounts.create_user(conn, OFFICER.user, OFFICER.role, "bench-wachtwoord-lang-genoeg")
        cookie, _ = accounts.create_session(conn, OFFICER)  # the pages' session: the officer's worklist
    engine.dispose()
    partner = next(token for user, token in tokens.items() if user == "demo-melder-politie")
    return Prepared(
        url, tokens[OFFICER.user], partner, "LEU-2026-D05", update_ids, json.dumps(answers).encode(), cookie
    )


def empty_postgres(url: str) -> None:
    """Drop everything in the database's public schema: the bench starts from an empty database every run."""
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


@dataclass
class Endpoint:
    name: str
    targets: list[Target]  # one, or (the updates, `etags`) one per connection, each with its own application
    probe: Target
    etags: bool = False


def service_endpoints(prepared: Prepared, base: str) -> list[Endpoint]:
    api, json_headers = base + "/api/v1", {"Content-Type": "application/json"}
    officer = {"Authorization": f"Bearer {prepared.officer}"}
    partner = {"Authorization": f"Bearer {prepared.partner}"} | json_headers
    read = Target("GET", f"{api}/applications/{prepared.read_id}", officer)
    worklist = Target("GET", f"{base}/aanvragen", {"Cookie": f"bibob_sessie={prepared.session_cookie}"})
    signal = Target("POST", f"{api}/signals", partner, json.dumps(SIGNAL_BODY).encode())
    updates = [
        Target("PUT", f"{api}/applications/{identifier}/answers", officer | json_headers, prepared.answers)
        for identifier in prepared.update_ids
    ]
    return [
        Endpoint(WORKLIST, [worklist], worklist),
        Endpoint(READ, [read], read),
        Endpoint(SIGNAL, [signal], signal),
        Endpoint(ANSWERS, updates, Target("GET", read.url, officer), etags=True),
    ]


def bare_endpoints(base: str) -> list[Endpoint]:
    hello = Target("GET", base + "/hello")
    insert = Target("POST", base + "/signals", {"Content-Type": "application/json"}, json.dumps(SIGNAL_BODY).encode())
    return [Endpoint(HELLO, [hello], hello), Endpoint(INSERT, [insert], insert)]


WORKLIST, READ, SIGNAL, ANSWERS = (
    "service: worklist page, 50 applications (GET)",
    "service: read an application (GET)",
    "service: register a signal (POST)",
    "service: submit answers (PUT, If-Match)",
)
HELLO, INSERT = "bare Litestar: hello (GET)", "bare Litestar: decode signal + insert (POST)"
RATIOS = ((READ, HELLO, 0.5), (WORKLIST, HELLO, 0.3), (SIGNAL, INSERT, 0.5))
HALF_MAX_P99_MS, FIXED_RATE, FIXED_RATE_P99_MS = 50.0, 200.0, 20.0  # issue 19: latency under a constant rate
PG_VS_SQLITE, TWO_VS_ONE, LOOP_WAIT = 0.7, 1.6, 0.05  # issue 19: PostgreSQL, worker processes, the loop's wait


def check_probes(endpoints: list[Endpoint]) -> None:
    for endpoint in endpoints:
        status, body = probe(endpoint.probe)
        if status >= 400:
            raise SystemExit(f"{endpoint.name}: the probe answered HTTP {status}; nothing measured:\n{body}")


def measure(load: Load, endpoints: list[Endpoint], rounds: int) -> dict[str, list[Result]]:
    """Every endpoint once per round, the rounds one after another, so that drift on a noisy machine hits all."""
    check_probes(endpoints)
    results: dict[str, list[Result]] = {endpoint.name: [] for endpoint in endpoints}
    for number in range(rounds):
        for endpoint in endpoints:
            results[endpoint.name].append(load.measure(endpoint))
            print(
                f"  round {number + 1}/{rounds}: {endpoint.name}: {results[endpoint.name][-1].rps:.0f} req/s",
                flush=True,
            )
    return results


def pace_all(
    load: Load, endpoints: list[Endpoint], results: dict[str, list[Result]], duration: float, pool: int
) -> list[tuple[Paced, float]]:
    """Each endpoint at half its own closed-loop maximum (median over the rounds), then at the fixed rate."""
    paced: list[tuple[Paced, float]] = []
    for endpoint in endpoints:
        maximum = statistics.median(run.rps for run in results[endpoint.name])
        for rate, target in ((maximum / 2, HALF_MAX_P99_MS), (FIXED_RATE, FIXED_RATE_P99_MS)):
            if rate < 1:
                continue
            run = load.pace(endpoint, rate, duration, pool)
            paced.append((run, target))
            print(f"  constant rate: {endpoint.name}: {rate:.0f}/s asked, p99 {run.p99_ms:.1f} ms", flush=True)
    return paced


# --- how long the event loop waits on the database (a probe loaded into the service's processes) -------------

PROBE_DIR = "BENCH_HTTP_PROBE_DIR"
#: `sitecustomize.py` for the service's processes (and every worker a supervisor spawns): times the database calls
#: SQLAlchemy's dialect makes (execute, executemany, commit, rollback, connect, ping) and adds up the time spent in
#: them on the process's main thread, where uvicorn runs the event loop; written every 0.2 s to a JSON file per process.
PROBE = """
import json, os, threading, time


def _install(folder):
    from sqlalchemy.engine import default
    from sqlalchemy.dialects.postgresql import psycopg
    from sqlalchemy.dialects.sqlite import pysqlite

    loop = threading.main_thread().ident
    totals = {"loop": 0.0, "loopCalls": 0, "longest": [], "all": 0.0, "calls": 0}
    guard, depth = threading.Lock(), threading.local()

    def timed(method):
        def wrapper(*args, **kwargs):
            outer = not getattr(depth, "n", 0)
            depth.n = getattr(depth, "n", 0) + 1
            begun = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                depth.n -= 1
                if outer:
                    spent = time.perf_counter() - begun
                    with guard:
                        totals["all"] += spent
                        totals["calls"] += 1
                        if threading.get_ident() == loop:
                            totals["loop"] += spent
                            totals["loopCalls"] += 1
                            if spent >= 0.001:  # the long ones, with their time, for a run's longest call
                                totals["longest"] = [*totals["longest"][-199:], [time.monotonic(), spent]]
        return wrapper

    names = ("do_execute", "do_executemany", "do_execute_no_params", "do_commit", "do_rollback", "do_ping", "connect")
    dialects = (default.DefaultDialect, psycopg.PGDialect_psycopg, pysqlite.SQLiteDialect_pysqlite)
    for cls in {ancestor for dialect in dialects for ancestor in dialect.__mro__}:
        for name in names:
            if name in vars(cls):
                setattr(cls, name, timed(vars(cls)[name]))

    def write():
        path = os.path.join(folder, f"loop-{os.getpid()}.json")
        while True:
            with guard:
                text = json.dumps(totals | {"at": time.monotonic()})
            with open(path + ".tmp", "w") as out:
                out.write(text)
            os.replace(path + ".tmp", path)
            time.sleep(0.2)

    threading.Thread(target=write, daemon=True).start()


if os.environ.get("BENCH_HTTP_PROBE_DIR"):
    _install(os.environ["BENCH_HTTP_PROBE_DIR"])
"""


def probe_snapshot(folder: Path) -> dict[str, dict[str, Any]]:
    found = {}
    for path in folder.glob("loop-*.json"):
        try:
            found[path.stem] = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):  # being replaced: the next snapshot has it
            continue
    return found


@dataclass
class LoopWait:
    """Per process, over a measured run: the share of time its event loop spent in database calls, the longest call."""

    share: float = 0.0  # the largest share among the processes
    longest_ms: float = 0.0
    calls: int = 0
    all_threads_share: float = 0.0  # database time summed over every thread (the group commit's) per second
    processes: int = 0
    calls_per_process: list[int] = field(default_factory=list)  # database calls on every thread: who served


def loop_wait(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> LoopWait:
    result = LoopWait()
    for pid, end in after.items():
        start = before.get(pid)
        if start is None or end["at"] <= start["at"]:
            continue
        seconds = end["at"] - start["at"]
        result.processes += 1
        result.share = max(result.share, (end["loop"] - start["loop"]) / seconds)
        result.all_threads_share = max(result.all_threads_share, (end["all"] - start["all"]) / seconds)
        result.calls += int(end["loopCalls"] - start["loopCalls"])
        if end["calls"] > start["calls"]:
            result.calls_per_process.append(int(end["calls"] - start["calls"]))
        spans = [spent for at, spent in end["longest"] if start["at"] <= at <= end["at"]]
        result.longest_ms = max([result.longest_ms, *(spent * 1000 for spent in spans)])
    return result


def measure_with_probe(load: Load, endpoints: list[Endpoint], folder: Path) -> tuple[dict[str, Result], LoopWait]:
    """One closed-loop run per endpoint; the loop's wait over all of them together."""
    check_probes(endpoints)
    time.sleep(0.5)  # every process has written its file
    before = probe_snapshot(folder)
    results = {}
    for endpoint in endpoints:
        results[endpoint.name] = load.measure(endpoint)
        print(f"  {endpoint.name}: {results[endpoint.name].rps:.0f} req/s", flush=True)
    time.sleep(0.5)
    return results, loop_wait(before, probe_snapshot(folder))


# --- report -----------------------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def report(
    results: dict[str, list[Result]], paced: list[tuple[Paced, float]], connections: int, duration: float
) -> str:
    rounds = max(len(runs) for runs in results.values())
    lines = [
        f"HTTP benchmark: {connections} connections, {duration:g} s per endpoint and round, {rounds} rounds; service "
        f"by `bibob serve --workers 1` ({'pinned to CPU 0' if pinned(0) else 'not pinned'}); {_server_stack()}",
        "",
        "Closed loop (each connection sends its next request when answered); medians over the rounds, req/s range in "
        "brackets; p99 max is the worst round",
        f"{'endpoint':<46} {'req/s':>7} {'(min–max)':>13} {'p50 ms':>7} {'p99 ms':>7} {'p99 max':>7} {'errors':>6}"
        "  gen",
    ]
    for name, runs in results.items():
        rps, p50, p99 = [run.rps for run in runs], [run.p50_ms for run in runs], [run.p99_ms for run in runs]
        lines.append(
            f"{name:<46} {statistics.median(rps):>7.0f} {f'({min(rps):.0f}–{max(rps):.0f})':>13} "
            f"{statistics.median(p50):>7.1f} {statistics.median(p99):>7.1f} {max(p99):>7.1f} "
            f"{sum(run.errors for run in runs):>6}  {runs[0].generator}"
        )
    lines.append("")
    for ours, bare, target in RATIOS:
        ratios = [mine.rps / theirs.rps for mine, theirs in zip(results[ours], results[bare], strict=True)]
        lines.append(
            f"{ours.split(' (')[0]} / {bare.split(' (')[0]}: {statistics.median(ratios):.2f}x, target >= {target:g}x "
            f"(rounds {', '.join(f'{ratio:.2f}' for ratio in ratios)}): {verdict(statistics.median(ratios) >= target)}"
        )
    floor = connections / 0.050  # closed loop: mean latency = connections / throughput (Little's law)
    lines.append(
        f"(closed loop at {connections} connections: mean latency = {connections} / req/s by Little's law, so its p99 "
        f"says how saturated the server is; p99 < 50 ms there would need more than {floor:.0f} req/s)"
    )
    if paced:
        lines += [
            "",
            "Constant rate (open loop: requests sent on a fixed schedule whatever the replies; latency from the "
            "scheduled send time, so waiting for a free connection counts). Lag: scheduled → written, the generator's",
            "own delay or all connections busy.",
            f"{'endpoint':<46} {'asked/s':>7} {'got/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'target':>8} {'max ms':>7} "
            f"{'lag p99':>7} {'errors':>6}",
        ]
        for run, target in paced:
            lines.append(
                f"{run.name:<46} {run.rate:>7.0f} {run.achieved:>7.0f} {run.p50_ms:>7.1f} {run.p99_ms:>7.1f} "
                f"{f'<= {target:g}':>8} {run.max_ms:>7.1f} {run.lag_p99_ms:>7.1f} {run.errors:>6}  "
                f"{verdict(run.p99_ms <= target)}"
            )
        half = [run for run, target in paced if target == HALF_MAX_P99_MS]
        fixed = [run for run, target in paced if target == FIXED_RATE_P99_MS]
        lines.append(
            f"at half of each endpoint's own maximum, every p99 <= {HALF_MAX_P99_MS:g} ms: "
            f"{verdict(all(run.p99_ms <= HALF_MAX_P99_MS for run in half))}; at {FIXED_RATE:g} req/s every p99 <= "
            f"{FIXED_RATE_P99_MS:g} ms: {verdict(all(run.p99_ms <= FIXED_RATE_P99_MS for run in fixed))}"
        )
    return "\n".join(lines)


@dataclass
class Stack:
    """One database's service runs: one worker (probed) and, on PostgreSQL, two worker processes."""

    label: str
    one: dict[str, Result]
    wait: LoopWait
    two: dict[str, Result] = field(default_factory=dict)
    two_wait: LoopWait = field(default_factory=LoopWait)


def report_databases(sqlite: Stack, postgres: Stack, connections: int) -> str:
    names = (READ, SIGNAL, ANSWERS)
    lines = [
        "",
        f"PostgreSQL against SQLite, the same service and generator, {connections} connections, closed loop, one run "
        "each (req/s)",
        f"{'endpoint':<46} {'SQLite 1':>9} {'PG 1':>9} {'PG/SQLite':>10} {'PG 2 proc':>10} {'2/1':>6}",
    ]
    for name in names:
        lite, one, two = sqlite.one[name].rps, postgres.one[name].rps, postgres.two[name].rps
        lines.append(
            f"{name:<46} {lite:>9.0f} {one:>9.0f} {one / lite if lite else 0:>10.2f} {two:>10.0f} "
            f"{two / one if one else 0:>6.2f}"
        )
    pg_vs = statistics.median(postgres.one[n].rps / sqlite.one[n].rps for n in names if sqlite.one[n].rps)
    two_vs = statistics.median(postgres.two[n].rps / postgres.one[n].rps for n in names if postgres.one[n].rps)
    lines.append(f"one PostgreSQL worker / one SQLite worker (median over the endpoints): {pg_vs:.2f}x, target "
                 f">= {PG_VS_SQLITE:g}x: {verdict(pg_vs >= PG_VS_SQLITE)}")  # fmt: skip
    lines.append(f"two worker processes / one, on PostgreSQL (median over the endpoints): {two_vs:.2f}x, target "
                 f">= {TWO_VS_ONE:g}x: {verdict(two_vs >= TWO_VS_ONE)}")  # fmt: skip
    shares = postgres.two_wait.calls_per_process
    lines.append(
        f"two worker processes: database calls per process during the runs {' / '.join(map(str, shares)) or 'none'} "
        f"(both serve: {'yes' if len(shares) == 2 and min(shares) > 0.2 * max(shares) else 'NO'}); loop wait "
        f"{postgres.two_wait.share:.1%} in the busier one"
    )
    for stack in (sqlite, postgres):
        wait = stack.wait
        lines.append(
            f"{stack.label}: the event loop waited on the database {wait.share:.1%} of the time, target <= "
            f"{LOOP_WAIT:.0%}: {verdict(wait.share <= LOOP_WAIT)} ({wait.calls} calls on the loop, longest "
            f"{wait.longest_ms:.1f} ms; time in database calls summed over all threads: "
            f"{wait.all_threads_share:.2f} s per second, more than 1 when several groups are in flight)"
        )
    lines.append(
        "(measured by a probe the bench loads into the service's processes (sitecustomize): every database call "
        "SQLAlchemy's dialect makes — execute, executemany, commit, rollback, connect, ping — is timed, and the time "
        "spent on the process's main thread, which runs the event loop, is divided by the wall-clock time of the "
        "measured runs; the group commit's worker threads count only in the last figure)"
    )
    return "\n".join(lines)


def sqlite_commits_per_second(folder: Path, seconds: float = 1.0) -> float:
    """One-row transactions per second on this disk with the service's pragmas (WAL, synchronous=FULL)."""
    import sqlite3

    connection = sqlite3.connect(folder / "fsync.sqlite3", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, document TEXT)")
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        connection.execute("INSERT INTO t (document) VALUES (?)", ("x" * 1000,))
        done += 1
    rate = done / (time.perf_counter() - start)
    connection.close()
    return rate


def _server_stack() -> str:
    import importlib.util

    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    parser = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return f"event loop {loop}, HTTP parser {parser}"


# --- main ---------------------------------------------------------------------------------------------------------

#: Write limits are counted as in production (two counters per write) but set too high to refuse: a load test from
#: one address with one token would otherwise measure 429s; the partner registers signals at full speed.
UNLIMITED = {
    "BIBOB_WRITES_PER_MINUTE": "1000000",
    "BIBOB_ADDRESS_WRITES_PER_MINUTE": "1000000",
    "BIBOB_SIGNALS_PER_DAY": "10000000",
}


def serve_command(port: int, workers: int) -> list[str]:
    """`bibob serve` as an operator runs it (one worker pinned to CPU 0; several workers unpinned)."""
    start = "import sys; from service.entry import main; sys.exit(main())"
    command = [sys.executable, "-c", start, "serve", "--host", "127.0.0.1", "--port", str(port)]
    return [*(pinned(0) if workers == 1 else []), *command, "--workers", str(workers)]


def service_env(env: dict[str, str], url: str, scratch: Path) -> dict[str, str]:
    return env | {"BIBOB_DATABASE_URL": url, PROBE_DIR: str(scratch / "probe")} | UNLIMITED


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per endpoint and round (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all endpoints (default 3)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent connections (default 50)")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up seconds before each measurement")
    parser.add_argument("--generator", choices=("auto", "wrk", "asyncio"), default="auto")
    parser.add_argument("--rate-duration", type=float, default=10.0, help="seconds per constant-rate run (0: none)")
    parser.add_argument("--rate-connections", type=int, default=64, help="connections of the constant-rate generator")
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL database (it is emptied first)")
    args = parser.parse_args()
    generator = args.generator if args.generator != "auto" else ("wrk" if shutil.which("wrk") else "asyncio")
    if generator == "asyncio" and args.generator == "auto":
        print("wrk not found (install: apt-get install -y wrk); using the asyncio generator", flush=True)
    if pinned(1):
        os.sched_setaffinity(0, {1})  # this process (and the asyncio generator) stays off the servers' CPU
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT / "src"), os.environ.get("PYTHONPATH"))))}
    with tempfile.TemporaryDirectory(prefix="bibob-bench-") as folder:
        scratch = Path(folder)
        (scratch / "probe").mkdir()
        (scratch / "site").mkdir()
        (scratch / "site" / "sitecustomize.py").write_text(PROBE, "utf-8")
        probed = env | {"PYTHONPATH": os.pathsep.join((str(scratch / "site"), env["PYTHONPATH"]))}
        load = Load(generator, args.duration, args.connections, args.warmup, scratch)
        prepared = prepare_service(f"sqlite:///{scratch / 'service.sqlite3'}", args.connections)
        with ExitStack() as servers:
            bare_port, service_port = free_port(), free_port()
            bare = [*pinned(0), sys.executable, str(Path(__file__).resolve()), "--serve-bare", str(bare_port)]
            bare_base = servers.enter_context(running([*bare, str(scratch / "bare.sqlite3")], bare_port, env, "/hello"))
            service_base = servers.enter_context(
                running(
                    serve_command(service_port, 1),
                    service_port,
                    service_env(probed, prepared.url, scratch),
                    "/api/v1/health",
                )
            )
            endpoints = bare_endpoints(bare_base) + service_endpoints(prepared, service_base)
            results = measure(load, endpoints, args.rounds)
            paced = (
                pace_all(load, endpoints, results, args.rate_duration, args.rate_connections)
                if args.rate_duration
                else []
            )
            lite = None
            if args.postgres:
                print("SQLite, one worker, probed:", flush=True)
                lite = Stack("SQLite, one worker", *measure_with_probe(load, endpoints[3:], scratch / "probe"))
        commits = sqlite_commits_per_second(scratch)
        print(report(results, paced, args.connections, args.duration))
        print(
            "context: raw SQLite on this disk, WAL + synchronous=FULL, 1 KB row per transaction: "
            f"{commits:.0f} commits/s"
        )
        if args.postgres and lite is not None:
            print(
                report_databases(
                    lite, postgres_runs(args.postgres, load, probed, scratch, args.connections), args.connections
                )
            )
    return 0


def postgres_runs(url: str, load: Load, env: dict[str, str], scratch: Path, connections: int) -> Stack:
    """The service on an emptied PostgreSQL database: one worker (probed), then two worker processes."""
    os.environ["BIBOB_KEY_FILE"] = str(scratch / "keys.json")  # `bibob migrate` makes it; the service reads it
    env = env | {"BIBOB_KEY_FILE": str(scratch / "keys.json")}
    empty_postgres(url)
    prepared = prepare_service(url, connections)
    stack = None
    for workers in (1, 2):
        port = free_port()
        with running(serve_command(port, workers), port, service_env(env, url, scratch), "/api/v1/health") as base:
            print(f"PostgreSQL, {workers} worker process(es):", flush=True)
            check_probes(service_endpoints(prepared, base))  # the worklist page too, though it is not measured here
            results, wait = measure_with_probe(load, service_endpoints(prepared, base)[1:], scratch / "probe")
        if stack is None:
            stack = Stack("PostgreSQL, one worker", results, wait)
        else:
            stack.two, stack.two_wait = results, wait
    assert stack is not None
    return stack


if __name__ == "__main__":
    # bench/ is first on sys.path when this file runs as a script, and this file is named like the standard
    # library's `http`: drop bench/ before anything (uvicorn, httpx, litestar) imports `http`.
    here = Path(__file__).resolve().parent
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]
    if len(sys.argv) == 4 and sys.argv[1] == "--serve-bare":
        serve_bare(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        raise SystemExit(main())
