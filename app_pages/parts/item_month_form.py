"""The form "Perbarui bulan-kegiatan" on Matriks 12 Bulan and Bukti Tertunggak: one item-month's status, bukti
dukung, catatan and files with one Simpan, saved as one change (zi_data.realisasi.item_month_update).

The widgets are keyed by item-month. The values they start from, and the store revision those were read at, are
taken together when the form is first drawn for the item-month and kept until it is saved, so what is saved is
what the person saw and changed, and a change made meanwhile by someone else is refused as a conflict. A refused
submission keeps every value entered."""

import streamlit as st

from app_pages.frame.auth import Editor, current_editor, reporter_name_input, viewer_notice
from app_pages.frame.view import View, load_state, progress_store
from app_pages.frame.refusals import show_refusal
from zi_data.realisasi.item_month_update import form_values, save_item_month
from zi_data.base.months import MONTHS
from zi_data.base.problems import Refusal
from zi_data.store.progress_rows import STATUSES
from zi_data.base.safe_text import markdown_text

TITLE = "Perbarui bulan-kegiatan"
BULK_CAPTION = ("Formulir ini untuk satu bulan-kegiatan. Untuk memperbarui banyak bulan-kegiatan sekaligus, tetap "
                "gunakan buku kerja realisasi di halaman **Perbarui Progres**.")
FILE_LABEL = "Lampiran (PDF, JPG, PNG, DOCX, XLSX, PPTX; opsional)"
FLASH_KEY, ROUND_KEY = "formulir_pesan", "formulir_putaran"


def widget_keys(item_id: str, month: int) -> dict[str, str]:
    """The form's session keys for one item-month: its widgets and the values they started from."""
    suffix = f"{item_id}_{int(month)}"
    return {"status": f"formulir_status_{suffix}", "bukti_dukung": f"formulir_bukti_{suffix}",
            "catatan": f"formulir_catatan_{suffix}", "shown": f"formulir_dasar_{suffix}"}


def item_month_form(view: View, item_id: str, month: int, team: str, *, ask_reporter: bool = True) -> None:
    """The form for the item-month of langkah aksi `item_id` (of `team`) in `month`, or the lock notice for
    whoever may not change it. `ask_reporter`: in open mode, draw the field for the reporter's name here (a page
    that already draws it passes False)."""
    st.subheader(TITLE)
    st.caption(BULK_CAPTION)
    editor = current_editor()
    if editor is None:
        viewer_notice()
        return
    if editor.team is not None and editor.team != team:
        st.info(f"Akun Anda hanya dapat memperbarui bulan-kegiatan {markdown_text(editor.team)}.",
                icon=":material/lock:")
        return
    flash = st.session_state.get(FLASH_KEY)
    if flash and flash[0] == (item_id, int(month)):
        saved_message()
    if editor.open_mode and ask_reporter:
        reporter_name_input()
    keys = widget_keys(item_id, month)
    shown = _shown_values(view, item_id, month, keys)
    _form(item_id, month, keys, shown, editor)


def saved_message() -> None:
    """The confirmation of the last saved form, once (a page whose list the saved item-month may leave shows it
    above the list)."""
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        (st.success if flash[1] else st.info)(flash[2], icon=":material/check_circle:")


def _shown_values(view: View, item_id: str, month: int, keys: dict[str, str]):
    """What the form started from; taken (with the widgets' values) when its widgets have no state yet."""
    if keys["status"] not in st.session_state or keys["shown"] not in st.session_state:
        _plan, latest = load_state(*view.state_key)
        shown = form_values(latest, view.state_key[2], item_id, month)
        st.session_state[keys["shown"]] = shown
        st.session_state[keys["status"]] = shown.status or None
        st.session_state[keys["bukti_dukung"]] = shown.bukti_dukung
        st.session_state[keys["catatan"]] = shown.catatan
    return st.session_state[keys["shown"]]


def _form(item_id: str, month: int, keys: dict[str, str], shown, editor: Editor) -> None:
    round_key = st.session_state.get(ROUND_KEY, 0)
    with st.form(f"formulir_{item_id}_{int(month)}"):
        st.markdown(f"**{markdown_text(item_id)} · {MONTHS[int(month) - 1]}**")
        status = st.selectbox("Status", STATUSES, key=keys["status"], placeholder="Pilih status")
        bukti_dukung = st.text_area("Bukti dukung (tautan atau nama dokumen)", key=keys["bukti_dukung"], height=80)
        catatan = st.text_area("Catatan/Kendala", key=keys["catatan"], height=80)
        files = st.file_uploader(FILE_LABEL, accept_multiple_files=True,
                                 key=f"formulir_berkas_{item_id}_{int(month)}_{round_key}")
        submitted = st.form_submit_button("Simpan", type="primary", icon=":material/save:")
    if submitted:
        _save(item_id, month, keys, shown, editor, status, bukti_dukung, catatan, files)


def _save(item_id: str, month: int, keys: dict[str, str], shown, editor: Editor, status, bukti_dukung: str,
          catatan: str, files) -> None:
    """Save the submitted values; a refusal is shown under the form, which keeps every value entered."""
    try:
        saved = save_item_month(progress_store(), shown, status=status or "", bukti_dukung=bukti_dukung,
                                catatan=catatan, files=[(f.name, f.getvalue()) for f in files or []],
                                by=editor.name, user=editor.user)
    except Refusal as error:
        show_refusal(error, "Tidak ada yang disimpan:")
        st.button("Tampilkan nilai yang tersimpan sekarang", icon=":material/refresh:",
                  key=f"formulir_muat_ulang_{item_id}_{int(month)}", on_click=_forget, args=(keys,))
        return
    label = f"{item_id} bulan {MONTHS[int(month) - 1]}"
    if saved.upload_id is None:
        message = f"{label}: tidak ada yang berubah, jadi tidak ada yang disimpan."
    else:
        files_text = "".join(f", {saved.counts[key]} {what} dilampirkan" for key, what in
                             (("bukti_berkas", "berkas"), ("bukti_tautan", "tautan")) if saved.counts.get(key))
        message = (f"{label} tersimpan sebagai perubahan #{saved.upload_id}{files_text}. Perubahan ini dapat "
                   "dibatalkan di halaman Riwayat.")
    st.session_state[FLASH_KEY] = ((item_id, int(month)), saved.upload_id is not None, markdown_text(message))
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
    _forget(keys)
    st.rerun()


def _forget(keys: dict[str, str]) -> None:
    """The form starts again from the stored values on the next run."""
    for key in keys.values():
        st.session_state.pop(key, None)
