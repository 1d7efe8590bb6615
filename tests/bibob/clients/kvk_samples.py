"""KvK response bodies written from the public API documentation and its test data (see cassettes/README.md)."""

from __future__ import annotations

from typing import Any

API_KEY = "kvk-test-key-never-shown"  # a stand-in; the real public test key is filtered from cassettes

BV_DONALD: dict[str, Any] = {
    "kvkNummer": "68750110",
    "indNonMailing": "Ja",
    "naam": "Test BV Donald",
    "formeleRegistratiedatum": "20150622",
    "materieleRegistratie": {"datumAanvang": "20150622"},
    "totaalWerkzamePersonen": 2,
    "handelsnamen": [{"naam": "Test BV Donald", "volgorde": 0}, {"naam": "Donald Beheer", "volgorde": 1}],
    "sbiActiviteiten": [
        {"sbiCode": "6420", "sbiOmschrijving": "Financiële holdings", "indHoofdactiviteit": "Ja"},
        {"sbiCode": "5610", "sbiOmschrijving": "Restaurants", "indHoofdactiviteit": "Nee"},
    ],
    "_embedded": {
        "hoofdvestiging": {
            "vestigingsnummer": "000037178598",
            "kvkNummer": "68750110",
            "formeleRegistratiedatum": "20150622",
            "materieleRegistratie": {"datumAanvang": "20150622"},
            "eersteHandelsnaam": "Test BV Donald",
            "indHoofdvestiging": "Ja",
            "indCommercieleVestiging": "Ja",
            "totaalWerkzamePersonen": 2,
            "adressen": [
                {
                    "type": "bezoekadres",
                    "indAfgeschermd": "Nee",
                    "volledigAdres": "Hizzaarderlaan 3 A 8711AB Lollum",
                    "straatnaam": "Hizzaarderlaan",
                    "huisnummer": 3,
                    "huisletter": "A",
                    "postcode": "8711AB",
                    "plaats": "Lollum",
                    "land": "Nederland",
                }
            ],
            "_links": {"self": {"href": "https://api.kvk.nl/test/api/v1/basisprofielen/68750110/hoofdvestiging"}},
        },
        "eigenaar": {
            "rsin": "857587973",
            "rechtsvorm": "BeslotenVennootschap",
            "uitgebreideRechtsvorm": "Besloten Vennootschap",
            "adressen": [],
            "_links": {"self": {"href": "https://api.kvk.nl/test/api/v1/basisprofielen/68750110/eigenaar"}},
        },
    },
    "_links": {"self": {"href": "https://api.kvk.nl/test/api/v1/basisprofielen/68750110"}},
}

EENMANSZAAK: dict[str, Any] = {
    "kvkNummer": "69599084",
    "indNonMailing": "Nee",
    "naam": "Test EMZ Dagobert",
    "formeleRegistratiedatum": "20171026",
    "materieleRegistratie": {"datumAanvang": "20171001"},
    "totaalWerkzamePersonen": 1,
    "handelsnamen": [{"naam": "Test EMZ Dagobert", "volgorde": 0}],
    "sbiActiviteiten": [{"sbiCode": "5630", "sbiOmschrijving": "Cafés", "indHoofdactiviteit": "Ja"}],
    "_embedded": {
        "hoofdvestiging": {
            "vestigingsnummer": "000038509504",
            "kvkNummer": "69599084",
            "eersteHandelsnaam": "Test EMZ Dagobert",
            "indHoofdvestiging": "Ja",
            "indCommercieleVestiging": "Ja",
            "adressen": [
                {
                    "type": "bezoekadres",
                    "indAfgeschermd": "Nee",
                    "volledigAdres": "Abebe Bikilalaan 17 1069LE Amsterdam",
                    "straatnaam": "Abebe Bikilalaan",
                    "huisnummer": 17,
                    "postcode": "1069LE",
                    "plaats": "Amsterdam",
                    "land": "Nederland",
                }
            ],
        },
        "eigenaar": {"rechtsvorm": "Eenmanszaak", "uitgebreideRechtsvorm": "Eenmanszaak", "adressen": []},
    },
}

BRANCH_DONALD: dict[str, Any] = {
    "vestigingsnummer": "000037178598",
    "kvkNummer": "68750110",
    "rsin": "857587973",
    "indNonMailing": "Ja",
    "formeleRegistratiedatum": "20150622",
    "materieleRegistratie": {"datumAanvang": "20150622"},
    "statutaireNaam": "Test BV Donald",
    "eersteHandelsnaam": "Test BV Donald",
    "indHoofdvestiging": "Ja",
    "indCommercieleVestiging": "Ja",
    "voltijdWerkzamePersonen": 2,
    "totaalWerkzamePersonen": 2,
    "deeltijdWerkzamePersonen": 0,
    "handelsnamen": [{"naam": "Test BV Donald", "volgorde": 0}],
    "adressen": BV_DONALD["_embedded"]["hoofdvestiging"]["adressen"],
    "websites": ["www.testbvdonald.nl"],
    "sbiActiviteiten": [{"sbiCode": "6420", "sbiOmschrijving": "Financiële holdings", "indHoofdactiviteit": "Ja"}],
    "_links": {"self": {"href": "https://api.kvk.nl/test/api/v1/vestigingsprofielen/000037178598"}},
}

SEARCH_DONALD: dict[str, Any] = {
    "pagina": 1,
    "resultatenPerPagina": 10,
    "totaal": 1,
    "resultaten": [
        {
            "kvkNummer": "68750110",
            "rsin": "857587973",
            "vestigingsnummer": "000037178598",
            "naam": "Test BV Donald",
            "adres": {
                "binnenlandsAdres": {
                    "type": "bezoekadres",
                    "straatnaam": "Hizzaarderlaan",
                    "huisnummer": 3,
                    "huisletter": "A",
                    "postcode": "8711AB",
                    "plaats": "Lollum",
                }
            },
            "type": "hoofdvestiging",
            "_links": {
                "basisprofiel": {"href": "https://api.kvk.nl/test/api/v1/basisprofielen/68750110"},
                "vestigingsprofiel": {"href": "https://api.kvk.nl/test/api/v1/vestigingsprofielen/000037178598"},
            },
        }
    ],
    "_links": {
        "self": {"href": "https://api.kvk.nl/test/api/v2/zoeken?kvkNummer=68750110&pagina=1&resultatenPerPagina=10"}
    },
}

NO_RESULTS: dict[str, Any] = {"fout": [{"code": "IPD5200", "omschrijving": "Geen resultaten gevonden."}]}
NOT_DELIVERABLE: dict[str, Any] = {
    "fout": [{"code": "IPD0005", "omschrijving": "Het product is niet leverbaar voor KvK-nummer 90002903"}]
}
