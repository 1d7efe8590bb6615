"""publiccode.yml describes the software for the public-sector catalogues, and agrees with the package."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[2]
REQUIRED = ("publiccodeYmlVersion", "name", "url", "platforms", "categories", "developmentStatus", "softwareType",
            "description", "legal", "maintenance", "localisation")  # fmt: skip


def test_publiccode_has_the_required_keys_and_the_packages_version_and_licence() -> None:
    publiccode = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert [key for key in REQUIRED if key not in publiccode] == []
    assert publiccode["softwareVersion"] == project["version"]
    assert publiccode["legal"]["license"] == project["license"]
    for language in ("nl", "en"):
        text = publiccode["description"][language]
        assert len(text["shortDescription"]) <= 150 and len(text["longDescription"]) >= 150
