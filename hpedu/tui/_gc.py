"""Moving long-lived objects out of the garbage collector's sight, a bounded number of times.

`gc.freeze()` puts every object alive at that moment into a permanent
generation that collections never scan again: cheaper full collections, but
whatever is frozen is never freed. The app froze at every opening of the
simulator, so each visit pinned everything alive then (the previous screens'
objects waiting for a collection included): a key storm of s / Esc grew the
process by hundreds of megabytes and a test process to gigabytes. Now each
reason freezes once per process, after a collection, so only what is really
alive and loaded for good (Textual, the content, numpy / scipy) is frozen.
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
