"""The options every command spells the same way: ``-o/--output`` is where the
result goes, ``-f/--format`` is what it is written as.

Why a module: before, ``-o`` meant ``--format`` in ``kg query``, ``--out`` in
``kg build`` and ``--output`` in ``kg view`` / ``kg export``, and ``-f`` was
``kg query --file``. One definition keeps the commands agreeing; the old long
options (``--out``, ``--file``) still work, and the old short meanings are
refused with the new spelling rather than silently doing something else.
"""
from __future__ import annotations

import argparse
from collections.abc import Sequence


def format_type(choices: Sequence[str]):
    """An argparse type for ``-f/--format`` whose error says what ``-f`` used to mean."""
    def parse(text: str) -> str:
        if text in choices:
            return text
        hint = ""
        if text.endswith((".rq", ".sparql")) or "/" in text:
            hint = f"; -f is --format in every kg command now: read a query file with --file {text}"
        raise argparse.ArgumentTypeError(f"{text!r} is not a format; choose one of {', '.join(choices)}{hint}")
    parse.__name__ = "format"
    return parse


def add_format(p: argparse.ArgumentParser, choices: Sequence[str], *, default: str | None = None,
               required: bool = False, help: str = "output format") -> None:
    """``-f/--format`` with ``choices``."""
    extra = f" (default: {default})" if default else ""
    p.add_argument("-f", "--format", type=format_type(choices), default=default, required=required,
                   metavar="{" + ",".join(choices) + "}", help=f"{help}: {', '.join(choices)}{extra}")


def add_output(p: argparse.ArgumentParser, *, help: str, metavar: str = "FILE",
               aliases: Sequence[str] = (), required: bool = False) -> None:
    """``-o/--output`` (plus old long spellings in ``aliases``, e.g. ``--out``)."""
    p.add_argument("-o", "--output", *aliases, dest="output", metavar=metavar, required=required, help=help)
