"""One item-month updated in the browser: the same change as one row of an uploaded realisasi workbook.

`form_values(latest, revision, item_id, month)` is what the form shows: the item-month's stored status,
bukti dukung, catatan and tanggal, and the store revision they were read at. `save_item_month` records
what the person submitted as one row: the workbook's row checks (realisasi_checks.check_rows, with its
Indonesian messages and the editor's team rule), the workbook's conflict rule against the revision the
form was shown at (realisasi_preview.compare_entries; a conflict refuses the change, naming who changed
the item-month and when, and the newer value), then, in one transaction, a FORM_KIND upload whose archived
"file" is a JSON record of the submitted values, the entry, the files attached with the upload's id and the
audit line. It is undone like any upload (undo_rules.undo_upload): the previous entry comes back and the
files are hidden again.
"""

import json
from dataclasses import dataclass

import pandas as pd

from ..evidence import evidence
from ..store.accounts import User
from ..store.audit import record_event
from ..base.cell_safety import clean_text
from ..files.file_types import sniff
from ..base.clock import store_zone, table_moment, utc_now
from ..evidence.evidence_links import attach_planned, links_to_attach
from ..base.history import FORM_KIND
from ..base.months import month_name
from ..base.problems import InputError, Problem, Refusal, shown
from ..base.paths import sha256_of
from ..store.progress_rows import REPORT_COLUMNS
from .realisasi_checks import check_rows
from .realisasi_layout import VALUE_KEYS, column_name
from .realisasi_preview import compare_entries
from .realisasi_upload import UploadedWorkbook

FORM_FORMAT = "zi-monitor/formulir-bulan-kegiatan/1"
AUDIT_ACTION = "formulir_bulan_kegiatan"
TYPED_KEYS = ("bukti_dukung", "catatan")
_FORM_COLUMNS = {key: index for index, key in enumerate(("id", "month", *VALUE_KEYS, "reported_by"), start=1)}


@dataclass(frozen=True)
class FormValues:
    """An item-month's stored report as the form shows it, and the store revision it was read at."""
    item_id: str
    month: int
    status: str
    bukti_dukung: str
    catatan: str
    tanggal: str
    revision: int


@dataclass(frozen=True)
class SavedChange:
    upload_id: int | None  # None when nothing differed from what is stored (nothing written)
    counts: dict


def form_values(latest: pd.DataFrame, revision: int, item_id: str, month: int) -> FormValues:
    """The item-month's report in `latest` (ProgressStore.latest() at `revision`); empty texts when none."""
    rows = latest[(latest["item_id"] == item_id) & (latest["month"] == int(month))]
    if rows.empty:
        return FormValues(item_id, int(month), "", "", "", "", int(revision))
    row = rows.iloc[-1]
    return FormValues(item_id, int(month), str(row["status"]), str(row["bukti_dukung"]), str(row["catatan"]),
                      str(row["tanggal"]), int(revision))


def save_item_month(store, shown_values: FormValues, *, status: str, bukti_dukung: str, catatan: str,
                    files=(), by: str, user: User | None = None) -> SavedChange:
    """Record one item-month's status, bukti dukung and catatan, and attach `files` ((name, bytes) pairs).

    `shown_values` is what the form showed (form_values): its tanggal is kept, and its revision is the base of
    the conflict rule. `user` is the signed-in account (None in open mode): an editor changes only their own
    team's item-months of their own office, an admin any of their office's. InputError (Indonesian, one
    Problem per refusal) when refused; nothing is written then."""
    by = str(by or "").strip()
    if not by:
        raise InputError([Problem("Isi nama Anda dulu: nama itu dicatat sebagai pelapor.")])
    allowed_team = _allowed_team(store, user)
    typed = {"status": status, "bukti_dukung": bukti_dukung, "catatan": catatan}
    problems = _control_characters(typed) + _refused_files(files)
    entry = _checked_entry(store, shown_values, typed, by, allowed_team, problems, bool(files))
    if problems:
        raise InputError(problems)
    zone = store_zone(store)
    with store.transaction() as conn:
        base, current = store.latest(through_revision=shown_values.revision), store.latest()
        comparison = compare_entries([entry], base, current)
        if comparison.conflicts:
            raise InputError([_conflict(comparison.conflicts[0], current, zone)])
        entries = comparison.new + comparison.changed
        new_files = _new_files(store, conn, shown_values, files)
        rows = pd.DataFrame([{**e, "reported_by": e["reported_by"] or by} for e in entries], columns=REPORT_COLUMNS)
        links = links_to_attach(store, conn, rows, by)
        counts = {"new": len(comparison.new), "changed": len(comparison.changed),
                  "unchanged": comparison.unchanged, **({"bukti_berkas": len(new_files)} if files else {}),
                  **({"bukti_tautan": len(links)} if len(links) else {})}
        if not entries and not new_files:
            return SavedChange(None, counts)
        record = _form_record(store, shown_values, entry, new_files, by)
        upload_id = store.record_archived_upload(conn, record["name"], record["data"], record["sha256"], by,
                                                 FORM_KIND, counts, shown_values.revision, suffix=".json")
        store.append_entries(conn, rows, upload_id)
        for name, data in new_files:
            evidence.attach_file(store, shown_values.item_id, shown_values.month, name, data, by,
                                 upload_id=upload_id, conn=conn)
        attach_planned(store, conn, links, upload_id, by)
        record_event(conn, by, AUDIT_ACTION, {"unggahan": upload_id, "berkas": record["name"],
                                             "id": shown_values.item_id, "bulan": shown_values.month, **counts},
                     record["sha256"], **store.scope)
    return SavedChange(upload_id, counts)


def _allowed_team(store, user: User | None) -> str | None:
    """The one team `user` may change (None: every team); InputError when they may change nothing here."""
    if user is None:
        return None
    if not user.may_write_in(store.office):
        raise InputError([Problem(f"Akun {shown(user.name)} tidak dapat mengubah progres kantor {store.office}; "
                                  "perubahan dilakukan oleh editor atau admin kantor itu sendiri.")])
    return None if user.is_admin else user.team


def _control_characters(typed: dict) -> list[Problem]:
    """A refusal per field holding NUL or another control character (tab and line feed allowed)."""
    return [Problem("Teks berisi karakter kendali (misalnya NUL) yang tidak dapat disimpan.", column=column_name({}, key),
                    fix="Hapus karakter itu, misalnya dengan mengetik ulang teksnya.")
            for key in TYPED_KEYS
            if any(ord(ch) < 32 and ch not in "\t\n\r" or 0x7F <= ord(ch) <= 0x9F for ch in str(typed[key] or ""))]


def _refused_files(files) -> list[Problem]:
    """The evidence panel's check of each file (type by content, size), one refusal per file naming it."""
    refused = []
    for name, data in files:
        try:
            sniff(data, name)
        except Refusal as error:
            message = str(error)
            refused.append(Problem(message if name in message else f"{shown(name)}: {message}"))
    return refused


def _checked_entry(store, shown_values: FormValues, typed: dict, by: str, allowed_team: str | None,
                   problems: list[Problem], has_files: bool) -> dict | None:
    """The submitted values as one checked workbook row (check_rows); its refusals are added to `problems`."""
    record = {"row": 0, "id": shown_values.item_id, "month": shown_values.month, "status": typed["status"],
              "bukti_dukung": typed["bukti_dukung"], "tanggal": shown_values.tanggal,
              "catatan": typed["catatan"], "reported_by": by}
    form = UploadedWorkbook(meta={}, meta_rows={}, sheet="", columns={}, rows=[record], plan=None,
                            plan_problems=[], errors=[])
    checked = check_rows(form, store.plan(), None, allowed_team=allowed_team)
    problems.extend(checked.errors)
    bukti_column = form.column("bukti_dukung")
    for warning in checked.warnings:
        if checked.rejected or (warning.column == bukti_column and not has_files
                                and not _has_attachments(store, shown_values)):
            problems.append(warning)
    if not checked.entries and not problems:
        problems.append(Problem("Status kosong.", column=column_name({}, "status"), fix="Pilih Selesai, Sebagian atau Belum."))
    return checked.entries[0] if checked.entries else None


def _has_attachments(store, shown_values: FormValues) -> bool:
    current = evidence.attachments(store)
    return bool(((current["item_id"] == shown_values.item_id) & (current["month"] == shown_values.month)).any())


def _conflict(conflict: dict, current: pd.DataFrame, zone: str) -> Problem:
    """The refusal of a change made on values someone else changed since the form was shown."""
    newer = current[current["entry_id"] == conflict["current_entry_id"]]
    when = table_moment(newer["recorded_at"].iloc[0], zone) if not newer.empty else "–"
    return Problem(
        f"{conflict['item_id']} bulan {month_name(conflict['month'])} sudah diubah oleh "
        f"{shown(conflict['current_reported_by'])} pada {when} sejak formulir ini dibuka; tidak ada yang disimpan. "
        f"Nilai terbaru: status {conflict['current_status'] or '–'}, bukti dukung "
        f"{shown(conflict['current_bukti_dukung']) or '–'}, catatan {shown(conflict['current_catatan']) or '–'}.",
        fix="Tampilkan nilai yang tersimpan sekarang, lalu simpan lagi bila masih perlu diubah.")


def _new_files(store, conn, shown_values: FormValues, files) -> list[tuple[str, bytes]]:
    """The files whose content is not already a current attachment of the item-month (each content once)."""
    current = evidence.attachments(store, conn=conn)
    mine = current[(current["item_id"] == shown_values.item_id) & (current["month"] == shown_values.month)]
    seen = set(mine["sha256"])
    kept = []
    for name, data in files:
        digest = sha256_of(data)
        if digest not in seen:
            seen.add(digest)
            kept.append((name, data))
    return kept


def _form_record(store, shown_values: FormValues, entry: dict, files, by: str) -> dict:
    """The submitted values as a JSON record, archived as the upload's file: its name, bytes and SHA-256."""
    body = {"format": FORM_FORMAT, "kantor": store.office, "tahun": store.year, "id": shown_values.item_id,
            "bulan": shown_values.month, **{key: clean_text(str(entry[key])) for key in VALUE_KEYS},
            "revisi_dasar": shown_values.revision, "oleh": by, "dibuat_pada": utc_now(),
            "berkas": [{"nama": name, "sha256": sha256_of(data), "ukuran": len(data)} for name, data in files]}
    data = json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True).encode()
    return {"name": f"formulir_{shown_values.item_id}_{shown_values.month:02d}.json", "data": data,
            "sha256": sha256_of(data)}
