"""One item-month's evidence on a page: each attachment's details, PDFs and images previewed in the page, other
files offered for download with their sniffed MIME type, links as text with a button for http(s) only.

A stored file is never served or rendered as HTML: a PDF goes to st.pdf (pdf.js, drawn on a canvas, no scripts,
no links), an image to st.image, anything else to a download button whose MIME type is the sniffed one.
"""

from urllib.parse import urlsplit

import pandas as pd
import streamlit as st
from PIL import Image

from zi_data import evidence
from zi_data.file_types import KINDS

LINK_KIND = "tautan"
PREVIEW_HEIGHT = 640  # pixels of a PDF preview; the viewer scrolls within it


def size_text(size: int) -> str:
    """1536 -> '1,5 KB' (Indonesian decimal comma)."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".replace(".", ",") + f" {unit}"
    return f"{size} B"


def attachment_table(files: pd.DataFrame, shown_name) -> pd.DataFrame:
    """The attachments' details as a table of text: name, type, size, who added it and when."""
    return pd.DataFrame({
        "Berkas/Tautan": files["file_name"].astype(str),
        "Jenis": files["kind"].map(kind_label),
        "Ukuran": [("" if kind == LINK_KIND else size_text(int(size))) for kind, size in zip(files["kind"], files["size"])],
        "Ditambahkan oleh": files["added_by"].map(shown_name),
        "Waktu (UTC)": files["added_at"].astype(str).str[:16].str.replace("T", " "),
    })


def kind_label(kind: str) -> str:
    return "Tautan" if kind == LINK_KIND else KINDS[kind].label


def is_web_link(url: str) -> bool:
    parts = urlsplit(str(url))
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def show_attachment(store, row) -> None:
    """One attachment: its name as text, then its preview, download button or link button."""
    st.text(f"{kind_label(row.kind)} · {row.file_name}")
    if row.kind == LINK_KIND:
        if is_web_link(row.file_name):
            st.link_button("Buka tautan", str(row.file_name), icon=":material/open_in_new:")
        return
    data = evidence.blob_file(store, row.sha256).read_bytes()
    if row.kind == "pdf":
        st.pdf(data, height=PREVIEW_HEIGHT, key=f"pratinjau_{row.evidence_id}", alt=f"Pratinjau {row.file_name}")
    elif row.kind in ("jpeg", "png"):
        show_image(data)
    st.download_button("Unduh berkas", data=data, file_name=str(row.file_name), mime=KINDS[row.kind].mime,
                       icon=":material/download:", key=f"unduh_bukti_{row.evidence_id}", on_click="ignore")


def show_image(data: bytes) -> None:
    """The image, or a notice when it cannot be drawn (damaged, or too many pixels to decode safely)."""
    try:
        st.image(data)
    except (OSError, ValueError, Image.DecompressionBombError):
        st.warning("Gambar ini tidak dapat ditampilkan; unduh berkasnya untuk membukanya.", icon=":material/warning:")
