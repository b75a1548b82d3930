"""An uploaded Realisasi workbook coming back: preview it against the store, then apply it.

`preview_upload(store, source)` reads the file once into an UploadedFile, parses it in the
isolated worker (read_upload), validates every row and sorts it against the store into new,
changed, unchanged and conflicts, and lists changes made to the plan sheet. Nothing is written
until `apply_preview(store, preview, by=...)`, which takes the file from the preview, re-checks
inside one BEGIN IMMEDIATE transaction, appends the entries, archives the file and records the
upload (undone with undo_rules.undo_upload). An evidence ZIP given with the workbook is checked in a
worker too, and its files named in Bukti Dukung cells are attached in that same transaction
(realisasi_evidence).
"""

import pandas as pd

from ..store.audit import record_event
from ..base.cell_values import meta_int
from ..evidence.evidence_links import attach_planned, links_to_attach
from ..base.history import REALISASI_KIND
from ..base.link_text import link_warnings
from ..base.months import month_name
from ..plan.plan import PLAN_COLUMNS
from ..plan.plan_changes import PLAN_CHANGE_REMOVED, plan_changes, proposed_renames
from ..store.plan_history import (carried_entries, carry_over, confirm_renames, id_aliases, link_plan_version,
                                  off_schedule_warnings, relabelled)
from ..plan.plan_queries import plan_fingerprint, resolve_team, team_plan
from ..plan.plan_workbook import PLAN_SHEET
from ..base.problems import InputError, Problem, shown
from .realisasi_checks import CheckedRows, check_rows
from .realisasi_evidence import EvidenceUpload, attach_evidence, plan_evidence, read_evidence
from .realisasi_layout import (
    CHANGED_COLUMNS,
    CONFLICT_COLUMNS,
    EXAMPLE_MARK,
    FORMAT,
    META_SHEET,
    UPLOAD_ROW_COLUMNS,
    VALUE_KEYS,
)
from .realisasi_preview import (
    AppliedUpload,
    Comparison,
    ImportPreview,
    PreviewOutdated,
    by_key,
    capped,
    compare_entries,
    entry_value,
    frame_of,
)
from .realisasi_upload import UploadedWorkbook, read_upload
from ..files.upload_isolation import run_isolated
from ..files.uploaded_file import UploadedFile

REDOWNLOAD = "Unduh ulang buku kerja realisasi dari ZI Monitor lalu isi kembali."


def preview_upload(store, source, file_name: str | None = None, *, apply_plan: bool = False,
                   allowed_team: str | None = None, renames=(), evidence=None,
                   evidence_name: str | None = None) -> ImportPreview:
    """Read, validate and compare an uploaded workbook (UploadedFile, path, bytes or binary file) with the store.

    `evidence`: the evidence ZIP uploaded with it (EvidenceUpload, path, bytes or binary file), if any.
    Never writes anything and never raises InputError: problems with the files are in
    `errors` (each naming sheet, row and column, or the ZIP's member), and such a preview cannot be applied.
    """
    if isinstance(source, UploadedFile):
        uploaded = source
    else:
        label = file_name or getattr(source, "name", None) or "berkas unggahan"
        try:
            uploaded = UploadedFile.read(source, file_name)
        except InputError as error:
            return _failed_preview(store, str(label), None, error.problems, apply_plan)
    try:
        upload = run_isolated(read_upload, uploaded, label=uploaded.name)  # a worker process: see upload_isolation
        if evidence is not None and not isinstance(evidence, EvidenceUpload):
            evidence = read_evidence(evidence, evidence_name)  # a worker process too
    except InputError as error:
        return _failed_preview(store, uploaded.name, uploaded, error.problems, apply_plan)
    return compare_upload(store, upload, uploaded, apply_plan, allowed_team, renames, evidence)


def _failed_preview(store, label: str, uploaded: UploadedFile | None, problems, apply_plan: bool) -> ImportPreview:
    return ImportPreview(
        file_name=label, file=uploaded, base_revision=None, revision=store.revision(),
        plan_version=store.plan_version(), workbook_plan_version=None, team=None, through_month=None,
        apply_plan=apply_plan, new=frame_of([], UPLOAD_ROW_COLUMNS), changed=frame_of([], CHANGED_COLUMNS),
        unchanged=0, conflicts=frame_of([], CONFLICT_COLUMNS), plan_changes=_no_plan_changes(), warnings=[],
        errors=capped(problems))


def _no_plan_changes() -> pd.DataFrame:
    return plan_changes(pd.DataFrame(columns=PLAN_COLUMNS), pd.DataFrame(columns=PLAN_COLUMNS))


def compare_upload(store, upload: UploadedWorkbook, uploaded: UploadedFile, apply_plan: bool = False,
                   allowed_team: str | None = None, renames=(), evidence: EvidenceUpload | None = None) -> ImportPreview:
    """The preview of an already read upload against the store's current state.

    `allowed_team` restricts an editor to their own team's rows; only admins (None) may
    apply plan changes. `renames` are the (old ID, new ID) pairs the admin confirmed: with plan
    changes applied, the old ID's progress is carried over to the new one (see plan_history).
    """
    draft = _Draft(store, upload, apply_plan)
    draft.read_meta()
    changes = draft.plan_sheet_changes(renames)
    renames = tuple(dict.fromkeys((str(old), str(new)) for old, new in renames))
    new_plan, confirmed = draft.plan_revision(changes, renames, uploaded.name)
    check_plan = new_plan if new_plan is not None else draft.plan
    if apply_plan and allowed_team is not None:
        draft.errors.append(Problem("Hanya admin yang dapat merevisi rencana aksi.", PLAN_SHEET,
                                    fix="Minta koordinator ZI (admin) mengunggah perubahan rencana."))
    aliases = id_aliases([*store.recorded_renames(), *confirmed], set(check_plan["id"]))
    base_latest = (relabelled(store.latest(through_revision=draft.base), aliases.items(), override=False)
                   if draft.base is not None else None)
    checked = draft.check(check_plan, base_latest, allowed_team, aliases)
    current = store.latest(through_revision=draft.revision)
    carried = carried_entries(current, confirmed)
    draft.warnings.extend(off_schedule_warnings(carried, check_plan))
    comparison = Comparison([], [], 0, [])
    if not draft.errors:
        comparison = compare_entries(checked.entries, base_latest, relabelled(current, confirmed, override=True))
        comparison.unchanged += checked.untouched
    evidence_plan = None
    if evidence is not None:
        evidence_plan = plan_evidence(store, upload, evidence, check_plan, draft.team, allowed_team, aliases)
        draft.warnings.extend(evidence_plan.warnings)
    details = {item.id: item for item in check_plan.itertuples(index=False)}

    def shaped(records, columns):
        return frame_of([{**r, "month_name": month_name(r["month"]), "langkah_aksi": details[r["item_id"]].langkah_aksi,
                          "penanggung_jawab": details[r["item_id"]].penanggung_jawab} for r in records], columns)

    new, changed = shaped(comparison.new, UPLOAD_ROW_COLUMNS), shaped(comparison.changed, CHANGED_COLUMNS)
    conflicts = shaped(comparison.conflicts, CONFLICT_COLUMNS)
    cell_links = _cell_links(store, draft, new, changed, conflicts)
    return ImportPreview(
        file_name=uploaded.name, file=uploaded, base_revision=draft.base, revision=draft.revision,
        plan_version=draft.version, workbook_plan_version=draft.workbook_version, team=draft.team,
        through_month=draft.through, apply_plan=apply_plan, new=new,
        changed=changed, unchanged=comparison.unchanged,
        conflicts=conflicts, plan_changes=changes,
        warnings=capped(draft.warnings), errors=capped(draft.errors), new_plan=new_plan, upload=upload,
        allowed_team=allowed_team, rejected=checked.rejected, renames=confirmed,
        carried=carried[["old_id", "item_id", "month", *VALUE_KEYS, "reported_by"]].reset_index(drop=True),
        evidence=evidence, evidence_plan=evidence_plan, cell_links=cell_links)


def _cell_links(store, draft, new: pd.DataFrame, changed: pd.DataFrame, conflicts: pd.DataFrame) -> pd.DataFrame | None:
    """The links the new and changed rows' Bukti Dukung would attach (against the plan in force; apply_preview
    recomputes them); refused addresses become warnings."""
    rows = pd.concat([new[UPLOAD_ROW_COLUMNS], changed[UPLOAD_ROW_COLUMNS]], ignore_index=True)
    if len(rows) or len(conflicts):
        draft.warnings.extend(link_warnings(pd.concat([rows, conflicts[UPLOAD_ROW_COLUMNS]], ignore_index=True),
                                            draft.upload.sheet, draft.upload.column("bukti_dukung")))
    return links_to_attach(store, None, rows, "") if len(rows) else None


class _Draft:
    """The steps of compare_upload, gathering errors and warnings as they go."""

    def __init__(self, store, upload: UploadedWorkbook, apply_plan: bool):
        self.store, self.upload, self.apply_plan = store, upload, apply_plan
        self.revision = store.revision()
        self.version = store.plan_version()
        self.plan = store.plan(self.version)
        self.errors: list[Problem] = list(upload.errors)
        self.warnings: list[Problem] = []
        self.base = self.workbook_version = self.through = self.team = None

    def meta_problem(self, key: str, message: str) -> None:
        self.errors.append(Problem(message, META_SHEET, self.upload.meta_rows.get(key), "B", REDOWNLOAD))

    def read_meta(self) -> None:
        """The workbook's origin from its metadata sheet: base revision, plan version, month and team."""
        meta = self.upload.meta
        if self.upload.errors and meta.get("format") != FORMAT:
            return
        if not self._of_this_plan_year(meta):
            return
        self.through = meta_int(meta, "sampai_bulan")
        self._read_base(meta_int(meta, "revisi_data"))
        self._read_workbook_version(meta_int(meta, "versi_rencana"), meta.get("versi_rencana", ""))
        if meta.get("contoh") == "ya":
            self.warnings.append(Problem(f"Berkas ini {EXAMPLE_MARK}: isinya hanya untuk mencoba dasbor.", META_SHEET,
                                         fix="Batalkan unggahan ini di halaman riwayat unggahan sebelum data "
                                             "sungguhan diisi."))
        if meta.get("tim"):
            try:
                self.team = resolve_team(self.plan, meta["tim"])
            except InputError:
                self.meta_problem("tim", f"Tim '{shown(meta['tim'])}' tidak ada di rencana aksi yang berlaku.")

    def _of_this_plan_year(self, meta: dict) -> bool:
        """Whether the workbook was made for this office and year (a workbook of another never crosses over)."""
        office, year = self.store.office, str(self.store.year)
        if meta.get("kode_kantor") and meta["kode_kantor"] != office:
            self.meta_problem("kode_kantor", f"Berkas ini untuk kantor {shown(meta['kode_kantor'])}, bukan kantor "
                                             f"{office} yang sedang dibuka; tidak ada yang disimpan.")
            return False
        if not meta.get("kode_kantor") and office != self.store.home_office():
            self.meta_problem("kode_kantor", f"Berkas ini tidak menyebut kantornya (buku kerja versi lama atau contoh), "
                                             f"jadi hanya dapat diunggah ke kantor pertama di sini, bukan ke kantor "
                                             f"{office}. Unduh buku kerja kantor ini lalu isi kembali.")
            return False
        if meta.get("tahun") and meta["tahun"] != year:
            self.meta_problem("tahun", f"Berkas ini untuk rencana aksi tahun {shown(meta['tahun'])}, sedangkan yang "
                                       f"sedang dibuka tahun {year}; pilih tahun itu di panel samping, atau unduh buku "
                                       f"kerja tahun {year}.")
            return False
        return True

    def _read_base(self, base: int | None) -> None:
        if base is None or base < 0:
            self.meta_problem("revisi_data", "Revisi data asal berkas tidak terbaca.")
        elif base > self.revision:
            self.meta_problem("revisi_data", f"Berkas dibuat dari data revisi {base}, padahal data di sini baru "
                                             f"sampai revisi {self.revision}: berkas ini berasal dari penyimpanan "
                                             "data lain.")
            base = None
        self.base = base

    def _read_workbook_version(self, version: int | None, written: str) -> None:
        if version is None or not 1 <= version <= self.version:
            self.meta_problem("versi_rencana", f"Versi rencana aksi '{shown(written)}' tidak dikenal "
                                               f"(versi yang ada: 1–{self.version}).")
            return
        if version != self.version:
            self.warnings.append(Problem(f"Rencana aksi sudah direvisi (versi {version} → {self.version}) sejak "
                                         "berkas dibuat; baris diperiksa terhadap rencana yang berlaku.", META_SHEET))
        self.workbook_version = version

    def plan_sheet_changes(self, renames) -> pd.DataFrame:
        """How the file's plan sheet differs from the plan rows the workbook was made with."""
        upload = self.upload
        exported = team_plan(self.store.plan(self.workbook_version), self.team) if self.workbook_version else None
        if upload.plan is None:
            (self.errors if self.apply_plan else self.warnings).extend(
                [Problem(f"Lembar '{PLAN_SHEET}' tidak dapat dibaca, jadi perubahan rencana tidak diperiksa.",
                         PLAN_SHEET, fix=f"Kembalikan lembar '{PLAN_SHEET}' seperti saat diunduh."),
                 *upload.plan_problems])
        elif exported is not None and plan_fingerprint(upload.plan) != upload.meta.get("sidik_rencana"):
            changes = plan_changes(exported, upload.plan, renames)
            if len(changes):
                self.warnings.append(Problem(
                    f"Lembar '{PLAN_SHEET}' diubah ({len(changes)} perubahan rencana).", PLAN_SHEET,
                    fix=None if self.apply_plan
                    else "Perubahan rencana tidak diterapkan kecuali diminta secara khusus."))
            return changes
        return _no_plan_changes()

    def plan_revision(self, changes: pd.DataFrame, renames: tuple, file_name: str) -> tuple[pd.DataFrame | None, tuple]:
        """(the revised plan to check the rows against and store, the confirmed renames) when plan changes apply."""
        new_plan, confirmed = None, ()
        if self.apply_plan and len(changes) and self._may_revise_plan():
            new_plan = self.upload.plan.copy()
            new_plan.attrs = {k: v for k, v in self.plan.attrs.items() if k != "plan_version"}
            new_plan.attrs["file"] = file_name
            recorded = set(self.store.latest()["item_id"])
            for removed in changes[changes["change"] == PLAN_CHANGE_REMOVED].itertuples():
                if removed.id in recorded:
                    self.warnings.append(Problem(f"Langkah aksi {removed.id} dihapus dari rencana padahal sudah ada "
                                                 "realisasinya; riwayatnya tetap disimpan.", PLAN_SHEET))
            confirmed = confirm_renames(proposed_renames(changes), renames, recorded, self.errors, self.warnings)
        if renames and new_plan is None and not self.errors:
            self.errors.append(Problem("Penggantian ID hanya dapat dikonfirmasi bersama penerapan perubahan rencana.",
                                       PLAN_SHEET, fix="Centang penerapan perubahan rencana (CLI: --apply-plan)."))
        return new_plan, confirmed

    def _may_revise_plan(self) -> bool:
        if self.team is not None:
            self.errors.append(Problem("Perubahan rencana hanya dapat diterapkan dari buku kerja semua tim.",
                                       PLAN_SHEET,
                                       fix="Unduh buku kerja untuk semua tim, ubah rencananya di sana, lalu unggah."))
            return False
        if self.workbook_version is not None and self.workbook_version != self.version:
            self.errors.append(Problem(f"Rencana aksi sudah direvisi ke versi {self.version} sejak berkas dibuat "
                                       f"(versi {self.workbook_version}); perubahan rencana di berkas ini tidak dapat "
                                       "diterapkan.", PLAN_SHEET,
                                       fix="Unduh ulang buku kerja lalu ulangi perubahan rencananya."))
            return False
        return True

    def check(self, check_plan: pd.DataFrame, base_latest: pd.DataFrame | None, allowed_team: str | None,
              aliases: dict[str, str]) -> CheckedRows:
        """check_rows against `check_plan`; rows emptied since the download get a warning (nothing is deleted)."""
        base_keys = by_key(base_latest) if base_latest is not None else {}
        base_values = {key: entry_value(entry) for key, entry in base_keys.items()}
        checked = check_rows(self.upload, check_plan, self.team, base_values, allowed_team, aliases)
        self.errors.extend(checked.errors)
        self.warnings.extend(checked.warnings)
        for blank in checked.blanked:
            if (blank["item_id"], blank["month"]) in base_keys:
                self.warnings.append(Problem(
                    f"{blank['item_id']} bulan {month_name(blank['month'])} dikosongkan; data yang sudah tercatat "
                    "tidak dihapus.", self.upload.sheet, blank["row"], self.upload.column("status")))
        return checked


def apply_preview(store, preview: ImportPreview, *, by: str, take_uploaded_for=(),
                  accept_changes: bool = False) -> AppliedUpload:
    """Apply a confirmed preview in one transaction: entries, plan revision if asked, archive, upload record.

    The file applied is the one the preview was made from (`preview.file`).
    Conflicts are left alone unless their (item_id, month) is in `take_uploaded_for`.
    The preview is recomputed under the write lock; if what it would do changed
    meanwhile, PreviewOutdated is raised and nothing is written, unless
    `accept_changes` (the CLI's --yes) applies the recomputed preview instead.
    Entries without a reporter get `by`. When everything is already recorded and there
    is no conflict, nothing is written and the upload_id is None.
    """
    preview.raise_for_errors()
    wanted = {(str(i), int(m)) for i, m in take_uploaded_for}
    if not accept_changes and not wanted <= preview.conflict_keys():
        raise ValueError(f"Bukan konflik pada pratinjau: {sorted(wanted - preview.conflict_keys())}")
    uploaded = preview.file
    with store.transaction() as conn:
        fresh = compare_upload(store, preview.upload, uploaded, preview.apply_plan, preview.allowed_team,
                               preview.renames, preview.evidence)
        fresh.raise_for_errors()
        if not accept_changes and fresh.actions() != preview.actions():
            raise PreviewOutdated([Problem(
                "Data kemajuan berubah sejak pratinjau dibuat (ada unggahan lain); tidak ada yang disimpan.",
                fix="Periksa pratinjau yang baru lalu konfirmasi lagi.")])
        chosen = [key in wanted for key in zip(fresh.conflicts["item_id"], fresh.conflicts["month"])]
        taken = fresh.conflicts.loc[pd.Series(chosen, index=fresh.conflicts.index, dtype=bool)]
        entries = pd.concat([fresh.new[UPLOAD_ROW_COLUMNS], fresh.changed[UPLOAD_ROW_COLUMNS],
                             taken[UPLOAD_ROW_COLUMNS]], ignore_index=True)
        entries["reported_by"] = [who or by for who in entries["reported_by"]]
        plan_version = None
        if fresh.new_plan is not None:
            plan_version = store.add_plan_version(fresh.new_plan, uploaded.name, uploaded.sha256, by, conn)
        counts = {"new": len(fresh.new), "changed": len(fresh.changed) + len(taken), "unchanged": fresh.unchanged,
                  "conflicts": len(fresh.conflicts) - len(taken),
                  "plan_changes": len(fresh.plan_changes) if plan_version else 0, "rejected": fresh.rejected,
                  **({"carried": len(fresh.carried)} if plan_version and fresh.renames else {}),
                  **({"bukti_berkas": fresh.evidence_plan.attached_count()} if fresh.evidence_plan else {})}
        links = links_to_attach(store, conn, entries, by)
        counts |= {"bukti_tautan": len(links)} if len(links) else {}
        if entries.empty and plan_version is None and not counts["conflicts"] and not counts.get("bukti_berkas"):
            return AppliedUpload(None, counts, None, fresh)  # everything already recorded: nothing to keep
        upload_id = _record_upload(store, conn, fresh, entries, links, counts, plan_version, by)
    return AppliedUpload(upload_id, counts, plan_version, fresh)


def _record_upload(store, conn, fresh: ImportPreview, entries: pd.DataFrame, links: pd.DataFrame, counts: dict,
                   plan_version: int | None, by: str) -> int:
    """Archive the file, record the upload, carry progress over, append the entries and attach the evidence
    (the ZIP's files, the cells' links), all audited."""
    uploaded = fresh.file
    upload_id = store.record_archived_upload(conn, uploaded.name, uploaded.data, uploaded.sha256, by, REALISASI_KIND,
                                             counts, fresh.base_revision)
    if plan_version is not None:  # carried-over progress first: the file's own rows may still change it
        carry_over(conn, store.ledger_id, store.office, fresh.renames, fresh.carried, plan_version, upload_id, by,
                   uploaded.sha256)
        link_plan_version(conn, store.ledger_id, plan_version, upload_id)
    store.append_entries(conn, entries, upload_id)
    if fresh.evidence_plan is not None:
        attach_evidence(store, conn, fresh.evidence, fresh.evidence_plan, upload_id, by)
    attach_planned(store, conn, links, upload_id, by)
    record_event(conn, by, "unggah_realisasi", {"unggahan": upload_id, "berkas": uploaded.name, **counts},
                 uploaded.sha256, **store.scope)
    if plan_version is not None:
        record_event(conn, by, "revisi_rencana", {"versi": plan_version, "berkas": uploaded.name,
                                                  "unggahan": upload_id}, uploaded.sha256, **store.scope)
    return upload_id
