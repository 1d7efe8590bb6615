"""The declared organisations checked against their KvK basisprofiel: deviations as findings with evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

import attrs

from bibob.clients import BasicProfile
from bibob.labels import LabelledEnum
from bibob.legal import Ground, PermitType
from bibob.matching import normalise_addition, organisation_name
from bibob.parties import Address, Organisation, RelationType
from bibob.policy import Policy
from bibob.screening.declaration import Declaration
from bibob.screening.indicators import Finding
from bibob.screening.indicators.base import Evidence, IndicatorContext, describe_party, relation_of

FOUNDED_TOLERANCE_DAYS = 31  # declared and registered founding dates within a month count as the same


class RegisterCheck(LabelledEnum):
    """What a comparison with the Handelsregister can find."""

    NOT_FOUND = "notFound", "niet gevonden in het Handelsregister"
    INACTIVE = "inactive", "uitgeschreven uit het Handelsregister"
    RECENTLY_FOUNDED = "recentlyFounded", "recent opgericht"
    FOUNDED_ON_DIFFERS = "foundedOnDiffers", "oprichtingsdatum wijkt af"
    LEGAL_FORM_DIFFERS = "legalFormDiffers", "rechtsvorm wijkt af"
    NAME_DIFFERS = "nameDiffers", "naam wijkt af"
    ADDRESS_DIFFERS = "addressDiffers", "adres wijkt af"
    PREMISES_ELSEWHERE = "premisesElsewhere", "vestigingsadres wijkt af van het pand"
    ACTIVITY_UNRELATED = "activityUnrelated", "SBI-activiteit past niet bij de vergunning"


@attrs.frozen
class RegisterIndicator:
    """The finding a group of checks becomes: code, title, explanation, grounds and default weight."""

    code: str
    title: str
    explanation: str
    grounds: tuple[Ground, ...]
    default_weight: float
    unverified: bool
    checks: frozenset[RegisterCheck]


A, B, A6 = Ground.A_BENEFIT, Ground.B_OFFENCES, Ground.ART3_6_OBTAINING
C = RegisterCheck
REGISTER_INDICATORS: tuple[RegisterIndicator, ...] = (
    RegisterIndicator("registerNotFound", "Niet (meer) ingeschreven in het Handelsregister",
                      "Een opgegeven onderneming die niet of niet meer is ingeschreven, kan een dekmantel zijn of "
                      "wijzen op een onjuist antwoord.", (A, B), 4, True, frozenset({C.NOT_FOUND, C.INACTIVE})),
    RegisterIndicator("registerMismatch", "Antwoorden wijken af van het Handelsregister",
                      "Naam, rechtsvorm, oprichtingsdatum of adres verschillen van het Handelsregister; bewust "
                      "onjuiste antwoorden zijn valsheid in geschrifte om de beschikking te verkrijgen (art. 3 lid 6).",
                      (A6,), 2, True, frozenset({C.FOUNDED_ON_DIFFERS, C.LEGAL_FORM_DIFFERS, C.NAME_DIFFERS,
                                          C.ADDRESS_DIFFERS, C.PREMISES_ELSEWHERE})),
    RegisterIndicator("recentlyFounded", "Recent opgerichte onderneming",
                      "Een jonge onderneming heeft geen financiële historie; herkomst van geld en zeggenschap zijn "
                      "moeilijker na te gaan.", (A,), 2, False, frozenset({C.RECENTLY_FOUNDED})),
    RegisterIndicator("activityUnrelated", "Ingeschreven activiteit past niet bij de vergunning",
                      "De SBI-activiteiten in het Handelsregister passen niet bij de aangevraagde activiteit; de "
                      "werkelijke bedrijfsvoering kan een andere zijn dan opgegeven.", (A, B), 2, True,
                      frozenset({C.ACTIVITY_UNRELATED})),
)  # fmt: skip

#: SBI code prefixes a permit's business is expected to have (SBI 2008); permit types not listed are not checked.
EXPECTED_SBI: Mapping[PermitType, tuple[str, ...]] = {
    PermitType.EXPLOITATIE_HORECA: ("55", "56"),
    PermitType.ALCOHOLWET: ("55", "56", "4725", "93", "94"),
    PermitType.ALCOHOLWET_AANHANGSEL: ("55", "56", "4725", "93", "94"),
    PermitType.SEKSINRICHTING: ("9609",),
    PermitType.ESCORTBEDRIJF: ("9609",),
    PermitType.SPEELAUTOMATENHAL: ("92",),
    PermitType.AANWEZIGHEID_KANSSPELAUTOMATEN: ("55", "56", "92"),
    PermitType.COFFEESHOP: ("56", "4726"),
    PermitType.SMART_GROW_HEADSHOP: ("47",),
}


@attrs.frozen
class RegisterDeviation:
    """One difference between the answers and the register, about one declared organisation."""

    check: RegisterCheck
    organisation: Organisation
    pointer: str  # where the answers declare the organisation
    explanation: str
    evidence: tuple[Evidence, ...]


def checked_organisations(declaration: Declaration) -> tuple[tuple[Organisation, str], ...]:
    """Each Dutch organisation with a KvK number and the pointer where it is first declared, once per number."""
    found: dict[str, tuple[Organisation, str]] = {}
    for involvement in declaration.involvements:
        party = involvement.party
        if isinstance(party, Organisation) and party.kvk_number and not party.is_foreign:
            found.setdefault(party.kvk_number, (party, involvement.pointer))
    business = declaration.business
    if business is not None and business.kvk_number and not business.is_foreign:
        found.setdefault(business.kvk_number, (business, "/answers"))
    return tuple(found.values())


def kvk_numbers_to_check(declaration: Declaration) -> tuple[str, ...]:
    """The KvK numbers whose basisprofiel the checks want."""
    return tuple(organisation.kvk_number for organisation, _ in checked_organisations(declaration))


def _register(field: str) -> Evidence:
    """Evidence pointing into the stored basisprofiel response (a JSON pointer), never naming the number."""
    return Evidence("register", f"KvK-basisprofiel#{field}")


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, 28))


def _same_place(one: Address, other: Address) -> bool:
    """Same postcode, house number and addition: enough to tell one Dutch building from another."""
    return _place_key(one) == _place_key(other)


def _place_key(address: Address) -> tuple[str, int | None, str]:
    return (
        address.postcode.replace(" ", "").upper(),
        address.house_number,
        normalise_addition(address.house_number_addition),
    )


def _show(address: Address) -> str:
    number = f"{address.house_number or ''}{address.house_number_addition}"
    return " ".join(part for part in (address.street, number, address.postcode, address.city) if part)


def _is_business(declaration: Declaration, organisation: Organisation) -> bool:
    return organisation in (declaration.business, declaration.subject)


def _who(declaration: Declaration, organisation: Organisation) -> str:
    if organisation == declaration.business and organisation != declaration.subject:
        return "De onderneming van de aanvrager"
    return describe_party(declaration, organisation).capitalize()


def _day(day: dt.date | None) -> str:
    return f"{day.day}-{day.month}-{day.year}" if day else "onbekende datum"


def _lifecycle(org: Organisation, profile: BasicProfile, on: dt.date, months: int) -> Iterator[tuple[C, str, str]]:
    registration = profile.registration
    if not registration.is_active(on):
        yield C.INACTIVE, f"is op {_day(registration.ended_on)} uitgeschreven", "/materieleRegistratie/datumEinde"
    founded = registration.founded_on
    if founded is not None and founded > _months_before(on, months):
        yield C.RECENTLY_FOUNDED, f"is op {_day(founded)} opgericht, minder dan {months} maanden geleden", \
            "/materieleRegistratie/datumAanvang"  # fmt: skip
    known = [d for d in (registration.started_on, registration.registered_on) if d is not None]
    if org.founded_on and known and all(abs((org.founded_on - d).days) > FOUNDED_TOLERANCE_DAYS for d in known):
        text = f"is volgens het register op {_day(founded)} opgericht, niet op {_day(org.founded_on)}"
        yield C.FOUNDED_ON_DIFFERS, text, "/materieleRegistratie/datumAanvang"


def _identity(org: Organisation, profile: BasicProfile) -> Iterator[tuple[C, str, str]]:
    registered = profile.legal_form
    if org.legal_form is not None and registered is not None and org.legal_form is not registered:
        yield C.LEGAL_FORM_DIFFERS, f"is volgens het register een {registered.label}, geen {org.legal_form.label}", \
            "/_embedded/eigenaar/rechtsvorm"  # fmt: skip
    registered_names = {organisation_name(name) for name in profile.names}
    if org.name and registered_names and organisation_name(org.name) not in registered_names:
        yield C.NAME_DIFFERS, "heeft in het register een andere naam dan opgegeven", "/naam"
    place = profile.business_address
    if org.address and place and not place.shielded and not _same_place(org.address, place.address):
        yield C.ADDRESS_DIFFERS, f"staat in het register op {_show(place.address)}, niet op {_show(org.address)}", \
            "/_embedded/hoofdvestiging/adressen"  # fmt: skip


def _business(
    declaration: Declaration, profile: BasicProfile, permit_type: PermitType | None
) -> Iterator[tuple[C, str, str]]:
    place = profile.business_address
    premises = declaration.premises.addresses
    if premises and place and not place.shielded and not any(_same_place(p, place.address) for p in premises):
        yield C.PREMISES_ELSEWHERE, f"is gevestigd op {_show(place.address)}, niet op het adres van het pand", \
            "/_embedded/hoofdvestiging/adressen"  # fmt: skip
    expected = EXPECTED_SBI.get(permit_type or PermitType.OVERIG_APV, ())
    codes = [a.code for a in profile.sbi_activities]
    if expected and codes and not any(code.startswith(expected) for code in codes):
        yield C.ACTIVITY_UNRELATED, f"staat ingeschreven voor SBI {', '.join(codes)}, niet voor de aangevraagde " \
            "activiteit", "/sbiActiviteiten"  # fmt: skip


def register_deviations(
    declaration: Declaration, profiles: Mapping[str, BasicProfile | None], reference_date: dt.date,
    recently_founded_months: int, permit_type: PermitType | None = None,
) -> tuple[RegisterDeviation, ...]:  # fmt: skip
    """Every deviation between the declared organisations and their basisprofiel.

    `profiles` maps a KvK number to its profile, or to None when the register has no such registration;
    a number that is missing from `profiles` was not looked up and yields nothing.
    """
    deviations = []
    for organisation, pointer in checked_organisations(declaration):
        if organisation.kvk_number not in profiles:
            continue
        who = _who(declaration, organisation)
        answer = Evidence("answer", pointer)
        profile = profiles[organisation.kvk_number]
        if profile is None:
            text = f"{who} is met het opgegeven KvK-nummer niet gevonden in het Handelsregister."
            deviations.append(RegisterDeviation(C.NOT_FOUND, organisation, pointer, text, (answer, _register(""))))
            continue
        found = [*_lifecycle(organisation, profile, reference_date, recently_founded_months),
                 *_identity(organisation, profile)]  # fmt: skip
        if _is_business(declaration, organisation):
            found += _business(declaration, profile, permit_type)
        deviations += [
            RegisterDeviation(check, organisation, pointer, f"{who} {text}.", (answer, _register(field)))
            for check, text, field in found
        ]
    return tuple(deviations)


def _weight(indicator: RegisterIndicator, policy: Policy | None) -> float:
    if policy is not None and indicator.code in policy.weights:
        return policy.weight(indicator.code)
    return indicator.default_weight


def findings_from_deviations(
    deviations: tuple[RegisterDeviation, ...], declaration: Declaration, policy: Policy | None = None
) -> tuple[Finding, ...]:
    """One Finding per deviation, weighted by the policy (or the defaults), in the order of REGISTER_INDICATORS."""
    return tuple(
        Finding(
            code=indicator.code,
            title=indicator.title,
            grounds=indicator.grounds,
            relation=relation_of(declaration, deviation.organisation, RelationType.SELF),
            weight=_weight(indicator, policy),
            explanation=deviation.explanation,
            evidence=deviation.evidence,
            subjects=(deviation.organisation,),
            unverified=indicator.unverified,
        )
        for indicator in REGISTER_INDICATORS
        for deviation in deviations
        if deviation.check in indicator.checks
    )


def register_findings(
    context: IndicatorContext, profiles: Mapping[str, BasicProfile | None], policy: Policy | None = None
) -> tuple[Finding, ...]:
    """The register findings of an assessment: compare, then weigh — to be added to `run_indicators`' findings."""
    deviations = register_deviations(
        context.declaration, profiles, context.reference_date, context.parameters.recently_founded_months,
        context.permit_type,
    )  # fmt: skip
    return findings_from_deviations(deviations, context.declaration, policy)
