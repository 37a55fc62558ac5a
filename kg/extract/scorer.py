"""The learned fact scorer: candidate features -> a calibrated probability that the fact is true.

A model file is JSON, small and readable: per-feature weights of a logistic regression
trained by ``kg train`` on annotated articles, a calibration map (raw score -> probability,
a table fitted on held-out folds of the training articles, so that 0.8 means "right about
four times in five"), the default threshold, and the hashes of the data and code that
made it. Scoring needs no scikit-learn: it is a sum of weights, a sigmoid and an
interpolation.
"""
from __future__ import annotations

import hashlib
import json
import math
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.errors import KGError

DEFAULT_MODEL_FILE = Path(__file__).resolve().parent.parent / "models" / "facts.json"
FORMAT = "kg-fact-scorer/1"


class ModelFileError(KGError):
    """A fact-scorer model file that cannot be used."""


@dataclass
class FactModel:
    weights: dict[str, float]
    bias: float
    calibration_x: list[float] = field(default_factory=list)   # raw probabilities, ascending
    calibration_y: list[float] = field(default_factory=list)   # calibrated probabilities
    threshold: float = 0.5        # a candidate no rule proposed needs this probability
    rule_floor: float = 0.0       # a fact a rule proposed needs this one
    meta: dict = field(default_factory=dict)

    def raw(self, features: list[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in set(features))
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))

    def probability(self, features: list[str]) -> float:
        """Calibrated probability of the candidate with these features."""
        return self.calibrate(self.raw(features))

    def calibrate(self, r: float) -> float:
        xs, ys = self.calibration_x, self.calibration_y
        if not xs:
            return r
        if r <= xs[0]:
            return ys[0]
        if r >= xs[-1]:
            return ys[-1]
        k = bisect_right(xs, r)
        x0, x1, y0, y1 = xs[k - 1], xs[k], ys[k - 1], ys[k]
        return y0 if x1 == x0 else y0 + (y1 - y0) * (r - x0) / (x1 - x0)

    @property
    def version(self) -> str:
        """Content hash: part of the extraction cache key, so a new model re-extracts."""
        return hashlib.sha256(json.dumps(self.to_json(), sort_keys=True).encode()).hexdigest()[:16]

    def to_json(self) -> dict:
        return {"format": FORMAT, "meta": self.meta, "threshold": self.threshold, "rule_floor": self.rule_floor,
                "bias": self.bias,
                "calibration": {"x": self.calibration_x, "y": self.calibration_y},
                "weights": dict(sorted(self.weights.items()))}

    def save(self, path: str | Path) -> Path:
        from kg.io import atomic_write_text

        path = Path(path)
        atomic_write_text(path, json.dumps(self.to_json(), indent=1, ensure_ascii=False) + "\n")
        return path

    @classmethod
    def from_json(cls, data: dict, source: str = "model") -> "FactModel":
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ModelFileError(f"{source}: not a kg fact-scorer model (expected format {FORMAT!r}); "
                                 f"make one with `kg train`")
        try:
            cal = data.get("calibration") or {}
            return cls(weights={str(k): float(v) for k, v in data["weights"].items()}, bias=float(data["bias"]),
                       calibration_x=[float(x) for x in cal.get("x", [])],
                       calibration_y=[float(y) for y in cal.get("y", [])],
                       threshold=float(data.get("threshold", 0.5)), rule_floor=float(data.get("rule_floor", 0.0)),
                       meta=dict(data.get("meta", {})))
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise ModelFileError(f"{source}: damaged model file ({err}); retrain it with `kg train`") from err


def load_model(path: str | Path | None = None) -> FactModel | None:
    """The model at ``path``, or the shipped one; ``None`` when no shipped model exists
    (then the rules decide alone)."""
    if path is None:
        return _load_cached(str(DEFAULT_MODEL_FILE)) if DEFAULT_MODEL_FILE.is_file() else None
    return _load_cached(str(Path(path).resolve()))


@lru_cache(maxsize=4)
def _load_cached(path: str) -> FactModel:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise ModelFileError(f"{path}: cannot read the model file ({err.strerror})") from err
    except ValueError as err:
        raise ModelFileError(f"{path}: not JSON ({err}); retrain it with `kg train`") from err
    return FactModel.from_json(data, source=path)
