"""Reminders to the teams: the exact text for a fixture state, long lists cut to fit a WhatsApp message, a team
with nothing to do, the dashboard link (its encoding, and that it really opens the team's view), hostile text."""

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from helpers import open_app, plan_workbook
from zi_data.monev import monev, reminders
from zi_data.store.accounts import User
from zi_data.store.plan_years import preview_new_year, start_year
from zi_data.store.progress_store import ProgressStore
from zi_data.monev.reminders import ReminderError, dashboard_base_url, dashboard_link, whatsapp_text

ADMIN = User("admin.zi", "admin", "", "6203")
BASE_URL = "https://zi.example.go.id/monitor"
TODAY = date(2025, 2, 20)
TEAM = "Tim Manajemen Perubahan"  # II-2-1, II-2-2, II-2-3, planned every month
DONE_TEAM = "Tim Penguatan Tata Laksana"  # II-1-1, II-1-2, planned in Januari only
ENTRIES = [("II-2-1", 1, "Selesai", "presensi.pdf"), ("II-2-2", 1, "Selesai", "aplikasi.pdf"),
           ("II-2-3", 1, "Selesai", ""),  # Selesai without bukti dukung: still overdue
           ("II-2-1", 2, "Selesai", "presensi-februari.pdf"),
           ("II-1-1", 1, "Selesai", "sosialisasi.pdf"), ("II-1-2", 1, "Selesai", "evaluasi-sop.pdf")]

EXPECTED_TEAM = """\
*Pengingat Rencana Aksi ZI – Tim Manajemen Perubahan*
Yth. Tim Manajemen Perubahan, KPU Kabupaten Kapuas: posisi rencana aksi Zona Integritas tahun 2025 per 28 Februari 2025.

Jatuh tempo bulan ini (Februari):
• II-2-2 – Aplikasi terkait pelayanan publik dalam pelaksanaan tahapan Pemilu dan Pemilihan
• II-2-3 – Melakukan monev pemanfaatan IT

Terlambat (bukti fisik yang diperlukan):
• II-2-3 (Januari, 28 hari) – Laporan evaluasi monev aplikasi dan IT

Tindak lanjut terbuka:
• Lengkapi laporan monev aplikasi (II-2-3) – tenggat 10 Februari 2025, lewat 10 hari
• Unggah presensi Februari – tenggat 15 Maret 2025

Mohon segera ditindaklanjuti. Terima kasih.

Dasbor tim: https://zi.example.go.id/monitor/?tim=Tim+Manajemen+Perubahan"""

EXPECTED_DONE_TEAM = """\
*Pengingat Rencana Aksi ZI – Tim Penguatan Tata Laksana*
Yth. Tim Penguatan Tata Laksana, KPU Kabupaten Kapuas: posisi rencana aksi Zona Integritas tahun 2025 per 28 Februari 2025.

Tidak ada langkah aksi yang jatuh tempo bulan ini, tidak ada yang terlambat, dan tidak ada tindak lanjut terbuka. \
Terima kasih, pertahankan!

Dasbor tim: https://zi.example.go.id/monitor/?tim=Tim+Penguatan+Tata+Laksana"""


def report(store, rows) -> None:
    frame = pd.DataFrame(rows, columns=["item_id", "month", "status", "bukti_dukung"]).assign(reported_by="uji")
    with store.transaction() as conn:
        store.append_entries(conn, frame, None)


def follow_up(store, action: str, due_on: date, team: str = TEAM, item_id: str = "", meeting_id=None) -> int:
    return monev.add_follow_up(store, action=action, team=team, due_on=due_on, item_id=item_id, by="admin.zi",
                               meeting_id=meeting_id)


@pytest.fixture
def fixture_state(store_on_each_backend):
    store = store_on_each_backend
    report(store, ENTRIES)
    meeting_id = monev.record_meeting(store, held_on=date(2025, 2, 5), kind="triwulan", chair="Ketua KPU",
                                      participants="A\nB", participant_count=None, as_of_month=1, notes="",
                                      by="admin.zi")
    follow_up(store, "Lengkapi laporan monev aplikasi", date(2025, 2, 10), item_id="II-2-3", meeting_id=meeting_id)
    follow_up(store, "Unggah presensi Februari", date(2025, 3, 15))
    closed = follow_up(store, "Sudah selesai", date(2025, 2, 1))
    monev.close_follow_up(store, closed, "Beres.", ADMIN)
    follow_up(store, "Untuk tim lain", date(2025, 2, 1), team="Tim Pengawasan")
    return store


def test_the_reminder_of_a_fixture_state_is_exactly_the_expected_text(fixture_state):
    found = reminders.reminders(fixture_state, as_of_month=2, base_url=BASE_URL + "/", today=TODAY)
    assert list(found) == list(dict.fromkeys(fixture_state.plan()["penanggung_jawab"]))  # plan order
    assert found[TEAM] == EXPECTED_TEAM
    assert found[DONE_TEAM] == EXPECTED_DONE_TEAM


def test_teams_are_chosen_in_plan_order_and_an_unknown_team_is_an_indonesian_error_listing_them(store):
    found = reminders.reminders(store, teams=[TEAM, DONE_TEAM], base_url=BASE_URL, today=TODAY)
    assert list(found) == [DONE_TEAM, TEAM]
    with pytest.raises(ReminderError, match=r"Tim 'Tim Hantu' tidak ada dalam rencana aksi\. Tim yang ada: "
                                            r"Tim Agen Perubahan, Tim Penguatan Tata Laksana, .*Tim Pengawasan\."):
        reminders.reminders(store, teams=["Tim Hantu"], base_url=BASE_URL, today=TODAY)


def test_without_an_as_of_month_the_status_is_as_of_today(store):
    text = reminders.reminders(store, teams=[TEAM], base_url=BASE_URL, today=date(2025, 3, 10))[TEAM]
    assert "per 10 Maret 2025" in text and "Jatuh tempo bulan ini (Maret):" in text
    assert "• II-2-1 (Februari, 10 hari)" in text and "• II-2-1 (Januari, 38 hari)" in text


def test_long_lists_show_their_first_rows_and_count_the_rest(store):
    team = "Tim Pengawasan"  # 19 langkah aksi, every month
    text = reminders.reminders(store, as_of_month=12, teams=[team], base_url=BASE_URL, today=TODAY)[team]
    assert len(text) <= reminders.MAX_CHARS
    due, overdue = _section(text, "Jatuh tempo bulan ini (Desember):"), _section(text, "Terlambat")
    assert len(due) == 11 and due[-1] == "… dan 9 lainnya"  # 19 due in Desember, 10 shown
    assert len(overdue) == 11 and overdue[-1] == f"… dan {19 * 11 - 10} lainnya"  # Januari–November overdue
    assert overdue[0].startswith("• V-1-1 (Januari, 334 hari)")  # the most overdue first


def test_a_message_too_long_for_whatsapp_shows_fewer_rows_and_still_counts_them_all(store):
    team = "Tim Pengawasan"  # 19 due in Desember, 209 overdue: 10 of each fit alone
    for number in range(40):
        follow_up(store, f"Tindak lanjut {number} " + "uraian panjang " * 20, date(2025, 3, 1), team=team)
    text = reminders.reminders(store, as_of_month=12, teams=[team], base_url=BASE_URL, today=TODAY)[team]
    assert len(text) <= reminders.MAX_CHARS
    rows = _section(text, "Tindak lanjut terbuka:")
    shown = [row for row in rows if row.startswith("• ")]
    assert 1 <= len(shown) < 10 and rows[-1] == f"… dan {40 - len(shown)} lainnya"
    assert all(len(row) <= len("• ") + reminders.TEXT_CHARS + len(" – tenggat 1 Maret 2025") for row in shown)
    assert _section(text, "Terlambat")[-1] == f"… dan {19 * 11 - len(shown)} lainnya"
    assert text.endswith(f"Dasbor tim: {BASE_URL}/?tim=Tim+Pengawasan")


def test_hostile_text_makes_no_whatsapp_formatting_and_stays_on_its_line(store):
    action = "=1+1 *tebal* _miring_ ~coret~ ```kode``` `x`\n> kutipan\n- daftar\r\n* butir\x07 <b>html</b> [a](b)"
    follow_up(store, action, date(2025, 3, 1))
    text = reminders.reminders(store, as_of_month=1, teams=[TEAM], base_url=BASE_URL, today=TODAY)[TEAM]
    assert re.findall(r"[*_~`]", text) == ["*", "*"]  # the title's own bold marks only
    assert text.startswith("*Pengingat Rencana Aksi ZI – Tim Manajemen Perubahan*\n")
    line = next(row for row in text.split("\n") if "tebal" in row)
    assert line == ("• =1+1 ∗tebal∗ ˍmiringˍ ∼coret∼ ˋˋˋkodeˋˋˋ ˋxˋ > kutipan - daftar ∗ butir <b>html</b> [a](b) "
                    "– tenggat 1 Maret 2025")
    assert not any(row.startswith((">", "-", "*")) for row in text.split("\n")[1:])


def test_whatsapp_text_cuts_long_text_with_an_ellipsis():
    assert whatsapp_text("  a\tb \n c  ") == "a b c"
    assert whatsapp_text("x" * 200, 10) == "x" * 9 + "…"
    assert whatsapp_text("x" * 10, 10) == "x" * 10


@pytest.mark.parametrize("team", ["Tim A&B", "Tim #1 + 2 = 3", "Tim 100%/ünïcödé?", "Tim\u00a0Baru"])
def test_the_link_encodes_the_team_so_that_it_comes_back_exactly(team):
    link = dashboard_link(BASE_URL, team)
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path, parts.fragment) == ("https", "zi.example.go.id", "/monitor/", "")
    assert parse_qs(parts.query) == {"tim": [team]}


def test_the_link_opens_the_dashboard_filtered_to_the_team(store, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(store.data_dir))
    text = reminders.reminders(store, as_of_month=2, teams=[TEAM], base_url=BASE_URL, today=TODAY)[TEAM]
    query = parse_qs(urlsplit(text.rsplit("Dasbor tim: ", 1)[1]).query)
    assert query == {"tim": [TEAM]}
    app = open_app(**{key: values[0] for key, values in query.items()})
    assert not app.exception
    assert app.multiselect(key="tim").value == [TEAM]
    assert TEAM in app.caption[0].value


def test_another_office_and_a_year_not_shown_by_default_get_kantor_and_tahun(store):
    province = "62"
    preview = preview_new_year(store, plan_workbook(2025, "KPU Provinsi Kalimantan Tengah"), "rencana_62.xlsx",
                               office=province)
    provincial = start_year(store, preview, "admin.zi")
    text = reminders.reminders(provincial, as_of_month=2, teams=[TEAM], base_url=BASE_URL, today=TODAY)[TEAM]
    assert text.endswith("?kantor=KPU+Provinsi+Kalimantan+Tengah+%2862%29&tim=Tim+Manajemen+Perubahan")
    assert "Yth. Tim Manajemen Perubahan, KPU Provinsi Kalimantan Tengah:" in text
    next_year = start_year(store, preview_new_year(store, plan_workbook(2026), "rencana_2026.xlsx"), "admin.zi")
    in_2026 = date(2026, 2, 20)
    old = reminders.reminders(ProgressStore(store.data_dir, year=2025), teams=[TEAM], base_url=BASE_URL,
                              today=in_2026)[TEAM]
    assert old.endswith("?tahun=2025&tim=Tim+Manajemen+Perubahan")
    new = reminders.reminders(next_year, teams=[TEAM], base_url=BASE_URL, today=in_2026)[TEAM]
    assert new.endswith(f"{BASE_URL}/?tim=Tim+Manajemen+Perubahan")


@pytest.mark.parametrize("url", ["ftp://zi.example.go.id", "javascript:alert(1)", "http://", "zi.example.go.id",
                                 "http://zi example.go.id", "https://zi.example.go.id/?tim=x",
                                 "https://zi.example.go.id/#atas", ""])
def test_a_dashboard_address_that_is_no_http_address_is_refused_in_indonesian(url):
    with pytest.raises(ReminderError, match="Alamat dasbor"):
        dashboard_base_url(url)


def test_the_dashboard_address_comes_from_the_argument_then_the_environment_then_the_default(monkeypatch):
    monkeypatch.delenv(reminders.DASHBOARD_URL_ENV, raising=False)
    assert dashboard_base_url() == "http://localhost:8501"
    monkeypatch.setenv(reminders.DASHBOARD_URL_ENV, "https://zi.kpu.example/")
    assert dashboard_base_url() == "https://zi.kpu.example"
    assert dashboard_base_url("http://10.0.0.5:8501/zi/") == "http://10.0.0.5:8501/zi"


def test_all_reminders_in_one_text_are_separated_by_a_line_naming_each_team(fixture_state):
    found = reminders.reminders(fixture_state, as_of_month=2, base_url=BASE_URL, today=TODAY)
    text = reminders.reminders_text(found)
    headers = [line for line in text.split("\n") if line.startswith(reminders.SEPARATOR)]
    assert headers == [f"{reminders.SEPARATOR} {team} ({number}/7) {reminders.SEPARATOR}"
                       for number, team in enumerate(found, start=1)]
    assert all(message in text for message in found.values()) and text.endswith("\n")


def _section(text: str, title_start: str) -> list[str]:
    """The lines of the section whose title starts with `title_start`, up to the next blank line."""
    lines = text.split("\n")
    start = next(number for number, line in enumerate(lines) if line.startswith(title_start)) + 1
    end = lines.index("", start)
    return lines[start:end]


def test_a_page_s_own_address_comes_after_the_environment_and_before_the_default(monkeypatch):
    monkeypatch.delenv(reminders.DASHBOARD_URL_ENV, raising=False)
    assert dashboard_base_url(opened="https://zi.kpu.example:8443/rapat_monev?tim=x") == "https://zi.kpu.example:8443"
    assert dashboard_base_url(opened="about:blank") == dashboard_base_url(opened=None) == "http://localhost:8501"
    monkeypatch.setenv(reminders.DASHBOARD_URL_ENV, " https://zi.example.go.id/ ")
    assert dashboard_base_url(opened="https://zi.kpu.example:8443/") == "https://zi.example.go.id"
    monkeypatch.setenv(reminders.DASHBOARD_URL_ENV, "javascript:alert(1)")  # configured, so never the page's own
    with pytest.raises(ReminderError, match="Alamat dasbor"):
        dashboard_base_url(opened="https://zi.kpu.example:8443/")
