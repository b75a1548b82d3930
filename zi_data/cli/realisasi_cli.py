"""`python -m zi_data export|import|undo`: Realisasi workbooks out to the teams and back.

import exit codes: 0 applied (or previewed) cleanly, 1 bad input (nothing written),
3 applied but conflicts were left unapplied (see the printed list).
"""

import json
import sys
from pathlib import Path

from ..store.accounts import AccountError, User
from .command_scope import (EXIT_CONFLICTS, EXIT_REFUSED, actor_name, add_ledger_arguments, open_ledger,
                            write_output)
from ..files.file_types import size_text
from ..base.months import month_name
from ..plan.plan_changes import PLAN_CHANGE_RENAMED, proposed_renames
from ..base.problems import InputError, spelled
from ..realisasi.realisasi_export import export_workbook, resolve_month
from ..realisasi.realisasi_import import apply_preview, preview_upload
from ..realisasi.realisasi_preview import ImportPreview
from ..realisasi.undo_rules import undo_upload
from .user_cli import sign_in

SHOWN_ROWS = 15


def register(commands, data_dir_help: str) -> None:
    export = commands.add_parser("export", help="buat buku kerja realisasi (.xlsx) untuk diisi tim")
    export.add_argument("--team", help="hanya langkah aksi tim ini (bawaan: semua tim)")
    export.add_argument("--through-month", default="12",
                        help="baris sampai bulan ini: 1–12 atau nama bulan (bawaan: Desember)")
    export.add_argument("-o", "--output", required=True, help="berkas .xlsx tujuan")
    export.set_defaults(handler=cmd_export)

    upload = commands.add_parser("import", help="pratinjau lalu (dengan --yes) terapkan buku kerja realisasi")
    upload.add_argument("file")
    upload.add_argument("--yes", action="store_true", help="terapkan; tanpa ini hanya pratinjau")
    upload.add_argument("--by", help="nama pengunggah (bawaan: $ZI_USER, lalu 'baris perintah')")
    upload.add_argument("--apply-plan", action="store_true",
                        help="terapkan juga perubahan pada lembar Rencana Aksi sebagai versi rencana baru")
    upload.add_argument("--rename", action="append", default=[], metavar="LAMA=BARU",
                        help="dengan --apply-plan: ID LAMA diganti menjadi BARU; progres LAMA dipindahkan ke BARU "
                             "(boleh diulang)")
    upload.add_argument("--accept-renames", action="store_true",
                        help="dengan --apply-plan: terima semua dugaan penggantian ID yang kuat (teks sama)")
    upload.add_argument("--overwrite-conflicts", action="store_true",
                        help="timpa data yang diubah orang lain sejak berkas diunduh (konflik) dengan isi berkas")
    upload.add_argument("--bukti", metavar="BUKTI.zip",
                        help="ZIP berisi berkas bukti; berkas yang namanya disebut di kolom Bukti Dukung dilampirkan "
                             "ke bulan-kegiatan baris itu")
    upload.add_argument("--json", action="store_true", help="cetak pratinjau sebagai JSON")
    upload.set_defaults(handler=cmd_import)

    undo = commands.add_parser("undo", help="batalkan satu unggahan (riwayat tetap disimpan)")
    undo.add_argument("upload_id", type=int)
    undo.add_argument("--by", help="nama yang membatalkan (bawaan: $ZI_USER, lalu 'baris perintah')")
    undo.set_defaults(handler=cmd_undo)

    for parser in (export, upload, undo):
        parser.add_argument("--data-dir", default=None, help=data_dir_help)
        add_ledger_arguments(parser)
    for parser in (upload, undo):
        parser.add_argument("--user", help="akun editor/admin (wajib bila sudah ada akun)")
        parser.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari baris pertama stdin")


def _print_problems(problems, stream=None) -> None:
    for problem in problems:
        print(spelled(f"- {problem}"), file=stream or sys.stderr)


def cmd_export(args) -> int:
    store = open_ledger(args)
    try:
        month = resolve_month(args.through_month)
        data = export_workbook(store, team=args.team, through_month=month)
    except InputError as error:
        _print_problems(error.problems)
        return 1
    target = Path(args.output)
    if not write_output(target, data, "Buku kerja realisasi"):
        return 1
    print(f"Buku kerja realisasi ditulis ke {target} ({args.team or 'semua tim'}, s.d. {month_name(month)}).")
    return 0


def _signed_in(args, store) -> tuple[User | None, str] | None:
    """(user, actor name), or None after printing why the command may not act."""
    try:
        user = sign_in(store.accounts, args.user, args.password_stdin)
    except AccountError as error:
        print(f"Gagal masuk: {error}", file=sys.stderr)
        return None
    return user, actor_name(args, user)


def cmd_import(args) -> int:
    store = open_ledger(args)
    if (signed := _signed_in(args, store)) is None:
        return EXIT_REFUSED
    user, actor = signed
    editor_team = user.team if user and not user.is_admin else None
    named = [tuple(part.strip() for part in text.split("=", 1)) for text in args.rename]
    if any(len(pair) != 2 or not all(pair) for pair in named):
        print("Tulis --rename sebagai LAMA=BARU, misalnya --rename I-4-1=I-4-9.", file=sys.stderr)
        return 1
    evidence_name = Path(args.bukti).name if args.bukti else None
    preview = preview_upload(store, args.file, Path(args.file).name, apply_plan=args.apply_plan,
                             allowed_team=editor_team, renames=named, evidence=args.bukti, evidence_name=evidence_name)
    if args.accept_renames:
        accepted = list(dict.fromkeys([*named, *(r.pair for r in proposed_renames(preview.plan_changes) if r.strong)]))
        if accepted != named:
            preview = preview_upload(store, preview.file or args.file, Path(args.file).name,
                                     apply_plan=args.apply_plan, allowed_team=editor_team, renames=accepted,
                                     evidence=preview.evidence or args.bukti, evidence_name=evidence_name)
    if preview.errors:
        if args.json:
            print(json.dumps(preview.as_dict(), ensure_ascii=False, indent=2))
        print(spelled(f"Berkas '{preview.file_name}' tidak dapat diproses ({len(preview.errors)} masalah); "
                      "tidak ada yang disimpan:"), file=sys.stderr)
        _print_problems(preview.errors)
        return 1
    if not args.yes:
        _show(preview, args)
        if not args.json:
            print("Ini hanya pratinjau; tidak ada yang disimpan. Jalankan ulang dengan --yes untuk menerapkan.")
        return 0
    take = preview.conflict_keys() if args.overwrite_conflicts else set()
    try:
        applied = apply_preview(store, preview, by=actor, take_uploaded_for=take, accept_changes=True)
    except InputError as error:  # the store changed meanwhile and the file no longer fits it
        print("Berkas tidak dapat diterapkan; tidak ada yang disimpan:", file=sys.stderr)
        _print_problems(error.problems)
        return 1
    fresh = applied.preview
    if args.overwrite_conflicts and fresh.conflict_keys() - take:  # conflicts that appeared meanwhile
        print("Konflik baru muncul sejak pratinjau; konflik itu tidak ditimpa.", file=sys.stderr)
    _show(fresh, args, applied)
    if not args.json and applied.upload_id is None:
        print("Semua isi berkas sudah tercatat; tidak ada yang disimpan.")
    elif not args.json:
        print(f"Diterapkan sebagai unggahan nomor {applied.upload_id}"
              + (f"; rencana aksi kini versi {applied.plan_version}" if applied.plan_version else "") + ".")
    if applied.counts["conflicts"]:
        print(f"PERHATIAN: {applied.counts['conflicts']} konflik tidak diterapkan; data yang tercatat tetap. "
              "Periksa lalu unggah ulang dengan --overwrite-conflicts bila isi berkas yang benar.", file=sys.stderr)
        return EXIT_CONFLICTS
    return 0


def _show(preview: ImportPreview, args, applied=None) -> None:
    if args.json:
        summary = preview.as_dict()
        if applied is not None:
            summary.update(upload_id=applied.upload_id, applied_counts=applied.counts,
                           new_plan_version=applied.plan_version)
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    counts = preview.counts()
    scope = preview.team or "semua tim"
    through = f", s.d. {month_name(preview.through_month)}" if preview.through_month else ""
    _line(f"Pratinjau '{preview.file_name}' (SHA-256 {preview.sha256[:12]}…): {scope}{through}, "
          f"dibuat dari data revisi {preview.base_revision}, data kini revisi {preview.revision}.")
    _line(f"  Baru: {counts['new']}  Diubah: {counts['changed']}  Tetap: {counts['unchanged']}  "
          f"Konflik: {counts['conflicts']}  Perubahan rencana: {counts['plan_changes']}")
    for title, frame in (("Baru", preview.new), ("Diubah", preview.changed)):
        for row in frame.head(SHOWN_ROWS).itertuples():
            before = f" (sebelumnya {row.previous_status})" if title == "Diubah" else ""
            _line(f"  {title}: baris {row.row} {row.item_id} {row.month_name}: {row.status}{before}"
                  + (f" – {row.bukti_dukung}" if row.bukti_dukung else ""))
        if len(frame) > SHOWN_ROWS:
            _line(f"  … dan {len(frame) - SHOWN_ROWS} baris {title.lower()} lainnya (lihat --json)")
    for row in preview.conflicts.itertuples():
        _line(f"  KONFLIK baris {row.row} {row.item_id} {row.month_name}: berkas '{row.status}' "
              f"({row.bukti_dukung or 'tanpa bukti'}), tercatat kini '{row.current_status or 'kosong'}' "
              f"({row.current_bukti_dukung or 'tanpa bukti'}, oleh {row.current_reported_by or '-'})")
    for row in preview.plan_changes.itertuples():
        months = lambda ms: ", ".join(month_name(m)[:3] for m in ms) or "-"  # noqa: E731
        detail = f" [{row.fields}]" if row.fields else ""
        shown_id = f"{row.old_id} → {row.id} ({row.match})" if row.change == PLAN_CHANGE_RENAMED else row.id
        _line(f"  Rencana {row.change}: {shown_id} {row.langkah_aksi[:60]} ({months(row.old_months)} → "
              f"{months(row.new_months)}){detail}")
    for old, new in preview.renames:
        moved = preview.carried[(preview.carried["old_id"] == old) & (preview.carried["item_id"] == new)]
        _line(f"  Progres dipindahkan: {old} → {new}, {len(moved)} bulan-kegiatan")
    if preview.apply_plan and {r.pair for r in proposed_renames(preview.plan_changes)} - set(preview.renames):
        _line("  Dugaan penggantian ID yang belum dikonfirmasi tidak memindahkan progres; konfirmasi dengan "
              "--rename LAMA=BARU atau --accept-renames.")
    _show_evidence(preview)
    if preview.warnings:
        _line("Peringatan:")
        _print_problems(preview.warnings, sys.stdout)


def _show_evidence(preview: ImportPreview) -> None:
    if preview.counts().get("bukti_tautan"):
        _line(f"  {preview.counts()['bukti_tautan']} tautan akan dilampirkan sebagai bukti (dari kolom Bukti Dukung)")
    if preview.evidence_plan is None:
        return
    files = preview.evidence_plan.files
    _line(f"  Berkas bukti dari '{preview.evidence.name}': {preview.counts()['bukti_berkas']} akan dilampirkan")
    for row in files.head(SHOWN_ROWS).itertuples():
        _line(f"  Bukti: baris {row.row} {row.item_id} {row.month_name}: {row.file_name} ({row.kind}, "
              f"{size_text(row.size)}) – {row.action}")
    if len(files) > SHOWN_ROWS:
        _line(f"  … dan {len(files) - SHOWN_ROWS} berkas bukti lainnya (lihat --json)")


def _line(text: str) -> None:
    """A line of the preview, which quotes the file's texts: invisible and bidirectional characters spelled."""
    print(spelled(text))


def cmd_undo(args) -> int:
    store = open_ledger(args)
    if (signed := _signed_in(args, store)) is None:
        return EXIT_REFUSED
    user, actor = signed
    editor_team = user.team if user and not user.is_admin else None  # None: admin, or open mode
    plan_version = store.plan_version()
    try:
        undo_id = undo_upload(store, args.upload_id, actor, editor_team=editor_team)
    except InputError as error:
        _print_problems(error.problems)
        return 1
    print(f"Unggahan nomor {args.upload_id} dibatalkan (pembatalan nomor {undo_id}); riwayat tetap disimpan.")
    if store.plan_version() != plan_version:
        print(f"Rencana aksi yang berlaku sebelum unggahan itu dipulihkan sebagai versi {store.plan_version()}.")
    return 0
