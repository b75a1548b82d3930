"""The rule for a test whose tool or server is missing (helpers.skip_or_fail, required_tool): skipped with the
reason on a developer's machine, a failure under CI=true, where every test must run. The browser, axe-core,
PostgreSQL, LibreOffice and pdftoppm tests all go through it."""

import os
import subprocess
import sys

import pytest

from helpers import ROOT, in_ci, required_tool, skip_or_fail

MISSING = "zi-alat-yang-tidak-ada"


@pytest.mark.parametrize("value, expected", [("true", True), ("TRUE ", True), ("", False), ("false", False),
                                             ("1", False)])
def test_ci_is_recognised_only_by_ci_true(monkeypatch, value, expected):
    monkeypatch.setenv("CI", value)
    assert in_ci() is expected


def test_a_missing_tool_fails_the_test_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=f"CI=true but the LibreOffice round trip cannot run: {MISSING}"):
        required_tool("the LibreOffice round trip", MISSING)
    with pytest.raises(pytest.fail.Exception, match="CI=true but the PostgreSQL tests cannot run: no server"):
        skip_or_fail("no server", "the PostgreSQL tests")


def test_a_missing_tool_skips_the_test_elsewhere(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=f"the pdftoppm render skipped: {MISSING} not found on PATH"):
        required_tool("the pdftoppm render", MISSING)


def test_a_tool_on_path_is_found_whatever_ci_says(monkeypatch, tmp_path):
    tool = tmp_path / MISSING
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    for ci in ("true", ""):
        monkeypatch.setenv("CI", ci)
        assert required_tool("a test", "tidak-ada-juga", MISSING) == str(tool)


TOOL_TESTS = {"the LibreOffice round trip": "tests/realisasi/test_roundtrip_libreoffice.py",
              "the pdftoppm render": "tests/monev/test_lembar_pdf.py::test_page_one_renders_with_pdftoppm"}


@pytest.mark.slow  # a child pytest
@pytest.mark.parametrize("ci", ["true", ""], ids=["ci", "elsewhere"])
def test_the_libreoffice_and_pdftoppm_tests_follow_the_rule(tmp_path, ci):
    """The real tests run by pytest with neither tool on PATH: failed under CI=true, skipped elsewhere."""
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty), "CI": ci}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "0", *TOOL_TESTS.values()], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    if ci:
        assert done.returncode == 1, done.stdout + done.stderr
        for what in TOOL_TESTS:
            assert f"CI=true but {what} cannot run" in done.stdout, done.stdout
        assert " passed" not in done.stdout and " skipped" not in done.stdout
    else:
        assert done.returncode == 0 and "2 skipped" in done.stdout and "error" not in done.stdout, done.stdout
