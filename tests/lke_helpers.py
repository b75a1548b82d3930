"""The hand-built plan the LKE tests (lke readiness, the agenda) work out by hand: six areas, a few done months."""

from datetime import date

from helpers import THRESHOLDS, make_latest, make_plan
from zi_data.lke.lke_mapping import LkeMapping, bundled_table

AS_OF = date(2025, 3, 31)
PLAN = make_plan([  # item-months planned in the year per area: I 4, II 2, III 5, IV 10, V 4, VI 2
    ("I-1", "I", "T1", "K1", (1, 2, 3, 4)),
    ("II-1", "II", "T2", "K2", (1, 2)),
    ("III-1", "III", "T1", "K3", (1, 2, 3, 4, 5)),
    ("IV-1", "IV", "T2", "K4", tuple(range(1, 11))),
    ("V-1", "V", "T1", "Pengendalian Gratifikasi", (1, 2, 3)),
    ("V-2", "V", "T2", "Penerapan SPIP", (4,)),
    ("VI-1", "VI", "T1", "K6", (3, 6)),
])
DONE = [("I-1", 1), ("I-1", 2), ("I-1", 3), ("II-1", 1), ("III-1", 1), ("III-1", 2), ("III-1", 3),
        ("V-1", 1), ("V-1", 2), ("V-1", 3), ("VI-1", 3)]
LATEST = make_latest([(item_id, month, "Selesai", "bukti.pdf") for item_id, month in DONE])


def bundled() -> LkeMapping:
    return LkeMapping(bundled_table(), THRESHOLDS, bundled=True)
