import streamlit as st

from app_pages.frame.auth import current_editor, reporter_name_input, viewer_notice
from app_pages.frame.chrome import start_page
from app_pages.frame.session import database
from app_pages.frame.tables import shown_table
from app_pages.frame.view import OFFICE_KEY, YEAR_KEY, cached_year_preview, progress_store, visible_ledgers
from app_pages.frame.refusals import show_refusal
from zi_data.base.paths import data_dir
from zi_data.files.file_types import KINDS
from zi_data.store.plan_years import draft_file_name, draft_next_year, plan_years_table, start_year
from zi_data.base.problems import Refusal, problems_frame
from zi_data.base.safe_text import markdown_text

ROUND_KEY, FLASH_KEY = "tahun_baru_putaran", "tahun_baru_pesan"


def open_year(office: str, year: int) -> None:
    """The button's callback: the sidebar shows the new year on the next run."""
    st.session_state[OFFICE_KEY], st.session_state[YEAR_KEY] = office, str(year)


def draft_download(store, latest_year: int) -> None:
    """Next year's plan workbook drafted from the office's latest plan year, built when the button is clicked."""
    year = latest_year + 1
    st.caption(f"Rencana tahun {year} dapat dimulai dari rencana tahun {latest_year}: unduh rancangannya (langkah "
               "aksi, ID, bulan, penanggung jawab dan bukti fisik yang sama, tahunnya diganti), sunting di Excel "
               "(isi Nomor keputusan dan Tanggal penetapan di lembar Info; lembar Catatan menyebut teks yang masih "
               "menyebut tahun lama), lalu unggah di sini.")
    st.download_button(f"Unduh rancangan rencana tahun {year}", icon=":material/download:", key="unduh_rancangan",
                       mime=KINDS["xlsx"].mime, on_click="ignore", file_name=draft_file_name(store.office, year),
                       data=lambda: draft_next_year(store.with_ledger(store.office, latest_year), year)[1])


def new_year_section(office: str, name: str, editor) -> None:
    st.caption("Unggah berkas rencana aksi (.xlsx) tahun yang baru. Berkas dibaca dan diperiksa seperti rencana "
               "aksi mana pun; tahunnya diambil dari berkas. Tahun lain tidak tersentuh, dan progres tidak "
               "terbawa dari tahun sebelumnya.")
    round_key = f"rencana_baru_{st.session_state.get(ROUND_KEY, 0)}"
    uploaded = st.file_uploader("Rencana aksi tahun baru (.xlsx)", type=["xlsx"], key=round_key)
    if uploaded is None:
        return
    preview = cached_year_preview(uploaded.getvalue(), uploaded.name, str(data_dir()), office,
                                  len(visible_ledgers()))
    if preview.errors:
        st.error(f"Berkas **{markdown_text(uploaded.name)}** tidak dapat dipakai untuk memulai tahun baru "
                 f"({len(preview.errors)} masalah). Tidak ada yang disimpan.", icon=":material/error:")
        shown_table(problems_frame(preview.errors))
        return
    if preview.warnings:
        st.warning(f"{len(preview.warnings)} catatan pemeriksaan:", icon=":material/warning:")
        shown_table(problems_frame(preview.warnings))
    summary = preview.summary()
    shown_table({"Isi": list(summary), "Nilai": [str(value) for value in summary.values()]})
    if st.button(f"Mulai tahun {preview.year} untuk {name}", type="primary", icon=":material/add_circle:",
                 disabled=not editor.name, help=None if editor.name else "Isi nama Anda terlebih dahulu."):
        try:
            started = start_year(progress_store(), preview, editor.name)
        except Refusal as error:
            show_refusal(error)
            return
        st.session_state[FLASH_KEY] = (started.office, started.year)
        st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
        st.rerun()


def started_message() -> None:
    """After a year was started: what happened, and the way to it."""
    if (started := st.session_state.pop(FLASH_KEY, None)) is None:
        return
    office, year = started
    st.success(f"Rencana aksi tahun {year} dimulai (versi 1).", icon=":material/check_circle:")
    st.button(f"Buka tahun {year}", icon=":material/arrow_forward:", on_click=open_year, args=(office, year))


view = start_page("Tahun Rencana")
store = progress_store()
editor = current_editor()

st.header("Tahun rencana aksi kantor ini")
st.caption("Setiap tahun punya rencana aksi, progres, unggahan dan jejak auditnya sendiri; pilih tahun di panel "
           "samping.")
years = plan_years_table(database(), store.office)
shown_table(years)

st.header("Mulai tahun rencana baru")
started_message()
if editor is None:
    viewer_notice()
    st.stop()
if not (editor.open_mode or editor.may_revise_plan):
    st.info("Hanya admin kantor ini yang dapat memulai tahun baru.", icon=":material/lock:")
    st.stop()
if editor.open_mode:
    reporter_name_input()
draft_download(store, int(years["Tahun"].max()))
new_year_section(store.office, view.office, editor)
