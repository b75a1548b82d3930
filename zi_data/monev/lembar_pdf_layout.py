"""The lembar monev's page: A4 portrait, DejaVu Sans embedded, every text drawn on one line in a measured box.

Each text the document draws goes through `LembarDocument.text_line`, which cleans it, shortens it with "…"
until it fits its box and records it in `drawn` (the tests check every box against its text and the page).
Longer texts are wrapped by `wrap` into such lines first. Cleaning keeps the text plain and printable:
- line breaks, tabs and other control characters become spaces (a paragraph keeps its line breaks);
- bidirectional controls (U+200E, U+200F, U+061C, U+202A–U+202E, U+2066–U+2069) are dropped, so no text
  can reorder what a reader shows;
- a character the bundled DejaVu Sans has no glyph for (emoji, most CJK, lone surrogates) becomes U+FFFD "�".
"""

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).with_name("fonts")
FONT = "DejaVuSans"
PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0  # A4, mm
MARGIN = 15.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
CONTENT_BOTTOM = PAGE_HEIGHT - MARGIN
FOOTER_TOP = PAGE_HEIGHT - 12.0  # the footer line sits in the bottom margin, 8 mm clear of the edge
PT = 25.4 / 72  # mm per point
ELLIPSIS = "…"
REPLACEMENT = "\ufffd"
INK = "#111111"
_BIDI_CONTROLS = {0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


@dataclass(frozen=True)
class DrawnText:
    page: int
    text: str
    x: float
    y: float
    width: float
    height: float
    text_width: float
    size: float
    align: str = "L"

    @property
    def ink(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the text itself, as it is aligned in its box."""
        left = {"L": self.x, "C": self.x + (self.width - self.text_width) / 2}.get(
            self.align, self.x + self.width - self.text_width)
        return left, self.y, left + self.text_width, self.y + self.height


def rgb(color: str) -> tuple[int, int, int]:
    """'#0072B2' -> (0, 114, 178)."""
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def line_height(size: float) -> float:
    """Height (mm) of one text line in `size` pt."""
    return size * PT * 1.3


class LembarDocument(FPDF):
    """A4 document in DejaVu Sans whose texts are measured and recorded; pages break where the caller says."""

    def __init__(self, footer_note: str = "", printed: str = ""):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self._glyphs = set(self.fonts[FONT.lower()].cmap) & set(self.fonts[FONT.lower() + "B"].cmap)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)  # every section breaks its own pages, so nothing lands in the footer
        self.c_margin = 0
        self.footer_note, self.printed = footer_note, printed
        self.drawn: list[DrawnText] = []
        self.images: list[tuple[int, float, float, float, float]] = []  # (page, x, y, width, height) of each image

    # -- text --------------------------------------------------------------------------------------------
    def clean(self, value, keep_line_breaks: bool = False) -> str:
        text = unicodedata.normalize("NFC", "" if value is None else str(value))
        kept = []
        for char in text:
            code = ord(char)
            if code in _BIDI_CONTROLS:
                continue
            if char == "\n" and keep_line_breaks:
                kept.append(char)
            elif unicodedata.category(char) in ("Cc", "Zl", "Zp") or char.isspace():
                kept.append(" ")
            elif unicodedata.category(char) == "Cf":
                continue
            else:
                kept.append(char if code in self._glyphs else REPLACEMENT)
        lines = ["".join(line).split() for line in "".join(kept).split("\n")]
        return "\n".join(" ".join(words) for words in lines).strip()

    def use_font(self, size: float, bold: bool = False, color: str = INK) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*rgb(color))

    def fit(self, text: str, width: float) -> str:
        """`text` (cleaned, current font) cut and ended with "…" until it is at most `width` mm wide."""
        if self.get_string_width(text) <= width:
            return text
        low, high = 0, len(text)
        while low < high:  # the longest prefix that fits with the ellipsis
            middle = (low + high + 1) // 2
            if self.get_string_width(text[:middle].rstrip() + ELLIPSIS) <= width:
                low = middle
            else:
                high = middle - 1
        return (text[:low].rstrip() + ELLIPSIS) if self.get_string_width(ELLIPSIS) <= width else ""

    def text_line(self, x: float, y: float, width: float, text, *, size: float, bold: bool = False,
                  align: str = "L", color: str = INK, height: float | None = None) -> None:
        """One line of text in the box (x, y, width, height), shortened with "…" to fit; recorded in `drawn`."""
        self.use_font(size, bold, color)
        shown = self.fit(self.clean(text), width)
        height = height or line_height(size)
        self.set_xy(x, y)
        self.cell(width, height, shown, align=align)
        self.drawn.append(DrawnText(self.page_no(), shown, x, y, width, height, self.get_string_width(shown), size,
                                    align))

    def wrap(self, text, width: float, *, size: float, bold: bool = False, max_lines: int | None = None) -> list[str]:
        """`text` broken into lines at most `width` mm wide (a word longer than a line is broken inside);
        with `max_lines`, the last kept line ends with "…" when text was left out."""
        self.use_font(size, bold)
        lines: list[str] = []
        for paragraph in self.clean(text, keep_line_breaks=True).split("\n"):
            lines.extend(self._wrap_paragraph(paragraph, width))
        if max_lines is not None and len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = self.fit(lines[-1] + ELLIPSIS, width)
        return lines or [""]

    def _wrap_paragraph(self, paragraph: str, width: float) -> list[str]:
        lines, line = [], ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if self.get_string_width(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while self.get_string_width(word) > width:  # a word wider than the line: broken by characters
                cut = self._longest_fitting_prefix(word, width)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
        return lines

    def _longest_fitting_prefix(self, word: str, width: float) -> int:
        cut = 1
        while cut < len(word) and self.get_string_width(word[:cut + 1]) <= width:
            cut += 1
        return cut

    def paragraph(self, x: float, y: float, width: float, text, *, size: float, bold: bool = False,
                  max_lines: int | None = None, color: str = INK) -> float:
        """`text` wrapped into lines drawn from (x, y) down; returns the y below the last line."""
        for line in self.wrap(text, width, size=size, bold=bold, max_lines=max_lines):
            self.text_line(x, y, width, line, size=size, bold=bold, color=color)
            y += line_height(size)
        return y

    # -- pages -------------------------------------------------------------------------------------------
    def room_left(self, y: float) -> float:
        return CONTENT_BOTTOM - y

    def new_page(self) -> float:
        """A new page; returns the y where its content starts."""
        self.add_page()
        return MARGIN

    def footer(self) -> None:
        self.set_draw_color(*rgb("#BDBDBD"))
        self.set_line_width(0.2)
        self.line(MARGIN, FOOTER_TOP - 1, PAGE_WIDTH - MARGIN, FOOTER_TOP - 1)
        note_width = CONTENT_WIDTH * (0.64 if self.printed else 0.75)
        printed = f"Dicetak {self.printed} · " if self.printed else ""
        self.text_line(MARGIN, FOOTER_TOP, note_width, self.footer_note, size=7, color="#555555")
        self.text_line(MARGIN + note_width, FOOTER_TOP, CONTENT_WIDTH - note_width,
                       f"{printed}Halaman {self.page_no()} dari {{nb}}", size=7, align="R", color="#555555")
