"""SPARQL mistakes named as such (caret under the column), misspelt terms warned
about, and every IRI the tables print pastes back into a query."""
from __future__ import annotations

import pytest

from kg.cli import main
from kg.errors import QueryError
from kg.query import compact_iri, run_query, sparql_iri
from kg.rdf import PREFIXES
from kg.sparqlcheck import declared_prefixes, tokens, undeclared_prefixes, unknown_terms
from kg.store import EmbeddedBackend


@pytest.fixture(scope="module")
def backend(seed_build):
    return EmbeddedBackend.open(seed_build[1])


def error_of(backend, sparql: str) -> str:
    with pytest.raises(QueryError) as exc:
        run_query(backend, sparql)
    return str(exc.value)


def caret_column(message: str) -> int:
    """The 1-based column the caret of an error message points at."""
    caret = message.splitlines()[-1]
    return len(caret) - len("    ")


def test_tokens_know_lines_columns_and_prefixes():
    q = 'PREFIX ex: <http://example.org/>\n# a comment with foo:bar\nSELECT ?x WHERE { ?x ex:p "a:b" ; rdfs:label ?l }'
    pnames = [(t.text, t.line, t.col) for t in tokens(q) if t.kind == "pname"]
    assert pnames == [("ex:", 1, 8), ("ex:p", 3, 22), ("rdfs:label", 3, 35)]
    assert declared_prefixes(q) == {"ex": "http://example.org/"}
    assert [t.text for t in undeclared_prefixes(q, {})] == ["rdfs:label"]


def test_misspelt_query_form_is_named(backend):
    msg = error_of(backend, "SELEC ?c WHERE { ?c a kg:City }")
    assert "'SELEC' is not a query form" in msg and "did you mean SELECT?" in msg
    assert "expected CONSTRUCT" not in msg
    assert "line 1, column 1" in msg and caret_column(msg) == 1


def test_undeclared_prefix_is_named_with_the_declared_ones(backend):
    msg = error_of(backend, "PREFIX ex: <http://example.org/>\nSELECT ?c WHERE { ?c a foo:bar }")
    assert "undeclared prefix 'foo' in foo:bar at line 2, column 24" in msg
    assert "ex:" in msg and "kg:" in msg and "rdfs:" in msg
    assert "OPTIONAL" not in msg
    assert msg.splitlines()[-2].strip() == "SELECT ?c WHERE { ?c a foo:bar }"
    assert caret_column(msg) == 24


def test_error_on_line_three_is_reported_on_line_three(seed_build, tmp_path, capsys):
    """The parser says line 5 (the end of the text): the extra brace is on line 3."""
    q = tmp_path / "q.rq"
    q.write_text("PREFIX kg: <https://w3id.org/kg/ontology#>\nSELECT ?c\nWHERE { ?c a kg:City . }}\n\n")
    assert main(["query", str(seed_build[1]), "--file", str(q)]) == 2
    err = capsys.readouterr().err
    assert "at line 3, column 25" in err and "1 more '}' than '{'" in err
    lines = err.rstrip("\n").splitlines()
    assert lines[-2].strip() == "WHERE { ?c a kg:City . }}" and caret_column(err.rstrip("\n")) == 25


def test_unclosed_brace_points_at_the_end_of_the_text(backend):
    msg = error_of(backend, "SELECT ?c WHERE {\n  ?c a kg:City\n\n")
    assert "'{' not closed" in msg and "line 2" in msg


@pytest.mark.parametrize("sparql, want", [
    ("SELECT ?l WHERE { ?c rdfs:lable ?l }", "rdfs:lable is not a term of http://www.w3.org/2000/01/rdf-schema#"
                                             ", so it matches nothing; did you mean rdfs:label?"),
    ("SELECT ?c WHERE { ?c a kg:Cty }", "did you mean kg:City?"),
    ("SELECT ?c WHERE { ?c <https://w3id.org/kg/ontology#locatedin> ?p }", "did you mean kg:locatedIn?"),
    ("PREFIX s: <http://www.w3.org/2004/02/skos/core#> SELECT ?c WHERE { ?c s:altLable ?p }",
     "did you mean s:altLabel?"),
])
def test_unknown_terms_are_warned_with_the_nearest(sparql, want):
    (warning,) = unknown_terms(sparql, PREFIXES)
    assert want in warning


def test_known_terms_and_data_iris_give_no_warning():
    q = ("SELECT * WHERE { ?c a kg:City ; rdfs:label ?l ; skos:altLabel ?a ; owl:sameAs ?g . "
         "kgd:city\\/changchun kg:capitalOf ?p . ?p kg:isoCode ?i ; rdf:type ?t . FILTER(datatype(?i) = xsd:string) }")
    assert unknown_terms(q, PREFIXES) == []


def test_cli_warns_on_stderr_and_exits_zero(seed_build, capsys):
    assert main(["query", str(seed_build[1]), "SELECT ?c ?l WHERE { ?c a kg:City ; rdfs:lable ?l }"]) == 0
    captured = capsys.readouterr()
    assert "(0 rows)" in captured.out
    assert "kg query: warning: line 1, column 37: rdfs:lable is not a term" in captured.err
    assert "rdfs:label?" in captured.err


def test_printed_iris_paste_back_into_a_query(seed_build, capsys, backend):
    out = seed_build[1]
    assert main(["query", str(out), "SELECT ?c WHERE { ?c a kg:City ; rdfs:label 'Changchun' }"]) == 0
    cell = capsys.readouterr().out.splitlines()[2].strip()
    assert cell == "kgd:city\\/changchun"
    got = run_query(backend, f"SELECT ?l WHERE {{ {cell} rdfs:label ?l }}")
    assert got.values("l") == ["Changchun"]
    # and as a parameter
    assert main(["query", str(out), "--named", "entity", "--param", f"entity={cell}", "--format", "csv"]) == 0
    assert "Changchun" in capsys.readouterr().out


def test_long_iris_are_never_cut_in_tables(seed_build, capsys, backend):
    assert main(["query", str(seed_build[1]), "SELECT ?f WHERE { ?f a kg:Facility }"]) == 0
    cells = [line.strip() for line in capsys.readouterr().out.splitlines()[2:-1]]
    assert cells and not any("…" in c for c in cells)
    for cell in cells:
        assert run_query(backend, f"ASK {{ {cell} a kg:Facility }}").boolean is True


@pytest.mark.parametrize("iri, text", [
    ("https://w3id.org/kg/ontology#City", "kg:City"),
    ("https://w3id.org/kg/id/city/changchun", "kgd:city\\/changchun"),
    ("https://w3id.org/kg/id/person/li.", "kgd:person\\/li\\."),
    ("https://w3id.org/kg/id/x y", "<https://w3id.org/kg/id/x y>"),
    ("http://example.org/other", "<http://example.org/other>"),
])
def test_compact_iri_is_valid_sparql(iri, text):
    assert compact_iri(iri, PREFIXES) == text
    if text.startswith("kg"):
        assert sparql_iri(text, PREFIXES) == f"<{iri}>"
