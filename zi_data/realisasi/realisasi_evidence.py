"""The evidence ZIP of a realisasi upload: checked in the worker, matched to the rows, attached on apply.

`read_evidence(source, file_name)` reads the ZIP's bytes once and checks it in the parsing worker
(upload_isolation), so a hostile ZIP cannot take the server down; only the list of checked files
comes back. `plan_evidence` decides, for each Realisasi row the uploader may change, which files of
the ZIP its Bukti Dukung cell names and what attaching them would do against the current
attachments of that item-month: a new attachment, a new version of an attachment with the same
name and other content, or nothing (the same content is already there). `attach_evidence` does it
in the upload's transaction.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..evidence import evidence
from ..base.cell_values import cell_text, key_text, month_of
from ..files.evidence_zip import EvidenceFile, check_evidence_zip, extract, file_key, match_evidence, max_zip_bytes
from ..files.file_types import KINDS, size_text
from ..base.months import month_name
from ..base.paths import sha256_of
from ..base.problems import InputError, Problem, shown
from .realisasi_upload import UploadedWorkbook
from ..files.upload_isolation import run_isolated

EVIDENCE_COLUMNS = ["row", "item_id", "month", "month_name", "file_name", "kind", "size", "action", "replaces",
                    "sha256"]
NEW, NEW_VERSION, ALREADY_STORED = "baru", "versi baru", "sudah tersimpan"  # shown in the preview as they are


@dataclass
class EvidenceUpload:
    """An evidence ZIP as uploaded, and the files its check in the worker accepted."""
    name: str
    data: bytes = field(repr=False)
    files: list[EvidenceFile]

    @property
    def sha256(self) -> str:
        return sha256_of(self.data)

    def contents(self) -> dict[str, bytes]:
        """The checked files' bytes by base name (verified against the check)."""
        return extract(self.data, self.files, self.name)


@dataclass
class EvidencePlan:
    files: pd.DataFrame  # EVIDENCE_COLUMNS, one row per file per item-month
    warnings: list[Problem]

    def attached_count(self) -> int:
        return int((self.files["action"] != ALREADY_STORED).sum())

    def actions(self) -> tuple:
        columns = ["item_id", "month", "file_name", "sha256", "action", "replaces"]
        return tuple(sorted(tuple(str(v) for v in row) for row in self.files[columns].itertuples(index=False)))


def evidence_table(plan: EvidencePlan) -> pd.DataFrame:
    """The planned files as the preview shows them: Indonesian headers, sizes in KB/MB."""
    frame = plan.files
    return pd.DataFrame({"Baris": frame["row"], "ID": frame["item_id"], "Bulan": frame["month_name"],
                         "Berkas": frame["file_name"], "Jenis": frame["kind"], "Ukuran": frame["size"].map(size_text),
                         "Tindakan": frame["action"]})


def read_evidence(source, file_name: str | None = None) -> EvidenceUpload:
    """The ZIP (path, bytes or binary file) checked in a worker process; InputError naming what is refused."""
    data, name = _read_bytes(source, file_name)
    files = run_isolated(check_evidence_zip, data, name, label=name)
    return EvidenceUpload(name, data, files)


def _read_bytes(source, file_name: str | None) -> tuple[bytes, str]:
    """The ZIP's bytes and a label naming it, read up to one byte over its size limit."""
    limit = max_zip_bytes()
    if isinstance(source, (str, os.PathLike)):
        name = file_name or Path(source).name
        try:
            with open(source, "rb") as handle:
                data = handle.read(limit + 1)
        except OSError:
            raise InputError([Problem(f"Berkas '{shown(name)}' tidak ditemukan atau tidak dapat dibaca.",
                                      fix="Periksa nama dan lokasi berkas ZIP bukti, lalu coba lagi.")]) from None
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data, name = bytes(source), file_name or "ZIP bukti"
    elif hasattr(source, "read"):
        data, name = source.read(limit + 1), file_name or getattr(source, "name", None) or "ZIP bukti"
    else:
        raise TypeError(f"expected a path, bytes or a binary file, got {type(source).__name__}")
    if len(data) > limit:
        raise InputError([Problem(f"Berkas '{shown(name)}' lebih dari {limit // 1_048_576} MB.",
                                  fix="Bagi berkas bukti ke beberapa unggahan.")])
    return data, str(name)


def plan_evidence(store, upload: UploadedWorkbook, evidence_upload: EvidenceUpload, plan: pd.DataFrame,
                  team: str | None, allowed_team: str | None, aliases: dict[str, str]) -> EvidencePlan:
    """What attaching the ZIP's files would do, row by row, against the item-months' current attachments."""
    rows = evidence_rows(upload, plan, team, allowed_team, aliases)
    current = current_files(store)
    attached = {key: set(names) for key, names in current.items()}
    match = match_evidence(rows, [file.name for file in evidence_upload.files], upload.sheet,
                           upload.column("bukti_dukung"), attached)
    by_name = {file.name: file for file in evidence_upload.files}
    records = []
    for found in match.files:
        file = by_name[found["file_name"]]
        stored = current.get((found["item_id"], found["month"]), {}).get(file_key(file.name))
        action, replaces = NEW, None
        if stored is not None:
            action, replaces = (ALREADY_STORED, None) if stored[1] == file.sha256 else (NEW_VERSION, stored[0])
        records.append({**found, "month_name": month_name(found["month"]), "kind": KINDS[file.kind].label,
                        "size": file.size, "action": action, "replaces": replaces, "sha256": file.sha256})
    frame = pd.DataFrame.from_records(records, columns=EVIDENCE_COLUMNS)
    frame = frame.astype({"row": "int64", "month": "int64", "size": "int64", "replaces": "Int64"})
    return EvidencePlan(frame, match.problems)


def evidence_rows(upload: UploadedWorkbook, plan: pd.DataFrame, team: str | None, allowed_team: str | None,
                  aliases: dict[str, str]) -> list[dict]:
    """Each row with a Bukti Dukung text: its item-month as the row checks read it, and why it may not get
    files ('' when it may): an ID or month not in the plan, or another team's row."""
    items = {item.id: item for item in plan.itertuples(index=False)}
    folded = {key_text(item_id): item for item_id, item in items.items()}
    rows = []
    for record in upload.rows:
        text = cell_text(record.get("bukti_dukung"))
        if not text:
            continue
        item_id = cell_text(record.get("id"))
        item = items.get(item_id) or folded.get(key_text(item_id)) or items.get(aliases.get(item_id))
        month = month_of(record.get("month"))
        rows.append({"row": record["row"], "item_id": item.id if item is not None else item_id, "month": month or 0,
                     "bukti_dukung": text, "refused": _refusal(item, month, team, allowed_team)})
    return rows


def _refusal(item, month: int | None, team: str | None, allowed_team: str | None) -> str:
    if item is None:
        return "ID langkah aksi pada baris ini tidak ada di rencana aksi."
    if month is None or month not in item.months:
        return f"bulan pada baris ini tidak dijadwalkan untuk {item.id}."
    if allowed_team is not None and item.penanggung_jawab != allowed_team:
        return (f"langkah aksi {item.id} milik {item.penanggung_jawab}; Anda hanya dapat melampirkan bukti untuk "
                f"{allowed_team}.")
    if team is not None and item.penanggung_jawab != team:
        return f"langkah aksi {item.id} milik {item.penanggung_jawab}, bukan tim buku kerja ini ({team})."
    return ""


def current_files(store) -> dict[tuple[str, int], dict[str, tuple[int, str]]]:
    """(item_id, month) -> file_key of each current file attachment -> (evidence_id, sha256), the newest winning."""
    frame = evidence.attachments(store)
    current: dict[tuple[str, int], dict[str, tuple[int, str]]] = {}
    for row in frame[frame["kind"] != evidence.LINK].itertuples(index=False):
        names = current.setdefault((str(row.item_id), int(row.month)), {})
        names[file_key(row.file_name)] = (int(row.evidence_id), str(row.sha256))
    return current


def attach_evidence(store, conn, evidence_upload: EvidenceUpload, plan: EvidencePlan, upload_id: int, by: str) -> int:
    """Attach the planned files in the caller's transaction (`conn`), marked with `upload_id`; how many."""
    contents = evidence_upload.contents()
    attached = 0
    for row in plan.files.itertuples(index=False):
        if row.action == ALREADY_STORED:
            continue
        replaces = None if pd.isna(row.replaces) else int(row.replaces)
        evidence.attach_file(store, row.item_id, int(row.month), row.file_name, contents[row.file_name], by,
                             replaces=replaces, upload_id=upload_id, conn=conn)
        attached += 1
    return attached
