"""What every store backend returns, so the CLI, the server and the tests do
not care whether a query ran in the embedded store or on a remote endpoint.

Results are kept in the shape of SPARQL 1.1 Query Results JSON (one dict per
term: ``{"type": "uri"|"literal"|"bnode", "value": ..., "datatype"/"xml:lang"}``)
because that is what remote endpoints send and it converts losslessly to
every output format we print.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Any, Literal, Protocol

from kg.errors import QueryError

Term = dict[str, Any]
Row = dict[str, Term]


class QueryTimeout(QueryError):
    """A query ran longer than its time bound."""


@dataclass
class QueryOutcome:
    """The result of one query: bindings (SELECT), a boolean (ASK) or triples
    (CONSTRUCT/DESCRIBE, as N-Triples bytes)."""

    kind: Literal["bindings", "boolean", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None
    ntriples: bytes = b""
    truncated: bool = False     # the row cap cut the result short

    def to_json(self) -> dict[str, Any]:
        """SPARQL 1.1 Query Results JSON (bindings and boolean only)."""
        if self.kind == "boolean":
            return {"head": {}, "boolean": bool(self.boolean)}
        if self.kind == "bindings":
            return {"head": {"vars": list(self.variables)}, "results": {"bindings": self.rows}}
        raise QueryError("a CONSTRUCT/DESCRIBE result has no SPARQL results JSON; print it as Turtle")

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "QueryOutcome":
        if "boolean" in data:
            return cls("boolean", boolean=bool(data["boolean"]))
        try:
            return cls("bindings", variables=list(data["head"].get("vars", [])),
                       rows=list(data["results"]["bindings"]))
        except (KeyError, TypeError, AttributeError) as err:
            raise QueryError(f"not SPARQL 1.1 results JSON (missing {err})") from err

    def values(self, var: str) -> list[str]:
        """The lexical values bound to ``var``, in row order (unbound skipped)."""
        return [row[var]["value"] for row in self.rows if var in row]


class Backend(Protocol):
    """A place SPARQL queries can run: the embedded store or an endpoint."""

    def query(self, sparql: str, *, max_rows: int | None = None, timeout: float | None = None,
              default_graph_uris: list[str] | None = None,
              named_graph_uris: list[str] | None = None) -> QueryOutcome: ...

    def update(self, sparql: str) -> None: ...

    def close(self) -> None: ...


_POS = re.compile(r"error at (\d+):(\d+):?\s*")


_CHAR_CLASS = re.compile(r',?\s*(?<!")\[[^\]]*\]')


def _short_detail(detail: str) -> str:
    """The parser's message without its character classes (``['A' ..= 'Z' | ...]``),
    which say nothing to a person and run over several lines; "" when nothing is left."""
    out = _CHAR_CLASS.sub("", " ".join(detail.split())).strip(" ,")
    out = re.sub(r"one of\s*,\s*", "one of ", out)
    return "" if re.fullmatch(r"expected( one of)?", out) else out


def syntax_error(query: str, message: str, what: str = "SPARQL query",
                 prefixes: Mapping[str, str] | None = None) -> QueryError:
    """Turn the parser's ``error at L:C: ...`` into a message that names the
    mistake where it can (an undeclared prefix, a misspelt query form, an
    unclosed brace), with the offending line and a caret under the column.
    ``prefixes`` are the ones declared for the query outside its text."""
    from kg.sparqlcheck import explain_syntax_error

    m = _POS.search(message)
    if not m:
        return QueryError(f"syntax error in {what}: {message}")
    line, col = int(m.group(1)), int(m.group(2))
    detail = _short_detail(message[m.end():] or message)
    return QueryError(explain_syntax_error(query, line, col, detail, prefixes or {}, what))
