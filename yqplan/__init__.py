"""yqplan — tracking Yangquan's 14th Five-Year Ecological Environment Protection Plan.

Importing the package is silent and cheap: submodules are imported on use
(``yqplan.plan.tables``, ``yqplan.air.cnemc``, ``yqplan.air.aqi`` …), and nothing here imports
matplotlib, geopandas or papermill.
"""

import importlib

__version__ = "0.1.0"

_SUBMODULES = {
    "air", "water", "plan", "stats", "report", "analyses", "cli", "config", "errors",
    "glossary",
}


def __getattr__(name):  # PEP 562: lazy submodules keep `import yqplan` fast
    if name in _SUBMODULES:
        return importlib.import_module(f"yqplan.{name}")
    raise AttributeError(f"module 'yqplan' has no attribute {name!r}")
