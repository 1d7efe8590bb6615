"""NEN 7513-style records of audit rows: the kind of event, whom it concerns, and the syslog form and target."""

from __future__ import annotations

import datetime as dt

import pytest

from service.store.audit import AuditEntry
from service.views import nen7513

AT = dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC)


def _entry(
    action: str, *, user: str = "u-1", role: str = "safetyAdvisor", kind: str = "case", reason: str = ""
) -> AuditEntry:
    return AuditEntry(1, AT, user, role, action, kind, "C-1", reason, "a" * 64, "0" * 64)


@pytest.mark.parametrize(
    ("action", "role", "event"),
    [
        ("case.read", "safetyAdvisor", "read"),
        ("signal.list", "permitOfficer", "read"),
        ("case.create", "safetyAdvisor", "create"),
        ("signal.createdFromDecision", "mayor", "create"),
        ("signal.update", "safetyAdvisor", "change"),
        ("signal.destroy", "bibobCoordinator", "delete"),
        ("access.denied", "permitOfficer", "denied"),
        ("application.createRefused", "permitOfficer", "denied"),
        ("identity.signedIn", "mayor", "identity"),
        ("retention.destroyed", "system", "system"),
    ],
)
def test_each_row_gets_the_kind_of_event_it_records(action: str, role: str, event: str) -> None:
    assert nen7513.event_kind(_entry(action, role=role)) == event


def test_a_record_names_the_dossier_by_reference_and_the_service_for_its_own_rows() -> None:
    record = nen7513.record(_entry("case.read", reason="toezicht"))
    assert record["onBehalfOf"] == "case/C-1" and record["why"] == "toezicht"
    assert record["when"] == "2026-07-01T12:00:00.000000+02:00"  # Dutch summer time, with its offset
    assert record["what"]["description"] == "casus gelezen"
    system = nen7513.record(_entry("retention.destroyed", user="bibob", role="system", kind="signal"))
    assert system["onBehalfOf"] == "bibob" and system["who"]["roleLabel"] is None
    unknown = nen7513.record(_entry("permitWatch.kept"))
    assert unknown["what"]["description"] == "permitWatch.kept"  # no Dutch verb known: the code itself


@pytest.mark.parametrize(
    ("reason", "how"),
    [("pagina's, OpenID Connect", "oidc"), ("pagina's, wachtwoord en TOTP", "password+totp"),
     ("pagina's, wachtwoord", "password"), ("", None)],
)  # fmt: skip
def test_a_sign_in_says_how_its_user_was_authenticated(reason: str, how: str | None) -> None:
    assert nen7513.record(_entry("identity.signedIn", reason=reason))["who"]["authenticatedBy"] == how
    assert nen7513.record(_entry("case.read", reason=reason))["who"]["authenticatedBy"] is None


def test_a_syslog_message_escapes_its_structured_data_and_keeps_the_host_printable() -> None:
    entry = AuditEntry(4, AT, 'a"b]c\\d', "mayor", "case.read", "case", "C-1", "", "f" * 64, "e" * 64)
    message = nen7513.syslog_message(entry, "host name\n")
    assert message.startswith(b'<166>1 2026-07-01T10:00:00.000000Z hostname bibob - read [nen7513@32473 seq="4" ')
    assert b'user="a\\"b\\]c\\\\d"' in message


@pytest.mark.parametrize("text", ["udp://", "udp://host:0", "udp://host:70000", "udp://host:514/pad", "tcp://h:1",
                                  "log", ""])  # fmt: skip
def test_a_syslog_target_that_is_no_socket_path_or_udp_address_is_refused(text: str) -> None:
    with pytest.raises(nen7513.SyslogTargetError, match="syslog-doel"):
        nen7513.syslog_target(text)


def test_a_syslog_target_is_a_socket_path_or_a_udp_address_with_port_514_by_default() -> None:
    assert nen7513.syslog_target("/dev/log") == nen7513.SyslogTarget(path="/dev/log")
    assert nen7513.syslog_target("udp://siem.example") == nen7513.SyslogTarget(host="siem.example", port=514)
    assert nen7513.syslog_target("udp://127.0.0.1:5514").port == 5514
