"""The web interface as one Litestar plugin: pages, templates, static files, HTML errors and page headers."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment
from litestar import Router
from litestar.config.app import AppConfig
from litestar.di import Provide
from litestar.plugins import InitPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from service.web.admin import ADMIN_HANDLERS
from service.web.applications import OFFICER_HANDLERS
from service.web.audit import AUDIT_PAGE_HANDLERS
from service.web.cases import CASE_HANDLERS
from service.web.decide import HANDLERS as DECIDE_HANDLERS
from service.web.errors import with_pages
from service.web.letters import LETTER_PAGE_HANDLERS
from service.web.meeting import MEETING_HANDLERS
from service.web.notifications import NOTIFICATION_PAGE_HANDLERS
from service.web.oidc_pages import OIDC_HANDLERS
from service.web.pages import PAGE_HANDLERS
from service.web.questionnaire_form import QUESTIONNAIRE_HANDLERS
from service.web.reference import REFERENCE_HANDLERS
from service.web.rendering import page_headers
from service.web.sessions import csrf_guard, signed_in
from service.web.settings import WebSettings
from service.web.signals import SIGNAL_HANDLERS

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def _configure(engine: JinjaTemplateEngine) -> None:
    environment: Environment = engine.engine
    environment.autoescape = True
    environment.trim_blocks = True
    environment.lstrip_blocks = True


def web_router() -> Router:
    """The pages under `/`: every handler may take `signed_in`, and every post is checked for its form token."""
    return Router(
        path="/",
        route_handlers=[
            *CASE_HANDLERS,
            *PAGE_HANDLERS,
            *OFFICER_HANDLERS,
            *LETTER_PAGE_HANDLERS,
            *QUESTIONNAIRE_HANDLERS,
            *DECIDE_HANDLERS,
            *REFERENCE_HANDLERS,
            *SIGNAL_HANDLERS,
            *AUDIT_PAGE_HANDLERS,
            *ADMIN_HANDLERS,
            *MEETING_HANDLERS,
            *NOTIFICATION_PAGE_HANDLERS,
            *OIDC_HANDLERS,
        ],
        dependencies={"signed_in": Provide(signed_in)},  # the one dependency, as `principal` for the API
        guards=[csrf_guard],
        include_in_schema=False,
    )


class WebPlugin(InitPlugin):
    """Registers the web interface on an app; the JSON API under /api/v1 is left as it is."""

    def __init__(self, settings: WebSettings | None = None) -> None:
        self.settings = settings

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.state["web_settings"] = self.settings or WebSettings.from_env()
        app_config.route_handlers.extend(
            [web_router(), create_static_files_router(path="/static", directories=[STATIC], name="web:static")]
        )
        app_config.template_config = TemplateConfig(
            directory=TEMPLATES, engine=JinjaTemplateEngine, engine_callback=_configure
        )
        app_config.exception_handlers = with_pages(app_config.exception_handlers)
        app_config.before_send.append(page_headers)
        return app_config
