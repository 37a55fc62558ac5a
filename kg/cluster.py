"""Extraction on a Dask cluster: ``kg build --scheduler tcp://HOST:8786`` (or ``KG_DASK_SCHEDULER``).

Why Dask (``dask.distributed``): it is plain Python, runs spaCy in worker
processes unchanged, and the same code runs on a laptop's ``LocalCluster``,
on SLURM or Kubernetes. Only the per-article work goes there: the articles
are cut into partitions of :data:`PARTITION`, each worker loads the spaCy
pipeline and the extraction tables once (:class:`PipelinePlugin`, a worker
plugin, also run again on a worker that replaces a dead one), and each
partition comes back as the very ``Extraction`` records the build's cache
holds. Resolution and output run on the client, as in a local build, so the
graph is the one a local build makes.

Failures: a partition whose worker dies is run again by the scheduler on
another worker (Dask's own retry of lost tasks). A partition that raises
(or kills its workers over and over) is run again one article per task, and
an article that still fails is reported as ``Skipped`` like a bad file in a
local build. A worker whose kg extracts differently from the client's (another
kg version) stops the build with a message, since its records would not be
the ones the cache is keyed on.

Not on the cluster: the per-article time budgets of :mod:`kg.budget` (they fork,
which is unsafe in a worker's threads); the inputs that made spaCy super-linear
are cut before extraction (:mod:`kg.corpus`) wherever it runs.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from kg.errors import KGError
from kg.model import Article, Extraction, Skipped

#: Articles per task: large enough that scheduling costs little beside spaCy, small enough
#: that a lost worker costs little and every worker has work on a few hundred articles.
PARTITION = 16
PLUGIN_NAME = "kg-pipeline"
CONNECT_TIMEOUT = 30


class ClusterError(KGError):
    """The cluster cannot be reached, or its workers cannot extract as this kg does."""


class VersionMismatch(Exception):
    """Raised on a worker whose extractor is not the client's (another kg version)."""


def _plugin_class() -> type:
    from distributed.diagnostics.plugin import WorkerPlugin

    class PipelinePlugin(WorkerPlugin):
        """Loads the spaCy pipeline, the tables and the fact scorer once per worker process."""

        name = PLUGIN_NAME

        def __init__(self, model: str, scorer: Any, min_confidence: float | None) -> None:
            self.model = model
            self.scorer = scorer
            self.min_confidence = min_confidence

        def setup(self, worker: Any) -> None:
            from kg.extract import warm_up

            warm_up(self.model, scorer=self.scorer, min_confidence=self.min_confidence)

    return PipelinePlugin


def extract_partition(articles: list[Article], version: str) -> list[Extraction | Skipped]:
    """The task a worker runs: extractions of ``articles`` with the worker's loaded pipeline."""
    from distributed import get_worker

    from kg.extract import extract_articles
    from kg.pipeline import extractor_version

    if extractor_version() != version:
        raise VersionMismatch(f"this worker's kg extracts differently (extractor {extractor_version()}, "
                              f"the client's is {version})")
    plugin = get_worker().plugins[PLUGIN_NAME]
    return list(extract_articles(articles, model=plugin.model, scorer=plugin.scorer,
                                 min_confidence=plugin.min_confidence))


def connect(scheduler: str, timeout: float = CONNECT_TIMEOUT) -> Any:
    """A ``distributed.Client`` of the scheduler at ``scheduler``, or a ``ClusterError`` saying what to do."""
    try:
        from distributed import Client
    except ImportError as err:
        raise ClusterError("building on a Dask cluster needs dask.distributed: pip install 'kg[dask]'") from err
    try:
        return Client(scheduler, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as err:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler} ({err}); start one with "
                           f"`dask scheduler` and workers with `dask worker {scheduler}`, or build without "
                           f"--scheduler (and KG_DASK_SCHEDULER unset)") from err


def extract_on_cluster(articles: Sequence[Article], scheduler: str | Any, *, model: str, scorer: Any = None,
                       min_confidence: float | None = None,
                       partition: int = PARTITION) -> Iterator[Extraction | Skipped]:
    """Extractions of ``articles``, in their order, made on the Dask cluster at ``scheduler``
    (an address, or a ``distributed.Client`` the caller keeps)."""
    from kg.pipeline import extractor_version

    client = connect(scheduler) if isinstance(scheduler, str) else scheduler
    try:
        client.register_plugin(_plugin_class()(model, scorer, min_confidence), name=PLUGIN_NAME)
        version = extractor_version()
        todo = list(articles)
        parts = [todo[i:i + partition] for i in range(0, len(todo), max(1, partition))]
        futures = client.map(extract_partition, parts, version=version, pure=False)
        try:
            for part, future in zip(parts, futures):
                yield from _results(client, part, future, version)
        finally:
            client.cancel(futures)
    finally:
        if isinstance(scheduler, str):
            client.close()


def _results(client: Any, part: list[Article], future: Any, version: str) -> Iterator[Extraction | Skipped]:
    """A partition's records; when it failed, its articles one task each, and the ones that still
    fail as ``Skipped`` with the reason."""
    try:
        yield from future.result()
        return
    except VersionMismatch as err:
        raise ClusterError(f"{err}; install on the workers the kg the client runs") from err
    except Exception:       # the task raised, or its workers died too often (KilledWorker)
        if len(part) == 1:
            yield from _alone(client, part[0], future, version)
            return
    for art in part:
        yield from _alone(client, art, client.submit(extract_partition, [art], version=version, pure=False), version)


def _alone(client: Any, art: Article, future: Any, version: str) -> Iterator[Extraction | Skipped]:
    try:
        yield from future.result()
    except VersionMismatch as err:
        raise ClusterError(f"{err}; install on the workers the kg the client runs") from err
    except Exception as err:
        yield Skipped(art.source, f"extraction failed on the Dask cluster ({type(err).__name__}: "
                                  f"{' '.join(str(err).split())[:300]}); please report this article")
