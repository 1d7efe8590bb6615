"""The permit watch reads a granted permit's subjects once per version: kept anew, its new subjects are watched."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from bibob.parties import Person
from bibob.undermining import ApplicationSubject
from service.store.applications import create_application
from service.store.permit_watch import keep_granted_permit, prompt
from tests.service.store.conftest import ADVISOR, OFFICER
from tests.service.store.helpers import new_application, statements_run

GRANTED_ON = dt.date(2026, 10, 10)
BACKER = Person(surname="Backer", first_names="P.J.", date_of_birth=dt.date(1975, 9, 2))
VISSER = Person(surname="Visser", first_names="Anna", date_of_birth=dt.date(1990, 1, 1))


def _keep(engine: Engine, application_id: str, director: Person) -> None:
    with engine.begin() as conn:
        keep_granted_permit(conn, OFFICER, application_id, [ApplicationSubject(director, "bestuurder")], GRANTED_ON)


def _prompted(engine: Engine, source: str, found: Person) -> int:
    with engine.begin() as conn:
        return prompt(conn, ADVISOR, "signalWeighed", ("signal", source), [found])


def test_a_second_prompt_about_a_permit_does_not_read_its_subjects_again(engine: Engine) -> None:
    with engine.begin() as conn:
        application = create_application(conn, OFFICER, new_application(), answers={})
    _keep(engine, application.id, BACKER)
    with statements_run(engine, "watched_permits.subjects") as read:
        made = [_prompted(engine, source, BACKER) for source in ("s1", "s2")]
    assert made == [1, 1]
    assert len(read) == 1


def test_a_permit_kept_anew_is_watched_with_its_new_subjects_not_the_ones_read_before(engine: Engine) -> None:
    with engine.begin() as conn:
        application = create_application(conn, OFFICER, new_application(), answers={})
    _keep(engine, application.id, BACKER)
    assert _prompted(engine, "s1", BACKER) == 1  # read, and kept in memory

    _keep(engine, application.id, VISSER)  # the decision recorded again, with another director

    assert _prompted(engine, "s2", BACKER) == 0
    assert _prompted(engine, "s3", VISSER) == 1
