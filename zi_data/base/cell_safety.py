"""Text in spreadsheet cells: one normalisation, written safely, read back unchanged.

`clean_text` is the one normalisation of text people type. It is applied when an
upload is read, when the store writes an entry and when a workbook is exported
(and, without its trimming, as `stored_text` to every text the database is given),
so a value survives export and re-import unchanged: line endings become LF
(CRLF and CR as well), control characters other than tab and line feed (C0, DEL,
C1), lone surrogates and the XML-forbidden U+FFFE/U+FFFF are removed, and
leading and trailing whitespace is stripped. Nothing else is changed (no Unicode
normalisation; zero-width and other invisible characters are kept in free text).

Text typed by users (a note, a link, a document name) is written back into
workbooks that others open. A cell that starts with =, +, -, @, tab or carriage
return can be taken for a formula by Excel or LibreOffice (formula injection,
OWASP "CSV Injection"), so such text is written with a leading apostrophe, the
spreadsheet convention for "this is text". Readers undo it with `restore_text`.
A literal `_xHHHH_` in the text is written as `_x005F_xHHHH_`, as Excel does, so
readers that decode such escapes (python-calamine, Excel) give it back as typed.

The same apostrophe marks such text in every table a page shows (`formula_safe_frame`): Streamlit's
own "Download as CSV" and clipboard copy of st.dataframe/st.data_editor write cells as they are shown.

A cell holds at most MAX_CELL_CHARS characters, counted as Excel counts them
(UTF-16 code units: an emoji counts two). `exported_length` is the length of a
text as written (apostrophe included); uploads longer than the limit are refused.
"""

import re

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
MAX_CELL_CHARS = 32_767  # Excel's limit; longer text makes Excel repair the file
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # XML 1.0 forbids these
_REMOVED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_ESCAPE_START = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")  # the "_" of a literal _xHHHH_
_ESCAPED_UNDERSCORE = "_x005F_"
_PLAIN_NUMBER = re.compile(r"[+-][0-9][0-9.,]*(?: ?%)?")  # a signed number as the pages write it


def clean_text(text: str) -> str:
    """The one normalisation of typed text (see the module docstring)."""
    return stored_text(text).strip()


def stored_text(text: str) -> str:
    """`clean_text` without the trimming: the rule the database applies to every text it is given.

    Line endings become LF and control characters other than tab and line feed (NUL included) are removed,
    so both backends store the same text (PostgreSQL refuses NUL, SQLite would keep it)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _REMOVED.sub("", text) if _REMOVED.search(text) else text


def inert_text(value):
    """`value` ready for a cell: text made inert, XML-safe and cut to the cell limit; other values unchanged."""
    if not isinstance(value, str):
        return value
    text = _ILLEGAL.sub("", value)
    if _needs_mark(text):
        text = TEXT_MARK + text
    return _escaped(_fitted(text))


def formula_safe(value):
    """`value` as a shown table cell holds it: formula-like text with the leading apostrophe, as `inert_text`
    marks it ("=A1" -> "'=A1"); nothing else changed (no cut, no escape); other values unchanged.

    A plain signed number ("+0,21", "-3", "-12,5 %": sign, digits, separators, a percent) calls nothing and is
    kept as shown; `restore_text` gives every result back as it was."""
    if isinstance(value, str) and _needs_mark(value) and not _PLAIN_NUMBER.fullmatch(value):
        return TEXT_MARK + value
    return value


def formula_safe_frame(data) -> pd.DataFrame:
    """A copy of a table (a DataFrame, or what pd.DataFrame reads) whose text cells and column names are
    `formula_safe`; numbers, dates and the index are kept as they are."""
    return _mapped_frame(data, formula_safe)


def restored_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo `formula_safe_frame` on a table read back (an edited st.data_editor table)."""
    return _mapped_frame(frame, lambda value: restore_text(value) if isinstance(value, str) else value)


def _mapped_frame(data, function) -> pd.DataFrame:
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    columns = [frame.iloc[:, position] for position in range(frame.shape[1])]
    mapped = [column.map(function) if _holds_text(column) else column for column in columns]
    result = pd.concat(mapped, axis=1) if mapped else frame.copy()
    result.columns = [function(name) for name in frame.columns]
    return result


def _holds_text(column: pd.Series) -> bool:
    return (column.dtype == object or isinstance(column.dtype, (pd.StringDtype, pd.CategoricalDtype)))


def restore_text(text: str) -> str:
    """Undo `inert_text`'s apostrophe: "'=A1" -> "=A1"; other text unchanged."""
    if text.startswith(TEXT_MARK) and _needs_mark(text[1:]):
        return text[1:]
    return text


def typed_text(text: str) -> str:
    """A text cell's value as read back: normalised, formula-guard apostrophe removed."""
    return clean_text(restore_text(clean_text(text)))


def exported_text(text: str) -> str:
    """What a re-upload of `text`'s export gives back: `text` normalised (and cut, if over the cell limit)."""
    written = inert_text(clean_text(text))
    return typed_text(written.replace(_ESCAPED_UNDERSCORE, "_") if _ESCAPED_UNDERSCORE in written else written)


def exported_length(text: str) -> int:
    """Characters the exported cell of normalised `text` holds, as Excel counts them (apostrophe included).

    A literal _xHHHH_ counts with its escape, since the file must carry it.
    """
    marked = TEXT_MARK + text if _needs_mark(text) else text
    return max(excel_length(marked), len(_escaped(marked)))


def needs_mark(text: str) -> bool:
    """True when `text` is exported with a leading apostrophe."""
    return _needs_mark(text)


def excel_length(text: str) -> int:
    """Length in UTF-16 code units, as Excel's LEN and cell limit count."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _escaped(text: str) -> str:
    return _ESCAPE_START.sub(_ESCAPED_UNDERSCORE, text) if "_x" in text else text


def _fitted(text: str) -> str:
    """`text` cut so that it, and its escaped form, fit in one cell (never splitting a surrogate pair)."""
    while max(excel_length(text), len(_escaped(text))) > MAX_CELL_CHARS:
        excess = max(excel_length(text), len(_escaped(text))) - MAX_CELL_CHARS
        text = text[: max(len(text) - excess, 0)]
    return text


def _needs_mark(text: str) -> bool:
    """Formula-like text, or text that already starts with apostrophes before such text."""
    return text.lstrip(TEXT_MARK).startswith(FORMULA_PREFIXES)
