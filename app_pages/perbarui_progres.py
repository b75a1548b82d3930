import streamlit as st

from app_pages.frame.auth import Editor, current_editor, reporter_name_input, viewer_notice
from app_pages.frame.chrome import start_page
from app_pages.frame.tables import shown_table
from app_pages.frame.view import View, cached_preview, progress_store
from app_pages.frame.refusals import show_refusal
from zi_data.base.clock import people_dates
from zi_data.plan.column_labels import COLUMN_LABELS
from zi_data.reporting.figure_cards import preview_cards
from zi_data.base.months import MONTHS
from zi_data.plan.plan_changes import proposed_renames
from zi_data.base.problems import Refusal, problems_frame
from zi_data.realisasi.realisasi_export import export_file_name, export_workbook
from zi_data.realisasi.realisasi_evidence import evidence_table
from zi_data.realisasi.realisasi_import import apply_preview
from zi_data.base.safe_text import markdown_text

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The uploader's own texts are shown in Indonesian by app_pages/frame/chrome.PAGE_CSS ("Pilih berkas").
UPLOAD_HELP = ("Klik tombol **Pilih berkas** di kotak di bawah untuk memilih berkas, atau seret berkasnya ke kotak "
               "itu. Hanya buku kerja .xlsx tanpa makro, paling besar 20 MB per berkas.")

EVIDENCE_HELP = ("ZIP berisi berkas bukti (PDF, JPG, PNG, DOCX, XLSX atau PPTX), boleh dalam folder. Tulis nama "
                 "berkasnya (misalnya SK Tim ZI.pdf; pisahkan beberapa nama dengan ;) di kolom Bukti Dukung baris yang "
                 "dibuktikannya; berkas dilampirkan ke bulan-kegiatan itu saat perubahan disimpan.")


def download_section(view: View, editor: Editor | None) -> None:
    st.write("Buku kerja berisi lembar **Realisasi** (satu baris per langkah aksi per bulan), lembar rencana aksi "
             "dan petunjuk. Isi Status, Bukti Dukung, Tanggal Selesai dan Catatan, lalu unggah kembali di bawah.")
    teams = ["Semua tim", *view.all_teams]
    own_team = editor.team if editor and editor.team else (view.teams[0] if len(view.teams) == 1 else None)
    left, right = st.columns(2)
    team_choice = left.selectbox("Tim", teams, index=teams.index(own_team) if own_team in teams else 0,
                                 key=f"unduh_tim_{editor.user.name if editor and editor.user else ''}")
    through = right.selectbox("Sampai bulan", list(range(1, 13)), index=view.as_of_month - 1, key="unduh_bulan",
                              format_func=lambda month: MONTHS[month - 1])
    team = None if team_choice == teams[0] else team_choice
    st.download_button(
        "Unduh buku kerja", icon=":material/download:", key="unduh", mime=XLSX_TYPE, on_click="ignore",
        data=lambda: export_workbook(progress_store(), team, through),
        file_name=export_file_name(view.plan, team, through))


def start_over() -> None:
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1


def checked_upload(view: View, editor: Editor, uploaded, evidence_zip, round_key: str):
    """The preview of the uploaded workbook and evidence ZIP (with the ID renames the admin chose), and the renames
    proposed."""
    apply_plan = editor.may_revise_plan and st.checkbox(
        "Terapkan juga perubahan pada lembar Rencana Aksi (revisi rencana)", key="terapkan_rencana",
        help="Hanya admin. Perubahan rencana menjadi versi rencana baru; progres tetap melekat pada ID.")
    with st.status("Memeriksa buku kerja…", expanded=False) as progress:
        preview = cached_preview(uploaded.getvalue(), uploaded.name, *view.state_key, editor.team, apply_plan,
                                 **evidence_arguments(evidence_zip))
        progress.update(label="Pemeriksaan selesai", state="error" if preview.errors else "complete")
    # Renamed IDs: the admin's choice (widget below the preview tabs) decides which progress is carried over.
    renames = proposed_renames(preview.plan_changes) if preview.new_plan is not None else []
    strong = [rename.pair for rename in renames if rename.strong]
    chosen = tuple(pair for pair in st.session_state.get(f"ganti_id_{round_key}", strong)
                   if pair in {rename.pair for rename in renames})
    if chosen:
        preview = cached_preview(uploaded.getvalue(), uploaded.name, *view.state_key, editor.team, apply_plan,
                                 chosen, **evidence_arguments(evidence_zip))
    return preview, renames


def evidence_arguments(evidence_zip) -> dict:
    if evidence_zip is None:
        return {}
    return {"evidence_data": evidence_zip.getvalue(), "evidence_name": evidence_zip.name}


def preview_tables(preview) -> None:
    if preview.warnings:
        st.warning(f"{len(preview.warnings)} catatan pemeriksaan:", icon=":material/warning:")
        shown_table(problems_frame(preview.warnings))
    counts = preview.counts()
    shown = preview_cards(counts)
    for card, figure in zip(st.columns(len(shown)), shown):
        card.metric(figure.label, figure.value)
    tabs = st.tabs(["Baru", "Diubah", "Konflik", "Perubahan rencana"])
    for tab, frame in zip(tabs, [preview.new, preview.changed, preview.conflicts, preview.plan_changes]):
        with tab:
            if frame.empty:
                st.write("Tidak ada.")
            else:
                shown_table(people_dates(frame).rename(columns=COLUMN_LABELS))
    if counts.get("bukti_tautan"):
        st.info(f"{counts['bukti_tautan']} tautan akan dilampirkan sebagai bukti (dari kolom Bukti Dukung).",
                icon=":material/link:")
    if preview.evidence_plan is not None:
        evidence_files(preview)


def evidence_files(preview) -> None:
    st.subheader("Berkas bukti yang akan dilampirkan")
    if preview.evidence_plan.files.empty:
        st.write("Tidak ada berkas di ZIP yang disebut pada kolom Bukti Dukung.")
    else:
        shown_table(evidence_table(preview.evidence_plan))


def rename_choice(preview, renames, round_key: str) -> None:
    st.info("Revisi rencana ini tampaknya mengganti ID langkah aksi. Progres ID lama hanya dipindahkan ke ID "
            "baru (sebagai entri baru yang tercatat di jejak audit) untuk pasangan yang dipilih; progres yang "
            "tidak dipindahkan tetap tersimpan dan tampil di Riwayat sebagai progres tanpa langkah aksi.",
            icon=":material/swap_horiz:")
    st.multiselect("Pindahkan progres dari ID lama ke ID baru", [rename.pair for rename in renames],
                   default=[rename.pair for rename in renames if rename.strong], key=f"ganti_id_{round_key}",
                   format_func=lambda pair: f"{pair[0]} → {pair[1]}",
                   help="Terpilih otomatis: teks langkah aksi sama persis. 'Posisi sama' berarti teksnya diubah; "
                        "pilih hanya bila memang langkah aksi yang sama.")
    if preview.carried is not None and not preview.carried.empty:
        shown_table(preview.carried.rename(columns=COLUMN_LABELS))


def conflicts_to_take(preview) -> list:
    """The conflicting item-months the editor chose to overwrite with the file's values."""
    if preview.conflicts.empty:
        return []
    st.info("Konflik: bulan-kegiatan ini sudah diubah orang lain sejak buku kerja Anda diunduh. "
            "Nilai yang tersimpan dipertahankan kecuali Anda memilih untuk menimpanya.", icon=":material/info:")
    options = list(zip(preview.conflicts["item_id"], preview.conflicts["month"]))
    return st.multiselect("Timpa dengan nilai dari berkas", options,
                          format_func=lambda key: f"{key[0]} · {MONTHS[int(key[1]) - 1]}")


def saved_message(applied) -> str:
    done = applied.counts
    if applied.upload_id is None:
        return "Semua isi berkas sudah tercatat; tidak ada yang disimpan."
    return (f"Tersimpan (unggahan #{applied.upload_id}): {done['new']} baru, {done['changed']} diubah, "
            f"{done['unchanged']} tetap, {done['conflicts']} konflik dipertahankan."
            + (f" Rencana aksi kini versi {applied.plan_version}." if applied.plan_version else "")
            + (f" {done['carried']} bulan-kegiatan dipindah ke ID baru." if done.get("carried") else "")
            + (f" {done['bukti_berkas']} berkas bukti dilampirkan." if done.get("bukti_berkas") else "")
            + (f" {done['bukti_tautan']} tautan dilampirkan sebagai bukti." if done.get("bukti_tautan") else ""))


def save_buttons(preview, editor: Editor, take: list) -> None:
    counts = preview.counts()
    to_save = counts["new"] + counts["changed"] + counts.get("bukti_berkas", 0) + len(take)
    nothing = to_save == 0 and preview.new_plan is None
    confirm, cancel = st.columns(2)
    if cancel.button("Batal", icon=":material/close:", width="stretch"):
        start_over()
        st.rerun()
    if confirm.button("Simpan perubahan", type="primary", icon=":material/save:", width="stretch",
                      disabled=nothing or not editor.name, help=None if editor.name else "Isi nama Anda terlebih dahulu."):
        try:
            applied = apply_preview(progress_store(), preview, by=editor.name, take_uploaded_for=take)
        except Refusal as error:
            show_refusal(error)
        else:
            st.session_state["upload_flash"] = saved_message(applied)
            start_over()
            st.rerun()


def review_upload(view: View, editor: Editor, uploaded, evidence_zip, round_key: str) -> None:
    """What the upload would change, the choices it leaves, and the buttons to save or cancel."""
    preview, renames = checked_upload(view, editor, uploaded, evidence_zip, round_key)
    if preview.errors:
        names = f"**{markdown_text(preview.file_name)}**" + (
            f" dengan berkas bukti **{markdown_text(evidence_zip.name)}**" if evidence_zip is not None else "")
        st.error(f"Berkas {names} tidak dapat diterima ({len(preview.errors)} masalah; tabel di bawah menyebut "
                 "berkas, lembar, baris dan kolomnya). Tidak ada data yang diubah. Perbaiki lalu unggah kembali.",
                 icon=":material/error:")
        shown_table(problems_frame(preview.errors))
        return
    preview_tables(preview)
    if renames:
        rename_choice(preview, renames, round_key)
    save_buttons(preview, editor, conflicts_to_take(preview))


view = start_page("Perbarui Progres")
editor = current_editor()

st.header("1 · Unduh buku kerja realisasi")
download_section(view, editor)

st.header("2 · Unggah buku kerja yang sudah diisi")
if flash := st.session_state.pop("upload_flash", None):
    st.success(flash, icon=":material/check_circle:")
if editor is None:
    viewer_notice()
    st.stop()
if editor.open_mode:
    reporter_name_input()
if editor.team:
    st.caption(f"Anda hanya dapat memperbarui baris **{markdown_text(editor.team)}**; baris tim lain dalam berkas "
               "akan ditolak.")
round_key = f"unggah_{st.session_state.get('upload_round', 0)}"
st.caption(UPLOAD_HELP)
workbook_column, evidence_column = st.columns(2)
uploaded = workbook_column.file_uploader("Buku kerja realisasi (.xlsx)", type=["xlsx"], key=round_key,
                                         help="Hanya .xlsx tanpa makro, maksimal 20 MB.")
evidence_zip = evidence_column.file_uploader("Berkas bukti (ZIP, opsional)", type=["zip"], key=f"bukti_{round_key}",
                                             help=EVIDENCE_HELP)
if uploaded is not None:
    review_upload(view, editor, uploaded, evidence_zip, round_key)
elif evidence_zip is not None:
    st.info("Unggah juga buku kerja realisasi yang menyebut berkas-berkas ZIP ini di kolom Bukti Dukung.",
            icon=":material/info:")
