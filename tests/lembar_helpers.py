"""Report dicts for the lembar monev tests, in the shape of `monev.report_data`."""

import random

import pandas as pd

from zi_data import evidence, status
from zi_data.counting_rule import counting_rule
from zi_data.months import month_name


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


def snapshot_by_hand(store, as_of_month: int) -> dict:
    """What monev_snapshot.take_snapshot gives, computed from status: for the tests until the core lands."""
    plan, latest = store.plan(), store.latest()
    as_of = status.as_of_date(store.year, month=as_of_month)
    rule = counting_rule(store)
    states = evidence.evidence_states(store, latest)
    summary = status.status_summary(plan, latest, as_of, 0, evidence=states, rule=rule)
    classified = status.classify(plan, latest, as_of, 0, states, rule)
    kurva = status.kurva_s(classified, as_of)
    summary["office_name"] = plan.attrs.get("info", {}).get("Nama lengkap instansi") or summary["office"]
    summary["area_names"] = dict(zip(plan["area"], plan["area_name"]))
    summary["kurva_s"] = [{key: (None if pd.isna(value) else value) for key, value in row.items()}
                          for row in kurva.to_dict("records")]
    summary["taken_at"] = "2025-07-01T08:30:00+00:00"
    return summary


def report_by_hand(store, as_of_month: int, meeting: dict | None = None, follow_ups: list | None = None) -> dict:
    snapshot = snapshot_by_hand(store, as_of_month)
    return {"office_name": snapshot["office_name"], "year": snapshot["year"], "meeting": meeting,
            "snapshot": snapshot, "follow_ups": follow_ups or []}


MEETING = {"meeting_id": 1, "held_on": "2025-07-03", "kind": "triwulan", "chair": "Ketua KPU Kabupaten Kapuas",
           "participants": "Ketua KPU\nSekretaris\nKepala Subbagian Teknis\nKepala Subbagian Hukum",
           "participant_count": 12, "as_of_month": 6, "notes": "Capaian area II dan IV perlu dipercepat.",
           "recorded_by": "admin", "recorded_at": "2025-07-03T09:15:00+00:00"}
FOLLOW_UPS = [
    {"follow_up_id": 1, "meeting_id": 1, "meeting_held_on": "2025-07-03", "action": "Lengkapi SK tim kerja ZI",
     "team": "Tim Manajemen Perubahan", "due_on": "2025-07-31", "item_id": "I-1-1", "added_by": "admin",
     "added_at": "2025-07-03T09:20:00+00:00", "closed": False, "closure_note": None, "closed_by": None,
     "closed_at": None, "overdue": False, "days_overdue": 0},
    {"follow_up_id": 2, "meeting_id": 1, "meeting_held_on": "2025-07-03", "action": "Unggah notulen rapat",
     "team": "Tim Pengawasan", "due_on": "2025-07-10", "item_id": None, "added_by": "admin",
     "added_at": "2025-07-03T09:21:00+00:00", "closed": True, "closure_note": "Notulen diunggah 9 Juli",
     "closed_by": "editor", "closed_at": "2025-07-09T10:00:00+00:00", "overdue": False, "days_overdue": 0},
]
