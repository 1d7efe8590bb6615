"""Worker processes each listen on their own SO_REUSEPORT socket, so the kernel spreads connections over them."""

from __future__ import annotations

import select
import socket

import pytest

from service.serving import PortTakenError, listening_socket


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_connections_to_one_port_are_spread_over_every_worker_socket() -> None:
    port = free_port()
    workers = [listening_socket("127.0.0.1", port), listening_socket("127.0.0.1", port)]
    clients: list[socket.socket] = []
    try:
        for sock in workers:
            sock.listen(64)
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
        accepted = [0, 0]
        while sum(accepted) < len(clients):
            ready, _, _ = select.select(workers, [], [], 5)
            assert ready, "a connection was never offered to either socket"
            for sock in ready:
                sock.accept()[0].close()
                accepted[workers.index(sock)] += 1

        assert all(accepted), f"one socket took every connection: {accepted}"
    finally:
        for sock in [*clients, *workers]:
            sock.close()


def test_an_address_another_program_holds_is_refused_with_its_reason() -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen(1)
        port = other.getsockname()[1]

        with pytest.raises(PortTakenError, match=f"127.0.0.1:{port}"):
            listening_socket("127.0.0.1", port)
