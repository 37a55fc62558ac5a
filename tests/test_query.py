"""``kg query`` and kg.query: canned queries, parameters, output formats, errors.

Results from the embedded store are checked against rdflib's own SPARQL
engine on the same data (fine at this size), so the tests assert on
consistency, not on what the extractors happen to find today.
"""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from kg.cli import main
from kg.errors import QueryError
from kg.query import (bind_params, canned_queries, canned_query, format_outcome, parse_params,
                      resolve_entity, run_query, sparql_iri, sparql_string)
from kg.rdf import PREFIXES
from kg.store import EmbeddedBackend, save_dataset
from kg.vocab import DATA

MINI = Path(__file__).parent / "data" / "sparql" / "mini.trig"
REQUIRED = {"investments", "hosts", "people", "entity", "provinces"}


@pytest.fixture(scope="module")
def mini_ds() -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(MINI, format="trig")
    return ds


@pytest.fixture(scope="module")
def mini_dir(tmp_path_factory, mini_ds) -> Path:
    out = tmp_path_factory.mktemp("mini")
    save_dataset(mini_ds, out)
    return out


@pytest.fixture
def backend(mini_dir):
    b = EmbeddedBackend.open(mini_dir)
    yield b
    b.close()


def rows_as_set(outcome) -> set[tuple]:
    return {tuple(row.get(v, {}).get("value") for v in outcome.variables) for row in outcome.rows}


def rdflib_rows(graph, text: str) -> set[tuple]:
    res = graph.query(text)
    return {tuple(None if v is None else str(v) for v in row) for row in res}


def normalise_numbers(rows: set[tuple]) -> set[tuple]:
    """Oxigraph prints decimals canonically (1000000000), rdflib as written (1000000000.0)."""
    def norm(v):
        try:
            return str(float(v)) if v is not None and v.replace(".", "", 1).isdigit() else v
        except AttributeError:
            return v
    return {tuple(norm(v) for v in row) for row in rows}


# ----------------------------------------------------------------- canned queries


def test_canned_queries_ship_with_descriptions_and_params():
    queries = canned_queries()
    assert REQUIRED <= set(queries)
    for name, q in queries.items():
        assert q.description and not q.description.startswith("#"), name
        for p, param in q.params.items():
            if param.kind == "limit":
                assert q.page_size and "limit=0" in q.text, name   # documented in the header
            else:
                assert f"VALUES ?{p} {{ UNDEF }}" in q.text, (name, p)
    assert "entity" in queries["entity"].params and queries["entity"].params["entity"].required
    assert {n for n, q in queries.items() if q.paged} == REQUIRED - {"entity"}


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_canned_query_matches_rdflib(name, backend, mini_ds):
    text = bind_params(canned_query(name), {}, backend, PREFIXES, page=None) if name != "entity" \
        else canned_query(name).text        # the whole listing, every fact for entity
    ours = backend.query(text)
    assert ours.kind == "bindings" and ours.rows, f"{name} found nothing in the mini graph"
    assert normalise_numbers(rows_as_set(ours)) == normalise_numbers(rdflib_rows(mini_ds, text))


def test_entity_param_accepts_label_alt_label_iri_and_prefixed_name(backend):
    iri = f"<{DATA['company/huawei']}>"
    for value in ("Huawei", "huawei", "HUAWEI TECHNOLOGIES", str(DATA["company/huawei"]), "kgd:company/huawei"):
        assert resolve_entity(backend, value, PREFIXES) == [iri], value


def test_entity_query_with_label_returns_only_that_entity(backend):
    out = run_query(backend, named="entity", params={"entity": ["Changchun"]})
    assert out.rows
    changchun = str(DATA["city/changchun"])
    for row in out.rows:
        assert changchun in (row["subject"]["value"], row["object"]["value"])
        assert row["sentence"]["value"] and row["article"]["value"].startswith(str(DATA["article/"]))


def test_unknown_label_suggests_similar(backend):
    with pytest.raises(QueryError, match="no entity labelled 'huawe'.*'Huawei'"):
        resolve_entity(backend, "huawe", PREFIXES)


def test_parameter_values_cannot_inject_sparql(backend):
    evil = 'x" } } ; DROP ALL ; SELECT * { ?s ?p "'
    assert sparql_string(evil).count('"') == 2 + evil.count('"')
    with pytest.raises(QueryError, match="no entity labelled"):
        run_query(backend, named="entity", params={"entity": [evil]})
    with pytest.raises(QueryError, match="is not an IRI"):
        sparql_iri("http://x> } ; DROP ALL ; <y", PREFIXES)


def test_param_errors_name_the_choices(backend):
    with pytest.raises(QueryError, match="has no parameter 'nope'; its parameters: entity"):
        run_query(backend, named="entity", params={"nope": ["x"]})
    with pytest.raises(QueryError, match="available: entity, hosts"):
        canned_query("no-such-query")
    with pytest.raises(QueryError, match="NAME=VALUE"):
        parse_params(["entity"])
    assert parse_params(["entity=A", "entity=B=C"]) == {"entity": ["A", "B=C"]}


def test_several_values_for_one_param(backend):
    text = bind_params(canned_query("people"), {"person": ["Li Wei", "kgd:person/li-wei"]}, backend, PREFIXES)
    assert text.count(f"<{DATA['person/li-wei']}>") == 1   # duplicates collapse


# ----------------------------------------------------------------- formats


def test_formats(backend):
    out = backend.query("SELECT ?c ?l WHERE { ?c a kg:City ; rdfs:label ?l } ORDER BY ?c")
    table = format_outcome(out, "table")
    assert table.splitlines()[0].split() == ["c", "l"] and "kgd:city\\/changchun" in table and "(1 row)" in table
    rows = list(csv.reader(io.StringIO(format_outcome(out, "csv"))))
    assert rows == [["c", "l"], [str(DATA["city/changchun"]), "Changchun"]]
    tsv = format_outcome(out, "tsv").splitlines()
    assert tsv == ["?c\t?l", f"<{DATA['city/changchun']}>\t\"Changchun\""]
    data = json.loads(format_outcome(out, "json"))
    assert data["head"]["vars"] == ["c", "l"]
    assert data["results"]["bindings"][0]["c"] == {"type": "uri", "value": str(DATA["city/changchun"])}
    with pytest.raises(QueryError, match="choose one of table, csv, tsv, json"):
        format_outcome(out, "xml")


def test_ask_and_construct(backend):
    assert format_outcome(backend.query("ASK { ?c a kg:City }"), "table") == "true"
    assert json.loads(format_outcome(backend.query("ASK { ?c a kg:Nothing }"), "json"))["boolean"] is False
    ttl = format_outcome(backend.query("CONSTRUCT { ?c a kg:City } WHERE { ?c a kg:City }"), "table")
    g = Graph().parse(data=ttl, format="turtle")
    assert len(g) == 1


def test_syntax_error_has_line_and_column(backend):
    with pytest.raises(QueryError) as info:
        backend.query("SELECT ?s\nWHERE { ?s ?p }")
    assert "line 2, column" in str(info.value) and "WHERE { ?s ?p }" in str(info.value)


# ----------------------------------------------------------------- CLI


def test_cli_help():
    proc = subprocess.run([sys.executable, "-m", "kg", "query", "--help"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0
    for flag in ("--file", "--named", "--param", "--format", "--endpoint", "--list"):
        assert flag in proc.stdout


def test_cli_list(capsys):
    assert main(["query", "--list"]) == 0
    out = capsys.readouterr().out
    for name in REQUIRED:
        assert any(line.startswith(name + " ") for line in out.splitlines()), name
    assert "--param entity=" in out


def test_cli_text_file_and_stdin(mini_dir, tmp_path, capsys, monkeypatch):
    q = "SELECT ?l WHERE { ?c a kg:City ; rdfs:label ?l }"
    assert main(["query", str(mini_dir), q, "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["l", "Changchun"]
    f = tmp_path / "q.rq"
    f.write_text(q)
    assert main(["query", str(mini_dir), "--file", str(f), "--format", "tsv"]) == 0
    assert capsys.readouterr().out.split("\n")[1] == '"Changchun"'
    monkeypatch.setattr(sys, "stdin", io.StringIO(q))
    assert main(["query", str(mini_dir), "-", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["results"]["bindings"][0]["l"]["value"] == "Changchun"


def test_cli_named_with_param(mini_dir, capsys):
    assert main(["query", str(mini_dir), "--named", "people", "--param", "person=li wei"]) == 0
    out = capsys.readouterr().out
    assert "Li Wei" in out and "CEO" in out and "(1 row)" in out


def test_cli_syntax_error_exit_code_and_message(mini_dir):
    proc = subprocess.run([sys.executable, "-m", "kg", "query", str(mini_dir), "SELECT * WHERE { ?s ?p }"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "line 1, column" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("argv, message", [
    (["query", "{dir}"], "give the query"),
    (["query", "{dir}", "SELECT * {}", "--param", "a=b"], "--param only applies"),
    (["query", "{dir}", "--named", "nope"], "available:"),
    (["query", "{missing}", "SELECT * {}"], "kg build"),
    (["query", "{dir}", "--file", "{missing}"], "cannot read query file"),
    (["query"], "give the build directory"),
])
def test_cli_errors(argv, message, mini_dir, tmp_path, capsys):
    argv = [a.replace("{dir}", str(mini_dir)).replace("{missing}", str(tmp_path / "missing")) for a in argv]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_cli_construct_prints_turtle(mini_dir, capsys):
    assert main(["query", str(mini_dir), f"DESCRIBE <{DATA['city/changchun']}>"]) == 0
    g = Graph().parse(data=capsys.readouterr().out, format="turtle")
    assert len(g) >= 3


# ----------------------------------------------------------------- the real build


def test_seed_build_basics(seed_build):
    _, out = seed_build
    b = EmbeddedBackend.open(out)
    cities = b.query('SELECT ?c WHERE { ?c a kg:City ; rdfs:label "Changchun" }')
    assert len(cities.rows) == 1
    facts = b.query("SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a kg:Fact ; kg:evidence ?ev . "
                    "?ev kg:sentence ?s ; kg:article ?a }")
    assert int(facts.rows[0]["n"]["value"]) > 0
    b.close()


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_seed_canned_queries_match_rdflib_on_graph_ttl(name, seed_build):
    _, out = seed_build
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    b = EmbeddedBackend.open(out)
    # the whole listing (limit=0); entity is about one thing: bind the param
    values = {"entity": ["Changchun"]} if name == "entity" else {"limit": ["0"]}
    text = bind_params(canned_query(name), values, b, PREFIXES)
    ours = b.query(text)
    b.close()
    if name == "people":
        # rdflib raises NotBoundError on GROUP_CONCAT(DISTINCT ?x) over an unbound OPTIONAL
        # variable; compare everything but the roles column there
        text = text.replace('(GROUP_CONCAT(DISTINCT ?role; separator="; ") AS ?roles)', "")
        ours.variables.remove("roles")
    assert normalise_numbers(rows_as_set(ours)) == normalise_numbers(rdflib_rows(graph, text))


# ----------------------------------------------------------------- paged listings


def _synthetic_store(out: Path, triples: int) -> Path:
    """A build directory whose store holds the benchmark's synthetic graph (kg-shaped)."""
    import importlib.util

    from kg.store import sync_store

    spec = importlib.util.spec_from_file_location(
        "bench_store", Path(__file__).resolve().parent.parent / "benchmarks" / "bench_store.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    data, _ = bench.synthetic_nquads(triples)
    sync_store(data, out)
    return out


@pytest.fixture(scope="module")
def big_dir(tmp_path_factory) -> Path:
    """Big enough that every listing has several pages (a few thousand rows)."""
    return _synthetic_store(tmp_path_factory.mktemp("synthetic"), 60_000)


@pytest.fixture
def big(big_dir):
    b = EmbeddedBackend.open(big_dir)
    yield b
    b.close()


PAGED = sorted(REQUIRED - {"entity"})


@pytest.mark.parametrize("name", PAGED)
def test_listing_default_is_first_page_of_full_listing(name, big):
    full = run_query(big, named=name, params={"limit": ["0"]})
    assert not full.truncated and len(full.rows) > 160, name
    page = run_query(big, named=name)
    assert canned_query(name).page_size == 100
    assert len(page.rows) == 100 and page.truncated
    assert page.variables == full.variables and page.rows == full.rows[:100]
    for n in (1, 7, 150):
        part = run_query(big, named=name, params={"limit": [str(n)]})
        assert part.rows == full.rows[:n] and part.truncated, (name, n)
        assert run_query(big, named=name, limit=n).rows == full.rows[:n]
    # the whole listing is what the query without any LIMIT gives
    text = bind_params(canned_query(name), {}, big, PREFIXES, page=None)
    assert "LIMIT" not in text.split("PREFIX")[-1]
    assert big.query(text).rows == full.rows


@pytest.mark.parametrize("name", PAGED)
def test_listing_page_longer_than_listing_is_complete(name, backend):
    full = run_query(backend, named=name, params={"limit": ["0"]})
    page = run_query(backend, named=name)          # the mini graph: all of it fits one page
    assert page.rows == full.rows and not page.truncated
    one = run_query(backend, named=name, params={"limit": ["1"]})
    assert one.rows == full.rows[:1] and one.truncated == (len(full.rows) > 1)


def test_selecting_param_returns_every_row_unless_limit_given(big):
    name = "Province 0"
    full = run_query(big, named="provinces", params={"province": [name]})
    assert len(full.rows) > 100 and not full.truncated
    assert {r["provinceLabel"]["value"] for r in full.rows} == {name}
    two = run_query(big, named="provinces", params={"province": [name], "limit": ["2"]})
    assert two.rows == full.rows[:2] and two.truncated


def test_short_page_reruns_without_candidate_bound(tmp_path):
    """Parks that host nothing sort first: the page's candidate parks give no row,
    so the page must come from a second run, and still be the listing's first rows."""
    kg, kgd = "https://w3id.org/kg/ontology#", "https://w3id.org/kg/id/"
    lines = [f'<{kgd}park/a{i}> a <{kg}IndustrialPark> ; <http://www.w3.org/2000/01/rdf-schema#label> "A park {i}" .'
             for i in range(5)]
    lines += [f'<{kgd}park/b> a <{kg}IndustrialPark> ; <http://www.w3.org/2000/01/rdf-schema#label> "B park" ; '
              f'<{kg}hosts> <{kgd}company/c{i}> .\n<{kgd}company/c{i}> a <{kg}Company> ; '
              f'<http://www.w3.org/2000/01/rdf-schema#label> "C {i}" .' for i in range(3)]
    ds = Dataset(default_union=True)
    ds.graph(DATA["graph/entities"]).parse(data="\n".join(lines), format="turtle")
    save_dataset(ds, tmp_path)
    b = EmbeddedBackend.open(tmp_path)
    full = run_query(b, named="hosts", params={"limit": ["0"]})
    assert [r["organizationLabel"]["value"] for r in full.rows] == ["C 0", "C 1", "C 2"]
    for n in (1, 2, 3, 4):
        page = run_query(b, named="hosts", params={"limit": [str(n)]})
        assert page.rows == full.rows[:n] and page.truncated == (n < 3), n
    b.close()


def test_limit_param_errors(backend):
    with pytest.raises(QueryError, match="whole number"):
        run_query(backend, named="hosts", params={"limit": ["ten"]})
    with pytest.raises(QueryError, match="needs --param entity"):
        run_query(backend, named="entity")


def test_cli_listing_page_note_on_stderr(big_dir, capsys):
    assert main(["query", str(big_dir), "--named", "hosts"]) == 0
    out, err = capsys.readouterr()
    assert "(100 rows" in out
    assert "first 100 rows of the hosts listing" in err and "--param limit=0" in err
    assert main(["query", str(big_dir), "--named", "hosts", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    first = json.loads(out)["results"]["bindings"]
    assert len(first) == 100 and "first 100 rows" in err
    assert main(["query", str(big_dir), "--named", "hosts", "--format", "csv", "--param", "limit=0"]) == 0
    out, err = capsys.readouterr()
    rows = list(csv.reader(io.StringIO(out)))[1:]
    assert len(rows) > 100 and err == ""
    assert [r[0] for r in rows[:100]] == [b["place"]["value"] for b in first]
    assert main(["query", str(big_dir), "--named", "hosts", "--format", "csv", "--limit", "5"]) == 0
    out, err = capsys.readouterr()
    assert len(list(csv.reader(io.StringIO(out)))) == 6 and "first 5 rows" in err
    assert main(["query", str(big_dir), "--named", "hosts", "--format", "csv", "--limit", "0"]) == 0
    out, err = capsys.readouterr()
    assert len(list(csv.reader(io.StringIO(out)))) == len(rows) + 1 and err == ""


def test_cli_list_documents_paging(capsys):
    assert main(["query", "--list"]) == 0
    out = capsys.readouterr().out
    assert out.count("first 100 rows") == len(PAGED) and "--param limit=..." in out
    assert "--param entity=...  the entity" in out and "(required)" in out
