"""Plan years: a new year starts from its own plan workbook, previewed first, and nothing ever crosses from one
year or one office into another (on SQLite and PostgreSQL)."""

from datetime import date

import pandas as pd
import pytest

from helpers import ROOT, plan_workbook, run_cli
from realisasi_helpers import fill
from zi_data.store import ledgers
from zi_data.store.audit import audit_events
from zi_data.plan.plan import read_plan
from zi_data.store.plan_years import draft_next_year, preview_new_year, start_year
from zi_data.base.problems import InputError, Refusal
from zi_data.store.progress_store import ProgressStore
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_import import apply_preview, preview_upload

@pytest.fixture
def store(store_on_each_backend):
    return store_on_each_backend


def started(store, year=2026, office=None, **named) -> ProgressStore:
    """The plan year `year` started from the bundled plan (named as `named` says: office_name=…)."""
    preview = preview_new_year(store, plan_workbook(year, **named), f"rencana_{year}.xlsx", office)
    assert preview.ok, preview.errors
    return start_year(store, preview, "Admin")


def report(store, item_id="I-1-1", month=1, status="Selesai", by="Rina") -> int:
    with store.transaction() as conn:
        upload_id = store.record_upload(conn, "a.xlsx", "0" * 64, "", by, "realisasi", {"new": 1}, store.revision())
        store.append_entries(conn, pd.DataFrame([{"item_id": item_id, "month": month, "status": status,
                                                  "bukti_dukung": "sk.pdf"}]), upload_id)
    return upload_id


def test_a_new_year_starts_from_its_workbook_and_leaves_the_old_year_as_it_was(store):
    report(store)
    before = (store.entries(), store.uploads(), store.plan_versions(), audit_events(store))
    preview = preview_new_year(store, plan_workbook(2026), "rencana_2026.xlsx")
    assert preview.ok and (preview.office, preview.year) == ("6203", 2026)
    assert preview.summary()["Langkah aksi"] == len(store.plan())
    new = start_year(store, preview, "Admin")
    assert (new.office, new.year, new.plan_version()) == ("6203", 2026, 1)
    assert new.entries().empty and new.uploads().empty and new.revision() == 0
    assert audit_events(new)["action"].tolist() == ["rencana_tahun_baru"]
    assert new.archive_path(f"{new.ledger_id}/{preview.file.sha256}.xlsx").read_bytes() == preview.file.data
    again = store.with_ledger(year=2025)
    for frame, was in zip((again.entries(), again.uploads(), again.plan_versions(), audit_events(again)), before):
        pd.testing.assert_frame_equal(frame, was)


def test_the_default_year_is_this_calendar_year_s_plan_else_the_latest(store):
    started(store, 2026)
    started(store, 2027)
    with store.reading() as conn:
        assert ledgers.find_ledger(conn, None, None, today=date(2026, 5, 1))[2] == 2026
        assert ledgers.find_ledger(conn, None, None, today=date(2030, 5, 1))[2] == 2027
        assert ledgers.find_ledger(conn, None, 2025)[2] == 2025
        with pytest.raises(ledgers.LedgerNotFound, match="tahun 2024"):
            ledgers.find_ledger(conn, None, 2024)


def test_a_visitor_lands_on_the_latest_year_with_progress_until_the_new_year_has_some(store):
    new_year = started(store, 2026)
    with store.reading() as conn:
        assert ledgers.ledgers_with_progress(conn) == set()
    report(store)  # 2025 has progress, 2026 none yet
    with store.reading() as conn:
        assert ledgers.ledgers_with_progress(conn) == {store.ledger_id}
    assert ledgers.default_year([2025, 2026], 2026, with_progress={2025}) == 2025
    report(new_year)
    with store.reading() as conn:
        assert ledgers.ledgers_with_progress(conn) == {store.ledger_id, new_year.ledger_id}
    assert ledgers.default_year([2025, 2026], 2026, with_progress={2025, 2026}) == 2026


@pytest.mark.parametrize(("years", "this_year", "with_progress", "landed"), [
    ([2025, 2026], 2026, (), 2026),              # no year has progress: this year's plan
    ([2025, 2026], 2030, (), 2026),              # no plan for this year: the latest
    ([2025, 2026, 2027], 2026, {2025}, 2025),    # this year's plan is empty: the latest year with progress
    ([2025, 2026, 2027], 2026, {2025, 2027}, 2027),
    ([2025, 2026], 2026, {2026}, 2026),
    ([2025], 2026, {2024}, 2025),                # a year not in the list does not count
])
def test_the_default_year(years, this_year, with_progress, landed):
    assert ledgers.default_year(years, this_year, with_progress) == landed


@pytest.mark.parametrize(("year", "office", "message"), [
    (2025, None, "sudah ada"),
    (2031, "6299", "belum terdaftar"),
])
def test_a_year_that_exists_or_an_unknown_office_is_refused_and_nothing_is_saved(store, year, office, message):
    preview = preview_new_year(store, plan_workbook(year), "rencana.xlsx", office)
    assert not preview.ok and message in str(preview.errors[0])
    with pytest.raises(InputError):
        start_year(store, preview, "Admin")
    with store.reading() as conn:
        assert len(ledgers.ledger_frame(conn)) == 1


def test_a_draft_is_the_plan_in_force_for_the_year_after_and_starts_that_year_unchanged(store):
    report(store)
    year, data = draft_next_year(store)
    preview = preview_new_year(store, data, "rancangan.xlsx")
    assert preview.ok and (preview.office, preview.year, year) == ("6203", 2026, 2026) and not preview.warnings
    new = start_year(store, preview, "Admin")
    assert new.plan()["id"].tolist() == store.plan()["id"].tolist() and new.entries().empty


@pytest.mark.parametrize(("year", "message"), [
    (2025, "hanya dapat dibuat untuk tahun 2026–2100, bukan 2025"),
    (2024, "bukan 2024"),
    (2101, "bukan 2101"),
    (2026, "Rencana aksi tahun 2026 untuk KPU Kabupaten Kapuas sudah ada"),
])
def test_a_draft_for_a_year_not_after_or_one_the_office_has_is_refused(store, year, message):
    started(store, 2026)
    with pytest.raises(Refusal, match=message):
        draft_next_year(store, year)


def test_the_year_named_must_match_the_workbook_s(store):
    preview = preview_new_year(store, plan_workbook(2026), "rencana.xlsx", year=2027)
    assert [str(problem) for problem in preview.errors] == ["Berkas adalah rencana aksi tahun 2026, bukan 2027."]


def test_a_bad_workbook_gets_the_plan_reader_s_own_messages(store):
    data = b"PK\x03\x04 bukan buku kerja"
    with pytest.raises(InputError) as read:
        read_plan(data, "rusak.xlsx")
    preview = preview_new_year(store, data, "rusak.xlsx")
    assert [str(p) for p in preview.errors] == [str(p) for p in read.value.problems]


def test_nothing_crosses_between_years(store):
    first = report(store, "I-1-1", 1)
    new = started(store, 2026)
    report(new, "I-1-1", 2, "Sebagian", by="Budi")
    assert store.latest()[["item_id", "month", "status"]].values.tolist() == [["I-1-1", 1, "Selesai"]]
    assert new.latest()[["item_id", "month", "status"]].values.tolist() == [["I-1-1", 2, "Sebagian"]]
    with pytest.raises(Refusal, match="tidak ditemukan"):
        new.undo_upload(first, "Admin")
    assert set(audit_events(store)["action"]).isdisjoint({"rencana_tahun_baru"})
    old_workbook = fill(export_workbook(store, team="Tim Agen Perubahan", through_month=3),
                        {("I-1-1", 1): {"status": "Sebagian", "bukti": "draf.pdf"}})
    preview = preview_upload(new, old_workbook, "realisasi_2025.xlsx")
    assert [problem.message for problem in preview.errors] == [
        "Berkas ini untuk rencana aksi tahun 2025, sedangkan yang sedang dibuka tahun 2026; pilih tahun itu di "
        "panel samping, atau unduh buku kerja tahun 2026."]
    assert len(new.entries()) == 1 and len(store.entries()) == 1


def test_nothing_crosses_between_offices(store):
    other = started(store, 2025, office_name="KPU Kabupaten Kotawaringin Barat")
    assert (other.office, other.year) == ("6201", 2025)
    report(store, "I-1-1", 1)
    report(other, "I-2-1", 4, "Belum", by="Sari")
    assert store.latest()["item_id"].tolist() == ["I-1-1"] and other.latest()["item_id"].tolist() == ["I-2-1"]
    assert other.accounts.list().empty
    store.accounts.add("rina", "editor", "Tim Agen Perubahan", "kata-sandi-rahasia", "uji")
    assert store.accounts.list()["name"].tolist() == ["rina"] and other.accounts.list().empty
    user = other.accounts.authenticate("rina", "kata-sandi-rahasia")  # one sign-in for the whole server
    assert user.office == "6203" and user.may_write_in("6203") and not user.may_write_in("6201")
    kapuas_workbook = export_workbook(store, team="Tim Agen Perubahan", through_month=3)
    preview = preview_upload(other, fill(kapuas_workbook, {("I-1-1", 1): {"status": "Sebagian", "bukti": "x"}}),
                             "kapuas.xlsx")
    assert [problem.message for problem in preview.errors] == [
        "Berkas ini untuk kantor 6203, bukan kantor 6201 yang sedang dibuka; tidak ada yang disimpan."]
    with pytest.raises(InputError):
        apply_preview(other, preview, by="Sari")
    assert other.latest()["item_id"].tolist() == ["I-2-1"]
    assert {event for event in audit_events(other)["action"]} == {"rencana_tahun_baru"}


def test_plan_years_on_the_command_line(tmp_path, backend_for_every_process, monkeypatch):
    monkeypatch.setenv("ZI_USER", "Sekretariat")  # who started the year, without --by or --user
    workbook = tmp_path / "rencana_2026.xlsx"
    workbook.write_bytes(plan_workbook(2026))
    data = ["--data-dir", str(tmp_path / "data")]
    previewed = run_cli("plan", "add", str(workbook), *data, check_returncode=0)
    assert "Tahun: 2026" in previewed.stdout and "hanya pratinjau" in previewed.stdout
    assert run_cli("plan", "list", *data).stdout.splitlines() == ["6203\t2025\tKPU Kabupaten Kapuas"]
    added = run_cli("plan", "add", str(workbook), "--yes", *data, check_returncode=0)
    assert "Rencana aksi tahun 2026 untuk KPU Kabupaten Kapuas dimulai" in added.stdout
    assert run_cli("plan", "list", *data).stdout.splitlines()[-1] == "6203\t2026\tKPU Kabupaten Kapuas"
    started_by = audit_events(ProgressStore(tmp_path / "data", year=2026)).query("action == 'rencana_tahun_baru'")
    assert started_by["actor"].tolist() == ["Sekretariat"]
    refused = run_cli("plan", "add", str(workbook), "--yes", *data)
    assert refused.returncode == 1 and "sudah ada" in refused.stderr
    statuses = {year: run_cli("status", "--json", "--year", year, *data, check_returncode=0).stdout
                for year in ("2025", "2026")}
    assert '"year": 2025' in statuses["2025"] and '"year": 2026' in statuses["2026"]
    exported = tmp_path / "out.xlsx"
    run_cli("export", "--year", "2025", "--office", "6203", "-o", str(exported), *data, check_returncode=0)
    missing = run_cli("status", "--year", "1999", *data)
    assert missing.returncode == 2 and "Belum ada rencana aksi tahun 1999" in missing.stderr


def test_a_workbook_that_names_no_office_goes_only_to_the_home_office(store):
    other = started(store, 2025, office_name="KPU Kabupaten Kotawaringin Barat")
    example = (ROOT / "data" / "contoh_realisasi_2025.xlsx").read_bytes()  # made before offices had codes
    refused = preview_upload(other, example, "contoh_realisasi_2025.xlsx")
    assert [problem.message for problem in refused.errors] == [
        "Berkas ini tidak menyebut kantornya (buku kerja versi lama atau contoh), jadi hanya dapat diunggah ke "
        "kantor pertama di sini, bukan ke kantor 6201. Unduh buku kerja kantor ini lalu isi kembali."]
    assert preview_upload(store, example, "contoh_realisasi_2025.xlsx").ok
