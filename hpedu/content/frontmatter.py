"""Reading a Markdown file with YAML front matter, keeping line numbers.

YAML is only ever read with PyYAML's SafeLoader: content cannot construct
Python objects or run code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .files import FileRefused, read_limited
from .text import CONTROL, clean, control_problems, describe, printable

Report = Callable[[int, str], None]  # (line, message): a problem that does not stop the load

__all__ = ["ContentError", "Document", "Report", "read_text", "parse_front_matter", "parse_yaml_mapping", "yaml_module", "safe_loader"]


def yaml_module() -> Any:
    """PyYAML, imported when first needed: loads served from the content
    cache (cache.py) never import it (about 20 ms of the app's start)."""
    import yaml

    return yaml


def safe_loader(text: str) -> Any:
    """libyaml's safe loader when PyYAML was built with it (same rules, much
    faster), else PyYAML's own SafeLoader."""
    yaml = yaml_module()
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)


class ContentError(Exception):
    """A problem at a line (1-based) of the file being read."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Document:
    meta: dict[str, Any]
    key_lines: dict[str, int]  # front-matter key -> line in the file
    body: str
    body_line: int  # line where the body starts


def read_text(path: Path, root: Path | None = None, report: Report | None = None) -> str:
    """The file as text; ContentError says why it is not read (see files.py) or
    names the line of the first byte that is not UTF-8.

    Windows line ends become line feeds; any other control character is
    replaced by U+FFFD and, when `report` is given, reported with its line.
    `root` is the content folder a symbolic link must stay inside.
    """
    try:
        data = read_limited(path, root)
    except FileRefused as exc:
        raise ContentError(1, str(exc)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ContentError(line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if CONTROL.search(text):
        if report is not None:
            for line, message in control_problems(text):
                report(line, message)
        text = clean(text)
    return text


def parse_yaml_mapping(text: str, first_line: int = 1, report: Report | None = None) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse YAML that must be a mapping; returns (values, key -> line).

    Duplicate keys (which PyYAML would silently merge) and keys that are not
    plain names (a list, a mapping, a number) are errors. Control characters
    written as YAML escapes (`"\\e[31m"`) are replaced by U+FFFD and
    reported through `report`.
    """
    yaml = yaml_module()
    loader = safe_loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            raise ContentError(first_line + node.start_mark.line, "the front matter must be a mapping of 'key: value' lines")
        _clean_scalars(node, first_line, report)
        key_lines: dict[str, int] = {}
        for key_node, _ in node.value:
            line = first_line + key_node.start_mark.line
            _check_key(key_node, line)
            key = key_node.value
            if key in key_lines:
                raise ContentError(line, f"duplicate key {key!r} (first given on line {key_lines[key]})")
            key_lines[str(key)] = line
        values = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        raise ContentError(line, f"invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise ContentError(first_line, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()
    return values, key_lines


_STR_TAG = "tag:yaml.org,2002:str"
_TAG_WORDS = {"int": "a number", "float": "a number", "bool": "a yes/no value", "null": "empty (null)",
              "timestamp": "a date", "binary": "binary data"}


def _check_key(key_node: Any, line: int) -> None:
    """ContentError unless the key is a plain text name."""
    yaml = yaml_module()
    if isinstance(key_node, yaml.SequenceNode):
        raise ContentError(line, "a key must be a field name, not a list (remove the '?' or the brackets)")
    if isinstance(key_node, yaml.MappingNode):
        raise ContentError(line, "a key must be a field name, not a mapping (remove the '?' or the braces)")
    if key_node.tag != _STR_TAG:
        what = _TAG_WORDS.get(key_node.tag.rsplit(":", 1)[-1], f"of type {key_node.tag}")
        raise ContentError(line, f"the key {printable(key_node.value, 80)!r} is read as {what}, not a field name"
                                 " (field names are words such as 'title')")


def _clean_scalars(root: Any, first_line: int, report: Report | None) -> None:
    """Replace control characters in every scalar (key or value) below `root`,
    reporting each at its line; iterative, one visit per node."""
    yaml = yaml_module()
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # YAML aliases share nodes
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if isinstance(node.value, str) and CONTROL.search(node.value):
                char = CONTROL.search(node.value).group()
                if report is not None:
                    report(first_line + node.start_mark.line,
                           f"control character {describe(char)} in a value replaced by U+FFFD "
                           "(only tab and line breaks are allowed)")
                node.value = clean(node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                stack.append(key_node)
                stack.append(value_node)


def parse_front_matter(text: str, report: Report | None = None) -> Document:
    """Split `---` front matter from the Markdown body and parse it."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ContentError(1, "missing front matter: the file must start with a line '---'")
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            end = i
            break
    else:
        raise ContentError(1, "the front matter is not closed: add a line '---' after it")
    meta, key_lines = parse_yaml_mapping("".join(lines[1:end]), first_line=2, report=report)
    body = "".join(lines[end + 1 :])
    return Document(meta=meta, key_lines=key_lines, body=body, body_line=end + 2)
