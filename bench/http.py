"""Requests/s and p50/p99 latency of the service next to bare Litestar endpoints, measured in one run (issue 5).

Run:     .venv/bin/python bench/http.py            (about two minutes; --duration 10 --connections 50)
Load:    wrk, pinned to CPU 1 (`taskset -c 1 wrk -t1 --latency`). Install it with `apt-get install -y wrk`
         (Debian/Ubuntu) or `brew install wrk`. Without wrk this script uses its own small asyncio load
         generator; it saturates sooner than wrk, so read its requests/s as a floor. `--generator asyncio` forces it.
Servers: uvicorn, one worker, pinned to CPU 0 (`taskset -c 0`) when taskset exists and there are two or more CPUs;
         the service on a fresh SQLite file (WAL, synchronous=FULL) with the demo municipality loaded.

Endpoints: read an application (GET), submit answers (PUT with If-Match; each connection owns one application and
re-reads the ETag from every response, so this one always runs on the asyncio generator), register a signal
(POST); and a bare Litestar "hello" (GET) and a bare Litestar endpoint that decodes the same signal body into
msgspec Structs and inserts one row into SQLite (same pragmas). Targets, as ratios in the same run at 50
connections: reading >= 0.35x bare hello; registering a signal >= 0.5x bare decode+insert; p99 < 50 ms everywhere.
wrk is closed-loop: at 50 connections p50 is roughly 50 / throughput, so latency here measures saturation.
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
from contextlib import contextmanager
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
    note: str = ""

    @property
    def measured(self) -> bool:
        return self.requests > 0


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


def prepare_service(database: Path, connections: int) -> Prepared:
    """Migrate a fresh SQLite file, load the demo (tokens), and one application per connection for the updates."""
    import datetime as dt

    from bibob.application import Application
    from bibob.permits import LegalAct, PermitType
    from service.demo import OFFICER, load_demo
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
    engine.dispose()
    partner = next(token for user, token in tokens.items() if user == "demo-melder-politie")
    return Prepared(url, tokens[OFFICER.user], partner, "LEU-2026-D05", update_ids, json.dumps(answers).encode())


def measure_service(load: Load, prepared: Prepared, env: dict[str, str]) -> list[Result]:
    port = free_port()
    command = [*pinned(0), sys.executable, "-m", "uvicorn", "service.app:create_app", "--factory", "--host"]
    command += ["127.0.0.1", "--port", str(port), "--workers", "1", "--log-level", "warning", "--no-access-log"]
    officer = {"Authorization": f"Bearer {prepared.officer}"}
    json_headers = {"Content-Type": "application/json"}
    results = []
    with running(command, port, env | {"BIBOB_DATABASE_URL": prepared.url}, "/api/v1/health") as base:
        api = base + "/api/v1"
        read = Target("GET", f"{api}/applications/{prepared.read_id}", officer)
        results.append(_if_available(load, "service: read an application (GET)", read))
        partner = {"Authorization": f"Bearer {prepared.partner}"} | json_headers
        signal = Target("POST", f"{api}/signals", partner, json.dumps(SIGNAL_BODY).encode())
        results.append(_if_available(load, "service: register a signal (POST)", signal))
        updates = [
            Target("PUT", f"{api}/applications/{identifier}/answers", officer | json_headers, prepared.answers)
            for identifier in prepared.update_ids
        ]
        results.append(_updates_or_check(load, updates, api, prepared.answers))
    return results


def _if_available(load: Load, name: str, target: Target) -> Result:
    status = probe(target)
    if status in (404, 405):
        return Result(name, note=f"not available yet (HTTP {status}); not measured")
    if status >= 400:
        return Result(name, note=f"probe answered HTTP {status}; not measured")
    return load.measure(name, target)


def _updates_or_check(load: Load, updates: list[Target], api: str, answers: bytes) -> Result:
    first = updates[0]
    current = probe(Target("GET", first.url.removesuffix("/answers"), first.headers))
    status = probe(Target("PUT", first.url, first.headers | {"If-Match": '"1"'}, first.body)) if current < 400 else 404
    if status < 400:
        return load.measure_updates("service: submit answers (PUT, If-Match)", updates)
    check = Target(
        "POST",
        f"{api}/questionnaires/{QUESTIONNAIRE['id']}/completeness-checks",
        {"Content-Type": "application/json"},
        answers,
    )
    result = _if_available(load, "service: completeness check (POST, stores nothing)", check)
    result.note = (result.note + "; " if result.note else "") + f"PUT answers answered HTTP {status}, measured this"
    return result


def measure_bare(load: Load, scratch: Path, env: dict[str, str]) -> list[Result]:
    port = free_port()
    command = [*pinned(0), sys.executable, str(Path(__file__).resolve()), "--serve-bare", str(port)]
    command.append(str(scratch / "bare.sqlite3"))
    with running(command, port, env, "/hello") as base:
        hello = load.measure("bare Litestar: hello (GET)", Target("GET", base + "/hello"))
        body = json.dumps(SIGNAL_BODY).encode()
        insert = Target("POST", base + "/signals", {"Content-Type": "application/json"}, body)
        decode = load.measure("bare Litestar: decode signal + insert (POST)", insert)
    return [hello, decode]


# --- report -----------------------------------------------------------------------------------------------------


def report(results: list[Result], connections: int, duration: float) -> str:
    lines = [
        f"HTTP benchmark: {connections} connections, {duration:g} s per endpoint, uvicorn 1 worker "
        f"({'pinned to CPU 0' if pinned(0) else 'not pinned'}); {_server_stack()}",
        f"{'endpoint':<52} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}  generator",
    ]
    for r in results:
        if r.measured:
            lines.append(f"{r.name:<52} {r.rps:>9.0f} {r.p50_ms:>8.2f} {r.p99_ms:>8.2f} {r.errors:>7}  {r.generator}")
        lines += [f"{'':<4}{r.name if not r.measured else ''} {r.note}".rstrip()] if r.note else []
    by_name = {r.name.split(" (")[0]: r for r in results if r.measured}
    lines.append("")
    lines += _ratio(by_name, "service: read an application", "bare Litestar: hello", 0.35)
    lines += _ratio(by_name, "service: register a signal", "bare Litestar: decode signal + insert", 0.5)
    slow = [r.name for r in results if r.measured and r.p99_ms >= 50]
    lines.append(f"p99 < 50 ms for every endpoint measured: {'yes' if not slow else 'NO: ' + ', '.join(slow)}")
    return "\n".join(lines)


def _ratio(by_name: dict[str, Result], ours: str, bare: str, target: float) -> list[str]:
    if ours not in by_name or bare not in by_name or not by_name[bare].rps:
        return [f"{ours} / {bare}: not measured"]
    ratio = by_name[ours].rps / by_name[bare].rps
    verdict = "meets" if ratio >= target else "BELOW"
    return [f"{ours} / {bare}: {ratio:.2f}x ({verdict} the target of {target:g}x)"]


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
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per endpoint (default 10)")
    parser.add_argument("--connections", type=int, default=50, help="concurrent connections (default 50)")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds before each endpoint")
    parser.add_argument("--generator", choices=("auto", "wrk", "asyncio"), default="auto")
    args = parser.parse_args()
    generator = args.generator if args.generator != "auto" else ("wrk" if shutil.which("wrk") else "asyncio")
    if generator == "asyncio" and args.generator == "auto":
        print("wrk not found (install: apt-get install -y wrk); using the asyncio generator", flush=True)
    if pinned(1):
        os.sched_setaffinity(0, {1})  # this process (and the asyncio generator) stays off the servers' CPU
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT / "src"), os.environ.get("PYTHONPATH"))))}
    with tempfile.TemporaryDirectory(prefix="bibob-bench-") as folder:
        scratch = Path(folder)
        load = Load(generator, args.duration, args.connections, args.warmup, scratch)
        prepared = prepare_service(scratch / "service.sqlite3", args.connections)
        results = measure_bare(load, scratch, env)
        results += measure_service(load, prepared, env)
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
