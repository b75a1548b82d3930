"""Rekap Instansi: every office this account sees, compared for the plan year and as-of month chosen in the
sidebar; one click on an office opens its Ringkasan. Where a session that sees several offices opens (all of them
chosen, view.ROLLUP)."""

from datetime import date

import streamlit as st

from app_pages.frame.chrome import chart, empty_chart_note, show_table, start_page
from app_pages.frame.session import database
from app_pages.frame.view import OFFICE_KEY, visible_ledgers
from zi_data.reporting import charts
from zi_data.store.example_offices import offices_with_example_data
from zi_data.base.months import MONTHS
from zi_data.reporting.office_rekap import ledger_states, overdue_table, ranking_table
from zi_data.base.paths import data_dir
from zi_data.store.rollup import office_rollup
from zi_data.base.safe_text import markdown_text
from zi_data.plan.status import COUNTING_RULES

RINGKASAN = "app_pages/ringkasan.py"
OPEN_COLUMNS = 3  # office buttons per row


@st.cache_data(show_spinner=False, max_entries=16)
def office_rekap(directory: str, states: tuple, as_of: date) -> tuple[dict, list[str]]:
    """The roll-up of the ledgers in `states` (ledger, newest entry, plan version) and the offices among them
    holding example data; computed again only when one of them changes."""
    ledger_ids = [ledger_id for ledger_id, *_ in states]
    with database().reading() as conn:
        return office_rollup(conn, ledger_ids, as_of), offices_with_example_data(conn, ledger_ids)


def open_office(office: str) -> None:
    """The sidebar's office (kantor=) becomes `office`; the year and the as-of month stay."""
    st.session_state[OFFICE_KEY] = office


view = start_page("Rekap Instansi")
years = visible_ledgers()
with database().reading() as conn:
    states = ledger_states(conn, list(years[years["year"] == view.year]["ledger_id"]))
rollup, example_offices = office_rekap(str(data_dir()), states, view.as_of)
month_name = MONTHS[view.as_of_month - 1]

if example_offices:
    st.warning(f"{len(example_offices)} dari {len(states)} kantor di sini berisi data CONTOH FIKTIF (dimuat dengan "
               "'python -m zi_data office example'), bukan laporan kantor itu.", icon=":material/science:")
st.caption(f"Semua kantor yang dapat Anda lihat dengan rencana aksi tahun {view.year}. Capaian s.d. {month_name} = "
           "bulan-kegiatan yang selesai dengan bukti dukung ÷ bulan-kegiatan yang jatuh tempo sampai akhir "
           f"{month_name}." + ("" if view.rollup else " Filter tim dan area di samping tidak berlaku di halaman ini."))
if view.rollup:
    st.caption("Halaman lain (Ringkasan, Matriks 12 Bulan, …) menampilkan satu kantor: pilih kantornya di **Kantor** "
               "di samping atau di **Buka kantor** di bawah.")
st.caption(f"Semua kantor dibandingkan dengan satu aturan hitung: {COUNTING_RULES['bukti']} (teks bukti dukung atau "
           "berkas/tautan terlampir). Verifikasi penilai tidak dihitung di sini, apa pun aturan hitung tiap kantor.")

st.header("Capaian per kantor dan area")
if charts.nothing_done(rollup["areas"], done="done_as_of"):
    empty_chart_note("Capaian per kantor dan area", charts.ROLLUP_NOTHING_DONE_TEXT)
else:
    chart(charts.office_heatmap(rollup["areas"], view.projector), "rekap_peta_capaian")
    st.caption("Sel kosong: belum ada bulan-kegiatan area itu yang jatuh tempo. Warna makin terang, capaian makin "
               "tinggi.")

st.header("Peringkat kantor")
show_table(ranking_table(rollup["ranking"], view.as_of_month), view)
st.caption("Tren: selisih capaian s.d. bulan acuan dengan capaian s.d. bulan sebelumnya, dalam poin persentase "
           "(▲ naik, ▼ turun, ► tetap).")

st.header("Bukti paling tertunggak")
late = overdue_table(rollup["overdue"], rollup["ranking"])
if late.empty:
    st.write("Tidak ada bulan-kegiatan yang terlambat.")
else:
    show_table(late, view)
st.caption("Terlambat: bulan-kegiatan yang bulannya sudah berakhir tetapi belum selesai dengan bukti dukung. "
           f"Bagian terlambat: terlambat ÷ bulan-kegiatan jatuh tempo s.d. {month_name}.")

st.header("Buka kantor")
st.caption("Klik sebuah kantor untuk membuka Ringkasan-nya (tahun dan bulan acuan tetap).")
ranking = rollup["ranking"]
columns = st.columns(OPEN_COLUMNS)
clicked = [office for place, (office, name) in enumerate(zip(ranking["office"], ranking["office_name"]))
           if columns[place % OPEN_COLUMNS].button(markdown_text(name), key=f"buka_{office}", width="stretch",
                                                   icon=":material/dashboard:", on_click=open_office, args=(office,))]
if clicked:
    st.switch_page(RINGKASAN, query_params={})  # the sidebar's bound keys come back from the session
