"""User text on a page stays text: never read as markdown, HTML or a chart label's markup.

Everything users supply (Catatan, Bukti Dukung, names of uploaders and accounts, file names, and the
plan's texts: office, teams, areas, langkah aksi) is shown on the meeting screen. Streamlit reads
markdown in most of its text elements and Plotly reads a subset of HTML in chart labels, so text from
users goes through one of these functions first.
"""

import html
import re

import pandas as pd

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all of them also
# stops Streamlit's own additions (`:material/icon:`, `:red[...]`, `$math$`).
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


# GFM turns addresses in plain text into links ("https://…", "www.…", "name@host") after the escapes are
# read, so escaping alone does not stop them: an invisible word joiner breaks each of these patterns.
WORD_JOINER = "\u2060"
_AUTOLINK_STARTS = re.compile(r"(?i)(https?(?=:)|www(?=\.)|(?=@))")


def markdown_text(value) -> str:
    """`value` as literal text inside Streamlit markdown, on one line (a line break could start a block).

    It reads the same; only a word joiner (U+2060, invisible) is added where GFM would see a web or
    e-mail address.
    """
    text = _AUTOLINK_STARTS.sub(lambda m: m.group(0) + WORD_JOINER, " ".join(str(value).split()))
    return _ASCII_PUNCTUATION.sub(r"\\\1", text)


def chart_text(value) -> str:
    """`value` as literal text in a Plotly label, hover or tick (Plotly reads <a>, <b>, <br> … in them)."""
    return html.escape(str(value), quote=False)


def html_table(frame: pd.DataFrame, css_class: str = "zi-table", nowrap: tuple[str, ...] = ()) -> str:
    """`frame` as an HTML table whose every cell is escaped text (no cell becomes a link or an image).

    The cells of the columns named in `nowrap` (IDs) get the class `zi-nowrap`, to be kept on one line.
    """
    def cell(value) -> str:
        return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else html.escape(str(value))

    opening = ['<td class="zi-nowrap">' if column in nowrap else "<td>" for column in frame.columns]
    head = "".join(f"<th>{html.escape(str(column))}</th>" for column in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"{start}{cell(value)}</td>" for start, value in zip(opening, row)) + "</tr>"
        for row in frame.itertuples(index=False, name=None))
    return f'<table class="{html.escape(css_class)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
