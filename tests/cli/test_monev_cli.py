"""`python -m zi_data monev report|list` and `python -m zi_data remind`: files written whole or not at all,
Indonesian messages and exit 2 on bad input, the reminders as the module makes them."""

import io
import os
from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

from helpers import run_cli
from zi_data.monev import monev, reminders
from zi_data.store.progress_store import ProgressStore

TEAM = "Tim Pelayanan Publik"


@pytest.fixture
def store(store_on_each_backend):
    return store_on_each_backend


def record(store, **changes) -> int:
    fields = {"held_on": date(2025, 7, 3), "kind": "triwulan", "chair": "Ketua KPU", "participants": "A\nB",
              "participant_count": None, "as_of_month": 6, "notes": "", "by": "admin.zi"} | changes
    return monev.record_meeting(store, **fields)


def summary_facts(path) -> dict:
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))["Ringkasan"]
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0] is not None}


def test_report_of_a_meeting_writes_its_lembar_as_xlsx(store, tmp_path):
    meeting_id = record(store, chair="Ketua Rapat")
    target = tmp_path / "keluar" / "lembar monev.xlsx"
    done = run_cli("monev", "report", "--meeting", meeting_id, "-o", target, data_dir=store.data_dir,
                   check_returncode=0)
    assert done.stdout == f"Lembar monev 6203 tahun 2025 (rapat nomor {meeting_id}) ditulis ke {target}.\n"
    found = summary_facts(target)
    assert found["Pimpinan rapat"] == "Ketua Rapat" and found["Rapat nomor"] == meeting_id
    assert os.stat(target).st_mode & 0o777 == 0o600
    assert [path.name for path in target.parent.iterdir()] == [target.name]  # no temporary file left


def test_report_of_a_meeting_writes_its_lembar_as_pdf(store, tmp_path):
    meeting_id = record(store, chair="Ketua Rapat")
    target = tmp_path / "lembar.pdf"
    run_cli("monev", "report", "--meeting", meeting_id, "-o", target, data_dir=store.data_dir, check_returncode=0)
    text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Komisi Pemilihan Umum Kabupaten Kapuas" in text and "Ketua Rapat" in text and "Juni" in text
    assert os.stat(target).st_mode & 0o777 == 0o600


def test_report_as_of_a_month_without_a_meeting(store, tmp_path):
    target = tmp_path / "lembar.XLSX"
    done = run_cli("monev", "report", "--as-of", "2025-03", "-o", target, data_dir=store.data_dir,
                   check_returncode=0)
    assert "(bulan acuan Maret 2025)" in done.stdout
    assert summary_facts(target)["Bulan acuan"] == "Maret 2025 (posisi per 31 Maret 2025)"


def test_an_existing_file_is_replaced_whole(store, tmp_path):
    target = tmp_path / "lembar.xlsx"
    target.write_bytes(b"lama")
    run_cli("monev", "report", "--as-of", "2025-06", "-o", target, data_dir=store.data_dir, check_returncode=0)
    assert target.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("args, message", [
    (["--meeting", "99"], "Rapat monev nomor 99 tidak ada untuk 6203 tahun 2025. Lihat: python -m zi_data monev list"),
    (["--as-of", "2025-13"], "--as-of '2025-13' tidak sah: tulis bulan acuan sebagai TTTT-BB (misalnya 2025-06)."),
    (["--as-of", "2024-06"], "--as-of '2024-06' berada di luar tahun rencana aksi (2025)."),
    (["--as-of", "2025-06-30"], "--as-of '2025-06-30' tidak sah"),
])
def test_bad_input_is_an_indonesian_error_exit_2_and_writes_nothing(tmp_path, args, message):
    target = tmp_path / "lembar.xlsx"
    refused = run_cli("monev", "report", *args, "-o", target, data_dir=tmp_path / "data", check_returncode=2)
    assert refused.stderr.startswith(message) and "Traceback" not in refused.stderr
    assert not target.exists()


@pytest.mark.parametrize("name", ["lembar.doc", "lembar", "lembar.xlsx.zip", "lembar.xls"])
def test_only_pdf_or_xlsx_is_written(tmp_path, name):
    refused = run_cli("monev", "report", "--as-of", "2025-06", "-o", tmp_path / name, data_dir=tmp_path / "data",
                      check_returncode=2)
    assert refused.stderr == f"Berkas tujuan harus berakhiran .pdf atau .xlsx: '{name}'.\n"
    assert not (tmp_path / name).exists()


def test_a_meeting_or_a_month_is_required_but_not_both(tmp_path):
    both = run_cli("monev", "report", "--meeting", "1", "--as-of", "2025-06", "-o", tmp_path / "a.xlsx",
                   data_dir=tmp_path / "data", check_returncode=2)
    assert "tidak boleh dipakai bersama argumen" in both.stderr
    run_cli("monev", "report", "-o", tmp_path / "a.xlsx", data_dir=tmp_path / "data", check_returncode=2)


def test_a_target_under_a_file_is_refused_in_indonesian_with_exit_2(tmp_path):
    blocker = tmp_path / "berkas"
    blocker.write_text("bukan folder")
    refused = run_cli("monev", "report", "--as-of", "2025-06", "-o", blocker / "lembar.xlsx",
                      data_dir=tmp_path / "data", check_returncode=2)
    assert refused.stderr.endswith(f"galat: argumen -o/--output: '{blocker / 'lembar.xlsx'}' tidak dapat dibuat: "
                                   f"'{blocker}' adalah berkas, bukan direktori\n")


def test_list_shows_the_meetings_newest_first(store):
    empty = run_cli("monev", "list", data_dir=store.data_dir, check_returncode=0)
    assert empty.stdout == "Belum ada rapat monev tercatat untuk 6203 tahun 2025.\n"
    first = record(store, held_on=date(2025, 4, 2), as_of_month=3, chair="Ketua\nKPU")
    second = record(store, held_on=date(2025, 12, 20), kind="pleno", as_of_month=11, chair="Sekretaris")
    listed = run_cli("monev", "list", data_dir=store.data_dir, check_returncode=0).stdout
    assert listed.splitlines() == [
        "Rapat monev 6203 tahun 2025 (terbaru dahulu):",
        f"  #{second}  20 Desember 2025  Pleno  bulan acuan November  pimpinan: Sekretaris",
        f"  #{first}  2 April 2025  Monev triwulan  bulan acuan Maret  pimpinan: Ketua KPU",
    ]


def test_remind_prints_one_team_s_reminder_as_the_module_makes_it(store, monkeypatch):
    monkeypatch.delenv(reminders.DASHBOARD_URL_ENV, raising=False)
    printed = run_cli("remind", "--team", TEAM, "--as-of", "2025-06", data_dir=store.data_dir,
                      check_returncode=0).stdout
    expected = reminders.reminders(ProgressStore(store.data_dir), as_of_month=6, teams=[TEAM],
                                   base_url="http://localhost:8501")[TEAM]
    assert printed == expected + "\n"
    assert printed.rstrip().endswith("Dasbor tim: http://localhost:8501/?tim=Tim+Pelayanan+Publik")


def test_remind_prints_every_team_in_plan_order_with_the_configured_address(tmp_path, monkeypatch):
    monkeypatch.setenv(reminders.DASHBOARD_URL_ENV, "https://zi.example.go.id")
    printed = run_cli("remind", "--as-of", "2025-06", data_dir=tmp_path / "data", check_returncode=0).stdout
    store = ProgressStore(tmp_path / "data")
    found = reminders.reminders(store, as_of_month=6, base_url="https://zi.example.go.id")
    assert printed == reminders.reminders_text(found)
    other = run_cli("remind", "--team", TEAM, "--base-url", "http://10.0.0.5:8501/zi/", data_dir=tmp_path / "data",
                    check_returncode=0).stdout
    assert other.rstrip().endswith("Dasbor tim: http://10.0.0.5:8501/zi/?tim=Tim+Pelayanan+Publik")


@pytest.mark.parametrize("args, message", [
    (["--team", "Tim Hantu"], "Tim 'Tim Hantu' tidak ada dalam rencana aksi. Tim yang ada: Tim Agen Perubahan, "),
    (["--base-url", "ftp://zi.example.go.id"], "Alamat dasbor harus alamat http:// atau https:// yang lengkap"),
    (["--as-of", "Juni"], "--as-of 'Juni' tidak sah"),
])
def test_remind_refuses_bad_input_in_indonesian_with_exit_2(tmp_path, args, message):
    refused = run_cli("remind", *args, data_dir=tmp_path / "data", check_returncode=2)
    assert refused.stderr.startswith(message) and not refused.stdout


def test_kop_shows_the_letterhead_and_only_an_admin_changes_it(store, tmp_path):
    from lembar_helpers import logo_png
    from zi_data.monev import letterhead
    from zi_data.store.accounts import Accounts

    shown = run_cli("monev", "kop", data_dir=store.data_dir, check_returncode=0).stdout.splitlines()
    assert shown[0] == "Alamat kantor di kop surat: –" and shown[-1] == "Logo: –"
    change = ("monev", "kop", "--ketua-nama", "Budi Santoso, S.H.", "--ketua-nip", "19750310 200501 1 002")
    assert "--role admin" in run_cli(*change, data_dir=store.data_dir, check_returncode=1).stderr
    accounts = Accounts(store)
    accounts.add("koordinator", "admin", "", "kata-sandi-rahasia", "uji")
    accounts.add("rina", "editor", TEAM, "kata-sandi-rahasia", "uji")
    editor = run_cli(*change, "--user", "rina", stdin="kata-sandi-rahasia\n", data_dir=store.data_dir,
                     check_returncode=1)
    assert "Gagal masuk" in editor.stderr and letterhead.letterhead(store)["ketua_nama"] == ""
    bad = run_cli("monev", "kop", "--tim-nip", "12345", "--user", "koordinator", stdin="kata-sandi-rahasia\n",
                  data_dir=store.data_dir, check_returncode=2)
    assert bad.stderr == "NIP Ketua Tim Kerja ZI harus 18 angka (NIP pegawai negeri), bukan '12345'.\n"
    page = tmp_path / "logo.png"
    page.write_bytes(b"<html><body>bukan gambar</body></html>")
    refused = run_cli(*change, "--logo", page, "--user", "koordinator", stdin="kata-sandi-rahasia\n",
                      data_dir=store.data_dir, check_returncode=2)
    assert "Berkas 'logo.png' tidak diterima" in refused.stderr and "Traceback" not in refused.stderr
    page.write_bytes(logo_png())
    done = run_cli(*change, "--logo", page, "--user", "koordinator", stdin="kata-sandi-rahasia\n",
                   data_dir=store.data_dir, check_returncode=0).stdout.splitlines()
    assert done[0] == "Kop surat lembar monev 6203 tahun 2025 diperbarui."
    assert "Nama Ketua KPU (Mengetahui): Budi Santoso, S.H." in done and "NIP Ketua KPU (18 angka): " \
        "197503102005011002" in done and done[-1] == "Logo: logo.png"
    assert letterhead.logo_bytes(letterhead.letterhead(store)) == logo_png()
