"""Signals of undermining and their weighing (CCV Modelprotocol, domain.md §6.3, §7.3) as a transition table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from bibob import _machine
from bibob.exceptions import InvalidInputError, Problem
from bibob.labels import LabelledEnum
from bibob.terms import Term, add_term, dutch_date
from bibob.undermining.subjects import Subjects
from bibob.undermining.vocabulary import Partner, Theme

#: A signal weighed as 'no action' is kept this long, then destroyed (domain.md §7.5).
RETENTION = Term.months(12)


class SignalSource(LabelledEnum):
    """Who reported the signal (domain.md §7.1)."""

    POLICE = "police", "politie"
    PUBLIC_PROSECUTOR = "publicProsecutor", "Openbaar Ministerie"
    RIEC = "riec", "RIEC"
    HOUSING_CORPORATION = "housingCorporation", "woningcorporatie"
    RESIDENT = "resident", "bewoner"
    ANONYMOUS = "anonymous", "anonieme melder"
    MELD_MISDAAD_ANONIEM = "meldMisdaadAnoniem", "Meld Misdaad Anoniem"
    BUILDING_INSPECTION = "buildingInspection", "gemeente: bouw- en woningtoezicht"
    ENFORCEMENT = "enforcement", "gemeente: handhaving"
    PERMITS = "permits", "gemeente: vergunningen"
    SOCIAL_DOMAIN = "socialDomain", "gemeente: sociaal domein"
    TAX_AUTHORITY = "taxAuthority", "Belastingdienst"
    ENTREPRENEUR = "entrepreneur", "ondernemer"
    BIBOB_SCREENING = "bibobScreening", "Bibob-toets"
    OTHER = "other", "overig"

    @property
    def is_anonymous(self) -> bool:
        """Whether the reporter is anonymous by design: no reporter identity may be stored."""
        return self in (SignalSource.ANONYMOUS, SignalSource.MELD_MISDAAD_ANONIEM)


class Channel(LabelledEnum):
    """How the signal came in."""

    PHONE = "phone", "telefoon"
    EMAIL = "email", "e-mail"
    LETTER = "letter", "brief"
    WEB_FORM = "webForm", "digitaal formulier"
    IN_PERSON = "inPerson", "persoonlijk"
    PARTNER_MEETING = "partnerMeeting", "overleg met partners"
    INTERNAL = "internal", "intern (systeem of collega)"
    OTHER = "other", "anders"


class SignalState(LabelledEnum):
    """Where a signal stands in the weighing of domain.md §7.3; the first four await a weighing."""

    RECEIVED = "received", "ontvangen (weging 1: ondermijning?)"
    UNDERMINING = "undermining", "ondermijning (weging 2: gemeentelijke taak en grondslag?)"
    MUNICIPAL_TASK = "municipalTask", "gemeentelijke taak (weging 3: zwaarte)"
    SOURCE_RESEARCH = "sourceResearch", "bronnenonderzoek (weging 4)"
    NOT_UNDERMINING = "notUndermining", "afgesloten: geen ondermijning"
    REFERRED = "referred", "doorverwezen naar een partner"
    NO_ACTION = "noAction", "geen actie: bewaard tot vernietiging"
    TO_DEPARTMENT = "toDepartment", "overgedragen aan een afdeling"
    TO_RIEC = "toRiec", "overgedragen aan het RIEC"
    CASE = "case", "casus aangemaakt"

    @property
    def awaiting_weighing(self) -> bool:
        """Whether a weighing is still due."""
        return self in _AWAITING

    @property
    def step(self) -> int | None:
        """The number of the weighing due in this state, or None when weighed."""
        return _AWAITING.index(self) + 1 if self in _AWAITING else None


_AWAITING = (SignalState.RECEIVED, SignalState.UNDERMINING, SignalState.MUNICIPAL_TASK, SignalState.SOURCE_RESEARCH)


class WeighingDecision(LabelledEnum):
    """The decision of a weighing step (domain.md §6.3, §7.1)."""

    UNDERMINING = "undermining", "ondermijning"
    NOT_UNDERMINING = "notUndermining", "geen ondermijning"
    MUNICIPAL_TASK = "municipalTask", "gemeentelijke taak met wettelijke grondslag"
    REFER_TO_PARTNER = "referToPartner", "geen gemeentelijke taak: doorverwijzen naar een partner"
    NO_ACTION = "noAction", "geen actie: 12 maanden bewaren, dan vernietigen"
    TO_DEPARTMENT = "toDepartment", "naar een gemeentelijke afdeling die de regie neemt"
    TO_RIEC = "toRiec", "naar het RIEC"
    FURTHER_ANALYSIS = "furtherAnalysis", "vervolganalyse: bronnenonderzoek"
    OPEN_CASE = "openCase", "gemeentelijk casusoverleg: casus aanmaken"


@attrs.frozen
class ReporterContact:
    """Who to reply to; never stored for an anonymous signal."""

    name: str
    phone: str = ""
    email: str = ""


@attrs.frozen
class Weighed:
    """A weighing step's decision with its reason; `partner`, `department` or `reference` where it needs one."""

    TYPE: ClassVar[str] = "weighed"
    LABEL: ClassVar[str] = "weging"
    at: dt.datetime
    by: str
    decision: WeighingDecision
    reason: str
    partner: Partner | None = None  # referral
    department: str = ""  # to a department
    reference: str = ""  # the RIEC's reference or the id of the case opened


@attrs.frozen
class SourceChecked:
    """One source consulted in the source research, as hit or no hit, approved by the privacy officer."""

    TYPE: ClassVar[str] = "sourceChecked"
    LABEL: ClassVar[str] = "bron geraadpleegd"
    at: dt.datetime
    by: str
    source: str
    hit: bool
    approved_by: str


@attrs.frozen
class Assigned:
    """The signal handed to one safety advisor to weigh (`assignee`, a user name), while a weighing is still due.

    Who the assignee may be (an existing advisor) is the service's to check; the table only says when.
    """

    TYPE: ClassVar[str] = "assigned"
    LABEL: ClassVar[str] = "toegewezen"
    at: dt.datetime
    by: str
    assignee: str


SignalEvent = Weighed | SourceChecked | Assigned
SIGNAL_EVENT_TYPES: Mapping[str, type[SignalEvent]] = MappingProxyType(
    {"weighed": Weighed, "sourceChecked": SourceChecked, "assigned": Assigned}
)


@attrs.frozen
class Signal:
    """A signal (melding) of possible undermining: a value changed only by `apply_signal_event`.

    Constructing one from an anonymous source with a reporter is refused (`InvalidInputError`).
    """

    id: str
    source: SignalSource
    channel: Channel
    received: dt.datetime
    text: str
    subjects: Subjects = attrs.Factory(Subjects)
    theme: Theme = Theme.OTHER
    reporter: ReporterContact | None = None
    state: SignalState = SignalState.RECEIVED
    history: tuple[SignalEvent, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.source.is_anonymous and self.reporter is not None:
            message = f"een melding van '{self.source.label}' bevat geen gegevens van de melder"
            raise InvalidInputError((Problem("/reporter", "signal.anonymousReporter", message),))

    @property
    def decision(self) -> Weighed | None:
        """The latest weighing, or None."""
        return next((e for e in reversed(self.history) if isinstance(e, Weighed)), None)

    @property
    def destroy_on(self) -> dt.date | None:
        """The day a signal weighed as 'no action' must be destroyed: 12 months after that decision."""
        last = self.decision
        if self.state is not SignalState.NO_ACTION or last is None:
            return None
        return add_term(last.at.date(), RETENTION)

    @property
    def source_checks(self) -> tuple[SourceChecked, ...]:
        """The sources consulted in the source research."""
        return tuple(e for e in self.history if isinstance(e, SourceChecked))

    @property
    def assignee(self) -> str | None:
        """The advisor the signal was last assigned to, or None."""
        return next((e.assignee for e in reversed(self.history) if isinstance(e, Assigned)), None)


S, D = SignalState, WeighingDecision
Action = WeighingDecision | type[SourceChecked] | type[Assigned]
_EDGES: tuple[tuple[SignalState, Action, SignalState], ...] = (
    *((state, Assigned, state) for state in _AWAITING),  # assigning changes no state: it says who weighs next
    (S.RECEIVED, D.UNDERMINING, S.UNDERMINING),
    (S.RECEIVED, D.NOT_UNDERMINING, S.NOT_UNDERMINING),
    (S.UNDERMINING, D.MUNICIPAL_TASK, S.MUNICIPAL_TASK),
    (S.UNDERMINING, D.REFER_TO_PARTNER, S.REFERRED),
    (S.MUNICIPAL_TASK, D.NO_ACTION, S.NO_ACTION),
    (S.MUNICIPAL_TASK, D.TO_DEPARTMENT, S.TO_DEPARTMENT),
    (S.MUNICIPAL_TASK, D.TO_RIEC, S.TO_RIEC),
    (S.MUNICIPAL_TASK, D.FURTHER_ANALYSIS, S.SOURCE_RESEARCH),
    (S.SOURCE_RESEARCH, SourceChecked, S.SOURCE_RESEARCH),
    (S.SOURCE_RESEARCH, D.TO_DEPARTMENT, S.TO_DEPARTMENT),
    (S.SOURCE_RESEARCH, D.OPEN_CASE, S.CASE),
    (S.SOURCE_RESEARCH, D.TO_RIEC, S.TO_RIEC),
)
TRANSITIONS: Mapping[tuple[SignalState, Action], SignalState] = _machine.edges(_EDGES)

Reason = str | None
Check = _machine.Check[Signal, Any]


def _named(_signal: Signal, event: SignalEvent) -> Reason:
    return None if event.by.strip() else "vermeld wie de weging of raadpleging deed (by)"


def _reasoned(_signal: Signal, event: SignalEvent) -> Reason:
    if not isinstance(event, Weighed) or event.reason.strip():
        return None
    return "leg de reden van de beslissing vast"


def _in_order(signal: Signal, event: SignalEvent) -> Reason:
    previous = signal.history[-1].at if signal.history else signal.received
    return None if event.at >= previous else f"het tijdstip ligt vóór de vorige stap ({dutch_date(previous.date())})"


def _partner_named(_signal: Signal, event: Weighed) -> Reason:
    return None if event.partner is not None else "noem de partner naar wie wordt doorverwezen"


def _department_named(_signal: Signal, event: Weighed) -> Reason:
    return None if event.department.strip() else "noem de afdeling die de regie neemt"


def _case_named(_signal: Signal, event: Weighed) -> Reason:
    return None if event.reference.strip() else "noem de casus die wordt aangemaakt (reference)"


def _sources_checked(signal: Signal, _event: Weighed) -> Reason:
    if signal.state is not S.SOURCE_RESEARCH or signal.source_checks:
        return None
    return "weging 4 rust op het bronnenonderzoek: leg eerst per bron hit of no-hit vast"


def _assignee_named(_signal: Signal, event: Assigned) -> Reason:
    return None if event.assignee.strip() else "noem de adviseur aan wie de melding wordt toegewezen (assignee)"


def _approved(_signal: Signal, event: SourceChecked) -> Reason:
    if not event.source.strip():
        return "noem de geraadpleegde bron"
    return None if event.approved_by.strip() else "de privacyfunctionaris moet de bron hebben goedgekeurd (approvedBy)"


PRECONDITIONS: Mapping[Action, tuple[Check, ...]] = MappingProxyType({
    D.REFER_TO_PARTNER: (_partner_named,),
    D.TO_DEPARTMENT: (_department_named, _sources_checked),
    D.TO_RIEC: (_sources_checked,),
    D.OPEN_CASE: (_case_named, _sources_checked),
    SourceChecked: (_approved,),
    Assigned: (_assignee_named,),
})  # fmt: skip


def _action(event: SignalEvent) -> Action:
    return event.decision if isinstance(event, Weighed) else type(event)


def _name(action: Action) -> str:
    return action.label if isinstance(action, WeighingDecision) else action.LABEL


def _action_label(action: Action) -> str:
    return f"weging '{action.label}'" if isinstance(action, WeighingDecision) else action.LABEL


def _refusal(machine: _machine.Machine[Signal, SignalEvent, SignalState, Action], state: SignalState, _: Action) -> str:
    weighings = (action for action in _machine.allowed(machine, state) if action is not Assigned)
    allowed = ", ".join(_name(action) for action in weighings)
    return f"mogelijk in deze status: {allowed}" if allowed else "de weging is afgerond"


def _moved(signal: Signal, event: SignalEvent, target: SignalState) -> Signal:
    return attrs.evolve(signal, state=target, history=(*signal.history, event))


MACHINE: _machine.Machine[Signal, SignalEvent, SignalState, Action] = _machine.Machine(
    edges=TRANSITIONS,
    preconditions=PRECONDITIONS,
    state_of=lambda signal: signal.state,
    kind_of=_action,
    label_of=_action_label,
    move=_moved,
    always=(_in_order, _named, _reasoned),
    refusal=_refusal,
)


def apply_signal_event(signal: Signal, event: SignalEvent) -> Signal:
    """The signal after a weighing, source check or assignment; `TransitionError` names every unmet condition."""
    return _machine.apply(MACHINE, signal, event)


def replay_signal(signal: Signal, events: Iterable[SignalEvent]) -> Signal:
    """`signal` after each of `events` in turn."""
    return _machine.replay(MACHINE, signal, events)


def unmet_preconditions(signal: Signal, event: SignalEvent) -> tuple[str, ...]:
    """The Dutch reason of every condition `event` does not meet."""
    return _machine.unmet(MACHINE, signal, event)


def refusals(signal: Signal, action: Action) -> tuple[str, ...]:
    """Why the signal's state and history refuse `action` now, whatever its form would say; empty when they allow it.

    The conditions on what a form carries (a reason, a partner, a department, a case) are left out: a page shows
    these reasons before any click, and names a missing field only after one.
    """
    last = signal.history[-1].at if signal.history else signal.received
    probe: SignalEvent
    if isinstance(action, WeighingDecision):
        probe = Weighed(last, "-", action, "-", Partner.POLICE, "-", "-")
    elif action is Assigned:
        probe = Assigned(last, "-", "-")
    else:
        probe = SourceChecked(last, "-", "-", hit=False, approved_by="-")
    return _machine.verdict(MACHINE, signal, probe).reasons


def allowed_actions(state: SignalState) -> tuple[Action, ...]:
    """The decisions (and source checks) the table allows in `state`."""
    return _machine.allowed(MACHINE, state)


def due_for_destruction(signals: Iterable[Signal], today: dt.date) -> tuple[Signal, ...]:
    """The signals weighed as 'no action' whose 12 months have passed, by id."""
    due = (s for s in signals if s.destroy_on is not None and s.destroy_on <= today)
    return tuple(sorted(due, key=lambda s: s.id))
