"""What a monev meeting produces on the Rapat Monev page: the lembar monev (PDF and XLSX) to download, the PDF
attached as bukti dukung of the plan's monev langkah aksi in one click, and each team's reminder text."""

from datetime import date

import pandas as pd
import streamlit as st

from app_pages.parts.monev_follow_ups import monev_data
from app_pages.frame.view import View, load_state, progress_store
from app_pages.frame.refusals import show_refusal
from zi_data.evidence import evidence
from zi_data.monev import lembar_pdf, lembar_xlsx, letterhead, monev, reminders
from zi_data.base.months import month_name
from zi_data.base.problems import Refusal, spelled
from zi_data.base.safe_text import markdown_text

PDF_MIME, XLSX_MIME = "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ATTACHED_KEY = "lembar_dilampirkan"
MATRIX_ITEM_KEY, MATRIX_MONTH_KEY = "rincian_id", "rincian_bulan"  # evidence_panel's item-month chooser


@st.cache_data(show_spinner=False, max_entries=16)
def meeting_lembar(directory: str, ledger_id: int, meeting_id: int, follow_up_key: tuple, kind: str) -> bytes:
    """A meeting's lembar monev: its snapshot never changes, so it is built once per meeting, state of the
    follow-ups decided at it and letterhead (`follow_up_key`)."""
    report = monev.report_data(progress_store(), meeting_id=meeting_id)
    return lembar_pdf.lembar_pdf_bytes(report) if kind == "pdf" else lembar_xlsx.lembar_xlsx_bytes(report)


def follow_up_key(decided: pd.DataFrame) -> tuple:
    """The follow-ups' ids and whether each is closed, and the letterhead's revision (a new logo, name or NIP)."""
    return (tuple(zip(decided["follow_up_id"].astype(int), decided["closed"].astype(bool))),
            letterhead.revision(progress_store()))


def lembar_file_name(held_on: date, kind: str) -> str:
    return f"lembar_monev_{held_on.isoformat()}.{kind}"


def meeting_downloads(view: View, meeting: dict, decided: pd.DataFrame) -> None:
    """Unduh lembar monev (PDF) and (XLSX) of the meeting; built only when a button is clicked."""
    directory, ledger_id = view.state_key[:2]
    key = follow_up_key(decided)

    def built(kind: str):
        return lambda: meeting_lembar(directory, ledger_id, int(meeting["meeting_id"]), key, kind)

    left, right = st.columns(2)
    left.download_button("Unduh lembar monev (PDF)", data=built("pdf"), mime=PDF_MIME, icon=":material/picture_as_pdf:",
                         file_name=lembar_file_name(meeting["held_on"], "pdf"), on_click="ignore",
                         help="A4 dengan kop surat, siap dicetak dan ditandatangani Ketua KPU dan Ketua Tim Kerja ZI.")
    right.download_button("Unduh lembar monev (XLSX)", data=built("xlsx"), mime=XLSX_MIME, icon=":material/table:",
                          file_name=lembar_file_name(meeting["held_on"], "xlsx"), on_click="ignore")


def as_of_downloads(view: View, store) -> None:
    """With no meeting recorded: the lembar monev as of the sidebar's month, numbers taken at the click."""
    month = view.as_of_month
    stem = f"lembar_monev_{store.office}_{store.year}_{month:02d}"
    st.caption(f"Tanpa rapat yang dicatat, lembar monev berisi capaian s.d. {month_name(month)} {view.year} "
               "(bulan acuan di panel samping) saat diunduh, dan tindak lanjut yang masih terbuka.")
    left, right = st.columns(2)
    left.download_button("Unduh lembar monev (PDF)", mime=PDF_MIME, icon=":material/picture_as_pdf:",
                         data=lambda: lembar_pdf.lembar_pdf_bytes(monev.report_data(store, as_of_month=month)),
                         file_name=f"{stem}.pdf", on_click="ignore")
    right.download_button("Unduh lembar monev (XLSX)", mime=XLSX_MIME, icon=":material/table:",
                          data=lambda: lembar_xlsx.lembar_xlsx_bytes(monev.report_data(store, as_of_month=month)),
                          file_name=f"{stem}.xlsx", on_click="ignore")


def attach_button(view: View, store, meeting: dict, decided: pd.DataFrame, user) -> None:
    """"Lampirkan sebagai bukti dukung <ID> (<Bulan>)" for an admin or the monev langkah aksi's team editor;
    hidden when the plan has no such langkah aksi."""
    plan, _latest = load_state(*view.state_key)
    item_id = monev.monev_item_id(plan)
    if item_id is None or user is None:
        return
    team = plan.loc[plan["id"] == item_id, "penanggung_jawab"].iloc[0]
    if not user.may_write_for(store.office, team):
        return
    held_on, meeting_id, shown_id = meeting["held_on"], int(meeting["meeting_id"]), markdown_text(item_id)
    if held_on.year != store.year:
        st.caption(f"Rapat ini diadakan tahun {held_on.year}, di luar tahun rencana {store.year}: lembar monevnya "
                   f"tidak dilampirkan otomatis sebagai bukti dukung {shown_id}; lampirkan di Matriks 12 Bulan pada "
                   "bulan yang sesuai.")
        return
    label = f"Lampirkan sebagai bukti dukung {shown_id} ({month_name(held_on.month)})"
    if st.button(label, icon=":material/attach_file:", key="lampirkan_lembar"):
        pdf = meeting_lembar(*view.state_key[:2], meeting_id, follow_up_key(decided), "pdf")
        try:
            evidence.attach_file(store, item_id, held_on.month, lembar_file_name(held_on, "pdf"), pdf, user.name)
        except Refusal as error:
            show_refusal(error)
            return
        st.session_state[MATRIX_ITEM_KEY], st.session_state[MATRIX_MONTH_KEY] = item_id, held_on.month
        st.session_state[ATTACHED_KEY] = meeting_id
    if st.session_state.get(ATTACHED_KEY) == meeting_id:
        st.success(f"Lembar monev dilampirkan sebagai bukti dukung {shown_id} bulan {month_name(held_on.month)}.",
                   icon=":material/check_circle:")
        st.page_link("app_pages/matriks.py", label=f"Lihat bukti {shown_id} di Matriks 12 Bulan",
                     icon=":material/calendar_month:")


def reminders_section(view: View, store) -> None:
    """Pengingat per tim: each team's ready-to-send text with its copy button, and all of them as one file.
    The links' address: $ZI_DASHBOARD_URL, else the address this page was opened at (reminders.dashboard_base_url);
    a configured address that is no http(s) address is said, not used."""
    st.header("Pengingat per tim")
    try:
        base_url = reminders.dashboard_base_url(opened=st.context.url)
    except Refusal as error:
        show_refusal(error)
        return
    texts = monev_data(view, store, f"reminders_{base_url}", lambda: reminders.reminders(
        store, as_of_month=view.as_of_month, teams=view.teams or None, base_url=base_url))
    st.caption(f"Pesan siap kirim (mis. lewat WhatsApp) untuk bulan {month_name(view.as_of_month)} {view.year}: "
               "yang jatuh tempo, yang terlambat dengan bukti fisiknya, tindak lanjut yang terbuka, dan tautan "
               "dasbor untuk tim itu. Salin dengan tombol di pojok kanan atas setiap pesan.")
    if not texts:
        st.caption("Tidak ada tim untuk filter ini.")
        return
    st.download_button("Unduh semua pengingat (.txt)", data=reminders.reminders_text(texts), mime="text/plain",
                       file_name=f"pengingat_{store.office}_{store.year}_{view.as_of_month:02d}.txt",
                       icon=":material/download:", on_click="ignore")
    for team, text in texts.items():
        st.subheader(markdown_text(spelled(team)))
        st.code(text, language=None, wrap_lines=True)
