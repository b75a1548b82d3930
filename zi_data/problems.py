"""Problems found in user input, reported in Indonesian with their location."""

from dataclasses import dataclass


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
            parts.append(f"lembar '{self.sheet}'")
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


class InputError(Exception):
    """Raised with every problem found in an input file; nothing was changed."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class PlanError(InputError):
    """A plan workbook that cannot be read."""
