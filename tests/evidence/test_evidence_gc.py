"""Files left in the evidence folder by a failed attach are found, and deleted on request, never a named one, also
while an attach runs at the same time."""

import contextlib
import threading

import pytest
import sqlalchemy

from evidence_helpers import pdf
from helpers import run_cli
from zi_data.store import audit, ledgers
from zi_data.evidence import evidence
from zi_data.files import evidence_files
from zi_data.store.plan_history import add_plan_version


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


# --- gc and an attach at the same time: threads stopped at the exact interleaving ----------------------------

LOCK_STATEMENTS = ("BEGIN IMMEDIATE", "SELECT PG_ADVISORY_XACT_LOCK")  # how a writer takes the write lock
WAIT_S = 60


class Racer(threading.Thread):
    """`work` in a thread of its own; `reached` is set when it is about to take the database's write lock (see
    lock_watch) or has finished, whichever comes first."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work, self.result, self.error = work, None, None
        self.reached = threading.Event()

    def run(self):
        try:
            self.result = self.work()
        except BaseException as error:  # reported by the test's assertions
            self.error = error
        finally:
            self.reached.set()


@contextlib.contextmanager
def lock_watch(store, racer: Racer):
    """Sets racer.reached when the racer's thread sends the statement that takes the write lock."""
    def seen(_conn, _cursor, statement, _parameters, _context, _executemany):
        if threading.get_ident() == racer.ident and statement.lstrip().upper().startswith(LOCK_STATEMENTS):
            racer.reached.set()

    sqlalchemy.event.listen(store.database.engine, "before_cursor_execute", seen)
    try:
        yield
    finally:
        sqlalchemy.event.remove(store.database.engine, "before_cursor_execute", seen)


def paused_after(monkeypatch, module, name: str) -> tuple[threading.Event, threading.Event]:
    """module.name made to stop after it ran: (reached, go), the first set when it has run, the second to let
    it return."""
    reached, go, original = threading.Event(), threading.Event(), getattr(module, name)

    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        reached.set()
        assert go.wait(WAIT_S), f"{name} was never let go"
        return result

    monkeypatch.setattr(module, name, paused)
    return reached, go


def blocked_on_the_lock(store, racer: Racer) -> bool:
    """Whether the racer, once it sent the lock statement, really waits for the lock: on PostgreSQL an advisory
    lock not granted (read from pg_locks); SQLite shows no waiter, so there the statement sent is the sign. False
    when the racer finished instead (it took no lock)."""
    if store.database.is_sqlite:
        return racer.is_alive()
    while racer.is_alive():
        with store.database.engine.connect() as conn:
            if conn.execute(sqlalchemy.text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                            "AND NOT granted")).scalar():
                return True
        racer.join(0.02)  # a pause that ends at once when the racer finishes
    return False


def second_waits_for_first(store, first: Racer, second: Racer, go: threading.Event) -> bool:
    """`first` has started and is stopped holding what `second` needs: start `second` and tell whether it waits on
    the write lock, then let both finish (neither may fail)."""
    with lock_watch(store, second):
        second.start()
        assert second.reached.wait(WAIT_S)
        waited = blocked_on_the_lock(store, second)
        go.set()
        first.join(WAIT_S)
        second.join(WAIT_S)
    assert first.error is None and second.error is None, (first.error, second.error)
    return waited


def test_gc_waits_for_an_attach_that_has_kept_its_file_and_takes_nothing(store, monkeypatch):
    data = pdf("bersamaan")
    kept, go = paused_after(monkeypatch, evidence_files, "keep_blob")
    attach = Racer(lambda: evidence.attach_file(store, "I-1-1", 1, "sk.pdf", data, "rina"))
    attach.start()
    assert kept.wait(WAIT_S)  # the attach has written its file; its row is not committed
    gc = Racer(lambda: evidence.unreferenced_files(store, "admin.zi", remove=True))
    assert second_waits_for_first(store, attach, gc, go), "evidence gc ran while an attach held its file uncommitted"
    assert gc.result == []
    sha256 = evidence.attachments(store).set_index("evidence_id").loc[attach.result, "sha256"]
    assert evidence_files.blob_path(store.data_dir, sha256).read_bytes() == data


def test_an_attach_of_a_file_gc_is_deleting_waits_and_keeps_it_again(store, monkeypatch):
    data = pdf("yatim lalu dilampirkan")
    orphan = evidence_files.blob_path(store.data_dir, failed_attach(store, data))
    listed, go = paused_after(monkeypatch, evidence_files, "unreferenced_files")
    gc = Racer(lambda: evidence.unreferenced_files(store, "admin.zi", remove=True))
    gc.start()
    assert listed.wait(WAIT_S)  # gc holds the lock and has listed the orphan, about to delete it
    attach = Racer(lambda: evidence.attach_file(store, "I-1-1", 1, "sk.pdf", data, "rina"))
    assert second_waits_for_first(store, gc, attach, go), "the attach went ahead while evidence gc held the lock"
    assert [path for path, _size in gc.result] == [str(orphan)]  # gc took the orphan ...
    assert orphan.read_bytes() == data  # ... and the attach that came after it kept the file again
    assert evidence.attachments(store).set_index("evidence_id").loc[attach.result, "sha256"] == orphan.name
