"""Shared fixtures: the expensive things (spaCy pipeline, a build of the seeds) once per session."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kgpaths import MODEL, ROOT, SEEDS, SHARED  # noqa: F401  (re-exported for fixtures below)


@pytest.fixture(scope="session")
def nlp():
    """The spaCy pipeline kg uses, loaded once."""
    from kg.nlp import load_pipeline

    return load_pipeline(MODEL)


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """A full build of seeds/ into a fresh directory: (BuildReport, out_dir)."""
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("seed-build")
    report = build([SEEDS], out, model=MODEL)
    return report, out


@pytest.fixture(scope="session")
def test_output_dir() -> Path:
    """Where tests leave artefacts for a person to look at (screenshots, graphs)."""
    d = ROOT / "test-output"
    d.mkdir(exist_ok=True)
    return d


@pytest.fixture
def copy_seeds(tmp_path) -> Path:
    """A writable copy of seeds/ for tests that change the corpus."""
    dst = tmp_path / "corpus"
    shutil.copytree(SEEDS, dst)
    return dst
