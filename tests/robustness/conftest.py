"""Fixtures for the hardening suite (helpers in ``servehelp``)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.store import save_dataset
from kgsample import mini_dataset
from servehelp import Served, start_serve, stop


@pytest.fixture(scope="session")
def mini_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("robust-serve")
    save_dataset(mini_dataset(), out)
    return out


@pytest.fixture(scope="module")
def served(mini_out) -> Iterator[Served]:
    """One read-only ``kg serve`` process shared by a module's tests."""
    s = start_serve(mini_out, "--timeout", "2")
    yield s
    stop(s)
