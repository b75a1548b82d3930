"""PDFs with active content (scripts, launch actions, embedded files, rich media) are refused at attach time, in
any name spelling and inside compressed object streams; the page never previews one stored before the check."""

import io
import zlib

import pytest
from hypothesis import HealthCheck, given, settings
from pypdf import PdfWriter
from hypothesis import strategies as st

from helpers import examples
from evidence_samples import pdf_bytes
from zi_data.files.file_types import sniff
from zi_data.files.pdf_checks import active_content
from zi_data.base.problems import InputError

SETTINGS = dict(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
ACTIVE = {"JavaScript": "JavaScript", "JS": "JavaScript", "Launch": "/Launch", "EmbeddedFile": "berkas tersemat",
          "EmbeddedFiles": "berkas tersemat", "RichMedia": "RichMedia", "XFA": "XFA"}


def with_object(body: bytes) -> bytes:
    """A real PDF with one more object appended (readers find it by its number; the sniffer reads every byte)."""
    return pdf_bytes() + b"5 0 obj\n" + body + b"\nendobj\n"


def escaped(name: str, positions) -> bytes:
    """`name` with the letters at `positions` written as PDF name escapes (#xx, in either hex case)."""
    out = []
    for index, char in enumerate(name):
        out.append((f"#{ord(char):02x}" if index % 2 else f"#{ord(char):02X}") if index in positions else char)
    return "".join(out).encode()


def refusal(data: bytes) -> str:
    with pytest.raises(InputError) as caught:
        sniff(data, "laporan.pdf")
    [problem] = caught.value.problems
    assert "PDF berisi" in problem.message and "Cetak ulang" in problem.fix
    return problem.message


@pytest.mark.parametrize("body, reason", [
    (b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>", "JavaScript"),
    (b"<< /OpenAction << /S /JavaScript /JS (this.print()) >> >>", "JavaScript"),
    (b"<< /OpenAction 6 0 R >> 6 0 obj << /S /Launch /F (cmd.exe) >>", "/Launch"),
    (b"<< /Names << /EmbeddedFiles << /Names [(a.exe) 7 0 R] >> >> >>", "berkas tersemat"),
    (b"<< /Type /EmbeddedFile /Length 0 >>", "berkas tersemat"),
    (b"<< /Subtype /RichMedia >>", "RichMedia"),
    (b"<< /S /J#61vaScript /J#53 (x) >>", "JavaScript"),
    (b"<< /S/#4A#53(x) >>", "JavaScript"),
    (b"<</S/L#61unch/F(x)>>", "/Launch"),
])
def test_active_content_is_refused_naming_the_reason(body, reason):
    assert reason in refusal(with_object(body))


def test_active_content_hidden_in_a_compressed_object_stream_is_found():
    hidden = zlib.compress(b"6 0 << /S /JavaScript /JS (app.alert(1)) >>")
    body = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(hidden)
    assert "JavaScript" in refusal(with_object(body + hidden + b"\nendstream"))
    truncated = zlib.compress(b"<< /S /Launch /F (x) >>" + bytes(range(256)) * 40)[:-30]
    assert "/Launch" in refusal(with_object(b"<< /Length 9 >>\nstream\n" + truncated + b"\nendstream"))


def test_ordinary_pdfs_and_a_plain_open_action_pass():
    assert active_content(pdf_bytes()) is None
    assert sniff(with_object(b"<< /OpenAction [3 0 R /FitH null] /JSON (x) /JavaScripts 1 /Jx 2 >>"),
                 "laporan.pdf") == "pdf"
    stream = zlib.compress(b"BT /F1 12 Tf (JavaScript /JSX) Tj ET")
    assert sniff(with_object(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"), "a.pdf") == "pdf"


def test_decompression_is_bounded(monkeypatch):
    monkeypatch.setattr("zi_data.files.pdf_checks.MAX_INFLATED_BYTES", 1000)
    bomb = zlib.compress(b"\x00" * 100_000)
    assert "terlalu banyak" in refusal(with_object(b"<<>>\nstream\n" + bomb + b"\nendstream")
                                       + b"6 0 obj<<>>\nstream\n" + bomb + b"\nendstream")


@settings(max_examples=examples(200), **SETTINGS)
@given(name=st.sampled_from(sorted(ACTIVE)), data=st.data(), compressed=st.booleans(),
       space=st.sampled_from([b" ", b"", b"\n", b"\r\n", b"\t"]))
def test_escaped_spellings_of_active_names_are_refused(name, data, compressed, space):
    positions = data.draw(st.sets(st.integers(0, len(name) - 1)))
    body = b"<<" + space + b"/" + escaped(name, positions) + space + b"(x)>>"
    if compressed:
        hidden = zlib.compress(body)
        body = b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(hidden) + hidden + b"\nendstream"
    assert ACTIVE[name] in refusal(with_object(body))


def test_a_pdf_written_by_a_real_library_with_an_attachment_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    out = io.BytesIO()
    writer.write(out)
    assert sniff(out.getvalue(), "kosong.pdf") == "pdf"
    writer.add_attachment("program.exe", b"MZ\x90\x00")
    out = io.BytesIO()
    writer.write(out)
    assert "berkas tersemat" in refusal(out.getvalue())
