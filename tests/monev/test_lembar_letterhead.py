"""The lembar monev ready to file, on both backends: as of the meeting, with the letterhead (logo, name, address),
the meeting's nomor and both signatures, kept per plan year, append-only and audited."""

import io
from datetime import date

import openpyxl
import pypdf
import pytest
import sqlalchemy as sa

from lembar_helpers import LETTERHEAD, logo_png, set_letterhead
from zi_data.base.problems import InputError
from zi_data.monev import letterhead, monev
from zi_data.monev.lembar_pdf import build_lembar, lembar_pdf_bytes
from zi_data.monev.lembar_xlsx import lembar_xlsx_bytes
from zi_data.store import audit
from zi_data.store.accounts import User

ADMIN = User("admin.zi", "admin", "", "6203")
PRINTED = date(2026, 11, 7)  # 571 days after the meeting of 15 April 2025


@pytest.fixture
def store(store_on_each_backend):
    return store_on_each_backend


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages))


def april_meeting(store, monkeypatch) -> int:
    """The issue's meeting of 15 April 2025 with three follow-ups: one already late that day, one closed that
    day, one closed long after."""
    meeting_id = monev.record_meeting(store, held_on=date(2025, 4, 15), kind="pleno", chair="Ketua KPU",
                                      participants="A\nB", participant_count=None, as_of_month=3, notes="",
                                      by="admin.zi", nomor="007/PL.02/6203/2025")
    late = dict(action="Unggah SK tim", team="Tim Pengawasan", item_id=None, by="admin.zi", meeting_id=meeting_id)
    monev.add_follow_up(store, due_on=date(2025, 4, 10), **late)
    on_the_day = monev.add_follow_up(store, **{**late, "action": "Bagikan notulen"}, due_on=date(2025, 4, 30))
    later = monev.add_follow_up(store, **{**late, "action": "Perbaiki laporan"}, due_on=date(2025, 4, 20))
    with monkeypatch.context() as patched:
        patched.setattr(monev, "utc_now", lambda *args: "2025-04-15T06:00:00+00:00")  # 13:00 WIB on the day
        monev.close_follow_up(store, on_the_day, "Dibagikan usai rapat", ADMIN)
    monev.close_follow_up(store, later, "Diperbaiki", ADMIN)  # today, long after the meeting
    return meeting_id


def test_a_meetings_lembar_shows_everything_as_of_the_meeting(store, monkeypatch):
    meeting_id = april_meeting(store, monkeypatch)
    report = monev.report_data(store, meeting_id=meeting_id, today=PRINTED)
    states = {row["action"]: monev.follow_up_state(row) for row in report["follow_ups"]}
    assert states == {"Unggah SK tim": "Terbuka, lewat 5 hari", "Bagikan notulen": "Selesai",
                      "Perbaiki laporan": "Terbuka"}
    text = pdf_text(lembar_pdf_bytes(report))
    assert "10 April 2025 – Terbuka, lewat 5 hari" in text and "lewat 57" not in text
    assert "Selesai: Dibagikan usai rapat" in text and "Diperbaiki" not in text
    assert "20 April 2025 – Terbuka" in text
    assert text.count("Dicetak 7 November 2026") == len(pypdf.PdfReader(io.BytesIO(lembar_pdf_bytes(report))).pages)
    assert "November 2026" not in text.replace("Dicetak 7 November 2026", "")  # the print date only in the footer
    book = openpyxl.load_workbook(io.BytesIO(lembar_xlsx_bytes(report)))
    rows = list(book["Tindak Lanjut"].iter_rows(min_row=2, values_only=True))
    assert {row[1]: row[6] for row in rows} == states
    assert all(sheet.oddFooter.left.text == "Dicetak 7 November 2026" for sheet in book.worksheets)
    live = monev.report_data(store, as_of_month=3, today=PRINTED)  # without a meeting: as of the print date
    assert [monev.follow_up_state(row) for row in live["follow_ups"]] == ["Terbuka, lewat 576 hari"]


def test_the_meeting_keeps_its_nomor(store, monkeypatch):
    meeting_id = april_meeting(store, monkeypatch)
    assert monev.meeting(store, meeting_id)["nomor"] == "007/PL.02/6203/2025"
    assert monev.meetings(store)["nomor"].tolist() == ["007/PL.02/6203/2025"]
    with pytest.raises(monev.MonevError, match="Nomor paling panjang 100 karakter"):
        monev.record_meeting(store, held_on=date(2025, 5, 2), kind="pleno", chair="Ketua", participants="A",
                             participant_count=None, as_of_month=4, notes="", by="admin.zi", nomor="9" * 101)
    text = pdf_text(lembar_pdf_bytes(monev.report_data(store, meeting_id=meeting_id, today=PRINTED)))
    assert "Nomor: 007/PL.02/6203/2025" in text


def test_names_and_nips_are_checked_kept_per_plan_year_and_audited(store):
    assert letterhead.letterhead(store) == {**dict.fromkeys(letterhead.FIELDS, ""), "logo": None}
    for nip, shown in (("19750310200501100", "19750310200501100"), ("1975031020050110AB", "1975031020050110AB")):
        with pytest.raises(letterhead.LetterheadError, match=f"NIP Ketua KPU harus 18 angka .*{shown}"):
            letterhead.set_fields(store, {**LETTERHEAD, "ketua_nip": nip}, "admin.zi")
    assert letterhead.set_fields(store, {**LETTERHEAD, "tim_nip": "19820715 200902 2 003"}, "admin.zi")
    assert not letterhead.set_fields(store, LETTERHEAD, "admin.zi")  # the same again: nothing written
    assert {key: letterhead.letterhead(store)[key] for key in LETTERHEAD} == LETTERHEAD
    assert letterhead.set_fields(store, {**LETTERHEAD, "ketua_nama": "Dewi Lestari, S.Sos."}, "admin.zi")
    assert letterhead.letterhead(store)["ketua_nama"] == "Dewi Lestari, S.Sos."
    with store.reading() as conn:
        rows = conn.execute(sa.text("SELECT COUNT(*) FROM ledger_settings WHERE ledger_id = :ledger AND name = "
                                    "'lembar_monev'"), {"ledger": store.ledger_id}).scalar()
    assert rows == 2  # append-only: the older row is kept
    assert list(audit.audit_events(store)["action"]).count("kop_lembar_monev_diubah") == 2


def test_the_logo_is_checked_like_evidence_and_append_only(store):
    assert letterhead.set_logo(store, logo_png(), "logo.png", "admin.zi") == "png"
    assert letterhead.logo_bytes(letterhead.letterhead(store)) == logo_png()
    refused = {"halaman.png": b"<html><script>alert(1)</script></html>",
               "dokumen.png": b"%PDF-1.4\n%%EOF\n",
               "rusak.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
               "besar.png": logo_png()[:8] + b"\x00" * (letterhead.MAX_LOGO_BYTES + 1)}
    for name, data in refused.items():
        with pytest.raises(InputError, match=f"'{name}'") as error:
            letterhead.set_logo(store, data, name, "admin.zi")
        assert "Traceback" not in str(error.value)
    assert "terlalu besar" in _refusal(store, refused["besar.png"]) and "Batas ukuran logo" in _refusal(
        store, refused["besar.png"])
    with store.reading() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM lembar_logos")).scalar() == 1
    with pytest.raises(sa.exc.DBAPIError), store.transaction() as conn:
        conn.execute(sa.text("UPDATE lembar_logos SET file_name = 'lain.png'"))
    with pytest.raises(sa.exc.DBAPIError), store.transaction() as conn:
        conn.execute(sa.text("DELETE FROM lembar_logos"))


def _refusal(store, data: bytes) -> str:
    try:
        letterhead.set_logo(store, data, "besar.png", "admin.zi")
    except InputError as error:
        return str(error)
    raise AssertionError("accepted")


def test_the_letterhead_and_both_signatures_are_on_the_lembar(store, monkeypatch):
    meeting_id = april_meeting(store, monkeypatch)
    set_letterhead(store)
    report = monev.report_data(store, meeting_id=meeting_id, today=PRINTED)
    doc = build_lembar(report)
    assert doc.images and doc.images[0][:2] == (1, 15.0)  # the logo, on page 1 at the left margin
    first = [drawn.text for drawn in doc.drawn if drawn.page == 1]
    assert first[:2] == ["KOMISI PEMILIHAN UMUM KABUPATEN KAPUAS", LETTERHEAD["alamat"]]
    text = pdf_text(bytes(doc.output()))
    for expected in ("Mengetahui,", "Ketua KPU Kabupaten Kapuas", "Ketua Tim Kerja Zona Integritas",
                     "Budi Santoso, S.H.", "NIP. 197503102005011002", "Rina Wulandari, S.E.",
                     "NIP. 198207152009022003"):
        assert expected in text
    summary = openpyxl.load_workbook(io.BytesIO(lembar_xlsx_bytes(report)))["Ringkasan"]
    values = [cell for row in summary.iter_rows(values_only=True) for cell in row if cell]
    assert {LETTERHEAD["alamat"], "Budi Santoso, S.H.", "NIP. 198207152009022003", "Mengetahui,"} <= set(values)
    assert ("Nomor", "007/PL.02/6203/2025") in [row[:2] for row in summary.iter_rows(values_only=True)]
    (logo,) = summary._images  # at A1, 64 px high (EMU: 9525 a pixel)
    assert (logo.anchor._from.col, logo.anchor._from.row, round(logo.anchor.ext.height / 9525)) == (0, 0, 64)
