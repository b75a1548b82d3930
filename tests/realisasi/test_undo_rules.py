"""An editor's undo touches only their own team's rows (issue #8, item 7), via the API and the command line."""

import pandas as pd
import pytest

from helpers import run_cli
from realisasi_helpers import OTHER, OTHER_ROWS, OWN, OWN_ROWS, PASSWORD, fill, snapshot
from zi_data.store.accounts import Accounts
from zi_data.base.problems import InputError
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_import import apply_preview, preview_upload
from zi_data.realisasi.undo_rules import undo_upload
from zi_data.realisasi.undo_rules import UNKNOWN_TEAM, upload_teams



@pytest.fixture
def store(store_on_each_backend):
    """These tests run on both backends."""
    return store_on_each_backend


def add_accounts(store) -> None:
    accounts = Accounts(store)
    accounts.add("koordinator", "admin", "", PASSWORD, "uji")
    accounts.add("rina", "editor", OWN, PASSWORD, "uji")


def upload(store, rows: dict, by: str, allowed_team: str | None = None) -> int:
    data = fill(export_workbook(store, None, 1), rows)
    preview = preview_upload(store, data, "isi.xlsx", allowed_team=allowed_team)
    return apply_preview(store, preview, by=by).upload_id


def append(store, by: str, item_ids, counts=None) -> int:
    """An upload written straight to the store, for items the workbook would refuse."""
    with store.transaction() as conn:
        upload_id = store.record_upload(conn, "x.xlsx", "0" * 64, "", by, "realisasi", counts or {}, 0)
        store.append_entries(conn, pd.DataFrame({"item_id": list(item_ids), "month": 1, "status": "Selesai"}),
                             upload_id)
    return upload_id


def cli_undo(capsys, monkeypatch, store, upload_id: int, user: str) -> tuple[int, str]:
    result = run_cli("undo", upload_id, "--user", user, "--password-stdin", "--data-dir", store.data_dir,
                     stdin=PASSWORD + "\n")
    return result.returncode, result.stdout + result.stderr


def test_an_open_mode_upload_under_an_editors_name_is_not_theirs_to_undo(store, capsys, monkeypatch):
    """The issue's case: all teams' rows uploaded as 'rina' before accounts existed, then editor rina."""
    everyone = upload(store, {**OWN_ROWS, **OTHER_ROWS}, by="rina")
    add_accounts(store)
    assert upload_teams(store, everyone) == {OWN, OTHER}
    before = snapshot(store)
    with pytest.raises(InputError) as refused:
        undo_upload(store, everyone, "rina", editor_team=OWN)
    message = str(refused.value)
    assert OTHER in message and "koordinator ZI" in message
    code, output = cli_undo(capsys, monkeypatch, store, everyone, "rina")
    assert code == 1 and OTHER in output and "Traceback" not in output
    assert snapshot(store) == before
    code, output = cli_undo(capsys, monkeypatch, store, everyone, "koordinator")  # an admin's undo is unchanged
    assert code == 0, output
    assert store.latest().empty


def test_an_editor_may_undo_their_own_teams_upload(store, capsys, monkeypatch):
    add_accounts(store)
    own = upload(store, {**OWN_ROWS, **OTHER_ROWS}, by="rina", allowed_team=OWN)  # other team's row rejected
    assert upload_teams(store, own) == {OWN}
    code, output = cli_undo(capsys, monkeypatch, store, own, "rina")
    assert code == 0, output
    assert store.latest().empty and store.uploads().iloc[-1]["uploaded_by"] == "rina"


def test_an_editor_may_still_undo_only_uploads_made_under_their_name(store):
    add_accounts(store)
    admins = upload(store, OWN_ROWS, by="koordinator")
    with pytest.raises(InputError, match="unggahannya sendiri"):
        undo_upload(store, admins, "rina", editor_team=OWN)


def test_an_item_in_no_plan_belongs_to_no_editor(store):
    unknown = append(store, "rina", ["V-1-1", "Z-9-9"])
    assert upload_teams(store, unknown) == {OWN, UNKNOWN_TEAM}
    with pytest.raises(InputError, match="tidak dikenal"):
        undo_upload(store, unknown, "rina", editor_team=OWN)
    assert undo_upload(store, unknown, "koordinator") > unknown


def test_the_team_at_the_time_of_the_upload_counts_too(store):
    """I-1-1 was another team's item when rina's upload touched it; a later plan gives it to her team."""
    earlier = append(store, "rina", ["I-1-1"])
    revised = store.plan()
    revised.loc[revised["id"] == "I-1-1", "penanggung_jawab"] = OWN
    store.add_plan_version(revised, "revisi.xlsx", "1" * 64, "koordinator")
    assert upload_teams(store, earlier) == {OWN, OTHER}
    with pytest.raises(InputError, match=OTHER):
        undo_upload(store, earlier, "rina", editor_team=OWN)
    later = append(store, "rina", ["V-1-1"])  # made under the new plan only
    assert upload_teams(store, later) == {OWN}
    assert undo_upload(store, later, "rina", editor_team=OWN) > later


def test_an_upload_that_revised_the_plan_is_for_an_admin_to_undo(store):
    revising = append(store, "rina", ["V-1-1"], counts={"new": 1, "plan_changes": 2})
    with pytest.raises(InputError, match="merevisi rencana"):
        undo_upload(store, revising, "rina", editor_team=OWN)


def test_unknown_and_undo_uploads_keep_the_stores_messages(store):
    assert upload_teams(store, 99) == set()
    with pytest.raises(InputError, match="tidak ditemukan"):
        undo_upload(store, 99, "rina", editor_team=OWN)
