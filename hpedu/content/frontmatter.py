"""Reading a Markdown file with YAML front matter, keeping line numbers.

YAML is only ever read with PyYAML's SafeLoader: content cannot construct
Python objects or run code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["ContentError", "Document", "read_text", "parse_front_matter", "parse_yaml_mapping", "yaml_module", "safe_loader"]


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


def read_text(path: Path) -> str:
    """The file as text; ContentError names the line of the first byte that is not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError(1, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ContentError(line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    return text.removeprefix("\ufeff")


def parse_yaml_mapping(text: str, first_line: int = 1) -> tuple[dict[str, Any], dict[str, int]]:
    """Parse YAML that must be a mapping; returns (values, key -> line).

    Duplicate keys (which PyYAML would silently merge) are reported.
    """
    yaml = yaml_module()
    loader = safe_loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            raise ContentError(first_line + node.start_mark.line, "the front matter must be a mapping of 'key: value' lines")
        key_lines: dict[str, int] = {}
        for key_node, _ in node.value:
            key = key_node.value
            line = first_line + key_node.start_mark.line
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


def parse_front_matter(text: str) -> Document:
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
    meta, key_lines = parse_yaml_mapping("".join(lines[1:end]), first_line=2)
    body = "".join(lines[end + 1 :])
    return Document(meta=meta, key_lines=key_lines, body=body, body_line=end + 2)
