"""Reading the subjects of a stored signal or case document for a lookup, without validating or replaying it."""

from __future__ import annotations

import datetime as dt

from bibob.parties import Address, Organisation
from bibob.undermining import Channel, Signal, SignalSource, Subjects, case_to_json, signal_to_json, stored_subjects
from bibob.undermining.case_events import SubjectsAdded
from bibob.undermining.case_lifecycle import apply_case_event
from tests.bibob.undermining.test_evidence import DIRECTOR, NOW, case

PREMISES = Address(street="Hamersveldseweg", house_number=12, postcode="3833GP", city="Leusden")


def test_a_cases_subjects_are_those_of_its_registration_and_every_subjects_added_event() -> None:
    registered = case("C-1", Subjects(persons=(DIRECTOR,)))
    added = SubjectsAdded(NOW, "adviseur", Subjects(organisations=(Organisation("Eetcafé Het Hoekje"),)))
    grown = apply_case_event(registered, added)

    assert stored_subjects(case_to_json(grown), case=True) == grown.subjects
    assert stored_subjects(case_to_json(grown), case=True) != registered.subjects


def test_a_signals_subjects_are_read_from_its_document() -> None:
    signal = Signal(
        id="S-1", source=SignalSource.POLICE, channel=Channel.EMAIL, received=NOW - dt.timedelta(days=1),
        text="melding", subjects=Subjects(persons=(DIRECTOR,), addresses=(PREMISES,)),
    )  # fmt: skip

    assert stored_subjects(signal_to_json(signal), case=False) == signal.subjects


def test_a_part_that_does_not_read_as_subjects_is_left_out() -> None:
    document = {"title": "casus", "events": [{"type": "caseRegistered", "subjects": {"persons": "geen lijst"}}]}

    assert stored_subjects(document, case=True) == Subjects()
