"""The letters of a Bibob procedure as data, composed from the application, assessment and decision."""

from bibob.letters.compose import (
    COMPOSERS,
    LetterInput,
    applicable_kinds,
    compose,
    event_date,
    lbb_package,
    motivation_sections,
)
from bibob.letters.dossier import (
    Dossier,
    DossierDocument,
    DossierEntry,
    compile_dossier,
    index_document,
    index_text,
    omission_record,
)
from bibob.letters.lbb_package import LbbRequestInput
from bibob.letters.model import Letter, LetterKind, Municipality, Section, Signatory
from bibob.letters.motivation import FORBIDDEN_WORDS, forbidden_in
from bibob.letters.municipality import DEFAULT_MUNICIPALITY, letters_dir, load_municipality, standard_texts
from bibob.letters.numbers import dutch_amount

__all__ = [
    "COMPOSERS",
    "DEFAULT_MUNICIPALITY",
    "FORBIDDEN_WORDS",
    "Dossier",
    "DossierDocument",
    "DossierEntry",
    "LbbRequestInput",
    "Letter",
    "LetterInput",
    "LetterKind",
    "Municipality",
    "Section",
    "Signatory",
    "applicable_kinds",
    "compile_dossier",
    "compose",
    "dutch_amount",
    "event_date",
    "forbidden_in",
    "index_document",
    "index_text",
    "lbb_package",
    "letters_dir",
    "load_municipality",
    "motivation_sections",
    "omission_record",
    "standard_texts",
]
