import streamlit as st

from pages.shared import current_view, open_store, page_header, reporter_name
from zi_data.history import upload_history

view = current_view()
page_header("Riwayat", view)

store = open_store()
uploads = store.uploads()
if uploads.empty:
    st.info("Belum ada unggahan. Progres pertama dicatat dari halaman **Perbarui Progres**.")
    st.stop()

st.dataframe(upload_history(uploads), hide_index=True, width="stretch")

st.subheader("Unduh berkas yang diarsipkan")
archived = uploads[uploads["archive_name"].astype(bool)].iloc[::-1]
choice = st.selectbox("Unggahan", archived["upload_id"].tolist(),
                      format_func=lambda i: f"#{i} · {archived.set_index('upload_id').at[i, 'file_name']}")
if choice is not None:
    row = archived.set_index("upload_id").loc[choice]
    st.download_button("Unduh berkas asli", icon=":material/download:", data=store.archive_path(row["archive_name"]).read_bytes(),
                       file_name=f"unggahan_{choice}_{row['sha256'][:8]}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

st.subheader("Batalkan unggahan terakhir")
undoable = uploads[(uploads["kind"] != "undo") & uploads["undone_by"].isna()]
if undoable.empty:
    st.write("Tidak ada unggahan yang dapat dibatalkan.")
    st.stop()
last = undoable.iloc[-1]
st.write(f"Unggahan **#{last['upload_id']}** (`{last['file_name']}`, oleh {last['uploaded_by']}). "
         "Pembatalan menambahkan kembali keadaan sebelumnya; riwayat tidak dihapus.")
name = reporter_name()
if st.button("Batalkan unggahan ini", icon=":material/undo:", disabled=not name):
    try:
        undo_id = store.undo_upload(int(last["upload_id"]), by=name)
    except ValueError as error:
        st.error(str(error))
    else:
        st.success(f"Unggahan #{last['upload_id']} dibatalkan (pembatalan #{undo_id}).")
        st.rerun()
