"""The example province (office example), the Rekap Instansi tables and the office heatmap."""

import json
import math
from datetime import date

import pandas as pd
import sqlalchemy

from helpers import run_cli, stored_rows
from zi_data.reporting import charts
from zi_data.store.database import Database
from zi_data.store.example_offices import (EXAMPLE_FILE_PREFIX, EXAMPLE_MARK, EXAMPLE_REPORTER, fictitious_entries,
                                           load_example, offices_with_example_data)
from zi_data.store.ledgers import ledger_frame
from zi_data.reporting.office_rekap import ledger_states, overdue_table, ranking_table, trend_text
from zi_data.store.plan_years import seed_bundled_plan
from zi_data.store.rollup import office_rollup

HOME = "6203"  # KPU Kabupaten Kapuas: the office the bundled plan names


def test_the_example_starts_every_kabupaten_kota_and_fills_all_but_the_home_office(store_on_each_backend):
    store = store_on_each_backend
    loaded = load_example(store.database)
    assert len(loaded.years_started) == 13 and HOME not in loaded.years_started
    assert len(loaded.offices_filled) == 13 and HOME not in loaded.offices_filled
    with store.reading() as conn:
        years = ledger_frame(conn)
        example = offices_with_example_data(conn, list(years["ledger_id"]))
    assert sorted(years["office"]) == sorted([HOME, *loaded.years_started]) and set(years["year"]) == {2025}
    assert example == sorted(loaded.offices_filled)
    assert store.entries().empty and store.uploads().empty  # the home office keeps only its real data
    filled = store.with_ledger("6205", 2025)
    entries, uploads = filled.entries(), filled.uploads()
    assert set(entries["reported_by"]) == {EXAMPLE_REPORTER}
    assert entries["catatan"].str.contains(EXAMPLE_MARK).all()
    assert entries.loc[entries["status"] == "Selesai", "bukti_dukung"].str.startswith(EXAMPLE_MARK).all()
    assert list(uploads["file_name"]) == [f"{EXAMPLE_FILE_PREFIX}6205.xlsx"] and list(uploads["kind"]) == ["realisasi"]
    with store.reading() as conn:
        events = conn.execute(sqlalchemy.text("SELECT action, details FROM audit_log WHERE ledger_id = :ledger"),
                              {"ledger": filled.ledger_id}).all()
    assert ("unggah_realisasi", len(entries)) in {(action, json.loads(details).get("new")) for action, details in events}


def test_loading_the_example_twice_adds_nothing(store):
    load_example(store.database)
    before = stored_rows(store)
    again = load_example(store.database)
    assert (again.offices_added, again.years_started, again.offices_filled, again.entries) == (0, [], [], 0)
    assert stored_rows(store) == before


def test_a_home_office_with_progress_keeps_exactly_its_entries(store):
    with store.transaction() as conn:
        store.append_entries(conn, pd.DataFrame([{"item_id": store.plan()["id"].iloc[0], "month": 1,
                                                  "status": "Selesai", "bukti_dukung": "SK", "reported_by": "Rina"}]),
                             None)
    before = store.entries()
    load_example(store.database)
    pd.testing.assert_frame_equal(store.entries(), before)


def test_fictitious_progress_is_deterministic_per_office_and_only_for_planned_months(store):
    plan = store.plan()
    first, again, other = (fictitious_entries(plan, office, 2025) for office in ("6201", "6201", "6202"))
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)
    planned = {(item, month) for item, months in zip(plan["id"], plan["months"]) for month in months}
    assert set(zip(first["item_id"], first["month"])) <= planned


def test_the_command_line_loads_the_example_once(tmp_path):
    first = run_cli("office", "example", data_dir=tmp_path / "data", check_returncode=0)
    assert "13 kantor" in first.stdout and "CONTOH FIKTIF" in first.stdout
    second = run_cli("office", "example", data_dir=tmp_path / "data", check_returncode=0)
    assert "0 kantor ditambahkan" in second.stdout and "0 entri" in second.stdout


def test_the_cache_key_changes_with_any_ledgers_entries_or_plan(store):
    load_example(store.database)
    with store.reading() as conn:
        ids = list(ledger_frame(conn)["ledger_id"])
        before = ledger_states(conn, ids)
    other = store.with_ledger("6271", 2025)
    with other.transaction() as conn:
        other.append_entries(conn, pd.DataFrame([{"item_id": other.plan()["id"].iloc[0], "month": 1,
                                                  "status": "Belum", "reported_by": "Rina"}]), None)
    with store.reading() as conn:
        after = ledger_states(conn, ids)
    changed = [old for old, new in zip(before, after) if old != new]
    assert [ledger for ledger, *_ in changed] == [other.ledger_id] and len(after) == len(ids)


def test_the_trend_reads_in_percentage_points():
    assert [trend_text(change) for change in (0.025, -0.0104, 0.0, 0.00004, math.nan)] == [
        "▲ 2,5 poin", "▼ 1,0 poin", "► 0,0 poin", "► 0,0 poin", "–"]


def rekap(store) -> dict:
    load_example(store.database)
    with store.reading() as conn:
        return office_rollup(conn, list(ledger_frame(conn)["ledger_id"]), date(2025, 9, 30))


def test_the_tables_read_in_indonesian_and_keep_ties_of_the_last_overdue_office(store):
    frames = rekap(store)
    ranking = ranking_table(frames["ranking"], 9)
    assert list(ranking.columns) == ["Peringkat", "Kantor", "Capaian s.d. September", "Bulan lalu (s.d. Agustus)",
                                     "Tren"]
    assert ranking["Capaian s.d. September"].str.fullmatch(r"\d{1,3},\d %").all()
    late = overdue_table(frames["overdue"], frames["ranking"], limit=1)
    assert late["Kantor"].iloc[0] == "KPU Kabupaten Kapuas"  # nothing reported: every ended month overdue
    tied = pd.DataFrame({"office": ["a", "b", "c"], "office_name": ["A", "B", "C"], "overdue": [5, 5, 0]})
    due = pd.DataFrame({"office": ["a", "b", "c"], "planned_as_of": [10, 20, 0]})
    assert overdue_table(tied, due, limit=1).values.tolist() == [["A", "5", "10", "50,0 %"], ["B", "5", "20", "25,0 %"]]


def test_the_heatmap_has_an_office_per_row_an_area_per_column_and_escaped_names(store):
    frames = rekap(store)
    areas = frames["areas"].copy()
    areas.loc[areas["office"] == "6201", "office_name"] = "<b>Kantor</b>"
    areas.loc[(areas["office"] == "6202") & (areas["area"] == "I"), "rate_as_of"] = math.nan
    figure = charts.office_heatmap(areas, projector=True)
    heatmap = figure.data[0]
    assert len(set(heatmap.y)) == 14 and list(heatmap.x) == list(dict.fromkeys(areas["area"]))
    labels = dict(zip(figure.layout.yaxis.tickvals, figure.layout.yaxis.ticktext))
    assert labels["6201"] == "&lt;b&gt;Kantor&lt;/b&gt;" and labels["6202"] == "Kab. Kotawaringin Timur"
    assert heatmap.text[1][0] == "–" and all(text.endswith(" %") for text in heatmap.text[0])
    assert figure.layout.height <= charts.PROJECTOR_MAX_HEIGHT and heatmap.textfont.size >= charts.PROJECTOR_MIN_FONT


def test_a_database_without_the_example_has_no_example_offices(tmp_path):
    database = Database(tmp_path / "data")
    seed_bundled_plan(database)
    with database.reading() as conn:
        assert offices_with_example_data(conn, list(ledger_frame(conn)["ledger_id"])) == []
