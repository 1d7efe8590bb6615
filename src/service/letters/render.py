"""A letter as files: an editable .docx (python-docx) and a PDF (fpdf2, pure Python) with the same text."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.shared import Cm, Pt
from fpdf import FPDF

from bibob.letters import Letter
from bibob.terms import dutch_date

#: TrueType fonts tried in order for the PDF (Debian's fonts-liberation, fonts-dejavu); else the core Helvetica.
FONT_CANDIDATES = (
    (Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
     Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf")),
    (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
     Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")),
)  # fmt: skip
CONFIDENTIAL = "VERTROUWELIJK (artikel 28 Wet Bibob)"
PDFA = "PDFA_2B"  # archival PDF (ISO 19005-2, level B), as fpdf2 writes it


def header_lines(letter: Letter) -> tuple[tuple[str, str], ...]:
    """The letter's particulars block: date, reference, subject."""
    return (("Datum", dutch_date(letter.date)), ("Kenmerk", letter.reference), ("Onderwerp", letter.subject))


def to_docx(letter: Letter) -> bytes:
    """The letter as a Word document the officer can finish in a word processor."""
    document = docx.Document()
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.5)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(10.5)
    document.core_properties.title = letter.subject
    document.core_properties.author = letter.municipality.name
    for number, line in enumerate(letter.municipality.letterhead):
        run = document.add_paragraph().add_run(line)
        run.bold = number == 0
    if letter.confidential:
        document.add_paragraph().add_run(CONFIDENTIAL).bold = True
    document.add_paragraph("\n".join(letter.addressee))
    for label, value in header_lines(letter):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    document.add_paragraph(letter.salutation)
    for part in letter.sections:
        if part.heading:
            document.add_heading(part.heading, level=2)
        for text in part.paragraphs:
            if text.startswith("- "):
                document.add_paragraph(text[2:], style="List Bullet")
            else:
                document.add_paragraph(text)
    document.add_paragraph("\n".join(letter.signature))
    if letter.enclosures:
        document.add_heading("Bijlagen", level=2)
        for enclosure in letter.enclosures:
            document.add_paragraph(enclosure, style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class _Pdf(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(size=8)
        self.cell(0, 10, f"{self.footer_text} — pagina {self.page_no()}/{{nb}}", align="C")


def font_files() -> tuple[Path, Path] | None:
    """The first TrueType pair (regular, bold) the system has; None: only the core fonts remain."""
    return next(((r, b) for r, b in FONT_CANDIDATES if r.is_file() and b.is_file()), None)


def _font(pdf: FPDF, files: tuple[Path, Path] | None) -> str:
    if files is None:
        return "Helvetica"
    pdf.add_font("Letter", "", str(files[0]))
    pdf.add_font("Letter", "B", str(files[1]))
    return "Letter"


def _plain(text: str, family: str) -> str:
    """Core fonts know Latin-1 only: the euro sign and typographic quotes are spelled out there."""
    if family != "Helvetica":
        return text
    swapped = text.replace("€", "EUR").replace("‘", "'").replace("’", "'").replace("…", "...").replace("—", "-")
    return swapped.encode("latin-1", "replace").decode("latin-1")


def to_pdf(letter: Letter) -> bytes:
    """The letter as a PDF with the same text as the .docx: PDF/A-2B with an embedded TrueType font when the system
    has one (fonts-liberation or fonts-dejavu), else a plain PDF in the core Helvetica (PDF/A forbids core fonts)."""
    files = font_files()
    pdf = _Pdf(format="A4", enforce_compliance=PDFA if files else None)
    pdf.footer_text = f"{letter.municipality.name} — kenmerk {letter.reference}"
    pdf.set_title(letter.subject)
    pdf.set_author(letter.municipality.name)
    pdf.set_lang("nl")
    pdf.set_margins(25, 20, 25)
    family = _font(pdf, files)

    def text(value: str) -> str:
        return _plain(value, family)

    pdf.add_page()
    pdf.set_font(family, "B", 13)
    pdf.multi_cell(0, 6, text(letter.municipality.letterhead[0]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 9)
    for line in letter.municipality.letterhead[1:]:
        pdf.multi_cell(0, 4.5, text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    if letter.confidential:
        pdf.set_font(family, "B", 10)
        pdf.multi_cell(0, 5, text(CONFIDENTIAL), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.set_font(family, "", 10.5)
    for line in letter.addressee:
        pdf.multi_cell(0, 5, text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    for label, value in header_lines(letter):
        pdf.set_font(family, "B", 10.5)
        pdf.cell(25, 5, text(label))
        pdf.set_font(family, "", 10.5)
        pdf.multi_cell(0, 5, text(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.multi_cell(0, 5, text(letter.salutation), new_x="LMARGIN", new_y="NEXT")
    for part in letter.sections:
        pdf.ln(3)
        if part.heading:
            pdf.set_font(family, "B", 11)
            pdf.multi_cell(0, 6, text(part.heading), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(family, "", 10.5)
        for paragraph in part.paragraphs:
            _paragraph(pdf, text(paragraph))
    pdf.ln(6)
    for line in letter.signature:
        pdf.multi_cell(0, 5, text(line), new_x="LMARGIN", new_y="NEXT")
    if letter.enclosures:
        pdf.ln(6)
        pdf.set_font(family, "B", 10.5)
        pdf.multi_cell(0, 5, "Bijlagen", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, "", 10.5)
        for enclosure in letter.enclosures:
            _paragraph(pdf, text("- " + enclosure))
    return bytes(pdf.output())


def _paragraph(pdf: FPDF, paragraph: str) -> None:
    if paragraph.startswith("- "):
        pdf.set_x(pdf.l_margin)
        pdf.cell(5, 5, "•" if pdf.font_family != "helvetica" else "-")
        pdf.multi_cell(0, 5, paragraph[2:], new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.multi_cell(0, 5, paragraph, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)
