"""What an upload would change: entries sorted against the store, and the preview shown before applying.

Per item-month the value compared is (status, bukti dukung, tanggal, catatan). An
uploaded value equal to the value at the workbook's base revision, or to the current
value, is unchanged: a newer value in the store is never reverted. When the store
changed since the base to something else, the row is a conflict, applied only when
asked for by key. Otherwise it is new (nothing recorded yet) or changed. Empty rows
and rows missing from the upload never delete anything.
"""

import json
from dataclasses import dataclass, field

import pandas as pd

from ..base.cell_safety import exported_text
from ..base.problems import InputError, Problem
from .realisasi_evidence import EvidencePlan, EvidenceUpload
from .realisasi_layout import VALUE_KEYS
from .realisasi_upload import UploadedWorkbook
from ..files.uploaded_file import UploadedFile

MAX_REPORTED_ERRORS = 200


def entry_value(record) -> tuple[str, str, str, str]:
    """The compared value of an entry: (status, bukti_dukung, tanggal, catatan) as its export reads back."""
    get = record.get if isinstance(record, dict) else lambda key: getattr(record, key)
    return tuple(exported_text(str(get(key) or "")) for key in VALUE_KEYS)


def by_key(latest: pd.DataFrame) -> dict[tuple[str, int], object]:
    """ProgressStore.latest() rows by (item_id, month)."""
    return {(str(r.item_id), int(r.month)): r for r in latest.itertuples(index=False)}


@dataclass
class Comparison:
    new: list[dict]
    changed: list[dict]
    unchanged: int
    conflicts: list[dict]


def compare_entries(entries: list[dict], base_latest: pd.DataFrame, current_latest: pd.DataFrame) -> Comparison:
    """Sort uploaded entries into new, changed, unchanged and conflicts (see the module docstring)."""
    base, current = by_key(base_latest), by_key(current_latest)
    result = Comparison([], [], 0, [])
    for entry in entries:
        key = (entry["item_id"], entry["month"])
        uploaded = entry_value(entry)
        before, now = base.get(key), current.get(key)
        if before is not None and entry["reported_by"] == exported_text(str(before.reported_by)):
            entry = {**entry, "reported_by": ""}  # the pre-filled name reported the old value, not this one
        before_value = entry_value(before) if before is not None else None
        now_value = entry_value(now) if now is not None else None
        if uploaded in (before_value, now_value):
            result.unchanged += 1
        elif now_value != before_value:
            result.conflicts.append({
                **entry,
                **{f"base_{k}": v for k, v in zip(VALUE_KEYS, before_value or ("",) * 4)},
                **{f"current_{k}": v for k, v in zip(VALUE_KEYS, now_value or ("",) * 4)},
                "current_reported_by": str(now.reported_by) if now is not None else "",
                "current_entry_id": int(now.entry_id) if now is not None else 0,
            })
        elif now is None:
            result.new.append(entry)
        else:
            result.changed.append({
                **entry, **{f"previous_{k}": v for k, v in zip(VALUE_KEYS, now_value)},
                "previous_reported_by": str(now.reported_by),
            })
    return result


@dataclass
class ImportPreview:
    """What an upload would change. Nothing is written until apply_preview."""
    file_name: str
    file: UploadedFile | None  # the file previewed; None when it could not even be read
    base_revision: int | None  # the store revision the workbook was made from
    revision: int  # the store revision when this preview was computed
    plan_version: int  # the store's plan version when this preview was computed
    workbook_plan_version: int | None
    team: str | None
    through_month: int | None
    apply_plan: bool
    new: pd.DataFrame  # UPLOAD_ROW_COLUMNS
    changed: pd.DataFrame  # CHANGED_COLUMNS
    unchanged: int
    conflicts: pd.DataFrame  # CONFLICT_COLUMNS
    plan_changes: pd.DataFrame  # PLAN_CHANGE_COLUMNS
    warnings: list[Problem]
    errors: list[Problem]
    new_plan: pd.DataFrame | None = field(default=None, repr=False)  # set when applying plan changes
    upload: UploadedWorkbook | None = field(default=None, repr=False)
    allowed_team: str | None = None  # an editor's own team: other teams' rows were rejected
    rejected: int = 0
    renames: tuple = ()  # confirmed (old ID, new ID) pairs whose progress is carried over
    carried: pd.DataFrame | None = field(default=None, repr=False)  # plan_history.CARRIED_COLUMNS
    evidence: EvidenceUpload | None = field(default=None, repr=False)  # the evidence ZIP uploaded with the file
    evidence_plan: EvidencePlan | None = field(default=None, repr=False)  # its files per item-month
    cell_links: pd.DataFrame | None = field(default=None, repr=False)  # evidence_links.LINK_COLUMNS to attach

    @property
    def sha256(self) -> str:
        return self.file.sha256 if self.file is not None else ""

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "changed": len(self.changed), "unchanged": int(self.unchanged),
                "conflicts": len(self.conflicts), "plan_changes": len(self.plan_changes), "rejected": self.rejected,
                **({"bukti_berkas": self.evidence_plan.attached_count()} if self.evidence_plan is not None else {}),
                **({"bukti_tautan": len(self.cell_links)} if self.cell_links is not None and len(self.cell_links)
                   else {})}

    def conflict_keys(self) -> set[tuple[str, int]]:
        return {(str(i), int(m)) for i, m in zip(self.conflicts["item_id"], self.conflicts["month"])}

    def raise_for_errors(self) -> None:
        if self.errors:
            raise InputError(self.errors)

    def as_dict(self) -> dict:
        """JSON-ready summary (the CLI's --json)."""
        def records(frame):
            return json.loads(frame.to_json(orient="records", force_ascii=False))
        return {
            "ok": self.ok, "file_name": self.file_name, "sha256": self.sha256,
            "base_revision": self.base_revision, "revision": self.revision, "plan_version": self.plan_version,
            "workbook_plan_version": self.workbook_plan_version, "team": self.team,
            "through_month": self.through_month, "apply_plan": self.apply_plan, "counts": self.counts(),
            "new": records(self.new), "changed": records(self.changed), "conflicts": records(self.conflicts),
            "plan_changes": records(self.plan_changes), "renames": [list(p) for p in self.renames],
            "carried": records(self.carried) if self.carried is not None else [],
            "evidence_file_name": self.evidence.name if self.evidence is not None else None,
            "evidence_files": records(self.evidence_plan.files) if self.evidence_plan is not None else [],
            "warnings": [p.as_dict() for p in self.warnings], "errors": [p.as_dict() for p in self.errors],
        }

    def actions(self) -> tuple:
        """What applying would do; equal actions mean a preview is still valid."""
        def keyed(frame, columns):
            return tuple(sorted(tuple(str(v) for v in row) for row in frame[columns].itertuples(index=False)))
        value_columns = ["item_id", "month", *VALUE_KEYS, "reported_by"]
        return (keyed(self.new, value_columns), keyed(self.changed, value_columns),
                keyed(self.conflicts, [*value_columns, "current_entry_id"]),
                keyed(self.plan_changes, ["change", "id", "old_id", "fields"]), self.new_plan is not None,
                tuple(self.renames), () if self.carried is None else keyed(self.carried, ["item_id", "month"]),
                tuple(str(p) for p in self.errors),
                self.evidence_plan.actions() if self.evidence_plan is not None else ())


@dataclass(frozen=True)
class AppliedUpload:
    upload_id: int | None  # None when everything in the file was already recorded (nothing written)
    counts: dict
    plan_version: int | None  # the new plan version, when plan changes were applied
    preview: ImportPreview  # the preview that was applied (recomputed inside the transaction)


class PreviewOutdated(InputError):
    """The store changed between the preview and its confirmation in a way that matters."""



def frame_of(records: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=columns)
    integer_columns = [c for c in ("row", "month", "current_entry_id") if c in columns]
    return frame.astype({c: "int64" for c in integer_columns})


def capped(problems: list[Problem]) -> list[Problem]:
    """At most MAX_REPORTED_ERRORS problems, then one line counting the rest."""
    if len(problems) <= MAX_REPORTED_ERRORS:
        return list(problems)
    return [*problems[:MAX_REPORTED_ERRORS],
            Problem(f"… dan {len(problems) - MAX_REPORTED_ERRORS} masalah lain yang sejenis.")]
