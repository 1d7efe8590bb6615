"""Serving the app in N worker processes that share the connections evenly (`bibob serve --workers N`).

uvicorn's own `--workers` binds one socket in the parent and lets every worker accept from it: whichever worker's
event loop wakes first takes the connection, so under load the busy worker keeps winning and a burst of keep-alive
connections can all land on one worker (measured: 50 of 50). Here each worker binds its own listening socket on the
same address with `SO_REUSEPORT`, and the kernel spreads new connections over the workers' sockets by a hash of the
client's address and port. A connection stays with the worker that accepted it for its lifetime.

The parent only supervises: it starts the workers, and stops them all (SIGTERM, so each finishes its requests and
its group commit) when it is told to stop or when one of them ends; a process manager restarts the whole.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import threading
from typing import Any

log = logging.getLogger(__name__)
APP = "service.app:create_app"
BACKLOG = 2048
STOP_WAIT = 30.0  # seconds a worker gets to finish its requests before it is killed


class PortTakenError(OSError):
    """The address cannot be bound (another program listens there, without SO_REUSEPORT)."""


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to (host, port) with `SO_REUSEPORT`: every worker binds its own, the kernel balances them."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise PortTakenError(error.errno, f"{host}:{port} is niet te binden: {error.strerror}") from None
    return sock


def run_worker(host: str, port: int, options: dict[str, Any]) -> None:
    """One worker process: its own listening socket, the app, uvicorn (until SIGTERM or SIGINT)."""
    import uvicorn

    sock = listening_socket(host, port)
    config = uvicorn.Config(APP, factory=True, host=host, port=port, backlog=BACKLOG, **options)
    uvicorn.Server(config).run(sockets=[sock])


def serve(host: str, port: int, workers: int, options: dict[str, Any]) -> int:
    """Run `workers` worker processes on (host, port) until told to stop; 0 when stopped, 1 when a worker ended.

    `options` are uvicorn's (`http`, `access_log`, `log_config`, …). One worker runs in this process.
    """
    import uvicorn

    if workers == 1:
        uvicorn.run(APP, factory=True, host=host, port=port, backlog=BACKLOG, **options)
        return 0
    listening_socket(host, port).close()  # fail here, once, when the address is taken
    context = multiprocessing.get_context("spawn")  # a fresh interpreter each: no engine or loop inherited
    processes = [
        context.Process(target=run_worker, args=(host, port, options), name=f"bibob-worker-{number}")
        for number in range(workers)
    ]
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for process in processes:
            process.start()
        while not stop.wait(0.5):
            if any(not process.is_alive() for process in processes):
                log.error("een worker is gestopt; de andere stoppen ook", extra={"event": "serve.workerEnded"})
                break
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests in flight, the lifespan closes
        for process in processes:
            process.join(STOP_WAIT)
            if process.is_alive():
                process.kill()
                process.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0 if stop.is_set() else 1
