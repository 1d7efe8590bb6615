"""Signals: intake, the advisor's inbox, reading one, and the weighing steps."""

from __future__ import annotations

from bibob.undermining import Signal, SignalState, apply_signal_event, signal_to_json
from service.store import signals
from service.store.signals import InboxFilter, StoredSignal
from service.store.subjects import keys_of
from service.usecases.notifications import signal_arrived
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
    """Record a weighing decision (or a source consulted) at the version the client saw; `by` is the principal."""
    stored = signals.load(session.conn, session.principal, signal_id, version, session.reason)
    signal = stored.signal
    weighed = apply_signal_event(signal, weighing(body, stored.document, session.principal, session.now))
    saved = signals.save(session.conn, session.principal, weighed, version, session.reason)
    if weighed.state is not SignalState.NOT_UNDERMINING:  # the watch: a granted permit's subject may be in it
        prompt_for(session, "signalWeighed", ("signal", signal_id), weighed.subjects.matchable)
    return saved
