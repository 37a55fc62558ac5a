"""SPARQL helpers: canned queries, safe parameters, and printing results.

Canned queries live in ``ontology/queries/NAME.rq``. The first comment line
is the one-line description ``kg query --list`` prints. A parameter is
declared in the header as ``# @param NAME KIND: help`` (KIND is ``entity``,
``iri`` or ``string``) and appears in the query as ``VALUES ?NAME { UNDEF }``,
which is valid SPARQL that matches everything. Binding the parameter replaces
that block with the given values, so the same text runs on the embedded store
and on any remote endpoint, and a value can never inject SPARQL: IRIs are
checked and literals escaped.

An ``entity`` value may be an IRI (``https://w3id.org/kg/id/city/changchun``
or ``kgd:city/changchun``) or a label, matched case-insensitively against
``rdfs:label`` and ``skos:altLabel``; a label can stand for several entities.
``# @param NAME KIND required: help`` makes a parameter mandatory.

Listings are paged. A query that declares ``# @param limit limit: ...`` ends
with ``LIMIT N``: N is its page size, and without a selecting parameter (an
entity, IRI or string) it returns only that first page. ``limit=0`` returns
everything; a selecting parameter also returns everything unless ``limit`` is
given. Every ``LIMIT`` clause in such a query belongs to the paging: the last
one cuts the rows, the ones in inner SELECTs bound the candidates the page is
built from (``LIMIT N`` becomes the page size, any other number stays) so that
labels are looked up for one page, not the whole listing. For that to be
right, the outer ORDER BY starts with the inner SELECT's ORDER BY keys and
each candidate yields at least one row; when a page comes back short,
:func:`run_query` reruns the query without the inner bounds, so a page is
always exactly the first rows of the full listing.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import QueryError
from kg.store.base import Backend, QueryOutcome, Term
from kg.vocab import CORE_CLASSES, ONTOLOGY_DIR

QUERIES_DIR = ONTOLOGY_DIR / "queries"
FORMATS = ("table", "csv", "tsv", "json")
PARAM_KINDS = ("entity", "iri", "string", "limit")
_PARAM_DECL = re.compile(r"^#\s*@param\s+(\w+)\s+(\w+)(\s+required)?\s*:?\s*(.*)$")
_LIMIT = re.compile(r"\bLIMIT\s+(\d+)")       # SPARQL keywords: uppercase in our .rq files
_IRI_OK = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\s]*$")
MAX_CELL = 60


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    help: str
    required: bool = False


@dataclass
class CannedQuery:
    """A query shipped in ``ontology/queries``."""

    name: str
    description: str
    text: str
    path: Path
    params: dict[str, Param] = field(default_factory=dict)
    page_size: int | None = None     # rows per page of a listing (the last LIMIT); None: not paged

    @property
    def paged(self) -> bool:
        return self.page_size is not None


def _parse_canned(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    description = ""
    params: dict[str, Param] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("#"):
            if line:
                break
            continue
        if m := _PARAM_DECL.match(line):
            name, kind, required, help_ = m.groups()
            if kind not in PARAM_KINDS:
                raise QueryError(f"{path}: parameter {name} has kind {kind!r}; use one of {', '.join(PARAM_KINDS)}")
            params[name] = Param(name, kind, help_, bool(required))
        elif not description:
            description = line.lstrip("#").strip()
    page_size = None
    limits = [p for p in params.values() if p.kind == "limit"]
    if limits:
        found = [int(m.group(1)) for m in _LIMIT.finditer(_strip_comments(text))]
        if len(limits) > 1 or not found:
            raise QueryError(f"{path}: a paged listing declares one limit parameter and ends with LIMIT N")
        page_size = found[-1]
    return CannedQuery(path.stem, description, text, path, params, page_size)


def _strip_comments(text: str) -> str:
    """The query without its whole-line comments (the header may mention LIMIT)."""
    return "\n".join("" if line.lstrip().startswith("#") else line for line in text.splitlines())


def canned_queries(directory: Path = QUERIES_DIR) -> dict[str, CannedQuery]:
    """Every canned query by name, sorted."""
    return {p.stem: _parse_canned(p) for p in sorted(directory.glob("*.rq"))}


def canned_query(name: str, directory: Path = QUERIES_DIR) -> CannedQuery:
    queries = canned_queries(directory)
    if name not in queries:
        raise QueryError(f"no canned query named {name!r}; available: {', '.join(queries) or '(none)'}")
    return queries[name]


# ----------------------------------------------------------------- parameters


def parse_params(items: list[str] | None) -> dict[str, list[str]]:
    """``["entity=Huawei", "entity=Inspur"]`` -> ``{"entity": ["Huawei", "Inspur"]}``."""
    out: dict[str, list[str]] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"parameter {item!r} is not NAME=VALUE, e.g. --param entity=Changchun")
        out.setdefault(name.strip(), []).append(value.strip())
    return out


def sparql_string(value: str) -> str:
    """A SPARQL string literal for any text (escaped, so it cannot end early)."""
    esc = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
           .replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{esc}"'


def sparql_iri(value: str, prefixes: Mapping[str, str] | None = None) -> str:
    """``<IRI>`` for an absolute IRI or a known prefixed name; raises on anything else."""
    v = value.strip()
    if v.startswith("<") and v.endswith(">"):
        v = v[1:-1]
    prefix, sep, local = v.partition(":")
    if sep and prefixes and prefix in prefixes and not local.startswith("//"):
        v = prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)     # kgd:city\/changchun as printed
    if not _IRI_OK.match(v):
        raise QueryError(f"{value!r} is not an IRI (expected e.g. https://w3id.org/kg/id/city/changchun "
                         f"or kgd:city/changchun)")
    return f"<{v}>"


def _looks_like_iri(value: str, prefixes: Mapping[str, str]) -> bool:
    v = value.strip()
    if v.startswith("<") or re.match(r"^https?://", v) or v.startswith("urn:"):
        return True
    prefix, sep, local = v.partition(":")
    return bool(sep) and prefix in prefixes and " " not in local


def resolve_entity(backend: Backend, value: str, prefixes: Mapping[str, str]) -> list[str]:
    """IRIs an entity parameter stands for: the IRI itself, or every entity
    whose ``rdfs:label``/``skos:altLabel`` equals the value ignoring case."""
    if _looks_like_iri(value, prefixes):
        return [sparql_iri(value, prefixes)]
    classes = " ".join(f"kg:{c}" for c in CORE_CLASSES)
    exact = backend.query(f"""
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX kg: <https://w3id.org/kg/ontology#>
        SELECT DISTINCT ?e WHERE {{
          VALUES ?l {{ {sparql_string(value)} }} VALUES ?lp {{ rdfs:label skos:altLabel }}
          VALUES ?class {{ {classes} }}
          ?e ?lp ?l ; a ?class .
        }} ORDER BY ?e""").values("e")
    if exact:           # an index lookup; the case-insensitive match below scans every label
        return [f"<{v}>" for v in exact]
    needle = sparql_string(value.lower())
    found = backend.query(f"""
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX kg: <https://w3id.org/kg/ontology#>
        SELECT DISTINCT ?e WHERE {{
          VALUES ?lp {{ rdfs:label skos:altLabel }}
          VALUES ?class {{ {classes} }}
          ?e ?lp ?l . FILTER(LCASE(STR(?l)) = {needle})
          ?e a ?class .
        }} ORDER BY ?e""")
    iris = [f"<{v}>" for v in found.values("e")]
    if iris:
        return iris
    near = backend.query(f"""
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX kg: <https://w3id.org/kg/ontology#>
        SELECT DISTINCT ?l WHERE {{
          VALUES ?class {{ {classes} }}
          ?e rdfs:label ?l . FILTER(CONTAINS(LCASE(STR(?l)), {needle})) ?e a ?class .
        }} ORDER BY STRLEN(?l) ?l LIMIT 5""").values("l")
    hint = f"; similar labels: {', '.join(repr(n) for n in near)}" if near else \
        "; give an IRI or check the spelling"
    raise QueryError(f"no entity labelled {value!r}{hint}")


_DEFAULT_PAGE = object()


def page_rows(query: CannedQuery, values: Mapping[str, list[str]], limit: int | None = None) -> int | None:
    """Rows per page this run of ``query`` returns; None for all rows.

    ``values`` may hold ``limit`` (``--param limit=N``); ``limit`` here is
    ``kg query --limit N``, used when ``values`` has none. 0 means all rows.
    Without either, a listing returns its first page unless a selecting
    parameter (an entity, IRI or string) narrows it down.
    """
    if not query.paged:
        return None
    pname = next(p.name for p in query.params.values() if p.kind == "limit")
    if pname in values:
        raw = values[pname]
        if len(raw) != 1 or not raw[0].strip().isdigit():
            raise QueryError(f"--param {pname}= takes one whole number of rows, 0 for all (got {', '.join(raw)!r})")
        limit = int(raw[0])
    elif limit is None:
        selecting = any(values.get(p.name) for p in query.params.values() if p.kind != "limit")
        return None if selecting else query.page_size
    if limit < 0:
        raise QueryError(f"the row limit must be 0 (all) or more, not {limit}")
    return limit or None


def _set_limits(query: CannedQuery, text: str, rows: int | None, *, inner: bool = True) -> str:
    """Apply a page of ``rows`` rows (None: all) to the LIMIT clauses of a paged
    query: the last one becomes ``rows``; an inner one becomes ``rows`` when it
    says the page size, stays when it says another number, and goes when
    ``inner`` is false or there is no page."""
    matches = [m for m in _LIMIT.finditer(text)
               if not text[text.rfind("\n", 0, m.start()) + 1:m.start()].lstrip().startswith("#")]
    out, pos = [], 0
    for i, m in enumerate(matches):
        out.append(text[pos:m.start()])
        pos = m.end()
        if rows is None:
            continue
        if i == len(matches) - 1:
            out.append(f"LIMIT {rows}")
        elif inner:
            n = int(m.group(1))
            out.append(f"LIMIT {rows if n == query.page_size else n}")
    out.append(text[pos:])
    return "".join(out)


def bind_params(query: CannedQuery, values: Mapping[str, list[str]], backend: Backend,
                prefixes: Mapping[str, str], *, page: Any = _DEFAULT_PAGE) -> str:
    """The canned query's text with ``VALUES ?name { UNDEF }`` replaced by the given values.

    For a paged listing, ``page`` is the number of rows to return (None or 0:
    all); by default it follows :func:`page_rows`.
    """
    unknown = sorted(set(values) - set(query.params))
    if unknown:
        known = ", ".join(query.params) or "none"
        raise QueryError(f"canned query {query.name!r} has no parameter {unknown[0]!r}; its parameters: {known}")
    for param in query.params.values():
        if param.required and not values.get(param.name):
            raise QueryError(f"canned query {query.name!r} needs --param {param.name}=...: {param.help}")
    if page is _DEFAULT_PAGE:
        page = page_rows(query, values)
    text = query.text
    for name, raw in values.items():
        param = query.params[name]
        if param.kind == "limit":
            continue
        if param.kind == "entity":
            terms = [iri for v in raw for iri in resolve_entity(backend, v, prefixes)]
        elif param.kind == "iri":
            terms = [sparql_iri(v, prefixes) for v in raw]
        else:
            terms = [sparql_string(v) for v in raw]
        pattern = re.compile(rf"VALUES\s+\?{name}\s*\{{\s*UNDEF\s*\}}")
        if not pattern.search(text):
            raise QueryError(f"{query.path}: parameter {name} is declared but the query has no "
                             f"`VALUES ?{name} {{ UNDEF }}` block to bind it")
        block = f"VALUES ?{name} {{ {' '.join(dict.fromkeys(terms))} }}"
        text = pattern.sub(lambda _m: block, text)
    if query.paged:
        text = _set_limits(query, text, page or None)
    return text


# ----------------------------------------------------------------- output


#: characters a SPARQL/Turtle local name may hold only behind a backslash (PN_LOCAL_ESC)
_LOCAL_ESCAPE = set("~.-!$&'()*+,;=/?#@%")
_LOCAL_PLAIN = re.compile(r"[A-Za-z0-9_\-.]")


def prefixed_local(local: str) -> str | None:
    """``local`` as a SPARQL 1.1 local name (``city/changchun`` -> ``city\\/changchun``),
    or None when it cannot be one (then the full ``<IRI>`` is printed).

    Why escape rather than print ``kgd:city/changchun``: pasted back into a
    query, that reads as a property path and is a syntax error.
    """
    out = []
    for i, ch in enumerate(local):
        plain = bool(_LOCAL_PLAIN.fullmatch(ch)) and not (i == 0 and ch in "-.") \
            and not (ch == "." and i == len(local) - 1)
        if plain:
            out.append(ch)
        elif ch in _LOCAL_ESCAPE:
            out.append("\\" + ch)
        else:
            return None
    return "".join(out)


def compact_iri(iri: str, prefixes: Mapping[str, str]) -> str:
    """The IRI as the shortest text a SPARQL query accepts back: ``p:local`` or ``<IRI>``."""
    best = ""
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(best):
            best, name = ns, prefix
    if best:
        local = prefixed_local(iri[len(best):])
        if local is not None:
            return f"{name}:{local}"
    return f"<{iri}>"


def term_text(term: Term, prefixes: Mapping[str, str]) -> str:
    """How a term reads in the table: prefixed IRIs, plain literal values."""
    kind = term.get("type")
    if kind == "uri":
        return compact_iri(term["value"], prefixes)
    if kind == "bnode":
        return f"_:{term['value']}"
    if kind == "triple":
        v = term["value"]
        return "<< " + " ".join(term_text(v[k], prefixes) for k in ("subject", "predicate", "object")) + " >>"
    text = term["value"]
    if lang := term.get("xml:lang"):
        text += f"@{lang}"
    return text


def term_ntriples(term: Term) -> str:
    """A term in N-Triples syntax (what SPARQL TSV results use)."""
    kind = term.get("type")
    if kind == "uri":
        return f"<{term['value']}>"
    if kind == "bnode":
        return f"_:{term['value']}"
    if kind == "triple":
        v = term["value"]
        return "<< " + " ".join(term_ntriples(v[k]) for k in ("subject", "predicate", "object")) + " >>"
    out = sparql_string(term["value"])
    if lang := term.get("xml:lang"):
        return f"{out}@{lang}"
    if dt := term.get("datatype"):
        return f"{out}^^<{dt}>"
    return out


def _cell(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def format_table(outcome: QueryOutcome, prefixes: Mapping[str, str]) -> str:
    if outcome.kind == "boolean":
        return "true" if outcome.boolean else "false"
    heads = list(outcome.variables)
    # IRIs are never shortened with "…": a cell must paste back into a query
    rows = [[(term_text(r[v], prefixes) if r[v].get("type") == "uri" else _cell(term_text(r[v], prefixes)))
             if v in r else "" for v in heads] for r in outcome.rows]
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(heads)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(heads, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    n = len(rows)
    foot = f"({n} row{'s' if n != 1 else ''}"
    if outcome.truncated:
        foot += f", cut at {n}"
    if any(r[v].get("type") != "uri" and len(" ".join(term_text(r[v], prefixes).split())) > MAX_CELL
           for r in outcome.rows for v in r):
        foot += "; long values shortened, use --format csv for full values"
    return "\n".join(lines + [foot + ")"])


def format_csv(outcome: QueryOutcome) -> str:
    """SPARQL 1.1 Query Results CSV: plain values, CRLF line ends."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if outcome.kind == "boolean":
        writer.writerow(["_askResult"])
        writer.writerow(["true" if outcome.boolean else "false"])
        return buf.getvalue()
    writer.writerow(outcome.variables)
    for row in outcome.rows:
        writer.writerow([_csv_value(row[v]) if v in row else "" for v in outcome.variables])
    return buf.getvalue()


def _csv_value(term: Term) -> str:
    if term["type"] == "bnode":
        return f"_:{term['value']}"
    if term["type"] == "triple":
        return term_ntriples(term)
    return term["value"]


def format_tsv(outcome: QueryOutcome) -> str:
    """SPARQL 1.1 Query Results TSV: ``?var`` headers, terms in N-Triples syntax."""
    if outcome.kind == "boolean":
        return "?_askResult\n" + ("true" if outcome.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in outcome.variables)]
    for row in outcome.rows:
        lines.append("\t".join(term_ntriples(row[v]) if v in row else "" for v in outcome.variables))
    return "\n".join(lines) + "\n"


def format_turtle(outcome: QueryOutcome, prefixes: Mapping[str, str]) -> str:
    import pyoxigraph as ox

    if not outcome.ntriples:
        return "# no triples\n"
    # not kgd: its local names hold "/", which Turtle must escape (kgd:city\\/changchun)
    used = {p: ns for p, ns in prefixes.items() if ns.encode() in outcome.ntriples and p != "kgd"}
    triples = [q.triple for q in ox.parse(outcome.ntriples, format=ox.RdfFormat.N_TRIPLES)]
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used).decode("utf-8")


def format_outcome(outcome: QueryOutcome, fmt: str = "table", prefixes: Mapping[str, str] | None = None) -> str:
    """Text to print for a query result. CONSTRUCT/DESCRIBE results are always Turtle."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if prefixes is None:
        from kg.rdf import PREFIXES
        prefixes = PREFIXES
    if outcome.kind == "graph":
        return format_turtle(outcome, prefixes)
    if fmt == "json":
        return json.dumps(outcome.to_json(), ensure_ascii=False, indent=1)
    if fmt == "csv":
        return format_csv(outcome)
    if fmt == "tsv":
        return format_tsv(outcome)
    return format_table(outcome, prefixes)


# ----------------------------------------------------------------- running


def open_backend(out_dir: str | Path | None = None, *, endpoint: str | None = None,
                 credentials: str | None = None) -> Backend:
    """The embedded store of a build directory, or a remote endpoint."""
    if endpoint:
        from kg.store.remote import RemoteBackend
        return RemoteBackend(endpoint, credentials=credentials)
    if out_dir is None:
        raise QueryError("give a build directory or --endpoint URL")
    from kg.store.embedded import EmbeddedBackend
    return EmbeddedBackend.open(out_dir)


def run_query(backend: Backend, sparql: str | None = None, *, named: str | None = None,
              params: Mapping[str, list[str]] | None = None, max_rows: int | None = None,
              timeout: float | None = None, limit: int | None = None) -> QueryOutcome:
    """Run SPARQL text, or the canned query ``named`` with ``params`` bound.

    A canned listing returns its first page (see :func:`page_rows`; ``limit``
    is the page size asked for, 0 for all); ``truncated`` is then true when
    the listing has more rows than the page.

    >>> from kg.store import EmbeddedBackend      # doctest: +SKIP
    >>> run_query(EmbeddedBackend.open("out"), named="investments").rows[:1]   # doctest: +SKIP
    """
    from kg.rdf import PREFIXES

    if (sparql is None) == (named is None):
        raise QueryError("give either SPARQL text or a canned query name, not both")
    if named is not None:
        query = canned_query(named)
        values = params or {}
        page = page_rows(query, values, limit)
        if page is not None:
            return _run_page(backend, query, values, page, max_rows=max_rows, timeout=timeout)
        sparql = bind_params(query, values, backend, PREFIXES, page=None)
    elif params:
        raise QueryError("--param only applies to canned queries (--named NAME)")
    assert sparql is not None
    if not sparql.strip():
        raise QueryError("the query is empty")
    return backend.query(sparql, max_rows=max_rows, timeout=timeout)


def _run_page(backend: Backend, query: CannedQuery, values: Mapping[str, list[str]], page: int, *,
              max_rows: int | None, timeout: float | None) -> QueryOutcome:
    """The first ``page`` rows of a listing, asking for one more to know whether there are more."""
    from kg.rdf import PREFIXES

    text = bind_params(query, values, backend, PREFIXES, page=page + 1)
    outcome = backend.query(text, timeout=timeout)
    if len(outcome.rows) <= page and len(_LIMIT.findall(_strip_comments(text))) > 1:
        # short page: either the listing ends here, or some candidates of the inner
        # SELECT gave no row; ask again without bounding the candidates
        text = _set_limits(query, text, page + 1, inner=False)
        outcome = backend.query(text, timeout=timeout)
    if len(outcome.rows) > page:
        outcome.rows = outcome.rows[:page]
        outcome.truncated = True
    if max_rows is not None and len(outcome.rows) > max_rows:
        outcome.rows = outcome.rows[:max_rows]
        outcome.truncated = True
    return outcome
