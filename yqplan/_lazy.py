"""Lazy public namespaces (PEP 562): a subpackage names its API without importing it.

``import yqplan`` and ``from yqplan.air import aqi`` stay cheap: a subpackage's
``__init__`` lists where each public name lives, and the module is imported on first use.
"""

from __future__ import annotations

import importlib


def attach(package: str, submodules: list[str], names: dict[str, str]):
    """``(__getattr__, __dir__, __all__)`` for ``package``.

    ``submodules``: modules importable as attributes (``yqplan.air.aqi``); ``names``:
    public name → the submodule that defines it (``"read_cnemc": "cnemc"``).
    """
    public = sorted(set(submodules) | set(names))

    def __getattr__(name: str):
        if name in submodules:
            return importlib.import_module(f"{package}.{name}")
        if name in names:
            return getattr(importlib.import_module(f"{package}.{names[name]}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return public

    return __getattr__, __dir__, public
