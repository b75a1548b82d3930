"""Kesiapan LKE's mapping section: the LKE table in force for everyone; for the office's admin, an editor."""

import streamlit as st

from app_pages.frame.session import signed_in_user
from app_pages.frame.tables import edited_table, shown_table
from app_pages.frame.view import progress_store
from app_pages.frame.refusals import show_refusal
from zi_data.lke.lke_mapping import COLUMNS, LkeMapping, set_mapping
from zi_data.base.problems import Refusal

EDITOR_KEY, FLASH_KEY = "lke_pemetaan_editor", "lke_pemetaan_pesan"
COLUMN_LABELS = {"area": "Area", "komponen": "Komponen (kosong = seluruh area)", "lke_area": "Area LKE",
                 "lke_sub_item": "Sub-unsur LKE", "weight": "Bobot"}


def mapping_section(mapping: LkeMapping) -> None:
    st.header("Pemetaan ke area LKE")
    source = "tabel bawaan (PermenPANRB 90/2021)" if mapping.bundled else "tabel yang ditetapkan admin"
    st.caption(f"Berlaku: {source} untuk tahun rencana ini. Bobot area berjumlah "
               f"{mapping.thresholds.max:g}; baris komponen memerinci sebuah area dan bobotnya berjumlah bobot area itu.")
    if flash := st.session_state.pop(FLASH_KEY, None):
        st.success(flash, icon=":material/check_circle:")
    user = signed_in_user()
    store = progress_store()
    if user is None or not (user.is_admin and user.may_write_in(store.office)):
        shown_table(mapping.table.rename(columns=COLUMN_LABELS))
        st.caption("Hanya admin kantor ini yang dapat mengubah pemetaan (juga: python -m zi_data lke mapping).")
        return
    edited = edited_table(
        mapping.table, key=EDITOR_KEY, num_rows="dynamic",
        column_config={column: st.column_config.TextColumn(label) for column, label in COLUMN_LABELS.items()
                       if column != "weight"} | {"weight": st.column_config.NumberColumn(COLUMN_LABELS["weight"],
                                                                                        min_value=0.0, format="%g")})
    save, reset = st.columns(2)
    if save.button("Simpan pemetaan", type="primary", icon=":material/save:"):
        _save(store, edited[COLUMNS], user.name)
    if reset.button("Kembalikan ke bawaan", icon=":material/restart_alt:", disabled=mapping.bundled):
        _save(store, None, user.name)


def _save(store, table, by: str) -> None:
    """Validated first: problems are listed (rows numbered from 1, as the editor shows them) and nothing saved."""
    try:
        set_mapping(store, table, by, first_row=1)
    except Refusal as error:
        show_refusal(error, "Pemetaan tidak disimpan:")
        return
    st.session_state.pop(EDITOR_KEY, None)
    st.session_state[FLASH_KEY] = ("Pemetaan dikembalikan ke tabel bawaan." if table is None
                                   else "Pemetaan LKE tersimpan untuk tahun rencana ini.")
    st.rerun()
