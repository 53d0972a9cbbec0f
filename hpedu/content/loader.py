"""Load a content folder: every entry that is valid, and every problem found.

Problems are collected, never raised: one broken file does not stop the
others from loading, and nothing is skipped silently.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Callable

from .files import file_problem
from .frontmatter import ContentError, parse_front_matter, parse_yaml_mapping, read_text
from .model import CATEGORY_TITLES, Content, Entry, Preset, Problem
from .pack import content_roots
from .shape import check_pronunciation, check_shape
from .schema import GLOSSARY_FIELDS, PRESET_FIELDS, check_fields, check_limits
from .text import CONTROL, describe

__all__ = ["load_content", "content_files", "content_file", "register_loader", "GLOSSARY_LINK"]

GLOSSARY_LINK = re.compile(r"\]\(glossary:([^)\s]*)\)")


def load_content(root: str | Path, deep: bool = False) -> Content:
    """Load glossary entries, presets and every registered content kind under `root`.

    With `deep=True` presets are also checked against the tuning engine
    (objective and method exist, options are valid). That imports numpy and
    the strategy modules, so the app loads without it for a fast first
    screen and repeats the load with it in a background worker; `hpedu
    check` turns it on.

    A folder with a `pack.yaml` is a teacher pack: it is loaded on top of its
    base (the bundled content unless it says otherwise), its files replacing
    or adding to the base's files of the same name (see `pack.py`).

    A plain (not deep) load of a plain folder is cached: the same bytes give
    the same result without parsing again (see `cache.py`).
    """
    root = Path(root)
    content = Content(root=root)
    try:
        found = root.is_dir()
    except OSError as exc:  # a name too long for the system, say
        content.problems.append(Problem(root, 1, f"content folder cannot be opened: {exc.strerror or exc}"))
        return content
    if not found:
        content.problems.append(Problem(root, 1, "content folder not found"))
        return content
    digest = None
    if not deep:  # a plain load may come from the cache (see cache.py)
        from .cache import load_cached

        cached, digest = load_cached(root)
        if cached is not None:
            return cached
    roots, pack, problems = content_roots(root)
    content.problems.extend(problems)
    content.extras["roots"] = roots
    if pack is not None:
        content.extras["pack"] = pack
    for path in content_files(content, "glossary", ".md"):
        _load_entry(path, content)
    for path in content_files(content, "presets", ".yaml"):
        _load_preset(path, content, deep)
    _cross_check(content)
    for hook in _EXTRA_LOADERS:
        hook(root, content, deep)
    content.problems.sort(key=lambda p: (str(p.path), p.line))
    if digest is not None:
        from .cache import save_cached

        save_cached(root, digest, content)
    return content


def content_files(content: Content, folder: str, suffix: str) -> list[Path]:
    """The files of `folder` (e.g. "exercises") across the content's roots, in name order.

    A later root (a teacher pack) replaces an earlier root's file of the same
    name. Files that are not `suffix` files, subfolders, pipes, devices,
    files over the size limit and symbolic links leaving the content folder
    are reported, never read and never skipped silently (see files.py).
    """
    chosen: dict[str, Path] = {}
    for base in content.extras.get("roots") or [content.root]:
        for path in _files(base, folder, suffix, content):
            chosen[path.stem] = path
    return sorted(chosen.values(), key=lambda path: path.name)


def content_file(content: Content, name: str) -> Path | None:
    """The file `name` (e.g. "learning-path.yaml") from the last root that has one.

    Whatever is there under that name is returned (a pipe, a link leaving the
    folder): reading it reports why it is not read.
    """
    for base in reversed(content.extras.get("roots") or [content.root]):
        if os.path.lexists(base / name):
            return base / name
    return None


# Later content kinds (exercises, learning paths) register here so the loader
# stays one place: each hook gets (root, content, deep) and adds to `content`.
_EXTRA_LOADERS: list[Callable[[Path, Content, bool], None]] = []


def register_loader(hook: Callable[[Path, Content, bool], None]) -> None:
    if hook not in _EXTRA_LOADERS:
        _EXTRA_LOADERS.append(hook)


def _register_builtin_loaders() -> None:
    from .exercises import load_exercises
    from .path import load_learning_path

    register_loader(load_exercises)  # before the path: path steps may name exercises
    register_loader(load_learning_path)


_register_builtin_loaders()


def _files(base: Path, name: str, suffix: str, content: Content) -> list[Path]:
    """The `suffix` files directly in `base/name` that can be read; every other
    entry but hidden ones, backups and .txt notes is reported."""
    folder = base / name
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        bad = CONTROL.search(path.name)
        if bad:
            content.problems.append(Problem(path, 1, f"the file name holds the control character {describe(bad.group())}: "
                                                     "rename the file (it is not read)"))
            continue
        wanted = path.suffix == suffix or (suffix == ".yaml" and path.suffix == ".yml")
        if not wanted and (path.suffix == ".txt" or path.name.endswith("~")):
            continue  # notes and editor backups: never read
        why = file_problem(path, base)
        if why is not None:
            content.problems.append(Problem(path, 1, why))
        elif wanted:
            out.append(path)
        else:
            content.problems.append(Problem(path, 1, f"ignored: only {suffix} files are read in {name}/"))
    return out


def _load_entry(path: Path, content: Content) -> None:
    def problem(line: int, message: str) -> None:
        content.problems.append(Problem(path, line, message))

    try:
        doc = parse_front_matter(read_text(path, report=problem), report=problem)
    except ContentError as exc:
        problem(exc.line, exc.message)
        return
    meta, lines = doc.meta, doc.key_lines
    found = check_fields(meta, lines, GLOSSARY_FIELDS, default_line=1)
    for line, message in found:
        problem(line, message)
    if found:
        return
    if meta["id"] != path.stem:
        problem(lines["id"], f"id {meta['id']!r} must equal the file name {path.stem!r}")
        return
    if meta["id"] in content.entries:
        other = content.entries[meta["id"]].path
        problem(lines["id"], f"duplicate id {meta['id']!r} (also in {other})")
        return
    if not doc.body.strip():
        problem(doc.body_line, "the body is empty: write at least a '## Definition' section")
        return
    if len(meta["related"]) == 0:
        problem(lines["related"], "field 'related' must name at least one other entry")
    _check_shape(path, meta, lines, doc.body, doc.body_line, content)
    links = []
    for n, text in enumerate(doc.body.splitlines(), start=doc.body_line):
        for match in GLOSSARY_LINK.finditer(text):
            links.append((match.group(1), n))
    content.extras.setdefault("link_lines", {})[meta["id"]] = links
    content.entries[meta["id"]] = Entry(
        id=meta["id"],
        term=meta["term"].strip(),
        category=meta["category"],
        summary=" ".join(meta["summary"].split()),
        body=doc.body.strip() + "\n",
        related=tuple(meta.get("related") or ()),
        aliases=tuple(a.strip() for a in meta.get("aliases") or ()),
        pronunciation=(meta.get("pronunciation") or "").strip(),
        simulation=meta.get("simulation") or "",
        sources=tuple(meta.get("sources") or ()),
        path=path,
        links=tuple(dict.fromkeys(link for link, _ in links)),
    )
    content.extras.setdefault("key_lines", {})[meta["id"]] = lines


def _check_shape(path: Path, meta: dict[str, Any], lines: dict[str, int], body: str, body_line: int,
                 content: Content) -> None:
    """The second-edition shape (shape.py): errors are problems, warnings go to extras["warnings"]."""
    pronunciation = (meta.get("pronunciation") or "").strip()
    why = check_pronunciation(pronunciation)
    if why is not None:
        content.problems.append(Problem(path, lines.get("pronunciation", 1), why))
    subtitle = CATEGORY_TITLES.get(meta["category"], meta["category"])
    if pronunciation:
        subtitle += f"  ·  {pronunciation}"
    sources = meta.get("sources") or []
    footer = 1 + bool(meta.get("aliases")) + bool(meta.get("simulation")) + (1 + len(sources) if sources else 0)
    # leading blank lines of the body are not printed: line numbers start at the first kept line
    stripped = body.lstrip("\n")
    first = body_line + body.count("\n") - stripped.count("\n")
    report = check_shape(stripped, first, meta["term"].strip(), subtitle, " ".join(meta["summary"].split()), footer)
    for line, message in report.errors:
        content.problems.append(Problem(path, line, message))
    for line, message in report.warnings:
        content.extras.setdefault("warnings", []).append(Problem(path, line, message))


def _load_preset(path: Path, content: Content, deep: bool) -> None:
    def problem(line: int, message: str) -> None:
        content.problems.append(Problem(path, line, message))

    try:
        meta, lines = parse_yaml_mapping(read_text(path, report=problem), report=problem)
    except ContentError as exc:
        problem(exc.line, exc.message)
        return
    found = check_fields(meta, lines, PRESET_FIELDS, default_line=1)
    for line, message in found:
        problem(line, message)
    if found:
        return
    if meta["id"] != path.stem:
        problem(lines["id"], f"id {meta['id']!r} must equal the file name {path.stem!r}")
        return
    bad = _check_preset_engine(meta, lines, deep)
    for line, message in bad:
        problem(line, message)
    if bad:
        return
    content.presets[meta["id"]] = Preset(
        id=meta["id"],
        title=meta["title"],
        description=" ".join(meta["description"].split()),
        objective=meta["objective"],
        method=meta["method"],
        budget=meta["budget"],
        seed=meta.get("seed", 0),
        options=dict(meta.get("options") or {}),
        objective_options=dict(meta.get("objective_options") or {}),
        methods=tuple(meta.get("methods") or ()),
        seeds=meta.get("seeds", 1),
        view=meta.get("view", "run"),
        terms=tuple(meta.get("terms") or ()),
        locked=tuple(meta.get("locked") or ()),
        path=path,
    )
    content.extras.setdefault("preset_lines", {})[meta["id"]] = lines


def _check_preset_engine(meta: dict[str, Any], lines: dict[str, int], deep: bool) -> list[tuple[int, str]]:
    """Objective, method and option checks against the engine (only when `deep`)."""
    if not deep:
        return []
    from ..tuning.objectives import OBJECTIVES
    from ..tuning.registry import METHODS, get_method

    out: list[tuple[int, str]] = check_limits(meta, lines)  # budget and seeds within the engine's limits
    if meta["objective"] not in OBJECTIVES:
        out.append((lines["objective"], f"unknown objective {meta['objective']!r}; choose one of: {', '.join(OBJECTIVES)}"))
    methods = [meta["method"], *(meta.get("methods") or [])]
    for name in methods:
        if name not in METHODS:
            key = "method" if name == meta["method"] else "methods"
            out.append((lines[key], f"unknown method {name!r}; choose one of: {', '.join(METHODS)}"))
    if out:
        return out
    info = OBJECTIVES[meta["objective"]]
    try:
        info.build(**(meta.get("objective_options") or {}))
    except (ValueError, TypeError) as exc:
        out.append((lines.get("objective_options", lines["objective"]), f"objective_options: {exc}"))
    try:
        get_method(meta["method"]).check_options(meta.get("options") or {})
    except ValueError as exc:
        out.append((lines.get("options", lines["method"]), f"options: {exc}"))
    # `locked` names settings of the view: the run view shows every method's
    # options (the learner may switch method), the compare view none of them
    view = "compare" if meta.get("view") == "compare" or meta.get("methods") else meta.get("view", "run")
    if view == "compare":
        allowed = ["objective", "methods", "budget", "seeds"]
    else:
        allowed = ["objective", "method", "budget", "seed"]
        for name in METHODS:
            allowed += [o.name for o in get_method(name).options if o.name not in allowed]
    allowed += [o.name for o in info.options if o.name not in allowed]
    for name in meta.get("locked") or ():
        if name not in allowed:
            out.append((lines.get("locked", 1),
                        f"locked: {name!r} is not a setting of the {view} view; "
                        f"settings: {', '.join(allowed)}"))
    return out


def _cross_check(content: Content) -> None:
    """Links between entries: aliases unique, related/link/simulation targets exist."""
    key_lines = content.extras.get("key_lines", {})
    link_lines = content.extras.get("link_lines", {})
    claimed: dict[str, tuple[str, str]] = {}  # normalised name -> (entry id, what)
    for entry in content.entries.values():
        lines = key_lines.get(entry.id, {})
        names = [(entry.term, "term"), (entry.id.replace("-", " "), "id")] + [(a, "alias") for a in entry.aliases]
        seen_here: set[str] = set()
        for name, what in names:
            key = " ".join(name.lower().replace("-", " ").replace("_", " ").split())
            if key in seen_here:
                continue
            seen_here.add(key)
            if key in claimed and claimed[key][0] != entry.id:
                other_id, other_what = claimed[key]
                other = content.entries[other_id].path
                line = lines.get("aliases" if what == "alias" else "term", 1)
                content.problems.append(
                    Problem(entry.path, line, f"{what} {name!r} is already the {other_what} of entry {other_id!r} ({other})")
                )
            else:
                claimed.setdefault(key, (entry.id, what))
        for rel in entry.related:
            if rel == entry.id:
                content.problems.append(Problem(entry.path, lines.get("related", 1), "field 'related' names the entry itself"))
            elif rel not in content.entries:
                content.problems.append(Problem(entry.path, lines.get("related", 1), _unknown("related", rel, content)))
        for target, line in link_lines.get(entry.id, []):
            if target not in content.entries:
                content.problems.append(Problem(entry.path, line, _unknown("link glossary:", target, content)))
        if entry.simulation and entry.simulation not in content.presets:
            known = ", ".join(sorted(content.presets)) or "none yet"
            content.problems.append(
                Problem(entry.path, lines.get("simulation", 1), f"simulation {entry.simulation!r} is not a preset; presets: {known}")
            )
    preset_lines = content.extras.get("preset_lines", {})
    for preset in content.presets.values():
        for term in preset.terms:
            if term not in content.entries:
                line = preset_lines.get(preset.id, {}).get("terms", 1)
                content.problems.append(Problem(preset.path, line, _unknown("terms", term, content)))


def _unknown(what: str, target: str, content: Content) -> str:
    import difflib

    close = difflib.get_close_matches(target, list(content.entries), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    sep = "" if what.endswith(":") else " "
    return f"{what}{sep}{target!r} is not the id of any entry{hint}"
