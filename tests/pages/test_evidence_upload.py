"""The evidence ZIP uploaded with a realisasi workbook: previewed, attached in the upload's transaction, undone."""

import pytest

from evidence_samples import jpeg_bytes, pdf_bytes, png_bytes, zipped
from helpers import new_store, open_app, run_cli, upload
from realisasi_helpers import OTHER, OTHER_ROWS, OWN, OWN_ROWS, fill, snapshot
from zi_data.evidence import evidence
from zi_data.store.audit import audit_events
from zi_data.store.progress_store import ProgressStore
from zi_data.realisasi.realisasi_evidence import ALREADY_STORED, NEW, NEW_VERSION
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_import import apply_preview, preview_upload
from zi_data.realisasi.undo_rules import undo_upload

SK = "SK Unit Gratifikasi.pdf"  # what OWN_ROWS' V-1-2 names in its Bukti Dukung cell


def workbook(store, rows=None) -> bytes:
    return fill(export_workbook(store, None, 1), rows if rows is not None else {**OWN_ROWS, **OTHER_ROWS})


def evidence_zip(**files: bytes) -> bytes:
    return zipped({f"AREA V/{name}": data for name, data in files.items()})


def files(store, current_only: bool = True):
    """The file attachments (V-1-1's cell holds a link: a link attachment, see test_evidence_links)."""
    frame = evidence.attachments(store, current_only=current_only)
    return frame[frame["kind"] != evidence.LINK].reset_index(drop=True)


def current(store) -> list[tuple]:
    frame = files(store)
    return sorted(zip(frame["item_id"], frame["month"], frame["file_name"], frame["upload_id"].astype("Int64")))


def test_preview_lists_files_per_item_month_and_saves_nothing(store):
    before = snapshot(store)
    data = evidence_zip(**{SK: pdf_bytes(), "SK Tim Kerja.pdf": pdf_bytes("tim"), "lupa.png": png_bytes()})
    preview = preview_upload(store, workbook(store), "realisasi.xlsx", evidence=data, evidence_name="bukti.zip")
    assert preview.ok, preview.errors
    files = preview.evidence_plan.files
    assert list(zip(files["item_id"], files["month"], files["file_name"], files["kind"], files["action"])) == [
        ("I-1-1", 1, "SK Tim Kerja.pdf", "PDF", NEW), ("V-1-2", 1, SK, "PDF", NEW)]
    assert list(files["size"]) == [len(pdf_bytes("tim")), len(pdf_bytes())]
    assert preview.counts()["bukti_berkas"] == 2
    [unreferenced] = [p for p in preview.warnings if "lupa.png" in p.message]
    assert "tidak dirujuk" in unreferenced.message
    assert snapshot(store) == before and current(store) == []


def test_apply_attaches_in_the_upload_transaction_on_each_backend(store_on_each_backend):
    store = store_on_each_backend
    data = evidence_zip(**{SK: pdf_bytes(), "SK Tim Kerja.pdf": jpeg_bytes()})
    preview = preview_upload(store, workbook(store), "realisasi.xlsx", evidence=data, evidence_name="bukti.zip")
    applied = apply_preview(store, preview, by="rina")
    assert applied.counts["bukti_berkas"] == 2
    assert current(store) == [("I-1-1", 1, "SK Tim Kerja.pdf", applied.upload_id),
                              ("V-1-2", 1, SK, applied.upload_id)]
    assert store.uploads()["counts"].iloc[-1]["bukti_berkas"] == 2
    kept = evidence.attachments(store)
    jpeg_row = kept[kept["file_name"] == "SK Tim Kerja.pdf"].iloc[0]
    assert jpeg_row["kind"] == "jpeg"  # decided by content, not by the name
    assert evidence.blob_file(store, jpeg_row["sha256"]).read_bytes() == jpeg_bytes()


def test_same_content_adds_nothing_other_content_is_a_new_version(store):
    book = workbook(store)
    apply_preview(store, preview_upload(store, book, "realisasi.xlsx", evidence=evidence_zip(**{SK: pdf_bytes()})),
                  by="rina")
    [first] = files(store)["evidence_id"]
    again = preview_upload(store, book, "realisasi.xlsx", evidence=evidence_zip(**{SK: pdf_bytes()}))
    assert list(again.evidence_plan.files["action"]) == [ALREADY_STORED] and again.counts()["bukti_berkas"] == 0
    assert apply_preview(store, again, by="rina").upload_id is None  # the workbook is unchanged too: nothing written
    newer = preview_upload(store, book, "realisasi.xlsx", evidence=evidence_zip(**{SK: pdf_bytes("revisi")}))
    [planned] = newer.evidence_plan.files.itertuples()
    assert (planned.action, planned.replaces) == (NEW_VERSION, first)
    applied = apply_preview(store, newer, by="rina")
    everything = files(store, current_only=False)
    assert len(everything) == 2 and list(everything["current"]) == [False, True]
    assert everything["replaces"].iloc[1] == first and applied.counts["bukti_berkas"] == 1


def test_a_failure_while_attaching_changes_nothing(store, monkeypatch):
    data = evidence_zip(**{SK: pdf_bytes(), "SK Tim Kerja.pdf": pdf_bytes("tim")})
    preview = preview_upload(store, workbook(store), "realisasi.xlsx", evidence=data)
    before, events_before = snapshot(store), len(audit_events(store))
    real, calls = evidence.attach_file, []

    def failing(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise OSError("disk penuh")
        return real(*args, **kwargs)

    monkeypatch.setattr(evidence, "attach_file", failing)
    with pytest.raises(OSError):
        apply_preview(store, preview, by="rina")
    assert len(calls) == 2
    entries, uploads, plan_versions, _archive = snapshot(store)  # a file written before the failure may stay on
    assert (entries, uploads, plan_versions) == before[:3]      # disk, named by its hash and referenced by nothing
    assert evidence.attachments(store, current_only=False).empty
    assert len(audit_events(store)) == events_before


def test_undoing_the_upload_hides_its_attachments(store_on_each_backend):
    store = store_on_each_backend
    preview = preview_upload(store, workbook(store), "realisasi.xlsx", evidence=evidence_zip(**{SK: pdf_bytes()}))
    applied = apply_preview(store, preview, by="rina")
    assert len(files(store)) == 1 and len(evidence.attachments(store)) == 2  # the file, and V-1-1's link
    undo_upload(store, applied.upload_id, "koordinator")
    assert evidence.attachments(store).empty
    assert len(evidence.attachments(store, current_only=False)) == 2  # kept, not deleted


def test_an_editor_attaches_only_to_their_own_teams_rows(store):
    data = evidence_zip(**{SK: pdf_bytes(), "SK Tim Kerja.pdf": pdf_bytes("tim")})
    preview = preview_upload(store, workbook(store), "realisasi.xlsx", allowed_team=OWN, evidence=data)
    assert list(preview.evidence_plan.files["item_id"]) == ["V-1-2"]
    [refused] = [p for p in preview.warnings if "SK Tim Kerja.pdf" in p.message]
    assert OTHER in refused.message and "tidak dilampirkan" in refused.message
    apply_preview(store, preview, by="rina")
    assert [row[:3] for row in current(store)] == [("V-1-2", 1, SK)]


def test_a_file_named_in_an_unchanged_row_is_still_attached(store):
    book = workbook(store)
    apply_preview(store, preview_upload(store, book, "realisasi.xlsx"), by="rina")
    again = fill(export_workbook(store, None, 1), {})  # the download now holds the recorded names
    preview = preview_upload(store, again, "realisasi.xlsx", evidence=evidence_zip(**{SK: pdf_bytes()}))
    assert preview.counts()["new"] == 0 and preview.counts()["bukti_berkas"] == 1
    assert apply_preview(store, preview, by="rina").upload_id is not None
    assert [row[:3] for row in current(store)] == [("V-1-2", 1, SK)]


def test_a_named_file_missing_from_the_zip_is_reported_where_it_is_named(store):
    preview = preview_upload(store, workbook(store), "realisasi.xlsx", evidence=evidence_zip(**{SK: pdf_bytes()}))
    [missing] = [p for p in preview.warnings if "SK Tim Kerja.pdf" in p.message]
    assert missing.sheet == "Realisasi" and missing.row and missing.column.startswith("I (Bukti Dukung")
    assert "tidak ada di ZIP" in missing.message


def test_a_hostile_zip_refuses_the_upload_naming_the_member(store):
    before = snapshot(store)
    data = zipped({"../../etc/cron.d/x.pdf": pdf_bytes(), "halaman.pdf": b"<html><script>1</script>"})
    preview = preview_upload(store, workbook(store), "realisasi.xlsx", evidence=data, evidence_name="bukti.zip")
    assert not preview.ok
    messages = " ".join(p.message for p in preview.errors)
    assert "../../etc/cron.d/x.pdf" in messages and "halaman.pdf" in messages and "bukti.zip" in messages
    assert snapshot(store) == before


def test_command_line_import_with_bukti(store, tmp_path):
    book, archive = tmp_path / "realisasi.xlsx", tmp_path / "bukti.zip"
    book.write_bytes(workbook(store))
    archive.write_bytes(evidence_zip(**{SK: pdf_bytes()}))
    shown = run_cli("import", book, "--bukti", archive, data_dir=store.data_dir, check_returncode=0)
    assert "Bukti: baris" in shown.stdout and SK in shown.stdout and "1 akan dilampirkan" in shown.stdout
    assert current(ProgressStore(store.data_dir)) == []
    run_cli("import", book, "--bukti", archive, "--yes", data_dir=store.data_dir, check_returncode=0)
    assert [row[:3] for row in current(ProgressStore(store.data_dir))] == [("V-1-2", 1, SK)]
    refused = run_cli("import", book, "--bukti", tmp_path / "tidak-ada.zip", data_dir=store.data_dir)
    assert refused.returncode == 1 and "tidak-ada.zip" in refused.stderr


def test_the_page_previews_and_attaches_the_zip(tmp_path, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    store = new_store()
    app = open_app("app_pages/perbarui_progres.py")
    assert [u.label for u in app.get("file_uploader")] == ["Buku kerja realisasi (.xlsx)",
                                                           "Berkas bukti (ZIP, opsional)"]
    app = upload(app, "realisasi.xlsx", workbook(store))
    app.file_uploader[1].upload("bukti.zip", evidence_zip(**{SK: pdf_bytes()}), "application/zip").run()
    assert not app.exception
    tables = [frame.value for frame in app.dataframe]
    [files] = [table for table in tables if "Berkas" in table.columns]
    assert list(files["Berkas"]) == [SK] and list(files["Jenis"]) == ["PDF"]
    next(b for b in app.button if b.label == "Simpan perubahan").click().run()
    assert "1 berkas bukti dilampirkan" in app.success[0].value
    assert [row[:3] for row in current(new_store())] == [("V-1-2", 1, SK)]


def test_the_page_names_the_zip_and_its_member_when_the_zip_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "data"))
    store = new_store()
    app = upload(open_app("app_pages/perbarui_progres.py"), "realisasi.xlsx", workbook(store))
    hostile = zipped({"../../keluar.pdf": pdf_bytes()})
    app.file_uploader[1].upload("bukti.zip", hostile, "application/zip").run()
    assert not app.exception
    assert "**realisasi\\.xlsx** dengan berkas bukti **bukti\\.zip**" in app.error[0].value  # names as text
    problems = app.dataframe[0].value.to_string()
    assert "keluar.pdf" in problems
    assert not any(b.label == "Simpan perubahan" for b in app.button)
    assert evidence.attachments(new_store()).empty
