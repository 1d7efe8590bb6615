"""Generate pairs.json: labelled synthetic subject pairs for the matching tests (seeded)."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

rng = random.Random(20240604)

FIRST = (
    "Jan",
    "Pieter",
    "Kees",
    "Willem",
    "Hendrik",
    "Johannes",
    "Cornelis",
    "Maria",
    "Anna",
    "Johanna",
    "Sanne",
    "Fleur",
    "Daan",
    "Bram",
    "Lotte",
    "Sem",
    "Noor",
    "Thijs",
    "Eva",
    "Ruben",
)
SECOND = ("Pieter", "Maria", "Jacobus", "Hendrika", "Willem", "Adriaan", "Catharina", "Gerrit")
SURNAMES = (
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Smits"),
    ("van der", "Meer"),
    ("", "Kok"),
    ("ter", "Horst"),
    ("'t", "Hart"),
    ("van", "Dijk"),
    ("", "Verhoeven"),
    ("", "Koster"),
    ("", "Prins"),
    ("ten", "Brink"),
    ("", "Huisman"),
)
ACCENTED = (
    ("Zoë", "Zoe"),
    ("Anaïs", "Anais"),
    ("José", "Jose"),
    ("Søren", "Soren"),
    ("Çelik", "Celik"),
    ("Müller", "Muller"),
    ("Hélène", "Helene"),
    ("Björn", "Bjorn"),
)
STREETS = (
    "Dorpsstraat",
    "Kerkstraat",
    "Molenweg",
    "Stationsweg",
    "Schoolstraat",
    "Julianalaan",
    "Beatrixlaan",
    "Nieuwstraat",
    "Wilhelminastraat",
    "Hoofdstraat",
    "Parallelweg",
)
CITIES = ("Leusden", "Amersfoort", "Utrecht", "Zwolle", "Ede", "Barneveld", "Soest", "Woudenberg")
TRADES = (
    "Bakkerij",
    "Snackbar",
    "Café",
    "Kapsalon",
    "Autobedrijf",
    "Shishalounge",
    "Belwinkel",
    "Pizzeria",
    "Nagelstudio",
    "Transportbedrijf",
    "Bouwbedrijf",
    "Coffeeshop",
    "Eetcafé",
)
ORG_WORDS = (
    "De Gouden Leeuw",
    "Het Zonnetje",
    "Noord",
    "Centrum",
    "De Molen",
    "Royal",
    "Amicitia",
    "De Eik",
    "Oranje",
    "Victoria",
    "De Brug",
    "Zuidpoort",
    "Horizon",
    "Smulhoek",
)
NICKNAMES = (("Johannes", "Hans"), ("Cornelis", "Kees"), ("Hendrik", "Henk"), ("Wilhelmus", "Wim"))


def bsn() -> str:
    """A random 9-digit number passing the 11-proef (synthetic, not issued to anyone known)."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return "".join(map(str, [*digits, check]))


def kvk() -> str:
    return str(rng.randint(10_000_000, 99_999_999))


def dob() -> dt.date:
    return dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 55))


def postcode() -> str:
    return f"{rng.randint(1000, 9999)}{rng.choice('ABCDEGHJKLMNPRSTVXZ')}{rng.choice('ABCDEGHJ')}"


def address(**changes: Any) -> dict[str, Any]:
    base = {
        "street": rng.choice(STREETS),
        "houseNumber": rng.randint(1, 250),
        "houseNumberAddition": "",
        "postcode": postcode(),
        "city": rng.choice(CITIES),
    }
    return {**base, **changes}


def person(**changes: Any) -> dict[str, Any]:
    prefix, surname = rng.choice(SURNAMES)
    first = rng.choice(FIRST) + (f" {rng.choice(SECOND)}" if rng.random() < 0.5 else "")
    base = {
        "surname": surname,
        "prefix": prefix,
        "firstNames": first,
        "dateOfBirth": dob().isoformat(),
        "bsn": "",
    }
    return {**base, **changes}


def org(**changes: Any) -> dict[str, Any]:
    name = f"{rng.choice(TRADES)} {rng.choice(ORG_WORDS)}"
    return {"name": name, "kvkNumber": "", "rsin": "", "tradeNames": [], **changes}


def initials(first: str) -> str:
    return "".join(f"{part[0]}." for part in first.split())


def typo(word: str) -> str:
    i = rng.randint(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :] if rng.random() < 0.5 else (word[:i] + word[i] + word[i:])


def other_date(iso: str) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=rng.randint(400, 9000))).isoformat()


Case = Callable[[], tuple[dict[str, Any], dict[str, Any]]]


def particles_reordered() -> tuple[dict[str, Any], dict[str, Any]]:
    prefix, surname = rng.choice([s for s in SURNAMES if s[0]])
    a = person(prefix="", surname=f"{prefix.capitalize()} {surname}")
    return a, {**a, "surname": f"{surname}, {prefix}"}


def prefix_field_vs_inline() -> tuple[dict[str, Any], dict[str, Any]]:
    prefix, surname = rng.choice([s for s in SURNAMES if s[0]])
    a = person(prefix=prefix, surname=surname)
    return a, {**a, "prefix": "", "surname": f"{prefix} {surname}".upper()}


def initials_vs_full() -> tuple[dict[str, Any], dict[str, Any]]:
    a = person()
    return a, {**a, "firstNames": initials(a["firstNames"])}


def diacritics() -> tuple[dict[str, Any], dict[str, Any]]:
    (first, plain_first), (last, plain_last) = rng.choice(ACCENTED[:4]), rng.choice(ACCENTED[4:])
    a = person(firstNames=first, surname=last, prefix="")
    return a, {**a, "firstNames": plain_first, "surname": plain_last}


def double_name() -> tuple[dict[str, Any], dict[str, Any]]:
    (p1, s1), (p2, s2) = rng.sample(SURNAMES, 2)
    married = f"{' '.join(filter(None, (p1, s1)))}-{' '.join(filter(None, (p2, s2)))}"
    a = person(prefix="", surname=married)
    maiden = (p2, s2) if rng.random() < 0.5 else (p1, s1)
    return a, {**a, "prefix": maiden[0], "surname": maiden[1]}


def case_and_spaces() -> tuple[dict[str, Any], dict[str, Any]]:
    a = person()
    return a, {
        **a,
        "firstNames": f"  {a['firstNames'].upper()} ",
        "surname": a["surname"].lower(),
        "prefix": f" {a['prefix'].upper()}  ",
    }


def swapped_first() -> tuple[dict[str, Any], dict[str, Any]]:
    first, second = rng.choice(FIRST), rng.choice(SECOND)
    a = person(firstNames=f"{first} {second}")
    return a, {**a, "firstNames": f"{second} {first}"}


def surname_typo() -> tuple[dict[str, Any], dict[str, Any]]:
    a = person(
        surname=rng.choice(
            (
                "Hendriks",
                "Dijkstra",
                "Verhoeven",
                "Huisman",
                "Brouwer",
                "Koster",
                "Dekker",
                "Jansen",
                "Meijer",
            )
        ),
        prefix="",
    )
    return a, {**a, "surname": typo(a["surname"])}


def same_bsn_other_spelling() -> tuple[dict[str, Any], dict[str, Any]]:
    a = person(bsn=bsn())
    return a, {**a, "firstNames": initials(a["firstNames"]), "dateOfBirth": None}


def same_person_with_address() -> tuple[dict[str, Any], dict[str, Any]]:
    home = address()
    a = person(address=home, dateOfBirth=None)
    return a, {
        **a,
        "address": {
            **home,
            "postcode": home["postcode"].lower()[:4] + " " + home["postcode"][4:].lower(),
        },
    }


def other_birth_date() -> tuple[dict[str, Any], dict[str, Any]]:
    a = person()
    return a, {**a, "dateOfBirth": other_date(a["dateOfBirth"])}


def different_bsn() -> tuple[dict[str, Any], dict[str, Any]]:
    a = person(bsn=bsn())
    return a, {**a, "bsn": bsn()}


def twin() -> tuple[dict[str, Any], dict[str, Any]]:
    a = person(firstNames=rng.choice(FIRST[:10]))
    return a, {**a, "firstNames": rng.choice([f for f in FIRST[10:] if f != a["firstNames"]])}


def other_surname() -> tuple[dict[str, Any], dict[str, Any]]:
    a = person()
    prefix, surname = rng.choice([s for s in SURNAMES if s[1] != a["surname"]])
    return a, {**a, "prefix": prefix, "surname": surname}


def other_double_name() -> tuple[dict[str, Any], dict[str, Any]]:
    (p1, s1), (_, s2), (_, s3) = rng.sample(SURNAMES, 3)
    a = person(prefix="", surname=f"{' '.join(filter(None, (p1, s1)))}-{s2}")
    return a, {**a, "surname": f"{' '.join(filter(None, (p1, s1)))}-{s3}"}


def stranger() -> tuple[dict[str, Any], dict[str, Any]]:
    return person(), person()


def nickname() -> tuple[dict[str, Any], dict[str, Any]]:
    full, short = rng.choice(NICKNAMES)
    a = person(firstNames=full)
    return a, {**a, "firstNames": short}


def same_name_no_dates() -> tuple[dict[str, Any], dict[str, Any]]:
    a = person(dateOfBirth=None)
    return a, {
        **person(dateOfBirth=None),
        "surname": a["surname"],
        "prefix": a["prefix"],
        "firstNames": a["firstNames"],
        "address": address(),
    }


LEGAL_VARIANTS = (
    ("B.V.", "BV"),
    ("B.V.", ""),
    ("V.O.F.", "vof"),
    ("N.V.", ""),
    ("Holding B.V.", ""),
)


def legal_form_words() -> tuple[dict[str, Any], dict[str, Any]]:
    a = org()
    left, right = rng.choice(LEGAL_VARIANTS)
    return {**a, "name": f"{a['name']} {left}"}, {**a, "name": f"{a['name']} {right}".strip()}


def stichting() -> tuple[dict[str, Any], dict[str, Any]]:
    a = org(name=f"Stichting {rng.choice(ORG_WORDS)}")
    return a, {**a, "name": a["name"].replace("Stichting ", "").upper() + " (stichting)"}


def punctuation_and_accents() -> tuple[dict[str, Any], dict[str, Any]]:
    word = rng.choice(ORG_WORDS)
    a = org(name=f"Café & Eetcafé {word} B.V.")
    return a, {**a, "name": f"Cafe en Eetcafe {word.replace(' ', '  ')}"}


def same_kvk_other_name() -> tuple[dict[str, Any], dict[str, Any]]:
    a = org(kvkNumber=kvk())
    return a, {**org(), "kvkNumber": a["kvkNumber"][:4] + " " + a["kvkNumber"][4:]}


def same_rsin() -> tuple[dict[str, Any], dict[str, Any]]:
    a = org(rsin=bsn())
    return a, {**a, "name": a["name"] + " B.V."}


def trade_name() -> tuple[dict[str, Any], dict[str, Any]]:
    a = org(tradeNames=[f"{rng.choice(TRADES)} {rng.choice(ORG_WORDS)} Noord"])
    return {"name": a["tradeNames"][0], "kvkNumber": "", "rsin": "", "tradeNames": []}, a


def org_typo_same_address() -> tuple[dict[str, Any], dict[str, Any]]:
    seat = address()
    a = org(address=seat)
    return a, {**a, "name": typo(a["name"]) + " BV"}


def other_org() -> tuple[dict[str, Any], dict[str, Any]]:
    a, b = org(), org()
    return a, b if a["name"] != b["name"] else {**b, "name": b["name"] + " Zuid"}


def same_name_other_kvk() -> tuple[dict[str, Any], dict[str, Any]]:
    a = org(kvkNumber=kvk())
    return {**a, "name": a["name"] + " Holding B.V."}, {**a, "kvkNumber": kvk()}


def similar_name_other_city() -> tuple[dict[str, Any], dict[str, Any]]:
    a = org(address=address())
    return a, {**a, "name": a["name"] + " " + rng.choice(CITIES), "address": address()}


def addition_variants() -> tuple[dict[str, Any], dict[str, Any]]:
    letter = rng.choice("abc")
    a = address(houseNumberAddition=letter.upper())
    return a, {
        **a,
        "houseNumberAddition": rng.choice((f" {letter}", f"-{letter}", f"- {letter.upper()}")),
    }


def postcode_format() -> tuple[dict[str, Any], dict[str, Any]]:
    a = address()
    return a, {
        **a,
        "postcode": f"{a['postcode'][:4]} {a['postcode'][4:].lower()}",
        "street": a["street"].replace("straat", "str.").replace("laan", "ln"),
    }


def no_postcode() -> tuple[dict[str, Any], dict[str, Any]]:
    a = address()
    return a, {**a, "postcode": "", "street": a["street"].upper()}


def addition_missing() -> tuple[dict[str, Any], dict[str, Any]]:
    a = address(houseNumberAddition="1")
    return a, {**a, "houseNumberAddition": ""}


def other_number() -> tuple[dict[str, Any], dict[str, Any]]:
    a = address()
    return a, {**a, "houseNumber": a["houseNumber"] + rng.randint(1, 9)}


def other_addition() -> tuple[dict[str, Any], dict[str, Any]]:
    a = address(houseNumberAddition="A")
    return a, {**a, "houseNumberAddition": "B"}


def other_address() -> tuple[dict[str, Any], dict[str, Any]]:
    return address(), address()


def same_street_other_town() -> tuple[dict[str, Any], dict[str, Any]]:
    a = address()
    return a, {
        **a,
        "postcode": postcode(),
        "city": rng.choice([c for c in CITIES if c != a["city"]]),
    }


CASES: tuple[tuple[str, str, bool, Case, int, str], ...] = (
    ("person", "particles", True, particles_reordered, 10, "tussenvoegsel achter de naam"),
    (
        "person",
        "particles",
        True,
        prefix_field_vs_inline,
        8,
        "tussenvoegsel in eigen veld of in de naam",
    ),
    (
        "person",
        "initials",
        True,
        initials_vs_full,
        12,
        "voorletters tegenover voluit geschreven voornamen",
    ),
    ("person", "diacritics", True, diacritics, 8, "diakrieten weggelaten"),
    (
        "person",
        "double-name",
        True,
        double_name,
        12,
        "dubbele naam tegenover geboorte- of aangetrouwde naam",
    ),
    ("person", "case", True, case_and_spaces, 6, "hoofdletters en spaties"),
    ("person", "swapped", True, swapped_first, 8, "voornamen in andere volgorde"),
    ("person", "typo", True, surname_typo, 10, "tikfout in de achternaam"),
    (
        "person",
        "bsn",
        True,
        same_bsn_other_spelling,
        8,
        "zelfde BSN, andere schrijfwijze, geen geboortedatum",
    ),
    (
        "person",
        "address",
        True,
        same_person_with_address,
        5,
        "zelfde naam en adres, geen geboortedatum",
    ),
    (
        "person",
        "nickname",
        True,
        nickname,
        3,
        "roepnaam tegenover officiële naam (bekend zwak punt)",
    ),
    ("person", "other-dob", False, other_birth_date, 12, "zelfde naam, andere geboortedatum"),
    ("person", "bsn-differs", False, different_bsn, 8, "zelfde naam en geboortedatum, ander BSN"),
    ("person", "twin", False, twin, 8, "zelfde achternaam en geboortedatum, andere voornaam"),
    ("person", "other-surname", False, other_surname, 8, "andere achternaam, verder gelijk"),
    (
        "person",
        "other-double-name",
        False,
        other_double_name,
        5,
        "andere dubbele naam met gedeeld deel",
    ),
    ("person", "stranger", False, stranger, 8, "twee willekeurige personen"),
    (
        "person",
        "namesake",
        False,
        same_name_no_dates,
        4,
        "naamgenoot zonder geboortedatum, ander adres",
    ),
    (
        "organisation",
        "legal-form",
        True,
        legal_form_words,
        12,
        "rechtsvormwoorden anders geschreven of weggelaten",
    ),
    ("organisation", "stichting", True, stichting, 4, "stichting voor of achter de naam"),
    (
        "organisation",
        "punctuation",
        True,
        punctuation_and_accents,
        4,
        "leestekens, & en diakrieten",
    ),
    ("organisation", "kvk", True, same_kvk_other_name, 5, "zelfde KvK-nummer, andere naam"),
    ("organisation", "rsin", True, same_rsin, 3, "zelfde RSIN"),
    ("organisation", "trade-name", True, trade_name, 4, "naam gelijk aan handelsnaam"),
    (
        "organisation",
        "typo-address",
        True,
        org_typo_same_address,
        5,
        "tikfout in naam, zelfde adres",
    ),
    ("organisation", "other", False, other_org, 10, "twee willekeurige organisaties"),
    (
        "organisation",
        "kvk-differs",
        False,
        same_name_other_kvk,
        5,
        "holding en werkmaatschappij, ander KvK-nummer",
    ),
    (
        "organisation",
        "other-city",
        False,
        similar_name_other_city,
        5,
        "gelijkende naam, ander adres",
    ),
    (
        "address",
        "addition",
        True,
        addition_variants,
        8,
        "toevoeging met spatie, streepje of hoofdletter",
    ),
    ("address", "format", True, postcode_format, 6, "postcode met spatie, straat afgekort"),
    ("address", "no-postcode", True, no_postcode, 5, "postcode ontbreekt, straat en plaats gelijk"),
    ("address", "addition-missing", True, addition_missing, 3, "toevoeging ontbreekt aan één kant"),
    ("address", "other-number", False, other_number, 6, "zelfde postcode, ander huisnummer"),
    ("address", "other-addition", False, other_addition, 4, "zelfde pand, andere toevoeging"),
    ("address", "other", False, other_address, 6, "twee willekeurige adressen"),
    (
        "address",
        "other-town",
        False,
        same_street_other_town,
        5,
        "zelfde straat en nummer, andere plaats",
    ),
)


def main() -> None:
    pairs = []
    for kind, group, label, make, count, note in CASES:
        for n in range(count):
            left, right = make()
            pairs.append(
                {
                    "id": f"{kind}-{group}-{n + 1}",
                    "kind": kind,
                    "match": label,
                    "note": note,
                    "left": left,
                    "right": right,
                }
            )
    path = Path(__file__).with_name("pairs.json")
    path.write_text(json.dumps(pairs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(pairs)} pairs, {sum(p['match'] for p in pairs)} true matches → {path}")


if __name__ == "__main__":
    main()
