"""User text shown as text: escaping for Streamlit markdown, Plotly labels and the projector's tables."""

import re
import string

import pandas as pd

from zi_data.reporting import charts
from zi_data.base.safe_text import WORD_JOINER, chart_text, html_table, markdown_text

HOSTILE = ("![x](https://evil.example/px.png) [tautan](https://evil.example/a) <img src=https://evil.example/i.png> "
           "`kode` **tebal** <script>alert(1)</script> :material/home: :red[merah] $x^2$ www.evil.example "
           "nama@evil.example\n# judul\n    kode & <a href='https://evil.example'>a</a>")


def test_markdown_text_escapes_every_ascii_punctuation_and_stays_on_one_line():
    escaped = markdown_text(HOSTILE)
    assert "\n" not in escaped
    unescaped = re.sub(r"\\(.)", "", escaped)  # drop every escaped character
    assert not set(unescaped) & set(string.punctuation), unescaped
    # Unescaping gives the text back (line breaks become spaces), with a word joiner where an address starts.
    assert re.sub(r"\\(.)", r"\1", escaped).replace(WORD_JOINER, "") == " ".join(HOSTILE.split())
    for address in ("https\u2060\\:\\/\\/evil", "www\u2060\\.evil", "nama\u2060\\@evil"):
        assert address in escaped


def test_chart_text_leaves_no_tag_for_plotly():
    text = chart_text(HOSTILE)
    assert "<" not in text and ">" not in text
    assert "&lt;a href=" in text and "&amp;" in text


def test_html_table_cells_are_text():
    table = html_table(pd.DataFrame({"Catatan": [HOSTILE, None], "<b>Kolom</b>": ["a&b", 3]}))
    assert "<img" not in table and "<a " not in table and "<script" not in table and "<b>" not in table
    assert "&lt;img src=https://evil.example/i.png&gt;" in table
    assert table.count("<tr>") == 3 and "<td></td>" in table



def test_html_table_marks_only_the_nowrap_columns():
    table = html_table(pd.DataFrame({"ID": ["I-4-1", "II-1-2"], "Langkah Aksi": ["a", "b"]}), nowrap=("ID",))
    assert table.count('<td class="zi-nowrap">') == 2
    assert '<td class="zi-nowrap">I-4-1</td><td>a</td>' in table

def test_chart_labels_and_hovers_escape_user_text():
    group = "<a href='https://evil.example'>Tim</a> & co"
    completion = pd.DataFrame({"group": [group], "rate_as_of": [1.0], "rate_annual": [0.5], "done_as_of": [2],
                               "planned_as_of": [2], "done_annual": [2], "planned_annual": [4]})
    for projector in (False, True):
        figure = charts.completion_bars(completion, "Capaian per tim", projector)
        for trace in figure.data:
            assert all("<a" not in str(label) for label in trace.y)
            assert all("<a" not in str(value) for row in trace.customdata for value in row)
