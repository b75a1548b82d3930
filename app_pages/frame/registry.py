"""Every page of the dashboard, in menu order: what dashboard.py, the tests, the benchmark and the screenshots use."""

from dataclasses import dataclass

MONEV, EDITING = "Monev", "Pengelolaan"


@dataclass(frozen=True)
class PageEntry:
    file: str  # the script, relative to the project root
    title: str  # the menu label and the page's h1
    icon: str
    url_path: str  # "" for the default page (the app's root URL)
    section: str
    on_projector: bool  # listed in projector mode (the meeting screen shows no editing page)
    several_offices: bool = False  # listed only when the session sees more than one office (province, national)


PAGES = (
    PageEntry("app_pages/ringkasan.py", "Ringkasan", ":material/dashboard:", "", MONEV, True),
    PageEntry("app_pages/matriks.py", "Matriks 12 Bulan", ":material/calendar_month:", "matriks", MONEV, True),
    PageEntry("app_pages/capaian.py", "Capaian", ":material/trending_up:", "capaian", MONEV, True),
    PageEntry("app_pages/bukti_tertunggak.py", "Bukti Tertunggak", ":material/assignment_late:", "bukti-tertunggak",
              MONEV, True),
    PageEntry("app_pages/rapat_monev.py", "Rapat Monev", ":material/groups:", "rapat-monev", MONEV, True),
    PageEntry("app_pages/kesiapan_lke.py", "Kesiapan LKE", ":material/verified:", "kesiapan-lke", MONEV, True),
    PageEntry("app_pages/rekap_instansi.py", "Rekap Instansi", ":material/leaderboard:", "rekap-instansi", MONEV, True,
              several_offices=True),
    PageEntry("app_pages/perbarui_progres.py", "Perbarui Progres", ":material/upload_file:", "perbarui-progres",
              EDITING, False),
    PageEntry("app_pages/verifikasi_bukti.py", "Verifikasi Bukti", ":material/fact_check:", "verifikasi-bukti",
              EDITING, False),
    PageEntry("app_pages/riwayat.py", "Riwayat", ":material/history:", "riwayat", EDITING, False),
    PageEntry("app_pages/tahun_rencana.py", "Tahun Rencana", ":material/event_note:", "tahun-rencana", EDITING, False),
)
PROJECTOR_PAGES = tuple(page for page in PAGES if page.on_projector)
ONE_OFFICE_PAGES = tuple(page for page in PAGES if not page.several_offices)  # what a visitor is listed
