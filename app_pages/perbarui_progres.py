import streamlit as st

from app_pages.shared import (cached_preview, current_editor, open_store, page_header, page_view, signed_in_user,
                          state_key, viewer_notice)
from zi_data.column_labels import COLUMN_LABELS
from zi_data.months import MONTHS
from zi_data.plan_changes import proposed_renames
from zi_data.problems import InputError, problems_frame
from zi_data.realisasi_export import export_file_name, export_workbook
from zi_data.realisasi_import import apply_preview
from zi_data.safe_text import markdown_text

view = page_view()
page_header("Perbarui Progres", view)
store = open_store()
plan = store.plan()

st.subheader("1 · Unduh buku kerja realisasi")
st.write("Buku kerja berisi lembar **Realisasi** (satu baris per langkah aksi per bulan), lembar rencana aksi "
         "dan petunjuk. Isi Status, Bukti Dukung, Tanggal Selesai dan Catatan, lalu unggah kembali di bawah.")
teams = ["Semua tim", *dict.fromkeys(plan["penanggung_jawab"])]
user = signed_in_user()
own_team = user.team if user and not user.is_admin else (view.teams[0] if len(view.teams) == 1 else None)
default_team = teams.index(own_team) if own_team in teams else 0
left, right = st.columns(2)
team_choice = left.selectbox("Tim", teams, index=default_team, key=f"unduh_tim_{user.name if user else ''}")
through = right.selectbox("Sampai bulan", list(range(1, 13)), index=view.as_of_month - 1, key="unduh_bulan",
                          format_func=lambda m: MONTHS[m - 1])
team = None if team_choice == teams[0] else team_choice
st.download_button(
    "Unduh buku kerja", icon=":material/download:", data=lambda: export_workbook(store, team, through),
    file_name=export_file_name(plan, team, through), key="unduh",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")

st.subheader("2 · Unggah buku kerja yang sudah diisi")
if flash := st.session_state.pop("upload_flash", None):
    st.success(flash, icon=":material/check_circle:")
editor = current_editor()
if editor is None:
    viewer_notice()
    st.stop()
if editor.team:
    st.caption(f"Anda hanya dapat memperbarui baris **{markdown_text(editor.team)}**; baris tim lain dalam berkas "
               "akan ditolak.")
round_key = f"unggah_{st.session_state.get('upload_round', 0)}"
uploaded = st.file_uploader("Buku kerja realisasi (.xlsx)", type=["xlsx"], key=round_key,
                            help="Hanya .xlsx tanpa makro, maksimal 20 MB.")


def start_over() -> None:
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1


if uploaded is not None:
    data = uploaded.getvalue()
    apply_plan = editor.user is not None and editor.user.is_admin and st.checkbox(
        "Terapkan juga perubahan pada lembar Rencana Aksi (revisi rencana)", key="terapkan_rencana",
        help="Hanya admin. Perubahan rencana menjadi versi rencana baru; progres tetap melekat pada ID.")
    with st.status("Memeriksa buku kerja…", expanded=False) as progress:
        preview = cached_preview(data, uploaded.name, *state_key(), editor.team, apply_plan)
        progress.update(label="Pemeriksaan selesai", state="error" if preview.errors else "complete")
    # Renamed IDs: the admin's choice (widget below the preview tabs) decides which progress is carried over.
    renames = proposed_renames(preview.plan_changes) if preview.new_plan is not None else []
    rename_key, strong_renames = f"ganti_id_{round_key}", [r.pair for r in renames if r.strong]
    chosen = tuple(p for p in st.session_state.get(rename_key, strong_renames) if p in {r.pair for r in renames})
    if chosen:
        preview = cached_preview(data, uploaded.name, *state_key(), editor.team, apply_plan, chosen)
    if preview.errors:
        st.error(f"Berkas **{markdown_text(preview.file_name)}** tidak dapat diterima ({len(preview.errors)} masalah). "
                 "Tidak ada data yang diubah. Perbaiki lalu unggah kembali.", icon=":material/error:")
        st.dataframe(problems_frame(preview.errors), hide_index=True, width="stretch")
        st.stop()
    if preview.warnings:
        st.warning(f"{len(preview.warnings)} catatan pemeriksaan:", icon=":material/warning:")
        st.dataframe(problems_frame(preview.warnings), hide_index=True, width="stretch")
    counts = preview.counts()
    shown = [("Baru", "new"), ("Diubah", "changed"), ("Tetap", "unchanged"), ("Konflik", "conflicts"),
             ("Perubahan rencana", "plan_changes")] + ([("Ditolak", "rejected")] if counts["rejected"] else [])
    for card, (label, key) in zip(st.columns(len(shown)), shown):
        card.metric(label, counts[key])
    tabs = st.tabs(["Baru", "Diubah", "Konflik", "Perubahan rencana"])
    for tab, frame in zip(tabs, [preview.new, preview.changed, preview.conflicts, preview.plan_changes]):
        with tab:
            if frame.empty:
                st.write("Tidak ada.")
            else:
                st.dataframe(frame.rename(columns=COLUMN_LABELS), hide_index=True, width="stretch")
    if renames:
        st.info("Revisi rencana ini tampaknya mengganti ID langkah aksi. Progres ID lama hanya dipindahkan ke ID "
                "baru (sebagai entri baru yang tercatat di jejak audit) untuk pasangan yang dipilih; progres yang "
                "tidak dipindahkan tetap tersimpan dan tampil di Riwayat sebagai progres tanpa langkah aksi.",
                icon=":material/swap_horiz:")
        st.multiselect("Pindahkan progres dari ID lama ke ID baru", [r.pair for r in renames], default=strong_renames,
                       key=rename_key, format_func=lambda pair: f"{pair[0]} → {pair[1]}",
                       help="Terpilih otomatis: teks langkah aksi sama persis. 'Posisi sama' berarti teksnya diubah; "
                            "pilih hanya bila memang langkah aksi yang sama.")
        if preview.carried is not None and not preview.carried.empty:
            st.dataframe(preview.carried.rename(columns=COLUMN_LABELS), hide_index=True, width="stretch")
    take = []
    if not preview.conflicts.empty:
        st.info("Konflik: bulan-kegiatan ini sudah diubah orang lain sejak buku kerja Anda diunduh. "
                "Nilai yang tersimpan dipertahankan kecuali Anda memilih untuk menimpanya.", icon=":material/info:")
        options = list(zip(preview.conflicts["item_id"], preview.conflicts["month"]))
        take = st.multiselect("Timpa dengan nilai dari berkas", options,
                              format_func=lambda key: f"{key[0]} · {MONTHS[int(key[1]) - 1]}")
    nothing = counts["new"] + counts["changed"] + len(take) == 0 and preview.new_plan is None
    confirm, cancel = st.columns(2)
    if cancel.button("Batal", icon=":material/close:", width="stretch"):
        start_over()
        st.rerun()
    if confirm.button("Simpan perubahan", type="primary", icon=":material/save:", width="stretch",
                      disabled=nothing or not editor.name, help=None if editor.name else "Isi nama Anda terlebih dahulu."):
        try:
            applied = apply_preview(store, preview, by=editor.name, take_uploaded_for=take)
        except InputError as error:
            st.error("\n\n".join(markdown_text(p) for p in error.problems), icon=":material/error:")
        else:
            done = applied.counts
            if applied.upload_id is None:
                st.session_state["upload_flash"] = "Semua isi berkas sudah tercatat; tidak ada yang disimpan."
                start_over()
                st.rerun()
            st.session_state["upload_flash"] = (
                f"Tersimpan (unggahan #{applied.upload_id}): {done['new']} baru, {done['changed']} diubah, "
                f"{done['unchanged']} tetap, {done['conflicts']} konflik dipertahankan."
                + (f" Rencana aksi kini versi {applied.plan_version}." if applied.plan_version else "")
                + (f" {done['carried']} bulan-kegiatan dipindah ke ID baru." if done.get("carried") else ""))
            start_over()
            st.rerun()
