"""Dates and moments in the office's own zone (zi_data/base/clock.py): the zones, the formats, the office list's
override, the labels an office in WITA and one in WIT see, and a walk of every page and export that finds no
ISO date and no UTC clock time shown to a person."""

import io
import json
import re
from datetime import date, datetime, timezone

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app_pages.frame.registry import PAGES
from evidence_helpers import package
from evidence_samples import pdf_bytes
from helpers import ROOT, copy_seeded_sqlite, new_store, open_app, plan_workbook, run_cli, sign_in_as
from lembar_helpers import record_meeting, record_progress
from store_helpers import database_at
from zi_data.base import clock
from zi_data.evidence import evidence
from zi_data.monev import monev
from zi_data.reporting import reports
from zi_data.plan import status
from zi_data.store.accounts import User
from zi_data.reporting.reports import audit_workbook_bytes
from zi_data.store.audit import audit_events
from zi_data.store.database import Database
from zi_data.monev.lembar_pdf import lembar_pdf_bytes
from zi_data.monev.lembar_xlsx import lembar_xlsx_bytes
from zi_data.store.offices import OFFICE_COLUMNS, OfficeCsvError, add_offices, office_frame, read_offices_csv
from zi_data.store.plan_years import preview_new_year, start_year
from zi_data.store.progress_store import ProgressStore
from zi_data.realisasi.realisasi_export import export_workbook

AT = "2026-01-01T00:00:00+00:00"
LATE_UTC = "2026-12-07T16:30:00+00:00"  # 23:30 WIB, after midnight in WITA and WIT
OTHER_OFFICES = [("64", "KPU Provinsi Kalimantan Timur", "00", ""), ("6471", "KPU Kota Balikpapan", "64", ""),
                 ("94", "KPU Provinsi Papua", "00", ""), ("9471", "KPU Kota Jayapura", "94", "")]
CHOICES = {"Verifikasi Bukti": {"verifikasi_daftar": ["perlu_perbaikan", "diterima", "menunggu"]}}  # page: radios
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
UTC_MARKS = re.compile(r"UTC|GMT|\+00:?00|\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?Z\b")
CLOCK_TIME = re.compile(r"\b\d{2}[:.]\d{2}\b(?![.,]?\d)")


# --- the zones and the formats ------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "zone"), [
    ("00", "WIB"), ("6203", "WIB"), ("62", "WIB"), ("1171", "WIB"), ("3171", "WIB"), ("6171", "WIB"),
    ("5171", "WITA"), ("5371", "WITA"), ("6371", "WITA"), ("6471", "WITA"), ("6571", "WITA"), ("7371", "WITA"),
    ("8171", "WIT"), ("8271", "WIT"), ("9171", "WIT"), ("9471", "WIT"), ("9701", "WIT"), ("99", "WIB"), ("", "WIB"),
])
def test_an_office_s_zone_is_its_province_s(code, zone):
    assert clock.province_zone(code) == zone


def test_the_bundled_office_list_is_all_in_western_indonesia_time():
    offices = read_offices_csv((ROOT / "data" / "kantor_kpu_kalimantan_tengah.csv").read_bytes(), "k.csv")
    assert {clock.province_zone(code) for code in offices["code"]} == {"WIB"}  # KPU RI and Kalimantan Tengah


@pytest.mark.parametrize(("zone", "text", "table"), [
    ("WIB", "7 Desember 2026 23:30 WIB", "07/12/2026 23:30 WIB"),
    ("WITA", "8 Desember 2026 00:30 WITA", "08/12/2026 00:30 WITA"),
    ("WIT", "8 Desember 2026 01:30 WIT", "08/12/2026 01:30 WIT"),
])
def test_a_stored_utc_moment_is_shown_in_the_zone_with_its_label_across_midnight(zone, text, table):
    assert clock.moment_text(LATE_UTC, zone) == text
    assert clock.table_moment(LATE_UTC, zone) == table
    assert clock.local_date(LATE_UTC, zone) == date(2026, 12, 7 if zone == "WIB" else 8)
    assert clock.excel_moment(LATE_UTC, zone) == datetime(2026, 12, 7 if zone == "WIB" else 8,
                                                           {"WIB": 23, "WITA": 0, "WIT": 1}[zone], 30)


def test_today_turns_over_at_the_office_s_midnight_not_the_server_s():
    late = datetime.fromisoformat(LATE_UTC)
    assert [clock.today(zone, late) for zone in ("WIB", "WITA", "WIT")] == [date(2026, 12, 7), date(2026, 12, 8),
                                                                           date(2026, 12, 8)]


def test_a_follow_up_is_overdue_from_the_office_s_next_day(tmp_path, monkeypatch):
    store = new_store(tmp_path)
    meeting_id = monev.record_meeting(store, held_on=date(2025, 12, 1), kind=next(iter(monev.KINDS)), chair="Ketua",
                                      participants="", participant_count=5, as_of_month=11, notes="", by="admin")
    monev.add_follow_up(store, action="Lengkapi SK", team=store.plan()["penanggung_jawab"].iloc[0],
                        due_on=date(2025, 12, 31), item_id=None, by="admin", meeting_id=meeting_id)
    late = datetime(2025, 12, 31, 16, 30, tzinfo=timezone.utc)  # 23:30 WIB, 01:30 WIT the next day
    for zone, overdue in (("WIB", False), ("WIT", True)):
        monkeypatch.setattr(monev, "store_today", lambda _store, zone=zone: clock.today(zone, late))
        assert bool(monev.follow_ups(store)["overdue"].iloc[0]) is overdue, zone


@pytest.mark.parametrize(("moment", "as_of", "month"), [
    ("2025-06-30T17:30:00+00:00", "2025-07-01", 7),  # 00:30 WIB on 1 July: the server's (UTC) date is 30 June
    ("2025-06-30T16:30:00+00:00", "2025-06-30", 6),  # 23:30 WIB: still June in the office
])
def test_the_command_line_s_date_is_the_office_s_not_the_server_s(store, monkeypatch, moment, as_of, month):
    monkeypatch.setattr(clock, "current_moment", lambda: datetime.fromisoformat(moment))
    status_json = json.loads(run_cli("status", "--json", data_dir=store.data_dir, check_returncode=0).stdout)
    assert (status_json["as_of"], status_json["as_of_month"]) == (as_of, month)
    assert json.loads(run_cli("lke", "--json", data_dir=store.data_dir, check_returncode=0).stdout)["as_of"] == as_of


def test_the_default_plan_year_turns_over_at_the_office_s_midnight(store, monkeypatch):
    start_year(store, preview_new_year(store, plan_workbook(2026), "rencana_2026.xlsx"), "admin")
    for moment, year in (("2025-12-31T16:30:00+00:00", 2025), ("2025-12-31T17:30:00+00:00", 2026)):  # 23:30, 00:30 WIB
        monkeypatch.setattr(clock, "current_moment", lambda at=moment: datetime.fromisoformat(at))
        assert ProgressStore(database=store.database).year == year, moment
        assert f"tahun {year} per" in run_cli("status", data_dir=store.data_dir, check_returncode=0).stdout


def test_every_stored_spelling_of_a_moment_reads_the_same_and_none_is_empty():
    moment = datetime(2026, 12, 7, 16, 30, tzinfo=timezone.utc)
    for value in (LATE_UTC, "2026-12-07T16:30:00Z", "2026-12-07T16:30:00", moment, pd.Timestamp(moment),
                  "2026-12-07T16:30:00.123456+00:00", datetime(2026, 12, 7, 16, 30)):
        assert clock.table_moment(value, "WIB") == "07/12/2026 23:30 WIB", value
    for none in (None, "", float("nan"), pd.NaT):
        assert clock.moment_text(none, "WIB") == clock.table_moment(none, "WIB") == "" and \
            clock.excel_moment(none, "WIB") is None
    assert clock.table_moments(pd.Series([LATE_UTC, ""], index=[5, 6]), "WIT").to_dict() == \
        {5: "08/12/2026 01:30 WIT", 6: ""}


def test_a_date_reads_as_text_or_in_a_table():
    for value in (date(2026, 12, 7), "2026-12-07", datetime(2026, 12, 7, 9)):
        assert clock.date_text(value) == "7 Desember 2026"
        assert clock.table_date(value) == "07/12/2026"
    assert clock.date_text(date(2025, 7, 15)) == "15 Juli 2025"
    assert clock.date_text("bukan tanggal") == clock.table_date(None) == clock.date_text(None) == ""
    shown = clock.people_dates(pd.DataFrame({"tanggal": ["2025-04-15", "", "kemarin"], "previous_tanggal": [""] * 3,
                                             "id": ["2025-04-15"] * 3}))
    assert shown["tanggal"].tolist() == ["15/04/2025", "", "kemarin"]
    assert shown["id"].tolist() == ["2025-04-15"] * 3  # only the date columns


# --- the override in the office list -------------------------------------------------------------------------

def zones_of(store) -> dict[str, str]:
    with store.reading() as conn:
        return clock.office_zones(conn)


def test_the_office_list_s_zona_waktu_column_overrides_the_province_and_can_be_cleared(store_on_each_backend):
    store = store_on_each_backend
    csv = "kode;nama;induk;Zona_Waktu\n6203;KPU Kabupaten Kapuas;62;wita\n6499;KPU Kota Contoh;00;\n"
    with store.transaction() as conn:
        assert add_offices(conn, read_offices_csv(csv.encode(), "kantor.csv", office_frame(conn)), AT) == \
            {"added": 1, "changed": 1, "unchanged": 0}
    assert {code: zones_of(store)[code] for code in ("00", "62", "6203", "6271", "6499")} == \
        {"00": "WIB", "62": "WIB", "6203": "WITA", "6271": "WIB", "6499": "WITA"}
    assert clock.store_zone(store) == "WITA"
    without_column = pd.DataFrame([("6203", "KPU Kabupaten Kapuas", "62")], columns=OFFICE_COLUMNS)
    with store.transaction() as conn:  # a list without the column keeps the override
        assert add_offices(conn, without_column, AT)["unchanged"] == 1
    assert clock.store_zone(store) == "WITA"
    with store.transaction() as conn:
        add_offices(conn, without_column.assign(zone=[""]), AT)
    assert clock.store_zone(store) == "WIB"


def test_an_unknown_zone_in_the_office_list_is_refused_where_it_is():
    with pytest.raises(OfficeCsvError) as refused:
        read_offices_csv(b"kode,nama,induk,zona_waktu\n00,KPU RI,,WIB\n62,Prov,00,UTC+8\n", "kantor.csv")
    assert refused.value.problems == ["Berkas 'kantor.csv', baris 3, kolom D: zona waktu 'UTC+8' tidak dikenal: "
                                      "tulis WIB, WITA atau WIT (kosong: menurut provinsi)."]


def test_office_add_sets_or_keeps_the_zone_and_office_list_shows_it(tmp_path):
    added = run_cli("office", "add", "6203", "KPU Kabupaten Kapuas", "--induk", "62", "--zona-waktu", "WIT",
                    data_dir=tmp_path, check_returncode=0)
    assert added.stdout == "Kantor 6203 (KPU Kabupaten Kapuas) diperbarui.\n"
    run_cli("office", "add", "6203", "KPU Kabupaten Kapuas", "--induk", "62", data_dir=tmp_path, check_returncode=0)
    listed = run_cli("office", "list", data_dir=tmp_path, check_returncode=0).stdout
    assert listed.splitlines()[-1].endswith("kabupaten/kota  WIT")
    refused = run_cli("office", "add", "6203", "KPU Kabupaten Kapuas", "--zona-waktu", "WITB", data_dir=tmp_path)
    assert refused.returncode == 1 and "--zona-waktu: zona waktu 'WITB' tidak dikenal" in refused.stderr


# --- the data every page and export is walked with -------------------------------------------------------------

def started(store, code: str, name: str) -> ProgressStore:
    preview = preview_new_year(store, plan_workbook(2025, office_name=name), f"rencana_{code}.xlsx", code)
    assert preview.ok, preview.errors
    return start_year(store, preview, "admin")


def uploaded(store, rows: list[dict], by: str = "rina") -> None:
    with store.transaction() as conn:
        upload_id = store.record_upload(conn, "realisasi.xlsx", "0" * 64, "", by, "realisasi", {"new": len(rows)},
                                        store.revision())
        store.append_entries(conn, pd.DataFrame(rows), upload_id)


@pytest.fixture(scope="module")
def walked(seeded_sqlite_file, tmp_path_factory):
    """Kapuas (6203) told to be WITA by the office list, with progress, an upload, attachments, reviews, a monev
    meeting and its follow-ups; Balikpapan (6471, WITA) and Jayapura (9471, WIT) each with a plan year and an upload."""
    with pytest.MonkeyPatch.context() as patch:
        directory = copy_seeded_sqlite(seeded_sqlite_file, tmp_path_factory.mktemp("jam") / "data")
        patch.delenv("ZI_DATABASE_URL", raising=False)
        patch.setenv("ZI_DATA_DIR", str(directory))
        store = ProgressStore(directory)
        rows = [("6203", "KPU Kabupaten Kapuas", "62", "WITA"), *OTHER_OFFICES]
        with store.transaction() as conn:
            add_offices(conn, pd.DataFrame(rows, columns=[*OFFICE_COLUMNS, "zone"]), AT)
        record_progress(store)
        uploaded(store, [{"item_id": "I-1-1", "month": 1, "status": "Selesai", "bukti_dukung": "SK tim.pdf",
                          "tanggal": "2025-01-20", "catatan": "selesai 20 Januari"}])
        for item_id, decision, note in (("I-1-1", "diterima", ""), ("V-1-1", "perlu_perbaikan", "Belum diteken")):
            evidence.attach_file(store, item_id, 1, f"{item_id}.pdf", pdf_bytes(item_id), "rina")
            evidence.review(store, item_id, 1, decision, note, "tpi.satu")
        evidence.attach_file(store, "V-1-2", 1, "menunggu.pdf", pdf_bytes("menunggu"), "rina")
        meeting_id = record_meeting(store)
        others = {}
        for code, name in (("6471", "KPU Kota Balikpapan"), ("9471", "KPU Kota Jayapura")):
            others[code] = started(store, code, name)
            uploaded(others[code], [{"item_id": "I-1-1", "month": 1, "status": "Selesai", "bukti_dukung": "SK.pdf"}])
        yield store, meeting_id, others


def opened_as(user: User, page: str):
    app = open_app()
    sign_in_as(app, user)
    app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def shown_text(app) -> str:
    """Everything the page shows a person as text: headings, text, notices, metrics, tables, choices."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning", "success", "error",
                 "code"):
        parts += [str(element.value) for element in getattr(app, kind)]
    for element in app.metric:
        parts += [element.label, str(element.value), str(element.proto.help)]
    for element in app.dataframe:
        parts.append(element.value.to_csv(index=False))
    for element in (*app.selectbox, *app.radio, *app.multiselect):
        parts += [element.label, *(str(option) for option in element.options)]
    parts += [element.label for element in app.expander]
    return "\n".join(parts)


def people_problems(text: str, zone: str) -> list[str]:
    """ISO dates, UTC marks, and clock times not labelled with the office's `zone`, found in `text`."""
    problems = [f"ISO date {found!r}" for found in ISO_DATE.findall(text)]
    problems += [f"UTC mark {found!r}" for found in UTC_MARKS.findall(text)]
    for found in CLOCK_TIME.finditer(text):
        if not text[found.end():].startswith(f" {zone}") or text[found.end():].startswith(f" {zone}A"):
            problems.append(f"time without {zone}: {text[max(found.start() - 30, 0):found.end() + 10]!r}")
    return problems


def xlsx_problems(data: bytes, zone: str) -> list[str]:
    """people_problems of every visible sheet's text cells, and date cells not formatted dd/mm/yyyy (hh:mm).
    The hidden 'Info Unduhan' sheet is for the upload to read back (machine values, like JSON)."""
    problems = []
    for sheet in openpyxl.load_workbook(io.BytesIO(data)).worksheets:
        if sheet.sheet_state != "visible":
            continue
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, (date, datetime)):
                    if not cell.number_format.lower().startswith("dd/mm/yyyy"):
                        problems.append(f"{sheet.title}!{cell.coordinate}: date cell as {cell.number_format}")
                elif isinstance(cell.value, str):
                    problems += [f"{sheet.title}!{cell.coordinate}: {problem}"
                                 for problem in people_problems(cell.value, zone)]
    return problems


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- the offices' own labels ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "zone"), [("6471", "WITA"), ("9471", "WIT")])
def test_an_office_in_wita_or_wit_sees_its_own_zone_on_riwayat(walked, code, zone):
    other = walked[2][code]
    app = opened_as(User(f"admin.{code}", "admin", "", code), "app_pages/riwayat.py")
    uploads = app.dataframe[0].value
    assert uploads["Waktu"].tolist() == [clock.table_moment(other.uploads()["created_at"].iloc[0], zone)]
    assert uploads["Waktu"].iloc[0].endswith(f" {zone}")
    started_at = opened_as(User(f"admin.{code}", "admin", "", code), "app_pages/tahun_rencana.py").dataframe[0].value
    assert started_at["Dimulai"].str.endswith(f" {zone}").all()
    assert not people_problems(shown_text(app), zone)


# --- the walk ------------------------------------------------------------------------------------------------

def test_no_page_shows_an_iso_date_or_a_utc_time(walked):
    """Every page, as the national admin (who sees the three offices, so Rekap Instansi too), on Kapuas (WITA by
    the office list): nothing shown is an ISO date, a UTC time, or a time without WITA."""
    national = open_app()
    sign_in_as(national, User("admin.ri", "admin", "", "00"))  # lands on the roll-up: Rekap Instansi
    app = open_app()
    sign_in_as(app, User("admin.kapuas", "admin", "", "6203"))  # the pages of one office
    problems, seen = {}, ""
    kapuas = app
    for page in PAGES:
        app = national if page.title == "Rekap Instansi" else kapuas
        app.switch_page(page.file).run()
        assert not app.exception, (page.title, [e.value for e in app.exception])
        assert app is national or app.title[0].value == page.title
        text = shown_text(app)
        for key, values in CHOICES.get(page.title, {}).items():  # the other lists of the page, each in turn
            for value in values:
                app.radio(key=key).set_value(value).run()
                text += shown_text(app)
        seen += text
        problems[page.title] = people_problems(text, "WITA")
    assert not any(problems.values()), {name: found for name, found in problems.items() if found}
    assert " WITA" in seen and "WIB" not in seen


def test_the_monev_meeting_and_verification_show_moments_in_the_office_s_zone(walked):
    store, meeting_id, _others = walked
    meeting = monev.meeting(store, meeting_id)
    rapat = opened_as(User("koordinator", "admin", "", "6203"), "app_pages/rapat_monev.py")
    assert f"Dicatat oleh admin, {clock.moment_text(meeting['recorded_at'], 'WITA')}" in shown_text(rapat)
    assert "Tanggal: 3 Juli 2025" in shown_text(rapat)
    verifikasi = opened_as(User("tpi.satu", "penilai", "", "6203"), "app_pages/verifikasi_bukti.py")
    verifikasi.radio(key="verifikasi_daftar").set_value("diterima").run()
    reviewed_at = evidence.reviews(store).set_index("item_id").at["I-1-1", "reviewed_at"]
    assert f"pada {clock.moment_text(reviewed_at, 'WITA')}:" in shown_text(verifikasi)


def test_no_export_shows_an_iso_date_or_a_utc_time(walked):
    store, meeting_id, _others = walked
    zone = clock.store_zone(store)
    assert zone == "WITA"
    meeting_report = monev.report_data(store, meeting_id=meeting_id)
    current_report = monev.report_data(store, as_of_month=6)
    overdue = status.overdue_list(status.classify(store.plan(), store.latest(), status.as_of_date(2025, month=7)))
    workbooks = {
        "lembar meeting": lembar_xlsx_bytes(meeting_report), "lembar now": lembar_xlsx_bytes(current_report),
        "audit": audit_workbook_bytes(audit_events(store), zone), "realisasi": export_workbook(store),
        "bukti tertunggak": reports.overdue_workbook_bytes(overdue, "Bukti tertunggak"),
        "indeks bukti": package(store).read("indeks_bukti.xlsx"),
    }
    problems = {name: xlsx_problems(data, zone) for name, data in workbooks.items()}
    for name, report in (("pdf meeting", meeting_report), ("pdf now", current_report)):
        problems[name] = people_problems(pdf_text(lembar_pdf_bytes(report)), zone)
    assert not any(problems.values()), {name: found for name, found in problems.items() if found}
    audit = openpyxl.load_workbook(io.BytesIO(workbooks["audit"]))["Jejak Audit"]
    assert audit["B1"].value == "Waktu (WITA)" and isinstance(audit["B2"].value, datetime)
    first = audit_events(store)["at"].iloc[-1]
    assert audit["B2"].value == clock.excel_moment(first, "WITA")
    index = openpyxl.load_workbook(io.BytesIO(workbooks["indeks bukti"]))["Indeks Bukti"]
    assert index.cell(1, index.max_column).value == "Ditambahkan pada (WITA)"
    assert isinstance(index.cell(2, index.max_column).value, datetime)


def test_no_command_line_text_shows_an_iso_date_or_a_utc_time_and_json_stays_iso(walked):
    store = walked[0]
    directory = store.database.data_dir
    outputs = {" ".join(args): run_cli(*args, data_dir=directory, check_returncode=0).stdout for args in (
        ("status", "--as-of", "2025-07"), ("monev", "list"), ("remind", "--as-of", "2025-07"), ("office", "list"),
        ("plan", "list"), ("lke", "--as-of", "2025-07"), ("evidence", "rule"), ("user", "list"))}
    problems = {command: people_problems(text, "WITA") for command, text in outputs.items()}
    assert not any(problems.values()), {name: found for name, found in problems.items() if found}
    assert "3 Juli 2025" in outputs["monev list"]
    as_json = run_cli("status", "--as-of", "2025-07", "--json", data_dir=directory, check_returncode=0).stdout
    assert '"as_of": "2025-07-31"' in as_json


def test_a_revision_0004_database_gains_the_zone_column_keeping_its_offices(tmp_path, database_url):
    data_dir, _url = database_at("0004", tmp_path, database_url)
    database = Database(data_dir, database_url)
    with database.reading() as conn:
        assert dict(conn.execute(sa.text("SELECT code, zona_waktu FROM offices")).all())["6203"] is None
        assert clock.office_zone(conn, "6203") == "WIB"
    database.dispose()
