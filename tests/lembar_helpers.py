"""Monev meetings for the tests: a plain one (record), and a store with realistic progress and a recorded
meeting with follow-ups, for the lembar monev tests."""

import io
import math
import random
from datetime import date

import pandas as pd

from PIL import Image, ImageDraw

from zi_data.monev import letterhead, monev
from zi_data.store.accounts import User
from zi_data.base.months import month_name

TEAM = "Tim Agen Perubahan"
MEETING_ADMIN = User("admin.zi", "admin", "", "6203")  # the admin of record()'s meetings
HELD_ON = date(2025, 7, 3)
TODAY = date(2025, 7, 15)  # what report_data counts overdue follow-ups from
MEETING = {"held_on": HELD_ON, "kind": "triwulan", "chair": "Ketua KPU Kabupaten Kapuas",
           "participants": "Ketua KPU\nSekretaris\nKepala Subbagian Teknis\nKepala Subbagian Hukum",
           "participant_count": 12, "as_of_month": 6, "notes": "Capaian area II dan IV perlu dipercepat.",
           "nomor": "005/PL.01-Und/6203/2025"}
LETTERHEAD = {"alamat": "Jl. Tambun Bungai No. 1, Kuala Kapuas, Kalimantan Tengah 73514",
              "ketua_nama": "Budi Santoso, S.H.", "ketua_nip": "197503102005011002",
              "tim_nama": "Rina Wulandari, S.E.", "tim_nip": "198207152009022003"}
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


def logo_png(size: int = 240) -> bytes:
    """A made-up office emblem (a red disc with a gold ring and a white star) as PNG."""
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, size - 4, size - 4), fill=(176, 30, 36, 255), outline=(212, 160, 23, 255), width=size // 14)
    middle, outer, inner = size / 2, size * 0.3, size * 0.12
    points = [(middle + (outer if i % 2 == 0 else inner) * math.sin(i * 3.14159265 / 5),
               middle - (outer if i % 2 == 0 else inner) * math.cos(i * 3.14159265 / 5)) for i in range(10)]
    draw.polygon(points, fill=(255, 255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def set_letterhead(store) -> None:
    """LETTERHEAD's address, names and NIPs and the logo_png as the plan year's letterhead."""
    letterhead.set_fields(store, LETTERHEAD, "admin")
    letterhead.set_logo(store, logo_png(), "logo.png", "admin")
