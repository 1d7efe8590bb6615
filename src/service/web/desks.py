"""The desks (werkplekken) each role starts from; a desk becomes a link once its pages are served."""

from __future__ import annotations

import attrs
from litestar import Litestar

from service.auth import Role


@attrs.frozen
class Desk:
    """One place to work: where its pages live, its name and what it is for."""

    path: str
    title: str
    description: str


APPLICATIONS = Desk("/aanvragen", "Aanvragen", "Aanvragen registreren, vragenformulieren, beoordeling en besluit.")
INVESTIGATIONS = Desk(
    "/onderzoeken", "Bibob-onderzoeken", "Eigen onderzoek, adviesaanvragen bij het LBB en hun termijnen, evenredigheid."
)
SIGNALS = Desk("/meldingen", "Meldingen", "Binnengekomen signalen van mogelijke ondermijning wegen.")
CASES = Desk("/casussen", "Casussen", "Casussen, informatieverzoeken, plan van aanpak en bewijs.")
MEETING = Desk("/overleg", "Ondermijningsoverleg", "De agenda van het volgende lokale ondermijningsoverleg.")
DECISIONS = Desk("/besluiten", "Besluiten", "Besluiten over vergunningen die op u wachten.")
ACTION_PLANS = Desk(
    "/casussen", "Plannen van aanpak", "Casussen in de driehoek: het plan van aanpak afstemmen en goedkeuren."
)
REPORT = Desk("/melding-doen", "Melding doen", "Een signaal van mogelijke ondermijning doorgeven.")
AUDIT = Desk("/auditlogboek", "Auditlogboek", "Wie welk dossier las of wijzigde, en de controle van de keten.")
ADMIN = Desk("/beheer", "Beheer", "Gebruikers, rollen en API-tokens; zonder toegang tot dossiers.")

DESKS: dict[Role, tuple[Desk, ...]] = {
    Role.PERMIT_OFFICER: (APPLICATIONS,),
    Role.BIBOB_COORDINATOR: (INVESTIGATIONS, APPLICATIONS),
    Role.SAFETY_ADVISOR: (SIGNALS, CASES, MEETING),
    Role.MAYOR: (DECISIONS, ACTION_PLANS),
    Role.SIGNAL_INTAKE_PARTNER: (REPORT,),
    Role.PRIVACY_OFFICER: (AUDIT,),
    Role.FUNCTIONAL_ADMIN: (ADMIN,),
}


def desks_for(app: Litestar, role: Role) -> list[tuple[Desk, bool]]:
    """The role's desks, each with whether its page is served yet."""
    served = {route.path for route in app.routes}
    return [(desk, desk.path in served) for desk in DESKS.get(role, ())]
