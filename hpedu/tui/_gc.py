"""Moving long-lived objects out of the garbage collector's sight, a bounded number of times.

`gc.freeze()` puts every object alive at that moment into a permanent
generation that collections never scan again: cheaper full collections, but
whatever is frozen is never freed. The app froze at every opening of the
simulator, so each visit pinned everything alive then (the previous screens'
objects waiting for a collection included): a key storm of s / Esc grew the
process by hundreds of megabytes and a test process to gigabytes. Now each
reason freezes once per process, after a collection, so only what is really
alive and loaded for good (Textual, the content, numpy / scipy) is frozen.

Full collections while the learner reads, not while they press keys. Python
runs a full collection after ten younger ones; with the glossary's entry
pages and Textual's render caches alive (about 250,000 objects) one takes
120-250 ms, and it fell inside about a third of the glossary's entry
switches, tripling them. `rare_full_collections` makes the automatic ones ten
times rarer (they still come, so a long burst of keys cannot grow memory
without bound) and the app calls `collect_if_due` once no key or click has
come for a moment, which does the full collection then, if younger ones
have run since the last.
"""

from __future__ import annotations

import gc

_done: set[str] = set()


def freeze_once(reason: str) -> bool:
    """Collect, then freeze, the first time `reason` is given; True if it froze now."""
    if reason in _done:
        return False
    _done.add(reason)
    gc.collect()
    gc.freeze()
    return True


#: younger collections before Python runs a full one by itself (its default is 10)
RARE_FULL = 100


def rare_full_collections() -> None:
    """Automatic full collections ten times rarer (see the module's text)."""
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, RARE_FULL)


def collect_if_due() -> bool:
    """A full collection, if a middle-generation one ran since the last full one; True if it ran."""
    if not gc.isenabled() or gc.get_count()[2] == 0:
        return False
    gc.collect()
    return True
