"""The `bibob` command's entry point: says how to install the service when only the library is installed."""

from __future__ import annotations

import sys
from collections.abc import Sequence

SERVICE_PACKAGES = frozenset({"litestar", "msgspec", "uvicorn", "sqlalchemy", "alembic", "psycopg", "cryptography"})


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command, or explain in Dutch that `bibob[service]` is missing."""
    try:
        from service.cli import main as run  # here, not at the top: this import is what may fail
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] not in SERVICE_PACKAGES:
            raise
        print(
            f"De opdracht 'bibob' heeft de dienst nodig, maar '{error.name}' ontbreekt. "
            "Installeer die met: pip install 'bibob[service]'",
            file=sys.stderr,
        )
        return 2
    return run(argv)
