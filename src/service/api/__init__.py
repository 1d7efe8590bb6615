"""The JSON API: handlers per resource, each parsing its input, calling one use case and shaping the answer."""

from litestar.handlers import HTTPRouteHandler

from service.api.applications import ApplicationController
from service.api.audit import AUDIT_HANDLERS
from service.api.cases import CASE_HANDLERS
from service.api.consultations import CONSULTATION_HANDLERS
from service.api.evidence import EVIDENCE_HANDLERS
from service.api.intake import INTAKE_HANDLERS
from service.api.letters import LETTER_HANDLERS
from service.api.mirrors import MIRROR_HANDLERS
from service.api.notifications import NOTIFICATION_HANDLERS
from service.api.permit_watch import PERMIT_WATCH_HANDLERS
from service.api.questionnaires import QuestionnaireController
from service.api.service import SERVICE_HANDLERS
from service.api.signals import SIGNAL_HANDLERS
from service.api.subjects import SUBJECT_HANDLERS
from service.api.zgw_notifications import ZGW_NOTIFICATION_HANDLERS

API_HANDLERS: list[HTTPRouteHandler | type] = [
    QuestionnaireController,
    *SERVICE_HANDLERS,
    ApplicationController,
    *SIGNAL_HANDLERS,
    *CASE_HANDLERS,
    *EVIDENCE_HANDLERS,
    *MIRROR_HANDLERS,
    *SUBJECT_HANDLERS,
    *AUDIT_HANDLERS,
    *CONSULTATION_HANDLERS,
    *NOTIFICATION_HANDLERS,
    *LETTER_HANDLERS,
    *INTAKE_HANDLERS,
    *PERMIT_WATCH_HANDLERS,
    *ZGW_NOTIFICATION_HANDLERS,
]
