"""Checks on an uploaded .xlsx before any parser touches it.

An .xlsx is a zip archive; a small file can expand to gigabytes (a "zip bomb"),
so sizes are checked from the zip directory before anything is decompressed.
Then package_checks reads every part, streaming: XML declarations, macros,
ActiveX, external links and how far each sheet's values reach.
"""

import io
import os
import zipfile
from pathlib import Path

from .package_checks import check_package
from ..base.problems import InputError, Problem

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_MEMBER_RATIO = 200
MAX_MEMBERS = 10_000

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

SOURCE_TYPES = "path, bytes or a binary file object"


def read_source(source, file_label: str | None = None) -> tuple[bytes, str]:
    """Return the bytes of `source` and a label naming it, refusing oversized files."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        label = file_label or path.name
        try:
            size = path.stat().st_size
        except OSError:
            raise InputError([Problem(f"Berkas '{label}' tidak ditemukan atau tidak dapat dibaca.",
                                      fix="Periksa nama dan lokasi berkas, lalu coba lagi.")])
        _check_size(size, label)
        return path.read_bytes(), label
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif hasattr(source, "read"):
        data = source.read(MAX_FILE_BYTES + 1)
        if isinstance(data, str):
            raise TypeError(f"expected {SOURCE_TYPES}, got a text stream")
    else:
        raise TypeError(f"expected {SOURCE_TYPES}, got {type(source).__name__}")
    label = file_label or getattr(source, "name", None) or "berkas unggahan"
    _check_size(len(data), label)
    return data, str(label)


def _check_size(size: int, label: str) -> None:
    if size > MAX_FILE_BYTES:
        raise InputError([Problem(
            f"Berkas '{label}' terlalu besar ({size / 1_048_576:.1f} MB).",
            fix=f"Batas ukuran berkas adalah {MAX_FILE_BYTES // 1_048_576} MB; hapus lembar atau gambar yang tidak diperlukan.")])
    if size == 0:
        raise InputError([Problem(f"Berkas '{label}' kosong.", fix="Unggah berkas .xlsx yang berisi rencana aksi.")])


def open_checked_zip(data: bytes, label: str) -> zipfile.ZipFile:
    """Open `data` as the zip of an .xlsx workbook after checking it is safe to parse."""
    not_xlsx = Problem(
        f"Berkas '{label}' bukan buku kerja Excel (.xlsx) atau rusak/terpotong.",
        fix="Simpan ulang berkas dari Excel atau LibreOffice dengan format 'Excel 2007-365 (.xlsx)' lalu unggah kembali.")
    if data[:8] == OLE_SIGNATURE:
        if OLE_ENCRYPTED_STREAM in data:
            raise InputError([Problem(
                f"Berkas '{label}' dilindungi kata sandi (terenkripsi) sehingga tidak dapat dibaca.",
                fix="Buka berkas di Excel, hapus kata sandinya (File › Info › Proteksi Buku Kerja), "
                    "simpan sebagai .xlsx lalu unggah kembali.")])
        raise InputError([Problem(
            f"Berkas '{label}' berformat Excel lama (.xls).",
            fix="Buka di Excel atau LibreOffice lalu simpan sebagai .xlsx.")])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise InputError([not_xlsx])
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        if "content.xml" in names:
            raise InputError([Problem(
                f"Berkas '{label}' berformat OpenDocument (.ods).",
                fix="Di LibreOffice pilih File › Simpan Sebagai › 'Excel 2007-365 (.xlsx)'.")])
        if "xl/workbook.bin" in names:
            raise InputError([Problem(
                f"Berkas '{label}' berformat Excel Binary (.xlsb).",
                fix="Buka di Excel lalu simpan sebagai 'Excel Workbook (.xlsx)'.")])
        raise InputError([not_xlsx])
    if problem := expansion_problem(members, label, fix="Berkas ini tidak aman untuk dibaca; unggah buku kerja "
                                                       "rencana aksi biasa."):
        raise InputError([problem])
    check_package(archive, label, not_xlsx)
    return archive


def expansion_problem(members: list[zipfile.ZipInfo], label: str, fix: str) -> Problem | None:
    """What makes the zip of `members` unsafe to unpack, by its directory: too many members, too much data in
    total, or a member compressed at an unusual ratio (a zip bomb); None when it is safe."""
    if len(members) > MAX_MEMBERS:
        return Problem(f"Berkas '{label}' memuat terlalu banyak bagian ({len(members)}).", fix=fix)
    total = sum(m.file_size for m in members)
    oversized = [m for m in members
                 if m.file_size > 1_048_576 and m.file_size > MAX_MEMBER_RATIO * max(m.compress_size, 1)]
    if total > MAX_UNCOMPRESSED_BYTES or oversized:
        return Problem(
            f"Isi berkas '{label}' terlalu besar setelah diekstrak ({total / 1_048_576:.0f} MB)"
            + (" dengan rasio kompresi yang tidak wajar" if oversized else "") + ".", fix=fix)
    return None
