"""Subject matching (entity resolution) of persons, organisations and addresses, explained."""

from bibob.matching.compare import FIRST_NAMES_AGREE, SURNAME_AGREES
from bibob.matching.index import MAX_CANDIDATES, SubjectIndex, blocking_keys, match_against, query_blocks
from bibob.matching.normalise import (
    LEGAL_FORM_WORDS,
    PARTICLES,
    Surname,
    first_name_tokens,
    fold,
    normalise_addition,
    organisation_name,
    phonetic_key,
    split_surname,
)
from bibob.matching.pairs import match_addresses, match_organisations, match_persons, match_subjects
from bibob.matching.profiles import Subject, subject_key
from bibob.matching.result import Match, MatchLevel, MatchReason, Outcome
from bibob.matching.review import ReviewDecision, ReviewLedger, apply_review

__all__ = [
    "FIRST_NAMES_AGREE",
    "LEGAL_FORM_WORDS",
    "MAX_CANDIDATES",
    "PARTICLES",
    "SURNAME_AGREES",
    "Match",
    "MatchLevel",
    "MatchReason",
    "Outcome",
    "ReviewDecision",
    "ReviewLedger",
    "Subject",
    "SubjectIndex",
    "Surname",
    "apply_review",
    "blocking_keys",
    "first_name_tokens",
    "fold",
    "match_addresses",
    "match_against",
    "match_organisations",
    "match_persons",
    "match_subjects",
    "normalise_addition",
    "organisation_name",
    "phonetic_key",
    "query_blocks",
    "split_surname",
    "subject_key",
]
