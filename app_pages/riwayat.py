import streamlit as st

from app_pages.shared import current_editor, open_store, page_header, page_view, viewer_notice
from zi_data.audit import audit_events, audit_table, audit_workbook_bytes
from zi_data.history import upload_history
from zi_data.plan_history import orphaned_progress
from zi_data.problems import InputError
from zi_data.realisasi_workbook import undo_upload

view = page_view()
page_header("Riwayat", view)

store = open_store()
uploads = store.uploads()
events = audit_events(store)

st.subheader("Unggahan")
if uploads.empty:
    st.info("Belum ada unggahan. Progres pertama dicatat dari halaman **Perbarui Progres**.")
else:
    st.dataframe(upload_history(uploads), hide_index=True, width="stretch")

st.subheader("Jejak audit")
st.caption("Setiap perubahan (unggahan, pembatalan, revisi rencana, perubahan akun) dicatat dengan pelaku, waktu "
           "dan sidik berkas. Catatan ini tidak dapat diubah atau dihapus.")
st.dataframe(audit_table(events), hide_index=True, width="stretch")
st.download_button("Unduh jejak audit (Excel)", icon=":material/download:", data=lambda: audit_workbook_bytes(events),
                   file_name="jejak_audit.xlsx", key="unduh_audit",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

orphans = orphaned_progress(store)
if not orphans.empty:
    st.subheader("Progres tanpa langkah aksi")
    st.caption("Progres berikut tercatat untuk ID langkah aksi yang tidak ada lagi di rencana aksi yang berlaku "
               "(dihapus, atau diganti ID-nya tanpa memindahkan progresnya), sehingga tidak dihitung di halaman lain. "
               "Riwayatnya tetap disimpan. Bila langkah aksi itu hanya diganti ID-nya, batalkan unggahan revisi "
               "rencananya lalu unggah ulang dengan memilih penggantian ID agar progresnya dipindahkan.")
    st.dataframe(orphans, hide_index=True, width="stretch")

if uploads.empty:
    st.stop()
editor = current_editor()
if editor is None:
    viewer_notice()
    st.stop()

st.subheader("Unduh berkas yang diarsipkan")
archived = uploads[uploads["archive_name"].astype(bool)].iloc[::-1]
choice = st.selectbox("Unggahan", archived["upload_id"].tolist(),
                      format_func=lambda i: f"#{i} · {archived.set_index('upload_id').at[i, 'file_name']}")
if choice is not None:
    row = archived.set_index("upload_id").loc[choice]
    st.download_button("Unduh berkas asli", icon=":material/download:", data=store.archive_path(row["archive_name"]).read_bytes,
                       file_name=f"unggahan_{choice}_{row['sha256'][:8]}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

st.subheader("Batalkan unggahan terakhir")
undoable = uploads[(uploads["kind"] != "undo") & uploads["undone_by"].isna()]
if undoable.empty:
    st.write("Tidak ada unggahan yang dapat dibatalkan.")
    st.stop()
last = undoable.iloc[-1]
if not editor.may_undo(last["uploaded_by"]):
    st.write(f"Unggahan terakhir (#{last['upload_id']}) dibuat oleh {last['uploaded_by']}; editor hanya dapat "
             "membatalkan unggahannya sendiri.")
    st.stop()
st.write(f"Unggahan **#{last['upload_id']}** (`{last['file_name']}`, oleh {last['uploaded_by']}). "
         "Pembatalan menambahkan kembali keadaan sebelumnya; riwayat tidak dihapus.")
if st.button("Batalkan unggahan ini", icon=":material/undo:", disabled=not editor.name):
    try:
        undo_id = undo_upload(store, int(last["upload_id"]), editor.name, own_uploads_only=not editor.is_admin)
    except InputError as error:
        st.error("\n\n".join(str(p) for p in error.problems))
    else:
        st.success(f"Unggahan #{last['upload_id']} dibatalkan (pembatalan #{undo_id}).")
        st.rerun()
