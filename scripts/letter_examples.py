"""Render three example letters (synthetic) to PDF and PNG in docs/letters/, for the README: `make letter-examples`.

The repair request of scenario s09 on demo application D21, the intention to refuse with the LBB advice copy
enclosed (s05 on D11), and the refusal of the demo refusal D15 (s05). Needs pdftoppm (poppler-utils).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.bibob.letters.worked import worked_input  # noqa: E402
from tests.conftest import SCENARIOS  # noqa: E402

from bibob.letters import LetterKind, compose, load_municipality  # noqa: E402
from bibob.policy import load_policy  # noqa: E402
from bibob.questionnaires import load_catalogue  # noqa: E402
from bibob.terms import load_calendar  # noqa: E402
from service.letters import to_pdf  # noqa: E402

OUT = ROOT / "docs" / "letters"
EXAMPLES = (
    ("verzoek-om-aanvulling", LetterKind.REPAIR_REQUEST, "s09-awb45-repair.json", False),
    ("voornemen-tot-weigering", LetterKind.INTENTION, "s05-serious-refusal-possible.json", True),
    ("besluit-weigering", LetterKind.DECISION_REFUSAL, "s05-serious-refusal-possible.json", True),
)


def main() -> int:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("pdftoppm ontbreekt (Debian-pakket poppler-utils)", file=sys.stderr)
        return 2
    municipality, calendar = load_municipality(), load_calendar()
    catalogue, policy = load_catalogue(), load_policy()
    OUT.mkdir(parents=True, exist_ok=True)
    for name, kind, scenario, enclosed in EXAMPLES:
        source = worked_input(SCENARIOS / scenario, kind, municipality, calendar, catalogue, policy,
                              advice_enclosed=enclosed)  # fmt: skip
        pdf = OUT / f"{name}.pdf"
        pdf.write_bytes(to_pdf(compose(kind, source)))
        subprocess.run([pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(OUT / name)],
                       check=True)  # fmt: skip
        print(f"{pdf.relative_to(ROOT)} en {name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
