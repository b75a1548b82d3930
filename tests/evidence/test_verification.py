"""The penilai role, the review lists and the counting rule in every export, on both backends."""

import io
import json

import openpyxl
import pandas as pd
import pytest

from helpers import report, run_cli
from realisasi_helpers import OTHER, OWN, PASSWORD
from zi_data.evidence import evidence
from zi_data.reporting import reports
from zi_data.plan import status
from zi_data.store.accounts import AccountError, Accounts, User
from zi_data.base.clock import table_moment
from zi_data.store.counting_rule import RULES, counting_rule, set_counting_rule
from zi_data.reporting.public_labels import public_label, public_labels
from zi_data.realisasi.realisasi_export import export_workbook
from zi_data.realisasi.realisasi_layout import GUIDE_SHEET, META_SHEET
from zi_data.reporting.review_lists import review_items, review_table
from evidence_samples import pdf_bytes


# --- the penilai role ------------------------------------------------------------------------------------

def test_a_penilai_reviews_their_own_office_and_writes_nothing(store_on_each_backend):
    accounts = Accounts(store_on_each_backend)
    added = accounts.add("tpi.satu", "penilai", "", PASSWORD, "uji")
    user = accounts.authenticate("tpi.satu", PASSWORD)
    assert user == added and user.role == "penilai" and user.office == "6203"
    assert list(accounts.list()["role"]) == ["penilai"]
    assert user.may_review_in("6203") and not user.may_review_in("6201")
    assert not user.may_write_in("6203")
    assert User("koordinator", "admin", office="6203").may_review_in("6203")
    assert not User("koordinator", "admin", office="6203").may_review_in("62")
    assert not User("rina", "editor", OWN, "6203").may_review_in("6203")
    assert not User("pemantau", "viewer", office="6203").may_review_in("6203")
    with pytest.raises(AccountError, match="penilai"):
        accounts.add("x", "ketua", "", PASSWORD, "uji")
    assert public_label("TPI.Satu", public_labels(accounts.list())) == "Penilai"  # a visitor sees the role


def test_user_add_role_penilai_on_the_command_line_and_a_penilai_cannot_import(store_on_each_backend, tmp_path):
    store = store_on_each_backend
    added = run_cli("user", "add", "tpi.satu", "--role", "penilai", "--password-stdin", data_dir=store.data_dir,
                    stdin=PASSWORD + "\n", check_returncode=0)
    assert "tpi.satu (penilai)" in added.stdout
    listed = run_cli("user", "list", "--json", data_dir=store.data_dir, check_returncode=0)
    assert [(row["name"], row["role"]) for row in json.loads(listed.stdout)] == [("tpi.satu", "penilai")]
    path = tmp_path / "isi.xlsx"
    path.write_bytes(export_workbook(store, OWN, 1))
    refused = run_cli("import", path, "--yes", "--user", "tpi.satu", "--password-stdin", data_dir=store.data_dir,
                      stdin=PASSWORD + "\n")
    assert refused.returncode == 1 and "tidak dapat mengubah" in refused.stderr


# --- the review lists ------------------------------------------------------------------------------------

def lists(store, teams: tuple[str, ...] = ()) -> dict[str, pd.DataFrame]:
    plan, latest = store.plan(), store.latest()
    if teams:
        plan = plan[plan["penanggung_jawab"].isin(teams)]
    states = evidence.evidence_states(store, latest)
    return {state: review_items(plan, latest, states, state) for state in ("menunggu", "perlu_perbaikan", "diterima")}


def keys(frame: pd.DataFrame) -> list[tuple[str, int]]:
    return list(zip(frame["id"], frame["month"].astype(int)))


def test_the_queue_is_oldest_first_and_a_sent_back_item_month_carries_the_note(store_on_each_backend):
    store = store_on_each_backend
    report(store, "V-1-2", 1)  # plan order is I-1-1, V-1-1, V-1-2: the queue follows time instead
    report(store, "I-1-1", 1)
    report(store, "V-1-1", 1, bukti_dukung="")
    evidence.attach_file(store, "V-1-1", 1, "sk.pdf", pdf_bytes(), "rina")
    assert keys(lists(store)["menunggu"]) == [("V-1-2", 1), ("I-1-1", 1), ("V-1-1", 1)]

    evidence.review(store, "I-1-1", 1, "perlu_perbaikan", "SK belum ditandatangani ketua", "tpi.satu")
    evidence.review(store, "V-1-2", 1, "diterima", "", "tpi.satu")
    found = lists(store)
    assert keys(found["menunggu"]) == [("V-1-1", 1)]
    assert found["menunggu"].iloc[0]["files"] == 1
    sent_back = found["perlu_perbaikan"]
    assert keys(sent_back) == [("I-1-1", 1)]
    assert sent_back.iloc[0]["review_note"] == "SK belum ditandatangani ketua"
    assert sent_back.iloc[0]["penanggung_jawab"] == OTHER
    assert keys(found["diterima"]) == [("V-1-2", 1)]
    table = review_table(sent_back, "perlu_perbaikan", "WITA")
    assert table.iloc[0]["Catatan Penilai"] == "SK belum ditandatangani ketua" and table.iloc[0]["Bulan"] == "Januari"
    assert table.iloc[0]["Diperiksa Pada"] == table_moment(sent_back.iloc[0]["reviewed_at"], "WITA")

    own_team = lists(store, teams=(OWN,))
    assert own_team["perlu_perbaikan"].empty and keys(own_team["menunggu"]) == [("V-1-1", 1)]

    report(store, "I-1-1", 1, bukti_dukung="SK yang sudah ditandatangani.pdf")  # fixed: back in the queue, last
    assert keys(lists(store)["menunggu"]) == [("V-1-1", 1), ("I-1-1", 1)]
    assert lists(store)["perlu_perbaikan"].empty


# --- the counting rule in every export --------------------------------------------------------------------

def workbook_texts(data: bytes, sheet: str) -> dict:
    """Column A -> column B of a sheet (the metadata and info sheets are key/value lists)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {row[0].value: row[1].value for row in book[sheet].iter_rows() if len(row) > 1}


def exported_rules(store) -> dict[str, str]:
    as_of = status.as_of_date(store.year, month=3)
    classified = status.classify(store.plan(), store.latest(), as_of,
                                 evidence=evidence.evidence_states(store, store.latest()), rule=counting_rule(store))
    realisasi = export_workbook(store, OWN, 3)
    overdue = reports.overdue_workbook_bytes(status.overdue_list(classified), "uji", counting_rule(store))
    summary = json.loads(run_cli("status", "--json", "--as-of", f"{store.year}-03", data_dir=store.data_dir,
                                 check_returncode=0).stdout)
    return {"meta": workbook_texts(realisasi, META_SHEET)["aturan_hitung"],
            "petunjuk": workbook_texts(realisasi, GUIDE_SHEET)["Aturan hitung"],
            "tertunggak": workbook_texts(overdue, "Info")["Aturan hitung"],
            "status": summary["aturan_hitung"], "done": summary["overall"]["as_of"]["done"]}


def test_every_export_names_the_counting_rule_in_force(store_on_each_backend):
    store = store_on_each_backend
    report(store, "V-1-1", 1)
    assert exported_rules(store) == {"meta": "bukti", "petunjuk": RULES["bukti"], "tertunggak": RULES["bukti"],
                                     "status": "bukti", "done": 1}
    set_counting_rule(store, "terverifikasi", "koordinator")
    assert exported_rules(store) == {"meta": "terverifikasi", "petunjuk": RULES["terverifikasi"],
                                     "tertunggak": RULES["terverifikasi"], "status": "terverifikasi", "done": 0}
    evidence.review(store, "V-1-1", 1, "diterima", "", "tpi.satu")
    assert exported_rules(store)["done"] == 1
