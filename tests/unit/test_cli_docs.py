"""`hpedu docs [TOPIC]`: the bundled docs, offline, from a checkout or an installed wheel."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from hpedu import cli
from hpedu.commands import docs as docs_cmd

REPO = Path(__file__).resolve().parents[2]
#: the topics the issue names; each is a file under docs/
TOPICS = ["content-format", "exercise-format", "simulate-json", "simulator", "teaching"]


def test_docs_lists_every_topic_with_its_title(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["docs"]) == 0
    out = capsys.readouterr().out
    listed = [line.split()[0] for line in out.splitlines() if line.startswith("  ")]
    assert listed == TOPICS
    assert "  teaching         Teaching with hpedu" in out
    assert f"Worked examples (a teacher pack to copy): {REPO / 'examples'}" in out


@pytest.mark.parametrize("topic", TOPICS)
def test_docs_topic_prints_the_file(topic: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["docs", topic]) == 0
    assert capsys.readouterr().out == (REPO / "docs" / f"{topic}.md").read_text(encoding="utf-8")


def test_docs_topic_accepts_the_file_name_and_gives_its_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["docs", "Teaching.md", "--path"]) == 0
    assert capsys.readouterr().out.strip() == str(REPO / "docs" / "teaching.md")


@pytest.mark.parametrize("topic", ["nope", "../README", "teach"])
def test_unknown_topic_exits_1_with_the_list(topic: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["docs", topic]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == f"hpedu docs: no topic {topic!r}; topics: {', '.join(TOPICS)}"


def test_lookup_in_a_source_checkout() -> None:
    assert docs_cmd.docs_dir() == REPO / "docs"
    assert docs_cmd.examples_dir() == REPO / "examples"


def test_lookup_in_an_installed_package_prefers_the_packaged_copy(tmp_path: Path) -> None:
    """A wheel's layout: site-packages/hpedu/_docs and _examples (no docs/ next to the package)."""
    package = tmp_path / "site-packages" / "hpedu"
    (package / "_docs").mkdir(parents=True)
    (package / "_examples" / "teacher-pack").mkdir(parents=True)
    assert docs_cmd.docs_dir(package) == package / "_docs"
    assert docs_cmd.examples_dir(package) == package / "_examples"
    # a checkout that also had a built copy inside the package: the packaged one wins
    (tmp_path / "site-packages" / "docs").mkdir()
    assert docs_cmd.docs_dir(package) == package / "_docs"


def test_lookup_finds_nothing_in_a_broken_installation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    package = tmp_path / "hpedu"
    package.mkdir()
    assert docs_cmd.docs_dir(package) is None and docs_cmd.examples_dir(package) is None
    monkeypatch.setattr(docs_cmd, "docs_dir", lambda package=None: None)
    assert cli.main(["docs", "teaching"]) == 1
    assert "bundled documentation is missing" in capsys.readouterr().err


def test_the_wheel_packs_docs_and_examples_where_the_lookup_looks() -> None:
    """pyproject.toml force-includes docs/ and examples/ under the names `bundled_dir` tries first."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    included = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert included["docs"] == "hpedu/_docs"
    assert included["examples"] == "hpedu/_examples"


@pytest.mark.slow
def test_a_built_wheel_carries_docs_examples_and_landscapes_and_finds_them(tmp_path: Path) -> None:
    """Build the wheel as a user's pip would (`pip wheel . --no-deps`), unpack
    it, and run `hpedu docs` from the unpacked copy (no checkout next to it)."""
    import subprocess
    import sys
    import zipfile

    import sklearn

    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(tmp_path / "dist")],
                   check=True, capture_output=True, timeout=600)
    (wheel,) = (tmp_path / "dist").glob("hpedu-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    assert {f"hpedu/_docs/{t}.md" for t in TOPICS} <= names
    assert "hpedu/_examples/teacher-pack/pack.yaml" in names
    shipped = [n for n in names if n.startswith("hpedu/tuning/_landscapes/") and f"sklearn{sklearn.__version__}-" in n]
    assert len(shipped) == 5
    code = "import sys, hpedu; from hpedu.cli import main; print(hpedu.__file__); sys.exit(main(sys.argv[1:]))"
    env = {"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code, "docs", "teaching", "--path"], env=env, cwd=tmp_path,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    site = tmp_path / "site" / "hpedu"
    assert out == [str(site / "__init__.py"), str(site / "_docs" / "teaching.md")]
    listing = subprocess.run([sys.executable, "-c", code, "docs"], env=env, cwd=tmp_path, capture_output=True,
                             text=True, check=True).stdout
    assert f"Worked examples (a teacher pack to copy): {site / '_examples'}" in listing
