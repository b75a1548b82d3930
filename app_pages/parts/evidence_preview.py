"""One item-month's evidence on a page: each attachment's details, PDFs and images previewed in the page, other
files offered for download with their sniffed MIME type and a name ending in its extension, links as text with a button for http(s) only.

A stored file is never served or rendered as HTML: a PDF goes to st.pdf (pdf.js, drawn on a canvas, no scripts,
no links) unless it holds active content (checked again here, for files stored before that check), an image to
st.image; every file also to a download button whose MIME type and name's extension are the sniffed kind's.
"""

from urllib.parse import urlsplit

import streamlit as st
from PIL import Image

from app_pages.frame.view import progress_store
from zi_data.evidence import evidence
from zi_data.evidence.evidence_view import kind_label
from zi_data.files.file_types import KINDS, download_name
from zi_data.files.pdf_checks import active_content
from zi_data.reporting.public_labels import public_label, public_labels

PREVIEW_HEIGHT = 640  # pixels of a PDF preview; the viewer scrolls within it


def is_web_link(url: str) -> bool:
    parts = urlsplit(str(url))
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def show_attachment(store, row) -> None:
    """One attachment: its name as text, then its preview, download button or link button."""
    st.text(f"{kind_label(row.kind)} · {row.file_name}")
    if row.kind == evidence.LINK:
        if is_web_link(row.file_name):
            st.link_button("Buka tautan", str(row.file_name), icon=":material/open_in_new:")
        return
    data = evidence.blob_file(store, row.sha256).read_bytes()
    if row.kind == "pdf" and (reason := active_content(data)):
        st.warning(f"Pratinjau tidak ditampilkan: PDF ini berisi {reason}. Mintalah pengunggah mencetak ulang ke PDF "
                   "lalu mengunggahnya lagi.", icon=":material/warning:")
    elif row.kind == "pdf":
        st.pdf(data, height=PREVIEW_HEIGHT, key=f"pratinjau_{row.evidence_id}", alt=f"Pratinjau {row.file_name}")
    elif row.kind in ("jpeg", "png"):
        show_image(data)
    st.download_button("Unduh berkas", data=data, file_name=download_name(row.file_name, row.kind),
                       mime=KINDS[row.kind].mime, icon=":material/download:", key=f"unduh_bukti_{row.evidence_id}",
                       on_click="ignore")


def show_image(data: bytes) -> None:
    """The image, or a notice when it cannot be drawn (damaged, or too many pixels to decode safely)."""
    try:
        st.image(data)
    except (OSError, ValueError, Image.DecompressionBombError):
        st.warning("Gambar ini tidak dapat ditampilkan; unduh berkasnya untuk membukanya.", icon=":material/warning:")


def name_shown(user, store=None) -> callable:
    """Account names for the signed-in who may write or review (and everyone in open mode); roles for others."""
    store = store or progress_store()
    if user is not None and (user.may_write_in(store.office) or user.may_review_in(store.office)):
        return str
    if not store.accounts.any():
        return str
    labels = public_labels(store.accounts.list())
    return lambda name: public_label(name, labels)
