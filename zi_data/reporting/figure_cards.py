"""The figure cards (st.metric) of the pages, worded so that label and value read correctly without the tooltip:
a projector audience never sees tooltips. Each card names what is counted and, for a count, its unit
("Belum selesai, jatuh tempo Maret: 17 dari 19 bulan-kegiatan", not "Jatuh tempo Maret: 17 dari 19").
"""

from typing import NamedTuple

from ..base.months import MONTHS, format_percent

UNIT = "bulan-kegiatan"
PREVIEW_CARDS = (("Baru", "new", UNIT), ("Diubah", "changed", UNIT), ("Tetap", "unchanged", UNIT),
                 ("Konflik", "conflicts", UNIT), ("Perubahan rencana", "plan_changes", "langkah aksi"),
                 ("Ditolak", "rejected", "baris"), ("Berkas bukti", "bukti_berkas", "berkas"))
OPTIONAL_PREVIEW_CARDS = ("rejected",)  # shown only when not 0


class Card(NamedTuple):
    label: str
    value: str
    help: str | None = None


def count_text(count: int, total: int | None = None) -> str:
    """'17 dari 19' or '119' (the unit is in the label)."""
    return f"{count} dari {total}" if total is not None else str(count)


def summary_cards(month: int, as_of: dict, annual: dict, overdue: int, due_in_month: tuple[int, int] | None = None,
                  rule_text: str = "") -> list[Card]:
    """Ringkasan's four cards (`due_in_month`: the as-of month's item-months not done, of all due in it) and a
    meeting's frozen four (without it: done up to the month instead). `as_of` and `annual`: planned, done, rate."""
    month_text = MONTHS[month - 1]
    rule = f" (aturan hitung: {rule_text})" if rule_text else ""
    cards = [Card(f"Capaian s.d. {month_text} (selesai)", format_percent(as_of["rate"]),
                  f"{as_of['done']} dari {as_of['planned']} {UNIT} dihitung selesai{rule}"),
             Card("Capaian tahunan (selesai)", format_percent(annual["rate"]),
                  f"{annual['done']} dari {annual['planned']} {UNIT} setahun")]
    if due_in_month is not None:
        open_count, total = due_in_month
        cards.append(Card(f"Belum selesai, jatuh tempo {month_text} ({UNIT})", count_text(open_count, total),
                          f"Dari {total} {UNIT} bulan {month_text}, {open_count} belum selesai"))
    else:
        cards.append(Card(f"Selesai s.d. {month_text} ({UNIT})", count_text(as_of["done"], as_of["planned"])))
    cards.append(Card(f"Terlambat ({UNIT})", count_text(overdue),
                      f"{UNIT.capitalize()} yang bulannya sudah lewat dan belum selesai"))
    return cards


def preview_cards(counts: dict[str, int]) -> list[Card]:
    """Perbarui Progres's preview of an upload: what would be new, changed, kept … each with its unit."""
    return [Card(f"{label} ({unit})", count_text(int(counts[key])))
            for label, key, unit in PREVIEW_CARDS
            if key in counts and (key not in OPTIONAL_PREVIEW_CARDS or counts[key])]


def points_card(points_text: str, max_text: str, when: str = "") -> Card:
    """Kesiapan LKE's estimated pengungkit: 'Pengungkit (perkiraan, poin)[ bila …]: 0,43 dari 60'."""
    return Card(f"Pengungkit (perkiraan, poin){' ' + when if when else ''}", f"{points_text} dari {max_text}")
