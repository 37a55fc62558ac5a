"""The build's graph as canonical N-Triples lines, one set of lines per named graph.

Why lines, not rdflib or pyoxigraph objects: a build of 1,000 articles makes
some 400,000 triples. rdflib held them three times over (the ``Dataset``, the
union ``Graph`` for Turtle, the N-Quads for the store) and a Python object per
term costs about as much as the rules spend on an article. A line of canonical
N-Triples (exactly what Oxigraph prints for the triple) is one f-string; it is
hashable, so "which triples are in more than one graph" is a dict lookup; it
is what the store's manifest digests; and Oxigraph parses it, bulk-loads it
and writes it as Turtle in Rust.

``Graphs`` holds the lines; :mod:`kg.rdf` (the only module that mints IRIs)
fills it; the store (:func:`kg.store.sync_graphs`), ``graph.ttl``
(:meth:`Graphs.write_turtle`) and the viewer (:meth:`Graphs.triples`) read it.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import IO, Any

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = f"<{XSD}integer>"
_DECIMAL = f"<{XSD}decimal>"
_ANYURI = f"<{XSD}anyURI>"
#: characters Oxigraph escapes in a quoted literal; a string without them is printed as it is
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f\ufffe\uffff]')


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
    node attributes, each plain fact with its fact node and evidence, article titles and dates."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.facts: dict[tuple[str, str, str], tuple[str, list[dict[str, Any]]]] = {}
        self.articles: dict[str, tuple[str, str | None]] = {}


class Graphs:
    """Named graphs (IRI -> lines ``"<s> <p> o ."``, each once) and the figures of the summary.

    A dict per graph keeps the lines in the order they were made (the output
    does not depend on it: every writer sorts) and each line once, as RDF's
    set semantics require.
    """

    def __init__(self) -> None:
        self.graphs: dict[str, dict[str, None]] = {}
        self.entities_by_class: Counter = Counter()
        self.facts_by_predicate: Counter = Counter()
        self.investments = 0
        self.net = NetParts()

    def graph(self, name: str) -> dict[str, None]:
        """The lines of graph ``name`` (an IRI), made empty on first use."""
        g = self.graphs.get(name)
        if g is None:
            g = self.graphs[name] = {}
        return g

    def drop_empty(self) -> None:
        for name in [n for n, lines in self.graphs.items() if not lines]:
            del self.graphs[name]

    @property
    def triples(self) -> int:
        """Triples of the union (each is in one graph only, see :func:`kg.rdf.share_repeated`)."""
        return sum(len(lines) for lines in self.graphs.values())

    def sorted_graphs(self) -> dict[str, list[str]]:
        """Graph IRI -> its lines sorted: what the store digests and loads."""
        return {name: sorted(lines) for name, lines in sorted(self.graphs.items())}

    def union_lines(self) -> list[str]:
        """Every triple of every graph, sorted (so a subject's triples are together)."""
        out = [line for lines in self.graphs.values() for line in lines]
        out.sort()
        return out

    def triples_ox(self, chunk: int = 100_000) -> Iterator[Any]:
        """The union as pyoxigraph triples, parsed in Rust from the sorted lines ``chunk`` lines
        at a time (the text of 3 million lines at once would be 2 GB more)."""
        import pyoxigraph as ox

        lines = self.union_lines()
        for start in range(0, len(lines), chunk):
            data = "\n".join(lines[start:start + chunk]).encode("utf-8")
            for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
                yield quad.triple

    def write_turtle(self, out: IO[bytes], prefixes: dict[str, str]) -> None:
        """The union as Turtle, by Oxigraph's serializer: subjects grouped, ``prefixes`` declared."""
        import pyoxigraph as ox

        ox.serialize(self.triples_ox(), out, format=ox.RdfFormat.TURTLE, prefixes=prefixes)

    def nquads(self) -> bytes:
        """All graphs as N-Quads bytes (what ``to_dataset`` hands rdflib)."""
        parts = []
        for name, lines in self.graphs.items():
            tail = f" <{name}> ."
            parts.extend(line[:-2] + tail for line in lines)
        return ("\n".join(parts) + "\n").encode("utf-8") if parts else b""
