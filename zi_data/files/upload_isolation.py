"""Reading an uploaded file in a separate worker process, so no file can take the server down.

`run_isolated(target, *args, label=...)` runs `target(*args)` in a child process of a
fork server (the dashboard's server is multi-threaded, where a plain fork is unsafe;
the fork server has the zi_data modules loaded, so a child starts in milliseconds).
The child limits its own address space (RLIMIT_AS) and CPU time, and the parent kills
it after `timeout` seconds. The result comes back pickled; an InputError raised by the
target comes back as itself. Whatever else ends the child (a native abort when memory
runs out, a signal, MemoryError, a timeout, an exception, a result that cannot be
pickled or is too large), the caller gets an InputError with an Indonesian message.
"""

import multiprocessing
import multiprocessing.forkserver
import os
import pickle
import resource
import signal
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from ..base.problems import InputError, Problem

MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024  # address space of the worker, the loaded libraries included
TIMEOUT_SECONDS = 60.0
MAX_RESULT_BYTES = 64 * 1024 * 1024
EXIT_GRACE_SECONDS = 5.0
PROJECT_ROOT = str(Path(__file__).resolve().parents[2])
PRELOADED_MODULES = ["zi_data.realisasi.realisasi_import", "zi_data.plan.plan", "zi_data.files.upload_isolation"]

RETRY_FIX = ("Pastikan berkas hanya berisi buku kerja dari ZI Monitor atau rencana aksi; hapus lembar, gambar dan "
             "isi yang tidak diperlukan, simpan ulang sebagai .xlsx lalu unggah kembali. Tidak ada data yang diubah.")


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = MEMORY_LIMIT_BYTES
    timeout_seconds: float = TIMEOUT_SECONDS


def _context(extra_modules=()):
    """The fork server context. Python 3.11 starts the fork server without the caller's sys.path, so the
    project root goes on PYTHONPATH (inherited by the server) for the zi_data modules to preload."""
    paths = [path for path in os.environ.get("PYTHONPATH", "").split(os.pathsep) if path]
    if PROJECT_ROOT not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([PROJECT_ROOT, *paths])
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([*PRELOADED_MODULES, *extra_modules])  # used when the server (re)starts
    return context


def prepare_workers(extra_modules=()) -> None:
    """Start the fork server now (if it is not running) with `extra_modules` preloaded as well.

    multiprocessing runs the parent's main script again in every worker; a program whose entry script
    imports heavy modules (the dashboard: the `streamlit` script imports streamlit.web.cli) names them
    here, so workers find them loaded instead of importing them on every upload."""
    _context(extra_modules)
    multiprocessing.forkserver.ensure_running()


def run_isolated(target, *args, label: str, limits: Limits = Limits()):
    """`target(*args)` computed in a worker process under `limits`; InputError when the worker fails."""
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_work, args=(sender, target, args, limits), daemon=True,
                             name="zi-pemeriksa-berkas")
    try:
        worker.start()
    except OSError:
        raise InputError([_problem(label, "proses pemeriksa tidak dapat dijalankan di server")]) from None
    finally:
        sender.close()
    try:
        outcome = _receive(receiver, worker, limits)
    finally:
        receiver.close()
        exitcode = _stop(worker)
    if outcome is None:
        raise InputError([_death_problem(label, exitcode, limits)])
    kind, value = outcome
    if kind == "ok":
        return value
    if kind == "input_error":
        error_class, problems = value
        raise error_class(problems)
    raise InputError([_problem(label, value)])


def _receive(receiver, worker, limits: Limits):
    """('ok', result) | ('input_error', (class, problems)) | ('failed', reason) | ('failed', timeout) | None (died)."""
    if not receiver.poll(limits.timeout_seconds):
        worker.kill()
        return "failed", f"pemeriksaan melebihi batas waktu {limits.timeout_seconds:.0f} detik"
    try:
        payload = receiver.recv_bytes(MAX_RESULT_BYTES)
    except (EOFError, OSError):
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # noqa: BLE001 - a result the server cannot read is a failed check, not a crash
        return "failed", "hasil pemeriksaan tidak dapat dibaca"


def _stop(worker) -> int | None:
    """Wait for the worker to end (kill it if it does not) and return its exit code."""
    worker.join(EXIT_GRACE_SECONDS)
    if worker.exitcode is None:
        worker.kill()
        worker.join()
    exitcode = worker.exitcode
    worker.close()
    return exitcode


def _death_problem(label: str, exitcode: int | None, limits: Limits) -> Problem:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"sinyal {-exitcode}"
        return _problem(label, f"proses pemeriksa berhenti tiba-tiba ({name}), biasanya karena pemeriksaan "
                               f"melebihi batas memori {limits.memory_bytes // 1_048_576} MB")
    return _problem(label, f"proses pemeriksa berhenti tiba-tiba (kode keluar {exitcode})")


def _problem(label: str, reason: str) -> Problem:
    return Problem(f"Berkas '{label}' tidak dapat diproses: {reason}.", fix=RETRY_FIX)


def _limit_self(limits: Limits) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    cpu = int(limits.timeout_seconds) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _work(sender, target, args, limits: Limits) -> None:
    """The worker: run `target`, send back what happened as one pickled message."""
    try:
        _limit_self(limits)
        try:
            outcome = ("ok", target(*args))
        except InputError as error:
            outcome = ("input_error", (type(error), error.problems))
        except MemoryError:
            outcome = ("failed", f"pemeriksaan melebihi batas memori {limits.memory_bytes // 1_048_576} MB")
        try:
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps(("failed", "hasil pemeriksaan melebihi batas memori"))
        except Exception:  # noqa: BLE001
            payload = pickle.dumps(("failed", "hasil pemeriksaan tidak dapat dikirim"))
        if len(payload) > MAX_RESULT_BYTES:
            payload = pickle.dumps(("failed", "hasil pemeriksaan terlalu besar"))
        sender.send_bytes(payload)
    except BaseException:  # noqa: BLE001 - report, then end this worker only
        traceback.print_exc(file=sys.stderr)
        try:
            sender.send_bytes(pickle.dumps(("failed", "terjadi kesalahan internal saat memeriksa berkas")))
        except BaseException:  # noqa: BLE001
            pass
    finally:
        sender.close()
        sys.stderr.flush()
        os._exit(0)
