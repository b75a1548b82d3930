"""Monev meetings for the tests: a plain one (record), and a store with realistic progress and a recorded
meeting with follow-ups, for the lembar monev tests."""

import random
from datetime import date

import pandas as pd

from zi_data.monev import monev
from zi_data.store.accounts import User
from zi_data.base.months import month_name

TEAM = "Tim Agen Perubahan"
MEETING_ADMIN = User("admin.zi", "admin", "", "6203")  # the admin of record()'s meetings
HELD_ON = date(2025, 7, 3)
TODAY = date(2025, 7, 15)  # what report_data counts overdue follow-ups from
MEETING = {"held_on": HELD_ON, "kind": "triwulan", "chair": "Ketua KPU Kabupaten Kapuas",
           "participants": "Ketua KPU\nSekretaris\nKepala Subbagian Teknis\nKepala Subbagian Hukum",
           "participant_count": 12, "as_of_month": 6, "notes": "Capaian area II dan IV perlu dipercepat."}
FOLLOW_UPS = [  # (action, team, due_on, item_id, closure note or None)
    ("Lengkapi SK tim kerja ZI", "Tim Manajemen Perubahan", date(2025, 7, 31), "I-1-1", None),
    ("Unggah notulen rapat", "Tim Pengawasan", date(2025, 7, 10), "", "Notulen diunggah 9 Juli"),
    ("Perbaiki laporan survei kepuasan", "Tim Pelayanan Publik", date(2025, 7, 8), "VI-3-3", None),
]


def record(store, **changes) -> int:
    """A meeting held on HELD_ON, as of June, recorded by MEETING_ADMIN; `changes` replace its fields."""
    fields = {"held_on": HELD_ON, "kind": "triwulan", "chair": "Ketua KPU", "participants": "A\nB",
              "participant_count": None, "as_of_month": 6, "notes": "Catatan rapat", "by": MEETING_ADMIN.name} | changes
    return monev.record_meeting(store, **fields)


def record_progress(store, share: float = 0.6, through_month: int = 6, seed: int = 12) -> None:
    """Realistic progress: about `share` of the item-months due through `through_month` reported Selesai with
    bukti dukung, a few Sebagian, the rest left open."""
    chooser = random.Random(seed)
    rows = []
    for item in store.plan().itertuples():
        for month in (m for m in item.months if m <= through_month):
            draw = chooser.random()
            if draw < share:
                rows.append({"item_id": item.id, "month": month, "status": "Selesai",
                             "bukti_dukung": f"Laporan {item.id} {month_name(month)}.pdf"})
            elif draw < share + 0.1:
                rows.append({"item_id": item.id, "month": month, "status": "Sebagian", "bukti_dukung": ""})
    with store.transaction() as conn:
        store.append_entries(conn, pd.DataFrame(rows), None)


def record_meeting(store) -> int:
    """The meeting of MEETING with the FOLLOW_UPS decided at it (one of them closed); returns its number."""
    meeting_id = monev.record_meeting(store, **MEETING, by="admin")
    admin = User("admin", "admin", office=store.office)
    for action, team, due_on, item_id, closure in FOLLOW_UPS:
        follow_up_id = monev.add_follow_up(store, action=action, team=team, due_on=due_on, item_id=item_id,
                                           by="admin", meeting_id=meeting_id)
        if closure:
            monev.close_follow_up(store, follow_up_id, closure, admin)
    return meeting_id
