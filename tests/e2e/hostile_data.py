"""A data directory whose every user-supplied text is hostile markdown/HTML (issue #8 item 6).

Catatan, Bukti Dukung, the uploader's and the accounts' names, the uploaded file's name, a team name,
the office and plan texts (area name, langkah aksi, bukti fisik), and a monev meeting's chair, participants,
notes and follow-up all hold markdown images and links, raw HTML, code spans and bold. Shown as text, none of it may become a link, an image or a request.
"""

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd

from zi_data.monev import monev
from zi_data.store.accounts import Accounts
from zi_data.store.offices import OFFICE_COLUMNS, add_offices
from zi_data.base.paths import data_dir as opened_dir, sha256_of
from zi_data.store.plan_years import open_seeded
from zi_data.store.progress_store import ProgressStore
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_import import apply_preview, preview_upload

EVIL_HOST = "evil.example"
HOSTILE = ("![x](https://evil.example/px.png) [tautan](https://evil.example/a) <img src=https://evil.example/i.png> "
           "`kode` **tebal** <script>window.ziXss=1</script> :material/home: www.evil.example nama@evil.example")
# Short ones where a name must stay short (account names: at most 80 characters).
HOSTILE_TEAM = "Tim **Tata** `Laksana` [tautan](https://evil.example/t) <img src=https://evil.example/t.png>"
HOSTILE_ADMIN = "adm **tebal** `k` <img src=https://evil.example/n.png>"
HOSTILE_EDITOR = "ed [tautan](https://evil.example/e) ![x](https://evil.example/e.png)"
HOSTILE_FILE = "isi `kode` **tebal** <img src=x> [tautan](https://evil.example/f).xlsx"
HOSTILE_BUKTI = "[klik](javascript:alert(1)) ![x](https://evil.example/px.png)"
RENAMED_TEAM = "Tim Penguatan Tata Laksana"
PASSWORD = "sandi-uji-hostile-2025"
# Literal fragments that must appear on the pages as text.
LITERALS = ("**tebal**", "![x](https://evil.example/px.png)", "<img src=https://evil.example/i.png>")
# A follow-up that a spreadsheet would run as a formula if a table's CSV download wrote it raw.
FORMULA_ACTION = '=HYPERLINK("evil.example","klik")+cmd'


@dataclass(frozen=True)
class HostileData:
    data_dir: Path
    team: str
    admin: str
    editor: str
    password: str


def seed(data_dir: Path) -> HostileData:
    store = ProgressStore(database=open_seeded(opened_dir(data_dir)))
    plan = store.plan()
    plan["penanggung_jawab"] = plan["penanggung_jawab"].replace(RENAMED_TEAM, HOSTILE_TEAM)
    first = plan.index[plan["penanggung_jawab"] == HOSTILE_TEAM][0]
    plan.loc[first, "langkah_aksi"] = "Langkah " + HOSTILE
    plan.loc[first, "bukti_fisik"] = "Bukti fisik " + HOSTILE
    plan.loc[plan["area"] == plan.at[first, "area"], "area_name"] = "Area " + HOSTILE
    plan.attrs["office"] = "KPU " + HOSTILE
    store.add_plan_version(plan, "rencana_hostile.xlsx", sha256_of(b"hostile plan"), "sistem")
    with store.transaction() as conn:  # the office's registered name, which the header shows
        add_offices(conn, pd.DataFrame([(store.office, "KPU " + HOSTILE, "62")], columns=OFFICE_COLUMNS),
                    "2025-01-01T00:00:00+00:00")

    accounts = Accounts(store)
    accounts.add(HOSTILE_ADMIN, "admin", "", PASSWORD, by="baris perintah")
    accounts.add(HOSTILE_EDITOR, "editor", HOSTILE_TEAM, PASSWORD, by=HOSTILE_ADMIN)

    exported = export_workbook(store, HOSTILE_TEAM, 11)
    workbook = openpyxl.load_workbook(io.BytesIO(exported))
    sheet = workbook["Realisasi"]
    header = [cell.value for cell in sheet[1]]
    status, bukti, catatan = (header.index(name) for name in
                              ("Status", "Bukti Dukung (tautan/nama dokumen)", "Catatan/Kendala"))
    rows = list(sheet.iter_rows(min_row=2, max_row=3))
    # The team has two item-months (Januari): one overdue, so Bukti Tertunggak shows its Catatan; one done, so
    # the team's bars in Capaian have a length (and a hover).
    rows[0][status].value, rows[0][bukti].value, rows[0][catatan].value = "Sebagian", HOSTILE_BUKTI, "Catatan\n" + HOSTILE
    rows[1][status].value, rows[1][bukti].value, rows[1][catatan].value = "Selesai", HOSTILE_BUKTI, HOSTILE
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    preview = preview_upload(store, data, HOSTILE_FILE)
    assert not preview.errors, [str(p) for p in preview.errors]
    apply_preview(store, preview, by=HOSTILE_ADMIN)
    seed_meeting(store)
    return HostileData(data_dir, HOSTILE_TEAM, HOSTILE_ADMIN, HOSTILE_EDITOR, PASSWORD)


def seed_meeting(store) -> None:
    """A monev meeting (as of March, when the team's Sebagian is overdue) with an overdue follow-up."""
    meeting_id = monev.record_meeting(store, held_on=date(2025, 3, 14), kind="triwulan", chair=HOSTILE_ADMIN,
                                      participants=f"{HOSTILE}\nBudi", participant_count=None, as_of_month=3,
                                      notes="Catatan " + HOSTILE, by=HOSTILE_ADMIN)
    monev.add_follow_up(store, action="Tindak lanjut " + HOSTILE, team=HOSTILE_TEAM, due_on=date(2025, 4, 30),
                        item_id=None, by=HOSTILE_ADMIN, meeting_id=meeting_id)
    monev.add_follow_up(store, action=FORMULA_ACTION, team=HOSTILE_TEAM, due_on=date(2025, 12, 31), item_id=None,
                        by=HOSTILE_ADMIN, meeting_id=meeting_id)
