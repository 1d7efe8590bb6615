"""Need-to-know, in one place: which role may do what with which dossier, as SQL conditions.

Every repository asks this module *before* it queries: a role without a rule is refused at once, and
a role with a scoped rule gets a WHERE condition, so rows outside its scope are never read. What the
principal may not see is reported as `NotFoundError` (404, not 403): whether a screening or an
undermining case exists is itself confidential (R-AC-6, art. 28 Wet Bibob).

Columns: permitOfficer (PO), bibobCoordinator (BC), safetyAdvisor (SA), mayor (MY), signalIntakePartner (SIP),
privacyOfficer (PRV), functionalAdmin (ADM). "–" means no rule: `NotFoundError` before any query.

| resource          | action | PO           | BC           | SA          | MY                 | SIP  | PRV | ADM |
| ----------------- | ------ | ------------ | ------------ | ----------- | ------------------ | ---- | --- | --- |
| application (1)   | create | all (owner)  | all (owner)  | –           | –                  | –    | –   | –   |
| application (1)   | read   | own          | all          | –           | all                | –    | –   | –   |
| application (1)   | update | own          | all          | –           | –                  | –    | –   | –   |
| decision (4)      | create | own          | all          | –           | all                | –    | –   | –   |
| investigation (5) | read   | –            | all          | –           | all                | –    | –   | –   |
| investigation (5) | update | –            | all          | –           | –                  | –    | –   | –   |
| signal            | create | –            | –            | all         | –                  | all  | –   | –   |
| signal (9)        | read   | –            | –            | inbox/member | –                 | –    | –   | –   |
| signal (9)        | update | –            | –            | inbox/member | –                 | –    | –   | –   |
| case (2)          | create | –            | –            | all (lead)  | –                  | –    | –   | –   |
| case (2)          | read   | –            | member       | member      | member or driehoek | –    | –   | –   |
| case (2)          | update | –            | member       | member      | member in driehoek (8) | – | –  | –   |
| case membership   | update | –            | lead         | lead        | –                  | –    | –   | –   |
| match review      | both   | –            | all          | all         | –                  | –    | –   | –   |
| known-subject (3) | read   | own (yes/no) | all (yes/no) | –           | –                  | –    | –   | –   |
| audit log         | read   | –            | –            | –           | –                  | –    | all | –   |
| consultation (6)  | read   | –            | all          | member      | –                  | –    | –   | –   |
| consultation ask  | update | –            | all          | –           | –                  | –    | –   | –   |
| consultation answer | update | –          | –            | member      | –                  | –    | –   | –   |
| disclosure (7)    | read   | –            | –            | –           | –                  | –    | all | –   |
| permit watch (10) | read   | –            | all          | –           | –                  | –    | –   | –   |
| permit watch (10) | update | –            | all          | –           | –                  | –    | –   | –   |

"own": applications the principal owns.

(1) with its answers, attachments metadata, history, assessments and decisions.
(2) with its evidence items and subjects. "driehoek": the case is in `DRIEHOEK_STATUSES`.
(3) assessing an application the principal may read looks its subjects up in signals and cases; the answer is
    no yes/no but a consultation (6) that the assessment does not reflect (art. 3(2)/(3), art. 28).
(4) recording the permit decision (besluit) on an application: the mayor decides on permits (the mayor's own act,
    recorded in the mayor's name) without changing anything else of the file.
(5) the coordinator's investigation file of an application: own-investigation facts with source and date, the
    proportionality record and the decision proposal for the mayor; closed sources, so never the permit officer's.
(6) a subject of an application touches a case or signal (art. 3(2)/(3): no finding, a question). The coordinator
    sees and asks every consultation; the safety advisor sees those asked about a case they are a member of (or
    about a signal) and answers them. A permit officer only learns, on the application, that one is pending.
(7) every time Bibob data leaves the Bibob dossier, or case data enters it (art. 28 Wet Bibob).
(8) a case in the driehoek step that the mayor is a member of, and then only the approval (`triangleApproved`,
    the mayor's own act): no other step, no evidence, no members, partners or confidentiality
    (`service.usecases.cases.MAYOR_STEPS`). Reading stays "member or driehoek".
(9) "inbox/member": a signal not (yet) linked to a case is in the advisors' shared inbox, visible to every safety
    advisor; once a case is opened from it (or takes it in), only that case's members see it (`case_signals`).
(10) the watch on granted permits: re-screen prompts when a permit's subject becomes known in a signal, case or
    Bibob decision (art. 4 Wet Bibob; the match explained, never the other dossier's contents), and the permit's
    conditions (voorschriften) as tasks. The coordinator's alone: a permit officer is told nothing of it.
Subject keys follow their owner: writing them needs update rights on the owner, matching read rights.
The functional admin manages users and roles but reads no dossier (R-AC-10).
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from bibob.exceptions import NotFoundError
from service.auth import Principal, Role
from service.store.tables import applications, case_members, case_signals, cases, consultations, signals

# The case status(es) in which the mayor aligns and approves the plan of action in the driehoek.
# Keep in step with the case lifecycle of `bibob.undermining.cases` (wire values).
DRIEHOEK_STATUSES = frozenset({"triangleAlignment"})
#: Roles that read an application's assessments with closed sources and case references, and what the coordinator
#: wrote on concluding the own investigation; others get the permit officer's view.
CLOSED_SOURCE_ROLES = frozenset({Role.BIBOB_COORDINATOR, Role.MAYOR})


class Resource(enum.Enum):
    """What is protected; child records (evidence, assessments, …) follow their parent dossier."""

    APPLICATION = "aanvraag"
    DECISION = "besluit"
    INVESTIGATION = "Bibob-onderzoek"
    SIGNAL = "melding"
    CASE = "casus"
    CASE_MEMBERSHIP = "casusleden"
    MATCH_REVIEW = "matchbeoordeling"
    KNOWN_SUBJECT = "bekende betrokkene"
    AUDIT_LOG = "auditlog"
    CONSULTATION = "consultatie"
    CONSULTATION_QUESTION = "consultatievraag"
    CONSULTATION_ANSWER = "consultatieantwoord"
    DISCLOSURE = "verstrekking"
    ACCOUNT = "account"  # users, roles and API tokens: the functional admin's, no dossier content
    PERMIT_WATCH = "vergunningwacht"


class Action(enum.Enum):
    CREATE = "create"
    READ = "read"
    UPDATE = "update"


class Scope(enum.Enum):
    """How far a rule reaches."""

    ALL = "all"
    OWN = "own"  # the principal owns (applications) or registered (signals) it
    MEMBER = "member"  # the principal is a member of the case
    LEAD = "lead"  # the principal leads the case
    DRIEHOEK = "driehoek"  # the case is in the driehoek step
    MEMBER_OR_DRIEHOEK = "memberOrDriehoek"
    MEMBER_IN_DRIEHOEK = "memberInDriehoek"  # a member, and the case is in the driehoek step
    INBOX_OR_MEMBER = "inboxOrMember"  # a signal in the shared inbox, or linked to a case the principal is member of


R, A, S = Role, Action, Scope
RULES: Mapping[tuple[Resource, Action], Mapping[Role, Scope]] = {
    (Resource.APPLICATION, A.CREATE): {R.PERMIT_OFFICER: S.ALL, R.BIBOB_COORDINATOR: S.ALL},
    (Resource.APPLICATION, A.READ): {R.PERMIT_OFFICER: S.OWN, R.BIBOB_COORDINATOR: S.ALL, R.MAYOR: S.ALL},
    (Resource.APPLICATION, A.UPDATE): {R.PERMIT_OFFICER: S.OWN, R.BIBOB_COORDINATOR: S.ALL},
    (Resource.DECISION, A.CREATE): {R.PERMIT_OFFICER: S.OWN, R.BIBOB_COORDINATOR: S.ALL, R.MAYOR: S.ALL},
    (Resource.INVESTIGATION, A.READ): {R.BIBOB_COORDINATOR: S.ALL, R.MAYOR: S.ALL},
    (Resource.INVESTIGATION, A.UPDATE): {R.BIBOB_COORDINATOR: S.ALL},
    (Resource.SIGNAL, A.CREATE): {R.SAFETY_ADVISOR: S.ALL, R.SIGNAL_INTAKE_PARTNER: S.ALL},
    (Resource.SIGNAL, A.READ): {R.SAFETY_ADVISOR: S.INBOX_OR_MEMBER},  # the intake partner reads nothing back
    (Resource.SIGNAL, A.UPDATE): {R.SAFETY_ADVISOR: S.INBOX_OR_MEMBER},
    (Resource.CASE, A.CREATE): {R.SAFETY_ADVISOR: S.ALL},
    (Resource.CASE, A.READ): {R.SAFETY_ADVISOR: S.MEMBER, R.BIBOB_COORDINATOR: S.MEMBER, R.MAYOR: S.MEMBER_OR_DRIEHOEK},
    (Resource.CASE, A.UPDATE): {
        R.SAFETY_ADVISOR: S.MEMBER,
        R.BIBOB_COORDINATOR: S.MEMBER,
        R.MAYOR: S.MEMBER_IN_DRIEHOEK,
    },
    (Resource.CASE_MEMBERSHIP, A.UPDATE): {R.SAFETY_ADVISOR: S.LEAD, R.BIBOB_COORDINATOR: S.LEAD},
    (Resource.MATCH_REVIEW, A.CREATE): {R.SAFETY_ADVISOR: S.ALL, R.BIBOB_COORDINATOR: S.ALL},
    (Resource.MATCH_REVIEW, A.READ): {R.SAFETY_ADVISOR: S.ALL, R.BIBOB_COORDINATOR: S.ALL},
    (Resource.KNOWN_SUBJECT, A.READ): {R.PERMIT_OFFICER: S.ALL, R.BIBOB_COORDINATOR: S.ALL},
    (Resource.AUDIT_LOG, A.READ): {R.PRIVACY_OFFICER: S.ALL},
    (Resource.CONSULTATION, A.READ): {R.BIBOB_COORDINATOR: S.ALL, R.SAFETY_ADVISOR: S.MEMBER},
    (Resource.CONSULTATION_QUESTION, A.UPDATE): {R.BIBOB_COORDINATOR: S.ALL},
    (Resource.CONSULTATION_ANSWER, A.UPDATE): {R.SAFETY_ADVISOR: S.MEMBER},
    (Resource.DISCLOSURE, A.READ): {R.PRIVACY_OFFICER: S.ALL},
    (Resource.ACCOUNT, A.READ): {R.FUNCTIONAL_ADMIN: S.ALL},
    (Resource.ACCOUNT, A.UPDATE): {R.FUNCTIONAL_ADMIN: S.ALL},
    (Resource.PERMIT_WATCH, A.READ): {R.BIBOB_COORDINATOR: S.ALL},
    (Resource.PERMIT_WATCH, A.UPDATE): {R.BIBOB_COORDINATOR: S.ALL},
}


def scope(principal: Principal, resource: Resource, action: Action) -> Scope | None:
    """The reach of the principal's rule, or None when the role has none."""
    return RULES.get((resource, action), {}).get(principal.role)


def sees_closed_sources(principal: Principal) -> bool:
    """Whether the principal reads an application's closed sources (the full assessment, the investigation's words)."""
    return principal.role in CLOSED_SOURCE_ROLES


def require(principal: Principal, resource: Resource, action: Action, identifier: str = "") -> Scope:
    """The principal's scope; without one, `NotFoundError` before anything is queried."""
    found = scope(principal, resource, action)
    if found is None:
        raise NotFoundError(resource.value, identifier)
    return found


def condition(principal: Principal, resource: Resource, action: Action, identifier: str = "") -> ColumnElement[bool]:
    """The WHERE condition selecting exactly the rows of `resource` the principal may `action`."""
    return _condition(principal, resource, require(principal, resource, action, identifier))


@functools.lru_cache(maxsize=4096)  # one expression per principal and rule, reused by every query (it is immutable)
def _condition(principal: Principal, resource: Resource, reach: Scope) -> ColumnElement[bool]:
    if reach is Scope.ALL:
        return sa.true()
    if resource in (Resource.APPLICATION, Resource.DECISION) and reach is Scope.OWN:
        return applications.c.owner == principal.user
    if resource is Resource.SIGNAL and reach is Scope.OWN:
        return signals.c.registered_by == principal.user
    if resource is Resource.SIGNAL and reach is Scope.INBOX_OR_MEMBER:
        return _inbox_or_member_signals(principal)
    if resource in (Resource.CASE, Resource.CASE_MEMBERSHIP):
        return _case_condition(principal, reach)
    if resource in (Resource.CONSULTATION, Resource.CONSULTATION_ANSWER) and reach is Scope.MEMBER:
        return _advisor_consultations(principal)
    raise AssertionError(f"no condition for {resource} {reach}")  # a rule without a condition is a bug


def _case_condition(principal: Principal, reach: Scope) -> ColumnElement[bool]:
    member = sa.exists().where(case_members.c.case_id == cases.c.id, case_members.c.user == principal.user)
    driehoek = cases.c.status.in_(sorted(DRIEHOEK_STATUSES))
    conditions: dict[Scope, ColumnElement[bool]] = {
        Scope.MEMBER: member,
        Scope.LEAD: cases.c.lead == principal.user,
        Scope.DRIEHOEK: driehoek,
        Scope.MEMBER_OR_DRIEHOEK: sa.or_(member, driehoek),
        Scope.MEMBER_IN_DRIEHOEK: sa.and_(member, driehoek),
    }
    return conditions[reach]


def _inbox_or_member_signals(principal: Principal) -> ColumnElement[bool]:
    """Signals linked to no case (the shared inbox), or to a case the principal is a member of."""
    linked = sa.exists().where(case_signals.c.signal_id == signals.c.id)
    through_case = sa.exists().where(
        case_signals.c.signal_id == signals.c.id,
        case_members.c.case_id == case_signals.c.case_id,
        case_members.c.user == principal.user,
    )
    return sa.or_(~linked, through_case)


def _advisor_consultations(principal: Principal) -> ColumnElement[bool]:
    """Consultations the coordinator asked about a case the advisor is a member of, or about a signal."""
    member = sa.exists().where(
        case_members.c.case_id == consultations.c.owner_id, case_members.c.user == principal.user
    )
    about = sa.or_(sa.and_(consultations.c.owner_type == "case", member), consultations.c.owner_type == "signal")
    return sa.and_(consultations.c.status != "open", about)
