"""Every number and path argument of every command: a value out of range, not a number, a directory, a device,
a pipe or a path through a file is an Indonesian message with exit code 2 (or the command's own refusal),
never a traceback. The walk finds the commands and their arguments in the parser itself, so a new command or
option is attacked without being listed here."""

import argparse
import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import drained_fifo, every_parser, examples, run_cli
from zi_data.cli.main import build_parser
from zi_data.cli.command_parser import INT_RANGES, MAX_ID, PATH_TYPES, CommandParser, bounded_int

HUGE = "1" + "0" * 30
NUMBERS = [HUGE, "-1", "nan"]
PATHS = ["folder", "null-device", "pipa", "berkas/di-bawah"]  # made in the test's directory, see attack_paths
DATA_DIRS = ["berkas", "null-device", "pipa", "berkas/di-bawah"]  # a folder is what --data-dir names
BASELINE = {  # a value for each argument a command needs; as_of before meeting: monev report then writes its file
    "file": "kosong.xlsx", "output": "hasil.xlsx", "name": "sari", "role": "editor", "code": "6299",
    "item_id": "I-1-1", "month": "1", "upload_id": "1", "as_of": "2025-06", "meeting": "1", "revoke_user": "sari",
}


def value_arguments(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [action for action in parser._actions if action.nargs != 0
            and not isinstance(action, (argparse._SubParsersAction, argparse._HelpAction))]


def attacks() -> list:
    cases = []
    for words, parser in command_parsers().items():
        command = words.split()
        for action in value_arguments(parser):
            values = DATA_DIRS if action.dest == "data_dir" else PATHS if action.dest in PATH_TYPES else NUMBERS
            cases.append(pytest.param(command, action.dest, values, id=f"{' '.join(command)} {action.dest}"))
    return cases


@functools.cache
def command_parsers() -> dict[str, argparse.ArgumentParser]:
    """Each command's parser by its words after `python -m zi_data`, for commands that run (have a handler)."""
    return {" ".join(parser.prog.split()[3:]): parser for parser in every_parser(build_parser())
            if parser.get_default("handler") is not None}


def argv_with(command: list[str], dest: str, value: str) -> list[str]:
    """The command's argv with `value` for the argument `dest` and BASELINE values for what it requires."""
    parser = command_parsers()[" ".join(command)]
    chosen = {dest}
    for group in parser._mutually_exclusive_groups:
        members = [action.dest for action in group._group_actions]
        if group.required and dest not in members:
            chosen.add(min((m for m in members if m in BASELINE), key=list(BASELINE).index))
    argv = list(command)
    for action in value_arguments(parser):
        if action.dest not in chosen and not action.required:
            continue
        assert action.dest == dest or action.dest in BASELINE, f"no BASELINE value for {action.dest} ({command})"
        argument = value if action.dest == dest else BASELINE[action.dest]
        argv += [action.option_strings[-1], argument] if action.option_strings else [argument]
    return argv


@pytest.fixture
def attack_paths(tmp_path, seeded_data_dir, char_device, monkeypatch):
    """The working directory, where the attack's relative paths are: a folder, a null device, a FIFO that is
    drained, a regular file (so 'berkas/di-bawah' goes through a file), an empty kosong.xlsx."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    char_device("null-device", 3)
    (tmp_path / "berkas").write_text("bukan folder")
    (tmp_path / "kosong.xlsx").write_bytes(b"")
    with drained_fifo(tmp_path / "pipa"):
        yield seeded_data_dir


@pytest.mark.parametrize("command, dest, values", attacks())
def test_no_argument_value_ends_in_a_traceback(command, dest, values, attack_paths):
    for value in values:
        argv = argv_with(command, dest, value)
        try:
            result = run_cli(*argv, data_dir=attack_paths)
        except Exception as error:  # noqa: BLE001 - the traceback a person would have seen
            pytest.fail(f"python -m zi_data {' '.join(argv)} raised {error!r}")
        assert result.returncode in (0, 1, 2) and "Traceback" not in result.stderr, (argv, result)
        if result.returncode == 2:
            assert result.stderr.strip(), f"{argv}: exit 2 without a message"


def test_the_walk_covers_every_command_and_its_number_and_path_arguments():
    walked = {(" ".join(case.values[0]), case.values[1]) for case in attacks()}
    for expected in [("monev report", "meeting"), ("status", "grace_days"), ("lke", "through"), ("export", "output"),
                     ("undo", "upload_id"), ("user sessions revoke", "session_id"), ("evidence package", "output"),
                     ("validate", "file"), ("import", "bukti"), ("plan add", "year"), ("remind", "data_dir")]:
        assert expected in walked
    assert len(walked) > 100


@pytest.mark.parametrize("argv, message", [
    (["monev", "report", "--meeting", HUGE, "-o", "hasil.xlsx"],
     f"argumen --meeting: nilai '{HUGE}' di luar batas (harus bilangan bulat 1–9.223.372.036.854.775.807)"),
    (["status", "--grace-days", HUGE], f"argumen --grace-days: nilai '{HUGE}' di luar batas (harus bilangan "
                                       "bulat 0–366)"),
    (["status", "--grace-days", "-1"], "argumen --grace-days: nilai '-1' di luar batas"),
    (["status", "--year", "nan"], "argumen --year: nilai 'nan' tidak sah (harus bilangan bulat)"),
    (["undo", "0"], "argumen upload_id: nilai '0' di luar batas"),
    (["export", "-o", "folder"], "argumen -o/--output: 'folder' adalah direktori; tulis nama berkas tujuan, "
                                 "misalnya folder/hasil.xlsx"),
    (["export", "-o", "folder/"], "argumen -o/--output: 'folder/' adalah direktori"),
    (["evidence", "package", "-o", "berkas/paket.zip"],
     "argumen -o/--output: 'berkas/paket.zip' tidak dapat dibuat: 'berkas' adalah berkas, bukan direktori"),
    (["validate", "folder"], "argumen file: 'folder' adalah direktori, bukan berkas; sebutkan berkasnya"),
    (["import", "kosong.xlsx", "--bukti", "null-device"],
     "argumen --bukti: 'null-device' adalah perangkat, pipa atau soket, bukan berkas"),
    (["status", "--data-dir", "berkas"], "argumen --data-dir: 'berkas' bukan direktori; sebutkan direktori data"),
])
def test_a_bad_number_or_path_is_named_in_indonesian_with_exit_code_2(argv, message, attack_paths):
    result = run_cli(*argv, data_dir=attack_paths, check_returncode=2)
    assert f"galat: {message}" in result.stderr, result.stderr


def date_options() -> list:
    """Every option that takes a month or a date (TTTT-BB in its name or help), with its command."""
    return [pytest.param(words.split(), action.dest, action.option_strings[-1], id=f"{words} {action.option_strings[-1]}")
            for words, parser in command_parsers().items() for action in value_arguments(parser)
            if "TTTT-BB" in f"{action.metavar or ''} {action.help or ''}"]


@pytest.mark.parametrize("command, dest, option", date_options())
def test_a_huge_year_month_or_day_in_a_date_is_refused(command, dest, option, attack_paths):
    for value in [f"{HUGE}-01", f"2025-{HUGE}", f"{HUGE}-01-01", f"2025-01-{HUGE}"]:
        argv = argv_with(command, dest, value)
        result = run_cli(*argv, data_dir=attack_paths, check_returncode=2)
        assert result.stderr.startswith(f"{option} '{value}' tidak sah: tulis bulan"), result.stderr


def test_every_month_option_is_attacked():
    assert {f"{' '.join(case.values[0])} {case.values[2]}" for case in date_options()} >= {
        "status --as-of", "lke --as-of", "lke --jika-selesai-sampai", "monev report --as-of", "remind --as-of"}


def test_a_whole_number_option_without_a_range_is_refused_when_the_parser_is_built():
    with pytest.raises(ValueError, match="'copies' has no range"):
        CommandParser(prog="x").add_argument("--copies", type=int)


def test_every_whole_number_argument_is_bounded():
    for parser in every_parser(build_parser()):
        for action in value_arguments(parser):
            assert action.type is not int, (parser.prog, action.dest)
            assert action.dest not in INT_RANGES or action.type.__name__ == "whole_number", (parser.prog, action.dest)


@settings(deadline=None, derandomize=True, database=None, max_examples=examples(150))
@given(dest=st.sampled_from(sorted(INT_RANGES)),
       text=st.one_of(st.integers(min_value=-(2**70), max_value=2**70).map(str),
                      st.integers(min_value=-(2**70), max_value=2**70).map(lambda n: f" {n:_} "),
                      st.sampled_from(["nan", "inf", "-0", "1e3", "0x10", "", "٣", "9" * 5000]), st.text(max_size=12)))
def test_a_bounded_number_is_in_range_or_an_indonesian_refusal(dest, text):
    low, high = INT_RANGES[dest]
    try:
        value = bounded_int(low, high)(text)
    except argparse.ArgumentTypeError as refusal:
        assert str(refusal).startswith("nilai '") and ("tidak sah" in str(refusal) or "di luar batas" in str(refusal))
        return
    assert low <= value <= high <= MAX_ID and value == int(text)
