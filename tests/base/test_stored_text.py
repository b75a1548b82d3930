"""The store's one text rule (issue 21, text edges): every text the database is given loses NUL and the
other control characters (cell_safety.stored_text), on SQLite and PostgreSQL alike, whoever writes it."""

import re
from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st

from evidence_samples import pdf_bytes
from realisasi_helpers import PASSWORD
from zi_data.store import audit
from zi_data.evidence import evidence
from zi_data.monev import monev
from zi_data.store.accounts import Accounts
from zi_data.base.cell_safety import clean_text, stored_text
from zi_data.store.database import Database
from zi_data.store.ledger_settings import put_setting, setting
from zi_data.store.offices import add_offices, office_frame
from zi_data.base.problems import Refusal
from helpers import examples, new_store, open_as, report
from lembar_helpers import MEETING_ADMIN, TEAM, record
from page_helpers import ADMIN, MONEV_PAGE, record_lines, record_meeting_on_page

# Control characters the rule removes: C0 but tab, line feed and carriage return (which becomes a line feed),
# DEL, C1; and a lone surrogate, which neither driver can encode.
REMOVED = [chr(code) for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))] + ["\ud800"]
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
QUOTED = re.compile(r"'([^']+)'")


def with_controls(text: str, controls=("\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800")) -> str:
    """`text` with control characters before, inside and after it."""
    middle = len(text) // 2
    return controls[0] + text[:middle] + "".join(controls[1:]) + text[middle:] + controls[0]


def allowed_value(checks: list[dict], column: str) -> str | None:
    """The first value a CHECK (column IN ('a', 'b')) allows for `column`, None when no check names one."""
    for check in checks:
        if re.search(rf"\b{column}\b", check["sqltext"]) and QUOTED.search(check["sqltext"]):
            return QUOTED.search(check["sqltext"]).group(1)
    return None


def test_every_text_column_of_every_table_stores_text_with_nul_without_it(database_url, tmp_path):
    """One row in every table of an empty database (its bundled offices removed), every text column given control
    characters: all stored without them. Integers are 1 and texts the same word, so every foreign key finds its row."""
    database = Database(tmp_path / "data", database_url)
    metadata = sa.MetaData()
    metadata.reflect(database.engine)
    tables = [table for table in metadata.sorted_tables if table.name != "alembic_version"]
    expected = {}
    with database.transaction() as conn:
        conn.execute(sa.text("DELETE FROM offices"))
        inspector = sa.inspect(conn)
        for table in tables:
            checks = inspector.get_check_constraints(table.name)
            row = {}
            for column in table.columns:
                if isinstance(column.type, sa.Integer):
                    row[column.name] = 1
                elif isinstance(column.type, sa.LargeBinary):  # bytes (the letterhead's logo): not text
                    row[column.name] = b"\x00logo"
                else:
                    expected[(table.name, column.name)] = allowed_value(checks, column.name) or "kata"
                    row[column.name] = with_controls(expected[(table.name, column.name)])
            conn.execute(table.insert(), row)
    with database.reading() as conn:
        stored = {(table.name, column): value for table in tables
                  for column, value in conn.execute(sa.select(table)).mappings().one().items()}
    assert {key: stored[key] for key in expected} == expected
    assert {"monev_meetings", "follow_ups", "follow_up_closures", "evidence_reviews", "accounts", "offices",
            "ledger_settings", "ledgers", "entries", "audit_log", "uploads", "evidence"} <= {t.name for t in tables}
    assert len(expected) > 100  # the walk covered every text column (125 at revision 0008)
    database.dispose()


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.one_of(st.sampled_from(REMOVED + ["\r", "\n", "\t", " "]), st.characters()), max_size=30))
def test_any_text_parameter_reaches_the_server_as_the_rule_makes_it(text, database_url, tmp_path_factory):
    database = _database(database_url, tmp_path_factory)
    with database.reading() as conn:
        echoed = conn.execute(sa.text("SELECT CAST(:text AS TEXT)"), {"text": text}).scalar()
    assert echoed == stored_text(text) and not CONTROL.search(echoed)
    assert clean_text(text) == stored_text(text).strip()


_DATABASES = {}


def _database(database_url, tmp_path_factory) -> Database:
    """One database per backend for the drawn examples (reading only)."""
    if database_url not in _DATABASES:
        _DATABASES.clear()
        _DATABASES[database_url] = Database(tmp_path_factory.mktemp("echo"), database_url)
    return _DATABASES[database_url]


def test_every_writer_stores_nul_free_text_and_judges_required_text_after_the_rule(store_on_each_backend):
    store = store_on_each_backend
    nul = "\x00"
    meeting_id = record(store, chair=f"Ketua{nul} KPU", participants=f"A{nul}\nB", notes=f"Catatan{nul} rapat")
    found = monev.meeting(store, meeting_id)
    assert (found["chair"], found["participants"], found["notes"]) == ("Ketua KPU", "A\nB", "Catatan rapat")
    with pytest.raises(monev.MonevError, match="Pimpinan rapat wajib diisi"):
        record(store, chair=f"{nul}\x07")
    follow_up = monev.add_follow_up(store, action=f"Susun{nul} SOP", team=TEAM, due_on=date(2025, 8, 1),
                                    item_id=None, by=f"admin{nul}.zi", meeting_id=meeting_id)
    with pytest.raises(monev.MonevError, match="Catatan penutupan wajib diisi"):
        monev.close_follow_up(store, follow_up, nul, MEETING_ADMIN)
    monev.close_follow_up(store, follow_up, f"SOP{nul} terbit", MEETING_ADMIN)
    row = monev.follow_ups(store).iloc[0]
    assert (row["action"], row["added_by"], row["closure_note"]) == ("Susun SOP", "admin.zi", "SOP terbit")

    report(store, "I-1-1", 1, bukti_dukung=f"SK{nul}.pdf")
    evidence.attach_file(store, "I-1-1", 1, f"bukti{nul}.pdf", pdf_bytes(), f"ri{nul}na")
    with pytest.raises(Refusal, match="Tulis catatan apa yang perlu diperbaiki"):
        evidence.review(store, "I-1-1", 1, "perlu_perbaikan", f"{nul}\x1b", "tpi.satu")
    evidence.review(store, "I-1-1", 1, "perlu_perbaikan", f"Belum{nul} ditandatangani", f"tpi{nul}.satu")
    assert evidence.reviews(store).iloc[-1][["note", "reviewed_by"]].tolist() == ["Belum ditandatangani", "tpi.satu"]
    assert set(evidence.attachments(store)["file_name"]) == {"bukti.pdf"}

    accounts = Accounts(store)
    assert accounts.add(f"ri{nul}na", "editor", f"{TEAM}{nul}", PASSWORD, f"uji{nul}").name == "rina"
    assert accounts.user_named("rina").team == TEAM
    with store.transaction() as conn:
        put_setting(conn, store.ledger_id, f"uji{nul}", f"nilai{nul}", f"admin{nul}")
        add_offices(conn, pd.DataFrame([("6299", f"KPU{nul} Uji", "62")], columns=["code", "name", "parent"]),
                    f"2025{nul}")
    with store.reading() as conn:
        assert setting(conn, store.ledger_id, "uji") == "nilai"
        assert "KPU Uji" in set(office_frame(conn)["name"])
    assert "SOP terbit" in {event.get("catatan") for event in audit.audit_events(store)["details"]}
    _assert_no_control_in_any_text_column(store)


def _assert_no_control_in_any_text_column(store) -> None:
    """Every text column of every table of the store, read back: no control character but tab and line feed."""
    metadata = sa.MetaData()
    metadata.reflect(store.database.engine)
    found = []
    with store.reading() as conn:
        for table in metadata.sorted_tables:
            texts = [column for column in table.columns if not isinstance(column.type, sa.Integer)]
            for row in conn.execute(sa.select(*texts)) if texts else ():
                found += [(table.name, column.name, value) for column, value in zip(texts, row)
                          if isinstance(value, str) and CONTROL.search(value)]
    assert found == []


@pytest.fixture
def page_store(backend_for_every_process, tmp_path, monkeypatch):
    """The Rapat Monev page's data directory, on each backend."""
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    store = new_store()
    Accounts(store).add(ADMIN.name, ADMIN.role, "", PASSWORD, "uji")
    return store


def test_the_monev_page_stores_a_meeting_typed_with_nul_on_each_backend(page_store):
    """The attack: NUL in the page's notes made PostgreSQL raise DataError ("This app has encountered an error")."""
    app = record_meeting_on_page(open_as(ADMIN, MONEV_PAGE), chair="Ketua\x00 KPU", notes="Catatan\x00 rapat\x01")
    assert any("tersimpan" in message.value for message in app.success)
    [meeting] = monev.meetings(page_store).itertuples()
    assert (meeting.chair, meeting.notes) == ("Ketua KPU", "Catatan rapat")
    assert "Catatan: Catatan rapat" in record_lines(app)
