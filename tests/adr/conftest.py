"""The running app of the service tests: the linter reads the document it publishes."""

from tests.service.conftest import client, database_url, tokens

__all__ = ["client", "database_url", "tokens"]
