"""The questionnaire as a web form, from its definition: an answer document becomes a form model (sections,
questions, inputs), and a posted form becomes an answer document again. Both are pure functions.

Every input is named by the JSON pointer of its value in the answer document (`/answers/2H.leningen/0/hoofdsom`), so
a problem the library reports at a pointer lands next to its input. Amounts are eurocents in the document and euros
in the form (`1.250,00`); dates are `JJJJ-MM-DD` in the document and `DD-MM-JJJJ` in the form. A posted value that
cannot be read (an amount with letters, a date that does not exist) is a reading problem: it stays in the form as
typed, and the document leaves it out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from bibob.exceptions import Problem
from bibob.questionnaires import (
    All,
    AnyOf,
    Completeness,
    Condition,
    Question,
    Questionnaire,
    Section,
    field_applies,
    module_roster,
    parse_date,
    question_applies,
)

Posted = Mapping[str, Sequence[str]]  # a posted form: every name with its values, in the order they came
MAX_DEPTH = 4  # owners of owners …: how deep a control chain the form shows
MAX_MONEY_CENTS = 10**15
PERSON_FIELDS = ("firstNames", "prefix", "surname", "dateOfBirth", "placeOfBirth", "nationality", "bsn", "phone")
ORGANISATION_FIELDS = ("name", "legalForm", "tradeNames", "kvkNumber", "rsin", "country", "foundedOn", "phone")
ADDRESS_FIELDS = ("street", "houseNumber", "houseNumberAddition", "postcode", "city", "country")
SUBJECT_FIELDS = (*PERSON_FIELDS, "address")  # what a module copies of the person section 1 names
LABELS = {
    "surname": "Achternaam",
    "prefix": "Tussenvoegsel",
    "firstNames": "Voornamen (voluit)",
    "dateOfBirth": "Geboortedatum",
    "placeOfBirth": "Geboorteplaats",
    "nationality": "Nationaliteit",
    "bsn": "Burgerservicenummer (BSN)",
    "phone": "Telefoonnummer",
    "sharePercentage": "Aandelenpercentage",
    "name": "Naam",
    "legalForm": "Rechtsvorm",
    "tradeNames": "Handelsnamen",
    "kvkNumber": "KvK-nummer",
    "rsin": "RSIN",
    "country": "Land (landcode, bijvoorbeeld NL)",
    "foundedOn": "Datum van oprichting",
    "owners": "Eigenaren (aandeelhouders) van deze organisatie",
    "address": "Adres",
    "street": "Straat",
    "houseNumber": "Huisnummer",
    "houseNumberAddition": "Toevoeging",
    "postcode": "Postcode",
    "city": "Plaats",
    "from": "Vanaf",
    "to": "Tot en met",
    "kind": "Persoon of organisatie",
}
HINTS = {
    "tradeNames": "Eén handelsnaam per regel.",
    "sharePercentage": "Bijvoorbeeld 60 of 12,5.",
    "country": "Twee hoofdletters; leeg laten voor Nederland.",
    "postcode": "Bijvoorbeeld 3833 GP.",
}
LEGAL_FORMS = (
    ("eenmanszaak", "Eenmanszaak"),
    ("vof", "Vennootschap onder firma (vof)"),
    ("cv", "Commanditaire vennootschap (cv)"),
    ("maatschap", "Maatschap"),
    ("bv", "Besloten vennootschap (bv)"),
    ("nv", "Naamloze vennootschap (nv)"),
    ("stichting", "Stichting"),
    ("vereniging", "Vereniging"),
    ("cooperatie", "Coöperatie"),
    ("owm", "Onderlinge waarborgmaatschappij"),
    ("foreign", "Buitenlandse rechtsvorm"),
)
PARTY_KINDS = (("person", "Natuurlijk persoon"), ("organisation", "Organisatie (rechtspersoon of onderneming)"))
YES_NO = (("ja", "Ja"), ("nee", "Nee"))
DATE_HINT = "Dag-maand-jaar, bijvoorbeeld 15-03-2024."
MONEY_HINT = "In euro's, bijvoorbeeld 1.250,00."
ATTACHMENT_TEXT = ("kind", "pointer", "fileName", "mediaType", "sha256", "reference", "receivedOn")
ATTACHMENT_NUMBERS = ("year", "sizeBytes")
RADIO_LIMIT = 6  # more choices than this: a select list
EUROCENTS = re.compile(r"\s*\(in eurocenten\)", re.IGNORECASE)
FORM_START = "formulier-begin"  # the id of the form's start, where problems with the whole document link to


# --- the form model ---------------------------------------------------------------------------------------------


@attrs.frozen
class Choice:
    """One of the answers an input offers: the value posted and its Dutch label."""

    value: str
    label: str


@attrs.frozen
class Input:
    """One input: named by the pointer of its value; `widget` says how it is shown (text, textarea, date, money,
    integer, number, yesno, radio, select, checkboxes, lines, hidden); `routes`: changing it changes which questions
    apply, so the form is shown again."""

    name: str
    id: str
    label: str
    widget: str
    value: str | tuple[str, ...] = ""
    hint: str = ""
    required: bool = False
    visible: bool = True
    choices: tuple[Choice, ...] = ()
    routes: bool = False
    errors: tuple[str, ...] = ()


@attrs.frozen
class Slot:
    """An attachment at an answer: a document the answers call for (`label`), or one listed in the document. Its
    inputs: the file name or a reference to a document handed in earlier, and the metadata kept as it is."""

    id: str
    label: str
    present: bool
    registered: bool  # present through the application's registered attachments (PUT …/attachments)
    inputs: tuple[Input, ...] = ()
    errors: tuple[str, ...] = ()


@attrs.frozen
class Node:
    """A question, a group of fields or a list of entries, at `pointer` in the document.

    `shape`: "value" (one input), "group" (parts) or "list" (entries, each a node; `item` names one entry)."""

    pointer: str
    id: str
    label: str
    shape: str
    number: str = ""  # the question's id, for a question
    hint: str = ""
    required: bool = False
    visible: bool = True
    input: Input | None = None
    parts: tuple[Node, ...] = ()
    entries: tuple[Node, ...] = ()
    marker: Input | None = None  # an entry's hidden input: the entry exists even when all of it is empty
    item: str = "regel"
    removable: bool = False
    attachments: tuple[Slot, ...] = ()
    errors: tuple[str, ...] = ()


@attrs.frozen
class ModulePersonRow:
    """A person who needs a module: who (name and date of birth), where section 1 names them, their module."""

    name: str
    named_at: str
    module: str | None
    module_id: str | None


@attrs.frozen
class FormSection:
    """A section: its questions, or for a module section one block (a group node) per instance and its roster."""

    id: str
    title: str
    intro: str
    visible: bool
    questions: tuple[Node, ...] = ()
    module: bool = False
    instances: tuple[Node, ...] = ()
    persons: tuple[ModulePersonRow, ...] = ()
    errors: tuple[str, ...] = ()


@attrs.frozen
class SummaryItem:
    """A line of the error summary: the message and the id of the field the link moves focus to."""

    target: str
    message: str


@attrs.frozen
class AnswerForm:
    """The whole form: the document's head (questionnaire, date of answering), the sections, the attachments
    that belong to no question shown, and every problem in form order for the summary."""

    head: tuple[Input, ...]
    sections: tuple[FormSection, ...]
    loose: tuple[Slot, ...]
    errors: tuple[str, ...]  # problems with the document as a whole, at no question
    summary: tuple[SummaryItem, ...]


@attrs.frozen
class Reading:
    """A posted form read back: the answer document, the problems reading it (input name → Dutch message) and
    what was typed in those inputs, to show again."""

    document: dict[str, Any]
    problems: dict[str, str]
    typed: dict[str, str]


# --- pointers -----------------------------------------------------------------------------------------------------


def escape(token: object) -> str:
    """One JSON pointer token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def tokens(pointer: str) -> list[str]:
    """The tokens of a JSON pointer."""
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]] if pointer else []


def element_id(pointer: str) -> str:
    """An HTML id for the place at `pointer` (letters, digits, '.', '_', '-')."""
    return "v" + re.sub(r"[^A-Za-z0-9._]", "-", pointer)


def value_at(document: object, pointer: str) -> Any:
    """The value at `pointer` in `document`, or None."""
    value = document
    for token in tokens(pointer):
        if isinstance(value, dict):
            value = value.get(token)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value


# --- values shown and read ----------------------------------------------------------------------------------------


def euros(cents: object) -> str:
    """Eurocents as euros the Dutch way: 123456 → '1.234,56'; anything else as it is."""
    if type(cents) is not int:
        return "" if cents is None else str(cents)
    whole, part = divmod(abs(cents), 100)
    return ("-" if cents < 0 else "") + f"{whole:,}".replace(",", ".") + f",{part:02d}"


_MONEY = re.compile(r"(?P<whole>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<part>\d{1,2}))?")
_MONEY_POINT = re.compile(r"(?P<whole>\d+)\.(?P<part>\d{1,2})")


def cents(text: str) -> int:
    """Euros as typed ('1.234,56', '€ 1234,5', '1234', '12.50') as eurocents, exactly; ValueError with Dutch text."""
    cleaned = re.sub(r"\s", "", text).removeprefix("€").removeprefix("EUR")
    if cleaned.startswith("-"):
        raise ValueError("Een bedrag kan niet negatief zijn.")
    found = _MONEY.fullmatch(cleaned) or _MONEY_POINT.fullmatch(cleaned)
    if found is None:
        if re.fullmatch(r"[\d.]*,\d{3,}", cleaned):
            raise ValueError("Gebruik hoogstens twee cijfers achter de komma.")
        raise ValueError("Vul een bedrag in euro's in met alleen cijfers, bijvoorbeeld 1.250,00.")
    whole = int(found.group("whole").replace(".", ""))
    part = found.group("part") or "0"
    amount = whole * 100 + int(part.ljust(2, "0"))
    if amount > MAX_MONEY_CENTS:
        raise ValueError("Dit bedrag is te groot.")
    return amount


def day_text(value: object) -> str:
    """An ISO date as 'DD-MM-JJJJ'; anything else as it is."""
    date = parse_date(value)
    if date is not None:
        return f"{date.day:02d}-{date.month:02d}-{date.year:04d}"
    return "" if value is None else str(value)


_DAY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def iso_day(text: str) -> str:
    """A date typed as 'DD-MM-JJJJ' (or 'JJJJ-MM-DD') as 'JJJJ-MM-DD'; ValueError with Dutch text."""
    cleaned = text.strip()
    found, iso = _DAY.fullmatch(cleaned), _ISO_DAY.fullmatch(cleaned)
    if found is None and iso is None:
        raise ValueError("Vul een datum in als dag-maand-jaar, bijvoorbeeld 15-03-2024.")
    day, month, year = found.groups() if found else tuple(reversed(iso.groups()))  # type: ignore[union-attr]
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        raise ValueError("Deze datum bestaat niet; controleer dag en maand.") from None


def whole_number(text: str) -> int:
    """A whole number as typed; ValueError with Dutch text."""
    cleaned = re.sub(r"\s", "", text)
    if not re.fullmatch(r"-?\d{1,12}", cleaned):
        raise ValueError("Vul een geheel getal in met alleen cijfers, bijvoorbeeld 2019.")
    return int(cleaned)


def number_text(value: object) -> str:
    """A percentage the Dutch way: 12.5 → '12,5', 60.0 → '60'."""
    if type(value) in (int, float):
        text = f"{value:g}" if isinstance(value, float) else str(value)
        return text.replace(".", ",")
    return "" if value is None else str(value)


def number(text: str) -> int | float:
    """A percentage as typed ('12,5', '60'); ValueError with Dutch text."""
    cleaned = re.sub(r"\s|%", "", text).replace(",", ".")
    if not re.fullmatch(r"\d{1,3}(\.\d{1,4})?", cleaned):
        raise ValueError("Vul een percentage in als getal, bijvoorbeeld 60 of 12,5.")
    value = Decimal(cleaned)
    if value > 100:
        raise ValueError("Een percentage ligt tussen 0 en 100.")
    return int(value) if value == value.to_integral_value() else float(value)


def yes_no(value: object) -> str:
    if value is True:
        return "ja"
    if value is False:
        return "nee"
    return ""


# --- document → form --------------------------------------------------------------------------------------------


@attrs.frozen
class _Context:
    """What building the form needs besides the definition: problems, typed text, attachments, the day."""

    problems: Mapping[str, tuple[str, ...]]
    typed: Mapping[str, str]
    document: Mapping[str, Any]
    completeness: Completeness | None
    reference_year: int
    routing: frozenset[str]
    kind_labels: Mapping[str, str]


def build_form(
    questionnaire: Questionnaire,
    document: Mapping[str, Any],
    *,
    completeness: Completeness | None = None,
    problems: Sequence[Problem] = (),
    typed: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> AnswerForm:
    """The form model of `document`: every section and question of `questionnaire`, with whether it applies
    (`visible`), the answers as the form shows them, each problem (pointer, Dutch message) at its question (or at the
    nearest place shown) and in the summary, and `typed` text shown instead of what the document holds.

    With `completeness`, each document the answers call for gets a place at its answer (a file name or a reference),
    and a missing one is reported there rather than at the answer."""
    document = document if isinstance(document, dict) else {}
    answered = parse_date(document.get("answeredOn"))
    year = (answered or today or dt.date.today()).year
    routing = _routing_questions(questionnaire)
    kinds = {rule.kind: rule.label for s in questionnaire.sections for q in s.questions for rule in q.attachments}
    plain = _Context({}, typed or {}, document, completeness, year, routing, kinds)
    draft = _build(questionnaire, document, plain)
    shown = _shown_places(draft)
    placed: dict[str, list[str]] = {}
    for problem in problems:
        if completeness is not None and problem.code == "attachmentMissing":
            continue  # at the attachment's own place (see _slots)
        placed.setdefault(_nearest(problem.pointer, shown), []).append(problem.message)
    context = attrs.evolve(plain, problems={key: tuple(value) for key, value in placed.items()})
    form = _build(questionnaire, document, context)
    return attrs.evolve(form, summary=tuple(_summary(form)))


def _build(questionnaire: Questionnaire, document: Mapping[str, Any], context: _Context) -> AnswerForm:
    answers = document.get("answers")
    answers = answers if isinstance(answers, dict) else {}
    reference = document.get("questionnaire")
    reference = reference if isinstance(reference, dict) else {}
    head = (
        _hidden("/questionnaire/id", str(reference.get("id", questionnaire.id))),
        _hidden("/questionnaire/version", str(reference.get("version", questionnaire.version))),
        _input(
            "/answeredOn",
            "Datum waarop de aanvrager de vragen beantwoordde",
            "date",
            document.get("answeredOn"),
            context,
            hint=DATE_HINT,
            required=True,
        ),
    )
    slots = _slots(context)
    sections = tuple(
        _section(questionnaire, section, answers, document, context, slots) for section in questionnaire.sections
    )
    used = {slot.id for section in sections for slot in _section_slots(section)}
    loose = tuple(slot for group in slots.values() for slot in group if slot.id not in used)
    return AnswerForm(head, sections, loose, context.problems.get("", ()), ())


def _section(
    questionnaire: Questionnaire,
    section: Section,
    answers: Mapping[str, Any],
    document: Mapping[str, Any],
    context: _Context,
    slots: Mapping[str, tuple[Slot, ...]],
) -> FormSection:
    visible = questionnaire.applies(section, answers)
    if section.repeat is None:
        questions = tuple(
            _question(
                question,
                f"/answers/{escape(question.id)}",
                answers.get(question.id),
                context,
                slots,
                visible and question_applies(questionnaire, section, question, answers),
            )
            for question in section.questions
        )
        return FormSection(section.id, section.title, section.intro, visible, questions)
    modules = document.get("modules")
    instances_value = modules.get(section.id) if isinstance(modules, dict) else None
    instances = []
    for index, instance in enumerate(instances_value if isinstance(instances_value, list) else []):
        instance = instance if isinstance(instance, dict) else {}
        pointer = f"/modules/{escape(section.id)}/{index}"
        parts = tuple(
            _question(
                question,
                f"{pointer}/{escape(question.id)}",
                instance.get(question.id),
                context,
                slots,
                visible and question_applies(questionnaire, section, question, instance),
            )
            for question in section.questions
        )
        subject = instance.get(section.repeat.subject_question)
        label = f"Module {section.id} voor {_person_name(subject)}" if _person_name(subject) else f"Module {section.id}"
        instances.append(
            Node(
                pointer,
                element_id(pointer),
                label,
                "group",
                visible=visible,
                parts=parts,
                marker=_marker(pointer),
                item="module",
                removable=True,
                errors=context.problems.get(pointer, ()),
            )
        )
    persons = tuple(
        ModulePersonRow(
            _person_name(value_at(document, person.named_at)) or person.named_at,
            person.named_at,
            person.module,
            element_id(person.module) if person.module else None,
        )
        for person in module_roster(questionnaire, document)
        if person.section_id == section.id
    )
    errors = context.problems.get(f"/modules/{escape(section.id)}", ())
    return FormSection(
        section.id,
        section.title,
        section.intro,
        visible,
        module=True,
        instances=tuple(instances),
        persons=persons,
        errors=errors,
    )


def _question(
    question: Question,
    pointer: str,
    value: Any,
    context: _Context,
    slots: Mapping[str, tuple[Slot, ...]],
    visible: bool,
) -> Node:
    hint = "\n".join(part for part in (question.help, _look_back(question, context.reference_year)) if part)
    routes = question.id in context.routing
    if question.repeatable:
        node = _list(question, pointer, value, context, slots, visible, depth=0)
    else:
        node = _value_node(question, pointer, value, context, slots, visible, routes=routes, depth=0)
    return attrs.evolve(
        node,
        label=question.text,
        number=question.id,
        hint=hint,
        required=question.required,
        attachments=slots.get(pointer, ()),
    )


def _list(
    question: Question,
    pointer: str,
    value: Any,
    context: _Context,
    slots: Mapping[str, tuple[Slot, ...]],
    visible: bool,
    *,
    depth: int,
) -> Node:
    items = value if isinstance(value, list) else []
    entries = tuple(
        attrs.evolve(
            _value_node(question, f"{pointer}/{index}", item, context, slots, visible, routes=False, depth=depth),
            label=f"Regel {index + 1}",
            marker=_marker(f"{pointer}/{index}"),
            removable=True,
            attachments=slots.get(f"{pointer}/{index}", ()),
        )
        for index, item in enumerate(items)
    )
    return Node(
        pointer,
        element_id(pointer),
        question.text,
        "list",
        required=question.required,
        visible=visible,
        entries=entries,
        errors=context.problems.get(pointer, ()),
    )


def _value_node(
    question: Question,
    pointer: str,
    value: Any,
    context: _Context,
    slots: Mapping[str, tuple[Slot, ...]],
    visible: bool,
    *,
    routes: bool,
    depth: int,
) -> Node:
    kind = question.type
    errors = context.problems.get(pointer, ())
    if kind == "group":
        entry = value if isinstance(value, dict) else {}
        parts = tuple(
            _field(question, field, f"{pointer}/{escape(field.id)}", entry, context, slots, visible, depth)
            for field in question.fields
        )
        return Node(pointer, element_id(pointer), question.text, "group", visible=visible, parts=parts, errors=errors)
    if kind in ("person", "organisation", "party", "address", "period"):
        parts = _built_in(kind, pointer, value, context, visible, depth, shares=question.role is not None)
        return Node(pointer, element_id(pointer), question.text, "group", visible=visible, parts=parts, errors=errors)
    widget, shown, choices = _scalar(question, value)
    field = Input(
        pointer,
        element_id(pointer),
        _label(question),
        widget,
        _shown(pointer, shown, context),
        _scalar_hint(kind),
        question.required,
        visible,
        choices,
        routes,
        errors,
    )
    return Node(pointer, element_id(pointer), question.text, "value", visible=visible, input=field)


def _field(
    group: Question,
    field: Question,
    pointer: str,
    entry: Mapping[str, Any],
    context: _Context,
    slots: Mapping[str, tuple[Slot, ...]],
    visible: bool,
    depth: int,
) -> Node:
    applies = visible and field_applies(group, field, entry)
    routes = any(field.id in _reads(other.when) for other in group.fields if other.when is not None)
    if field.repeatable:
        node = _list(field, pointer, entry.get(field.id), context, slots, applies, depth=depth + 1)
    else:
        node = _value_node(field, pointer, entry.get(field.id), context, slots, applies, routes=routes, depth=depth + 1)
    return attrs.evolve(node, label=_label(field), hint=field.help, required=field.required)


def _label(question: Question) -> str:
    """The question's text as the form shows it: amounts are typed in euros here, not in eurocents."""
    return EUROCENTS.sub("", question.text) if question.type == "money" else question.text


def _scalar(question: Question, value: Any) -> tuple[str, str | tuple[str, ...], tuple[Choice, ...]]:
    kind = question.type
    options = tuple(Choice(option.value, option.label) for option in question.options)
    if kind == "boolean":
        return "yesno", yes_no(value), tuple(Choice(*pair) for pair in YES_NO)
    if kind == "choice":
        return ("radio" if len(options) <= RADIO_LIMIT else "select"), "" if value is None else str(value), options
    if kind == "multiChoice":
        chosen = tuple(str(item) for item in value) if isinstance(value, list) else ()
        return "checkboxes", chosen, options
    if kind == "money":
        return "money", euros(value), ()
    if kind == "date":
        return "date", day_text(value), ()
    if kind == "integer":
        return "integer", "" if value is None else str(value), ()
    if kind == "percentage":
        return "number", number_text(value), ()
    return "text", "" if value is None else str(value), ()


def _scalar_hint(kind: str) -> str:
    return {"money": MONEY_HINT, "date": DATE_HINT, "percentage": "Een percentage, bijvoorbeeld 12,5."}.get(kind, "")


def _built_in(
    kind: str, pointer: str, value: Any, context: _Context, visible: bool, depth: int, *, shares: bool
) -> tuple[Node, ...]:
    """The fields of a built-in answer type: person, organisation, party (either), address, period."""
    data = value if isinstance(value, dict) else {}
    if kind == "address":
        return tuple(_plain(name, pointer, data, context, visible) for name in ADDRESS_FIELDS)
    if kind == "period":
        return tuple(_plain(name, pointer, data, context, visible, widget="date") for name in ("from", "to"))
    parts: list[Node] = []
    chosen = str(data.get("kind", "")) if kind == "party" else kind
    if kind == "party":
        parts.append(_choice_node("kind", pointer, data, context, visible, PARTY_KINDS, routes=True))
    elif kind == "person" and "kind" in data:
        parts.append(_leaf(_hidden(f"{pointer}/kind", str(data["kind"])), visible))
    if kind in ("person", "party"):
        person = visible and chosen == "person"
        parts += [_plain(name, pointer, data, context, person, widget=_widget_of(name)) for name in PERSON_FIELDS]
    if kind in ("organisation", "party"):
        organisation = visible and chosen == "organisation"
        for name in ORGANISATION_FIELDS:
            if name == "legalForm":
                parts.append(_choice_node(name, pointer, data, context, organisation, LEGAL_FORMS, select=True))
            else:
                parts.append(_plain(name, pointer, data, context, organisation, widget=_widget_of(name)))
    either = visible and chosen in ("person", "organisation")
    address = f"{pointer}/address"
    parts.append(
        Node(
            address,
            element_id(address),
            LABELS["address"],
            "group",
            visible=either,
            parts=_built_in("address", address, data.get("address"), context, either, depth, shares=False),
            errors=context.problems.get(address, ()),
        )
    )
    if shares or "sharePercentage" in data:
        parts.append(_plain("sharePercentage", pointer, data, context, either, widget="number"))
    if kind in ("organisation", "party"):
        organisation = visible and chosen == "organisation"
        parts.append(_owners(pointer, data.get("owners"), context, organisation, depth))
    return tuple(parts)


def _owners(pointer: str, value: Any, context: _Context, visible: bool, depth: int) -> Node:
    """The owners of an organisation: a list of parties (a control chain), shown up to MAX_DEPTH deep."""
    owners = f"{pointer}/owners"
    items = value if isinstance(value, list) else []
    deeper = visible and depth < MAX_DEPTH
    entries = tuple(
        Node(
            f"{owners}/{index}",
            element_id(f"{owners}/{index}"),
            f"Eigenaar {index + 1}",
            "group",
            visible=deeper,
            parts=_built_in("party", f"{owners}/{index}", item, context, deeper, depth + 1, shares=True),
            marker=_marker(f"{owners}/{index}"),
            removable=True,
            item="eigenaar",
            errors=context.problems.get(f"{owners}/{index}", ()),
        )
        for index, item in enumerate(items)
    )
    return Node(
        owners,
        element_id(owners),
        LABELS["owners"],
        "list",
        visible=deeper,
        entries=entries,
        item="eigenaar",
        hint="Vermeld de eigenaren tot aan de natuurlijke personen (alleen een nv of stichting sluit de keten af).",
        errors=context.problems.get(owners, ()),
    )


def _widget_of(name: str) -> str:
    if name in ("dateOfBirth", "foundedOn"):
        return "date"
    if name == "tradeNames":
        return "lines"
    return "text"


def _plain(
    name: str, pointer: str, data: Mapping[str, Any], context: _Context, visible: bool, *, widget: str | None = None
) -> Node:
    place = f"{pointer}/{name}"
    widget = widget or ("integer" if name == "houseNumber" else "text")
    field = _input(place, LABELS[name], widget, data.get(name), context, hint=_hint_of(name, widget), visible=visible)
    return _leaf(field, visible)


def _hint_of(name: str, widget: str) -> str:
    return HINTS.get(name, DATE_HINT if widget == "date" else "")


def _choice_node(
    name: str,
    pointer: str,
    data: Mapping[str, Any],
    context: _Context,
    visible: bool,
    choices: Sequence[tuple[str, str]],
    *,
    routes: bool = False,
    select: bool = False,
) -> Node:
    place = f"{pointer}/{name}"
    value = data.get(name)
    field = Input(
        place,
        element_id(place),
        LABELS[name],
        "select" if select else "radio",
        _shown(place, "" if value is None else str(value), context),
        "",
        False,
        visible,
        tuple(Choice(*pair) for pair in choices),
        routes,
        context.problems.get(place, ()),
    )
    return _leaf(field, visible)


def _leaf(field: Input, visible: bool) -> Node:
    return Node(field.name, field.id, field.label, "value", visible=visible, input=field)


def _input(
    pointer: str,
    label: str,
    widget: str,
    value: Any,
    context: _Context,
    *,
    hint: str = "",
    required: bool = False,
    visible: bool = True,
) -> Input:
    shown: str
    if widget == "date":
        shown = day_text(value)
    elif widget == "number":
        shown = number_text(value)
    elif widget == "lines":
        shown = (
            "\n".join(str(item) for item in value) if isinstance(value, list) else ("" if value is None else str(value))
        )
    else:
        shown = "" if value is None else str(value)
    return Input(
        pointer,
        element_id(pointer),
        label,
        widget,
        _shown(pointer, shown, context),
        hint,
        required,
        visible,
        errors=context.problems.get(pointer, ()),
    )


def _shown(pointer: str, shown: str | tuple[str, ...], context: _Context) -> str | tuple[str, ...]:
    return context.typed.get(pointer, shown)


def _marker(pointer: str) -> Input:
    """An entry's marker: posted with the entry, so that an entry left empty still exists."""
    return _hidden(f"{pointer}/#", "regel")


def _hidden(name: str, value: str) -> Input:
    return Input(name, element_id(name) + "-h", "", "hidden", value)


def _look_back(question: Question, year: int) -> str:
    look = question.look_back
    if look is None:
        return ""
    parts = []
    if look.years:
        parts.append(f"Deze vraag gaat over nu en de afgelopen {look.years} jaar (sinds {year - look.years}).")
    if look.book_years:
        parts.append(f"Het gaat om de laatste {look.book_years} boekjaren.")
    if look.reference_dates:
        names = {"now": "nu", "endOfLastYear": f"31-12-{year - 1}", "endOfYearBefore": f"31-12-{year - 2}"}
        dates = [names.get(name, name) for name in look.reference_dates]
        listed = ", ".join(dates[:-1]) + " en " + dates[-1] if len(dates) > 1 else dates[0]
        parts.append(f"Peildata: {listed}.")
    return " ".join(parts)


def _person_name(value: object) -> str:
    """'Pieter Jan de Bakker (geboren 02-09-1975)', or the name of an organisation, or ''."""
    if not isinstance(value, dict):
        return ""
    if value.get("kind") == "organisation":
        return str(value.get("name", ""))
    words = [str(value.get(key, "")) for key in ("firstNames", "prefix", "surname")]
    name = " ".join(word for word in words if word)
    born = value.get("dateOfBirth")
    return f"{name} (geboren {day_text(born)})" if name and born else name


def _reads(condition: Condition | None) -> Iterator[str]:
    if condition is None:
        return
    if isinstance(condition, All | AnyOf):
        for part in condition.parts:
            yield from _reads(part)
    else:
        yield condition.question


def _routing_questions(questionnaire: Questionnaire) -> frozenset[str]:
    """The question ids some routing condition reads (flat, section or module): changing them changes the form."""
    read: set[str] = set()
    for section in questionnaire.sections:
        read.update(_reads(section.when))
        for question in section.questions:
            read.update(_reads(question.when))
    return frozenset(read)


# --- attachments --------------------------------------------------------------------------------------------------


def _slots(context: _Context) -> dict[str, tuple[Slot, ...]]:
    """Per answer pointer, its attachments: those the document lists (by their index) and the documents the
    answers still call for (new indexes after them), marked present when registered apart from the document."""
    items = context.document.get("attachments")
    items = items if isinstance(items, list) else []
    listed: dict[tuple[str, str, int | None], int] = {}
    found: dict[str, list[Slot]] = {}
    labels = {}
    needed = context.completeness.attachments if context.completeness else ()
    for requirement in needed:
        labels[(requirement.kind, requirement.pointer, requirement.year)] = requirement.label
    for index, item in enumerate(items):
        item = item if isinstance(item, dict) else {}
        key = (str(item.get("kind", "")), str(item.get("pointer", "")), item.get("year"))
        listed.setdefault(key, index)
        label = labels.get(key) or context.kind_labels.get(key[0]) or "Bijlage"
        year = item.get("year")
        label += f" (boekjaar {year})" if isinstance(year, int) else ""
        present = bool(item.get("fileName") or item.get("reference"))
        found.setdefault(key[1], []).append(_slot(index, item, label, context, present=present, registered=False))
    next_index = len(items)
    for requirement in needed:
        key = (requirement.kind, requirement.pointer, requirement.year)
        if key in listed:
            continue
        label = requirement.label + (f" (boekjaar {requirement.year})" if requirement.year else "")
        if requirement.present:  # registered with the application, not in the document
            slot = Slot(
                element_id(f"/attachments/registered/{requirement.kind}{requirement.pointer}"), label, True, True
            )
            found.setdefault(requirement.pointer, []).append(slot)
            continue
        item = {"kind": requirement.kind, "pointer": requirement.pointer, "year": requirement.year}
        slot = _slot(next_index, item, label, context, present=False, registered=False)
        missing = f"Bijlage ontbreekt: {label}."
        found.setdefault(requirement.pointer, []).append(attrs.evolve(slot, errors=(*slot.errors, missing)))
        next_index += 1
    return {pointer: tuple(slots) for pointer, slots in found.items()}


def _slot(
    index: int, item: Mapping[str, Any], label: str, context: _Context, *, present: bool, registered: bool
) -> Slot:
    base = f"/attachments/{index}"
    inputs = [
        _input(f"{base}/fileName", "Bestandsnaam", "text", item.get("fileName"), context),
        _input(
            f"{base}/reference",
            "Of: verwijzing naar een eerder ingediend stuk",
            "text",
            item.get("reference"),
            context,
            hint="Bijvoorbeeld het zaaknummer of documentnummer.",
        ),
    ]
    for name in (*ATTACHMENT_TEXT, *ATTACHMENT_NUMBERS):
        if name not in ("fileName", "reference") and item.get(name) is not None:
            inputs.append(_hidden(f"{base}/{name}", str(item[name])))
    errors = tuple(
        message for inner in (base, f"{base}/kind", f"{base}/pointer") for message in context.problems.get(inner, ())
    )
    return Slot(element_id(base), label, present, registered, tuple(inputs), errors)


def _section_slots(section: FormSection) -> Iterator[Slot]:
    for node in (*section.questions, *section.instances):
        yield from _node_slots(node)


def _node_slots(node: Node) -> Iterator[Slot]:
    yield from node.attachments
    for inner in (*node.parts, *node.entries):
        yield from _node_slots(inner)


# --- where problems go, and the summary ---------------------------------------------------------------------------


def _shown_places(form: AnswerForm) -> dict[str, str]:
    """Every place shown (input name or node pointer) with the id a summary link moves focus to."""
    places: dict[str, str] = {field.name: field.id for field in form.head if field.widget != "hidden"}
    for section in form.sections:
        if not section.visible:
            continue
        if section.module:
            places[f"/modules/{escape(section.id)}"] = f"sectie-{section.id}"
        for node in (*section.questions, *section.instances):
            _node_places(node, places)
    for slot in form.loose:
        _slot_places(slot, places)
    return places


def _node_places(node: Node, places: dict[str, str]) -> None:
    if not node.visible:
        return
    first = _first_input(node)
    places[node.pointer] = first or node.id
    for slot in node.attachments:
        _slot_places(slot, places)
    for inner in (*node.parts, *node.entries):
        _node_places(inner, places)


def _slot_places(slot: Slot, places: dict[str, str]) -> None:
    for field in slot.inputs:
        if field.widget != "hidden":
            places.setdefault(field.name.rsplit("/", 1)[0], field.id)
            places[field.name] = field.id


def _first_input(node: Node) -> str | None:
    if not node.visible:
        return None
    if node.input is not None and node.input.widget != "hidden":
        return node.input.id if node.input.widget not in ("yesno", "radio", "checkboxes") else node.input.id + "-0"
    for inner in (*node.parts, *node.entries):
        found = _first_input(inner)
        if found:
            return found
    return None


def _nearest(pointer: str, shown: Mapping[str, str]) -> str:
    """The pointer itself when it is shown, else its nearest shown ancestor (the section, at worst the form)."""
    parts = pointer.split("/")
    while parts:
        candidate = "/".join(parts)
        if candidate in shown:
            return candidate
        parts.pop()
    return ""


def _summary(form: AnswerForm) -> Iterator[SummaryItem]:
    """Every problem in form order, each linked to its field (or the nearest place shown)."""
    for message in form.errors:
        yield SummaryItem(FORM_START, message)
    for field in form.head:
        for message in field.errors:
            yield SummaryItem(field.id, message)
    for section in form.sections:
        if not section.visible:
            continue
        for message in section.errors:
            yield SummaryItem(f"sectie-{section.id}", message)
        for node in (*section.questions, *section.instances):
            yield from _node_summary(node)
    for slot in form.loose:
        yield from _slot_summary(slot)


def _node_summary(node: Node) -> Iterator[SummaryItem]:
    if not node.visible:
        return
    for message in node.errors:
        yield SummaryItem(_first_input(node) or node.id, message)
    if node.input is not None:
        target = _first_input(node) or node.id
        for message in node.input.errors:
            yield SummaryItem(target, message)
    for inner in (*node.parts, *node.entries):
        yield from _node_summary(inner)
    for slot in node.attachments:
        yield from _slot_summary(slot)


def _slot_summary(slot: Slot) -> Iterator[SummaryItem]:
    first = next((field.id for field in slot.inputs if field.widget != "hidden"), slot.id)
    for message in slot.errors:
        yield SummaryItem(first, message)
    for field in slot.inputs:
        for message in field.errors:
            yield SummaryItem(field.id, message)


# --- form → document --------------------------------------------------------------------------------------------


def read_form(questionnaire: Questionnaire, posted: Posted) -> Reading:
    """The answer document a posted form gives, with a Dutch problem per value that cannot be read (left out of
    the document, kept as typed). Only what was posted is read: questions the form did not show are left out."""
    reader = _Reader(posted)
    document: dict[str, Any] = {
        "questionnaire": {
            "id": reader.text("/questionnaire/id") or questionnaire.id,
            "version": reader.text("/questionnaire/version") or questionnaire.version,
        }
    }
    answered = reader.converted("/answeredOn", iso_day, "Datum waarop de aanvrager de vragen beantwoordde")
    if answered is not None:
        document["answeredOn"] = answered
    answers: dict[str, Any] = {}
    modules: dict[str, Any] = {}
    for section in questionnaire.sections:
        if section.repeat is None:
            for question in section.questions:
                _put(answers, question.id, reader.question(question, f"/answers/{escape(question.id)}"))
            continue
        base = f"/modules/{escape(section.id)}"
        instances = []
        for index in reader.indexes(base):
            pointer = f"{base}/{index}"
            instance: dict[str, Any] = {}
            for question in section.questions:
                _put(instance, question.id, reader.question(question, f"{pointer}/{escape(question.id)}"))
            instances.append(instance)
        if instances:
            modules[section.id] = instances
    document["answers"] = answers
    if modules:
        document["modules"] = modules
    attachments = reader.attachments()
    if attachments:
        document["attachments"] = attachments
    return Reading(document, reader.problems, reader.typed)


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        target[key] = value


class _Reader:
    """Reads values from a posted form by pointer, collecting the problems of what cannot be read."""

    def __init__(self, posted: Posted) -> None:
        self.posted = posted
        self.problems: dict[str, str] = {}
        self.typed: dict[str, str] = {}
        self.where: list[str] = []

    def text(self, name: str) -> str:
        values = self.posted.get(name, ())
        value = values[0] if values else ""
        return value.replace("\r\n", "\n") if isinstance(value, str) else ""

    def values(self, name: str) -> list[str]:
        return [value for value in self.posted.get(name, ()) if isinstance(value, str) and value]

    def indexes(self, pointer: str) -> list[int]:
        """The entries of the list at `pointer`: their markers (or any field posted inside them), in order."""
        prefix = pointer + "/"
        found = set()
        for name in self.posted:
            if name.startswith(prefix):
                token = name[len(prefix) :].split("/", 1)[0]
                if token.isdigit():
                    found.add(int(token))
        return sorted(found)

    def converted(self, name: str, convert: Any, label: str) -> Any:
        text = self.text(name).strip()
        if not text:
            return None
        try:
            return convert(text)
        except ValueError as error:
            self.problems[name] = f"{label}: {error}"
            self.typed[name] = self.text(name)
            return None

    def question(self, question: Question, pointer: str, label: str | None = None) -> Any:
        where = label or f"Vraag {question.id}"
        if question.repeatable:
            entries = [
                self.single(question, f"{pointer}/{index}", f"{where}, regel {index + 1}")
                for index in self.indexes(pointer)
            ]
            return [entry if entry is not None else {} for entry in entries] or None
        return self.single(question, pointer, where)

    def single(self, question: Question, pointer: str, where: str) -> Any:
        kind = question.type
        if kind == "group":
            entry: dict[str, Any] = {}
            for field in question.fields:
                _put(
                    entry,
                    field.id,
                    self.question(field, f"{pointer}/{escape(field.id)}", f"{where}, ‘{_label(field)}’"),
                )
            return entry or None
        if kind in ("person", "organisation", "party", "address", "period"):
            return self.built_in(kind, pointer, where, 0)
        text = self.text(pointer)
        if kind == "boolean":
            return {"ja": True, "nee": False}.get(text)
        if kind == "choice":
            return text or None
        if kind == "multiChoice":
            return self.values(pointer) or None
        if kind == "money":
            return self.converted(pointer, cents, where)
        if kind == "date":
            return self.converted(pointer, iso_day, where)
        if kind == "integer":
            return self.converted(pointer, whole_number, where)
        if kind == "percentage":
            return self.converted(pointer, number, where)
        return text if text.strip() else None

    def built_in(self, kind: str, pointer: str, where: str, depth: int) -> dict[str, Any] | None:
        data: dict[str, Any] = {}
        if kind == "address":
            for name in ADDRESS_FIELDS:
                place, label = f"{pointer}/{name}", f"{where}, {LABELS[name].lower()}"
                value = self.converted(place, whole_number, label) if name == "houseNumber" else self.plain(place)
                _put(data, name, value)
            return data or None
        if kind == "period":
            for name in ("from", "to"):
                _put(data, name, self.converted(f"{pointer}/{name}", iso_day, f"{where}, {LABELS[name].lower()}"))
            return data or None
        chosen = self.text(f"{pointer}/kind") or None
        if chosen is not None and kind in ("party", "person"):
            data["kind"] = chosen
        if kind in ("person", "party"):
            for name in PERSON_FIELDS:
                place, label = f"{pointer}/{name}", f"{where}, {LABELS[name].lower()}"
                _put(data, name, self.converted(place, iso_day, label) if name == "dateOfBirth" else self.plain(place))
        if kind in ("organisation", "party"):
            for name in ORGANISATION_FIELDS:
                place, label = f"{pointer}/{name}", f"{where}, {LABELS[name].lower()}"
                if name == "foundedOn":
                    _put(data, name, self.converted(place, iso_day, label))
                elif name == "tradeNames":
                    lines = [line.strip() for line in self.text(place).split("\n") if line.strip()]
                    _put(data, name, lines or None)
                else:
                    _put(data, name, self.plain(place))
        _put(data, "address", self.built_in("address", f"{pointer}/address", f"{where}, adres", depth))
        _put(
            data,
            "sharePercentage",
            self.converted(f"{pointer}/sharePercentage", number, f"{where}, aandelenpercentage"),
        )
        if kind in ("organisation", "party") and depth < MAX_DEPTH:
            owners = [
                self.built_in("party", f"{pointer}/owners/{index}", f"{where}, eigenaar {index + 1}", depth + 1) or {}
                for index in self.indexes(f"{pointer}/owners")
            ]
            _put(data, "owners", owners or None)
        if set(data) <= {"kind"} and kind != "party":
            return None
        if kind == "organisation":
            data = {"kind": "organisation", **data}
        return data or None

    def plain(self, name: str) -> str | None:
        text = self.text(name)
        return text if text.strip() else None

    def attachments(self) -> list[dict[str, Any]]:
        items = []
        for index in self.indexes("/attachments"):
            base = f"/attachments/{index}"
            item: dict[str, Any] = {}
            for name in ATTACHMENT_TEXT:
                _put(item, name, self.plain(f"{base}/{name}"))
            for name in ATTACHMENT_NUMBERS:
                text = self.text(f"{base}/{name}")
                if re.fullmatch(r"\d{1,15}", text):
                    item[name] = int(text)
            if item.get("fileName") or item.get("reference"):
                items.append(item)
        return items


# --- posting a form model (the browser's side, for tests and the round trip) --------------------------------------


def posted_values(form: AnswerForm, *, shown_only: bool = True) -> dict[str, list[str]]:
    """What a browser posts for `form`: every input shown (or, with `shown_only=False`, every input)."""
    values: dict[str, list[str]] = {}

    def add(field: Input, visible: bool) -> None:
        if shown_only and not (visible and field.visible):
            return
        if isinstance(field.value, tuple):
            values.setdefault(field.name, []).extend(field.value)
        else:
            values.setdefault(field.name, []).append(field.value)

    def node(item: Node, visible: bool) -> None:
        visible = visible and item.visible
        if shown_only and not visible:
            return
        if item.marker is not None:
            add(item.marker, True)
        if item.input is not None:
            add(item.input, visible)
        for slot in item.attachments:
            for field in slot.inputs:
                add(field, True)
        for inner in (*item.parts, *item.entries):
            node(inner, visible)

    for field in form.head:
        add(field, True)
    for section in form.sections:
        for question in (*section.questions, *section.instances):
            node(question, section.visible or not shown_only)
    for slot in form.loose:
        for field in slot.inputs:
            add(field, True)
    return values


# --- changes to a document the form's buttons ask for -------------------------------------------------------------


def add_entry(document: Mapping[str, Any], pointer: str) -> dict[str, Any]:
    """`document` with an empty entry added to the list at `pointer` (made when absent)."""
    copy: dict[str, Any] = _copy(document)
    *parent_tokens, last = tokens(pointer)
    parent = _container(copy, parent_tokens)
    if isinstance(parent, dict):
        existing = parent.get(last)
        parent[last] = [*existing, {}] if isinstance(existing, list) else [{}]
    return copy


def add_module(
    document: Mapping[str, Any], questionnaire: Questionnaire, section_id: str, named_at: str
) -> dict[str, Any]:
    """`document` with a module instance added to section `section_id`, for the person section 1 names at
    `named_at` (their details copied into the module's subject question), or empty when `named_at` is ''."""
    section = questionnaire.section(section_id)
    copy: dict[str, Any] = _copy(document)
    modules = copy.setdefault("modules", {})
    if not isinstance(modules, dict) or section.repeat is None:
        return copy
    person = value_at(copy, named_at) if named_at else None
    instance: dict[str, Any] = {}
    if isinstance(person, dict):
        instance[section.repeat.subject_question] = {key: person[key] for key in SUBJECT_FIELDS if key in person}
    existing = modules.get(section_id)
    modules[section_id] = [*existing, instance] if isinstance(existing, list) else [instance]
    return copy


def remove_entry(document: Mapping[str, Any], pointer: str) -> dict[str, Any]:
    """`document` without the list entry (or module instance) at `pointer`; its attachments go with it and the
    attachments of the entries after it follow their entry's new place."""
    copy: dict[str, Any] = _copy(document)
    *parent_tokens, last = tokens(pointer)
    parent = _container(copy, parent_tokens)
    if not isinstance(parent, list) or not last.isdigit() or int(last) >= len(parent):
        return copy
    index = int(last)
    del parent[index]
    base = "".join("/" + escape(token) for token in parent_tokens)
    items = copy.get("attachments")
    if isinstance(items, list):
        kept = []
        for item in items:
            where = item.get("pointer") if isinstance(item, dict) else None
            moved = _moved(where, base, index) if isinstance(where, str) else where
            if moved is False:
                continue
            kept.append(item | {"pointer": moved} if isinstance(item, dict) and moved is not None else item)
        copy["attachments"] = kept
    return copy


def _moved(where: str, base: str, index: int) -> str | bool | None:
    """The new pointer of an attachment after entry `index` of the list at `base` went; False: it went too."""
    prefix = base + "/"
    if not where.startswith(prefix):
        return where
    token, _, rest = where[len(prefix) :].partition("/")
    if not token.isdigit():
        return where
    if int(token) == index:
        return False
    if int(token) > index:
        return f"{prefix}{int(token) - 1}" + (f"/{rest}" if rest else "")
    return where


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copy(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_copy(inner) for inner in value]
    return value


def _container(document: Any, path: Sequence[str]) -> Any:
    value = document
    for token in path:
        if isinstance(value, dict):
            value = value.setdefault(token, {})
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value
