"""CPU time per request of the service's application, in-process, without an HTTP server (issue 19, item 4).

Run:   PYTHONPATH=src .venv/bin/python -P bench/request_cpu.py            (two to four minutes here)
       ... bench/request_cpu.py --windows 9 --requests 400 --concurrency 8 --profile read --sort cumulative

The service's ASGI app (`service.app.create_app`, its lifespan started as a server would) is called directly with
an ASGI scope, a `receive` that hands over the body and a `send` that keeps the status: no socket, no HTTP parser,
so the figure does not depend on the server (uvicorn, granian) or on the neighbours' network work. The database is
a fresh SQLite file, migrated and with the Leusden demo loaded (as bench/http.py prepares it; WAL,
synchronous=FULL); the write limits are counted but set too high to refuse.

Measured: CPU time of the whole process (user + system, `getrusage`: the event loop, the group commit's worker
thread where the statements run, and the commits' writes) divided by the requests answered, over `--windows`
windows of `--requests` requests each, `--concurrency` at a time (as bench/http.py's 50 connections: their store
work shares group commits); the median window is reported, with the range. Beside it, the event loop's thread
alone (`time.thread_time`): the part that holds up every other request; the issue's "today" figures (read ~204,
signal ~545 µs) look like this figure (by their size next to a bare hello; how they were taken is not recorded).

  read     GET /api/v1/applications/LEU-2026-D05 as the permit officer      target <= 130 us
  signal   POST /api/v1/signals as the police's intake partner               target <= 380 us
  hello    a bare Litestar GET returning a small dict (same process)         the baseline for the read
  insert   a bare Litestar POST decoding the same signal into msgspec Structs and inserting one row into SQLite
           (same pragmas; bench/http.py's bare app)                         the baseline for the signal

The ratios read/hello and signal/insert are measured in the same run, so they survive this machine's noise (read
every absolute figure as +-20 %). The process is pinned to one CPU when there are two or more. `--profile NAME`
runs that endpoint under cProfile afterwards (CPU time, on the loop's and the worker's thread) and prints the
largest entries.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib.util
import io
import json
import os
import pstats
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent  # not on the path: bench/http.py would hide the standard library's http
sys.path[:] = [str(ROOT / "src"), *(p for p in sys.path if Path(p or ".").resolve() != HERE)]

TARGETS = {"read": 130.0, "signal": 380.0}  # µs of CPU per request (issue 19, item 4)
BASELINE = {"read": "hello", "signal": "insert"}


def _bench_http() -> Any:
    """bench/http.py as a module under another name (its own name would shadow the standard library's `http`)."""
    if "bench_http" in sys.modules:
        return sys.modules["bench_http"]
    spec = importlib.util.spec_from_file_location("bench_http", HERE / "http.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_http"] = module  # its dataclasses and Structs look their module up
    spec.loader.exec_module(module)
    return module


class Call:
    """One prepared request: the ASGI scope (copied per call) and its body."""

    def __init__(self, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> None:
        raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]
        if body:
            raw.append((b"content-length", str(len(body)).encode()))
        self.scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": raw,
            "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 8000),
        }
        self.body = body

    async def __call__(self, app: Any) -> int:
        """Call the app once; its status code (the body is read and dropped, as a server would send it)."""
        sent = False
        status = 0

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": self.body, "more_body": False}
            await asyncio.sleep(3600)  # no disconnect while the request runs
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        scope = dict(self.scope)
        scope["state"] = {}
        await app(scope, receive, send)
        return status


async def cpu_per_request(app: Any, call: Call, requests: int, concurrency: int) -> tuple[float, float]:
    """µs of CPU per request over `requests` calls, `concurrency` at a time: the whole process's, and the event
    loop's thread's alone (the worker thread's statements and commits left out); a non-2xx answer stops it."""
    per_task = max(1, requests // concurrency)

    async def worker() -> None:
        for _ in range(per_task):
            status = await call(app)
            if status >= 300:
                raise SystemExit(f"{call.scope['method']} {call.scope['path']} answered {status}; nothing measured")

    before, loop = resource.getrusage(resource.RUSAGE_SELF), time.thread_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    after, loop = resource.getrusage(resource.RUSAGE_SELF), time.thread_time() - loop
    done = per_task * concurrency
    process = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return process / done * 1e6, loop / done * 1e6


def prepare(folder: Path) -> tuple[str, dict[str, Call]]:
    """The service's database (migrated, demo loaded) and the four requests."""
    bench_http = _bench_http()
    prepared = bench_http.prepare_service(f"sqlite:///{folder / 'service.sqlite3'}", 1)
    signal_body = json.dumps(bench_http.SIGNAL_BODY).encode()
    json_type = {"Content-Type": "application/json"}
    calls = {
        "hello": Call("GET", "/hello", {}),
        "insert": Call("POST", "/signals", json_type, signal_body),
        "read": Call(
            "GET", f"/api/v1/applications/{prepared.read_id}", {"Authorization": f"Bearer {prepared.officer}"}
        ),
        "signal": Call(
            "POST", "/api/v1/signals", {"Authorization": f"Bearer {prepared.partner}"} | json_type, signal_body
        ),
    }
    return prepared.url, calls


def bare_app(folder: Path) -> Any:
    return _bench_http().bare_app(folder / "bare.sqlite3")


async def measure(args: argparse.Namespace, folder: Path) -> dict[str, list[tuple[float, float]]]:
    from service.app import create_app

    url, calls = prepare(folder)
    os.environ |= {
        "BIBOB_DATABASE_URL": url,
        "BIBOB_WRITES_PER_MINUTE": "1000000",
        "BIBOB_ADDRESS_WRITES_PER_MINUTE": "1000000",
        "BIBOB_SIGNALS_PER_DAY": "10000000",
    }
    service, bare = create_app(), bare_app(folder)
    names = [args.only] if args.only else ["read", "hello", "signal", "insert"]
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    apps = {"read": service, "signal": service, "hello": bare, "insert": bare}
    async with service.lifespan(), bare.lifespan():
        for name in results:  # warm-up: caches, statement memos, first-time imports
            await cpu_per_request(apps[name], calls[name], max(50, args.requests // 4), args.concurrency)
        for _ in range(args.windows):  # interleaved, so drift on a noisy machine hits every endpoint alike
            for name in results:
                results[name].append(await cpu_per_request(apps[name], calls[name], args.requests, args.concurrency))
        if args.profile:
            await profile(apps[args.profile], calls[args.profile], args)
    return results


async def profile(app: Any, call: Call, args: argparse.Namespace) -> None:
    """cProfile of the event loop's thread and of the group commit's worker thread, printed together."""
    from service.store.group_commit import GroupCommit

    on_loop, on_worker = cProfile.Profile(time.thread_time), cProfile.Profile(time.thread_time)  # CPU, not wall
    run_group = GroupCommit._run_group

    def profiled(self: GroupCommit, group: Any) -> Any:
        on_worker.enable()
        try:
            return run_group(self, group)
        finally:
            on_worker.disable()

    GroupCommit._run_group = profiled  # type: ignore[method-assign]
    try:
        on_loop.enable()
        await cpu_per_request(app, call, args.requests * 2, args.concurrency)
        on_loop.disable()
    finally:
        GroupCommit._run_group = run_group  # type: ignore[method-assign]
    out = io.StringIO()
    stats = pstats.Stats(on_loop, stream=out)
    if args.thread != "loop":
        stats = stats if args.thread == "both" else pstats.Stats(on_worker, stream=out)
        if args.thread == "both":
            stats.add(on_worker)
    stats.sort_stats(args.sort).print_stats(args.lines)
    print(out.getvalue())


def report(results: dict[str, list[tuple[float, float]]], args: argparse.Namespace) -> str:
    lines = [
        f"CPU per request, in-process (no HTTP server): {args.windows} windows of {args.requests} requests, "
        f"{args.concurrency} at a time; {'pinned to one CPU' if _pinned else 'not pinned'}; median (min–max) µs",
        "  process: the whole process (loop + the group commit's thread + commits); loop: the event loop's thread",
    ]
    for name, windows in results.items():
        if not windows:
            continue
        cells = []
        for index, label in ((0, "process"), (1, "loop")):
            figures = [window[index] for window in windows]
            cells.append(f"{label} {statistics.median(figures):7.1f} ({min(figures):.0f}–{max(figures):.0f})")
        target = TARGETS.get(name)
        verdict = f"   target <= {target:.0f} µs" if target is not None else ""
        lines.append(f"  {name:<7} {'   '.join(cells)}{verdict}")
    for ours, bare in BASELINE.items() if not args.only else ():
        for index, label in ((0, "process"), (1, "loop")):
            ratios = [mine[index] / theirs[index] for mine, theirs in zip(results[ours], results[bare], strict=True)]
            goal = TARGETS[ours] / statistics.median(theirs[index] for theirs in results[bare])
            ratio = statistics.median(ratios)
            verdict = "meets" if ratio <= goal else "ABOVE"
            lines.append(f"  {ours} / {bare} ({label}): {ratio:.2f}x; the target is {goal:.2f}x here: {verdict}")
    return "\n".join(lines)


_pinned = False


def main() -> int:
    global _pinned
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--windows", type=int, default=7, help="timed windows per endpoint (default 7)")
    parser.add_argument("--requests", type=int, default=400, help="requests per window (default 400)")
    parser.add_argument("--concurrency", type=int, default=50, help="requests in flight at once (default 50)")
    parser.add_argument("--profile", choices=("read", "signal", "hello", "insert"), help="cProfile one endpoint")
    parser.add_argument("--sort", default="tottime", help="the profile's order (pstats: tottime, cumulative)")
    parser.add_argument(
        "--only", choices=("read", "signal", "hello", "insert"), help="one endpoint (e.g. under valgrind; no ratios)"
    )
    parser.add_argument("--thread", choices=("both", "loop", "worker"), default="both", help="whose profile")
    parser.add_argument("--lines", type=int, default=40, help="the profile's lines (default 40)")
    args = parser.parse_args()
    if (os.cpu_count() or 1) >= 2 and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
        _pinned = True
    with tempfile.TemporaryDirectory(prefix="bibob-request-cpu-") as folder:
        results = asyncio.run(measure(args, Path(folder)))
    print(report(results, args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
