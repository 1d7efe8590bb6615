"""Applying a policy: whether an application is to be screened, and why, in Dutch."""

from __future__ import annotations

import attrs

from bibob.exceptions import InvalidInputError, Problem
from bibob.legal import PermitType
from bibob.policy.model import Policy, ScreeningMode, ScreeningRule, permit_type_of


@attrs.frozen
class ScreeningDecision:
    """Whether the policy asks for a Bibob screening, and why, in Dutch; a person still decides."""

    permit_type: PermitType
    mode: ScreeningMode
    required: bool
    on_indication: bool
    questionnaire: str | None
    reason: str


def euros(cents: int) -> str:
    """An amount in Dutch notation: '€ 500.000' or '€ 1.234,50'."""
    whole, rest = divmod(cents, 100)
    text = f"€ {whole:,}".replace(",", ".")
    return f"{text},{rest:02d}" if rest else text


def screening_decision(
    policy: Policy, permit_type: PermitType | str, amount_cents: int | None = None
) -> ScreeningDecision:
    """What the policy says about screening this application; `amount_cents` is needed for threshold rules."""
    member = permit_type_of(permit_type)
    rule = policy.screening[member]
    if rule.mode is ScreeningMode.THRESHOLD:
        return _threshold_decision(policy, member, rule, amount_cents)
    required, reason = _REASONS[rule.mode]
    return ScreeningDecision(
        member,
        rule.mode,
        required=required,
        on_indication=rule.mode is ScreeningMode.ON_INDICATION,
        questionnaire=rule.questionnaire,
        reason=reason.format(label=member.label, title=policy.title),
    )


_REASONS = {
    ScreeningMode.ALWAYS: (True, "Volgens '{title}' volgt bij een {label} altijd een Bibob-toets."),
    ScreeningMode.ON_INDICATION: (
        False,
        "Volgens '{title}' volgt bij een {label} alleen een Bibob-toets als daartoe aanleiding is, bijvoorbeeld "
        "een signaal van politie, OM of RIEC, een treffer in het Bibob-register of een opvallende financiering.",
    ),
    ScreeningMode.NEVER: (False, "Volgens '{title}' volgt bij een {label} geen Bibob-toets."),
}


_TAILS = {
    (True, False): "een Bibob-toets is verplicht.",
    (False, True): "een Bibob-toets volgt alleen als daartoe aanleiding is.",
    (False, False): "er volgt geen Bibob-toets.",
}


def _threshold_decision(
    policy: Policy, member: PermitType, rule: ScreeningRule, amount_cents: int | None
) -> ScreeningDecision:
    assert rule.threshold is not None  # the schema requires it in threshold mode
    limit = policy.thresholds_cents[rule.threshold]  # the semantic check requires it
    kind = rule.threshold.with_article
    if not _is_amount(amount_cents):
        message = f"geef {kind} op in eurocent (een geheel getal van 0 of meer) om de drempel toe te passen"
        raise InvalidInputError([Problem("/amountCents", "amountRequired", message)])
    assert isinstance(amount_cents, int)
    above = amount_cents >= limit
    indication = not above and rule.below_threshold is ScreeningMode.ON_INDICATION
    tail = _TAILS[above, indication]
    compared = "ligt op of boven" if above else "ligt onder"
    reason = f"{kind.capitalize()} van {euros(amount_cents)} {compared} de drempel van {euros(limit)}"
    reason += f" uit '{policy.title}'; {tail}"
    return ScreeningDecision(member, rule.mode, above, indication, rule.questionnaire, reason)


def _is_amount(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
