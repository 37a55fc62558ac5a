"""The same article twice (a copy under another name, the same canonical URL) is built once."""
from __future__ import annotations

import json
import shutil

import pytest

from kgpaths import MODEL, SEEDS
from kg.cli import main
from kg.dedupe import canonical_url, drop_duplicates, text_key
from kg.model import Article
from kg.pipeline import build


@pytest.mark.parametrize("a, b", [
    ("https://www.example.com/news/a", "http://example.com/news/a/"),
    ("https://example.com/news/a?utm_source=x&utm_medium=y#comments", "https://example.com/news/a"),
    ("https://EXAMPLE.com:443/news//a?b=2&a=1", "https://example.com/news/a?a=1&b=2"),
])
def test_canonical_url_same_page(a, b):
    assert canonical_url(a) == canonical_url(b)


@pytest.mark.parametrize("a, b", [
    ("https://example.com/news/a", "https://example.com/news/b"),
    ("https://example.com/news?id=1", "https://example.com/news?id=2"),
    ("https://example.com/a", "https://example.org/a"),
])
def test_canonical_url_different_pages(a, b):
    assert canonical_url(a) != canonical_url(b)


def test_canonical_url_without_host_is_none():
    assert canonical_url(None) is None and canonical_url("  ") is None and canonical_url("news/a") is None


def test_text_key_ignores_spacing_and_case():
    assert text_key("The city\r\n opened  a park.") == text_key("the city opened a park.")
    assert text_key("The city opened a park.") != text_key("The city opened a school.")


def test_drop_duplicates_keeps_the_first_and_says_why():
    a = Article("a", "Huawei opened a data center in Guiyang.", "a.txt", url="https://example.com/x")
    b = Article("b", "Huawei  opened a data center in Guiyang.\n", "b.txt")
    c = Article("c", "An updated text of the same story.", "c.jsonl#2", url="http://www.example.com/x/")
    d = Article("d", "Another story.", "d.txt")
    kept, dups = drop_duplicates([a, b, c, d])
    assert kept == [a, d]
    assert [(x.path, x.same_as) for x in dups] == [("b.txt", "a.txt"), ("c.jsonl#2", "a.txt")]
    assert dups[0].why == "same text" and dups[1].why.startswith("same URL")


def test_copy_of_an_article_is_built_once(tmp_path, seed_build, capsys):
    """A copy of a seed under another name: reported, and the graph is the seeds' graph."""
    seed_report, seed_out = seed_build
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    first = sorted(corpus.iterdir())[0]
    shutil.copy(first, corpus / "zz_copy_of_first.txt")
    out = tmp_path / "out"
    assert main(["build", str(corpus), "--out", str(out), "--model", MODEL, "--no-html"]) == 0
    captured = capsys.readouterr()
    assert f"zz_copy_of_first.txt is the same as {first}" in captured.err
    assert "duplicates: 1" in captured.out
    assert (out / "graph.ttl").read_text().count("kg:Article") == \
        (seed_out / "graph.ttl").read_text().count("kg:Article")
    report = build([corpus], out, model=MODEL, html=False)
    assert report.articles == seed_report.articles
    assert report.investments == seed_report.investments
    assert report.entities_by_class == seed_report.entities_by_class
    assert report.triples == seed_report.triples


def test_same_url_in_jsonl_is_built_once(tmp_path):
    text = "Huawei opened a data center in Guiyang, the capital of Guizhou province."
    lines = [{"id": "one", "text": text, "url": "https://news.example.com/a?utm_source=rss"},
             {"id": "two", "text": text + " It cost 1 billion yuan.", "url": "https://news.example.com/a"}]
    src = tmp_path / "feed.jsonl"
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    report = build([src], tmp_path / "out", model=MODEL, html=False, store=False)
    assert report.articles == 1 and not report.skipped
    assert [(d.path.endswith("#2"), d.same_as.endswith("#1")) for d in report.duplicates] == [(True, True)]
    assert "same URL news.example.com/a" in report.duplicates[0].why
