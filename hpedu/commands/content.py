"""CLI: `hpedu check`, `hpedu glossary [TERM]`, `hpedu search QUERY`."""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..content import Content, Entry


def register(sub: argparse._SubParsersAction) -> None:
    from ..cli import add_content_option

    check = sub.add_parser("check", help="validate the content folder; print path:line: message for each problem")
    check.add_argument("--verify", action="store_true",
                       help="also run the simulations behind the exercises' verify: claims under the pack's class "
                       "code (or none) and other codes, and report each claim that does not hold")
    check.add_argument("--codes", type=_codes, default=None, metavar="N",
                       help="with --verify: how many other class codes to try (default 3, at most 50)")
    add_content_option(check)
    check.set_defaults(handler=cmd_check)

    glossary = sub.add_parser("glossary", help="list all terms, or print one entry")
    glossary.add_argument("term", nargs="*", help="a term, alias or close variant (e.g. 'lr', 'tree depth')")
    glossary.add_argument("--plain", action="store_true", help="plain text even on a terminal")
    add_content_option(glossary)
    glossary.set_defaults(handler=cmd_glossary)

    search = sub.add_parser("search", help="ranked glossary matches for a query")
    search.add_argument("query", nargs="+")
    search.add_argument("--limit", type=_limit, default=10, metavar="N",
                        help=f"show at most N matches, 1 to {MAX_SEARCH_LIMIT} (default 10)")
    add_content_option(search)
    search.set_defaults(handler=cmd_search)


def _load(args: argparse.Namespace, deep: bool = False) -> "Content":
    from ..cli import content_dir
    from ..content import load_content

    return load_content(content_dir(args), deep=deep)


def _query(words: list[str]) -> str:
    """The words as one query, cut to what search reads (with a note when cut)."""
    from ..content.search import MAX_QUERY_LENGTH, cut_query

    query = " ".join(words)
    if len(query) > MAX_QUERY_LENGTH:
        print(f"note: the query is {len(query):,} characters long; only its first {MAX_QUERY_LENGTH} are searched",
              file=sys.stderr)
    return cut_query(query)


def cmd_check(args: argparse.Namespace) -> int:
    from ..content.text import printable

    if args.codes is not None and not args.verify:
        print("hpedu check: error: --codes needs --verify", file=sys.stderr)
        return 2
    try:
        content = _load(args, deep=True)
    except FileNotFoundError as exc:
        print(f"hpedu check: {exc}", file=sys.stderr)
        return 1
    for problem in content.problems:
        print(problem)
    warnings = sorted(content.extras.get("warnings", []), key=lambda p: (str(p.path), p.line))
    for warning in warnings:  # advice (an entry longer than the limit): printed, never a failure
        print(f"{printable(warning.path)}:{warning.line}: warning: {printable(warning.message)}")
    counts = ", ".join(
        [_count(len(content.entries), "glossary entry", "glossary entries"), _count(len(content.presets), "preset")]
        + [_count(items, name[:-1] if name.endswith("s") else name, name)
           for name, items in content.extras.get("counts", {}).items()]
    )
    if content.problems:
        n = len(content.problems)
        print(f"{n} problem{'s' if n != 1 else ''} in {printable(content.root)} ({counts} loaded)", file=sys.stderr)
    else:
        note = f", {_count(len(warnings), 'warning')}" if warnings else ""
        print(f"OK: {counts} in {printable(content.root)}, no problems{note}")
    verified = _verify(content, args.codes) if args.verify else 0  # the exercises that loaded are still verified
    return 1 if content.problems or verified else 0


#: the most matches `hpedu search --limit` prints (more than there are terms)
MAX_SEARCH_LIMIT = 500


def _limit(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if not 1 <= n <= MAX_SEARCH_LIMIT:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_SEARCH_LIMIT}, got {text!r}")
    return n


def _codes(text: str) -> int:
    from ..verify import MAX_CODES

    try:
        n = int(text)
    except ValueError:
        n = -1
    if not 0 <= n <= MAX_CODES:
        raise argparse.ArgumentTypeError(f"must be a whole number from 0 to {MAX_CODES}, got {text!r}")
    return n


def _verify(content: "Content", n_codes: int | None) -> int:
    """`hpedu check --verify`: every verify: claim under the pack's code (or none) and n_codes others."""
    import time

    from ..verify import DEFAULT_CODES, verify_codes, verify_content

    pack = content.extras.get("pack")
    own = (pack.class_code or None) if pack is not None else None
    codes = [own] + [c for c in verify_codes(DEFAULT_CODES if n_codes is None else n_codes) if c != own]
    show = (lambda text: print(f"\r\033[K{text[:100]}", end="", file=sys.stderr, flush=True)) if sys.stderr.isatty() else None
    started = time.monotonic()
    report = verify_content(content, codes, progress=show)
    if show is not None:
        print("\r\033[K", end="", file=sys.stderr, flush=True)
    for failure in report.failures:
        print(failure)
    for path, line, preset in report.unchecked:
        print(f"{path}:{line}: note: this step runs preset {preset!r} but has no verify: claims", file=sys.stderr)
    took = time.monotonic() - started
    shown = [c or "no code" for c in codes]
    listed = ", ".join(shown if len(shown) <= 4 else shown[:3] + [f"... {shown[-1]}"])
    what = (f"{_count(report.claims, 'claim')} under {_count(len(codes), 'class code')} ({listed}), "
            f"{_count(report.runs, 'simulation')} in {took:.0f} s")
    if report.failures:
        n = len(report.failures)
        print(f"verify: {n} claim{'s do' if n != 1 else ' does'} not hold; checked {what}", file=sys.stderr)
        return 1
    print(f"verify OK: {what}")
    return 0


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _warn_problems(content: "Content") -> None:
    if content.problems:
        n = len(content.problems)
        print(f"note: {n} content problem{'s' if n != 1 else ''}; run 'hpedu check' to see them", file=sys.stderr)


def cmd_glossary(args: argparse.Namespace) -> int:
    try:
        content = _load(args)
    except FileNotFoundError as exc:
        print(f"hpedu glossary: {exc}", file=sys.stderr)
        return 1
    _warn_problems(content)
    if not args.term:
        by_cat = content.by_category()
        width = max((len(e.term) for es in by_cat.values() for e in es), default=10)
        for entries in by_cat.values():
            for e in entries:
                print(f"{e.term:<{width}}  {e.category}")
        return 0
    from ..content import resolve

    query = _query(args.term)
    entry, matches = resolve(content.entries.values(), query)
    if entry is None:
        print(f"hpedu glossary: no entry clearly matches {query!r}.", file=sys.stderr)
        if matches:
            print("Did you mean:", file=sys.stderr)
            for m in matches:
                print(f"  {m.entry.term}  (hpedu glossary {m.entry.id})", file=sys.stderr)
        else:
            print("Run 'hpedu glossary' to list every term.", file=sys.stderr)
        return 1
    if sys.stdout.isatty() and not args.plain:
        _print_rich(entry, content)
    else:
        print(entry_as_text(entry, content), end="")
    return 0


_LINK = re.compile(r"\[([^\]]+)\]\(glossary:[^)]*\)")


def entry_as_text(entry: "Entry", content: "Content") -> str:
    """The entry as plain Markdown-ish text, glossary links reduced to their words."""
    lines = [entry.term, "=" * len(entry.term)]
    meta = entry.category_title
    if entry.pronunciation:
        meta += f"  {entry.pronunciation}"
    lines += [meta, "", entry.summary, "", _LINK.sub(r"\1", entry.body).rstrip(), ""]
    related = [content.entries[r].term for r in entry.related if r in content.entries]
    if related:
        lines += ["Related: " + ", ".join(related)]
    if entry.aliases:
        lines += ["Also called: " + ", ".join(entry.aliases)]
    if entry.simulation:
        lines += [f"Try it: hpedu (glossary, '{entry.term}', key t) or preset '{entry.simulation}'"]
    if entry.sources:
        lines += ["Sources:"] + [f"  - {s}" for s in entry.sources]
    return "\n".join(lines) + "\n"


def _print_rich(entry: "Entry", content: "Content") -> None:
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.rule import Rule

    console = Console()
    console.print(Rule(f"[bold]{entry.term}[/]"))
    sub = entry.category_title + (f"  ·  {entry.pronunciation}" if entry.pronunciation else "")
    console.print(f"[dim]{sub}[/]")
    console.print(f"[italic]{entry.summary}[/]\n")
    console.print(Markdown(_LINK.sub(r"**\1**", entry.body)))
    related = [content.entries[r].term for r in entry.related if r in content.entries]
    if related:
        console.print(f"\n[bold]Related:[/] {', '.join(related)}")
    if entry.sources:
        console.print("[bold]Sources:[/]")
        for s in entry.sources:
            console.print(f"  • {s}", highlight=False)


def cmd_search(args: argparse.Namespace) -> int:
    from ..content import search

    try:
        content = _load(args)
    except FileNotFoundError as exc:
        print(f"hpedu search: {exc}", file=sys.stderr)
        return 1
    query = _query(args.query)
    matches = search(content.entries.values(), query, limit=args.limit)
    if not matches:
        print(f"no matches for {query!r}", file=sys.stderr)
        return 1
    width = max(len(m.entry.term) for m in matches)
    for m in matches:
        print(f"{m.score:4.2f}  {m.entry.term:<{width}}  {m.entry.summary}")
    return 0
