"""The web interface for people (Dutch pages, NL Design System), beside the JSON API for machines."""

from service.web.plugin import WebPlugin, web_router
from service.web.settings import WebSettings

__all__ = ["WebPlugin", "WebSettings", "web_router"]
