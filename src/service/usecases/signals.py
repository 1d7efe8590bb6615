"""Signals: intake, the advisor's inbox, reading one, and the weighing steps."""

from __future__ import annotations

from bibob.exceptions import InvalidInputError, Problem
from bibob.undermining import Assigned, Signal, SignalState, apply_signal_event, signal_to_json
from service.auth import Role
from service.store import signals
from service.store.notifications import accounts_in_role
from service.store.signals import InboxFilter, StoredSignal
from service.store.subjects import keys_of
from service.usecases.notifications import signal_arrived, signal_assigned
from service.usecases.permit_watch import prompt_for
from service.usecases.session import Session
from service.views.signals import weighing


def take_in(session: Session, signal: Signal) -> StoredSignal:
    """Register a signal (intake) with the keys of its subjects, for the advisor to weigh."""
    stored = signals.create_signal(
        session.conn,
        session.principal,
        source=signal.source.value,
        status=signal.state.value,
        received=signal.received,
        document=signal_to_json(signal),
        signal_id=signal.id,
        keys=keys_of(signal.subjects.matchable),
        reason=session.reason,
    )
    signal_arrived(session, stored.id)
    return stored


def inbox(session: Session, where: InboxFilter, *, limit: int, offset: int) -> tuple[tuple[StoredSignal, ...], int]:
    """One page of the signals the principal may read and weigh, most recently received first, and the total."""
    return signals.inbox(session.conn, session.principal, where, limit=limit, offset=offset, reason=session.reason)


def read_signal(session: Session, signal_id: str) -> StoredSignal:
    """The signal, for who may weigh it (an audited read)."""
    return signals.get_for_weighing(session.conn, session.principal, signal_id, session.reason)


def weigh(session: Session, signal_id: str, version: int, body: object) -> StoredSignal:
    """Record a weighing decision, a source consulted or an assignment at the version the client saw; `by` is the
    principal. An assignment names a safety advisor (else refused at `/assignee`), who is notified."""
    stored = signals.load(session.conn, session.principal, signal_id, version, session.reason)
    event = weighing(body, stored.document, session.principal, session.now)
    if isinstance(event, Assigned) and event.assignee not in advisors(session):
        message = f"'{event.assignee}' is geen veiligheidsadviseur: wijs de melding toe aan een adviseur"
        raise InvalidInputError([Problem("/assignee", "signal.assigneeUnknown", message)])
    weighed = apply_signal_event(stored.signal, event)
    saved = signals.save(session.conn, session.principal, weighed, version, session.reason)
    if isinstance(event, Assigned):
        signal_assigned(session, saved.id, event.assignee)
    elif weighed.state is not SignalState.NOT_UNDERMINING:  # the watch: a granted permit's subject may be in it
        prompt_for(session, "signalWeighed", ("signal", signal_id), weighed.subjects.matchable)
    return saved


def advisors(session: Session) -> tuple[str, ...]:
    """The safety advisors a signal may be assigned to, by user name."""
    return accounts_in_role(session.conn, Role.SAFETY_ADVISOR)
