"""Evidence files for the package tests: small documents whose type the content decides."""

import io
import zipfile

import openpyxl

from zi_data.evidence.evidence_package import write_package

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def pdf(text: str = "bukti", size: int = 0) -> bytes:
    """A small PDF whose content depends on `text` (padded with comment lines to about `size` bytes)."""
    body = f"%PDF-1.4\n% {text}\n".encode()
    padding = b"% isi\n" * max(0, (size - len(body)) // 6)
    return body + padding + b"%%EOF\n"


def png(text: str = "gambar") -> bytes:
    return PNG_SIGNATURE + b"\x00\x00\x00\rIHDR" + text.encode() + b"\x00" * 16


def package(store, **options) -> zipfile.ZipFile:
    """The store's evidence package, written to memory and opened."""
    out = io.BytesIO()
    write_package(store, out, **options)
    out.seek(0)
    return zipfile.ZipFile(out)


def index_rows(archive: zipfile.ZipFile) -> list[dict]:
    """The index sheet's rows as {header: cell}, the cells (not values) so hyperlinks can be read."""
    book = openpyxl.load_workbook(io.BytesIO(archive.read("indeks_bukti.xlsx")))
    rows = list(book["Indeks Bukti"].iter_rows())
    headers = [cell.value for cell in rows[0]]
    return [dict(zip(headers, row)) for row in rows[1:]]


def facts(archive: zipfile.ZipFile) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(archive.read("indeks_bukti.xlsx")))
    return {label: value for label, value in book["Keterangan"].iter_rows(values_only=True)}
