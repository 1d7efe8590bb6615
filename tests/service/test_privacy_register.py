"""The register of processing: made from the policy and the schema, every table described, the file current."""

from __future__ import annotations

import io
from pathlib import Path

from bibob.policy import load_policy
from service.cli import main
from service.privacy import register_markdown, undescribed

ROOT = Path(__file__).resolve().parents[2]


def test_every_table_of_the_schema_is_described_in_the_register() -> None:
    assert undescribed() == ()


def test_the_committed_docs_privacy_md_is_what_the_command_makes_now() -> None:
    committed = (ROOT / "docs" / "privacy.md").read_text("utf-8")
    assert committed == register_markdown(load_policy()), "run: bibob privacy register --out docs/privacy.md"


def test_the_register_names_the_policys_terms_and_categories_and_marks_sealed_columns() -> None:
    policy = load_policy()
    text = register_markdown(policy)
    assert (
        f"{policy.retention.questionnaire_data.amount} jaar na het besluit — {policy.retention.dossier_category}"
        in text
    )
    assert "`answers` *versleuteld*" in text and "`reason`, `prev_hash`" in text  # the audit log is not sealed
    assert "functionaris gegevensbescherming (`privacyOfficer`)" in text


def test_the_command_prints_the_register_and_refuses_a_missing_policy(tmp_path: Path) -> None:
    out = io.StringIO()
    assert main(["privacy", "register"], out) == 0 and out.getvalue().startswith("# Register van verwerkingen")
    out = io.StringIO()
    assert main(["privacy", "register", "--policy", str(tmp_path / "geen.json")], out) == 2
