"""The embedded Oxigraph store a build keeps under ``DIR/store``.

Layout on disk::

    DIR/store/                     the pyoxigraph (RocksDB) store: one named graph
                                   per article, plus the entities and ontology graphs
    DIR/.kg/store-manifest.json    per named graph: a digest of its triples and their count

Why the manifest: a second build should touch only what changed. It compares
each graph's digest with the manifest and, in one SPARQL update (which
Oxigraph applies as a single transaction), drops the graphs that are gone and
rewrites the ones that changed. When there is no manifest, the store looks
tampered with, or most of the graph changed, it builds a fresh store in a
temporary directory with ``bulk_load`` and swaps it in. A large graph that
changed a little (the entities graph when one article names a new company)
is updated by its difference, not rewritten whole. The manifest also keeps the
store's files (names, sizes, times) as the build left them: while they are
unchanged, its triple counts are trusted without counting the store again;
otherwise every graph is counted and one whose count differs is rewritten. The manifest is
removed before any write and written back last, so a crash half-way leaves
no manifest and the next build starts clean.

A damaged store (RocksDB reports "Corruption" for a garbled ``CURRENT``,
``MANIFEST`` or ``.sst``; pyoxigraph raises it as ``RuntimeError``) is
``StoreDamaged`` for readers, with a message that says to build again, and a
build simply replaces it with a fresh bulk load.

Readers (``kg query``, ``kg serve``) open the store read-only, which takes no
lock; a reader sees the store as it was when it opened it, so the server
reopens it when the manifest changes.
"""
from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kg.errors import QueryError, StoreError
from kg.io import atomic_write_text
from kg.store.base import QueryOutcome, QueryTimeout, Row, Term, syntax_error
from kg.store.limits import check_query, check_update

if TYPE_CHECKING:
    import pyoxigraph as ox
    from rdflib import Dataset

STORE_DIRNAME = "store"
MANIFEST_NAME = ".kg/store-manifest.json"
MANIFEST_FORMAT = 1
DEFAULT_GRAPH_KEY = ""          # manifest key of the default graph
#: Above this many changed triples a fresh bulk load beats a SPARQL update.
MAX_INCREMENTAL_TRIPLES = 200_000

RDFLIB_DEFAULT = "urn:x-rdflib:default"   # how some rdflib versions name the default graph
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class StoreLocked(StoreError):
    """Another process holds the store's write lock."""


class StoreDamaged(StoreError):
    """RocksDB reports corruption (a garbled ``CURRENT``, ``MANIFEST`` or ``.sst``).
    A build replaces such a store with a fresh one made from the graph."""


def _damaged(path: Path, err: BaseException) -> StoreDamaged:
    return StoreDamaged(f"the graph store {path} is damaged ({' '.join(str(err).split())[:300]}); build "
                        f"again into {path.parent} (`kg build ... --out {path.parent}`) to replace it")


@dataclass
class SaveStats:
    """What :func:`sync_store` did; the build report and the tests read it."""

    path: Path
    mode: str = "unchanged"          # "full", "incremental" or "unchanged"
    graphs: int = 0
    triples: int = 0
    written: list[str] = field(default_factory=list)   # graphs (re)written
    dropped: list[str] = field(default_factory=list)   # graphs removed


def store_path(out_dir: str | Path) -> Path:
    """Where the build in ``out_dir`` keeps its store."""
    return Path(out_dir) / STORE_DIRNAME


def _manifest_path(out_dir: Path) -> Path:
    return out_dir / MANIFEST_NAME


# ----------------------------------------------------------------- opening


def _ox():
    """pyoxigraph, imported on first use so ``import kg`` stays cheap."""
    import pyoxigraph

    return pyoxigraph


def open_store(out_dir: str | Path, *, read_only: bool = True) -> "ox.Store":
    """Open the store of the build in ``out_dir``.

    Read-only by default: that takes no lock, so any number of readers can
    run beside a build. Read-write fails with a clear message when another
    process (``kg serve --allow-update``, ``oxigraph serve``) holds the lock.
    """
    path = store_path(out_dir)
    if not path.is_dir():
        raise StoreError(f"no graph store at {path}: run `kg build ... --out {Path(out_dir)}` first")
    ox = _ox()
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except RuntimeError as err:          # pyoxigraph raises RuntimeError("Corruption: ...")
        raise _damaged(path, err) from err
    except OSError as err:
        msg = str(err)
        if "lock" in msg.lower():
            raise StoreLocked(f"the graph store {path} is locked by another process (a running "
                             f"`kg serve --allow-update` or `oxigraph serve`?); stop it and retry") from err
        raise StoreError(f"cannot open the graph store {path}: {msg}") from err


def open_dataset(out_dir: str | Path) -> "Dataset":
    """The store as an in-memory ``rdflib.Dataset`` (a copy, union default graph).

    For Python users who want rdflib objects. It reads every quad, so use
    :func:`kg.query.run_query` (Oxigraph) rather than rdflib's SPARQL on it.
    """
    from rdflib import Dataset

    from kg.rdf import PREFIXES

    store = open_store(out_dir)
    data = store.dump(format=_ox().RdfFormat.N_QUADS)
    ds = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns, override=True)
    ds.parse(data=data, format="nquads")
    return ds


# ----------------------------------------------------------------- saving


def save_dataset(ds: "Dataset", out_dir: Path) -> Path:
    """Make the store under ``out_dir`` hold exactly the quads of ``ds``.

    Called by ``kg build`` after ``graph.ttl``; returns the store path.
    """
    data = ds.serialize(format="nquads", encoding="utf-8")
    return sync_store(data, out_dir).path


def _group_by_graph(nquads: bytes) -> dict[str, list[str]]:
    """N-Quads -> {graph IRI or "" for the default graph: sorted N-Triples lines}."""
    ox = _ox()
    graphs: dict[str, list[str]] = {}
    try:
        quads = ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
        for q in quads:
            g = q.graph_name
            if isinstance(g, ox.BlankNode):
                raise StoreError("the dataset has a graph named by a blank node; name every graph with an IRI")
            key = DEFAULT_GRAPH_KEY if isinstance(g, ox.DefaultGraph) or g.value == RDFLIB_DEFAULT else g.value
            graphs.setdefault(key, []).append(f"{q.subject} {q.predicate} {q.object} .")
    except SyntaxError as err:
        raise StoreError(f"the dataset is not valid N-Quads: {err}") from err
    for lines in graphs.values():
        lines.sort()
    return graphs


def _digest(lines: list[str]) -> str:
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def _read_manifest(out_dir: Path) -> dict[str, dict[str, Any]] | None:
    try:
        data = json.loads(_manifest_path(out_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("format") != MANIFEST_FORMAT or not isinstance(data.get("graphs"), dict):
        return None
    return data["graphs"]


def _store_files(path: Path) -> list[list] | None:
    """Name, size and modification time of every file of the store at ``path``: the manifest
    keeps them as the store was left, so a store nothing has written to since is trusted
    without counting its triples (a count of every graph took a second at 1,000 articles)."""
    try:
        rows = []
        for f in sorted(p for p in path.rglob("*") if p.is_file()):
            st = f.stat()
            rows.append([str(f.relative_to(path)), st.st_size, st.st_mtime_ns])
        return rows
    except OSError:
        return None


def _manifest_store_files(out_dir: Path) -> list[list] | None:
    try:
        files = json.loads(_manifest_path(out_dir).read_text(encoding="utf-8")).get("store_files")
    except (OSError, ValueError, AttributeError):
        return None
    return files if isinstance(files, list) else None


def _graph_counts(store: "ox.Store") -> dict[str, int]:
    """Triples per graph as the store has them (to notice edits made behind our back)."""
    counts = {DEFAULT_GRAPH_KEY: 0}
    for sol in store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
        counts[sol["g"].value] = int(sol["n"].value)
    counts[DEFAULT_GRAPH_KEY] = int(next(iter(store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    return counts


def sync_store(nquads: bytes, out_dir: str | Path, *, max_incremental: int = MAX_INCREMENTAL_TRIPLES) -> SaveStats:
    """Make ``out_dir/store`` hold exactly the quads in ``nquads``.

    Incremental (one transactional SPARQL update) when a valid manifest says
    what the store holds and the change is small; a fresh bulk load swapped
    into place otherwise.
    """
    ox = _ox()
    return sync_graphs(_group_by_graph(nquads), out_dir, max_incremental=max_incremental,
                       load=lambda store: store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS))


class LineSource(Protocol):
    """Named graphs as the store takes them: what :class:`kg.ntriples.Graphs` gives after
    ``finish()`` (the lines on disk), or lines in memory (a dict, see :func:`sync_graphs`).
    Graph keys are IRIs, or "" for the default graph; lines are canonical N-Triples."""

    def graph_stats(self) -> dict[str, tuple[str, int]]:
        """Graph key -> (the :func:`_digest` of its sorted lines, its number of lines)."""
        ...

    def lines_of(self, names: Iterable[str]) -> dict[str, list[str]]:
        """The sorted lines of the graphs ``names``."""
        ...

    def nquads_chunks(self, lines: int) -> Iterator[bytes]:
        """Every graph as N-Quads, at most ``lines`` quads per piece."""
        ...


class _InMemory:
    """A :class:`LineSource` of a dict of sorted lines per graph key."""

    def __init__(self, graphs: dict[str, list[str]]) -> None:
        self.graphs = graphs

    def graph_stats(self) -> dict[str, tuple[str, int]]:
        return {k: (_digest(v), len(v)) for k, v in self.graphs.items()}

    def lines_of(self, names: Iterable[str]) -> dict[str, list[str]]:
        return {k: self.graphs.get(k, []) for k in names}

    def nquads_chunks(self, lines: int) -> Iterator[bytes]:
        chunk: list[str] = []
        for name, graph in self.graphs.items():
            tail = " ." if name == DEFAULT_GRAPH_KEY else f" <{name}> ."
            for line in graph:
                chunk.append(line[:-2] + tail)
                if len(chunk) >= lines:
                    yield "\n".join(chunk).encode("utf-8")
                    chunk.clear()
        if chunk:
            yield "\n".join(chunk).encode("utf-8")


def sync_graphs(graphs: "dict[str, list[str]] | LineSource", out_dir: str | Path, *,
                max_incremental: int = MAX_INCREMENTAL_TRIPLES,
                load: "Callable[[ox.Store], None] | None" = None) -> SaveStats:
    """Make ``out_dir/store`` hold exactly ``graphs``: what ``kg build`` calls, with the
    :class:`kg.ntriples.Graphs` of the build (lines on disk), or a dict of graph IRI (or ""
    for the default graph) -> its triples as sorted canonical N-Triples lines. Only the lines
    of the graphs that changed are read into memory. ``load`` fills a fresh store (default:
    the quads, bulk-loaded :data:`BULK_CHUNK` at a time)."""
    source: LineSource = _InMemory(graphs) if isinstance(graphs, dict) else graphs
    out = Path(out_dir)
    counted = source.graph_stats()
    manifest = {k: {"digest": digest, "triples": n} for k, (digest, n) in counted.items()}
    manifest.setdefault(DEFAULT_GRAPH_KEY, {"digest": _digest([]), "triples": 0})
    stats = SaveStats(path=store_path(out), graphs=sum(1 for k in counted if k),
                      triples=sum(n for _, n in counted.values()))

    old = _read_manifest(out)
    # taken before the store is opened for writing (RocksDB writes files when it opens)
    untouched = old is not None and (files := _manifest_store_files(out)) is not None \
        and files == _store_files(stats.path)
    _manifest_path(out).unlink(missing_ok=True)      # dirty until written back
    done = False
    if old is not None and stats.path.is_dir():
        try:
            done = _try_incremental(source, set(counted), manifest, old, out, stats, max_incremental,
                                    untouched=untouched)
        except StoreLocked:
            raise
        except (StoreError, RuntimeError):     # unreadable or damaged store: start over
            done = False
    if not done:
        _full_rebuild(load or (lambda store: _bulk_load(store, source)), out)
        stats.mode = "full"
        stats.written = sorted(k for k in counted if k)
        stats.dropped = []
    _manifest_path(out).parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(_manifest_path(out), json.dumps(
        {"format": MANIFEST_FORMAT, "written": time.time(), "graphs": manifest,
         "store_files": _store_files(stats.path)}, indent=1, sort_keys=True))
    return stats


def _graph_ref(key: str) -> str:
    return "DEFAULT" if key == DEFAULT_GRAPH_KEY else f"GRAPH <{key}>"


#: A changed graph of more triples than this that the store holds is updated by its difference
#: (DELETE DATA / INSERT DATA of the triples that differ), not dropped and inserted whole: one new
#: entity rewrote all 29,000 triples of the entities graph of 1,000 articles (1.5 s).
DIFF_MIN_TRIPLES = 2_000


def _try_incremental(source: LineSource, keys: set[str], manifest: dict, old: dict, out: Path,
                     stats: SaveStats, max_incremental: int, *, untouched: bool = False) -> bool:
    """Apply the difference in one transaction; False when a full rebuild is better.
    ``keys``: the graphs ``source`` has. ``untouched``: the store's files are as the last
    build left them, so the manifest's counts are the store's (not counted again)."""
    store = open_store(out, read_only=False)
    try:
        actual = ({k: int(v.get("triples", 0)) for k, v in old.items()} if untouched
                  else _graph_counts(store))
        actual.setdefault(DEFAULT_GRAPH_KEY, 0)
        # a graph is trusted only if the store still holds what the manifest says
        trusted = {k for k, v in old.items() if actual.get(k, 0) == v.get("triples")}
        present = {k for k, n in actual.items() if n or k == DEFAULT_GRAPH_KEY}
        dropped = sorted(k for k in present if k not in manifest and k != DEFAULT_GRAPH_KEY)
        written = sorted(k for k, v in manifest.items()
                         if k not in trusted or old[k].get("digest") != v["digest"])
        if DEFAULT_GRAPH_KEY not in keys and actual.get(DEFAULT_GRAPH_KEY, 0) == 0:
            written = [k for k in written if k != DEFAULT_GRAPH_KEY]
        changed = sum(manifest[k]["triples"] for k in written)
        if changed > max_incremental:
            return False
        if written or dropped:
            graphs = source.lines_of([k for k in written if k in keys])
            differ = {k: d for k in written if k in trusted and k != DEFAULT_GRAPH_KEY
                      and actual.get(k, 0) > DIFF_MIN_TRIPLES and (d := _difference(store, k, graphs.get(k, [])))}
            parts = [f"DROP SILENT {_graph_ref(k)}" for k in (*dropped, *written) if k not in differ]
            deletes, inserts = [], []
            for k in written:
                lines = differ[k][1] if k in differ else graphs.get(k, [])
                body = "\n".join(lines)
                if k in differ and differ[k][0]:
                    deletes.append(f"GRAPH <{k}> {{\n" + "\n".join(differ[k][0]) + "\n}")
                if not body:
                    continue
                inserts.append(body if k == DEFAULT_GRAPH_KEY else f"GRAPH <{k}> {{\n{body}\n}}")
            if deletes:
                parts.append("DELETE DATA {\n" + "\n".join(deletes) + "\n}")
            if inserts:
                parts.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
            try:
                store.update(" ;\n".join(parts))
            except (SyntaxError, OSError) as err:
                raise StoreError(f"cannot update the graph store {stats.path}: {err}") from err
            store.flush()
        stats.mode = "incremental" if (written or dropped) else "unchanged"
        stats.written = [k for k in written if k]
        stats.dropped = dropped
        return True
    finally:
        del store
        gc.collect()


def _difference(store: "ox.Store", name: str, lines: list[str]) -> tuple[list[str], list[str]] | None:
    """(lines to delete, lines to insert) that turn graph ``name`` of ``store`` into ``lines``,
    or None when the graph holds a blank node (DELETE DATA cannot name one)."""
    ox = _ox()
    held: set[str] = set()
    for q in store.quads_for_pattern(None, None, None, ox.NamedNode(name)):
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode):
            return None
        held.add(f"{q.subject} {q.predicate} {q.object} .")
    new = set(lines)
    if any("_:" in line for line in new - held):
        return None
    return sorted(held - new), [line for line in lines if line not in held]


def check_writable(out_dir: str | Path) -> None:
    """Raise ``StoreLocked`` when another process holds the store's write lock.

    A build calls this before it replaces anything (``graph.ttl`` included),
    so a refused build leaves every output as it was. A damaged store is not
    an obstacle: the build replaces it.
    """
    if not store_path(out_dir).is_dir():
        return
    try:
        probe = open_store(out_dir, read_only=False)
    except StoreDamaged:
        return
    del probe
    gc.collect()


#: Quads per call of Oxigraph's bulk loader: it holds a call's quads in memory while it sorts
#: them (2.2 million at once: 720 MB more; 200,000: 300 MB; 50,000: 110 MB). Each call writes
#: files of its own, so the store is compacted after a full load (``Store.optimize``): loaded
#: 50,000 at a time and compacted, 3.2 million quads took about 10% more CPU than 200,000 at a
#: time uncompacted, and a five-pattern join over them ran in 5.7 s instead of 9.6 s.
BULK_CHUNK = 50_000


def _bulk_load(store: "ox.Store", source: LineSource) -> None:
    """Bulk-load ``source`` in chunks of :data:`BULK_CHUNK` quads, so memory stays bounded."""
    ox = _ox()
    for chunk in source.nquads_chunks(BULK_CHUNK):
        store.bulk_load(chunk, format=ox.RdfFormat.N_QUADS)


def _full_rebuild(load: "Callable[[ox.Store], None]", out: Path) -> None:
    """Bulk-load into a temporary store beside the old one, then swap directories."""
    ox = _ox()
    target = store_path(out)
    check_writable(out)
    tmp = out / f".store-tmp-{os.getpid()}-{threading.get_ident()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        store = ox.Store(str(tmp))
        try:
            load(store)
            store.optimize()
            store.flush()
        finally:
            del store
            gc.collect()
        old = out / f".store-old-{os.getpid()}"
        if target.exists():
            os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    except (OSError, SyntaxError) as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise StoreError(f"cannot write the graph store {target}: {err}") from err


# ----------------------------------------------------------------- querying


def term_json(term: Any) -> Term:
    """A pyoxigraph term as a SPARQL 1.1 Results JSON term."""
    convert = _converters().get(type(term))
    if convert is None:
        raise QueryError(f"unexpected term in a query result: {term!r}")
    return convert(term)


_CONVERTERS: dict[type, Any] = {}


def _converters() -> dict[type, Any]:
    """Type -> converter, built once: this runs for every term of every result row."""
    if _CONVERTERS:
        return _CONVERTERS
    ox = _ox()

    def literal(t: Any) -> Term:
        if t.language:
            return {"type": "literal", "value": t.value, "xml:lang": t.language}
        dt = t.datatype.value
        if dt == XSD_STRING:
            return {"type": "literal", "value": t.value}
        return {"type": "literal", "value": t.value, "datatype": dt}

    _CONVERTERS.update({
        ox.NamedNode: lambda t: {"type": "uri", "value": t.value},
        ox.BlankNode: lambda t: {"type": "bnode", "value": t.value},
        ox.Literal: literal,
        ox.Triple: lambda t: {"type": "triple", "value": {
            "subject": term_json(t.subject), "predicate": term_json(t.predicate),
            "object": term_json(t.object)}},
    })
    return _CONVERTERS


class EmbeddedBackend:
    """SPARQL over a pyoxigraph store, with the default graph as the union of all graphs.

    ``timeout`` runs the query in a worker thread (pyoxigraph releases the
    GIL) and gives up waiting after that many seconds; the worker stops at
    the next result row. A single long step (a huge sort or aggregate) keeps
    computing in the background until it finishes, since pyoxigraph cannot
    be interrupted.
    """

    def __init__(self, store: "ox.Store", *, out_dir: Path | None = None, read_only: bool = True,
                 prefixes: dict[str, str] | None = None, in_memory: bool = False) -> None:
        self.store = store
        self.out_dir = out_dir
        self.read_only = read_only
        self.in_memory = in_memory
        self.prefixes = prefixes if prefixes is not None else _default_prefixes()
        self._stamp = self._manifest_stamp()
        self._lock = threading.Lock()
        #: hosts SERVICE / LOAD may reach; None: any (a local ``kg query``), () none (``kg serve``)
        self.allow_service: tuple[str, ...] | None = None
        self.allow_load: tuple[str, ...] | None = None

    @classmethod
    def open(cls, out_dir: str | Path, *, read_only: bool = True, in_memory: bool = False) -> "EmbeddedBackend":
        """The store of a build. ``in_memory`` copies it into RAM first: queries
        then run 3-5x faster than on the read-only disk store (worth it for a
        long-running server; the copy takes about 10 s per million triples)."""
        if in_memory and not read_only:
            raise StoreError("an in-memory copy cannot take updates; drop one of the two options")
        store = _memory_copy(out_dir) if in_memory else open_store(out_dir, read_only=read_only)
        return cls(store, out_dir=Path(out_dir), read_only=read_only, in_memory=in_memory)

    def _manifest_stamp(self) -> int | None:
        if self.out_dir is None:
            return None
        try:
            return _manifest_path(self.out_dir).stat().st_mtime_ns
        except OSError:
            return None

    def refresh(self, *, force: bool = False) -> bool:
        """Reopen a read-only store when a build has rewritten it (or, with
        ``force``, after a read failed, e.g. while a build swapped the store
        directory); True if reopened."""
        if not self.read_only or self.out_dir is None:
            return False
        stamp = self._manifest_stamp()
        if not force and (stamp == self._stamp or stamp is None):
            return False
        with self._lock:
            if force or stamp != self._stamp:
                self.store = _memory_copy(self.out_dir) if self.in_memory else open_store(self.out_dir)
                self._stamp = stamp
        return True

    def stale(self) -> bool:
        """Whether a build has rewritten the store since it was opened (read-only only)."""
        return self.read_only and self.out_dir is not None and self._manifest_stamp() not in (None, self._stamp)

    def close(self) -> None:
        self.store = None  # type: ignore[assignment]
        gc.collect()

    def query(self, sparql: str, *, max_rows: int | None = None, timeout: float | None = None,
              default_graph_uris: list[str] | None = None,
              named_graph_uris: list[str] | None = None) -> QueryOutcome:
        check_query(sparql, allow_service=self.allow_service)
        if timeout is None:
            return self._execute(sparql, max_rows, None, default_graph_uris, named_graph_uris)
        cancel = threading.Event()
        box: dict[str, Any] = {}

        def work() -> None:
            try:
                box["result"] = self._execute(sparql, max_rows, cancel, default_graph_uris, named_graph_uris)
            except BaseException as err:  # handed to the waiting thread
                # without its frames: they hold pyoxigraph result iterators, which must
                # be dropped on the thread that made them
                chain: BaseException | None = err
                while chain is not None:
                    chain.__traceback__ = None
                    chain = chain.__cause__ or chain.__context__
                box["error"] = err

        worker = threading.Thread(target=work, name="kg-query", daemon=True)
        worker.start()
        worker.join(timeout)
        if worker.is_alive():
            cancel.set()
            raise QueryTimeout(f"the query ran longer than {timeout:g} s and was abandoned; "
                               f"add LIMIT or narrow the patterns")
        if "error" in box:
            raise box["error"]
        return box["result"]

    def _execute(self, sparql: str, max_rows: int | None, cancel: threading.Event | None,
                 default_graph_uris: list[str] | None, named_graph_uris: list[str] | None) -> QueryOutcome:
        ox = _ox()
        kwargs: dict[str, Any] = {"prefixes": self.prefixes}
        if default_graph_uris:
            kwargs["default_graph"] = [ox.NamedNode(u) for u in default_graph_uris]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graph_uris:
            kwargs["named_graphs"] = [ox.NamedNode(u) for u in named_graph_uris]
        try:
            result = self.store.query(sparql, **kwargs)
            if isinstance(result, ox.QueryBoolean):
                return QueryOutcome("boolean", boolean=bool(result))
            if isinstance(result, ox.QuerySolutions):
                variables = [v.value for v in result.variables]
                if max_rows is None and cancel is None:
                    # fastest: Oxigraph writes the JSON, the C json module reads it
                    data = json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))
                    return QueryOutcome("bindings", variables=variables, rows=data["results"]["bindings"])
                conv = _converters()
                indexed = list(enumerate(variables))

                def row(sol: Any) -> Row:
                    out: Row = {}
                    for i, var in indexed:
                        term = sol[i]
                        if term is not None:
                            out[var] = conv[type(term)](term)
                    return out

                rows, truncated = _take(result, max_rows, cancel, row)
                return QueryOutcome("bindings", variables=variables, rows=rows, truncated=truncated)
            triples, truncated = _take(result, max_rows, cancel, lambda t: t)
            data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
            return QueryOutcome("graph", ntriples=data, truncated=truncated)
        except SyntaxError as err:
            raise syntax_error(sparql, str(err), prefixes=self.prefixes) from err
        except ValueError as err:
            raise QueryError(f"invalid query: {err}") from err
        except RuntimeError as err:
            raise _damaged(store_path(self.out_dir or "."), err) from err
        except OSError as err:
            raise StoreError(f"reading the graph store failed: {err}") from err

    def update(self, sparql: str) -> None:
        if self.read_only:
            raise QueryError("this store is open read-only; updates need a writable store")
        check_update(sparql, allow_service=self.allow_service, allow_load=self.allow_load)
        try:
            self.store.update(sparql, prefixes=self.prefixes)
        except SyntaxError as err:
            raise syntax_error(sparql, str(err), "SPARQL update", prefixes=self.prefixes) from err
        except (OSError, ValueError) as err:
            raise QueryError(f"the update failed: {err}") from err


def _take(items: Iterable[Any], max_rows: int | None, cancel: threading.Event | None,
          convert) -> tuple[list[Any], bool]:
    out: list[Any] = []
    for n, item in enumerate(items):
        if max_rows is not None and n >= max_rows:
            return out, True
        if cancel is not None and n % 512 == 0 and cancel.is_set():
            raise QueryTimeout("query abandoned")
        out.append(convert(item))
    return out, False


def _memory_copy(out_dir: str | Path) -> "ox.Store":
    ox = _ox()
    disk = open_store(out_dir)
    memory = ox.Store()
    memory.bulk_load(disk.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    return memory


def _default_prefixes() -> dict[str, str]:
    from kg.rdf import PREFIXES

    return dict(PREFIXES)
