"""Dutch number formats for letters: an amount in euro as '€ 1.234,56'."""

from __future__ import annotations


def dutch_amount(cents: int) -> str:
    """`cents` as a Dutch amount: '€ 1.234,56', '€ 80.000,00', '-€ 5,00'."""
    sign, cents = ("-" if cents < 0 else ""), abs(cents)
    whole = f"{cents // 100:,}".replace(",", ".")
    return f"{sign}€ {whole},{cents % 100:02d}"
