"""Input files that used to abort a build or stall it: each is read, cut, split or
reported, and the other files are read as usual."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from kg.corpus import MAX_ARTICLE_CHARS, MAX_SYMBOL_RUN, html_to_text, iter_articles
from kg.errors import InputError
from kg.model import Article, Skipped

GOOD = "Shenzhen opened a data park. The city said so.\n"


def read(*paths, **kw) -> tuple[list[Article], list[Skipped]]:
    items = list(iter_articles([*paths], **kw))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Skipped)]


def test_symlink_loops_are_skipped(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    os.symlink("b.txt", tmp_path / "b.txt")                # a link to itself
    os.symlink("d.txt", tmp_path / "c.txt")
    os.symlink("c.txt", tmp_path / "d.txt")                # two links in a ring
    articles, skipped = read(tmp_path)
    assert [a.id for a in articles] == ["a"]
    assert len(skipped) == 3 and all("symbolic link loop" in s.reason for s in skipped)


def test_explicit_looping_link_fails_fast_with_a_message(tmp_path):
    os.symlink("b.txt", tmp_path / "b.txt")
    with pytest.raises(InputError, match="looping symbolic link"):
        iter_articles([tmp_path / "b.txt"])


def test_jsonl_lone_surrogate_is_skipped(tmp_path):
    f = tmp_path / "news.jsonl"
    f.write_text('{"text": "bad \\ud800 text"}\n{"text": "Shenzhen opened a park."}\n'
                 '{"text": "ok", "title": "\\udfff"}\n')
    articles, skipped = read(f)
    assert [a.text for a in articles] == ["Shenzhen opened a park."]
    assert [s.path for s in skipped] == [f"{f}:1", f"{f}:3"] and "surrogate" in skipped[0].reason
    articles[0].content_hash      # encodes cleanly


def test_jsonl_deep_nesting_is_skipped(tmp_path):
    f = tmp_path / "news.jsonl"
    f.write_text('{"text": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
                 + '{"text": "[[[[ in a string is fine ]]]]"}\n')
    articles, skipped = read(f)
    assert len(articles) == 1 and "[[[[" in articles[0].text
    assert skipped[0].path == f"{f}:1" and "nested" in skipped[0].reason


def test_article_over_spacys_limit_is_split_into_sections(tmp_path):
    para = ("Shenzhen opened a data park in the new district. " * 40).strip()
    text = "\n\n".join([para] * (2_100_000 // len(para)))
    (tmp_path / "long.txt").write_text("A long report on parks\n\n" + text)
    articles, skipped = read(tmp_path)
    assert not skipped and len(articles) == 3
    assert [a.id for a in articles] == ["long-s1", "long-s2", "long-s3"]
    assert all(len(a.text) <= MAX_ARTICLE_CHARS < 1_000_000 for a in articles)
    assert all(a.title == "A long report on parks" for a in articles)
    assert sum(len(a.text) for a in articles) >= len(text) - 10       # nothing dropped but breaks
    assert all(a.text.endswith("district.") for a in articles)       # cut at paragraph breaks


def test_symbol_runs_are_cut_before_spacy(tmp_path, nlp):
    (tmp_path / "dollars.txt").write_text("Prices: " + "$" * 10_000 + " and " + "%" * 5000 + " end.\n")
    (articles, _) = read(tmp_path)
    assert "$" * MAX_SYMBOL_RUN in articles[0].text and "$" * (MAX_SYMBOL_RUN + 1) not in articles[0].text
    started = time.monotonic()
    nlp.tokenizer(articles[0].text)
    assert time.monotonic() - started < 1          # 25 s before the cut


def test_deeply_nested_html_is_bounded(tmp_path):
    page = ("<html><head><title>Parks</title></head><body>" + "<div>" * 10_000
            + "<p>Shenzhen opened a park.</p><script>alert(1)</script>" + "</div>" * 10_000 + "</body></html>")
    started = time.monotonic()
    title, _, text = html_to_text(page)
    assert time.monotonic() - started < 2          # 16-37 s before
    assert title == "Parks" and text == "Shenzhen opened a park."


def test_output_folder_inside_the_input_is_not_read(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.html").write_text("<html><body><p>Shenzhen opened a park.</p></body></html>")
    articles, _ = read(tmp_path, exclude=[out])
    assert [a.id for a in articles] == ["a"]


def test_unreadable_subfolder_is_reported(tmp_path):
    """As another user (root reads everything): a folder it cannot list is a Skipped."""
    import tempfile

    base = Path(tempfile.mkdtemp(dir="/tmp"))
    os.chmod(base, 0o755)
    (base / "a.txt").write_text(GOOD)
    (base / "secret").mkdir()
    (base / "secret" / "b.txt").write_text(GOOD)
    os.chmod(base / "secret", 0o000)
    os.chmod(base / "a.txt", 0o644)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:                      # the child: drop to nobody, read, report, exit
        try:
            os.close(read_fd)
            if os.getuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            items = list(iter_articles([base]))
            out = [[type(i).__name__, getattr(i, "id", None) or getattr(i, "path", ""),
                    getattr(i, "reason", "")] for i in items]
            os.write(write_fd, json.dumps(out).encode())
        finally:
            os._exit(0)
    os.close(write_fd)
    data = b""
    while chunk := os.read(read_fd, 65536):
        data += chunk
    os.waitpid(pid, 0)
    os.chmod(base / "secret", 0o755)
    result = json.loads(data)
    assert ["Article", "a", ""] in result
    assert any(kind == "Skipped" and path.endswith("secret") and "cannot list" in why
               for kind, path, why in result)


@pytest.mark.parametrize("run", ["**a ", "_a ", "~~a ", "![a", "*a "])
def test_markdown_markup_runs_are_linear(tmp_path, run):
    (tmp_path / "runs.md").write_text("# Parks\n\n" + run * 20_000 + "\n\nShenzhen opened a park.\n")
    started = time.monotonic()
    articles, _ = read(tmp_path)
    assert time.monotonic() - started < 2           # **a x20,000 took 38 s
    assert articles and "Shenzhen opened a park." in articles[0].text
