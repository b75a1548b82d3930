"""Kesiapan LKE through AppTest: the estimate's label, the what-if, and the admin's mapping editor."""

import pytest

from app_pages.frame.chrome import ALL_COLUMNS_KEY
from helpers import metric, open_as, report
from page_helpers import ADMIN, LKE_EDITOR_KEY
from realisasi_helpers import PASSWORD
from zi_data.lke import lke
from zi_data.store.accounts import Accounts, User
from zi_data.store.audit import audit_events
from zi_data.lke.lke_mapping import AUDIT_ACTION, mapping_in_force
from zi_data.store.progress_store import ProgressStore

PAGE = "app_pages/kesiapan_lke.py"
EDITOR = User("rina", "editor", "Tim Pengawasan", "6203")


@pytest.fixture
def store(seeded_data_dir, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(seeded_data_dir))
    store = ProgressStore(seeded_data_dir)
    Accounts(store).add(ADMIN.name, ADMIN.role, ADMIN.team, PASSWORD, "uji")
    for month in (1, 4):  # IV-1-1 is planned monthly
        report(store, "IV-1-1", month)
    return store


def opened(user: User | None = None, **query):
    return open_as(user, PAGE, **query)


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "proyektor"])
def test_the_page_says_it_is_an_estimate_and_shows_the_office_figure(store, projector):
    app = opened()
    app.selectbox(key="bulan").set_value("Juni").run()
    app.multiselect(key="tim").set_value(["Tim Pengawasan"]).run()
    app.toggle(key="proyektor").set_value(projector).run()
    captions = [caption.value for caption in app.caption]
    assert captions[1] == lke.NOTE
    assert "filter penanggung jawab dan area di panel samping tidak berlaku" in captions[2]
    assert metric(app, "Pengungkit (perkiraan, poin)") == "0,43 dari 60"  # 2 of area IV's 47 item-months × 10
    assert metric(app, "WBK: ≥ 40 dan tiap area ≥ 60 % bobotnya") == "Belum terpenuhi"
    assert not app.data_editor
    assert bool(app.dataframe) != projector  # projector mode draws escaped HTML tables instead


def agenda_lines(app) -> list[str]:
    return [block.value for block in app.markdown if block.value.startswith("Dahulu")]


def test_the_what_if_month_changes_the_agenda(store):
    app = opened()
    app.selectbox(key="bulan").set_value("Juni").run()
    assert app.selectbox(key="lke_jika_bulan_6").value == "Juni"
    # Per area a few item-months and the count of the rest, not one list of 339 rows
    assert any(header.value == "Agenda monev berikutnya · 6 area" for header in app.subheader)
    lines = agenda_lines(app)
    assert len(lines) == 6 and all(line.count(",") <= 2 and "lainnya" in line for line in lines)
    assert not any("Tambahan poin" in frame.value.columns for frame in app.dataframe)  # behind a click
    app.selectbox(key="lke_jika_bulan_6").set_value("Januari").run()
    lines = agenda_lines(app)
    assert lines and all("Januari" in line and "Februari" not in line for line in lines)
    assert not any("IV\\-1\\-1 Januari" in line for line in lines)  # done
    app.session_state["lke_agenda_1_IV"] = True  # a click opens area IV's full list
    app.run()
    agenda = next(frame.value for frame in app.dataframe if "Tambahan poin" in frame.value.columns)
    # Area IV's own item-months (its heading names the area: the table leaves the column out until every column
    # is asked for)
    assert set(agenda["Bulan"]) == {"Januari"} and "IV-1-1" not in set(agenda["ID"])
    assert agenda["ID"].str.startswith("IV-").all() and "Area" not in agenda.columns
    app.toggle(key=ALL_COLUMNS_KEY).set_value(True).run()
    agenda = next(frame.value for frame in app.dataframe if "Tambahan poin" in frame.value.columns)
    assert set(agenda["Area"]) == {"IV"}


def test_a_viewer_and_an_editor_see_the_table_but_no_editor(store):
    for user in (None, EDITOR):
        app = opened(user)
        assert not app.data_editor
        assert any("Hanya admin kantor ini" in caption.value for caption in app.caption)


def test_the_admin_edits_the_mapping_and_it_is_audited(store):
    app = opened(ADMIN)
    assert len(app.data_editor) == 1
    app.session_state[LKE_EDITOR_KEY] = {"edited_rows": {0: {"weight": 9}, 1: {"weight": 6}}, "added_rows": [],
                                     "deleted_rows": []}
    app.run()
    next(button for button in app.button if button.label == "Simpan pemetaan").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("tersimpan" in message.value for message in app.success)
    in_force = mapping_in_force(store)
    assert not in_force.bundled and list(in_force.table["weight"])[:2] == [9, 6]
    assert metric(app, "Pengungkit (perkiraan, poin)") == "0,43 dari 60"
    events = audit_events(store)
    assert list(events.loc[events["action"] == AUDIT_ACTION, "actor"]) == [ADMIN.name]
    next(button for button in app.button if button.label == "Kembalikan ke bawaan").click().run()
    assert mapping_in_force(store).bundled
    assert any("bawaan" in message.value for message in app.success)


def test_an_invalid_edit_is_refused_with_its_row_and_column(store):
    app = opened(ADMIN)
    app.session_state[LKE_EDITOR_KEY] = {"edited_rows": {2: {"area": "VII"}}, "added_rows": [], "deleted_rows": []}
    app.run()
    next(button for button in app.button if button.label == "Simpan pemetaan").click().run()
    shown = [error.value.replace("\\", "") for error in app.error]  # markdown escapes removed: the text as read
    assert any("Baris 3, kolom area: Area 'VII' tidak dikenal" in text for text in shown), shown
    assert mapping_in_force(store).bundled
