"""Annotated articles -> a fact-scorer model file (``kg train``).

The gold format is the shared one (``SCHEMA.md``): one JSON file per article with its
entities (every surface name), the facts a careful reader takes from it, optional facts and
investments. Training aligns the rules' candidates with the gold: a mention stands for the
gold entities one of its names matches, and a candidate is a positive example when the
entities of its two mentions are a gold fact, a negative one when they are not, and no
example at all when the fact is optional (or implied by a chain of places), since the gold
neither asks for it nor counts it against.

The scorer is a logistic regression over the candidates' sparse features (scikit-learn,
L2, lbfgs: deterministic for the same data). Its scores are calibrated per fact, the way
they are used: out-of-fold scores of grouped K-fold (whole articles held out) are
aggregated to one score per fact of an article (its most confident candidate) and mapped
to probabilities by Platt scaling (a logistic fit on their log-odds; ``calibration="isotonic"``
is the step-wise alternative, closer on big data but jumpy on a corpus this size).
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KGError
from kg.extract.scorer import FactModel

#: the articles' names match after these are dropped, as the shared scorer does it
NAME_SUFFIXES = {"inc", "ltd", "co", "corp", "corporation", "company", "limited", "plc", "llc", "holdings"}
LOCATION_PREDICATES = ("locatedIn", "capitalOf", "headquarteredIn", "heldIn")
DEFAULT_C = 0.5         # inverse L2 strength, chosen by grouped cross-validation on the corpus train split


class GoldError(KGError):
    """A gold folder or file that cannot be used for training or evaluation."""


def norm(name: str) -> str:
    """A name as the gold matches it: case, punctuation, a leading "the", a trailing "'s" and
    legal suffixes do not count."""
    s = unicodedata.normalize("NFKC", name).casefold().strip()
    s = re.sub(r"[\u2019']s\b", "", s)
    s = re.sub(r"[^\w\s]", " ", s)
    words = s.split()
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in NAME_SUFFIXES:
        words.pop()
    return " ".join(words)


def canon(s: str, p: str, o: str) -> tuple[str, str, str]:
    """One form per fact: ``hosts`` is ``locatedIn`` backwards, ``partnersWith`` is symmetric."""
    if p == "hosts":
        return (o, "locatedIn", s)
    if p == "partnersWith" and o < s:
        return (o, p, s)
    return (s, p, o)


@dataclass
class Gold:
    """The gold of one article."""

    doc: str
    names: dict[str, set[str]]                 # normalised name -> gold entity ids
    types: dict[str, set[str]]
    required: set[tuple[str, str, str]]
    optional: set[tuple[str, str, str]]
    investments: list[dict] = field(default_factory=list)

    def ids(self, names: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for n in names:
            if n:
                out |= self.names.get(norm(n), set())
        return out


def implied_locations(facts: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """What chains of places imply: the plant in a city is in its province too."""
    up: dict[str, set[str]] = defaultdict(set)
    for s, p, o in facts:
        if p in LOCATION_PREDICATES:
            up[s].add(o)
    out = set()
    for start in list(up):
        seen: set[str] = set()
        stack = list(up[start])
        while stack:
            x = stack.pop()
            if x not in seen:
                seen.add(x)
                stack.extend(up.get(x, ()))
        out.update((start, "locatedIn", x) for x in seen)
        out.update((start, p, x) for x in seen for p in ("headquarteredIn", "heldIn"))
    return out


def read_gold(path: Path) -> Gold:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        names: dict[str, set[str]] = defaultdict(set)
        types: dict[str, set[str]] = {}
        for eid, e in data["entities"].items():
            t = e["type"]
            types[eid] = set(t if isinstance(t, list) else [t])
            for n in e["names"]:
                names[norm(n)].add(eid)
        required = {canon(*t) for t in data["triples"]}
        optional = {canon(*t) for t in data.get("optional", [])}
    except OSError as err:
        raise GoldError(f"{path}: cannot read ({err.strerror})") from err
    except (ValueError, KeyError, TypeError) as err:
        raise GoldError(f"{path}: not a gold file in the SCHEMA.md format ({type(err).__name__}: {err})") from err
    optional = (optional | implied_locations(required | optional)) - required
    return Gold(str(data.get("doc", path.name)), dict(names), types, required, optional,
                list(data.get("investments", [])))


def read_gold_dir(folder: str | Path) -> dict[str, Gold]:
    """Gold files of a folder by the stem of the article they annotate."""
    folder = Path(folder)
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        raise GoldError(f"{folder}: no gold files (*.json) there")
    return {Path(g.doc).stem: g for g in map(read_gold, files)}


def mention_names(doc, m, proposal) -> set[str]:
    """The names a mention goes out under: its normalised name, its label, and every surface
    form the build gives it (``kg.extract.naming``)."""
    from kg.extract.naming import surface_forms

    return {m.name, m.label_text, *surface_forms(doc, m, proposal.finder.by_tok, proposal.mentions)}


@dataclass
class Example:
    article: str
    key: tuple[int, str, int]
    features: list[str]
    label: int
    facts: tuple[tuple[str, str, str], ...] = ()    # the gold facts a true candidate states


def label_candidates(doc, proposal, gold: Gold, article_id: str) -> list[Example]:
    """Training examples of one article: its candidates with gold labels (optional facts left out)."""
    ms = proposal.mentions
    ids = [gold.ids(mention_names(doc, m, proposal)) for m in ms]
    gold_heads = {n.split()[-1] for n in gold.names if n}
    # a description the gold names otherwise ("the first Stargate data center" for "Stargate
    # data center": the same head word) may be right or wrong: it gives no example
    unsure = [not ids[i] and m.descriptive and norm(doc[m.head].text) in gold_heads for i, m in enumerate(ms)]
    out = []
    for c in proposal.candidates:
        if unsure[c.s] or unsure[c.o]:
            continue
        facts = {canon(a, c.p, b) for a in ids[c.s] for b in ids[c.o]}
        if facts & gold.required:
            out.append(Example(article_id, c.key, c.features, 1, tuple(sorted(facts & gold.required))))
        elif not facts & gold.optional:
            out.append(Example(article_id, c.key, c.features, 0))
    return out


def collect(pairs: Iterable[tuple[object, object]], gold: dict[str, Gold]) -> list[Example]:
    """Examples of parsed articles: ``pairs`` of (Doc, Article) with gold for each article."""
    from kg.extract import propose

    out: list[Example] = []
    for doc, article in pairs:
        g = gold.get(article.id)
        if g is None:
            continue
        out.extend(label_candidates(doc, propose(doc), g, article.id))
    return out


def fit(examples: Sequence[Example], *, c: float = DEFAULT_C, folds: int = 5, min_count: int = 2,
        calibration: str = "platt", meta: dict | None = None) -> FactModel:
    """A calibrated fact scorer from labelled examples (deterministic)."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.isotonic import IsotonicRegression
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    if not examples or len({e.label for e in examples}) < 2:
        raise GoldError("training needs both true and false candidates; annotate more articles "
                        f"(got {sum(e.label for e in examples)} true of {len(examples)})")
    counts: dict[str, int] = defaultdict(int)
    for e in examples:
        for f in set(e.features):
            counts[f] += 1
    kept = [[f for f in set(e.features) if counts[f] >= min_count] for e in examples]
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([{f: 1.0 for f in fs} for fs in kept])
    y = np.array([e.label for e in examples])
    groups = np.array([e.article for e in examples])

    def model() -> LogisticRegression:
        return LogisticRegression(C=c, max_iter=5000, solver="lbfgs")

    # out-of-fold scores, one per fact of an article, for the calibration
    oof = np.zeros(len(examples))
    n_folds = min(folds, len(set(groups)))
    if n_folds >= 2:
        for tr, te in GroupKFold(n_splits=n_folds).split(x, y, groups):
            if len(set(y[tr])) < 2:
                continue
            oof[te] = model().fit(x[tr], y[tr]).predict_proba(x[te])[:, 1]
    best: dict[tuple, tuple[float, int]] = {}
    for e, s in zip(examples, oof):
        k = (e.article, e.key)
        best[k] = max(best.get(k, (0.0, 0)), (float(s), e.label))
    final = model().fit(x, y)
    weights = {f: round(float(w), 5) for f, w in zip(vec.get_feature_names_out(), final.coef_[0])
               if abs(w) >= 1e-4}
    cal_x: list[float] = []
    cal_y: list[float] = []
    if n_folds >= 2 and len({lab for _, lab in best.values()}) == 2:
        scores = np.array([s for s, _ in best.values()])
        labels = np.array([lab for _, lab in best.values()])
        if calibration == "isotonic":
            iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(scores, labels)
            cal_x = [round(float(v), 6) for v in iso.X_thresholds_]
            cal_y = [round(float(v), 6) for v in iso.y_thresholds_]
        else:
            # Platt scaling on the log-odds: smooth, so a small change to the data cannot move a
            # flat step of the map across the threshold; kept as a dense table of the same format
            logit = np.log(np.clip(scores, 1e-6, 1 - 1e-6) / (1 - np.clip(scores, 1e-6, 1 - 1e-6)))
            platt = LogisticRegression(C=1e6, max_iter=1000).fit(logit.reshape(-1, 1), labels)
            grid = np.unique(np.concatenate([np.linspace(0.0005, 0.9995, 200), np.quantile(scores, np.linspace(0, 1, 51))]))
            glogit = np.log(grid / (1 - grid)).reshape(-1, 1)
            cal_x = [round(float(v), 6) for v in grid]
            cal_y = [round(float(v), 6) for v in platt.predict_proba(glogit)[:, 1]]
    info = dict(meta or {})
    info.update({"examples": len(examples), "positives": int(y.sum()), "features": len(weights),
                 "C": c, "folds": n_folds, "facts_calibrated": len(best), "calibration": calibration})
    return FactModel(weights=weights, bias=round(float(final.intercept_[0]), 5),
                     calibration_x=cal_x, calibration_y=cal_y, meta=info)


def code_hash() -> str:
    """Hash of the code and pattern data that turn articles into candidates and features."""
    from kg.pipeline import extractor_version

    return extractor_version(include_model=False)


def data_hash(articles: Sequence[object], gold_dir: str | Path) -> str:
    """Hash of the training articles' texts and of the gold files."""
    h = hashlib.sha256()
    for a in sorted(articles, key=lambda a: a.id):
        h.update(a.id.encode())
        h.update(a.text.encode("utf-8", "surrogatepass"))
    for f in sorted(Path(gold_dir).glob("*.json")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def train(articles_dir: str | Path, gold_dir: str | Path, *, model: str, c: float = DEFAULT_C) -> FactModel:
    """Parse the articles, align their candidates with the gold and fit a scorer."""
    from kg.corpus import iter_articles
    from kg.model import Skipped
    from kg.nlp import load_pipeline

    gold = read_gold_dir(gold_dir)
    articles = [a for a in iter_articles([articles_dir]) if not isinstance(a, Skipped) and a.id in gold]
    if not articles:
        raise GoldError(f"{articles_dir}: no article there has a gold file in {gold_dir} "
                        f"(gold files name their article in 'doc')")
    nlp = load_pipeline(model)
    pairs = nlp.pipe(((a.text, a) for a in articles), as_tuples=True, batch_size=16)
    examples = collect(pairs, gold)
    meta = {"articles": len(articles), "data_sha": data_hash(articles, gold_dir), "code_sha": code_hash(),
            "spacy_model": model}
    return fit(examples, c=c, meta=meta)
