"""The known-subject check reads a signal's document once per version: a second lookup replays nothing again."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bibob.undermining import signal_to_json
from service.store.applications import create_application
from service.store.evidence_link import dossiers_for_known_check
from service.store.signals import create_signal
from service.store.subjects import keys_of
from service.views.signals import intake
from tests.service.api.flow import police_signal
from tests.service.store.conftest import OFFICER, PARTNER
from tests.service.store.helpers import new_application, statements_run
from tests.service.usecases.conftest import NOW


def test_a_second_lookup_finds_the_same_signal_without_reading_its_document_again(engine: Engine) -> None:
    signal = intake(police_signal(), NOW)
    with engine.begin() as conn:
        application = create_application(conn, OFFICER, new_application(), answers={})
        stored = create_signal(
            conn, PARTNER, source="police", status=signal.state.value, received=NOW,
            document=signal_to_json(signal), keys=keys_of(signal.subjects.matchable),
        )  # fmt: skip
    found = []
    with statements_run(engine, "signals.document") as read:
        for _ in range(2):
            with engine.begin() as conn:
                dossiers = dossiers_for_known_check(conn, OFFICER, application.id, signal.subjects.matchable)
            found.append([s.id for s in dossiers.signals])
    assert found == [[stored.id], [stored.id]]
    assert len(read) == 1
