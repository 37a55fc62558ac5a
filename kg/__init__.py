"""kg: news articles -> a knowledge graph of regional technology and industrial development.

Public API (imports stay cheap; heavy modules load on first use)::

    from kg import build
    report = build(["seeds/"], "out/")
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["build", "BuildReport", "KGError"]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from kg.pipeline import BuildReport, build
    from kg.errors import KGError


def __getattr__(name: str) -> Any:
    if name in ("build", "BuildReport"):
        from kg import pipeline
        return getattr(pipeline, name)
    if name == "KGError":
        from kg.errors import KGError
        return KGError
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
