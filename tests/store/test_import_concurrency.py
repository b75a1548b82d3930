"""Concurrent imports, on SQLite and on PostgreSQL: different teams both land; the same item-month changed twice
is a conflict, never an overwrite; no entry is ever lost; a killed import leaves nothing. Processes are lined
up with a barrier, never with sleeps."""

import multiprocessing
import os
import signal
import subprocess
import sys

import pytest

from realisasi_helpers import ROOT, fill
from helpers import new_store
from zi_data.store.audit import audit_events
from zi_data.realisasi.realisasi_export import export_workbook

pytestmark = pytest.mark.slow  # processes racing each other

# spawn, not fork: the parent has pandas and pyarrow threads running
CONTEXT = multiprocessing.get_context("spawn")
BARRIER_TIMEOUT = 120


def import_after_barrier(barrier, data_dir: str, path: str, by: str) -> None:
    """Child process: `python -m zi_data import PATH --yes`, entering the write only when every child has
    computed its preview, so all previews see the same state and the writes really race."""
    from zi_data.cli import main as cli, realisasi_cli

    apply_preview = realisasi_cli.apply_preview

    def apply_when_all_are_ready(*args, **kwargs):
        barrier.wait(BARRIER_TIMEOUT)
        return apply_preview(*args, **kwargs)

    realisasi_cli.apply_preview = apply_when_all_are_ready
    raise SystemExit(cli.main(["import", path, "--yes", "--by", by, "--data-dir", data_dir]))


def run_together(data_dir, paths_and_names) -> list[int]:
    barrier = CONTEXT.Barrier(len(paths_and_names))
    children = [CONTEXT.Process(target=import_after_barrier, args=(barrier, str(data_dir), str(path), by))
                for path, by in paths_and_names]
    for child in children:
        child.start()
    for child in children:
        child.join(300)
    return [child.exitcode for child in children]


def team_workbook(store, team, tmp_path, name, status="Selesai") -> tuple:
    """A downloaded workbook of `team` with every row up to June filled; returns (path, filled keys)."""
    plan = store.plan()
    rows = plan[plan["penanggung_jawab"] == team]
    keys = [(i, m) for i, months in zip(rows["id"], rows["months"]) for m in months if m <= 6]
    values = {key: {"status": status, "bukti": f"{name}: bukti {key[0]}/{key[1]}"} for key in keys}
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(fill(export_workbook(store, team=team, through_month=6), values))
    return path, keys


def test_two_teams_importing_at_once_both_land(tmp_path, backend_for_every_process):
    store = new_store(tmp_path / "data")
    first, first_keys = team_workbook(store, "Tim Pengawasan", tmp_path, "pengawasan")
    second, second_keys = team_workbook(store, "Tim Agen Perubahan", tmp_path, "agen")
    assert run_together(store.data_dir, [(first, "Ani"), (second, "Budi")]) == [0, 0]
    latest = store.latest()
    assert set(zip(latest["item_id"], latest["month"])) == set(first_keys) | set(second_keys)
    assert len(store.entries()) == len(first_keys) + len(second_keys)
    uploads = store.uploads()
    assert sorted(uploads["uploaded_by"]) == ["Ani", "Budi"] and (uploads["base_revision"] == 0).all()
    assert sorted(c["new"] for c in uploads["counts"]) == sorted([len(first_keys), len(second_keys)])


def test_the_same_item_month_changed_differently_is_a_conflict_for_the_second(tmp_path, backend_for_every_process):
    store = new_store(tmp_path / "data")
    data = export_workbook(store, team="Tim Agen Perubahan", through_month=1)
    ani, budi = tmp_path / "ani.xlsx", tmp_path / "budi.xlsx"
    ani.write_bytes(fill(data, {("I-1-1", 1): {"status": "Selesai", "bukti": "SK versi Ani"},
                                ("I-2-1", 1): {"status": "Selesai", "bukti": "dokumen Ani"}}))
    budi.write_bytes(fill(data, {("I-1-1", 1): {"status": "Sebagian", "bukti": "draf versi Budi"},
                                 ("I-3-1", 1): {"status": "Belum", "catatan": "catatan Budi"}}))
    codes = run_together(store.data_dir, [(ani, "Ani"), (budi, "Budi")])
    assert sorted(codes) == [0, 3]  # one applied cleanly, the other applied its rest and reported the conflict
    winner, loser = ("Ani", "Budi") if codes[0] == 0 else ("Budi", "Ani")
    history = store.entries()
    contested = history[(history["item_id"] == "I-1-1") & (history["month"] == 1)]
    assert list(contested["reported_by"]) == [winner]  # written once: never silently overwritten
    latest = {(r.item_id, r.month): r for r in store.latest().itertuples()}
    assert latest[("I-2-1", 1)].bukti_dukung == "dokumen Ani" and latest[("I-3-1", 1)].catatan == "catatan Budi"
    uploads = store.uploads().set_index("uploaded_by")
    assert uploads.loc[loser, "counts"]["conflicts"] == 1 and uploads.loc[winner, "counts"]["conflicts"] == 0
    assert len(history) == 3


def test_many_imports_at_once_lose_no_entry(tmp_path, backend_for_every_process):
    store = new_store(tmp_path / "data")
    teams = list(dict.fromkeys(store.plan()["penanggung_jawab"]))
    workbooks = [team_workbook(store, team, tmp_path, f"tim{n}") for n, team in enumerate(teams)]
    codes = run_together(store.data_dir, [(path, f"pengisi {n}") for n, (path, _keys) in enumerate(workbooks)])
    assert codes == [0] * len(teams)
    expected = {key for _path, keys in workbooks for key in keys}
    latest = store.latest()
    assert set(zip(latest["item_id"], latest["month"])) == expected
    assert len(store.entries()) == len(expected) and store.entries()["entry_id"].is_unique
    assert len(store.uploads()) == len(teams)


@pytest.mark.parametrize("same_item_month", [False, True])
def test_two_cli_processes_started_together(tmp_path, same_item_month, backend_for_every_process):
    """The real command line, twice at once (no barrier: whichever order the OS picks, the outcome holds)."""
    store = new_store(tmp_path / "data")
    if same_item_month:
        data = export_workbook(store, team="Tim Agen Perubahan", through_month=1)
        first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
        first.write_bytes(fill(data, {("I-1-1", 1): {"status": "Selesai", "bukti": "versi A"}}))
        second.write_bytes(fill(data, {("I-1-1", 1): {"status": "Belum", "catatan": "versi B"}}))
    else:
        first, _ = team_workbook(store, "Tim Pengawasan", tmp_path, "pengawasan")
        second, _ = team_workbook(store, "Tim Penguatan Akuntabilitas", tmp_path, "akuntabilitas")
    env_args = ["--data-dir", str(store.data_dir), "--yes"]
    # Separate processes on purpose: only two interpreters really race for the database's write lock.
    processes = [subprocess.Popen([sys.executable, "-m", "zi_data", "import", str(path), *env_args], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for path in (first, second)]
    outputs = [process.communicate(timeout=300) for process in processes]
    codes = [process.returncode for process in processes]
    assert all("Traceback" not in out + err for out, err in outputs)
    if same_item_month:
        assert sorted(codes) == [0, 3]
        assert len(store.entries()) == 1
    else:
        assert codes == [0, 0]
        assert len(store.entries()) == sum(c["new"] for c in store.uploads()["counts"]) > 0


def import_and_die_before_commit(data_dir: str, path: str) -> None:
    """Child process: the command-line import, killed (SIGKILL) once its entries are written but not committed."""
    from zi_data.cli import main as cli
    from zi_data.store.progress_store import ProgressStore as Store

    append_entries = Store.append_entries

    def append_then_die(self, conn, entries, upload_id):
        written = append_entries(self, conn, entries, upload_id)
        os.kill(os.getpid(), signal.SIGKILL)
        return written

    Store.append_entries = append_then_die
    raise SystemExit(cli.main(["import", path, "--yes", "--by", "Ani", "--data-dir", data_dir]))


def test_a_killed_import_leaves_nothing_and_the_next_one_lands(tmp_path, backend_for_every_process):
    store = new_store(tmp_path / "data")
    path, keys = team_workbook(store, "Tim Pengawasan", tmp_path, "pengawasan")
    events_before = len(audit_events(store))
    child = CONTEXT.Process(target=import_and_die_before_commit, args=(str(store.data_dir), str(path)))
    child.start()
    child.join(300)
    assert child.exitcode == -signal.SIGKILL
    assert store.entries().empty and store.uploads().empty and len(audit_events(store)) == events_before
    assert run_together(store.data_dir, [(path, "Ani")]) == [0]  # the lock was released with the dead writer
    assert len(store.entries()) == len(keys) and len(store.uploads()) == 1
