"""The offices that keep ledgers, and their hierarchy: KPU RI, then provinsi, then kabupaten/kota.

An office is named by its Kemendagri regional code (*kode wilayah*): `62` Kalimantan Tengah, `6203`
Kabupaten Kapuas; KPU RI, which has no region, is `00`. A code is ASCII digits, optionally grouped
by dots as Kemendagri writes it (`62.03`); the dots are dropped, so `62.03` and `6203` are one office,
stored as `6203`. Leading zeros are kept (`00`); a code has at most MAX_CODE_DIGITS digits.

Offices are reference data, not history: importing a list again updates a changed name or parent in
place. An office's parent must be known (in the same list or already stored) and a parent may never
make the hierarchy loop. Several offices may have no parent; each is the top of its own tree.

In a DataFrame the offices are the columns code, name, parent; `parent` is "" for a top office (NULL
in the database). A list may also have the optional column `zona_waktu` (WIB, WITA or WIT; empty: the
province's zone, see clock.py), then the frame has a column `zone` and storing it sets each office's override.
"""

import csv
import io
import re

import pandas as pd
import sqlalchemy

from ..base.cell_safety import clean_text
from ..base.clock import checked_zone
from ..base.problems import Refusal, shown

OFFICE_COLUMNS = ["code", "name", "parent"]
CSV_HEADERS = {"kode": "code", "nama": "name", "induk": "parent", "zona_waktu": "zone"}  # header -> field
OPTIONAL_FIELDS = ("zone",)
MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_CSV_ROWS = 10_000
MAX_CODE_DIGITS = 20
MAX_NAME_CHARS = 200
SHOWN_PROBLEMS = 20
LEVELS = ("nasional", "provinsi", "kabupaten/kota")  # by depth: top office, its children, deeper
_CODE = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_FORMAT_HINT = "tulis angka saja, boleh dikelompokkan dengan titik (misalnya 6203 atau 62.03)"


class OfficeError(Refusal, ValueError):
    """An office change that cannot be made, explained in Indonesian."""


class OfficeCsvError(OfficeError):
    """An office CSV that cannot be read; `problems` holds every problem found, each with its location."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        lines = self.problems[:SHOWN_PROBLEMS]
        if len(self.problems) > SHOWN_PROBLEMS:
            lines.append(f"… dan {len(self.problems) - SHOWN_PROBLEMS} masalah lain.")
        super().__init__("\n".join(lines))


def checked_office(code: str, name: str, parent: str) -> tuple[tuple[str, str, str], list[tuple[str, str]]]:
    """One office as typed: ((code, name, parent) normalised, [(field, Indonesian problem), ...])."""
    problems = []
    code, problem = _checked_code(code, "kode")
    if problem:
        problems.append(("code", problem))
    name = clean_text(name)
    if not name:
        problems.append(("name", "nama kosong."))
    elif len(name) > MAX_NAME_CHARS:
        problems.append(("name", f"nama terlalu panjang ({len(name)} karakter; paling banyak {MAX_NAME_CHARS})."))
    elif "\n" in name or "\t" in name:
        problems.append(("name", f"nama '{shown(name)}' harus satu baris, tanpa tab."))
    parent, problem = _checked_code(parent, "induk")
    if problem and parent:
        problems.append(("parent", problem))
    return (code, name, parent), problems


def _checked_code(text: str, label: str) -> tuple[str, str | None]:
    text = clean_text(text)
    if not text:
        return "", f"{label} kosong."
    if not _CODE.fullmatch(text):
        return text, f"{label} '{shown(text)}' tidak sah: {_FORMAT_HINT}."
    code = text.replace(".", "")
    if len(code) > MAX_CODE_DIGITS:
        return code, f"{label} '{shown(text)}' terlalu panjang (lebih dari {MAX_CODE_DIGITS} angka)."
    return code, None


def read_offices_csv(data: bytes, name: str, existing: pd.DataFrame | None = None) -> pd.DataFrame:
    """The offices in a CSV file `kode,nama,induk` (see the module docstring), checked against `existing`.

    UTF-8 with or without BOM; comma or semicolon separated (whichever the header line uses more);
    headers in any letter case, other columns ignored; every cell stripped. Rows are counted as a
    spreadsheet shows them (the header is row 1, blank rows count and are skipped). Raises
    OfficeCsvError naming the file, row and column of every problem.
    """
    label = f"Berkas '{shown(name)}'"
    records = _records(data, label)
    fields = _header_fields(records[0], label)
    offices, rows, problems, zones = [], [], [], []
    for row, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {field: record[index] if index < len(record) else "" for field, index in fields.items()}
        office, found = checked_office(cells["code"], cells["name"], cells["parent"])
        zone, problem = checked_zone(cells.get("zone"))
        found += [("zone", problem)] if problem else []
        problems += [_located(label, row, fields[field], message) for field, message in found]
        offices.append(office)
        zones.append(zone)
        rows.append(row)
    frame = pd.DataFrame(offices, columns=OFFICE_COLUMNS).astype(str)
    if "zone" in fields:
        frame["zone"] = zones
    if not problems:
        problems += _duplicates(frame, rows, label, fields)
    if not problems:
        found = _hierarchy_problems(frame, existing)
        problems += [_located(label, rows[position], fields[field], message) for position, field, message in found]
    if problems:
        raise OfficeCsvError(problems)
    return frame


def _records(data: bytes, label: str) -> list[list[str]]:
    if len(data) > MAX_CSV_BYTES:
        raise OfficeCsvError([f"{label} lebih besar dari {MAX_CSV_BYTES // (1024 * 1024)} MB."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise OfficeCsvError([f"{label} bukan teks UTF-8 (byte tidak sah di posisi {error.start + 1}). "
                              "Simpan ulang sebagai CSV UTF-8."]) from None
    first_line = re.split(r"[\r\n]", text, maxsplit=1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    try:
        for record in reader:
            if len(records) > MAX_CSV_ROWS:
                raise OfficeCsvError([f"{label} berisi lebih dari {MAX_CSV_ROWS:,} baris data.".replace(",", ".")])
            records.append(record)
    except csv.Error:
        raise OfficeCsvError([f"{label}, baris {len(records) + 1}: bukan CSV yang sah (tanda kutip tidak "
                              "tertutup atau sel terlalu panjang)."]) from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise OfficeCsvError([f"{label} kosong atau baris 1 kosong: baris 1 harus berisi judul kolom "
                              "kode,nama,induk."])
    return records


def _header_fields(header: list[str], label: str) -> dict[str, int]:
    """field -> column index, from the header row."""
    fields, problems = {}, []
    for index, cell in enumerate(header):
        field = CSV_HEADERS.get(clean_text(cell).casefold())
        if field in fields:
            problems.append(_located(label, 1, index, f"judul kolom '{shown(clean_text(cell))}' muncul dua kali."))
        elif field:
            fields[field] = index
    missing = [header for header, field in CSV_HEADERS.items() if field not in fields and field not in OPTIONAL_FIELDS]
    if missing:
        problems.append(f"{label}, baris 1: kolom {', '.join(missing)} tidak ada. Baris 1 harus berisi judul "
                        "kolom kode,nama,induk, dipisah koma atau titik koma.")
    if problems:
        raise OfficeCsvError(problems)
    return fields


def _located(label: str, row: int, column: int, message: str) -> str:
    return f"{label}, baris {row}, kolom {_column_letter(column)}: {message}"


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _duplicates(frame: pd.DataFrame, rows: list[int], label: str, fields: dict[str, int]) -> list[str]:
    first_row, problems = {}, []
    for position, code in enumerate(frame["code"]):
        if code in first_row:
            problems.append(_located(label, rows[position], fields["code"],
                                     f"kode {code} sudah dipakai di baris {first_row[code]}."))
        else:
            first_row[code] = rows[position]
    return problems


def _hierarchy_problems(frame: pd.DataFrame, existing: pd.DataFrame | None) -> list[tuple[int, str, str]]:
    """[(position in frame, field, Indonesian problem)]: parents unknown in `frame` and `existing`, loops.

    `frame` replaces the rows of `existing` with the same code.
    """
    existing = existing if existing is not None else pd.DataFrame(columns=OFFICE_COLUMNS)
    parents = dict(zip(existing["code"], existing["parent"])) | dict(zip(frame["code"], frame["parent"]))
    problems = []
    for position, parent in enumerate(frame["parent"]):
        if parent and parent not in parents:
            problems.append((position, "parent", f"kantor induk {parent} tidak dikenal: daftarkan dulu kantor "
                                                 "induknya, atau kosongkan induk untuk kantor teratas."))
    positions = {code: position for position, code in enumerate(frame["code"])}
    for cycle in _walk(parents, frame["code"])[1]:
        members = [positions[code] for code in cycle if code in positions]
        if members:
            start = cycle.index(frame["code"].iloc[min(members)])
            loop = cycle[start:] + cycle[:start + 1]
            problems.append((min(members), "parent", f"induk membuat lingkaran: {' → '.join(loop)}."))
    return sorted(problems)


def _walk(parents: dict[str, str], starts) -> tuple[dict[str, int | None], list[list[str]]]:
    """(depth of each office met going up from `starts`, the loops met), in time linear in the offices.

    Depth 0 is an office with no parent (or a parent missing from `parents`); offices in a loop, and
    below one, have depth None. Each loop is listed once, its offices from child to parent.
    """
    depths: dict[str, int | None] = {}
    cycles = []
    for start in starts:
        path, index = [], {}
        code = start
        while code in parents and code not in depths and code not in index:
            index[code] = len(path)
            path.append(code)
            code = parents[code]
        depth = depths.get(code, -1)
        if code in index:
            cycles.append(path[index[code]:])
            depths.update(dict.fromkeys(path[index[code]:]))
            path, depth = path[:index[code]], None
        for member in reversed(path):
            depth = None if depth is None else depth + 1
            depths[member] = depth
    return depths, cycles


def office_levels(offices: pd.DataFrame) -> pd.Series:
    """Each office's level (LEVELS: nasional, provinsi, kabupaten/kota), aligned with `offices`."""
    parents = dict(zip(offices["code"], offices["parent"]))
    depths, cycles = _walk(parents, parents)
    if cycles:
        raise OfficeError(f"Hierarki kantor melingkar: {' → '.join(cycles[0] + cycles[0][:1])}.")
    return offices["code"].map(lambda code: LEVELS[min(depths[code], len(LEVELS) - 1)])


def office_level(code: str, offices: pd.DataFrame) -> str:
    """The level of office `code`: "nasional" at the top, "provinsi" below it, "kabupaten/kota" deeper."""
    parents = dict(zip(offices["code"], offices["parent"]))
    if code not in parents:
        raise OfficeError(f"Kantor dengan kode {shown(code)} tidak terdaftar.")
    depths, cycles = _walk(parents, [code])
    if cycles:
        raise OfficeError(f"Hierarki kantor melingkar: {' → '.join(cycles[0] + cycles[0][:1])}.")
    return LEVELS[min(depths[code], len(LEVELS) - 1)]


# The database: table `offices` (code, name, parent, created_at) of revision 0001, zona_waktu of revision 0005.

def office_frame(conn: sqlalchemy.Connection) -> pd.DataFrame:
    """Every stored office (code, name, parent; parent "" for a top office), ordered by code."""
    rows = conn.execute(sqlalchemy.text("SELECT code, name, parent FROM offices")).all()
    frame = pd.DataFrame([(code, name, parent or "") for code, name, parent in rows], columns=OFFICE_COLUMNS)
    return frame.astype(str).sort_values("code", ignore_index=True)


def add_offices(conn: sqlalchemy.Connection, frame: pd.DataFrame, at: str) -> dict[str, int]:
    """Store `frame` (as read_offices_csv returns it): new codes added, changed names or parents updated.

    With a column `zone`, each office's zone override is set too ("" clears it); without, it is kept.
    Returns the counts {"added", "changed", "unchanged"}. Refuses (OfficeError, nothing written) a
    duplicate code, an unknown parent or a parent that would make the hierarchy loop.
    """
    duplicated = sorted(set(frame["code"][frame["code"].duplicated()]))
    if duplicated:
        raise OfficeError(f"Kode kantor ganda: {', '.join(duplicated)}.")
    existing = office_frame(conn)
    problems = _hierarchy_problems(frame, existing)
    if problems:
        raise OfficeError("\n".join(f"Kantor {frame['code'].iloc[position]}: {message}"
                                    for position, _field, message in problems))
    zones = dict(conn.execute(sqlalchemy.text("SELECT code, zona_waktu FROM offices")).all())
    stored = {code: (name, parent, zones.get(code)) for code, name, parent in existing.itertuples(index=False)}
    given = frame["zone"] if "zone" in frame.columns else [None] * len(frame)
    offices = [{"code": code, "name": name, "parent": parent or None, "at": at,
                "zone": (zone or None) if "zone" in frame.columns else zones.get(code)}
               for (code, name, parent), zone in zip(frame[OFFICE_COLUMNS].itertuples(index=False), given)]
    added = [office for office in offices if office["code"] not in stored]
    changed = [office for office in offices if office["code"] in stored
               and stored[office["code"]] != (office["name"], office["parent"] or "", office["zone"])]
    if added:
        depths = _walk(dict(zip(frame["code"], frame["parent"])), frame["code"])[0]
        added.sort(key=lambda office: depths[office["code"]])  # parents before their children
        conn.execute(sqlalchemy.text("INSERT INTO offices (code, name, parent, created_at, zona_waktu) "
                                     "VALUES (:code, :name, :parent, :at, :zone)"), added)
    if changed:
        conn.execute(sqlalchemy.text("UPDATE offices SET name = :name, parent = :parent, zona_waktu = :zone "
                                     "WHERE code = :code"), changed)
    return {"added": len(added), "changed": len(changed), "unchanged": len(offices) - len(added) - len(changed)}


def office_subtree(conn: sqlalchemy.Connection, code: str) -> list[str]:
    """The office `code` and every office below it, ordered by code."""
    rows = conn.execute(sqlalchemy.text(
        "WITH RECURSIVE subtree(code) AS ("
        " SELECT code FROM offices WHERE code = :code"
        " UNION SELECT offices.code FROM offices JOIN subtree ON offices.parent = subtree.code)"
        " SELECT code FROM subtree"), {"code": code}).scalars().all()
    if not rows:
        raise OfficeError(f"Kantor dengan kode {shown(code)} tidak terdaftar.")
    return sorted(rows)


def office_ancestors(conn: sqlalchemy.Connection, code: str) -> list[str]:
    """The offices above `code`, its parent first and the top office last ([] for a top office)."""
    rows = conn.execute(sqlalchemy.text(
        "WITH RECURSIVE chain(code, parent) AS ("
        " SELECT code, parent FROM offices WHERE code = :code"
        " UNION SELECT offices.code, offices.parent FROM offices JOIN chain ON offices.code = chain.parent)"
        " SELECT code, parent FROM chain"), {"code": code}).all()
    parents = dict(rows)
    if code not in parents:
        raise OfficeError(f"Kantor dengan kode {shown(code)} tidak terdaftar.")
    ancestors = []
    while parents.get(code) and parents[code] not in ancestors:
        code = parents[code]
        ancestors.append(code)
    return ancestors
