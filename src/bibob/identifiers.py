"""Dutch identifiers: BSN, KvK number, RSIN and postcode — validation and normalisation."""

from __future__ import annotations

import functools
import re

from stdnum.exceptions import ValidationError
from stdnum.nl import bsn as _bsn
from stdnum.nl import postcode as _postcode

_KVK = re.compile(r"\d{8}")
_NINE = re.compile(r"\d{9}")
_SEPARATORS = re.compile(r"[\s.\-]")


def normalise_bsn(value: object) -> str | None:
    """Return the 9-digit BSN (11-proef passed), or None when `value` is no valid BSN."""
    return _bsn_of(value) if isinstance(value, str) else None


def normalise_rsin(value: object) -> str | None:
    """Return the 9-digit RSIN; an RSIN follows the same 11-proef as a BSN."""
    return normalise_bsn(value)


def normalise_kvk(value: object) -> str | None:
    """Return the 8-digit KvK number, or None when `value` is not eight digits after cleaning."""
    if not isinstance(value, str):
        return None
    compact = _SEPARATORS.sub("", value)
    return compact if _KVK.fullmatch(compact) else None


def normalise_postcode(value: object) -> str | None:
    """Return a Dutch postcode as '1234AB', or None when it is no valid postcode."""
    return _postcode_of(value) if isinstance(value, str) else None


# cached: the same person or premises recurs many times in one form, and stdnum's cleaning is not cheap
@functools.lru_cache(maxsize=4096)
def _bsn_of(value: str) -> str | None:
    if _NINE.fullmatch(value):  # the common, already compact form: skip stdnum's cleaning
        return value if _bsn.checksum(value) == 0 and value != "000000000" else None
    try:
        return str(_bsn.validate(value))
    except ValidationError:
        return None


@functools.lru_cache(maxsize=4096)
def _postcode_of(value: str) -> str | None:
    try:
        return str(_postcode.validate(value)).replace(" ", "")
    except ValidationError:
        return None
