"""The browsable API reference (Swagger UI, vendored) beside the OpenAPI document; open to all, like the document."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from service.web.rendering import page


@get("/api-referentie", name="web:api-reference")
async def api_reference(request: Request[Any, Any, Any]) -> Template:
    """Swagger UI over `/api/v1/openapi.json`; without JavaScript, a link to the document itself."""
    return page(request, "api_reference.html", title="API-referentie")


REFERENCE_HANDLERS = (api_reference,)
