"""Does the time of an answer tell whether a dossier exists? 400 interleaved requests over real HTTP, in pairs.

Run: .venv/bin/python bench/existence_timing.py   (about half a minute)
Two comparisons, each of 100 + 100 requests sent in alternation (ABAB…) against one uvicorn worker on SQLite:
  read:   GET /applications/{id} of another officer's application (hidden, 404) vs an id that does not exist (404)
  create: POST /applications with an id that is taken (400 id.taken) vs a free one (201)
Target: medians within 25 % of each other or within 2 ms (a difference that small, either way, is what a guesser
over a network cannot separate; issue 16: "no measurable difference").
Why a bench and not a test: on a shared 2-core machine scheduling noise is of the same order as the effect we look
for; a timed assertion would fail on a busy machine and pass on a lucky one. The figures are printed for reading.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/ is first on sys.path when this runs as a script, and bench/http.py is named like the standard library's
# `http`: drop bench/ before anything imports `http`; the repository root lets `tests` be imported.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != _HERE] + [str(_HERE.parent)]

import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

import httpx  # noqa: E402
from tests.service.identity.conftest import live_service  # noqa: E402

from service.auth import Role  # noqa: E402
from service.store.engine import create_engine_for  # noqa: E402
from service.store.migrate import migrate  # noqa: E402
from service.store.tokens import create_token  # noqa: E402

NEW = {"permitType": "exploitatieHoreca", "legalAct": "vergunning", "received": "2026-10-01"}
PAIRS = 100
TARGET_SPREAD, TARGET_MS = 0.25, 2.0  # the medians' difference, relative or absolute


def _timed(http: httpx.Client, method: str, path: str, **kwargs: object) -> tuple[float, int]:
    start = time.perf_counter()
    response = http.request(method, path, **kwargs)  # type: ignore[arg-type]
    return (time.perf_counter() - start) * 1000, response.status_code


def _report(name: str, a_name: str, a: list[float], b_name: str, b: list[float]) -> None:
    ma, mb = statistics.median(a), statistics.median(b)
    spread = abs(ma - mb) / max(ma, mb)
    verdict = "met" if spread <= TARGET_SPREAD or abs(ma - mb) <= TARGET_MS else "NOT met (different)"
    print(
        f"{name:7} {a_name} median {ma:6.2f} ms p90 {statistics.quantiles(a, n=10)[-1]:6.2f} | "
        f"{b_name} median {mb:6.2f} ms p90 {statistics.quantiles(b, n=10)[-1]:6.2f} | "
        f"difference {abs(ma - mb):5.2f} ms ({spread:.0%})  "
        f"target ≤ {TARGET_SPREAD:.0%} or ≤ {TARGET_MS:.0f} ms: {verdict}"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bibob.sqlite3'}"
        migrate(url)
        engine = create_engine_for(url)
        with engine.begin() as conn:
            mine = create_token(conn, "bench-vv-1", Role.PERMIT_OFFICER)
            other = create_token(conn, "bench-vv-2", Role.PERMIT_OFFICER)
        engine.dispose()
        limits_off = {"BIBOB_WRITES_PER_MINUTE": "0", "BIBOB_ADDRESS_WRITES_PER_MINUTE": "0"}
        with live_service(url, limits_off) as base, httpx.Client(base_url=base) as http:
            me, them = {"Authorization": f"Bearer {mine}"}, {"Authorization": f"Bearer {other}"}
            taken = [http.post("/api/v1/applications", json=NEW, headers=them).json()["id"] for _ in range(PAIRS)]
            for _ in range(20):  # warm up both paths
                http.get(f"/api/v1/applications/{taken[0]}", headers=me)
                http.get(f"/api/v1/applications/{uuid.uuid4()}", headers=me)
            hidden, unknown, used, free = [], [], [], []
            for number in range(PAIRS):
                t, status = _timed(http, "GET", f"/api/v1/applications/{taken[number]}", headers=me)
                assert status == 404
                hidden.append(t)
                t, status = _timed(http, "GET", f"/api/v1/applications/{uuid.uuid4()}", headers=me)
                assert status == 404
                unknown.append(t)
            for number in range(PAIRS):
                t, status = _timed(http, "POST", "/api/v1/applications", json=NEW | {"id": taken[number]}, headers=me)
                assert status == 400
                used.append(t)
                t, status = _timed(
                    http, "POST", "/api/v1/applications", json=NEW | {"id": str(uuid.uuid4())}, headers=me
                )
                assert status == 201
                free.append(t)
    print(f"existence timing: {4 * PAIRS} interleaved requests over HTTP, one uvicorn worker, SQLite")
    _report("read", "hidden", hidden, "unknown", unknown)
    _report("create", "taken", used, "free", free)


if __name__ == "__main__":
    main()
