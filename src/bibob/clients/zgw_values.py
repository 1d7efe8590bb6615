"""What a case mirror sends to a ZGW zaaksysteem and what it remembers: snapshot, state, request bodies."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from bibob.legal import DecisionOutcome
from bibob.parties import Address

#: ZGW vertrouwelijkheidaanduiding, from open to most secret.
CONFIDENTIALITY_LEVELS = (
    "openbaar", "beperkt_openbaar", "intern", "zaakvertrouwelijk", "vertrouwelijk", "confidentieel", "geheim",
    "zeer_geheim",
)  # fmt: skip


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@attrs.frozen
class CaseRole:
    """A betrokkene of the case as a ZGW rol: which roltype (by its generic role) and whom it identifies."""

    key: str  # stable within the case, e.g. "advisor" or "subject:S1"
    generic_role: str  # omschrijvingGeneriek: behandelaar, belanghebbende, initiator, …
    betrokkene_type: str  # natuurlijk_persoon, niet_natuurlijk_persoon, organisatorische_eenheid, medewerker
    identification: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen)  # betrokkeneIdentificatie
    description: str = ""  # roltoelichting


@attrs.frozen
class CaseObject:
    """Something the case is about as a ZGW zaakobject: an address, a building, or an object by URL."""

    key: str
    object_type: str  # adres, pand, overige, …
    object_url: str = ""
    identification: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen)  # objectIdentificatie
    description: str = ""  # relatieomschrijving
    other_type: str = ""  # objectTypeOverige, required when object_type is overige


@attrs.frozen
class LinkedDecision:
    """A permit decision linked to the case as evidence, with the permit's own zaak and besluittype."""

    decision_id: str
    outcome: DecisionOutcome
    decided_on: dt.date
    besluittype: str  # URL in the catalogue; must be one of the permit zaaktype's besluittypen
    permit_zaak: str = ""  # URL of the permit's zaak; empty when the permit is not kept in a zaaksysteem
    besluit_url: str = ""  # when the permit system already registered the besluit, it is only referred to
    effective_on: dt.date | None = None
    explanation: str = ""


@attrs.frozen
class CaseSnapshot:
    """The case as the mirror needs it; the case domain builds it, the mirror only reads it."""

    case_id: str
    title: str
    status: str
    status_changed_at: dt.datetime
    confidentiality: str
    started_on: dt.date
    description: str = ""
    roles: tuple[CaseRole, ...] = ()
    objects: tuple[CaseObject, ...] = ()
    decisions: tuple[LinkedDecision, ...] = ()
    result: str = ""  # how the case ended, the resultaat's toelichting when it closes
    actor: str = ""  # the official whose change is mirrored (user_id in the JWT); empty: the settings' account


@attrs.frozen
class MirrorState:
    """The remote URLs a mirror created so far; persist it after every mirror, successful or interrupted."""

    zaak: str = ""
    statuses: tuple[tuple[str, str], ...] = ()  # (our status, status URL), in the order they were set
    roles: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen)  # role key → rol URL
    objects: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen)  # object key → zaakobject URL
    besluiten: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen)  # decision id → besluit URL
    besluit_objects: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen)  # decision id → zaakobject
    related: tuple[str, ...] = ()  # permit zaak URLs the zaak names in relevanteAndereZaken
    resultaat: str = ""  # the resultaat set before the end status

    @property
    def current_status(self) -> str | None:
        """Our status that was mirrored last."""
        return self.statuses[-1][0] if self.statuses else None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict, for the caller to store next to the case."""
        return {
            "zaak": self.zaak,
            "statuses": [list(pair) for pair in self.statuses],
            "roles": dict(sorted(self.roles.items())),
            "objects": dict(sorted(self.objects.items())),
            "besluiten": dict(sorted(self.besluiten.items())),
            "besluitObjects": dict(sorted(self.besluit_objects.items())),
            "related": list(self.related),
            "resultaat": self.resultaat,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> MirrorState:
        """The state `to_json` wrote."""
        return cls(
            zaak=raw.get("zaak", ""),
            statuses=tuple((str(a), str(b)) for a, b in raw.get("statuses", ())),
            roles=raw.get("roles", {}),
            objects=raw.get("objects", {}),
            besluiten=raw.get("besluiten", {}),
            besluit_objects=raw.get("besluitObjects", {}),
            related=tuple(raw.get("related", ())),
            resultaat=raw.get("resultaat", ""),
        )


# "A", "A-2", "A2", "a 13": one letter, then nothing, digits, or a separator and the addition ("bis" is no letter)
_LETTER_THEN_ADDITION = re.compile(r"^([A-Za-z])(?:[\s\-/]+([A-Za-z0-9]{1,4})|([0-9]{1,4}))?$")
_ADDITION = re.compile(r"^[\s\-/]*([A-Za-z0-9]{1,4})$")  # "bis", "2", "-3", "hs"


def house_letter_and_addition(addition: str) -> tuple[str, str]:
    """Split what follows the house number into BAG's huisletter (one letter) and huisnummertoevoeging (≤ 4).

    "A" → (A, ""), "A-2" → (A, "2"), "bis" → ("", "bis"), "2" → ("", "2"); something that fits neither is kept
    whole as toevoeging only if it fits (4 characters), else dropped: never guessed into another field.
    """
    text = addition.strip()
    if not text:
        return "", ""
    if matched := _LETTER_THEN_ADDITION.match(text):
        return matched.group(1).upper(), matched.group(2) or matched.group(3) or ""
    if matched := _ADDITION.match(text):
        return "", matched.group(1)
    return "", ""


def address_object(key: str, address: Address, bag_id: str = "", description: str = "") -> CaseObject:
    """A zaakobject of type adres, field by field; `bag_id` is the BAG nummeraanduiding when known.

    The Zaken API requires street, city and house number of an adres: an address missing one of them goes as an
    object of type overige (objectTypeOverige "adres"), with what is known, rather than being refused.
    """
    letter, addition = house_letter_and_addition(address.house_number_addition)
    fields = {
        "identificatie": bag_id[:100],
        "wplWoonplaatsNaam": address.city[:80],
        "gorOpenbareRuimteNaam": address.street[:80],
        "huisnummer": address.house_number,
        "huisletter": letter,
        "huisnummertoevoeging": addition,
        "postcode": address.postcode[:7],
    }
    label = description or "adres in de casus"
    complete = address.city and address.street and address.house_number is not None
    if complete and 0 <= (address.house_number or 0) <= 99_999:
        return CaseObject(key, "adres", identification=fields, description=label)
    known = {name: value for name, value in fields.items() if value not in ("", None)}
    return CaseObject(key, "overige", identification={"overigeData": known}, description=label, other_type="adres")


def employee_role(key: str, generic_role: str, user_id: str, name: str = "", description: str = "") -> CaseRole:
    """A medewerker (municipal employee) in a role, identified by the user id of the municipality."""
    identification = {"identificatie": user_id, "achternaam": name}
    return CaseRole(key, generic_role, "medewerker", identification, description or generic_role)


def organisation_role(key: str, generic_role: str, name: str, kvk_number: str = "", rsin: str = "",
                      description: str = "") -> CaseRole:  # fmt: skip
    """A niet-natuurlijk persoon (company) in a role, by RSIN and (Zaken API 1.5+) KvK number."""
    given = {"statutaireNaam": name, "innNnpId": rsin, "kvkNummer": kvk_number}
    identification = {field: value for field, value in given.items() if value}  # an empty RSIN is refused (9 digits)
    return CaseRole(key, generic_role, "niet_natuurlijk_persoon", identification, description or generic_role)


# --- request bodies (ZGW's Dutch names live here, at the edge) ---------------------------------------------


def zaak_body(snapshot: CaseSnapshot, rsin: str, zaaktype: str, identification: str) -> dict[str, Any]:
    """POST /zaken."""
    return {
        "identificatie": identification,
        "bronorganisatie": rsin,
        "verantwoordelijkeOrganisatie": rsin,
        "zaaktype": zaaktype,
        "omschrijving": snapshot.title[:80],
        "toelichting": snapshot.description[:1000],
        "startdatum": snapshot.started_on.isoformat(),
        "vertrouwelijkheidaanduiding": snapshot.confidentiality,
        "kenmerken": [{"kenmerk": snapshot.case_id[:40], "bron": "bibob"}],
    }


def status_body(zaak: str, statustype: str, snapshot: CaseSnapshot) -> dict[str, Any]:
    """POST /statussen."""
    moment = snapshot.status_changed_at
    moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return {"zaak": zaak, "statustype": statustype, "datumStatusGezet": moment.isoformat(), "statustoelichting": ""}


def rol_body(zaak: str, roltype: str, role: CaseRole) -> dict[str, Any]:
    """POST /rollen."""
    return {
        "zaak": zaak,
        "betrokkeneType": role.betrokkene_type,
        "roltype": roltype,
        "roltoelichting": role.description or role.generic_role,
        "betrokkeneIdentificatie": dict(role.identification),
    }


def zaakobject_body(zaak: str, item: CaseObject) -> dict[str, Any]:
    """POST /zaakobjecten."""
    body: dict[str, Any] = {"zaak": zaak, "objectType": item.object_type, "relatieomschrijving": item.description}
    if item.object_url:
        body["object"] = item.object_url
    if item.identification:
        body["objectIdentificatie"] = dict(item.identification)
    if item.other_type:
        body["objectTypeOverige"] = item.other_type
    return body


def resultaat_body(zaak: str, resultaattype: str, snapshot: CaseSnapshot) -> dict[str, Any]:
    """POST /resultaten: Open Zaak refuses the end status of a zaak that has no resultaat yet."""
    return {"zaak": zaak, "resultaattype": resultaattype, "toelichting": snapshot.result[:1000]}


def besluit_body(decision: LinkedDecision, rsin: str, identification: str) -> dict[str, Any]:
    """POST /besluiten, linked to the permit's zaak (the Besluiten API mirrors it into the Zaken API, brc-006)."""
    text = f"{decision.outcome.label}. {decision.explanation}".strip()
    body: dict[str, Any] = {
        "identificatie": identification,
        "verantwoordelijkeOrganisatie": rsin,
        "besluittype": decision.besluittype,
        "datum": decision.decided_on.isoformat(),
        "ingangsdatum": (decision.effective_on or decision.decided_on).isoformat(),
        "toelichting": text[:1000],
    }
    if decision.permit_zaak:
        body["zaak"] = decision.permit_zaak
    return body


def besluit_object(decision: LinkedDecision, besluit_url: str) -> CaseObject:
    """The zaakobject (objectType besluit) that puts a permit decision into the undermining case."""
    return CaseObject(f"besluit:{decision.decision_id}", "besluit", besluit_url, description=decision.outcome.label)


def merged_relations(current: object, wanted: tuple[str, ...], aard: str) -> list[dict[str, Any]]:
    """relevanteAndereZaken with `wanted` added, keeping what others put there (a PATCH replaces the list)."""
    kept = [item for item in current if isinstance(item, dict)] if isinstance(current, list) else []
    present = {item.get("url") for item in kept}
    return kept + [{"url": url, "aardRelatie": aard} for url in wanted if url not in present]
