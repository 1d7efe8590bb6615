"""A questionnaire's organisations against their KvK basisprofiel: deviations become findings with evidence."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from bibob import Questionnaire
from bibob.clients import BasicProfile
from bibob.clients.kvk_parse import basic_profile
from bibob.legal import DangerLevel, Ground, PermitType
from bibob.parties import RelationType
from bibob.policy import load_policy
from bibob.screening import declaration_from_answers, kvk_numbers_to_check
from bibob.screening.assess import ground_levels
from bibob.screening.indicators import IndicatorContext, run_indicators
from bibob.screening.register_checks import RegisterCheck, register_deviations, register_findings
from tests.bibob.clients.kvk_samples import BV_DONALD
from tests.conftest import answers

POLICY = load_policy()
TODAY = dt.date(2026, 11, 1)
BV_ANSWERS = "valid-bv-two-ubos.json"  # declares Eetcafé Het Hoekje B.V., KvK 23456789, founded 2019-04-01


def register_entry(**changes: Any) -> dict[str, Any]:
    """The register's view of the declared BV: same name, a horeca SBI code, by default the declared facts."""
    raw = copy.deepcopy(BV_DONALD)
    raw.update(
        kvkNummer="23456789",
        naam="Eetcafé Het Hoekje B.V.",
        handelsnamen=[{"naam": "Het Hoekje", "volgorde": 0}],
        formeleRegistratiedatum="20190401",
        materieleRegistratie={"datumAanvang": "20190401"},
        sbiActiviteiten=[{"sbiCode": "5630", "sbiOmschrijving": "Cafés", "indHoofdactiviteit": "Ja"}],
    )
    address = raw["_embedded"]["hoofdvestiging"]["adressen"][0]
    address.update(straatnaam="Hamersveldseweg", huisnummer=12, huisletter="", postcode="3833GP", plaats="Leusden")
    for key, value in changes.items():
        if key == "adres":
            address.update(value)
        elif key == "rechtsvorm":
            raw["_embedded"]["eigenaar"].update(rechtsvorm=value, uitgebreideRechtsvorm=value)
        else:
            raw[key] = value
    return raw


def context(
    horeca: Questionnaire, document: Any = None, permit_type: PermitType = PermitType.EXPLOITATIE_HORECA
) -> IndicatorContext:
    declaration = declaration_from_answers(horeca, document or answers(BV_ANSWERS))
    return IndicatorContext(declaration, TODAY, POLICY.parameters, permit_type=permit_type)


def profiles(**changes: Any) -> dict[str, BasicProfile | None]:
    return {"23456789": basic_profile(register_entry(**changes))}


def test_the_checks_ask_for_each_declared_dutch_organisation_once(horeca: Questionnaire) -> None:
    assert kvk_numbers_to_check(context(horeca).declaration) == ("23456789", "87654321")


def test_a_bv_matching_the_register_yields_no_findings(horeca: Questionnaire) -> None:
    assert register_findings(context(horeca), profiles(), POLICY) == ()


def test_a_bv_whose_register_data_differ_in_founding_date_legal_form_and_address_yields_register_findings(
    horeca: Questionnaire,
) -> None:
    register = profiles(
        formeleRegistratiedatum="20260615", materieleRegistratie={"datumAanvang": "20260615"},
        rechtsvorm="VennootschapOnderFirma",
        adres={"straatnaam": "Stationsplein", "huisnummer": 1, "postcode": "3818LE", "plaats": "Amersfoort"},
    )  # fmt: skip
    ctx = context(horeca)
    findings = register_findings(ctx, register, POLICY)

    checks = [d.check for d in register_deviations(ctx.declaration, register, TODAY, 12, "exploitatieHoreca")]
    assert checks == [RegisterCheck.RECENTLY_FOUNDED, RegisterCheck.FOUNDED_ON_DIFFERS,
                      RegisterCheck.LEGAL_FORM_DIFFERS, RegisterCheck.ADDRESS_DIFFERS,
                      RegisterCheck.PREMISES_ELSEWHERE]  # fmt: skip
    assert [f.code for f in findings] == ["registerMismatch"] * 4 + ["recentlyFounded"]
    assert [f.explanation for f in findings] == [
        "De aanvrager is volgens het register op 15-6-2026 opgericht, niet op 1-4-2019.",
        "De aanvrager is volgens het register een vennootschap onder firma, geen besloten vennootschap.",
        "De aanvrager staat in het register op Stationsplein 1 3818LE Amersfoort, niet op Hamersveldseweg 12 3833GP "
        "Leusden.",
        "De aanvrager is gevestigd op Stationsplein 1 3818LE Amersfoort, niet op het adres van het pand.",
        "De aanvrager is op 15-6-2026 opgericht, minder dan 12 maanden geleden.",
    ]
    mismatch = findings[1]
    assert mismatch.grounds == (Ground.ART3_6_OBTAINING,) and mismatch.unverified
    assert mismatch.relation is RelationType.SELF
    assert [(e.kind, e.ref) for e in mismatch.evidence] == [
        ("answer", "/answers/1F.rechtspersoon"), ("register", "KvK-basisprofiel#/_embedded/eigenaar/rechtsvorm"),
    ]  # fmt: skip
    assert not any("23456789" in f.explanation or "800123451" in f.explanation for f in findings)
    levels = {g.ground: g.level for g in ground_levels(run_indicators(ctx, POLICY) + findings, POLICY, {})}
    assert levels[Ground.ART3_6_OBTAINING] is DangerLevel.LESSER  # 4 × 2 against 'mindere mate vanaf 6'


def test_an_organisation_unknown_to_the_register_is_not_found(horeca: Questionnaire) -> None:
    (finding,) = register_findings(context(horeca), {"23456789": None}, POLICY)
    assert finding.code == "registerNotFound" and finding.unverified
    assert finding.explanation == "De aanvrager is met het opgegeven KvK-nummer niet gevonden in het Handelsregister."


def test_a_deregistered_organisation_is_inactive(horeca: Questionnaire) -> None:
    register = profiles(materieleRegistratie={"datumAanvang": "20190401", "datumEinde": "20250101"})
    (deviation,) = register_deviations(context(horeca).declaration, register, TODAY, 12)
    assert deviation.check is RegisterCheck.INACTIVE
    assert deviation.explanation == "De aanvrager is op 1-1-2025 uitgeschreven."


def test_a_holding_activity_does_not_fit_a_horeca_permit_but_is_not_checked_for_a_subsidy(
    horeca: Questionnaire,
) -> None:
    register = profiles(sbiActiviteiten=[{"sbiCode": "6420", "sbiOmschrijving": "Financiële holdings",
                                          "indHoofdactiviteit": "Ja"}])  # fmt: skip
    (finding,) = register_findings(context(horeca), register, POLICY)
    assert finding.code == "activityUnrelated"
    assert "SBI 6420" in finding.explanation
    assert register_findings(context(horeca, permit_type=PermitType.SUBSIDIE), register, POLICY) == ()


def test_another_name_and_a_lessor_not_looked_up(horeca: Questionnaire) -> None:
    register = profiles(naam="Snackbar De Gouden Frituur B.V.", handelsnamen=[], statutaireNaam="")
    (deviation,) = register_deviations(context(horeca).declaration, register, TODAY, 12)
    assert deviation.check is RegisterCheck.NAME_DIFFERS


def test_a_shielded_register_address_is_not_compared(horeca: Questionnaire) -> None:
    register = profiles(adres={"straatnaam": "Geheim", "huisnummer": 9, "postcode": "1011AA", "indAfgeschermd": "Ja"})
    assert register_deviations(context(horeca).declaration, register, TODAY, 12) == ()
