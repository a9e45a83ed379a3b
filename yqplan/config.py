"""Where things are: the one place that resolves the project's paths.

Every function reads the environment when called (no module-level state), so a
test, a notebook parameter or a cron job can point the library elsewhere.

=====================  ================================  ==============================
function               environment variable              default
=====================  ================================  ==============================
``project_root()``     ``YQPLAN_ROOT``                   the checkout holding ``yqplan/``
``data_dir()``         ``YQPLAN_DATA``                   ``<root>/data``
``shared_data_dir()``  ``YQPLAN_SHARED_DATA``            ``<root>/../shared/data``
``store_dir()``        ``YQPLAN_STORE``                  ``<root>/data/store``
``demo_dir()``         ``YQPLAN_DEMO``                   ``<root>/data/demo``
``demo_store_dir()``   ``YQPLAN_DEMO_STORE``             ``<root>/data/demo-store``
``reports_dir()``      ``YQPLAN_REPORTS``                ``<root>/reports``
=====================  ================================  ==============================

The real archives under ``shared_data_dir()`` are used by tests and benchmarks
only; they are never copied into the repository.
"""

from __future__ import annotations

import os
from pathlib import Path


def _env_path(var: str, default: Path) -> Path:
    value = os.environ.get(var)
    return Path(value).expanduser() if value else default


def project_root() -> Path:
    """The checkout root (``YQPLAN_ROOT`` overrides)."""
    return _env_path("YQPLAN_ROOT", Path(__file__).resolve().parent.parent)


def data_dir() -> Path:
    """Shipped data: ``plan/``, ``official/``, ``water/`` (``YQPLAN_DATA`` overrides)."""
    return _env_path("YQPLAN_DATA", project_root() / "data")


def shared_data_dir() -> Path:
    """The real CNEMC and water archives (``YQPLAN_SHARED_DATA`` overrides)."""
    return _env_path("YQPLAN_SHARED_DATA", project_root().parent / "shared" / "data")


def store_dir() -> Path:
    """The Parquet store of the real air data, written by ``yqplan air ingest`` (``YQPLAN_STORE``)."""
    return _env_path("YQPLAN_STORE", data_dir() / "store")


def demo_dir() -> Path:
    """The generated synthetic demonstration archive (``YQPLAN_DEMO``)."""
    return _env_path("YQPLAN_DEMO", data_dir() / "demo")


def demo_store_dir() -> Path:
    """The store of the synthetic demonstration data (``YQPLAN_DEMO_STORE``).

    Never the same folder as :func:`store_dir` (real data): one store per source.
    """
    return _env_path("YQPLAN_DEMO_STORE", data_dir() / "demo-store")


def reports_dir() -> Path:
    """Rendered report runs (``YQPLAN_REPORTS``)."""
    return _env_path("YQPLAN_REPORTS", project_root() / "reports")


#: The public API of this module (anything else is private to it).
__all__ = ["project_root", "data_dir", "shared_data_dir", "store_dir", "demo_dir",
           "demo_store_dir", "reports_dir"]
