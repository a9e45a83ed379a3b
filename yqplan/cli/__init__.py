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
import traceback

from yqplan import __version__
from yqplan.errors import LockHeldError, Terminated

#: Exit codes of every command (``yqplan --help`` prints this table; docs/guide/reports.md too).
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED, EXIT_IO = 0, 1, 2, 3, 4
EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_PIPE, EXIT_TERMINATED = 70, 130, 141, 143
EXIT_CODES = (
    (EXIT_OK, "success"),
    (EXIT_FAILED, "some reports (or the scoreboard) failed, or some files could not be read; "
                  "the run is kept, `latest` stays on the last successful run"),
    (EXIT_USAGE, "bad parameters or input: unknown option, invalid parameter file, a missing "
                 "or malformed input file"),
    (EXIT_LOCKED, "refused: another run (or ingest) holds the lock"),
    (EXIT_IO, "I/O error: read-only or full disk, permission denied"),
    (EXIT_INTERNAL, "internal error (a bug: the traceback is printed)"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C, SIGINT)"),
    (EXIT_PIPE, "the output pipe closed early (e.g. `| head`); nothing printed"),
    (EXIT_TERMINATED, "terminated (SIGTERM)"),
)

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
        description="Track Yangquan's 14th Five-Year ecological environment plan.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="exit codes (every command; errors are one line on stderr, prefixed 'yqplan:'):\n"
               + "\n".join(f"  {code:>3}  {text}" for code, text in EXIT_CODES))
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


def _one_line(exc: BaseException) -> str:
    return "; ".join(line.strip() for line in str(exc).splitlines() if line.strip()) \
        or type(exc).__name__


def _quiet_stdout() -> None:
    """After a closed pipe: send what is still buffered to /dev/null (no error at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def main(argv=None) -> int:
    """Run one command; return its exit code (:data:`EXIT_CODES`).

    Every expected failure is one line on stderr, no traceback (``YQPLAN_DEBUG=1``
    re-raises it to show one).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    debug = bool(os.environ.get("YQPLAN_DEBUG"))
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except BrokenPipeError:
        # `yqplan air read … | head`: the reader has what it wanted; end quietly.
        _quiet_stdout()
        return EXIT_PIPE
    except LockHeldError as exc:
        if debug:
            raise
        print(f"yqplan: refused: {_one_line(exc)}", file=sys.stderr)
        return EXIT_LOCKED
    except (ValueError, FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        # Bad input: one clear line (a parameter file's problems joined by "; ").
        if debug:
            raise
        what = "invalid parameters: " if type(exc).__name__ == "ParamsError" else ""
        print(f"yqplan: error: {what}{_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        if debug:
            raise
        where = f" ({exc.filename})" if exc.filename and str(exc.filename) not in str(exc) else ""
        print(f"yqplan: I/O error: {_one_line(exc)}{where}", file=sys.stderr)
        return EXIT_IO
    except KeyboardInterrupt:
        print("yqplan: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("yqplan: terminated (SIGTERM)", file=sys.stderr)
        return EXIT_TERMINATED
    except Exception as exc:  # noqa: BLE001 - a bug: show where, then one line

        traceback.print_exc()
        print(f"yqplan: internal error: {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
