"""The evidence package: one plan year's current evidence in a ZIP shaped like the evaluators' folders.

    indeks_bukti.xlsx
    AREA I - <area name>/<komponen position>. <komponen>/<ID>/<ID>_<MM>-<Bulan>_<original name>

The ZIP is written member by member to any binary file object (a file, a SpooledTemporaryFile, a
pipe: zipfile writes data descriptors when it cannot seek back), each blob copied from disk in
chunks, so memory stays bounded however large the package grows; only the index workbook is built
in memory. Files are stored, not compressed again: every allowed type (PDF, JPEG, PNG, DOCX, XLSX,
PPTX) is compressed already. A content attached to several months of one ID is stored once in that
ID's folder; the index links each of its rows to that one file. Links (kind `tautan`) are listed in
the index with their URL, never as files.
"""

import shutil
import zipfile
from dataclasses import dataclass
from datetime import date

import pandas as pd

from . import evidence
from ..files import file_types
from ..store.counting_rule import counting_rule
from .evidence_index import INDEX_NAME, index_workbook_bytes
from ..base.months import month_name
from ..base.clock import office_zone, store_zone, today
from ..store.offices import office_frame
from ..files.package_names import FILE_BYTES, UniquePaths, safe_component
from ..base.problems import RefusedValue

CHUNK_BYTES = 1 << 20
NO_ITEM_FOLDER = "Tanpa langkah aksi"
PLAN_FIELDS = ["area", "area_name", "komponen_pos", "komponen", "langkah_aksi"]


@dataclass(frozen=True)
class PackageSummary:
    files: int   # index rows that are files
    links: int   # index rows that are links
    stored: int  # files written into the ZIP (a content repeated within one ID's folder counts once)
    bytes: int   # their total size


def write_package(store, out, *, accepted_only: bool = False, as_of: date | None = None) -> PackageSummary:
    """Write the package of `store`'s plan year to the binary file object `out` (see the module docstring).

    `accepted_only` keeps only evidence of item-months a penilai accepted (Diterima). `as_of` is the date the
    package is made (default today in the office's zone): noted on the index and given to every member."""
    as_of = as_of or today(store_zone(store))
    rows = package_rows(store, accepted_only=accepted_only)
    when = (as_of.year, as_of.month, as_of.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        index = index_workbook_bytes(rows, _package_facts(store, accepted_only, as_of))
        _write_bytes(archive, INDEX_NAME, index, when)
        for row in rows[rows["writes_blob"]].itertuples(index=False):
            _copy_blob(archive, row.member, evidence.blob_file(store, row.sha256), int(row.size), when)
    written = rows[rows["writes_blob"]]
    files = rows["kind"] != evidence.LINK
    return PackageSummary(files=int(files.sum()), links=int((~files).sum()), stored=len(written),
                          bytes=int(written["size"].sum()))


def package_rows(store, *, accepted_only: bool = False) -> pd.DataFrame:
    """One row per current attachment (evidence.ATTACHMENT_COLUMNS) with its plan fields, `review_state`,
    `member` (its path in the ZIP; '' for a link) and `writes_blob` (False for a link and for a repeat of
    content already stored in the same ID's folder); in plan order, then month and evidence_id."""
    plan = store.plan()
    files = evidence.attachments(store)
    states = evidence.evidence_states(store, store.latest())
    rows = files.merge(states[["item_id", "month", "review_state"]], on=["item_id", "month"], how="left")
    rows["review_state"] = rows["review_state"].fillna("")
    if accepted_only:
        rows = rows[rows["review_state"] == "diterima"]
    fields = plan[["id", *PLAN_FIELDS]].astype(str).rename(columns={"id": "item_id"})
    fields = fields.assign(plan_order=range(len(plan)))
    rows = rows.merge(fields, on="item_id", how="left")
    rows["plan_order"] = rows["plan_order"].fillna(len(plan))
    rows = rows.sort_values(["plan_order", "item_id", "month", "evidence_id"], kind="stable", ignore_index=True)
    rows[PLAN_FIELDS] = rows[PLAN_FIELDS].fillna("")  # a step no longer in the plan
    return _with_members(rows.drop(columns="plan_order"))


def _with_members(rows: pd.DataFrame) -> pd.DataFrame:
    paths, members, writes = UniquePaths(), [], []
    stored: dict[tuple[str, str], str] = {}
    folders: dict[str, str] = {}
    for row in rows.itertuples(index=False):
        if row.kind == evidence.LINK:
            members.append("")
            writes.append(False)
            continue
        key = (row.item_id, row.sha256)
        first = key not in stored
        if first:
            if row.item_id not in folders:
                folders[row.item_id] = _folder(row)
            stored[key] = paths.claim(folders[row.item_id], _file_name(row))
        members.append(stored[key])
        writes.append(first)
    return rows.assign(member=pd.Series(members, index=rows.index, dtype=str),
                       writes_blob=pd.Series(writes, index=rows.index, dtype=bool))


def _folder(row) -> str:
    item = safe_component(row.item_id)
    if not row.area:
        return f"{safe_component(NO_ITEM_FOLDER)}/{item}"
    area = safe_component(f"AREA {row.area} - {row.area_name}")
    komponen = safe_component(f"{row.komponen_pos}. {row.komponen}")
    return f"{area}/{komponen}/{item}"


def _file_name(row) -> str:
    """`<ID>_<MM>-<Bulan>_<original name>`, the original reduced to its last path part, ending in its type's
    extension."""
    original = str(row.file_name).replace("\\", "/").rsplit("/", 1)[-1]
    name = f"{row.item_id}_{int(row.month):02d}-{month_name(int(row.month))}_{original}"
    if row.kind not in file_types.KINDS:
        return safe_component(name, FILE_BYTES)
    return file_types.download_name(name, row.kind)


def _package_facts(store, accepted_only: bool, as_of: date) -> dict:
    with store.reading() as conn:
        names = office_frame(conn).set_index("code")["name"]
        zone = office_zone(conn, store.office)
    office = f"{names.get(store.office, '')} ({store.office})".strip()
    return {"office": office, "year": str(store.year), "rule": counting_rule(store),
            "accepted_only": accepted_only, "as_of": as_of, "zone": zone}


def _write_bytes(archive: zipfile.ZipFile, member: str, data: bytes, when: tuple) -> None:
    info = zipfile.ZipInfo(member, date_time=when)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def _copy_blob(archive: zipfile.ZipFile, member: str, source_path, size: int, when: tuple) -> None:
    info = zipfile.ZipInfo(member, date_time=when)
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    info.file_size = size  # tells zipfile in advance whether the member needs ZIP64
    try:
        source = open(source_path, "rb")
    except FileNotFoundError:
        raise RefusedValue(f"berkas '{member}' tidak ada di penyimpanan bukti ({source_path}).") from None
    with source, archive.open(info, "w") as target:
        shutil.copyfileobj(source, target, CHUNK_BYTES)
