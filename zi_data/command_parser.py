"""The command line's argument parser, speaking Indonesian where argparse speaks English.

argparse writes its usage line, section titles, help option and errors in English. This parser gives
them in Indonesian: its own usage prefix, section titles, help option and names of option values,
and its errors translated by pattern. Subcommand parsers are of the same class (argparse makes them
of the parent's class).
"""

import argparse
import re
import sys

USAGE_PREFIX = "Penggunaan: "
TYPE_NAMES = {"int": "bilangan bulat", "float": "bilangan"}
ERRORS = [  # argparse's message pattern -> the same in Indonesian
    (r"the following arguments are required: (.+)", r"argumen berikut wajib diisi: \1"),
    (r"unrecognized arguments: (.+)", r"argumen tidak dikenal: \1"),
    (r"invalid choice: (.+?) \(choose from (.+)\)", r"pilihan \1 tidak dikenal (pilih salah satu: \2)"),
    (r"invalid (\w+) value: (.+)", lambda found: f"nilai {found[2]} tidak sah (harus "
                                                 f"{TYPE_NAMES.get(found[1], found[1])})"),
    (r"expected one argument", "perlu satu nilai"),
    (r"expected at least one argument", "perlu sedikitnya satu nilai"),
    (r"expected at most one argument", "paling banyak satu nilai"),
    (r"expected (\d+) arguments?", r"perlu \1 nilai"),
    (r"not allowed with argument (.+)", r"tidak boleh dipakai bersama argumen \1"),
    (r"one of the arguments (.+) is required", r"salah satu argumen \1 wajib diisi"),
    (r"ambiguous option: (\S+) could match (.+)", r"opsi \1 ambigu: bisa berarti \2"),
    (r"ignored explicit argument (.+)", r"nilai \1 diabaikan: opsi ini tidak menerima nilai"),
]
METAVARS = {"data_dir": "DIREKTORI", "as_of": "TTTT-BB", "grace_days": "HARI", "user": "AKUN", "by": "NAMA",
            "team": "TIM", "through_month": "BULAN", "output": "BERKAS"}  # an option's value, named in usage lines
ARGUMENT_PREFIX = re.compile(r"^argument (\S+): (.*)$", re.DOTALL)


def indonesian_error(message: str) -> str:
    """argparse's error `message` in Indonesian; a message of no known pattern is kept as it is."""
    found = ARGUMENT_PREFIX.match(message)
    if found:
        return f"argumen {found[1]}: {indonesian_error(found[2])}"
    for pattern, replacement in ERRORS:
        if re.fullmatch(pattern, message, re.DOTALL):
            return re.sub(pattern, replacement, message, count=1, flags=re.DOTALL)
    return message


class IndonesianHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)


class CommandParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", IndonesianHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "argumen posisi"
        self._optionals.title = "opsi"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="tampilkan bantuan ini lalu keluar")

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("title", "perintah")
        kwargs.setdefault("metavar", "PERINTAH")
        return super().add_subparsers(**kwargs)

    def add_argument(self, *args, **kwargs):
        action = super().add_argument(*args, **kwargs)
        if action.option_strings and action.metavar is None and action.choices is None:
            action.metavar = METAVARS.get(action.dest, action.metavar)
        return action

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: galat: {indonesian_error(message)}\n")
