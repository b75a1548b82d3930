"""Dates and moments as people read them: in the office's own time zone, in one format.

Stored moments are UTC ISO 8601 text (utc_now, the one clock every writer reads) and stay so (JSON output
too). People see a moment in the office's zone with its label: `7 Desember 2026 22:49 WIB` in text
(moment_text), `07/12/2026 22:49 WIB` in tables (table_moment); a date as `7 Desember 2026` (date_text) or
`07/12/2026` (table_date). XLSX cells hold real dates and times in the office's local time (excel_moment, with
DATE_FORMAT / MOMENT_FORMAT).

An office's zone is its province's, from the first two digits of its Kemendagri code (PROVINCE_ZONES): WIB
(Asia/Jakarta), WITA (Asia/Makassar) or WIT (Asia/Jayapura); KPU RI (`00`) and unknown codes are WIB. The
office list's optional `zona_waktu` column, stored in `offices.zona_waktu`, overrides it.
"""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pandas as pd
import sqlalchemy

from .months import month_name
from .problems import shown

ZONES = {"WIB": ZoneInfo("Asia/Jakarta"), "WITA": ZoneInfo("Asia/Makassar"), "WIT": ZoneInfo("Asia/Jayapura")}
DEFAULT_ZONE = "WIB"
_WIB = ("11", "12", "13", "14", "15", "16", "17", "18", "19", "21",  # Sumatra, Kepulauan Riau
        "31", "32", "33", "34", "35", "36", "61", "62")  # Java, Kalimantan Barat and Tengah
_WITA = ("51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76")  # Bali, Nusa Tenggara, Kalsel,
# Kaltim, Kaltara, Sulawesi
_WIT = ("81", "82", "91", "92", "93", "94", "95", "96", "97")  # Maluku, Maluku Utara, the Papua provinces
PROVINCE_ZONES = {**dict.fromkeys(_WIB, "WIB"), **dict.fromkeys(_WITA, "WITA"), **dict.fromkeys(_WIT, "WIT")}
DATE_FORMAT, MOMENT_FORMAT = "dd/mm/yyyy", "dd/mm/yyyy hh:mm"  # XLSX number formats


def utc_now(timespec: str = "microseconds") -> str:
    """This moment in UTC as stored: ISO 8601 text (`timespec` as datetime.isoformat takes it)."""
    return datetime.now(timezone.utc).isoformat(timespec=timespec)


def province_zone(code: str) -> str:
    """The zone label of the province of office `code` (its first two digits); WIB for KPU RI and unknown codes."""
    return PROVINCE_ZONES.get(str(code or "")[:2], DEFAULT_ZONE)


def checked_zone(text) -> tuple[str, str | None]:
    """A typed zone ('wita', ' WIT ') as its label, '' for none, and an Indonesian problem if it is none of them."""
    label = str(text or "").strip().upper()
    if label and label not in ZONES:
        return label, f"zona waktu '{shown(label)}' tidak dikenal: tulis WIB, WITA atau WIT (kosong: menurut provinsi)."
    return label, None


def office_zone(conn: sqlalchemy.Connection, code: str) -> str:
    """The zone label of office `code`: its stored override, else its province's."""
    stored = conn.execute(sqlalchemy.text("SELECT zona_waktu FROM offices WHERE code = :code"),
                          {"code": str(code)}).scalar()
    return stored if stored in ZONES else province_zone(code)


def office_zones(conn: sqlalchemy.Connection) -> dict[str, str]:
    """The zone label of every stored office, by code."""
    rows = conn.execute(sqlalchemy.text("SELECT code, zona_waktu FROM offices")).all()
    return {code: stored if stored in ZONES else province_zone(code) for code, stored in rows}


def store_zone(store) -> str:
    """The zone label of the office of `store` (a ProgressStore)."""
    with store.reading() as conn:
        return office_zone(conn, store.office)


def current_moment() -> datetime:
    """The aware moment it is now: where `today` and `store_today` read the real clock (a test sets it here)."""
    return datetime.now(timezone.utc)


def utc_moment(now: datetime | None = None) -> datetime:
    """The aware moment `now` (by default current_moment) in UTC: the time accounts and sign-in sessions keep."""
    return (now or current_moment()).astimezone(timezone.utc)


def today(zone: str, now: datetime | None = None) -> date:
    """The date it is now (or at the aware moment `now`) in the office's zone."""
    return (now or current_moment()).astimezone(ZONES[zone]).date()


def store_today(store) -> date:
    """The date it is now in the zone of the office of `store`: what is due or overdue turns over at its midnight."""
    return today(store_zone(store))


def _none(value) -> bool:
    """No moment or date: None, '', NaN, NaT."""
    return value is None or (isinstance(value, str) and not value.strip()) or \
        (not isinstance(value, str) and bool(pd.isna(value)))


def _utc(value) -> datetime | None:
    """A stored moment (ISO text, datetime, Timestamp; naive means UTC) as an aware datetime; None for none."""
    if _none(value):
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def local_moment(utc_value, zone: str) -> datetime | None:
    """The stored moment in zone `zone` (a label of ZONES), aware; None for none."""
    moment = _utc(utc_value)
    return moment.astimezone(ZONES[zone]) if moment else None


def local_date(utc_value, zone: str) -> date | None:
    """The day it was in the office's zone at that stored moment."""
    moment = local_moment(utc_value, zone)
    return moment.date() if moment else None


def moment_text(utc_value, zone: str) -> str:
    """'7 Desember 2026 22:49 WIB'; '' for none."""
    moment = local_moment(utc_value, zone)
    return f"{date_text(moment)} {moment:%H:%M} {zone}" if moment else ""


def table_moment(utc_value, zone: str) -> str:
    """'07/12/2026 22:49 WIB'; '' for none."""
    moment = local_moment(utc_value, zone)
    return f"{moment:%d/%m/%Y %H:%M} {zone}" if moment else ""


def table_moments(utc_values, zone: str) -> pd.Series:
    """table_moment of each value of a column, keeping its index."""
    values = utc_values if isinstance(utc_values, pd.Series) else pd.Series(list(utc_values), dtype=object)
    return values.map(lambda value: table_moment(value, zone)).astype(object)


def people_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every ISO date in its columns named like '…tanggal' (a workbook's Tanggal Selesai, as stored)
    as table_date writes it; other text in them unchanged."""
    columns = [column for column in frame.columns if str(column).endswith("tanggal")]
    return frame.assign(**{column: frame[column].map(lambda value: table_date(value) or value) for column in columns})


def excel_moment(utc_value, zone: str) -> datetime | None:
    """The stored moment as the office's local wall time (naive, as an XLSX cell holds it); None for none."""
    moment = local_moment(utc_value, zone)
    return moment.replace(tzinfo=None) if moment else None


def _day(value) -> date | None:
    if _none(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def date_text(day) -> str:
    """date(2025, 7, 15) or '2025-07-15…' -> '15 Juli 2025'; '' for no date or text that is none."""
    day = _day(day)
    return f"{day.day} {month_name(day.month)} {day.year}" if day else ""


def table_date(day) -> str:
    """date(2025, 7, 15) or '2025-07-15' -> '15/07/2025'; '' for no date."""
    day = _day(day)
    return f"{day:%d/%m/%Y}" if day else ""
