"""Status of every item-month as of a date, completion rates, the Kurva S and the overdue list.

An item-month is one langkah aksi in one planned month. As of a date:

- selesai: reported Selesai with evidence (bukti dukung text or an attached file; under the counting
  rule "terverifikasi", evidence a penilai accepted: see counting_rule.py);
- terlambat: its month has ended (last day + grace days < as-of date) and not selesai,
  including a Selesai report without bukti dukung;
- berjalan: not selesai, not yet ended, and its month is not after the as-of month;
- belum_jatuh_tempo: planned for a month after the as-of month;
- sebagian: reported Sebagian (not done); `overdue` is True once its month has ended;
- di_luar_jadwal: reported Selesai or Sebagian in a month the plan does not schedule
  (shown, never counted in rates).

The as-of rate divides the item-months done by those planned up to the as-of month;
the annual rate divides by everything planned in the year.
"""

import calendar
from datetime import date
from itertools import chain

import numpy as np
import pandas as pd

from ..base.months import month_name

# When an item-month counts as selesai (chosen per plan year by an admin, see counting_rule.py)
COUNTING_RULES = {"bukti": "Selesai dengan bukti dukung", "terverifikasi": "Selesai dengan bukti diterima penilai"}

STATE_LABELS = {  # every state and its label, in the order legends and summaries list them
    "selesai": "Selesai",
    "sebagian": "Sebagian",
    "berjalan": "Berjalan",
    "terlambat": "Terlambat",
    "belum_jatuh_tempo": "Belum jatuh tempo",
    "di_luar_jadwal": "Di luar jadwal",
}
STATE_RULE_ORDER = ("di_luar_jadwal", "selesai", "sebagian", "terlambat", "berjalan", "belum_jatuh_tempo")
ITEM_COLUMNS = ["id", "area", "area_name", "komponen_pos", "komponen", "indikator", "langkah_aksi", "bukti_fisik",
                "penanggung_jawab"]
REPORT_COLUMNS = ["status", "bukti_dukung", "tanggal", "catatan"]
EVIDENCE_COLUMNS = ["files", "review_state"]  # current attached files; diterima, menunggu, perlu_perbaikan or ""
CLASSIFIED_COLUMNS = [*ITEM_COLUMNS, "month", "planned", "state", "overdue", "days_overdue", *REPORT_COLUMNS,
                      *EVIDENCE_COLUMNS]
COMPLETION_COLUMNS = ["group", "planned_as_of", "done_as_of", "rate_as_of", "planned_annual", "done_annual",
                      "rate_annual"]
OVERDUE_COLUMNS = ["id", "area", "komponen", "langkah_aksi", "bukti_fisik", "month", "month_name",
                   "penanggung_jawab", "days_overdue", "state", "status", "catatan"]
OVERALL_GROUP = "Keseluruhan"
REPORTED_OFF_PLAN = ("Selesai", "Sebagian")


def as_of_date(year: int, today: date | None = None, month: int | None = None) -> date:
    """The last day of `month` in `year` when given, else `today` (the office's: clock.today, never the server's
    date) clamped into the plan year."""
    if month is not None:
        if not 1 <= month <= 12:
            raise ValueError(f"Bulan {month} harus 1–12.")
        return _last_day(year, month)
    if today is None:
        raise TypeError("as_of_date needs the office's today (clock.today) or a month")
    return min(max(today, date(year, 1, 1)), date(year, 12, 31))


def as_of_month(as_of: date, year: int) -> int:
    """The as-of month within the plan year: 0 before the year starts, 12 after it ends."""
    if as_of.year < year:
        return 0
    return as_of.month if as_of.year == year else 12


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _plan_year(frame: pd.DataFrame, as_of: date) -> int:
    return int(frame.attrs.get("year") or as_of.year)


def classify(plan: pd.DataFrame, latest: pd.DataFrame, as_of: date, grace_days: int = 0,
             evidence: pd.DataFrame | None = None, rule: str = "bukti") -> pd.DataFrame:
    """One row per planned item-month, plus di_luar_jadwal rows for reports outside the plan.

    `latest` is ProgressStore.latest() (item_id, month, status, bukti_dukung, tanggal, catatan);
    `evidence` is evidence.evidence_states() (none: no attachments or reviews) and `rule` the counting rule;
    reports for IDs not in the plan are ignored. Rows are in plan order, then by month.
    Text columns are object dtype: building Arrow strings for every item-month costs more
    than all the classification.
    """
    year = _plan_year(plan, as_of)
    months_per_item = plan["months"].map(len).to_numpy()
    item = np.repeat(np.arange(len(plan)), months_per_item)
    month = np.fromiter(chain.from_iterable(plan["months"]), dtype=np.int64, count=int(months_per_item.sum()))
    reports = _reports_by_key(plan, latest, evidence, rule)
    planned_key = pd.Index(item * 12 + month - 1)
    off_plan = np.flatnonzero(~reports.index.isin(planned_key) & np.isin(reports["status"], REPORTED_OFF_PLAN))
    report_row = np.concatenate([reports.index.get_indexer(planned_key), off_plan])
    item = np.concatenate([item, reports.index.to_numpy()[off_plan] // 12])
    month = np.concatenate([month, reports.index.to_numpy()[off_plan] % 12 + 1])
    planned = np.arange(len(item)) < len(planned_key)
    order = np.lexsort((month, item))
    item, month, report_row, planned = item[order], month[order], report_row[order], planned[order]

    month_end = np.array([np.datetime64(_last_day(year, m)) for m in range(1, 13)])[month - 1]
    days_past_end = (np.datetime64(as_of) - month_end).astype("timedelta64[D]").astype("int64") - grace_days
    ended = days_past_end > 0
    status = _with_blank(reports["status"])[report_row]  # row -1 (no report) picks the blank
    done = _with_blank(reports["done"], False)[report_row].astype(bool)
    partial = status == "Sebagian"
    overdue = planned & ~done & ended
    columns = {c: _objects(plan[c].to_numpy(dtype=object)[item]) for c in ITEM_COLUMNS if c != "komponen_pos"}
    columns["komponen_pos"] = plan["komponen_pos"].to_numpy(dtype=np.int64)[item]
    columns |= {
        "month": month, "planned": planned,
        "state": _objects(np.array(STATE_RULE_ORDER, dtype=object)[np.select(  # the first matching rule wins
            [~planned, done, partial, ended, month <= as_of_month(as_of, year)], range(5), 5)]),
        "overdue": overdue, "days_overdue": np.where(overdue, days_past_end, 0),
        **{c: _objects(_with_blank(reports[c])[report_row]) for c in REPORT_COLUMNS},
        "files": _with_blank(reports["files"], 0)[report_row].astype(np.int64),
        "review_state": _objects(_with_blank(reports["review_state"])[report_row]),
    }
    classified = pd.DataFrame(columns)[CLASSIFIED_COLUMNS]
    classified.attrs.update(year=year, as_of=as_of.isoformat(), grace_days=grace_days, rule=rule)
    return classified


def _reports_by_key(plan: pd.DataFrame, latest: pd.DataFrame, evidence: pd.DataFrame | None, rule: str) -> pd.DataFrame:
    """The last report per item-month of the plan, with its evidence, indexed by item position × 12 + month − 1.

    An item-month with evidence but no report gets a row too (status ""), so that its evidence shows."""
    if rule not in COUNTING_RULES:
        raise ValueError(f"Aturan hitung tidak dikenal: {rule!r}")
    reports = latest[["item_id", "month", *REPORT_COLUMNS]]
    if evidence is not None and not evidence.empty:
        reports = reports.merge(evidence[["item_id", "month", "files", "links", "review_state"]],
                                on=["item_id", "month"], how="outer")
    position = pd.Index(plan["id"]).get_indexer(reports["item_id"])
    known = reports[position >= 0]
    key = position[position >= 0] * 12 + known["month"].to_numpy(dtype=np.int64) - 1
    frame = pd.DataFrame({c: _objects(known[c].fillna("").to_numpy(dtype=object)) for c in REPORT_COLUMNS})
    counts = {c: (known[c].fillna(0).to_numpy(dtype=np.int64) if c in known else np.zeros(len(known), np.int64))
              for c in ("files", "links")}
    frame["files"] = counts["files"]
    frame["review_state"] = (_objects(known["review_state"].fillna("").to_numpy(dtype=object))
                             if "review_state" in known else "")
    has_evidence = (frame["bukti_dukung"].str.strip() != "").to_numpy() | (counts["files"] + counts["links"] > 0)
    frame["done"] = (frame["status"] == "Selesai").to_numpy() & has_evidence
    if rule == "terverifikasi":
        frame["done"] &= (frame["review_state"] == "diterima").to_numpy()
    frame.index = pd.Index(key)
    return frame[~frame.index.duplicated(keep="last")]


def _with_blank(column: pd.Series, blank="") -> np.ndarray:
    """The column's values with `blank` appended, so that row −1 selects the blank."""
    return np.append(column.to_numpy(dtype=object), blank)


def _objects(values: np.ndarray) -> pd.Series:
    return pd.Series(values, dtype=object)


def completion(classified: pd.DataFrame, as_of: date, by: str | None = None) -> pd.DataFrame:
    """Done ÷ planned as of the as-of month and for the whole year, overall or per group.

    `by` is None (one row, group 'Keseluruhan'), 'area', 'penanggung_jawab' or 'komponen'.
    Groups keep plan order; a rate is NaN when nothing is planned.
    """
    if by not in (None, "area", "penanggung_jawab", "komponen"):
        raise ValueError(f"Pengelompokan tidak dikenal: {by!r}")
    planned = classified[classified["planned"]]
    due = planned["month"] <= as_of_month(as_of, _plan_year(classified, as_of))
    done = planned["state"] == "selesai"
    counts = pd.DataFrame({
        "group": planned[by] if by else OVERALL_GROUP,
        "planned_as_of": due, "done_as_of": due & done, "planned_annual": True, "done_annual": done,
    })
    table = counts.groupby("group", sort=False).sum().astype("int64").reset_index()
    if table.empty and by is None:
        table = pd.DataFrame([[OVERALL_GROUP, 0, 0, 0, 0]], columns=table.columns)
    table["rate_as_of"] = _rate(table["done_as_of"], table["planned_as_of"])
    table["rate_annual"] = _rate(table["done_annual"], table["planned_annual"])
    return table[COMPLETION_COLUMNS]


def _rate(done: pd.Series, planned: pd.Series) -> pd.Series:
    return (done / planned.where(planned > 0)).astype("float64")


def kurva_s(classified: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Per month: cumulative planned and realised item-months as percentages (0–100) of the year.

    Realised counts selesai item-months in their planned month; it is NaN after the as-of month.
    deviation = realised_pct − planned_pct (percentage points).
    """
    planned = classified[classified["planned"]]
    months = pd.Index(range(1, 13), name="month")
    planned_cum = planned["month"].value_counts().reindex(months, fill_value=0).cumsum()
    realised_cum = (planned.loc[planned["state"] == "selesai", "month"].value_counts()
                    .reindex(months, fill_value=0).cumsum())
    total = len(planned)
    after_as_of = months > as_of_month(as_of, _plan_year(classified, as_of))
    curve = pd.DataFrame({
        "month": months, "month_name": [month_name(m) for m in months],
        "planned": planned_cum.to_numpy(), "realised": realised_cum.to_numpy(),
        "planned_pct": planned_cum.to_numpy() * 100 / total if total else np.nan,
        "realised_pct": np.where(after_as_of, np.nan, realised_cum.to_numpy() * 100 / total if total else np.nan),
    })
    curve["realised"] = curve["realised"].astype("Int64").mask(after_as_of)
    curve["deviation"] = curve["realised_pct"] - curve["planned_pct"]
    return curve


def monthly_progress(classified: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Per month (not cumulative): item-months planned, done, and their rate (NaN after the as-of month)."""
    planned = classified[classified["planned"]]
    months = pd.Index(range(1, 13), name="month")
    planned_count = planned["month"].value_counts().reindex(months, fill_value=0)
    done_count = planned.loc[planned["state"] == "selesai", "month"].value_counts().reindex(months, fill_value=0)
    after_as_of = months > as_of_month(as_of, _plan_year(classified, as_of))
    return pd.DataFrame({
        "month": months, "month_name": [month_name(m) for m in months],
        "planned": planned_count.to_numpy(), "done": done_count.to_numpy(),
        "rate": _rate(done_count, planned_count).mask(after_as_of).to_numpy(),
    })


def overdue_list(classified: pd.DataFrame) -> pd.DataFrame:
    """One row per overdue item-month (terlambat, or Sebagian past its month), most overdue first."""
    overdue = classified[classified["overdue"]]
    overdue = overdue.assign(month_name=overdue["month"].map(month_name))
    return overdue.sort_values("days_overdue", ascending=False, kind="stable")[OVERDUE_COLUMNS].reset_index(drop=True)


def status_summary(plan: pd.DataFrame, latest: pd.DataFrame, as_of: date, grace_days: int = 0,
                   evidence: pd.DataFrame | None = None, rule: str = "bukti") -> dict:
    """Everything the `status --json` command prints, as plain JSON-ready values."""
    classified = classify(plan, latest, as_of, grace_days, evidence, rule)

    def shaped(row) -> dict:
        return {"as_of": rate_dict(row.planned_as_of, row.done_as_of, row.rate_as_of),
                "annual": rate_dict(row.planned_annual, row.done_annual, row.rate_annual)}

    def grouped(by):
        return {row.group: shaped(row) for row in completion(classified, as_of, by).itertuples()}

    overdue = overdue_list(classified)
    return {
        "as_of": as_of.isoformat(),
        "as_of_month": as_of_month(as_of, _plan_year(plan, as_of)),
        "year": _plan_year(plan, as_of),
        "office": plan.attrs.get("office", ""),
        "plan_version": plan.attrs.get("plan_version"),
        "grace_days": grace_days,
        "aturan_hitung": rule,
        "overall": shaped(next(completion(classified, as_of).itertuples())),
        "by_area": grouped("area"),
        "by_team": grouped("penanggung_jawab"),
        "states": {state: int((classified["state"] == state).sum()) for state in STATE_LABELS},
        "overdue": [{key: _plain(value) for key, value in record.items()} for record in overdue.to_dict("records")],
    }


def rate_dict(planned, done, rate) -> dict:
    return {"planned": int(planned), "done": int(done), "rate": None if pd.isna(rate) else round(float(rate), 6)}


def _plain(value):
    return value.item() if hasattr(value, "item") else value
