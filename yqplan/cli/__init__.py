"""The ``yqplan`` command.

Each topic lives in its own module under ``yqplan.cli`` and defines
``register(sub, group)``: ``sub`` is the top-level subparsers object and
``group(name, help)`` returns the subparsers of a command group (``air``,
``water`` …), created once, so two modules can add commands to one group.
Every leaf parser sets ``func`` (``args -> int exit code``).  Modules import
their heavy dependencies inside ``func`` so ``yqplan --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from yqplan import __version__

# Order = order in ``yqplan --help``.
COMMAND_MODULES = [
    "yqplan.cli.plan",
    "yqplan.cli.final",
    "yqplan.cli.airdata",
    "yqplan.cli.airstats",
    "yqplan.cli.water",
    "yqplan.cli.targets",
    "yqplan.cli.report",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="yqplan",
        description="Track Yangquan's 14th Five-Year ecological environment plan.")
    parser.add_argument("--version", action="version", version=f"yqplan {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    groups: dict[str, argparse._SubParsersAction] = {}

    def group(name: str, help: str):
        if name not in groups:
            p = sub.add_parser(name, help=help, description=help)
            groups[name] = p.add_subparsers(dest=f"{name}_command", metavar="SUBCOMMAND")
            p.set_defaults(func=lambda args, _p=p: (_p.print_help(), 2)[1])
        return groups[name]

    for modname in COMMAND_MODULES:
        try:
            mod = importlib.import_module(modname)
        except ModuleNotFoundError as exc:
            if exc.name == modname:  # topic not built yet
                continue
            raise
        mod.register(sub, group)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except (ValueError, FileNotFoundError) as exc:
        # Bad input: one clear line, no traceback (set YQPLAN_DEBUG=1 to see it).

        if os.environ.get("YQPLAN_DEBUG"):
            raise
        print(f"yqplan: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
