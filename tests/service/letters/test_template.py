"""The service's letter template: BIBOB_LETTERS_TEMPLATE names a folder (or a shipped name), read once per value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bibob.exceptions import DefinitionError
from service.letters import TEMPLATE_VARIABLE, municipality

LETTERHEAD = {
    "name": "Gemeente Proefdorp", "body": "de burgemeester van Proefdorp", "letterhead": ["Gemeente Proefdorp"],
    "address": ["Postbus 7"], "contact": "het Bibob-loket",
    "signatory": {"name": "A. Proef", "function": "burgemeester"},
    "objectionTo": "de burgemeester van Proefdorp", "court": "rechtbank Gelderland",
}  # fmt: skip


def test_the_service_writes_with_the_template_the_setting_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "proefdorp"
    folder.mkdir()
    (folder / "municipality.json").write_text(json.dumps(LETTERHEAD), "utf-8")
    monkeypatch.delenv(TEMPLATE_VARIABLE, raising=False)
    assert municipality().name == "Gemeente Leusden"
    monkeypatch.setenv(TEMPLATE_VARIABLE, str(folder))
    assert (municipality().name, municipality().signatory.name) == ("Gemeente Proefdorp", "A. Proef")


def test_a_broken_template_named_by_the_setting_is_refused_with_its_file_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "kapot"
    folder.mkdir()
    (folder / "municipality.json").write_text("{", "utf-8")
    monkeypatch.setenv(TEMPLATE_VARIABLE, str(folder))
    with pytest.raises(DefinitionError) as raised:
        municipality()
    assert "municipality.json" in str(raised.value)
