"""Shared fixtures: where ../shared is, and a clear skip reason when it is absent (CI fails instead, see .ci/run)."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.skip(f"needs the shared corpus and gold at {SHARED} (not present on this machine)")
    return SHARED
