"""Clients for external registers (KvK, ZGW); each call takes an httpx.AsyncClient."""

from bibob.clients.kvk import KvkSettings, basic_profiles
from bibob.clients.kvk_values import BasicProfile
from bibob.clients.zgw import MirrorInterrupted, ZgwSettings, mirror_case
from bibob.clients.zgw_documents import DocumentInterrupted, DocumentState, LetterDocument, mirror_letter
from bibob.clients.zgw_notifications import abonnement_body, read_zaak, subscribe
from bibob.clients.zgw_values import CaseSnapshot, LinkedDecision, MirrorState, address_object, employee_role

__all__ = [
    "BasicProfile",
    "CaseSnapshot",
    "DocumentInterrupted",
    "DocumentState",
    "KvkSettings",
    "LetterDocument",
    "LinkedDecision",
    "MirrorInterrupted",
    "MirrorState",
    "ZgwSettings",
    "abonnement_body",
    "address_object",
    "basic_profiles",
    "employee_role",
    "mirror_case",
    "mirror_letter",
    "read_zaak",
    "subscribe",
]
