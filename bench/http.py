"""Requests/s and p50/p99 latency of the service next to bare Litestar endpoints, measured in one run (issue 5).

Run:     .venv/bin/python bench/http.py     (about three minutes: --duration 10 s, --rounds 3, --connections 50)
Load:    wrk, pinned to CPU 1 (`taskset -c 1 wrk -t1 --latency`). Install it with `apt-get install -y wrk`
         (Debian/Ubuntu) or `brew install wrk`. Without wrk this script uses its own small asyncio load
         generator; it saturates sooner than wrk, so read its requests/s as a floor. `--generator asyncio` forces it.
Servers: uvicorn, one worker, pinned to CPU 0 (`taskset -c 0`) when taskset exists and there are two or more CPUs;
         the service on a fresh SQLite file (WAL, synchronous=FULL) with the demo municipality loaded.

Endpoints: the permit officer's worklist page (GET /aanvragen: 50 applications with applicant, deadline and
mark, rendered as HTML for a signed-in session), read an application (GET), submit answers (PUT with If-Match; each
connection owns one application and re-reads the ETag from every response, so this one always runs on the asyncio
generator), register a signal (POST); and a bare Litestar "hello" (GET) and a bare Litestar endpoint that decodes
the same signal body into msgspec Structs and inserts one row into SQLite (same pragmas). Targets, as ratios in the
same run at 50 connections: reading >= 0.35x bare hello; the worklist page >= 0.3x bare hello; registering a signal
>= 0.5x bare decode+insert; p99 < 50 ms everywhere.
wrk is closed-loop: at 50 connections p50 is roughly 50 / throughput, so latency here measures saturation.
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
from collections.abc import Callable, Iterator
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

    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"server stopped: {process.stderr.read().decode()[-2000:] if process.stderr else ''}"
                )
            try:
                if httpx.get(base + probe, timeout=1).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start within 30 s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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


class Load:
    """The chosen generator, with a short warm-up before every measured run."""

    def __init__(self, generator: str, duration: float, connections: int, warmup: float, scratch: Path) -> None:
        self.generator, self.duration, self.connections = generator, duration, connections
        self.warmup, self.scratch = warmup, scratch

    def measure(self, name: str, target: Target) -> Result:
        if self.generator == "wrk":
            wrk_run(target, self.warmup, self.connections, self.scratch)
            result = wrk_run(target, self.duration, self.connections, self.scratch)
        else:
            asyncio_run([target] * self.connections, self.warmup)
            result = asyncio_run([target] * self.connections, self.duration)
        result.name = name
        return result

    def measure_updates(self, name: str, targets: list[Target]) -> Result:
        asyncio_run(targets, self.warmup, etags=True)
        result = asyncio_run(targets, self.duration, etags=True)
        result.name = name
        return result


def probe(target: Target) -> int:
    import httpx

    return httpx.request(target.method, target.url, headers=target.headers, content=target.body, timeout=10).status_code


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


def prepare_service(database: Path, connections: int) -> Prepared:
    """Migrate a fresh SQLite file, load the demo (tokens), and one application per connection for the updates."""
    import datetime as dt

    from bibob.applications.model import Application
    from bibob.legal import LegalAct, PermitType
    from service.demo import OFFICER, load_demo
    from service.store import accounts
    from service.store.applications import create_application
    from service.store.engine import create_engine_for
    from service.store.migrate import migrate

    url = f"sqlite:///{database}"
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


@dataclass
class Endpoint:
    name: str
    measure: Callable[[], Result]
    probe: Target


def service_endpoints(load: Load, prepared: Prepared, base: str) -> list[Endpoint]:
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
        Endpoint(WORKLIST, lambda: load.measure(WORKLIST, worklist), worklist),
        Endpoint(READ, lambda: load.measure(READ, read), read),
        Endpoint(SIGNAL, lambda: load.measure(SIGNAL, signal), signal),
        Endpoint(ANSWERS, lambda: load.measure_updates(ANSWERS, updates), Target("GET", read.url, officer)),
    ]


def bare_endpoints(load: Load, base: str) -> list[Endpoint]:
    hello = Target("GET", base + "/hello")
    insert = Target("POST", base + "/signals", {"Content-Type": "application/json"}, json.dumps(SIGNAL_BODY).encode())
    return [
        Endpoint(HELLO, lambda: load.measure(HELLO, hello), hello),
        Endpoint(INSERT, lambda: load.measure(INSERT, insert), insert),
    ]


WORKLIST, READ, SIGNAL, ANSWERS = (
    "service: worklist page, 50 applications (GET)",
    "service: read an application (GET)",
    "service: register a signal (POST)",
    "service: submit answers (PUT, If-Match)",
)
HELLO, INSERT = "bare Litestar: hello (GET)", "bare Litestar: decode signal + insert (POST)"
RATIOS = ((READ, HELLO, 0.35), (WORKLIST, HELLO, 0.3), (SIGNAL, INSERT, 0.5))


def measure(endpoints: list[Endpoint], rounds: int) -> dict[str, list[Result]]:
    """Every endpoint once per round, the rounds one after another, so that drift on a noisy machine hits all."""
    for endpoint in endpoints:
        status = probe(endpoint.probe)
        if status >= 400:
            raise SystemExit(f"{endpoint.name}: the probe answered HTTP {status}; nothing measured")
    results: dict[str, list[Result]] = {endpoint.name: [] for endpoint in endpoints}
    for number in range(rounds):
        for endpoint in endpoints:
            results[endpoint.name].append(endpoint.measure())
            print(
                f"  round {number + 1}/{rounds}: {endpoint.name}: {results[endpoint.name][-1].rps:.0f} req/s",
                flush=True,
            )
    return results


# --- report -----------------------------------------------------------------------------------------------------


def report(results: dict[str, list[Result]], connections: int, duration: float) -> str:
    rounds = max(len(runs) for runs in results.values())
    lines = [
        f"HTTP benchmark: {connections} connections, {duration:g} s per endpoint and round, {rounds} rounds; uvicorn "
        f"1 worker ({'pinned to CPU 0' if pinned(0) else 'not pinned'}); {_server_stack()}",
        "figures are medians over the rounds; req/s range in brackets; p99 max is the worst round",
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
        verdict = "meets" if statistics.median(ratios) >= target else "BELOW"
        lines.append(
            f"{ours.split(' (')[0]} / {bare.split(' (')[0]}: {statistics.median(ratios):.2f}x "
            f"(rounds {', '.join(f'{ratio:.2f}' for ratio in ratios)}; {verdict} the target of {target:g}x)"
        )
    slow = [name for name, runs in results.items() if statistics.median(run.p99_ms for run in runs) >= 50]
    lines.append(f"median p99 < 50 ms for every endpoint: {'yes' if not slow else 'NO: ' + ', '.join(slow)}")
    floor = connections / 0.050  # closed loop: mean latency = connections / throughput (Little's law)
    short = [name for name, runs in results.items() if statistics.median(run.rps for run in runs) <= floor]
    lines.append(
        f"closed loop, so mean latency = {connections} connections / req/s (Little's law): p99 < 50 ms needs more "
        f"than {floor:.0f} req/s; at or below that here: {', '.join(short) if short else 'none'}"
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per endpoint and round (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all endpoints (default 3)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent connections (default 50)")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up seconds before each measurement")
    parser.add_argument("--generator", choices=("auto", "wrk", "asyncio"), default="auto")
    args = parser.parse_args()
    generator = args.generator if args.generator != "auto" else ("wrk" if shutil.which("wrk") else "asyncio")
    if generator == "asyncio" and args.generator == "auto":
        print("wrk not found (install: apt-get install -y wrk); using the asyncio generator", flush=True)
    if pinned(1):
        os.sched_setaffinity(0, {1})  # this process (and the asyncio generator) stays off the servers' CPU
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT / "src"), os.environ.get("PYTHONPATH"))))}
    with tempfile.TemporaryDirectory(prefix="bibob-bench-") as folder, ExitStack() as servers:
        scratch = Path(folder)
        load = Load(generator, args.duration, args.connections, args.warmup, scratch)
        prepared = prepare_service(scratch / "service.sqlite3", args.connections)
        bare_port, service_port = free_port(), free_port()
        bare = [*pinned(0), sys.executable, str(Path(__file__).resolve()), "--serve-bare", str(bare_port)]
        bare_base = servers.enter_context(running([*bare, str(scratch / "bare.sqlite3")], bare_port, env, "/hello"))
        service = [*pinned(0), sys.executable, "-m", "uvicorn", "service.app:create_app", "--factory", "--host"]
        service += ["127.0.0.1", "--port", str(service_port), "--workers", "1", "--log-level", "warning"]
        # the limits are counted as in production (two counters per write) but set too high to refuse: a load test
        # from one address with one token would otherwise measure 429s
        unlimited = {"BIBOB_WRITES_PER_MINUTE": "1000000", "BIBOB_ADDRESS_WRITES_PER_MINUTE": "1000000"}
        unlimited["BIBOB_SIGNALS_PER_DAY"] = "10000000"  # the partner registers signals at full speed
        service_env = env | {"BIBOB_DATABASE_URL": prepared.url} | unlimited
        service_base = servers.enter_context(
            running([*service, "--no-access-log"], service_port, service_env, "/api/v1/health")
        )
        endpoints = bare_endpoints(load, bare_base) + service_endpoints(load, prepared, service_base)
        results = measure(endpoints, args.rounds)
        commits = sqlite_commits_per_second(scratch)
    print(report(results, args.connections, args.duration))
    print(
        f"context: raw SQLite on this disk, WAL + synchronous=FULL, 1 KB row per transaction: {commits:.0f} commits/s"
    )
    return 0


if __name__ == "__main__":
    # bench/ is first on sys.path when this file runs as a script, and this file is named like the standard
    # library's `http`: drop bench/ before anything (uvicorn, httpx, litestar) imports `http`.
    here = Path(__file__).resolve().parent
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]
    if len(sys.argv) == 4 and sys.argv[1] == "--serve-bare":
        serve_bare(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        raise SystemExit(main())
