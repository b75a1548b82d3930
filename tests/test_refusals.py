"""One error type for people: every error whose message is for people is a Refusal, pages show it in one way
(app_pages/frame/refusals.py, its parts as text) and commands answer it in main(); a bug's own exception is
never turned into a message."""

import pytest

from app_pages.frame import refusals
from helpers import run_cli
from zi_data.base.problems import InputError, PlanError, Problem, Refusal, RefusedValue
from zi_data.base.safe_text import markdown_text
from zi_data.cli import plan_cli
from zi_data.monev.monev import MeetingNotFound, MonevError
from zi_data.monev.reminders import ReminderError
from zi_data.realisasi.realisasi_preview import PreviewOutdated
from zi_data.store.accounts import AccountError
from zi_data.store.database import SchemaError, SchemaOwnerNeeded, SchemaTooNew
from zi_data.store.ledgers import LedgerNotFound
from zi_data.store.offices import OfficeCsvError, OfficeError

HOSTILE = "**tebal** [tautan](https://evil.example) :red[merah]"


@pytest.mark.parametrize("error, also", [
    (InputError, ()), (PlanError, ()), (PreviewOutdated, ()), (RefusedValue, (ValueError,)),
    (AccountError, (ValueError,)), (OfficeError, (ValueError,)), (OfficeCsvError, (ValueError,)),
    (MonevError, (ValueError,)), (ReminderError, (ValueError,)), (MeetingNotFound, (LookupError,)),
    (LedgerNotFound, (LookupError,)), (SchemaError, (RuntimeError,)), (SchemaTooNew, (RuntimeError,)),
    (SchemaOwnerNeeded, (RuntimeError,))])
def test_every_error_for_people_is_a_refusal_and_keeps_its_old_kind(error, also):
    assert issubclass(error, Refusal) and all(issubclass(error, kind) for kind in also)


def test_a_value_error_of_python_is_no_refusal():
    assert not issubclass(ValueError, Refusal) and not issubclass(LookupError, Refusal)


def _refusing(error):
    def handler(args):
        raise error
    return handler


def test_a_refusal_no_command_answers_is_said_by_main_with_exit_code_1(tmp_path, monkeypatch):
    monkeypatch.setattr(plan_cli, "cmd_plan_list", _refusing(OfficeError("kantor 62\u202e03 tidak ada.")))
    result = run_cli("plan", "list", data_dir=tmp_path / "data")
    assert (result.returncode, result.stderr, result.stdout) == (1, "Gagal: kantor 62[U+202E]03 tidak ada.\n", "")


def test_a_refused_file_no_command_answers_lists_its_problems_with_exit_code_1(tmp_path, monkeypatch):
    problem = Problem("Status tidak dikenal.", sheet="Realisasi", row=4, column="Status")
    monkeypatch.setattr(plan_cli, "cmd_plan_list", _refusing(InputError([problem])))
    result = run_cli("plan", "list", data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert result.stderr == f"Berkas tidak dapat diproses (1 masalah):\n- {problem}\n"


def test_a_bug_s_own_value_error_is_not_turned_into_a_message(tmp_path, monkeypatch):
    monkeypatch.setattr(plan_cli, "cmd_plan_list", _refusing(ValueError("invalid literal for int()")))
    with pytest.raises(ValueError, match="invalid literal"):
        run_cli("plan", "list", data_dir=tmp_path / "data")


def test_a_page_shows_a_refusal_with_what_it_quotes_as_text(monkeypatch):
    shown = []
    monkeypatch.setattr(refusals.st, "error", lambda body, icon=None: shown.append((body, icon)))
    refusals.show_refusal(RefusedValue(f"Tautan '{HOSTILE}' ditolak."))
    refusals.show_refusal(InputError([Problem(f"Tim '{HOSTILE}' tidak ada."), Problem("Bulan 13 harus 1–12.")]),
                          "Tidak ada yang disimpan:")
    assert shown == [
        (markdown_text(f"Tautan '{HOSTILE}' ditolak."), refusals.ERROR_ICON),
        ("\n\n".join(["Tidak ada yang disimpan:", markdown_text(f"Tim '{HOSTILE}' tidak ada."),
                       markdown_text("Bulan 13 harus 1–12.")]), refusals.ERROR_ICON)]
    assert "[tautan]" not in shown[0][0] and "\\*\\*tebal" in shown[0][0]  # no link, no bold: the text as typed
