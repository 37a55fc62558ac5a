"""The build's graph as canonical N-Triples lines, one set of lines per named graph, on disk.

Why lines, not rdflib or pyoxigraph objects: a build of 1,000 articles makes
some 400,000 triples. rdflib held them three times over (the ``Dataset``, the
union ``Graph`` for Turtle, the N-Quads for the store) and a Python object per
term costs about as much as the rules spend on an article. A line of canonical
N-Triples (exactly what Oxigraph prints for the triple) is one f-string; lines
sort, so "which triples are in more than one graph" is found by merging sorted
runs; it is what the store's manifest digests; and Oxigraph parses it,
bulk-loads it and writes it as Turtle in Rust.

Why on disk: held in memory, the lines were most of a build's memory (1.2 GB
at 10,000 articles); :class:`Graphs` writes them out as they are made, so the
memory a build needs for them does not grow with the corpus.

``Graphs`` holds the lines; :mod:`kg.rdf` (the only module that mints IRIs)
fills it; the store (:func:`kg.store.sync_graphs`), ``graph.ttl``
(:meth:`Graphs.write_turtle`) and the viewer (:attr:`Graphs.net`) read it.
"""
from __future__ import annotations

import contextlib
import hashlib
import heapq
import itertools
import re
import shutil
import tempfile
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from kg.errors import OutputError
from kg.io import write_failure

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = f"<{XSD}integer>"
_DECIMAL = f"<{XSD}decimal>"
_ANYURI = f"<{XSD}anyURI>"
#: characters Oxigraph escapes in a quoted literal; a string without them is printed as it is
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f\ufffe\uffff]')
#: The temporary directories of :class:`Graphs` start so (a killed build's are removed by the next).
SPILL_PREFIX = "spill-"


def iri(value: str) -> str:
    """``<value>``: IRIs kg mints are slugs and hashes, never characters that need escaping."""
    return f"<{value}>"


def string(text: str) -> str:
    """A plain (``xsd:string``) literal as Oxigraph prints it."""
    if _NEEDS_ESCAPE.search(text) is None:
        return f'"{text}"'
    import pyoxigraph as ox

    return str(ox.Literal(text))


def integer(n: int) -> str:
    return f'"{int(n)}"^^{_INTEGER}'


def decimal(d: Decimal) -> str:
    """An ``xsd:decimal`` in positional notation (``1500000000000000000000``, never ``1.5E+21``),
    as rdflib wrote it."""
    return f'"{format(d, "f")}"^^{_DECIMAL}'


def any_uri(text: str) -> str:
    return f"{string(text)}^^{_ANYURI}"


class NetParts:
    """What the viewer's networkx graph is made of, collected while the lines are made, so a
    build never parses its own triples back (:func:`kg.netgraph.from_parts`): entities as
    node attributes, each plain fact with its fact node and evidence, article titles and dates.

    Evidence is kept as :data:`EVIDENCE_FIELDS` tuples (a dict per piece of evidence cost
    three times the memory); :func:`kg.netgraph.from_parts` makes the dicts."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.facts: dict[tuple[str, str, str], tuple[str, list[tuple]]] = {}
        self.articles: dict[str, tuple[str, str | None]] = {}


#: The fields of an evidence tuple of :class:`NetParts`, in order.
EVIDENCE_FIELDS = ("sentence", "article", "confidence", "extractor", "role", "start", "end")

#: Lines held in memory before they are sorted and written to disk as one run (some 15 MB).
RUN_LINES = 100_000


class Graphs:
    """Named graphs of lines ``"<s> <p> o ."``, spilled to disk as they are made, and the
    figures of the summary.

    Why on disk: a build of 10,000 articles makes some 3 million lines, 1.2 GB as Python
    strings. :meth:`add` puts each line with its graph's number in a buffer; every
    :data:`RUN_LINES` lines the buffer is sorted and written to a file (a *run*).
    :meth:`finish` merges the runs (``heapq.merge``), which brings each triple's copies
    together: a triple in more than one graph goes to the shared graph (RDF's set
    semantics for the union, see :mod:`kg.rdf`), repeats in one graph count once. The merge
    writes one N-Quads file sorted by triple, each triple once, and the digest and count
    of every graph on the way. From that file the store is bulk-loaded
    (:meth:`nquads_chunks`), ``graph.ttl`` written (:meth:`write_turtle`) and a changed
    graph read back (:meth:`lines_of`).

    Why runs may sort records ``line + "\\t" + number`` as whole byte strings: a canonical
    N-Triples line holds no character below U+0020 (they are escaped), so the tab sorts
    before anything a longer line could continue with, and the records sort as their lines
    do; UTF-8 bytes sort as the code points they encode, so the order is the order of the
    lines as Python strings (bytes also take half the memory of a string with one
    character beyond Latin-1).

    The files live in a temporary directory under ``spill_dir`` (default: the system's
    temporary directory), removed by :meth:`close` (or when the object is collected).
    """

    def __init__(self, spill_dir: str | Path | None = None, *, run_lines: int = RUN_LINES) -> None:
        self.names: list[str] = []
        self._numbers: dict[str, int] = {}
        self.entities_by_class: Counter = Counter()
        self.facts_by_predicate: Counter = Counter()
        self.investments = 0
        self.net = NetParts()
        try:
            self.dir = Path(tempfile.mkdtemp(prefix=SPILL_PREFIX, dir=spill_dir))
        except OSError as err:
            raise OutputError(write_failure(Path(spill_dir or tempfile.gettempdir()), err)) from err
        self._cleanup = weakref.finalize(self, shutil.rmtree, str(self.dir), True)
        self._run_lines = run_lines
        self._buffer: list[bytes] = []      # records: line, tab, graph number, newline, in UTF-8
        self._runs: list[Path] = []
        self._union: Path | None = None
        self._graph_stats: dict[str, tuple[str, int]] = {}
        self._triples = 0

    # ------------------------------------------------------------------ making

    def number(self, name: str) -> int:
        """The number of graph ``name`` (an IRI), given on first use."""
        n = self._numbers.get(name)
        if n is None:
            n = self._numbers[name] = len(self.names)
            self.names.append(name)
        return n

    def add(self, graph: int, lines: Iterable[str]) -> None:
        """Put ``lines`` in graph number ``graph`` (a line already there stays once)."""
        if self._union is not None:
            raise RuntimeError("the graphs are finished; no lines can be added")
        tail = f"\t{graph}\n"
        self._buffer.extend([(line + tail).encode("utf-8") for line in lines])
        if len(self._buffer) >= self._run_lines:
            self._spill()

    def _spill(self) -> None:
        if not self._buffer:
            return
        self._buffer.sort()
        path = self.dir / f"run-{len(self._runs):05d}"
        try:
            with open(path, "wb") as fh:
                for start in range(0, len(self._buffer), 4096):      # no copy of the whole run at once
                    fh.write(b"".join(self._buffer[start:start + 4096]))
        except OSError as err:
            raise OutputError(write_failure(path, err)) from err
        self._runs.append(path)
        self._buffer.clear()

    def finish(self, shared: str | None = None) -> None:
        """Merge the runs into the sorted N-Quads file; a triple that more than one graph
        holds goes to graph ``shared`` (an IRI) instead, once."""
        if self._union is not None:
            return
        self._spill()
        shared_key = f"{self.number(shared)}\n".encode() if shared is not None else None
        union = self.dir / "union.nq"
        # per graph number (as the runs spell it): [sha256 of its sorted lines, count, quad tail]
        stats: dict[bytes, list[Any]] = {}

        def stat(key: bytes) -> list[Any]:
            s = stats.get(key)
            if s is None:
                s = stats[key] = [hashlib.sha256(), 0, f" <{self.names[int(key)]}> .\n".encode()]
            return s

        total = 0
        try:
            with open(union, "wb") as out, contextlib.ExitStack() as stack:
                runs = [stack.enter_context(open(p, "rb")) for p in self._runs]
                write = out.write
                prev, first, many = None, b"", False

                def emit() -> None:
                    s = stat(shared_key if many and shared_key is not None else first)
                    s[0].update(prev + b"\n")
                    s[1] += 1
                    write(prev[:-2] + s[2])

                for rec in heapq.merge(*runs):
                    line, _, key = rec.rpartition(b"\t")
                    if line == prev:
                        many = many or key != first
                        continue
                    if prev is not None:
                        emit()
                        total += 1
                    prev, first, many = line, key, False
                if prev is not None:
                    emit()
                    total += 1
        except OSError as err:
            raise OutputError(write_failure(union, err)) from err
        for p in self._runs:
            p.unlink(missing_ok=True)
        self._runs.clear()
        self._union = union
        self._triples = total
        self._graph_stats = {self.names[int(k)]: (s[0].hexdigest(), s[1]) for k, s in stats.items()}

    def close(self) -> None:
        """Remove the files on disk (the figures and :attr:`net` stay)."""
        self._cleanup()

    def __enter__(self) -> "Graphs":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ reading (after finish)

    def _finished(self) -> Path:
        if self._union is None:
            raise RuntimeError("call finish() first")
        if not self._union.is_file():
            raise RuntimeError("the graphs were closed; their lines are gone")
        return self._union

    @property
    def triples(self) -> int:
        """Triples of the union (each is in one graph only)."""
        self._finished()
        return self._triples

    def graph_stats(self) -> dict[str, tuple[str, int]]:
        """Graph IRI -> (sha256 of its sorted lines, each followed by a newline; its number of
        triples), for every graph that holds a triple: what the store's manifest keeps."""
        self._finished()
        return dict(self._graph_stats)

    def lines_of(self, names: Iterable[str]) -> dict[str, list[str]]:
        """The sorted lines of the graphs ``names`` (one pass over the file)."""
        wanted = {f"{name}> .\n".encode(): name for name in names}
        out: dict[str, list[str]] = {name: [] for name in wanted.values()}
        if not wanted:
            return out
        with open(self._finished(), "rb") as fh:
            for quad in fh:
                head, _, tail = quad.rpartition(b" <")
                name = wanted.get(tail)
                if name is not None:
                    out[name].append((head + b" .").decode("utf-8"))
        return out

    def nquads_chunks(self, lines: int) -> Iterator[bytes]:
        """The N-Quads file, ``lines`` quads at a time (what the store's bulk loader takes)."""
        with open(self._finished(), "rb") as fh:
            while chunk := list(itertools.islice(fh, lines)):
                yield b"".join(chunk)

    def nquads(self) -> bytes:
        """All graphs as N-Quads bytes, sorted by triple (what ``to_dataset`` hands rdflib)."""
        return self._finished().read_bytes()

    def write_turtle(self, out: IO[bytes], prefixes: dict[str, str]) -> None:
        """The union as Turtle, by Oxigraph's serializer, from the file sorted by triple (so a
        subject's triples are together): subjects grouped, ``prefixes`` declared."""
        import pyoxigraph as ox

        quads = ox.parse(path=str(self._finished()), format=ox.RdfFormat.N_QUADS)
        ox.serialize((q.triple for q in quads), out, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
