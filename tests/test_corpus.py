"""kg.corpus: every input format, every kind of bad input, title and date rules."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kg.corpus import (
    is_dateline,
    iter_articles,
    looks_like_headline,
    markdown_to_text,
    parse_date,
    split_header,
)
from kg.errors import InputError, KGError
from kg.model import Article, Skipped


def _read(*paths) -> list[Article | Skipped]:
    return list(iter_articles(list(paths)))


def _one_article(path) -> Article:
    items = _read(path)
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


def _one_skipped(path) -> Skipped:
    items = _read(path)
    assert len(items) == 1 and isinstance(items[0], Skipped), items
    return items[0]


# --------------------------------------------------------------------------- plain text

def test_txt_headline_dateline_byline(tmp_path: Path) -> None:
    p = tmp_path / "story.txt"
    p.write_text("Home>>\n\nCity lures chip makers with new park\n\nUpdated: 2021-03-07\n"
                 "By: Ann Lee (Daily Post)\n\nThe city of Xyz opened a park.\n\nMore text here.\n",
                 encoding="utf-8")
    art = _one_article(p)
    assert art.id == "story"
    assert art.title == "City lures chip makers with new park"
    assert art.date == "2021-03-07"
    assert art.text == "The city of Xyz opened a park.\n\nMore text here."
    assert art.source == str(p)


def test_txt_crlf_and_bom(tmp_path: Path) -> None:
    p = tmp_path / "crlf.txt"
    p.write_bytes("\ufeffA short headline\r\n\r\nBody line one.\r\nBody line two.\r\n".encode("utf-8"))
    art = _one_article(p)
    assert art.title == "A short headline"
    assert art.text == "Body line one.\nBody line two."
    assert "\r" not in art.text and "\ufeff" not in art.text


@pytest.mark.parametrize("text", [
    "The company said on Monday it would invest heavily.\n\nMore.",      # sentence: ends with period
    "The company said on Monday that it would\ninvest in the city.",     # hard-wrapped paragraph
    "Zhang Wei, the chairman of the board, said that\n\nMore.",          # ends in a connector word
    "Home > news > tech\n\nBody starts here.",                            # breadcrumb only
])
def test_txt_no_title(tmp_path: Path, text: str) -> None:
    p = tmp_path / "a.txt"
    p.write_text(text, encoding="utf-8")
    assert _one_article(p).title is None


@pytest.mark.parametrize(("line", "nxt", "expected"), [
    ("Tech giants flock to mountain province", "", True),
    ("Why are data centers moving inland?", "Body.", True),
    ("Investment soars!", None, True),
    ("The firm opened an office.", "", False),
    ("the lower-case start of a line", "", False),
    ("A headline that wraps and", "continues", False),
    ("Some words here", "continued in lower case", False),
    ("(Xinhua) 08:20, September 05, 2024", "", False),
    ("Update: 2018-09-04", "", False),
    ("By: Ann Lee and Bo Chen", "", False),
    ("Home>>", "", False),
    (" ".join(["word"] * 25), "", False),
])
def test_looks_like_headline(line: str, nxt: str | None, expected: bool) -> None:
    assert looks_like_headline(line, nxt) is expected


@pytest.mark.parametrize(("line", "expected"), [
    ("(chinadaily.com.cn) Updated: 2015-09-01", "2015-09-01"),
    ("(Xinhua) 08:20, September 05, 2024", "2024-09-05"),
    ("Published 5 Sept. 2024", "2024-09-05"),
    ("2024-02-30", None),                    # not a date
    ("2022-06-01T08:00:00Z", "2022-06-01"),
    ("05/09/2024", None),                    # ambiguous day/month
    ("2020-01-01 to 2021-01-01", None),      # two dates: ambiguous
])
def test_parse_date(line: str, expected: str | None) -> None:
    assert parse_date(line) == expected


def test_dateline_vs_body_start() -> None:
    assert is_dateline("Update: 2018-09-04")
    assert not is_dateline("HARBIN, Sept. 4 (Xinhua) -- Xu Shaochun, an entrepreneur, traveled far.")
    assert not is_dateline("The park opened on March 3, 2020 with 40 firms on site.")


def test_title_only_file_keeps_text(tmp_path: Path) -> None:
    p = tmp_path / "t.txt"
    p.write_text("Just a headline here\n", encoding="utf-8")
    art = _one_article(p)
    assert art.title is None and art.text == "Just a headline here"


def test_caption_before_headline_is_kept_in_body() -> None:
    title, _, body = split_header("A hall in Xyz. [Photo/Agency] |\nXyz builds a data hub\nXyz is a city.")
    assert title == "Xyz builds a data hub"
    assert body.startswith("A hall in Xyz. [Photo/Agency] |\n")


# --------------------------------------------------------------------------- markdown

def test_markdown(tmp_path: Path) -> None:
    p = tmp_path / "post.md"
    p.write_text(
        "# Acme opens *new* plant\n\n"
        "Acme Corp [announced](https://example.com/x) a **big** plan in `Xyz`.\n\n"
        "## Details\n\n- first point with snake_case_word\n- second _point_\n\n"
        "> A quoted remark.\n\n```python\nprint('code')\n```\n\n![chart](img.png)\n\n---\n\nEnd.\n",
        encoding="utf-8")
    art = _one_article(p)
    assert art.title == "Acme opens new plant"
    assert "Acme Corp announced a big plan in Xyz." in art.text
    assert "Details" in art.text
    assert "first point with snake_case_word" in art.text
    assert "second point" in art.text
    assert "A quoted remark." in art.text
    for junk in ("#", "**", "](", "https://", "```", "print(", "chart", "\n- ", "> "):
        assert junk not in art.text, junk


def test_markdown_front_matter(tmp_path: Path) -> None:
    p = tmp_path / "fm.md"
    p.write_text("---\ntitle: \"Front title\"\ndate: 2023-04-05\nurl: https://e.x/a\n---\nBody text.\n",
                 encoding="utf-8")
    art = _one_article(p)
    assert (art.title, art.date, art.url, art.text) == ("Front title", "2023-04-05", "https://e.x/a", "Body text.")


def test_markdown_setext_heading() -> None:
    _, heading, text = markdown_to_text("Big headline\n============\n\nBody.\n")
    assert heading == "Big headline"
    assert "=" not in text


# --------------------------------------------------------------------------- HTML

HTML = """<!DOCTYPE html><html><head><title>Page title - Site</title>
<meta property="article:published_time" content="2022-06-01T08:00:00Z">
<link rel="canonical" href="https://news.example/a1">
<style>body { color: red; }</style><script>var secret = "SCRIPT_TEXT";</script></head>
<body><nav>Home | World | NAV_TEXT</nav><header>HEADER_TEXT</header>
<h1>Acme builds a <em>data</em> center</h1>
<!-- COMMENT_TEXT -->
<p>Acme said on Monday it   will build
a center in Xyz.</p><p>Second<br>line.</p><div>A div block.</div>
<noscript>NOSCRIPT_TEXT</noscript><script>alert("SCRIPT2")</script>
<footer>FOOTER_TEXT</footer></body></html>"""


def test_html(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(HTML, encoding="utf-8")
    art = _one_article(p)
    assert art.title == "Acme builds a data center"
    assert art.date == "2022-06-01"
    assert art.url == "https://news.example/a1"
    assert art.text == "Acme said on Monday it will build a center in Xyz.\n\nSecond\nline.\n\nA div block."
    for junk in ("SCRIPT", "secret", "color", "NAV_TEXT", "HEADER_TEXT", "FOOTER_TEXT", "NOSCRIPT", "COMMENT"):
        assert junk not in art.text


def test_htm_title_tag_fallback(tmp_path: Path) -> None:
    p = tmp_path / "page.htm"
    p.write_text("<html><head><title>Only title</title></head><body><p>Hello.</p></body></html>", encoding="utf-8")
    art = _one_article(p)
    assert (art.title, art.text) == ("Only title", "Hello.")


def test_html_without_visible_text(tmp_path: Path) -> None:
    p = tmp_path / "blank.html"
    p.write_text("<html><script>x=1</script></html>", encoding="utf-8")
    assert "no visible text" in _one_skipped(p).reason


# --------------------------------------------------------------------------- JSONL

def test_jsonl_mixed_lines(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": "First article.", "title": "T1", "date": "2020-01-02", "url": "u", "id": "a1"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": "ok", "title": 5}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"text": "Second\r\narticle."}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _read(p)
    arts = [i for i in items if isinstance(i, Article)]
    skipped = {s.path: s.reason for s in items if isinstance(s, Skipped)}
    assert [a.id for a in arts] == ["a1", "feed-8"]
    assert arts[0] == Article(id="a1", text="First article.", source=f"{p}#1", title="T1", date="2020-01-02", url="u")
    assert arts[1].text == "Second\narticle." and arts[1].source == f"{p}#8"
    assert set(skipped) == {f"{p}:{n}" for n in (2, 3, 4, 5, 6)}
    assert "invalid JSON" in skipped[f"{p}:2"]
    assert "missing 'text'" in skipped[f"{p}:3"]
    assert "empty 'text'" in skipped[f"{p}:4"]
    assert "'title' must be a string" in skipped[f"{p}:5"] and "5" in skipped[f"{p}:5"]
    assert "JSON object" in skipped[f"{p}:6"]


# --------------------------------------------------------------------------- bad input

def test_missing_path_raises_before_reading(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Body.", encoding="utf-8")
    missing = tmp_path / "nope" / "missing.txt"
    with pytest.raises(InputError) as info:
        iter_articles([good, missing])        # raised on the call, not on iteration
    assert str(missing) in str(info.value)
    assert "no such file or directory" in str(info.value)
    assert isinstance(info.value, KGError)


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\t\n", encoding="utf-8")
    (tmp_path / "empty.jsonl").write_bytes(b"")
    items = _read(tmp_path)
    assert [(Path(s.path).name, s.reason) for s in items] == [
        ("blank.txt", "empty file"), ("empty.jsonl", "empty file"), ("empty.txt", "empty file")]


def test_binary_file(tmp_path: Path) -> None:
    p = tmp_path / "image.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert _one_skipped(p).reason == "binary file, not text"


def test_cp1252_fallback(tmp_path: Path) -> None:
    p = tmp_path / "legacy.txt"
    p.write_bytes("The caf\u00e9 opened \u201cyesterday\u201d.".encode("cp1252"))
    art = _one_article(p)
    assert art.text == "The caf\u00e9 opened \u201cyesterday\u201d."


def test_undecodable_file(tmp_path: Path) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(b"Text with bytes undefined in cp1252: \x81\x8d\x8f\x90\x9d and more words.")
    assert _one_skipped(p).reason == "not valid UTF-8 (tried cp1252)"


def test_utf16_with_bom(tmp_path: Path) -> None:
    p = tmp_path / "wide.txt"
    p.write_bytes("Wide text body.".encode("utf-16"))
    assert _one_article(p).text == "Wide text body."


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions")
def test_permission_denied(tmp_path: Path) -> None:
    p = tmp_path / "secret.txt"
    p.write_text("Body.", encoding="utf-8")
    p.chmod(0)
    try:
        assert "cannot read" in _one_skipped(p).reason
    finally:
        p.chmod(0o600)


def test_unreadable_read_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "locked.txt"
    p.write_text("Body.", encoding="utf-8")

    def deny(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", deny)
    assert _one_skipped(p).reason == "cannot read: Permission denied"


def test_broken_symlink_in_folder(tmp_path: Path) -> None:
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "ok.txt").write_text("Body.", encoding="utf-8")
    items = _read(tmp_path)
    assert isinstance(items[0], Skipped) and "No such file" in items[0].reason
    assert isinstance(items[1], Article)


def test_not_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert _one_skipped(fifo).reason == "not a regular file"


def test_unknown_extension(tmp_path: Path) -> None:
    p = tmp_path / "notes.docx"
    p.write_text("x", encoding="utf-8")
    reason = _one_skipped(p).reason
    assert "'.docx'" in reason and ".txt" in reason and ".jsonl" in reason and ".html" in reason
    assert _read(tmp_path) == []      # inside a folder: ignored silently


# --------------------------------------------------------------------------- folders

def test_folder_walk_sorted_recursive_hidden_skipped(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Z body.", encoding="utf-8")
    (tmp_path / "b" / "a.md").write_text("A body.", encoding="utf-8")
    (tmp_path / "c.txt").write_text("C body.", encoding="utf-8")
    (tmp_path / "a.html").write_text("<p>Html body.</p>", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / "img.png").write_bytes(b"\x89PNG\x00")
    (tmp_path / "dir.txt").mkdir()       # a folder whose name looks like a file: walked, not read
    ids = [a.id for a in _read(tmp_path)]
    assert ids == ["a", "a", "z", "c"]
    assert ids == [a.id for a in _read(tmp_path)]     # deterministic


def test_same_file_twice_read_once(tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_text("Body.", encoding="utf-8")
    assert len(_read(p, tmp_path, tmp_path / "." / "x.txt")) == 1


# --------------------------------------------------------------------------- seeds

def test_seeds(seed_dir: Path) -> None:
    items = _read(seed_dir)
    assert len(items) == 5 and all(isinstance(a, Article) for a in items)
    by_id = {a.id.split("_")[0]: a for a in items}
    assert by_id["000"].title == "Province looks to its high-tech sectors for future expansion"
    assert by_id["000"].date == "2018-09-04"
    assert by_id["001"].title == "Entrepreneurs eye opportunities in northeast China's emerging industries"
    assert by_id["001"].date == "2024-09-05"
    assert by_id["002"].title.startswith("Guizhou province takes advantage of new technology")
    assert by_id["003"].title == "Driving industrial base through Internet Plus"
    assert by_id["003"].date == "2015-09-01"
    assert by_id["004"].title is None          # starts straight with the body
    for art in items:
        assert "Home>" not in art.text and "Home >" not in art.text
        assert not art.text.startswith(("By:", "(Xinhua)", "Update", "(chinadaily"))
        assert art.text == art.text.strip()
        assert (art.title or "") not in art.text[:200] or art.title is None
    assert by_id["001"].text.startswith("Participants communicate")
    assert by_id["004"].text.startswith("Guiyang, capital of southwestern Guizhou province")


def test_html_single_article_element_wins(tmp_path: Path) -> None:
    p = tmp_path / "news.html"
    p.write_text("<html><body><form><header><h1>Park opens</h1></header>"
                 "<div class='sidebar'>SIDEBAR_TEXT</div>"
                 "<article><p>The park opened.</p></article></form></body></html>", encoding="utf-8")
    art = _one_article(p)
    assert (art.title, art.text) == ("Park opens", "The park opened.")


def test_single_path_string_is_one_path(tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_text("Body.", encoding="utf-8")
    assert [a.id for a in iter_articles(str(p))] == ["x"]


@pytest.mark.parametrize("line", ["By Ann Lee, Staff Reporter", "Source: Daily Post", "Editor: Bo Chen"])
def test_header_credit_lines_dropped(tmp_path: Path, line: str) -> None:
    p = tmp_path / "c.txt"
    p.write_text(f"Firm opens lab in Xyz\n{line}\n\nThe firm opened a lab.", encoding="utf-8")
    art = _one_article(p)
    assert (art.title, art.text) == ("Firm opens lab in Xyz", "The firm opened a lab.")
