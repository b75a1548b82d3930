"""Rapat Monev and the follow-ups on Ringkasan and Bukti Tertunggak, through AppTest."""

from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from helpers import metric, new_store, open_as, report
from page_helpers import ADMIN, HELD_ON, MONEV_PAGE, record_lines, record_meeting_on_page, widget
from realisasi_helpers import OTHER, OWN, PASSWORD
from zi_data.evidence import evidence
from zi_data.monev import letterhead, monev, reminders
from zi_data.plan import status
from zi_data.store.accounts import Accounts, User
from zi_data.store.counting_rule import counting_rule
from zi_data.base.safe_text import markdown_text

OWN_EDITOR = User("rina", "editor", OWN, "6203")  # Tim Pengawasan
OTHER_EDITOR = User("budi", "editor", OTHER, "6203")  # Tim Agen Perubahan: I-3-1, the monev langkah aksi, is theirs
VIEWER = User("pemantau", "viewer", "", "6203")
HOSTILE = "**tebal** <img src=x onerror=alert(1)> [tautan](https://evil.example) :red[merah]"
FORM_BUTTONS = ("Simpan rapat", "Simpan tindak lanjut", "Tutup tindak lanjut", "Simpan kop surat")


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A data directory with an admin and three item-months reported Selesai in January."""
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZI_DASHBOARD_URL", "https://zi.example.go.id")
    store = new_store()
    Accounts(store).add(ADMIN.name, ADMIN.role, "", PASSWORD, "uji")
    for item_id in ("V-1-1", "V-1-2", "I-1-1"):
        report(store, item_id, 1)
    return store


def opened(user: User | None, page: str = MONEV_PAGE, **query) -> AppTest:
    return open_as(user, page, **query)


def buttons(app: AppTest) -> list[str]:
    return [button.label for button in app.button]


def recorded(store, **changes) -> int:
    fields = dict(held_on=HELD_ON, kind="triwulan", chair="Ketua", participants="Ani\nBudi", participant_count=None,
                  as_of_month=3, notes="", by=ADMIN.name)
    return monev.record_meeting(store, **{**fields, **changes})


def expected_rate(store, month: int) -> float:
    latest = store.latest()
    summary = status.status_summary(store.plan(), latest, status.as_of_date(store.year, month=month), 0,
                                    evidence.evidence_states(store, latest), counting_rule(store))
    return summary["overall"]["as_of"]["rate"]


def test_an_admin_records_a_meeting_whose_numbers_stay_frozen(store):
    march_rate = expected_rate(store, 3)
    app = record_meeting_on_page(opened(ADMIN))
    assert any("Rapat 14/03/2025 tersimpan" in message.value for message in app.success)
    [meeting] = monev.meetings(store).itertuples()
    assert app.selectbox(key="rapat_dipilih").value == meeting.meeting_id
    listed = app.dataframe[0].value
    assert list(listed["Tanggal"]) == ["14/03/2025"] and list(listed["Jenis"]) == ["Monev triwulan"]
    assert "Pimpinan rapat: Ketua KPU Kabupaten Kapuas" in record_lines(app)
    assert "Peserta: 3 orang: Ani, Budi, Citra" in record_lines(app)
    shown = metric(app, "Capaian s.d. Maret")
    assert shown == f"{march_rate * 100:.1f} %".replace(".", ",")
    assert len(app.get("plotly_chart")) == 3  # per area, per team, Kurva S

    for item_id in ("I-1-2", "I-2-1", "II-1-1"):  # a later upload changes the live numbers ...
        report(store, item_id, 1)
    assert expected_rate(store, 3) != march_rate
    app.run()
    assert metric(app, "Capaian s.d. Maret") == shown  # ... not the meeting's
    live = opened(ADMIN, "app_pages/ringkasan.py", bulan="Maret")
    assert metric(live, "Capaian s.d. Maret") != shown


def test_a_refused_meeting_shows_why_and_records_nothing(store):
    app = record_meeting_on_page(opened(ADMIN), chair="  ")
    assert app.error, "the MonevError is shown"
    assert monev.meetings(store).empty


def test_follow_ups_are_added_by_the_admin_and_closed_by_the_teams_editor_only(store):
    meeting_id = recorded(store)
    app = opened(ADMIN)
    widget(app, "text_area", "Tindak lanjut (apa yang harus dilakukan)").input("Lengkapi SK unit gratifikasi")
    widget(app, "selectbox", "Tim penanggung jawab").set_value(OWN)
    widget(app, "date_input", "Tenggat").set_value(date(2025, 4, 30))
    widget(app, "selectbox", "Langkah aksi (opsional)").set_value("V-1-2")
    next(button for button in app.button if button.label == "Simpan tindak lanjut").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("Tindak lanjut disimpan" in message.value for message in app.success)
    [added] = monev.follow_ups(store, meeting_id=meeting_id).itertuples()
    assert (added.action, added.team, added.due_on, added.item_id) == (
        "Lengkapi SK unit gratifikasi", OWN, date(2025, 4, 30), "V-1-2")
    decided = app.dataframe[-1].value
    assert list(decided["Tindak lanjut"]) == ["Lengkapi SK unit gratifikasi"]
    assert list(decided["Tenggat"]) == ["30/04/2025"] and list(decided["ID langkah aksi"]) == ["V-1-2"]

    assert "Tutup tindak lanjut" not in buttons(opened(OTHER_EDITOR))
    editor = opened(OWN_EDITOR)
    assert "Simpan rapat" not in buttons(editor) and "Simpan tindak lanjut" not in buttons(editor)
    next(button for button in editor.button if button.label == "Tutup tindak lanjut").click().run()
    assert editor.error and not monev.follow_ups(store)["closed"].any()  # a note is required
    widget(editor, "text_area", "Catatan penutupan (apa yang sudah dilakukan)").input("SK sudah ditandatangani")
    next(button for button in editor.button if button.label == "Tutup tindak lanjut").click().run()
    assert any(f"Tindak lanjut #{added.follow_up_id} ditutup" in message.value for message in editor.success)
    closed = monev.follow_ups(store).iloc[0]
    assert closed["closed"] and closed["closure_note"] == "SK sudah ditandatangani"
    assert list(editor.dataframe[-1].value["Keadaan"]) == ["Selesai"]
    assert "Tutup tindak lanjut" not in buttons(editor)  # nothing open is left


def test_the_next_meeting_shows_the_last_meetings_follow_ups_first(store):
    first = recorded(store, held_on=date(2025, 3, 14))
    monev.add_follow_up(store, action="Tindak lanjut rapat Maret", team=OWN, due_on=date(2025, 4, 30), item_id=None,
                        by=ADMIN.name, meeting_id=first)
    second = recorded(store, held_on=date(2025, 6, 20), as_of_month=6)
    monev.add_follow_up(store, action="Tindak lanjut rapat Juni", team=OWN, due_on=date(2025, 7, 31), item_id=None,
                        by=ADMIN.name, meeting_id=second)
    app = opened(VIEWER)
    assert app.selectbox(key="rapat_dipilih").value == second  # the newest
    subheaders = [heading.value for heading in app.subheader]
    assert subheaders.index("Dari rapat sebelumnya (14/03/2025)") < subheaders.index("Diputuskan di rapat ini")
    actions = [list(frame.value["Tindak lanjut"]) for frame in app.dataframe if "Tindak lanjut" in frame.value]
    assert actions == [["Tindak lanjut rapat Maret"], ["Tindak lanjut rapat Juni"]]


@pytest.mark.parametrize("user", [None, VIEWER], ids=["visitor", "viewer"])
def test_viewers_see_the_record_and_no_form(store, user):
    meeting_id = recorded(store)
    monev.add_follow_up(store, action="Perbaiki bukti", team=OWN, due_on=date(2025, 4, 30), item_id=None,
                        by=ADMIN.name, meeting_id=meeting_id)
    app = opened(user)
    assert metric(app, "Capaian s.d. Maret")
    assert not set(FORM_BUTTONS) & set(buttons(app))
    assert not [button for button in buttons(app) if button.startswith("Lampirkan")]
    assert not app.main.text_input and not app.main.text_area
    assert [button.label for button in app.get("download_button")][:2] == [
        "Unduh lembar monev (PDF)", "Unduh lembar monev (XLSX)"]


def test_the_lembar_is_attached_as_bukti_dukung_of_the_monev_langkah_aksi(store):
    recorded(store)
    assert not [button for button in buttons(opened(OWN_EDITOR)) if button.startswith("Lampirkan")]
    app = opened(OTHER_EDITOR)  # the team of I-3-1
    next(button for button in app.button
         if button.label == f"Lampirkan sebagai bukti dukung {markdown_text('I-3-1')} (Maret)").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert any(f"dilampirkan sebagai bukti dukung {markdown_text('I-3-1')} bulan Maret" in message.value
               for message in app.success)
    assert app.get("page_link")
    [attached] = evidence.attachments(store).itertuples()
    assert (attached.item_id, attached.month, attached.file_name, attached.kind, attached.added_by) == (
        "I-3-1", 3, "lembar_monev_2025-03-14.pdf", "pdf", OTHER_EDITOR.name)
    app.switch_page("app_pages/matriks.py").run()  # the link opens the item-month there
    assert (app.selectbox(key="rincian_id").value, app.selectbox(key="rincian_bulan").value) == ("I-3-1", 3)


def test_a_meeting_held_after_the_plan_year_says_why_its_lembar_is_not_attached(store):
    recorded(store, held_on=date(2026, 1, 15), as_of_month=12)
    app = opened(ADMIN)
    assert not [button for button in buttons(app) if button.startswith("Lampirkan")]
    assert any("di luar tahun rencana 2025" in caption.value for caption in app.caption)


def test_reminders_follow_the_team_filter_with_one_download(store):
    app = opened(ADMIN, tim=OWN, bulan="Maret")
    expected = reminders.reminders(store, as_of_month=3, teams=[OWN], base_url="https://zi.example.go.id")
    assert [code.value for code in app.code] == [expected[OWN]]
    assert "https://zi.example.go.id" in expected[OWN]
    assert "Unduh semua pengingat (.txt)" in [button.label for button in app.get("download_button")]


def test_ringkasan_lists_open_follow_ups_under_the_team_filter_at_once(store):
    app = opened(None, "app_pages/ringkasan.py", tim=OWN)
    assert any(caption.value.startswith("Tidak ada tindak lanjut") for caption in app.caption)
    monev.add_follow_up(store, action="Unggah SK unit gratifikasi", team=OWN, due_on=date(2025, 2, 28),
                        item_id="V-1-2", by=ADMIN.name)
    app.run()  # no cache stands between a new follow-up and the page
    table = next(frame.value for frame in app.dataframe if "Tindak lanjut" in frame.value)
    assert list(table["Tindak lanjut"]) == ["Unggah SK unit gratifikasi"]
    assert list(table["Tim"]) == [OWN] and list(table["ID langkah aksi"]) == ["V-1-2"]
    assert list(table["Tenggat"]) == ["28/02/2025"] and table["Lewat tenggat"].iloc[0].startswith("⚠")
    app.multiselect(key="tim").set_value([OTHER]).run()
    assert not [frame for frame in app.dataframe if "Tindak lanjut" in frame.value]
    assert any(caption.value.startswith("Tidak ada tindak lanjut") for caption in app.caption)


def test_bukti_tertunggak_lists_overdue_follow_ups_oldest_first(store):
    for action, due_on in (("Belum lewat", date.today() + timedelta(days=30)), ("Lewat lama", date(2025, 2, 28)),
                           ("Lewat baru", date(2025, 5, 31))):
        monev.add_follow_up(store, action=action, team=OWN, due_on=due_on, item_id=None, by=ADMIN.name)
    app = opened(None, "app_pages/bukti_tertunggak.py")
    assert any("[2 tindak lanjut lewat tenggat](#tindak-lanjut-lewat-tenggat)" in line.value
               for line in app.markdown)  # at the top, pointing down to the list
    assert "Tindak lanjut lewat tenggat · 2" in [header.value for header in app.header]
    table = next(frame.value for frame in app.dataframe if "Tindak lanjut" in frame.value)
    assert list(table["Tindak lanjut"]) == ["Lewat lama", "Lewat baru"]
    app.multiselect(key="tim").set_value([OTHER]).run()
    assert not [header for header in app.header if header.value.startswith("Tindak lanjut")]
    assert not [line for line in app.markdown if "tindak lanjut lewat tenggat" in line.value]


def test_projector_mode_shows_the_meeting_without_controls(store):
    meeting_id = recorded(store)
    monev.add_follow_up(store, action="Perbaiki bukti", team=OWN, due_on=date(2025, 4, 30), item_id=None,
                        by=ADMIN.name, meeting_id=meeting_id)
    app = opened(ADMIN, proyektor="true")
    assert metric(app, "Capaian s.d. Maret")
    assert len(app.get("plotly_chart")) == 3
    assert not app.button and not app.text_input and not app.text_area and not app.code
    assert not app.get("download_button")
    assert any("Perbaiki bukti" in element.value for element in app.get("html"))


def test_typed_text_stays_text(store):
    meeting_id = recorded(store, chair=HOSTILE, participants=f"{HOSTILE}\nBudi", notes=HOSTILE)
    follow_up_id = monev.add_follow_up(store, action=HOSTILE, team=OWN, due_on=date(2025, 4, 30), item_id=None,
                                       by=ADMIN.name, meeting_id=meeting_id)
    monev.close_follow_up(store, follow_up_id, HOSTILE, ADMIN)
    app = opened(ADMIN)
    assert f"Pimpinan rapat: {HOSTILE}" in record_lines(app) and f"Catatan: {HOSTILE}" in record_lines(app)
    assert f"Peserta: 2 orang: {HOSTILE}, Budi" in record_lines(app)
    decided = app.dataframe[-1].value
    assert list(decided["Tindak lanjut"]) == [HOSTILE] and list(decided["Catatan penutupan"]) == [HOSTILE]
    markdown = [element.value for element in (*app.markdown, *app.caption, *app.header, *app.subheader,
                                              *app.success, *app.info)]
    assert not any(HOSTILE in value for value in markdown)
    assert not any("<img" in element.value for element in app.get("html"))


def test_a_configured_dashboard_address_that_is_no_http_address_is_said_and_no_link_made(store, monkeypatch):
    monkeypatch.setenv("ZI_DASHBOARD_URL", "javascript:alert(1)")  # checked as reminders.dashboard_base_url checks
    app = opened(ADMIN, tim=OWN, bulan="Maret")
    assert any("Alamat dasbor harus alamat http" in error.value.replace("\\", "") for error in app.error)
    assert not app.code and "Pengingat per tim" in [header.value for header in app.header]


def test_an_admin_keeps_the_lembar_letterhead_and_signers_and_a_bad_nip_is_refused(store):
    app = opened(ADMIN)
    widget(app, "text_input", "Nama Ketua KPU").input("Budi Santoso, S.H.")
    widget(app, "text_input", "NIP Ketua KPU").input("1975")
    next(button for button in app.button if button.label == "Simpan kop surat").click().run()
    assert any("NIP Ketua KPU harus 18 angka" in error.value for error in app.error)
    assert letterhead.letterhead(store)["ketua_nama"] == ""  # nothing saved
    widget(app, "text_input", "NIP Ketua KPU").input("197503102005011002")
    widget(app, "text_input", "Alamat kantor (di bawah nama kantor pada kop surat)").input(HOSTILE)
    next(button for button in app.button if button.label == "Simpan kop surat").click().run()
    assert any("tersimpan" in message.value for message in app.success)
    kept = letterhead.letterhead(store)
    assert (kept["ketua_nama"], kept["ketua_nip"], kept["alamat"]) == ("Budi Santoso, S.H.", "197503102005011002",
                                                                      HOSTILE)
    assert widget(app, "text_input", "NIP Ketua KPU").value == "197503102005011002"
    assert not any(HOSTILE in element.value for element in (*app.markdown, *app.caption, *app.success))


def test_the_meetings_nomor_is_recorded_and_shown(store):
    app = opened(ADMIN)
    widget(app, "text_input", "Nomor (nomor surat lembar monev, boleh kosong)").input("005/PL.01/6203/2025")
    record_meeting_on_page(app)
    assert monev.meetings(store)["nomor"].tolist() == ["005/PL.01/6203/2025"]
    assert "Nomor: 005/PL.01/6203/2025" in record_lines(app)
