"""Issue #8 item 10: a langkah aksi renamed in a plan revision keeps its progress, and undo restores the plan."""

import pandas as pd
import pytest

from helpers import new_store, run_cli
from realisasi_helpers import AS_OF, PAIR, fill, item_states, record_i41, renamed_plan, revision_upload
from zi_data.evidence import evidence
from zi_data.reporting.orphans import orphaned_progress
from zi_data.plan import status
from zi_data.store.audit import audit_events
from zi_data.plan.plan_changes import MATCH_SAME_PLACE, MATCH_SAME_TEXT, plan_changes, rename_candidates
from zi_data.plan.plan_queries import plan_fingerprint
from zi_data.base.problems import InputError
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_import import apply_preview, preview_upload
from zi_data.realisasi.undo_rules import undo_upload


@pytest.fixture
def store(store_on_each_backend):
    """These tests run on both backends."""
    return store_on_each_backend


def preview(store, data, **kwargs):
    return preview_upload(store, data, "revisi.xlsx", apply_plan=True, **kwargs)


# --- detecting renames -----------------------------------------------------------------------------

def test_same_texts_under_a_new_id_are_proposed_as_one_rename(store):
    plan = store.plan()
    changes = plan_changes(plan, renamed_plan(plan))
    assert list(changes["change"]) == ["ID diganti"]
    row = changes.iloc[0]
    assert (row["old_id"], row["id"], row["match"], row["fields"]) == ("I-4-1", "I-4-9", MATCH_SAME_TEXT, "")


def test_an_edited_text_at_the_same_place_is_a_weaker_proposal_and_unrelated_rows_are_not_paired(store):
    plan = store.plan()
    text = plan.set_index("id").at["I-4-1", "langkah_aksi"]
    edited = renamed_plan(plan, langkah_aksi=text.replace("setiap hari", "tiap hari kerja"))
    assert [(r.old_id, r.new_id, r.match) for r in rename_candidates(plan, edited)] == [
        ("I-4-1", "I-4-9", MATCH_SAME_PLACE)]
    replaced = renamed_plan(plan, langkah_aksi="Lomba budaya kerja")
    assert rename_candidates(plan, replaced) == []
    assert sorted(plan_changes(plan, replaced)["change"]) == ["dihapus", "ditambah"]


def test_each_id_is_paired_at_most_once(store):
    plan = store.plan()
    twice = pd.concat([renamed_plan(plan), renamed_plan(plan).query("id == 'I-4-9'").assign(id="I-4-8", row=99)],
                      ignore_index=True)
    pairs = rename_candidates(plan, twice)
    assert [(r.old_id, r.new_id) for r in pairs] == [PAIR]


# --- confirming a rename ---------------------------------------------------------------------------

def test_the_issue_scenario_renamed_step_keeps_its_progress_when_confirmed(store):
    record_i41(store)
    assert list(item_states(store, "I-4-1").values()).count("selesai") == 9
    data = revision_upload(store)
    proposed = preview(store, data)
    assert proposed.ok, proposed.errors
    assert [(r.change, r.old_id, r.id) for r in proposed.plan_changes.itertuples()] == [("ID diganti", *PAIR)]
    assert any("I-4-1 tampaknya diganti menjadi I-4-9" in p.message for p in proposed.warnings)
    assert proposed.carried.empty
    confirmed = preview(store, data, renames=[PAIR])
    assert confirmed.ok and confirmed.renames == (PAIR,) and len(confirmed.carried) == 9
    applied = apply_preview(store, confirmed, by="Admin")
    assert applied.plan_version == 2 and applied.counts["carried"] == 9
    states = item_states(store, "I-4-9")
    assert [m for m, s in states.items() if s == "selesai"] == list(range(1, 10))
    assert [m for m, s in states.items() if s == "terlambat"] == [10, 11]  # not 11 terlambat as in the issue
    moved = store.latest().query("item_id == 'I-4-9'")
    assert set(moved["upload_id"]) == {applied.upload_id} and set(moved["reported_by"]) == {"Sari"}
    assert moved.set_index("month").at[3, "bukti_dukung"] == "daftar hadir 3"
    events = audit_events(store)
    carried = events[events["action"] == "progres_dipindah"]["details"].tolist()
    assert carried == [{"dari": "I-4-1", "ke": "I-4-9", "entri": 9, "versi": 2, "unggahan": applied.upload_id}]
    assert orphaned_progress(store).empty


def test_an_unconfirmed_rename_leaves_progress_listed_as_without_a_step(store):
    record_i41(store)
    data = revision_upload(store)
    apply_preview(store, preview(store, data), by="Admin")
    assert list(item_states(store, "I-4-9").values()).count("terlambat") == 11
    orphans = orphaned_progress(store)
    assert orphans[["ID", "Jumlah entri", "Selesai", "Versi rencana terakhir"]].values.tolist() == [
        ["I-4-1", 9, 9, "1"]]
    assert orphans.iloc[0]["Bulan"] == "1, 2, 3, 4, 5, 6, 7, 8, 9"


def test_a_pair_that_is_no_rename_is_refused(store):
    data = revision_upload(store)
    wrong = preview(store, data, renames=[("I-1-1", "I-4-9")])
    assert not wrong.ok and "I-1-1 → I-4-9 tidak dapat dipindahkan" in wrong.errors[0].message
    without_plan = preview_upload(store, data, "revisi.xlsx", renames=[PAIR])
    assert not without_plan.ok and "bersama penerapan perubahan rencana" in without_plan.errors[0].message


def test_the_files_own_rows_for_the_old_id_count_for_the_new_id_after_the_carry_over(store):
    record_i41(store)
    data = revision_upload(store, values={("I-4-1", 10): {"status": "Selesai", "bukti": "daftar hadir 10"},
                                          ("I-4-1", 2): {"status": "Sebagian", "bukti": "koreksi"}})
    confirmed = preview(store, data, renames=[PAIR])
    assert confirmed.ok, confirmed.errors
    assert set(confirmed.new["item_id"]) == {"I-4-9"} and list(confirmed.new["month"]) == [10]
    assert list(confirmed.changed["month"]) == [2] and confirmed.changed.iloc[0]["previous_status"] == "Selesai"
    assert any("ID lama I-4-1 dicatat sebagai I-4-9" in p.message for p in confirmed.warnings)
    apply_preview(store, confirmed, by="Admin")
    states = item_states(store, "I-4-9")
    assert states[10] == "selesai" and states[2] == "sebagian"


def test_an_older_workbook_with_the_old_id_is_accepted_and_mapped(store):
    record_i41(store)
    older = export_workbook(store, team="Tim Agen Perubahan")
    data = revision_upload(store)
    apply_preview(store, preview(store, data, renames=[PAIR]), by="Admin")
    filled = fill(older, {("I-4-1", 10): {"status": "Selesai", "bukti": "daftar hadir 10"}})
    late = preview_upload(store, filled, "lama.xlsx")
    assert late.ok, late.errors
    assert late.new[["item_id", "month"]].values.tolist() == [["I-4-9", 10]]
    assert late.unchanged == 9  # the pre-filled January–September rows
    assert any("I-4-1" in p.message and "I-4-9" in p.message for p in late.warnings)
    apply_preview(store, late, by="Sari")
    assert item_states(store, "I-4-9")[10] == "selesai"


# --- undo --------------------------------------------------------------------------------------------

def test_undoing_the_revision_restores_the_previous_plan_as_a_new_version_and_the_progress(store):
    record_i41(store)
    data = revision_upload(store)
    applied = apply_preview(store, preview(store, data, renames=[PAIR]), by="Admin")
    undo_id = undo_upload(store, applied.upload_id, "Admin")
    assert store.plan_version() == 3
    versions = store.plan_versions().set_index("version")
    assert versions.at[3, "source_name"] == f"pembatalan unggahan #{applied.upload_id}"
    assert plan_fingerprint(store.plan(3)) == plan_fingerprint(store.plan(1))
    assert "I-4-9" not in set(store.plan()["id"])
    assert list(item_states(store, "I-4-1").values()).count("selesai") == 9
    assert "I-4-9" not in set(store.latest()["item_id"])  # the carried copies were undone with the upload
    assert orphaned_progress(store).empty
    restored = audit_events(store).query("action == 'rencana_dipulihkan'")["details"].tolist()
    assert restored == [{"versi": 3, "isi_versi": 1, "unggahan": applied.upload_id, "pembatalan": undo_id}]
    again = preview_upload(store, export_workbook(store), "baru.xlsx")
    assert again.ok and again.plan_changes.empty


def test_undoing_a_revision_is_refused_while_a_later_revision_is_in_force(store):
    first_data = revision_upload(store)
    first = apply_preview(store, preview(store, first_data), by="Admin")
    second_data = revision_upload(store, renamed_plan(store.plan(), "I-4-2", "I-4-7"))
    second = apply_preview(store, preview(store, second_data), by="Admin")
    assert store.plan_version() == 3
    before = store.plan_versions()
    with pytest.raises(InputError, match="sudah direvisi lagi"):
        undo_upload(store, first.upload_id, "Admin")
    assert store.plan_versions().equals(before)
    undo_upload(store, second.upload_id, "Admin")
    undo_upload(store, first.upload_id, "Admin")
    assert store.plan_version() == 5
    assert plan_fingerprint(store.plan()) == plan_fingerprint(store.plan(1))


def test_undoing_a_revision_is_refused_while_later_progress_uses_its_new_ids(store):
    data = revision_upload(store)
    revision = apply_preview(store, preview(store, data), by="Admin")
    filled = fill(export_workbook(store), {("I-4-9", 1): {"status": "Selesai", "bukti": "daftar hadir"}})
    later = apply_preview(store, preview_upload(store, filled, "isi.xlsx"), by="Sari")
    with pytest.raises(InputError, match="I-4-9"):
        undo_upload(store, revision.upload_id, "Admin")
    undo_upload(store, later.upload_id, "Sari")
    undo_upload(store, revision.upload_id, "Admin")
    assert "I-4-1" in set(store.plan()["id"])


def test_an_upload_recorded_before_the_link_table_existed_is_found_by_its_file(store):
    plan = renamed_plan(store.plan())
    with store.transaction() as conn:  # what the code before plan_version_sources wrote
        version = store.add_plan_version(plan, "revisi.xlsx", "a" * 64, "Admin", conn)
        upload_id = store.record_upload(conn, "revisi.xlsx", "a" * 64, "", "Admin", "realisasi",
                                        {"plan_changes": 1}, store.revision())
    assert version == 2
    undo_upload(store, upload_id, "Admin")
    assert store.plan_version() == 3 and "I-4-1" in set(store.plan()["id"])


# --- command line --------------------------------------------------------------------------------------

def test_cli_lists_the_proposal_and_carries_progress_over_when_accepted(tmp_path):
    store = new_store(tmp_path / "data")
    record_i41(store)
    path = tmp_path / "revisi.xlsx"
    path.write_bytes(revision_upload(store))
    common = ["import", path, "--apply-plan", "--data-dir", tmp_path / "data"]
    result = run_cli(*common)
    assert result.returncode == 0 and "Rencana ID diganti: I-4-1 → I-4-9 (teks sama)" in result.stdout
    assert "--accept-renames" in result.stdout
    result = run_cli(*common, "--rename", "I-4-1")
    assert result.returncode == 1 and "LAMA=BARU" in result.stderr
    result = run_cli(*common, "--rename", "I-1-1=I-4-9", "--yes")
    assert result.returncode == 1 and "I-1-1 → I-4-9 tidak dapat dipindahkan" in result.stderr
    assert store.plan_version() == 1
    result = run_cli(*common, "--accept-renames", "--yes", "--by", "Admin")
    assert result.returncode == 0, result.stdout
    assert "Progres dipindahkan: I-4-1 → I-4-9, 9 bulan-kegiatan" in result.stdout
    assert "rencana aksi kini versi 2" in result.stdout
    assert list(item_states(store, "I-4-9").values()).count("selesai") == 9
    result = run_cli("undo", "2", "--by", "Admin", "--data-dir", tmp_path / "data")
    assert result.returncode == 0 and "dipulihkan sebagai versi 3" in result.stdout
    assert "I-4-1" in set(store.plan()["id"])


def test_progress_carried_into_months_the_new_id_does_not_plan_is_flagged(store):
    record_i41(store)
    data = revision_upload(store, renamed_plan(store.plan(), months=[(1, 2, 3, 4, 5, 6)]))
    confirmed = preview(store, data, renames=[PAIR])
    assert confirmed.ok and len(confirmed.carried) == 9
    assert any("I-4-1 bulan Juli, Agustus, September dipindahkan ke I-4-9" in p.message for p in confirmed.warnings)
    apply_preview(store, confirmed, by="Admin")
    states = status.classify(store.plan(), store.latest(), AS_OF).query("id == 'I-4-9'")
    assert list(states.query("state == 'di_luar_jadwal'")["month"]) == [7, 8, 9]


def test_a_confirmed_rename_carries_the_attached_files_and_its_undo_takes_them_back(store):
    record_i41(store)
    old_file = evidence.attach_file(store, "I-4-1", 3, "daftar hadir.pdf", b"%PDF-1.4\n%%EOF\n", "Sari")
    replaced = evidence.attach_link(store, "I-4-1", 4, "https://arsip.example.id/lama", "Sari")
    evidence.attach_link(store, "I-4-1", 4, "https://arsip.example.id/baru", "Sari", replaces=replaced)
    applied = apply_preview(store, preview(store, revision_upload(store), renames=[PAIR]), by="Admin")
    moved = evidence.attachments(store).query("item_id == 'I-4-9'")
    assert [(row.month, row.file_name) for row in moved.itertuples()] == [
        (3, "daftar hadir.pdf"), (4, "https://arsip.example.id/baru")]
    assert set(moved["upload_id"]) == {applied.upload_id} and set(moved["added_by"]) == {"Sari"}
    carried = audit_events(store).query("action == 'progres_dipindah'")["details"].tolist()
    assert carried[0]["bukti"] == 2
    undo_upload(store, applied.upload_id, "Admin")
    assert "I-4-9" not in set(evidence.attachments(store)["item_id"])
    assert old_file in set(evidence.attachments(store)["evidence_id"])
