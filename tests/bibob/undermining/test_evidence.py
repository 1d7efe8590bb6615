"""The evidence link: Bibob decisions into matching cases or a new signal, links by hand, and known subjects."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from bibob import AssessmentRequest, Questionnaire, assess
from bibob.exceptions import NotFoundError, TransitionError
from bibob.legal import DecisionOutcome, Ground, PermitType
from bibob.matching import ReviewLedger, subject_key
from bibob.parties import Address, Organisation, Person, RelationType
from bibob.policy import load_policy
from bibob.screening import Fact, FactSource, Finding, KnownInCase, declaration_from_answers
from bibob.screening.indicators import Evidence
from bibob.undermining import (
    Case,
    CaseRegistered,
    CaseState,
    Channel,
    Confidentiality,
    EvidenceKind,
    EvidenceStatus,
    InformationAnswered,
    InformationRequested,
    Intervention,
    InterventionKind,
    InvestigationStarted,
    MeetingHeld,
    MeetingScheduled,
    Partner,
    PlanDrafted,
    RecordedDecision,
    Signal,
    SignalSource,
    SignalState,
    Subjects,
    Theme,
    TriangleAlignmentRequested,
    Weighed,
    WeighingDecision,
    apply_case_event,
    confirm,
    consultations_for,
    detach,
    known_key,
    link_by_hand,
    link_decision,
    recorded_decision,
    register_case,
    replay_case,
    replay_signal,
    sole_source,
)
from bibob.undermining.case_events import CaseClosed, SubjectsAdded, TriangleApproved
from bibob.undermining.evidence import application_subjects
from tests.conftest import answers

TZ = dt.timezone(dt.timedelta(hours=1))
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=TZ)
BV, EENMANSZAAK = "valid-bv-two-ubos.json", "valid-eenmanszaak-horeca.json"
# The BV's director is 'Pieter Jan Bakker', born 2 September 1975; the case writes him differently.
DIRECTOR = Person("Backer", "P.J.", date_of_birth=dt.date(1975, 9, 2))
PREMISES = Address("Hamersveldseweg", 12, "", "3833 GP", "Leusden")
ELSEWHERE = Address("Dorpsstraat", 99, "", "3831AB", "Leusden")
LEDGER = ReviewLedger()
FINDING = Finding(
    "taxDebts",
    "Schulden aan de Belastingdienst",
    (Ground.A_BENEFIT,),
    RelationType.MANAGER,
    2.0,
    "De bestuurder heeft schulden aan de Belastingdienst.",
    (Evidence("answer", "/modules/4/0/4E"),),
)


def case(case_id: str, subjects: Subjects) -> Case:
    registered = CaseRegistered(
        NOW - dt.timedelta(days=30), "adviseur", "casus", Theme.HOSPITALITY, "adviseur",
        Confidentiality.CONFIDENTIAL, partners=(Partner.POLICE,), subjects=subjects,
    )  # fmt: skip
    return apply_case_event(
        register_case(case_id, registered), InvestigationStarted(NOW - dt.timedelta(days=29), "adviseur")
    )


def decision(
    horeca: Questionnaire, outcome: DecisionOutcome = DecisionOutcome.REFUSED_BIBOB, name: str = BV
) -> RecordedDecision:
    declaration = declaration_from_answers(horeca, answers(name))
    return recorded_decision(
        "A-7", outcome, dt.date(2026, 11, 30), (Ground.A_BENEFIT,), declaration, PermitType.EXPLOITATIE_HORECA
    )


def test_a_refusal_lands_in_the_case_of_the_director_written_differently_with_its_explanation(
    horeca: Questionnaire,
) -> None:
    other = case("C-2", Subjects(addresses=(ELSEWHERE,)))
    links = link_decision(decision(horeca), [case("C-1", Subjects(persons=(DIRECTOR,))), other], [], LEDGER, NOW)
    ((case_id, item),) = links.items
    assert case_id == "C-1" and links.signal is None
    assert item.kind is EvidenceKind.PERMIT_DECISION and item.status is EvidenceStatus.LINKED
    assert item.match_explanation.startswith("bestuurder (waarschijnlijk): ")
    assert "geboortedatum gelijk" in item.match_explanation and item.codes == ()
    assert "geweigerd op grond van de Wet Bibob" in item.summary
    (changed,) = links.cases
    assert changed.evidence == (item,)
    assert changed.journal[-1].by == "bibob" and "automatisch" in changed.journal[-1].text
    assert "Bakker" not in changed.journal[-1].text


def test_an_address_match_links_the_decision_to_the_case_about_that_address(horeca: Questionnaire) -> None:
    links = link_decision(decision(horeca), [case("C-1", Subjects(addresses=(PREMISES,)))], [], LEDGER, NOW)
    ((_, item),) = links.items
    assert item.match_explanation.startswith("adres van de inrichting (zeker): postcode gelijk (3833GP)")


def test_a_possible_match_is_linked_for_review(horeca: Questionnaire) -> None:
    namesake = Person("Bakker", "Piet", date_of_birth=dt.date(1975, 9, 2))
    links = link_decision(decision(horeca), [case("C-1", Subjects(persons=(namesake,)))], [], LEDGER, NOW)
    assert links.items[0][1].status is EvidenceStatus.TO_REVIEW


def test_a_dismissed_match_links_nothing_and_registers_a_bibob_signal(horeca: Questionnaire) -> None:
    subject = next(s.subject for s in application_subjects(declaration_from_answers(horeca, answers(BV)))
                   if isinstance(s.subject, Person) and s.subject.surname == "Bakker")  # fmt: skip
    ledger = LEDGER.with_decision(subject_key(subject), known_key(DIRECTOR), False, "adviseur", "andere persoon")
    links = link_decision(decision(horeca), [case("C-1", Subjects(persons=(DIRECTOR,)))], [], ledger, NOW)
    assert links.items == () and links.signal is not None


def test_no_matching_case_registers_a_signal_from_the_bibob_screening(horeca: Questionnaire) -> None:
    related = Signal("S-5", SignalSource.POLICE, Channel.EMAIL, NOW, "tekst", Subjects(addresses=(PREMISES,)))
    links = link_decision(decision(horeca), [case("C-2", Subjects(addresses=(ELSEWHERE,)))], [related], LEDGER, NOW)
    signal = links.signal
    assert links.items == () and links.cases == () and signal is not None
    assert signal.source is SignalSource.BIBOB_SCREENING and signal.state is SignalState.RECEIVED
    assert signal.reporter is None and signal.id == "bibob-A-7-refusedBibob"
    assert PREMISES.house_number in [a.house_number for a in signal.subjects.addresses]
    assert {p.surname for p in signal.subjects.persons} == {"Bakker", "Wit"}
    assert links.related_signals == ("S-5",) and "signaal S-5" in signal.text


def test_a_grant_without_bibob_measure_links_nothing(horeca: Questionnaire) -> None:
    links = link_decision(decision(horeca, DecisionOutcome.GRANTED), [case("C-1", Subjects(persons=(DIRECTOR,)))], [],
                          LEDGER, NOW)  # fmt: skip
    assert links.items == () and links.signal is None and links.cases == ()


def test_conditions_link_as_a_bibob_measure_and_closed_cases_are_left_alone(horeca: Questionnaire) -> None:
    closed = apply_case_event(case("C-9", Subjects(persons=(DIRECTOR,))), CaseClosed(NOW, "adviseur", "klaar"))
    links = link_decision(decision(horeca, DecisionOutcome.GRANTED_WITH_CONDITIONS), [closed], [], LEDGER, NOW)
    assert links.items == () and links.signal is not None


def test_recording_the_same_decision_twice_links_it_once(horeca: Questionnaire) -> None:
    first = link_decision(decision(horeca), [case("C-1", Subjects(persons=(DIRECTOR,)))], [], LEDGER, NOW)
    again = link_decision(decision(horeca), first.cases, [], LEDGER, NOW + dt.timedelta(hours=1))
    assert again.items == () and again.cases == () and again.signal is None


def test_confirm_and_detach_change_the_status_and_journal_the_actor(horeca: Questionnaire) -> None:
    (linked,) = link_decision(decision(horeca), [case("C-1", Subjects(persons=(DIRECTOR,)))], [], LEDGER, NOW).cases
    evidence_id = linked.evidence[0].id
    confirmed = confirm(linked, evidence_id, "adviseur", at=NOW + dt.timedelta(hours=1))
    assert confirmed.evidence[0].status is EvidenceStatus.CONFIRMED and confirmed.journal[-1].by == "adviseur"
    detached = detach(confirmed, evidence_id, "adviseur", "andere persoon", at=NOW + dt.timedelta(hours=2))
    assert detached.evidence[0].status is EvidenceStatus.DETACHED
    assert detached.evidence[0].detach_reason == "andere persoon"
    with pytest.raises(TransitionError, match="al ontkoppeld"):
        detach(detached, evidence_id, "adviseur", "nogmaals", at=NOW + dt.timedelta(hours=3))
    with pytest.raises(TransitionError, match="vermeld de reden"):
        detach(confirmed, evidence_id, "adviseur", " ", at=NOW + dt.timedelta(hours=3))


def test_confirming_or_detaching_an_unknown_item_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        confirm(case("C-1", Subjects()), "E-404", "adviseur", at=NOW)
    with pytest.raises(NotFoundError):
        detach(case("C-1", Subjects()), "E-404", "adviseur", "reden", at=NOW)


def test_any_finding_can_be_linked_by_hand_with_a_reason() -> None:
    linked = link_by_hand(
        case("C-1", Subjects()), FINDING, application_id="A-3", reason="zelfde pand", actor="adviseur", at=NOW
    )
    (item,) = linked.evidence
    assert item.kind is EvidenceKind.FINDING and item.reason == "zelfde pand" and item.status is EvidenceStatus.LINKED
    assert "met de hand" in linked.journal[-1].text
    with pytest.raises(TransitionError, match="reden van de handmatige koppeling"):
        link_by_hand(case("C-1", Subjects()), FINDING, application_id="A-3", reason="", actor="adviseur", at=NOW)
    closed = apply_case_event(case("C-1", Subjects()), CaseClosed(NOW, "adviseur", "klaar"))
    with pytest.raises(TransitionError, match="afgesloten"):
        link_by_hand(closed, FINDING, application_id="A-3", reason="r", actor="adviseur", at=NOW)


# --- the reverse -----------------------------------------------------------------------------------------------


def test_a_match_with_a_case_or_signal_opens_a_consultation_naming_no_contents(horeca: Questionnaire) -> None:
    """Art. 3(2)/(3) Wet Bibob: known in a case is no fact; it names the case for the advisor, never its contents."""
    declaration = declaration_from_answers(horeca, answers(BV))
    cases = [case("C-1", Subjects(persons=(DIRECTOR,))), case("C-2", Subjects(addresses=(ELSEWHERE,)))]
    signals = [Signal("S-4", SignalSource.RESIDENT, Channel.PHONE, NOW, "geheim", Subjects(addresses=(PREMISES,)))]
    found = consultations_for("A-7", declaration, cases, signals, LEDGER, dt.date(2026, 12, 1))
    assert [(c.owner_type, c.owner_id, c.application_id) for c in found] == [
        ("case", "C-1", "A-7"),
        ("signal", "S-4", "A-7"),
    ]
    first = found[0]
    assert first.match_explanation.startswith("overeenkomst waarschijnlijk: ")
    assert "Backer" not in first.match_explanation and "1975" not in first.match_explanation
    assert "Backer" not in first.subject_key and first.role
    assert consultations_for("A-7", declaration, cases, signals, LEDGER, dt.date(2026, 12, 1)) == found


def test_signals_not_about_undermining_or_past_destruction_are_not_consulted(horeca: Questionnaire) -> None:
    declaration = declaration_from_answers(horeca, answers(BV))
    done = attrs.evolve(Signal("S-4", SignalSource.RESIDENT, Channel.PHONE, NOW, "t", Subjects(addresses=(PREMISES,))),
                        state=SignalState.NOT_UNDERMINING)  # fmt: skip
    assert consultations_for("A-7", declaration, [], [done], LEDGER, dt.date(2026, 12, 1)) == ()


def test_known_in_a_case_never_raises_a_danger_level_art_3_lid_2_and_3(horeca: Questionnaire) -> None:
    """A KnownInCase fact, even if someone passes one in, yields no finding and leaves every level as it was."""
    document = answers(BV)
    known = Fact("k-1", FactSource.CASE_FILE, dt.date(2026, 11, 1), KnownInCase("C-1"), DIRECTOR)
    request = AssessmentRequest(horeca, document, dt.date(2026, 11, 1), PermitType.EXPLOITATIE_HORECA, facts=(known,))
    without = AssessmentRequest(horeca, document, dt.date(2026, 11, 1), PermitType.EXPLOITATIE_HORECA)
    assessed, plain = assess(request, load_policy()), assess(without, load_policy())
    assert not [f for f in assessed.findings if f.code == "knownInUnderminingCase"]
    assert assessed.levels == plain.levels and assessed.findings == plain.findings


def test_a_decision_carries_outcome_date_grounds_permit_type_and_reference_but_no_findings_art_28(
    horeca: Questionnaire,
) -> None:
    links = link_decision(decision(horeca), [case("C-1", Subjects(persons=(DIRECTOR,)))], [], LEDGER, NOW)
    ((_, item),) = links.items
    assert item.summary == (
        "Besluit van 30 november 2026: geweigerd op grond van de Wet Bibob. Gronden: "
        f"{Ground.A_BENEFIT.label}. Soort beschikking: {PermitType.EXPLOITATIE_HORECA.label}. Referentie: aanvraag A-7."
    )
    assert item.codes == () and FINDING.explanation not in item.summary and FINDING.code not in item.summary


def test_a_decision_resting_only_on_what_the_case_shared_is_derived_not_evidence_no_echo(
    horeca: Questionnaire,
) -> None:
    derived = attrs.evolve(decision(horeca), derived_from=frozenset({"C-1"}))
    cases = [case("C-1", Subjects(persons=(DIRECTOR,))), case("C-3", Subjects(persons=(DIRECTOR,)))]
    links = link_decision(derived, cases, [], LEDGER, NOW)
    assert {case_id: item.status for case_id, item in links.items} == {
        "C-1": EvidenceStatus.DERIVED, "C-3": EvidenceStatus.LINKED,
    }  # fmt: skip
    (in_c1,) = [c for c in links.cases if c.id == "C-1"]
    with pytest.raises(TransitionError, match="geen zelfstandig bewijs"):
        confirm(in_c1, derived.evidence_id, "adviseur", at=NOW)


def test_the_sole_source_is_the_one_case_every_finding_rests_on() -> None:
    shared = {"shared-1": "C-1", "shared-2": "C-2"}
    assert sole_source([("fact", "shared-1")], shared) == "C-1"
    assert sole_source([("fact", "shared-1"), ("answer", "/x")], shared) is None
    assert sole_source([("fact", "shared-1"), ("fact", "shared-2")], shared) is None
    assert sole_source([("fact", "f-1")], shared) is None
    assert sole_source([], shared) is None


def test_an_organisation_is_matched_by_kvk_number(horeca: Questionnaire) -> None:
    company = Organisation("Het Hoekje", kvk_number="23456789")
    links = link_decision(decision(horeca), [case("C-1", Subjects(organisations=(company,)))], [], LEDGER, NOW)
    assert links.items[0][1].match_explanation.startswith("betrokkene (zeker): KvK-nummer gelijk")


# --- the seed process, end to end ------------------------------------------------------------------------------


def test_the_seed_process_runs_from_two_signals_to_a_refusal_in_the_case_and_a_known_subject(
    horeca: Questionnaire,
) -> None:
    def day(n: int) -> dt.datetime:
        return dt.datetime(2026, 3, 1, 9, tzinfo=TZ) + dt.timedelta(days=n)

    about = Subjects(addresses=(Address("Hamersveldseweg", 12, "", "3833GP", "Leusden"),))
    resident = Signal("S-1", SignalSource.RESIDENT, Channel.PHONE, day(0), "nachtelijk bezoek", about, Theme.DRUGS)
    police = Signal("S-2", SignalSource.POLICE, Channel.EMAIL, day(1), "hennepgeur", about, Theme.DRUGS)
    steps = ((WeighingDecision.UNDERMINING, ""), (WeighingDecision.MUNICIPAL_TASK, ""), (WeighingDecision.TO_RIEC, ""))
    weighed = replay_signal(police, (Weighed(day(2), "adviseur", d, "reden", reference=r) for d, r in steps))
    assert weighed.state is SignalState.TO_RIEC
    registered = CaseRegistered(day(3), "adviseur", "Pand Hamersveldseweg", Theme.DRUGS, "adviseur",
                                Confidentiality.CONFIDENTIAL, partners=(Partner.POLICE,), subjects=about,
                                signal_ids=(resident.id, police.id))  # fmt: skip
    plan = (
        Intervention("I-1", Partner.POLICE, InterventionKind.CRIMINAL, "onderzoek", "politie", dt.date(2026, 6, 1)),
    )
    case_file = replay_case(register_case("C-1", registered), (
        InvestigationStarted(day(3), "adviseur"),
        InformationRequested(day(4), "adviseur", "IR-1", Partner.POLICE, "Bekend?"),
        InformationAnswered(day(6), "adviseur", "IR-1", "Ja, twee meldingen"),
        MeetingScheduled(day(7), "adviseur"),
        MeetingHeld(day(10), "adviseur", (Partner.POLICE, Partner.MUNICIPALITY), ("pand",), ("plan",)),
        PlanDrafted(day(10), "adviseur", ("teelt stoppen",), plan),
        TriangleAlignmentRequested(day(11), "adviseur"),
        TriangleApproved(day(14), "adviseur", "burgemeester"),
    ))  # fmt: skip
    assert case_file.state is CaseState.EXECUTION
    refusal = decision(horeca, name=EENMANSZAAK)
    links = link_decision(refusal, [case_file], [resident], LEDGER, NOW)
    (linked,) = links.cases
    assert linked.evidence[0].match_explanation.startswith("adres van de inrichting (zeker)")
    applicant = declaration_from_answers(horeca, answers(EENMANSZAAK)).subject
    assert isinstance(applicant, Person)
    linked = apply_case_event(linked, SubjectsAdded(NOW, "adviseur", Subjects(persons=(applicant,))))

    second = answers(EENMANSZAAK)
    second["answers"]["1B.persoon"] = {**second["answers"]["1B.persoon"], "firstNames": "J.M.", "surname": "Verbeeck"}
    del second["answers"]["1B.persoon"]["bsn"]
    found = consultations_for("A-8", declaration_from_answers(horeca, second), [linked], [], LEDGER, NOW.date())
    assert {c.owner_id for c in found} == {"C-1"}  # a consultation for the advisor, not a finding
