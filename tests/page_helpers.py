"""What several page tests (AppTest) share: their coordinator and penilai, the Matriks page with V-1-1 in Maret
chosen (its evidence and its form), and the Rapat Monev form."""

from datetime import date

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from helpers import open_app, sign_in_as
from zi_data.store.accounts import User

ADMIN = User("koordinator", "admin", "", "6203")
PENILAI = User("tpi.satu", "penilai", "", "6203")
LKE_EDITOR_KEY = "lke_pemetaan_editor"  # Kesiapan LKE's mapping editor

def recorded_downloads(monkeypatch) -> dict:
    """What each download button the page draws would serve when clicked, by file name: its deferred callable."""
    callables = {}
    register = MediaFileManager.add_deferred

    def recording(self, data_callable, mimetype, coordinates, file_name=None, **options):
        callables[file_name] = data_callable
        return register(self, data_callable, mimetype, coordinates, file_name, **options)

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    return callables


# --- Matriks 12 Bulan with one item-month chosen, as a clicked cell chooses it ---------------------------------
MATRIKS = "app_pages/matriks.py"
ITEM, MONTH = "V-1-1", 3
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
FORM_KEYS = {"status": f"formulir_status_{ITEM}_{MONTH}", "bukti": f"formulir_bukti_{ITEM}_{MONTH}",
             "catatan": f"formulir_catatan_{ITEM}_{MONTH}"}  # the fields of the form "Perbarui bulan-kegiatan"


def matriks(user=None, **query) -> AppTest:
    """The Matriks page with V-1-1 in Maret chosen, signed in as `user` when given."""
    app = open_app(MATRIKS, bulan="Juni", **query)
    if user is not None:
        sign_in_as(app, user)
    app.selectbox(key="rincian_id").set_value(ITEM).run()
    app.selectbox(key="rincian_bulan").set_value(MONTH).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def attachments_shown(app: AppTest):
    return next(frame.value for frame in app.dataframe if "Keterangan" in frame.value.columns)


def may_attach(app: AppTest) -> bool:
    return any(toggle.key == "lampiran_buka" for toggle in app.toggle)


def has_form(app: AppTest) -> bool:
    return any(box.key == FORM_KEYS["status"] for box in app.selectbox)


# --- Rapat Monev -------------------------------------------------------------------------------------------
MONEV_PAGE = "app_pages/rapat_monev.py"
HELD_ON = date(2025, 3, 14)


def widget(app: AppTest, kind: str, label: str):
    return next(element for element in getattr(app, kind) if element.label == label)


def record_meeting_on_page(app: AppTest, chair: str = "Ketua KPU Kabupaten Kapuas", notes: str = "") -> AppTest:
    widget(app, "date_input", "Tanggal rapat").set_value(HELD_ON)
    widget(app, "selectbox", "Jenis rapat").set_value("triwulan")
    widget(app, "text_input", "Pimpinan rapat").input(chair)
    widget(app, "text_area", "Peserta (satu nama per baris)").input("Ani\nBudi\nCitra")
    widget(app, "selectbox", "Posisi capaian s.d. bulan").set_value(3)
    widget(app, "text_area", "Catatan rapat").input(notes)
    next(button for button in app.button if button.label == "Simpan rapat").click().run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def record_lines(app: AppTest) -> list[str]:
    """The meeting's record, shown as one text block."""
    return [line for text in app.text for line in text.value.splitlines()]
