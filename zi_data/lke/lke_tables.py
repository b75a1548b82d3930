"""Kesiapan LKE's tables: per area, per komponen line of the admin's mapping and an area's agenda. Each in full
(every column) or as a 1024-px window shows it (#23): what a meeting reads, related columns merged into one
('I · Manajemen Perubahan', '4,57 dari 8'), so that no column hides behind a sideways scroll."""

import pandas as pd

from ..base.months import format_percent
from .lke_charts import floor_verdict, points_text, weight_text

AREA_LABELS = {"area": "Area", "lke_area": "Area LKE", "weight": "Bobot", "planned": "Direncanakan setahun",
               "done": "Selesai", "share": "Porsi selesai", "points": "Perkiraan poin", "floor_wbk": "Batas WBK",
               "floor_wbbm": "Batas WBBM", "verdict": "Tanda"}
AREA_PROJECTOR_COLUMNS = ["Area", "Perkiraan poin", "Bobot", "Batas WBK", "Batas WBBM", "Tanda"]
AGENDA_LABELS = {"id": "ID", "month_name": "Bulan", "area": "Area", "penanggung_jawab": "Penanggung jawab",
                 "bukti_fisik": "Bukti fisik", "state": "Status", "gain": "Tambahan poin",
                 "below": "Area di bawah batas"}
AGENDA_MAIN_COLUMNS = ["ID", "Bulan", "Bukti fisik", "Penanggung jawab", "Tambahan poin"]  # the area: its heading
AGENDA_PROJECTOR_COLUMNS = ["ID", "Bulan", "Tambahan poin", "Penanggung jawab"]


def area_table(areas: pd.DataFrame, every_column: bool) -> pd.DataFrame:
    """lke.Readiness.areas: every column (AREA_LABELS), else the area with its LKE name, the share done, the
    points of its weight and where it stands against the floors."""
    verdicts = [floor_verdict(row) for row in areas.itertuples()]
    if not every_column:
        return pd.DataFrame({"Area": [f"{area} · {name}" for area, name in zip(areas["area"], areas["lke_area"])],
                             "Porsi selesai": areas["share"].map(format_percent).tolist(),
                             "Perkiraan poin": _points_of_weight(areas), "Tanda": verdicts})
    shown = areas.assign(verdict=verdicts, share=areas["share"].map(format_percent),
                         weight=areas["weight"].map(weight_text),
                         **{column: areas[column].map(points_text) for column in ("points", "floor_wbk", "floor_wbbm")})
    return shown[list(AREA_LABELS)].rename(columns=AREA_LABELS)


def lines_table(lines: pd.DataFrame, every_column: bool) -> pd.DataFrame:
    """lke.Readiness.lines: every column, else the area, the komponen, the share done and the points of its
    weight."""
    if not every_column:
        return pd.DataFrame({"Area": lines["area"].tolist(), "Komponen": lines["komponen"].tolist(),
                             "Porsi selesai": lines["share"].map(format_percent).tolist(),
                             "Perkiraan poin": _points_of_weight(lines)})
    return (lines.assign(share=lines["share"].map(format_percent),
                         **{column: lines[column].map(points_text) for column in ("weight", "points")})
            .rename(columns={**AREA_LABELS, "komponen": "Komponen", "lke_sub_item": "Sub-unsur LKE"}))


def agenda_table(rows: pd.DataFrame, every_column: bool) -> pd.DataFrame:
    """An area's agenda (lke_agenda.AreaAgenda.rows): every column (AGENDA_LABELS), else AGENDA_MAIN_COLUMNS;
    the points each item-month would add as '+0,29'."""
    shown = rows.assign(gain=rows["gain"].map(lambda gain: f"+{points_text(gain)}"))
    shown = shown[list(AGENDA_LABELS)].rename(columns=AGENDA_LABELS)
    return shown if every_column else shown[AGENDA_MAIN_COLUMNS]


def _points_of_weight(rows: pd.DataFrame) -> list[str]:
    """'4,57 dari 8': the estimated points of the weight."""
    return [f"{points_text(points)} dari {weight_text(weight)}"
            for points, weight in zip(rows["points"], rows["weight"])]
