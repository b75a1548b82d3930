"""Errors for people: `Refusal`, the one base of every error whose message is Indonesian and meant to be shown
(pages show it with st.error, commands print it), and the problems found in user input with their location."""

import sys
import unicodedata
from dataclasses import dataclass

import pandas as pd

SHOWN_CHARS = 80  # a quoted value longer than this is cut in messages
# Characters that print as nothing or as blank: controls, format characters (zero-width space, BOM, direction
# marks), separators other than the space, private use, surrogates, unassigned code points.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cs", "Cn"}
_HIDDEN_EXTRA = {"\u034f", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u3164", "\uffa0",
                 *map(chr, range(0xFE00, 0xFE10)), *map(chr, range(0xE0100, 0xE01F0))}


@dataclass(frozen=True)
class Problem:
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    fix: str | None = None

    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"lembar '{shown(self.sheet)}'")
        if self.row:
            parts.append(f"baris {self.row}")
        if self.column:
            parts.append(f"kolom {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where[0].upper()}{where[1:]}: {self.message}" if where else self.message
        return f"{text} {self.fix}" if self.fix else text

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column,
                "message": self.message, "fix": self.fix, "text": str(self)}


def shown(value, limit: int = SHOWN_CHARS) -> str:
    """User text for quoting in a message: invisible characters spelled out as [U+200B], long text cut.

    'I-1-1\\u200b' -> 'I-1-1[U+200B]'; a text longer than `limit` characters ends in
    '… (N karakter)'.
    """
    text = str(value)
    if len(text) > limit:
        count = f"{len(text):,}".replace(",", ".")
        return _spelled(text[:limit]) + f"… ({count} karakter)"
    return _spelled(text)


def spelled(value) -> str:
    """Text a person reads (a printed line, a reminder): invisible characters spelled out as [U+202E], line
    breaks kept, nothing cut; so a bidirectional control can never reorder what is shown around it."""
    return "\n".join(_spelled(line) for line in str(value).split("\n"))


def _spelled(text: str) -> str:
    return "".join(f"[U+{ord(ch):04X}]" if _hidden(ch) else ch for ch in text)


def _hidden(ch: str) -> bool:
    return ch != " " and (unicodedata.category(ch) in _HIDDEN_CATEGORIES or ch in _HIDDEN_EXTRA)


class Refusal(Exception):
    """Something asked was refused; str(error) says why, in Indonesian, for people, and is safe to show.

    Every error meant for people derives from it (InputError, AccountError, MonevError, LedgerNotFound,
    SchemaError, OfficeError, …): pages catch it in one place (app_pages/frame/refusals.py), commands in
    main(). Python's own exceptions (a bug) are never one, so they are never shown as a message."""


class RefusedValue(Refusal, ValueError):
    """A value a person gave or chose that is refused (a month out of range, an unknown upload, a bad link);
    still a ValueError for the callers that check values."""


class InputError(Refusal):
    """Raised with every problem found in an input file; nothing was changed."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class PlanError(InputError):
    """A plan workbook that cannot be read."""


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table with Indonesian headers, for showing."""
    return pd.DataFrame([{"Lembar": p.sheet or "", "Baris": str(p.row) if p.row else "", "Kolom": p.column or "",
                          "Masalah": p.message, "Perbaikan": p.fix or ""} for p in problems],
                        columns=["Lembar", "Baris", "Kolom", "Masalah", "Perbaikan"])


def print_problems(error: InputError) -> int:
    """A command's report of a refused file, on stderr; returns the command's exit code (1)."""
    print(f"Berkas tidak dapat diproses ({len(error.problems)} masalah):", file=sys.stderr)
    for problem in error.problems:
        print(spelled(f"- {problem}"), file=sys.stderr)
    return 1
