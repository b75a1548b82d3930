"""Files left in the evidence folder by a failed attach are found, and deleted on request, never a named one."""

import pytest

from evidence_helpers import pdf
from helpers import run_cli
from zi_data.store import audit, ledgers
from zi_data.evidence import evidence
from zi_data.files import evidence_files
from zi_data.store.progress_store import add_plan_version


@pytest.fixture
def store(store_on_each_backend):
    return store_on_each_backend


def failed_attach(store, data: bytes) -> str:
    """An attach whose transaction fails after its file was kept, as an apply failing halfway would."""
    with pytest.raises(RuntimeError), store.transaction() as conn:
        evidence.attach_file(store, "I-1-1", 2, "gagal.pdf", data, "rina", conn=conn)
        raise RuntimeError("apply failed halfway")
    return evidence_files.blob_path(store.data_dir, evidence_files.keep_blob(store.data_dir, data)).name


def test_only_files_no_attachment_names_are_listed_then_deleted_with_yes(store):
    kept_id = evidence.attach_file(store, "I-1-1", 1, "sk.pdf", pdf("disimpan"), "rina")
    kept = evidence.attachments(store).set_index("evidence_id").loc[kept_id, "sha256"]
    orphan = failed_attach(store, pdf("yatim"))
    half_written = evidence_files.blob_path(store.data_dir, kept).parent / ".incoming-x1"
    half_written.write_bytes(b"setengah")
    foreign = evidence_files.blob_path(store.data_dir, kept).parent / "catatan.txt"
    foreign.write_text("bukan milik kami")
    listed = run_cli("evidence", "gc", data_dir=store.data_dir, check_returncode=0).stdout
    assert orphan in listed and ".incoming-x1" in listed and kept not in listed and "catatan.txt" not in listed
    assert "2 berkas bukti tak terpakai" in listed and "--yes" in listed
    assert evidence_files.blob_path(store.data_dir, orphan).exists()  # a listing deletes nothing
    done = run_cli("evidence", "gc", "--yes", "--by", "admin.zi", data_dir=store.data_dir, check_returncode=0)
    assert "2 berkas bukti tak terpakai" in done.stdout and "dihapus" in done.stdout
    assert not evidence_files.blob_path(store.data_dir, orphan).exists() and not half_written.exists()
    assert evidence_files.blob_path(store.data_dir, kept).read_bytes() == pdf("disimpan") and foreign.exists()
    events = audit.audit_events(store)
    assert events[events["action"] == "bukti_tak_terpakai_dihapus"]["actor"].tolist() == ["admin.zi"]
    again = run_cli("evidence", "gc", data_dir=store.data_dir, check_returncode=0).stdout
    assert "Tidak ada berkas bukti yang tak terpakai" in again


def test_a_file_another_plan_year_names_is_kept(store):
    with store.transaction() as conn:  # the same folder serves every ledger of the database
        ledger_id = ledgers.create_ledger(conn, store.office, store.year + 1, "uji")
        add_plan_version(conn, ledger_id, store.plan(), "rencana.xlsx", "0" * 64, "uji")
    other = store.with_ledger(store.office, store.year + 1)
    evidence.attach_file(other, "I-1-1", 1, "sk.pdf", pdf("bersama"), "rina")
    assert evidence.unreferenced_files(store, "admin.zi", remove=True) == []
