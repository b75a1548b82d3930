"""The lembar monev's letterhead (kop surat) and signatures, kept per office and plan year.

The office's address and the names and NIPs of the two signers (the Ketua KPU who chairs the meeting and
signs "Mengetahui", and the Ketua Tim Kerja ZI) are one row of ledger_settings named SETTING (JSON; the newest
row is in force). The logo is a row of lembar_logos (schema revision 0008): a PNG or JPEG an admin uploads,
checked like an evidence file (files.file_types.sniff) and decoded once, at most MAX_LOGO_BYTES. Every change
is audited; nothing is rewritten. Callers check that the one who changes them is an admin.
"""

import base64
import io
import json
import re

import sqlalchemy as sa

from ..base.cell_safety import clean_text
from ..base.clock import utc_now
from ..base.paths import sha256_of
from ..base.problems import InputError, Problem, RefusedValue, shown
from ..files.file_types import size_text, sniff
from ..store import audit
from ..store.ledger_settings import put_setting, setting

SETTING = "lembar_monev"
FIELDS = {"alamat": ("Alamat kantor", 300), "ketua_nama": ("Nama Ketua KPU", 200), "ketua_nip": ("NIP Ketua KPU", 18),
          "tim_nama": ("Nama Ketua Tim Kerja ZI", 200), "tim_nip": ("NIP Ketua Tim Kerja ZI", 18)}
NIP = re.compile(r"^\d{18}$")
LOGO_KINDS = ("png", "jpeg")
MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_PIXELS = 4000 * 4000


class LetterheadError(RefusedValue):
    """A letterhead or signature value refused; the message is Indonesian and names the field."""


def letterhead(store) -> dict:
    """The fields in force ('' for each never set) and `logo`: {"kind", "file_name", "base64"} or None (plain JSON
    values, as the rest of monev.report_data's dict; logo_bytes gives the image)."""
    with store.reading() as conn:
        stored = setting(conn, store.ledger_id, SETTING)
        logo = conn.execute(sa.text(
            "SELECT kind, content, file_name FROM lembar_logos WHERE ledger_id = :ledger ORDER BY logo_id DESC "
            "LIMIT 1"), {"ledger": store.ledger_id}).first()
    values = json.loads(stored) if stored else {}
    fields = {key: str(values.get(key) or "") for key in FIELDS}
    fields["logo"] = None if logo is None else {"kind": logo.kind, "file_name": logo.file_name,
                                                "base64": base64.b64encode(bytes(logo.content)).decode("ascii")}
    return fields


def logo_bytes(fields: dict | None) -> bytes | None:
    """The logo image of `letterhead(...)`'s dict, None when there is none."""
    logo = (fields or {}).get("logo")
    return base64.b64decode(logo["base64"]) if logo else None


def checked_fields(values: dict) -> dict:
    """`values` of FIELDS cleaned; a NIP, when given, is 18 digits (spaces allowed between them)."""
    fields = {}
    for key, (label, limit) in FIELDS.items():
        text = clean_text(str(values.get(key) or ""))
        if key.endswith("_nip"):
            text = "".join(text.split())
            if text and not NIP.match(text):
                raise LetterheadError(f"{label} harus 18 angka (NIP pegawai negeri), bukan {shown(text)!r}.")
        elif len(text) > limit:
            raise LetterheadError(f"{label} paling panjang {limit} karakter.")
        fields[key] = text
    return fields


def set_fields(store, values: dict, by: str) -> bool:
    """Put the address and the signers' names and NIPs in force for the plan year; audited. False when unchanged."""
    fields = checked_fields(values)
    with store.transaction() as conn:
        stored = setting(conn, store.ledger_id, SETTING)
        if stored and json.loads(stored) == fields:
            return False
        put_setting(conn, store.ledger_id, SETTING, json.dumps(fields, ensure_ascii=False, sort_keys=True), by)
        audit.record_event(conn, by, "kop_lembar_monev_diubah", fields, **store.scope)
    return True


def checked_logo(data: bytes, file_name: str) -> str:
    """The kind ('png' or 'jpeg') of a logo file; InputError (Indonesian) for anything else, too large, or an image
    that cannot be decoded."""
    name = shown(file_name)
    if len(data or b"") > MAX_LOGO_BYTES:
        raise InputError([Problem(f"Logo '{name}' terlalu besar ({size_text(len(data))}).",
                                  fix=f"Batas ukuran logo adalah {size_text(MAX_LOGO_BYTES)}; perkecil gambarnya.")])
    kind = sniff(data, file_name)
    if kind not in LOGO_KINDS:
        raise InputError([Problem(f"Logo '{name}' tidak diterima: bukan gambar PNG atau JPEG.",
                                  fix="Unggah logo kantor sebagai berkas PNG atau JPG.")])
    _decode(data, name)
    return kind


def _decode(data: bytes, name: str) -> None:
    from PIL import Image  # fpdf2's image library: what it cannot decode would fail the lembar later

    unreadable = InputError([Problem(f"Logo '{name}' tidak dapat dibaca sebagai gambar.",
                                     fix="Simpan ulang logonya sebagai PNG atau JPG, lalu unggah kembali.")])
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_LOGO_PIXELS:
                raise InputError([Problem(f"Logo '{name}' terlalu besar ({image.width}×{image.height} piksel).",
                                          fix="Perkecil logonya menjadi paling besar 4000×4000 piksel.")])
            image.load()
    except InputError:
        raise
    except Exception:  # Pillow reports a damaged image in many exception types
        raise unreadable from None


def set_logo(store, data: bytes, file_name: str, by: str) -> str:
    """Put the logo in force for the plan year's letterhead; audited. Returns its kind."""
    kind = checked_logo(data, file_name)
    digest, name = sha256_of(data), clean_text(str(file_name or ""))[:200] or "logo"
    with store.transaction() as conn:
        conn.execute(sa.text(
            "INSERT INTO lembar_logos (ledger_id, kind, file_name, sha256, content, set_by, set_at) VALUES "
            "(:ledger, :kind, :name, :sha256, :content, :by, :at)"),
            {"ledger": store.ledger_id, "kind": kind, "name": name, "sha256": digest, "content": data, "by": by,
             "at": utc_now()})
        audit.record_event(conn, by, "logo_lembar_monev_diubah", {"berkas": name, "sha256": digest}, **store.scope)
    return kind


def revision(store) -> tuple[int, int]:
    """Changes with every letterhead setting and logo of the plan year (for page caches)."""
    with store.reading() as conn:
        return tuple(int(value) for value in conn.execute(sa.text(
            "SELECT (SELECT COALESCE(MAX(setting_id), 0) FROM ledger_settings WHERE ledger_id = :ledger "
            "AND name = :name), (SELECT COALESCE(MAX(logo_id), 0) FROM lembar_logos WHERE ledger_id = :ledger)"),
            {"ledger": store.ledger_id, "name": SETTING}).one())
