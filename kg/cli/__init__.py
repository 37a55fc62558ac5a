"""The ``kg`` command line: parse arguments, call the library, report.

Each group of commands lives in its own module with a ``register(subparsers)``
function, so commands stay small and independent. The library raises
``KGError``; here it becomes a one-line message and a non-zero exit status.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from kg.errors import KGError

#: Modules that add sub-commands (each has ``register(subparsers)``).
COMMAND_MODULES = ("kg.cli.build", "kg.cli.learn", "kg.cli.sparql", "kg.cli.view")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Build a knowledge graph of regional technology and industrial development "
                    "from news articles, and query, serve, view and export it.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args, extra = parser.parse_known_args(argv)
    # `kg query DIR -f csv 'SELECT ...'`: argparse fills both optional positionals at
    # the first one, so QUERY after an option would be "unrecognized"; take it as QUERY
    if extra and getattr(args, "command", None) == "query" and args.query is None \
            and len(extra) == 1 and not extra[0].startswith("-"):
        args.query, extra = extra[0], []
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return int(args.func(args) or 0)
    except KGError as err:
        print(f"kg {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"kg {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
