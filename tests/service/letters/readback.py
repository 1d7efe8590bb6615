"""Reading a letter's text back out of its files: the .docx XML and `pdftotext` (poppler-utils)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import pytest

PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext (Debian package poppler-utils) is not installed; the PDF text is not checked"
)


FOOTER = re.compile(r"— kenmerk .* — pagina \d+/\d+")


def docx_text(content: bytes) -> str:
    """The text of the paragraphs in word/document.xml, one line per paragraph."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    return "\n".join("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in paragraphs)


def pdf_text(content: bytes) -> str:
    """The text `pdftotext` reads from the PDF, page footers left out and line breaks inside paragraphs joined."""
    assert PDFTOTEXT is not None
    done = subprocess.run([PDFTOTEXT, "-layout", "-", "-"], input=content, capture_output=True, check=True)
    lines = done.stdout.decode("utf-8").replace("\f", "\n").splitlines()
    return flat("\n".join(line for line in lines if not FOOTER.search(line)))


def flat(text: str) -> str:
    """All whitespace runs as one space, so a phrase broken over lines is found."""
    return re.sub(r"\s+", " ", text.replace("&amp;", "&"))
