"""Reading uploaded cell values: text as typed, numbers, months and dates, without ever raising.

python-calamine gives a cell as str, int, float, bool, date, datetime, time,
timedelta or None (and '' for an empty cell). Every function here accepts any of
them, and anything else, and raises nothing but the ValueError `date_of`
documents, so no cell content can crash an upload. Text goes through the one
normalisation of cell_safety (`typed_text`).
"""

import math
import re
from datetime import date, datetime, time, timedelta

from .cell_safety import typed_text
from .months import MONTH_ALIASES

FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(9999, 12, 31)  # what an Excel date cell can hold
SERIAL_DATES = (20_000, 80_000)  # a plain number read as an Excel day number: 1954–2119
EXCEL_EPOCH = date(1899, 12, 30)
DATE_PATTERNS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%y")
# Whitespace and invisible format characters (Unicode category Cf), ignored when matching IDs, statuses and months.
_IGNORED_IN_KEYS = re.compile(
    "[\\s\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


class DateOutOfRange(ValueError):
    """A date outside 01/01/1900–31/12/9999, which an Excel date cell cannot hold."""


class UnreadableRow(list):
    """A sheet row python-calamine could not convert (a date or duration cell out of range); holds no values."""


def sheet_values(sheet) -> list[list]:
    """A calamine sheet's rows from A1 (like to_python(skip_empty_area=False)), never raising for a cell.

    calamine raises (a Rust panic or OverflowError) for a whole sheet when one date
    or duration cell is out of range; the sheet is then read row by row and each row
    that cannot be converted becomes an UnreadableRow, so the problem can be located.
    """
    try:
        return sheet.to_python(skip_empty_area=False)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException:  # noqa: BLE001 - pyo3's PanicException derives from BaseException
        pass
    start = sheet.start or (0, 0)
    padding = [""] * int(start[1])
    rows, found = [], sheet.iter_rows()
    for _ in range(int(start[0]) + int(sheet.height) + 1):  # bounded even if a failed row did not advance
        try:
            values = next(found)
        except StopIteration:
            break
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except BaseException:  # noqa: BLE001
            rows.append(UnreadableRow())
            continue
        rows.append(padding + list(values))
    return rows


def squash(value) -> str:
    """`value` as text with runs of whitespace made one space, stripped."""
    return re.sub(r"\s+", " ", str(value)).strip()


def cell_text(value) -> str:
    """A cell's value as the text a person typed (normalised, formula-guard apostrophe removed)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return typed_text(value)
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, float):
        if not value.is_integer():  # also nan and infinities
            return repr(value)
        value = int(value)
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # more digits than Python converts; calamine never gives such a number
            return "(bilangan lebih dari 4300 angka)"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    try:
        return typed_text(str(value))
    except Exception:  # noqa: BLE001 - a value whose str() fails is shown as empty
        return ""


def key_text(value) -> str:
    """`value` for matching against a known spelling: whitespace and invisible characters removed, casefolded."""
    return _IGNORED_IN_KEYS.sub("", cell_text(value)).casefold()


def number_of(value) -> float | None:
    """A finite number from a number cell or from text such as '3' or '2,5'; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            return None
    elif isinstance(value, (date, time, timedelta)):
        return None
    else:
        try:
            number = float(cell_text(value).replace(",", "."))
        except (ValueError, OverflowError):
            return None
    return number if math.isfinite(number) else None


def month_of(value) -> int | None:
    """1–12 from a month number or an (Indonesian or short) month name; None otherwise."""
    number = number_of(value)
    if number is not None:
        return int(number) if number.is_integer() and 1 <= number <= 12 else None
    if isinstance(value, (date, time, timedelta)):
        return None
    return MONTH_ALIASES.get(key_text(value).upper().rstrip("."))


def meta_int(meta: dict, key: str) -> int | None:
    """An integer value of the metadata sheet; None when missing or not an integer."""
    number = number_of(meta.get(key))
    return int(number) if number is not None and number.is_integer() else None


def date_of(value) -> date | None:
    """A date cell, an Excel day number or text such as 17/11/2025 or 17 November 2025; None when empty.

    Raises DateOutOfRange for a date outside FIRST_DATE–LAST_DATE and ValueError for
    anything else that is not a date; never anything else.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return _in_range(value.date(), value)
    if isinstance(value, date):
        return _in_range(value, value)
    if isinstance(value, (time, timedelta, bool)):
        raise ValueError(value)  # a time of day, a duration or a checkbox is not a date
    if isinstance(value, (int, float)):
        if SERIAL_DATES[0] <= value <= SERIAL_DATES[1]:  # False for nan
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(value)
    text = squash(cell_text(value))
    if not text:
        return None
    for pattern in DATE_PATTERNS:
        try:
            return _in_range(datetime.strptime(text, pattern).date(), value)
        except DateOutOfRange:
            raise
        except ValueError:
            pass
    parts = text.replace(",", " ").split()
    if len(parts) == 3 and parts[0].isdecimal() and parts[2].isdecimal():
        month = MONTH_ALIASES.get(key_text(parts[1]).upper().rstrip("."))
        if month:
            day, year = _small_int(parts[0]), _small_int(parts[2])
            if year is None or not FIRST_DATE.year <= year <= LAST_DATE.year:
                raise DateOutOfRange(value)
            if day is not None:
                try:
                    return date(year, month, day)
                except (ValueError, OverflowError):
                    pass
    raise ValueError(value)


def _small_int(digits: str) -> int | None:
    """int(digits) for at most 9 digits; None for longer (no huge numbers are built)."""
    return int(digits) if len(digits) <= 9 else None


def _in_range(found: date, value) -> date:
    if not FIRST_DATE <= found <= LAST_DATE:
        raise DateOutOfRange(value)
    return found
