"""kg: news articles -> a knowledge graph of regional technology and industrial development.

Public API (imports stay cheap; heavy modules load on first use)::

    from kg import build, open_dataset, run_query, open_backend
    report = build(["seeds/"], "out/")                   # graph.ttl, store/, graph.html
    ds = open_dataset("out/")                            # an rdflib Dataset copy of the store
    rows = run_query(open_backend("out/"), named="investments").rows
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = ["build", "BuildReport", "open_dataset", "open_backend", "run_query", "KGError"]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from kg.errors import KGError
    from kg.pipeline import BuildReport, build
    from kg.query import open_backend, run_query
    from kg.store import open_dataset

_WHERE = {
    "build": "kg.pipeline", "BuildReport": "kg.pipeline",
    "open_dataset": "kg.store",
    "open_backend": "kg.query", "run_query": "kg.query",
    "KGError": "kg.errors",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
