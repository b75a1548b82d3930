"""Export → fill → LibreOffice saves it → import --yes → `status --json` changes by exactly what was filled."""

import json
import random
from collections import Counter
from datetime import date

from helpers import run_cli
from realisasi_helpers import fill, needs_soffice, through_libreoffice
from zi_data.store.progress_store import ProgressStore

AS_OF = "2025-12"  # every month has ended: unfilled item-months count as late, filled ones as they say


def status(data_dir) -> dict:
    return json.loads(run_cli("status", "--json", "--as-of", AS_OF, data_dir=data_dir, check_returncode=0).stdout)


def done_by_team(summary) -> dict:
    return {team: shape["annual"]["done"] for team, shape in summary["by_team"].items()}


def filled_values(keys, seed=7) -> dict:
    """A realistic mix over `keys`: done with evidence, done without, partial, not done."""
    rng = random.Random(seed)
    chosen = rng.sample(keys, 60)
    values = {}
    for n, key in enumerate(chosen):
        if n < 30:
            values[key] = {"status": "Selesai", "bukti": f"https://drive.example/zi/{key[0]}-{key[1]}.pdf",
                           "tanggal": date(2025, key[1], 10 + n % 15) if n % 2 else f"{5 + n % 20:02d}/{key[1]:02d}/2025",
                           "catatan": "Terlaksana ✓ – anggaran Rp 1.500.000" if n % 3 == 0 else None,
                           "by": "Rina" if n % 4 == 0 else None}
        elif n < 38:
            values[key] = {"status": "Selesai", "catatan": "bukti menyusul"}
        elif n < 50:
            values[key] = {"status": "Sebagian", "bukti": "Notulen rapat (draf)",
                           "catatan": "- undangan sudah dikirim\n- menunggu narasumber"}
        else:
            values[key] = {"status": "Belum", "catatan": "+ kendala: anggaran belum cair"}
    return values


@needs_soffice
def test_export_fill_in_libreoffice_import_changes_exactly_the_numbers(tmp_path):
    data_dir = tmp_path / "data"
    download = tmp_path / "unduhan.xlsx"
    run_cli("export", "--through-month", "Juni", "-o", download, data_dir=data_dir, check_returncode=0)
    store = ProgressStore(data_dir)
    plan = store.plan()
    keys = [(i, m) for i, months in zip(plan["id"], plan["months"]) for m in months if m <= 6]
    team_of = dict(zip(plan["id"], plan["penanggung_jawab"]))
    before = status(data_dir)
    assert before["overall"]["annual"]["done"] == 0

    values = filled_values(keys)
    saved_by_libreoffice = through_libreoffice(fill(download.read_bytes(), values), tmp_path, "isi.xlsx")
    upload = tmp_path / "isi.xlsx"
    upload.write_bytes(saved_by_libreoffice)
    preview = run_cli("import", upload, data_dir=data_dir, check_returncode=0)
    assert "Baru: 60" in preview.stdout and store.revision() == 0
    run_cli("import", upload, "--yes", "--by", "Ani", data_dir=data_dir, check_returncode=0)

    after = status(data_dir)
    done = [key for key, cells in values.items() if cells["status"] == "Selesai" and cells.get("bukti")]
    assert after["overall"]["annual"]["done"] == len(done) == 30
    expected_by_team = Counter(team_of[item_id] for item_id, _m in done)
    assert done_by_team(after) == {team: expected_by_team.get(team, 0) for team in done_by_team(before)}
    assert after["states"]["sebagian"] == 12
    assert after["states"]["selesai"] == 30
    assert after["states"]["terlambat"] == before["states"]["terlambat"] - 30 - 12

    recorded = {(r.item_id, r.month): r for r in store.latest().itertuples()}
    assert set(recorded) == set(values)
    for key, cells in values.items():
        entry = recorded[key]
        tanggal = cells.get("tanggal")
        if isinstance(tanggal, str):
            day, month, year = map(int, tanggal.split("/"))
            tanggal = date(year, month, day)
        assert (entry.status, entry.bukti_dukung, entry.tanggal, entry.catatan, entry.reported_by) == (
            cells["status"], cells.get("bukti") or "", tanggal.isoformat() if tanggal else "",
            cells.get("catatan") or "", cells.get("by") or "Ani"), key

    # A second round: the new download carries what is recorded; LibreOffice again; only edits count.
    second = tmp_path / "unduhan2.xlsx"
    run_cli("export", "--through-month", "Juni", "-o", second, data_dir=data_dir, check_returncode=0)
    partial = [key for key, cells in values.items() if cells["status"] == "Sebagian"][:5]
    edits = {key: {"status": "Selesai", "bukti": "Laporan akhir.pdf", "tanggal": date(2025, 6, 30)} for key in partial}
    upload2 = tmp_path / "isi2.xlsx"
    upload2.write_bytes(through_libreoffice(fill(second.read_bytes(), edits), tmp_path, "isi2.xlsx"))
    result = run_cli("import", upload2, "--yes", "--json", "--by", "Ani", data_dir=data_dir, check_returncode=0)
    summary = json.loads(result.stdout)
    assert summary["applied_counts"] == {"new": 0, "changed": 5, "unchanged": 55, "conflicts": 0, "plan_changes": 0, "rejected": 0}
    final = status(data_dir)
    assert final["overall"]["annual"]["done"] == 35
    assert final["states"]["sebagian"] == 7
    assert len(store.entries()) == 65  # appended, never rewritten
