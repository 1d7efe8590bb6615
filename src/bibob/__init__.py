"""bibob: Wet Bibob integrity screening — questionnaires, answer validation and completeness."""

from __future__ import annotations
