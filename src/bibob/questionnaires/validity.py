"""Form versions: is the official form a questionnaire is based on in force on a date (Regeling Bibob-formulieren)?

The ministerial forms are binding (art. 7a(5) Wet Bibob, before 1 August 2020 art. 30(5)). The Regeling
Bibob-formulieren (2013) was replaced on 1 February 2024 by the Regeling Bibob-formulieren 2024: an application
received from that day on a 2013 form is asked with a form no longer in force. This module only tells; it does not
refuse anything — the officer decides (e.g. send the form in force, bijlage 1 of the 2024 regeling).
"""

from __future__ import annotations

import datetime as dt

import attrs

from bibob.questionnaires.model import Questionnaire


@attrs.frozen
class FormValidity:
    """Whether a questionnaire's official form is in force on `on`, with a Dutch warning when it is not.

    `in_force` is True when the date lies within the recorded validity period (both ends inclusive) or when no
    period is recorded (then `warning` is empty too: nothing is known to be wrong).
    """

    questionnaire_id: str
    form_version: str
    on: dt.date
    in_force: bool
    valid_from: dt.date | None
    valid_until: dt.date | None
    legal_basis: str
    warning: str = ""


def _date(day: dt.date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def form_in_force(questionnaire: Questionnaire, on: dt.date) -> FormValidity:
    """The validity of `questionnaire`'s official form on `on` (the date the application was received)."""
    form = questionnaire.official_form
    warning = ""
    if form.valid_until is not None and on > form.valid_until:
        warning = (
            f"Let op: het vragenformulier '{questionnaire.title}' volgt een officieel formulier"
            f" ({form.form_version}, {form.annex}) dat gold tot en met {_date(form.valid_until)}. De aanvraag is"
            f" ontvangen op {_date(on)}, toen het niet meer van kracht was; gebruik het formulier dat op die dag gold"
            " (sinds 1-2-2024: Regeling Bibob-formulieren 2024, bijlage 1)."
        )
    elif form.valid_from is not None and on < form.valid_from:
        warning = (
            f"Let op: het vragenformulier '{questionnaire.title}' volgt een officieel formulier"
            f" ({form.form_version}, {form.annex}) dat pas geldt vanaf {_date(form.valid_from)}. De aanvraag is"
            f" ontvangen op {_date(on)}, toen het nog niet van kracht was."
        )
    return FormValidity(
        questionnaire_id=questionnaire.id,
        form_version=form.form_version,
        on=on,
        in_force=not warning,
        valid_from=form.valid_from,
        valid_until=form.valid_until,
        legal_basis=form.legal_basis,
        warning=warning,
    )
