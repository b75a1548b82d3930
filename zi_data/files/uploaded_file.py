"""One uploaded file, read once: its bytes, name and SHA-256, and the package opened from them.

The package (the zip archive the guard checked and returned, and the calamine workbook on the same
bytes) is opened on first use and never pickled: an UploadedFile crosses into the parsing worker
(upload_isolation) and is kept in Streamlit's cache inside the preview, and each side reopens it
only if it reads the workbook.
"""

import io
import zipfile
from dataclasses import dataclass

from python_calamine import CalamineWorkbook

from ..base.paths import sha256_of
from ..base.problems import InputError, Problem
from .xlsx_guard import open_checked_zip, read_source


@dataclass(frozen=True)
class OpenedPackage:
    archive: zipfile.ZipFile  # as open_checked_zip returned it: every check passed
    book: CalamineWorkbook


class UploadedFile:
    """An uploaded workbook's bytes, name and SHA-256 (computed here, once)."""

    def __init__(self, data: bytes, name: str):
        self.data = data
        self.name = name
        self.sha256 = sha256_of(data)
        self._package: OpenedPackage | None = None

    @classmethod
    def read(cls, source, file_name: str | None = None) -> "UploadedFile":
        """`source` (path, bytes or binary file) as an UploadedFile; InputError when missing, empty or too large."""
        data, name = read_source(source, file_name)
        return cls(data, name)

    def package(self) -> OpenedPackage:
        """The checked package, opened on first use. InputError when the guard refuses it or it is no workbook."""
        if self._package is None:
            archive = open_checked_zip(self.data, self.name)
            try:
                book = CalamineWorkbook.from_filelike(io.BytesIO(self.data))
            except (KeyboardInterrupt, SystemExit, MemoryError):
                raise
            except BaseException:  # calamine reports damage as CalamineError, or as a Rust panic (a BaseException)
                archive.close()
                raise InputError([unreadable_workbook(self.name)]) from None
            self._package = OpenedPackage(archive, book)
        return self._package

    def __getstate__(self) -> dict:
        return {"data": self.data, "name": self.name, "sha256": self.sha256}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _package=None)

    def __repr__(self) -> str:
        return f"UploadedFile({self.name!r}, {len(self.data)} bytes, sha256={self.sha256[:12]}…)"


def unreadable_workbook(name: str) -> Problem:
    return Problem(f"Berkas '{name}' tidak dapat dibaca sebagai buku kerja Excel (isi rusak).",
                   fix="Buka berkas di Excel atau LibreOffice, simpan ulang sebagai .xlsx, lalu unggah kembali.")
