"""Bytes on the wire per page view, with and without WebSocket compression, and the server CPU time they cost.

Each dashboard page is opened in headless Chromium as a bookmark is (a new session: page.goto), through a
counting TCP proxy between the browser and the server: the bytes the server sends on the WebSocket connection
(`/_stcore/stream`, the handshake included; the static files, cached by the browser, are not counted) until
the page is drawn and closed, i.e. what a phone downloads for the view. The server runs twice, with
`server.enableWebsocketCompression` off and on (STREAMLIT_SERVER_ENABLE_WEBSOCKET_COMPRESSION; the project's
.streamlit/config.toml turns it on); the server's CPU time (user + system, from /proc) is read around each
view. Beside it, the bare one-chart page (benchmarks/bare_browser_app.py) measured the same way in the same
run; ratio = page ÷ bare. The data directory holds the bundled plan and a year of progress (the example
workbook imported). Median of RUNS views per page after one untimed view (it fills the caches).

    .venv/bin/python benchmarks/bench_wire.py      # writes benchmarks/results/wire.json
"""

import json
import os
import platform
import socket
import statistics
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from timing import ROOT
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.dashboard_server import CHROMIUM, CHROMIUM_ARGS, seed_example_progress, serve_dashboard  # noqa: E402
from tests.e2e.streamlit_helpers import PAGES, open_page  # noqa: E402

RUNS = 3
RESULTS = Path(__file__).resolve().parent / "results" / "wire.json"
BARE_APP = Path(__file__).resolve().parent / "bare_browser_app.py"
COMPRESSION_ENV = "STREAMLIT_SERVER_ENABLE_WEBSOCKET_COMPRESSION"
STREAM_PATH = b"/_stcore/stream"
GOAL_KIB = 100


class CountingProxy:
    """A TCP proxy on a free local port to `upstream`; counts, per connection, the bytes sent to the browser.
    `streams` holds (bytes so far, closed event) for each WebSocket connection (its request names STREAM_PATH)."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.streams: list[dict] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        first = client.recv(65536)
        record = {"bytes": 0, "closed": threading.Event()} if STREAM_PATH in first.split(b"\r\n", 1)[0] else None
        if record is not None:
            with self.lock:
                self.streams.append(record)
        upstream.sendall(first)
        threading.Thread(target=self._pump, args=(client, upstream, None), daemon=True).start()
        self._pump(upstream, client, record)
        if record is not None:
            record["closed"].set()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket, record: dict | None) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
                if record is not None:
                    record["bytes"] += len(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.listener.close()


def listening_pid(port: int) -> int:
    """The process that listens on 127.0.0.1:`port` (the streamlit server), from /proc."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "0A":  # LISTEN
            inodes.add(fields[9])
    for process in Path("/proc").iterdir():
        if process.name.isdigit():
            try:
                links = [os.readlink(fd) for fd in (process / "fd").iterdir()]
            except OSError:
                continue
            if any(link == f"socket:[{inode}]" for link in links for inode in inodes):
                return int(process.name)
    raise RuntimeError(f"no process listens on port {port}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of `pid` and its threads so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def view(browser, proxy: CountingProxy, pid: int, path: str, title: str) -> tuple[int, float]:
    """One page view through the proxy, in a new session: (bytes the server sent on its WebSocket, CPU s)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="id-ID")
    before_streams, before_cpu = len(proxy.streams), cpu_seconds(pid)
    try:
        open_page(page, f"http://127.0.0.1:{proxy.port}", path, expected_title=title)
        cpu = cpu_seconds(pid) - before_cpu
    finally:
        page.close()
    streams = proxy.streams[before_streams:]
    for stream in streams:
        if not stream["closed"].wait(30):
            raise RuntimeError("the WebSocket connection did not close")
    return sum(stream["bytes"] for stream in streams), cpu


def measure(browser, directory: Path, script: Path, pages: list[tuple[str, str]], compressed: bool,
            log: Path) -> dict[str, dict]:
    os.environ[COMPRESSION_ENV] = "true" if compressed else "false"
    try:
        with serve_dashboard(directory, log, script=script) as base_url:
            port = int(base_url.rsplit(":", 1)[1])
            proxy, pid = CountingProxy(port), listening_pid(port)
            try:
                rows = {}
                for path, title in pages:
                    view(browser, proxy, pid, path, title)  # untimed: fills the caches
                    runs = [view(browser, proxy, pid, path, title) for _ in range(RUNS)]
                    rows[title] = {"bytes": int(statistics.median(b for b, _ in runs)),
                                   "cpu_ms": round(1000 * statistics.median(c for _, c in runs), 1)}
                return rows
            finally:
                proxy.close()
    finally:
        os.environ.pop(COMPRESSION_ENV, None)


@contextmanager
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def main() -> None:
    data = seed_example_progress(Path(tempfile.mkdtemp(prefix="zi-bench-wire-")))
    logs = Path(tempfile.mkdtemp(prefix="zi-bench-wire-logs-"))
    pages = list(PAGES.items())
    results = {}
    with chromium() as browser:
        for compressed in (False, True):
            name = "compressed" if compressed else "uncompressed"
            bare = measure(browser, Path(tempfile.mkdtemp()), BARE_APP, [("", "Satu")], compressed,
                           logs / f"bare_{name}.log")["Satu"]
            results[name] = {"bare": bare, "pages": measure(browser, data, ROOT / "dashboard.py", pages, compressed,
                                                            logs / f"dashboard_{name}.log")}
    rows = []
    plain, packed = results["uncompressed"], results["compressed"]
    for title in plain["pages"]:
        off, on = plain["pages"][title], packed["pages"][title]
        rows.append({"page": title, "uncompressed_kib": round(off["bytes"] / 1024, 1),
                     "compressed_kib": round(on["bytes"] / 1024, 1),
                     "ratio_to_bare": round(on["bytes"] / packed["bare"]["bytes"], 1),
                     "cpu_ms_uncompressed": off["cpu_ms"], "cpu_ms_compressed": on["cpu_ms"],
                     "within_goal": on["bytes"] <= GOAL_KIB * 1024})
    print(f"bare one-chart page: {plain['bare']['bytes'] / 1024:.1f} KiB uncompressed, "
          f"{packed['bare']['bytes'] / 1024:.1f} KiB compressed; CPU {plain['bare']['cpu_ms']:.0f} / "
          f"{packed['bare']['cpu_ms']:.0f} ms; median of {RUNS} views")
    print(f"{'page':20} {'KiB off':>8} {'KiB on':>8} {'× bare':>7} {'CPU ms off':>10} {'CPU ms on':>10}")
    for row in rows:
        print(f"{row['page']:20} {row['uncompressed_kib']:8.1f} {row['compressed_kib']:8.1f} "
              f"{row['ratio_to_bare']:7.1f} {row['cpu_ms_uncompressed']:10.0f} {row['cpu_ms_compressed']:10.0f}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"runs": RUNS, "viewport": "1280x900", "goal_kib": GOAL_KIB,
                                   "python": platform.python_version(), "machine": platform.machine(),
                                   "bare": {name: result["bare"] for name, result in results.items()},
                                   "pages": rows}, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {RESULTS}")
    if not all(row["within_goal"] for row in rows):
        sys.exit(f"a page view is over {GOAL_KIB} KiB on the wire")


if __name__ == "__main__":
    main()
