"""XSRF protection stays on: the server's config turns it on and nothing the project uses to start or deploy the
dashboard (dev.py, the test servers, scripts, CI, the README and docs) turns it off. The running server's refusal of
an upload without the token is tested in tests/e2e/test_dashboard_browser.py."""

import re
import subprocess
import tomllib

import pytest

from helpers import ROOT

# The option as a flag, in config.toml or as Streamlit's environment variable, followed by a false value.
TURNED_OFF = re.compile(r"(enableXsrfProtection|ENABLE_XSRF_PROTECTION)[\s\"'=:\]]*(false|0|no|off)\b", re.IGNORECASE)


def test_the_server_config_turns_xsrf_protection_on():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True


@pytest.mark.parametrize("text", ["--server.enableXsrfProtection false", "--server.enableXsrfProtection=false",
                                  "enableXsrfProtection = false", "STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION=0",
                                  'env["STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION"] = "false"'])
def test_the_check_recognises_every_way_of_turning_it_off(text):
    assert TURNED_OFF.search(text)
    assert not TURNED_OFF.search(text.replace("false", "true").replace("=0", "=1"))


def test_nothing_in_the_repository_turns_xsrf_protection_off():
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    offending = []
    for name in filter(None, (raw.decode() for raw in files)):
        path = ROOT / name
        if path.suffix not in {".py", ".toml", ".md", ".txt", ".ini", ".cfg", ".yml", ".yaml", ".sh", ""} \
                or path.name == "test_xsrf_protection.py" or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offending += [f"{name}: {match.group(0)}" for match in TURNED_OFF.finditer(text)]
    assert len(files) > 100 and not offending, offending
