"""Who is acting: the roles of the municipality and the principal every store function is given."""

from __future__ import annotations

import attrs

from bibob.labels import LabelledEnum


class Role(LabelledEnum):
    """A user's role; need-to-know per role is laid down in `service.store.access`."""

    PERMIT_OFFICER = "permitOfficer", "vergunningverlener"
    BIBOB_COORDINATOR = "bibobCoordinator", "Bibob-coördinator"
    SAFETY_ADVISOR = "safetyAdvisor", "adviseur veiligheid"
    MAYOR = "mayor", "burgemeester"
    SIGNAL_INTAKE_PARTNER = "signalIntakePartner", "melder (ketenpartner)"
    PRIVACY_OFFICER = "privacyOfficer", "functionaris gegevensbescherming"
    FUNCTIONAL_ADMIN = "functionalAdmin", "functioneel beheerder"


@attrs.frozen
class Principal:
    """The acting user (an identifier, never a name) in one role."""

    user: str
    role: Role
