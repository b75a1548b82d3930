"""The matrix for narrow screens: one block per langkah aksi with its twelve months, user text escaped."""

from datetime import date

import pandas as pd

from zi_data.plan import status
from zi_data.reporting.charts import STATE_STYLE
from zi_data.reporting.matrix_cells import MATRIX_CELLS_CSS, MATRIX_PHONE_MAX_PX, matrix_cells_html


def _plan_and_cells():
    plan = pd.DataFrame({"id": ["I-1-1", "I-1-2"], "area": ["I", "I"], "komponen": ["K", "K"],
                         "langkah_aksi": ['<img src=x onerror="alert(1)"> **Rapat** tim', "Evaluasi"],
                         "bukti_fisik": ["Notulen", "Laporan"], "penanggung_jawab": ["Tim A", "Tim A"],
                         "area_name": ["A", "A"]})
    classified = pd.DataFrame({"id": ["I-1-1", "I-1-1", "I-1-2"], "month": [1, 2, 3],
                               "state": ["selesai", "terlambat", "belum_jatuh_tempo"],
                               "review_state": ["diterima", "", ""]})
    return plan, classified


def test_each_step_gets_twelve_month_cells_in_the_charts_colours():
    plan, classified = _plan_and_cells()
    shown = matrix_cells_html(classified, plan, 2)
    assert shown.count('class="zm-step"') == 2 and shown.count("<li ") == 24
    assert 'class="zm-selesai" title="Januari: Selesai · Bukti diterima"' in shown
    assert 'class="zm-terlambat zm-now" title="Februari: Terlambat"' in shown  # the as-of month stands out
    assert shown.count('class="zm-none') == 21  # months without a planned item-month
    for state, (_label, color, _symbol, _ink) in STATE_STYLE.items():
        assert f".zm-{state} {{ background: {color}; }}" in MATRIX_CELLS_CSS
    assert f"@media (max-width: {MATRIX_PHONE_MAX_PX}px)" in MATRIX_CELLS_CSS


def test_plan_text_is_escaped():
    plan, classified = _plan_and_cells()
    shown = matrix_cells_html(classified, plan, 6)
    assert "<img" not in shown and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; **Rapat** tim" in shown


def test_the_bundled_plan_fits_the_blocks(tmp_path, monkeypatch):
    from helpers import new_store

    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    plan = new_store().plan()
    empty = pd.DataFrame(columns=["item_id", "month", "status", "bukti_dukung", "tanggal", "catatan"])
    classified = status.classify(plan, empty, date(2025, 6, 30))
    shown = matrix_cells_html(classified, plan, 6)
    assert shown.count('class="zm-step"') == len(plan) and shown.count("<li ") == 12 * len(plan)
