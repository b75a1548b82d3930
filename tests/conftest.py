"""Fixtures shared by the tests; plain helpers called from test bodies are in tests/helpers.py."""

import pytest

from zi_data.progress_store import ProgressStore


@pytest.fixture
def store(tmp_path) -> ProgressStore:
    """A fresh data directory holding the bundled plan and no progress."""
    return ProgressStore(tmp_path / "data")
