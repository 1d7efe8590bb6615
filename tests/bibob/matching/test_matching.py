"""Tests for subject matching: rules, explanations, review ledger, index and the labelled set."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest

from bibob.matching import (
    Match,
    MatchLevel,
    Outcome,
    ReviewLedger,
    SubjectIndex,
    blocking_keys,
    match_addresses,
    match_against,
    match_organisations,
    match_persons,
    match_subjects,
    organisation_name,
    split_surname,
    subject_key,
)
from bibob.parties import Address, Organisation, Person
from tests.conftest import DATA
from tests.figures import report

PAIRS = DATA / "matching" / "pairs.json"
BIRTH = dt.date(1979, 11, 23)
BSN_A, BSN_B = "111222333", "123456782"  # synthetic, both pass the 11-proef
KVK_A, KVK_B = "12345678", "87654321"


def load_address(data: dict[str, Any] | None) -> Address | None:
    if data is None:
        return None
    return Address(
        data["street"],
        data["houseNumber"],
        data["houseNumberAddition"],
        data["postcode"],
        data["city"],
    )


def load_subject(kind: str, data: dict[str, Any]) -> Person | Organisation | Address:
    if kind == "person":
        born = data["dateOfBirth"]
        return Person(
            data["surname"],
            data["firstNames"],
            data["prefix"],
            dt.date.fromisoformat(born) if born else None,
            bsn=data["bsn"],
            address=load_address(data.get("address")),
        )
    if kind == "organisation":
        return Organisation(
            data["name"],
            trade_names=tuple(data["tradeNames"]),
            kvk_number=data["kvkNumber"],
            rsin=data["rsin"],
            address=load_address(data.get("address")),
        )
    address = load_address(data)
    assert address is not None
    return address


def labelled_matches() -> list[tuple[dict[str, Any], Match]]:
    pairs = json.loads(PAIRS.read_text(encoding="utf-8"))
    return [
        (
            pair,
            match_subjects(load_subject(pair["kind"], pair["left"]), load_subject(pair["kind"], pair["right"])),
        )
        for pair in pairs
    ]


def reason(match: Match, field: str) -> tuple[Outcome, str]:
    found = next(r for r in match.reasons if r.field == field)
    return found.outcome, found.text


# --- persons -----------------------------------------------------------------------------------


def test_equal_valid_bsn_is_a_certain_match_even_when_names_differ() -> None:
    match = match_persons(Person("Jansen", "Jan", bsn=BSN_A), Person("Janssen", "J.", bsn=BSN_A))

    assert match.level == MatchLevel.CERTAIN
    assert match.score == 1.0
    assert reason(match, "bsn") == (Outcome.AGREED, "BSN gelijk")


def test_different_valid_bsns_are_a_certain_non_match_despite_equal_name_and_birth_date() -> None:
    left = Person("Jansen", "Jan", date_of_birth=BIRTH, bsn=BSN_A)

    match = match_persons(left, Person("Jansen", "Jan", date_of_birth=BIRTH, bsn=BSN_B))

    assert match.level == MatchLevel.NONE
    assert reason(match, "bsn") == (Outcome.DIFFERS, "BSN verschilt")


def test_an_invalid_bsn_counts_as_missing_and_names_decide() -> None:
    left = Person("Jansen", "Jan", date_of_birth=BIRTH, bsn="123456789")

    match = match_persons(left, Person("Jansen", "Jan", date_of_birth=BIRTH, bsn=BSN_A))

    assert match.level == MatchLevel.PROBABLE
    assert reason(match, "bsn")[0] == Outcome.MISSING


def test_particles_after_a_comma_match_particles_in_front() -> None:
    match = match_persons(
        Person("Van der Berg", "Anna", date_of_birth=BIRTH),
        Person("Berg, van der", "Anna", date_of_birth=BIRTH),
    )

    assert match.level == MatchLevel.PROBABLE
    assert (reason(match, "surname")) == (
        Outcome.AGREED,
        "achternaam gelijk na normalisatie (Van der Berg / Berg, van der)",
    )


def test_a_prefix_field_and_an_inline_prefix_give_the_same_surname() -> None:
    assert split_surname("Berg", "van den").parts == split_surname("VAN DEN BERG").parts == ("berg",)
    assert split_surname("Hart, 't").parts == ("hart",)


def test_initials_match_full_first_names() -> None:
    match = match_persons(
        Person("Visser", "J.P.", date_of_birth=BIRTH),
        Person("Visser", "Jan Pieter", date_of_birth=BIRTH),
    )

    assert match.level == MatchLevel.PROBABLE
    assert reason(match, "firstNames")[1] == "voorletters passen bij de voornamen (J.P. / Jan Pieter)"


def test_diacritics_are_ignored() -> None:
    match = match_persons(
        Person("Çelik", "Zoë Anaïs", date_of_birth=BIRTH),
        Person("Celik", "Zoe Anais", date_of_birth=BIRTH),
    )

    assert match.level == MatchLevel.PROBABLE


def test_a_double_name_matches_the_maiden_name_and_the_married_name() -> None:
    double = Person("Jansen-de Vries", "Maria", date_of_birth=BIRTH)

    maiden = match_persons(double, Person("Vries", "Maria", "de", date_of_birth=BIRTH))
    married = match_persons(double, Person("Jansen", "Maria", date_of_birth=BIRTH))

    assert MatchLevel.PROBABLE == maiden.level == married.level
    assert "deel van de dubbele naam" in reason(maiden, "surname")[1]


def test_case_and_whitespace_do_not_matter() -> None:
    match = match_persons(
        Person("  de   JONG ", " PIETER  ", date_of_birth=BIRTH),
        Person("De Jong", "Pieter", date_of_birth=BIRTH),
    )

    assert match.level == MatchLevel.PROBABLE
    assert match.score >= 0.95


def test_swapped_first_names_match() -> None:
    match = match_persons(
        Person("Bos", "Pieter Jan", date_of_birth=BIRTH),
        Person("Bos", "Jan Pieter", date_of_birth=BIRTH),
    )

    assert match.level == MatchLevel.PROBABLE
    assert "voornamen gelijk in andere volgorde" in match.explanation


def test_a_surname_typo_still_matches_with_the_similarity_explained() -> None:
    match = match_persons(
        Person("Hendriks", "Kees", date_of_birth=BIRTH),
        Person("Hendirks", "Kees", date_of_birth=BIRTH),
    )

    assert match.level == MatchLevel.PROBABLE
    assert reason(match, "surname")[1].startswith("achternaam lijkt sterk op elkaar (88%")


def test_the_same_name_with_another_birth_date_is_no_match() -> None:
    match = match_persons(
        Person("Jansen", "Jan", date_of_birth=BIRTH),
        Person("Jansen", "Jan", date_of_birth=dt.date(1985, 2, 1)),
    )

    assert match.level == MatchLevel.NONE
    assert reason(match, "dateOfBirth") == (Outcome.DIFFERS, "geboortedatum verschilt")


def test_swapped_day_and_month_is_only_a_possible_match() -> None:
    match = match_persons(
        Person("Jansen", "Jan", date_of_birth=dt.date(1980, 3, 4)),
        Person("Jansen", "Jan", date_of_birth=dt.date(1980, 4, 3)),
    )

    assert match.level == MatchLevel.POSSIBLE


def test_twins_with_another_first_name_are_at_most_possible() -> None:
    match = match_persons(Person("Smit", "Daan", date_of_birth=BIRTH), Person("Smit", "Sanne", date_of_birth=BIRTH))

    assert match.level == MatchLevel.POSSIBLE


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (Person(""), Person("")),
        (Person("", "", bsn="not a bsn"), Person("Jansen", date_of_birth=None)),
        (Person("Jansen", bsn="12345678X"), Person("Jansen", bsn="")),
        (Person("---", "..."), Person("'t", "J.")),
    ],
)
def test_bad_person_input_gives_an_explained_non_match_without_exceptions(left: Person, right: Person) -> None:
    match = match_persons(left, right)

    assert MatchLevel.PROBABLE.rank > match.level.rank
    assert 0.0 <= match.score <= 1.0
    assert match.reasons


# --- organisations -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Bakkerij De Gouden Leeuw B.V.", "bakkerij de gouden leeuw"),
        ("B. V. Bakkerij de Gouden Leeuw", "bakkerij de gouden leeuw"),
        ("De Gouden Leeuw Holding BV", "gouden leeuw"),
        ("Stichting Het Zonnetje", "zonnetje"),
        ("Café & Eetcafé Noord V.O.F.", "cafe en eetcafe noord"),
        ("N.V.", "nv"),
    ],
)
def test_organisation_names_lose_legal_forms_punctuation_and_diacritics(name: str, expected: str) -> None:
    assert expected == organisation_name(name)


def test_equal_kvk_numbers_are_a_certain_match() -> None:
    match = match_organisations(
        Organisation("Snackbar Noord", kvk_number=KVK_A),
        Organisation("Cafetaria Zuid B.V.", kvk_number="1234 5678"),
    )

    assert match.level == MatchLevel.CERTAIN
    assert "KvK-nummer gelijk" in match.explanation


def test_different_kvk_numbers_are_no_match_even_with_equal_names() -> None:
    match = match_organisations(
        Organisation("Snackbar Noord B.V.", kvk_number=KVK_A),
        Organisation("Snackbar Noord", kvk_number=KVK_B),
    )

    assert match.level == MatchLevel.NONE


def test_equal_rsin_is_a_certain_match() -> None:
    match = match_organisations(Organisation("A", rsin=BSN_A), Organisation("B", rsin=BSN_A))

    assert match.level == MatchLevel.CERTAIN


def test_an_equal_name_without_legal_form_is_probable_and_explained() -> None:
    match = match_organisations(Organisation("Pizzeria Roma B.V."), Organisation("pizzeria roma"))

    assert match.level == MatchLevel.PROBABLE
    assert "naam gelijk zonder rechtsvorm en leestekens" in match.explanation


def test_a_similar_name_is_probable_only_with_the_same_address() -> None:
    seat = Address("Dorpsstraat", 12, "", "3831AB", "Leusden")
    left = Organisation("Bakkerij Jansen", address=seat)

    with_address = match_organisations(left, Organisation("Bakkerij Janssen BV", address=seat))
    without = match_organisations(left, Organisation("Bakkerij Janssen BV"))

    assert with_address.level == MatchLevel.PROBABLE
    assert without.level == MatchLevel.POSSIBLE


def test_an_organisation_name_matches_a_trade_name() -> None:
    match = match_organisations(
        Organisation("Horeca Beheer B.V.", trade_names=("Café Noord",)), Organisation("Cafe Noord")
    )

    assert match.level == MatchLevel.PROBABLE


# --- addresses ---------------------------------------------------------------------------------


def test_postcode_number_and_addition_make_a_certain_address_match_ignoring_case_and_dashes() -> None:
    match = match_addresses(
        Address("Kerkstraat", 7, " - a", "3831 ab", "Leusden"),
        Address("Kerkstr.", 7, "A", "3831AB", "LEUSDEN"),
    )

    assert match.level == MatchLevel.CERTAIN
    assert "toevoeging gelijk na normalisatie ( - a / A)" in match.explanation


def test_another_addition_in_the_same_building_is_only_possible() -> None:
    match = match_addresses(Address("", 7, "A", "3831AB"), Address("", 7, "B", "3831AB"))

    assert match.level == MatchLevel.POSSIBLE


def test_another_house_number_is_no_match() -> None:
    assert match_addresses(Address("", 7, "", "3831AB"), Address("", 9, "", "3831AB")).level == MatchLevel.NONE


def test_street_and_city_without_postcode_are_weaker_support() -> None:
    match = match_addresses(Address("Kerkstraat", 7, "", "", "Leusden"), Address("KERKSTRAAT", 7, "", "", "Leusden"))

    assert match.level == MatchLevel.PROBABLE


def test_an_address_with_bad_values_is_handled() -> None:
    match = match_addresses(Address(postcode="not a postcode"), Address())

    assert match.level == MatchLevel.NONE


def test_subjects_of_different_kinds_do_not_match() -> None:
    match = match_subjects(Person("Jansen"), Organisation("Jansen"))

    assert match.level == MatchLevel.NONE
    assert match.explanation == "verschillende soort betrokkene (persoon / organisatie)"


# --- explanations ------------------------------------------------------------------------------


def test_no_explanation_contains_a_bsn_rsin_or_kvk_number() -> None:
    numbers = re.compile(r"\d{8,}")
    for pair, match in labelled_matches():
        identifiers = {
            side.get(field, "").replace(" ", "")
            for side in (pair["left"], pair["right"])
            for field in ("bsn", "kvkNumber", "rsin")
        } - {""}
        text = match.explanation.replace(" ", "")

        assert not [number for number in identifiers if number in text], pair["id"]
        assert not numbers.search(text), pair["id"]


def test_a_reviewer_reason_with_a_bsn_is_masked() -> None:
    ledger = ReviewLedger().with_decision("a", "b", True, "r.devries", f"zelfde BSN {BSN_A}")

    match = match_subjects(Person("X"), Person("Y"), left_key="a", right_key="b", ledger=ledger)

    assert BSN_A not in match.explanation
    assert "[nummer]" in match.explanation


# --- labelled set ------------------------------------------------------------------------------


def test_precision_and_recall_on_the_labelled_set_are_at_least_95_percent() -> None:
    """A pair counts as matched when its level is certain or probable (`MatchLevel.is_match`)."""
    results = labelled_matches()
    predicted = [(pair["match"], match.level.is_match) for pair, match in results]
    true_positive = sum(label and found for label, found in predicted)
    precision = true_positive / sum(found for _, found in predicted)
    recall = true_positive / sum(label for label, _ in predicted)
    misses = [(pair["id"], match.level.value) for pair, match in results if pair["match"] != match.level.is_match]

    print(f"\nlabelled pairs: {len(results)}, precision {precision:.3f}, recall {recall:.3f}")
    report("matching", f"{len(results)} labelled pairs, precision {precision:.3f}, recall {recall:.3f}")
    print(f"wrong: {misses}")
    assert len(results) >= 200
    assert precision >= 0.95
    assert recall >= 0.95


# --- review ledger -----------------------------------------------------------------------------


def test_the_ledger_is_immutable_and_order_of_keys_does_not_matter() -> None:
    empty = ReviewLedger()

    ledger = empty.with_decision("left", "right", False, "a.bakker", "andere persoon")

    assert empty.decisions == ()
    decision = ledger.decision_for("right", "left")
    assert decision is not None
    assert not decision.confirmed


def test_the_latest_decision_on_a_pair_wins() -> None:
    ledger = (
        ReviewLedger()
        .with_decision("l", "r", False, "a", "eerst afgewezen")
        .with_decision("r", "l", True, "b", "toch dezelfde")
    )

    decision = ledger.decision_for("l", "r")
    assert decision is not None
    assert decision.confirmed
    assert ledger.confirmed_with("l") == ("r",)


def registry(size: int) -> list[tuple[str, Person | Organisation | Address]]:
    entries: list[tuple[str, Person | Organisation | Address]] = []
    for i in range(size):
        born = dt.date(1950, 1, 1) + dt.timedelta(days=(i * 37) % 20000)
        entries.append((f"p{i}", Person(f"Achternaam{i % 500}", f"Voornaam{i % 37}", date_of_birth=born)))
        entries.append((f"o{i}", Organisation(f"Bedrijf{i} Horeca B.V.", kvk_number=f"{10000000 + i}")))
        entries.append((f"a{i}", Address("Dorpsstraat", i % 300 + 1, "", f"{1000 + i % 9000}AB")))
    return entries


def test_a_dismissed_pair_is_not_proposed_again() -> None:
    index = SubjectIndex.build([("reg-1", Person("Jansen", "Jan", date_of_birth=BIRTH))])
    query = Person("Jansen", "J.", date_of_birth=BIRTH)
    assert [m.right_key for m in match_against(index, query, key="app-7")] == ["reg-1"]

    ledger = ReviewLedger().with_decision("app-7", "reg-1", False, "a.bakker", "andere persoon")

    assert match_against(index, query, ledger, key="app-7") == ()


def test_a_confirmed_pair_counts_as_certain_even_when_blocking_would_miss_it() -> None:
    index = SubjectIndex.build([("reg-1", Person("Smit", "Anna", date_of_birth=BIRTH))])
    query = Person("Bakker-Smid", "A.", date_of_birth=dt.date(1990, 1, 1))
    ledger = ReviewLedger().with_decision("app-7", "reg-1", True, "a.bakker", "na huwelijk")

    (match,) = match_against(index, query, ledger, key="app-7")

    assert match.level == MatchLevel.CERTAIN
    assert match.explanation.startswith("bevestigd bij beoordeling door a.bakker: na huwelijk")


# --- index -------------------------------------------------------------------------------------


@pytest.fixture(scope="module", name="big_index")
def _big_index() -> SubjectIndex:
    entries = registry(5000)
    entries.append(
        (
            "needle",
            Person(
                "Vries",
                "Jan Pieter",
                "de",
                date_of_birth=BIRTH,
                address=Address("Kerkstraat", 7, "a", "3831AB", "Leusden"),
            ),
        )
    )
    entries.append(("needle-org", Organisation("De Gouden Leeuw B.V.", kvk_number=KVK_B)))
    return SubjectIndex.build(entries)


def test_the_index_finds_the_right_person_among_many_without_a_full_scan(
    big_index: SubjectIndex,
) -> None:
    query = Person("Vries, de", "J.P.", date_of_birth=BIRTH)

    candidates = big_index.candidates(query)
    matches = match_against(big_index, query, key="app-1")

    assert "needle" in candidates
    assert len(candidates) < len(big_index) / 100
    assert matches[0].right_key == "needle"
    assert matches[0].level == MatchLevel.PROBABLE


def test_the_index_finds_a_person_by_name_when_the_birth_date_is_missing(
    big_index: SubjectIndex,
) -> None:
    matches = match_against(
        big_index,
        Person("de Vries", "Jan", address=Address("Kerkstraat", 7, "A", "3831 AB", "Leusden")),
    )

    assert matches[0].right_key == "needle"


def test_the_index_finds_an_organisation_by_kvk_and_by_name(big_index: SubjectIndex) -> None:
    by_kvk = match_against(big_index, Organisation("iets anders", kvk_number=KVK_B))
    by_name = match_against(big_index, Organisation("Gouden Leeuw"))

    assert [(m.right_key, m.level) for m in by_kvk] == [("needle-org", MatchLevel.CERTAIN)]
    assert by_name[0].right_key == "needle-org"


def test_the_index_finds_an_address_and_returns_matches_best_first(big_index: SubjectIndex) -> None:
    matches = match_against(big_index, Address("Dorpsstraat", 12, "", "1011AB"))

    assert matches[0].right_key == "a11"
    assert matches[0].level == MatchLevel.CERTAIN
    ranks = [(m.level.rank, m.score) for m in matches]
    assert sorted(ranks, reverse=True) == ranks


def test_candidates_are_bounded_even_for_a_crowded_block() -> None:
    index = SubjectIndex.build(
        [(f"p{i}", Person("Jansen", "Jan", date_of_birth=BIRTH)) for i in range(2000)],
        max_candidates=100,
    )

    assert len(index.candidates(Person("Jansen", "Jan", date_of_birth=BIRTH))) <= 100


def test_subject_keys_are_stable_and_hold_no_bsn() -> None:
    person = Person("Jansen", "Jan", bsn=BSN_A)

    assert subject_key(person) == subject_key(Person("Jansen", "Jan", bsn=BSN_A))
    assert BSN_A not in subject_key(person)
    assert f"P:bsn:{BSN_A}" in blocking_keys(person)


def test_leaving_out_persons_born_on_another_day_loses_no_match_of_possible_or_better() -> None:
    days = (BIRTH, BIRTH.replace(day=24), dt.date(1979, 12, 23), dt.date(1980, 11, 23), dt.date(1985, 3, 2), None)
    names = (("Jansen", "Jan"), ("Janssen", "J."), ("Jansen", ""), ("Jansen-de Vries", "Jan Pieter"))
    entries = [
        (f"p{i}-{j}", Person(surname, first, date_of_birth=day))
        for i, (surname, first) in enumerate(names)
        for j, day in enumerate(days)
    ]
    entries.append(("swapped", Person("Jansen", "Jan", date_of_birth=dt.date(1979, 11, 11))))
    index = SubjectIndex.build(entries)

    born = Person("Jansen", "Jan", date_of_birth=BIRTH)
    for query in (born, Person("Jansen", "J.", date_of_birth=None)):
        every = match_against(index, query, key="q", minimum=MatchLevel.NONE)
        possible = match_against(index, query, key="q")

        assert possible == tuple(m for m in every if m.level.rank >= MatchLevel.POSSIBLE.rank)
    # those born on another day are there when a verdict of none is asked for
    assert any(m.level is MatchLevel.NONE for m in match_against(index, born, key="q", minimum=MatchLevel.NONE))


def test_names_reach_answers_as_the_similarity_itself_would() -> None:
    from bibob.matching.compare import best_name_similarity, names_reach
    from bibob.matching.profiles import profile_of

    names = ("De Gouden Leeuw B.V.", "Gouden Leeuw", "Goude Leeuw", "Bakkerij Bergsen", "Bakkerij Bergman",
             "Snackbar Bos", "Snackbar Bosch Holding", "Café 't Hoekje", "Cafe Hoekje", "A", "")  # fmt: skip
    profiles = [profile_of(Organisation(name, trade_names=("Leeuw",) if "Leeuw" in name else ())) for name in names]

    for a in profiles:
        for b in profiles:
            for threshold in (0.6, 0.85, 0.9):
                assert names_reach(a, b, threshold) == (best_name_similarity(a, b) >= threshold)
