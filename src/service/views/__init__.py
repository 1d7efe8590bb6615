"""The wire shapes: request bodies read into domain values, and domain values shown as JSON (no framework here)."""

from service.views.applications import assessment_view  # the demo shows its stored assessment this way

__all__ = ["assessment_view"]
