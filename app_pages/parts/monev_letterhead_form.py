"""Rapat Monev's admin area for the lembar monev: the letterhead (the office's address and logo) and the two signers
(the Ketua KPU who signs "Mengetahui" and the Ketua Tim Kerja ZI, each with name and NIP), kept per plan year.
Only the office's admin sees it (also: python -m zi_data monev kop)."""

import streamlit as st

from app_pages.frame.refusals import show_refusal
from zi_data.base.problems import Refusal
from zi_data.monev import letterhead

ROUND_KEY, FLASH_KEY = "kop_putaran", "kop_pesan"
LABELS = {"alamat": "Alamat kantor (di bawah nama kantor pada kop surat)", "ketua_nama": "Nama Ketua KPU",
          "ketua_nip": "NIP Ketua KPU", "tim_nama": "Nama Ketua Tim Kerja ZI", "tim_nip": "NIP Ketua Tim Kerja ZI"}


def letterhead_form(store, user) -> None:
    """The expander with the form; saved fields and logo are audited, a refusal says why and saves nothing."""
    if message := st.session_state.pop(FLASH_KEY, None):
        st.success(message, icon=":material/check_circle:")
    round_key = st.session_state.get(ROUND_KEY, 0)
    current = letterhead.letterhead(store)
    with st.expander("Kop surat dan tanda tangan lembar monev", icon=":material/badge:"):
        st.caption("Lembar monev memuat kop surat (logo, nama dan alamat kantor) dan tanda tangan \"Mengetahui, "
                   "Ketua KPU\" di samping Ketua Tim Kerja ZI, masing-masing dengan nama dan NIP (18 angka). "
                   f"Berlaku untuk tahun rencana {store.year}.")
        logo = letterhead.logo_bytes(current)
        if logo:
            st.image(logo, caption="Logo yang berlaku", width=96)
        with st.form(f"kop_{round_key}"):
            left, right = st.columns(2)
            values = {"alamat": st.text_input(LABELS["alamat"], value=current["alamat"], max_chars=300)}
            for column, keys in ((left, ("ketua_nama", "ketua_nip")), (right, ("tim_nama", "tim_nip"))):
                for key in keys:
                    values[key] = column.text_input(LABELS[key], value=current[key],
                                                    max_chars=200 if key.endswith("nama") else 40)
            upload = st.file_uploader("Logo kantor baru (PNG atau JPG, paling besar 1 MB; kosong: tetap)",
                                      type=["png", "jpg", "jpeg"])
            if not st.form_submit_button("Simpan kop surat", icon=":material/save:"):
                return
    _save(store, values, upload, user.name, round_key)


def _save(store, values: dict, upload, by: str, round_key: int) -> None:
    try:
        fields = letterhead.checked_fields(values)
        data = upload.getvalue() if upload is not None else None
        if data is not None:
            letterhead.checked_logo(data, upload.name)
        changed = letterhead.set_fields(store, fields, by)
        if data is not None:
            letterhead.set_logo(store, data, upload.name, by)
    except Refusal as error:
        show_refusal(error, "Kop surat tidak disimpan:")
        return
    st.session_state[ROUND_KEY] = round_key + 1
    st.session_state[FLASH_KEY] = ("Kop surat dan tanda tangan lembar monev tersimpan." if changed or data is not None
                                   else "Tidak ada yang berubah.")
    st.rerun()
