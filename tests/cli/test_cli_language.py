"""The command line's usage lines, help and argument errors are Indonesian, on every command."""

import re

import pytest

from helpers import every_parser, run_cli
from zi_data.cli.main import build_parser
from zi_data.cli.command_parser import indonesian_error

ENGLISH = re.compile(r"(?i)\b(usage|error|options|positional arguments|show this help|invalid|required|"
                     r"unrecognized|expected|choose from|argument|not allowed|ambiguous|ignored)\b")


def test_every_commands_help_is_indonesian():
    parsers = list(every_parser(build_parser()))
    assert len(parsers) > 15
    for parser in parsers:
        text = parser.format_help()
        assert text.startswith("Penggunaan: ") and not ENGLISH.search(text), (parser.prog, ENGLISH.search(text))


@pytest.mark.parametrize("argv, expected", [
    ([], "argumen berikut wajib diisi: PERINTAH"),
    (["statuz"], "argumen PERINTAH: pilihan 'statuz' tidak dikenal (pilih salah satu: 'validate'"),
    (["status", "--as-of"], "argumen --as-of: perlu satu nilai"),
    (["status", "--grace-days", "x"], "argumen --grace-days: nilai 'x' tidak sah (harus bilangan bulat)"),
    (["status", "--bogus", "1"], "argumen tidak dikenal: --bogus 1"),
    (["evidence", "add"], "argumen berikut wajib diisi: ID, BULAN, BERKAS"),
    (["user", "add", "sari", "--role", "raja"], "argumen --role: pilihan 'raja' tidak dikenal"),
    (["status", "--json=ya"], "argumen --json: nilai 'ya' diabaikan: opsi ini tidak menerima nilai"),
])
def test_a_wrong_command_line_is_answered_in_indonesian_with_exit_code_2(argv, expected):
    result = run_cli(*argv)
    assert result.returncode == 2
    assert result.stderr.startswith("Penggunaan: python -m zi_data")
    assert "galat: " + expected in result.stderr and not ENGLISH.search(result.stderr), result.stderr


@pytest.mark.parametrize("message, expected", [
    ("expected at least one argument", "perlu sedikitnya satu nilai"),
    ("argument -x: expected at most one argument", "argumen -x: paling banyak satu nilai"),
    ("argument -x: expected 2 arguments", "argumen -x: perlu 2 nilai"),
    ("argument -x: not allowed with argument -y", "argumen -x: tidak boleh dipakai bersama argumen -y"),
    ("one of the arguments -x -y is required", "salah satu argumen -x -y wajib diisi"),
    ("ambiguous option: --da could match --data-dir, --day", "opsi --da ambigu: bisa berarti --data-dir, --day"),
    ("argument --n: invalid float value: 'x'", "argumen --n: nilai 'x' tidak sah (harus bilangan)"),
    ("something argparse may add later", "something argparse may add later"),
])
def test_each_argparse_message_has_its_indonesian_form(message, expected):
    assert indonesian_error(message) == expected
