"""`hpedu check` enforces the second-edition entry shape (hpedu/content/shape.py):
Key takeaways first (2-4 one-line bullets of at most 76 characters), "Not to
be confused with" directly after and one line, the first screen of `hpedu
glossary TERM` at 80 columns, a warning for long entries, IPA pronunciations."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from hpedu.cli import main
from hpedu.content import load_content

REPO = Path(__file__).resolve().parents[3]

HEAD = """\
---
id: shaped
term: Shaped
category: concept
summary: {summary}
related: [learning-rate]
{extra}---
"""
TAKEAWAYS = "## Key takeaways\n- First thing to remember.\n- Second thing to remember.\n\n"
REST = "## Definition\nBody text.\n"


def write(folder: Path, body: str, summary: str = "A short summary.", extra: str = "") -> Path:
    path = folder / "glossary" / "shaped.md"
    path.write_text(HEAD.format(summary=summary, extra=extra) + body, encoding="utf-8")
    return path


def found(folder: Path, path: Path) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in load_content(folder).problems if p.path == path]


# lines of the file: 1-7 front matter (HEAD with no extra), the body starts on line 8


def test_a_well_shaped_entry_passes(good_content: Path) -> None:
    path = write(good_content, TAKEAWAYS + "## Not to be confused with\n[Lr](glossary:learning-rate): other.\n\n" + REST)
    assert found(good_content, path) == []


def test_missing_takeaways_names_the_first_body_line(good_content: Path) -> None:
    path = write(good_content, REST)
    [(line, message)] = found(good_content, path)
    assert line == 8
    assert message.startswith("the body must start with '## Key takeaways' (2 to 4 bullets '- '")
    assert message.endswith("found '## Definition'")


def test_takeaways_after_another_section_must_come_first(good_content: Path) -> None:
    path = write(good_content, REST + "\n" + TAKEAWAYS)
    [(line, message)] = found(good_content, path)
    assert line == 11  # the '## Key takeaways' heading: 8 Definition, 9 text, 10 blank
    assert message.startswith("'## Key takeaways' must come first in the body")


@pytest.mark.parametrize("count, ok", [(1, False), (2, True), (4, True), (5, False)])
def test_two_to_four_takeaways(good_content: Path, count: int, ok: bool) -> None:
    bullets = "".join(f"- Thing number {k}.\n" for k in range(count))
    path = write(good_content, "## Key takeaways\n" + bullets + "\n" + REST)
    problems = found(good_content, path)
    if ok:
        assert problems == []
    else:
        assert problems == [(8, f"'## Key takeaways' has {count} bullet{'s' if count > 1 else ''}; allowed: 2 to 4")]


def test_a_takeaway_of_77_characters_is_too_long_76_is_fine(good_content: Path) -> None:
    ok, long = "- " + "a" * 74, "- " + "b" * 75
    assert (len(ok), len(long)) == (76, 77)
    path = write(good_content, f"## Key takeaways\n{ok}\n{long}\n\n" + REST)
    assert found(good_content, path) == [(10, "a takeaway is 77 characters long; at most 76 (the '- ' included)")]


def test_a_takeaway_is_one_line(good_content: Path) -> None:
    path = write(good_content, "## Key takeaways\n- First one\n  goes on here.\n- Second.\n\n" + REST)
    assert found(good_content, path) == [(10, "a takeaway is one line: join this continuation line to the bullet above")]


def test_only_bullets_under_takeaways(good_content: Path) -> None:
    path = write(good_content, "## Key takeaways\nSome prose.\n- First.\n- Second.\n\n" + REST)
    assert found(good_content, path) == [(9, "only bullets ('- ') belong under '## Key takeaways'; found 'Some prose.'")]


def test_not_confused_must_follow_the_takeaways(good_content: Path) -> None:
    path = write(good_content, TAKEAWAYS + REST + "\n## Not to be confused with\nOther: different.\n")
    assert found(good_content, path) == [(15, "'## Not to be confused with' must come directly after '## Key takeaways'")]


def test_not_confused_is_one_line(good_content: Path) -> None:
    path = write(good_content, TAKEAWAYS + "## Not to be confused with\nOne.\nTwo.\n\n" + REST)
    assert found(good_content, path) == [(12, "'## Not to be confused with' takes exactly one line of text; found 2")]


def _rich_rows(folder: Path) -> int:
    """Where Rich (a terminal, 80 columns) ends the last takeaway, 1-based: the oracle."""
    import rich.console

    from hpedu.commands.content import _print_rich

    content = load_content(folder)
    entry = content.entries["shaped"]
    out = io.StringIO()
    real = rich.console.Console
    rich.console.Console = lambda: real(file=out, width=80, color_system=None)  # type: ignore[assignment]
    try:
        _print_rich(entry, content)
    finally:
        rich.console.Console = real  # type: ignore[assignment]
    lines = out.getvalue().splitlines()
    last = max(i for i, line in enumerate(lines) if line.lstrip().startswith("•") and "Fourth" in line)
    return last + 1


def _plain_rows(folder: Path, capsys: pytest.CaptureFixture[str]) -> int:
    """Where the plain output (piped, folded by an 80-column terminal) ends the last takeaway."""
    assert main(["glossary", "shaped", "--plain", "--content", str(folder)]) == 0
    rows = 0
    for line in capsys.readouterr().out.splitlines():
        rows += max(1, -(-len(line) // 80))
        if line.startswith("- Fourth"):
            return rows
    raise AssertionError("no fourth takeaway printed")


@pytest.mark.parametrize("words, fits", [(224, True), (225, False), (240, False)])
def test_the_first_screen_is_24_lines_as_printed(good_content: Path, capsys, words: int, fits: bool) -> None:
    """A summary just short enough, then just too long: the printed output decides
    (Rich on a terminal, and the plain text folded at 80 columns)."""
    summary = " ".join(["word"] * words) + "."
    bullets = "## Key takeaways\n- First.\n- Second.\n- Third.\n- Fourth.\n\n"
    path = write(good_content, bullets + REST, summary=summary)
    problems = found(good_content, path)
    rows = max(_rich_rows(good_content), _plain_rows(good_content, capsys))  # the entry loads even when check objects
    assert (rows <= 24) == fits
    if fits:
        assert problems == []
    else:
        [(line, message)] = problems
        assert line == 8
        assert message == (f"title, summary and key takeaways take {rows} lines at 80 columns; they must fit in the "
                           "first 24: shorten the summary or the takeaways")


def test_bundled_entries_first_screen_estimate_matches_rich() -> None:
    """The check's count of first-screen lines is never below what Rich draws (so an
    entry that passes check really shows its takeaways on the first 24 lines)."""
    import rich.console

    from hpedu.commands.content import _print_rich
    from hpedu.content.model import CATEGORY_TITLES
    from hpedu.content.shape import first_screen_lines

    content = load_content(REPO / "content")
    real = rich.console.Console
    for entry in content.entries.values():
        out = io.StringIO()
        rich.console.Console = lambda: real(file=out, width=80, color_system=None)  # type: ignore[assignment]
        try:
            _print_rich(entry, content)
        finally:
            rich.console.Console = real  # type: ignore[assignment]
        lines = out.getvalue().splitlines()
        body = entry.body.splitlines()
        nxt = next(i for i, line in enumerate(body) if i > 0 and line.startswith("## "))
        bullets = [line for line in body[1:nxt] if line.startswith("- ")]
        assert 2 <= len(bullets) <= 4
        start = lines.index(next(line for line in lines if line.strip() == "Key takeaways"))
        after = [i for i, line in enumerate(lines) if i > start and line.strip() and not line.startswith(("Key", " • ", "   "))]
        end = (after[0] if after else len(lines))
        while not lines[end - 1].strip():
            end -= 1
        subtitle = CATEGORY_TITLES[entry.category] + (f"  ·  {entry.pronunciation}" if entry.pronunciation else "")
        estimate = first_screen_lines(entry.term, subtitle, entry.summary, bullets)
        assert end <= estimate <= end + 1, (entry.id, end, estimate)


def test_long_entry_is_a_warning_not_a_failure(good_content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(good_content, TAKEAWAYS + "## Definition\n" + "".join(f"Line {k}.\n" for k in range(60)))
    assert main(["check", "--content", str(good_content)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{path}:8: warning: the entry prints ")
    assert out[0].endswith(" lines (hpedu glossary --plain); aim for at most 60: cut repetition")
    assert out[-1].endswith("no problems, 1 warning")


def test_the_warning_counts_the_lines_hpedu_glossary_prints(good_content: Path, capsys) -> None:
    """The number in the warning is `hpedu glossary shaped --plain | wc -l`."""
    extra = "aliases: [shape]\nsources:\n  - One\n  - Two\n"
    write(good_content, TAKEAWAYS + "## Definition\n" + "".join(f"Line {k}.\n" for k in range(55)), extra=extra)
    assert main(["glossary", "shaped", "--plain", "--content", str(good_content)]) == 0
    printed = capsys.readouterr().out.count("\n")
    assert printed > 60
    main(["check", "--content", str(good_content)])
    out = capsys.readouterr().out
    assert f"warning: the entry prints {printed} lines" in out


def test_a_short_entry_has_no_warning(good_content: Path, capsys) -> None:
    write(good_content, TAKEAWAYS + "## Definition\n" + "".join(f"Line {k}.\n" for k in range(40)))
    assert main(["check", "--content", str(good_content)]) == 0
    assert "warning" not in capsys.readouterr().out


def test_check_prints_each_shape_problem_as_path_line_message(good_content: Path, capsys) -> None:
    path = write(good_content, "## Key takeaways\n- Only one.\n\n" + REST)
    assert main(["check", "--content", str(good_content)]) == 1
    assert f"{path}:8: '## Key takeaways' has 1 bullet; allowed: 2 to 4" in capsys.readouterr().out.splitlines()


def test_bundled_content_passes_with_no_warnings(capsys) -> None:
    assert main(["check", "--content", str(REPO / "content")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: ") and out.rstrip().endswith("no problems")


# Pronunciation: IPA between slashes (docs/content-format.md, Pronunciation)

def test_bundled_pronunciations_are_accepted() -> None:
    from hpedu.content.shape import check_pronunciation

    texts = [e.pronunciation for e in load_content(REPO / "content").entries.values() if e.pronunciation]
    assert len(texts) >= 25
    assert [t for t in texts if check_pronunciation(t) is not None] == []
    assert "/ˌtiː piː ˈiː/ (Parzen /ˈpɑːzən/)" in texts  # a note after the transcription
    assert any("\u0329" in t for t in texts)  # the syllabic mark (kernel /ˈkɜːnl̩/)


@pytest.mark.parametrize("text, message", [
    ("lurning rate", "pronunciation must be IPA between slashes, like /ˈlɜːnɪŋ reɪt/; got 'lurning rate'"),
    ("/ˈlɜːnɪŋ reɪt", "pronunciation must be IPA between slashes, like /ˈlɜːnɪŋ reɪt/; got '/ˈlɜːnɪŋ reɪt'"),
    ("/'lɜːnɪŋ/", "pronunciation: \"'\" (U+0027) at character 2 of \"/'lɜːnɪŋ/\": "
                  "write the stress mark ˈ (U+02C8), not an apostrophe"),
    ("/ˈlɜ:nɪŋ/", "pronunciation: ':' (U+003A) at character 5 of '/ˈlɜ:nɪŋ/': "
                  "write the length mark ː (U+02D0), not a colon"),
    ("/ˈLɜːnɪŋ/", "pronunciation: 'L' (U+004C) at character 3 of '/ˈLɜːnɪŋ/': IPA is lower case"),
    ("//", "pronunciation has an empty transcription '//'"),
])
def test_bad_pronunciation_is_reported_on_its_line(good_content: Path, text: str, message: str) -> None:
    path = write(good_content, TAKEAWAYS + REST, extra=f"pronunciation: \"{text}\"\n")
    assert found(good_content, path) == [(7, message)]


def test_good_pronunciation_passes(good_content: Path) -> None:
    path = write(good_content, TAKEAWAYS + REST, extra="pronunciation: /maˈtɛːn ˈkɜːnl̩/\n")
    assert found(good_content, path) == []


def test_a_long_entry_without_takeaways_gets_the_error_and_the_warning(good_content: Path, capsys) -> None:
    path = write(good_content, "## Definition\n" + "".join(f"Line {k}.\n" for k in range(60)))
    assert main(["check", "--content", str(good_content)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(": ", 1)[0] for line in out] == [f"{path}:8", f"{path}:8"]
    assert out[0].startswith(f"{path}:8: the body must start with '## Key takeaways'")
    assert out[1].startswith(f"{path}:8: warning: the entry prints ")
