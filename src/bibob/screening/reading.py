"""Reading valid answers into a Declaration, guided by the concepts and roles of the questionnaire."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from bibob.identifiers import normalise_bsn, normalise_kvk, normalise_postcode, normalise_rsin
from bibob.parties import (
    ROLE_RELATION,
    Address,
    Involvement,
    LegalForm,
    Organisation,
    Party,
    Period,
    Person,
    RelationType,
    Role,
)
from bibob.questionnaires import AnswerWalk, Located, Question, Questionnaire, entries, parse_date, walk
from bibob.questionnaires.caching import identity_first
from bibob.screening.declaration import (
    Antecedent,
    AntecedentKind,
    Asset,
    Debt,
    Declaration,
    Employment,
    Financing,
    Income,
    Loan,
    OtherRole,
    Premises,
)

# roles whose owners do not thereby control the subject: they finance, lease or work for it (indirectly)
_NOT_CONTROL_ROLES = frozenset(role for role, relation in ROLE_RELATION.items()
                               if relation not in (RelationType.SELF, RelationType.CONTROLLER))  # fmt: skip
_ANTECEDENT_CONCEPTS = {
    "antecedents": AntecedentKind.CRIMINAL,
    "fines": AntecedentKind.FINE,
    "refusals": AntecedentKind.REFUSAL,
    "enforcement": AntecedentKind.ENFORCEMENT,
}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _int(value: Any) -> int | None:
    return value if type(value) is int else None


def to_address(raw: Any) -> Address | None:
    """An Address from an answer, postcode normalised when Dutch."""
    if not isinstance(raw, dict):
        return None
    country = _text(raw.get("country")) or "NL"
    postcode = _text(raw.get("postcode"))
    return Address(
        street=_text(raw.get("street")),
        house_number=_int(raw.get("houseNumber")),
        house_number_addition=_text(raw.get("houseNumberAddition")),
        postcode=(normalise_postcode(postcode) or postcode) if country == "NL" else postcode,
        city=_text(raw.get("city")),
        country=country,
    )


def to_period(raw: Any) -> Period:
    """A Period from a {from, to} answer (missing parts stay open)."""
    if not isinstance(raw, dict):
        return Period()
    return Period(parse_date(raw.get("from")), parse_date(raw.get("to")))


def to_party(raw: Any) -> Party | None:
    """A Person or Organisation from a person, organisation or party answer."""
    if not isinstance(raw, dict):
        return None
    if raw.get("kind") == "organisation":
        return _organisation(raw)
    return Person(
        surname=_text(raw.get("surname")),
        first_names=_text(raw.get("firstNames")),
        prefix=_text(raw.get("prefix")),
        date_of_birth=parse_date(raw.get("dateOfBirth")),
        place_of_birth=_text(raw.get("placeOfBirth")),
        bsn=normalise_bsn(raw.get("bsn")) or "",
        address=to_address(raw.get("address")),
        nationality=_text(raw.get("nationality")),
    )


def _organisation(raw: Mapping[str, Any]) -> Organisation:
    form = raw.get("legalForm")
    country = _text(raw.get("country")) or "NL"
    return Organisation(
        name=_text(raw.get("name")),
        legal_form=LegalForm.parse(form),
        trade_names=tuple(_text(t) for t in raw.get("tradeNames", ()) if _text(t)),
        kvk_number=(normalise_kvk(raw.get("kvkNumber")) or "") if country == "NL" else _text(raw.get("kvkNumber")),
        rsin=normalise_rsin(raw.get("rsin")) or "",
        country=country,
        address=to_address(raw.get("address")),
        founded_on=parse_date(raw.get("foundedOn")),
    )


# --- the declaration -----------------------------------------------------------------------------------


def _involvements(located: Located, role: Role) -> Iterator[Involvement]:
    """The parties an answer names, with the owners along an organisation's control chain."""
    for pointer, raw in entries(located):
        yield from _party_chain(raw, pointer, role)


def _party_chain(raw: Any, pointer: str, role: Role, via: Role | None = None) -> Iterator[Involvement]:
    """A party and the owners up its chain; owners of a financier or lessor stay tied to that role (art. 3(4))."""
    party = to_party(raw)
    if party is None:
        return
    yield Involvement(party, role, pointer, via=via)
    through = via if via is not None else (role if role in _NOT_CONTROL_ROLES else None)
    owners = raw.get("owners") if isinstance(raw, dict) else None
    for index, owner in enumerate(owners if isinstance(owners, list) else []):
        yield from _party_chain(owner, f"{pointer}/owners/{index}", Role.SHAREHOLDER, through)


def declaration_from_answers(
    questionnaire: Questionnaire, document: Mapping[str, Any], *, walked: AnswerWalk | None = None
) -> Declaration:
    """The domain values declared in `document`; meant for answers that passed `validate_answers`.

    Defensive all the same: a value of the wrong shape is left out, never raises. `walked`: the document walked
    already (in full, not `relevant_only`), by a caller that walks it for more than this.
    """
    walked = walk(questionnaire, document) if walked is None else walked
    holders = _module_holders(questionnaire, walked.document)
    items = _Collector()
    for located in walked.located:
        items.add(located, _holder(located.pointer, holders, items))
    for pointer, (party, role) in holders.items():
        items.involvements.append(Involvement(party, role, pointer))
    return Declaration(
        questionnaire_id=questionnaire.id,
        answered_on=parse_date(walked.document.get("answeredOn")),
        subject=items.subject,
        business=items.business,
        involvements=tuple(items.involvements),
        other_roles=tuple(items.other_roles),
        business_status=items.business_status,
        financing=tuple(items.financing),
        loans=tuple(items.loans),
        debts=tuple(items.debts),
        assets=tuple(items.assets),
        incomes=tuple(items.incomes),
        antecedents=tuple(items.antecedents),
        premises=items.premises,
        employment=tuple(items.employment),
        gaming_machine_operator=items.gaming_machine_operator,
        attachments=_attachments(walked.document),
    )


def _module_holders(questionnaire: Questionnaire, document: Mapping[str, Any]) -> dict[str, tuple[Party, Role]]:
    """Per module instance pointer, the person it is about and the role that put them on the roster."""
    holders: dict[str, tuple[Party, Role]] = {}
    modules = document.get("modules")
    for section in questionnaire.modules:
        assert section.repeat is not None
        instances = modules.get(section.id) if isinstance(modules, dict) else None
        for index, instance in enumerate(instances if isinstance(instances, list) else []):
            party = to_party(instance.get(section.repeat.subject_question)) if isinstance(instance, dict) else None
            role = Role.parse(section.repeat.per)
            if party is not None and role is not None:
                holders[f"/modules/{section.id}/{index}"] = (party, role)
    return holders


def _holder(pointer: str, holders: Mapping[str, tuple[Party, Role]], items: _Collector) -> Party | None:
    """Whose answer this is: the module's person, or else the subject."""
    if pointer.startswith("/modules/"):
        prefix = "/".join(pointer.split("/")[:4])
        found = holders.get(prefix)
        return found[0] if found else None
    return items.subject


def _attachments(document: Mapping[str, Any]) -> frozenset[tuple[str, str]]:
    items = document.get("attachments")
    return frozenset(
        (item["kind"], item["pointer"])
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, dict) and isinstance(item.get("kind"), str) and isinstance(item.get("pointer"), str)
    )


_PARTY_TYPES = frozenset(("person", "organisation", "party"))


@identity_first(4096)
@functools.lru_cache(maxsize=4096)
def _roles(question: Question) -> tuple[Role | None, tuple[tuple[str, Role], ...]]:
    """The role a party question's answer gets (None for other questions) and the roles of a group's fields by id.

    Derived once per question of a loaded questionnaire (by identity), not per answer read.
    """
    role = Role.parse(question.role) if question.type in _PARTY_TYPES else None
    fields = tuple((f.id, r) for f in question.fields if (r := Role.parse(f.role)) is not None)
    return role, fields


@attrs.define
class _Collector:
    """Gathers domain values while walking the answers once; private to declaration_from_answers."""

    subject: Party | None = None
    business: Organisation | None = None
    business_status: str | None = None
    involvements: list[Involvement] = attrs.Factory(list)
    other_roles: list[OtherRole] = attrs.Factory(list)
    financing: list[Financing] = attrs.Factory(list)
    loans: list[Loan] = attrs.Factory(list)
    debts: list[Debt] = attrs.Factory(list)
    assets: list[Asset] = attrs.Factory(list)
    incomes: list[Income] = attrs.Factory(list)
    antecedents: list[Antecedent] = attrs.Factory(list)
    employment: list[Employment] = attrs.Factory(list)
    premises: Premises = attrs.Factory(Premises)
    gaming_machine_operator: Party | None = None

    def add(self, located: Located, holder: Party | None) -> None:
        question, value = located.question, located.value
        concept = question.concept
        if concept == "subjectPerson" and not located.pointer.startswith("/modules/"):
            self.subject = to_party(value)
            if self.subject is not None:
                self.involvements.append(Involvement(self.subject, Role.OWNER, located.pointer))
        elif concept in ("subjectOrganisation", "subjectBusiness"):
            self._add_subject_organisation(located, concept)
        elif concept == "businessStatus" and isinstance(value, str):
            self.business_status = value
        elif (role := _roles(question)[0]) is not None:
            self.involvements += _involvements(located, role)
        if question.type == "group":
            roles = _roles(question)[1]
            for pointer, entry in entries(located):
                if isinstance(entry, dict):
                    self._add_entry(question.concept, pointer, entry, holder)
                    self._add_field_roles(roles, pointer, entry)

    def _add_field_roles(self, roles: tuple[tuple[str, Role], ...], pointer: str, entry: Mapping[str, Any]) -> None:
        """Parties named inside a group entry (a lender, a lessor, a financier) with their role."""
        for field_id, role in roles:
            self.involvements += _party_chain(entry.get(field_id), f"{pointer}/{field_id}", role)

    def _add_subject_organisation(self, located: Located, concept: str) -> None:
        organisation = to_party(located.value)
        if not isinstance(organisation, Organisation):
            return
        self.business = organisation
        if concept == "subjectOrganisation":
            self.subject = organisation
            self.involvements.append(Involvement(organisation, Role.SUBJECT, located.pointer))

    def _add_entry(self, concept: str | None, pointer: str, entry: Mapping[str, Any], holder: Party | None) -> None:
        if concept in _ANTECEDENT_CONCEPTS:
            self.antecedents.append(_antecedent(_ANTECEDENT_CONCEPTS[concept], pointer, entry, holder))
        elif concept == "loans":
            self.loans.append(_loan(pointer, entry, holder))
        elif concept in ("ownCapital", "borrowedCapital"):
            self._add_financing(concept == "ownCapital", pointer, entry)
        elif concept == "debts":
            self.debts.append(_debt(pointer, entry, holder))
        elif concept == "assets":
            values = (_int(entry.get("waardeNu")), _int(entry.get("waardeEindeVorigJaar")),
                      _int(entry.get("waardeEindeJaarDaarvoor")))  # fmt: skip
            description = _text(entry.get("omschrijving"))
            self.assets.append(Asset(pointer, holder, _text(entry.get("soort")), description, values))
        elif concept == "income":
            amounts = (_int(entry.get("bedragDitJaar")), _int(entry.get("bedragVorigJaar")),
                       _int(entry.get("bedragJaarDaarvoor")))  # fmt: skip
            self.incomes.append(Income(pointer, holder, _text(entry.get("soort")), _text(entry.get("bron")), amounts))
        elif concept in ("controlRoles", "managementRoles"):
            self.other_roles.append(_other_role(concept, pointer, entry, holder))
        elif concept == "employmentHistory":
            self.employment.append(
                Employment(pointer, holder, _text(entry.get("werkgever")), to_period(entry.get("periode")))
            )
        else:
            self._add_premises(concept, pointer, entry)

    def _add_financing(self, own: bool, pointer: str, entry: Mapping[str, Any]) -> None:
        financier = to_party(entry.get("financier"))
        self.financing.append(
            Financing(pointer, own, _int(entry.get("bedrag")), financier, _text(entry.get("herkomst")))
        )

    def _add_premises(self, concept: str | None, pointer: str, entry: Mapping[str, Any]) -> None:
        premises = self.premises
        if concept == "premisesBound":
            address = to_address(entry.get("adres"))
            if address is not None:
                premises = attrs.evolve(premises, addresses=(*premises.addresses, address))
        elif concept == "premisesLease":
            lessor = to_party(entry.get("verhuurder"))
            premises = attrs.evolve(
                premises, leased=True, lessor=lessor, monthly_rent=_int(entry.get("huurPerMaand")), pointer=pointer
            )
        elif concept == "rentArrears":
            amount = _int(entry.get("bedrag"))
            premises = attrs.evolve(premises, rent_arrears=True, arrears_amount=amount, arrears_pointer=pointer)
        elif concept == "premisesOwned":
            premises = attrs.evolve(premises, owned=True, purchase_price=_int(entry.get("koopprijs")))
        elif concept == "gamingMachines":
            self.gaming_machine_operator = to_party(entry.get("plaatser"))
        self.premises = premises


def _antecedent(kind: AntecedentKind, pointer: str, entry: Mapping[str, Any], holder: Party | None) -> Antecedent:
    description = next((_text(entry.get(k)) for k in ("feiten", "overtreding", "locatie") if _text(entry.get(k))), "")
    return Antecedent(
        kind=kind,
        pointer=pointer,
        declared_by=holder,
        concerns=_text(entry.get("betrokkene")),
        year=_int(entry.get("jaar")),
        description=description,
        outcome=_text(entry.get("afdoening")) or _text(entry.get("soort")),
        body=_text(entry.get("bestuursorgaan")),
        closure_13b=entry.get("opiumwet13b") is True,
    )


def _loan(pointer: str, entry: Mapping[str, Any], holder: Party | None) -> Loan:
    rate = entry.get("rente")
    return Loan(
        pointer=pointer,
        borrower=holder,
        creditor=to_party(entry.get("geldgever")),
        principal=_int(entry.get("hoofdsom")),
        remaining=_int(entry.get("restschuld")),
        interest_rate=float(rate) if isinstance(rate, int | float) and not isinstance(rate, bool) else None,
        security=_text(entry.get("zekerheid")),
        agreed_on=parse_date(entry.get("overeengekomenOp")),
        disbursed_on=parse_date(entry.get("verstrektOp")),
    )


def _debt(pointer: str, entry: Mapping[str, Any], holder: Party | None) -> Debt:
    amounts = (
        _int(entry.get("bedragNu")),
        _int(entry.get("bedragEindeVorigJaar")),
        _int(entry.get("bedragEindeJaarDaarvoor")),
    )
    return Debt(pointer, holder, _text(entry.get("schuldeiser")), entry.get("belastingdienst") is True, amounts)


def _other_role(concept: str, pointer: str, entry: Mapping[str, Any], holder: Party | None) -> OtherRole:
    organisation = to_party(entry.get("organisatie"))
    return OtherRole(
        pointer=pointer,
        person=holder,
        organisation=organisation if isinstance(organisation, Organisation) else None,
        kind="control" if concept == "controlRoles" else "management",
        description=_text(entry.get("rol")) or _text(entry.get("functie")),
        period=to_period(entry.get("periode")),
    )
