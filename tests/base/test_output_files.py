"""Writing a command's output file: atomically to a regular file or a new name, directly to a character device
or a pipe, never by renaming over something that is not a regular file (as root that turned /dev/null into a
regular file). The devices are made in a temporary directory (conftest.char_device), never the real /dev files."""

import errno
import os
import stat

import pytest

from helpers import drained_fifo, run_cli
from zi_data.base import paths

DATA = b"PK\x03\x04" + bytes(range(256)) * 400  # over 64 KiB: more than a pipe holds at once


def kind(path) -> int:
    return stat.S_IFMT(os.lstat(path).st_mode)


def test_a_regular_file_is_replaced_whole_and_private(tmp_path):
    target = tmp_path / "hasil.xlsx"
    target.write_bytes(b"lama")
    before = target.stat().st_ino
    paths.write_atomically(target, DATA)
    assert target.read_bytes() == DATA and target.stat().st_ino != before
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["hasil.xlsx"], "no temporary file is left"


def test_a_failure_while_writing_keeps_the_old_file_and_leaves_nothing(tmp_path):
    target = tmp_path / "hasil.xlsx"
    target.write_bytes(b"lama")
    with pytest.raises(ValueError), paths.output_file(target) as out:
        out.write(b"setengah")
        raise ValueError("berhenti")
    assert target.read_bytes() == b"lama" and [path.name for path in tmp_path.iterdir()] == ["hasil.xlsx"]


def test_a_character_device_is_written_to_and_stays_a_device(tmp_path, char_device):
    null = char_device("null", 3)
    device = os.stat(null).st_rdev
    paths.write_atomically(null, DATA)
    assert kind(null) == stat.S_IFCHR and os.stat(null).st_rdev == device
    assert [path.name for path in tmp_path.iterdir()] == ["null"], "no temporary file is left"


def test_a_link_to_a_device_stays_a_link_to_the_device(tmp_path, char_device):
    null = char_device("null", 3)
    link = tmp_path / "keluaran"
    link.symlink_to(null)
    paths.write_atomically(link, DATA)
    assert kind(link) == stat.S_IFLNK and kind(null) == stat.S_IFCHR


def test_a_full_device_fails_with_no_space_and_stays_a_device(char_device):
    full = char_device("full", 7)
    with pytest.raises(OSError) as raised:
        paths.write_atomically(full, DATA)
    assert raised.value.errno == errno.ENOSPC and paths.os_error_text(raised.value) == "ruang penyimpanan penuh"
    assert kind(full) == stat.S_IFCHR


def test_a_fifo_receives_every_byte_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipa"
    with drained_fifo(fifo) as received:
        paths.write_atomically(fifo, DATA)
    assert bytes(received) == DATA and kind(fifo) == stat.S_IFIFO


def test_a_directory_is_refused_and_left_alone(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(IsADirectoryError) as raised:
        paths.write_atomically(folder, DATA)
    assert paths.os_error_text(raised.value) == "itu sebuah direktori"
    assert folder.is_dir() and not any(folder.iterdir()) and sorted(p.name for p in tmp_path.iterdir()) == ["folder"]


def test_a_socket_is_refused_and_left_alone(tmp_path):
    import socket

    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(tmp_path / "soket"))
        with pytest.raises(OSError) as raised:
            paths.write_atomically(tmp_path / "soket", DATA)
    assert raised.value.errno == errno.EINVAL and kind(tmp_path / "soket") == stat.S_IFSOCK


COMMANDS = {  # the commands that write an output file: argv before "-o", the file's suffix, its first bytes
    "export": (["export", "--team", "Tim Penguatan Tata Laksana", "--through-month", "1"], ".xlsx", b"PK\x03\x04"),
    "monev report": (["monev", "report", "--as-of", "2025-01"], ".xlsx", b"PK\x03\x04"),
    "evidence package": (["evidence", "package"], ".zip", b"PK\x03\x04"),
}


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_writes_to_a_device_and_leaves_it_a_device(command, seeded_data_dir, char_device):
    argv, suffix, _ = COMMANDS[command]
    null = char_device(f"null{suffix}", 3)
    run_cli(*argv, "-o", null, data_dir=seeded_data_dir, check_returncode=0)
    assert kind(null) == stat.S_IFCHR and sorted(p.name for p in null.parent.iterdir()) == ["data", null.name]


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_writes_whole_to_a_fifo(command, seeded_data_dir, tmp_path):
    argv, suffix, magic = COMMANDS[command]
    fifo = tmp_path / f"pipa{suffix}"
    with drained_fifo(fifo) as received:
        run_cli(*argv, "-o", fifo, data_dir=seeded_data_dir, check_returncode=0)
    assert bytes(received).startswith(magic) and kind(fifo) == stat.S_IFIFO


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_says_in_indonesian_that_a_full_device_has_no_space(command, seeded_data_dir, char_device):
    argv, suffix, _ = COMMANDS[command]
    full = char_device(f"full{suffix}", 7)
    refused = run_cli(*argv, "-o", full, data_dir=seeded_data_dir, check_returncode=1)
    assert refused.stderr.endswith(f"tidak dapat ditulis ke {full}: ruang penyimpanan penuh.\n"), refused.stderr
    assert kind(full) == stat.S_IFCHR


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_replaces_a_regular_file_atomically(command, seeded_data_dir, tmp_path):
    argv, suffix, magic = COMMANDS[command]
    target = tmp_path / f"hasil{suffix}"
    target.write_bytes(b"lama")
    run_cli(*argv, "-o", target, data_dir=seeded_data_dir, check_returncode=0)
    assert target.read_bytes().startswith(magic) and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", target.name]
