"""Writing user text into spreadsheet cells so that it stays text.

Text typed by users (a note, a link, a document name) is written back into
workbooks that others open. A cell that starts with =, +, -, @, tab or carriage
return can be taken for a formula by Excel or LibreOffice (formula injection,
OWASP "CSV Injection"), so such text is written with a leading apostrophe, the
spreadsheet convention for "this is text". Readers undo it with `restore_text`,
so a value survives a download and upload unchanged.
"""

import re

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
MAX_CELL_CHARS = 32_767  # Excel's limit; longer text makes Excel repair the file
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # XML 1.0 forbids these


def inert_text(value):
    """`value` ready for a cell: text made inert and XML-safe, other values unchanged."""
    if not isinstance(value, str):
        return value
    text = _ILLEGAL.sub("", value)
    if _needs_mark(text):
        text = TEXT_MARK + text
    return text[:MAX_CELL_CHARS]


def restore_text(text: str) -> str:
    """Undo `inert_text`'s apostrophe: "'=A1" -> "=A1"; other text unchanged."""
    if text.startswith(TEXT_MARK) and _needs_mark(text[1:]):
        return text[1:]
    return text


def _needs_mark(text: str) -> bool:
    """Formula-like text, or text that already starts with apostrophes before such text."""
    return text.lstrip(TEXT_MARK).startswith(FORMULA_PREFIXES)
