"""LKE readiness: the share of each area's planned evidence that is done, weighted by the LKE pengungkit weights.

An estimate of evidence readiness, not the LKE score (see NOTE). The evaluation judges the year's evidence, so
the denominator is every item-month planned in the plan year and the numerator those selesai as of the as-of
date under the counting rule in force (status.classify's state). A mapping line (an area, or a komponen of
it: lke_mapping) earns share × weight; an area earns the sum of its lines. A line with nothing planned earns 0.

what_if: the readiness if every item-month due up to a month were selesai, and the agenda — the item-months
that would make it so, ranked: areas below the WBK floor first, then below the WBBM floor, then by the points
one item-month adds (its line's weight ÷ the line's planned item-months).
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from .lke_mapping import AREAS, LkeMapping, komponen_key
from ..base.months import month_name

NOTE = ("Perkiraan kesiapan bukti (evidence readiness) dengan bobot LKE — bukan nilai LKE. Tidak mencakup "
        "komponen hasil (IPAK, IPKP, capaian kinerja; 40 poin dari survei) maupun penilaian mutu oleh TPI.")
AREA_COLUMNS = ["area", "lke_area", "weight", "planned", "done", "share", "points", "floor_wbk", "floor_wbbm",
                "below_wbk", "below_wbbm"]
LINE_COLUMNS = ["area", "komponen", "lke_area", "lke_sub_item", "weight", "planned", "done", "share", "points"]
AGENDA_COLUMNS = ["id", "month", "month_name", "area", "lke_area", "komponen", "langkah_aksi", "bukti_fisik",
                  "penanggung_jawab", "state", "gain", "below"]
BELOW_RANK = {"WBK": 0, "WBBM": 1, "": 2}
EPSILON = 1e-9


@dataclass(frozen=True)
class Readiness:
    areas: pd.DataFrame  # AREA_COLUMNS, one row per LKE area, in area order
    lines: pd.DataFrame  # LINE_COLUMNS, one row per mapping line that earns points
    pengungkit: dict  # points, max, wbk, wbbm, meets_wbk, meets_wbbm
    unmapped: pd.DataFrame  # area, komponen, planned: item-months of a refined area whose komponen has no line
    as_of: date


@dataclass(frozen=True)
class WhatIf:
    through_month: int
    readiness: Readiness  # if every item-month due up to through_month were selesai
    areas: pd.DataFrame  # area, lke_area, points_now, points_then, below_*_now, below_*_then, clears_wbk/_wbbm
    agenda: pd.DataFrame  # AGENDA_COLUMNS, ranked


def earning_lines(mapping: LkeMapping) -> pd.DataFrame:
    """The lines that earn points: an area's komponen lines when it has any, else its whole-area line."""
    table = mapping.table
    refined = set(table.loc[table["komponen"] != "", "area"])
    keep = (table["komponen"] != "") | ~table["area"].isin(refined)
    lines = table[keep].reset_index(drop=True)
    area_names = table[table["komponen"] == ""].set_index("area")["lke_area"]
    lines["lke_area"] = lines["lke_area"].where(lines["lke_area"] != "", lines["area"].map(area_names))
    return lines


def _line_of(planned: pd.DataFrame, lines: pd.DataFrame) -> np.ndarray:
    """Each planned item-month's line number (−1: a komponen of a refined area without a line)."""
    by_komponen = {(line.area, komponen_key(line.komponen)): number for number, line in enumerate(lines.itertuples())}
    whole = {area: by_komponen[(area, "")] for area, komponen in by_komponen if komponen == ""}
    return np.array([whole[area] if area in whole else by_komponen.get((area, komponen_key(komponen)), -1)
                     for area, komponen in zip(planned["area"], planned["komponen"])], dtype=np.int64)


def _planned_with_lines(plan: pd.DataFrame, classified: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    planned = classified[classified["planned"] & classified["area"].isin(AREAS) & classified["id"].isin(plan["id"])]
    return planned.assign(line=_line_of(planned, lines), done=planned["state"] == "selesai")


def readiness(plan: pd.DataFrame, classified: pd.DataFrame, mapping: LkeMapping, as_of: date) -> Readiness:
    """Per LKE area and for the pengungkit: what the done share of the year's planned evidence is worth.

    `classified` is status.classify's frame for the whole office (the team filter does not apply: the
    evaluation judges the office) under the counting rule in force; `plan` gives the langkah aksi."""
    lines = earning_lines(mapping)
    planned = _planned_with_lines(plan, classified, lines)
    line, done = planned["line"].to_numpy(), planned["done"].to_numpy()
    planned_count = np.bincount(line[line >= 0], minlength=len(lines))
    done_count = np.bincount(line[(line >= 0) & done], minlength=len(lines))
    share = np.divide(done_count, planned_count, out=np.full(len(lines), np.nan), where=planned_count > 0)
    lines = lines.assign(planned=planned_count, done=done_count, share=share,
                         points=np.nan_to_num(share) * lines["weight"].to_numpy())[LINE_COLUMNS]
    areas = _area_table(lines, mapping)
    thresholds = mapping.thresholds
    total = float(areas["points"].sum())
    pengungkit = {"points": total, "max": thresholds.max, "wbk": thresholds.wbk_total, "wbbm": thresholds.wbbm_total,
                  "meets_wbk": total + EPSILON >= thresholds.wbk_total and not areas["below_wbk"].any(),
                  "meets_wbbm": total + EPSILON >= thresholds.wbbm_total and not areas["below_wbbm"].any()}
    unmapped = (planned[line < 0].groupby(["area", "komponen"], sort=False).size()
                .rename("planned").reset_index())
    return Readiness(areas, lines, pengungkit, unmapped, as_of)


def _area_table(lines: pd.DataFrame, mapping: LkeMapping) -> pd.DataFrame:
    """One row per whole-area row of the table (every area has one: lke_mapping.validated), summing its lines."""
    whole = mapping.table[mapping.table["komponen"] == ""]
    area_of_line = pd.Index(whole["area"]).get_indexer(lines["area"])
    weight = whole["weight"].to_numpy()
    points = np.bincount(area_of_line, weights=lines["points"].to_numpy(), minlength=len(whole))
    areas = pd.DataFrame({
        "area": whole["area"].to_numpy(), "lke_area": whole["lke_area"].to_numpy(), "weight": weight,
        "planned": np.bincount(area_of_line, weights=lines["planned"].to_numpy(), minlength=len(whole)).astype(np.int64),
        "done": np.bincount(area_of_line, weights=lines["done"].to_numpy(), minlength=len(whole)).astype(np.int64),
        "share": points / weight,  # one line: done ÷ planned; komponen lines: their weighted share
        "points": points,
        "floor_wbk": mapping.thresholds.wbk_floor * weight, "floor_wbbm": mapping.thresholds.wbbm_floor * weight})
    areas["below_wbk"] = areas["points"] + EPSILON < areas["floor_wbk"]
    areas["below_wbbm"] = areas["points"] + EPSILON < areas["floor_wbbm"]
    return areas[AREA_COLUMNS]


def what_if(plan: pd.DataFrame, classified: pd.DataFrame, mapping: LkeMapping, through_month: int) -> WhatIf:
    """The readiness if every planned item-month of months 1..`through_month` were selesai, which areas would
    then clear each floor, and those item-months (not selesai now) ranked as the agenda for the next monev."""
    if not 1 <= through_month <= 12:
        raise ValueError(f"Bulan {through_month} harus 1–12.")
    as_of = date.fromisoformat(classified.attrs["as_of"])  # status.classify's date, never the server's
    now = readiness(plan, classified, mapping, as_of)
    due = classified["planned"] & (classified["month"] <= through_month) & (classified["state"] != "selesai")
    then = readiness(plan, classified.assign(state=classified["state"].where(~due, "selesai")), mapping, as_of)
    areas = now.areas[["area", "lke_area", "weight"]].assign(
        points_now=now.areas["points"], points_then=then.areas["points"],
        below_wbk_now=now.areas["below_wbk"], below_wbk_then=then.areas["below_wbk"],
        below_wbbm_now=now.areas["below_wbbm"], below_wbbm_then=then.areas["below_wbbm"])
    areas["clears_wbk"] = areas["below_wbk_now"] & ~areas["below_wbk_then"]
    areas["clears_wbbm"] = areas["below_wbbm_now"] & ~areas["below_wbbm_then"]
    return WhatIf(through_month, then, areas, _agenda(classified[due], now))


def _agenda(undone: pd.DataFrame, now: Readiness) -> pd.DataFrame:
    """The undone item-months with the points each adds, areas below a floor first, then the largest gain."""
    lines = now.lines
    rows = undone[undone["area"].isin(AREAS)]
    line = _line_of(rows, lines)
    rows, line = rows[line >= 0], line[line >= 0]
    gain = (lines["weight"] / lines["planned"].where(lines["planned"] > 0)).to_numpy()[line]
    areas = now.areas.set_index("area")
    below = np.where(areas["below_wbk"], "WBK", np.where(areas["below_wbbm"], "WBBM", ""))
    below_of = dict(zip(areas.index, below))
    agenda = rows.assign(month_name=rows["month"].map(month_name), gain=gain,
                         lke_area=rows["area"].map(areas["lke_area"]), below=rows["area"].map(below_of),
                         plan_order=np.arange(len(rows)))
    agenda["rank"] = agenda["below"].map(BELOW_RANK)
    agenda = agenda.sort_values(["rank", "gain", "month", "plan_order"], ascending=[True, False, True, True],
                                kind="stable")
    return agenda[AGENDA_COLUMNS].reset_index(drop=True)


def as_json(result: Readiness, rule: str) -> dict:
    """The readiness as `python -m zi_data lke --json` prints it."""
    areas = [{key: (bool(value) if key.startswith("below") else value) for key, value in row.items()}
             for row in result.areas.astype(object).to_dict("records")]
    for area in areas:
        for key in ("weight", "share", "points", "floor_wbk", "floor_wbbm"):
            area[key] = _rounded(area[key])
        area["planned"], area["done"] = int(area["planned"]), int(area["done"])
    pengungkit = {key: (bool(value) if key.startswith("meets") else _rounded(value))
                  for key, value in result.pengungkit.items()}
    return {"catatan": NOTE, "aturan_hitung": rule, "as_of": result.as_of.isoformat(), "areas": areas,
            "pengungkit": pengungkit,
            "komponen": [{**line, "weight": _rounded(line["weight"]), "share": _rounded(line["share"]),
                          "points": _rounded(line["points"]), "planned": int(line["planned"]),
                          "done": int(line["done"])} for line in result.lines.astype(object).to_dict("records")
                         if line["komponen"]],
            "tanpa_pemetaan": [{"area": row.area, "komponen": row.komponen, "planned": int(row.planned)}
                               for row in result.unmapped.itertuples()]}


def _rounded(value) -> float | None:
    value = float(value)
    return None if value != value else round(value, 4)
