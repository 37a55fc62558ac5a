"""Reading a SPARQL query the way a person wrote it: tokens with their line and
column, the prefixes it declares and uses, and the terms it names.

Why: the parser's own messages are about its grammar ("expected CONSTRUCT"
for ``SELEC``, "expected OPTIONAL" for an undeclared prefix), and a
misspelt term (``rdfs:lable``) is not an error at all, it just matches
nothing. This module finds those mistakes in the text, so that
:func:`explain_syntax_error` can name them and :func:`unknown_terms` can warn
about a term that no vocabulary has, with the nearest one that exists.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

#: The first keyword of a query or update, after PREFIX and BASE declarations.
QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
UPDATE_FORMS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")

_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?P<prefix>[A-Za-z\u00C0-\uFFFF](?:[\w.\-\u00B7]*[\w\-\u00B7])?)?:
               (?P<local>(?:[\w\-:%\u00B7]|\\[_~.\-!$&'()*+,;=/?\#@%]|\.(?=[\w\-:%\\]))*))
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<space>\s+)
  | (?P<other>.)
""", re.X | re.S)
_PREFIX_DECL = re.compile(r"PREFIX", re.I)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    line: int            # 1-based
    col: int             # 1-based
    prefix: str = ""     # for a prefixed name
    local: str = ""


def tokens(query: str) -> Iterator[Token]:
    """Every token of ``query`` but whitespace and comments, with its position."""
    line, line_start = 1, 0
    for m in _TOKEN.finditer(query):
        # lastgroup can name a group inside pname (prefix, local): test pname first
        kind = "pname" if m.group("pname") is not None else (m.lastgroup or "other")
        text = m.group(0)
        if kind not in ("space", "comment"):
            yield Token(kind, text, line, m.start() - line_start + 1,
                        prefix=(m.group("prefix") or "") if kind == "pname" else "",
                        local=(m.group("local") or "") if kind == "pname" else "")
        newlines = text.count("\n")
        if newlines:
            line += newlines
            line_start = m.start() + text.rindex("\n") + 1


def declared_prefixes(query: str) -> dict[str, str]:
    """``PREFIX p: <iri>`` declarations of the query text."""
    out: dict[str, str] = {}
    toks = list(tokens(query))
    for i, t in enumerate(toks[:-2]):
        if t.kind == "word" and _PREFIX_DECL.fullmatch(t.text) and toks[i + 1].kind == "pname" \
                and not toks[i + 1].local and toks[i + 2].kind == "iri":
            out[toks[i + 1].prefix] = toks[i + 2].text[1:-1]
    return out


def undeclared_prefixes(query: str, predeclared: Mapping[str, str]) -> list[Token]:
    """Prefixed names whose prefix neither the query nor ``predeclared`` declares."""
    known = set(predeclared) | set(declared_prefixes(query))
    return [t for t in tokens(query) if t.kind == "pname" and t.prefix not in known]


def unescape_local(local: str) -> str:
    r"""``city\/changchun`` -> ``city/changchun`` (SPARQL's PN_LOCAL_ESC)."""
    return re.sub(r"\\(.)", r"\1", local)


def _pointer(query: str, line: int, col: int) -> str:
    lines = query.splitlines() or [""]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return f"    {text}\n    {' ' * max(col - 1, 0)}^"


def _first_keyword(query: str) -> Token | None:
    """The keyword that starts the query proper (after PREFIX/BASE declarations)."""
    toks = list(tokens(query))
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "word" and t.text.upper() == "PREFIX":
            i += 3
        elif t.kind == "word" and t.text.upper() == "BASE":
            i += 2
        else:
            return t
    return None


def _brace_balance(query: str) -> int:
    return sum(1 if t.text == "{" else -1 if t.text == "}" else 0 for t in tokens(query) if t.kind == "other")


def explain_syntax_error(query: str, line: int, col: int, detail: str,
                         predeclared: Mapping[str, str], what: str = "SPARQL query") -> str:
    """The message for a parse error at ``line``:``col``: the likely mistake in
    words where one can be named, else the parser's ``detail``; always the
    line with a caret under the column."""
    undeclared = undeclared_prefixes(query, predeclared)
    if undeclared:
        t = undeclared[0]
        known = sorted(set(predeclared) | set(declared_prefixes(query)))
        return (f"undeclared prefix {t.prefix!r} in {t.text} at line {t.line}, column {t.col}; "
                f"declare it (PREFIX {t.prefix}: <...>) or use one of: {', '.join(p + ':' for p in known)}\n"
                + _pointer(query, t.line, t.col))
    first = _first_keyword(query)
    forms = QUERY_FORMS if what == "SPARQL query" else UPDATE_FORMS
    if first is not None and first.kind == "word" and first.text.upper() not in (*QUERY_FORMS, *UPDATE_FORMS):
        near = difflib.get_close_matches(first.text.upper(), forms, n=1, cutoff=0.6)
        hint = f"; did you mean {near[0]}?" if near else ""
        return (f"syntax error in {what} at line {first.line}, column {first.col}: {first.text!r} is not a "
                f"query form; a query starts with {', '.join(forms)} (after any PREFIX lines){hint}\n"
                + _pointer(query, first.line, first.col))
    lines = query.splitlines()
    past_end = line > len(lines) or not "".join(lines[line - 1:])[col - 1:].strip() or \
        col > len(lines[line - 1].rstrip())
    if past_end:
        # Oxigraph's parser reports where it gave up, often the end of the text;
        # rdflib's parser stops at the token that went wrong, so ask it where
        found = _rdflib_position(query, what)
        balance = _brace_balance(query)
        if found is not None:
            line, col, near = found
            detail = f"error near {near}" + (f" ({_brace_words(balance)})" if balance else "") + _then(detail)
        else:
            last = max((i for i, text in enumerate(lines) if text.strip()), default=0)
            line, col = last + 1, (len(lines[last].rstrip()) + 1 if lines else 1)
            detail = (_brace_words(balance) if balance else "the query ends before it is complete") + _then(detail)
    return (f"syntax error in {what} at line {line}, column {col}: {detail or 'invalid syntax'}\n"
            + _pointer(query, line, col))


def _then(detail: str) -> str:
    return f"; parser: {detail}" if detail else ""


def _brace_words(balance: int) -> str:
    if balance > 0:
        return f"{balance} '{{' not closed by '}}'"
    return f"{-balance} more '}}' than '{{'"


def _rdflib_position(query: str, what: str) -> tuple[int, int, str] | None:
    """(line, column, the token found there) where rdflib's parser fails, or
    None when it parses the text or fails only at its end."""
    try:
        from pyparsing import ParseException
        from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    except ImportError:
        return None
    try:
        (parseUpdate if what == "SPARQL update" else parseQuery)(query)
    except ParseException as err:
        rest = query[err.loc:].strip()
        if not rest:
            return None
        near = next((t.text for t in tokens(query[err.loc:])), rest[:20])
        return err.lineno, err.col, repr(near)
    except Exception:       # noqa: BLE001 - rdflib's parser raises others on odd input; it is only a hint
        return None
    return None


# ----------------------------------------------------------------- terms that do not exist


@lru_cache(maxsize=1)
def known_terms() -> dict[str, frozenset[str]]:
    """Namespace IRI -> the local names its vocabulary defines (kg's own from
    ``ontology/kg.ttl``, the others from rdflib's closed namespaces)."""
    from rdflib import RDF, RDFS, XSD
    from rdflib.namespace import OWL, PROV, SDO, SKOS

    from kg.rdf import ontology_graph
    from kg.vocab import KG

    out: dict[str, frozenset[str]] = {}
    for ns in (RDF, RDFS, XSD, OWL, SKOS, PROV, SDO):
        names = set(getattr(ns, "__annotations__", {})) | set(getattr(ns, "_extras", []))
        out[str(ns)] = frozenset(n for n in names if not n.startswith("_"))
    kg_ns = str(KG)
    onto = {str(s)[len(kg_ns):] for s in ontology_graph().subjects() if str(s).startswith(kg_ns)}
    out[kg_ns] = frozenset(onto | {n for n in KG.__annotations__ if not n.startswith("_")})
    return out


def unknown_terms(query: str, predeclared: Mapping[str, str]) -> list[str]:
    """Warnings for IRIs of a known vocabulary's namespace that the vocabulary
    does not define, each with its position and the nearest defined term."""
    prefixes = {**predeclared, **declared_prefixes(query)}
    short = {ns: p for p, ns in prefixes.items()}
    vocab = known_terms()
    warnings: list[str] = []
    seen: set[str] = set()
    for t in tokens(query):
        if t.kind == "pname" and t.prefix in prefixes:
            ns, local = prefixes[t.prefix], unescape_local(t.local)
        elif t.kind == "iri":
            iri = t.text[1:-1]
            ns = next((n for n in vocab if iri.startswith(n)), "")
            local = iri[len(ns):]
        else:
            continue
        names = vocab.get(ns)
        if names is None or not local or local in names or (ns + local) in seen:
            continue
        seen.add(ns + local)
        near = difflib.get_close_matches(local, sorted(names), n=1, cutoff=0.6)
        p = short.get(ns)
        shown = f"{p}:{local}" if p is not None else f"<{ns}{local}>"
        hint = f"; did you mean {(p + ':') if p is not None else ns}{near[0]}?" if near else ""
        warnings.append(f"line {t.line}, column {t.col}: {shown} is not a term of {ns}, so it matches "
                        f"nothing{hint}")
    return warnings
