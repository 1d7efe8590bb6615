"""The audit log as NEN 7513-style records for a SIEM: who, what, when, which dossier, on whose behalf, why.

One record per audit row, as JSON (JSON Lines in an export) or as an RFC 5424 syslog message. Ids, codes and
reasons only: the person or company a dossier concerns is personal data (often criminal-law data, AVG art. 10),
so a record names the dossier by its reference and never a name or a BSN. Each record carries the row's place in
the hash chain (seq, hash, prevHash): the last record's seq and hash are a chain head that
`POST /api/v1/audit-log/_verify` (body `{"anchor": {"seq", "hash"}}`) holds against the chain.
"""

from __future__ import annotations

import json
import socket
import urllib.parse
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from service.auth import Role
from service.store.audit import CREATE_REFUSED, DENIED, IDENTITY_ACTIONS, SYSTEM_ROLE, SYSTEM_USER, AuditEntry

SCHEMA = "bibob-nen7513/1"  # the record's format and version; a change that is not an addition raises it
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")

# the kinds of dossier the log names, in Dutch (the wire keeps the English object type)
OBJECT_TYPES = {
    "application": "aanvraag",
    "signal": "melding",
    "case": "casus",
    "consultation": "consultatie",
    "matchReview": "matchbeoordeling",
    "subject": "betrokkene",
    "evidence": "bewijsstuk",
    "auditLog": "auditlogboek",
    "account": "account",
    "apiToken": "API-token",
}
# what an action did, in Dutch, by its last part (the log keeps the English code)
VERBS = {
    "create": "aangemaakt",
    "read": "gelezen",
    "update": "gewijzigd",
    "list": "in een lijst getoond",
    "search": "gezocht",
    "verify": "keten gecontroleerd",
    "export": "geëxporteerd",
    "destroy": "vernietigd",
    "destroyed": "vernietigd",
    "disable": "uitgeschakeld",
    "revoke": "ingetrokken",
    "passwordReset": "nieuw wachtwoord",
    "signedIn": "aangemeld",
    "signInFailed": "aanmelden mislukt",
    "lockedOut": "geblokkeerd na mislukte pogingen",
    "signedOut": "afgemeld",
    "mfaEnrolled": "tweede factor ingesteld",
    "mfaConfirmed": "tweede factor bevestigd",
    "mfaRemoved": "tweede factor verwijderd",
    "tokenCreated": "API-token aangemaakt",
    "tokenRotated": "API-token vervangen",
    "tokenRevoked": "API-token ingetrokken",
    "userCreated": "account aangemaakt",
    "userDisabled": "account uitgeschakeld",
    "roleChanged": "rol gewijzigd",
    "passwordChanged": "wachtwoord gewijzigd",
    "denied": "toegang geweigerd",
    "createRefused": "aanmaken geweigerd (kenmerk bestaat al)",
    "holdPlaced": "bewaarblokkade geplaatst",
    "holdReleased": "bewaarblokkade opgeheven",
    "keyed": "sleutel van de keten in gebruik genomen",
    "accessReport": "inzageoverzicht (AVG art. 15) gemaakt",
}
# every field of a record, with what it holds (in Dutch): the register of processing prints this table
FIELDS = (
    ("schema", "vorm en versie van het record: `bibob-nen7513/1`"),
    ("seq", "het regelnummer in de keten van het auditlogboek"),
    ("hash", "de hash (HMAC-SHA256) van de regel in de keten"),
    ("prevHash", "de hash van de regel ervóór; seq en hash van het laatste record zijn een ankerpunt voor de controle"),
    ("when", "wanneer: het tijdstip in ISO 8601 met de verschuiving, in Nederlandse tijd"),
    ("who.user", "wie: de gebruikersnaam (een kenmerk); `-` bij een mislukte aanmelding met een onbekende naam; "
                 "`bibob` voor de dienst zelf"),
    ("who.role", "de rol waarin gehandeld werd (`system` voor de dienst zelf)"),
    ("who.roleLabel", "die rol in het Nederlands"),
    ("who.authenticatedBy", "hoe aangemeld: `password`, `password+totp` of `oidc` bij een aanmelding "
                            "(`identity.signedIn`); anders `null` (het logboek houdt dat niet per verzoek bij)"),
    ("what.action", "wat: de code van de handeling, bijvoorbeeld `case.read`"),
    ("what.event", "de soort gebeurtenis: `read`, `change`, `create`, `delete`, `denied`, `identity` of `system`"),
    ("what.description", "de handeling in het Nederlands, bijvoorbeeld `casus gelezen`"),
    ("dossier.type", "welk dossier: de soort (`application`, `signal`, `case`, …)"),
    ("dossier.typeLabel", "die soort in het Nederlands"),
    ("dossier.id", "het kenmerk van het dossier (`null` als er geen is)"),
    ("onBehalfOf", "ten behoeve van wie: de verwijzing `soort/kenmerk` naar het dossier, nooit een naam of BSN "
                   "(wie het dossier betreft is een persoonsgegeven); `bibob` voor regels van de dienst zelf"),
    ("why", "waarom: de reden uit `X-Audit-Reason` (of `null`)"),
)  # fmt: skip
EVENTS = ("read", "change", "create", "delete", "denied", "identity", "system")
_READS = {"read", "list", "search", "export", "verify", "match", "knownCheck", "accessReport", "pendingRead",
          "overdueList", "probedForAssessment", "knownCheckForAssessment", "comparedForDecision"}  # fmt: skip
_CREATES = {"create", "createdFromDecision"}
_DELETES = {"destroy", "destroyed"}
# how a sign-in row's reason names the way its user was authenticated (other rows do not say)
_AUTHENTICATED_BY = (("OpenID Connect", "oidc"), ("TOTP", "password+totp"), ("wachtwoord", "password"))


def describe(action: str) -> str:
    """An action in Dutch when its last part is a known verb (`case.read`: gelezen), else empty."""
    return VERBS.get(action.rsplit(".", 1)[-1], "")


def event_kind(entry: AuditEntry) -> str:
    """The kind of event a row records: read, change, create, delete, denied, identity or system."""
    if entry.role == SYSTEM_ROLE:
        return "system"
    if entry.action in (DENIED, CREATE_REFUSED):
        return "denied"
    if entry.action in IDENTITY_ACTIONS:
        return "identity"
    verb = entry.action.rsplit(".", 1)[-1]
    return "read" if verb in _READS else "create" if verb in _CREATES else "delete" if verb in _DELETES else "change"


def record(entry: AuditEntry) -> dict[str, Any]:
    """One audit row as a NEN 7513-style record (the fields are documented in the README, section Privacy)."""
    role = Role.parse(entry.role)
    action = describe(entry.action)
    kind = OBJECT_TYPES.get(entry.object_type, entry.object_type)
    return {
        "schema": SCHEMA,
        "seq": entry.seq,
        "hash": entry.hash,
        "prevHash": entry.prev_hash,
        "when": entry.at.astimezone(DUTCH_TIME).isoformat(timespec="microseconds"),
        "who": {
            "user": entry.user,
            "role": entry.role or None,
            "roleLabel": role.label if role else None,
            "authenticatedBy": _authenticated_by(entry),
        },
        "what": {
            "action": entry.action,
            "event": event_kind(entry),
            "description": f"{kind} {action}" if action and entry.object_type else action or entry.action,
        },
        "dossier": {"type": entry.object_type, "typeLabel": kind, "id": entry.object_id or None},
        "onBehalfOf": _on_behalf_of(entry),
        "why": entry.reason or None,
    }


def _authenticated_by(entry: AuditEntry) -> str | None:
    if entry.action != "identity.signedIn":
        return None
    return next((how for said, how in _AUTHENTICATED_BY if said in entry.reason), None)


def _on_behalf_of(entry: AuditEntry) -> str | None:
    """Whom the event concerns: the dossier's reference (never a name or BSN), `bibob` for the service's own rows."""
    if entry.role == SYSTEM_ROLE or entry.user == SYSTEM_USER:
        return SYSTEM_USER
    return f"{entry.object_type}/{entry.object_id}" if entry.object_id else None


def as_nen7513(entries: Iterable[AuditEntry]) -> str:
    """The rows as JSON Lines of NEN 7513-style records, in chain order."""
    return "".join(json.dumps(record(entry), ensure_ascii=False) + "\n" for entry in entries)


# --- syslog (RFC 5424), one record per message ---

FACILITY = 20  # local4
SD_ID = "nen7513@32473"  # 32473: the enterprise number RFC 5612 sets aside for documentation and examples
APP_NAME = "bibob"
_NOTICE, _INFO = 5, 6


def syslog_message(entry: AuditEntry, hostname: str) -> bytes:
    """One RFC 5424 message: local4, notice for a refusal and info otherwise, MSGID the event kind, the record's
    key fields as structured data and the whole record as JSON in the message (UTF-8 with its BOM)."""
    rec = record(entry)
    severity = _NOTICE if rec["what"]["event"] == "denied" else _INFO
    stamp = entry.at.isoformat(timespec="microseconds").replace("+00:00", "Z")
    params = {"seq": entry.seq, "hash": entry.hash, "event": rec["what"]["event"], "action": entry.action,
              "user": entry.user, "objectType": entry.object_type, "objectId": entry.object_id}  # fmt: skip
    data = " ".join(f'{name}="{_sd_value(str(value))}"' for name, value in params.items())
    host = _header_token(hostname, 255)
    header = f"<{FACILITY * 8 + severity}>1 {stamp} {host} {APP_NAME} - {rec['what']['event']} [{SD_ID} {data}] "
    return header.encode("utf-8") + b"\xef\xbb\xbf" + json.dumps(rec, ensure_ascii=False).encode("utf-8")


def _sd_value(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def _header_token(value: str, size: int) -> str:
    kept = "".join(ch for ch in value if 33 <= ord(ch) <= 126)[:size]
    return kept or "-"


class SyslogTargetError(ValueError):
    """A syslog target that is neither a local socket path nor udp://host:port (a Dutch message)."""


@attrs.frozen
class SyslogTarget:
    """Where messages go: a local datagram socket (`/dev/log`) or a UDP address."""

    path: str | None = None
    host: str | None = None
    port: int = 514


def syslog_target(text: str) -> SyslogTarget:
    """`/dev/log` (an absolute socket path) or `udp://host:port`; anything else is a `SyslogTargetError`."""
    if text.startswith("udp://"):
        parsed = urllib.parse.urlsplit(text)
        try:
            port = 514 if parsed.port is None else parsed.port
        except ValueError:
            raise SyslogTargetError(
                f"ongeldige poort in syslog-doel {text!r}: verwacht udp://host:poort (1-65535)"
            ) from None
        if not parsed.hostname or parsed.path or parsed.query or parsed.fragment or port < 1:
            raise SyslogTargetError(f"ongeldig syslog-doel {text!r}: verwacht udp://host:poort")
        return SyslogTarget(host=parsed.hostname, port=port)
    if text.startswith("/") and "\x00" not in text:
        return SyslogTarget(path=text)
    raise SyslogTargetError(f"ongeldig syslog-doel {text!r}: verwacht /dev/log of udp://host:poort")


def open_syslog(target: SyslogTarget) -> socket.socket:
    """A connected datagram socket to the target (an `OSError` when it cannot be reached)."""
    if target.path is not None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        address: Any = target.path
    else:
        info = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_DGRAM)[0]
        sock = socket.socket(info[0], socket.SOCK_DGRAM)
        address = info[4]
    try:
        sock.connect(address)
    except OSError:
        sock.close()
        raise
    return sock
