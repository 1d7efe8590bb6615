"""Letters at the edge: the library's letter values written as .docx and PDF, and the template the service uses."""

from service.letters.render import to_docx, to_pdf
from service.letters.template import TEMPLATE_VARIABLE, municipality

__all__ = ["TEMPLATE_VARIABLE", "municipality", "to_docx", "to_pdf"]
