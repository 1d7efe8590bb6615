"""The evidence link: Bibob decisions into matching cases (or a new signal), links by hand, and consultations.

Art. 28 Wet Bibob: what a decision carries into a case is its outcome, date, grounds, permit type, the matched
subject and a reference — never the findings, the answers or the advice. A decision resting only on what a case
shared is linked into that case as derived from it, not as independent evidence (no echo).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping

import attrs

from bibob.exceptions import NotFoundError
from bibob.legal import DecisionOutcome, Ground, PermitType
from bibob.matching import Match, MatchLevel, ReviewLedger, Subject, SubjectIndex, match_against, subject_key
from bibob.parties import Address, Organisation, Person
from bibob.screening import Declaration, Finding
from bibob.terms import dutch_date
from bibob.undermining.case_lifecycle import apply_case_event
from bibob.undermining.cases import Case
from bibob.undermining.evidence_events import EvidenceConfirmed, EvidenceDetached, EvidenceLinked
from bibob.undermining.signals import Channel, Signal, SignalSource, SignalState
from bibob.undermining.subjects import Subjects
from bibob.undermining.vocabulary import (
    Confidentiality,
    EvidenceItem,
    EvidenceKind,
    EvidenceStatus,
    MatchedSubject,
    Theme,
)

#: The actor the journal names for links the software makes by itself.
SYSTEM_ACTOR = "bibob"
_FIELDS = {
    "bsn": "BSN", "surname": "achternaam", "firstNames": "voornamen", "dateOfBirth": "geboortedatum",
    "address": "adres", "name": "naam", "kvkNumber": "KvK-nummer", "rsin": "RSIN", "postcode": "postcode",
    "houseNumber": "huisnummer", "houseNumberAddition": "toevoeging", "street": "straat", "city": "plaats",
    "review": "beoordeling", "kind": "soort",
}  # fmt: skip


@attrs.frozen
class ApplicationSubject:
    """A person, organisation or address of an application, with its role there in Dutch."""

    subject: Subject
    role: str


@attrs.frozen
class RecordedDecision:
    """A permit decision as recorded, with what the evidence link may carry (art. 28): no findings, no advice.

    `derived_from`: the cases whose shared information is the decision's only basis (no echo into them).
    """

    application_id: str
    outcome: DecisionOutcome
    decided_on: dt.date
    grounds: tuple[Ground, ...]
    subjects: tuple[ApplicationSubject, ...]
    permit_type: PermitType | None = None
    theme: Theme = Theme.OTHER
    confidentiality: Confidentiality = Confidentiality.CONFIDENTIAL
    derived_from: frozenset[str] = frozenset()

    @property
    def evidence_id(self) -> str:
        """The id of this decision's evidence item in every case (so linking twice links once)."""
        return f"besluit-{self.application_id}-{self.outcome.value}"

    @property
    def summary(self) -> str:
        """The decision in Dutch: outcome, date, grounds, permit type and reference — never findings or advice."""
        grounds = "; ".join(ground.label for ground in self.grounds) or "geen"
        permit = self.permit_type.label if self.permit_type is not None else "onbekend"
        return (
            f"Besluit van {dutch_date(self.decided_on)}: {self.outcome.label}. Gronden: {grounds}. "
            f"Soort beschikking: {permit}. Referentie: aanvraag {self.application_id}."
        )


@attrs.frozen
class DecisionLinks:
    """What recording a decision did: the changed cases, the new items per case, and a new signal if no case matched."""

    cases: tuple[Case, ...] = ()
    items: tuple[tuple[str, EvidenceItem], ...] = ()  # (case id, item)
    signal: Signal | None = None
    related_signals: tuple[str, ...] = ()  # open signals about the same subjects


def application_subjects(declaration: Declaration) -> tuple[ApplicationSubject, ...]:
    """The subject, business and every involved party, the premises and the organisations' seats; each once."""
    found: dict[Subject, str] = {}
    parties: tuple[tuple[Person | Organisation | None, str], ...] = (
        (declaration.subject, "betrokkene"),
        (declaration.business, "onderneming"),
        *((i.party, i.role.label) for i in declaration.involvements),
    )
    for party, role in parties:
        if party is not None:
            found.setdefault(party, role)
    for address in declaration.premises.addresses:
        found.setdefault(address, "adres van de inrichting")
    for subject, role in tuple(found.items()):
        if isinstance(subject, Organisation) and subject.address is not None:
            found.setdefault(subject.address, f"vestigingsadres ({role})")
    return tuple(ApplicationSubject(subject, role) for subject, role in found.items())


def recorded_decision(
    application_id: str,
    outcome: DecisionOutcome,
    decided_on: dt.date,
    grounds: tuple[Ground, ...],
    declaration: Declaration,
    permit_type: PermitType | None = None,
    theme: Theme = Theme.OTHER,
    derived_from: Iterable[str] = (),
) -> RecordedDecision:
    """The decision with the application's subjects; what the assessment found stays in the Bibob dossier."""
    subjects = application_subjects(declaration)
    return RecordedDecision(
        application_id, outcome, decided_on, grounds, subjects, permit_type, theme, derived_from=frozenset(derived_from)
    )


def sole_source(evidence: Iterable[tuple[str, str]], shared: Mapping[str, str]) -> str | None:
    """The one case (or signal) whose shared facts are all the evidence of a decision's findings, else None.

    `evidence` is every (kind, reference) the findings name; `shared` maps a shared fact's id to where it came
    from. Any answer, register response or fact of another source makes the decision more than an echo.
    """
    owners = {shared.get(ref) if kind == "fact" else None for kind, ref in evidence}
    if len(owners) != 1:
        return None
    (owner,) = owners
    return owner


def known_key(subject: Subject) -> str:
    """The review-ledger key of a case or signal subject (the application side uses `subject_key`)."""
    return f"known:{subject_key(subject)}"


def _index(owners: Iterable[tuple[str, Subjects]]) -> tuple[SubjectIndex, dict[str, tuple[str, ...]]]:
    """An index over the owners' subjects, and per subject key the ids of the cases or signals holding it."""
    entries: dict[str, Subject] = {}
    owned: dict[str, tuple[str, ...]] = {}
    for owner, subjects in owners:
        for subject in subjects.matchable:
            key = known_key(subject)
            entries[key] = subject
            owned[key] = tuple(dict.fromkeys((*owned.get(key, ()), owner)))
    return SubjectIndex.build(entries.items()), owned


def _matches_by_owner(
    wanted: tuple[ApplicationSubject, ...],
    owners: Iterable[tuple[str, Subjects]],
    ledger: ReviewLedger,
    minimum: MatchLevel,
) -> dict[str, list[tuple[ApplicationSubject, Match]]]:
    index, owned = _index(owners)
    found: dict[str, list[tuple[ApplicationSubject, Match]]] = {}
    for item in wanted:
        for match in match_against(index, item.subject, ledger, key=subject_key(item.subject), minimum=minimum):
            for owner in owned[match.right_key]:
                found.setdefault(owner, []).append((item, match))
    return dict(sorted(found.items()))


def _decision_item(
    decision: RecordedDecision, pairs: list[tuple[ApplicationSubject, Match]], case_id: str
) -> EvidenceItem:
    certain = any(match.level.is_match for _, match in pairs)
    explanation = " | ".join(f"{item.role} ({match.level.label}): {match.explanation}" for item, match in pairs)
    status = EvidenceStatus.LINKED if certain else EvidenceStatus.TO_REVIEW
    return EvidenceItem(
        id=decision.evidence_id,
        kind=EvidenceKind.PERMIT_DECISION,
        source=f"aanvraag {decision.application_id}",
        reference=decision.application_id,
        summary=decision.summary,
        confidentiality=decision.confidentiality,
        status=EvidenceStatus.DERIVED if case_id in decision.derived_from else status,
        match_explanation=explanation,
        matched=tuple(dict.fromkeys(MatchedSubject(m.right_key, item.role, m.left_key) for item, m in pairs)),
    )


def link_decision(
    decision: RecordedDecision,
    cases: Iterable[Case],
    signals: Iterable[Signal],
    ledger: ReviewLedger,
    at: dt.datetime,
    actor: str = SYSTEM_ACTOR,
) -> DecisionLinks:
    """Link a Bibob measure to every open case about the same subjects; a new signal when none matches.

    Only outcomes that are a Bibob measure (refusal, withdrawal, conditions) link. Probable and
    certain matches link as 'linked', possible ones as 'to review', a case the decision rests on alone as
    'derived from this case' (no echo); a case already holding this
    decision is left alone, so recording the same decision twice links it once.
    """
    if not decision.outcome.is_bibob_measure:
        return DecisionLinks()
    open_cases = {case.id: case for case in cases if case.state.is_open}
    matched = _matches_by_owner(
        decision.subjects, ((c.id, c.subjects) for c in open_cases.values()), ledger, MatchLevel.POSSIBLE
    )
    changed, items = [], []
    for case_id, pairs in matched.items():
        case = open_cases[case_id]
        if case.evidence_item(decision.evidence_id) is None:
            item = _decision_item(decision, pairs, case_id)
            changed.append(apply_case_event(case, EvidenceLinked(at, actor, item)))
            items.append((case_id, item))
    related = _related_signals(decision.subjects, tuple(signals), ledger, at.date())
    signal = None if matched else _bibob_signal(decision, related, at)
    return DecisionLinks(tuple(changed), tuple(items), signal, related)


def _live_signals(signals: Iterable[Signal], on: dt.date) -> Iterator[tuple[str, Subjects]]:
    for signal in signals:
        destroyed = signal.destroy_on is not None and signal.destroy_on <= on
        if signal.state is not SignalState.NOT_UNDERMINING and not destroyed:
            yield signal.id, signal.subjects


def _related_signals(
    wanted: tuple[ApplicationSubject, ...], signals: tuple[Signal, ...], ledger: ReviewLedger, on: dt.date
) -> tuple[str, ...]:
    return tuple(_matches_by_owner(wanted, _live_signals(signals, on), ledger, MatchLevel.PROBABLE))


def _bibob_signal(decision: RecordedDecision, related: tuple[str, ...], at: dt.datetime) -> Signal:
    subjects = tuple(item.subject for item in decision.subjects)
    also = f" Mogelijk verband met signaal {', '.join(related)}." if related else ""
    return Signal(
        id=f"bibob-{decision.application_id}-{decision.outcome.value}",
        source=SignalSource.BIBOB_SCREENING,
        channel=Channel.INTERNAL,
        received=at,
        text=f"{decision.summary}{also} Geen open casus over dezelfde betrokkenen; weeg dit signaal.",
        subjects=Subjects(
            tuple(s for s in subjects if isinstance(s, Person)),
            tuple(s for s in subjects if isinstance(s, Organisation)),
            tuple(s for s in subjects if isinstance(s, Address)),
        ),
        theme=decision.theme,
    )


# --- by hand ---------------------------------------------------------------------------------------------------


def link_by_hand(
    case: Case,
    finding: Finding,
    *,
    application_id: str,
    reason: str,
    actor: str,
    at: dt.datetime,
    confidentiality: Confidentiality = Confidentiality.CONFIDENTIAL,
) -> Case:
    """Link a finding of any assessment to `case`, with the advisor's reason; `TransitionError` when refused."""
    item = EvidenceItem(
        id=f"bevinding-{application_id}-{finding.code}",
        kind=EvidenceKind.FINDING,
        source=f"aanvraag {application_id}",
        reference=application_id,
        summary=f"{finding.title}: {finding.explanation}",
        confidentiality=confidentiality,
        reason=reason,
        codes=(finding.code,),
    )
    return apply_case_event(case, EvidenceLinked(at, actor, item))


def confirm(case: Case, evidence_id: str, actor: str, *, at: dt.datetime) -> Case:
    """The case with the link confirmed; `NotFoundError` for an unknown id, `TransitionError` when refused."""
    _existing(case, evidence_id)
    return apply_case_event(case, EvidenceConfirmed(at, actor, evidence_id))


def detach(case: Case, evidence_id: str, actor: str, reason: str, *, at: dt.datetime) -> Case:
    """The case with the link detached for `reason`; `NotFoundError` for an unknown id, else as `confirm`."""
    _existing(case, evidence_id)
    return apply_case_event(case, EvidenceDetached(at, actor, evidence_id, reason))


def _existing(case: Case, evidence_id: str) -> None:
    if case.evidence_item(evidence_id) is None:
        raise NotFoundError("bewijsstuk", evidence_id)


# --- the reverse: consultations ------------------------------------------------------------------------------


@attrs.frozen
class Consultation:
    """A subject of an application touches a case or signal: a question for the advisor, never a finding.

    Art. 3(2)/(3) Wet Bibob ask for facts and circumstances; that someone is known in an undermining case is
    neither. It names which subject and which case or signal touched, and how they matched without values.
    """

    application_id: str
    subject_key: str  # the application side's `subject_key` (a hash, no values)
    role: str  # the subject's role in the application, in Dutch
    owner_type: str  # "case" or "signal"
    owner_id: str
    match_explanation: str


def consultations_for(
    application_id: str,
    declaration: Declaration,
    cases: Iterable[Case],
    signals: Iterable[Signal],
    ledger: ReviewLedger,
    on: dt.date,
) -> tuple[Consultation, ...]:
    """One consultation per subject of the application and case or signal it matches (probable or certain)."""
    wanted = application_subjects(declaration)
    case_ids = {case.id for case in cases if case.state.is_open}
    owners = (*((c.id, c.subjects) for c in cases if c.id in case_ids), *_live_signals(signals, on))
    found: list[Consultation] = []
    for owner, pairs in _matches_by_owner(wanted, owners, ledger, MatchLevel.PROBABLE).items():
        kind = "case" if owner in case_ids else "signal"
        for item, match in _best_per_subject(pairs):
            key = subject_key(item.subject)
            found.append(Consultation(application_id, key, item.role, kind, owner, _value_free(match)))
    return tuple(found)


def _best_per_subject(pairs: list[tuple[ApplicationSubject, Match]]) -> list[tuple[ApplicationSubject, Match]]:
    best: dict[ApplicationSubject, Match] = {}
    for item, match in pairs:
        if item not in best or match.score > best[item].score:
            best[item] = match
    return list(best.items())


def _value_free(match: Match) -> str:
    """The match's level and per field whether it agreed — no names, numbers or dates."""
    fields = ", ".join(f"{_FIELDS.get(reason.field, reason.field)} {reason.outcome.label}" for reason in match.reasons)
    return f"overeenkomst {match.level.label}: {fields}"


@attrs.frozen
class WatchMatch:
    """A subject of a granted permit that matches a subject newly known in a signal, case or decision.

    A prompt for the coordinator to consider re-screening (art. 4 Wet Bibob), never a finding: `explanation` says
    which fields agreed, never a value of the other side.
    """

    subject_key: str
    role: str
    explanation: str


def permit_watch_matches(
    permits: Iterable[tuple[str, tuple[ApplicationSubject, ...]]], found: Iterable[Subject], ledger: ReviewLedger
) -> dict[str, tuple[WatchMatch, ...]]:
    """Per granted permit (id, its subjects), its subjects matching any of `found` (probable or certain), best each.

    One index over every permit's subjects, and one lookup per subject of `found`: the cost follows `found`
    and the candidates' blocks, not the number of permits compared.
    """
    permits = tuple(permits)
    roles = {(pid, subject_key(item.subject)): item.role for pid, items in permits for item in items}
    owners = ((pid, _as_subjects(item.subject for item in items)) for pid, items in permits)
    wanted = tuple(ApplicationSubject(subject, "") for subject in found)
    result: dict[str, tuple[WatchMatch, ...]] = {}
    for pid, pairs in _matches_by_owner(wanted, owners, ledger, MatchLevel.PROBABLE).items():
        best: dict[str, Match] = {}
        for _, match in pairs:
            key = match.right_key.removeprefix("known:")
            if key not in best or match.score > best[key].score:
                best[key] = match
        result[pid] = tuple(
            WatchMatch(key, roles.get((pid, key), ""), _value_free(match)) for key, match in sorted(best.items())
        )
    return result


def _as_subjects(found: Iterable[Subject]) -> Subjects:
    found = tuple(found)
    return Subjects(
        persons=tuple(s for s in found if isinstance(s, Person)),
        organisations=tuple(s for s in found if isinstance(s, Organisation)),
        addresses=tuple(s for s in found if isinstance(s, Address)),
    )
