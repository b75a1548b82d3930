"""Bidirectional controls never reach a printed text raw (issue 21, text edges): the `evidence add`
confirmation, the `import --bukti` preview and the reminders spell them out as [U+202E], as messages quoting a
value do (problems.shown)."""

import itertools
from datetime import date

import pandas as pd
from hypothesis import HealthCheck, given, settings, strategies as st

from evidence_samples import pdf_bytes, zipped
from helpers import examples, run_cli
from realisasi_helpers import OWN_ROWS, fill
from zi_data.monev import reminders
from zi_data.base.problems import spelled
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.plan.status import OVERDUE_COLUMNS

BIDI = [chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)]
EXAMPLES = settings(max_examples=examples(8), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_COUNTER = itertools.count()


def with_bidi():
    """Text with at least one bidirectional control in it (a file name: no slash, no NUL)."""
    plain = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\"), max_size=12)
    return st.tuples(plain, st.lists(st.sampled_from(BIDI), min_size=1, max_size=3), plain).map(
        lambda parts: parts[0] + "".join(parts[1]) + parts[2])


def assert_no_bidi(*texts: str) -> None:
    raw = [f"U+{ord(ch):04X}" for text in texts for ch in text if ch in BIDI]
    assert raw == [], f"bidirectional controls printed raw: {raw}"


def test_spelled_names_each_control_and_keeps_line_breaks():
    assert spelled("SK\u202efdp.exe\nbaris 2") == "SK[U+202E]fdp.exe\nbaris 2"


@EXAMPLES
@given(text=with_bidi())
def test_the_evidence_add_confirmation_spells_bidi_controls(text, seeded_data_dir, tmp_path_factory, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(seeded_data_dir))
    path = tmp_path_factory.mktemp("bukti") / f"{text.strip('.') or 'x'}.pdf"
    path.write_bytes(pdf_bytes(f"Bukti {next(_COUNTER)}"))  # new content each time: the confirmation names the file
    added = run_cli("evidence", "add", "I-1-1", "1", path, "--by", "Rina", check_returncode=0)
    assert "dilampirkan pada I-1-1" in added.stdout and "[U+" in added.stdout
    assert_no_bidi(added.stdout, added.stderr)
    unknown = run_cli("evidence", "add", f"I-1-1{text}", "1", path, check_returncode=2)
    assert_no_bidi(unknown.stdout, unknown.stderr)


@EXAMPLES
@given(text=with_bidi())
def test_the_import_bukti_preview_spells_bidi_controls(text, store, tmp_path_factory):
    name = f"SK{text.strip('.')}.pdf".replace(";", "")  # ";" separates names in a Bukti Dukung cell
    rows = {**OWN_ROWS, ("V-1-2", 1): {"status": "Selesai", "bukti": name}}
    folder = tmp_path_factory.mktemp("impor")
    book, archive = folder / "realisasi.xlsx", folder / "bukti.zip"
    book.write_bytes(fill(export_workbook(store, None, 1), rows))
    archive.write_bytes(zipped({name: pdf_bytes()}))
    shown = run_cli("import", book, "--bukti", archive, data_dir=store.data_dir)
    assert "Bukti: baris" in shown.stdout or shown.returncode != 0, shown
    assert_no_bidi(shown.stdout, shown.stderr)


@settings(max_examples=examples(60), deadline=None)
@given(team=with_bidi(), text=with_bidi())
def test_reminders_spell_bidi_controls_in_every_text(team, text):
    overdue = pd.DataFrame([{**dict.fromkeys(OVERDUE_COLUMNS, ""), "id": f"I-1-1{text}", "langkah_aksi": text,
                             "bukti_fisik": text, "month": 1, "month_name": "Januari", "days_overdue": 3}],
                           columns=OVERDUE_COLUMNS)
    follow_ups = pd.DataFrame([{"action": text, "item_id": text, "due_on": date(2025, 2, 1), "overdue": True,
                                "days_overdue": 2}])
    standing = reminders.TeamStanding(
        team=team, office_name=text, as_of=date(2025, 1, 31), due=pd.DataFrame({"id": [text], "langkah_aksi": [text]}),
        overdue=overdue, follow_ups=follow_ups, link="https://zi.example.go.id/?tim=x")
    message = reminders.team_reminder(standing)
    assert_no_bidi(message, reminders.reminders_text({team: message}))
    assert "[U+" in message
