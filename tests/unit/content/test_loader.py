"""The content loader: good files load; every kind of bad file gives a located message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hpedu.content import load_content

GOOD = """\
---
id: {id}
term: {term}
category: concept
summary: A short summary.
related: [learning-rate]
---
## Key takeaways
- One thing to remember.
- Another thing to remember.

## Definition
Body text.
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / "glossary" / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def only_problem(content, path: Path):
    found = [p for p in content.problems if p.path == path]
    assert len(found) == 1, [str(p) for p in content.problems]
    return found[0]


def test_good_fixture_loads_without_problems(good_content: Path) -> None:
    content = load_content(good_content)
    assert content.problems == []
    assert set(content.entries) == {"learning-rate", "batch-size", "regularization-coefficient"}
    lr = content.entries["learning-rate"]
    assert lr.term == "Learning rate"
    assert lr.aliases == ("lr", "step size")
    assert lr.related == ("batch-size", "regularization-coefficient")
    assert lr.links == ("batch-size",)
    assert lr.body.startswith("## Key takeaways\n- The size of each gradient step.")


def test_invalid_yaml_names_the_line_and_other_files_still_load(good_content: Path) -> None:
    path = write(good_content, "broken.md", "---\nid: broken\nterm: [unclosed\ncategory: concept\n---\nBody\n")
    content = load_content(good_content)
    problem = only_problem(content, path)
    assert "invalid YAML" in problem.message
    assert problem.line in (3, 4)
    assert len(content.entries) == 3


def test_missing_front_matter(good_content: Path) -> None:
    path = write(good_content, "plain.md", "# Just markdown\n")
    problem = only_problem(load_content(good_content), path)
    assert problem.line == 1 and "missing front matter" in problem.message


def test_unclosed_front_matter(good_content: Path) -> None:
    path = write(good_content, "open.md", "---\nid: open\n")
    assert "not closed" in only_problem(load_content(good_content), path).message


def test_missing_field(good_content: Path) -> None:
    text = GOOD.format(id="nosum", term="No summary").replace("summary: A short summary.\n", "")
    path = write(good_content, "nosum.md", text)
    problem = only_problem(load_content(good_content), path)
    assert "missing required field 'summary'" in problem.message


def test_unknown_field_names_its_line(good_content: Path) -> None:
    text = GOOD.format(id="typo", term="Typo").replace("related:", "relatd: [x]\nrelated:")
    path = write(good_content, "typo.md", text)
    problem = only_problem(load_content(good_content), path)
    assert problem.line == 6
    assert "unknown field 'relatd'" in problem.message and "related" in problem.message


def test_wrong_type_and_bad_category(good_content: Path) -> None:
    text = GOOD.format(id="types", term="Types").replace("related: [learning-rate]", "related: learning-rate")
    text = text.replace("category: concept", "category: gadget")
    path = write(good_content, "types.md", text)
    problems = [p for p in load_content(good_content).problems if p.path == path]
    messages = {p.line: p.message for p in problems}
    assert "allowed: concept" in messages[4] and "'gadget'" in messages[4]
    assert "must be a list of ids" in messages[6]


def test_id_must_equal_file_name(good_content: Path) -> None:
    path = write(good_content, "other-name.md", GOOD.format(id="some-id", term="Some id"))
    problem = only_problem(load_content(good_content), path)
    assert problem.line == 2 and "'some-id' must equal the file name 'other-name'" in problem.message


def test_duplicate_alias_across_files_names_both(good_content: Path) -> None:
    text = GOOD.format(id="eta", term="Eta").replace("related:", "aliases: [LR]\nrelated:")
    write(good_content, "eta.md", text)
    problems = load_content(good_content).problems
    assert len(problems) == 1
    # Reported on the later file (alphabetical order), naming the earlier one.
    problem = problems[0]
    assert problem.path.name == "learning-rate.md" and problem.line == 4
    assert "alias 'lr' is already the alias of entry 'eta'" in problem.message and "eta.md" in problem.message


def test_duplicate_key_in_front_matter(good_content: Path) -> None:
    text = GOOD.format(id="dup", term="Dup").replace("summary: A short summary.\n", "summary: one\nsummary: two\n")
    path = write(good_content, "dup.md", text)
    problem = only_problem(load_content(good_content), path)
    assert problem.line == 6 and "duplicate key 'summary'" in problem.message


def test_related_to_missing_id_suggests(good_content: Path) -> None:
    text = GOOD.format(id="rel", term="Rel").replace("[learning-rate]", "[learning-rat]")
    path = write(good_content, "rel.md", text)
    problem = only_problem(load_content(good_content), path)
    assert problem.line == 6 and "'learning-rat' is not the id of any entry" in problem.message
    assert "did you mean learning-rate" in problem.message


def test_body_link_to_missing_id_names_the_body_line(good_content: Path) -> None:
    text = GOOD.format(id="link", term="Link") + "\nSee [nothing](glossary:no-such-entry).\n"
    path = write(good_content, "link.md", text)
    problem = only_problem(load_content(good_content), path)
    assert problem.line == 15 and "no-such-entry" in problem.message


def test_empty_body(good_content: Path) -> None:
    text = GOOD.format(id="empty", term="Empty").split("## Key takeaways")[0]
    path = write(good_content, "empty.md", text)
    problem = only_problem(load_content(good_content), path)
    assert "body is empty" in problem.message and problem.line == 8


def test_non_utf8_names_the_line(good_content: Path) -> None:
    data = GOOD.format(id="latin", term="Latin").encode() + b"caf\xe9\n"
    path = write(good_content, "latin.md", data)
    problem = only_problem(load_content(good_content), path)
    assert problem.line == 14 and "not valid UTF-8" in problem.message



def test_unreadable_file_is_reported(good_content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(good_content, "locked.md", GOOD.format(id="locked", term="Locked"))
    real = os.open

    def fake_open(name, flags, *args, **kwargs):  # the test runs as root, where chmod 000 still reads
        if os.fspath(name).endswith("locked.md"):
            raise PermissionError(13, "Permission denied")
        return real(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)
    problem = only_problem(load_content(good_content), path)
    assert problem.line == 1 and "cannot read the file: Permission denied" in problem.message


def test_yaml_tags_cannot_construct_objects(good_content: Path) -> None:
    text = GOOD.format(id="evil", term="Evil").replace(
        "summary: A short summary.", "summary: !!python/object/apply:os.system ['echo pwned']"
    )
    path = write(good_content, "evil.md", text)
    problem = only_problem(load_content(good_content), path)
    assert "invalid YAML" in problem.message


def test_all_problems_are_collected_not_just_the_first(good_content: Path) -> None:
    write(good_content, "a.md", "no front matter\n")
    write(good_content, "b.md", GOOD.format(id="wrong", term="B"))
    content = load_content(good_content)
    assert {p.path.name for p in content.problems} == {"a.md", "b.md"}
    assert len(content.entries) == 3


def test_problem_prints_as_path_line_message(good_content: Path) -> None:
    path = write(good_content, "a.md", "no front matter\n")
    problem = only_problem(load_content(good_content), path)
    assert str(problem) == f"{path}:1: {problem.message}"
