"""What ``kg build`` says about its input: files it did not read (by extension,
each with --verbose), hidden entries left out on purpose, and cache counters
that count by content, wherever the file now is."""
from __future__ import annotations

import shutil

import pytest

from kgpaths import MODEL, SEEDS
from kg.cli import main
from kg.corpus import iter_articles
from kg.model import Ignored
from kg.pipeline import build


@pytest.fixture
def mixed_folder(tmp_path):
    """Two articles beside files kg cannot read and hidden entries."""
    d = tmp_path / "in"
    d.mkdir()
    for src in sorted(SEEDS.iterdir())[:2]:
        shutil.copy(src, d / src.name)
    (d / "report.pdf").write_bytes(b"%PDF-1.4\n")
    (d / "table.csv").write_text("a,b\n1,2\n")
    (d / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (d / "sub").mkdir()
    (d / "sub" / "more.pdf").write_bytes(b"%PDF-1.4\n")
    (d / ".text").write_text("a hidden note\n")
    (d / ".git").mkdir()
    (d / ".git" / "notes.txt").write_text("inside a hidden folder\n")
    return d


def test_iter_articles_reports_what_it_leaves_out(mixed_folder):
    ignored: list[Ignored] = []
    articles = list(iter_articles([mixed_folder], ignored=ignored))
    assert len(articles) == 2
    by = {(i.path[len(str(mixed_folder)) + 1:], i.why) for i in ignored}
    assert by == {("report.pdf", "unsupported"), ("table.csv", "unsupported"), ("picture.png", "unsupported"),
                  ("sub/more.pdf", "unsupported"), (".text", "hidden"), (".git", "hidden")}
    assert sorted(i.kind for i in ignored) == [".csv", ".pdf", ".pdf", ".png", "hidden", "hidden"]


def test_build_summary_counts_unread_files_by_extension(mixed_folder, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(mixed_folder), "--out", str(out), "--model", MODEL, "--no-html"]) == 0
    text = capsys.readouterr().out
    assert "4 file(s): .pdf 2, .csv 1, .png 1; --verbose lists them" in text
    assert "hidden files and folders left out on purpose: 2" in text
    assert "report.pdf" not in text
    assert main(["build", str(mixed_folder), "--out", str(out), "--model", MODEL, "--no-html", "--verbose"]) == 0
    text = capsys.readouterr().out
    for name in ("report.pdf", "table.csv", "picture.png", "more.pdf", ".text", ".git"):
        assert any(line.startswith("  not read ") and name in line for line in text.splitlines()), name
    assert "--verbose lists them" not in text


def test_explicit_unsupported_file_is_still_skipped_with_reason(tmp_path, capsys):
    f = tmp_path / "report.pdf"
    f.write_bytes(b"%PDF-1.4\n")
    assert main(["build", str(f), "--out", str(tmp_path / "out"), "--model", MODEL, "--no-html"]) == 1
    assert "unsupported file type '.pdf'" in capsys.readouterr().err


def test_copied_folder_with_one_edit_and_one_deletion(copy_seeds, tmp_path):
    out = tmp_path / "out"
    first = build([copy_seeds], out, model=MODEL, html=False)
    copy = tmp_path / "copy"
    shutil.copytree(copy_seeds, copy)
    files = sorted(copy.iterdir())
    files[0].write_text(files[0].read_text(encoding="utf-8") + "\nInspur will build a data center in Changchun.\n",
                        encoding="utf-8")
    files[1].unlink()
    second = build([copy], out, model=MODEL, html=False)
    assert (second.processed, second.changed, second.reused, second.removed) == (1, 1, first.articles - 2, 1)
    # the reused extractions carry the new paths
    from rdflib import Graph
    from kg.vocab import KG
    sources = {str(o) for o in Graph().parse(out / "graph.ttl").objects(None, KG.sourceFile)}
    assert sources and all(s.startswith(str(copy)) for s in sources)


def test_edit_in_place_removes_nothing(copy_seeds, tmp_path, capsys):
    out = tmp_path / "out"
    build([copy_seeds], out, model=MODEL, html=False)
    f = sorted(copy_seeds.iterdir())[0]
    f.write_text(f.read_text(encoding="utf-8") + "\nTencent will open an office in Guiyang.\n", encoding="utf-8")
    assert main(["build", str(copy_seeds), "--out", str(out), "--model", MODEL, "--no-html"]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith("articles read: 5 (processed 1, 1 of them changed; reused 4 unchanged; removed 0)")


def test_build_into_a_folder_inside_the_input_does_not_read_its_own_output(tmp_path, capsys, monkeypatch):
    """`kg build . -o out`, twice: the second build must not read out/graph.html as an article."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(sorted(SEEDS.iterdir())[0], corpus / "a.txt")
    monkeypatch.chdir(corpus)
    assert main(["build", ".", "-o", "out", "--model", MODEL]) == 0
    assert (corpus / "out" / "graph.html").is_file()
    capsys.readouterr()
    assert main(["build", ".", "-o", "out", "--model", MODEL]) == 0
    captured = capsys.readouterr()
    assert "skipped" not in captured.err and "skipped: 0" in captured.out
    assert "not read: out, this build's own output folder" in captured.out
    assert captured.out.startswith("articles read: 1 ")
