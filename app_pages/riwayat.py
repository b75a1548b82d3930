from pathlib import Path

import streamlit as st

from app_pages.frame.auth import current_editor, reporter_name_input, viewer_notice
from app_pages.frame.chrome import all_columns_toggle, start_page
from app_pages.frame.tables import shown_table
from app_pages.frame.view import history_cached, orphaned_progress_cached, progress_store
from app_pages.frame.refusals import show_refusal
from zi_data.reporting.narrow_tables import UPLOAD_MAIN_COLUMNS
from zi_data.reporting.reports import audit_workbook_bytes
from zi_data.store.audit import last_event_id
from zi_data.base.history import UNDO_KIND
from zi_data.base.problems import Refusal
from zi_data.realisasi.undo_rules import undo_refusal, undo_upload

view = start_page("Riwayat")

store = progress_store()
editor = current_editor()
# Account names only for the signed-in (and for everyone in open mode, where anyone may edit); a viewer
# sees the role and team instead.
uploads, upload_rows, audit_rows, shown_events = history_cached(*view.state_key, last_event_id(store),
                                                                public=editor is None, zone=view.zone)

st.header("Unggahan")
if uploads.empty:
    st.info("Belum ada unggahan. Progres pertama dicatat dari halaman **Perbarui Progres**.")
else:
    shown_table(upload_rows if all_columns_toggle(view) else upload_rows[UPLOAD_MAIN_COLUMNS])

st.header("Jejak audit")
st.caption("Setiap perubahan (unggahan, pembatalan, revisi rencana, perubahan akun) dicatat dengan pelaku, waktu "
           "dan sidik berkas. Catatan ini tidak dapat diubah atau dihapus.")
shown_table(audit_rows)
st.download_button("Unduh jejak audit (Excel)", icon=":material/download:",
                   data=lambda: audit_workbook_bytes(shown_events, view.zone),
                   file_name="jejak_audit.xlsx", key="unduh_audit",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

orphans = orphaned_progress_cached(*view.state_key)
if not orphans.empty:
    st.header("Progres tanpa langkah aksi")
    st.caption("Progres berikut tercatat untuk ID langkah aksi yang tidak ada lagi di rencana aksi yang berlaku "
               "(dihapus, atau diganti ID-nya tanpa memindahkan progresnya), sehingga tidak dihitung di halaman lain. "
               "Riwayatnya tetap disimpan. Bila langkah aksi itu hanya diganti ID-nya, batalkan unggahan revisi "
               "rencananya lalu unggah ulang dengan memilih penggantian ID agar progresnya dipindahkan.")
    shown_table(orphans)

if uploads.empty:
    st.stop()
if editor is None:
    viewer_notice()
    st.stop()
if editor.open_mode:
    reporter_name_input()

st.header("Unduh berkas yang diarsipkan")
archived = uploads[uploads["archive_name"].astype(bool)].iloc[::-1]
choice = st.selectbox("Unggahan", archived["upload_id"].tolist(),
                      format_func=lambda i: f"#{i} · {archived.set_index('upload_id').at[i, 'file_name']}")
if choice is not None:
    row = archived.set_index("upload_id").loc[choice]
    suffix = Path(row["archive_name"]).suffix  # .xlsx, or .json: the record of a form's values
    st.download_button("Unduh berkas asli", icon=":material/download:", data=store.archive_path(row["archive_name"]).read_bytes,
                       file_name=f"unggahan_{choice}_{row['sha256'][:8]}{suffix}",
                       mime="application/json" if suffix == ".json"
                       else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

st.header("Batalkan unggahan terakhir")
if flash := st.session_state.pop("undo_flash", None):
    st.success(flash, icon=":material/check_circle:")
undoable = uploads[(uploads["kind"] != UNDO_KIND) & uploads["undone_by"].isna()]
if undoable.empty:
    st.write("Tidak ada unggahan yang dapat dibatalkan.")
    st.stop()
last = undoable.iloc[-1]
last_id = int(last["upload_id"])
# File and uploader names are user text: shown as text (st.text), never read as markdown.
st.text(f"Unggahan terakhir: #{last_id} · berkas {last['file_name']} · oleh {last['uploaded_by']}")
refusal = None if editor.may_undo_any else undo_refusal(store, last_id, editor.name, editor.team)
if refusal is not None:
    st.text(str(refusal))
    st.stop()
st.write("Pembatalan menambahkan kembali keadaan sebelumnya; riwayat tidak dihapus.")
if st.button("Batalkan unggahan ini", icon=":material/undo:", disabled=not editor.name):
    plan_version = store.plan_version()
    try:
        undo_id = undo_upload(store, last_id, editor.name, editor_team=editor.team)
    except Refusal as error:
        show_refusal(error)
    else:
        restored = (f" Rencana aksi yang berlaku sebelumnya dipulihkan sebagai versi {store.plan_version()}."
                    if store.plan_version() != plan_version else "")
        st.session_state["undo_flash"] = f"Unggahan #{last_id} dibatalkan (pembatalan #{undo_id}).{restored}"
        st.rerun()
