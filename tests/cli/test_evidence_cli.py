"""`python -m zi_data evidence add|package|rule`: Indonesian messages, exit 2 on bad input, the team rule."""

import zipfile

import pytest

from evidence_helpers import index_rows, pdf
from helpers import new_store, run_cli
from realisasi_helpers import OTHER, OWN, PASSWORD
from zi_data.evidence import evidence
from zi_data.store.counting_rule import counting_rule
from zi_data.store.accounts import Accounts
from zi_data.store.progress_store import ProgressStore

OWN_ITEM = "V-1-1"  # a Tim Pengawasan step planned in Januari


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def sk(tmp_path):
    path = tmp_path / "SK Tim ZI.pdf"
    path.write_bytes(pdf("sk"))
    return path


def current(data_dir) -> list[tuple]:
    files = evidence.attachments(ProgressStore(data_dir))
    return list(files[["item_id", "month", "file_name", "added_by"]].itertuples(index=False, name=None))


def test_own_item_is_planned_for_the_own_team(data_dir):
    plan = new_store(data_dir).plan().set_index("id")
    assert plan.loc[OWN_ITEM, "penanggung_jawab"] == OWN and 1 in plan.loc[OWN_ITEM, "months"]


def test_add_attaches_a_file_once_in_open_mode(data_dir, sk):
    added = run_cli("evidence", "add", "I-1-1", "Januari", sk, "--by", "Rina", check_returncode=0)
    assert "dilampirkan pada I-1-1 Januari 2025" in added.stdout
    assert current(data_dir) == [("I-1-1", 1, "SK Tim ZI.pdf", "Rina")]
    again = run_cli("evidence", "add", "I-1-1", "1", sk, check_returncode=0)
    assert "sudah terlampir" in again.stdout and len(current(data_dir)) == 1


@pytest.mark.parametrize("item_id, month, file_name, content, message", [
    ("I-1-1", "13", "sk.pdf", pdf(), "Bulan '13' tidak dikenal"),
    ("I-1-1", "Smarch", "sk.pdf", pdf(), "Bulan 'Smarch' tidak dikenal"),
    ("X-9-9", "Januari", "sk.pdf", pdf(), "Langkah aksi 'X-9-9' tidak ada dalam rencana aksi"),
    ("I-1-1", "Januari", "halaman.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "halaman.pdf"),
    ("I-1-1", "Januari", "kosong.pdf", b"", "kosong"),
])
def test_bad_input_exits_2_in_indonesian_and_attaches_nothing(data_dir, tmp_path, item_id, month, file_name,
                                                              content, message):
    path = tmp_path / file_name
    path.write_bytes(content)
    result = run_cli("evidence", "add", item_id, month, path, check_returncode=2)
    assert message in result.stderr and "Traceback" not in result.stderr
    assert current(data_dir) == []


def test_a_missing_or_oversize_file_exits_2(data_dir, tmp_path, monkeypatch):
    missing = run_cli("evidence", "add", "I-1-1", "1", tmp_path / "tidak-ada.pdf", check_returncode=2)
    assert "tidak ditemukan" in missing.stderr
    big = tmp_path / "besar.pdf"
    big.write_bytes(pdf(size=2 << 20))
    monkeypatch.setenv("ZI_EVIDENCE_MAX_MB", "1")
    oversize = run_cli("evidence", "add", "I-1-1", "1", big, check_returncode=2)
    assert "besar.pdf" in oversize.stderr and "1,0 MB" in oversize.stderr
    assert current(data_dir) == []


def test_an_editor_attaches_only_to_their_own_teams_items(data_dir, sk):
    accounts = Accounts(new_store(data_dir))
    accounts.add("rina", "editor", OWN, PASSWORD, "uji")
    accounts.add("pemantau", "viewer", "", PASSWORD, "uji")
    nobody = run_cli("evidence", "add", OWN_ITEM, "1", sk, check_returncode=1)
    assert "--user" in nobody.stderr
    other = run_cli("evidence", "add", "I-1-1", "1", sk, "--user", "rina", stdin=PASSWORD + "\n", check_returncode=1)
    assert f"hanya dapat melampirkan bukti untuk langkah aksi {OWN}; I-1-1 milik {OTHER}" in other.stderr
    viewer = run_cli("evidence", "add", OWN_ITEM, "1", sk, "--user", "pemantau", stdin=PASSWORD + "\n",
                     check_returncode=1)
    assert "tidak dapat mengubah data" in viewer.stderr
    assert current(data_dir) == []
    run_cli("evidence", "add", OWN_ITEM, "Januari", sk, "--user", "rina", stdin=PASSWORD + "\n", check_returncode=0)
    assert current(data_dir) == [(OWN_ITEM, 1, "SK Tim ZI.pdf", "rina")]


def test_package_writes_the_zip_and_accepted_only_keeps_the_accepted(data_dir, sk, tmp_path):
    run_cli("evidence", "add", "I-1-1", "1", sk, check_returncode=0)
    run_cli("evidence", "add", "I-1-1", "12", sk, check_returncode=0)
    evidence.review(ProgressStore(data_dir), "I-1-1", 12, "diterima", "", "penilai")
    target = tmp_path / "keluar" / "paket.zip"
    written = run_cli("evidence", "package", "-o", target, check_returncode=0)
    assert "2 berkas, 0 tautan; 1 berkas di paket" in written.stdout
    assert [row["Bulan"].value for row in index_rows(zipfile.ZipFile(target))] == ["Januari", "Desember"]
    run_cli("evidence", "package", "--diterima-saja", "-o", target, check_returncode=0)
    rows = index_rows(zipfile.ZipFile(target))
    assert [(row["Bulan"].value, row["Status Verifikasi"].value) for row in rows] == [("Desember", "Diterima")]
    assert [path.name for path in target.parent.iterdir()] == ["paket.zip"], "no temporary file is left"


def test_package_of_a_year_without_a_plan_exits_2(data_dir, tmp_path):
    result = run_cli("evidence", "package", "--year", "2031", "-o", tmp_path / "paket.zip", check_returncode=2)
    assert "2031" in result.stderr and not (tmp_path / "paket.zip").exists()


def test_package_names_a_stored_file_gone_from_disk_and_leaves_no_zip(data_dir, sk, tmp_path):
    run_cli("evidence", "add", "I-1-1", "1", sk, check_returncode=0)
    store = ProgressStore(data_dir)
    evidence.blob_file(store, evidence.attachments(store)["sha256"][0]).unlink()
    result = run_cli("evidence", "package", "-o", tmp_path / "paket.zip", check_returncode=1)
    assert "Paket bukti tidak dapat dibuat: berkas 'AREA I" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "paket.zip").exists()


def test_rule_shows_the_counting_rule_and_only_an_admin_changes_it(data_dir):
    shown = run_cli("evidence", "rule", check_returncode=0)
    assert "Aturan hitung: Selesai dengan bukti dukung" in shown.stdout
    open_mode = run_cli("evidence", "rule", "terverifikasi", check_returncode=1)
    assert "--role admin" in open_mode.stderr
    accounts = Accounts(ProgressStore(data_dir))
    accounts.add("koordinator", "admin", "", PASSWORD, "uji")
    accounts.add("tpi", "penilai", "", PASSWORD, "uji")
    penilai = run_cli("evidence", "rule", "terverifikasi", "--user", "tpi", stdin=PASSWORD + "\n", check_returncode=1)
    assert "tidak dapat mengubah data" in penilai.stderr
    assert counting_rule(ProgressStore(data_dir)) == "bukti"
    run_cli("evidence", "rule", "terverifikasi", "--user", "koordinator", stdin=PASSWORD + "\n", check_returncode=0)
    assert counting_rule(ProgressStore(data_dir)) == "terverifikasi"
    assert "bukti diterima penilai" in run_cli("evidence", "rule", check_returncode=0).stdout
    unknown = run_cli("evidence", "rule", "semua", check_returncode=2)
    assert "semua" in unknown.stderr and counting_rule(ProgressStore(data_dir)) == "terverifikasi"
