"""Pure parsers from the KvK APIs' JSON ("yyyymmdd", "Ja"/"Nee", adressen, embedded objects) to kvk_values."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from bibob.clients.kvk_values import (
    BasicProfile,
    Branch,
    Owner,
    RegisterAddress,
    Registration,
    SbiActivity,
    SearchPage,
    SearchResult,
)
from bibob.identifiers import normalise_postcode
from bibob.parties import Address


def kvk_date(value: object) -> dt.date | None:
    """A "yyyymmdd" date; an unknown day or month ("00") becomes the first, an unreadable value None."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{8}", value):
        return None
    year, month, day = int(value[:4]), int(value[4:6]) or 1, int(value[6:]) or 1
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def yes_no(value: object) -> bool | None:
    """The register's "Ja"/"Nee" as a boolean; anything else None."""
    return {"ja": True, "nee": False}.get(value.casefold()) if isinstance(value, str) else None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _int(value: object) -> int | None:
    return value if type(value) is int else None


def _list(value: object) -> list[Any]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _registration(raw: Mapping[str, Any]) -> Registration:
    material = raw.get("materieleRegistratie")
    material = material if isinstance(material, dict) else {}
    return Registration(
        kvk_date(raw.get("formeleRegistratiedatum")), kvk_date(material.get("datumAanvang")),
        kvk_date(material.get("datumEinde")),
    )  # fmt: skip


def sbi_activities(raw: object) -> tuple[SbiActivity, ...]:
    """SBI activities from `sbiActiviteiten`, the main activity first."""
    found = [
        SbiActivity(code, _text(item.get("sbiOmschrijving")), bool(yes_no(item.get("indHoofdactiviteit"))))
        for item in _list(raw)
        if (code := _text(item.get("sbiCode")))
    ]
    return tuple(sorted(found, key=lambda activity: not activity.main))


def _house_number(raw: Mapping[str, Any]) -> int | None:
    number = raw.get("huisnummer")
    return int(number) if isinstance(number, str) and number.isdigit() else _int(number)


def address(raw: Mapping[str, Any]) -> Address:
    """An Address from a register address (binnenlands: straatnaam, huisnummer, huisletter,
    huisnummerToevoeging, postcode, plaats; a postadres may be a postbus: street "Postbus", its number)."""
    postcode = _text(raw.get("postcode"))
    country = _text(raw.get("land"))
    po_box = _po_box(raw)
    street = _text(raw.get("straatnaam")) or ("Postbus" if po_box is not None else "")
    return Address(
        street=street,
        house_number=_house_number(raw) if po_box is None else po_box,
        house_number_addition=" ".join(
            part for part in (_text(raw.get("huisletter")), _text(raw.get("huisnummerToevoeging"))) if part
        ),
        postcode=normalise_postcode(postcode) or postcode,
        city=_text(raw.get("plaats")),
        country="NL" if country in ("", "Nederland", "NL") else country,
    )


def _po_box(raw: Mapping[str, Any]) -> int | None:
    number = raw.get("postbusnummer")
    return int(number) if isinstance(number, str) and number.isdigit() else _int(number)


def register_addresses(raw: object) -> tuple[RegisterAddress, ...]:
    """The `adressen` of an owner or branch, with huisletter, toevoeging and postbus kept apart."""
    return tuple(
        RegisterAddress(
            _text(item.get("type")), address(item), _text(item.get("volledigAdres")),
            bool(yes_no(item.get("indAfgeschermd"))), _text(item.get("huisletter")),
            _text(item.get("huisnummerToevoeging")), _po_box(item),
        )
        for item in _list(raw)
    )  # fmt: skip


def _trade_names(raw: object) -> tuple[str, ...]:
    ordered = sorted(_list(raw), key=lambda item: _int(item.get("volgorde")) or 0)
    return tuple(name for item in ordered if (name := _text(item.get("naam"))))


def branch(raw: Mapping[str, Any]) -> Branch:
    """A Branch from a vestigingsprofiel or an embedded hoofdvestiging; raises KeyError without a number."""
    return Branch(
        branch_number=_required(raw, "vestigingsnummer"),
        kvk_number=_text(raw.get("kvkNummer")),
        first_trade_name=_text(raw.get("eersteHandelsnaam")),
        trade_names=_trade_names(raw.get("handelsnamen")),
        is_main=yes_no(raw.get("indHoofdvestiging")),
        is_commercial=yes_no(raw.get("indCommercieleVestiging")),
        registration=_registration(raw),
        addresses=register_addresses(raw.get("adressen")),
        sbi_activities=sbi_activities(raw.get("sbiActiviteiten")),
        employees=_int(raw.get("totaalWerkzamePersonen")),
        rsin=_text(raw.get("rsin")),
        statutory_name=_text(raw.get("statutaireNaam")),
        non_mailing=yes_no(raw.get("indNonMailing")),
        raw=raw,
    )


def _required(raw: Mapping[str, Any], key: str) -> str:
    value = _text(raw.get(key))
    if not value:
        raise KeyError(key)
    return value


def owner(raw: Mapping[str, Any]) -> Owner:
    """The embedded eigenaar."""
    return Owner(
        _text(raw.get("rsin")), _text(raw.get("rechtsvorm")), _text(raw.get("uitgebreideRechtsvorm")),
        register_addresses(raw.get("adressen")),
    )  # fmt: skip


def basic_profile(raw: Mapping[str, Any]) -> BasicProfile:
    """A BasicProfile from a Basisprofiel v1 body; raises KeyError or TypeError when it is not one."""
    embedded = raw.get("_embedded")
    embedded = embedded if isinstance(embedded, dict) else {}
    main = embedded.get("hoofdvestiging")
    eigenaar = embedded.get("eigenaar")
    return BasicProfile(
        kvk_number=_required(raw, "kvkNummer"),
        name=_text(raw.get("naam")),
        statutory_name=_text(raw.get("statutaireNaam")),
        trade_names=_trade_names(raw.get("handelsnamen")),
        registration=_registration(raw),
        sbi_activities=sbi_activities(raw.get("sbiActiviteiten")),
        employees=_int(raw.get("totaalWerkzamePersonen")),
        non_mailing=yes_no(raw.get("indNonMailing")),
        owner=owner(eigenaar) if isinstance(eigenaar, dict) else None,
        main_branch=branch(main) if isinstance(main, dict) else None,
        raw=raw,
    )


def _search_address(raw: object) -> Address | None:
    if not isinstance(raw, dict):
        return None
    domestic = raw.get("binnenlandsAdres")
    if isinstance(domestic, dict):
        return address(domestic)
    foreign = raw.get("buitenlandsAdres")
    if isinstance(foreign, dict):
        return Address(street=_text(foreign.get("straatHuisnummer")), city=_text(foreign.get("postcodeWoonplaats")),
                       country=_text(foreign.get("land")))  # fmt: skip
    return None


def search_page(raw: Mapping[str, Any]) -> SearchPage:
    """A SearchPage from a Zoeken v2 body; raises KeyError or TypeError when it is not one."""
    results = raw["resultaten"]
    if not isinstance(results, list):
        raise TypeError("resultaten")
    return SearchPage(
        page=_int(raw.get("pagina")) or 1,
        per_page=_int(raw.get("resultatenPerPagina")) or len(results),
        total=_int(raw.get("totaal")) or len(results),
        results=tuple(
            SearchResult(
                kvk_number=_required(item, "kvkNummer"), name=_text(item.get("naam")), type=_text(item.get("type")),
                rsin=_text(item.get("rsin")), branch_number=_text(item.get("vestigingsnummer")),
                address=_search_address(item.get("adres")), active=yes_no(item.get("actief")),
            )
            for item in _list(results)
        ),
    )  # fmt: skip
