"""The tables (SQLAlchemy Core): dossiers as JSON documents with indexed metadata, and the audit log."""

from __future__ import annotations

import sqlalchemy as sa

from service.store.common import UtcDateTime

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
}
metadata = sa.MetaData(naming_convention=NAMING)

ID = 36  # a UUID in text form
KEY = 64  # enum wire values, states, kinds
USER = 128  # a user identifier (never a name)
QUESTIONNAIRE_ID = 256


def _id(name: str = "id") -> sa.Column[str]:
    return sa.Column(name, sa.String(ID), primary_key=True)


def _ref(table: str) -> sa.Column[str]:
    return sa.Column(f"{table}_id", sa.String(ID), sa.ForeignKey(f"{table}s.id"), nullable=False, index=True)


def _at(name: str) -> sa.Column[object]:
    return sa.Column(name, UtcDateTime(), nullable=False)


applications = sa.Table(
    "applications",
    metadata,
    _id(),
    sa.Column("permit_type", sa.String(KEY), nullable=False),
    sa.Column("legal_act", sa.String(KEY), nullable=False),
    sa.Column("track", sa.String(KEY), nullable=False),
    sa.Column("received", sa.Date, nullable=False),
    sa.Column("state", sa.String(KEY), nullable=False, index=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("owner", sa.String(USER), nullable=False, index=True),
    sa.Column("answers", sa.JSON, nullable=False),
    sa.Column("attachments", sa.JSON, nullable=False),
    sa.Column("history", sa.JSON, nullable=False),
    _at("created_at"),
    _at("updated_at"),
    sa.Column("questionnaire_id", sa.String(QUESTIONNAIRE_ID), nullable=True),  # from answers: reads skip them
    sa.Column("event_authors", sa.JSON, nullable=True),  # who recorded each event of the history, in order
)

assessments = sa.Table(
    "assessments",
    metadata,
    _id(),
    _ref("application"),
    sa.Column("document", sa.JSON, nullable=False),
    sa.Column("created_by", sa.String(USER), nullable=False),
    _at("created_at"),
)

investigations = sa.Table(  # the coordinator's file, append-only: the newest row is the current one
    "investigations",
    metadata,
    _id(),
    _ref("application"),
    sa.Column("document", sa.JSON, nullable=False),
    sa.Column("created_by", sa.String(USER), nullable=False),
    _at("created_at"),
)

decisions = sa.Table(
    "decisions",
    metadata,
    _id(),
    _ref("application"),
    sa.Column("outcome", sa.String(KEY), nullable=False, index=True),
    sa.Column("document", sa.JSON, nullable=False),
    sa.Column("created_by", sa.String(USER), nullable=False),
    _at("created_at"),
)

letters = sa.Table(  # the documents a procedure produced: each letter as .docx and PDF, with its hashes
    "letters",
    metadata,
    _id(),
    _ref("application"),
    sa.Column("kind", sa.String(KEY), nullable=False),
    sa.Column("name", sa.String(QUESTIONNAIRE_ID), nullable=False),
    sa.Column("docx", sa.LargeBinary, nullable=False),
    sa.Column("pdf", sa.LargeBinary, nullable=False),
    sa.Column("docx_sha256", sa.String(KEY), nullable=False),
    sa.Column("pdf_sha256", sa.String(KEY), nullable=False),
    sa.Column("document", sa.JSON, nullable=False),  # the letter as data: sections, enclosures, choices
    sa.Column("created_by", sa.String(USER), nullable=False),
    _at("created_at"),
)

permit_zaken = sa.Table(  # the zaak of the permit in the municipality's zaaksysteem, when it keeps one (ZGW)
    "permit_zaken",
    metadata,
    sa.Column("application_id", sa.String(ID), sa.ForeignKey("applications.id"), primary_key=True),
    sa.Column("url", sa.String(1000), nullable=False),
    sa.Column("recorded_by", sa.String(USER), nullable=False),
    _at("recorded_at"),
)

signals = sa.Table(
    "signals",
    metadata,
    _id(),
    sa.Column("source", sa.String(KEY), nullable=False, index=True),
    sa.Column("status", sa.String(KEY), nullable=False, index=True),
    _at("received"),
    sa.Column("destroy_on", sa.Date, nullable=True, index=True),
    sa.Column("registered_by", sa.String(USER), nullable=False, index=True),
    sa.Column("document", sa.JSON, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    _at("created_at"),
    _at("updated_at"),
    sa.Column("theme", sa.String(KEY), nullable=True, index=True),  # from the document, which is sealed: the filter
)

cases = sa.Table(
    "cases",
    metadata,
    _id(),
    sa.Column("status", sa.String(KEY), nullable=False, index=True),
    sa.Column("lead", sa.String(USER), nullable=False, index=True),
    sa.Column("confidentiality", sa.String(KEY), nullable=False),
    sa.Column("document", sa.JSON, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    _at("created_at"),
    _at("updated_at"),
)

case_members = sa.Table(
    "case_members",
    metadata,
    sa.Column("case_id", sa.String(ID), sa.ForeignKey("cases.id"), primary_key=True),
    sa.Column("user", sa.String(USER), primary_key=True, index=True),
    _at("added_at"),
)

case_signals = sa.Table(  # the signals a case was opened from or took in: their advisors' need-to-know follows it
    "case_signals",
    metadata,
    sa.Column("case_id", sa.String(ID), sa.ForeignKey("cases.id"), primary_key=True),
    sa.Column("signal_id", sa.String(ID), sa.ForeignKey("signals.id"), primary_key=True, index=True),
)

evidence = sa.Table(
    "evidence",
    metadata,
    _id(),
    _ref("case"),
    sa.Column("kind", sa.String(KEY), nullable=False),
    sa.Column("status", sa.String(KEY), nullable=False),
    sa.Column("source_ref", sa.String(256), nullable=False, index=True),
    sa.Column("document", sa.JSON, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    _at("created_at"),
)

subjects = sa.Table(
    "subjects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(KEY), nullable=False),
    sa.Column("key", sa.String(256), nullable=False),
    sa.Column("owner_type", sa.String(KEY), nullable=False),
    sa.Column("owner_id", sa.String(ID), nullable=False),
    sa.Index(None, "owner_type", "owner_id"),
    sa.UniqueConstraint("kind", "key", "owner_type", "owner_id"),  # also the index for lookups by (kind, key)
)

match_reviews = sa.Table(
    "match_reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("left_key", sa.String(256), nullable=False),
    sa.Column("right_key", sa.String(256), nullable=False),
    sa.Column("confirmed", sa.Boolean, nullable=False),
    sa.Column("reviewer", sa.String(USER), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    _at("at"),
    sa.Column("case_id", sa.String(ID), nullable=True, index=True),  # the case the verdict counts in (0013)
    sa.Index(None, "left_key", "right_key"),
    sa.Index(None, "right_key"),  # reviews of a subject on either side (0010)
)

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("principal", sa.String(USER), primary_key=True),
    sa.Column("scope", sa.String(KEY), primary_key=True),
    sa.Column("key", sa.String(KEY), primary_key=True),
    sa.Column("request_hash", sa.String(64), nullable=False),
    sa.Column("response_status", sa.Integer, nullable=False),
    sa.Column("response_body", sa.JSON, nullable=False),
    _at("created_at"),
    sa.Index(None, "created_at"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    _at("at"),
    sa.Column("user", sa.String(USER), nullable=False, index=True),
    sa.Column("role", sa.String(KEY), nullable=False),
    sa.Column("action", sa.String(KEY), nullable=False),
    sa.Column("object_type", sa.String(KEY), nullable=False),
    sa.Column("object_id", sa.String(ID), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Index(None, "object_type", "object_id"),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),  # sha256 of the opaque token; the token is never stored
    sa.Column("user", sa.String(USER), nullable=False, index=True),
    sa.Column("role", sa.String(KEY), nullable=False),
    _at("created_at"),
    sa.Column("revoked_at", UtcDateTime(), nullable=True),
    sa.Column("expires_at", UtcDateTime(), nullable=True, index=True),  # None: no end (tokens made before 0010)
)

external_jobs = sa.Table(
    "external_jobs",
    metadata,
    sa.Column("kind", sa.String(KEY), primary_key=True),  # e.g. "zgwMirror"
    sa.Column("object_id", sa.String(ID), primary_key=True),  # the case (or application) it is about
    sa.Column("status", sa.String(KEY), nullable=False, index=True),  # pending, done, failed
    sa.Column("state", sa.JSON, nullable=False),  # what the external system already has (remote URLs)
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("last_error", sa.String(500), nullable=False),  # a Dutch reason, never a key or personal data
    sa.Column("next_attempt_at", UtcDateTime(), nullable=False, index=True),
    _at("updated_at"),
)

users = sa.Table(  # local accounts for the pages (embedded mode); the API keeps its bearer tokens
    "users",
    metadata,
    sa.Column("name", sa.String(USER), primary_key=True),  # the identifier a Principal carries, as a token's user
    sa.Column("role", sa.String(KEY), nullable=False),
    sa.Column("password_hash", sa.String(256), nullable=False),  # argon2id, with its parameters and salt
    _at("created_at"),
    sa.Column("disabled_at", UtcDateTime(), nullable=True),
    sa.Column("origin", sa.String(KEY), nullable=False, server_default="local"),  # local, or oidc (no password)
    sa.Column("totp_secret", sa.String(64), nullable=True),  # base32; set when a second factor is being enrolled
    sa.Column("totp_confirmed_at", UtcDateTime(), nullable=True),  # set once a first code proved the enrolment
    sa.Column("totp_last_step", sa.Integer, nullable=True),  # the last 30-second step used: a code works once
)

rate_counters = sa.Table(  # fixed-window counters shared by every worker: sign-in failures, writes, assessments
    "rate_counters",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),  # sha256 of what is counted (never an address or name)
    sa.Column("window_start", UtcDateTime(), nullable=False, index=True),
    sa.Column("count", sa.Integer, nullable=False),
)

web_sessions = sa.Table(  # server-side sessions of the pages; the cookie holds a random token, this table its hash
    "web_sessions",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # sha256 of the cookie's token; the token is never stored
    sa.Column("user", sa.String(USER), sa.ForeignKey("users.name"), nullable=False, index=True),
    _at("created_at"),
    _at("last_seen_at"),
    sa.Column("expires_at", UtcDateTime(), nullable=False, index=True),  # the absolute end, whatever the activity
    sa.Column("csrf_token", sa.String(64), nullable=False),  # echoed in every form of this session
    sa.Column("stage", sa.String(KEY), nullable=True),  # None: signed in; "mfa": password proved, code to come
)

consultations = sa.Table(  # a subject of an application touches a case or signal: a question for the advisor
    "consultations",
    metadata,
    _id(),
    _ref("application"),
    sa.Column("subject_key", sa.String(256), nullable=False),  # a hash of the subject (`subject_key`), no values
    sa.Column("role", sa.String(256), nullable=False),  # the subject's role in the application, in Dutch
    sa.Column("owner_type", sa.String(KEY), nullable=False),  # case or signal
    sa.Column("owner_id", sa.String(ID), nullable=False, index=True),
    sa.Column("match_explanation", sa.Text, nullable=False),  # value-free: fields agreed or not
    sa.Column("status", sa.String(KEY), nullable=False, index=True),  # open, asked, answered
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("asked_by", sa.String(USER), nullable=True),
    sa.Column("answered_by", sa.String(USER), nullable=True),
    sa.Column("answer", sa.JSON, nullable=True),  # {nothingToShare: true} or {fact: …} as shared
    sa.Column("version", sa.Integer, nullable=False),
    _at("created_at"),
    _at("updated_at"),
    sa.UniqueConstraint("application_id", "subject_key", "owner_id"),  # at most one per application, subject, case
)

disclosures = sa.Table(  # every time Bibob data leaves the Bibob dossier (or case data enters it): art. 28 Wet Bibob
    "disclosures",
    metadata,
    _id(),
    sa.Column("dossier_type", sa.String(KEY), nullable=False),  # application (the Bibob dossier)
    sa.Column("dossier_id", sa.String(ID), nullable=False, index=True),
    sa.Column("direction", sa.String(KEY), nullable=False),  # out of the Bibob dossier, or into it
    sa.Column("recipient", sa.String(512), nullable=False),
    sa.Column("legal_basis", sa.String(KEY), nullable=False),
    sa.Column("purpose", sa.Text, nullable=False),
    sa.Column("content", sa.Text, nullable=False),  # what went, in Dutch (kinds of data, never the data)
    sa.Column("by", sa.String(USER), nullable=False),
    _at("at"),
    sa.Index(None, "at"),
)

notifications = sa.Table(  # what a user is told inside the product (the bell): ids and labels only, per recipient
    "notifications",
    metadata,
    sa.Column("id", sa.String(ID), primary_key=True),
    sa.Column("user", sa.String(USER), nullable=False),
    sa.Column("kind", sa.String(KEY), nullable=False),  # newEvidence, newSignal, signalAssigned, decisionWaiting
    sa.Column("object_type", sa.String(KEY), nullable=False),
    sa.Column("object_id", sa.String(ID), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    _at("created_at"),
    sa.Column("read_at", UtcDateTime(), nullable=True),
    sa.Index(None, "user", "read_at"),
)

watched_permits = sa.Table(  # a granted permit's subjects, kept for the watch (its keys: subjects, owner "permit")
    "watched_permits",
    metadata,
    sa.Column("application_id", sa.String(ID), sa.ForeignKey("applications.id"), primary_key=True),
    sa.Column("subjects", sa.JSON, nullable=False),  # [{role, subjects}] as the application declared them
    sa.Column("granted_on", sa.Date, nullable=False),
    _at("created_at"),
)

watch_prompts = sa.Table(  # a granted permit's subject became known elsewhere: a re-screen prompt (art. 4 Wet Bibob)
    "watch_prompts",
    metadata,
    _id(),
    _ref("application"),
    sa.Column("trigger", sa.String(KEY), nullable=False),  # signalWeighed, caseSubjects, bibobDecision, …
    sa.Column("source_type", sa.String(KEY), nullable=False),  # for idempotency only: never shown
    sa.Column("source_id", sa.String(ID), nullable=False),
    sa.Column("subject_key", sa.String(256), nullable=False),
    sa.Column("role", sa.String(256), nullable=False),
    sa.Column("match_explanation", sa.Text, nullable=False),  # value-free: fields agreed or not
    sa.Column("status", sa.String(KEY), nullable=False, index=True),
    _at("created_at"),
    sa.UniqueConstraint("application_id", "source_id", "subject_key"),
)

permit_conditions = sa.Table(  # a condition (voorschrift) of a permit as a task: due date, owner, check result
    "permit_conditions",
    metadata,
    _id(),
    _ref("application"),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("due_on", sa.Date, nullable=False, index=True),
    sa.Column("owner", sa.String(USER), nullable=False),
    sa.Column("check_result", sa.String(KEY), nullable=True),  # met, notMet; None while unchecked
    sa.Column("checked_on", sa.Date, nullable=True),
    sa.Column("checked_by", sa.String(USER), nullable=True),
    _at("created_at"),
)

lbb_advices = sa.Table(  # an LBB advice received, kept per subject (keys: subjects, owner "lbbAdvice") for reuse
    "lbb_advices",
    metadata,
    _id(),
    _ref("application"),
    sa.Column("advised_on", sa.Date, nullable=False, index=True),
    _at("created_at"),
)

key_checks = sa.Table(  # one probe per key (HMAC of a fixed text): a wrong or missing key is told at start-up
    "key_checks",
    metadata,
    sa.Column("purpose", sa.String(KEY), primary_key=True),  # audit, subjects, data:<key id>
    sa.Column("probe", sa.String(64), nullable=False),
    _at("created_at"),
)

legal_holds = (
    sa.Table(  # a dossier kept past its retention term: objection, appeal, an incident (service.store.retention)
        "legal_holds",
        metadata,
        sa.Column("dossier_type", sa.String(KEY), primary_key=True),  # application or case
        sa.Column("dossier_id", sa.String(ID), primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
        _at("placed_at"),
    )
)
