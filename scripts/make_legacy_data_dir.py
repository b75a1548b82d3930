"""Build tests/data/legacy_e29362e/: a data directory made by release e29362e, and what that release reports.

The upgrade test (tests/store/test_legacy_fixture.py) opens a copy of this directory with the current store
and checks that nothing was lost. The directory must be written by the OLD code, so run this script
with a checkout of e29362e first on the import path, from that checkout:

    git worktree add /work/wt/legacy-src e29362e
    cd /work/wt/legacy-src && PYTHONPATH=/work/wt/legacy-src .venv/bin/python \\
        /work/wt/legacy/scripts/make_legacy_data_dir.py [OUTPUT_DIR]

OUTPUT_DIR defaults to tests/data/legacy_e29362e beside this script; it is replaced. Everything is
written through the old public API and command line: the bundled plan (seeded on first open), three
accounts, sign-ins (one failed), a password change, realisasi uploads by three teams (one undone), and
a plan revision that renames I-4-1 to I-4-9 with its progress carried over.
"""

import contextlib
import io
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd

import zi_data
from zi_data import cli
from zi_data.accounts import AccountError
from zi_data.audit import audit_events
from zi_data.months import month_name
from zi_data.plan_workbook import PLAN_SHEET
from zi_data.progress_store import DB_NAME, ProgressStore
from zi_data.realisasi_export import export_workbook
from zi_data.realisasi_import import apply_preview, preview_upload
from zi_data.realisasi_layout import COLUMN_INDEX, REALISASI_SHEET
from zi_data.undo_rules import undo_upload

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tests" / "data" / "legacy_e29362e"
STATUS_AS_OF = "2025-06"
ADMIN, ADMIN_PASSWORD = "koordinator", "sandi-koordinator-2025"
EDITOR, EDITOR_PASSWORD, EDITOR_TEAM = "rina", "sandi-rina-2025", "Tim Pengawasan"
SECOND_EDITOR, SECOND_TEAM = "budi", "Tim Agen Perubahan"
SECOND_PASSWORD, SECOND_NEW_PASSWORD = "sandi-budi-2025", "sandi-budi-baru-2025"
RENAME = ("I-4-1", "I-4-9")
FORMULA_LOOKING = "=1+1"
PASSWORDS = {ADMIN: ADMIN_PASSWORD, EDITOR: EDITOR_PASSWORD, SECOND_EDITOR: SECOND_NEW_PASSWORD}  # as of the end
NOT_REPORTED = ("made_with", "steps", "passwords", "replaced_passwords")
INDONESIAN_TEXT = "Notulen rapat pleno — Kuala Kapuas, “Zona Integritas” ✓ (Kalimantan Tengah)"


def run_cli(*args, stdin: str = "") -> str:
    """`python -m zi_data ARGS` in this process; fails unless it exits 0 (or 3: conflicts left alone)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        saved, sys.stdin = sys.stdin, io.StringIO(stdin)
        try:
            returncode = cli.main([str(arg) for arg in args])
        finally:
            sys.stdin = saved
    if returncode not in (0, 3):
        raise SystemExit(f"python -m zi_data {' '.join(map(str, args))} exited {returncode}:\n{out.getvalue()}")
    return out.getvalue()


def text_cell(cell, text: str) -> None:
    """Text as a person types it into a cell formatted as text: kept verbatim, never read as a formula."""
    cell._value, cell.data_type = text, "s"


def fill(data: bytes, values: dict, rename=None) -> bytes:
    """values[(item_id, month)] = {status, bukti_dukung, tanggal, catatan}; `rename` edits the plan sheet's ID."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[REALISASI_SHEET]
    wanted = {(item_id, month_name(month)): cells for (item_id, month), cells in values.items()}
    found = set()
    for row in range(2, sheet.max_row + 1):
        key = (str(sheet.cell(row, COLUMN_INDEX["id"]).value), str(sheet.cell(row, COLUMN_INDEX["month"]).value))
        if key not in wanted:
            continue
        found.add(key)
        for name, value in wanted[key].items():
            target = sheet.cell(row, COLUMN_INDEX[name])
            if isinstance(value, str):
                text_cell(target, value)
            else:
                target.value = value
    if found != set(wanted):
        raise SystemExit(f"Rows not in the downloaded workbook: {sorted(set(wanted) - found)}")
    if rename:
        _rename_plan_id(book[PLAN_SHEET], *rename)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rename_plan_id(sheet, old: str, new: str) -> None:
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == old]
    if len(cells) != 1:
        raise SystemExit(f"{old} appears {len(cells)} times on the plan sheet")
    cells[0].value = new


def report(number: int, item_id: str, month: int) -> dict:
    """The `number`th report of a series: Selesai with bukti, Sebagian, Belum, Selesai without bukti, in turn."""
    key = f"{item_id}-{month:02d}"
    return [
        {"status": "Selesai", "bukti_dukung": f"https://drive.example.go.id/bukti/{key}.pdf",
         "tanggal": date(2025, month, 20), "catatan": INDONESIAN_TEXT},
        {"status": "Sebagian", "bukti_dukung": f"Daftar hadir {key} (draf)", "catatan": FORMULA_LOOKING},
        {"status": "Belum", "catatan": "Menunggu SK Ketua KPU; kendala: jaringan di Kec. Mantangai"},
        {"status": "Selesai", "catatan": "Bukti dukung menyusul"},  # no bukti dukung: stays terlambat
    ][number % 4]


def reports(plan: pd.DataFrame, team: str, months, count=8) -> dict:
    """Reports for the first `count` planned item-months of `team` in `months`."""
    rows = plan[plan["penanggung_jawab"] == team]
    keys = [(item_id, month) for item_id, planned in zip(rows["id"], rows["months"])
            for month in planned if month in months][:count]
    return {(item_id, month): report(number, item_id, month) for number, (item_id, month) in enumerate(keys)}


def import_by_cli(store, data: bytes, name: str, user: str, password: str, *options) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        run_cli("import", path, "--yes", *options, "--user", user, "--password-stdin", "--data-dir", store.data_dir,
                stdin=password + "\n")
    return int(store.uploads()["upload_id"].max())


def import_by_api(store, data: bytes, name: str, by: str, team: str | None) -> int:
    preview = preview_upload(store, data, name, allowed_team=team)
    if not preview.ok:
        raise SystemExit([problem.message for problem in preview.errors])
    return apply_preview(store, preview, by=by).upload_id


def add_accounts(store) -> None:
    for name, password, role, team in ((ADMIN, ADMIN_PASSWORD, "admin", ""),
                                       (EDITOR, EDITOR_PASSWORD, "editor", EDITOR_TEAM),
                                       (SECOND_EDITOR, SECOND_PASSWORD, "editor", SECOND_TEAM)):
        run_cli("user", "add", name, "--role", role, *(("--team", team) if team else ()), "--password-stdin",
                "--data-dir", store.data_dir, stdin=password + "\n")


def failed_sign_ins(store) -> None:
    """A wrong password for an account and a name that is no account: two masuk_gagal events."""
    for name in (SECOND_EDITOR, "tamu"):
        try:
            store.accounts.authenticate(name, "sandi-yang-salah")
        except AccountError:
            continue
        raise SystemExit(f"{name} signed in with a wrong password")


def record_history(store) -> dict:
    """Every write of the fixture, in order; returns each upload's id by what it was."""
    plan = store.plan()
    add_accounts(store)
    store.accounts.authenticate(EDITOR, EDITOR_PASSWORD)  # a successful sign-in outside an import
    failed_sign_ins(store)
    first = import_by_cli(store, fill(export_workbook(store, EDITOR_TEAM, 3), reports(plan, EDITOR_TEAM, (1, 2, 3))),
                          "realisasi_pengawasan_maret.xlsx", EDITOR, EDITOR_PASSWORD)
    second_values = reports(plan, SECOND_TEAM, (1, 2, 3, 4), count=6)
    second_values.update({(RENAME[0], month): {"status": "Selesai", "bukti_dukung": f"Apel pagi bulan {month}.pdf",
                                               "tanggal": date(2025, month, 28)} for month in (1, 2, 3, 4)})
    second = import_by_api(store, fill(export_workbook(store, SECOND_TEAM, 4), second_values),
                           "realisasi_agen_perubahan_april.xlsx", SECOND_EDITOR, SECOND_TEAM)
    sdm = "Tim Sistem Manajemen Sumber Daya Manusia"
    undone = import_by_cli(store, fill(export_workbook(store, sdm, 2), reports(plan, sdm, (1, 2), count=5)),
                           "realisasi_sdm_keliru.xlsx", ADMIN, ADMIN_PASSWORD)
    undo = undo_upload(store, undone, ADMIN)
    changed = reports(plan, EDITOR_TEAM, (1, 2, 3, 4, 5), count=14)
    first_key = next(iter(changed))
    changed[first_key] = {"status": "Selesai", "bukti_dukung": "Laporan monev triwulan I.pdf",
                          "tanggal": date(2025, first_key[1], 25), "catatan": "Diperbaiki setelah monev"}
    fourth = import_by_api(store, fill(export_workbook(store, EDITOR_TEAM, 5), changed),
                           "realisasi_pengawasan_mei.xlsx", EDITOR, EDITOR_TEAM)
    revision = import_by_cli(store, fill(export_workbook(store), {}, rename=RENAME), "revisi_rencana_juni.xlsx",
                             ADMIN, ADMIN_PASSWORD, "--apply-plan", "--rename", "=".join(RENAME))
    run_cli("user", "passwd", SECOND_EDITOR, "--password-stdin", "--data-dir", store.data_dir,
            stdin=SECOND_NEW_PASSWORD + "\n")
    after = {(RENAME[1], month): {"status": "Sebagian", "bukti_dukung": f"Apel pagi bulan {month} (sebagian).pdf",
                                  "catatan": "ID baru setelah revisi rencana"} for month in (5, 6)}
    last = import_by_cli(store, fill(export_workbook(store, SECOND_TEAM, 6), after),
                         "realisasi_agen_perubahan_juni.xlsx", SECOND_EDITOR, SECOND_NEW_PASSWORD)
    return {"editor_march": first, "second_editor_april": second, "admin_undone": undone, "undo": undo,
            "editor_may": fourth, "plan_revision": revision, "second_editor_june": last}


def plain(value):
    """A value as JSON holds it: missing values are None, numpy scalars Python ones."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def records(frame: pd.DataFrame) -> list[dict]:
    return [{column: plain(value) for column, value in row.items()} for row in frame.to_dict("records")]


def layout(value, depth=0) -> str:
    """JSON with the outer two levels spread over lines and each record on one line: small, and diffs read well."""
    pad = " " * (depth + 1)
    if isinstance(value, dict) and value and depth < 2:
        inner = ",\n".join(f"{pad}{json.dumps(key, ensure_ascii=False)}: {layout(item, depth + 1)}"
                           for key, item in value.items())
        return f"{{\n{inner}\n{pad[1:]}}}"
    if isinstance(value, list) and value and depth < 3:
        inner = ",\n".join(f"{pad}{layout(item, 3)}" for item in value)
        return f"[\n{inner}\n{pad[1:]}]"
    return json.dumps(value, ensure_ascii=False)


def table_rows(db_path: Path) -> dict:
    with contextlib.closing(sqlite3.connect(db_path)) as conn:
        names = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def reported(store) -> dict:
    """What the old code reports about the directory: the upgrade must report the same."""
    status = json.loads(run_cli("status", "--as-of", STATUS_AS_OF, "--json", "--data-dir", store.data_dir))
    versions = store.plan_versions()
    return {
        "entries": records(store.entries()),
        "latest": records(store.latest()),
        "uploads": records(store.uploads()),
        "plan_versions": records(versions),
        "plan_item_ids": {str(version): list(store.plan(int(version))["id"]) for version in versions["version"]},
        "accounts": records(store.accounts.list()),
        "audit_events": records(audit_events(store)),
        "status_as_of": STATUS_AS_OF,
        "status": status,
    }


def old_commit() -> str:
    source = Path(zi_data.__file__).resolve().parent.parent
    if source == ROOT:
        raise SystemExit("Run this with the old release's zi_data on PYTHONPATH (see the docstring).")
    return subprocess.run(["git", "-C", str(source), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()


def checkpointed_copy(data_dir: Path, output: Path) -> None:
    """The database with its WAL folded in (no -wal/-shm needed) and the archive, copied to `output`."""
    with contextlib.closing(sqlite3.connect(data_dir / DB_NAME)) as conn:
        busy, *_pages = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        raise SystemExit("The WAL could not be checkpointed: a connection is still reading.")
    if output.exists():
        shutil.rmtree(output)
    (output / "archive").mkdir(parents=True)
    shutil.copyfile(data_dir / DB_NAME, output / DB_NAME)
    for archived in sorted((data_dir / "archive").glob("*.xlsx")):
        shutil.copyfile(archived, output / "archive" / archived.name)


def main(argv: list[str]) -> int:
    output = Path(argv[0]).resolve() if argv else OUTPUT
    commit = old_commit()
    with tempfile.TemporaryDirectory() as folder:
        store = ProgressStore(Path(folder) / "data")
        steps = record_history(store)
        expected = {"made_with": commit, "steps": steps, "passwords": PASSWORDS,
                    "replaced_passwords": {SECOND_EDITOR: SECOND_PASSWORD}, **reported(store)}
        del store
        checkpointed_copy(Path(folder) / "data", output)
        expected["table_rows"] = table_rows(output / DB_NAME)
        check = Path(folder) / "check"
        shutil.copytree(output, check)
        if {**reported(ProgressStore(check)), "table_rows": table_rows(check / DB_NAME)} != {
                key: value for key, value in expected.items() if key not in NOT_REPORTED}:
            raise SystemExit("A copy of the output does not report what the data directory did.")
    expected["files"] = {str(path.relative_to(output)): path.stat().st_size for path in sorted(output.rglob("*"))
                         if path.is_file()}
    (output / "expected.json").write_text(layout(expected) + "\n", encoding="utf-8")
    print(f"{output}: {sum(expected['files'].values()):,} bytes in {len(expected['files'])} files; "
          f"tables {expected['table_rows']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
