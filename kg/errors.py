"""Exceptions the library raises; the CLI turns them into one-line messages."""
from __future__ import annotations


class KGError(Exception):
    """Base class of every error kg raises on purpose."""


class InputError(KGError):
    """An input path or article cannot be read; the message names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class OutputError(KGError):
    """An output location cannot be written."""


class ModelError(KGError):
    """The spaCy pipeline cannot be loaded."""


class QueryError(KGError):
    """A SPARQL query is malformed or failed."""


class StoreError(KGError):
    """A graph store cannot be opened, read or written."""
