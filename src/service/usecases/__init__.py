"""The use cases of the service: framework-free functions that the JSON API and the pages both call.

Each takes a `Session` (connection, principal, audit reason, the moment of the request) and the resources it
needs (catalogue, policy, calendar, integrations), checks need-to-know through the store, and returns values
that `service.views` shapes for the wire. Nothing here imports Litestar (a test pins it).
"""

from service.usecases.session import Clock, Runner, Session

__all__ = ["Clock", "Runner", "Session"]
