"""Command-palette provider: find and open glossary terms (ctrl+p)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..content import search


class GlossaryCommands(Provider):
    """Terms matched with the glossary's own typo-tolerant search."""

    async def search(self, query: str) -> Hits:
        content = self.app.content  # type: ignore[attr-defined]
        for m in search(content.entries.values(), query, limit=12):
            yield Hit(
                m.score,
                f"Glossary: {m.entry.term}",
                partial(self.app.open_entry, m.entry.id),  # type: ignore[attr-defined]
                help=m.entry.summary,
            )

    async def discover(self) -> Hits:
        content = self.app.content  # type: ignore[attr-defined]
        for entry in sorted(content.entries.values(), key=lambda e: e.term.lower())[:20]:
            yield DiscoveryHit(
                f"Glossary: {entry.term}",
                partial(self.app.open_entry, entry.id),  # type: ignore[attr-defined]
                help=entry.summary,
            )
