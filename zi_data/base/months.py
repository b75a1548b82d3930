"""Month names and number formatting in Indonesian (dates and moments: clock.py)."""

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
MONTH_NUMBERS = tuple(range(1, 13))

# Header spellings accepted for month columns, mapped to the month number.
MONTH_ALIASES = {
    **{name.upper(): i for i, name in enumerate(MONTHS, 1)},
    **{name[:3].upper(): i for i, name in enumerate(MONTHS, 1)},
    **{str(i): i for i in MONTH_NUMBERS},
    "AGT": 8, "AGS": 8, "MAY": 5, "AUG": 8, "OCT": 10, "DEC": 12,
    "SEPT": 9, "NOP": 11, "NOPEMBER": 11, "PEBRUARI": 2,
}


def month_name(month: int) -> str:
    return MONTHS[month - 1]


def format_percent(fraction: float | None, decimals: int = 1) -> str:
    """0.853 -> '85,3 %' (Indonesian decimal comma)."""
    if fraction is None or fraction != fraction:
        return "–"
    return f"{fraction * 100:.{decimals}f}".replace(".", ",") + " %"


def format_number(value: float, decimals: int = 0) -> str:
    """12345.6 -> '12.345,6'."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def left_out_text(count: int) -> str:
    """'… dan 1.234 lainnya': what a short list says of the `count` items it leaves out; '' when none."""
    return f"… dan {format_number(count)} lainnya" if count > 0 else ""


def listed_with_rest(names, left_out: int) -> str:
    """'II-1-1 Januari, II-1-2 Januari … dan 40 lainnya': the named few, then how many more."""
    return " ".join(part for part in (", ".join(names), left_out_text(left_out)) if part)
