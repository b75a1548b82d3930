"""One click for the evidence package (ZIP) of the chosen plan year; called by the Bukti Tertunggak page."""

import tempfile

import streamlit as st

from app_pages.frame.auth import accounts
from app_pages.frame.session import signed_in_user
from app_pages.frame.view import View, progress_store
from zi_data.evidence.evidence_package import write_package

ACCEPTED_ONLY_KEY = "paket_diterima_saja"
SPOOL_BYTES = 8 << 20  # a package larger than this is built in a temporary file on disk


def offer_evidence_package(view: View) -> None:
    """"Unduh paket bukti (ZIP)" with a "hanya yang diterima" choice, for a signed-in account or in open mode;
    not in projector mode. The ZIP is built only when the button is clicked."""
    if view.projector:
        return
    if signed_in_user() is None and accounts().any():
        st.caption("Masuk untuk mengunduh paket bukti (ZIP).")
        return
    store = progress_store()
    accepted_only = st.checkbox("Hanya bukti yang diterima penilai", key=ACCEPTED_ONLY_KEY)
    suffix = "_diterima" if accepted_only else ""
    st.download_button(
        "Unduh paket bukti (ZIP)", icon=":material/folder_zip:",
        data=lambda: package_bytes(store, accepted_only),
        file_name=f"paket_bukti_{store.office}_{store.year}{suffix}.zip", mime="application/zip",
        on_click="ignore",  # no rerun: the page would register a new package while this one is being fetched
        help="Berkas bukti terkini dalam folder Area → Komponen → ID, dengan indeks_bukti.xlsx.")


def package_bytes(store, accepted_only: bool) -> bytes:
    """The package, built in a SpooledTemporaryFile (on disk once it passes SPOOL_BYTES), then read once for
    Streamlit, which serves a download from memory."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        write_package(store, spool, accepted_only=accepted_only)
        spool.seek(0)
        return spool.read()
