"""One meaning for -o (output) and -f (format) in every command, old long options
kept; kg view --depth without --focus refused; exports carry edge evidence;
the README says how to reach the kg command."""
from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from kg.cli import main, make_parser

ROOT = Path(__file__).resolve().parent.parent


def option_help(command: str, capsys) -> str:
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command, has_format", [("build", False), ("query", True), ("view", False),
                                                 ("stats", True), ("export", True)])
def test_o_is_output_and_f_is_format_everywhere(command, has_format, capsys):
    text = option_help(command, capsys)
    assert re.search(r"-o (FILE|DIR), --output", text), text
    assert bool(re.search(r"-f \{[a-z,]+\}, --format", text)) == has_format, text


def test_old_long_options_still_parse():
    parser = make_parser()
    assert parser.parse_args(["build", "x", "--out", "o"]).output == "o"
    assert parser.parse_args(["build", "x", "-o", "o"]).output == "o"
    assert parser.parse_args(["build", "x", "--output", "o"]).output == "o"
    args = parser.parse_args(["query", "d", "--file", "q.rq", "--format", "csv"])
    assert (args.file, args.format) == ("q.rq", "csv")
    assert parser.parse_args(["query", "d", "q", "-f", "json"]).format == "json"


def test_query_o_with_a_format_name_is_refused_with_the_new_spelling(seed_build, capsys):
    assert main(["query", str(seed_build[1]), "ASK {}", "-o", "csv"]) == 2
    err = capsys.readouterr().err
    assert "-o is --output FILE" in err and "-f csv" in err


def test_query_f_with_a_file_says_to_use_file(seed_build, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["query", str(seed_build[1]), "-f", "my.rq"])
    assert exc.value.code == 2
    assert "read a query file with --file my.rq" in capsys.readouterr().err


def test_query_and_stats_write_to_output_file(seed_build, tmp_path, capsys):
    out = seed_build[1]
    target = tmp_path / "cities.csv"
    assert main(["query", str(out), "SELECT ?l WHERE { ?c a kg:City ; rdfs:label ?l }", "-f", "csv",
                 "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert "Changchun" in target.read_text().split()
    stats = tmp_path / "stats.json"
    assert main(["stats", str(out), "-f", "json", "-o", str(stats)]) == 0
    assert json.loads(stats.read_text())["entities"] > 0


def test_view_depth_without_focus_is_refused(seed_build, capsys):
    assert main(["view", str(seed_build[1]), "--depth", "2"]) == 2
    err = capsys.readouterr().err
    assert "--depth 2 needs --focus ENTITY" in err
    assert not (seed_build[1] / "view.html").exists()


def test_view_depth_with_focus_works(seed_build, tmp_path, capsys):
    page = tmp_path / "v.html"
    assert main(["view", str(seed_build[1]), "--focus", "Guiyang", "--depth", "2", "-o", str(page)]) == 0
    assert page.is_file()


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_edges_carry_evidence(seed_build, tmp_path, fmt, read):
    out = seed_build[1]
    path = tmp_path / f"g.{fmt}"
    assert main(["export", str(out), "-f", fmt, "-o", str(path)]) == 0
    G = read(path)
    edges = [d for _, _, d in G.edges(data=True) if d.get("predicate") == "capitalOf"]
    hit = [d for d in edges if "capital of Jilin" in d["evidence"]]
    assert hit, edges
    d = hit[0]
    n = int(d["evidence_count"])
    assert n >= 1
    for key in ("evidence", "evidence_article", "evidence_date", "evidence_confidence"):
        assert len(str(d.get(key, "")).split(" | ")) == n, key
    assert "Province looks to its high-tech sectors" in d["evidence_article"]
    assert "2018-09-04" in d["evidence_date"]
    assert all(0 <= float(c) <= 1 for c in d["evidence_confidence"].split(" | "))


def test_readme_says_how_to_reach_the_kg_command():
    readme = (ROOT / "README.md").read_text()
    setup = readme[readme.index("## Set-up"):readme.index("## `kg build")]
    assert "source .venv/bin/activate" in setup and ".venv/bin/kg" in setup


def test_query_text_may_follow_the_options(seed_build, capsys):
    assert main(["query", str(seed_build[1]), "-f", "csv",
                 "SELECT ?l WHERE { ?c a kg:City ; rdfs:label 'Changchun' ; rdfs:label ?l }"]) == 0
    assert capsys.readouterr().out.split() == ["l", "Changchun"]
    with pytest.raises(SystemExit) as exc:
        main(["query", str(seed_build[1]), "-f", "csv", "ASK {}", "extra"])
    assert exc.value.code == 2 and "unrecognized arguments: ASK {} extra" in capsys.readouterr().err
