"""Chart layout decisions that must not depend on the fonts a browser happens to have loaded."""

import pandas as pd
import pytest

from zi_data.reporting import charts


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
def test_long_completion_bars_carry_their_label_inside(projector):
    """A 100 % bar's label was drawn past the axis end and was cut off when the web font came late (#8 item 11)."""
    completion = pd.DataFrame({"group": ["A", "B", "C", "D"], "rate_as_of": [1.0, 0.8, 0.79, None],
                               "rate_annual": [1.0, 0.5, 0.0, None], "done_as_of": [4, 4, 3, 0],
                               "planned_as_of": [4, 5, 4, 0], "done_annual": [4, 5, 0, 0],
                               "planned_annual": [4, 10, 8, 0]})
    figure = charts.completion_bars(completion, "Capaian per tim", projector)
    for trace in figure.data:
        positions = dict(zip(trace.y, trace.textposition))
        rates = dict(zip(trace.y, trace.x))
        for group, rate in rates.items():
            assert positions[group] == ("inside" if rate >= 80 else "outside"), (trace.name, group, rate)
        assert trace.insidetextanchor == "end" and trace.textangle == 0
    # The labels outside end at most at 79,9 % of the axis: the rest of it is room for them.
    assert figure.layout.xaxis.range[1] >= 100


def _classified_with_reviews(reviews: dict[tuple[str, int], str]):
    """The bundled plan's area I classified with nothing reported, with review states set on some item-months
    (as status.classify gives them when handed the evidence states)."""
    from datetime import date

    from zi_data.plan import status
    from helpers import new_store

    plan = new_store().plan()
    plan = plan[plan["area"] == "I"]
    classified = status.classify(plan, pd.DataFrame(columns=["item_id", "month", "status", "bukti_dukung",
                                                             "tanggal", "catatan"]), date(2025, 6, 30))
    classified["review_state"] = [reviews.get((r.id, r.month), "") for r in classified.itertuples()]
    classified["files"] = [1 if (r.id, r.month) in reviews else 0 for r in classified.itertuples()]
    return plan, classified


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
def test_the_matrix_marks_accepted_awaiting_and_to_be_revised_evidence_apart(tmp_path, monkeypatch, projector):
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    plan, classified = _classified_with_reviews({})
    first, second = plan["id"].iloc[0], plan["id"].iloc[1]
    months = {item: classified.loc[classified["id"] == item, "month"].tolist() for item in (first, second)}
    reviews = {(first, months[first][0]): "diterima", (second, months[second][0]): "menunggu",
               (first, months[first][-1]): "perlu_perbaikan"}
    plan, classified = _classified_with_reviews(reviews)
    figure = charts.matrix_chart(classified, plan, 6, projector)
    marks = {trace.name: trace for trace in figure.data if trace.marker.symbol != "square"}
    assert set(marks) == {"Bukti diterima", "Menunggu verifikasi", "Perlu perbaikan"}
    # Told apart by shape and by colour, and neither is a state's: states are squares in their own colours.
    assert len({trace.marker.symbol for trace in marks.values()}) == 3
    assert len({trace.marker.color for trace in marks.values()}) == 3
    rows = {item_id: row for row, item_id in enumerate(plan["id"])}
    for (item, month), review in reviews.items():
        trace = marks[charts.REVIEW_LOOK[review][0]]
        assert (month + charts.MATRIX_REVIEW_OFFSET, rows[item]) in set(zip(trace.x, trace.y))
    # Beside the cell, inside the month's column, clear of the cell's square at the narrowest grid (50 px a month:
    # a 600-px grid, the projector's at 1024 px with the row labels).
    assert 0.5 > charts.MATRIX_REVIEW_OFFSET > (charts.MATRIX_MARKER_PX[projector] + charts.MATRIX_REVIEW_PX[projector]) / 2 / 50
    # In projector mode they are named in the page's caption, not in the legend (its lines are counted for the height).
    assert all(trace.showlegend is (not projector) for trace in marks.values())
    hovers = " ".join(text for trace in figure.data if trace.marker.symbol == "square" for text in trace.hovertext)
    assert "<b>Verifikasi:</b> Perlu perbaikan" in hovers and "<b>Berkas bukti:</b> 1" in hovers


def test_the_matrix_without_evidence_states_has_only_the_state_cells(tmp_path, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    plan, classified = _classified_with_reviews({})
    assert {trace.marker.symbol for trace in charts.matrix_chart(classified, plan, 6).data} == {"square"}
    bare = classified.drop(columns=["review_state", "files"])
    assert {trace.marker.symbol for trace in charts.matrix_chart(bare, plan, 6).data} == {"square"}


def test_a_completion_table_with_nothing_done_gets_a_note_instead_of_bars_of_zeros():
    table = pd.DataFrame({"group": ["I", "II"], "planned_as_of": [4, 2], "done_as_of": [0, 0], "rate_as_of": [0.0, 0.0],
                          "planned_annual": [12, 6], "done_annual": [0, 0], "rate_annual": [0.0, 0.0]})
    assert charts.nothing_done(table)
    assert not charts.nothing_done(table.assign(done_annual=[0, 1]))  # done later in the year: bars to draw
    assert "Perbarui Progres" in charts.empty_chart_text(has_progress=False)
    assert charts.empty_chart_text(has_progress=True) == charts.NOTHING_DONE_TEXT
    monthly = pd.DataFrame({"month": [1, 2], "planned": [4, 2], "done": [0, 0], "rate": [0.0, 0.0]})
    assert charts.nothing_done(monthly, done="done") and not charts.nothing_done(monthly.assign(done=[0, 1]), "done")


def test_a_kurva_s_with_nothing_done_keeps_its_plan_line_alone():
    """Before anything is done, a realisation flat on 0 % and a 'Deviasi −50,8 %' box only restate the plan line;
    the page's note says what draws the realisation."""
    kurva = pd.DataFrame({"month": range(1, 13), "planned_pct": [100 * m / 12 for m in range(1, 13)],
                          "realised_pct": [0.0] * 6 + [None] * 6})
    kurva["deviation"] = kurva["realised_pct"] - kurva["planned_pct"]
    drawn = charts.kurva_s_chart(kurva, 6)
    assert [trace.name for trace in drawn.data] == ["Rencana", "Realisasi"]
    assert [note.text for note in drawn.layout.annotations] == ["Deviasi -50,0 %"]
    plan_only = charts.kurva_s_chart(kurva, 6, realised=False)
    assert [trace.name for trace in plan_only.data] == ["Rencana"]
    assert list(plan_only.data[0].y) == list(kurva["planned_pct"]) and not plan_only.layout.annotations
    assert len(plan_only.layout.shapes) == 1  # the as-of month's line stays
    assert "garis realisasinya muncul" in charts.empty_chart_text(False, appears="garis realisasinya")


@pytest.mark.parametrize("text,width,expected", [
    ("Sosialisasi internal kepada seluruh pegawai", 20, "Sosialisasi…"),
    ("Membuat Tim Unit Pengendalian", 20, "Membuat Tim Unit…"),
    ("Pendek", 20, "Pendek"),
    ("  Dua   spasi  ", 20, "Dua spasi"),
    ("Mensosialisasikanpedomanpengendalian", 20, "Mensosialisasikanpe…"),  # one long word: cut inside it
    ("Rapat, lalu evaluasi berkala", 8, "Rapat…"),  # no comma before the ellipsis
])
def test_cut_at_word_cuts_cleanly_with_an_ellipsis(text, width, expected):
    assert charts.cut_at_word(text, width) == expected
    assert len(charts.cut_at_word(text, width)) <= width


def test_the_projector_matrix_labels_each_row_with_its_id_and_the_start_of_its_step(tmp_path, monkeypatch):
    """No hover on a projector: the row says which step it is (#23), cut at a word, in type of at least 18 px."""
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    plan, classified = _classified_with_reviews({})
    figure = charts.matrix_chart(classified, plan, 6, projector=True)
    labels = list(figure.layout.yaxis.ticktext)
    for label, row in zip(labels, plan.itertuples()):
        item_id, step = label.split(" · ", 1)
        assert item_id == row.id and len(step) <= charts.MATRIX_PROJECTOR_LABEL_CHARS
        full = " ".join(row.langkah_aksi.split())
        assert step == full or (step.endswith("…") and full.startswith(step[:-1])
                                and full[len(step) - 1:][:1] in (" ", ",", ";", ":", ".", "-"))
    assert any(label.endswith("…") for label in labels)
    assert figure.layout.yaxis.tickfont.size >= 18 and figure.layout.legend.font.size >= 18
