"""The next monev's agenda per LKE area: of what-if's agenda (the item-months due up to a month and not done),
per area the few to take up first, how many more there are, and how many an area below its floor needs.

Rule: an area below the WBK floor is to clear that floor, one below only the WBBM floor that one (lke.readiness'
floors: a share of the area's weight). Its item-months are taken earliest due first (the sooner due, the sooner
the area moves), then the larger gain (lke.what_if's points per item-month). `needed` is the fewest item-months
of the agenda that clear the floor: the largest gains first; None when even all of them would not. Areas below
the WBK floor come first, then below the WBBM floor, then the rest, each in area order.
"""

from dataclasses import dataclass

import openpyxl
import pandas as pd

from .lke import BELOW_RANK, EPSILON, WhatIf
from ..base.months import format_number, listed_with_rest
from ..plan.plan_workbook import add_info_sheet, add_table_sheet, save_deterministic

SHOWN = 3
EXPORT_HEADERS = {"area": "Area", "lke_area": "Area LKE", "below": "Di bawah batas", "id": "ID",
                  "month_name": "Bulan", "penanggung_jawab": "Penanggung jawab", "bukti_fisik": "Bukti fisik",
                  "langkah_aksi": "Langkah aksi", "state": "Status", "gain": "Tambahan poin"}
EXPORT_WIDTHS = {"Area": 6, "Area LKE": 28, "Di bawah batas": 10, "ID": 9, "Bulan": 11, "Penanggung jawab": 24,
                 "Bukti fisik": 42, "Langkah aksi": 48, "Status": 14, "Tambahan poin": 12}


@dataclass(frozen=True)
class AreaAgenda:
    area: str
    lke_area: str
    below: str  # "WBK", "WBBM" or "" (above both floors)
    deficit: float  # points missing to the floor named in `below` (0 when above both)
    needed: int | None  # the fewest item-months of `rows` that clear that floor; None: not even all of them
    rows: pd.DataFrame  # lke.AGENDA_COLUMNS, earliest due first
    shown: int = SHOWN

    @property
    def more(self) -> int:
        return max(len(self.rows) - self.shown, 0)

    @property
    def title(self) -> str:
        """'Area II · Penataan Tatalaksana · di bawah batas WBK (kurang 1,20 poin): perlu 4 bulan-kegiatan'."""
        head = f"Area {self.area} · {self.lke_area}"
        if not self.below:
            return f"{head} · di atas batas WBBM · {len(self.rows)} bulan-kegiatan"
        need = (f"perlu {self.needed} bulan-kegiatan" if self.needed is not None
                else f"semua {len(self.rows)} bulan-kegiatan belum cukup")
        return f"{head} · di bawah batas {self.below} (kurang {format_number(self.deficit, 2)} poin): {need}"

    @property
    def line(self) -> str:
        """'Dahulu: II-1-1 Januari, II-1-2 Januari, II-2-1 Februari … dan 40 lainnya'."""
        first = [f"{row.id} {row.month_name}" for row in self.rows.head(self.shown).itertuples()]
        return "Dahulu: " + listed_with_rest(first, self.more)


def area_agendas(scenario: WhatIf, shown: int = SHOWN) -> list[AreaAgenda]:
    """The agenda of `scenario` (lke.what_if) per area, as the module docstring says."""
    agenda, areas = scenario.agenda, scenario.areas.set_index("area")
    floors = scenario.readiness.areas.set_index("area")
    found = []
    for order, area in enumerate(areas.index):
        rows = agenda[agenda["area"] == area]
        if rows.empty:
            continue
        row, points = areas.loc[area], float(areas.at[area, "points_now"])
        below = "WBK" if row["below_wbk_now"] else "WBBM" if row["below_wbbm_now"] else ""
        deficit = float(floors.at[area, f"floor_{below.lower()}"]) - points if below else 0.0
        found.append((BELOW_RANK[below], order, AreaAgenda(
            str(area), str(row["lke_area"]), below, max(deficit, 0.0), _needed(rows["gain"], deficit) if below else 0,
            rows.sort_values(["month", "gain"], ascending=[True, False], kind="stable").reset_index(drop=True),
            shown)))
    return [agenda for _rank, _order, agenda in sorted(found, key=lambda item: item[:2])]


def _needed(gains: pd.Series, deficit: float) -> int | None:
    """The fewest of `gains` (largest first) whose sum reaches `deficit`."""
    total = 0.0
    for count, gain in enumerate(sorted(gains, reverse=True), start=1):
        total += float(gain)
        if total + EPSILON >= deficit:
            return count
    return None


def agenda_table(agendas: list[AreaAgenda]) -> pd.DataFrame:
    """Every area's agenda in one table (the download), in the order shown, with Indonesian headers."""
    frames = [agenda.rows for agenda in agendas]
    if not frames:
        return pd.DataFrame(columns=list(EXPORT_HEADERS.values()))
    table = pd.concat(frames, ignore_index=True)
    table = table.assign(gain=table["gain"].map(lambda gain: round(float(gain), 4)))
    return table[list(EXPORT_HEADERS)].rename(columns=EXPORT_HEADERS)


def agenda_workbook_bytes(agendas: list[AreaAgenda], title: str) -> bytes:
    """The full agenda as an XLSX sheet, and an Info sheet naming it and the rule it follows."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    add_table_sheet(workbook, "Agenda", agenda_table(agendas), EXPORT_WIDTHS)
    add_info_sheet(workbook, {"Judul": title, "Urutan": "Area di bawah batas WBK dahulu, lalu di bawah batas WBBM; "
                                                        "dalam satu area yang jatuh temponya paling awal dahulu."})
    workbook.properties.title = title
    return save_deterministic(workbook)
