"""The bulk evidence ZIP: the attacks refused (property-based where the space is large), then the matching."""

import io
import stat
import zipfile

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from helpers import examples
from evidence_samples import jpeg_bytes, ooxml_bytes, pdf_bytes, png_bytes, samples, zipped
from zi_data.files import xlsx_guard
from zi_data.files.evidence_zip import (BuktiReferences, bukti_references, check_evidence_zip, extract, match_evidence,
                                        read_evidence_zip)
from zi_data.base.problems import InputError

SETTINGS = dict(deadline=None, derandomize=True, database=None, print_blob=True,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LABEL = "bukti.zip"


def refused(data: bytes) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_evidence_zip(data, LABEL)
    assert all(f"'{LABEL}'" in problem.message for problem in caught.value.problems)
    return [problem.message for problem in caught.value.problems]


def with_member(info: zipfile.ZipInfo, data: bytes, others: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in (others or {}).items():
            archive.writestr(name, content)
        archive.writestr(info, data)
    return out.getvalue()


def test_files_are_keyed_by_base_name_folders_and_system_files_skipped():
    data = zipped({"AREA I/i. Tim/1.i.a SK TIM ZI.pdf": pdf_bytes(), "foto.JPG": jpeg_bytes(),
                   "AREA II/": b"", "__MACOSX/AREA I/._1.i.a SK TIM ZI.pdf": b"\x00\x05\x16\x07",
                   ".DS_Store": b"\x00\x00\x00\x01Bud1", "AREA II/Thumbs.db": b"\xd0\xcf"})
    assert read_evidence_zip(data, LABEL) == {"1.i.a SK TIM ZI.pdf": pdf_bytes(), "foto.JPG": jpeg_bytes()}
    [pdf, jpeg] = check_evidence_zip(data, LABEL)
    assert (pdf.kind, pdf.member, pdf.size) == ("pdf", "AREA I/i. Tim/1.i.a SK TIM ZI.pdf", len(pdf_bytes()))
    assert jpeg.kind == "jpeg"


def test_every_allowed_kind_passes():
    files = {f"bukti_{kind}.{kind}": data for kind, data in samples().items()}
    assert read_evidence_zip(zipped(files), LABEL) == files


@pytest.mark.parametrize("name", ["../etc/passwd.pdf", "a/../../b.pdf", "/abs/b.pdf", "C:/Windows/b.pdf",
                                  "c:b.pdf", "dir\\..\\b.pdf", "x\\b.pdf"])
def test_path_traversal_absolute_and_backslash_names_are_refused(name):
    [message] = refused(with_member(zipfile.ZipInfo(name), pdf_bytes()))
    assert name in message


def test_symlinks_are_refused():
    link = zipfile.ZipInfo("sk.pdf")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    [message] = refused(with_member(link, b"/etc/passwd"))
    assert "symlink" in message


def test_encrypted_members_are_refused():
    data = bytearray(zipped({"sk.pdf": pdf_bytes()}))
    for offset in (data.find(b"PK\x03\x04") + 6, data.find(b"PK\x01\x02") + 8):  # general purpose flag: bit 0
        data[offset] |= 0x1
    assert any("terenkripsi" in message for message in refused(bytes(data)))


@pytest.mark.parametrize("inner_name, inner", [
    ("lagi.zip", zipped({"sk.pdf": pdf_bytes()})),
    ("menyamar.pdf", zipped({"sk.pdf": pdf_bytes()})),
    ("arsip.7z", b"7z\xbc\xaf\x27\x1c\x00\x04"),
    ("arsip.pdf", b"Rar!\x1a\x07\x01\x00"),
    ("data.gz", b"\x1f\x8b\x08\x00"),
])
def test_an_archive_inside_the_zip_is_refused(inner_name, inner):
    [message] = refused(zipped({inner_name: inner, "sk.pdf": pdf_bytes()}))
    assert "arsip di dalam ZIP" in message and inner_name in message


def test_an_office_document_inside_the_zip_is_not_an_archive():
    assert read_evidence_zip(zipped({"notulen.docx": ooxml_bytes("docx")}), LABEL)["notulen.docx"]


def test_each_bad_member_is_named_and_the_good_ones_do_not_hide_it():
    messages = refused(zipped({"sk.pdf": pdf_bytes(), "halaman.pdf": b"<html><script>x</script>%PDF-1.4",
                               "program.pdf": b"MZ\x90\x00", "kosong.png": b""}))
    assert len(messages) == 3
    assert any("halaman.pdf" in m and "HTML" in m for m in messages)
    assert any("program.pdf" in m and "program" in m for m in messages)
    assert any("kosong.png" in m and "kosong" in m for m in messages)


def test_duplicate_base_names_name_both_members():
    [message] = refused(zipped({"AREA I/SK.pdf": pdf_bytes(), "AREA II/sk.PDF": pdf_bytes("lain")}))
    assert "AREA I/SK.pdf" in message and "AREA II/sk.PDF" in message


def test_bombs_are_refused_from_the_directory(monkeypatch):
    bomb = zipped({"sk.pdf": b"%PDF-1.4" + b"\x00" * (3 * 1_048_576)})
    assert "rasio kompresi" in refused(bomb)[0]
    monkeypatch.setattr(xlsx_guard, "MAX_MEMBERS", 2)
    assert "terlalu banyak" in refused(zipped({"a.pdf": pdf_bytes(), "b.png": png_bytes(), "c.jpg": jpeg_bytes()}))[0]
    monkeypatch.setattr(xlsx_guard, "MAX_UNCOMPRESSED_BYTES", 1000)
    assert "terlalu besar" in refused(b"PK" + b"\x00" * 1001)[0]


def test_sizes_are_counted_while_reading_not_only_declared(monkeypatch):
    """A member whose declared size lies is caught by counting: here the total budget is smaller than the data."""
    data = zipped({"a.pdf": pdf_bytes(), "b.pdf": pdf_bytes("b") + b" " * 4000})
    monkeypatch.setattr(xlsx_guard, "MAX_UNCOMPRESSED_BYTES", len(data) + 2000)
    monkeypatch.setattr("zi_data.files.evidence_zip.expansion_problem", lambda *args, **kwargs: None)
    assert "lebih besar daripada yang dinyatakan" in refused(data)[0]


def test_a_member_over_the_file_limit_is_refused_before_reading(monkeypatch):
    monkeypatch.setenv("ZI_EVIDENCE_MAX_MB", "0.001")
    [message] = refused(zipped({"besar.pdf": b"%PDF-1.4" + b"\x00" * 5000}))
    assert "besar.pdf" in message and "batas" in message


def test_not_a_zip_empty_and_truncated_are_refused():
    assert "kosong" in refused(b"")[0]
    assert "bukan arsip ZIP" in refused(pdf_bytes())[0]
    assert "bukan arsip ZIP" in refused(zipped({"sk.pdf": pdf_bytes()})[:100])[0]


def test_extract_verifies_what_the_check_saw():
    data = zipped({"sk.pdf": pdf_bytes()})
    files = check_evidence_zip(data, LABEL)
    other = zipped({"sk.pdf": pdf_bytes("diganti")})
    with pytest.raises(InputError, match="berubah setelah diperiksa"):
        extract(other, files, LABEL)


names = st.lists(st.sampled_from(["..", ".", "a", "AREA I", "", "C:", "x\\..", "b.pdf"]), min_size=1, max_size=5)


@settings(max_examples=examples(200), **SETTINGS)
@given(parts=names, leading_slash=st.booleans())
def test_no_member_name_ever_escapes_or_is_used_as_a_path(parts, leading_slash):
    """Whatever the member name, a file is accepted only under a safe name, and keyed by its base name only."""
    name = ("/" if leading_slash else "") + "/".join(parts) + "/sk.pdf"
    try:
        files = check_evidence_zip(with_member(zipfile.ZipInfo(name), pdf_bytes()), LABEL)
    except InputError as error:
        assert all(f"'{LABEL}'" in problem.message for problem in error.problems)
        return
    [file] = files
    assert file.name == "sk.pdf"
    segments = file.member.split("/")
    assert ".." not in segments and "\\" not in file.member and not file.member.startswith("/")
    assert not (len(segments[0]) >= 2 and segments[0][1] == ":")


@settings(max_examples=examples(200), **SETTINGS)
@given(data=st.one_of(
    st.binary(max_size=3000),
    st.builds(lambda cut, noise: zipped({"a/sk.pdf": pdf_bytes(), "b.png": png_bytes()})[:cut] + noise,
              st.integers(0, 3000), st.binary(max_size=50)),
    st.builds(lambda offset, byte: _flipped(zipped({"sk.pdf": pdf_bytes(), "x.docx": ooxml_bytes("docx")}),
                                            offset, byte), st.integers(0, 4000), st.integers(0, 255)),
))
def test_random_and_damaged_zips_never_crash(data):
    try:
        files = read_evidence_zip(data, LABEL)
    except InputError as error:
        assert error.problems
    else:
        assert all(isinstance(content, bytes) and content for content in files.values())


def _flipped(data: bytes, offset: int, byte: int) -> bytes:
    offset %= len(data)
    return data[:offset] + bytes([byte]) + data[offset + 1:]


def test_bukti_references_split_files_links_and_text():
    found = bukti_references("AREA I/SK Tim.pdf; https://drive.example/x?id=1\nfoto rapat.JPG;catatan bebas;"
                             " notulen.docx ;javascript:alert(1).pdf; http://;ftp://a/b.pdf")
    assert found.files == ("SK Tim.pdf", "foto rapat.JPG", "notulen.docx", "javascript:alert(1).pdf", "b.pdf")
    assert found.links == ("https://drive.example/x?id=1",)
    assert bukti_references("") == bukti_references("hanya teks") == BuktiReferences((), ())


def rows(*cells, refused_rows=()):
    return [{"row": 5 + i, "item_id": f"I-1-{i + 1}", "month": 3, "bukti_dukung": cell,
             "refused": "milik tim lain." if i in refused_rows else ""} for i, cell in enumerate(cells)]


def test_matching_files_links_missing_and_unreferenced():
    zip_names = ["SK Tim ZI.pdf", "foto.jpg", "lupa.png", "Café.pdf"]
    match = match_evidence(rows("sk tim zi.PDF; https://a.example/b", "foto.jpg\nhilang.pdf; sk tim zi.pdf",
                                "teks saja", "cafe\u0301.pdf"),
                           zip_names, "Realisasi", "I (Bukti Dukung)")
    assert [(f["row"], f["item_id"], f["file_name"]) for f in match.files] == [
        (5, "I-1-1", "SK Tim ZI.pdf"), (6, "I-1-2", "foto.jpg"), (6, "I-1-2", "SK Tim ZI.pdf"),
        (8, "I-1-4", "Café.pdf")]
    assert match.links == [{"row": 5, "item_id": "I-1-1", "month": 3, "url": "https://a.example/b"}]
    missing, unreferenced = match.problems
    assert (missing.row, missing.column, missing.sheet) == (6, "I (Bukti Dukung)", "Realisasi")
    assert "hilang.pdf" in missing.message and "tidak ada di ZIP" in missing.message
    assert "lupa.png" in unreferenced.message and "tidak dirujuk" in unreferenced.message


def test_a_name_already_attached_is_not_missing_and_refused_rows_get_nothing():
    match = match_evidence(rows("lama.pdf", "baru.pdf", refused_rows=(1,)), ["baru.pdf"], "Realisasi", "I",
                           attached={("I-1-1", 3): {"lama.pdf"}})
    assert match.files == []
    [problem] = match.problems
    assert problem.row == 6 and "'baru.pdf' tidak dilampirkan: milik tim lain." in problem.message
