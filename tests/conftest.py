"""Shared fixtures.

Tests that need the real archives use the ``shared_data`` fixture: it points at
``yqplan.config.shared_data_dir()`` (``YQPLAN_SHARED_DATA``, default
``../shared/data``) and skips, saying why, only when that folder is absent.
"""

from __future__ import annotations

import pytest

from yqplan import config


@pytest.fixture(scope="session")
def shared_data():
    path = config.shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"real archives not found at {path} (set YQPLAN_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def cnemc_dir(shared_data):
    return shared_data / "cnemc"


@pytest.fixture(scope="session")
def water_dir(shared_data):
    return shared_data / "water"
