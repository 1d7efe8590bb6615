"""`bibob audit export`: the NEN 7513 records after a seq, to the output or to syslog (a real UDP socket here)."""

from __future__ import annotations

import io
import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.auth import Principal, Role
from service.cli import main
from service.store import audit
from service.store.engine import create_engine_for
from tests.service.store.helpers import allow_tampering

ADVISOR = Principal("safetyAdvisor-1", Role.SAFETY_ADVISOR)
# RFC 5424: <PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG
RFC5424 = re.compile(
    rb"<(?P<pri>\d{1,3})>1 (?P<stamp>\S+) (?P<host>\S+) bibob - (?P<msgid>\w+) "
    rb"\[nen7513@32473 (?P<sd>(?:\w+=\"(?:[^\"\\\]]|\\.)*\" ?)+)\] \xef\xbb\xbf(?P<msg>.+)",
    re.DOTALL,
)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'export.sqlite3'}"
    monkeypatch.setenv("BIBOB_DATABASE_URL", url)
    monkeypatch.delenv("BIBOB_KEY_FILE", raising=False)
    monkeypatch.delenv("BIBOB_KEYS", raising=False)
    assert _run("migrate")[0] == 0
    engine = create_engine_for(url)
    with engine.begin() as conn:
        audit.append_system(conn, "retention.destroyed", "signal", ["S-1"], "bewaartermijn verstreken")
        audit.append(conn, ADVISOR, "case.read", "case", "C-7", 'toezicht "casus" [a]')
        audit.append(conn, ADVISOR, audit.DENIED, "application", "A-9", "")
    engine.dispose()
    return url


@pytest.fixture
def receiver() -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(5)
    yield sock
    sock.close()


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out), out.getvalue()


def test_the_export_writes_the_records_after_since_as_json_lines(database: str) -> None:
    status, said = _run("audit", "export", "--since", "1")
    assert status == 0, said
    records = [json.loads(line) for line in said.splitlines()]
    assert [(r["seq"], r["what"]["event"], r["dossier"]["id"]) for r in records] == [
        (2, "read", "C-7"),
        (3, "denied", "A-9"),
    ]
    assert records[0]["who"]["user"] == "safetyAdvisor-1" and records[0]["why"] == 'toezicht "casus" [a]'
    assert records[1]["prevHash"] == records[0]["hash"]  # consecutive rows link up
    status, everything = _run("audit", "export", "--since", "0", "--format", "nen7513")
    first = json.loads(everything.splitlines()[0])
    assert status == 0 and first["onBehalfOf"] == "bibob" and first["what"]["event"] == "system"
    assert _run("audit", "export", "--since", "3") == (0, "")  # nothing new: nothing written


def test_the_export_sends_one_rfc5424_message_per_record_to_a_udp_syslog(
    database: str, receiver: socket.socket
) -> None:
    port = receiver.getsockname()[1]
    status, said = _run("audit", "export", "--since", "0", "--syslog", f"udp://127.0.0.1:{port}")
    assert status == 0 and said == f"3 auditregels naar syslog udp://127.0.0.1:{port} gestuurd (tot en met regel 3).\n"
    messages = [receiver.recv(65535) for _ in range(3)]
    parsed = [RFC5424.fullmatch(message) for message in messages]
    assert all(parsed), messages
    found = [match for match in parsed if match is not None]
    # local4 (20): 20 * 8 + 6 (info) = 166, a refused access is a notice: 165
    assert [int(m["pri"]) for m in found] == [166, 166, 165]
    assert [m["msgid"] for m in found] == [b"system", b"read", b"denied"]
    records = [json.loads(m["msg"].decode("utf-8")) for m in found]
    assert [r["seq"] for r in records] == [1, 2, 3] and records[1]["why"] == 'toezicht "casus" [a]'
    assert b'objectId="C-7"' in found[1]["sd"] and f'hash="{records[1]["hash"]}"'.encode() in found[1]["sd"]
    assert all(m["stamp"].endswith(b"Z") for m in found)


def test_the_export_pages_through_the_log_in_batches_and_reaches_a_local_datagram_socket(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit, "BATCH", 2)  # 3 rows: a full batch, then a short one
    path = str(tmp_path / "log.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as local:
        local.bind(path)
        local.settimeout(5)
        status, said = _run("audit", "export", "--since", "0", "--syslog", path)
        assert status == 0 and said == f"3 auditregels naar syslog {path} gestuurd (tot en met regel 3).\n"
        messages = [local.recv(65535) for _ in range(3)]
    assert [json.loads(m.split(b"\xef\xbb\xbf", 1)[1])["seq"] for m in messages] == [1, 2, 3]
    status, said = _run("audit", "export", "--since", "0")
    assert status == 0 and [json.loads(line)["seq"] for line in said.splitlines()] == [1, 2, 3]


def test_bad_input_to_the_export_is_named_and_exits_2(database: str, tmp_path: Path) -> None:
    status, said = _run("audit", "export", "--since", "-1", "--format", "xml", "--syslog", "ftp://siem")
    assert status == 2
    assert said.splitlines() == [
        "--since is een regelnummer van 0 tot 9223372036854775807",
        "onbekend formaat 'xml': alleen nen7513",
        "ongeldig syslog-doel 'ftp://siem': verwacht /dev/log of udp://host:poort",
    ]
    for target in ("udp://127.0.0.1:99999", "udp://:514", "dev/log"):
        status, said = _run("audit", "export", "--since", "0", "--syslog", target)
        assert status == 2 and "syslog-doel" in said and "{" not in said, (target, said)
    status, said = _run("audit", "export", "--since", "0", "--syslog", str(tmp_path / "geen-socket"))
    assert status == 2 and "niet bereikbaar" in said
    with pytest.raises(SystemExit) as stopped:  # argparse's own usage error: also exit 2
        _run("audit", "export", "--since", "gisteren")
    assert stopped.value.code == 2


def test_an_unreadable_row_ends_the_export_with_exit_1_after_the_records_before_it(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = create_engine_for(database)
    with engine.begin() as conn:
        allow_tampering(conn)
        conn.exec_driver_sql("UPDATE audit_log SET at = 'gisteren ergens' WHERE seq = 2")
    engine.dispose()
    status, said = _run("audit", "export", "--since", "0")
    assert status == 1 and [json.loads(line)["seq"] for line in said.splitlines()] == [1]
    assert "Auditregel 2 is beschadigd" in capsys.readouterr().err  # on standard error: the output stays JSON Lines
