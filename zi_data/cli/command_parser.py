"""The command line's argument parser, speaking Indonesian where argparse speaks English.

argparse writes its usage line, section titles, help option and errors in English. This parser gives
them in Indonesian: its own usage prefix, section titles, help option and names of option values,
and its errors translated by pattern. Subcommand parsers are of the same class (argparse makes them
of the parent's class).

Every whole-number option is bounded (INT_RANGES, by its dest: an `int` option without a range is refused when
the parser is built) and every path option is checked before the command runs (PATH_TYPES): a value out of
range, a directory given as an output file, a device or pipe given as an input file, a file given as the data
directory, is an Indonesian message and exit code 2, never a traceback.
"""

import argparse
import re
import stat
import sys
from pathlib import Path

from ..base.problems import shown

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
PATH_CHARS = 500  # a path longer than this is cut in messages
MAX_ID = 2**63 - 1  # the largest row number either database stores
INT_RANGES = {"year": (1, 9999), "from_year": (1, 9999), "grace_days": (0, 366), "meeting": (1, MAX_ID),
              "upload_id": (1, MAX_ID), "session_id": (1, MAX_ID)}
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

    def _add_action(self, action):  # every argument passes here, also those of a mutually exclusive group
        if action.type is int:
            if action.dest not in INT_RANGES:
                raise ValueError(f"whole-number option {action.dest!r} has no range in INT_RANGES")
            action.type = bounded_int(*INT_RANGES[action.dest])
        elif action.type is None and action.nargs != 0 and action.dest in PATH_TYPES:
            action.type = PATH_TYPES[action.dest]
        return super()._add_action(action)

    def add_argument(self, *args, **kwargs):
        action = super().add_argument(*args, **kwargs)
        if action.option_strings and action.metavar is None and action.choices is None:
            action.metavar = METAVARS.get(action.dest, action.metavar)
        return action

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: galat: {indonesian_error(message)}\n")


def bounded_int(low: int, high: int):
    """An argparse type: a whole number from `low` to `high`; anything else an Indonesian message (exit 2)."""
    def whole_number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:  # also a number of more than 4,300 digits
            raise argparse.ArgumentTypeError(f"nilai '{shown(text)}' tidak sah (harus bilangan bulat)") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"nilai '{shown(text)}' di luar batas (harus bilangan bulat "
                                             f"{low:,}–{high:,})".replace(",", "."))
        return value
    return whole_number


def output_path(text: str) -> str:
    """An argparse type: a file to write, not a directory, in a folder that is there or can be made."""
    path = Path(text)
    if not text or text.endswith("/") or path.is_dir():
        raise argparse.ArgumentTypeError(f"'{_path(text)}' adalah direktori; tulis nama berkas tujuan, "
                                         f"misalnya {_path(path / 'hasil.xlsx')}")
    _check_folder(path.parent, text)
    return text


def data_dir_path(text: str) -> str:
    """An argparse type: a directory that is there, or can be made."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"'{_path(text)}' bukan direktori; sebutkan direktori data")
    _check_folder(path, text)
    return text


def input_path(text: str) -> str:
    """An argparse type: a path that names a regular file, or nothing (the command says a file is missing in its
    own words); a directory, a device, a pipe or a socket is refused."""
    path = Path(text)
    try:
        kind = path.stat().st_mode
    except (OSError, ValueError):  # missing, no permission to look, a NUL: the command says so
        return text
    if not stat.S_ISREG(kind):
        what = "direktori" if stat.S_ISDIR(kind) else "perangkat, pipa atau soket"
        raise argparse.ArgumentTypeError(f"'{_path(text)}' adalah {what}, bukan berkas; sebutkan berkasnya")
    return text


def _path(path) -> str:
    """A path for quoting in a message: whole unless very long, hidden characters spelled out."""
    return shown(path, limit=PATH_CHARS)


def _check_folder(folder: Path, text: str) -> None:
    """Refuse `text` when the nearest existing one of `folder` and its parents is not a directory."""
    for existing in (folder, *folder.parents):
        if existing.exists():
            if not existing.is_dir():
                raise argparse.ArgumentTypeError(f"'{_path(text)}' tidak dapat dibuat: '{_path(existing)}' "
                                                 "adalah berkas, bukan direktori")
            return


PATH_TYPES = {"output": output_path, "data_dir": data_dir_path, "file": input_path, "bukti": input_path}
