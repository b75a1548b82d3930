"""Every page through Streamlit's AppTest, with a fresh data directory each time."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.frame.chrome import PROJECTOR_CSS
from app_pages.frame.registry import ONE_OFFICE_PAGES, PROJECTOR_PAGES
from zi_data.reporting import charts
from helpers import metric, new_store, open_app, post_sign_in_form, report, sign_in_as, signed_in_user, upload


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.mark.parametrize("page", ONE_OFFICE_PAGES, ids=lambda page: page.url_path or "ringkasan")
def test_every_page_renders_without_exception(page):
    app = open_app(page.file)
    assert not app.exception, [e.value for e in app.exception]
    assert app.title[0].value == page.title
    assert "KPU Kabupaten Kapuas" in app.caption[0].value


@pytest.mark.parametrize("page", [page for page in ONE_OFFICE_PAGES if page.on_projector], ids=lambda page: page.url_path or "ringkasan")
def test_every_projector_page_renders_without_exception_or_editing_controls(page):
    app = open_app(page.file, proyektor="true")
    assert not app.exception, [e.value for e in app.exception]
    assert [html.value.strip() for html in app.get("html")].count(PROJECTOR_CSS.strip()) == 1, "in projector mode"
    assert app.title[0].value == page.title
    assert "KPU Kabupaten Kapuas" in app.caption[0].value
    editing = [button.label for button in app.button if button.key != "semua_kolom"]  # all columns: projector off
    assert not editing and not app.text_input, "projector mode shows no sign-in or editing control"


def test_the_projector_lists_only_the_monev_pages():
    assert {page.title for page in PROJECTOR_PAGES} == {"Ringkasan", "Matriks 12 Bulan", "Capaian",
                                                       "Bukti Tertunggak", "Rapat Monev", "Kesiapan LKE",
                                                       "Rekap Instansi"}


def test_every_section_heading_is_an_h2_under_the_pages_h1():
    app = open_app("app_pages/capaian.py")
    assert [heading.value for heading in app.header] == ["Capaian per area", "Capaian per tim",
                                                         "Capaian per komponen", "Tren bulanan"]
    assert not app.subheader


def test_first_start_shows_the_bundled_plan_and_a_guide_to_the_first_upload():
    app = open_app()
    assert metric(app, "Capaian s.d.") == "0,0 %"
    assert metric(app, "Terlambat") == "610"  # every planned item-month of Jan–Nov 2025, none reported
    assert any("Belum ada progres" in info.value for info in app.info)


def charts_shown(app: AppTest) -> dict[str, dict]:
    """The page's Plotly figures by title."""
    figures = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    return {figure["layout"].get("title", {}).get("text", ""): figure for figure in figures}


def chart_note(app: AppTest, title: str) -> str | None:
    """The note shown instead of (or above) the chart titled `title`, if any."""
    return next((info.value for info in app.info if info.value.startswith(f"**{title}**: ")), None)


def test_before_anything_is_done_the_trend_is_a_note_and_kurva_s_its_plan_line_alone():
    """No chart of zeros (#23): Capaian's monthly trend says what fills it; Kurva S keeps its plan line under a
    note, with no realisation flat on 0 % and no deviation; once an item-month is done, both are drawn in full."""
    app = open_app("app_pages/capaian.py")
    assert chart_note(app, "Capaian per bulan").endswith(charts.NO_PROGRESS_TEXT)
    assert "Capaian per bulan" not in charts_shown(app)
    app.switch_page("app_pages/ringkasan.py").run()
    kurva = charts_shown(app)[charts.KURVA_S_TITLE]
    assert [trace["name"] for trace in kurva["data"]] == ["Rencana"] and not kurva["layout"].get("annotations")
    assert "garis realisasinya muncul" in chart_note(app, "Kurva S")
    store = new_store()
    first = store.plan().iloc[0]
    report(store, first["id"], min(first["months"]))
    app.run()
    kurva = charts_shown(app)[charts.KURVA_S_TITLE]
    assert [trace["name"] for trace in kurva["data"]] == ["Rencana", "Realisasi"]
    assert kurva["layout"]["annotations"][0]["text"].startswith("Deviasi ")
    assert chart_note(app, "Kurva S") is None
    app.switch_page("app_pages/capaian.py").run()
    assert "Capaian per bulan" in charts_shown(app) and chart_note(app, "Capaian per bulan") is None


FIGURE_RULES = [  # (value, what its label must say): a card reads right without its tooltip
    (r"\d+,\d %", r"^Capaian .*\(selesai\)$"),
    (r"\d+( dari \d+)?", r"\((bulan-kegiatan|langkah aksi|baris|berkas)\)$"),
    (r"\d+,\d\d dari \d+", r"^Pengungkit \(perkiraan, poin\)"),
    (r"(Belum t|T)erpenuhi", r"^WB(K|BM): ≥ \d+ dan tiap area ≥ \d+ % bobotnya$"),
]


def figure_cards(app) -> dict[str, str]:
    assert not app.exception, [e.value for e in app.exception]
    cards = {card.label: card.value for card in app.metric}
    for label, value in cards.items():
        rule = next((rule for pattern, rule in FIGURE_RULES if re.fullmatch(pattern, value)), None)
        assert rule and re.search(rule, label), f"the card {label!r}: {value!r} does not say what it counts"
    return cards


def test_every_figure_card_says_what_it_counts():
    from datetime import date

    from zi_data.monev import monev

    app = open_app(bulan="Juni")
    cards = figure_cards(app)
    assert list(cards)[:2] == ["Capaian s.d. Juni (selesai)", "Capaian tahunan (selesai)"]
    due = cards["Belum selesai, jatuh tempo Juni (bulan-kegiatan)"]  # not "Jatuh tempo Juni: 17 dari 19"
    assert re.fullmatch(r"(\d+) dari \1", due)  # nothing reported: every item-month due in June is open
    assert int(cards["Terlambat (bulan-kegiatan)"]) > 0
    monev.record_meeting(new_store(), held_on=date(2025, 7, 10), kind="semester", chair="Ketua", participants="",
                         participant_count=3, as_of_month=6, notes="", by="uji")
    app.switch_page("app_pages/rapat_monev.py").run()
    assert list(figure_cards(app)) == ["Capaian s.d. Juni (selesai)", "Capaian tahunan (selesai)",
                                       "Selesai s.d. Juni (bulan-kegiatan)", "Terlambat (bulan-kegiatan)"]
    app.switch_page("app_pages/kesiapan_lke.py").run()
    assert figure_cards(app)["Pengungkit (perkiraan, poin)"] == "0,00 dari 60"
    upload(app, "isi.xlsx", filled_workbook("Tim Pengawasan", 3, rows=2))
    assert "Baru (bulan-kegiatan)" in figure_cards(app)


def test_team_filter_changes_the_numbers_shown():
    app = open_app()
    everyone = metric(app, "Terlambat")
    app.multiselect(key="tim").set_value(["Tim Penguatan Tata Laksana"]).run()
    assert metric(app, "Terlambat") != everyone
    assert metric(app, "Terlambat") == "2"  # II-1-1 and II-1-2 are planned for Januari only
    assert "Tim Penguatan Tata Laksana" in app.caption[0].value


def test_query_parameters_select_team_area_and_month():
    app = open_app(tim="Tim Pengawasan", area="V", bulan="Juni")
    assert app.multiselect(key="tim").value == ["Tim Pengawasan"]
    assert app.multiselect(key="area").value == ["V"]
    assert app.selectbox(key="bulan").value == "Juni"
    assert "Juni 2025" in app.caption[0].value
    assert metric(app, "Terlambat") == str(19 * 5)  # 19 langkah aksi, Januari–Mei overdue


def test_projector_mode_hides_the_editing_pages():
    app = open_app(proyektor="true")
    assert app.toggle(key="proyektor").value is True
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not registered in projector mode
        app.switch_page("app_pages/perbarui_progres.py").run()


def filled_workbook(team: str, through_month: int, rows: int) -> bytes:
    import io

    import openpyxl

    from zi_data.realisasi.realisasi_export import export_workbook

    exported = export_workbook(new_store(), team, through_month)
    workbook = openpyxl.load_workbook(io.BytesIO(exported))
    sheet = workbook["Realisasi"]
    header = [cell.value for cell in sheet[1]]
    status_col, bukti_col = header.index("Status"), header.index("Bukti Dukung (tautan/nama dokumen)")
    for row in sheet.iter_rows(min_row=2, max_row=rows + 1):
        row[status_col].value = "Selesai"
        row[bukti_col].value = "https://drive.example/bukti.pdf"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_uploaders_english_button_is_explained_in_indonesian_beside_it():
    app = open_app("app_pages/perbarui_progres.py")
    captions = [caption.value for caption in app.caption]
    assert any("Klik tombol **Pilih berkas**" in text and "paling besar 20 MB" in text for text in captions)
    assert app.get("file_uploader")[0].label == "Buku kerja realisasi (.xlsx)"


def test_upload_then_confirm_changes_the_overview():
    app = open_app()
    assert metric(app, "Terlambat") == "610"
    upload(app, "isi.xlsx", filled_workbook("Tim Pengawasan", 3, rows=19))
    assert metric(app, "Baru") == "19"
    next(b for b in app.button if b.label == "Simpan perubahan").click().run()
    assert not app.exception
    assert "19 baru" in app.success[0].value
    app.switch_page("app_pages/ringkasan.py").run()
    assert metric(app, "Terlambat") == str(610 - 19)
    assert metric(app, "Capaian s.d.") == "2,8 %"  # 19 of 671 planned item-months


def test_bad_upload_shows_indonesian_errors_and_changes_nothing(data_dir):
    app = open_app()
    upload(app, "bukan.xlsx", b"ini bukan buku kerja")
    assert not app.exception
    assert "tidak dapat diterima" in app.error[0].value
    assert not any(b.label == "Simpan perubahan" for b in app.button)
    app.switch_page("app_pages/riwayat.py").run()
    assert "Belum ada unggahan" in app.info[0].value


def make_account(name: str, role: str, team: str = "", password: str = "sandi-uji-halaman-2025"):
    from zi_data.store.accounts import Accounts

    return Accounts(new_store()).add(name, role, team, password, by="baris perintah")


def session_values(app: AppTest) -> list:
    """Every value the session holds, the values of widgets with or without a key included."""
    state = app.session_state._state._state  # AppTest -> SafeSessionState -> SessionState
    values = list(state._old_state.values())
    for key in state._keys():
        try:
            values.append(state[key])
        except KeyError:
            pass
    return values


@pytest.mark.parametrize("password", ["sandi-uji-halaman-2025", "bukan-kata-sandinya"], ids=["right", "wrong"])
def test_the_password_is_not_kept_in_the_session_after_a_sign_in_attempt(password):
    make_account("ketua.pengawasan", "editor", "Tim Pengawasan")
    app = open_app("app_pages/riwayat.py")
    app.text_input(key="masuk_nama").input("ketua.pengawasan")
    app.text_input(key="masuk_sandi").input(password)
    next(b for b in app.button if b.label == "Masuk").click().run()
    assert not app.exception, [e.value for e in app.exception]
    if password == "sandi-uji-halaman-2025":
        post_sign_in_form(app, "Lanjutkan")
    assert (signed_in_user(app) is not None) == (password == "sandi-uji-halaman-2025")
    assert not [value for value in session_values(app) if password in repr(value)]


@pytest.mark.parametrize("page", ["app_pages/ringkasan.py", "app_pages/capaian.py", "app_pages/bukti_tertunggak.py"])
def test_projector_tables_are_text_not_markdown(page):
    """st.table reads its cells as markdown; the projector's tables are built from escaped text instead."""
    app = open_app(page)
    app.toggle(key="proyektor").set_value(True).run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.dataframe, "not in projector mode"
    assert not app.table, "st.table renders user text as markdown"


def upload_directly(team: str | None, rows: int, by: str, through_month: int = 3) -> int:
    """Confirm an upload through zi_data, as `by` (the first `rows` rows of the team's workbook, all done)."""
    from zi_data.realisasi.realisasi_import import apply_preview, preview_upload

    store = new_store()
    data = filled_workbook(team, through_month, rows)
    preview = preview_upload(store, data, "isi.xlsx")
    return apply_preview(store, preview, by=by).upload_id


def test_viewers_see_roles_not_account_names_on_riwayat():
    editor = make_account("ketua.pengawasan", "editor", "Tim Pengawasan")
    make_account("koordinator.zi", "admin")
    upload_directly("Tim Pengawasan", 3, by=editor.name)
    app = open_app("app_pages/riwayat.py")
    assert not app.exception, [e.value for e in app.exception]
    uploads, audit = (frame.value for frame in app.dataframe)
    assert list(uploads["Oleh"]) == ["Editor · Tim Pengawasan"]
    assert set(audit["Oleh"]) == {"Sistem", "Editor · Tim Pengawasan"}  # accounts are added on the command line
    shown = uploads.to_csv() + audit.to_csv()
    assert "ketua.pengawasan" not in shown and "koordinator.zi" not in shown

    sign_in_as(app, editor)
    uploads, audit = (frame.value for frame in app.dataframe[:2])
    assert list(uploads["Oleh"]) == ["ketua.pengawasan"]
    assert "koordinator.zi" in audit.to_csv()


def undo_button(app: AppTest):
    return [b for b in app.button if b.label == "Batalkan unggahan ini"]


def test_an_editor_may_undo_only_their_own_upload_that_touched_their_own_team_alone():
    from zi_data.store.accounts import User

    editor = make_account("ketua.pengawasan", "editor", "Tim Pengawasan")
    assert upload_directly(None, 60, by=editor.name)  # the start of the whole office's workbook: several teams
    app = sign_in_as(open_app("app_pages/riwayat.py"), editor)
    assert not app.exception, [e.value for e in app.exception]
    assert not undo_button(app)
    assert any("tim lain" in text.value and "Minta admin" in text.value for text in app.text)
    app = sign_in_as(open_app("app_pages/riwayat.py"), User("koordinator.zi", "admin", office="6203"))
    assert undo_button(app)

    assert upload_directly("Tim Pengawasan", 19, by="wakil.pengawasan")  # the team's own rows, by a colleague
    app = sign_in_as(open_app("app_pages/riwayat.py"), editor)
    assert not undo_button(app)
    assert any("unggahannya sendiri" in text.value for text in app.text)

    assert upload_directly("Tim Pengawasan", 40, by=editor.name, through_month=12)  # the team's own, by the editor
    app = sign_in_as(open_app("app_pages/riwayat.py"), editor)
    assert undo_button(app)
    assert not any("Minta admin" in text.value for text in app.text)
    undo_button(app)[0].click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("dibatalkan" in message.value for message in app.success)


def test_in_open_mode_anyone_may_undo():
    upload_directly(None, 60, by="Rina")
    app = open_app("app_pages/riwayat.py")
    app.text_input(key="pelapor").set_value("Budi").run()
    assert undo_button(app)


def done_as_of(app, team: str) -> int:
    """Capaian per tim: the item-months `team` has done as of the as-of month ('… · 19 dari 36')."""
    by_team = app.dataframe[1].value.set_index("Kelompok")
    return int(re.search(r" · (\d+) dari \d+$", by_team.at[team, by_team.columns[0]]).group(1))


def test_cached_charts_and_tables_follow_every_write_and_every_filter():
    app = open_app("app_pages/capaian.py")
    assert done_as_of(app, "Tim Pengawasan") == 0
    upload_directly("Tim Pengawasan", 19, by="Rina")
    app.run()
    assert done_as_of(app, "Tim Pengawasan") == 19
    team_chart = app.get("plotly_chart")[1].proto.spec
    assert "Tim Pengawasan" in team_chart
    app.multiselect(key="tim").set_value(["Tim Pengawasan"]).run()
    assert list(app.dataframe[1].value["Kelompok"]) == ["Tim Pengawasan"]
    team_chart = app.get("plotly_chart")[1].proto.spec
    assert "Tim Pengawasan" in team_chart and "Tim Penguatan Tata Laksana" not in team_chart
    app.multiselect(key="tim").set_value(["Tim Penguatan Tata Laksana"]).run()
    assert list(app.dataframe[1].value["Kelompok"]) == ["Tim Penguatan Tata Laksana"]
    # Nothing of that team is done: instead of bars of 0 %, the note (and no chart of the team at all)
    assert all("Tim Penguatan Tata Laksana" not in chart.proto.spec for chart in app.get("plotly_chart"))
    assert any(charts.NOTHING_DONE_TEXT in info.value for info in app.info)
