"""The LKE table: which plan area (and komponen) counts towards which LKE pengungkit area, with what weight.

The default ships as data (data/lke/pengungkit_permenpanrb_90_2021.csv, thresholds in
data/lke/ambang_permenpanrb_90_2021.csv), so a new regulation is a new table, not a release. An admin may put
another table in force for one plan year: rows of ledger_settings named SETTING (append-only, the newest row
wins; an empty value means the bundled table), audited as `pemetaan_lke_diubah`.

One row of the table is one mapping line: `area` (I–VI), `komponen` ('' = the whole area), `lke_area`,
`lke_sub_item` (may be ''), `weight` (points). Each area has one row with komponen '' that carries the area's
weight; komponen rows of an area refine it, and their weights sum to the area's weight.
"""

import io
import json
import math
from dataclasses import dataclass

import pandas as pd

from ..store import audit
from ..base.cell_safety import clean_text, formula_safe_frame, restored_frame
from ..store.ledger_settings import put_setting, setting
from ..store.offices import MAX_CSV_BYTES, MAX_CSV_ROWS, MAX_NAME_CHARS
from ..base.paths import PROJECT_ROOT
from ..base.problems import InputError, Problem, shown

BUNDLED_TABLE = PROJECT_ROOT / "data" / "lke" / "pengungkit_permenpanrb_90_2021.csv"
BUNDLED_THRESHOLDS = PROJECT_ROOT / "data" / "lke" / "ambang_permenpanrb_90_2021.csv"
COLUMNS = ["area", "komponen", "lke_area", "lke_sub_item", "weight"]
AREAS = ("I", "II", "III", "IV", "V", "VI")
SETTING = "lke_pemetaan"
AUDIT_ACTION = "pemetaan_lke_diubah"
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Thresholds:
    max: float  # the pengungkit's total weight
    wbk_total: float
    wbk_floor: float  # the share of its weight every area needs for WBK
    wbbm_total: float
    wbbm_floor: float


@dataclass(frozen=True)
class LkeMapping:
    table: pd.DataFrame  # COLUMNS, weight a float, in area order
    thresholds: Thresholds
    bundled: bool  # the bundled table (no admin's table in force)


def komponen_key(text) -> str:
    """How a komponen is matched between the table and the plan: case, spacing and blanks at the ends ignored."""
    return " ".join(str(text).split()).casefold()


def bundled_thresholds() -> Thresholds:
    values = pd.read_csv(BUNDLED_THRESHOLDS, dtype=str).set_index("name")["value"].astype(float)
    return Thresholds(**{name: float(values[name]) for name in Thresholds.__dataclass_fields__})


def bundled_table() -> pd.DataFrame:
    return validated(read_table_csv(BUNDLED_TABLE.read_bytes()), bundled_thresholds())


def read_table_csv(data: bytes) -> pd.DataFrame:
    """A table from CSV bytes (UTF-8, comma-separated, a header row naming COLUMNS); InputError in Indonesian.

    The office list's limits hold: at most MAX_CSV_BYTES and MAX_CSV_ROWS data rows."""
    if len(data) > MAX_CSV_BYTES:
        raise InputError([Problem(f"Berkas CSV pemetaan LKE lebih besar dari {MAX_CSV_BYTES // (1024 * 1024)} MB.",
                                  fix="Tabel pemetaan hanya memuat beberapa puluh baris.")])
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InputError([Problem(f"Berkas CSV pemetaan LKE tidak dapat dibaca ({type(error).__name__}).",
                                  fix="Simpan sebagai CSV UTF-8 berpemisah koma dengan baris judul "
                                      f"{', '.join(COLUMNS)}.")]) from None
    return restored_frame(frame)  # the formula guard's apostrophe (see table_csv) removed


def validated(frame: pd.DataFrame, thresholds: Thresholds, first_row: int = 2) -> pd.DataFrame:
    """The table checked and normalised (text stripped, weight a float); InputError listing every problem, each
    naming its row (`first_row` is the number of the first data row: 2 in a CSV file under its header) and
    column."""
    missing = [column for column in COLUMNS if column not in frame.columns]
    if missing:
        raise InputError([Problem(f"Kolom {', '.join(missing)} tidak ada.",
                                  fix=f"Tabel pemetaan LKE memerlukan kolom {', '.join(COLUMNS)}.")])
    if len(frame) > MAX_CSV_ROWS:
        raise InputError([Problem(f"Tabel pemetaan LKE berisi {_count(len(frame))} baris; paling banyak "
                                  f"{_count(MAX_CSV_ROWS)} baris.")])
    table = frame[COLUMNS].reset_index(drop=True).astype(object).where(frame[COLUMNS].notna().to_numpy(), "")
    text_columns = COLUMNS[:-1]
    table[text_columns] = table[text_columns].map(lambda value: " ".join(clean_text(str(value)).split()))
    problems = _long_texts(table[text_columns], first_row)
    weights = [_weight(value, index + first_row, problems) for index, value in enumerate(table["weight"])]
    table["weight"] = weights
    _check_rows(table, first_row, problems)
    if not problems:
        _check_sums(table, thresholds, first_row, problems)
    if problems:
        raise InputError(problems)
    order = table["area"].map(AREAS.index)
    return table.assign(order=order, refines=table["komponen"] != "").sort_values(
        ["order", "refines"], kind="stable").drop(columns=["order", "refines"]).reset_index(drop=True)


def _long_texts(texts: pd.DataFrame, first_row: int) -> list[Problem]:
    """A text cell longer than an office name may be (MAX_NAME_CHARS), located."""
    return [Problem(f"Teks terlalu panjang ({_count(len(value))} karakter; paling banyak {MAX_NAME_CHARS}).",
                    row=index + first_row, column=column)
            for column in texts.columns for index, value in texts[column].items() if len(value) > MAX_NAME_CHARS]


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _weight(value, row: int, problems: list) -> float:
    text = str(value).strip().replace(",", ".")
    try:
        weight = float(text)
    except ValueError:
        weight = math.nan
    if not math.isfinite(weight) or weight <= 0:
        problems.append(Problem(f"Bobot '{shown(value)}' tidak sah; tulis angka lebih dari 0 (misalnya 7,5).",
                                row=row, column="weight"))
        return math.nan
    return weight


def _check_rows(table: pd.DataFrame, first_row: int, problems: list) -> None:
    seen: dict[tuple[str, str], int] = {}
    for index, line in table.iterrows():
        row = index + first_row
        if line["area"] not in AREAS:
            problems.append(Problem(f"Area '{shown(line['area'])}' tidak dikenal; tulis salah satu dari "
                                    f"{', '.join(AREAS)}.", row=row, column="area"))
            continue
        if line["komponen"] == "" and line["lke_area"] == "":
            problems.append(Problem("Nama area LKE kosong.", row=row, column="lke_area"))
        key = (line["area"], komponen_key(line["komponen"]))
        if key in seen:
            what = f"komponen '{shown(line['komponen'])}'" if line["komponen"] else "seluruh area"
            problems.append(Problem(f"Area {line['area']}, {what} sudah dipetakan di baris {seen[key]}.",
                                    row=row, column="komponen"))
        seen.setdefault(key, row)
    for area in AREAS:
        if (area, "") not in seen:
            problems.append(Problem(f"Area {area} tidak memiliki baris seluruh area (komponen kosong) yang "
                                    "memberi bobotnya.", column="area"))


def _check_sums(table: pd.DataFrame, thresholds: Thresholds, first_row: int, problems: list) -> None:
    whole = table[table["komponen"] == ""]
    total = float(whole["weight"].sum())
    if abs(total - thresholds.max) > TOLERANCE:
        problems.append(Problem(f"Jumlah bobot area {_points(total)}, seharusnya {_points(thresholds.max)}.",
                                column="weight"))
    for index, line in whole.iterrows():
        parts = table[(table["area"] == line["area"]) & (table["komponen"] != "")]
        if not parts.empty and abs(float(parts["weight"].sum()) - line["weight"]) > TOLERANCE:
            rows = ", ".join(str(i + first_row) for i in parts.index)
            problems.append(Problem(f"Bobot komponen area {line['area']} (baris {rows}) berjumlah "
                                    f"{_points(parts['weight'].sum())}, seharusnya sama dengan bobot areanya "
                                    f"({_points(line['weight'])}).", row=index + first_row, column="weight"))


def _points(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def mapping_in_force(store, conn=None) -> LkeMapping:
    """The plan year's table: the newest stored one, else (none, or set back to the default) the bundled one."""
    if conn is None:
        with store.reading() as own:
            return mapping_in_force(store, own)
    value = setting(conn, store.ledger_id, SETTING)
    thresholds = bundled_thresholds()
    if value:
        try:
            return LkeMapping(validated(pd.DataFrame(json.loads(value)), thresholds), thresholds, bundled=False)
        except (InputError, ValueError):
            pass  # not written by set_mapping (which validates first): the bundled table stands
    return LkeMapping(bundled_table(), thresholds, bundled=True)


def set_mapping(store, frame: pd.DataFrame | None, by: str, first_row: int = 2) -> LkeMapping:
    """Put `frame` (None: the bundled table) in force for the store's plan year, validated first (InputError,
    nothing written); the caller checks that `by` is an admin. Audited; an unchanged table writes nothing."""
    thresholds = bundled_thresholds()
    table = None if frame is None else validated(frame, thresholds, first_row)
    with store.transaction() as conn:
        current = mapping_in_force(store, conn)
        if (table is None and current.bundled) or (table is not None and not current.bundled
                                                   and current.table.equals(table)):
            return current
        value = "" if table is None else json.dumps(table.to_dict("records"), ensure_ascii=False)
        put_setting(conn, store.ledger_id, SETTING, value, by)
        details = {"pemetaan": "bawaan" if table is None else "disesuaikan",
                   "baris": len(bundled_table() if table is None else table)}
        audit.record_event(conn, by, AUDIT_ACTION, details, **store.scope)
    return LkeMapping(bundled_table() if table is None else table, thresholds, bundled=table is None)


def table_csv(table: pd.DataFrame) -> str:
    """The table as the CSV that read_table_csv reads (weights written with a decimal point), formula-safe: text
    a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is written with a leading apostrophe, as in
    every workbook the project writes; read_table_csv removes it again."""
    text = table[COLUMNS].drop(columns="weight")
    return formula_safe_frame(text).assign(weight=table["weight"].map(lambda weight: f"{weight:g}")).to_csv(
        index=False)
