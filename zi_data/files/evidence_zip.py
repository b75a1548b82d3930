"""The bulk evidence ZIP uploaded together with a realisasi workbook, read safely.

`check_evidence_zip(data, label)` (run in the parsing worker) refuses, before anything is unpacked,
a ZIP whose directory describes a bomb (member count, total size, compression ratio: the workbook
guard's limits); then, member by member: path traversal in names (`..`, absolute paths, drive
letters, backslashes), symlinks, encrypted members, archives inside the ZIP, and every file that
file_types.sniff refuses. Each member is read counting its bytes against its declared size, the
per-file limit and the total. Files are keyed by their base name (no folder), which must be unique
without regard to letter case. A member's name is never used as a path.

`extract(data, files, label)` takes the bytes of the checked files out again (in the server), each
verified against the size and SHA-256 the check recorded; `read_evidence_zip` does both.
"""

import io
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass

from . import xlsx_guard
from .evidence_files import max_file_bytes
from .file_types import sniff
from .package_checks import READ_ERRORS
from ..base.paths import sha256_of
from ..base.problems import InputError, Problem, shown
from .xlsx_guard import expansion_problem

CHUNK_BYTES = 1024 * 1024
ARCHIVE_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08", b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c",
                      b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")
ARCHIVE_EXTENSIONS = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".zipx")
# What file managers add to a ZIP by themselves; skipped, never attached.
SYSTEM_FOLDERS = ("__macosx",)
SYSTEM_FILES = (".ds_store", "thumbs.db", "desktop.ini")
DRIVE_LETTER = re.compile(r"^[A-Za-z]:")
ALLOWED_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".pptx")
PART_SEPARATORS = re.compile(r"[;\r\n]+")
LINK = re.compile(r"^https?://[^\s/?#]+\S*$", re.IGNORECASE)
ZIP_FIX = "Buat ulang ZIP berisi berkas bukti saja (PDF, JPG, PNG, DOCX, XLSX, PPTX), tanpa kata sandi, lalu unggah."


@dataclass(frozen=True)
class EvidenceFile:
    """One checked file of the ZIP."""
    name: str  # the base name: the key a Bukti Dukung cell names it by
    member: str  # its full name inside the ZIP
    kind: str  # file_types.KINDS key
    size: int
    sha256: str


def max_zip_bytes() -> int:
    """The largest evidence ZIP accepted, and the most its files may hold unpacked together."""
    return xlsx_guard.MAX_UNCOMPRESSED_BYTES


def read_evidence_zip(data: bytes, label: str) -> dict[str, bytes]:
    """The files of the evidence ZIP by base name, after every check; InputError naming what is refused."""
    return extract(data, check_evidence_zip(data, label), label)


def check_evidence_zip(data: bytes, label: str) -> list[EvidenceFile]:
    """Every file of the ZIP, checked (see the module docstring); InputError listing each refused member."""
    name = shown(label)
    archive, members = _open(data, name)
    with archive:
        problems: list[Problem] = []
        files: dict[str, EvidenceFile] = {}
        budget = [max_zip_bytes()]
        for member in members:
            problem = _name_problem(member, name)
            if problem is None and not _skipped(member):
                problem = _checked_file(archive, member, name, budget, files)
            if problem is not None:
                problems.append(problem)
    if problems:
        raise InputError(problems)
    return list(files.values())


def extract(data: bytes, files: list[EvidenceFile], label: str) -> dict[str, bytes]:
    """The bytes of `files` (from check_evidence_zip on the same `data`), verified: size and SHA-256."""
    changed = InputError([Problem(f"Berkas '{shown(label)}' berubah setelah diperiksa.", fix=ZIP_FIX)])
    contents = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for file in files:
                with archive.open(file.member) as stream:
                    content = stream.read(file.size + 1)
                if len(content) != file.size or sha256_of(content) != file.sha256:
                    raise changed
                contents[file.name] = content
    except (*READ_ERRORS, KeyError):
        raise changed from None
    return contents


def _open(data: bytes, name: str) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    if not data:
        raise InputError([Problem(f"Berkas '{name}' kosong.", fix=ZIP_FIX)])
    if len(data) > max_zip_bytes():
        raise InputError([Problem(f"Berkas '{name}' terlalu besar ({len(data) / 1_048_576:.0f} MB).",
                                  fix=f"Batas ZIP bukti adalah {max_zip_bytes() // 1_048_576} MB; bagi berkas "
                                      "bukti ke beberapa unggahan.")])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except READ_ERRORS:
        raise InputError([Problem(f"Berkas '{name}' bukan arsip ZIP atau rusak/terpotong.", fix=ZIP_FIX)]) from None
    if problem := expansion_problem(members, name, fix=ZIP_FIX):
        archive.close()
        raise InputError([problem])
    return archive, members


def _member_problem(name: str, member: zipfile.ZipInfo, reason: str) -> Problem:
    return Problem(f"Berkas '{name}': isi '{shown(member.filename)}' ditolak: {reason}.", fix=ZIP_FIX)


def _name_problem(member: zipfile.ZipInfo, name: str) -> Problem | None:
    """Why the member's name or kind is refused: traversal, absolute path, drive letter, symlink, encryption."""
    filename = member.filename
    if "\\" in filename:
        return _member_problem(name, member, "namanya memuat garis miring terbalik (\\)")
    if filename.startswith("/") or DRIVE_LETTER.match(filename):
        return _member_problem(name, member, "namanya berupa jalur mutlak")
    if ".." in filename.split("/"):
        return _member_problem(name, member, "namanya menunjuk ke luar folder ZIP (..)")
    if stat.S_ISLNK(member.external_attr >> 16):
        return _member_problem(name, member, "berupa tautan simbolik (symlink)")
    if member.flag_bits & 0x1:
        return _member_problem(name, member, "dilindungi kata sandi (terenkripsi)")
    return None


def _skipped(member: zipfile.ZipInfo) -> bool:
    """Folders, and what file managers add by themselves (__MACOSX, .DS_Store, Thumbs.db)."""
    parts = member.filename.lower().split("/")
    return member.is_dir() or parts[-1] == "" or parts[0] in SYSTEM_FOLDERS or parts[-1] in SYSTEM_FILES


def _checked_file(archive, member, name: str, budget: list[int], files: dict[str, EvidenceFile]) -> Problem | None:
    """Read, count and sniff one member, adding it to `files`; the Problem that refuses it, if any."""
    base = member.filename.rsplit("/", 1)[-1]
    if base.lower().endswith(ARCHIVE_EXTENSIONS):
        return _member_problem(name, member, "arsip di dalam ZIP tidak diterima")
    content = _read_counted(archive, member, name, budget)
    if isinstance(content, Problem):
        return content
    if _is_archive(content):
        return _member_problem(name, member, "arsip di dalam ZIP tidak diterima")
    try:
        kind = sniff(content, base)
    except InputError as error:
        return Problem(f"Berkas '{name}', isi '{shown(member.filename)}': {error.problems[0].message}",
                       fix=error.problems[0].fix)
    key = file_key(base)
    if key in files:
        return _member_problem(name, member, f"namanya sama dengan '{shown(files[key].member)}' (nama berkas di ZIP "
                                             "harus berbeda walau berada di folder lain)")
    files[key] = EvidenceFile(base, member.filename, kind, len(content), sha256_of(content))
    return None


def _read_counted(archive, member, name: str, budget: list[int]) -> bytes | Problem:
    """The member's bytes, read in chunks and counted against its declared size, the file limit and the total."""
    limit = min(member.file_size, max_file_bytes())
    if member.file_size > max_file_bytes():
        return _member_problem(name, member, f"lebih besar dari batas {max_file_bytes() // 1_048_576} MB per berkas")
    chunks, size = [], 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                size += len(chunk)
                if size > limit or size > budget[0]:
                    raise InputError([Problem(f"Isi berkas '{name}' lebih besar daripada yang dinyatakan "
                                              f"({shown(member.filename)}).", fix=ZIP_FIX)])
                chunks.append(chunk)
    except READ_ERRORS:
        return _member_problem(name, member, "isinya rusak atau dikompresi dengan cara yang tidak didukung")
    budget[0] -= size
    return b"".join(chunks)


def _is_archive(content: bytes) -> bool:
    """Another archive: any archive signature except an Office Open XML package (a zip with [Content_Types].xml)."""
    if not content.startswith(ARCHIVE_SIGNATURES):
        return False
    if not content.startswith(b"PK"):
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as inner:
            return "[Content_Types].xml" not in inner.namelist()
    except READ_ERRORS:
        return True


@dataclass(frozen=True)
class BuktiReferences:
    """What one Bukti Dukung cell names: files (as written) and http(s) links; other text is free text."""
    files: tuple[str, ...]
    links: tuple[str, ...]


@dataclass
class EvidenceMatch:
    files: list[dict]  # row, item_id, month, file_name (the ZIP's base name): files to attach
    links: list[dict]  # row, item_id, month, url
    problems: list[Problem]  # named files missing from the ZIP, files no cell names, rows that may not get files


def bukti_references(text: str) -> BuktiReferences:
    """The files and links a Bukti Dukung cell names, its parts separated by ';' or new lines."""
    files, links = [], []
    for part in PART_SEPARATORS.split(text or ""):
        part = part.strip()
        if LINK.match(part):
            links.append(part)
        elif part.lower().endswith(ALLOWED_EXTENSIONS):
            files.append(re.split(r"[/\\]", part)[-1].strip())
    return BuktiReferences(tuple(dict.fromkeys(files)), tuple(dict.fromkeys(links)))


def file_key(file_name: str) -> str:
    """A file name as matched: Unicode-composed (a ZIP made on macOS decomposes accents), case ignored."""
    return unicodedata.normalize("NFC", file_name).strip().casefold()


def match_evidence(rows, names, sheet: str, column: str, attached=None) -> EvidenceMatch:
    """Which files of the ZIP (`names`: base names) each row's Bukti Dukung cell names.

    `rows`: dicts with row, item_id, month, bukti_dukung and `refused` (why the uploader may not change that
    row, or ''). `attached`: (item_id, month) -> file_key of the names already attached there; such a name is
    not missing. Each named file is attached once per item-month; files no cell names are listed, not attached.
    """
    by_key = {file_key(name): name for name in names}
    attached = attached or {}
    match, referenced = EvidenceMatch([], [], []), set()
    for record in rows:
        found = bukti_references(record["bukti_dukung"])
        where = dict(sheet=sheet, row=record["row"], column=column)
        place = {"row": record["row"], "item_id": record["item_id"], "month": record["month"]}
        referenced.update(file_key(name) for name in found.files)
        if record.get("refused"):
            if found.files:
                match.problems.append(Problem(f"Berkas {_listed(found.files)} tidak dilampirkan: {record['refused']}",
                                              **where))
            continue
        for name in found.files:
            key = file_key(name)
            if key in by_key:
                match.files.append({**place, "file_name": by_key[key]})
            elif key not in attached.get((record["item_id"], record["month"]), set()):
                match.problems.append(Problem(
                    f"Berkas '{shown(name)}' disebut di sel ini tetapi tidak ada di ZIP bukti.", **where,
                    fix="Tambahkan berkas itu ke ZIP dengan nama yang sama, atau perbaiki namanya di sel."))
        match.links.extend({**place, "url": link} for link in found.links)
    for key, name in sorted(by_key.items()):
        if key not in referenced:
            match.problems.append(Problem(
                f"Berkas '{shown(name)}' di ZIP tidak dirujuk oleh sel Bukti Dukung mana pun, jadi tidak dilampirkan.",
                sheet=sheet, column=column,
                fix="Tulis nama berkasnya di kolom Bukti Dukung pada baris langkah aksi yang dibuktikannya."))
    return match


def _listed(names) -> str:
    return ", ".join(f"'{shown(name)}'" for name in names)
