"""The offices' SQL (zi_data.store.offices) on a new database, on SQLite and on PostgreSQL."""

import pandas as pd
import pytest
import sqlalchemy

from helpers import ROOT
from zi_data.store.database import Database
from zi_data.store.offices import (OFFICE_COLUMNS, OfficeError, add_offices, office_ancestors, office_frame,
                                   office_subtree, read_offices_csv)

AT = "2026-01-05T08:00:00.000000+00:00"
LATER = "2026-02-01T08:00:00.000000+00:00"
EXAMPLE = ROOT / "data" / "kantor_kpu_kalimantan_tengah.csv"
KABUPATEN_KOTA = [f"62{number:02d}" for number in range(1, 14)] + ["6271"]


@pytest.fixture
def engine(tmp_path, database_url):
    """The engine of a new database on each backend, schema made, its bundled offices removed: no office yet."""
    database = Database(tmp_path / "data", database_url)
    with database.transaction() as conn:
        conn.execute(sqlalchemy.text("DELETE FROM offices"))
    yield database.engine
    database.dispose()


def example_offices() -> pd.DataFrame:
    return read_offices_csv(EXAMPLE.read_bytes(), EXAMPLE.name)


def offices(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=OFFICE_COLUMNS)


def stored(engine) -> pd.DataFrame:
    with engine.connect() as conn:
        return office_frame(conn)


@pytest.fixture
def example_engine(engine):
    with engine.begin() as conn:
        add_offices(conn, example_offices(), AT)
    return engine


def test_adding_the_example_stores_it_and_adding_it_again_changes_nothing(engine):
    with engine.begin() as conn:
        assert add_offices(conn, example_offices(), AT) == {"added": 16, "changed": 0, "unchanged": 0}
    assert stored(engine).equals(example_offices().sort_values("code", ignore_index=True))
    with engine.begin() as conn:
        assert add_offices(conn, example_offices(), LATER) == {"added": 0, "changed": 0, "unchanged": 16}


def test_a_new_name_or_parent_updates_the_office_in_place(example_engine):
    with example_engine.begin() as conn:
        counts = add_offices(conn, offices(("6203", "KPU Kab. Kapuas", "62"), ("6271", "KPU Kota Palangka Raya", "00"),
                                           ("6299", "KPU Kabupaten Contoh", "6271")), LATER)
    assert counts == {"added": 1, "changed": 2, "unchanged": 0}
    rows = stored(example_engine).set_index("code")
    assert rows.loc["6203"].tolist() == ["KPU Kab. Kapuas", "62"]
    assert rows.loc["6271"].tolist() == ["KPU Kota Palangka Raya", "00"]
    with example_engine.connect() as conn:
        created = dict(conn.execute(sqlalchemy.text("SELECT code, created_at FROM offices")).all())
    assert (created["6203"], created["6299"]) == (AT, LATER)


def test_parents_are_stored_before_their_children_whatever_the_order_given(engine):
    chain = offices(*[(str(10 + depth), f"Kantor {depth}", str(9 + depth) if depth else "") for depth in range(30)])
    with engine.begin() as conn:
        assert add_offices(conn, chain.iloc[::-1], AT)["added"] == 30
        assert office_subtree(conn, "10") == [str(10 + depth) for depth in range(30)]
        assert office_ancestors(conn, "39") == [str(38 - depth) for depth in range(29)]


def test_subtree_is_the_office_and_everything_below_it(example_engine):
    with example_engine.connect() as conn:
        assert office_subtree(conn, "00") == ["00", "62", *KABUPATEN_KOTA]
        assert office_subtree(conn, "62") == ["62", *KABUPATEN_KOTA]
        assert office_subtree(conn, "6203") == ["6203"]


def test_ancestors_go_from_the_parent_up_to_the_top(example_engine):
    with example_engine.connect() as conn:
        assert office_ancestors(conn, "6203") == ["62", "00"]
        assert office_ancestors(conn, "62") == ["00"]
        assert office_ancestors(conn, "00") == []


def test_an_unknown_office_has_no_subtree_and_no_ancestors(example_engine):
    with example_engine.connect() as conn:
        for query in (office_subtree, office_ancestors):
            with pytest.raises(OfficeError, match="^Kantor dengan kode 9999 tidak terdaftar.$"):
                query(conn, "9999")


def test_a_parent_that_would_make_a_loop_is_refused_and_nothing_changes(example_engine):
    with example_engine.begin() as conn:
        with pytest.raises(OfficeError) as raised:
            add_offices(conn, offices(("6299", "KPU Baru", "62"), ("00", "KPU RI", "6203")), LATER)
    assert str(raised.value) == "Kantor 00: induk membuat lingkaran: 00 → 6203 → 62 → 00."
    assert stored(example_engine).equals(example_offices().sort_values("code", ignore_index=True))


@pytest.mark.parametrize("frame, message", [
    (offices(("6299", "KPU Baru", "63")), "Kantor 6299: kantor induk 63 tidak dikenal: daftarkan dulu kantor "
                                          "induknya, atau kosongkan induk untuk kantor teratas."),
    (offices(("6299", "KPU Baru", "6299")), "Kantor 6299: induk membuat lingkaran: 6299 → 6299."),
    (offices(("6299", "A", "62"), ("6299", "B", "62")), "Kode kantor ganda: 6299."),
], ids=["unknown parent", "own parent", "duplicate code"])
def test_refused_changes_write_nothing(example_engine, frame, message):
    with example_engine.begin() as conn:
        with pytest.raises(OfficeError) as raised:
            add_offices(conn, frame, LATER)
    assert str(raised.value) == message
    assert len(stored(example_engine)) == 16


def test_a_csv_read_against_the_stored_offices_may_name_them_as_parents(example_engine):
    with example_engine.begin() as conn:
        frame = read_offices_csv(b"kode,nama,induk\n62.99,KPU Kabupaten Contoh,62\n", "baru.csv", office_frame(conn))
        assert add_offices(conn, frame, LATER) == {"added": 1, "changed": 0, "unchanged": 0}
        assert office_ancestors(conn, "6299") == ["62", "00"]
